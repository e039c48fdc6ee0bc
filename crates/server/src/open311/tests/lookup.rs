use super::harness::*;
use serde_json::{Value, json};

#[tokio::test]
async fn open311_request_by_id_json_and_xml() {
    let (app, _) = app();
    let (j, x) = both(&app, "/open311/v2/requests/2026112000002", "", 200).await;
    let list = j.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["service_request_id"], "2026112000002");
    assert_eq!(list[0]["status"], "closed");
    assert_eq!(list[0]["status_notes"], "双方已和解");
    assert_eq!(list[0]["service_name"], "邻里纠纷");
    assert_eq!(list[0]["requested_datetime"], "2026-11-20T08:00:00+08:00");
    assert_eq!(list[0]["updated_datetime"], "2026-11-21T08:00:00+08:00");
    assert!(list[0].get("notes").is_none());
    assert_eq!(x.name, "service_requests");
    assert_eq!(x.items("request").len(), 1);
    // Outside the 90-day window, still found by id.
    let (j, _) = both(&app, "/open311/v2/requests/2026082000004", "", 200).await;
    assert_eq!(j[0]["status"], "closed");
}

#[tokio::test]
async fn open311_request_by_id_with_extensions() {
    let (app, _) = app();
    let (j, x) = both(
        &app,
        "/open311/v2/requests/2026112700001",
        "extensions=true&jurisdiction_id=hz.gongzhi.cn",
        200,
    )
    .await;
    assert_eq!(j[0]["extended_attributes"]["state_zh"], "已派遣");
    assert_eq!(j[0]["notes"].as_array().unwrap().len(), 2);
    assert_eq!(x.items("request")[0].child("notes").items("note").len(), 2);
}

#[tokio::test]
async fn open311_request_unknown_id_is_404() {
    let (app, _) = app();
    let d = get(&app, "/open311/v2/requests/2099010100001.json")
        .await
        .json_errors(404);
    assert!(d[0].contains("2099010100001"));
    let d = get(&app, "/open311/v2/requests/2099010100001.xml")
        .await
        .xml_errors(404);
    assert!(d[0].contains("not found"));
    let d = get(&app, "/open311/v2/requests/x.json?extensions=maybe")
        .await
        .json_errors(400);
    assert!(d[0].contains("extensions"));
}

#[tokio::test]
async fn open311_token_unknown_is_404() {
    let (app, _) = app();
    let d = get(&app, "/open311/v2/tokens/tok-404.json")
        .await
        .json_errors(404);
    assert!(d[0].contains("tok-404"));
    let d = get(&app, "/open311/v2/tokens/tok-404.xml")
        .await
        .xml_errors(404);
    assert!(d[0].contains("token"));
}

#[tokio::test]
async fn open311_token_after_batch_post() {
    let (app, _) = app();
    let body = form(&[
        ("api_key", super::fake::KEY),
        ("service_code", "3001"),
        ("address_string", "幸福小区 3 幢 2 单元"),
        ("description", "楼上漏水，协商未果"),
    ]);
    let r = post(&app, "/open311/v2/requests.xml", &body).await;
    let token = r.xml().items("request")[0].text_of("token").to_string();
    let (j, _) = both(&app, &format!("/open311/v2/tokens/{token}"), "", 200).await;
    let id = j[0]["service_request_id"].as_str().unwrap().to_string();
    assert_eq!(j[0]["token"], Value::from(token.as_str()));
    let (j, _) = both(&app, &format!("/open311/v2/requests/{id}"), "", 200).await;
    assert_eq!(j[0]["description"], json!("楼上漏水，协商未果"));
    assert_eq!(j[0]["address"], json!("幸福小区 3 幢 2 单元"));
}
