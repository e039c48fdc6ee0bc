//! What every endpoint shares: formats, content types, methods, jurisdiction, mounting.

use super::fake::{FakePort, KEY};
use super::harness::*;
use crate::open311::{Open311Config, router};
use axum::Router;
use axum::body::Body;
use axum::http::Request;
use std::sync::Arc;

const GETS: [&str; 6] = [
    "/open311/v2/discovery",
    "/open311/v2/services",
    "/open311/v2/services/2101",
    "/open311/v2/requests",
    "/open311/v2/requests/2026112700001",
    "/open311/v2/tokens/tok-5",
];

async fn with_token(app: &Router) {
    let body = form(&[
        ("api_key", KEY),
        ("service_code", "3001"),
        ("address_id", "A"),
    ]);
    assert_eq!(
        post(app, "/open311/v2/requests.json", &body).await.status,
        200
    );
}

#[tokio::test]
async fn open311_every_endpoint_has_the_spec_content_types() {
    let (app, _) = app();
    with_token(&app).await;
    for path in GETS {
        let j = get(&app, &format!("{path}.json")).await;
        assert_eq!(
            (j.status, j.content_type.as_str()),
            (200, JSON_TYPE),
            "{path}"
        );
        let x = get(&app, &format!("{path}.xml")).await;
        assert_eq!(
            (x.status, x.content_type.as_str()),
            (200, XML_TYPE),
            "{path}"
        );
        assert!(
            x.body
                .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        );
        assert_same(&j.json(), &x.xml());
    }
}

#[tokio::test]
async fn open311_unknown_format_or_resource_is_404_error_list() {
    let (app, _) = app();
    for uri in [
        "/open311/v2/services.html",
        "/open311/v2/services",
        "/open311/v2/requests/2026112700001.csv",
        "/open311/v2/discovery.JSON",
    ] {
        let r = get(&app, uri).await;
        let d = r.xml_errors(404);
        assert!(d[0].contains(".json or .xml"), "{uri}: {d:?}");
    }
    for uri in [
        "/open311/v2/nothing.json",
        "/open311/v2/services/.json",
        "/open311/v2/services/2101/extra.json",
        "/open311/v2/tokens.json",
    ] {
        get(&app, uri).await.json_errors(404);
    }
    get(&app, "/open311/v2/nothing.xml").await.xml_errors(404);
}

#[tokio::test]
async fn open311_wrong_method_is_405_with_allow() {
    let (app, _) = app();
    for (method, uri, allow) in [
        ("DELETE", "/open311/v2/services.json", "GET, HEAD"),
        ("POST", "/open311/v2/services/2101.json", "GET, HEAD"),
        ("POST", "/open311/v2/discovery.xml", "GET, HEAD"),
        ("PUT", "/open311/v2/requests.json", "GET, HEAD, POST"),
        (
            "POST",
            "/open311/v2/requests/2026112700001.json",
            "GET, HEAD",
        ),
    ] {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .body(Body::empty())
            .unwrap();
        let r = send(&app, req).await;
        assert_eq!(r.allow.as_deref(), Some(allow), "{method} {uri}");
        if uri.ends_with(".json") {
            r.json_errors(405);
        } else {
            r.xml_errors(405);
        }
    }
}

#[tokio::test]
async fn open311_jurisdiction_matching_is_accepted_other_is_404() {
    let (app, _) = app();
    with_token(&app).await;
    for path in GETS {
        let (_, _) = both(&app, path, "jurisdiction_id=hz.gongzhi.cn", 200).await;
        let (_, _) = both(&app, path, "jurisdiction_id=", 200).await;
        let j = get(&app, &format!("{path}.json?jurisdiction_id=sh.gongzhi.cn")).await;
        assert!(
            j.json_errors(404)[0].contains("jurisdiction not found"),
            "{path}"
        );
        let x = get(&app, &format!("{path}.xml?jurisdiction_id=sh.gongzhi.cn")).await;
        assert!(x.xml_errors(404)[0].contains("sh.gongzhi.cn"), "{path}");
    }
    let d = get(
        &app,
        "/open311/v2/services.json?jurisdiction_id=hz.gongzhi.cn&jurisdiction_id=x",
    )
    .await
    .json_errors(400);
    assert!(d[0].contains("more than once"));
}

#[tokio::test]
async fn open311_without_configured_jurisdiction_any_is_ignored() {
    let (app, _) = app_with(
        FakePort::seeded(),
        Open311Config {
            jurisdiction: None,
            ..config()
        },
    );
    let (j, _) = both(
        &app,
        "/open311/v2/services",
        "jurisdiction_id=anything.cn",
        200,
    )
    .await;
    assert_eq!(j.as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn open311_head_is_answered_like_get() {
    let (app, _) = app();
    let req = Request::head("/open311/v2/services.xml")
        .body(Body::empty())
        .unwrap();
    let r = send(&app, req).await;
    assert_eq!((r.status, r.content_type.as_str()), (200, XML_TYPE));
}

#[tokio::test]
async fn open311_router_merges_into_an_app_with_its_own_state() {
    #[derive(Clone)]
    struct AppState(#[allow(dead_code)] u32);
    let port = Arc::new(FakePort::seeded());
    let app: Router = Router::<AppState>::new()
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .merge(router::<_, AppState>(port, config()))
        .with_state(AppState(7));
    let (j, _) = both(&app, "/open311/v2/services", "", 200).await;
    assert_eq!(j[0]["service_code"], "2101");
    assert_eq!(get(&app, "/healthz").await.status, 200);
}
