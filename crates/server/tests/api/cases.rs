//! The closed loop over HTTP on SQLite and PostgreSQL: a case from report to rating through
//! every side path, refusals, the deadline job with a controlled clock, and the job lock.

use crate::app::{GRID_ORIGINS, OWN_GRID, TestApp, spawn_app};
use gongzhi_testkit::backends;
use serde_json::{Value, json};

const HOUR: i64 = 3_600_000;

async fn post(app: &TestApp, who: &str, path: &str, body: Value) -> (u16, Value) {
    app.post_json_as(who, path, body).await
}

async fn cmd(app: &TestApp, who: &str, id: i64, body: Value) -> (u16, Value) {
    post(app, who, &format!("/api/v1/cases/{id}/commands"), body).await
}

async fn ok(app: &TestApp, who: &str, id: i64, body: Value) -> Value {
    let (s, v) = cmd(app, who, id, body.clone()).await;
    assert_eq!(s, 200, "{who} {body}: {v}");
    v
}

/// A report by the resident at a point inside the grid worker's grid.
async fn report(app: &TestApp, category: &str) -> (i64, String) {
    let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0004, GRID_ORIGINS[0].2 + 0.0004);
    let (s, v) = post(
        app,
        "resident",
        "/api/v1/cases",
        json!({"category": category, "lon": lon, "lat": lat, "address": "测试路1号", "description": "楼下垃圾三天没人清运"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["case"]["grid"], OWN_GRID);
    (
        v["case"]["id"].as_i64().unwrap(),
        v["lookup_code"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn a_case_from_report_to_rating_through_every_path() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        // Intake: located, registered and dispatched by the rules to the category's department.
        let (id, code) = report(&app, "E0102").await;
        let v: Value = app
            .get_as("street", &format!("/api/v1/cases/{id}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(v["state"], "dispatched", "{backend:?} {v}");
        assert_eq!(v["department"], "CG");
        assert!(v["ticket"].as_str().unwrap().len() == 13, "{v}");
        assert!(v["deadline"].as_i64().is_some() && v["time_left_ms"].as_i64().unwrap() > 0);
        // Only those concerned can see it.
        assert_eq!(
            app.get_as("party", &format!("/api/v1/cases/{id}"))
                .await
                .status(),
            404
        );

        // The department works it; a wrong actor and a stale version are refused.
        let (s, e) = cmd(&app, "street", id, json!({"command": "start"})).await;
        assert_eq!(s, 403, "{e}");
        let started = ok(&app, "department", id, json!({"command": "start"})).await;
        let (s, e) = cmd(
            &app,
            "department",
            id,
            json!({"command": "report_back", "note": "x", "version": 1}),
        )
        .await;
        assert_eq!(s, 409, "{e}");
        assert_eq!(e["error"]["code"], "stale_version");
        let version = started["version"].as_i64().unwrap();
        ok(
            &app,
            "department",
            id,
            json!({"command": "report_back", "note": "已清运", "version": version}),
        )
        .await;
        // Verification fails → rework; then passes; closing needs verification first.
        ok(
            &app,
            "street",
            id,
            json!({"command": "verify", "passed": false, "note": "还有残留"}),
        )
        .await;
        let (s, _) = cmd(&app, "street", id, json!({"command": "close"})).await;
        assert_eq!(s, 409);
        ok(
            &app,
            "department",
            id,
            json!({"command": "report_back", "note": "已彻底清理"}),
        )
        .await;
        ok(
            &app,
            "street",
            id,
            json!({"command": "verify", "passed": true, "note": "现场核实"}),
        )
        .await;
        ok(&app, "street", id, json!({"command": "close"})).await;

        // The resident rates by lookup code; unsatisfied → reopen once, approved.
        let r = app.client.post(app.url(&format!("/api/v1/public/cases/{code}/commands")))
            .json(&json!({"command": "rate", "contacted": true, "resolved": false, "satisfaction": "unsatisfied"}))
            .send().await.unwrap();
        assert_eq!(r.status(), 200, "{backend:?}");
        let r = app
            .client
            .post(app.url(&format!("/api/v1/public/cases/{code}/commands")))
            .json(&json!({"command": "request_reopen", "reason": "垃圾又堆起来了"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        ok(
            &app,
            "street",
            id,
            json!({"command": "decide_reopen", "approve": true}),
        )
        .await;
        ok(
            &app,
            "department",
            id,
            json!({"command": "report_back", "note": "再次清运"}),
        )
        .await;
        ok(
            &app,
            "street",
            id,
            json!({"command": "verify", "passed": true, "note": "ok"}),
        )
        .await;
        ok(&app, "street", id, json!({"command": "close"})).await;
        let r = app.client.post(app.url(&format!("/api/v1/public/cases/{code}/commands")))
            .json(&json!({"command": "rate", "contacted": true, "resolved": true, "satisfaction": "satisfied"}))
            .send().await.unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["case"]["state"], "rated", "{backend:?}");
        // A second reopen is refused.
        let r = app
            .client
            .post(app.url(&format!("/api/v1/public/cases/{code}/commands")))
            .json(&json!({"command": "request_reopen", "reason": "再来一次"}))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error());

        // The timeline lists every event in order, with who did it.
        let tl: Value = app
            .get_as("street", &format!("/api/v1/cases/{id}/timeline"))
            .await
            .json()
            .await
            .unwrap();
        let kinds: Vec<&str> = tl
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds[..3],
            ["reported", "registered", "dispatched"],
            "{kinds:?}"
        );
        for k in [
            "started",
            "reported_back",
            "reworked",
            "verified",
            "closed",
            "rated",
            "reopen_requested",
            "reopened",
        ] {
            assert!(
                kinds.contains(&k),
                "{backend:?} timeline lacks {k}: {kinds:?}"
            );
        }
        let seqs: Vec<i64> = tl
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["seq"].as_i64().unwrap())
            .collect();
        assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1));
        assert_eq!(tl[0]["actor"], "测试resident");
    }
}

#[tokio::test]
async fn side_paths_extension_deferral_return_and_cancel() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (id, _) = report(&app, "E0102").await;
        let before: Value = app
            .get_as("street", &format!("/api/v1/cases/{id}"))
            .await
            .json()
            .await
            .unwrap();
        ok(&app, "department", id, json!({"command": "start"})).await;
        ok(&app, "department", id, json!({"command": "request_extension", "by": {"working_days": 3}, "reason": "需要协调物业"})).await;
        let after = ok(
            &app,
            "street",
            id,
            json!({"command": "decide_extension", "approve": true}),
        )
        .await;
        assert!(
            after["deadline"].as_i64().unwrap() > before["deadline"].as_i64().unwrap(),
            "{backend:?} extension moves the deadline"
        );
        ok(
            &app,
            "street",
            id,
            json!({"command": "defer", "reason": "等待降雨结束"}),
        )
        .await;
        let deferred: Value = app
            .get_as("street", &format!("/api/v1/cases/{id}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(deferred["state"], "deferred");
        ok(&app, "street", id, json!({"command": "resume"})).await;
        ok(
            &app,
            "department",
            id,
            json!({"command": "return", "reason": "不属于本部门职责"}),
        )
        .await;
        let returned: Value = app
            .get_as("street", &format!("/api/v1/cases/{id}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            returned["state"], "registered",
            "{backend:?} a return goes back to the dispatcher"
        );
        ok(
            &app,
            "street",
            id,
            json!({"command": "dispatch", "department": "ZJ", "is_override": true}),
        )
        .await;
        let (s, e) = cmd(
            &app,
            "street",
            id,
            json!({"command": "dispatch", "department": "NOPE", "is_override": true}),
        )
        .await;
        assert!(s == 400 || s == 409, "{e}");

        // A report with only an address the city does not hold goes to the street chosen and
        // waits for a dispatcher; an invalid one is cancelled.
        let (s, v) = post(
            &app,
            "resident",
            "/api/v1/cases",
            json!({"category": "E0102", "address": "不详", "street": "320508019000", "description": "测试"}),
        )
        .await;
        assert_eq!(s, 201, "{v}");
        let other = v["case"]["id"].as_i64().unwrap();
        assert_eq!(v["case"]["state"], "reported");
        ok(
            &app,
            "admin",
            other,
            json!({"command": "cancel", "reason": "重复反映"}),
        )
        .await;
        let (s, _) = cmd(&app, "admin", other, json!({"command": "register", "category": "E0102", "deadline_class": "general", "emergency": false})).await;
        assert_eq!(s, 409, "a cancelled case accepts nothing");
        // Bad input is refused naming the field.
        let (s, v) = post(
            &app,
            "resident",
            "/api/v1/cases",
            json!({"category": "NOPE", "lon": 120.6004, "lat": 31.3004, "description": "x"}),
        )
        .await;
        assert_eq!(s, 400);
        assert_eq!(v["error"]["field"], "category");
        let (s, v) = post(
            &app,
            "resident",
            "/api/v1/cases",
            json!({"category": "E0102", "lon": 100.0, "lat": 31.3, "description": "x"}),
        )
        .await;
        assert_eq!(s, 422, "{v}");
        assert_eq!(v["error"]["code"], "outside_grids");

        // Lists are narrowed: the department sees its own cases only.
        let list: Value = app
            .get_as("department", "/api/v1/cases")
            .await
            .json()
            .await
            .unwrap();
        assert!(
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["department"] == "CG"),
            "{backend:?}"
        );
        let inbox: Value = app
            .get_as("department", "/api/v1/inbox")
            .await
            .json()
            .await
            .unwrap();
        assert!(
            inbox["notifications"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["kind"] == "dispatched"),
            "{inbox}"
        );
    }
}

#[tokio::test]
async fn the_deadline_job_warns_marks_overdue_and_escalates() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        // A utilities case: 24 natural hours.
        let (id, _) = report(&app, "E0606").await;
        let v: Value = app
            .get_as("street", &format!("/api/v1/cases/{id}"))
            .await
            .json()
            .await
            .unwrap();
        let deadline = v["deadline"].as_i64().unwrap();
        let level = v["level"].as_i64().unwrap();
        let st = &app.state;
        assert_eq!(
            gongzhi_server::cases::jobs::deadline_tick(st, deadline - 23 * HOUR)
                .await
                .unwrap(),
            0,
            "{backend:?} nothing due early"
        );
        assert_eq!(
            gongzhi_server::cases::jobs::deadline_tick(st, deadline - 4 * HOUR)
                .await
                .unwrap(),
            1,
            "{backend:?} 80% warning"
        );
        let v: Value = app
            .get_as("street", &format!("/api/v1/cases/{id}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(v["warned"], true);
        assert_eq!(
            gongzhi_server::cases::jobs::deadline_tick(st, deadline - 3 * HOUR)
                .await
                .unwrap(),
            0,
            "warned once"
        );
        assert!(
            gongzhi_server::cases::jobs::deadline_tick(st, deadline + HOUR)
                .await
                .unwrap()
                >= 1
        );
        let v: Value = app
            .get_as("street", &format!("/api/v1/cases/{id}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(v["overdue"], true, "{backend:?} {v}");
        assert_eq!(
            v["level"].as_i64().unwrap(),
            level + 1,
            "{backend:?} overdue escalates one level"
        );
        let tl: Value = app
            .get_as("street", &format!("/api/v1/cases/{id}/timeline"))
            .await
            .json()
            .await
            .unwrap();
        let kinds: Vec<&str> = tl
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        for k in ["deadline_warned", "marked_overdue", "escalated"] {
            assert_eq!(
                kinds.iter().filter(|x| **x == k).count(),
                1,
                "{backend:?} {k} once: {kinds:?}"
            );
        }
        assert_eq!(
            gongzhi_server::cases::jobs::deadline_tick(st, deadline + 2 * HOUR)
                .await
                .unwrap(),
            0,
            "nothing more"
        );
    }
}

#[tokio::test]
async fn only_one_server_holds_the_deadline_job_lock() {
    for backend in backends() {
        if backend != gongzhi_testkit::Backend::Postgres {
            continue;
        }
        let app = spawn_app(backend).await;
        // A second server on the same database.
        let second = crate::app::open_store(&app._db).await;
        let key = gongzhi_server::cases::jobs::DEADLINE_LOCK;
        let a = app
            .store
            .with_job_lock(key)
            .await
            .unwrap()
            .expect("first server takes the lock");
        assert!(
            second.with_job_lock(key).await.unwrap().is_none(),
            "second server must not run the job meanwhile"
        );
        a.release().await;
        let b = second
            .with_job_lock(key)
            .await
            .unwrap()
            .expect("second server takes over");
        assert!(app.store.with_job_lock(key).await.unwrap().is_none());
        b.release().await;
    }
}

#[tokio::test]
async fn a_dispatch_queues_a_signed_webhook() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let hook = gongzhi_store::NewWebhook {
            name: "区指挥中心".into(),
            url: "http://127.0.0.1:9/hook".into(),
            format: gongzhi_store::WebhookFormat::Signed,
            secret: gongzhi_store::WebhookSecret::new("0123456789abcdef0123"),
            events: vec![
                gongzhi_store::WebhookEvent::Dispatched,
                gongzhi_store::WebhookEvent::Overdue,
            ],
        };
        let id = app
            .store
            .create_webhook(&hook, &gongzhi_store::Actor::SYSTEM)
            .await
            .unwrap();
        report(&app, "E0102").await;
        let deliveries = app.store.deliveries(id, 10).await.unwrap();
        assert_eq!(
            deliveries.len(),
            1,
            "{backend:?} one delivery for the dispatch"
        );
        assert_eq!(deliveries[0].event, gongzhi_store::WebhookEvent::Dispatched);
    }
}

#[tokio::test]
async fn photos_duplicates_and_supporters() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (id, code) = report(&app, "E0102").await;
        // A JPEG is accepted; a script pretending to be one is not; the tenth photo is refused.
        let jpeg = [0xFFu8, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0].to_vec();
        let form = reqwest::multipart::Form::new().part(
            "photo",
            reqwest::multipart::Part::bytes(jpeg.clone()).file_name("a.jpg"),
        );
        let r = app
            .client
            .post(app.url(&format!("/api/v1/cases/{id}/photos")))
            .bearer_auth(&app.tokens["resident"])
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{backend:?}");
        let form = reqwest::multipart::Form::new().part(
            "photo",
            reqwest::multipart::Part::bytes(b"<svg onload=x>".to_vec()).file_name("b.jpg"),
        );
        let r = app
            .client
            .post(app.url(&format!("/api/v1/cases/{id}/photos")))
            .bearer_auth(&app.tokens["resident"])
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 415);
        for _ in 0..8 {
            let form = reqwest::multipart::Form::new().part(
                "photo",
                reqwest::multipart::Part::bytes(jpeg.clone()).file_name("a.jpg"),
            );
            app.client
                .post(app.url(&format!("/api/v1/cases/{id}/photos")))
                .bearer_auth(&app.tokens["resident"])
                .multipart(form)
                .send()
                .await
                .unwrap();
        }
        let form = reqwest::multipart::Form::new().part(
            "photo",
            reqwest::multipart::Part::bytes(jpeg.clone()).file_name("a.jpg"),
        );
        let r = app
            .client
            .post(app.url(&format!("/api/v1/cases/{id}/photos")))
            .bearer_auth(&app.tokens["resident"])
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 409, "{backend:?} at most 9 photos");
        let photos: Value = app
            .get_as("street", &format!("/api/v1/cases/{id}/photos"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(photos.as_array().unwrap().len(), 9);
        let pid = photos[0]["id"].as_i64().unwrap();
        let img = app.get_as("street", &format!("/api/v1/photos/{pid}")).await;
        assert_eq!(img.headers()["content-type"], "image/jpeg");
        assert_eq!(img.bytes().await.unwrap().to_vec(), jpeg);
        assert_eq!(
            app.get_as("party", &format!("/api/v1/photos/{pid}"))
                .await
                .status(),
            404
        );
        assert_eq!(
            app.client
                .get(app.url(&format!("/api/v1/public/cases/{code}/photos/{pid}")))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );

        // A report 20 m away of the same kind finds it; 200 m away or another kind does not.
        let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0004, GRID_ORIGINS[0].2 + 0.0004);
        let near: Value = app
            .client
            .get(app.url(&format!(
                "/api/v1/public/similar?category=E0102&lon={lon}&lat={}",
                lat + 0.00018
            )))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(near.as_array().unwrap().len(), 1, "{backend:?} {near}");
        assert!(near[0]["distance_m"].as_f64().unwrap() < 25.0);
        let far: Value = app
            .client
            .get(app.url(&format!(
                "/api/v1/public/similar?category=E0102&lon={lon}&lat={}",
                lat + 0.0018
            )))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(far.as_array().unwrap().is_empty());
        let other: Value = app
            .client
            .get(app.url(&format!(
                "/api/v1/public/similar?category=E0101&lon={lon}&lat={lat}"
            )))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(other.as_array().unwrap().is_empty());
        // Following counts once per person.
        let ticket = near[0]["ticket"].as_str().unwrap().to_string();
        for _ in 0..2 {
            let r = app
                .client
                .post(app.url("/report/follow"))
                .form(&[("ticket", ticket.as_str()), ("phone", "13700001111")])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
        }
        let (s, v) = post(
            &app,
            "grid",
            &format!("/api/v1/cases/{id}/support"),
            json!({}),
        )
        .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["supporters"], 2, "{backend:?} {v}");
    }
}

#[tokio::test]
async fn refusals_for_bad_references_and_public_limits() {
    let app = spawn_app(gongzhi_testkit::Backend::Sqlite).await;
    let (id, code) = report(&app, "E0102").await;
    let (s, v) = cmd(
        &app,
        "admin",
        id,
        json!({"command": "merge_into", "case_id": 987654}),
    )
    .await;
    assert_eq!(s, 400, "{v}");
    assert_eq!(v["error"]["field"], "case_id");
    let (s, v) = cmd(
        &app,
        "admin",
        id,
        json!({"command": "merge_into", "case_id": id}),
    )
    .await;
    assert_eq!(s, 400, "{v}");
    let r = app
        .client
        .post(app.url(&format!("/api/v1/public/cases/{code}/commands")))
        .json(&json!({"command": "support"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        403,
        "support by lookup code goes through /report/follow"
    );
    // A resident cannot claim a staff channel.
    let (s, v) = post(
        &app,
        "resident",
        "/api/v1/cases",
        json!({"category": "E0102", "address": "某处", "street": "320508019000", "description": "x", "channel": "hotline"}),
    )
    .await;
    assert_eq!(s, 201);
    assert_eq!(v["case"]["channel"], "resident_web");
}

#[tokio::test]
async fn lookup_codes_read_over_the_phone_still_match() {
    let app = spawn_app(gongzhi_testkit::Backend::Sqlite).await;
    let (_, code) = report(&app, "E0102").await;
    let spaced = format!("{} {}-", &code[..4], code[4..].to_lowercase());
    let r = app
        .client
        .get(app.url(&format!(
            "/api/v1/public/cases/{}",
            spaced.replace(' ', "%20")
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{spaced}");
}

#[tokio::test]
async fn case_lists_accept_consistent_filters_and_refuse_others() {
    let app = spawn_app(gongzhi_testkit::Backend::Sqlite).await;
    report(&app, "E0102").await;
    let ok = |who: &'static str, q: &'static str| {
        let app = &app;
        async move {
            app.get_as(who, &format!("/api/v1/cases?{q}"))
                .await
                .status()
                .as_u16()
        }
    };
    assert_eq!(
        ok("admin", "grid=320508019044001&area=320508019000").await,
        200
    );
    assert_eq!(
        ok("admin", "grid=320508019044001&area=320508020000").await,
        400
    );
    assert_eq!(
        ok("grid", "area=320508019044").await,
        200,
        "an area around the grid worker's own grid"
    );
    assert_eq!(
        ok("street", "area=320508").await,
        200,
        "an area around the street shows the street"
    );
    assert_eq!(ok("street", "area=320508019044").await, 200);
    assert_eq!(ok("street", "area=320508020000").await, 403);
    assert_eq!(ok("grid", "grid=320508019044002").await, 403);
}
