//! Emergency writes outside the case's transaction: a drill's start and end, acknowledgements,
//! check-ins, escalations and the settings — each one transaction with its alerts' inbox
//! notices and webhook deliveries (the outbox).

use super::NewDrill;

use crate::db::Store;
use crate::error::StoreError;
use crate::exec::SqlxExec;
use crate::{CaseNotification, EventActor, Millis};
use gongzhi_domain::emergency::{Minutes, Place, Tier, first_stage, next_stage};
use sqlx::Row;

/// Robot and webhook deliveries of a drill carry no case: their `case_id` is 0.
const NO_CASE: i64 = 0;

fn conflict(code: &'static str, zh: &str, en: &str) -> StoreError {
    StoreError::Conflict {
        code,
        zh: zh.into(),
        en: en.into(),
    }
}

impl Store {
    pub async fn set_emergency_minutes(
        &self,
        m: Minutes,
        by: &EventActor,
        at: Millis,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO emergency_settings (id, minutes, updated_at, updated_by)
             VALUES (1, $1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET minutes = $4, updated_at = $5, updated_by = $6",
        )
        .bind(m.to_text())
        .bind(at)
        .bind(&by.name)
        .bind(m.to_text())
        .bind(at)
        .bind(&by.name)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Starts a drill: its row, an alert to every responsible level at once and the robots'
    /// deliveries, in one transaction. `notices` are the alerts' webhook payloads (drills
    /// write no inbox line: the inbox is the cases').
    pub async fn start_drill(
        &self,
        d: &NewDrill,
        notices: &[CaseNotification],
        by: &EventActor,
        at: Millis,
    ) -> Result<i64, StoreError> {
        let place = Place {
            community: d.community,
            grid: d.grid,
            department: d.department.clone(),
        };
        let stage = first_stage(&place);
        let mut tx = self.write_tx().await?;
        let minutes = {
            let mut x = SqlxExec {
                conn: &mut tx,
                backend: self.backend,
            };
            super::sync::minutes_in(&mut x).await?
        };
        let next_at = next_stage(&place, stage, at, &[], minutes)
            .ok()
            .map(|(t, _)| t);
        let id: i64 = sqlx::query(
            "INSERT INTO emergencies (case_id, drill, title, community_code, grid_code,
             department_code, lon, lat, reported_at, stage, stage_at, next_at, started_by)
             VALUES (NULL, 1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(&d.title)
        .bind(d.community.map(|c| c.as_str().to_string()))
        .bind(d.grid.map(|g| g.as_str().to_string()))
        .bind(d.department.clone())
        .bind(d.lon)
        .bind(d.lat)
        .bind(at)
        .bind(stage.as_str())
        .bind(at)
        .bind(next_at)
        .bind(&by.name)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for (t, r) in place.responsible() {
            alert(&mut tx, id, t, &r.to_string(), "alert", at).await?;
        }
        let mut x = SqlxExec {
            conn: &mut tx,
            backend: self.backend,
        };
        for n in notices {
            if let Some((event, payload)) = &n.webhook {
                crate::webhooks::enqueue_in(&mut x, *event, NO_CASE, payload, at).await?;
            }
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Ends an open drill (a case's emergency ends with its case).
    pub async fn end_drill(&self, id: i64, at: Millis) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE emergencies SET closed_at = $1, next_at = NULL
             WHERE id = $2 AND drill = 1 AND closed_at IS NULL",
        )
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(conflict(
                "emergency_closed",
                "只能结束进行中的演练",
                "only a running drill can be ended",
            ));
        }
        tx.commit().await?;
        Ok(())
    }

    /// `tier` acknowledges (签收); when it `stops` escalation the clock is cleared. A level
    /// acknowledges once: a second time is a conflict.
    pub async fn acknowledge_emergency(
        &self,
        id: i64,
        t: Tier,
        stops: bool,
        by: &EventActor,
        at: Millis,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let taken = sqlx::query(
            "SELECT id FROM emergency_responses WHERE emergency_id = $1 AND kind = 'ack'
             AND tier = $2",
        )
        .bind(id)
        .bind(t.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if taken.is_some() {
            return Err(conflict(
                "emergency_already_acknowledged",
                &format!("{}已签收该紧急事件", t.zh()),
                &format!("the {} level acknowledged this emergency already", t.en()),
            ));
        }
        sqlx::query(
            "INSERT INTO emergency_responses (emergency_id, kind, tier, account_id, name, at)
             VALUES ($1, 'ack', $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(t.as_str())
        .bind(by.account_id)
        .bind(&by.name)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        if stops {
            sqlx::query("UPDATE emergencies SET next_at = NULL WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// 到场报到: where a responder is, from their phone.
    pub async fn check_in_emergency(
        &self,
        id: i64,
        t: Option<Tier>,
        lon: f64,
        lat: f64,
        by: &EventActor,
        at: Millis,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO emergency_responses (emergency_id, kind, tier, account_id, name, lon, lat, at)
             VALUES ($1, 'check_in', $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(t.map(|t| t.as_str()))
        .bind(by.account_id)
        .bind(&by.name)
        .bind(lon)
        .bind(lat)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets (or clears) when the job looks at the emergency next.
    pub async fn set_emergency_clock(
        &self,
        id: i64,
        next_at: Option<Millis>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("UPDATE emergencies SET next_at = $1 WHERE id = $2 AND closed_at IS NULL")
            .bind(next_at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Escalates from `from` to `to` (responsible from `at`, next escalation at `next_at`),
    /// with the alert to `to`: its inbox notice (a case's) and webhook deliveries. Returns
    /// false when another server escalated (or someone acknowledged) meanwhile.
    pub async fn escalate_emergency(
        &self,
        id: i64,
        from: Tier,
        to: Tier,
        next_at: Option<Millis>,
        notice: &CaseNotification,
        at: Millis,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        let r = sqlx::query(
            "UPDATE emergencies SET stage = $1, stage_at = $2, next_at = $3
             WHERE id = $4 AND stage = $5 AND next_at IS NOT NULL AND closed_at IS NULL
             RETURNING case_id",
        )
        .bind(to.as_str())
        .bind(at)
        .bind(next_at)
        .bind(id)
        .bind(from.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(r) = r else {
            return Ok(false);
        };
        let case_id: Option<i64> = r.try_get("case_id")?;
        alert(&mut tx, id, to, &notice.recipient, "escalated", at).await?;
        if let Some(case_id) = case_id {
            sqlx::query(
                "INSERT INTO notifications (case_id, recipient, kind, message, at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(case_id)
            .bind(&notice.recipient)
            .bind(&notice.kind)
            .bind(&notice.message)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        if let Some((event, payload)) = &notice.webhook {
            let mut x = SqlxExec {
                conn: &mut tx,
                backend: self.backend,
            };
            crate::webhooks::enqueue_in(&mut x, *event, case_id.unwrap_or(NO_CASE), payload, at)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}

async fn alert(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    t: Tier,
    recipient: &str,
    kind: &str,
    at: Millis,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO emergency_alerts (emergency_id, tier, recipient, kind, at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(t.as_str())
    .bind(recipient)
    .bind(kind)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
