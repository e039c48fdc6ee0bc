//! Every action ends in a success message on the page one expects next: a case action
//! redirects to the case with `?done=`, the resident's rating redirects (POST → 303 → GET) to
//! the track page with a thank-you, and a filed report shows its result instead of the form.

use crate::app::{GRID_ORIGINS, TestApp, spawn_app};
use gongzhi_testkit::Backend;
use serde_json::{Value, json};

async fn report(app: &TestApp) -> (i64, String) {
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
    (
        v["case"]["id"].as_i64().unwrap(),
        v["lookup_code"].as_str().unwrap().to_string(),
    )
}

/// Posts the case page's form as `who` and follows the redirect by hand.
async fn act(app: &TestApp, who: &str, id: i64, fields: &[(&str, &str)]) -> String {
    let version: Value = app
        .get_as(who, &format!("/api/v1/cases/{id}"))
        .await
        .json()
        .await
        .unwrap();
    let version = version["version"].to_string();
    let mut form = vec![("csrf", ""), ("version", version.as_str())];
    form.extend_from_slice(fields);
    let r = app
        .client
        .post(app.url(&format!("/cases/{id}/act")))
        .bearer_auth(&app.tokens[who])
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{who} {fields:?}");
    let to = r.headers()["location"].to_str().unwrap().to_string();
    app.get_as(who, &to).await.text().await.unwrap()
}

#[tokio::test]
async fn each_case_action_is_confirmed_on_the_case_page() {
    let app = spawn_app(Backend::Sqlite).await;
    let (id, _) = report(&app).await;
    let page = act(&app, "department", id, &[("command", "start")]).await;
    assert!(
        page.contains("class=\"flash ok\"") && page.contains("已开始处置。"),
        "{page}"
    );
    let page = act(
        &app,
        "department",
        id,
        &[("command", "report_back"), ("note", "已清运")],
    )
    .await;
    assert!(page.contains("已处理反馈。"));
    // A plain visit shows no message.
    let plain = app.get_as("department", &format!("/cases/{id}")).await;
    assert!(!plain.text().await.unwrap().contains("class=\"flash ok\""));
    // An unknown `done` shows nothing rather than echoing it.
    let odd = app
        .get_as("department", &format!("/cases/{id}?done=%3Cb%3E"))
        .await;
    assert!(!odd.text().await.unwrap().contains("class=\"flash ok\""));
    // In English, by the label.
    let en = app
        .client
        .get(app.url(&format!("/cases/{id}?done=verify")))
        .bearer_auth(&app.tokens["street"])
        .header("cookie", "gz_lang=en")
        .send()
        .await
        .unwrap();
    assert!(en.text().await.unwrap().contains("Done: Verify."));
}

#[tokio::test]
async fn the_residents_rating_redirects_to_a_thank_you() {
    let app = spawn_app(Backend::Sqlite).await;
    let (id, code) = report(&app).await;
    act(
        &app,
        "department",
        id,
        &[("command", "report_back"), ("note", "已清运")],
    )
    .await;
    act(
        &app,
        "street",
        id,
        &[
            ("command", "verify"),
            ("passed", "true"),
            ("note", "现场已清"),
        ],
    )
    .await;
    act(&app, "street", id, &[("command", "close")]).await;
    let r = app
        .client
        .post(app.url("/track/act"))
        .form(&[
            ("code", code.as_str()),
            ("command", "rate"),
            ("contacted", "true"),
            ("resolved", "true"),
            ("satisfaction", "satisfied"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "no staying on the form's address");
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        to.starts_with("/track?code=") && to.ends_with("&done=rate"),
        "{to}"
    );
    let page = app
        .client
        .get(app.url(&to))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("感谢您的评价"), "{page}");
    assert!(page.contains("已评价"));
}

#[tokio::test]
async fn a_filed_report_replaces_the_form() {
    let app = spawn_app(Backend::Sqlite).await;
    let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0004, GRID_ORIGINS[0].2 + 0.0004);
    let form = reqwest::multipart::Form::new()
        .text("category", "E0102")
        .text("lon", lon.to_string())
        .text("lat", lat.to_string())
        .text("description", "路灯不亮");
    let r = app
        .client
        .post(app.url("/report"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("id=\"lookup-code\""),
        "the ticket and lookup code"
    );
    assert!(
        !page.contains("<form method=\"post\" action=\"/report\""),
        "no blank form below"
    );
    assert!(
        page.contains("<a href=\"/report\">反映另一个问题</a>"),
        "a way to report another problem"
    );
    // The empty form is still the form.
    let blank = app.client.get(app.url("/report")).send().await.unwrap();
    assert!(blank.text().await.unwrap().contains("action=\"/report\""));
}
