//! Work-first home pages: the counts on `/` and `GET /api/v1/work` are the case list's for the
//! same links, and the menu's 待办 carries the unread notifications, which opening the inbox
//! reads.

use crate::app::{GRID_ORIGINS, TestApp, spawn_app};
use gongzhi_testkit::backends;
use serde_json::{Value, json};

async fn report(app: &TestApp) -> i64 {
    let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0004, GRID_ORIGINS[0].2 + 0.0004);
    let r = app
        .client
        .post(app.url("/api/v1/cases"))
        .bearer_auth(&app.tokens["resident"])
        .json(
            &json!({"category": "E0102", "lon": lon, "lat": lat, "address": "测试路1号",
                      "description": "楼下垃圾三天没人清运"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    v["case"]["id"].as_i64().unwrap()
}

async fn json_as(app: &TestApp, who: &str, path: &str) -> Value {
    app.get_json_as(who, path).await
}

async fn page_as(app: &TestApp, who: &str, path: &str) -> String {
    let r = app.get_as(who, path).await;
    assert_eq!(r.status(), 200, "{who} {path}");
    r.text().await.unwrap()
}

fn tile(work: &Value, key: &str) -> i64 {
    work["tiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == key)
        .unwrap_or_else(|| panic!("{key} in {work}"))["count"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn unread_notifications_show_on_the_menu_and_opening_the_inbox_reads_them() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let before = json_as(&app, "department", "/api/v1/work").await["unread"]
            .as_i64()
            .unwrap();
        // A report dispatched to the department notifies it.
        report(&app).await;
        let work = json_as(&app, "department", "/api/v1/work").await;
        let unread = work["unread"].as_i64().unwrap();
        assert!(unread > before, "{backend:?}: {before} → {work}");
        let home = page_as(&app, "department", "/").await;
        assert!(
            home.contains(&format!(
                r#"id="unread-count" aria-label="{unread} 条未读通知">{unread}<"#
            )),
            "{backend:?}: {home}"
        );
        // Opening the inbox shows them as new once, and reads them.
        let inbox = page_as(&app, "department", "/inbox").await;
        assert!(inbox.contains(r#"class="tag new""#), "{backend:?}");
        assert!(!inbox.contains(r#"id="unread-count""#), "{backend:?}");
        let after = json_as(&app, "department", "/api/v1/work").await;
        assert_eq!(after["unread"], 0, "{backend:?}: {after}");
        assert!(
            !page_as(&app, "department", "/")
                .await
                .contains("unread-count")
        );
        // The next one counts again.
        report(&app).await;
        let again = json_as(&app, "department", "/api/v1/work").await;
        assert!(
            again["unread"].as_i64().unwrap() > 0,
            "{backend:?}: {again}"
        );
    }
}

#[tokio::test]
async fn home_counts_are_the_case_lists_and_show_the_work_not_the_inventory() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        report(&app).await;
        report(&app).await;
        for who in ["street", "community", "grid", "department"] {
            let work = json_as(&app, who, "/api/v1/work").await;
            for t in work["tiles"].as_array().unwrap() {
                let href = t["href"].as_str().unwrap();
                // Module tiles (三会一课, five steps) link to their own pages.
                let Some(query) = href.strip_prefix("/cases?") else {
                    continue;
                };
                let list = json_as(&app, who, &format!("/api/v1/cases?{query}")).await;
                assert_eq!(t["count"], list["total"], "{backend:?} {who} {href}");
            }
            assert_eq!(tile(&work, "new_today"), 2, "{backend:?} {who}: {work}");
            let home = page_as(&app, who, "/").await;
            assert!(home.contains("工作台</h1>"), "{who}");
            assert!(home.contains(r#"id="work-waiting""#), "{who}");
            assert!(
                !home.contains("住户</div>") && !home.contains("居民</div>"),
                "{who}"
            );
        }
        // The street dispatches: two new reports wait on it or on the department.
        let street = json_as(&app, "street", "/api/v1/work").await;
        assert_eq!(street["rates"].as_array().unwrap().len(), 3, "{street}");
        let department = json_as(&app, "department", "/api/v1/work").await;
        assert_eq!(tile(&department, "waiting"), 2, "{backend:?}: {department}");
        // A grid worker is offered the patrol report, a resident 我要上报 and their reports.
        assert!(
            page_as(&app, "grid", "/")
                .await
                .contains(r#"href="/patrol""#)
        );
        let resident = json_as(&app, "resident", "/api/v1/work").await;
        assert_eq!(resident["own_reports"], true);
        assert_eq!(tile(&resident, "mine_open"), 2, "{resident}");
        assert!(resident["rates"].as_array().unwrap().is_empty());
        let home = page_as(&app, "resident", "/").await;
        assert!(
            home.contains(r#"id="home-action" href="/report""#),
            "{home}"
        );
        // The filter links work on the case list page itself.
        let overdue = page_as(&app, "street", "/cases?overdue=1&due_soon=0").await;
        assert!(overdue.contains("<table"), "{backend:?}");
        let bad = app.get_as("street", "/api/v1/cases?overdue=maybe").await;
        assert_eq!(bad.status(), 400, "{backend:?}");
    }
}
