//! Report writes: file, accept, dismiss, assign investigators, add evidence, conclude, record
//! an accountability action, dismiss a signal — each one transaction with its log event on
//! `misconduct/ID` carrying codes and counts only.

use super::ConductWriteError;
use super::rows::NewReport;
use crate::db::Store;
use crate::error::StoreError;
use crate::pii::PiiField;
use crate::red_grid::log;
use crate::{EventActor, Millis, NewPhoto};
use gongzhi_domain::conduct::{
    AccountabilityDraft, Conclusion, ConductError, ReportState, SignalKind, required_text,
};
use serde_json::json;
use sqlx::{AnyConnection, Row};

type WriteResult<T> = Result<T, ConductWriteError>;

/// The report's state and conclusion, its row touched first so PostgreSQL locks it.
async fn lock_state(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<(ReportState, Option<Conclusion>), StoreError> {
    sqlx::query("UPDATE misconduct_reports SET updated_at = updated_at WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query("SELECT state, conclusion FROM misconduct_reports WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("举报 {id}"), format!("report {id}")))?;
    let s: String = row.try_get("state")?;
    let state =
        ReportState::parse(&s).ok_or_else(|| StoreError::corrupt(format!("report state {s}")))?;
    let c: Option<String> = row.try_get("conclusion")?;
    Ok((state, c.as_deref().and_then(Conclusion::parse)))
}

async fn set_state(
    conn: &mut AnyConnection,
    id: i64,
    state: ReportState,
    at: Millis,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE misconduct_reports SET state = $1, updated_at = $2 WHERE id = $3")
        .bind(state.as_str())
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A signal reviewed: remembered with the evidence it rested on.
async fn review_signal(
    conn: &mut AnyConnection,
    (key, kind, count): (&str, SignalKind, i64),
    outcome: &str,
    reason: &str,
    report_id: Option<i64>,
    by: &EventActor,
    at: Millis,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM misconduct_signal_reviews WHERE signal_key = $1")
        .bind(key)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO misconduct_signal_reviews (signal_key, kind, evidence_count, outcome, reason,
         report_id, by_id, by_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(key)
    .bind(kind.as_str())
    .bind(count)
    .bind(outcome)
    .bind(reason)
    .bind(report_id)
    .bind(by.account_id)
    .bind(&by.name)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    /// Stores a checked report in an active category; the reporter's identity sealed, the
    /// lookup code keyed; logged as received with its category, channel and area codes.
    pub async fn file_misconduct_report(
        &self,
        r: &NewReport,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<i64> {
        let d = &r.draft;
        let mut tx = self.write_tx().await?;
        let active: Option<i64> =
            sqlx::query("SELECT active FROM misconduct_categories WHERE code = $1")
                .bind(&d.category)
                .fetch_optional(&mut *tx)
                .await?
                .map(|row| row.try_get("active"))
                .transpose()?;
        if active != Some(1) {
            return Err(ConductError::UnknownCategory(d.category.clone()).into());
        }
        let (name, phone) = match &d.reporter {
            Some(rep) => (
                (!rep.name.is_empty()).then(|| self.pii.encrypt(PiiField::ReporterName, &rep.name)),
                rep.phone
                    .as_ref()
                    .map(|p| self.pii.encrypt(PiiField::ReporterPhone, p.as_str())),
            ),
            None => (None, None),
        };
        let lookup = r
            .lookup_code
            .as_deref()
            .and_then(|c| crate::lookup_digest(&self.pii, c));
        let id: i64 = sqlx::query(
            "INSERT INTO misconduct_reports (category_code, area_code, area_prefix, unit_kind,
             unit_code, official, description, occurred_on, channel, state, has_reporter,
             reporter_name_enc, reporter_phone_enc, lookup_hash, signal_key, filed_by_id,
             filed_by_name, received_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
             RETURNING id",
        )
        .bind(&d.category)
        .bind(d.area.as_str())
        .bind(crate::geo_data::area_prefix(&d.area))
        .bind(d.unit.kind())
        .bind(d.unit.code())
        .bind(&d.official)
        .bind(&d.description)
        .bind(d.occurred_on.map(|o| o.to_string()))
        .bind(r.channel.as_str())
        .bind(ReportState::Received.as_str())
        .bind(i64::from(d.reporter.is_some()))
        .bind(name)
        .bind(phone)
        .bind(lookup)
        .bind(r.signal.as_ref().map(|s| s.0.clone()))
        .bind(r.filed_by)
        .bind(&by.name)
        .bind(at)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        if let Some((key, kind, count)) = &r.signal {
            review_signal(
                &mut tx,
                (key, *kind, *count),
                "reported",
                "",
                Some(id),
                by,
                at,
            )
            .await?;
        }
        if let Some(suggestion) = r.suggestion {
            crate::supervision::close_suggestion(&mut tx, suggestion, Some(id), by, at).await?;
        }
        log(
            &mut tx,
            format!("misconduct/{id}"),
            "received",
            json!({"type": "received", "category": d.category, "channel": r.channel.as_str(),
                   "area": d.area.as_str(), "status": ReportState::Received.as_str()}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn accept_misconduct_report(
        &self,
        id: i64,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<()> {
        let mut tx = self.write_tx().await?;
        let (state, _) = lock_state(&mut tx, id).await?;
        let state = state.accept()?;
        set_state(&mut tx, id, state, at).await?;
        log(
            &mut tx,
            format!("misconduct/{id}"),
            "accepted",
            json!({"type": "accepted", "status": state.as_str()}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Dismisses a received report with a reason (shown to the reporter); the reason stays off
    /// the log.
    pub async fn dismiss_misconduct_report(
        &self,
        id: i64,
        reason: &str,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<()> {
        let reason = required_text("reason", reason, 500)?;
        let mut tx = self.write_tx().await?;
        let (state, _) = lock_state(&mut tx, id).await?;
        let state = state.dismiss()?;
        set_state(&mut tx, id, state, at).await?;
        sqlx::query(
            "UPDATE misconduct_reports SET dismiss_reason = $1, concluded_at = $2 WHERE id = $3",
        )
        .bind(&reason)
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        log(
            &mut tx,
            format!("misconduct/{id}"),
            "dismissed",
            json!({"type": "dismissed", "status": state.as_str()}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Assigns investigators (accounts, with their names) to an accepted or investigating
    /// report; the log has their number only.
    pub async fn assign_misconduct_investigators(
        &self,
        id: i64,
        investigators: &[(i64, String)],
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<()> {
        let mut tx = self.write_tx().await?;
        let (state, _) = lock_state(&mut tx, id).await?;
        let state = state.assign(investigators.len())?;
        set_state(&mut tx, id, state, at).await?;
        for (account, name) in investigators {
            sqlx::query(
                "DELETE FROM misconduct_investigators WHERE report_id = $1 AND account_id = $2",
            )
            .bind(id)
            .bind(account)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO misconduct_investigators (report_id, account_id, account_name, assigned_at)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(account)
            .bind(name)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        let total: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM misconduct_investigators WHERE report_id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
        log(
            &mut tx,
            format!("misconduct/{id}"),
            "assigned",
            json!({"type": "assigned", "status": state.as_str(), "investigators": total}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Evidence during the investigation: a note and optionally a file (already on disk under
    /// its hash); logged with the file's hash.
    pub async fn add_misconduct_evidence(
        &self,
        id: i64,
        note: &str,
        file: Option<(&str, &NewPhoto)>,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<i64> {
        let note = required_text("evidence", note, 5_000)?;
        let mut tx = self.write_tx().await?;
        let (state, _) = lock_state(&mut tx, id).await?;
        state.add_evidence()?;
        let eid: i64 = sqlx::query(
            "INSERT INTO misconduct_evidence (report_id, note, file_name, file_path, file_mime,
             file_size, file_sha256, by_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             RETURNING id",
        )
        .bind(id)
        .bind(&note)
        .bind(file.map(|f| f.0.to_string()))
        .bind(file.map(|f| f.1.path.clone()))
        .bind(file.map(|f| f.1.mime.clone()))
        .bind(file.map(|f| f.1.size))
        .bind(file.map(|f| f.1.sha256.clone()))
        .bind(&by.name)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        sqlx::query("UPDATE misconduct_reports SET updated_at = $1 WHERE id = $2")
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        log(
            &mut tx,
            format!("misconduct/{id}"),
            "evidence",
            json!({"type": "evidence", "sha256": file.map(|f| f.1.sha256.clone())}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(eid)
    }

    /// Concludes an investigation: findings (staff only), the conclusion, and the text the
    /// reporter sees by lookup code.
    pub async fn conclude_misconduct_report(
        &self,
        id: i64,
        conclusion: Conclusion,
        findings: &str,
        public_text: &str,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<()> {
        let findings = required_text("findings", findings, 10_000)?;
        let public_text = required_text("public_text", public_text, 2_000)?;
        let mut tx = self.write_tx().await?;
        let (state, _) = lock_state(&mut tx, id).await?;
        let state = state.conclude()?;
        set_state(&mut tx, id, state, at).await?;
        sqlx::query(
            "UPDATE misconduct_reports SET conclusion = $1, findings = $2, public_text = $3,
             concluded_at = $4 WHERE id = $5",
        )
        .bind(conclusion.as_str())
        .bind(&findings)
        .bind(&public_text)
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        log(
            &mut tx,
            format!("misconduct/{id}"),
            "concluded",
            json!({"type": "concluded", "status": state.as_str(), "conclusion": conclusion.as_str()}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records an action on one official; logged with the action, grade and unit codes.
    pub async fn add_accountability_action(
        &self,
        id: i64,
        a: &AccountabilityDraft,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<i64> {
        let mut tx = self.write_tx().await?;
        let (state, conclusion) = lock_state(&mut tx, id).await?;
        state.hold_accountable(conclusion)?;
        let aid: i64 = sqlx::query(
            "INSERT INTO misconduct_actions (report_id, action, sanction, official_post, unit_kind,
             unit_code, decided_on, basis, by_name, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(id)
        .bind(a.action.as_str())
        .bind(a.sanction.map(|s| s.as_str().to_string()))
        .bind(&a.official_post)
        .bind(a.unit.kind())
        .bind(a.unit.code())
        .bind(a.decided_on.to_string())
        .bind(&a.basis)
        .bind(&by.name)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        sqlx::query("UPDATE misconduct_reports SET updated_at = $1 WHERE id = $2")
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        log(
            &mut tx,
            format!("misconduct/{id}"),
            "accountability",
            json!({"type": "accountability", "action": a.action.as_str(),
                   "sanction": a.sanction.map(|s| s.as_str()), "unit": a.unit.code(),
                   "decided_on": a.decided_on.to_string()}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(aid)
    }

    /// Dismisses a signal with a reason: it stays away until its evidence grows.
    pub async fn dismiss_misconduct_signal(
        &self,
        key: &str,
        kind: SignalKind,
        evidence: i64,
        reason: &str,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<()> {
        let reason = required_text("reason", reason, 500)?;
        let mut tx = self.write_tx().await?;
        review_signal(
            &mut tx,
            (key, kind, evidence),
            "dismissed",
            &reason,
            None,
            by,
            at,
        )
        .await?;
        log(
            &mut tx,
            format!("misconduct-signal/{}", kind.as_str()),
            "signal_dismissed",
            json!({"type": "signal_dismissed", "kind": kind.as_str(), "evidence": evidence}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
