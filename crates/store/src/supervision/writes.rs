//! Supervision writes: issue, the unit's replies, the issuer's acceptance or return, the
//! clock's transitions — each one transaction with its log event on `supervision/ID`.

use super::SupervisionWriteError;
use super::reads::{stage_of, status_of};
use super::rows::SupervisedItem;
use crate::db::Store;
use crate::error::StoreError;
use crate::red_grid::log;
use crate::{EventActor, Millis};
use gongzhi_domain::supervision::{
    ClockPoints, ClockSettings, OrderStatus, ReplyKind, Stage, transitions,
};
use serde_json::json;
use sqlx::{AnyConnection, Row};

type WriteResult<T> = Result<T, SupervisionWriteError>;

struct Locked {
    status: OrderStatus,
    stage: Stage,
    points: ClockPoints,
    unit_kind: String,
    unit_code: String,
    place_code: String,
    demand: String,
}

/// The order's status, stage and clock, its row touched first so PostgreSQL locks it.
async fn lock(conn: &mut AnyConnection, id: i64) -> Result<Locked, StoreError> {
    sqlx::query("UPDATE supervision_orders SET version = version + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let r = sqlx::query(
        "SELECT status, stage, warn_at, due_at, notice_at, suggest_at, unit_kind, unit_code,
         place_code, demand FROM supervision_orders WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| {
        StoreError::not_found(format!("督办 {id}"), format!("supervision order {id}"))
    })?;
    let status: String = r.try_get("status")?;
    let stage: String = r.try_get("stage")?;
    Ok(Locked {
        status: status_of(&status)?,
        stage: stage_of(&stage)?,
        points: ClockPoints {
            warn_at: r.try_get("warn_at")?,
            due_at: r.try_get("due_at")?,
            notice_at: r.try_get("notice_at")?,
            suggest_at: r.try_get("suggest_at")?,
        },
        unit_kind: r.try_get("unit_kind")?,
        unit_code: r.try_get("unit_code")?,
        place_code: r.try_get("place_code")?,
        demand: r.try_get("demand")?,
    })
}

async fn history(
    conn: &mut AnyConnection,
    id: i64,
    kind: &str,
    note: &str,
    by: &str,
    at: Millis,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO supervision_history (order_id, kind, note, by_name, at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(kind)
    .bind(note)
    .bind(by)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The supervision notice's text (督办通知), kept in the order's history for the unit.
fn notice_text(demand: &str, due_at: Millis) -> String {
    format!(
        "督办通知：该事项已超过督办时限（{}）仍未办结，请立即办理并报告结果。督办要求：{demand}",
        gongzhi_domain::calendar::format_cst(due_at)
    )
}

impl Store {
    /// Issues an order on `item` with the clock `points` computed from `settings`; logged.
    pub async fn issue_supervision(
        &self,
        item: &SupervisedItem,
        demand: &str,
        settings: &ClockSettings,
        points: &ClockPoints,
        by: &EventActor,
        at: Millis,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let id = insert_order(&mut tx, item, demand, settings, points, by, at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The unit's reply: acknowledged, a progress report, or 办结 with its result (the order
    /// then waits for the issuer and its clock stops).
    pub async fn reply_supervision(
        &self,
        id: i64,
        kind: ReplyKind,
        note: &str,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<OrderStatus> {
        let mut tx = self.write_tx().await?;
        let o = lock(&mut tx, id).await?;
        let status = o.status.reply(kind)?;
        let next_at = if status.clock_runs() {
            o.points.next_at(o.stage)
        } else {
            None
        };
        sqlx::query(
            "UPDATE supervision_orders SET status = $1, next_at = $2,
             acknowledged_at = COALESCE(acknowledged_at, $3),
             answered_at = CASE WHEN $4 = 1 THEN $3 ELSE answered_at END WHERE id = $5",
        )
        .bind(status.as_str())
        .bind(next_at)
        .bind(at)
        .bind(i64::from(kind == ReplyKind::Done))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        history(&mut tx, id, kind.as_str(), note, &by.name, at).await?;
        log(
            &mut tx,
            format!("supervision/{id}"),
            kind.as_str(),
            json!({"type": kind.as_str(), "status": status.as_str(), "note": note}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(status)
    }

    /// The issuer accepts the answer (closed) or sends it back (open again, on the same clock:
    /// the job catches up with any point passed meanwhile).
    pub async fn review_supervision(
        &self,
        id: i64,
        accept: bool,
        note: &str,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<OrderStatus> {
        let mut tx = self.write_tx().await?;
        let o = lock(&mut tx, id).await?;
        let status = if accept {
            o.status.accept()?
        } else {
            o.status.send_back()?
        };
        let next_at = if status.clock_runs() {
            o.points.next_at(o.stage)
        } else {
            None
        };
        sqlx::query(
            "UPDATE supervision_orders SET status = $1, next_at = $2,
             closed_at = CASE WHEN $3 = 1 THEN $4 ELSE closed_at END WHERE id = $5",
        )
        .bind(status.as_str())
        .bind(next_at)
        .bind(i64::from(accept))
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let kind = if accept { "accepted" } else { "returned" };
        history(&mut tx, id, kind, note, &by.name, at).await?;
        log(
            &mut tx,
            format!("supervision/{id}"),
            kind,
            json!({"type": kind, "status": status.as_str(), "note": note}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(status)
    }

    /// Records the stages order `id`'s clock has reached by `now` (warned, overdue, the
    /// supervision notice, the accountability suggestion), each in the history at its own
    /// instant and on the log; returns them. Nothing once the clock stopped.
    pub async fn advance_supervision(
        &self,
        id: i64,
        now: Millis,
        by: &EventActor,
    ) -> Result<Vec<Stage>, StoreError> {
        let mut tx = self.write_tx().await?;
        let o = lock(&mut tx, id).await?;
        if !o.status.clock_runs() {
            sqlx::query("UPDATE supervision_orders SET next_at = NULL WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            return Ok(Vec::new());
        }
        let reached = o.points.stage_at(now).max(o.stage);
        let passed = transitions(o.stage, reached);
        for stage in &passed {
            let when = match stage {
                Stage::Issued => now,
                Stage::Warned => o.points.warn_at,
                Stage::Overdue => o.points.due_at,
                Stage::Noticed => o.points.notice_at,
                Stage::Suggested => o.points.suggest_at,
            };
            let note = match stage {
                Stage::Noticed => notice_text(&o.demand, o.points.due_at),
                _ => String::new(),
            };
            history(&mut tx, id, stage.as_str(), &note, &by.name, when).await?;
            if *stage == Stage::Suggested {
                let evidence = format!(
                    "督办时限 {} 已过，督办通知于 {} 发出后仍未办结。",
                    gongzhi_domain::calendar::format_cst(o.points.due_at),
                    gongzhi_domain::calendar::format_cst(o.points.notice_at),
                );
                sqlx::query(
                    "INSERT INTO accountability_suggestions (order_id, unit_kind, unit_code,
                     place_code, evidence, since) VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (order_id) DO NOTHING",
                )
                .bind(id)
                .bind(&o.unit_kind)
                .bind(&o.unit_code)
                .bind(&o.place_code)
                .bind(&evidence)
                .bind(when)
                .execute(&mut *tx)
                .await?;
            }
            log(
                &mut tx,
                format!("supervision/{id}"),
                stage.as_str(),
                json!({"type": stage.as_str(), "status": stage.as_str(), "at": when}),
                by,
                now,
            )
            .await?;
        }
        sqlx::query("UPDATE supervision_orders SET stage = $1, next_at = $2 WHERE id = $3")
            .bind(reached.as_str())
            .bind(o.points.next_at(reached))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(passed)
    }

    /// Closes an open accountability suggestion: made into misconduct report `report_id`, or
    /// dismissed (`None`).
    pub async fn close_accountability_suggestion(
        &self,
        id: i64,
        report_id: Option<i64>,
        by: &EventActor,
        at: Millis,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        close_suggestion(&mut tx, id, report_id, by, at).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Closes an open suggestion inside the caller's transaction (the misconduct report made of it
/// is written in the same one); not found when it is closed already.
pub(crate) async fn close_suggestion(
    conn: &mut AnyConnection,
    id: i64,
    report_id: Option<i64>,
    by: &EventActor,
    at: Millis,
) -> Result<(), StoreError> {
    let n = sqlx::query(
        "UPDATE accountability_suggestions SET report_id = $1, closed_at = $2
         WHERE id = $3 AND closed_at IS NULL",
    )
    .bind(report_id)
    .bind(at)
    .bind(id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::not_found(
            format!("待处理的问责建议 {id}"),
            format!("open accountability suggestion {id}"),
        ));
    }
    log(
        conn,
        format!("accountability_suggestion/{id}"),
        "closed",
        json!({"type": "closed", "report": report_id}),
        by,
        at,
    )
    .await?;
    Ok(())
}

/// Inserts an order on `item` with its first history line and its log event, inside the
/// caller's transaction (issuing alone, or with the finding it acts on — `diagnosis`).
pub(crate) async fn insert_order(
    conn: &mut AnyConnection,
    item: &SupervisedItem,
    demand: &str,
    settings: &ClockSettings,
    points: &ClockPoints,
    by: &EventActor,
    at: Millis,
) -> Result<i64, StoreError> {
    let unit = item.unit();
    let id: i64 = sqlx::query(
        "INSERT INTO supervision_orders (subject_kind, subject_id, subject_label, place_code,
         unit_kind, unit_code, demand, working, days, issued_at, warn_at, due_at, notice_at,
         suggest_at, stage, status, next_at, issued_by_id, issued_by_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'issued',
         'open', $15, $16, $17) RETURNING id",
    )
    .bind(item.kind.as_str())
    .bind(item.id)
    .bind(&item.label)
    .bind(item.place.as_str())
    .bind(unit.kind())
    .bind(unit.code())
    .bind(demand)
    .bind(i64::from(settings.working))
    .bind(i64::from(settings.days))
    .bind(at)
    .bind(points.warn_at)
    .bind(points.due_at)
    .bind(points.notice_at)
    .bind(points.suggest_at)
    .bind(points.warn_at)
    .bind(by.account_id)
    .bind(&by.name)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    history(&mut *conn, id, "issued", demand, &by.name, at).await?;
    log(
        &mut *conn,
        format!("supervision/{id}"),
        "issued",
        json!({
            "type": "issued",
            "kind": item.kind.as_str(),
            "subject": item.id,
            "place": item.place.as_str(),
            "unit_kind": unit.kind(),
            "unit": unit.code(),
            "days": settings.days,
            "working": settings.working,
            "due_at": points.due_at,
            "demand": demand,
        }),
        by,
        at,
    )
    .await?;
    Ok(id)
}
