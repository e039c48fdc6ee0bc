//! Users see names, never codes: case pages in several states, for several roles, in Chinese
//! and in English, show no command, state, channel or role code outside of HTML attributes.

use crate::app::{GRID_ORIGINS, TestApp, accounts, spawn_app};
use gongzhi_domain::access::Role;
use gongzhi_domain::case::{CaseState, Channel, CommandKind, PartState, Satisfaction};
use gongzhi_testkit::Backend;
use serde_json::{Value, json};

/// Every code the domain gives a label to.
fn codes() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = CommandKind::ALL.iter().map(|k| k.as_str()).collect();
    v.extend(CaseState::ALL.iter().map(|s| s.as_str()));
    v.extend(Channel::ALL.iter().map(|c| c.as_str()));
    v.extend(Role::ALL.iter().map(|r| r.as_str()));
    v.extend(Satisfaction::ALL.iter().map(|s| s.as_str()));
    v.extend(PartState::ALL.iter().map(|s| s.as_str()));
    v
}

/// The page's visible text: tags (with their attributes), scripts and styles removed.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        out.push(' ');
        let tail = &rest[i..];
        let skip_to = ["<script", "<style"]
            .iter()
            .find(|p| tail.starts_with(**p))
            .map(|p| format!("</{}>", &p[1..]));
        let end = match skip_to {
            Some(close) => tail.find(&close).map(|j| j + close.len()),
            None => tail.find('>').map(|j| j + 1),
        };
        rest = &tail[end.unwrap_or(tail.len())..];
    }
    out.push_str(rest);
    out
}

/// Codes standing as words in the page's text. In English, single-word codes (`close`,
/// `street`) are ordinary words, so only the compound ones (`in_progress`) betray a code.
fn bare_codes(app: &TestApp, html: &str, english: bool) -> Vec<&'static str> {
    let mut text = visible_text(html);
    // The test accounts' names are data, not labels ("测试street").
    for (username, ..) in accounts() {
        text = text.replace(&format!("测试{username}"), " ");
    }
    let _ = app;
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .collect();
    codes()
        .into_iter()
        .filter(|code| !english || code.contains('_'))
        .filter(|code| words.contains(code))
        .collect()
}

async fn page(app: &TestApp, who: &str, path: &str, english: bool) -> String {
    let mut req = app.client.get(app.url(path)).bearer_auth(&app.tokens[who]);
    if english {
        req = req.header("cookie", "gz_lang=en");
    }
    let r = req.send().await.unwrap();
    assert_eq!(r.status(), 200, "{who} {path}");
    r.text().await.unwrap()
}

async fn cmd(app: &TestApp, who: &str, id: i64, body: Value) {
    let r = app
        .client
        .post(app.url(&format!("/api/v1/cases/{id}/commands")))
        .bearer_auth(&app.tokens[who])
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    assert_eq!(status, 200, "{who} {body}: {}", r.text().await.unwrap());
}

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

/// Labels are the same on both backends; the pages are rendered once, on SQLite.
#[tokio::test]
async fn case_pages_show_no_code_names() {
    let app = spawn_app(Backend::Sqlite).await;
    // Dispatched (by the rules), in progress, reported back, closed and rated, returned,
    // deferred, and cancelled.
    let dispatched = report(&app).await;
    let in_progress = report(&app).await;
    cmd(&app, "department", in_progress, json!({"command": "start"})).await;
    let rated = report(&app).await;
    cmd(&app, "department", rated, json!({"command": "start"})).await;
    cmd(
        &app,
        "department",
        rated,
        json!({"command": "report_back", "note": "已清运"}),
    )
    .await;
    let reported_back = report(&app).await;
    cmd(
        &app,
        "department",
        reported_back,
        json!({"command": "report_back", "note": "已清运"}),
    )
    .await;
    cmd(
        &app,
        "street",
        rated,
        json!({"command": "verify", "passed": true, "note": "现场已清"}),
    )
    .await;
    cmd(&app, "street", rated, json!({"command": "close"})).await;
    cmd(
        &app,
        "street",
        rated,
        json!({"command": "rate", "contacted": true, "resolved": true, "satisfaction": "satisfied"}),
    )
    .await;
    let returned = report(&app).await;
    cmd(
        &app,
        "department",
        returned,
        json!({"command": "return", "reason": "不属于本部门职责"}),
    )
    .await;
    let deferred = report(&app).await;
    cmd(
        &app,
        "street",
        deferred,
        json!({"command": "defer", "reason": "等待降雨结束"}),
    )
    .await;
    let cancelled = report(&app).await;
    cmd(
        &app,
        "department",
        cancelled,
        json!({"command": "return", "reason": "不属于本部门职责"}),
    )
    .await;
    cmd(
        &app,
        "street",
        cancelled,
        json!({"command": "cancel", "reason": "重复上报"}),
    )
    .await;
    let cases = [
        dispatched,
        in_progress,
        reported_back,
        rated,
        returned,
        deferred,
        cancelled,
    ];

    let mut found = Vec::new();
    for english in [false, true] {
        for who in ["street", "department", "district", "admin"] {
            let mut paths: Vec<String> = cases.iter().map(|id| format!("/cases/{id}")).collect();
            paths.push("/cases".into());
            paths.push("/cases?state=in_progress".into());
            paths.push("/inbox".into());
            for path in paths {
                let r = app
                    .client
                    .get(app.url(&path))
                    .bearer_auth(&app.tokens[who])
                    .send()
                    .await
                    .unwrap();
                // The department sees only its own cases.
                if r.status() == 404 {
                    continue;
                }
                let html = page(&app, who, &path, english).await;
                for code in bare_codes(&app, &html, english) {
                    found.push(format!("{who} {path} (english: {english}): {code}"));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "code names on pages:\n{}",
        found.join("\n")
    );

    // The check itself finds a code when one is shown, and not inside an attribute.
    let shown =
        r#"<form><input name="command" value="report_back"><button>report_back</button></form>"#;
    assert_eq!(bare_codes(&app, shown, false), ["report_back"]);
    assert!(bare_codes(&app, r#"<input value="in_progress">处置中"#, false).is_empty());
}

/// On a returned case the first button is not the destructive one: 注销 is secondary, last,
/// and asks before it posts.
#[tokio::test]
async fn destructive_actions_are_secondary_and_confirmed() {
    let app = spawn_app(Backend::Sqlite).await;
    let id = report(&app).await;
    cmd(
        &app,
        "department",
        id,
        json!({"command": "return", "reason": "不属于本部门职责"}),
    )
    .await;
    let html = page(&app, "street", &format!("/cases/{id}"), false).await;
    let forms: Vec<&str> = html
        .split("<form method=\"post\" action=\"/cases/")
        .skip(1)
        .collect();
    let cancel = forms
        .iter()
        .position(|f| f.contains("name=\"command\" value=\"cancel\""))
        .expect("the street may cancel a returned case");
    assert!(cancel > 0, "cancel is not the first action");
    let first_primary = forms
        .iter()
        .position(|f| f.contains("class=\"primary\""))
        .expect("one primary action");
    assert!(first_primary < cancel);
    assert!(
        !forms[cancel].contains("class=\"primary\""),
        "cancel is secondary"
    );
    assert!(
        forms[cancel].contains("data-confirm=\"确定要注销吗？"),
        "cancel asks first"
    );
    assert!(forms[cancel].contains(">注销</button>"));
    assert!(html.contains("<script src=\"/assets/confirm.js\""));
    let js = app
        .client
        .get(app.url("/assets/confirm.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(js.status(), 200);
    assert!(js.text().await.unwrap().contains("data-confirm"));
}

/// The audit log reads as sentences: the accounts `spawn_app` created are listed as
/// "创建账号 …", the machine line only in an attribute.
#[tokio::test]
async fn the_audit_log_reads_as_sentences() {
    let app = spawn_app(Backend::Sqlite).await;
    let html = page(&app, "admin", "/admin/audit", false).await;
    let text = visible_text(&html);
    assert!(text.contains("创建账号 「street」：街道，范围 "), "{text}");
    assert!(
        !text.contains("account.create") && !text.contains("role="),
        "{text}"
    );
    let html = page(&app, "admin", "/admin/audit", true).await;
    assert!(visible_text(&html).contains("Created account “street”: Street office"));

    // The actor is named as screens name it (its display name), not by its login name.
    let community = app
        .store
        .account_by_username("community")
        .await
        .unwrap()
        .unwrap();
    let actor = gongzhi_store::Actor {
        id: Some(community.id),
        name: "community",
    };
    app.store
        .record_audit(&actor, "cases.export", "cases", "rows=3")
        .await
        .unwrap();
    let text = visible_text(&page(&app, "admin", "/admin/audit", false).await);
    assert!(text.contains("测试community"), "{text}");
    let listed: Value = app
        .get_as("admin", "/api/v1/audit?limit=1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["actor_name"], "community", "{listed}");
    assert_eq!(listed[0]["actor_display_name"], "测试community", "{listed}");
}

/// The accounts page names scopes and offers them as choices: no form asks for a typed
/// `area:…` code.
#[tokio::test]
async fn accounts_show_and_choose_scopes_by_name() {
    let app = spawn_app(Backend::Sqlite).await;
    let html = page(&app, "admin", "/admin/accounts", false).await;
    let text = visible_text(&html);
    assert!(!text.contains("area:"), "{text}");
    assert!(text.contains("全部"), "{text}");
    assert!(
        !html.contains("<input name=\"scope\""),
        "scope is chosen, not typed"
    );
    assert!(html.contains("<select name=\"scope\" required>"));
    assert!(html.contains("<option value=\"all\""));
    assert!(html.contains("<option value=\"self\""));
}

/// A client that shows names asks the server for them: every command, state, channel and
/// role of the domain, anonymously, with a Chinese and an English name.
#[tokio::test]
async fn the_label_dictionary_names_every_code() {
    let app = spawn_app(Backend::Sqlite).await;
    let r = app
        .client
        .get(app.url("/api/v1/labels"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    let named = |group: &str, code: &str| {
        let l = &v[group][code];
        l["zh"].as_str().is_some_and(|s| !s.is_empty() && s != code)
            && l["en"].as_str().is_some_and(|s| !s.is_empty() && s != code)
    };
    for k in CommandKind::ALL {
        assert!(named("commands", k.as_str()), "command {}", k.as_str());
    }
    for s in CaseState::ALL {
        assert!(named("states", s.as_str()), "state {}", s.as_str());
    }
    for c in Channel::ALL {
        assert!(named("channels", c.as_str()), "channel {}", c.as_str());
    }
    assert_eq!(v["roles"]["grid_worker"]["zh"], "网格员");
}
