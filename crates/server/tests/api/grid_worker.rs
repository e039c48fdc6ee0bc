//! The grid worker's day over HTTP, on SQLite and PostgreSQL: it files what it finds on
//! patrol from the phone page (photo, place, category) as 网格员巡查; it verifies (核查) the
//! cases of its grid while the city's setting gives it verification, and not another grid's;
//! its inbox lists only the cases it can act on, saying what is waiting.

use crate::app::{GRID_ORIGINS, OTHER_GRID, OWN_GRID, TestApp, spawn_app};
use gongzhi_domain::access::{Role, Scope};
use gongzhi_domain::codes::GridCode;
use gongzhi_testkit::{Backend, backends};
use serde_json::{Value, json};

/// The smallest file the photo check takes for a JPEG: its magic bytes and some data.
const JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1, 0xFF, 0xD9,
];

async fn post_json(app: &TestApp, who: &str, path: &str, body: Value) -> (u16, Value) {
    app.post_json_as(who, path, body).await
}

async fn get_json(app: &TestApp, who: &str, path: &str) -> Value {
    app.get_json_as(who, path).await
}

async fn command(app: &TestApp, who: &str, id: i64, body: Value) -> (u16, Value) {
    post_json(app, who, &format!("/api/v1/cases/{id}/commands"), body).await
}

/// A resident's report in grid `g` (0: the grid worker's, 1: its neighbour's), sent to 城管
/// by the rules and reported back by it: waiting for 核查.
async fn reported_back(app: &TestApp, g: usize) -> i64 {
    let (lon, lat) = (GRID_ORIGINS[g].1 + 0.0004, GRID_ORIGINS[g].2 + 0.0004);
    let (s, v) = post_json(
        app,
        "resident",
        "/api/v1/cases",
        json!({"category": "E0102", "lon": lon, "lat": lat, "address": "测试路1号",
               "description": "楼下垃圾三天没人清运"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["case"]["grid"], GRID_ORIGINS[g].0);
    let id = v["case"]["id"].as_i64().unwrap();
    let (s, v) = command(
        app,
        "department",
        id,
        json!({"command": "report_back", "note": "已清运"}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    id
}

async fn state(app: &TestApp, id: i64) -> Value {
    get_json(app, "street", &format!("/api/v1/cases/{id}")).await["state"].clone()
}

fn inbox_rows(inbox: &Value) -> Vec<(i64, String)> {
    inbox["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_i64().unwrap(),
                c["waiting_zh"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The admin ticks or unticks "grid workers verify" on the rules page.
async fn set_verification_by_grid(app: &TestApp, who: &str, on: bool) -> reqwest::Response {
    let mut form = vec![("csrf", "")];
    if on {
        form.push(("verification_by_grid", "true"));
    }
    app.client
        .post(app.url("/rules/settings"))
        .bearer_auth(&app.tokens[who])
        .form(&form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_patrol_report_with_a_photo_lands_as_grid_patrol_in_the_grid() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let page = app.get_as("grid", "/patrol").await.text().await.unwrap();
        for part in [
            "id=\"patrol-form\"",
            "accept=\"image/*\" capture",
            "id=\"locate\"",
            "使用我的位置",
            "id=\"map\"",
            "/assets/report.js",
        ] {
            assert!(page.contains(part), "{part} missing from the patrol page");
        }
        // In the grid worker's menu; not in a department's, which reports nothing.
        assert!(page.contains("<a href=\"/patrol\""));
        let dept = app.get_as("department", "/").await.text().await.unwrap();
        assert!(!dept.contains("<a href=\"/patrol\""));

        let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0005, GRID_ORIGINS[0].2 + 0.0005);
        let form = reqwest::multipart::Form::new()
            .text("csrf", "")
            .text("category", "E0102")
            .text("lon", lon.to_string())
            .text("lat", lat.to_string())
            .text("description", "巡查发现：垃圾桶满溢")
            .part(
                "photo",
                reqwest::multipart::Part::bytes(JPEG.to_vec()).file_name("patrol.jpg"),
            );
        let r = app
            .client
            .post(app.url("/patrol"))
            .bearer_auth(&app.tokens["grid"])
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{backend:?}");
        let to = r.headers()["location"].to_str().unwrap().to_string();
        let id: i64 = to
            .strip_prefix("/cases/")
            .and_then(|s| s.strip_suffix("?done=report"))
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("{to}"));
        let page = app.get_as("grid", &to).await.text().await.unwrap();
        assert!(
            page.contains("class=\"flash ok\"") && page.contains("已上报。"),
            "{page}"
        );

        let v = get_json(&app, "grid", &format!("/api/v1/cases/{id}")).await;
        assert_eq!(v["channel"], "grid_patrol", "{v}");
        assert_eq!(v["channel_label"], "网格员巡查");
        assert_eq!(v["grid"], OWN_GRID);
        let photos = get_json(&app, "grid", &format!("/api/v1/cases/{id}/photos")).await;
        let photos = photos.as_array().unwrap();
        assert_eq!(photos.len(), 1, "{photos:?}");
        let bytes = app
            .get_as("grid", &format!("/api/v1/photos/{}", photos[0]["id"]))
            .await
            .bytes()
            .await
            .unwrap();
        assert_eq!(&bytes[..], JPEG);
    }
}

#[tokio::test]
async fn a_patrol_report_without_a_category_files_nothing() {
    let app = spawn_app(Backend::Sqlite).await;
    let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0005, GRID_ORIGINS[0].2 + 0.0005);
    let form = reqwest::multipart::Form::new()
        .text("csrf", "")
        .text("category", "")
        .text("lon", lon.to_string())
        .text("lat", lat.to_string())
        .text("description", "巡查发现：垃圾桶满溢");
    let r = app
        .client
        .post(app.url("/patrol"))
        .bearer_auth(&app.tokens["grid"])
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let page = r.text().await.unwrap();
    assert!(page.contains("请选择问题类别"), "{page}");
    let v = get_json(&app, "grid", "/api/v1/cases").await;
    assert_eq!(v["total"], 0, "{v}");
}

#[tokio::test]
async fn the_grid_worker_verifies_the_cases_of_its_grid() {
    for backend in backends() {
        let mut app = spawn_app(backend).await;
        app.add_account(
            "grid2",
            Role::GridWorker,
            Scope::Grid(GridCode::parse(OTHER_GRID).unwrap()),
            false,
        )
        .await;
        let id = reported_back(&app, 0).await;
        // A failed check needs its note, and sends the case back to 城管 (返工).
        let (s, v) = command(
            &app,
            "grid",
            id,
            json!({"command": "verify", "passed": false, "note": " "}),
        )
        .await;
        assert_eq!(s, 422, "{v}");
        assert_eq!(v["error"]["field"], "note");
        let (s, v) = command(
            &app,
            "grid",
            id,
            json!({"command": "verify", "passed": false, "note": "仍有残留"}),
        )
        .await;
        assert_eq!(s, 200, "{backend:?} {v}");
        assert_eq!(v["state"], "in_progress");
        let (s, _) = command(
            &app,
            "department",
            id,
            json!({"command": "report_back", "note": "已清理干净"}),
        )
        .await;
        assert_eq!(s, 200);
        // Another grid's worker may not.
        let (s, v) = command(
            &app,
            "grid2",
            id,
            json!({"command": "verify", "passed": true, "note": ""}),
        )
        .await;
        assert!(s == 403 || s == 404, "{s} {v}");
        assert_eq!(state(&app, id).await, "reported_back");
        let (s, v) = command(
            &app,
            "grid",
            id,
            json!({"command": "verify", "passed": true, "note": "现场已清理"}),
        )
        .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["state"], "verified");
        let tl = get_json(&app, "grid", &format!("/api/v1/cases/{id}/timeline")).await;
        let kinds: Vec<&str> = tl
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            &kinds[kinds.len() - 4..],
            ["reported_back", "reworked", "reported_back", "verified"]
        );
    }
}

#[tokio::test]
async fn the_grid_worker_does_not_verify_when_the_city_turns_it_off() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let id = reported_back(&app, 0).await;
        // Only a city-wide administrator sets it; a street's attempt changes nothing.
        let r = set_verification_by_grid(&app, "street", false).await;
        assert_eq!(r.status(), 403);
        let r = set_verification_by_grid(&app, "admin", false).await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/rules?done=settings");
        let page = app
            .get_as("admin", "/rules?done=settings")
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("设置已保存。"), "{page}");
        assert!(!page.contains("id=\"verification-by-grid\" value=\"true\" checked"));

        let (s, v) = command(
            &app,
            "grid",
            id,
            json!({"command": "verify", "passed": true, "note": ""}),
        )
        .await;
        assert_eq!(s, 403, "{backend:?} {v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("未开放网格员核查"),
            "{v}"
        );
        assert_eq!(state(&app, id).await, "reported_back");
        // Nor does the case wait on it any more; the street verifies.
        let inbox = get_json(&app, "grid", "/api/v1/inbox").await;
        assert!(inbox_rows(&inbox).iter().all(|(c, _)| *c != id), "{inbox}");
        let (s, v) = command(
            &app,
            "street",
            id,
            json!({"command": "verify", "passed": true, "note": ""}),
        )
        .await;
        assert_eq!(s, 200, "{v}");

        // Turned on again, the grid worker verifies the next one.
        assert_eq!(
            set_verification_by_grid(&app, "admin", true).await.status(),
            303
        );
        let page = app.get_as("admin", "/rules").await.text().await.unwrap();
        assert!(page.contains("id=\"verification-by-grid\" value=\"true\" checked"));
        // Each change is in the audit log, as a sentence.
        let audit = app
            .get_as("admin", "/admin/audit")
            .await
            .text()
            .await
            .unwrap();
        assert!(audit.contains("设置：核查仅由街道（乡镇）办理"), "{audit}");
        assert!(audit.contains("设置：网格员核查本网格案件"), "{audit}");
        let id = reported_back(&app, 0).await;
        let (s, v) = command(
            &app,
            "grid",
            id,
            json!({"command": "verify", "passed": true, "note": ""}),
        )
        .await;
        assert_eq!(s, 200, "{v}");
    }
}

#[tokio::test]
async fn the_grid_worker_s_inbox_lists_only_what_it_can_act_on() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        // Sent to 城管 and not yet handled: 城管's to handle, nothing for the grid worker.
        let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0004, GRID_ORIGINS[0].2 + 0.0004);
        let (s, v) = post_json(
            &app,
            "resident",
            "/api/v1/cases",
            json!({"category": "E0102", "lon": lon, "lat": lat, "description": "路灯不亮"}),
        )
        .await;
        assert_eq!(s, 201, "{v}");
        let handling = v["case"]["id"].as_i64().unwrap();
        // Reported back in its grid: waiting for its 核查. In the neighbour grid: not its own.
        let checking = reported_back(&app, 0).await;
        let neighbour = reported_back(&app, 1).await;

        let inbox = get_json(&app, "grid", "/api/v1/inbox").await;
        assert_eq!(
            inbox_rows(&inbox),
            [(checking, "待核查".to_string())],
            "{backend:?} {inbox}"
        );
        assert_eq!(inbox["waiting"][0]["waiting"], json!(["verify"]));
        let cg = inbox_rows(&get_json(&app, "department", "/api/v1/inbox").await);
        assert!(cg.contains(&(handling, "待处置".to_string())), "{cg:?}");
        assert!(cg.iter().all(|(c, _)| *c != checking && *c != neighbour));

        // The page says it in words, in either language.
        let page = app.get_as("grid", "/inbox").await.text().await.unwrap();
        assert!(page.contains("data-waiting=\"verify\""), "{page}");
        assert!(page.contains(">待核查<"));
        let en = app
            .client
            .get(app.url("/inbox"))
            .bearer_auth(&app.tokens["grid"])
            .header("cookie", "gz_lang=en")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(en.contains(">To verify<"), "{en}");

        // Once verified, nothing is left for it.
        let (s, _) = command(
            &app,
            "grid",
            checking,
            json!({"command": "verify", "passed": true, "note": ""}),
        )
        .await;
        assert_eq!(s, 200);
        let inbox = get_json(&app, "grid", "/api/v1/inbox").await;
        assert!(inbox_rows(&inbox).is_empty(), "{inbox}");
    }
}
