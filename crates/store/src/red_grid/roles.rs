//! Grid roles: given after the domain checks them against the roles the grid holds now, ended
//! with the households they served (the households then wait for another member).

use super::{WriteResult, date_col, log, opt_date_col};
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use crate::{EventActor, now_millis};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::GridCode;
use gongzhi_domain::red_grid::{ActiveRole, GridRoleDraft, GridRoleKind, RedGridError};
use serde_json::json;
use sqlx::{AnyConnection, Row};

use super::GridRoleRow;
use super::lists::RedGridFilter;

pub(super) const ROLE_SELECT: &str = "SELECT r.id, r.grid_code, r.role, r.account_id, a.username,
    r.member_id, m.name AS member_name, r.person_name, r.started_on, r.ended_on,
    (SELECT COUNT(*) FROM household_links l WHERE l.role_id = r.id AND l.ended_on IS NULL) AS households
    FROM grid_roles r
    LEFT JOIN accounts a ON a.id = r.account_id
    LEFT JOIN party_members m ON m.id = r.member_id";

pub(super) fn role_row(r: &sqlx::any::AnyRow) -> Result<GridRoleRow, StoreError> {
    let grid: String = r.try_get("grid_code")?;
    let kind: String = r.try_get("role")?;
    Ok(GridRoleRow {
        id: r.try_get("id")?,
        grid: GridCode::parse(&grid).map_err(|e| StoreError::corrupt(format!("grid {e}")))?,
        kind: GridRoleKind::parse(&kind)
            .ok_or_else(|| StoreError::corrupt(format!("grid role {kind}")))?,
        account_id: r.try_get("account_id")?,
        username: r.try_get("username")?,
        member_id: r.try_get("member_id")?,
        member_name: r.try_get("member_name")?,
        person_name: r.try_get("person_name")?,
        started_on: date_col(r, "started_on")?,
        ended_on: opt_date_col(r, "ended_on")?,
        households: r.try_get("households")?,
    })
}

/// The roles `grid` holds now, for the domain's checks.
async fn active_roles(
    conn: &mut AnyConnection,
    grid: &GridCode,
) -> Result<Vec<ActiveRole>, StoreError> {
    let rows = sqlx::query(
        "SELECT role, account_id, person_name FROM grid_roles WHERE grid_code = $1 AND ended_on IS NULL",
    )
    .bind(grid.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("role")?;
            Ok(ActiveRole {
                kind: GridRoleKind::parse(&kind)
                    .ok_or_else(|| StoreError::corrupt(format!("grid role {kind}")))?,
                account_id: r.try_get("account_id")?,
                person_name: r.try_get("person_name")?,
            })
        })
        .collect()
}

impl Store {
    /// Gives a role: the domain checks it against the grid's current roles inside the
    /// transaction, which also logs it.
    pub async fn add_grid_role(&self, d: &GridRoleDraft, by: &EventActor) -> WriteResult<i64> {
        let mut tx = self.write_tx().await?;
        // Serialises role changes of one grid on PostgreSQL: two leaders given at once cannot
        // both see none.
        sqlx::query("UPDATE grids SET name = name WHERE code = $1")
            .bind(d.grid.as_str())
            .execute(&mut *tx)
            .await?;
        let active = active_roles(&mut tx, &d.grid).await?;
        let d = d.clone().checked(&active)?;
        let now = now_millis();
        let account_id = d.account.as_ref().map(|a| a.account_id);
        let id: i64 = sqlx::query(
            "INSERT INTO grid_roles (grid_code, role, account_id, member_id, person_name, started_on, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(d.grid.as_str())
        .bind(d.kind.as_str())
        .bind(account_id)
        .bind(d.member)
        .bind(&d.person_name)
        .bind(d.started_on.to_string())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        log(
            &mut tx,
            format!("grid_role/{id}"),
            "created",
            json!({
                "type": "created",
                "grid": d.grid.as_str(),
                "role": d.kind.as_str(),
                "member": d.member,
                "account": account_id,
                "name": d.person_name,
                "started_on": d.started_on.to_string(),
            }),
            by,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn grid_role(&self, id: i64) -> Result<Option<GridRoleRow>, StoreError> {
        let row = sqlx::query(crate::cases::AssertSql::new(format!(
            "{ROLE_SELECT} WHERE r.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(role_row).transpose()
    }

    /// Roles in the filter's area or grid (all, or only those held now), by grid and kind.
    pub async fn grid_roles(
        &self,
        f: &RedGridFilter,
        current_only: bool,
    ) -> Result<Vec<GridRoleRow>, StoreError> {
        let mut sql = Sql::new(&format!("{ROLE_SELECT} WHERE 1 = 1"));
        f.place(&mut sql, "r.grid_code");
        if let Some(a) = f.account {
            sql.push(" AND r.account_id = ").bind(Arg::Int(a));
        }
        if current_only {
            sql.push(" AND r.ended_on IS NULL");
        }
        sql.push(" ORDER BY r.grid_code, r.role, r.id LIMIT 20000");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(role_row).collect()
    }

    /// A party member's name on the roll (`party_members`), if there is such a member.
    pub async fn party_member_name(&self, id: i64) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT name FROM party_members WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| r.try_get("name"))
            .transpose()
            .map_err(Into::into)
    }

    /// The red grid member's role the account holds now, if any.
    pub async fn red_member_role_of(
        &self,
        account: i64,
    ) -> Result<Option<GridRoleRow>, StoreError> {
        let row = sqlx::query(crate::cases::AssertSql::new(format!(
            "{ROLE_SELECT} WHERE r.account_id = $1 AND r.role = 'red_member' AND r.ended_on IS NULL ORDER BY r.id LIMIT 1"
        )))
        .bind(account)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(role_row).transpose()
    }

    /// Ends a role on `ended_on`, and with it the links of its households, each logged.
    pub async fn end_grid_role(&self, id: i64, ended_on: Date, by: &EventActor) -> WriteResult<()> {
        let mut tx = self.write_tx().await?;
        let row = sqlx::query("SELECT started_on, ended_on FROM grid_roles WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                StoreError::not_found(format!("网格职务 {id}"), format!("grid role {id}"))
            })?;
        if opt_date_col(&row, "ended_on")?.is_some() {
            return Err(RedGridError::RoleEnded.into());
        }
        if ended_on < date_col(&row, "started_on")? {
            return Err(RedGridError::EndBeforeStart.into());
        }
        let now = now_millis();
        let links = sqlx::query(
            "SELECT id, household_id FROM household_links WHERE role_id = $1 AND ended_on IS NULL ORDER BY id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        for l in &links {
            let link: i64 = l.try_get("id")?;
            let household: i64 = l.try_get("household_id")?;
            super::links::end_link_in(&mut tx, link, household, ended_on, by, now).await?;
        }
        sqlx::query("UPDATE grid_roles SET ended_on = $1 WHERE id = $2")
            .bind(ended_on.to_string())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        log(
            &mut tx,
            format!("grid_role/{id}"),
            "ended",
            json!({"type": "ended", "ended_on": ended_on.to_string(), "households": links.len()}),
            by,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
