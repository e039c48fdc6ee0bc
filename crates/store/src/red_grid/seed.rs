//! The demo city's red grid, written in one transaction: its red grid members' accounts (one
//! password hash for all of them: hashing hundreds of demo passwords would hold up the demo's
//! start for a minute), roles, links and weeks of visits, each record logged as any write is.
//! The rules were applied when the demo drew them (`gongzhi_demo::red_grid`).

use super::log;
use super::visits::{NewVisit, insert_visit};
use crate::accounts::{hash_password, scope_to_db};
use crate::audit::Actor;
use crate::db::Store;
use crate::error::StoreError;
use crate::{EventActor, Millis, now_millis};
use gongzhi_domain::access::{Role, Scope};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::GridCode;
use gongzhi_domain::red_grid::GridRoleKind;
use serde_json::json;
use sqlx::Row;
use std::collections::BTreeMap;

/// A role to write; `account` indexes the accounts written with it.
#[derive(Clone, Debug)]
pub struct SeedRole {
    pub grid: GridCode,
    pub kind: GridRoleKind,
    pub account: Option<usize>,
    pub member_id: Option<i64>,
    pub person_name: String,
    pub started_on: Date,
}

/// A link of `household_id` to the role at index `role`.
#[derive(Clone, Debug)]
pub struct SeedLink {
    pub role: usize,
    pub household_id: i64,
    pub linked_on: Date,
}

/// A visit by the account at index `visitor`, written as of `at`.
#[derive(Clone, Debug)]
pub struct SeedVisit {
    pub visitor: usize,
    pub visit: NewVisit,
    pub at: Millis,
}

/// A red grid member's demo account: (login, display name, grid).
pub type SeedAccount = (String, String, GridCode);

impl Store {
    /// Households by grid, in code order: (id, code).
    pub async fn household_ids_by_grid(
        &self,
    ) -> Result<BTreeMap<GridCode, Vec<(i64, String)>>, StoreError> {
        let rows =
            sqlx::query("SELECT id, code, grid_code FROM households ORDER BY grid_code, code")
                .fetch_all(&self.pool)
                .await?;
        let mut out: BTreeMap<GridCode, Vec<(i64, String)>> = BTreeMap::new();
        for r in &rows {
            let grid: String = r.try_get("grid_code")?;
            let grid =
                GridCode::parse(&grid).map_err(|e| StoreError::corrupt(format!("grid {e}")))?;
            out.entry(grid)
                .or_default()
                .push((r.try_get("id")?, r.try_get("code")?));
        }
        Ok(out)
    }

    /// Party members on the roll by the grid they live in: (id, name).
    pub async fn party_members_by_grid(
        &self,
    ) -> Result<BTreeMap<GridCode, Vec<(i64, String)>>, StoreError> {
        let rows = sqlx::query(
            "SELECT m.id, m.name, h.grid_code FROM party_members m JOIN households h ON h.id = m.household_id
             WHERE m.left_on IS NULL ORDER BY h.grid_code, m.id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out: BTreeMap<GridCode, Vec<(i64, String)>> = BTreeMap::new();
        for r in &rows {
            let grid: String = r.try_get("grid_code")?;
            let grid =
                GridCode::parse(&grid).map_err(|e| StoreError::corrupt(format!("grid {e}")))?;
            out.entry(grid)
                .or_default()
                .push((r.try_get("id")?, r.try_get("name")?));
        }
        Ok(out)
    }

    /// Party members on the roll living in `grid`: (id, name).
    pub async fn party_members_in_grid(
        &self,
        grid: &GridCode,
    ) -> Result<Vec<(i64, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT m.id, m.name FROM party_members m JOIN households h ON h.id = m.household_id
             WHERE m.left_on IS NULL AND h.grid_code = $1 ORDER BY m.id",
        )
        .bind(grid.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
            .collect()
    }

    /// Writes the demo's red grid members' accounts (all with `password`), then the roles,
    /// links and visits, in one transaction. Returns the accounts' and the visits' ids.
    pub async fn seed_red_grid(
        &self,
        accounts: &[SeedAccount],
        password: &str,
        roles: &[SeedRole],
        links: &[SeedLink],
        visits: &[SeedVisit],
        by: &EventActor,
    ) -> Result<(Vec<i64>, Vec<i64>), StoreError> {
        let hash = if accounts.is_empty() {
            String::new()
        } else {
            hash_password(password)?
        };
        let now = now_millis();
        let mut tx = self.write_tx().await?;
        let audit = Actor {
            id: by.account_id,
            name: &by.name,
        };
        let mut account_ids = Vec::with_capacity(accounts.len());
        for (username, name, grid) in accounts {
            let scope = Scope::Grid(*grid);
            let id: i64 = sqlx::query(
                "INSERT INTO accounts (username, display_name, role, scope, can_unmask, password_hash, is_demo, created_at)
                 VALUES ($1, $2, $3, $4, 0, $5, 1, $6) RETURNING id",
            )
            .bind(username)
            .bind(name)
            .bind(Role::RedMember.as_str())
            .bind(scope_to_db(&scope))
            .bind(&hash)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
            audit
                .record(
                    &mut tx,
                    "account.create",
                    &format!("account:{username}"),
                    &format!(
                        "role={} scope={} can_unmask=false",
                        Role::RedMember.as_str(),
                        scope_to_db(&scope)
                    ),
                )
                .await?;
            account_ids.push(id);
        }
        let account = |i: Option<usize>| -> Result<Option<i64>, StoreError> {
            i.map(|i| {
                account_ids
                    .get(i)
                    .copied()
                    .ok_or_else(|| StoreError::corrupt(format!("demo account {i}")))
            })
            .transpose()
        };
        let mut role_ids = Vec::with_capacity(roles.len());
        for r in roles {
            let account_id = account(r.account)?;
            let id: i64 = sqlx::query(
                "INSERT INTO grid_roles (grid_code, role, account_id, member_id, person_name, started_on, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(r.grid.as_str())
            .bind(r.kind.as_str())
            .bind(account_id)
            .bind(r.member_id)
            .bind(&r.person_name)
            .bind(r.started_on.to_string())
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
                    "grid": r.grid.as_str(),
                    "role": r.kind.as_str(),
                    "member": r.member_id,
                    "account": account_id,
                    "name": r.person_name,
                    "started_on": r.started_on.to_string(),
                }),
                by,
                now,
            )
            .await?;
            role_ids.push((id, account_id, r.grid));
        }
        for l in links {
            let (role, account_id, grid) = *role_ids
                .get(l.role)
                .ok_or_else(|| StoreError::corrupt(format!("demo role {}", l.role)))?;
            let account_id =
                account_id.ok_or_else(|| StoreError::corrupt("a demo link without an account"))?;
            let id: i64 = sqlx::query(
                "INSERT INTO household_links (role_id, account_id, household_id, grid_code, linked_on, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(role)
            .bind(account_id)
            .bind(l.household_id)
            .bind(grid.as_str())
            .bind(l.linked_on.to_string())
            .bind(now)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
            log(
                &mut tx,
                format!("household_link/{id}"),
                "created",
                json!({
                    "type": "created",
                    "grid": grid.as_str(),
                    "household": l.household_id,
                    "role": GridRoleKind::RedMember.as_str(),
                    "holder": role,
                    "linked_on": l.linked_on.to_string(),
                }),
                by,
                now,
            )
            .await?;
        }
        let mut visit_ids = Vec::with_capacity(visits.len());
        for v in visits {
            let visitor = account(Some(v.visitor))?.unwrap_or_default();
            let visit = NewVisit {
                visitor_id: visitor,
                ..v.visit.clone()
            };
            let actor = EventActor {
                account_id: Some(visitor),
                name: visit.visitor_name.clone(),
            };
            visit_ids.push(insert_visit(&mut tx, &visit, &actor, v.at).await?.0);
        }
        tx.commit().await?;
        Ok((account_ids, visit_ids))
    }
}
