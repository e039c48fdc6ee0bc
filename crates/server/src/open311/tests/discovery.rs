use super::harness::*;
use crate::open311::Open311Config;
use axum::body::Body;
use axum::http::Request;
use serde_json::json;

#[tokio::test]
async fn open311_discovery_json_and_xml() {
    let (app, _) = app();
    let (j, x) = both(&app, "/open311/v2/discovery", "", 200).await;
    assert_eq!(j["changeset"], CHANGESET);
    assert!(j["contact"].as_str().unwrap().contains("管理员"));
    assert!(
        j["key_service"]
            .as_str()
            .unwrap()
            .contains("gongzhi apikey create")
    );
    assert_eq!(
        j["endpoints"],
        json!([{
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": "https://gongzhi.example.cn/open311/v2",
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }])
    );

    assert_eq!(x.name, "discovery");
    assert_eq!(
        x.names(),
        vec!["changeset", "contact", "key_service", "endpoints"]
    );
    let endpoint = &x.child("endpoints").items("endpoint")[0];
    assert_eq!(
        endpoint.names(),
        vec!["specification", "url", "changeset", "type", "formats"]
    );
    let formats: Vec<&str> = endpoint
        .child("formats")
        .items("format")
        .iter()
        .map(|f| f.text.as_str())
        .collect();
    assert_eq!(formats, vec!["text/xml", "application/json"]);
}

#[tokio::test]
async fn open311_discovery_url_from_request_when_not_configured() {
    let (app, _) = app_with(
        super::fake::FakePort::seeded(),
        Open311Config {
            public_url: None,
            ..config()
        },
    );
    let req = Request::get("/open311/v2/discovery.json")
        .header("host", "shequ.example.cn")
        .header("x-forwarded-proto", "https")
        .body(Body::empty())
        .unwrap();
    let r = send(&app, req).await;
    assert_eq!(
        r.json()["endpoints"][0]["url"],
        "https://shequ.example.cn/open311/v2"
    );

    let req = Request::get("/open311/v2/discovery.json")
        .header("host", "evil<script>.cn")
        .header("x-forwarded-proto", "javascript")
        .body(Body::empty())
        .unwrap();
    let r = send(&app, req).await;
    assert_eq!(
        r.json()["endpoints"][0]["url"],
        "http://localhost/open311/v2"
    );
}

#[tokio::test]
async fn open311_default_config_changeset_is_a_w3c_time() {
    let c = Open311Config::default();
    assert!(
        crate::open311::datetime::parse(&c.changeset).is_some(),
        "{}",
        c.changeset
    );
    assert_eq!(c.jurisdiction, None);
}
