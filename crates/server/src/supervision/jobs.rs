//! The supervision clock job: records each order's transitions (warned, overdue, the
//! supervision notice, the accountability suggestion) when their instants come, without anyone
//! acting. `now` is a parameter so tests drive the clock; the deadline job's lock keeps it to
//! one server on PostgreSQL.

use crate::state::AppState;
use gongzhi_store::{EventActor, StoreError};

/// One pass at `now`: every open order whose next clock point has come; how many stages were
/// recorded.
pub async fn tick(st: &AppState, now: i64) -> Result<usize, StoreError> {
    let system = EventActor {
        account_id: None,
        name: "督办时限监控".into(),
    };
    let mut recorded = 0;
    loop {
        let due = st.store.supervisions_due(now, 500).await?;
        if due.is_empty() {
            break;
        }
        // Each advance sets the order's `next_at` past `now` or clears it: the list shrinks.
        for id in due {
            recorded += st.store.advance_supervision(id, now, &system).await?.len();
        }
    }
    Ok(recorded)
}
