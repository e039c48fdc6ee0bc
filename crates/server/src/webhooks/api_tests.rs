//! The webhook API over HTTP on 127.0.0.1: admins only, every field checked by name, secrets
//! and URL tokens never returned, disable cancels, the delivery log is readable.

use crate::test_app::TestApp;
use gongzhi_domain::access::{Role, Scope};
use gongzhi_testkit::Backend;
use serde_json::{Value, json};

/// The shared `TestApp` on an empty database, with the webhook API's own calls.
struct Api {
    app: TestApp,
}

impl std::ops::Deref for Api {
    type Target = TestApp;
    fn deref(&self) -> &TestApp {
        &self.app
    }
}

impl Api {
    async fn start() -> Api {
        Api {
            app: TestApp::bare(Backend::Sqlite).await,
        }
    }

    async fn token(&mut self, username: &'static str, role: Role, scope: Scope) -> String {
        self.app.add_account(username, role, scope, false).await
    }

    async fn call(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let url = self.url(path);
        let mut req = match method {
            "GET" => self.client.get(url),
            _ => self.client.post(url),
        }
        .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

fn good() -> Value {
    json!({
        "name": "区指挥中心",
        "url": "https://oapi.dingtalk.com/robot/send?access_token=TOKEN123",
        "format": "dingtalk",
        "secret": "SECabcdef0123456789",
        "events": ["overdue", "escalated"],
    })
}

#[tokio::test]
async fn admins_manage_webhooks_and_secrets_stay_hidden() {
    let mut api = Api::start().await;
    let admin = api.token("admin", Role::Admin, Scope::All).await;
    let resident = api.token("resident", Role::Resident, Scope::SelfOnly).await;

    // Only an admin may list or create.
    assert_eq!(
        api.call(&resident, "GET", "/api/v1/webhooks", None).await.0,
        403
    );
    assert_eq!(
        api.call(&resident, "POST", "/api/v1/webhooks", Some(good()))
            .await
            .0,
        403
    );
    assert_eq!(
        api.call("nope", "GET", "/api/v1/webhooks", None).await.0,
        401
    );

    let (status, created) = api
        .call(&admin, "POST", "/api/v1/webhooks", Some(good()))
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["name"], "区指挥中心");
    assert_eq!(created["format"], "dingtalk");
    assert_eq!(created["events"], json!(["overdue", "escalated"]));
    assert_eq!(created["has_secret"], true);
    assert_eq!(
        created["url"],
        "https://oapi.dingtalk.com/robot/send?access_token=…"
    );
    let id = created["id"].as_i64().unwrap();

    let (status, listed) = api.call(&admin, "GET", "/api/v1/webhooks", None).await;
    assert_eq!(status, 200);
    let text = listed.to_string();
    assert!(
        !text.contains("SECabcdef") && !text.contains("TOKEN123"),
        "{text}"
    );
    assert!(listed[0].get("secret").is_none());

    // Queued deliveries show in the log; disabling cancels them.
    api.store
        .enqueue_webhook_deliveries(gongzhi_store::WebhookEvent::Overdue, 3, r#"{"x":1}"#)
        .await
        .unwrap();
    let path = format!("/api/v1/webhooks/{id}/deliveries");
    let (status, log) = api.call(&admin, "GET", &path, None).await;
    assert_eq!(status, 200);
    assert_eq!(
        (log[0]["status"].as_str(), log[0]["case_id"].as_i64()),
        (Some("pending"), Some(3))
    );
    assert_eq!(api.call(&resident, "GET", &path, None).await.0, 403);

    let disable = format!("/api/v1/webhooks/{id}/disable");
    assert_eq!(api.call(&resident, "POST", &disable, None).await.0, 403);
    assert_eq!(api.call(&admin, "POST", &disable, None).await.0, 204);
    let (_, log) = api.call(&admin, "GET", &path, None).await;
    assert_eq!(log[0]["status"], "cancelled");
    let (_, listed) = api.call(&admin, "GET", "/api/v1/webhooks", None).await;
    assert_eq!(listed[0]["active"], false);

    assert_eq!(
        api.call(&admin, "POST", "/api/v1/webhooks/999/disable", None)
            .await
            .0,
        404
    );
    assert_eq!(
        api.call(&admin, "GET", "/api/v1/webhooks/999/deliveries", None)
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn each_bad_field_is_named_in_both_languages() {
    let mut api = Api::start().await;
    let admin = api.token("admin", Role::Admin, Scope::All).await;
    let cases: [(&str, Value, &str); 8] = [
        ("name", json!(""), "name"),
        ("url", json!("ftp://example.org/x"), "url"),
        ("url", json!("not a url"), "url"),
        ("format", json!("slack"), "format"),
        ("events", json!([]), "events"),
        ("events", json!(["overdue", "closed"]), "events"),
        ("secret", json!("short"), "secret"),
        ("format", json!("wecom"), "secret"),
    ];
    for (key, value, field) in cases {
        let mut body = good();
        body[key] = value.clone();
        if key == "secret" {
            body["format"] = json!("signed");
        }
        let (status, err) = api
            .call(&admin, "POST", "/api/v1/webhooks", Some(body))
            .await;
        assert_eq!(status, 400, "{key}={value}: {err}");
        let e = &err["error"];
        assert_eq!(e["field"], field, "{key}={value}: {err}");
        let (zh, en) = (
            e["message"].as_str().unwrap(),
            e["message_en"].as_str().unwrap(),
        );
        assert!(zh.contains(field) && en.contains(field), "{zh} / {en}");
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{zh}"
        );
    }
    // A missing field is named too, not refused as an unreadable body.
    let (status, err) = api
        .call(
            &admin,
            "POST",
            "/api/v1/webhooks",
            Some(json!({"name": "x"})),
        )
        .await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("url")));
    assert!(api.store.webhooks().await.unwrap().is_empty());
}
