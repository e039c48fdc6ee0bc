use super::fake::{DAY, FakePort, KEY, NOW, R1_DESCRIPTION};
use super::harness::*;
use crate::open311::Status;
use serde_json::{Value, json};

const PATH: &str = "/open311/v2/requests";

fn ids(j: &Value) -> Vec<&str> {
    j.as_array()
        .unwrap()
        .iter()
        .map(|r| r["service_request_id"].as_str().unwrap())
        .collect()
}

const FIELDS: [&str; 17] = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
];

#[tokio::test]
async fn open311_requests_default_window_is_the_last_90_days() {
    let (app, port) = app();
    let (j, x) = both(&app, PATH, "", 200).await;
    assert_eq!(
        ids(&j),
        vec!["2026112700001", "2026112000002", "2026083000003"]
    );
    let q = port.last_query().unwrap();
    assert_eq!((q.start, q.end), (Some(NOW - 90 * DAY), Some(NOW)));
    assert_eq!((q.page, q.page_size, q.extensions), (1, 1000, false));

    assert_eq!(x.name, "service_requests");
    for r in x.items("request") {
        assert_eq!(r.names(), FIELDS.to_vec());
    }
}

#[tokio::test]
async fn open311_requests_fields_and_chinese_text() {
    let (app, _) = app();
    let (j, x) = both(&app, PATH, "", 200).await;
    assert_eq!(
        j[0],
        json!({
            "service_request_id": "2026112700001",
            "status": "open",
            "status_notes": "已派遣至城管执法队",
            "service_name": "占道经营",
            "service_code": "2101",
            "description": R1_DESCRIPTION,
            "agency_responsible": "城管执法队",
            "service_notice": "2 小时内处置",
            "requested_datetime": "2026-11-27T07:00:00+08:00",
            "updated_datetime": "2026-11-27T07:30:00+08:00",
            "expected_datetime": "2026-11-27T10:00:00+08:00",
            "address": "杭州市西湖区文三路 1 号",
            "address_id": "A-1",
            "zipcode": "310012",
            "lat": 30.2741,
            "long": 120.1551,
            "media_url": "https://example.cn/p/1.jpg?a=1&b=2",
        })
    );
    assert_eq!(j[1]["status"], "closed");
    assert_eq!(j[1]["expected_datetime"], Value::Null);
    assert_eq!(j[1]["lat"], Value::Null);

    // XML: markup escaped, the control character dropped, the carriage return kept.
    let first = &x.items("request")[0];
    assert_eq!(
        first.text_of("description"),
        "东门口有人占道 <卖菜> & 堵住 \"消防通道\" 'x'\r\n第二行"
    );
    assert_eq!(first.text_of("lat"), "30.2741");
    let raw = get(&app, &format!("{PATH}.xml?api_key={KEY}")).await.body;
    assert!(raw.contains(
        "<description>东门口有人占道 &lt;卖菜&gt; &amp; 堵住 &quot;消防通道&quot; &apos;x&apos;&#13;\n第二行</description>"
    ));
    assert!(raw.contains("<media_url>https://example.cn/p/1.jpg?a=1&amp;b=2</media_url>"));
    assert!(raw.contains("<lat/>"));
    let raw = get(&app, &format!("{PATH}.json?api_key={KEY}")).await.body;
    assert!(
        raw.contains("杭州市西湖区文三路 1 号"),
        "Chinese written as UTF-8, not \\u escapes"
    );
}

#[tokio::test]
async fn open311_requests_filter_by_ids_overrides_the_window() {
    let (app, port) = app();
    let (j, x) = both(
        &app,
        PATH,
        "service_request_id=2026112700001,2026082000004,nope&status=open",
        200,
    )
    .await;
    assert_eq!(ids(&j), vec!["2026112700001", "2026082000004"]);
    assert_eq!(x.items("request").len(), 2);
    let q = port.last_query().unwrap();
    assert_eq!(q.ids, vec!["2026112700001", "2026082000004", "nope"]);
    assert_eq!((q.start, q.end), (None, None));
    assert!(q.status.is_empty());
}

#[tokio::test]
async fn open311_requests_filter_by_service_code_and_status() {
    let (app, port) = app();
    let (j, _) = both(&app, PATH, "service_code=3001", 200).await;
    assert_eq!(ids(&j), vec!["2026112000002"]);
    let (j, _) = both(&app, PATH, "service_code=2101,3001&service_code=4001", 200).await;
    assert_eq!(ids(&j).len(), 3);
    assert_eq!(
        port.last_query().unwrap().service_codes,
        vec!["2101", "3001", "4001"]
    );
    let (j, _) = both(&app, PATH, "status=closed", 200).await;
    assert_eq!(ids(&j), vec!["2026112000002"]);
    let (j, _) = both(&app, PATH, "status=open", 200).await;
    assert_eq!(ids(&j), vec!["2026112700001", "2026083000003"]);
    let (_, _) = both(&app, PATH, "status=open,closed", 200).await;
    assert_eq!(
        port.last_query().unwrap().status,
        vec![Status::Open, Status::Closed]
    );
    let (j, x) = both(&app, PATH, "service_code=nothing", 200).await;
    assert_eq!(j, json!([]));
    assert!(x.children.is_empty());
}

#[tokio::test]
async fn open311_requests_filter_by_dates() {
    let (app, port) = app();
    let (j, _) = both(
        &app,
        PATH,
        "start_date=2026-11-20T00:00:00%2B08:00&end_date=2026-11-27T00:00:00%2B08:00",
        200,
    )
    .await;
    assert_eq!(ids(&j), vec!["2026112000002"]);
    // The end is inclusive; Z and offsets are the same instant; an unescaped '+' (a space) works.
    let (j, _) = both(
        &app,
        PATH,
        "start_date=2026-11-26T23:00:00Z&end_date=2026-11-27T07:00:00+08:00",
        200,
    )
    .await;
    assert_eq!(ids(&j), vec!["2026112700001"]);
    // Only a start: 90 days from it.
    let (j, _) = both(&app, PATH, "start_date=2026-08-01T00:00:00Z", 200).await;
    assert_eq!(ids(&j), vec!["2026083000003", "2026082000004"]);
    let q = port.last_query().unwrap();
    assert_eq!(q.end.unwrap() - q.start.unwrap(), 90 * DAY);
    // Only an end: the 90 days before it.
    let (j, _) = both(&app, PATH, "end_date=2026-09-01T00:00:00Z", 200).await;
    assert_eq!(ids(&j), vec!["2026083000003", "2026082000004"]);
}

#[tokio::test]
async fn open311_requests_bad_filters_are_400_in_both_formats() {
    let (app, _) = app();
    for (query, expect) in [
        ("start_date=yesterday", "start_date"),
        ("end_date=2026-11-27", "end_date"),
        ("start_date=2026-11-27T00:00:00", "W3C"),
        (
            "start_date=2026-11-27T00:00:00Z&end_date=2026-11-26T00:00:00Z",
            "before",
        ),
        (
            "start_date=2026-01-01T00:00:00Z&end_date=2026-11-01T00:00:00Z",
            "90 days",
        ),
        ("status=pending", "open or closed"),
        ("page_size=0", "page_size"),
        ("page=abc", "page"),
        ("extensions=1", "extensions"),
    ] {
        let j = get(&app, &format!("{PATH}.json?{query}"))
            .await
            .json_errors(400);
        let x = get(&app, &format!("{PATH}.xml?{query}"))
            .await
            .xml_errors(400);
        assert_eq!(j, x);
        assert!(j[0].contains(expect), "{query}: {j:?}");
    }
}

#[tokio::test]
async fn open311_requests_at_most_1000_unless_paged() {
    let (app, port) = app_with(FakePort::bulk(1500), config());
    let (j, x) = both(&app, PATH, "", 200).await;
    assert_eq!(j.as_array().unwrap().len(), 1000);
    assert_eq!(x.items("request").len(), 1000);
    assert_eq!(port.last_query().unwrap().page_size, 1000);

    let (j, _) = both(&app, PATH, "page_size=5000", 200).await;
    assert_eq!(j.as_array().unwrap().len(), 1000);
    assert_eq!(port.last_query().unwrap().page_size, 1000);

    let (j, _) = both(&app, PATH, "page_size=10&page=2", 200).await;
    assert_eq!(j.as_array().unwrap().len(), 10);
    let q = port.last_query().unwrap();
    assert_eq!((q.page, q.page_size), (2, 10));
}

#[tokio::test]
async fn open311_requests_pages() {
    let (app, _) = app();
    let (j, _) = both(&app, PATH, "page_size=2", 200).await;
    assert_eq!(ids(&j), vec!["2026112700001", "2026112000002"]);
    let (j, _) = both(&app, PATH, "page_size=2&page=2", 200).await;
    assert_eq!(ids(&j), vec!["2026083000003"]);
    let (j, _) = both(&app, PATH, "page_size=2&page=3", 200).await;
    assert_eq!(j, json!([]));
}

#[tokio::test]
async fn open311_requests_extensions_add_state_and_notes() {
    let (app, _) = app();
    let (j, x) = both(&app, PATH, "extensions=true", 200).await;
    assert_eq!(
        j[0]["extended_attributes"],
        json!({"state": "dispatched", "state_zh": "已派遣", "level": "社区", "ticket": "2026112700001"})
    );
    assert_eq!(
        j[0]["notes"],
        json!([
            {"datetime": "2026-11-27T07:00:00+08:00", "type": "reported", "description": "居民上报"},
            {"datetime": "2026-11-27T07:30:00+08:00", "type": "dispatched", "description": "派遣至 城管执法队 <一中队>"},
        ])
    );
    assert_eq!(j[1]["notes"], json!([]));
    // A request the port has no detail for still has the same shape.
    assert_eq!(j[2]["extended_attributes"], Value::Null);

    let first = &x.items("request")[0];
    let mut names = FIELDS.to_vec();
    names.extend(["extended_attributes", "notes"]);
    assert_eq!(first.names(), names);
    assert_eq!(
        first.child("extended_attributes").names(),
        vec!["state", "state_zh", "level", "ticket"]
    );
    let notes = first.child("notes").items("note");
    assert_eq!(notes[1].names(), vec!["datetime", "type", "description"]);
    assert_eq!(
        notes[1].text_of("description"),
        "派遣至 城管执法队 <一中队>"
    );

    let (j, _) = both(&app, PATH, "extensions=false", 200).await;
    assert!(j[0].get("notes").is_none() && j[0].get("extended_attributes").is_none());
}

/// Security finding 2: without an api_key, `requests` gave every case's description, address,
/// exact coordinates and staff notes. Anyone now reads the public view; a keyed client the full.
#[tokio::test]
async fn open311_anonymous_reads_get_the_public_view_only() {
    let (app, _) = app();
    let (j, _) = both_public(&app, PATH, "extensions=true", 200).await;
    let first = &j[0];
    assert_eq!(first["service_request_id"], "2026112700001");
    assert_eq!(first["status"], "open");
    assert!(
        first["service_name"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    for field in [
        "description",
        "address",
        "address_id",
        "status_notes",
        "media_url",
        "zipcode",
    ] {
        assert_eq!(first[field], Value::Null, "{field} must not be public");
    }
    // Coarse: three decimals, about 100 m.
    assert_eq!(first["lat"], json!(30.274));
    assert!(
        first["notes"].as_array().is_none_or(Vec::is_empty),
        "the timeline's notes are staff words: {first}"
    );
    assert_eq!(first["extended_attributes"]["state"], "dispatched");
    let raw = get(&app, &format!("{PATH}.json")).await.body;
    assert!(!raw.contains(R1_DESCRIPTION) && !raw.contains("文三路"));

    let one = get(&app, "/open311/v2/requests/2026112700001.json")
        .await
        .json();
    assert_eq!(one[0]["description"], Value::Null);
    let keyed = get(
        &app,
        &format!("/open311/v2/requests/2026112700001.json?api_key={KEY}"),
    )
    .await
    .json();
    assert_eq!(keyed[0]["description"], json!(R1_DESCRIPTION));

    // A wrong key is refused, not served the public view.
    let refused = get(&app, &format!("{PATH}.json?api_key=guess")).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
}
