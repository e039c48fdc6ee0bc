//! One write path (issue 10): the same report through every entry point — the web form, the
//! JSON API, Open311 and a 12345 hotline row — becomes the same case: the same events, the same
//! log entries, the same notice and webhook delivery, written by the same intake. The deadline
//! job's warning goes through the same command path and tells the department the same way.

use crate::app::{GRID_ORIGINS, TestApp, spawn_app};
use gongzhi_store::{Actor, NewWebhook, WebhookEvent, WebhookFormat, WebhookSecret};
use gongzhi_testkit::backends;
use rust_xlsxwriter::Workbook;
use serde_json::{Value, json};
use sqlx::Row;

const DESCRIPTION: &str = "楼道里堆满杂物，消防通道被堵";
const ADDRESS: &str = "测试路1号";

fn point() -> (f64, f64) {
    (GRID_ORIGINS[0].1 + 0.0004, GRID_ORIGINS[0].2 + 0.0004)
}

/// What intake wrote for one case, channel and authors aside.
#[derive(Debug, PartialEq)]
struct Written {
    state: String,
    department: Option<String>,
    events: Vec<String>,
    log_entries: Vec<String>,
    notices: Vec<(String, String)>,
    deliveries: Vec<String>,
}

async fn written(app: &TestApp, id: i64) -> Written {
    let row = app.store.case(id).await.unwrap().expect("the case");
    let events = app.store.case_events(id).await.unwrap();
    let log_entries = app
        .store
        .ledger_case_entries(id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| {
            assert!(e.matches_event, "case {id}: entry {} re-derives", e.seq);
            e.kind
        })
        .collect();
    let notices =
        sqlx::query("SELECT recipient, kind FROM notifications WHERE case_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(app.store.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get("recipient"), r.get("kind")))
            .collect();
    let deliveries =
        sqlx::query("SELECT event FROM webhook_deliveries WHERE case_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(app.store.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| r.get("event"))
            .collect();
    Written {
        state: row.case.state.as_str().to_string(),
        department: row.case.department.clone(),
        events: events.iter().map(|e| e.kind.clone()).collect(),
        log_entries,
        notices,
        deliveries,
    }
}

async fn by_api(app: &TestApp) -> i64 {
    let (lon, lat) = point();
    let r = app
        .client
        .post(app.url("/api/v1/cases"))
        .bearer_auth(&app.tokens["resident"])
        .json(&json!({"category": "E0102", "lon": lon, "lat": lat, "address": ADDRESS, "description": DESCRIPTION}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    v["case"]["id"].as_i64().unwrap()
}

async fn by_form(app: &TestApp) -> i64 {
    let (lon, lat) = point();
    let form = reqwest::multipart::Form::new()
        .text("category", "E0102")
        .text("lon", lon.to_string())
        .text("lat", lat.to_string())
        .text("address", ADDRESS)
        .text("description", DESCRIPTION);
    let r = app
        .client
        .post(app.url("/report"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let page = r.text().await.unwrap();
    assert_eq!(status, 200, "{page}");
    newest(app).await
}

async fn by_open311(app: &TestApp) -> i64 {
    let key = app
        .store
        .create_api_key(
            "一条路径",
            gongzhi_domain::access::Lifetime::API_KEY_DEFAULT,
        )
        .await
        .unwrap();
    let (lon, lat) = point();
    let r = app
        .client
        .post(app.url("/open311/v2/requests.json"))
        .form(&[
            ("api_key", key.as_str()),
            ("service_code", "E0102"),
            ("lat", &lat.to_string()),
            ("long", &lon.to_string()),
            ("address_string", ADDRESS),
            ("description", DESCRIPTION),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let ticket = v[0]["service_request_id"].as_str().unwrap();
    app.store
        .case_by_ticket(ticket)
        .await
        .unwrap()
        .expect("the Open311 case")
        .id
}

async fn by_hotline(app: &TestApp) -> i64 {
    let (lon, lat) = point();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let header = [
        "来电时间",
        "来电号码",
        "地址",
        "诉求内容",
        "类别",
        "承办部门",
        "经度",
        "纬度",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let now = gongzhi_store::now_millis() - 60_000;
    let when = gongzhi_domain::calendar::format_cst(now);
    for (c, v) in [
        when.as_str(),
        "13800138000",
        ADDRESS,
        DESCRIPTION,
        "E0102",
        "",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    ws.write_number(1, 6, lon).unwrap();
    ws.write_number(1, 7, lat).unwrap();
    let r = app
        .client
        .post(app.url("/api/v1/imports/hotline"))
        .bearer_auth(&app.tokens["admin"])
        .body(wb.save_to_buffer().unwrap())
        .send()
        .await
        .unwrap();
    let status = r.status();
    let v: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{v}");
    v["cases"][0]["id"].as_i64().unwrap()
}

async fn newest(app: &TestApp) -> i64 {
    sqlx::query("SELECT MAX(id) AS id FROM cases")
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .get("id")
}

#[tokio::test]
async fn every_entry_point_files_the_same_case_in_one_path() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        app.store
            .create_webhook(
                &NewWebhook {
                    name: "值班群".into(),
                    url: "http://127.0.0.1:9/hook".into(),
                    format: WebhookFormat::Signed,
                    secret: WebhookSecret::new("s3cret-for-tests"),
                    events: vec![WebhookEvent::Dispatched, WebhookEvent::Warned],
                },
                &Actor::SYSTEM,
            )
            .await
            .unwrap();
        let ids = [
            ("api", by_api(&app).await),
            ("form", by_form(&app).await),
            ("open311", by_open311(&app).await),
            ("hotline", by_hotline(&app).await),
        ];
        let expected = Written {
            state: "dispatched".into(),
            department: Some("CG".into()),
            events: vec!["reported".into(), "registered".into(), "dispatched".into()],
            log_entries: vec!["reported".into(), "registered".into(), "dispatched".into()],
            notices: vec![("department:CG".into(), "dispatched".into())],
            deliveries: vec!["dispatched".into()],
        };
        for (channel, id) in ids {
            assert_eq!(written(&app, id).await, expected, "{backend:?} {channel}");
        }

        // The deadline job: at the 80% point the department is warned, through the same
        // command path (event, log entry, notice, delivery in one transaction).
        let (_, api_case) = ids[0];
        let row = app.store.case(api_case).await.unwrap().unwrap();
        let deadline = row.case.deadline.unwrap();
        gongzhi_server::cases::jobs::deadline_tick(&app.state, deadline - 1)
            .await
            .unwrap();
        let after = written(&app, api_case).await;
        assert_eq!(
            after.events.last().map(String::as_str),
            Some("deadline_warned"),
            "{backend:?} {after:?}"
        );
        assert_eq!(after.log_entries, after.events, "{backend:?}");
        assert_eq!(
            after.notices.last(),
            Some(&("department:CG".to_string(), "warned".to_string())),
            "{backend:?}"
        );
        assert_eq!(after.deliveries, ["dispatched", "warned"], "{backend:?}");
    }
}
