//! The dynamic map on SQLite and PostgreSQL: six cases in three grids, two closed and rated
//! (satisfied, unsatisfied), the open ones made overdue by the deadline job; then each grid's
//! volume, overdue and satisfaction with their legend shades, the range cutting cases out,
//! each account seeing only its listing, clusters that add up to the cases in the box, points
//! with names when zoomed in, heat cells, and bad fields refused by name.

use crate::app::{FAR_GRID, GRID_ORIGINS, OTHER_GRID, OWN_GRID, TestApp, spawn_app};
use calamine::{Reader, Xlsx};
use gongzhi_testkit::backends;
use serde_json::{Value, json};
use std::io::Cursor;

const DAY: i64 = 86_400_000;

async fn file(app: &TestApp, g: usize, k: f64) -> (i64, String) {
    let (lon, lat) = (
        GRID_ORIGINS[g].1 + 0.0002 + k * 0.0001,
        GRID_ORIGINS[g].2 + 0.0004,
    );
    let (s, v) = app
        .post_json_as(
            "resident",
            "/api/v1/cases",
            json!({"category": "E0102", "lon": lon, "lat": lat, "address": "地图路1号", "description": "地图测试"}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    (
        v["case"]["id"].as_i64().unwrap(),
        v["lookup_code"].as_str().unwrap().to_string(),
    )
}

async fn ok(app: &TestApp, who: &str, id: i64, body: Value) {
    let (s, v) = app
        .post_json_as(who, &format!("/api/v1/cases/{id}/commands"), body.clone())
        .await;
    assert_eq!(s, 200, "{who} {body}: {v}");
}

async fn close_and_rate(app: &TestApp, id: i64, code: &str, satisfaction: &str) {
    ok(
        app,
        "department",
        id,
        json!({"command": "report_back", "note": "已处理"}),
    )
    .await;
    ok(
        app,
        "street",
        id,
        json!({"command": "verify", "passed": true, "note": "现场核实"}),
    )
    .await;
    ok(app, "street", id, json!({"command": "close"})).await;
    let r = app
        .client
        .post(app.url(&format!("/api/v1/public/cases/{code}/commands")))
        .json(&json!({"command": "rate", "contacted": true, "resolved": true, "satisfaction": satisfaction}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

async fn get(app: &TestApp, who: &str, path: &str) -> (u16, Value) {
    let r = app.get_as(who, path).await;
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

/// `grid code → (cases, overdue, satisfaction_rate, value, shade)` of a metrics answer.
fn by_grid(v: &Value) -> std::collections::BTreeMap<String, (u64, u64, Value, Value, Value)> {
    v["grids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["code"].as_str().unwrap().to_string(),
                (
                    g["cases"].as_u64().unwrap(),
                    g["overdue"].as_u64().unwrap(),
                    g["satisfaction_rate"].clone(),
                    g["value"].clone(),
                    g["shade"].clone(),
                ),
            )
        })
        .collect()
}

fn today() -> String {
    gongzhi_domain::calendar::date_of(gongzhi_store::now_millis()).to_string()
}

#[tokio::test]
async fn grids_are_coloured_by_each_metric_within_the_range_and_the_listing() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (a, code_a) = file(&app, 0, 0.0).await;
        file(&app, 0, 1.0).await;
        file(&app, 0, 2.0).await;
        let (d, code_d) = file(&app, 1, 0.0).await;
        file(&app, 2, 0.0).await;
        file(&app, 2, 1.0).await;
        close_and_rate(&app, a, &code_a, "satisfied").await;
        close_and_rate(&app, d, &code_d, "unsatisfied").await;
        // The open four pass their deadline.
        let later = gongzhi_store::now_millis() + 90 * DAY;
        gongzhi_server::cases::jobs::deadline_tick(&app.state, later)
            .await
            .unwrap();

        let range = format!("from={}&to={}", today(), today());
        let (s, v) = get(
            &app,
            "admin",
            &format!("/api/v1/map/grid-metrics?metric=volume&{range}"),
        )
        .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["cases"], 6);
        assert_eq!(v["metric_name"], "案件量");
        let g = by_grid(&v);
        assert_eq!(g[OWN_GRID].0, 3);
        assert_eq!(g[OTHER_GRID].0, 1);
        assert_eq!(g[FAR_GRID].0, 2);
        assert_eq!((g[OWN_GRID].1, g[OTHER_GRID].1, g[FAR_GRID].1), (2, 0, 2));
        assert_eq!(g[OWN_GRID].2, json!(100.0));
        assert_eq!(g[OTHER_GRID].2, json!(0.0));
        assert_eq!(g[FAR_GRID].2, Value::Null);
        // The busiest grid is darker than the quietest; the legend names its ranges.
        assert!(g[OWN_GRID].4.as_u64().unwrap() > g[OTHER_GRID].4.as_u64().unwrap());
        assert!(!v["legend"].as_array().unwrap().is_empty());

        let (_, v) = get(
            &app,
            "admin",
            &format!("/api/v1/map/grid-metrics?metric=satisfaction&{range}"),
        )
        .await;
        let g = by_grid(&v);
        // Low satisfaction is the dark end; no follow-up is no figure, not a bad one.
        assert!(g[OTHER_GRID].4.as_u64().unwrap() > g[OWN_GRID].4.as_u64().unwrap());
        assert_eq!(g[FAR_GRID].3, Value::Null);
        assert_eq!(g[FAR_GRID].4, Value::Null);
        let (_, v) = get(&app, "admin", "/api/v1/map/grid-metrics?metric=满意率").await;
        assert_eq!(v["metric"], "satisfaction");
        let (_, v) = get(
            &app,
            "admin",
            &format!("/api/v1/map/grid-metrics?metric=overdue&{range}"),
        )
        .await;
        let g = by_grid(&v);
        assert_eq!(g[OWN_GRID].3, json!(2.0));
        assert_eq!(g[OTHER_GRID].3, json!(0.0));

        // The same figures as a workbook, busiest grid first.
        let r = app
            .get_as("admin", &format!("/api/v1/map/grid-metrics.xlsx?{range}"))
            .await;
        assert_eq!(r.status(), 200);
        let bytes = r.bytes().await.unwrap();
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
        let sheet = book.worksheet_range("网格指标").unwrap();
        let rows: Vec<Vec<String>> = sheet
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(rows[0][2], "案件量");
        assert_eq!(rows.len(), 4, "a header and three grids: {rows:?}");
        assert_eq!((rows[1][1].as_str(), rows[1][2].as_str()), (OWN_GRID, "3"));
        assert_eq!(rows[1][4], "100.00");

        // A range that holds none of the cases.
        let tomorrow = gongzhi_domain::calendar::Date::parse(&today())
            .unwrap()
            .succ();
        let (_, v) = get(
            &app,
            "admin",
            &format!("/api/v1/map/grid-metrics?from={tomorrow}"),
        )
        .await;
        assert_eq!(v["cases"], 0);
        assert!(v["grids"].as_array().unwrap().is_empty());

        // Each account sees the grids of the cases it lists.
        let (_, v) = get(&app, "street", "/api/v1/map/grid-metrics").await;
        let g = by_grid(&v);
        assert_eq!(
            g.keys().cloned().collect::<Vec<_>>(),
            [OWN_GRID, OTHER_GRID]
        );
        let (_, v) = get(&app, "grid", "/api/v1/map/grid-metrics").await;
        assert_eq!(by_grid(&v).keys().cloned().collect::<Vec<_>>(), [OWN_GRID]);
        let (_, v) = get(&app, "department", "/api/v1/map/grid-metrics").await;
        assert_eq!(v["cases"], 6, "every case went to CG: {v}");
        let (s, _) = get(&app, "party", "/api/v1/map/grid-metrics").await;
        assert_eq!(s, 403);
        let (s, _) = get(&app, "party", "/api/v1/map/cases").await;
        assert_eq!(s, 403);
        let (s, _) = get(&app, "street", "/api/v1/map/grid-metrics?area=320508020000").await;
        assert_eq!(s, 403);

        // Bad fields are refused by name.
        for (q, field) in [
            ("/api/v1/map/grid-metrics?metric=heat", "metric"),
            ("/api/v1/map/grid-metrics?from=2026-13-01", "from"),
            ("/api/v1/map/cases?bbox=1,2,3", "bbox"),
            ("/api/v1/map/cases?bbox=121,31,120,32", "bbox"),
            ("/api/v1/map/cases?zoom=30", "zoom"),
            ("/api/v1/map/cases?layer=x", "layer"),
        ] {
            let (s, v) = get(&app, "admin", q).await;
            assert_eq!(s, 400, "{q}: {v}");
            assert_eq!(v["error"]["field"], field, "{q}: {v}");
        }
    }
}

#[tokio::test]
async fn cases_cluster_when_zoomed_out_and_are_points_when_zoomed_in() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        for (g, k) in [(0, 0.0), (0, 1.0), (0, 2.0), (1, 0.0), (2, 0.0), (2, 1.0)] {
            file(&app, g, k).await;
        }
        let city = "bbox=120.5,31.2,120.7,31.4";
        let (s, v) = get(&app, "admin", &format!("/api/v1/map/cases?{city}&zoom=11")).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["mode"], "clusters");
        assert_eq!(v["total"], 6);
        let cells = v["cells"].as_array().unwrap();
        assert!(cells.len() < 6, "zoomed out, cases gather: {v}");
        let sum: i64 = cells.iter().map(|c| c["count"].as_i64().unwrap()).sum();
        assert_eq!(sum, 6);
        assert!(v["points"].as_array().unwrap().is_empty());

        // Zoomed in on grid 1's corner: single cases with names, not codes.
        let (lon, lat) = (GRID_ORIGINS[0].1, GRID_ORIGINS[0].2);
        let near = format!("bbox={},{},{},{}", lon, lat, lon + 0.0009, lat + 0.0009);
        let (_, v) = get(&app, "admin", &format!("/api/v1/map/cases?{near}&zoom=17")).await;
        assert_eq!(v["mode"], "points", "{v}");
        assert_eq!(v["total"], 3);
        let p = &v["points"][0];
        assert_eq!(p["state_name"], "已派遣");
        assert!(
            !p["category_name"].as_str().unwrap().starts_with('E'),
            "{p}"
        );
        assert!(p["ticket"].as_str().is_some() && p["id"].as_i64().is_some());

        // The state filter and the listing narrow the same box.
        let (_, v) = get(
            &app,
            "admin",
            &format!("/api/v1/map/cases?{city}&zoom=11&state=closed"),
        )
        .await;
        assert_eq!(v["total"], 0);
        let (_, v) = get(&app, "grid", &format!("/api/v1/map/cases?{city}&zoom=11")).await;
        assert_eq!(v["total"], 3);

        // Heat cells carry every case too; nobody blew a whistle yet.
        let (_, v) = get(
            &app,
            "admin",
            &format!("/api/v1/map/cases?{city}&zoom=11&heat=1"),
        )
        .await;
        assert_eq!(v["mode"], "heat");
        let sum: i64 = v["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["count"].as_i64().unwrap())
            .sum();
        assert_eq!(sum, 6);
        let (_, v) = get(
            &app,
            "admin",
            &format!("/api/v1/map/cases?{city}&zoom=11&layer=whistles"),
        )
        .await;
        assert_eq!(v["total"], 0);
    }
}
