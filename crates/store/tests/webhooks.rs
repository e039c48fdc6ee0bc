//! Webhook subscriptions, the delivery queue and its log, on SQLite and PostgreSQL: fan-out by
//! event, claiming with a lease (two concurrent claimers get disjoint rows), retries, giving up,
//! cancelling on disable, and secrets kept out of listings and logs.

use gongzhi_store::pii::{MasterKey, PiiCipher};
use gongzhi_store::{
    Actor, AttemptError, CLAIM_LEASE_MS, DeliveryStatus, NewWebhook, Store, StoreError,
    WebhookEvent, WebhookFormat, WebhookSecret,
};
use gongzhi_testkit::{TestDb, backends};
use std::collections::HashSet;

async fn open(db: &TestDb) -> Store {
    Store::open(&db.url, PiiCipher::new(&MasterKey::from_bytes([42; 32])))
        .await
        .expect("open store")
}

fn hook(name: &str, format: WebhookFormat, events: &[WebhookEvent]) -> NewWebhook {
    NewWebhook {
        name: name.into(),
        url: format!("http://127.0.0.1:9/{name}?key=TOKEN-{name}"),
        format,
        secret: WebhookSecret::new(format!("secret-of-{name}")),
        events: events.to_vec(),
    }
}

fn http_error(status: i64) -> AttemptError {
    AttemptError {
        http_status: Some(status),
        message: format!("HTTP {status}"),
    }
}

const PAYLOAD: &str = r#"{"ticket":"2026112700001","title_zh":"井盖缺失"}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn webhook_queue_on_both_backends() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = open(&db).await;
        subscriptions_and_fan_out(&store).await;
        store.close().await;

        let db = TestDb::new(backend).await;
        let store = open(&db).await;
        retries_and_giving_up(&store).await;
        store.close().await;

        let db = TestDb::new(backend).await;
        let store = open(&db).await;
        concurrent_claimers_get_disjoint_rows(&store).await;
        store.close().await;
    }
}

async fn subscriptions_and_fan_out(store: &Store) {
    use WebhookEvent::*;
    let a = store
        .create_webhook(
            &hook("a", WebhookFormat::Signed, &[Dispatched, Overdue]),
            &Actor::SYSTEM,
        )
        .await
        .unwrap();
    let b = store
        .create_webhook(
            &hook("b", WebhookFormat::DingTalk, &[Overdue, Escalated]),
            &Actor::SYSTEM,
        )
        .await
        .unwrap();
    let listed = store.webhooks().await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].events, vec![Dispatched, Overdue]);
    assert!(listed[0].active && listed[0].has_secret);
    // Listings and logs hide the secret and the URL's token.
    let shown = format!("{listed:?} {}", serde_json::to_string(&listed).unwrap());
    assert!(
        !shown.contains("secret-of-") && !shown.contains("TOKEN-"),
        "{shown}"
    );
    assert_eq!(listed[1].url, "http://127.0.0.1:9/b?key=…");
    let audit = format!("{:?}", store.audit_entries(10).await.unwrap());
    assert!(audit.contains("webhook.create") && !audit.contains("secret-of-"));

    assert_eq!(
        store
            .enqueue_webhook_deliveries(Dispatched, 7, PAYLOAD)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .enqueue_webhook_deliveries(Overdue, 7, PAYLOAD)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        store
            .enqueue_webhook_deliveries(Summoned, 7, PAYLOAD)
            .await
            .unwrap(),
        0
    );
    let bad = store
        .enqueue_webhook_deliveries(Overdue, 7, "{not json")
        .await;
    assert!(matches!(
        bad,
        Err(StoreError::Conflict {
            code: "invalid_webhook_payload",
            ..
        })
    ));

    // Disabling cancels what was queued and stops new deliveries.
    store
        .set_webhook_active(b, false, &Actor::SYSTEM)
        .await
        .unwrap();
    let b_log = store.deliveries(b, 10).await.unwrap();
    assert_eq!(b_log.len(), 1);
    assert_eq!(b_log[0].status, DeliveryStatus::Cancelled);
    assert_eq!(
        store
            .enqueue_webhook_deliveries(Escalated, 7, PAYLOAD)
            .await
            .unwrap(),
        0
    );
    let now = gongzhi_store::now_millis();
    let due = store.due_deliveries(now + 1_000, 10).await.unwrap();
    assert_eq!(due.len(), 2);
    assert!(due.iter().all(|d| d.webhook_id == a));
    assert_eq!(due[0].secret.expose(), "secret-of-a");
    assert!(due[0].url.ends_with("?key=TOKEN-a"));
    let debug = format!("{due:?}");
    assert!(
        !debug.contains("secret-of-a") && !debug.contains("TOKEN-a"),
        "{debug}"
    );
    assert_eq!(
        store.deliveries(a, 10).await.unwrap()[0].status,
        DeliveryStatus::Sending
    );

    assert!(matches!(
        store.set_webhook_active(999, true, &Actor::SYSTEM).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.deliveries(999, 10).await,
        Err(StoreError::NotFound { .. })
    ));
}

async fn retries_and_giving_up(store: &Store) {
    let id = store
        .create_webhook(
            &hook("r", WebhookFormat::WeCom, &[WebhookEvent::Escalated]),
            &Actor::SYSTEM,
        )
        .await
        .unwrap();
    store
        .enqueue_webhook_deliveries(WebhookEvent::Escalated, 11, PAYLOAD)
        .await
        .unwrap();
    let t0 = gongzhi_store::now_millis() + 1_000;

    // First attempt fails with 500: pending again, due at the retry time only.
    let due = store.due_deliveries(t0, 10).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].attempts, 0);
    let d = due[0].id;
    let status = store
        .record_delivery_attempt(d, Err(http_error(500)), t0, Some(t0 + 30_000))
        .await
        .unwrap();
    assert_eq!(status, DeliveryStatus::Pending);
    // Recording twice for one claim is refused: the row is no longer being sent.
    assert!(matches!(
        store.record_delivery_attempt(d, Ok(200), t0, None).await,
        Err(StoreError::Conflict {
            code: "delivery_not_claimed",
            ..
        })
    ));
    assert!(
        store
            .due_deliveries(t0 + 29_999, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // A claim whose worker vanished lapses after the lease and is claimed again.
    let again = store.due_deliveries(t0 + 30_000, 10).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempts, 1);
    let t1 = t0 + 30_000;
    assert!(
        store
            .due_deliveries(t1 + CLAIM_LEASE_MS - 1, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let lapsed = store.due_deliveries(t1 + CLAIM_LEASE_MS, 10).await.unwrap();
    assert_eq!(lapsed.len(), 1);

    // A transport error with no retry left fails the delivery for good.
    let t2 = t1 + CLAIM_LEASE_MS;
    let status = store
        .record_delivery_attempt(
            d,
            Err(AttemptError {
                http_status: None,
                message: "connection refused".into(),
            }),
            t2,
            None,
        )
        .await
        .unwrap();
    assert_eq!(status, DeliveryStatus::Failed);
    assert!(
        store
            .due_deliveries(t2 + 86_400_000, 10)
            .await
            .unwrap()
            .is_empty()
    );

    let log = store.deliveries(id, 10).await.unwrap();
    assert_eq!(log.len(), 1);
    let row = &log[0];
    assert_eq!((row.attempts, row.status), (2, DeliveryStatus::Failed));
    assert_eq!(row.last_status, None);
    assert_eq!(row.last_error.as_deref(), Some("connection refused"));
    assert_eq!(row.log.len(), 2);
    assert_eq!(
        (
            row.log[0].attempt,
            row.log[0].http_status,
            row.log[0].outcome
        ),
        (1, Some(500), DeliveryStatus::Pending)
    );
    assert_eq!(row.log[0].error.as_deref(), Some("HTTP 500"));
    assert_eq!(
        (row.log[1].attempt, row.log[1].outcome),
        (2, DeliveryStatus::Failed)
    );

    // A successful attempt delivers.
    store
        .enqueue_webhook_deliveries(WebhookEvent::Escalated, 12, PAYLOAD)
        .await
        .unwrap();
    let due = store.due_deliveries(t2 + 1, 10).await.unwrap();
    assert_eq!(due.len(), 1);
    let status = store
        .record_delivery_attempt(due[0].id, Ok(204), t2 + 2, Some(0))
        .await
        .unwrap();
    assert_eq!(status, DeliveryStatus::Delivered);
    let newest = &store.deliveries(id, 1).await.unwrap()[0];
    assert_eq!(newest.case_id, 12);
    assert_eq!(newest.delivered_at, Some(t2 + 2));
    assert_eq!(newest.last_status, Some(204));
    assert_eq!(newest.log.len(), 1);
}

async fn concurrent_claimers_get_disjoint_rows(store: &Store) {
    for i in 0..3 {
        store
            .create_webhook(
                &hook(
                    &format!("c{i}"),
                    WebhookFormat::Signed,
                    &[WebhookEvent::Overdue],
                ),
                &Actor::SYSTEM,
            )
            .await
            .unwrap();
    }
    for case in 0..40 {
        store
            .enqueue_webhook_deliveries(WebhookEvent::Overdue, case, PAYLOAD)
            .await
            .unwrap();
    }
    let now = gongzhi_store::now_millis() + 1_000;
    // Several claimers race, each taking small batches until nothing is left.
    let claimers: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    let batch = store.due_deliveries(now, 7).await.unwrap();
                    if batch.is_empty() {
                        break mine;
                    }
                    mine.extend(batch.into_iter().map(|d| d.id));
                }
            })
        })
        .collect();
    let mut seen = HashSet::new();
    let mut total = 0;
    for c in claimers {
        for id in c.await.unwrap() {
            total += 1;
            assert!(seen.insert(id), "delivery {id} claimed twice");
        }
    }
    assert_eq!(total, 120);
    assert_eq!(seen.len(), 120);
}
