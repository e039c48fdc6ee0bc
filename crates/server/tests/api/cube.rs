//! The rollup cube (decision 035) on SQLite and PostgreSQL: after cases filed over the API,
//! moved by commands and written in bulk over the last 70 days, every dashboard grouping of
//! `/api/v1/metrics` the cube answers (street, community, department, category, major,
//! channel, month, week, day), whole-year and month-cutting ranges, with and without each
//! filter, equals what this test folds itself from the stored cases with the domain's
//! `CaseFacts`; so does the cube after `rebuild_cube`, and a set of communities summed by the
//! store equals the same area through the API.

use crate::app::{GRID_ORIGINS, TestApp, spawn_app};
use gongzhi_demo::{Year, YearCategory, YearPlace};
use gongzhi_domain::calendar::{DAY_MS, Date, date_of, start_of};
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_domain::metrics::{CaseFacts, Counters, FollowUps};
use gongzhi_store::{CaseFilter, CaseRow, CubeQuery, TallyGroup};
use gongzhi_testkit::backends;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};

async fn file(app: &TestApp, category: &str, g: usize) -> (i64, String) {
    let (lon, lat) = (GRID_ORIGINS[g].1 + 0.0004, GRID_ORIGINS[g].2 + 0.0004);
    let (s, v) = app
        .post_json_as(
            "resident",
            "/api/v1/cases",
            json!({"category": category, "lon": lon, "lat": lat, "address": "汇总测试路1号", "description": "汇总测试"}),
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

/// Cases over the API, then commands that move their counters and departments.
async fn live_cases(app: &TestApp) {
    let (a, code_a) = file(app, "E0102", 0).await;
    let (b, _) = file(app, "E0102", 1).await;
    let (c, _) = file(app, "E0304", 2).await;
    let (d, _) = file(app, "E0102", 2).await;
    ok(app, "department", a, json!({"command": "start"})).await;
    ok(
        app,
        "department",
        a,
        json!({"command": "report_back", "note": "已处理"}),
    )
    .await;
    ok(
        app,
        "street",
        a,
        json!({"command": "verify", "passed": true, "note": "现场核实"}),
    )
    .await;
    ok(app, "street", a, json!({"command": "close"})).await;
    let r = app
        .client
        .post(app.url(&format!("/api/v1/public/cases/{code_a}/commands")))
        .json(&json!({"command": "rate", "contacted": true, "resolved": true, "satisfaction": "basically_satisfied"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    ok(
        app,
        "street",
        b,
        json!({"command": "defer", "reason": "等待施工结束"}),
    )
    .await;
    // A return leaves the case without a department: its cube row moves.
    ok(
        app,
        "department",
        d,
        json!({"command": "return", "reason": "不属于本部门"}),
    )
    .await;
    let _ = c;
}

/// Cases of the last `days` days written on the bulk path, each decided by the domain as the
/// city generator does.
async fn bulk_cases(app: &TestApp, total: u64, days: u32) {
    let store = &app.store;
    gongzhi_server::cases::setup::ensure_defaults(store)
        .await
        .unwrap();
    let cfg = gongzhi_server::cases::setup::loop_config(store)
        .await
        .unwrap();
    let lookups = store.lookups().await.unwrap();
    let mut categories: Vec<YearCategory> = lookups
        .categories
        .values()
        .filter(|c| c.active && c.parent.is_some())
        .map(|c| YearCategory {
            code: c.code.clone(),
            name: c.name.clone(),
            deadline_class: c.deadline_class,
            default_department: c.default_department.clone(),
        })
        .collect();
    categories.sort_by(|a, b| a.code.cmp(&b.code));
    let places = GRID_ORIGINS
        .iter()
        .map(|(g, lon, lat)| YearPlace {
            grid: GridCode::parse(g).unwrap(),
            lon: lon + 0.0004,
            lat: lat + 0.0004,
            address: "汇总测试路2号".into(),
        })
        .collect();
    let now = gongzhi_store::now_millis();
    let first_day = date_of(start_of(date_of(now)) - i64::from(days - 1) * DAY_MS);
    let year = Year::new(
        cfg,
        categories,
        lookups.rules.iter().map(|r| r.rule()).collect(),
        lookups.departments.keys().cloned().collect(),
        places,
        first_day,
        now,
        7,
    )
    .window(days);
    let first_id = store.next_case_id().await.unwrap();
    let issued = store.ticket_counters().await.unwrap();
    let mut prepared = Vec::new();
    for plan in year.plan(total, first_id) {
        let before = issued.get(&plan.day.compact()).copied().unwrap_or(0) as u32;
        let times = year.report_times(&plan);
        for i in 0..plan.count {
            let h = year.case(
                plan.first_id + i64::from(i),
                before + i + 1,
                times[i as usize],
            );
            prepared.push(store.prepare_case(&h).unwrap());
        }
    }
    assert_eq!(prepared.len() as u64, total);
    store.insert_prepared_cases(prepared).await.unwrap();
}

/// Every stored case.
async fn all_cases(app: &TestApp) -> Vec<CaseRow> {
    app.store
        .cases(&CaseFilter {
            limit: 100_000,
            ..Default::default()
        })
        .await
        .unwrap()
}

#[derive(Default, PartialEq, Debug, Clone, Copy)]
struct Sums {
    counters: Counters,
    follow_ups: FollowUps,
}

fn monday(d: Date) -> String {
    d.add_days(-(d.days() + 3).rem_euclid(7)).to_string()
}

/// The key of `row` under grouping `by`, as a reader of the domain would define it.
fn key(by: &str, row: &CaseRow, majors: &HashMap<String, String>) -> String {
    let c = &row.case;
    let day = date_of(row.reported_at);
    let code = |a: Option<AreaCode>| a.map(|a| a.to_string()).unwrap_or_default();
    match by {
        "street" => code(c.community.and_then(|a| a.parent())),
        "community" => code(c.community),
        "department" => c.department.clone().unwrap_or_default(),
        "category" => c.category.clone(),
        "major" => majors
            .get(&c.category)
            .cloned()
            .unwrap_or_else(|| c.category.clone()),
        "channel" => c.channel.as_str().into(),
        "month" => day.to_string()[..7].into(),
        "day" => day.to_string(),
        "week" => monday(day),
        other => panic!("no grouping {other}"),
    }
}

/// What the test expects: the cases in range and filter folded by `by`.
fn fold(
    cases: &[CaseRow],
    by: &str,
    keep: &dyn Fn(&CaseRow) -> bool,
    majors: &HashMap<String, String>,
) -> BTreeMap<String, Sums> {
    let mut out: BTreeMap<String, Sums> = BTreeMap::new();
    for row in cases.iter().filter(|r| keep(r)) {
        let s = out.entry(key(by, row, majors)).or_default();
        s.counters.add(&CaseFacts::of(&row.case));
        if let Some(r) = &row.case.rating {
            s.follow_ups.add(r);
        }
    }
    out
}

/// The API's groups with anything in them (trends list empty periods too).
fn groups(card: &Value) -> BTreeMap<String, Sums> {
    card["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let s = Sums {
                counters: serde_json::from_value(g["counters"].clone()).unwrap(),
                follow_ups: serde_json::from_value(g["follow_ups"].clone()).unwrap(),
            };
            (g["key"].as_str().unwrap().to_string(), s)
        })
        .filter(|(_, s)| *s != Sums::default())
        .collect()
}

/// Which cases a filter keeps.
type Keep = Box<dyn Fn(&CaseRow) -> bool>;

const GROUPINGS: [&str; 9] = [
    "street",
    "community",
    "department",
    "category",
    "major",
    "channel",
    "month",
    "day",
    "week",
];

async fn check_every_grouping(app: &TestApp, cases: &[CaseRow], what: &str) {
    let majors: HashMap<String, String> = app
        .store
        .lookups()
        .await
        .unwrap()
        .categories
        .values()
        .filter_map(|c| Some((c.code.clone(), c.parent.clone()?)))
        .collect();
    let today = date_of(gongzhi_store::now_millis());
    // A range that cuts two months (the bulk cases reach 70 days back) and a whole year.
    let cut_from = today.add_days(-50);
    let cut_from = if cut_from.day() == 1 {
        cut_from.succ()
    } else {
        cut_from
    };
    let ranges = [
        (cut_from, today),
        (
            Date::new(today.year() - 1, 1, 1).unwrap(),
            Date::new(today.year(), 12, 31).unwrap(),
        ),
    ];
    let street = cases
        .iter()
        .find_map(|r| r.case.community.and_then(|c| c.parent()))
        .unwrap();
    let filters: [(&str, Keep); 5] = [
        ("", Box::new(|_| true)),
        (
            "department=CG",
            Box::new(|r| r.case.department.as_deref() == Some("CG")),
        ),
        (
            "category=E01",
            Box::new(|r| r.case.category.starts_with("E01")),
        ),
        (
            "channel=hotline",
            Box::new(|r| r.case.channel.as_str() == "hotline"),
        ),
        (
            "area=street",
            Box::new(move |r| r.case.community.and_then(|c| c.parent()) == Some(street)),
        ),
    ];
    let mut nonempty = 0;
    for (from, to) in ranges {
        for (filter, keep) in &filters {
            let filter = filter.replace("area=street", &format!("area={street}"));
            for by in GROUPINGS {
                let in_range = |r: &CaseRow| {
                    let d = date_of(r.reported_at);
                    d >= from && d <= to && keep(r)
                };
                let want = fold(cases, by, &in_range, &majors);
                let q = format!("/api/v1/metrics?by={by}&from={from}&to={to}&{filter}");
                let v = app.get_json_as("admin", &q).await;
                assert_eq!(groups(&v), want, "{what}: {q}");
                nonempty += usize::from(!want.is_empty());
            }
        }
    }
    assert!(nonempty > 60, "{what}: the checks compared real groups");
}

#[tokio::test]
async fn the_cube_sums_what_folding_the_cases_gives_for_every_grouping() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        live_cases(&app).await;
        bulk_cases(&app, 400, 70).await;
        let cases = all_cases(&app).await;
        assert_eq!(cases.len(), 404);
        // Cases in more than one month, channel and department, or the test proves little.
        let months: std::collections::BTreeSet<_> = cases
            .iter()
            .map(|r| date_of(r.reported_at).to_string()[..7].to_string())
            .collect();
        assert!(months.len() >= 3, "{months:?}");
        check_every_grouping(&app, &cases, &format!("{backend:?}")).await;

        // Rebuilt from the cases, the cube holds the same sums.
        assert_eq!(app.store.rebuild_cube().await.unwrap(), 404);
        check_every_grouping(&app, &cases, &format!("{backend:?} rebuilt")).await;

        // A set of communities summed by the store equals its area through the API.
        let community = cases.iter().find_map(|r| r.case.community).unwrap();
        let today = date_of(gongzhi_store::now_millis());
        let from = today.add_days(-69);
        let mut q = CubeQuery::new(TallyGroup::Total, from, today);
        q.communities = Some(vec![community]);
        let got = app.store.cube(&q).await.unwrap();
        let v = app
            .get_json_as(
                "admin",
                &format!("/api/v1/metrics?by=community&from={from}&to={today}&area={community}"),
            )
            .await;
        assert_eq!(got.len(), 1);
        assert_eq!(
            serde_json::to_value(got[0].1.counters).unwrap(),
            v["total"]["counters"]
        );
        q.communities = Some(vec![]);
        assert!(app.store.cube(&q).await.unwrap().is_empty());
    }
}
