//! The deadline job: issues the clock's own commands (80% warning, overdue) when a case's
//! clock point comes, and escalates overdue cases up the chain through the domain's rules.
//! With several servers on one PostgreSQL, exactly one runs it at a time (advisory lock).

use crate::cases::service;
use crate::state::AppState;
use gongzhi_domain::case::{self, Actor};
use gongzhi_store::{EventActor, StoreError};
use std::time::Duration;

/// The advisory lock key of the deadline job.
pub const DEADLINE_LOCK: i64 = 7_262_002;

/// One pass: every case whose clock point has come gets the command the domain says is due.
/// Returns how many commands were applied.
pub async fn deadline_tick(st: &AppState, now: i64) -> Result<usize, StoreError> {
    let system = EventActor {
        account_id: None,
        name: "时限监控".into(),
    };
    let cfg = st.loop_cfg.fresh(&st.store).await?;
    let mut applied = 0;
    loop {
        let due = st.store.cases_due(now, 500).await?;
        if due.is_empty() {
            break;
        }
        let mut progressed = false;
        for row in due {
            let Some(cmd) = case::due_clock_command(&row.case, now, &cfg) else {
                // Nothing due after all (e.g. the case moved meanwhile): recompute its clock.
                st.store.reset_case_clock(row.id, None).await?;
                continue;
            };
            match service::run(
                st,
                row.id,
                Some(row.case.version),
                &Actor::System,
                &system,
                cmd,
                now,
            )
            .await
            {
                Ok(_) => {
                    applied += 1;
                    progressed = true;
                }
                Err(e) => tracing::warn!(case = row.id, error = %e.body.message_en, "deadline job"),
            }
        }
        if !progressed {
            break;
        }
    }
    // 吹哨报到's check-in clock runs under the same lock.
    applied += crate::cases::whistles::jobs::check_in_tick(st, now).await?;
    // 七天督办's clock too: warnings, overdue, supervision notices, accountability suggestions.
    applied += crate::supervision::jobs::tick(st, now).await?;
    Ok(applied)
}

/// Runs `deadline_tick` every `every` until the process ends. On PostgreSQL only the server
/// holding the advisory lock runs it; the others keep trying, so one takes over if it stops.
pub fn spawn(st: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        loop {
            ticker.tick().await;
            match st.store.with_job_lock(DEADLINE_LOCK).await {
                Ok(Some(guard)) => {
                    if let Err(e) = deadline_tick(&st, gongzhi_store::now_millis()).await {
                        tracing::warn!(error = %e, "deadline job");
                    }
                    guard.release().await;
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "deadline job lock"),
            }
        }
    })
}
