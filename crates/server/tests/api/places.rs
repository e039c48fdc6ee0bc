//! Place names and addresses (地名地址), on SQLite and PostgreSQL: a GeoJSON import through the
//! import API, the public map layer, and the public address search — exact before prefix
//! before contained, names of community and street with each hit, taken literally, throttled.
//! A wrong file or a place outside the importer's area writes nothing.

use crate::app::{TestApp, client_from, spawn_app};
use gongzhi_testkit::backends;
use serde_json::{Value, json};

/// A road called 养育巷 across both communities, a compound inside the own grid and a school
/// inside the far grid (see `GRID_ORIGINS`).
pub fn places_file() -> String {
    json!({"type": "FeatureCollection", "features": [
        {"type": "Feature",
         "properties": {"name": "养育巷", "kind": "road", "area": "320508000000"},
         "geometry": {"type": "LineString", "coordinates": [[120.5995, 31.3012], [120.6050, 31.3012], [120.6115, 31.3012]]}},
        {"type": "Feature",
         "properties": {"name": "养育巷新村", "kind": "小区", "area": "320508019044"},
         "geometry": {"type": "Point", "coordinates": [120.6004, 31.3006]}},
        {"type": "Feature",
         "properties": {"name": "平江实验小学", "kind": "school", "area": "320508020001"},
         "geometry": {"type": "Point", "coordinates": [120.6105, 31.3005]}}
    ]})
    .to_string()
}

pub async fn import_places(app: &TestApp, who: &str, body: String) -> (u16, Value) {
    let r = app
        .client
        .post(app.url("/api/v1/imports/places"))
        .bearer_auth(&app.tokens[who])
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn search(app: &TestApp, q: &str) -> Vec<Value> {
    let r = app
        .client
        .get(app.url("/api/v1/places/search"))
        .query(&[("q", q)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{q}");
    r.json().await.unwrap()
}

async fn layer(app: &TestApp) -> Value {
    let r = app
        .client
        .get(app.url("/api/v1/public/places.geojson"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/geo+json");
    r.json().await.unwrap()
}

#[tokio::test]
async fn imported_places_draw_on_the_public_map_and_answer_the_address_search() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (s, v) = import_places(&app, "admin", places_file()).await;
        assert_eq!(s, 201, "{backend:?} {v}");
        assert_eq!(v["count"], 3);

        // The public layer, without signing in: roads first, each with its kind's names.
        let fc = layer(&app).await;
        let features = fc["features"].as_array().unwrap();
        assert_eq!(features.len(), 3, "{fc}");
        assert_eq!(features[0]["geometry"]["type"], "LineString");
        assert_eq!(features[0]["properties"]["name"], "养育巷");
        let school = features
            .iter()
            .find(|f| f["properties"]["kind"] == "school")
            .unwrap();
        assert_eq!(school["properties"]["kind_name"], "学校");
        assert_eq!(school["properties"]["name"], "平江实验小学");

        // Exact first (the road), then by prefix (the compound), with where it is.
        let hits = search(&app, "养育巷").await;
        assert_eq!(hits.len(), 2, "{hits:?}");
        assert_eq!(
            (&hits[0]["name"], &hits[0]["rank"]),
            (&json!("养育巷"), &json!("exact"))
        );
        assert_eq!(hits[0]["kind"], "road");
        assert_eq!(hits[1]["name"], "养育巷新村");
        assert_eq!(hits[1]["rank"], "prefix");
        assert_eq!(hits[1]["kind_name"], "小区");
        assert_eq!(hits[1]["community"], "养育巷社区");
        assert_eq!(hits[1]["street"], "金阊街道");
        assert_eq!(hits[1]["street_code"], "320508019000");
        assert_eq!(hits[1]["grid"], "320508019044001");
        assert_eq!(hits[1]["lon"], 120.6004);
        // Contained: the compound by its ending, the school in the other street.
        let hits = search(&app, "新村").await;
        assert_eq!(hits[0]["name"], "养育巷新村");
        assert_eq!(hits[0]["rank"], "substring");
        let hits = search(&app, "实验小学").await;
        assert_eq!(hits[0]["street"], "平江街道");
        assert_eq!(hits[0]["community"], "平江社区");
        // Building addresses the population register holds, and spaces typed in between.
        let hits = search(&app, "测试路 1号").await;
        assert_eq!(hits.len(), 3, "one building in each grid: {hits:?}");
        assert!(
            hits.iter()
                .all(|h| h["kind"] == "building" && h["rank"] == "exact")
        );
        assert!(hits.iter().all(|h| h["address"] == "测试路1号"));
        // An address naming a held place finds it, the longest name first.
        let hits = search(&app, "养育巷新村5幢门口").await;
        assert_eq!(hits[0]["name"], "养育巷新村", "{hits:?}");
        assert_eq!(hits[0]["rank"], "within");
        // Taken literally: a wildcard matches nothing.
        assert!(search(&app, "%").await.is_empty());
        assert!(search(&app, "不存在的地名").await.is_empty());
        // Nothing typed: refused, naming the field.
        let r = app
            .client
            .get(app.url("/api/v1/places/search?q=%20"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["field"], "q");

        // Imported again: moved, not doubled.
        let moved = places_file().replace("120.6004", "120.6006");
        let (s, _) = import_places(&app, "admin", moved).await;
        assert_eq!(s, 201);
        let hits = search(&app, "养育巷新村").await;
        let compounds: Vec<_> = hits.iter().filter(|h| h["kind"] == "compound").collect();
        assert_eq!(compounds.len(), 1, "{hits:?}");
        assert_eq!(
            (&hits[0]["rank"], &hits[0]["lon"]),
            (&json!("exact"), &json!(120.6006))
        );
    }
}

#[tokio::test]
async fn a_wrong_place_file_or_a_place_outside_the_importer_writes_nothing() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let mut point_road: Value = serde_json::from_str(&places_file()).unwrap();
        point_road["features"][0]["geometry"] =
            json!({"type": "Point", "coordinates": [120.6, 31.3]});
        let (s, v) = import_places(&app, "admin", point_road.to_string()).await;
        assert_eq!(s, 422, "{v}");
        assert_eq!(v["error"]["field"], "file");
        let msg = v["error"]["message"].as_str().unwrap();
        assert!(msg.contains("第1个地名（养育巷）"), "{msg}");
        assert!(
            v["error"]["message_en"]
                .as_str()
                .unwrap()
                .contains("LineString")
        );
        // An area the city does not have.
        let (s, v) = import_places(
            &app,
            "admin",
            places_file().replace("320508020001", "320508020099"),
        )
        .await;
        assert_eq!(s, 422, "{v}");
        // The 金阊 street's account may not name places in 平江.
        let (s, v) = import_places(&app, "street", places_file()).await;
        assert_eq!(s, 403, "{v}");
        assert!(layer(&app).await["features"].as_array().unwrap().is_empty());
        assert!(search(&app, "养育巷").await.is_empty());
    }
}

#[tokio::test]
async fn the_public_search_is_limited_per_address() {
    let app = spawn_app(gongzhi_testkit::Backend::Sqlite).await;
    let client = client_from("127.0.0.7");
    let mut statuses = Vec::new();
    for _ in 0..70 {
        let r = client
            .get(app.url("/api/v1/places/search?q=%E6%B5%8B%E8%AF%95"))
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    // 60 at once; the loop may take long enough for a refill or two.
    let ok = statuses.iter().filter(|s| **s == 200).count();
    assert!((60..=63).contains(&ok), "{statuses:?}");
    assert_eq!(statuses.last(), Some(&429));
    // Another address is not held back.
    let r = client_from("127.0.0.8")
        .get(app.url("/api/v1/places/search?q=%E6%B5%8B%E8%AF%95"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}
