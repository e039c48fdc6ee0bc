//! The outside review's findings (issue 11) that concern bodies, imports, evidence, redirects,
//! emergencies and the map: each test makes the attack and shows it no longer works.

use crate::app::{GRID_ORIGINS, OWN_GRID, TestApp, spawn_app};
use gongzhi_store::CaseFilter;
use gongzhi_testkit::{Backend, backends};
use serde_json::{Value, json};

const JPEG: [u8; 11] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0];

async fn post_json(app: &TestApp, who: &str, path: &str, body: Value) -> (u16, Value) {
    app.post_json_as(who, path, body).await
}

async fn case_count(app: &TestApp) -> i64 {
    app.store.count_cases(&CaseFilter::default()).await.unwrap()
}

/// A report by the resident inside the grid worker's grid: its id.
async fn resident_report(app: &TestApp) -> i64 {
    let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0004, GRID_ORIGINS[0].2 + 0.0004);
    let (s, v) = post_json(
        app,
        "resident",
        "/api/v1/cases",
        json!({"category": "E0102", "lon": lon, "lat": lat, "address": "测试路1号", "description": "楼下垃圾三天没人清运"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["case"]["grid"], OWN_GRID);
    v["case"]["id"].as_i64().unwrap()
}

fn photo_form(n: usize, bytes: &[u8]) -> reqwest::multipart::Form {
    (0..n).fold(reqwest::multipart::Form::new(), |f, i| {
        f.part(
            "photo",
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(format!("{i}.jpg")),
        )
    })
}

/// Finding 4: every route accepted 512 MiB, anonymous ones included, and `/report` held every
/// photo whole before checking sizes. Now small bodies everywhere but the file routes; photos
/// are counted and measured as they arrive.
#[tokio::test]
async fn large_anonymous_bodies_are_refused_before_they_are_read() {
    let app = spawn_app(Backend::Sqlite).await;
    let big = "x".repeat(2 * 1024 * 1024);
    for (path, body, kind) in [
        (
            "/login",
            format!("username=a&password={big}"),
            "application/x-www-form-urlencoded",
        ),
        (
            "/track/act",
            format!("ticket=1&code={big}"),
            "application/x-www-form-urlencoded",
        ),
        (
            "/api/v1/session",
            json!({"username": "a", "password": big}).to_string(),
            "application/json",
        ),
    ] {
        let r = app
            .client
            .post(app.url(path))
            .header("content-type", kind)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 413, "{path}");
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["error"]["code"], "payload_too_large", "{path}: {e}");
    }

    let before = case_count(&app).await;
    let fields = || {
        reqwest::multipart::Form::new()
            .text("category", "E0102")
            .text("lon", (GRID_ORIGINS[0].1 + 0.0004).to_string())
            .text("lat", (GRID_ORIGINS[0].2 + 0.0004).to_string())
            .text("description", "井盖缺失")
    };
    // Ten photos: the tenth is refused before it is read, nothing is filed.
    let mut ten = fields();
    for i in 0..10 {
        ten = ten.part(
            "photo",
            reqwest::multipart::Part::bytes(JPEG.to_vec()).file_name(format!("{i}.jpg")),
        );
    }
    let r = app
        .client
        .post(app.url("/report"))
        .multipart(ten)
        .send()
        .await
        .unwrap();
    let body = r.text().await.unwrap();
    assert!(body.contains("最多上传9张照片"), "{body}");
    // A photo over 5 MB: refused as it streams in.
    let mut huge = JPEG.to_vec();
    huge.resize(6 * 1024 * 1024, 0);
    let r = app
        .client
        .post(app.url("/report"))
        .multipart(fields().part(
            "photo",
            reqwest::multipart::Part::bytes(huge).file_name("big.jpg"),
        ))
        .send()
        .await
        .unwrap();
    let body = r.text().await.unwrap();
    assert!(body.contains("超过5MB"), "{body}");
    // A body larger than nine photos can be is cut off by the route's limit.
    let r = app
        .client
        .post(app.url("/report"))
        .header("content-type", "multipart/form-data; boundary=x")
        .body(vec![b'a'; 50 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    assert_eq!(case_count(&app).await, before, "nothing was filed");
    assert_eq!(app.photo_files(), 0, "no photo was written");
}

/// Finding 6: a district account imported areas and departments for the whole city (renamed
/// 苏州市 and department CG). Every record must now lie inside the importer's region.
#[tokio::test]
async fn a_district_imports_only_inside_its_district() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let import = |who: &'static str, kind: &'static str, csv: &'static str| {
            let app = &app;
            async move {
                let r = app
                    .client
                    .post(app.url(&format!("/api/v1/imports/{kind}")))
                    .bearer_auth(&app.tokens[who])
                    .header("content-type", "text/csv")
                    .body(csv)
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                (status, r.json::<Value>().await.unwrap_or(Value::Null))
            }
        };
        let city_before = app
            .store
            .area(&gongzhi_domain::codes::AreaCode::parse("320500").unwrap())
            .await
            .unwrap()
            .map(|a| a.name);
        let (s, e) = import("district", "areas", "区划代码,名称\n320500,被改名的市\n").await;
        assert_eq!(s, 403, "{backend:?} {e}");
        assert!(
            e["error"]["message"].as_str().unwrap().contains("320500"),
            "{e}"
        );
        let city_after = app
            .store
            .area(&gongzhi_domain::codes::AreaCode::parse("320500").unwrap())
            .await
            .unwrap()
            .map(|a| a.name);
        assert_eq!(city_before, city_after, "{backend:?} nothing renamed");
        // One row outside spoils the file: the row inside is not written either.
        let (s, _) = import(
            "district",
            "areas",
            "区划代码,名称\n320508019000,金阊街道新名\n320505001000,别区街道\n",
        )
        .await;
        assert_eq!(s, 403, "{backend:?}");
        let street = app
            .store
            .area(&gongzhi_domain::codes::AreaCode::parse("320508019000").unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_ne!(street.name, "金阊街道新名", "{backend:?} all or nothing");
        let (s, e) = import(
            "district",
            "departments",
            "部门代码,部门名称\nCG,被改名的部门\n",
        )
        .await;
        assert_eq!(s, 403, "{backend:?} {e}");
        let cg = app.store.lookups().await.unwrap().departments["CG"]
            .name
            .clone();
        assert_ne!(cg, "被改名的部门", "{backend:?}");
        // Inside its district it still imports; the admin imports anywhere.
        let (s, e) = import(
            "district",
            "areas",
            "区划代码,名称\n320508019000,金阊街道\n",
        )
        .await;
        assert_eq!(s, 201, "{backend:?} {e}");
        let (s, e) = import("admin", "departments", "部门代码,部门名称\nCG,城管局\n").await;
        assert_eq!(s, 201, "{backend:?} {e}");
    }
}

/// Finding 10: a supervisor (who may only see a case) uploaded photos to it, and files were
/// written before the nine-photo limit was checked.
#[tokio::test]
async fn only_those_with_a_part_in_a_case_add_photos_and_a_tenth_writes_nothing() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let id = resident_report(&app).await;
        let upload = |who: &'static str, form: reqwest::multipart::Form| {
            let app = &app;
            async move {
                app.client
                    .post(app.url(&format!("/api/v1/cases/{id}/photos")))
                    .bearer_auth(&app.tokens[who])
                    .multipart(form)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        };
        assert_eq!(
            upload("supervisor", photo_form(1, &JPEG)).await,
            403,
            "{backend:?}"
        );
        assert_eq!(
            upload("party", photo_form(1, &JPEG)).await,
            404,
            "{backend:?}"
        );
        assert_eq!(app.photo_files(), 0, "{backend:?} nothing written");
        assert_eq!(
            upload("resident", photo_form(1, &JPEG)).await,
            201,
            "{backend:?}"
        );
        assert_eq!(
            upload("street", photo_form(1, &[JPEG.as_slice(), b"2"].concat())).await,
            201
        );
        let files = app.photo_files();
        // Seven more fit; the eighth of this upload (the case's tenth) is refused unread.
        let many: Vec<Vec<u8>> = (0..8u8)
            .map(|i| [JPEG.as_slice(), &[b'a', i]].concat())
            .collect();
        let form = many.iter().fold(reqwest::multipart::Form::new(), |f, b| {
            f.part(
                "photo",
                reqwest::multipart::Part::bytes(b.clone()).file_name("p.jpg"),
            )
        });
        assert_eq!(upload("resident", form).await, 409, "{backend:?}");
        assert_eq!(
            app.store.case_photos(id).await.unwrap().len(),
            9,
            "{backend:?}"
        );
        assert_eq!(
            app.photo_files(),
            files + 7,
            "{backend:?} the tenth was never written"
        );
    }
}

/// Finding 11: `/lang/en` followed a Referer whose path starts `//` to another site.
#[tokio::test]
async fn the_language_switch_never_redirects_off_site() {
    let app = spawn_app(Backend::Sqlite).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for (referer, back) in [
        (format!("http://{}//evil.example/x", app.addr), "/"),
        (format!("http://{}/\\evil.example/x", app.addr), "/"),
        (
            format!("http://{}/cases?state=open", app.addr),
            "/cases?state=open",
        ),
    ] {
        let r = client
            .get(app.url("/lang/en"))
            .header("referer", &referer)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{referer}");
        assert_eq!(r.headers()["location"], back, "{referer}");
    }
}

/// Finding 14: residents filed `emergency: true` through the API (a 2-hour deadline, first in
/// every queue). Now refused with a reason; staff still mark emergencies.
#[tokio::test]
async fn residents_cannot_file_emergencies() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let before = case_count(&app).await;
        let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0004, GRID_ORIGINS[0].2 + 0.0004);
        let body = json!({"category": "E0102", "lon": lon, "lat": lat, "description": "紧急！", "emergency": true});
        let (s, e) = post_json(&app, "resident", "/api/v1/cases", body.clone()).await;
        assert_eq!(s, 403, "{backend:?} {e}");
        assert!(
            e["error"]["message"].as_str().unwrap().contains("紧急"),
            "{e}"
        );
        assert!(
            e["error"]["message_en"]
                .as_str()
                .unwrap()
                .contains("emergency"),
            "{e}"
        );
        assert_eq!(case_count(&app).await, before, "{backend:?} nothing filed");
        let (s, v) = post_json(&app, "grid", "/api/v1/cases", body).await;
        assert_eq!(s, 201, "{backend:?} {v}");
        assert_eq!(v["case"]["emergency"], true);
    }
}

/// Finding 16: map popups put grid and staff names into HTML; a name like `<img onerror>` was
/// markup. The popup is now built from text nodes.
#[tokio::test]
async fn map_popups_insert_names_as_text() {
    let app = spawn_app(Backend::Sqlite).await;
    let js = app
        .client
        .get(app.url("/assets/map.js"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(js.contains("textContent = String(value)"), "{js}");
    assert!(
        !js.contains("'<b>' + g.name"),
        "names concatenated into markup"
    );
    assert!(!js.contains("innerHTML"), "no markup from data");
}

/// Finding 18: the anonymous outline map was rebuilt from the database per request. It is now
/// built once per load of the grids: the same bytes each time, no query.
#[tokio::test]
async fn the_public_outline_map_is_served_from_memory() {
    let app = spawn_app(Backend::Sqlite).await;
    let get = || async {
        app.client
            .get(app.url("/api/v1/public/grids.geojson"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
    };
    let first = get().await;
    let geo: Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(
        geo["features"].as_array().unwrap().len(),
        GRID_ORIGINS.len()
    );
    let places = app.state.grids.places().expect("loaded");
    assert_eq!(first, places.public_geojson(), "served from memory");
    assert_eq!(
        places.public_geojson().as_ptr(),
        places.public_geojson().as_ptr(),
        "built once and shared, not rendered per request"
    );
    assert_eq!(get().await, first);
}
