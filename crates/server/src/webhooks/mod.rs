//! Outgoing webhooks on case events (issue 3, point 10): signed JSON, DingTalk and WeCom robots,
//! delivered by a background worker with retries, every attempt logged.
//!
//! Wiring: a handler or job that dispatches, warns, marks overdue, escalates or summons calls
//! `notify(&store, &notice)`; `worker::spawn(store)` runs at startup; `api::router()` is merged
//! into the HTTP router.

pub mod api;
pub mod format;
pub mod worker;

pub use format::Notice;

use gongzhi_store::{Store, StoreError};

/// Queues `notice` for every active webhook subscribed to its event; returns how many
/// deliveries were queued (0 when nobody listens). The worker sends them.
pub async fn notify(store: &Store, notice: &Notice) -> Result<usize, StoreError> {
    let payload = serde_json::to_string(notice).expect("a notice always serialises");
    store
        .enqueue_webhook_deliveries(notice.event, notice.case_id, &payload)
        .await
}
