//! The working-day calendar kept by the city, on SQLite and PostgreSQL: a 15-working-day case
//! dispatched on 2026-12-21 is due on Monday 11 January 2027 counted Monday–Friday, and flagged
//! so in the API and on the case page; once the administrator loads the 2027 schedule through
//! the import, the same case filed again is due a day later (元旦 is a holiday) and is not
//! flagged. A bad file is refused naming the line and changes nothing.

use crate::app::{GRID_ORIGINS, TestApp, spawn_app};
use gongzhi_domain::calendar::{Date, HOUR_MS, start_of};
use gongzhi_domain::case::Actor;
use gongzhi_server::cases::service::{self, Report};
use gongzhi_store::EventActor;
use gongzhi_testkit::backends;
use serde_json::Value;

/// A 2027 schedule in the official file's format (`date,kind,name`, as in
/// `data/cn-calendar-2025-2026.csv`). Made up for the test around 元旦, which falls on a Friday.
const SCHEDULE_2027: &str = "date,kind,name\n\
    2027-01-01,holiday,元旦\n\
    2027-01-02,holiday,元旦\n\
    2027-01-03,holiday,元旦\n\
    2027-02-06,workday,春节\n";

const FLAG_ZH: &str = "按周一至周五计算，未载入官方日历";

/// `h:00` CST on a date.
fn at(y: i32, m: u8, d: u8, h: i64) -> i64 {
    start_of(Date::new(y, m, d).unwrap()) + h * HOUR_MS
}

/// A resident's 私搭乱建 (E0101, complex: 15 working days) report filed and dispatched by the
/// rules at `now`; its case as the API shows it.
async fn complex_case_at(app: &TestApp, now: i64) -> Value {
    let a = app
        .store
        .account_by_username("resident")
        .await
        .unwrap()
        .unwrap();
    let label = EventActor {
        account_id: Some(a.id),
        name: a.display_name.clone(),
    };
    let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0004, GRID_ORIGINS[0].2 + 0.0004);
    let filed = service::file(
        &app.state,
        &Actor::account(a.principal()),
        &label,
        Report {
            category: "E0101".into(),
            lon: Some(lon),
            lat: Some(lat),
            address: "养育巷12号".into(),
            description: "楼顶私搭乱建的彩钢棚".into(),
            ..Default::default()
        },
        now,
    )
    .await
    .unwrap_or_else(|e| panic!("report: {}", e.body.message_en));
    let r = app
        .get_as("admin", &format!("/api/v1/cases/{}", filed.case.id))
        .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["state"], "dispatched", "{v}");
    v
}

async fn case_page(app: &TestApp, id: &Value) -> String {
    let r = app.get_as("admin", &format!("/cases/{id}")).await;
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

async fn load(app: &TestApp, who: &str, body: &str) -> (u16, Value) {
    let r = app
        .client
        .post(app.url("/api/v1/calendar"))
        .bearer_auth(&app.tokens[who])
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn years(app: &TestApp) -> Value {
    let r = app.get_as("street", "/api/v1/calendar").await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    v["years"].clone()
}

#[tokio::test]
async fn a_loaded_2027_schedule_moves_a_deadline_across_new_year_and_without_it_the_deadline_is_flagged()
 {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let filed = at(2026, 12, 21, 9);

        let before = complex_case_at(&app, filed).await;
        assert_eq!(
            before["deadline"],
            at(2027, 1, 11, 9),
            "{backend:?} {before}"
        );
        assert_eq!(before["calendar_missing"], true, "{backend:?}");
        assert!(case_page(&app, &before["id"]).await.contains(FLAG_ZH));
        assert_eq!(years(&app).await, serde_json::json!([2025, 2026]));

        // A bad file: refused whole, naming the line, and the calendar is unchanged.
        let bad = "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,workday,元旦\n";
        let (s, v) = load(&app, "admin", bad).await;
        assert_eq!(s, 422, "{v}");
        assert_eq!(v["error"]["code"], "invalid_calendar");
        assert_eq!(v["error"]["rows"][0]["row"], 3, "{v}");
        assert_eq!(v["error"]["rows"][0]["column"], "date");
        assert!(
            v["error"]["message"].as_str().unwrap().contains("第 3 行"),
            "{v}"
        );
        assert!(
            v["error"]["message_en"]
                .as_str()
                .unwrap()
                .contains("line 3"),
            "{v}"
        );
        // Only the administrator loads the city's calendar.
        let (s, _) = load(&app, "street", SCHEDULE_2027).await;
        assert_eq!(s, 403);
        assert_eq!(years(&app).await, serde_json::json!([2025, 2026]));
        let again = complex_case_at(&app, filed).await;
        assert_eq!(again["calendar_missing"], true);

        let (s, v) = load(&app, "admin", SCHEDULE_2027).await;
        assert_eq!(s, 201, "{backend:?} {v}");
        assert_eq!(v["years"], serde_json::json!([2027]));
        assert_eq!(v["days"], 4);
        assert_eq!(years(&app).await, serde_json::json!([2025, 2026, 2027]));

        let after = complex_case_at(&app, filed).await;
        assert_eq!(after["deadline"], at(2027, 1, 12, 9), "{backend:?} {after}");
        assert_eq!(after["calendar_missing"], false);
        assert!(!case_page(&app, &after["id"]).await.contains(FLAG_ZH));
        // The case dispatched before keeps its deadline and its flag: it was counted without
        // the schedule.
        let r = app
            .get_as("admin", &format!("/api/v1/cases/{}", before["id"]))
            .await;
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["calendar_missing"], true);
    }
}

/// A browser session for `who`: the cookie and the CSRF token.
async fn session(app: &TestApp, who: &str) -> (String, String) {
    let r = app
        .client
        .post(app.url("/api/v1/session"))
        .json(&serde_json::json!({"username": who, "password": crate::app::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let me: Value = r.json().await.unwrap();
    (cookie, me["csrf_token"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn the_import_page_loads_next_year_and_the_admin_home_warns_until_then() {
    use gongzhi_domain::calendar::{WorkCalendar, date_of};
    let today = date_of(gongzhi_store::now_millis());
    let next = today.year() + 1;
    // The warning is due from 1 November while the shipped calendar lacks next year.
    let due = WorkCalendar::official().missing_next_year(today).is_some();
    let warning = format!("尚未载入{next}年官方节假日安排");
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (cookie, csrf) = session(&app, "admin").await;
        let home = || async {
            let r = app
                .client
                .get(app.url("/"))
                .header("cookie", &cookie)
                .send()
                .await
                .unwrap();
            r.text().await.unwrap()
        };
        assert_eq!(home().await.contains(&warning), due, "{backend:?} {today}");
        // Only the administrator is told: others cannot load it.
        let street = app.get_as("street", "/").await.text().await.unwrap();
        assert!(!street.contains(&warning));
        let page = app.get_as("admin", "/import").await.text().await.unwrap();
        assert!(page.contains("value=\"calendar\""), "{page}");

        let upload = |file: String| {
            reqwest::multipart::Form::new()
                .text("csrf", csrf.clone())
                .text("kind", "calendar")
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(file.into_bytes()).file_name("holidays.csv"),
                )
        };
        let post = |form| {
            app.client
                .post(app.url("/import"))
                .header("cookie", &cookie)
                .multipart(form)
                .send()
        };
        // A bad line is shown with its number and reason, and nothing is loaded.
        let bad = format!("date,kind,name\n{next}-01-01,holiday,元旦\n{next}-13-01,holiday,春节\n");
        let r = post(upload(bad)).await.unwrap();
        assert_eq!(r.status(), 422, "{backend:?}");
        let html = r.text().await.unwrap();
        assert!(
            html.contains(&format!("节假日安排第 3 行：“{next}-13-01”不是有效日期")),
            "{html}"
        );
        assert_eq!(home().await.contains(&warning), due);

        let good = format!("date,kind,name\n{next}-01-01,holiday,元旦\n");
        let r = post(upload(good)).await.unwrap();
        assert_eq!(r.status(), 200, "{backend:?}");
        let html = r.text().await.unwrap();
        assert!(
            html.contains(&format!("已载入{next}年工作日历，共1天，已生效。")),
            "{html}"
        );
        assert!(!home().await.contains(&warning));
        let audit = app.store.audit_entries(5).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|a| a.action == "calendar.import" && a.detail.contains("import page"))
        );
    }
}
