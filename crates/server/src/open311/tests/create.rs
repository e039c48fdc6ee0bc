use super::fake::KEY;
use super::harness::*;
use crate::open311::NewRequest;
use axum::body::Body;
use axum::http::{Request, header};
use serde_json::{Value, json};

const JSON_URI: &str = "/open311/v2/requests.json";
const XML_URI: &str = "/open311/v2/requests.xml";

fn located() -> Vec<(&'static str, &'static str)> {
    vec![
        ("api_key", KEY),
        ("service_code", "2101"),
        ("lat", "30.2741"),
        ("long", "120.1551"),
        ("attribute[severity]", "2"),
    ]
}

fn with(
    mut base: Vec<(&'static str, &'static str)>,
    extra: &[(&'static str, &'static str)],
) -> String {
    base.extend_from_slice(extra);
    form(&base)
}

fn without(base: Vec<(&'static str, &'static str)>, key: &str) -> String {
    form(
        &base
            .into_iter()
            .filter(|(k, _)| *k != key)
            .collect::<Vec<_>>(),
    )
}

/// Posts `body` in both formats, expects `status` with one error list each, returns the JSON
/// descriptions; nothing reaches the port.
async fn refused(body: &str, status: u16) -> Vec<String> {
    let (app, port) = app();
    let j = post(&app, JSON_URI, body).await.json_errors(status);
    let x = post(&app, XML_URI, body).await.xml_errors(status);
    assert_eq!(j, x);
    assert!(port.created().is_empty(), "port was called");
    j
}

#[tokio::test]
async fn open311_post_realtime_json_passes_everything_through() {
    let (app, port) = app();
    let body = with(
        located(),
        &[
            ("address_string", "杭州市西湖区文三路 1 号"),
            ("address_id", "A-1"),
            ("email", "zhang@example.cn"),
            ("device_id", "dev-1"),
            ("account_id", "acc-9"),
            ("first_name", "三"),
            ("last_name", "张"),
            ("phone", "13800138000"),
            ("description", "门口有人占道 <卖菜> & \"吵\"\n第二行"),
            ("media_url", "https://example.cn/p.jpg?a=1&b=2"),
            ("attribute[tags][]", "noise"),
            ("attribute[tags][]", "trash"),
            ("attribute[stalls]", "3"),
            ("attribute[seen_at]", "2026-11-27T07:30:00Z"),
            ("attribute[plate]", "浙A12345"),
            ("attribute[detail]", "早上\n七点"),
            ("attribute[notice]", "echoed by the client"),
            ("jurisdiction_id", JURISDICTION),
        ],
    );
    let r = post(&app, JSON_URI, &body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json(),
        json!([{
            "service_request_id": "2026112700005",
            "service_notice": "我们将在 2 小时内处置 / we will act within 2 hours",
            "account_id": "acc-9",
        }])
    );
    let created = port.created();
    assert_eq!(
        created,
        vec![NewRequest {
            api_key: KEY.into(),
            service_code: "2101".into(),
            lat: Some(30.2741),
            long: Some(120.1551),
            address_string: Some("杭州市西湖区文三路 1 号".into()),
            address_id: Some("A-1".into()),
            email: Some("zhang@example.cn".into()),
            device_id: Some("dev-1".into()),
            account_id: Some("acc-9".into()),
            first_name: Some("三".into()),
            last_name: Some("张".into()),
            phone: Some("13800138000".into()),
            description: Some("门口有人占道 <卖菜> & \"吵\"\n第二行".into()),
            media_url: Some("https://example.cn/p.jpg?a=1&b=2".into()),
            attributes: vec![
                ("severity".into(), "2".into()),
                ("tags".into(), "noise".into()),
                ("tags".into(), "trash".into()),
                ("stalls".into(), "3".into()),
                ("seen_at".into(), "2026-11-27T15:30:00+08:00".into()),
                ("plate".into(), "浙A12345".into()),
                ("detail".into(), "早上\n七点".into()),
            ],
        }]
    );
    // The new request can be read back with its Chinese text intact.
    let (j, _) = both(&app, "/open311/v2/requests/2026112700005", "", 200).await;
    assert_eq!(j[0]["description"], "门口有人占道 <卖菜> & \"吵\"\n第二行");
    assert_eq!(j[0]["address"], "杭州市西湖区文三路 1 号");
}

#[tokio::test]
async fn open311_post_realtime_xml_and_spec_style_raw_brackets() {
    let (app, port) = app();
    // As in the spec's example: brackets unencoded, spaces as '+'.
    let body = format!(
        "api_key={KEY}&service_code=2101&address_string=1234+5th+street&attribute[severity]=1&attribute[tags][]=noise&attribute[tags][]=block"
    );
    let r = post(&app, XML_URI, &body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let x = r.xml();
    assert_eq!(x.name, "service_requests");
    let req = &x.items("request")[0];
    assert_eq!(
        req.names(),
        vec!["service_request_id", "service_notice", "account_id"]
    );
    assert_eq!(req.text_of("service_request_id"), "2026112700005");
    assert_eq!(req.text_of("account_id"), "");
    assert!(r.body.contains("<account_id/>"));
    let new = &port.created()[0];
    assert_eq!(new.address_string.as_deref(), Some("1234 5th street"));
    assert_eq!((new.lat, new.long), (None, None));
    assert_eq!(
        new.attributes,
        vec![
            ("severity".to_string(), "1".to_string()),
            ("tags".to_string(), "noise".to_string()),
            ("tags".to_string(), "block".to_string())
        ]
    );
}

#[tokio::test]
async fn open311_post_batch_gives_token_then_tokens_endpoint_gives_id() {
    let (app, _) = app();
    let body = form(&[
        ("api_key", KEY),
        ("service_code", "3001"),
        ("address_id", "B-7"),
    ]);
    let r = post(&app, JSON_URI, &body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let j = r.json();
    let obj = j[0].as_object().unwrap();
    assert!(!obj.contains_key("service_request_id"), "{j}");
    assert_eq!(obj["token"], "tok-5");

    let r = post(&app, XML_URI, &body).await;
    let x = r.xml();
    let req = &x.items("request")[0];
    assert_eq!(req.names(), vec!["token", "service_notice", "account_id"]);
    assert_eq!(req.text_of("token"), "tok-6");

    let (j, x) = both(&app, "/open311/v2/tokens/tok-5", "", 200).await;
    assert_eq!(
        j,
        json!([{"service_request_id": "2026112700005", "token": "tok-5"}])
    );
    assert_eq!(x.name, "service_requests");
    assert_eq!(
        x.items("request")[0].names(),
        vec!["service_request_id", "token"]
    );
}

#[tokio::test]
async fn open311_post_blackbox_gives_neither_id_nor_token() {
    let (app, port) = app();
    let body = form(&[
        ("api_key", KEY),
        ("service_code", "4001"),
        ("lat", "30"),
        ("long", "120"),
    ]);
    let r = post(&app, JSON_URI, &body).await;
    assert_eq!(
        r.json(),
        json!([{"service_notice": null, "account_id": null}])
    );
    assert_eq!(port.created().len(), 1);
}

#[tokio::test]
async fn open311_post_api_key_missing_or_invalid_is_403() {
    let d = refused(&without(located(), "api_key"), 403).await;
    assert!(d[0].contains("api_key"), "{d:?}");
    let body = form(&[
        ("api_key", "wrong"),
        ("service_code", "2101"),
        ("lat", "1"),
        ("long", "1"),
    ]);
    let d = refused(&body, 403).await;
    assert!(d[0].contains("invalid api_key"), "{d:?}");
    // Checked before anything else.
    let d = refused(&form(&[("api_key", "wrong")]), 403).await;
    assert_eq!(d.len(), 1);
}

#[tokio::test]
async fn open311_post_api_key_may_come_in_the_query_string() {
    let (app, port) = app();
    let body = without(located(), "api_key");
    let r = post(&app, &format!("{JSON_URI}?api_key={KEY}"), &body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(port.created().len(), 1);
}

#[tokio::test]
async fn open311_post_service_code_missing_is_400_unknown_is_404() {
    let d = refused(&without(located(), "service_code"), 400).await;
    assert!(d[0].contains("service_code"));
    let body = form(&[
        ("api_key", KEY),
        ("service_code", "9999"),
        ("lat", "1"),
        ("long", "1"),
    ]);
    let d = refused(&body, 404).await;
    assert!(d[0].contains("9999"));
}

#[tokio::test]
async fn open311_post_location_rules() {
    let base = vec![
        ("api_key", KEY),
        ("service_code", "2101"),
        ("attribute[severity]", "1"),
    ];
    let d = refused(&form(&base), 400).await;
    assert!(d[0].contains("location"), "{d:?}");
    // Empty counts as not given.
    let d = refused(
        &with(base.clone(), &[("address_string", "  "), ("lat", "")]),
        400,
    )
    .await;
    assert!(d[0].contains("location"), "{d:?}");
    for (lat, long) in [
        ("abc", "120"),
        ("91", "120"),
        ("NaN", "120"),
        ("30", "181"),
        ("30", "inf"),
    ] {
        let d = refused(&with(base.clone(), &[("lat", lat), ("long", long)]), 400).await;
        assert!(
            d.iter().any(|e| e.contains("lat") || e.contains("long")),
            "{d:?}"
        );
    }
    let d = refused(&with(base.clone(), &[("lat", "30")]), 400).await;
    assert!(d[0].contains("lat and long"), "{d:?}");
    // Each alternative alone is enough.
    for extra in [
        vec![("lat", "-33.5"), ("long", "-70.25")],
        vec![("address_string", "幸福小区")],
        vec![("address_id", "A-1")],
    ] {
        let (app, _) = app();
        let r = post(&app, JSON_URI, &with(base.clone(), &extra)).await;
        assert_eq!(r.status, 200, "{extra:?}: {}", r.body);
    }
}

#[tokio::test]
async fn open311_post_required_attribute_is_named() {
    let d = refused(&without(located(), "attribute[severity]"), 400).await;
    assert_eq!(d.len(), 1);
    assert!(
        d[0].contains("severity") && d[0].contains("严重程度"),
        "{d:?}"
    );
}

#[tokio::test]
async fn open311_post_reports_every_problem_at_once() {
    let body = form(&[
        ("api_key", KEY),
        ("service_code", "2101"),
        ("attribute[stalls]", "many"),
    ]);
    let d = refused(&body, 400).await;
    assert_eq!(d.len(), 3, "{d:?}");
    assert!(d.iter().any(|e| e.contains("location")));
    assert!(d.iter().any(|e| e.contains("severity")));
    assert!(d.iter().any(|e| e.contains("stalls")));
}

#[tokio::test]
async fn open311_post_attribute_values_are_checked() {
    for (key, value, expect) in [
        ("attribute[severity]", "9", "not one of"),
        ("attribute[tags][]", "fire", "not one of"),
        ("attribute[stalls]", "3 个", "number"),
        ("attribute[seen_at]", "昨天", "W3C"),
        ("attribute[seen_at]", "2026-11-27", "W3C"),
        ("attribute[plate]", "浙A\n123", "single line"),
        ("attribute[unknown]", "x", "no attribute unknown"),
        ("attribute[severity", "1", "malformed"),
        ("attribute[]", "1", "malformed"),
        ("attribute[severity]x", "1", "malformed"),
    ] {
        // Replaces the located request's own value for the same key.
        let mut pairs: Vec<_> = located().into_iter().filter(|(k, _)| *k != key).collect();
        pairs.push((key, value));
        let d = refused(&form(&pairs), 400).await;
        assert!(d.iter().any(|e| e.contains(expect)), "{key}={value}: {d:?}");
    }
    let d = refused(&with(located(), &[("attribute[severity]", "1")]), 400).await;
    assert!(d[0].contains("takes one value"), "{d:?}");
}

#[tokio::test]
async fn open311_post_field_limits() {
    let long_ok = "占".repeat(4000);
    let (app, port) = app();
    let body = form(&[
        ("api_key", KEY),
        ("service_code", "3001"),
        ("address_id", "A"),
        ("description", &long_ok),
    ]);
    assert_eq!(post(&app, JSON_URI, &body).await.status, 200);
    assert_eq!(
        port.created()[0].description.as_deref(),
        Some(long_ok.as_str())
    );

    let too_long = "占".repeat(4001);
    let body = form(&[
        ("api_key", KEY),
        ("service_code", "3001"),
        ("address_id", "A"),
        ("description", &too_long),
    ]);
    let d = refused(&body, 400).await;
    assert!(
        d[0].contains("description") && d[0].contains("4000"),
        "{d:?}"
    );

    let d = refused(
        &with(located(), &[("media_url", "javascript:alert(1)")]),
        400,
    )
    .await;
    assert!(d[0].contains("media_url"), "{d:?}");
}

#[tokio::test]
async fn open311_post_port_refusal_passes_through() {
    let d = refused(&with(located(), &[("address_string", "海外")]), 400).await;
    assert_eq!(
        d,
        vec!["位置不在本辖区 / the location is outside this jurisdiction"]
    );
}

#[tokio::test]
async fn open311_post_body_format_and_size() {
    let (app, _) = app();
    let req = Request::post(JSON_URI)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"api_key":"x"}"#))
        .unwrap();
    let d = send(&app, req).await.json_errors(400);
    assert!(d[0].contains("x-www-form-urlencoded"));

    let huge = format!(
        "{}&description={}",
        form(&located()),
        "a".repeat(300 * 1024)
    );
    post(&app, XML_URI, &huge).await.xml_errors(413);

    let bad_utf8 = Request::post(JSON_URI)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(vec![b'a', b'=', 0xFF]))
        .unwrap();
    send(&app, bad_utf8).await.json_errors(400);
    let bad_escape = format!("{}&description=%FF", form(&located()));
    post(&app, JSON_URI, &bad_escape).await.json_errors(400);
}

#[tokio::test]
async fn open311_post_raw_utf8_body_is_accepted() {
    let (app, port) = app();
    let body = format!("{}&description=直接发送的中文", form(&located()));
    assert_eq!(post(&app, JSON_URI, &body).await.status, 200);
    assert_eq!(
        port.created()[0].description.as_deref(),
        Some("直接发送的中文")
    );
}

#[tokio::test]
async fn open311_post_jurisdiction() {
    let d = refused(
        &with(located(), &[("jurisdiction_id", "sh.gongzhi.cn")]),
        404,
    )
    .await;
    assert!(d[0].contains("jurisdiction not found"), "{d:?}");
    let (app, _) = app();
    let r = post(
        &app,
        JSON_URI,
        &with(located(), &[("jurisdiction_id", JURISDICTION)]),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()[0]["service_request_id"],
        Value::from("2026112700005")
    );
}
