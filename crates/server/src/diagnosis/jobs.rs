//! The periodic diagnosis run: every few hours (and at start when the last run is older), one
//! server at a time (a PostgreSQL advisory lock), reading only the windows' cases.

use crate::state::AppState;
use gongzhi_store::{EventActor, StoreError};
use std::time::Duration;

/// The advisory lock key of the diagnosis job.
pub const DIAGNOSIS_LOCK: i64 = 7_262_028;

/// How old the last run may be before the job runs again.
pub const RUN_EVERY_MS: i64 = 6 * 3_600_000;

pub fn system() -> EventActor {
    EventActor {
        account_id: None,
        name: "定期诊断".into(),
    }
}

/// Runs when the last run is older than `RUN_EVERY_MS` (or there is none); whether it ran.
pub async fn tick(st: &AppState, now: i64) -> Result<bool, StoreError> {
    let due = match st.store.last_diagnosis_run().await? {
        Some(r) => now - r.finished_at >= RUN_EVERY_MS,
        None => true,
    };
    if due {
        let s = super::ops::run(&st.store, &system(), now).await?;
        tracing::info!(
            findings = s.findings,
            cases = s.counts.cases_read,
            millis = s.millis,
            "diagnosis run"
        );
    }
    Ok(due)
}

/// Looks every `every` whether a run is due, until the process ends.
pub fn spawn(st: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        loop {
            ticker.tick().await;
            match st.store.with_job_lock(DIAGNOSIS_LOCK).await {
                Ok(Some(guard)) => {
                    if let Err(e) = tick(&st, gongzhi_store::now_millis()).await {
                        tracing::warn!(error = %e, "diagnosis job");
                    }
                    guard.release().await;
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "diagnosis job lock"),
            }
        }
    })
}
