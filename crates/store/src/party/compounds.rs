//! 小区 (`compounds`) and their buildings (`buildings.compound_id`).

use super::{PartyTx, area, inside, refused};
use crate::Millis;
use crate::audit::Actor;
use crate::db::Store;
use crate::error::{RowProblem, StoreError};
use crate::sql::{Arg, Sql};
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::party::Compound;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;
use std::collections::HashMap;

/// A compound to create or, when its code exists, to update; `buildings` are building codes
/// attached to it (buildings attached before and not named stay attached).
#[derive(Clone, Debug, PartialEq)]
pub struct CompoundUpsert {
    pub compound: Compound,
    pub buildings: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CompoundRow {
    pub id: i64,
    #[serde(flatten)]
    pub record: Compound,
    pub buildings: i64,
    pub households: i64,
    /// Party members living there (not left).
    pub members: i64,
    /// Residents whose political status is 中共党员 or 中共预备党员.
    pub party_residents: i64,
    /// The compound's live party organisation, if any (the five steps' 建).
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    pub created_at: Millis,
}

#[derive(Clone, Debug, Default)]
pub struct CompoundFilter {
    pub area: Option<AreaCode>,
    pub name: Option<String>,
}

const SELECT: &str = "SELECT c.id, c.code, c.name, c.community_code, c.address, c.lon, c.lat,
    c.property_company, c.created_at,
    (SELECT COUNT(*) FROM buildings b WHERE b.compound_id = c.id) AS n_buildings,
    (SELECT COUNT(*) FROM households h JOIN buildings b ON b.id = h.building_id
       WHERE b.compound_id = c.id) AS n_households,
    (SELECT COUNT(*) FROM party_members m JOIN households h ON h.id = m.household_id
       JOIN buildings b ON b.id = h.building_id
       WHERE b.compound_id = c.id AND m.left_on IS NULL) AS n_members,
    (SELECT COUNT(*) FROM residents r JOIN households h ON h.id = r.household_id
       JOIN buildings b ON b.id = h.building_id
       WHERE b.compound_id = c.id AND r.political_status IN ('中共党员', '中共预备党员')) AS n_party_residents,
    (SELECT MIN(o.id) FROM party_orgs o WHERE o.compound_id = c.id AND o.dissolved_on IS NULL) AS org_id,
    (SELECT o.name FROM party_orgs o WHERE o.compound_id = c.id AND o.dissolved_on IS NULL
       ORDER BY o.id LIMIT 1) AS org_name
    FROM compounds c";

fn compound_row(r: &sqlx::any::AnyRow) -> Result<CompoundRow, StoreError> {
    Ok(CompoundRow {
        id: r.try_get("id")?,
        record: Compound {
            code: r.try_get("code")?,
            name: r.try_get("name")?,
            community: area(r, "community_code")?,
            address: r.try_get("address")?,
            lon: r.try_get("lon")?,
            lat: r.try_get("lat")?,
            property_company: r.try_get("property_company")?,
        },
        buildings: r.try_get("n_buildings")?,
        households: r.try_get("n_households")?,
        members: r.try_get("n_members")?,
        party_residents: r.try_get("n_party_residents")?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Known buildings: code → (id, community code).
async fn building_index(store: &Store) -> Result<HashMap<String, (i64, String)>, StoreError> {
    sqlx::query("SELECT id, code, grid_code FROM buildings")
        .fetch_all(&store.pool)
        .await?
        .iter()
        .map(|r| {
            let grid: String = r.try_get("grid_code")?;
            Ok((
                r.try_get("code")?,
                (r.try_get("id")?, grid.chars().take(12).collect()),
            ))
        })
        .collect()
}

impl PartyTx<'_> {
    /// Creates the compound, or updates the one with its code; attaches the buildings named.
    /// Returns its id and whether it was created.
    pub async fn upsert_compound(&mut self, c: &CompoundUpsert) -> Result<(i64, bool), StoreError> {
        let compound = c.compound.clone().checked().map_err(refused)?;
        let known: bool = sqlx::query("SELECT 1 AS one FROM areas WHERE code = $1")
            .bind(compound.community.as_str())
            .fetch_optional(&mut *self.tx)
            .await?
            .is_some();
        if !known {
            return Err(StoreError::not_found(
                format!("社区 {}", compound.community),
                format!("community {}", compound.community),
            ));
        }
        let existing: Option<i64> = sqlx::query("SELECT id FROM compounds WHERE code = $1")
            .bind(&compound.code)
            .fetch_optional(&mut *self.tx)
            .await?
            .map(|r| r.try_get("id"))
            .transpose()?;
        let id = match existing {
            Some(id) => {
                sqlx::query(
                    "UPDATE compounds SET name = $1, community_code = $2, address = $3, lon = $4, lat = $5,
                     property_company = $6 WHERE id = $7",
                )
                .bind(&compound.name)
                .bind(compound.community.as_str())
                .bind(&compound.address)
                .bind(compound.lon)
                .bind(compound.lat)
                .bind(compound.property_company.as_deref())
                .bind(id)
                .execute(&mut *self.tx)
                .await?;
                id
            }
            None => sqlx::query(
                "INSERT INTO compounds (code, name, community_code, address, lon, lat, property_company, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(&compound.code)
            .bind(&compound.name)
            .bind(compound.community.as_str())
            .bind(&compound.address)
            .bind(compound.lon)
            .bind(compound.lat)
            .bind(compound.property_company.as_deref())
            .bind(self.now)
            .fetch_one(&mut *self.tx)
            .await?
            .try_get("id")?,
        };
        for code in &c.buildings {
            let n = sqlx::query(
                "UPDATE buildings SET compound_id = $1 WHERE code = $2 AND grid_code LIKE $3",
            )
            .bind(id)
            .bind(code)
            .bind(format!("{}%", compound.community))
            .execute(&mut *self.tx)
            .await?
            .rows_affected();
            if n != 1 {
                return Err(StoreError::Conflict {
                    code: "building_not_in_community",
                    zh: format!("楼栋 {code} 不存在或不在社区 {} 内", compound.community),
                    en: format!(
                        "building {code} does not exist or is not in community {}",
                        compound.community
                    ),
                });
            }
        }
        let kind = if existing.is_some() {
            "modified"
        } else {
            "created"
        };
        self.log(
            format!("compound/{id}"),
            kind,
            json!({
                "type": kind,
                "compound": id,
                "code": compound.code,
                "name": compound.name,
                "buildings": c.buildings.len(),
            }),
        )
        .await?;
        Ok((id, existing.is_none()))
    }
}

impl Store {
    /// Creates or updates one compound.
    pub async fn upsert_compound(
        &self,
        c: &CompoundUpsert,
        actor: &Actor<'_>,
    ) -> Result<(i64, bool), StoreError> {
        let mut tx = self.party_tx(actor).await?;
        let out = tx.upsert_compound(c).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Imports compounds all-or-nothing: every row is checked first (the domain's rules, the
    /// community known, each building existing inside that community), then everything is
    /// written in one transaction. Returns (created, updated).
    pub async fn import_compounds(
        &self,
        rows: &[CompoundUpsert],
        actor: &Actor<'_>,
    ) -> Result<(usize, usize), StoreError> {
        let buildings = building_index(self).await?;
        let areas: std::collections::HashSet<String> = sqlx::query("SELECT code FROM areas")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get("code"))
            .collect::<Result<_, _>>()?;
        let mut problems = Vec::new();
        let mut codes = HashMap::new();
        for (index, row) in rows.iter().enumerate() {
            let c = match row.compound.clone().checked() {
                Ok(c) => c,
                Err(e) => {
                    use gongzhi_domain::Bilingual;
                    let column = match e.field().as_deref() {
                        Some("code") => "小区编号",
                        Some("name") => "小区名称",
                        Some("community") => "所属社区",
                        Some("address") => "地址",
                        Some("lon") => "经度",
                        Some("lat") => "纬度",
                        Some("property_company") => "物业公司",
                        _ => "小区",
                    };
                    problems.push(RowProblem {
                        index,
                        column,
                        value: String::new(),
                        message_zh: e.message_zh(),
                        message_en: e.message_en(),
                    });
                    continue;
                }
            };
            if let Some(first) = codes.insert(c.code.clone(), index) {
                problems.push(RowProblem {
                    index,
                    column: "小区编号",
                    value: c.code.clone(),
                    message_zh: format!("小区编号 {} 与第 {} 行重复", c.code, first + 2),
                    message_en: format!("compound code {} repeats row {}", c.code, first + 2),
                });
            }
            if !areas.contains(c.community.as_str()) {
                problems.push(RowProblem {
                    index,
                    column: "所属社区",
                    value: c.community.to_string(),
                    message_zh: format!("社区 {} 不存在", c.community),
                    message_en: format!("community {} does not exist", c.community),
                });
            }
            for b in &row.buildings {
                match buildings.get(b) {
                    Some((_, community)) if community == c.community.as_str() => {}
                    Some(_) => problems.push(RowProblem {
                        index,
                        column: "楼栋编号",
                        value: b.clone(),
                        message_zh: format!("楼栋 {b} 不在社区 {} 内", c.community),
                        message_en: format!("building {b} is not in community {}", c.community),
                    }),
                    None => problems.push(RowProblem {
                        index,
                        column: "楼栋编号",
                        value: b.clone(),
                        message_zh: format!("楼栋 {b} 不存在"),
                        message_en: format!("building {b} does not exist"),
                    }),
                }
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Rows(problems));
        }
        let mut tx = self.party_tx(actor).await?;
        let (mut created, mut updated) = (0, 0);
        for row in rows {
            if tx.upsert_compound(row).await?.1 {
                created += 1;
            } else {
                updated += 1;
            }
        }
        tx.commit().await?;
        Ok((created, updated))
    }

    pub async fn compound(&self, id: i64) -> Result<Option<CompoundRow>, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE c.id = ").bind(Arg::Int(id));
        let row = sql.query(self.backend).fetch_optional(&self.pool).await?;
        row.as_ref().map(compound_row).transpose()
    }

    /// Compounds inside an area (all when `None`), by code.
    pub async fn compounds(&self, f: &CompoundFilter) -> Result<Vec<CompoundRow>, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE 1 = 1");
        if let Some(a) = &f.area {
            sql.push(" AND c.community_code LIKE ")
                .bind(Arg::Text(inside(a)));
        }
        if let Some(n) = f.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            sql.push(" AND c.name LIKE ")
                .bind(Arg::Text(format!("%{n}%")));
        }
        sql.push(" ORDER BY c.code LIMIT 5000");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(compound_row).collect()
    }

    /// The codes of a compound's buildings, in code order.
    pub async fn compound_buildings(&self, id: i64) -> Result<Vec<String>, StoreError> {
        sqlx::query("SELECT code FROM buildings WHERE compound_id = $1 ORDER BY code")
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get("code").map_err(StoreError::from))
            .collect()
    }
}
