//! 点菜 and 配菜: an order takes a place in its slot or waits in line, counted inside the
//! transaction after locking the menu item's row (PostgreSQL serialises two orders for one
//! item there; SQLite writes one at a time), so a slot is never overfilled; a cancellation
//! promotes the first waiting order in the same transaction. Then assignment, completion with
//! notes and photo, and the resident's rating.

use super::centres::{CentrePlace, area_col};
use super::menu::{ITEM_SELECT, item_row};
use super::people::served_in;
use super::rows::OrderRow;
use super::{ServicesResult, log, not_found};
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use crate::{EventActor, Millis};
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::case::Satisfaction;
use gongzhi_domain::services::{
    Applicant, OrderState, Placement, ServicesError, TimeSlot, admit, after_cancel, age_in,
    check_assign, check_cancel, check_complete, check_day, check_rate, required,
};
use serde_json::json;
use sqlx::{AnyConnection, Row};

/// How an order came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderChannel {
    /// A resident's account, for itself.
    Account,
    /// Staff on the resident's behalf.
    Staff,
    /// Without an account: name and phone, followed by a lookup code.
    Lookup,
}

impl OrderChannel {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderChannel::Account => "account",
            OrderChannel::Staff => "staff",
            OrderChannel::Lookup => "lookup",
        }
    }
}

#[derive(Clone, Debug)]
pub struct NewOrder {
    pub item_id: i64,
    pub resident_id: i64,
    pub service_date: Date,
    pub slot: TimeSlot,
    pub channel: OrderChannel,
    pub placed_by: Option<i64>,
    /// The lookup code of an order without an account (kept as its keyed digest only).
    pub lookup_code: Option<String>,
}

/// Which orders a list shows.
#[derive(Clone, Debug, Default)]
pub struct OrderFilter {
    pub place: CentrePlace,
    pub centre: Option<i64>,
    pub item: Option<i64>,
    /// A resident's own: placed by this account or for the resident it is.
    pub mine: Option<i64>,
    pub state: Option<OrderState>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Overdue: still placed or assigned with the service day before this one.
    pub open_before: Option<Date>,
    /// Completed and not yet rated.
    pub unrated: bool,
    pub limit: i64,
}

const ORDER_SELECT: &str = "SELECT o.id, o.item_id, m.name AS item_name, o.centre_id,
    c.name AS centre_name, o.community_code, o.lead_department, o.resident_id,
    r.name AS resident_name, o.household_id, o.service_date, o.slot, o.state, o.channel,
    o.placed_by, o.assignee_name, o.provider_id, o.scheduled_at, o.completed_at, o.notes,
    o.photo_path, o.photo_mime, o.rating, o.created_at,
    CASE WHEN o.state = 'waiting' THEN (SELECT COUNT(*) FROM service_orders w
        WHERE w.item_id = o.item_id AND w.service_date = o.service_date AND w.slot = o.slot
        AND w.state = 'waiting' AND w.id <= o.id) END AS waiting_position
    FROM service_orders o
    JOIN service_menu_items m ON m.id = o.item_id
    JOIN service_centres c ON c.id = o.centre_id
    JOIN residents r ON r.id = o.resident_id";

fn order_row(r: &sqlx::any::AnyRow) -> Result<OrderRow, StoreError> {
    let state: String = r.try_get("state")?;
    let day: String = r.try_get("service_date")?;
    let rating: Option<String> = r.try_get("rating")?;
    let path: Option<String> = r.try_get("photo_path")?;
    let mime: Option<String> = r.try_get("photo_mime")?;
    Ok(OrderRow {
        id: r.try_get("id")?,
        item_id: r.try_get("item_id")?,
        item_name: r.try_get("item_name")?,
        centre_id: r.try_get("centre_id")?,
        centre_name: r.try_get("centre_name")?,
        community: area_col(r, "community_code")?,
        lead_department: r.try_get("lead_department")?,
        resident_id: r.try_get("resident_id")?,
        resident_name: r.try_get("resident_name")?,
        household_id: r.try_get("household_id")?,
        service_date: Date::parse(&day)
            .ok_or_else(|| StoreError::corrupt(format!("service_date: {day}")))?,
        slot: r.try_get("slot")?,
        state: OrderState::parse(&state)
            .ok_or_else(|| StoreError::corrupt(format!("state: {state}")))?,
        waiting_position: r.try_get("waiting_position")?,
        channel: r.try_get("channel")?,
        placed_by: r.try_get("placed_by")?,
        assignee_name: r.try_get("assignee_name")?,
        provider_id: r.try_get("provider_id")?,
        scheduled_at: r.try_get("scheduled_at")?,
        completed_at: r.try_get("completed_at")?,
        notes: r.try_get("notes")?,
        has_photo: path.is_some(),
        photo: path.zip(mime),
        rating: rating.as_deref().and_then(Satisfaction::parse),
        created_at: r.try_get("created_at")?,
    })
}

/// Locks the item's row (PostgreSQL) for the rest of the transaction.
async fn lock_item(conn: &mut AnyConnection, item: i64, at: Millis) -> Result<(), StoreError> {
    let n = sqlx::query("UPDATE service_menu_items SET orders_changed_at = $1 WHERE id = $2")
        .bind(at)
        .bind(item)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if n != 1 {
        return Err(not_found("服务项目", "menu item", item));
    }
    Ok(())
}

/// Places held and orders waiting in one slot.
async fn slot_counts(
    conn: &mut AnyConnection,
    item: i64,
    day: Date,
    slot: &str,
) -> Result<(u32, u32), StoreError> {
    let r = sqlx::query(
        "SELECT
           SUM(CASE WHEN state IN ('placed', 'assigned', 'completed') THEN 1 ELSE 0 END) AS taken,
           SUM(CASE WHEN state = 'waiting' THEN 1 ELSE 0 END) AS waiting
         FROM service_orders WHERE item_id = $1 AND service_date = $2 AND slot = $3",
    )
    .bind(item)
    .bind(day.to_string())
    .bind(slot)
    .fetch_one(&mut *conn)
    .await?;
    let n = |c: &str| -> Result<u32, StoreError> {
        let v: Option<i64> = r.try_get(c)?;
        Ok(u32::try_from(v.unwrap_or(0)).unwrap_or(u32::MAX))
    };
    Ok((n("taken")?, n("waiting")?))
}

/// The state (and item, day, slot, resident) of an order, read inside a transaction.
struct Current {
    state: OrderState,
    item: i64,
    day: String,
    slot: String,
    rating: Option<Satisfaction>,
}

async fn current(conn: &mut AnyConnection, id: i64) -> Result<Current, StoreError> {
    let r = sqlx::query(
        "SELECT state, item_id, service_date, slot, rating FROM service_orders WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| not_found("服务订单", "order", id))?;
    let state: String = r.try_get("state")?;
    let rating: Option<String> = r.try_get("rating")?;
    Ok(Current {
        state: OrderState::parse(&state)
            .ok_or_else(|| StoreError::corrupt(format!("state: {state}")))?,
        item: r.try_get("item_id")?,
        day: r.try_get("service_date")?,
        slot: r.try_get("slot")?,
        rating: rating.as_deref().and_then(Satisfaction::parse),
    })
}

impl Store {
    /// Places an order: refused when the item is withdrawn, not served that day or slot, the
    /// day out of range, the resident not of the item's community, not eligible, or booked
    /// already; otherwise a place in the slot or on its waiting list. Returns the id and the
    /// placement. `today` and `at` are the clock (the demo books in the past).
    pub async fn place_order(
        &self,
        o: &NewOrder,
        today: Date,
        at: Millis,
        by: &EventActor,
    ) -> ServicesResult<(i64, Placement)> {
        let mut tx = self.write_tx().await?;
        lock_item(&mut tx, o.item_id, at).await?;
        let item = sqlx::query(crate::cases::AssertSql::new(format!(
            "{ITEM_SELECT} WHERE m.id = $1"
        )))
        .bind(o.item_id)
        .fetch_one(&mut *tx)
        .await?;
        let item = item_row(&item)?;
        let lead: String = sqlx::query("SELECT lead_department FROM service_centres WHERE id = $1")
            .bind(item.centre_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("lead_department")?;
        if !item.active {
            return Err(ServicesError::ItemWithdrawn.into());
        }
        check_day(today, o.service_date)?;
        item.schedule.offers(o.service_date, &o.slot)?;
        let who = served_in(&mut tx, o.resident_id).await?;
        if !who.grid_code.starts_with(item.community.as_str()) {
            return Err(ServicesError::UnknownResident.into());
        }
        let applicant = Applicant {
            age: age_in(
                today.year(),
                i32::try_from(who.birth_year).unwrap_or(today.year()),
            ),
            tags: who.tags.clone(),
        };
        item.eligibility.check(&applicant)?;
        let slot = o.slot.to_string();
        let held = sqlx::query(
            "SELECT id FROM service_orders WHERE item_id = $1 AND resident_id = $2
             AND service_date = $3 AND state IN ('waiting', 'placed', 'assigned')",
        )
        .bind(o.item_id)
        .bind(o.resident_id)
        .bind(o.service_date.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        if held.is_some() {
            return Err(ServicesError::AlreadyOrdered.into());
        }
        let (taken, waiting) = slot_counts(&mut tx, o.item_id, o.service_date, &slot).await?;
        let placement = admit(item.schedule.capacity, taken, waiting);
        let state = placement.state();
        let id: i64 = sqlx::query(
            "INSERT INTO service_orders (item_id, centre_id, community_code, lead_department,
             resident_id, household_id, service_date, slot, state, channel, placed_by, lookup_hash,
             created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
        )
        .bind(o.item_id)
        .bind(item.centre_id)
        .bind(item.community.as_str())
        .bind(&lead)
        .bind(o.resident_id)
        .bind(who.household_id)
        .bind(o.service_date.to_string())
        .bind(&slot)
        .bind(state.as_str())
        .bind(o.channel.as_str())
        .bind(o.placed_by)
        .bind(
            o.lookup_code
                .as_deref()
                .and_then(|c| crate::lookup_digest(&self.pii, c)),
        )
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        log(
            &mut tx,
            format!("order/{id}"),
            "created",
            json!({"type": "created", "kind": o.channel.as_str(), "status": state.as_str(),
                   "item": o.item_id, "household": who.household_id, "resident": o.resident_id,
                   "service_date": o.service_date.to_string(), "slot": slot}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok((id, placement))
    }

    /// Cancels an order; when it held a place, the first waiting order of its slot takes it
    /// in the same transaction. Returns the promoted order.
    pub async fn cancel_order(
        &self,
        id: i64,
        at: Millis,
        by: &EventActor,
    ) -> ServicesResult<Option<i64>> {
        let mut tx = self.write_tx().await?;
        let before = current(&mut tx, id).await?;
        lock_item(&mut tx, before.item, at).await?;
        // Read again under the lock: another cancellation may have got there first.
        let c = current(&mut tx, id).await?;
        check_cancel(c.state)?;
        sqlx::query("UPDATE service_orders SET state = 'cancelled', cancelled_at = $1, updated_at = $1 WHERE id = $2")
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        log(
            &mut tx,
            format!("order/{id}"),
            "cancelled",
            json!({"type": "cancelled", "status": "cancelled"}),
            by,
            at,
        )
        .await?;
        let day = Date::parse(&c.day)
            .ok_or_else(|| StoreError::corrupt(format!("service_date: {}", c.day)))?;
        let (taken, _) = slot_counts(&mut tx, c.item, day, &c.slot).await?;
        let capacity: i64 = sqlx::query("SELECT capacity FROM service_menu_items WHERE id = $1")
            .bind(c.item)
            .fetch_one(&mut *tx)
            .await?
            .try_get("capacity")?;
        let first: Option<i64> = sqlx::query(
            "SELECT id FROM service_orders WHERE item_id = $1 AND service_date = $2 AND slot = $3
             AND state = 'waiting' ORDER BY id LIMIT 1",
        )
        .bind(c.item)
        .bind(&c.day)
        .bind(&c.slot)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| r.try_get("id"))
        .transpose()?;
        let promoted = after_cancel(c.state, u32::try_from(capacity).unwrap_or(0), taken, first);
        if let Some(p) = promoted {
            sqlx::query(
                "UPDATE service_orders SET state = 'placed', updated_at = $1 WHERE id = $2",
            )
            .bind(at)
            .bind(p)
            .execute(&mut *tx)
            .await?;
            log(
                &mut tx,
                format!("order/{p}"),
                "promoted",
                json!({"type": "promoted", "status": "placed", "parent": id}),
                by,
                at,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(promoted)
    }

    /// 配菜: assigns an order with a place to staff or a provider, at a time.
    pub async fn assign_order(
        &self,
        id: i64,
        assignee: &str,
        provider: Option<i64>,
        scheduled_at: &str,
        at: Millis,
        by: &EventActor,
    ) -> ServicesResult<()> {
        let assignee = required("assignee_name", assignee, 50)?;
        let scheduled = required("scheduled_at", scheduled_at, 50)?;
        let mut tx = self.write_tx().await?;
        let c = current(&mut tx, id).await?;
        check_assign(c.state)?;
        sqlx::query(
            "UPDATE service_orders SET state = 'assigned', assignee_name = $1, provider_id = $2,
             scheduled_at = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(&assignee)
        .bind(provider)
        .bind(&scheduled)
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        log(&mut tx, format!("order/{id}"), "assigned", json!({"type": "assigned", "status": "assigned", "assignee": assignee, "scheduled_at": scheduled, "member": provider}), by, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Completes an assigned order with notes and, optionally, a photo already on disk
    /// (path under the data dir, MIME type, SHA-256).
    pub async fn complete_order(
        &self,
        id: i64,
        notes: &str,
        photo: Option<(&str, &str, &str)>,
        at: Millis,
        by: &EventActor,
    ) -> ServicesResult<()> {
        let notes = required("notes", notes, gongzhi_domain::services::MAX_TEXT)?;
        let mut tx = self.write_tx().await?;
        let c = current(&mut tx, id).await?;
        check_complete(c.state)?;
        sqlx::query(
            "UPDATE service_orders SET state = 'completed', notes = $1, photo_path = $2,
             photo_mime = $3, photo_sha256 = $4, completed_at = $5, completed_on = $6,
             updated_at = $5 WHERE id = $7",
        )
        .bind(&notes)
        .bind(photo.map(|p| p.0.to_string()))
        .bind(photo.map(|p| p.1.to_string()))
        .bind(photo.map(|p| p.2.to_string()))
        .bind(at)
        .bind(date_of(at).to_string())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        log(&mut tx, format!("order/{id}"), "completed", json!({"type": "completed", "status": "completed", "notes": notes, "photo_sha256": photo.map(|p| p.2)}), by, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The resident's rating of a completed order, once.
    pub async fn rate_order(
        &self,
        id: i64,
        s: Satisfaction,
        at: Millis,
        by: &EventActor,
    ) -> ServicesResult<()> {
        let mut tx = self.write_tx().await?;
        let c = current(&mut tx, id).await?;
        check_rate(c.state, c.rating)?;
        sqlx::query(
            "UPDATE service_orders SET rating = $1, rated_at = $2, updated_at = $2 WHERE id = $3",
        )
        .bind(s.as_str())
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        log(
            &mut tx,
            format!("order/{id}"),
            "rated",
            json!({"type": "rated", "status": s.as_str()}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn service_order(&self, id: i64) -> Result<Option<OrderRow>, StoreError> {
        let row = sqlx::query(crate::cases::AssertSql::new(format!(
            "{ORDER_SELECT} WHERE o.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(order_row).transpose()
    }

    /// The order of a lookup code (none for text that is no lookup code).
    pub async fn service_order_by_lookup(
        &self,
        code: &str,
    ) -> Result<Option<OrderRow>, StoreError> {
        let Some(hash) = crate::lookup_digest(&self.pii, code) else {
            return Ok(None);
        };
        let row = sqlx::query(crate::cases::AssertSql::new(format!(
            "{ORDER_SELECT} WHERE o.lookup_hash = $1"
        )))
        .bind(hash.to_vec())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(order_row).transpose()
    }

    /// Orders of the filter, by day and slot (newest day first), at most `limit` (0: 2000).
    pub async fn service_orders(&self, f: &OrderFilter) -> Result<Vec<OrderRow>, StoreError> {
        let mut sql = Sql::new(&format!("{ORDER_SELECT} WHERE 1 = 1"));
        f.place
            .apply(&mut sql, "o.community_code", "o.lead_department");
        if let Some(c) = f.centre {
            sql.push(" AND o.centre_id = ").bind(Arg::Int(c));
        }
        if let Some(i) = f.item {
            sql.push(" AND o.item_id = ").bind(Arg::Int(i));
        }
        if let Some(a) = f.mine {
            sql.push(" AND (o.placed_by = ")
                .bind(Arg::Int(a))
                .push(" OR o.resident_id IN (SELECT resident_id FROM resident_accounts WHERE account_id = ")
                .bind(Arg::Int(a))
                .push("))");
        }
        if let Some(s) = f.state {
            sql.push(" AND o.state = ")
                .bind(Arg::Text(s.as_str().into()));
        }
        if let Some(d) = f.from {
            sql.push(" AND o.service_date >= ")
                .bind(Arg::Text(d.to_string()));
        }
        if let Some(d) = f.to {
            sql.push(" AND o.service_date <= ")
                .bind(Arg::Text(d.to_string()));
        }
        if let Some(d) = f.open_before {
            sql.push(" AND o.state IN ('placed', 'assigned') AND o.service_date < ")
                .bind(Arg::Text(d.to_string()));
        }
        if f.unrated {
            sql.push(" AND o.state = 'completed' AND o.rating IS NULL");
        }
        let limit = if f.limit > 0 { f.limit } else { 2000 };
        sql.push(" ORDER BY o.service_date DESC, o.slot, o.id LIMIT ")
            .bind(Arg::Int(limit));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(order_row).collect()
    }
}
