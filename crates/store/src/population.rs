//! Buildings, households and residents (人口信息库). Imports are all-or-nothing: every reference
//! is checked first, then everything is written in one transaction.

use crate::db::Store;
use crate::error::StoreError;
use crate::geo_data::area_prefix;
use crate::pii::PiiField;
use crate::records::{BuildingRecord, HouseholdRecord, ResidentRecord};
use crate::rows::{BuildingRow, HouseholdRow, ResidentRow};
use crate::sql::{Arg, Sql};
use gongzhi_domain::codes::{AreaCode, GridCode, IdNumber, Phone};
use gongzhi_domain::population::{HouseholdKind, PoliticalStatus, Relation};
use sqlx::Row;

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
    /// Buildings by code (upsert); every building's grid must exist, or nothing is written.
    pub async fn import_buildings(
        &self,
        buildings: &[BuildingRecord],
    ) -> Result<usize, StoreError> {
        self.import_all(buildings).await
    }

    /// Households by code (upsert); every household's building must exist, or nothing is
    /// written.
    pub async fn import_households(
        &self,
        households: &[HouseholdRecord],
    ) -> Result<usize, StoreError> {
        self.import_all(households).await
    }

    /// Residents by 身份证号 (upsert through the blind index), encrypted; every resident's
    /// household must exist, or nothing is written.
    pub async fn import_residents(
        &self,
        residents: &[ResidentRecord],
    ) -> Result<usize, StoreError> {
        self.import_all(residents).await
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
