//! 联户: a household served by a red grid member. Linking counts the member's households inside
//! the transaction, after locking the member's role row, so that two links at once cannot pass
//! the maximum; the domain (`LinkSettings::admit`) refuses or warns.

use super::lists::RedGridFilter;
use super::{HouseholdLinkRow, LinkedHouseholdRow, WriteResult, date_col, log, opt_date_col};
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use crate::{EventActor, Millis, now_millis};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::GridCode;
use gongzhi_domain::red_grid::{GridRoleKind, LinkSettings, LinkWarning, RedGridError};
use serde_json::json;
use sqlx::{AnyConnection, Row};

fn grid_col(r: &sqlx::any::AnyRow, col: &str) -> Result<GridCode, StoreError> {
    let s: String = r.try_get(col)?;
    GridCode::parse(&s).map_err(|e| StoreError::corrupt(format!("{col}: {e}")))
}

const LINK_SELECT: &str =
    "SELECT l.id, l.role_id, l.account_id, r.person_name AS holder, l.household_id,
    h.code AS household_code, l.grid_code, l.linked_on, l.ended_on
    FROM household_links l
    JOIN grid_roles r ON r.id = l.role_id
    JOIN households h ON h.id = l.household_id";

fn link_row(r: &sqlx::any::AnyRow) -> Result<HouseholdLinkRow, StoreError> {
    Ok(HouseholdLinkRow {
        id: r.try_get("id")?,
        role_id: r.try_get("role_id")?,
        account_id: r.try_get("account_id")?,
        holder: r.try_get("holder")?,
        household_id: r.try_get("household_id")?,
        household_code: r.try_get("household_code")?,
        grid: grid_col(r, "grid_code")?,
        linked_on: date_col(r, "linked_on")?,
        ended_on: opt_date_col(r, "ended_on")?,
    })
}

/// Households with their current link (if any), visits and last visit.
const HOUSEHOLD_SELECT: &str =
    "SELECT h.id, h.code, h.grid_code, b.address, b.name AS building_name, h.room,
    b.lon, b.lat,
    (SELECT COUNT(*) FROM residents x WHERE x.household_id = h.id) AS member_count,
    l.id AS link_id, l.role_id, l.account_id, r.person_name AS holder, l.linked_on,
    (SELECT COUNT(*) FROM visits v WHERE v.household_id = h.id) AS visits,
    (SELECT MAX(v.visited_on) FROM visits v WHERE v.household_id = h.id) AS last_visit
    FROM households h
    JOIN buildings b ON b.id = h.building_id
    LEFT JOIN household_links l ON l.household_id = h.id AND l.ended_on IS NULL
    LEFT JOIN grid_roles r ON r.id = l.role_id";

fn household_row(r: &sqlx::any::AnyRow) -> Result<LinkedHouseholdRow, StoreError> {
    Ok(LinkedHouseholdRow {
        household_id: r.try_get("id")?,
        household_code: r.try_get("code")?,
        grid: grid_col(r, "grid_code")?,
        place: super::place_text(
            &r.try_get::<String, _>("address")?,
            &r.try_get::<String, _>("building_name")?,
            &r.try_get::<String, _>("room")?,
        ),
        address: r.try_get("address")?,
        building_name: r.try_get("building_name")?,
        room: r.try_get("room")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        member_count: r.try_get("member_count")?,
        link_id: r.try_get("link_id")?,
        role_id: r.try_get("role_id")?,
        account_id: r.try_get("account_id")?,
        holder: r.try_get("holder")?,
        linked_on: opt_date_col(r, "linked_on")?,
        visits: r.try_get("visits")?,
        last_visit: opt_date_col(r, "last_visit")?,
    })
}

/// Ends one link inside the caller's transaction, logged.
pub(super) async fn end_link_in(
    conn: &mut AnyConnection,
    id: i64,
    household: i64,
    ended_on: Date,
    by: &EventActor,
    at: Millis,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE household_links SET ended_on = $1 WHERE id = $2 AND ended_on IS NULL")
        .bind(ended_on.to_string())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    log(
        conn,
        format!("household_link/{id}"),
        "ended",
        json!({"type": "ended", "household": household, "ended_on": ended_on.to_string()}),
        by,
        at,
    )
    .await?;
    Ok(())
}

/// Households the role serves now.
async fn count_links(conn: &mut AnyConnection, role: i64) -> Result<u32, StoreError> {
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM household_links WHERE role_id = $1 AND ended_on IS NULL",
    )
    .bind(role)
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

impl Store {
    /// Links a household to a red grid member's role under the bounds `s`: refused past the
    /// maximum, when the household has a member already or lies in another grid, or when the
    /// role has ended or is not a red grid member's; below the minimum it is linked with a
    /// warning. Returns the link and the warning.
    pub async fn link_household(
        &self,
        role: i64,
        household: i64,
        linked_on: Date,
        s: &LinkSettings,
        by: &EventActor,
    ) -> WriteResult<(i64, Option<LinkWarning>)> {
        let now = now_millis();
        let mut tx = self.write_tx().await?;
        // Locks the member's role row on PostgreSQL (SQLite writes one at a time already), so
        // the count below is the member's count until this transaction ends.
        let locked = sqlx::query("UPDATE grid_roles SET links_changed_at = $1 WHERE id = $2")
            .bind(now)
            .bind(role)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if locked != 1 {
            return Err(StoreError::not_found(
                format!("网格职务 {role}"),
                format!("grid role {role}"),
            )
            .into());
        }
        let r = sqlx::query(
            "SELECT grid_code, role, account_id, person_name, ended_on FROM grid_roles WHERE id = $1",
        )
        .bind(role)
        .fetch_one(&mut *tx)
        .await?;
        let kind: String = r.try_get("role")?;
        if GridRoleKind::parse(&kind) != Some(GridRoleKind::RedMember) {
            return Err(RedGridError::NotRedMember.into());
        }
        if opt_date_col(&r, "ended_on")?.is_some() {
            return Err(RedGridError::RoleEnded.into());
        }
        let grid = grid_col(&r, "grid_code")?;
        let holder: String = r.try_get("person_name")?;
        let account: Option<i64> = r.try_get("account_id")?;
        let account = account.ok_or(RedGridError::AccountRequired)?;
        let h = sqlx::query("SELECT grid_code FROM households WHERE id = $1")
            .bind(household)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                StoreError::not_found(
                    format!("住户 {household}"),
                    format!("household {household}"),
                )
            })?;
        if grid_col(&h, "grid_code")? != grid {
            return Err(RedGridError::HouseholdOutsideGrid.into());
        }
        let taken = sqlx::query(
            "SELECT r.person_name FROM household_links l JOIN grid_roles r ON r.id = l.role_id
             WHERE l.household_id = $1 AND l.ended_on IS NULL",
        )
        .bind(household)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(t) = taken {
            return Err(RedGridError::HouseholdTaken {
                holder: t.try_get("person_name")?,
            }
            .into());
        }
        let warning = s.admit(&holder, count_links(&mut tx, role).await?)?;
        let inserted = sqlx::query(
            "INSERT INTO household_links (role_id, account_id, household_id, grid_code, linked_on, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(role)
        .bind(account)
        .bind(household)
        .bind(grid.as_str())
        .bind(linked_on.to_string())
        .bind(now)
        .fetch_one(&mut *tx)
        .await;
        let id: i64 = match inserted {
            Ok(row) => row.try_get("id")?,
            // Another member took the household between the check and the insert.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(RedGridError::HouseholdTaken {
                    holder: String::new(),
                }
                .into());
            }
            Err(e) => return Err(e.into()),
        };
        log(
            &mut tx,
            format!("household_link/{id}"),
            "created",
            json!({
                "type": "created",
                "grid": grid.as_str(),
                "household": household,
                "role": GridRoleKind::RedMember.as_str(),
                "holder": role,
                "linked_on": linked_on.to_string(),
            }),
            by,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok((id, warning))
    }

    /// Ends a link on `ended_on`; returns the member's role and the warning its remaining
    /// households give under `s`.
    pub async fn end_household_link(
        &self,
        id: i64,
        ended_on: Date,
        s: &LinkSettings,
        by: &EventActor,
    ) -> WriteResult<Option<LinkWarning>> {
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(
            "SELECT l.household_id, l.role_id, l.linked_on, l.ended_on, r.person_name
             FROM household_links l JOIN grid_roles r ON r.id = l.role_id WHERE l.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("联户关系 {id}"), format!("link {id}")))?;
        if opt_date_col(&row, "ended_on")?.is_some() {
            return Err(
                StoreError::not_found(format!("联户关系 {id}"), format!("link {id}")).into(),
            );
        }
        if ended_on < date_col(&row, "linked_on")? {
            return Err(RedGridError::EndBeforeStart.into());
        }
        let role: i64 = row.try_get("role_id")?;
        let holder: String = row.try_get("person_name")?;
        end_link_in(
            &mut tx,
            id,
            row.try_get("household_id")?,
            ended_on,
            by,
            now_millis(),
        )
        .await?;
        let left = count_links(&mut tx, role).await?;
        tx.commit().await?;
        Ok(s.warning(&holder, left))
    }

    pub async fn household_link(&self, id: i64) -> Result<Option<HouseholdLinkRow>, StoreError> {
        let row = sqlx::query(crate::cases::AssertSql::new(format!(
            "{LINK_SELECT} WHERE l.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(link_row).transpose()
    }

    /// Links in the filter (its account: that member's), current only or with history.
    pub async fn household_links(
        &self,
        f: &RedGridFilter,
        current_only: bool,
    ) -> Result<Vec<HouseholdLinkRow>, StoreError> {
        let mut sql = Sql::new(&format!("{LINK_SELECT} WHERE 1 = 1"));
        f.place(&mut sql, "l.grid_code");
        if let Some(a) = f.account {
            sql.push(" AND l.account_id = ").bind(Arg::Int(a));
        }
        if let Some(h) = f.household {
            sql.push(" AND l.household_id = ").bind(Arg::Int(h));
        }
        if current_only {
            sql.push(" AND l.ended_on IS NULL");
        }
        sql.push(" ORDER BY l.grid_code, l.role_id, h.code LIMIT 20000");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(link_row).collect()
    }

    /// Households with their red grid member now: with an account, only that member's; else
    /// every household of the filter's grid or area (at most `limit`), served or not.
    pub async fn red_grid_households(
        &self,
        f: &RedGridFilter,
        limit: i64,
    ) -> Result<Vec<LinkedHouseholdRow>, StoreError> {
        let mut sql = Sql::new(&format!("{HOUSEHOLD_SELECT} WHERE 1 = 1"));
        f.place(&mut sql, "h.grid_code");
        if let Some(a) = f.account {
            sql.push(" AND l.account_id = ").bind(Arg::Int(a));
        }
        if let Some(h) = f.household {
            sql.push(" AND h.id = ").bind(Arg::Int(h));
        }
        sql.push(" ORDER BY h.grid_code, h.code LIMIT ")
            .bind(Arg::Int(limit));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(household_row).collect()
    }

    /// One household with its red grid member now.
    pub async fn red_grid_household(
        &self,
        household: i64,
    ) -> Result<Option<LinkedHouseholdRow>, StoreError> {
        let f = RedGridFilter {
            household: Some(household),
            ..Default::default()
        };
        Ok(self.red_grid_households(&f, 1).await?.into_iter().next())
    }
}
