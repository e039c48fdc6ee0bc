//! 双找: the community finds members among its residents (找党员: residents whose political
//! status says 党员, with or without a member record).

use super::inside;
use crate::db::Store;
use crate::error::StoreError;
use crate::population::Page;
use crate::sql::{Arg, Sql};
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::population::PoliticalStatus;
use serde::Serialize;
use sqlx::Row;

/// A resident whose political status is 中共党员 or 中共预备党员.
#[derive(Clone, Debug, Serialize)]
pub struct PartyResidentRow {
    pub resident_id: i64,
    pub household_id: i64,
    pub household_code: String,
    pub name: String,
    pub gender: String,
    pub birth_year: i64,
    pub political_status: PoliticalStatus,
    pub grid_code: String,
    pub compound_id: Option<i64>,
    pub compound_name: Option<String>,
    /// The member record, once found and confirmed.
    pub member_id: Option<i64>,
}

#[derive(Clone, Debug, Default)]
pub struct PartyResidentFilter {
    pub area: Option<AreaCode>,
    pub compound: Option<i64>,
    /// `Some(false)`: only residents without a member record (still to be found).
    pub registered: Option<bool>,
    pub name: Option<String>,
    pub page: Page,
}

const FROM: &str = " FROM residents r
    JOIN households h ON h.id = r.household_id
    JOIN buildings b ON b.id = h.building_id
    LEFT JOIN compounds c ON c.id = b.compound_id
    LEFT JOIN party_members m ON m.resident_id = r.id
    WHERE r.political_status IN ('中共党员', '中共预备党员')";

fn filter(sql: &mut Sql, f: &PartyResidentFilter) {
    if let Some(a) = &f.area {
        sql.push(" AND r.grid_code LIKE ")
            .bind(Arg::Text(inside(a)));
    }
    if let Some(c) = f.compound {
        sql.push(" AND b.compound_id = ").bind(Arg::Int(c));
    }
    match f.registered {
        Some(true) => {
            sql.push(" AND m.id IS NOT NULL");
        }
        Some(false) => {
            sql.push(" AND m.id IS NULL");
        }
        None => {}
    }
    if let Some(n) = f.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        sql.push(" AND r.name LIKE ")
            .bind(Arg::Text(format!("%{n}%")));
    }
}

impl Store {
    /// 找党员: residents whose political status says 党员, by household.
    pub async fn party_residents(
        &self,
        f: &PartyResidentFilter,
    ) -> Result<Vec<PartyResidentRow>, StoreError> {
        let mut sql = Sql::new(
            "SELECT r.id, r.household_id, h.code AS household_code, r.name, r.gender, r.birth_year,
             r.political_status, r.grid_code, b.compound_id, c.name AS compound_name, m.id AS member_id",
        );
        sql.push(FROM);
        filter(&mut sql, f);
        sql.push(" ORDER BY h.code, r.id LIMIT ")
            .bind(Arg::Int(f.page.limit))
            .push(" OFFSET ")
            .bind(Arg::Int(f.page.offset));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get("political_status")?;
                Ok(PartyResidentRow {
                    resident_id: r.try_get("id")?,
                    household_id: r.try_get("household_id")?,
                    household_code: r.try_get("household_code")?,
                    name: r.try_get("name")?,
                    gender: r.try_get("gender")?,
                    birth_year: r.try_get("birth_year")?,
                    political_status: PoliticalStatus::parse(&status)
                        .map_err(|e| StoreError::corrupt(format!("political status: {e}")))?,
                    grid_code: r.try_get("grid_code")?,
                    compound_id: r.try_get("compound_id")?,
                    compound_name: r.try_get("compound_name")?,
                    member_id: r.try_get("member_id")?,
                })
            })
            .collect()
    }

    pub async fn count_party_residents(&self, f: &PartyResidentFilter) -> Result<i64, StoreError> {
        let mut sql = Sql::new("SELECT COUNT(*) AS n");
        sql.push(FROM);
        filter(&mut sql, f);
        Ok(sql
            .query(self.backend)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }
}
