//! The escalation job: every few seconds, each open emergency whose responsible level let its
//! minutes pass unacknowledged is escalated to the next level, which is alerted (inbox, robots
//! and webhooks) in the same transaction. `now` is a parameter so tests drive the clock; with
//! several servers on PostgreSQL one holds the advisory lock and runs it.

use super::alerts::{self, About};
use crate::state::AppState;
use gongzhi_domain::emergency::{Tier, next_stage};
use gongzhi_store::StoreError;
use std::time::Duration;

/// The advisory lock key of the escalation job.
pub const EMERGENCY_LOCK: i64 = 7_262_038;
/// How often the job looks: escalation is in minutes, so a few seconds late at most.
pub const EVERY: Duration = Duration::from_secs(5);

/// One pass at `now`; returns how many escalations were recorded.
pub async fn tick(st: &AppState, now: i64) -> Result<usize, StoreError> {
    let minutes = st.store.emergency_minutes().await?;
    let lookups = st.store.lookups().await?;
    let mut done = 0;
    // Each pass moves every due emergency one level or stops its clock, so the list shrinks;
    // an emergency far behind (the server was down) climbs one level per pass.
    for _ in 0..6 {
        let due = st.store.emergencies_due(now, 500).await?;
        if due.is_empty() {
            break;
        }
        for id in due {
            let Some(b) = st.store.emergency_board(id).await? else {
                continue;
            };
            let e = &b.emergency;
            let place = e.place();
            let acked: Vec<Tier> = b.acks().into_iter().map(|(t, _)| t).collect();
            match next_stage(&place, e.stage, e.stage_at, &acked, minutes) {
                Ok((at, to)) if at <= now => {
                    let next_at = next_stage(&place, to, now, &acked, minutes)
                        .ok()
                        .map(|(t, _)| t);
                    let about = About {
                        title: &e.title,
                        detail: "",
                        ticket: e.ticket.as_deref().unwrap_or(""),
                        case_id: e.case_id.unwrap_or(0),
                        drill: e.drill,
                        place: &place,
                        lookups: &lookups,
                        at: now,
                    };
                    let Some(notice) = alerts::escalated(&about, e.stage, to) else {
                        continue;
                    };
                    if st
                        .store
                        .escalate_emergency(id, e.stage, to, next_at, &notice, now)
                        .await?
                    {
                        done += 1;
                    }
                }
                // Not due after all (the minutes changed): the clock is set again.
                Ok((at, _)) => st.store.set_emergency_clock(id, Some(at)).await?,
                Err(_) => st.store.set_emergency_clock(id, None).await?,
            }
        }
    }
    Ok(done)
}

/// Runs `tick` every few seconds for the life of the process.
pub fn spawn(st: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(EVERY);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            match st.store.with_job_lock(EMERGENCY_LOCK).await {
                Ok(Some(guard)) => {
                    if let Err(e) = tick(&st, gongzhi_store::now_millis()).await {
                        tracing::warn!(error = %e, "emergency escalation job");
                    }
                    guard.release().await;
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "emergency job lock"),
            }
        }
    })
}
