//! Diagnosis writes: a run's findings replacing the open ones, and a finding marked as acted
//! on in the transaction that opens the supervision order or the case — each logged on
//! `diagnosis_run/ID` or `diagnosis_finding/ID` (codes, ids and counts).

use super::rows::{FindingAct, RunCounts};
use crate::db::Store;
use crate::error::StoreError;
use crate::exec::Exec;
use crate::ledger::{RecordEvent, append_record_x};
use crate::red_grid::log;
use crate::sql::{Arg, Sql};
use crate::supervision::insert_order;
use crate::{EventActor, Millis, SupervisedItem};
use gongzhi_domain::calendar::DAY_MS;
use gongzhi_domain::diagnosis::{ActedKind, Finding};
use gongzhi_domain::supervision::{ClockPoints, ClockSettings};
use serde_json::json;
use sqlx::{AnyConnection, Row};
use std::collections::HashSet;

/// A finding acted on is not raised again by a run for this long.
pub const ACTED_QUIET_MS: i64 = 30 * DAY_MS;

/// The cases kept with a finding; `case_count` counts them all.
const MAX_CASE_IDS: usize = 500;

fn already_acted() -> StoreError {
    StoreError::Conflict {
        code: "finding_acted",
        zh: "该发现已处置（已督办或已立案交办）".into(),
        en: "the finding was acted on already".into(),
    }
}

/// The update that marks finding `id` acted on, if it is still open.
fn mark_sql(id: i64, kind: ActedKind, reference: i64, by: &str, at: Millis) -> Sql {
    let mut q = Sql::new("UPDATE diagnosis_findings SET status = 'acted', acted_kind = ");
    q.bind(Arg::Text(kind.as_str().into()))
        .push(", acted_ref = ")
        .bind(Arg::Int(reference))
        .push(", acted_by_name = ")
        .bind(Arg::Text(by.into()))
        .push(", acted_at = ")
        .bind(Arg::Int(at))
        .push(", version = version + 1 WHERE status = 'open' AND id = ")
        .bind(Arg::Int(id));
    q
}

fn acted_payload(kind: ActedKind, reference: i64) -> serde_json::Value {
    json!({"type": "acted", "action": kind.as_str(), "ref": reference})
}

/// Marks the finding as acted on by the case just opened for it, on the case write's executor
/// (the same transaction as the case); refused when it was acted on meanwhile.
pub(crate) async fn mark_case_opened<X: Exec>(
    x: &mut X,
    act: &FindingAct,
    case_id: i64,
    at: Millis,
) -> Result<(), StoreError> {
    let q = mark_sql(act.finding_id, ActedKind::Case, case_id, &act.by.name, at);
    if x.execute(&q).await? == 0 {
        return Err(already_acted());
    }
    append_record_x(
        x,
        &RecordEvent {
            subject: format!("diagnosis_finding/{}", act.finding_id),
            kind: "acted",
            payload: acted_payload(ActedKind::Case, case_id),
            actor_id: act.by.account_id,
            actor_name: &act.by.name,
            at,
        },
    )
    .await?;
    Ok(())
}

async fn mark_supervised(
    conn: &mut AnyConnection,
    backend: crate::db::Backend,
    finding: i64,
    order: i64,
    by: &EventActor,
    at: Millis,
) -> Result<(), StoreError> {
    let q = mark_sql(finding, ActedKind::Supervision, order, &by.name, at);
    let done = q.query(backend).execute(&mut *conn).await?.rows_affected();
    if done == 0 {
        return Err(already_acted());
    }
    log(
        conn,
        format!("diagnosis_finding/{finding}"),
        "acted",
        acted_payload(ActedKind::Supervision, order),
        by,
        at,
    )
    .await?;
    Ok(())
}

impl Store {
    /// Stores a run's findings in place of the open ones (those acted on stay; a finding whose
    /// key was acted on in the last 30 days is not stored again) with the run's counts; one
    /// transaction, logged on `diagnosis_run/ID`. Returns the run's id and the findings kept.
    pub async fn store_diagnosis_run(
        &self,
        findings: &[Finding],
        counts: &RunCounts,
        settings: &serde_json::Value,
        started_at: Millis,
        by: &EventActor,
        at: Millis,
    ) -> Result<(i64, usize), StoreError> {
        let mut tx = self.write_tx().await?;
        let quiet: HashSet<String> = sqlx::query(
            "SELECT finding_key FROM diagnosis_findings WHERE status = 'acted' AND acted_at >= $1",
        )
        .bind(at - ACTED_QUIET_MS)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.try_get::<String, _>("finding_key"))
        .collect::<Result<_, _>>()?;
        sqlx::query("DELETE FROM diagnosis_findings WHERE status = 'open'")
            .execute(&mut *tx)
            .await?;
        let kept: Vec<&Finding> = findings
            .iter()
            .filter(|f| !quiet.contains(&f.key))
            .collect();
        let run: i64 = sqlx::query(
            "INSERT INTO diagnosis_runs (started_at, finished_at, cases_from, cases_read,
             baseline_cells, moves_read, findings, settings, by_name)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(started_at)
        .bind(at)
        .bind(counts.cases_from)
        .bind(counts.cases_read)
        .bind(counts.baseline_cells)
        .bind(counts.moves_read)
        .bind(kept.len() as i64)
        .bind(settings.to_string())
        .bind(&by.name)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for chunk in kept.chunks(200) {
            let mut q = Sql::new(
                "INSERT INTO diagnosis_findings (run_id, kind, finding_key, place_code, grid_code,
                 category_code, department_code, score, evidence, case_ids, case_count,
                 found_at, status) VALUES ",
            );
            let mut rows = Vec::with_capacity(chunk.len());
            for f in chunk {
                let ids: Vec<i64> = f.cases.iter().copied().take(MAX_CASE_IDS).collect();
                rows.push(vec![
                    Arg::Int(run),
                    Arg::Text(f.kind.as_str().into()),
                    Arg::Text(f.key.clone()),
                    Arg::OptText(f.place.map(|p| p.as_str().to_string())),
                    Arg::OptText(f.grid.map(|g| g.as_str().to_string())),
                    Arg::OptText(f.category.clone()),
                    Arg::OptText(f.department.clone()),
                    Arg::Real(if f.score.is_finite() { f.score } else { 0.0 }),
                    Arg::Text(
                        serde_json::to_string(&f.evidence)
                            .map_err(|e| StoreError::corrupt(format!("evidence: {e}")))?,
                    ),
                    Arg::Text(json!(ids).to_string()),
                    Arg::Int(f.cases.len() as i64),
                    Arg::Int(at),
                    Arg::Text("open".into()),
                ]);
            }
            q.values(rows);
            q.query(self.backend).execute(&mut *tx).await?;
        }
        log(
            &mut tx,
            format!("diagnosis_run/{run}"),
            "run",
            json!({
                "type": "run",
                "cases_from": counts.cases_from,
                "cases_read": counts.cases_read,
                "baseline_cells": counts.baseline_cells,
                "moves_read": counts.moves_read,
                "findings": kept.len(),
            }),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok((run, kept.len()))
    }

    /// Opens a seven-day supervision order on `item` (the finding's lead case) and marks the
    /// finding acted on, in one transaction; refused (409) when it was acted on already.
    #[allow(clippy::too_many_arguments)]
    pub async fn supervise_finding(
        &self,
        finding: i64,
        item: &SupervisedItem,
        demand: &str,
        settings: &ClockSettings,
        points: &ClockPoints,
        by: &EventActor,
        at: Millis,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let order = insert_order(&mut tx, item, demand, settings, points, by, at).await?;
        mark_supervised(&mut tx, self.backend, finding, order, by, at).await?;
        tx.commit().await?;
        Ok(order)
    }
}
