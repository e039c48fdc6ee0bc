//! Logging in from a browser: cookies, CSRF, lockout, pages for every role, language switch.

use crate::app::{PASSWORD, TestApp, accounts, spawn_app};
use gongzhi_testkit::backends;
use serde_json::Value;

pub(crate) async fn login(app: &TestApp, who: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/login"))
        .form(&[("username", who), ("password", password)])
        .send()
        .await
        .unwrap()
}

pub(crate) fn session_cookie(r: &reqwest::Response) -> String {
    let set = r
        .headers()
        .get("set-cookie")
        .expect("a session cookie")
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    set.split(';').next().unwrap().to_string()
}

#[tokio::test]
async fn every_role_logs_in_and_sees_its_pages() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        assert_eq!(
            app.client
                .get(app.url("/healthz"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        let r = app.client.get(app.url("/")).send().await.unwrap();
        assert_eq!(r.status(), 303, "anonymous → login");
        for (who, _, _, _) in accounts() {
            let r = login(&app, who, PASSWORD).await;
            assert_eq!(r.status(), 303, "{backend:?} {who}");
            let cookie = session_cookie(&r);
            let home = app
                .client
                .get(app.url("/"))
                .header("cookie", &cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(home.status(), 200);
            let html = home.text().await.unwrap();
            assert!(html.contains("工作台"), "{who}: {html}");
            assert!(html.contains(&format!("测试{who}")));
            let has = |label: &str| html.contains(&format!(">{label}</a>"));
            let staff = matches!(who, "admin" | "district" | "street" | "community" | "grid");
            assert_eq!(has("住户"), staff, "{who} households menu");
            assert_eq!(has("账号"), who == "admin", "{who} accounts menu");
            assert_eq!(
                has("审计"),
                matches!(who, "admin" | "supervisor"),
                "{who} audit menu"
            );
            assert_eq!(
                has("导入"),
                matches!(who, "admin" | "district" | "street" | "community"),
                "{who} import menu"
            );
            for page in ["/map", "/areas"] {
                let r = app
                    .client
                    .get(app.url(page))
                    .header("cookie", &cookie)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200, "{backend:?} {who} {page}");
            }
            if staff {
                let r = app
                    .client
                    .get(app.url("/households"))
                    .header("cookie", &cookie)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200, "{who}");
                assert!(r.text().await.unwrap().contains("-001-101"));
            }
            // English on request, remembered in a cookie.
            let en = app
                .client
                .get(app.url("/"))
                .header("cookie", format!("{cookie}; gz_lang=en"))
                .send()
                .await
                .unwrap();
            assert!(en.text().await.unwrap().contains("Dashboard"));
        }
    }
}

#[tokio::test]
async fn session_posts_need_the_csrf_token_and_five_failures_lock() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let r = app
            .client
            .post(app.url("/api/v1/session"))
            .json(&serde_json::json!({"username": "admin", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let cookie = session_cookie(&r);
        let me: Value = r.json().await.unwrap();
        let csrf = me["csrf_token"].as_str().unwrap().to_string();
        let body = serde_json::json!({"username": "newone", "display_name": "新同事", "role": "street", "scope": "area:320508019000", "password": "abc12345xyz"});
        let without = app
            .client
            .post(app.url("/api/v1/accounts"))
            .header("cookie", &cookie)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(without.status(), 403, "{backend:?}");
        let v: Value = without.json().await.unwrap();
        assert_eq!(v["error"]["code"], "csrf");
        let with = app
            .client
            .post(app.url("/api/v1/accounts"))
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(with.status(), 201, "{backend:?}");
        // A scope that does not fit the role is refused with the field named.
        let bad = serde_json::json!({"username": "x2", "display_name": "x", "role": "grid_worker", "scope": "area:320508019000", "password": "abc12345xyz"});
        let r = app
            .client
            .post(app.url("/api/v1/accounts"))
            .bearer_auth(&app.tokens["admin"])
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        assert_eq!(r.json::<Value>().await.unwrap()["error"]["field"], "scope");
        // The act is in the audit log.
        let audit: Value = app
            .get_as("admin", "/api/v1/audit")
            .await
            .json()
            .await
            .unwrap();
        assert!(
            audit
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == "account.create" && e["subject"] == "account:newone")
        );

        for i in 0..4 {
            assert_eq!(
                login(&app, "street", "wrong-password").await.status(),
                401,
                "attempt {i}"
            );
        }
        assert_eq!(
            login(&app, "street", "wrong-password").await.status(),
            401,
            "{backend:?} fifth failure locks, saying no more than a wrong password"
        );
        // Locked: the right password is refused too, in the same words.
        let locked = login(&app, "street", PASSWORD).await;
        assert_eq!(locked.status(), 401);
        assert!(locked.text().await.unwrap().contains("用户名或密码错误"));
    }
}

#[tokio::test]
async fn errors_have_one_bilingual_shape() {
    let app = spawn_app(gongzhi_testkit::Backend::Sqlite).await;
    let r = app.get_as("admin", "/api/v1/nowhere").await;
    assert_eq!(r.status(), 404);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "not_found");
    assert!(v["error"]["message"].is_string() && v["error"]["message_en"].is_string());
    let r = app
        .client
        .get(app.url("/api/v1/households"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = app.get_as("admin", "/api/v1/areas/1234").await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["field"], "code");
    assert_eq!(v["error"]["code"], "invalid_area_code");
    let r = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth("gz_not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

/// Every `/assets/…` a template or script refers to is served (nothing loads from a CDN).
#[tokio::test]
async fn every_referenced_asset_is_embedded() {
    let app = spawn_app(gongzhi_testkit::Backend::Sqlite).await;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for part in text.split("\"/assets/").skip(1) {
            let path = part.split('"').next().unwrap();
            let r = app
                .client
                .get(app.url(&format!("/assets/{path}")))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "/assets/{path}");
            seen += 1;
        }
        assert!(
            !text.contains("https://"),
            "templates load nothing from outside"
        );
    }
    assert!(seen >= 5, "{seen}");
}
