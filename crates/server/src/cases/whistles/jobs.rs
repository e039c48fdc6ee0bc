//! The check-in clock of 吹哨报到: when a summoned part's clock point comes (its reminder, then
//! its deadline) the domain's clock command is issued as the system, which notifies the
//! department (reminder) or the street (overdue). Runs inside the deadline job, under its lock.

use crate::cases::service;
use crate::state::AppState;
use gongzhi_domain::case::Actor;
use gongzhi_store::{EventActor, StoreError};

/// One pass over the parts whose clock point has come; returns how many commands were applied.
pub async fn check_in_tick(st: &AppState, now: i64) -> Result<usize, StoreError> {
    let system = EventActor {
        account_id: None,
        name: "报到监控".into(),
    };
    let mut applied = 0;
    loop {
        let due = st.store.whistle_cases_due(now, 200).await?;
        if due.is_empty() {
            break;
        }
        let mut progressed = false;
        for row in due {
            let commands: Vec<_> = row
                .case
                .whistles
                .iter()
                .flat_map(|w| &w.parts)
                .filter_map(|p| p.due(now).map(|cmd| (p.department.clone(), cmd)))
                .collect();
            if commands.is_empty() {
                // Nothing due after all (the case moved meanwhile): put the stored clocks back in
                // step with the parts.
                for w in &row.case.whistles {
                    for p in &w.parts {
                        st.store
                            .reset_whistle_clock(row.id, w.no, &p.department, p.clock_at())
                            .await?;
                    }
                }
                continue;
            }
            for (department, cmd) in commands {
                // No version: each command sees the case as the previous one left it.
                match service::run(st, row.id, None, &Actor::System, &system, cmd, now).await {
                    Ok(_) => {
                        applied += 1;
                        progressed = true;
                    }
                    Err(e) => tracing::warn!(
                        case = row.id,
                        department = %department,
                        error = %e.body.message_en,
                        "check-in clock"
                    ),
                }
            }
        }
        if !progressed {
            break;
        }
    }
    Ok(applied)
}
