//! The delivery worker: claims due deliveries, sends them, records each attempt, and schedules
//! retries with exponential backoff (30 s · 2^(attempts−1), at most 1 h) until the 8th attempt.
//!
//! Every server may run it: claims are leases in the store, so a delivery is sent by one server
//! at a time. Delivery is at-least-once (a reply lost after the receiver acted is retried);
//! signed receivers can drop repeats by `X-Gongzhi-Delivery`.

use super::format::{self, WebhookMessage};
use gongzhi_store::{AttemptError, DueDelivery, Store, StoreError, now_millis};
use std::time::Duration;
use tokio::task::JoinSet;

/// Per request; well inside the store's claim lease (`CLAIM_LEASE_MS`).
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);
pub const MAX_ATTEMPTS: i64 = 8;
const FIRST_BACKOFF_MS: i64 = 30_000;
const MAX_BACKOFF_MS: i64 = 3_600_000;
/// Deliveries claimed and sent concurrently per round; all finish within one send timeout.
const BATCH: i64 = 32;
const POLL_EVERY: Duration = Duration::from_secs(2);

/// When to try again after `attempts` failed attempts, or `None` once they are used up.
pub fn backoff_ms(attempts: i64) -> Option<i64> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    Some((FIRST_BACKOFF_MS << doublings).min(MAX_BACKOFF_MS))
}

/// A client for webhooks: no redirects, because a redirect would carry a signed notice to an
/// address nobody configured; a 3xx counts as a failed attempt instead.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(SEND_TIMEOUT)
        .user_agent(concat!("gongzhi-webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("a client with static settings builds")
}

/// Claims what is due at `now_ms`, sends it and records the outcomes; returns how many
/// deliveries were attempted. Keeps claiming while full batches come back.
pub async fn run_once(
    store: &Store,
    client: &reqwest::Client,
    now_ms: i64,
) -> Result<usize, StoreError> {
    let mut done = 0;
    loop {
        let due = store.due_deliveries(now_ms, BATCH).await?;
        let claimed = due.len();
        let mut sends = JoinSet::new();
        for delivery in due {
            let (store, client) = (store.clone(), client.clone());
            sends.spawn(async move { deliver(&store, &client, delivery, now_ms).await });
        }
        let mut first_error = None;
        while let Some(joined) = sends.join_next().await {
            match joined {
                Ok(Ok(())) => done += 1,
                Ok(Err(e)) => {
                    tracing::error!(error = %e, "recording a webhook attempt failed");
                    first_error.get_or_insert(e);
                }
                // A panicking send leaves its claim to lapse; the delivery is retried later.
                Err(e) => tracing::error!(error = %e, "webhook send task failed"),
            }
        }
        if let Some(e) = first_error {
            return Err(e);
        }
        if (claimed as i64) < BATCH {
            return Ok(done);
        }
    }
}

/// Runs `run_once` every 2 s for the life of the process.
pub fn spawn(store: Store) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let client = http_client();
        let mut tick = tokio::time::interval(POLL_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = run_once(&store, &client, now_millis()).await {
                tracing::warn!(error = %e, "webhook delivery round failed");
            }
        }
    })
}

async fn deliver(
    store: &Store,
    client: &reqwest::Client,
    d: DueDelivery,
    now_ms: i64,
) -> Result<(), StoreError> {
    let notice: WebhookMessage = match serde_json::from_str(&d.payload) {
        Ok(n) => n,
        Err(e) => {
            // A payload that does not parse never will: fail it without retrying.
            let error = AttemptError {
                http_status: None,
                message: format!("payload is not a notice: {e}"),
            };
            store
                .record_delivery_attempt(d.id, Err(error), now_ms, None)
                .await?;
            return Ok(());
        }
    };
    let out = format::build(d.format, &d.url, &d.secret, &notice, d.id, now_ms);
    let outcome = send(client, d.format, out).await;
    if let Err(e) = &outcome {
        tracing::info!(delivery = d.id, webhook = d.webhook_id, error = %e.message, "webhook attempt failed");
    }
    let next = match outcome {
        Ok(_) => None,
        Err(_) => backoff_ms(d.attempts + 1).map(|b| now_ms + b),
    };
    store
        .record_delivery_attempt(d.id, outcome, now_ms, next)
        .await?;
    Ok(())
}

async fn send(
    client: &reqwest::Client,
    fmt: gongzhi_store::WebhookFormat,
    out: format::Outgoing,
) -> Result<i64, AttemptError> {
    let mut request = client.post(&out.url).timeout(SEND_TIMEOUT).body(out.body);
    for (name, value) in &out.headers {
        request = request.header(name, value);
    }
    let response = request.send().await.map_err(|e| AttemptError {
        http_status: None,
        // Without the URL: robot URLs carry their access token.
        message: e.without_url().to_string(),
    })?;
    let status = response.status().as_u16();
    let body = read_reply(response).await;
    format::judge(fmt, status, &body)
        .map(|()| i64::from(status))
        .map_err(|message| AttemptError {
            http_status: Some(i64::from(status)),
            message,
        })
}

/// The start of the reply (enough for a robot's `errcode`): a receiver cannot make us buffer
/// an endless body.
async fn read_reply(mut response: reqwest::Response) -> String {
    const MAX_REPLY: usize = 64 * 1024;
    let mut bytes = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        bytes.extend_from_slice(&chunk);
        if bytes.len() >= MAX_REPLY {
            bytes.truncate(MAX_REPLY);
            break;
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
#[path = "worker_tests.rs"]
mod tests;
