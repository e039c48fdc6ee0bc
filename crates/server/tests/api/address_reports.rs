//! An address-only report is never invisible (issue 12 item 3), on SQLite and PostgreSQL: one
//! whose address names a held place is located there and gets its grid; one whose address
//! names nothing held goes to the street its reporter chose — seen by that street's staff,
//! not by another street's — and waits there to be registered; with neither a point, a known
//! address nor a street it is refused, naming the field, and nothing is filed.

use crate::app::{OWN_GRID, TestApp, spawn_app};
use crate::places::{import_places, places_file};
use gongzhi_domain::access::{Role, Scope};
use gongzhi_domain::codes::AreaCode;
use gongzhi_testkit::backends;
use serde_json::{Value, json};

async fn report(app: &TestApp, body: Value) -> (u16, Value) {
    let r = app
        .client
        .post(app.url("/api/v1/cases"))
        .bearer_auth(&app.tokens["resident"])
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn total(app: &TestApp, who: &str) -> i64 {
    let v: Value = app.get_as(who, "/api/v1/cases").await.json().await.unwrap();
    v["total"].as_i64().unwrap()
}

#[tokio::test]
async fn an_address_only_report_is_located_or_goes_to_the_chosen_street() {
    for backend in backends() {
        let mut app = spawn_app(backend).await;
        let (s, v) = import_places(&app, "admin", places_file()).await;
        assert_eq!(s, 201, "{v}");
        app.add_account(
            "pingjiang",
            Role::Street,
            Scope::Area(AreaCode::parse("320508020000").unwrap()),
            false,
        )
        .await;

        // The address names a held compound: located at it, in its grid, and dispatched by
        // the rules like any located report.
        let (s, v) = report(
            &app,
            json!({"category": "E0102", "address": "养育巷新村5幢楼下", "description": "垃圾桶满了没人清运"}),
        )
        .await;
        assert_eq!(s, 201, "{backend:?} {v}");
        assert_eq!(v["case"]["grid"], OWN_GRID, "{v}");
        assert_eq!(v["case"]["lon"], 120.6004);
        assert_ne!(v["case"]["state"], "reported", "{v}");

        // Nothing held matches: it goes to the street chosen, waiting for its registration.
        let before = (total(&app, "pingjiang").await, total(&app, "street").await);
        let (s, v) = report(
            &app,
            json!({"category": "E0102", "address": "观前街后面的小弄堂", "street": "320508020000", "description": "路灯坏了"}),
        )
        .await;
        assert_eq!(s, 201, "{v}");
        let id = v["case"]["id"].as_i64().unwrap();
        assert_eq!(v["case"]["state"], "reported", "{v}");
        assert_eq!(v["case"]["grid"], Value::Null);
        assert_eq!(total(&app, "pingjiang").await, before.0 + 1, "平江 sees it");
        assert_eq!(total(&app, "street").await, before.1, "金阊 does not");
        let path = format!("/api/v1/cases/{id}");
        assert_eq!(app.get_as("pingjiang", &path).await.status(), 200);
        assert_ne!(app.get_as("street", &path).await.status(), 200);
        assert_ne!(app.get_as("community", &path).await.status(), 200);
        // The street's staff register it.
        let r = app
            .client
            .post(app.url(&format!("/api/v1/cases/{id}/commands")))
            .bearer_auth(&app.tokens["pingjiang"])
            .json(&json!({"command": "register", "category": "E0102", "deadline_class": "general", "emergency": false}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

        // Neither a point, a known address nor a street: refused, naming the field.
        let count = total(&app, "admin").await;
        let (s, v) = report(
            &app,
            json!({"category": "E0102", "address": "观前街后面的小弄堂", "description": "路灯坏了"}),
        )
        .await;
        assert_eq!(s, 400, "{v}");
        assert_eq!(v["error"]["field"], "street");
        assert!(
            v["error"]["message"].as_str().unwrap().contains("街道"),
            "{v}"
        );
        let (s, v) = report(
            &app,
            json!({"category": "E0102", "description": "路灯坏了"}),
        )
        .await;
        assert_eq!(s, 400, "{v}");
        assert_eq!(v["error"]["field"], "lat");
        // A street the city does not have, or a community given as the street.
        for street in ["320508099000", "320508020001"] {
            let (s, v) = report(
                &app,
                json!({"category": "E0102", "address": "某处", "street": street, "description": "x"}),
            )
            .await;
            assert_eq!(s, 400, "{street} {v}");
            assert_eq!(v["error"]["field"], "street");
        }
        // No category chosen: the category named.
        let (s, v) = report(
            &app,
            json!({"category": "", "address": "养育巷新村5幢", "description": "x"}),
        )
        .await;
        assert_eq!(s, 400, "{v}");
        assert_eq!(v["error"]["field"], "category");
        assert_eq!(total(&app, "admin").await, count, "nothing filed");
    }
}

#[tokio::test]
async fn the_report_form_offers_two_step_categories_the_streets_and_the_search_box() {
    let app = spawn_app(gongzhi_testkit::Backend::Sqlite).await;
    let html = app
        .client
        .get(app.url("/report"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"<select name="category" id="category" required>"#));
    // Nothing preselected: an empty first choice, then the minors under their major's name.
    let select = &html[html.find(r#"id="category""#).unwrap()..];
    let first_option = &select[select.find("<option").unwrap()..];
    assert!(
        first_option.starts_with(r#"<option value="">"#),
        "{first_option:.80}"
    );
    assert!(!select[..select.find("</select>").unwrap()].contains("selected"));
    assert!(
        html.contains("<optgroup label="),
        "grouped by major category"
    );
    assert!(html.contains(r#"value="E0102""#));
    assert!(html.contains(r#"id="category-major""#));
    assert!(html.contains(r#"id="place-search""#));
    assert!(html.contains(r#"<option value="320508019000">金阊街道</option>"#));
    assert!(html.contains(r#"<option value="320508020000">平江街道</option>"#));
    // No tile service configured: the map draws our own layers only.
    assert!(!html.contains("data-tile-url"));

    // The form itself: an address-only report with a street chosen is received.
    let form = reqwest::multipart::Form::new()
        .text("category", "E0102")
        .text("address", "观前街后面的小弄堂")
        .text("street", "320508020000")
        .text("description", "路灯坏了");
    let html = app
        .client
        .post(app.url("/report"))
        .multipart(form)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"id="lookup-code""#), "{html:.400}");
}

#[tokio::test]
async fn a_configured_tile_service_reaches_the_maps() {
    let app = crate::app::spawn_app_with(
        gongzhi_testkit::Backend::Sqlite,
        |c| {
            c.tiles = Some(
                gongzhi_server::tiles::TileLayer::parse(
                    "https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}",
                    "天地图",
                )
                .unwrap(),
            )
        },
        |_| {},
    )
    .await;
    let html = app
        .client
        .get(app.url("/report"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"data-tile-url="https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&amp;TILEROW={y}&amp;TILECOL={x}""#)
            || html.contains(r#"data-tile-url="https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&#38;TILEROW={y}&#38;TILECOL={x}""#),
        "{html}"
    );
    assert!(html.contains(r#"data-tile-attribution="天地图""#));
}
