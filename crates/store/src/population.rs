//! Buildings, households and residents (人口信息库). Imports are all-or-nothing: every reference
//! is checked first, then everything is written in one transaction.

use crate::db::Store;
use crate::error::{RowProblem, StoreError};
use crate::geo_data::area_prefix;
use crate::pii::PiiField;
use crate::records::{BuildingRecord, HouseholdRecord, ResidentRecord};
use crate::rows::{BuildingRow, HouseholdRow, ResidentRow};
use crate::sql::{Arg, CHUNK, Sql};
use gongzhi_domain::codes::{AreaCode, GridCode, IdNumber, Phone};
use gongzhi_domain::population::{HouseholdKind, PoliticalStatus, Relation};
use sqlx::Row;
use std::collections::{HashMap, HashSet};

/// Offset pagination; `limit` is capped by the caller.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub offset: i64,
    pub limit: i64,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            offset: 0,
            limit: 50,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct HouseholdFilter {
    pub area: Option<AreaCode>,
    pub grid: Option<GridCode>,
    pub building_code: Option<String>,
    pub page: Page,
}

#[derive(Clone, Debug, Default)]
pub struct ResidentFilter {
    pub area: Option<AreaCode>,
    pub grid: Option<GridCode>,
    pub household_id: Option<i64>,
    pub name: Option<String>,
    /// Exact match through the blind index.
    pub id_number: Option<IdNumber>,
    pub phone: Option<Phone>,
    pub page: Page,
}

fn corrupt<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> StoreError + '_ {
    move |e| StoreError::corrupt(format!("{what}: {e}"))
}

impl Store {
    pub async fn import_buildings(
        &self,
        buildings: &[BuildingRecord],
    ) -> Result<usize, StoreError> {
        let grids: HashSet<String> = sqlx::query("SELECT code FROM grids")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>("code"))
            .collect::<Result<_, _>>()?;
        let problems: Vec<RowProblem> = buildings
            .iter()
            .enumerate()
            .filter(|(_, b)| !grids.contains(b.grid.as_str()))
            .map(|(index, b)| RowProblem {
                index,
                column: "所属网格",
                value: b.grid.to_string(),
                message_zh: format!("网格 {} 不存在", b.grid),
                message_en: format!("grid {} does not exist", b.grid),
            })
            .collect();
        if !problems.is_empty() {
            return Err(StoreError::Rows(problems));
        }
        let mut tx = self.write_tx().await?;
        for chunk in buildings.chunks(CHUNK) {
            let mut sql = Sql::new(
                "INSERT INTO buildings (code, grid_code, name, address, lon, lat, floors) VALUES ",
            );
            sql.values(chunk.iter().map(|b| {
                vec![
                    Arg::Text(b.code.clone()),
                    Arg::Text(b.grid.as_str().to_string()),
                    Arg::Text(b.name.clone()),
                    Arg::Text(b.address.clone()),
                    Arg::Real(b.lon),
                    Arg::Real(b.lat),
                    Arg::Int(i64::from(b.floors)),
                ]
            }));
            sql.push(
                " ON CONFLICT (code) DO UPDATE SET grid_code = excluded.grid_code, name = excluded.name,
                  address = excluded.address, lon = excluded.lon, lat = excluded.lat, floors = excluded.floors",
            );
            sql.query(self.backend).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(buildings.len())
    }

    pub async fn import_households(
        &self,
        households: &[HouseholdRecord],
    ) -> Result<usize, StoreError> {
        let buildings: HashMap<String, (i64, String)> =
            sqlx::query("SELECT id, code, grid_code FROM buildings")
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| {
                    Ok((
                        r.try_get("code")?,
                        (r.try_get("id")?, r.try_get("grid_code")?),
                    ))
                })
                .collect::<Result<_, sqlx::Error>>()?;
        let mut problems = Vec::new();
        for (index, h) in households.iter().enumerate() {
            if !buildings.contains_key(&h.building_code) {
                problems.push(RowProblem {
                    index,
                    column: "楼栋编号",
                    value: h.building_code.clone(),
                    message_zh: format!("楼栋 {} 不存在", h.building_code),
                    message_en: format!("building {} does not exist", h.building_code),
                });
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Rows(problems));
        }
        let mut tx = self.write_tx().await?;
        for chunk in households.chunks(CHUNK) {
            let mut sql = Sql::new(
                "INSERT INTO households (code, building_id, grid_code, room, kind) VALUES ",
            );
            sql.values(chunk.iter().map(|h| {
                let (building_id, grid) = &buildings[&h.building_code];
                vec![
                    Arg::Text(h.code.clone()),
                    Arg::Int(*building_id),
                    Arg::Text(grid.clone()),
                    Arg::Text(h.room.clone()),
                    Arg::Text(h.kind.zh().to_string()),
                ]
            }));
            sql.push(
                " ON CONFLICT (code) DO UPDATE SET building_id = excluded.building_id,
                  grid_code = excluded.grid_code, room = excluded.room, kind = excluded.kind",
            );
            sql.query(self.backend).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(households.len())
    }

    pub async fn import_residents(
        &self,
        residents: &[ResidentRecord],
    ) -> Result<usize, StoreError> {
        let households: HashMap<String, (i64, String)> =
            sqlx::query("SELECT id, code, grid_code FROM households")
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| {
                    Ok((
                        r.try_get("code")?,
                        (r.try_get("id")?, r.try_get("grid_code")?),
                    ))
                })
                .collect::<Result<_, sqlx::Error>>()?;
        let mut problems = Vec::new();
        for (index, r) in residents.iter().enumerate() {
            if !households.contains_key(&r.household_code) {
                problems.push(RowProblem {
                    index,
                    column: "户编号",
                    value: r.household_code.clone(),
                    message_zh: format!("户 {} 不存在", r.household_code),
                    message_en: format!("household {} does not exist", r.household_code),
                });
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Rows(problems));
        }
        let pii = &self.pii;
        let mut tx = self.write_tx().await?;
        for chunk in residents.chunks(CHUNK) {
            let mut sql = Sql::new(
                "INSERT INTO residents (household_id, grid_code, name, gender, birth_year, id_number_enc,
                 id_number_bidx, phone_enc, phone_bidx, relation, political_status) VALUES ",
            );
            sql.values(chunk.iter().map(|r| {
                let (household_id, grid) = &households[&r.household_code];
                let id = r.id_number.as_str();
                let phone = r.phone.as_ref().map(|p| p.as_str().to_string());
                vec![
                    Arg::Int(*household_id),
                    Arg::Text(grid.clone()),
                    Arg::Text(r.name.clone()),
                    Arg::Text(if r.id_number.is_male() { "男" } else { "女" }.into()),
                    Arg::Int(i64::from(r.id_number.birth_date().0)),
                    Arg::Bytes(pii.encrypt(PiiField::IdNumber, id)),
                    Arg::Bytes(pii.blind_index(PiiField::IdNumber, id)),
                    Arg::OptBytes(phone.as_deref().map(|p| pii.encrypt(PiiField::Phone, p))),
                    Arg::OptBytes(
                        phone
                            .as_deref()
                            .map(|p| pii.blind_index(PiiField::Phone, p)),
                    ),
                    Arg::Text(r.relation.zh().to_string()),
                    Arg::Text(r.political_status.zh().to_string()),
                ]
            }));
            sql.push(
                " ON CONFLICT (id_number_bidx) DO UPDATE SET household_id = excluded.household_id,
                  grid_code = excluded.grid_code, name = excluded.name, id_number_enc = excluded.id_number_enc,
                  phone_enc = excluded.phone_enc, phone_bidx = excluded.phone_bidx,
                  relation = excluded.relation, political_status = excluded.political_status",
            );
            sql.query(self.backend).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(residents.len())
    }

    pub async fn buildings_in_grid(&self, grid: &GridCode) -> Result<Vec<BuildingRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, code, grid_code, name, address, lon, lat, floors FROM buildings WHERE grid_code = $1 ORDER BY code",
        )
        .bind(grid.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(building_row).collect()
    }

    pub async fn buildings(&self, area: Option<&AreaCode>) -> Result<Vec<BuildingRow>, StoreError> {
        let mut sql =
            Sql::new("SELECT id, code, grid_code, name, address, lon, lat, floors FROM buildings");
        if let Some(a) = area {
            sql.push(" WHERE grid_code LIKE ")
                .bind(Arg::Text(format!("{}%", area_prefix(a))));
        }
        sql.push(" ORDER BY code");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(building_row).collect()
    }

    pub async fn households(&self, f: &HouseholdFilter) -> Result<Vec<HouseholdRow>, StoreError> {
        let mut sql = Sql::new(HOUSEHOLD_SELECT);
        household_where(&mut sql, f);
        sql.push(" ORDER BY h.code LIMIT ")
            .bind(Arg::Int(f.page.limit));
        sql.push(" OFFSET ").bind(Arg::Int(f.page.offset));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(household_row).collect()
    }

    pub async fn count_households(&self, f: &HouseholdFilter) -> Result<i64, StoreError> {
        let mut sql = Sql::new(
            "SELECT COUNT(*) AS n FROM households h JOIN buildings b ON b.id = h.building_id",
        );
        household_where(&mut sql, f);
        self.read(&sql, |r| count_of(&r), |r| count_of(&r)).await
    }

    pub async fn household(&self, id: i64) -> Result<Option<HouseholdRow>, StoreError> {
        let mut sql = Sql::new(HOUSEHOLD_SELECT);
        sql.push(" WHERE h.id = ").bind(Arg::Int(id));
        let row = sql.query(self.backend).fetch_optional(&self.pool).await?;
        row.as_ref().map(household_row).transpose()
    }

    pub async fn residents(&self, f: &ResidentFilter) -> Result<Vec<ResidentRow>, StoreError> {
        let mut sql = Sql::new(RESIDENT_SELECT);
        self.resident_where(&mut sql, f);
        sql.push(" ORDER BY r.household_id, r.id LIMIT ")
            .bind(Arg::Int(f.page.limit));
        sql.push(" OFFSET ").bind(Arg::Int(f.page.offset));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(|r| self.resident_row(r)).collect()
    }

    pub async fn count_residents(&self, f: &ResidentFilter) -> Result<i64, StoreError> {
        let mut sql = Sql::new("SELECT COUNT(*) AS n FROM residents r");
        self.resident_where(&mut sql, f);
        Ok(sql
            .query(self.backend)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }

    pub async fn resident(&self, id: i64) -> Result<Option<ResidentRow>, StoreError> {
        let mut sql = Sql::new(RESIDENT_SELECT);
        sql.push(" WHERE r.id = ").bind(Arg::Int(id));
        let row = sql.query(self.backend).fetch_optional(&self.pool).await?;
        row.as_ref().map(|r| self.resident_row(r)).transpose()
    }

    fn resident_where(&self, sql: &mut Sql, f: &ResidentFilter) {
        let mut and = Where::default();
        if let Some(g) = &f.grid {
            and.next(sql)
                .push("r.grid_code = ")
                .bind(Arg::Text(g.as_str().into()));
        }
        if let Some(a) = &f.area {
            and.next(sql)
                .push("r.grid_code LIKE ")
                .bind(Arg::Text(format!("{}%", area_prefix(a))));
        }
        if let Some(h) = f.household_id {
            and.next(sql).push("r.household_id = ").bind(Arg::Int(h));
        }
        if let Some(n) = f.name.as_deref().filter(|n| !n.is_empty()) {
            and.next(sql)
                .push("r.name LIKE ")
                .bind(Arg::Text(format!("%{}%", n.replace(['%', '_'], ""))));
        }
        if let Some(id) = &f.id_number {
            let idx = self.pii.blind_index(PiiField::IdNumber, id.as_str());
            and.next(sql)
                .push("r.id_number_bidx = ")
                .bind(Arg::Bytes(idx));
        }
        if let Some(p) = &f.phone {
            let idx = self.pii.blind_index(PiiField::Phone, p.as_str());
            and.next(sql).push("r.phone_bidx = ").bind(Arg::Bytes(idx));
        }
    }

    fn resident_row(&self, r: &sqlx::any::AnyRow) -> Result<ResidentRow, StoreError> {
        let id_enc: Vec<u8> = r.try_get("id_number_enc")?;
        let id_plain = self
            .pii
            .decrypt(PiiField::IdNumber, &id_enc)
            .map_err(StoreError::Crypto)?;
        let phone_enc: Option<Vec<u8>> = r.try_get("phone_enc")?;
        let phone = match phone_enc {
            Some(sealed) => {
                let plain = self
                    .pii
                    .decrypt(PiiField::Phone, &sealed)
                    .map_err(StoreError::Crypto)?;
                Some(Phone::parse(&plain).map_err(corrupt("phone"))?)
            }
            None => None,
        };
        Ok(ResidentRow {
            id: r.try_get("id")?,
            household_id: r.try_get("household_id")?,
            household_code: r.try_get("household_code")?,
            grid: GridCode::parse(&r.try_get::<String, _>("grid_code")?)
                .map_err(corrupt("grid"))?,
            name: r.try_get("name")?,
            gender: r.try_get("gender")?,
            birth_year: r.try_get("birth_year")?,
            id_number: IdNumber::parse(&id_plain).map_err(corrupt("id number"))?,
            phone,
            relation: Relation::parse(&r.try_get::<String, _>("relation")?)
                .map_err(corrupt("relation"))?,
            political_status: PoliticalStatus::parse(&r.try_get::<String, _>("political_status")?)
                .map_err(corrupt("political status"))?,
        })
    }
}

const HOUSEHOLD_SELECT: &str = "SELECT h.id, h.code, b.code AS building_code, b.name AS building_name, b.address,
    h.grid_code, h.room, h.kind, (SELECT COUNT(*) FROM residents r WHERE r.household_id = h.id) AS member_count
    FROM households h JOIN buildings b ON b.id = h.building_id";

const RESIDENT_SELECT: &str =
    "SELECT r.id, r.household_id, h.code AS household_code, r.grid_code, r.name, r.gender,
    r.birth_year, r.id_number_enc, r.phone_enc, r.relation, r.political_status
    FROM residents r JOIN households h ON h.id = r.household_id";

fn household_where(sql: &mut Sql, f: &HouseholdFilter) {
    let mut and = Where::default();
    if let Some(g) = &f.grid {
        and.next(sql)
            .push("h.grid_code = ")
            .bind(Arg::Text(g.as_str().into()));
    }
    if let Some(a) = &f.area {
        and.next(sql)
            .push("h.grid_code LIKE ")
            .bind(Arg::Text(format!("{}%", area_prefix(a))));
    }
    if let Some(b) = &f.building_code {
        and.next(sql).push("b.code = ").bind(Arg::Text(b.clone()));
    }
}

/// The `n` of a one-row `SELECT COUNT(*) AS n`.
fn count_of(rows: &[impl crate::exec::Cols]) -> Result<i64, StoreError> {
    rows.first()
        .ok_or_else(|| StoreError::corrupt("COUNT(*) returned no row"))?
        .int("n")
}

/// Emits ` WHERE ` before the first condition and ` AND ` before the others.
#[derive(Default)]
struct Where(bool);

impl Where {
    fn next<'a>(&mut self, sql: &'a mut Sql) -> &'a mut Sql {
        sql.push(if self.0 { " AND " } else { " WHERE " });
        self.0 = true;
        sql
    }
}

fn building_row(r: &sqlx::any::AnyRow) -> Result<BuildingRow, StoreError> {
    Ok(BuildingRow {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        grid: GridCode::parse(&r.try_get::<String, _>("grid_code")?).map_err(corrupt("grid"))?,
        name: r.try_get("name")?,
        address: r.try_get("address")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        floors: r.try_get("floors")?,
    })
}

fn household_row(r: &sqlx::any::AnyRow) -> Result<HouseholdRow, StoreError> {
    Ok(HouseholdRow {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        building_code: r.try_get("building_code")?,
        building_name: r.try_get("building_name")?,
        address: r.try_get("address")?,
        grid: GridCode::parse(&r.try_get::<String, _>("grid_code")?).map_err(corrupt("grid"))?,
        room: r.try_get("room")?,
        kind: HouseholdKind::parse(&r.try_get::<String, _>("kind")?)
            .map_err(corrupt("household kind"))?,
        member_count: r.try_get("member_count")?,
    })
}
