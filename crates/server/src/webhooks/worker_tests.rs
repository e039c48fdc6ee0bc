//! The worker against real local receivers (axum on 127.0.0.1, never anything else): a failed
//! attempt is logged and retried after the backoff, robot refusals and refused connections
//! count as failures, and the spawned loop delivers on its own.

use super::*;
use crate::webhooks::notify;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use gongzhi_store::{
    Actor, DeliveryStatus, NewWebhook, WebhookEvent, WebhookFormat, WebhookSecret,
};
use gongzhi_testkit::{Backend, TestDb};
use hmac::{Hmac, KeyInit, Mac};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

const SECRET: &str = "whsec-local-test-secret";

/// One request as the receiver saw it.
#[derive(Clone, Debug)]
struct Seen {
    path: String,
    event: String,
    delivery: String,
    timestamp: String,
    signature_ok: bool,
    body: String,
}

#[derive(Clone, Default)]
struct Receiver {
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Receiver {
    async fn start() -> (Receiver, SocketAddr) {
        let receiver = Receiver::default();
        let app = Router::new()
            .route("/hook", post(flaky_signed))
            .route("/ding", post(refusing_robot))
            .with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (receiver, addr)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn record(&self, path: &str, headers: &HeaderMap, body: String) -> bool {
        let get = |n: &str| {
            headers
                .get(n)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        let timestamp = get("x-gongzhi-timestamp");
        // Verified here with the hmac crate directly, as a receiver would.
        let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(SECRET.as_bytes()).unwrap();
        mac.update(format!("{timestamp}.{body}").as_bytes());
        let expected: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let signature_ok = get("x-gongzhi-signature") == format!("sha256={expected}");
        let mut seen = self.seen.lock().unwrap();
        seen.push(Seen {
            path: path.into(),
            event: get("x-gongzhi-event"),
            delivery: get("x-gongzhi-delivery"),
            timestamp,
            signature_ok,
            body,
        });
        seen.len() == 1
    }
}

/// Fails the first request with 500; accepts later ones when their signature is right.
async fn flaky_signed(State(r): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    let first = r.record("/hook", &headers, body);
    let ok = r.seen().last().is_some_and(|s| s.signature_ok);
    match (first, ok) {
        (true, _) => StatusCode::INTERNAL_SERVER_ERROR,
        (false, true) => StatusCode::OK,
        (false, false) => StatusCode::UNAUTHORIZED,
    }
}

/// Answers like a DingTalk robot whose signature check failed: HTTP 200 with an errcode.
async fn refusing_robot(
    State(r): State<Receiver>,
    headers: HeaderMap,
    body: String,
) -> (StatusCode, String) {
    r.record("/ding", &headers, body);
    (
        StatusCode::OK,
        r#"{"errcode":310000,"errmsg":"sign not match"}"#.into(),
    )
}

async fn store(db: &TestDb) -> Store {
    crate::test_app::open_store(db).await
}

fn notice(case_id: i64) -> WebhookMessage {
    WebhookMessage {
        event: WebhookEvent::Overdue,
        ticket: format!("20261127{case_id:05}"),
        title_zh: "路灯不亮".into(),
        summary_zh: "石路步行街东口路灯三天未亮".into(),
        url: None,
        at_ms: 1_764_230_400_000,
        case_id,
        department: Some("市政设施管理处".into()),
        level: 3,
        level_name: Some("社区".into()),
        deadline_ms: Some(1_764_316_800_000),
    }
}

async fn add_hook(store: &Store, url: String, format: WebhookFormat) -> i64 {
    store
        .create_webhook(
            &NewWebhook {
                name: "本地接收端".into(),
                url,
                format,
                secret: WebhookSecret::new(SECRET),
                events: vec![WebhookEvent::Overdue],
            },
            &Actor::SYSTEM,
        )
        .await
        .unwrap()
}

#[test]
fn backoff_doubles_from_30_s_and_stops_at_the_8th_attempt() {
    let secs: Vec<Option<i64>> = (1..=8).map(|a| backoff_ms(a).map(|b| b / 1000)).collect();
    assert_eq!(
        secs,
        [
            Some(30),
            Some(60),
            Some(120),
            Some(240),
            Some(480),
            Some(960),
            Some(1920),
            None
        ]
    );
}

#[tokio::test]
async fn failed_attempt_is_retried_after_backoff_and_both_are_logged() {
    let db = TestDb::new(Backend::Sqlite).await;
    let store = store(&db).await;
    let (receiver, addr) = Receiver::start().await;
    let hook = add_hook(&store, format!("http://{addr}/hook"), WebhookFormat::Signed).await;
    assert_eq!(notify(&store, &notice(7)).await.unwrap(), 1);
    let client = http_client();

    // First attempt: the receiver answers 500; a retry is scheduled 30 s later.
    let t0 = now_millis();
    assert_eq!(run_once(&store, &client, t0).await.unwrap(), 1);
    let d = &store.deliveries(hook, 10).await.unwrap()[0];
    assert_eq!((d.status, d.attempts), (DeliveryStatus::Pending, 1));
    assert_eq!(d.last_status, Some(500));
    assert_eq!(d.next_attempt_at, t0 + 30_000);
    assert_eq!(d.log.len(), 1);
    assert_eq!(
        (d.log[0].http_status, d.log[0].outcome),
        (Some(500), DeliveryStatus::Pending)
    );

    // Not due before the backoff has passed.
    assert_eq!(run_once(&store, &client, t0 + 29_999).await.unwrap(), 0);
    assert_eq!(receiver.seen().len(), 1);

    // Second attempt, once `now` is past the backoff: delivered.
    let t1 = t0 + 30_000;
    assert_eq!(run_once(&store, &client, t1).await.unwrap(), 1);
    let d = &store.deliveries(hook, 10).await.unwrap()[0];
    assert_eq!((d.status, d.attempts), (DeliveryStatus::Delivered, 2));
    assert_eq!((d.last_status, d.delivered_at), (Some(200), Some(t1)));
    let log: Vec<_> = d
        .log
        .iter()
        .map(|a| (a.attempt, a.at, a.http_status, a.outcome))
        .collect();
    assert_eq!(
        log,
        [
            (1, t0, Some(500), DeliveryStatus::Pending),
            (2, t1, Some(200), DeliveryStatus::Delivered)
        ]
    );
    assert_eq!(run_once(&store, &client, t1 + 86_400_000).await.unwrap(), 0);

    let seen = receiver.seen();
    assert_eq!(seen.len(), 2);
    for (s, t) in seen.iter().zip([t0, t1]) {
        assert!(s.signature_ok, "{s:?}");
        assert_eq!((s.path.as_str(), s.event.as_str()), ("/hook", "overdue"));
        assert_eq!(s.delivery, d.id.to_string());
        assert_eq!(s.timestamp, (t / 1000).to_string());
        let back: WebhookMessage = serde_json::from_str(&s.body).unwrap();
        assert_eq!(back, notice(7));
    }
    assert!(seen[1].body.contains("路灯不亮"));
}

#[tokio::test]
async fn robot_refusals_and_refused_connections_are_failures() {
    let db = TestDb::new(Backend::Sqlite).await;
    let store = store(&db).await;
    let (receiver, addr) = Receiver::start().await;
    let ding = add_hook(
        &store,
        format!("http://{addr}/ding?access_token=t"),
        WebhookFormat::DingTalk,
    )
    .await;
    // A port that was just free and is closed again: the connection is refused.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let closed_addr = closed.local_addr().unwrap();
    drop(closed);
    let gone = add_hook(
        &store,
        format!("http://{closed_addr}/hook"),
        WebhookFormat::Signed,
    )
    .await;
    assert_eq!(notify(&store, &notice(8)).await.unwrap(), 2);

    let t0 = now_millis();
    assert_eq!(run_once(&store, &http_client(), t0).await.unwrap(), 2);

    let d = &store.deliveries(ding, 10).await.unwrap()[0];
    assert_eq!(
        (d.status, d.last_status),
        (DeliveryStatus::Pending, Some(200))
    );
    assert_eq!(
        d.last_error.as_deref(),
        Some("errcode 310000: sign not match")
    );
    let seen = receiver.seen();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].body.contains(r#""msgtype":"markdown""#));
    assert!(seen[0].body.contains("路灯不亮"));

    let d = &store.deliveries(gone, 10).await.unwrap()[0];
    assert_eq!((d.status, d.last_status), (DeliveryStatus::Pending, None));
    assert!(d.last_error.is_some());
    assert_eq!(d.next_attempt_at, t0 + 30_000);
}

#[tokio::test]
async fn spawned_worker_delivers_by_itself() {
    let db = TestDb::new(Backend::Sqlite).await;
    let store = store(&db).await;
    let (receiver, addr) = Receiver::start().await;
    // The receiver fails its first request: take that one out of the way first.
    let warmup = reqwest::Client::new()
        .post(format!("http://{addr}/hook"))
        .body("warm-up")
        .send()
        .await
        .unwrap();
    assert_eq!(warmup.status().as_u16(), 500);
    let hook = add_hook(&store, format!("http://{addr}/hook"), WebhookFormat::Signed).await;
    notify(&store, &notice(9)).await.unwrap();

    let worker = spawn(store.clone());
    let mut status = DeliveryStatus::Pending;
    for _ in 0..50 {
        status = store.deliveries(hook, 1).await.unwrap()[0].status;
        if status == DeliveryStatus::Delivered {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    worker.abort();
    assert_eq!(status, DeliveryStatus::Delivered);
    assert_eq!(receiver.seen().len(), 2);
}
