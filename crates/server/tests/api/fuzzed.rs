//! What API fuzzing (`tools/schemathesis.sh`) found, pinned down: each test reproduces one
//! finding on SQLite and PostgreSQL.

use crate::app::{TestApp, spawn_app};
use gongzhi_testkit::backends;
use serde_json::{Value, json};

async fn account_id(app: &TestApp, who: &str) -> i64 {
    let me: Value = app.get_as(who, "/api/v1/me").await.json().await.unwrap();
    me["account"]["id"].as_i64().expect("account id")
}

async fn set_role(app: &TestApp, as_who: &str, id: i64, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/accounts/{id}/role")))
        .bearer_auth(&app.tokens[as_who])
        .json(body)
        .send()
        .await
        .unwrap()
}

/// The fuzzer, acting as admin, posted a valid role to `/api/v1/accounts/{its own id}/role` and
/// turned itself into a grid worker: every later admin call was a 403. Like disabling oneself,
/// changing one's own role or scope is refused with a 400 naming `id`, and nothing changes.
#[tokio::test]
async fn an_admin_cannot_change_their_own_role() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let admin = account_id(&app, "admin").await;
        let demote = json!({"role": "resident", "scope": "self"});
        let r = set_role(&app, "admin", admin, &demote).await;
        assert_eq!(r.status(), 400, "{backend:?}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["code"], "bad_request");
        assert_eq!(v["error"]["field"], "id");
        assert!(!v["error"]["message"].as_str().unwrap().is_empty());
        assert!(!v["error"]["message_en"].as_str().unwrap().is_empty());
        // Still an admin.
        let me: Value = app
            .get_as("admin", "/api/v1/me")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(me["account"]["role"], "admin", "{backend:?}");
        assert_eq!(app.get_as("admin", "/api/v1/accounts").await.status(), 200);

        // The same through the admin page's form: refused, and still an admin.
        let csrf = login_csrf(&app).await;
        let r = app
            .client
            .post(app.url(&format!("/admin/accounts/{admin}/role")))
            .header("cookie", &csrf.0)
            .form(&[
                ("csrf", csrf.1.as_str()),
                ("role", "resident"),
                ("scope", "self"),
            ])
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{backend:?} {}", r.status());
        let me: Value = app
            .get_as("admin", "/api/v1/me")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(me["account"]["role"], "admin", "{backend:?} page");

        // Another account's role may still be changed.
        let street = account_id(&app, "street").await;
        let r = set_role(
            &app,
            "admin",
            street,
            &json!({"role": "street", "scope": "area:320508019000", "can_unmask": true}),
        )
        .await;
        assert_eq!(r.status(), 200, "{backend:?}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["can_unmask"], true);
    }
}

/// A session cookie and its CSRF token for `admin`.
async fn login_csrf(app: &TestApp) -> (String, String) {
    let r = app
        .client
        .post(app.url("/api/v1/session"))
        .json(&json!({"username": "admin", "password": crate::app::PASSWORD}))
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
    let v: Value = r.json().await.unwrap();
    (cookie, v["csrf_token"].as_str().unwrap().to_string())
}

/// Paths and query strings axum cannot parse are 400s in the one error shape (as the OpenAPI
/// document now says for every operation that takes path or query parameters): an id past
/// i64, a query parameter given twice, a path segment that is not UTF-8.
#[tokio::test]
async fn unparsable_paths_and_queries_are_json_400s() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        for (method, path) in [
            ("POST", "/api/v1/webhooks/9223372036854775808/disable"),
            (
                "GET",
                "/api/v1/community-checkins/9223372036854775808/tasks",
            ),
            (
                "POST",
                "/api/v1/community-tasks/9223372036854775808/confirm",
            ),
            ("GET", "/api/v1/grids?area=320508&area=320508"),
            ("GET", "/api/v1/grids.geojson?area=320508&area=320508"),
            ("GET", "/api/v1/areas/%FF"),
            ("GET", "/api/v1/grids/%FF"),
            ("GET", "/api/v1/public/cases/%FF"),
            ("GET", "/ledger/tile/%FF"),
        ] {
            let r = app
                .client
                .request(method.parse().unwrap(), app.url(path))
                .bearer_auth(&app.tokens["admin"])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 400, "{backend:?} {method} {path}");
            assert_eq!(
                r.headers()["content-type"],
                "application/json",
                "{method} {path}"
            );
            let v: Value = r.json().await.unwrap();
            assert_eq!(v["error"]["code"], "bad_request", "{method} {path}");
            assert!(!v["error"]["message_en"].as_str().unwrap().is_empty());
        }
    }
}
