//! Handlers' evidence on SQLite and PostgreSQL: a report-back from the phone brings its
//! after-photos in the same write (a refused step keeps none), a summoned department checks in
//! with its location and photos, and the reporter's phone is revealed to those who handle the
//! case with a logged reason — never to a supervisor, and never without a reason.

use crate::app::{GRID_ORIGINS, TestApp, spawn_app};
use crate::case_search::report_at;
use gongzhi_testkit::backends;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-after";
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1];

async fn get(app: &TestApp, who: &str, path: &str) -> Value {
    app.get_json_as(who, path).await
}

async fn cmd(app: &TestApp, who: &str, id: i64, body: Value) -> (u16, Value) {
    app.post_json_as(who, &format!("/api/v1/cases/{id}/commands"), body)
        .await
}

/// Posts a multipart form from the case page as `who`: text fields, then photos.
async fn post_form(
    app: &TestApp,
    who: &str,
    path: &str,
    fields: &[(&str, String)],
    photos: &[&[u8]],
) -> reqwest::Response {
    let mut form = Form::new().text("csrf", "");
    for (k, v) in fields {
        form = form.text(k.to_string(), v.clone());
    }
    for (i, p) in photos.iter().enumerate() {
        form = form.part(
            "photo",
            Part::bytes(p.to_vec()).file_name(format!("{i}.jpg")),
        );
    }
    app.client
        .post(app.url(path))
        .bearer_auth(&app.tokens[who])
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn version(app: &TestApp, id: i64) -> String {
    get(app, "admin", &format!("/api/v1/cases/{id}")).await["version"].to_string()
}

/// The kind of the timeline event each of the case's photos belongs to.
async fn photo_steps(app: &TestApp, id: i64) -> Vec<String> {
    let photos = get(app, "admin", &format!("/api/v1/cases/{id}/photos")).await;
    let tl = get(app, "admin", &format!("/api/v1/cases/{id}/timeline")).await;
    photos
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            tl.as_array()
                .unwrap()
                .iter()
                .find(|e| e["seq"] == p["event_seq"])
                .map(|e| e["kind"].as_str().unwrap().to_string())
                .unwrap()
        })
        .collect()
}

/// A case of the resident's in the first grid, dispatched to CG and started by its handler.
async fn started(app: &TestApp) -> i64 {
    let (id, _, _) = report_at(app, 0, "E0102", "测试路1号", "楼下垃圾三天没人清运").await;
    let v = get(app, "admin", &format!("/api/v1/cases/{id}")).await;
    if v["state"] != "dispatched" {
        let (s, e) = cmd(app, "community", id, json!({"command": "register", "category": "E0102", "deadline_class": "general", "emergency": false})).await;
        assert!(s == 200 || s == 409, "{e}");
        let (s, e) = cmd(
            app,
            "community",
            id,
            json!({"command": "dispatch", "department": "CG", "is_override": false}),
        )
        .await;
        assert_eq!(s, 200, "{e}");
    }
    let (s, e) = cmd(app, "department", id, json!({"command": "start"})).await;
    assert_eq!(s, 200, "{e}");
    id
}

#[tokio::test]
async fn a_report_back_brings_its_after_photos_in_the_same_write() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let id = started(&app).await;
        // The resident's own photo of the problem, uploaded with the report.
        let r = app
            .client
            .post(app.url(&format!("/api/v1/cases/{id}/photos")))
            .bearer_auth(&app.tokens["resident"])
            .multipart(Form::new().part("photo", Part::bytes(JPEG.to_vec()).file_name("a.jpg")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let path = format!("/cases/{id}/report-back");

        // Something that is no photo refuses the whole step: no state change, no photo.
        let r = post_form(
            &app,
            "department",
            &path,
            &[
                ("version", version(&app, id).await),
                ("note", "已清运".into()),
            ],
            &[PNG, b"<svg onload=alert(1)>"],
        )
        .await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("第2张照片"));
        assert_eq!(
            get(&app, "admin", &format!("/api/v1/cases/{id}")).await["state"],
            "in_progress"
        );
        assert_eq!(photo_steps(&app, id).await.len(), 1);

        // A supervisor may see the case but has no part in it: refused, nothing kept.
        let r = post_form(
            &app,
            "supervisor",
            &path,
            &[
                ("version", version(&app, id).await),
                ("note", "已清运".into()),
            ],
            &[PNG],
        )
        .await;
        assert_eq!(r.status(), 403);
        assert_eq!(photo_steps(&app, id).await.len(), 1);

        // The handler reports back with two photos: one step, both photos its evidence.
        let r = post_form(
            &app,
            "department",
            &path,
            &[
                ("version", version(&app, id).await),
                ("note", "已清运完毕".into()),
            ],
            &[PNG, JPEG],
        )
        .await;
        assert_eq!(r.status(), 303);
        assert_eq!(
            r.headers()["location"],
            format!("/cases/{id}?done=report_back")
        );
        let v = get(&app, "admin", &format!("/api/v1/cases/{id}")).await;
        assert_eq!(v["state"], "reported_back");
        assert_eq!(
            photo_steps(&app, id).await,
            ["started", "reported_back", "reported_back"].map(String::from),
            "the resident's photo is of the step it came in after; the two after-photos of the report-back"
        );
        // The case page shows them apart.
        let page = app
            .get_as("department", &format!("/cases/{id}?done=report_back"))
            .await
            .text()
            .await
            .unwrap();
        let before = page.split("id=\"photos-before\"").nth(1).unwrap();
        let before = before.split("</div>").next().unwrap();
        let after = page.split("id=\"photos-after\"").nth(1).unwrap();
        let after = after.split("</div>").next().unwrap();
        assert_eq!(before.matches("<img").count(), 1);
        assert_eq!(after.matches("<img").count(), 2);
        assert!(page.contains("class=\"flash ok\""));
    }
}

#[tokio::test]
async fn the_report_back_form_offers_a_photo_picker() {
    let app = spawn_app(gongzhi_testkit::Backend::Sqlite).await;
    let id = started(&app).await;
    let page = app
        .get_as("department", &format!("/cases/{id}"))
        .await
        .text()
        .await
        .unwrap();
    let form = page.split("id=\"report-back\"").nth(1).unwrap();
    let form = form.split("</form>").next().unwrap();
    assert!(page.contains(&format!(
        "action=\"/cases/{id}/report-back\" enctype=\"multipart/form-data\""
    )));
    assert!(form.contains("type=\"file\" name=\"photo\""));
    assert!(form.contains("accept=\"image/*\" multiple capture"));
}

#[tokio::test]
async fn a_summoned_department_checks_in_with_its_location_and_photos() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (id, _, _) = report_at(&app, 0, "E0102", "测试路1号", "楼道堆物").await;
        let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0004, GRID_ORIGINS[0].2 + 0.0004);
        let (s, e) = cmd(
            &app,
            "street",
            id,
            json!({"command": "blow_whistle", "departments": ["CG"],
            "reason": "联合处置", "lon": lon, "lat": lat, "urgent": false}),
        )
        .await;
        assert_eq!(s, 200, "{e}");
        let (s, e) = cmd(
            &app,
            "department",
            id,
            json!({"command": "acknowledge_whistle", "department": "CG"}),
        )
        .await;
        assert_eq!(s, 200, "{e}");

        // The check-in form: "use my location" fills lon/lat; photos are picked, not numbered.
        let page = app
            .get_as("department", &format!("/cases/{id}"))
            .await
            .text()
            .await
            .unwrap();
        let form = page.split("id=\"check-in-CG\"").nth(1).unwrap();
        let form = form.split("</form>").next().unwrap();
        assert!(form.contains("data-locate") && form.contains("使用我的位置"));
        assert!(form.contains("name=\"lon\"") && form.contains("name=\"lat\""));
        assert!(form.contains("type=\"file\" name=\"photo\""));
        assert!(
            !page.contains("name=\"photos\""),
            "no typed photo numbers anywhere"
        );
        assert!(page.contains("/assets/case.js"));

        let path = format!("/cases/{id}/whistle/evidence");
        let r = post_form(
            &app,
            "department",
            &path,
            &[
                ("version", version(&app, id).await),
                ("command", "arrive_whistle".into()),
                ("department", "CG".into()),
                ("lon", format!("{lon:.6}")),
                ("lat", format!("{lat:.6}")),
            ],
            &[JPEG],
        )
        .await;
        assert_eq!(r.status(), 303);
        assert_eq!(
            r.headers()["location"],
            format!("/cases/{id}?done=arrive_whistle")
        );
        let v = get(&app, "admin", &format!("/api/v1/cases/{id}")).await;
        let part = &v["whistles"][0]["parts"][0];
        assert_eq!(part["department"], "CG");
        assert_eq!(part["state"], "on_site", "{part}");
        assert!(!part["arrived_at_text"].is_null(), "{part}");
        assert_eq!(
            photo_steps(&app, id).await,
            ["check_in_arrived"].map(String::from)
        );

        // Part done with a photo of the result.
        let r = post_form(
            &app,
            "department",
            &path,
            &[
                ("version", version(&app, id).await),
                ("command", "finish_whistle_part".into()),
                ("department", "CG".into()),
                ("note", "已清理楼道".into()),
            ],
            &[PNG],
        )
        .await;
        assert_eq!(r.status(), 303);
        assert_eq!(
            photo_steps(&app, id).await,
            ["check_in_arrived", "whistle_part_done"].map(String::from)
        );
        // A location typed badly is refused by name and keeps nothing.
        let (id2, _, _) = report_at(&app, 0, "E0102", "测试路2号", "楼道堆物").await;
        cmd(
            &app,
            "street",
            id2,
            json!({"command": "blow_whistle", "departments": ["CG"],
            "reason": "联合处置", "lon": lon, "lat": lat, "urgent": false}),
        )
        .await;
        cmd(
            &app,
            "department",
            id2,
            json!({"command": "acknowledge_whistle", "department": "CG"}),
        )
        .await;
        let r = post_form(
            &app,
            "department",
            &format!("/cases/{id2}/whistle/evidence"),
            &[
                ("version", version(&app, id2).await),
                ("command", "arrive_whistle".into()),
                ("department", "CG".into()),
                ("lon", "东经".into()),
                ("lat", format!("{lat}")),
            ],
            &[JPEG],
        )
        .await;
        assert_eq!(r.status(), 400);
        assert!(photo_steps(&app, id2).await.is_empty());
    }
}

async fn reveal(app: &TestApp, who: &str, id: i64, reason: Option<&str>) -> (u16, Value) {
    let body = match reason {
        Some(r) => json!({ "reason": r }),
        None => json!({}),
    };
    let r = app
        .client
        .post(app.url(&format!("/api/v1/cases/{id}/reporter-phone")))
        .bearer_auth(&app.tokens[who])
        .json(&body)
        .send()
        .await
        .unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn reveals_logged(app: &TestApp) -> Vec<(String, String, String)> {
    app.store
        .audit_entries(100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "pii.reveal_reporter_phone")
        .map(|e| (e.actor_name, e.subject, e.detail))
        .collect()
}

#[tokio::test]
async fn those_who_handle_the_case_reveal_the_reporter_s_phone_with_a_logged_reason() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (id, ticket, _) =
            report_at(&app, 0, "E0102", "测试路1号", "楼下垃圾三天没人清运").await;
        // No reason: refused by name, nothing logged.
        let (s, e) = reveal(&app, "department", id, None).await;
        assert_eq!(s, 400, "{e}");
        assert_eq!(e["error"]["field"], "reason");
        let (s, _) = reveal(&app, "department", id, Some(" ")).await;
        assert_eq!(s, 400);
        // A supervisor sees the case but never the number; nor does a party organisation.
        let (s, _) = reveal(&app, "supervisor", id, Some("督查回访")).await;
        assert_eq!(s, 403);
        let (s, _) = reveal(&app, "party", id, Some("回访")).await;
        assert!(s == 403 || s == 404, "{s}");
        assert!(reveals_logged(&app).await.is_empty());
        // The handling department and the dispatching community may, with a reason.
        let (s, v) = reveal(&app, "department", id, Some("回访反映人")).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["phone"], "13812345678");
        assert_eq!(v["ticket"], ticket.as_str());
        let (s, _) = reveal(&app, "community", id, Some("核实现场")).await;
        assert_eq!(s, 200);
        let logged = reveals_logged(&app).await;
        assert_eq!(logged.len(), 2);
        assert!(logged.contains(&(
            "department".into(),
            format!("case:{ticket}"),
            "reason=回访反映人".into()
        )));
        assert!(logged.contains(&(
            "community".into(),
            format!("case:{ticket}"),
            "reason=核实现场".into()
        )));

        // On the page: masked with 显示号码 for the handler; shown once after the reason.
        let page = app
            .get_as("department", &format!("/cases/{id}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("138****5678"));
        assert!(!page.contains("13812345678"));
        assert!(page.contains("显示号码") && page.contains("id=\"phone-reveal\""));
        let r = app
            .client
            .post(app.url(&format!("/cases/{id}/reporter-phone")))
            .bearer_auth(&app.tokens["department"])
            .form(&[("csrf", ""), ("reason", "电话回访")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let page = r.text().await.unwrap();
        assert!(page.contains("id=\"reporter-phone\">13812345678<"));
        assert_eq!(reveals_logged(&app).await.len(), 3);
        let r = app
            .client
            .post(app.url(&format!("/cases/{id}/reporter-phone")))
            .bearer_auth(&app.tokens["department"])
            .form(&[("csrf", ""), ("reason", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        assert!(!r.text().await.unwrap().contains("13812345678"));
        // The supervisor's page shows neither the number nor the button.
        let page = app
            .get_as("supervisor", &format!("/cases/{id}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(!page.contains("138****5678") && !page.contains("显示号码"));
    }
}

/// A resident's report and its photos are one write: the photos belong to the report (not to
/// the automatic dispatch that follows it), and a refused report keeps no file on disk.
#[tokio::test]
async fn a_report_and_its_photos_are_filed_in_one_write() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0005, GRID_ORIGINS[0].2 + 0.0005);
        let report = |category: &str| {
            Form::new()
                .text("category", category.to_string())
                .text("lon", lon.to_string())
                .text("lat", lat.to_string())
                .text("description", "井盖缺失，夜里很危险")
                .part("photo", Part::bytes(PNG.to_vec()).file_name("a.png"))
                .part("photo", Part::bytes(JPEG.to_vec()).file_name("b.jpg"))
        };
        let refused = app
            .client
            .post(app.url("/report"))
            .multipart(report("NOPE"))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 400, "{backend:?}");
        assert_eq!(app.photo_files(), 0, "a refused report keeps no photo");
        assert_eq!(get(&app, "admin", "/api/v1/cases").await["total"], 0);

        let filed = app
            .client
            .post(app.url("/report"))
            .multipart(report("E0102"))
            .send()
            .await
            .unwrap();
        assert_eq!(filed.status(), 200, "{backend:?}");
        let id = get(&app, "admin", "/api/v1/cases").await["items"][0]["id"]
            .as_i64()
            .unwrap();
        assert_eq!(photo_steps(&app, id).await, ["reported", "reported"]);
        assert_eq!(app.photo_files(), 2);
    }
}
