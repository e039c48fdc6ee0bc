//! 报菜: the services a centre offers, with who may order them and when.

use super::centres::{CentrePlace, area_col, kind_col};
use super::rows::{MenuItemRow, NewMenuItem};
use super::{ServicesResult, log, not_found};
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use crate::{EventActor, now_millis};
use gongzhi_domain::services::{Eligibility, HouseholdTag, MAX_TEXT, Schedule, TimeSlot, required};
use serde_json::json;
use sqlx::Row;

pub(super) const ITEM_SELECT: &str = "SELECT m.id, m.centre_id, c.name AS centre_name,
    c.kind AS centre_kind, m.community_code, m.name, m.description, m.min_age, m.max_age,
    m.tags, m.weekdays, m.slots, m.capacity, m.active
    FROM service_menu_items m JOIN service_centres c ON c.id = m.centre_id";

fn json_col<T: serde::de::DeserializeOwned>(
    r: &sqlx::any::AnyRow,
    col: &str,
) -> Result<T, StoreError> {
    let s: String = r.try_get(col)?;
    serde_json::from_str(&s).map_err(|e| StoreError::corrupt(format!("{col}: {e}")))
}

pub(super) fn item_row(r: &sqlx::any::AnyRow) -> Result<MenuItemRow, StoreError> {
    let age = |c: &str| -> Result<Option<u32>, StoreError> {
        let v: Option<i64> = r.try_get(c)?;
        Ok(v.map(|v| u32::try_from(v).unwrap_or(0)))
    };
    let tags: Vec<HouseholdTag> = json_col(r, "tags")?;
    let slots: Vec<TimeSlot> = json_col(r, "slots")?;
    let active: i64 = r.try_get("active")?;
    let capacity: i64 = r.try_get("capacity")?;
    Ok(MenuItemRow {
        id: r.try_get("id")?,
        centre_id: r.try_get("centre_id")?,
        centre_name: r.try_get("centre_name")?,
        centre_kind: kind_col(r, "centre_kind")?,
        community: area_col(r, "community_code")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
        eligibility: Eligibility {
            min_age: age("min_age")?,
            max_age: age("max_age")?,
            any_tags: tags,
        },
        schedule: Schedule {
            weekdays: json_col(r, "weekdays")?,
            slots,
            capacity: u32::try_from(capacity).unwrap_or(0),
        },
        active: active != 0,
    })
}

/// Which menu items a list shows.
#[derive(Clone, Debug, Default)]
pub struct MenuFilter {
    pub place: CentrePlace,
    pub centre: Option<i64>,
    pub active_only: bool,
}

impl Store {
    /// Publishes a service on a centre's menu, logged as `menu/ID`.
    pub async fn create_menu_item(&self, m: &NewMenuItem, by: &EventActor) -> ServicesResult<i64> {
        let name = required("name", &m.name, 100)?;
        let description = required("description", &m.description, MAX_TEXT)?;
        let eligibility = m.eligibility.clone().checked()?;
        let schedule = m.schedule.clone().checked()?;
        let now = now_millis();
        let mut tx = self.write_tx().await?;
        let community: String =
            sqlx::query("SELECT community_code FROM service_centres WHERE id = $1")
                .bind(m.centre_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| not_found("服务中心", "centre", m.centre_id))?
                .try_get("community_code")?;
        let tags = serde_json::to_string(&eligibility.any_tags).unwrap_or_else(|_| "[]".into());
        let weekdays = serde_json::to_string(&schedule.weekdays).unwrap_or_else(|_| "[]".into());
        let slots = serde_json::to_string(&schedule.slots).unwrap_or_else(|_| "[]".into());
        let id: i64 = sqlx::query(
            "INSERT INTO service_menu_items (centre_id, community_code, name, description, min_age,
             max_age, tags, weekdays, slots, capacity, active, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) RETURNING id",
        )
        .bind(m.centre_id)
        .bind(&community)
        .bind(&name)
        .bind(&description)
        .bind(eligibility.min_age.map(i64::from))
        .bind(eligibility.max_age.map(i64::from))
        .bind(&tags)
        .bind(&weekdays)
        .bind(&slots)
        .bind(i64::from(schedule.capacity))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        log(
            &mut tx,
            format!("menu/{id}"),
            "created",
            json!({"type": "created", "centre": m.centre_id, "name": name, "description": description,
                   "min_age": eligibility.min_age, "max_age": eligibility.max_age, "tags": tags,
                   "weekdays": weekdays, "slots": slots, "capacity": schedule.capacity}),
            by,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Takes an item off the menu (or back on); orders already placed stay.
    pub async fn set_menu_item_active(
        &self,
        id: i64,
        active: bool,
        by: &EventActor,
    ) -> ServicesResult<()> {
        let now = now_millis();
        let mut tx = self.write_tx().await?;
        let n =
            sqlx::query("UPDATE service_menu_items SET active = $1, updated_at = $2 WHERE id = $3")
                .bind(i64::from(active))
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if n != 1 {
            return Err(not_found("服务项目", "menu item", id).into());
        }
        let kind = if active { "published" } else { "withdrawn" };
        log(
            &mut tx,
            format!("menu/{id}"),
            kind,
            json!({"type": kind}),
            by,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn menu_item(&self, id: i64) -> Result<Option<MenuItemRow>, StoreError> {
        let row = sqlx::query(crate::cases::AssertSql::new(format!(
            "{ITEM_SELECT} WHERE m.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(item_row).transpose()
    }

    pub async fn menu_items(&self, f: &MenuFilter) -> Result<Vec<MenuItemRow>, StoreError> {
        let mut sql = Sql::new(&format!("{ITEM_SELECT} WHERE 1 = 1"));
        f.place
            .apply(&mut sql, "m.community_code", "c.lead_department");
        if let Some(c) = f.centre {
            sql.push(" AND m.centre_id = ").bind(Arg::Int(c));
        }
        if f.active_only {
            sql.push(" AND m.active = 1");
        }
        sql.push(" ORDER BY m.community_code, m.centre_id, m.id LIMIT 5000");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(item_row).collect()
    }
}
