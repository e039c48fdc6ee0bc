//! Outgoing webhooks on case events (issue 3, point 10): signed JSON, DingTalk and WeCom robots,
//! delivered by a background worker with retries, every attempt logged.
//!
//! Wiring: the application layer (`crate::app`) writes a delivery for every subscribed webhook
//! in the same transaction as the case change that causes it (the outbox);
//! `worker::spawn(store)` drains it after commit; `api::router()` is merged into the HTTP router.
//! `notify(&store, &notice)` queues a notice outside any case change.

pub mod api;
pub mod format;
pub mod worker;

pub use format::WebhookMessage;

use gongzhi_store::{Store, StoreError};

/// Queues `notice` for every active webhook subscribed to its event; returns how many
/// deliveries were queued (0 when nobody listens). The worker sends them.
pub async fn notify(store: &Store, notice: &WebhookMessage) -> Result<usize, StoreError> {
    let payload = serde_json::to_string(notice).expect("a notice always serialises");
    store
        .enqueue_webhook_deliveries(notice.event, notice.case_id, &payload)
        .await
}
