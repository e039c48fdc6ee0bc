//! 应急 over HTTP on SQLite and PostgreSQL: an emergency case alerts every responsible level in
//! its intake's own transaction (inbox notices and robot deliveries timestamped with the report),
//! the robots served by this test receive DingTalk's signed text and WeCom's text mentioning
//! everyone, the job escalates after the configured minutes (its clock driven, not waited for)
//! until the responsible level acknowledges, staff check in with a position; drills are labelled
//! 演练, file no case, and end with the time each level took.

use crate::app::{GRID_ORIGINS, OWN_GRID, TestApp, spawn_app};
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::routing::post;
use base64::Engine;
use gongzhi_server::emergency::jobs::tick;
use gongzhi_store::{CaseFilter, now_millis};
use gongzhi_testkit::backends;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

const MINUTE: i64 = 60_000;
const DING_SECRET: &str = "SECdingtalk-test-secret";

/// One request a robot endpoint received: which robot, its query and its JSON body.
type Seen = (String, String, Value);

#[derive(Clone, Default)]
struct Robots {
    seen: Arc<Mutex<Vec<Seen>>>,
}

async fn ding(State(r): State<Robots>, RawQuery(q): RawQuery, body: String) -> &'static str {
    let v = serde_json::from_str(&body).unwrap_or(Value::Null);
    r.seen
        .lock()
        .unwrap()
        .push(("ding".into(), q.unwrap_or_default(), v));
    r#"{"errcode":0,"errmsg":"ok"}"#
}

async fn wecom(State(r): State<Robots>, RawQuery(q): RawQuery, body: String) -> &'static str {
    let v = serde_json::from_str(&body).unwrap_or(Value::Null);
    r.seen
        .lock()
        .unwrap()
        .push(("wecom".into(), q.unwrap_or_default(), v));
    r#"{"errcode":0,"errmsg":"ok"}"#
}

async fn robots() -> (Robots, std::net::SocketAddr) {
    let r = Robots::default();
    let app = Router::new()
        .route("/robot/send", post(ding))
        .route("/cgi-bin/webhook/send", post(wecom))
        .with_state(r.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (r, addr)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// DingTalk's check of a signed robot URL: sign = base64(HMAC-SHA256(secret, "ts\nsecret")).
fn dingtalk_signature_ok(query: &str) -> bool {
    let get = |k: &str| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
            .map(percent_decode)
    };
    let (Some(ts), Some(sign)) = (get("timestamp"), get("sign")) else {
        return false;
    };
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(DING_SECRET.as_bytes()).unwrap();
    mac.update(format!("{ts}\n{DING_SECRET}").as_bytes());
    let want = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    sign == want
}

async fn hook(app: &TestApp, name: &str, url: String, format: &str, secret: &str) -> i64 {
    let (s, h) = app
        .post_json_as(
            "admin",
            "/api/v1/webhooks",
            json!({"name": name, "url": url, "format": format, "secret": secret,
                   "events": ["emergency"]}),
        )
        .await;
    assert_eq!(s, 201, "{h}");
    h["id"].as_i64().unwrap()
}

async fn deliveries(app: &TestApp, hook: i64) -> Vec<Value> {
    app.get_json_as("admin", &format!("/api/v1/webhooks/{hook}/deliveries"))
        .await
        .as_array()
        .unwrap()
        .clone()
}

fn kinds_for(inbox: &Value, case_id: i64) -> Vec<String> {
    inbox["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["case_id"] == case_id)
        .map(|n| n["kind"].as_str().unwrap().to_string())
        .collect()
}

fn level<'a>(board: &'a Value, tier: &str) -> &'a Value {
    board["levels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["tier"] == tier)
        .unwrap_or_else(|| panic!("no {tier} level in {board}"))
}

#[tokio::test]
async fn an_emergency_alerts_every_level_at_once_and_escalates_in_minutes() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (seen, addr) = robots().await;
        let ding = hook(
            &app,
            "应急钉钉群",
            format!("http://{addr}/robot/send?access_token=t0ken"),
            "dingtalk",
            DING_SECRET,
        )
        .await;
        let wecom = hook(
            &app,
            "应急企业微信群",
            format!("http://{addr}/cgi-bin/webhook/send?key=k3y"),
            "wecom",
            "",
        )
        .await;
        // Minutes per level: bad input names its field and changes nothing.
        let (s, e) = app
            .post_json_as(
                "admin",
                "/api/v1/emergencies/settings",
                json!({"grid_minutes": 0, "community_minutes": 3, "street_minutes": 4, "district_minutes": 5}),
            )
            .await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("grid_minutes")),
            "{e}"
        );
        let (s, _) = app
            .post_json_as(
                "street",
                "/api/v1/emergencies/settings",
                json!({"grid_minutes": 2, "community_minutes": 3, "street_minutes": 4, "district_minutes": 5}),
            )
            .await;
        assert_eq!(s, 403, "only the city sets the minutes");
        let (s, m) = app
            .post_json_as(
                "admin",
                "/api/v1/emergencies/settings",
                json!({"grid_minutes": 2, "community_minutes": 3, "street_minutes": 4, "district_minutes": 5}),
            )
            .await;
        assert_eq!(s, 200, "{m}");

        // The community files an emergency in its grid; the rules dispatch it.
        let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0004, GRID_ORIGINS[0].2 + 0.0004);
        let (s, v) = app
            .post_json_as(
                "community",
                "/api/v1/cases",
                json!({"category": "E0102", "lon": lon, "lat": lat,
                       "description": "燃气管道泄漏，已疏散", "emergency": true}),
            )
            .await;
        assert_eq!(s, 201, "{backend:?} {v}");
        let case_id = v["case"]["id"].as_i64().unwrap();
        let reported = v["case"]["reported_at"].as_i64().unwrap();
        let department = v["case"]["department"].as_str().map(str::to_string);

        let list = app.get_json_as("admin", "/api/v1/emergencies").await;
        let rows = list.as_array().unwrap();
        assert_eq!(rows.len(), 1, "{list}");
        assert_eq!(rows[0]["case_id"], case_id);
        assert_eq!(rows[0]["drill"], false);
        assert_eq!(rows[0]["stage"], "grid");
        let id = rows[0]["id"].as_i64().unwrap();
        let path = format!("/api/v1/emergencies/{id}");
        let board = app.get_json_as("admin", &path).await;

        // Every level, at once: alerted within one second of the report.
        let mut tiers = vec!["grid", "community", "street", "district", "city"];
        if department.is_some() {
            tiers.push("department");
        }
        let got: Vec<&str> = board["levels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["tier"].as_str().unwrap())
            .collect();
        assert_eq!(got, tiers, "{board}");
        for t in &tiers {
            let at = level(&board, t)["alerted_at"].as_i64().unwrap();
            assert!(
                (0..1000).contains(&(at - reported)),
                "{t}: {at} vs {reported}"
            );
        }
        // Their inboxes, with the same instants.
        let mut inboxes = vec![
            ("grid", "emergency"),
            ("community", "emergency"),
            ("street", "emergency"),
            ("district", "emergency"),
        ];
        if department.as_deref() == Some("CG") {
            inboxes.push(("department", "emergency"));
        }
        for (who, kind) in &inboxes {
            let inbox = app.get_json_as(who, "/api/v1/inbox").await;
            assert!(
                kinds_for(&inbox, case_id).contains(&kind.to_string()),
                "{who}: {inbox}"
            );
            let n = inbox["notifications"]
                .as_array()
                .unwrap()
                .iter()
                .find(|n| n["case_id"] == case_id && n["kind"] == *kind)
                .unwrap();
            let at = n["at"].as_i64().unwrap();
            assert!((0..1000).contains(&(at - reported)), "{who}: {n}");
        }
        // One robot delivery per robot, queued with the report, sent by the worker at once.
        for h in [ding, wecom] {
            let d = deliveries(&app, h).await;
            assert_eq!(d.len(), 1, "{d:?}");
            assert_eq!(d[0]["event"], "emergency");
            let at = d[0]["created_at"].as_i64().unwrap();
            assert!((0..1000).contains(&(at - reported)), "{d:?}");
        }
        let client = gongzhi_server::webhooks::worker::http_client();
        let sent = gongzhi_server::webhooks::worker::run_once(&app.store, &client, now_millis())
            .await
            .unwrap();
        assert_eq!(sent, 2);
        let got = seen.seen.lock().unwrap().clone();
        assert_eq!(got.len(), 2, "both robots");
        for (robot, query, body) in &got {
            assert_eq!(body["msgtype"], "text", "{body}");
            let text = body["text"]["content"].as_str().unwrap();
            assert!(
                text.contains("【紧急警报】") && text.contains("燃气"),
                "{text}"
            );
            assert!(text.contains("网格") && text.contains("街道"), "{text}");
            match robot.as_str() {
                "ding" => {
                    assert_eq!(body["at"]["isAtAll"], true, "{body}");
                    assert!(query.contains("access_token=t0ken"), "{query}");
                    assert!(
                        dingtalk_signature_ok(query),
                        "a valid DingTalk signature: {query}"
                    );
                }
                _ => {
                    assert_eq!(body["text"]["mentioned_list"], json!(["@all"]), "{body}");
                    assert_eq!(query, "key=k3y");
                }
            }
        }

        // Escalation in minutes: nothing before the grid's 2 minutes, then the community.
        let st = &app.state;
        assert_eq!(tick(st, reported + 2 * MINUTE - 1).await.unwrap(), 0);
        assert_eq!(tick(st, reported + 2 * MINUTE).await.unwrap(), 1);
        let board = app.get_json_as("admin", &path).await;
        assert_eq!(board["emergency"]["stage"], "community", "{board}");
        assert!(
            level(&board, "community")["escalated_at"].is_i64(),
            "{board}"
        );
        assert_eq!(
            board["next_escalation_at"].as_i64().unwrap(),
            reported + 2 * MINUTE + 3 * MINUTE
        );
        let inbox = app.get_json_as("community", "/api/v1/inbox").await;
        assert!(
            kinds_for(&inbox, case_id).contains(&"emergency_escalated".to_string()),
            "{inbox}"
        );
        assert_eq!(deliveries(&app, ding).await.len(), 2);

        // Acknowledging: the grid's (below the responsible level) does not stop the clock; the
        // community's does. Twice is a conflict; supervision watches and answers for no level.
        let (s, a) = app
            .post_json_as("grid", &format!("{path}/acknowledge"), json!({}))
            .await;
        assert_eq!((s, a["tier"].as_str()), (200, Some("grid")), "{a}");
        assert!(a["board"]["next_escalation_at"].is_i64());
        let (s, a) = app
            .post_json_as("community", &format!("{path}/acknowledge"), json!({}))
            .await;
        assert_eq!((s, a["tier"].as_str()), (200, Some("community")), "{a}");
        assert!(a["board"]["next_escalation_at"].is_null(), "{a}");
        let (s, _) = app
            .post_json_as("community", &format!("{path}/acknowledge"), json!({}))
            .await;
        assert_eq!(s, 409);
        let (s, _) = app
            .post_json_as("supervisor", &format!("{path}/acknowledge"), json!({}))
            .await;
        assert_eq!(s, 403);
        assert_eq!(
            tick(st, reported + 60 * MINUTE).await.unwrap(),
            0,
            "stopped"
        );
        let board = app.get_json_as("admin", &path).await;
        let ack = level(&board, "community")["acknowledged_at"]
            .as_i64()
            .unwrap();
        assert!(ack >= reported);

        // Checking in: a position is required; staff outside see nothing.
        let (s, e) = app
            .post_json_as("grid", &format!("{path}/check-ins"), json!({"lat": lat}))
            .await;
        assert_eq!((s, e["error"]["field"].as_str()), (400, Some("lon")), "{e}");
        let (s, b) = app
            .post_json_as(
                "grid",
                &format!("{path}/check-ins"),
                json!({"lon": lon, "lat": lat}),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        assert_eq!(b["check_ins"].as_array().unwrap().len(), 1, "{b}");
        assert_eq!(b["check_ins"][0]["lon"].as_f64(), Some(lon));
        let r = app.get_as("resident", "/api/v1/emergencies").await;
        assert_eq!(r.status(), 403);
        let r = app.get_as("resident", &path).await;
        assert_eq!(r.status(), 403);
        // The list is the policy's: the grid worker's own grid holds it.
        let mine = app.get_json_as("grid", "/api/v1/emergencies").await;
        assert_eq!(mine.as_array().unwrap().len(), 1);
        let x = app.get_as("admin", "/api/v1/emergencies.xlsx").await;
        assert_eq!(x.status(), 200);
        // The board page, phone first, with its live part.
        let page = app.get_as("grid", &format!("/emergencies/{id}")).await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(
            html.contains("board-live") && html.contains("check-ins"),
            "board page"
        );
    }
}

#[tokio::test]
async fn a_drill_is_labelled_files_no_case_and_ends_with_a_summary() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (_seen, addr) = robots().await;
        let ding = hook(
            &app,
            "演练群",
            format!("http://{addr}/robot/send?access_token=t"),
            "dingtalk",
            DING_SECRET,
        )
        .await;
        let cases_before = app.store.count_cases(&CaseFilter::default()).await.unwrap();
        for (who, body, status, field) in [
            (
                "street",
                json!({"title": "  ", "grid": OWN_GRID}),
                422,
                Some("title"),
            ),
            (
                "street",
                json!({"title": "演练", "grid": "12"}),
                422,
                Some("grid"),
            ),
            ("street", json!({"title": "演练"}), 400, Some("community")),
            (
                "community",
                json!({"title": "燃气泄漏演练", "grid": OWN_GRID}),
                403,
                None,
            ),
        ] {
            let (s, e) = app
                .post_json_as(who, "/api/v1/emergencies/drills", body)
                .await;
            assert_eq!(
                (s, e["error"]["field"].as_str()),
                (status, field),
                "{who} {e}"
            );
        }
        assert!(
            app.get_json_as("admin", "/api/v1/emergencies?all=1")
                .await
                .as_array()
                .unwrap()
                .is_empty()
        );

        let (s, b) = app
            .post_json_as(
                "street",
                "/api/v1/emergencies/drills",
                json!({"title": "燃气泄漏演练", "grid": OWN_GRID}),
            )
            .await;
        assert_eq!(s, 201, "{backend:?} {b}");
        assert_eq!(b["emergency"]["drill"], true);
        let id = b["emergency"]["id"].as_i64().unwrap();
        let started = b["emergency"]["reported_at"].as_i64().unwrap();
        let n_levels = b["levels"].as_array().unwrap().len();
        assert_eq!(n_levels, 5, "{b}");
        // No case, and the robots' message says 演练.
        assert_eq!(
            app.store.count_cases(&CaseFilter::default()).await.unwrap(),
            cases_before
        );
        let d = deliveries(&app, ding).await;
        assert_eq!(d.len(), 1);
        assert!(d[0]["payload"].as_str().unwrap().contains("演练"), "{d:?}");
        let drills = app
            .get_json_as("street", "/api/v1/emergencies?drill=1")
            .await;
        assert_eq!(drills.as_array().unwrap().len(), 1);
        let real = app
            .get_json_as("street", "/api/v1/emergencies?drill=0")
            .await;
        assert!(real.as_array().unwrap().is_empty());

        // The grid acknowledges; the street ends it; the summary gives each level its time.
        let path = format!("/api/v1/emergencies/{id}");
        let (s, _) = app
            .post_json_as("grid", &format!("{path}/acknowledge"), json!({}))
            .await;
        assert_eq!(s, 200);
        let (s, b) = app
            .post_json_as("street", &format!("{path}/end"), json!({}))
            .await;
        assert_eq!(s, 200, "{b}");
        assert!(b["emergency"]["closed_at"].is_i64());
        let summary = b["time_to_acknowledge"].as_array().unwrap();
        assert_eq!(summary.len(), 5);
        let grid_took = summary[0][1].as_i64().unwrap();
        let ack = level(&b, "grid")["acknowledged_at"].as_i64().unwrap();
        assert_eq!(grid_took, ack - started);
        assert!(summary[1][1].is_null(), "the community never acknowledged");
        let (s, _) = app
            .post_json_as("street", &format!("{path}/end"), json!({}))
            .await;
        assert_eq!(s, 409);
        // Over: no escalation, no more check-ins.
        assert_eq!(tick(&app.state, started + 600 * MINUTE).await.unwrap(), 0);
        let (s, _) = app
            .post_json_as(
                "grid",
                &format!("{path}/check-ins"),
                json!({"lon": 120.6004, "lat": 31.3004}),
            )
            .await;
        assert_eq!(s, 409);
    }
}
