//! 驻区单位 / 两新组织 (`party_units`) with their organisation or none, and the meetings the
//! organisations held (三会一课, kept by the meetings module in `party_meetings`: counted here
//! when that table is there, `None` when it is not).

use super::{PartyTx, area, inside, refused};
use crate::Millis;
use crate::audit::Actor;
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_domain::party::members::{self, OrgView};
use gongzhi_domain::party::{Unit, UnitKind};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;
use std::collections::HashMap;

#[derive(Clone, Debug, Serialize)]
pub struct UnitRow {
    pub id: i64,
    #[serde(flatten)]
    pub record: Unit,
    pub org_name: Option<String>,
    pub org_dissolved: bool,
    /// Members of the unit's organisation itself (not left).
    pub org_members: i64,
    pub created_at: Millis,
}

#[derive(Clone, Debug, Default)]
pub struct UnitFilter {
    pub area: Option<AreaCode>,
    pub kind: Option<UnitKind>,
    /// `Some(true)`: only units with an organisation; `Some(false)`: only those without.
    pub covered: Option<bool>,
}

const SELECT: &str = "SELECT u.id, u.name, u.kind, u.community_code, u.grid_code, u.address,
    u.employees, u.org_id, u.created_at, o.name AS org_name, o.dissolved_on AS org_dissolved_on,
    (SELECT COUNT(*) FROM party_members m WHERE m.org_id = u.org_id AND m.left_on IS NULL) AS org_members
    FROM party_units u LEFT JOIN party_orgs o ON o.id = u.org_id";

fn unit_row(r: &sqlx::any::AnyRow) -> Result<UnitRow, StoreError> {
    let kind: String = r.try_get("kind")?;
    let grid: Option<String> = r.try_get("grid_code")?;
    let dissolved: Option<String> = r.try_get("org_dissolved_on")?;
    Ok(UnitRow {
        id: r.try_get("id")?,
        record: Unit {
            name: r.try_get("name")?,
            kind: UnitKind::parse(&kind)
                .ok_or_else(|| StoreError::corrupt(format!("unit kind {kind}")))?,
            community: area(r, "community_code")?,
            grid: grid
                .map(|g| GridCode::parse(&g).map_err(|e| StoreError::corrupt(format!("grid {e}"))))
                .transpose()?,
            address: r.try_get("address")?,
            employees: r.try_get("employees")?,
            org: r.try_get("org_id")?,
        },
        org_name: r.try_get("org_name")?,
        org_dissolved: dissolved.is_some(),
        org_members: r.try_get("org_members")?,
        created_at: r.try_get("created_at")?,
    })
}

impl PartyTx<'_> {
    async fn unit_org_check(&mut self, org: Option<i64>) -> Result<(), StoreError> {
        if let Some(o) = org {
            let r = sqlx::query("SELECT name, dissolved_on FROM party_orgs WHERE id = $1")
                .bind(o)
                .fetch_optional(&mut *self.tx)
                .await?
                .ok_or_else(|| {
                    StoreError::not_found(format!("党组织 {o}"), format!("party organisation {o}"))
                })?;
            let dissolved: Option<String> = r.try_get("dissolved_on")?;
            members::check_placement(Some(&OrgView {
                id: o,
                name: r.try_get("name")?,
                dissolved: dissolved.is_some(),
            }))
            .map_err(refused)?;
        }
        Ok(())
    }

    /// Records a unit in the area with its organisation (never a dissolved one) or none.
    pub async fn create_unit(&mut self, u: &Unit) -> Result<i64, StoreError> {
        let u = u.clone().checked().map_err(refused)?;
        self.require_area(&u.community).await?;
        self.require_grid(u.grid.as_ref()).await?;
        self.unit_org_check(u.org).await?;
        let id: i64 = sqlx::query(
            "INSERT INTO party_units (name, kind, community_code, grid_code, address, employees, org_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&u.name)
        .bind(u.kind.as_str())
        .bind(u.community.as_str())
        .bind(u.grid.map(|g| g.to_string()))
        .bind(&u.address)
        .bind(u.employees)
        .bind(u.org)
        .bind(self.now)
        .fetch_one(&mut *self.tx)
        .await?
        .try_get("id")?;
        self.log(
            format!("party_unit/{id}"),
            "created",
            unit_payload("created", id, &u),
        )
        .await?;
        Ok(id)
    }

    /// Changes a unit (its organisation set up or gone, its size …).
    pub async fn update_unit(&mut self, id: i64, u: &Unit) -> Result<(), StoreError> {
        let u = u.clone().checked().map_err(refused)?;
        self.require_area(&u.community).await?;
        self.require_grid(u.grid.as_ref()).await?;
        self.unit_org_check(u.org).await?;
        let n = sqlx::query(
            "UPDATE party_units SET name = $1, kind = $2, community_code = $3, grid_code = $4,
             address = $5, employees = $6, org_id = $7 WHERE id = $8",
        )
        .bind(&u.name)
        .bind(u.kind.as_str())
        .bind(u.community.as_str())
        .bind(u.grid.map(|g| g.to_string()))
        .bind(&u.address)
        .bind(u.employees)
        .bind(u.org)
        .bind(id)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Err(StoreError::not_found(
                format!("单位 {id}"),
                format!("unit {id}"),
            ));
        }
        self.log(
            format!("party_unit/{id}"),
            "modified",
            unit_payload("modified", id, &u),
        )
        .await?;
        Ok(())
    }
}

fn unit_payload(kind: &str, id: i64, u: &Unit) -> serde_json::Value {
    json!({
        "type": kind,
        "unit": id,
        "kind": u.kind.as_str(),
        "org": u.org,
        "name": u.name,
        "employees": u.employees,
    })
}

impl Store {
    pub async fn create_unit(&self, u: &Unit, actor: &Actor<'_>) -> Result<i64, StoreError> {
        let mut tx = self.party_tx(actor).await?;
        let id = tx.create_unit(u).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_unit(
        &self,
        id: i64,
        u: &Unit,
        actor: &Actor<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.party_tx(actor).await?;
        tx.update_unit(id, u).await?;
        tx.commit().await
    }

    pub async fn unit(&self, id: i64) -> Result<Option<UnitRow>, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE u.id = ").bind(Arg::Int(id));
        let row = sql.query(self.backend).fetch_optional(&self.pool).await?;
        row.as_ref().map(unit_row).transpose()
    }

    pub async fn units(&self, f: &UnitFilter) -> Result<Vec<UnitRow>, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE 1 = 1");
        if let Some(a) = &f.area {
            sql.push(" AND u.community_code LIKE ")
                .bind(Arg::Text(inside(a)));
        }
        if let Some(k) = f.kind {
            sql.push(" AND u.kind = ")
                .bind(Arg::Text(k.as_str().into()));
        }
        match f.covered {
            Some(true) => {
                sql.push(" AND u.org_id IS NOT NULL");
            }
            Some(false) => {
                sql.push(" AND u.org_id IS NULL");
            }
            None => {}
        }
        sql.push(" ORDER BY u.community_code, u.id LIMIT 5000");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(unit_row).collect()
    }

    /// Meetings (三会一课) each organisation held on or after `since`, from the meetings
    /// module's `party_meetings` table; `None` when that table is not there (or not yet in
    /// the shape counted here: `org_id`, `held_on`), so that a unit shows "not recorded"
    /// rather than zero.
    pub async fn meetings_held_since(
        &self,
        since: Date,
    ) -> Result<Option<HashMap<i64, i64>>, StoreError> {
        let rows = sqlx::query(
            "SELECT org_id, COUNT(*) AS n FROM party_meetings WHERE held_on >= $1 GROUP BY org_id",
        )
        .bind(since.to_string())
        .fetch_all(&self.pool)
        .await;
        match rows {
            Ok(rows) => Ok(Some(
                rows.iter()
                    .map(|r| Ok((r.try_get("org_id")?, r.try_get("n")?)))
                    .collect::<Result<_, sqlx::Error>>()?,
            )),
            Err(sqlx::Error::Database(e)) => {
                tracing::debug!(error = %e, "party_meetings not counted");
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }
}
