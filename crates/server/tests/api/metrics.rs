//! Scorecards on SQLite and PostgreSQL: six cases driven through closing on time, rework,
//! an overdue mark by the deadline job and a late report-back, deferral, extension and
//! return, rated satisfied / basically satisfied / unsatisfied; then the counters and rates
//! per street, department, handler and month, written out by hand, the workbook re-read
//! with calamine, and each account seeing only its own scope.

use crate::app::{GRID_ORIGINS, TestApp, spawn_app};
use calamine::{Data, Reader, Xlsx};
use gongzhi_domain::case::{Actor, Command};
use gongzhi_store::EventActor;
use gongzhi_testkit::backends;
use serde_json::{Value, json};
use std::io::Cursor;

const DAY: i64 = 86_400_000;

async fn post(app: &TestApp, who: &str, path: &str, body: Value) -> (u16, Value) {
    app.post_json_as(who, path, body).await
}

async fn ok(app: &TestApp, who: &str, id: i64, body: Value) {
    let (s, v) = post(
        app,
        who,
        &format!("/api/v1/cases/{id}/commands"),
        body.clone(),
    )
    .await;
    assert_eq!(s, 200, "{who} {body}: {v}");
}

/// A resident's report inside grid `g` of `GRID_ORIGINS`: (id, lookup code, department).
async fn file(app: &TestApp, category: &str, g: usize) -> (i64, String, Value) {
    let (lon, lat) = (GRID_ORIGINS[g].1 + 0.0004, GRID_ORIGINS[g].2 + 0.0004);
    let (s, v) = post(
        app,
        "resident",
        "/api/v1/cases",
        json!({"category": category, "lon": lon, "lat": lat, "address": "测试路1号", "description": "考核测试"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["case"]["state"], "dispatched", "{v}");
    (
        v["case"]["id"].as_i64().unwrap(),
        v["lookup_code"].as_str().unwrap().to_string(),
        v["case"]["department"].clone(),
    )
}

async fn rate(app: &TestApp, code: &str, contacted: bool, resolved: bool, satisfaction: &str) {
    let r = app
        .client
        .post(app.url(&format!("/api/v1/public/cases/{code}/commands")))
        .json(&json!({"command": "rate", "contacted": contacted, "resolved": resolved, "satisfaction": satisfaction}))
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

async fn card(app: &TestApp, who: &str, query: &str) -> Value {
    let (s, v) = get(app, who, &format!("/api/v1/metrics?{query}")).await;
    assert_eq!(s, 200, "{who} {query}: {v}");
    v
}

const COUNTERS: [&str; 13] = [
    "reported",
    "registered",
    "dispatched",
    "dispatched_accurately",
    "due_handling",
    "handled_on_time",
    "handled_late",
    "due_closing",
    "closed",
    "closed_on_time",
    "reworked",
    "extended",
    "deferred",
];

const RATES: [&str; 8] = [
    "closing_rate",
    "on_time_closing_rate",
    "accurate_dispatch_rate",
    "on_time_handling_rate",
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "composite",
];

/// (label, the 13 counters, the 8 rates in percent) of one group row.
fn row(g: &Value) -> (String, [u64; 13], [Option<f64>; 8]) {
    (
        g["label"].as_str().unwrap().to_string(),
        COUNTERS.map(|k| g["counters"][k].as_u64().unwrap()),
        RATES.map(|k| g["rates"][k].as_f64()),
    )
}

fn rows(card: &Value) -> Vec<(String, [u64; 13], [Option<f64>; 8])> {
    card["groups"].as_array().unwrap().iter().map(row).collect()
}

fn s(x: &str) -> String {
    x.to_string()
}

// Expected figures. Cases: A, B, D (CG) and E (ZJ) in 金阊街道; C (CG) and F in 平江街道.
// A closed on time, satisfied; B reworked then closed on time, basically satisfied; C closed
// on time, unsatisfied and unresolved; D overdue, reported back late, closed late; E deferred;
// F extended, then returned (no department, accurate dispatch lost).
const JINCHANG: [u64; 13] = [4, 4, 4, 4, 3, 2, 1, 3, 3, 2, 1, 0, 1];
// 3/3, 2/3, 4/4, 2/3; follow-ups A, B: 2/2, 2/2, (1 + 0.9)/2, 0.1 + 0.5 + 0.4 × 0.95.
const JINCHANG_RATES: [Option<f64>; 8] = [
    Some(100.0),
    Some(66.67),
    Some(100.0),
    Some(66.67),
    Some(100.0),
    Some(100.0),
    Some(95.0),
    Some(98.0),
];
const PINGJIANG: [u64; 13] = [2, 2, 2, 1, 2, 1, 0, 2, 1, 1, 0, 1, 0];
// 1/2 each; follow-up C: contacted, not resolved, unsatisfied → 0.1 × 1.
const PINGJIANG_RATES: [Option<f64>; 8] = [
    Some(50.0),
    Some(50.0),
    Some(50.0),
    Some(50.0),
    Some(100.0),
    Some(0.0),
    Some(0.0),
    Some(10.0),
];
const CG: [u64; 13] = [4, 4, 4, 4, 4, 3, 1, 4, 4, 3, 1, 0, 0];
// 4/4, 3/4, 4/4, 3/4; follow-ups A, B, C: 3/3, 2/3, 1.9/3, 0.1 + 0.5 × 2/3 + 0.4 × 1.9/3.
const CG_RATES: [Option<f64>; 8] = [
    Some(100.0),
    Some(75.0),
    Some(100.0),
    Some(75.0),
    Some(100.0),
    Some(66.67),
    Some(63.33),
    Some(68.67),
];
const ZJ: [u64; 13] = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const ZJ_RATES: [Option<f64>; 8] = [None, None, Some(100.0), None, None, None, None, None];
const LOCALITY: [u64; 13] = [1, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0];
const LOCALITY_RATES: [Option<f64>; 8] = [
    Some(0.0),
    Some(0.0),
    Some(0.0),
    Some(0.0),
    None,
    None,
    None,
    None,
];
const TOTAL: [u64; 13] = [6, 6, 6, 5, 5, 3, 1, 5, 4, 3, 1, 1, 1];
// 4/5, 3/5, 5/6, 3/5; follow-ups as CG.
const TOTAL_RATES: [Option<f64>; 8] = [
    Some(80.0),
    Some(60.0),
    Some(83.33),
    Some(60.0),
    Some(100.0),
    Some(66.67),
    Some(63.33),
    Some(68.67),
];

/// Files and drives the six cases.
async fn six_cases(app: &TestApp) {
    let (a, code_a, dep) = file(app, "E0102", 0).await;
    assert_eq!(dep, "CG");
    let (b, code_b, _) = file(app, "E0102", 1).await;
    let (c, code_c, _) = file(app, "E0102", 2).await;
    let (d, _, _) = file(app, "E0102", 0).await;
    let (e, _, dep) = file(app, "E0304", 0).await;
    assert_eq!(dep, "ZJ");
    let (f, _, _) = file(app, "E0102", 2).await;

    let back = json!({"command": "report_back", "note": "已处理"});
    let pass = json!({"command": "verify", "passed": true, "note": "现场核实"});
    let close = json!({"command": "close"});
    // A: on time, satisfied.
    ok(app, "department", a, json!({"command": "start"})).await;
    ok(app, "department", a, back.clone()).await;
    ok(app, "street", a, pass.clone()).await;
    ok(app, "street", a, close.clone()).await;
    rate(app, &code_a, true, true, "satisfied").await;
    // B: reworked once, then on time; basically satisfied.
    ok(app, "department", b, back.clone()).await;
    ok(
        app,
        "street",
        b,
        json!({"command": "verify", "passed": false, "note": "还有残留"}),
    )
    .await;
    ok(app, "department", b, back.clone()).await;
    ok(app, "street", b, pass.clone()).await;
    ok(app, "street", b, close.clone()).await;
    rate(app, &code_b, true, true, "basically_satisfied").await;
    // C (平江, outside the street account): the district verifies; unsatisfied, unresolved.
    ok(app, "department", c, back.clone()).await;
    ok(app, "district", c, pass.clone()).await;
    ok(app, "district", c, close.clone()).await;
    rate(app, &code_c, true, false, "unsatisfied").await;
    // E: deferred (缓办).
    ok(
        app,
        "street",
        e,
        json!({"command": "defer", "reason": "等待施工结束"}),
    )
    .await;
    // F: extended (延期), then returned as a wrong dispatch (回退).
    ok(
        app,
        "department",
        f,
        json!({"command": "request_extension", "by": {"working_days": 2}, "reason": "需协调"}),
    )
    .await;
    ok(
        app,
        "district",
        f,
        json!({"command": "decide_extension", "approve": true}),
    )
    .await;
    ok(
        app,
        "department",
        f,
        json!({"command": "return", "reason": "不属于本部门"}),
    )
    .await;

    // D: the deadline job marks it overdue; the department reports back after the deadline.
    let later = gongzhi_store::now_millis() + 90 * DAY;
    assert!(
        gongzhi_server::cases::jobs::deadline_tick(&app.state, later)
            .await
            .unwrap()
            >= 1
    );
    let (_, v) = get(app, "street", &format!("/api/v1/cases/{d}")).await;
    assert_eq!(v["overdue"], true, "{v}");
    let account = app
        .store
        .account_by_api_token(&app.tokens["department"])
        .await
        .unwrap()
        .unwrap();
    let label = EventActor {
        account_id: Some(account.id),
        name: account.display_name.clone(),
    };
    gongzhi_server::cases::service::run(
        &app.state,
        d,
        None,
        &Actor::account(account.principal()),
        &label,
        Command::ReportBack {
            note: "迟到的处理".into(),
        },
        later + DAY,
    )
    .await
    .unwrap();
    ok(app, "street", d, pass).await;
    ok(app, "street", d, close).await;
}

#[tokio::test]
async fn metrics_count_rate_export_and_respect_scope() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        six_cases(&app).await;

        // By street (the default grouping), all cases.
        let v = card(&app, "admin", "").await;
        assert_eq!(v["by"], "street");
        let year = &gongzhi_domain::calendar::date_of(gongzhi_store::now_millis()).to_string()[..4];
        assert_eq!(v["from"], format!("{year}-01-01"));
        assert_eq!(v["weights"]["resolution"], 0.5);
        assert_eq!(
            rows(&v),
            vec![
                (s("金阊街道"), JINCHANG, JINCHANG_RATES),
                (s("平江街道"), PINGJIANG, PINGJIANG_RATES),
            ],
            "{backend:?}"
        );
        assert_eq!(row(&v["total"]), (s("合计"), TOTAL, TOTAL_RATES));
        assert_eq!(v["groups"][0]["key"], "320508019000");
        assert_eq!(v["total"]["follow_ups"]["valid"], 3);

        // By department: the locality's case last, rates "—" (null) without a denominator.
        let v = card(&app, "admin", "by=department").await;
        assert_eq!(
            rows(&v),
            vec![
                (s("城管局"), CG, CG_RATES),
                (s("住建局"), ZJ, ZJ_RATES),
                (s("属地"), LOCALITY, LOCALITY_RATES),
            ],
            "{backend:?}"
        );

        // By handler: whoever reported back last; cases never reported back together.
        let v = card(&app, "admin", "by=worker").await;
        let got = rows(&v);
        assert_eq!(got.len(), 2, "{v}");
        assert_eq!((got[0].0.as_str(), got[0].1), ("测试department", CG));
        assert_eq!((got[1].0.as_str(), got[1].1[0]), ("未反馈", 2));

        // By month: January up to this month, empty months included.
        let v = card(&app, "admin", "by=month").await;
        let months = v["groups"].as_array().unwrap();
        let this_month =
            &gongzhi_domain::calendar::date_of(gongzhi_store::now_millis()).to_string()[..7];
        assert_eq!(months.last().unwrap()["label"], this_month);
        assert_eq!(months.last().unwrap()["counters"]["reported"], 6);
        assert_eq!(months[0]["label"], format!("{year}-01"));
        assert_eq!(months.len(), this_month[5..].parse::<usize>().unwrap());

        // By category and grid: names, not codes.
        let v = card(&app, "admin", "by=category").await;
        assert_eq!(v["groups"][0]["key"], "E0102");
        assert_eq!(v["groups"][0]["counters"]["reported"], 5);
        assert_ne!(v["groups"][0]["label"], "E0102");
        // By street, community or month the store's running tallies are summed; by category
        // every case is read: both agree.
        for tallied in ["by=street", "by=community", "by=month"] {
            let t = card(&app, "admin", tallied).await;
            assert_eq!(t["total"]["counters"], v["total"]["counters"], "{tallied}");
            assert_eq!(
                t["total"]["follow_ups"], v["total"]["follow_ups"],
                "{tallied}"
            );
        }
        let v = card(&app, "grid", "by=grid").await;
        assert_eq!(rows(&v).len(), 1);
        assert_eq!(v["groups"][0]["label"], "第1网格");
        assert_eq!(v["groups"][0]["counters"]["reported"], 3, "A, D and E");

        // Weights: configurable; must add up to 1 ± 0.001, else 400 naming the field.
        let v = card(
            &app,
            "admin",
            "w_response=0.2&w_resolution=0.4&w_satisfaction=0.4",
        )
        .await;
        assert_eq!(v["groups"][1]["rates"]["composite"], 20.0);
        assert_eq!(v["groups"][0]["rates"]["composite"], 98.0);
        for (query, field) in [
            ("w_response=0.2", "w_response"),
            ("w_resolution=abc", "w_resolution"),
            ("w_satisfaction=0.3", "w_satisfaction"),
            ("by=district", "by"),
            ("from=2026-02-30", "from"),
            ("from=2026-06-01&to=2026-05-31", "to"),
        ] {
            let (st, e) = get(&app, "admin", &format!("/api/v1/metrics?{query}")).await;
            assert_eq!(st, 400, "{query}: {e}");
            assert_eq!(e["error"]["field"], field, "{query}: {e}");
        }
        // Another year: nothing counted, no rates.
        let v = card(&app, "admin", "from=2020-01-01&to=2020-12-31").await;
        assert_eq!(v["groups"], json!([]));
        assert_eq!(v["total"]["counters"]["reported"], 0);
        assert_eq!(v["total"]["rates"]["closing_rate"], Value::Null);

        // Scope: a community sees only its community, a department only its department.
        let v = card(&app, "community", "").await;
        assert_eq!(rows(&v), vec![(s("金阊街道"), JINCHANG, JINCHANG_RATES)]);
        let v = card(&app, "community", "by=community").await;
        assert_eq!(rows(&v), vec![(s("养育巷社区"), JINCHANG, JINCHANG_RATES)]);
        let (st, _) = get(&app, "community", "/api/v1/metrics?area=320508020001").await;
        assert_eq!(st, 403, "narrowing outside the scope is refused");
        let v = card(&app, "department", "by=department").await;
        assert_eq!(rows(&v), vec![(s("城管局"), CG, CG_RATES)]);
        let v = card(&app, "department", "by=street").await;
        let got = rows(&v);
        assert_eq!(
            (got[0].0.as_str(), got[0].1),
            ("金阊街道", [3, 3, 3, 3, 3, 2, 1, 3, 3, 2, 1, 0, 0])
        );
        assert_eq!(
            (got[1].0.as_str(), got[1].1),
            ("平江街道", [1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0])
        );
        assert_eq!(get(&app, "resident", "/api/v1/metrics").await.0, 403);
        let anon = app
            .client
            .get(app.url("/api/v1/metrics"))
            .send()
            .await
            .unwrap();
        assert_eq!(anon.status(), 401);

        workbook(&app).await;
        page(&app).await;
    }
}

fn text(c: &Data) -> String {
    match c {
        Data::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn num(c: &Data) -> f64 {
    match c {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

/// The .xlsx export re-read with calamine: Chinese headers, counts and rates by department.
async fn workbook(app: &TestApp) {
    let r = app
        .get_as("admin", "/api/v1/metrics.xlsx?by=department")
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()[reqwest::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec!["按部门".to_string(), "口径".to_string()]
    );
    let range = wb.worksheet_range("按部门").unwrap();
    let grid: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let head: Vec<String> = grid[0].iter().map(text).collect();
    assert_eq!(head[..4], ["部门", "代码", "上报", "立案"]);
    assert_eq!(head[14], "缓办");
    assert_eq!(head[15], "有效回访");
    assert_eq!(
        head[16..],
        [
            "结案率",
            "按期结案率",
            "准确派遣率",
            "按期处置率",
            "响应率",
            "解决率",
            "满意率",
            "综合成绩"
        ]
    );
    assert_eq!(grid.len(), 5, "three departments and 合计");
    let cg = &grid[1];
    assert_eq!(text(&cg[0]), "城管局");
    assert_eq!(text(&cg[1]), "CG");
    let counts: Vec<u64> = cg[2..15].iter().map(|c| num(c) as u64).collect();
    assert_eq!(counts, CG);
    assert_eq!(num(&cg[15]), 3.0);
    for (cell, want) in cg[16..].iter().zip(CG_RATES) {
        assert!(
            (num(cell) - want.unwrap() / 100.0).abs() < 1e-9,
            "{cell:?} {want:?}"
        );
    }
    assert_eq!(
        text(&grid[2][16]),
        "—",
        "住建局 has nothing due for closing"
    );
    let total = &grid[4];
    assert_eq!(text(&total[0]), "合计");
    assert_eq!(num(&total[2]), 6.0);
    assert!((num(&total[17]) - 0.60).abs() < 1e-9);
    let notes = wb.worksheet_range("口径").unwrap();
    assert!(
        notes
            .rows()
            .any(|r| text(&r[1]).contains("0.1 × 响应率 + 0.5 × 解决率 + 0.4 × 满意率"))
    );
}

/// The page: filters, chart sources from the API, tables with the same numbers, export link.
async fn page(app: &TestApp) {
    let r = app.get_as("street", "/scorecards").await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    for needle in [
        "考核",
        "金阊街道",
        "66.67%",
        "城管局",
        "data-chart=\"trend\"",
        "/api/v1/metrics?by=month&#38;from=",
        "/api/v1/metrics.xlsx?by=street",
        "导出 Excel",
        "/assets/scorecards.js",
        "/assets/vendor/echarts/echarts.min.js",
    ] {
        assert!(html.contains(needle), "page lacks {needle}");
    }
    assert!(
        !html.contains("<script>"),
        "no inline scripts under the CSP"
    );
    assert!(
        !html.contains("平江街道"),
        "the street account sees its own street only"
    );
    let r = app.get_as("street", "/scorecards?w_response=0.9").await;
    assert_eq!(r.status(), 400);
    assert_eq!(app.get_as("resident", "/scorecards").await.status(), 403);
    for asset in [
        "/assets/scorecards.js",
        "/assets/vendor/echarts/echarts.min.js",
    ] {
        let r = app.client.get(app.url(asset)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{asset}");
    }
    let nav = app.get_as("street", "/cases").await.text().await.unwrap();
    assert!(nav.contains("href=\"/scorecards\""));
    let nav = app.get_as("resident", "/cases").await.text().await.unwrap();
    assert!(!nav.contains("href=\"/scorecards\""));
}
