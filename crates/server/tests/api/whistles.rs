//! 吹哨报到 on SQLite and PostgreSQL: a street summons three departments; one checks in late
//! (reminded, then the street alerted), one tries to leave early; the case cannot be verified or
//! closed until all three parts are done (the refusal names them); both sides rate; the ranking
//! and its workbook reflect the late check-in and the street's scores; each account sees only its
//! own whistles; the whistle's events are on the case timeline in order. Then community grants
//! and the cadres sent down.
//!
//! The first minutes run through the service layer with a controlled clock (as the deadline job
//! tests do), so that a check-in deadline can pass; everything after is HTTP at the real time.

use crate::app::{FAR_GRID, GRID_ORIGINS, TestApp, spawn_app};
use calamine::{Data, Reader, Xlsx};
use gongzhi_domain::access::{Role, Scope};
use gongzhi_domain::calendar::date_of;
use gongzhi_domain::case::{Actor, Command, Summons};
use gongzhi_domain::codes::AreaCode;
use gongzhi_server::cases::service::{self, Report};
use gongzhi_store::records::DepartmentRecord;
use gongzhi_store::{EventActor, now_millis};
use gongzhi_testkit::backends;
use serde_json::{Value, json};
use std::io::Cursor;

const MIN: i64 = 60_000;
/// The meeting place: the reported point inside the first grid.
const LON: f64 = 120.6004;
const LAT: f64 = 31.3004;

async fn post(app: &TestApp, who: &str, path: &str, body: Value) -> (u16, Value) {
    app.post_json_as(who, path, body).await
}

async fn cmd(app: &TestApp, who: &str, id: i64, body: Value) -> (u16, Value) {
    post(app, who, &format!("/api/v1/cases/{id}/commands"), body).await
}

async fn ok(app: &TestApp, who: &str, id: i64, body: Value) -> Value {
    let (s, v) = cmd(app, who, id, body.clone()).await;
    assert_eq!(s, 200, "{who} {body}: {v}");
    v
}

async fn get(app: &TestApp, who: &str, path: &str) -> Value {
    app.get_json_as(who, path).await
}

/// A department (and its account, token key = `key`) besides CG and ZJ of the test map, or an
/// extra account for an existing one.
async fn account(app: &mut TestApp, key: &'static str, role: Role, scope: Scope) {
    app.add_account(key, role, scope, false).await;
}

/// The third department 生态环境局 (HB), and accounts for ZJ and HB (`department` is CG's).
async fn three_departments(app: &mut TestApp) {
    app.store
        .upsert_departments(&[DepartmentRecord {
            code: "HB".into(),
            name: "生态环境局".into(),
        }])
        .await
        .unwrap();
    account(app, "zj", Role::Department, Scope::Department("ZJ".into())).await;
    account(app, "hb", Role::Department, Scope::Department("HB".into())).await;
}

/// The account `username` as the domain's actor and the timeline's label.
async fn actor(app: &TestApp, username: &str) -> (Actor, EventActor) {
    let a = app
        .store
        .account_by_username(username)
        .await
        .unwrap()
        .unwrap();
    (
        Actor::account(a.principal()),
        EventActor {
            account_id: Some(a.id),
            name: a.display_name.clone(),
        },
    )
}

/// Runs a command through the service layer at a chosen time.
async fn run_at(app: &TestApp, username: &str, id: i64, command: Command, now: i64) {
    let (who, label) = actor(app, username).await;
    service::run(&app.state, id, None, &who, &label, command, now)
        .await
        .unwrap_or_else(|e| panic!("{username} {id}: {}", e.body.message_en));
}

/// A resident's report at (lon, lat), filed at `now`; auto-dispatched by the rules.
async fn report_at(app: &TestApp, lon: f64, lat: f64, now: i64) -> i64 {
    let (who, label) = actor(app, "resident").await;
    let filed = service::file(
        &app.state,
        &who,
        &label,
        Report {
            category: "E0102".into(),
            lon: Some(lon),
            lat: Some(lat),
            address: "养育巷12号".into(),
            description: "违建占道，垃圾堆积".into(),
            ..Default::default()
        },
        now,
    )
    .await
    .unwrap_or_else(|e| panic!("report: {}", e.body.message_en));
    filed.case.id
}

fn blow(departments: &[&str]) -> Command {
    Command::BlowWhistle {
        departments: departments.iter().map(|d| Summons::code(d)).collect(),
        reason: "违建占道，需城管、住建、环保联合执法".into(),
        lon: LON,
        lat: LAT,
        address: "养育巷12号门前".into(),
        urgent: true,
    }
}

fn notification_kinds(inbox: &Value, case_id: i64) -> Vec<String> {
    inbox["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["case_id"] == case_id)
        .map(|n| n["kind"].as_str().unwrap().to_string())
        .collect()
}

fn num(c: &Data) -> f64 {
    match c {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

fn text(c: &Data) -> String {
    match c {
        Data::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[tokio::test]
async fn whistle_three_departments_one_late_one_leaving_early_closure_gate_and_scorecard() {
    for backend in backends() {
        let mut app = spawn_app(backend).await;
        three_departments(&mut app).await;
        // A webhook subscribed to summonses (deliveries queue; no worker runs in tests).
        let (s, hook) = post(
            &app,
            "admin",
            "/api/v1/webhooks",
            json!({"name": "报到通知", "url": "http://127.0.0.1:9/hook", "format": "signed",
                   "secret": "0123456789abcdef0123", "events": ["summoned", "overdue"]}),
        )
        .await;
        assert_eq!(s, 201, "{hook}");

        // An hour ago: the case is reported (dispatched to 城管 by the rules); five minutes later
        // the street blows an urgent whistle on 城管, 住建, 环保 — check in within 30 minutes.
        let real = now_millis();
        let t0 = real - 60 * MIN;
        let id = report_at(&app, LON, LAT, t0).await;
        run_at(&app, "street", id, blow(&["CG", "ZJ", "HB"]), t0 + 5 * MIN).await;
        // 城管 and 环保 acknowledge and check in on site after ten minutes.
        for (user, dept) in [("department", "CG"), ("hb", "HB")] {
            let ack = Command::AcknowledgeWhistle {
                department: dept.into(),
                officer: format!("{dept}队长"),
            };
            run_at(&app, user, id, ack, t0 + 15 * MIN).await;
            let arrive = Command::ArriveWhistle {
                department: dept.into(),
                lon: LON,
                lat: LAT + 0.0002,
            };
            run_at(&app, user, id, arrive, t0 + 15 * MIN).await;
        }
        // The check-in clock: 住建 is reminded at 80% of the window, then the deadline passes
        // and the street is alerted.
        let st = &app.state;
        assert_eq!(
            gongzhi_server::cases::jobs::deadline_tick(st, t0 + 30 * MIN)
                .await
                .unwrap(),
            1,
            "{backend:?}: the reminder"
        );
        assert_eq!(
            gongzhi_server::cases::jobs::deadline_tick(st, real)
                .await
                .unwrap(),
            1,
            "the overdue alert"
        );
        assert_eq!(
            gongzhi_server::cases::jobs::deadline_tick(st, real)
                .await
                .unwrap(),
            0,
            "nothing twice"
        );
        let zj_inbox = get(&app, "zj", "/api/v1/inbox").await;
        assert_eq!(
            notification_kinds(&zj_inbox, id),
            ["check_in_reminder", "summoned"]
        );
        let hb_inbox = get(&app, "hb", "/api/v1/inbox").await;
        assert_eq!(notification_kinds(&hb_inbox, id), ["summoned"]);
        let street_inbox = get(&app, "street", "/api/v1/inbox").await;
        let alert = street_inbox["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["kind"] == "check_in_overdue")
            .expect("the street is alerted");
        assert!(
            alert["message"]
                .as_str()
                .unwrap()
                .contains("住建局 报到超时"),
            "{alert}"
        );
        let deliveries = get(
            &app,
            "admin",
            &format!("/api/v1/webhooks/{}/deliveries", hook["id"]),
        )
        .await;
        let events: Vec<&str> = deliveries
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["event"].as_str().unwrap())
            .collect();
        // Three summonses, the reminder and the overdue alert.
        assert_eq!(events.iter().filter(|e| **e == "summoned").count(), 4);
        assert_eq!(events.iter().filter(|e| **e == "overdue").count(), 1);

        // 住建 tries to leave before it has even come: reporting its part done is refused, and
        // no department closes a case.
        let finish = |dept: &str, note: &str| json!({"command": "finish_whistle_part", "department": dept, "note": note});
        let (s, e) = cmd(&app, "zj", id, finish("ZJ", "已处理")).await;
        assert_eq!(s, 409, "{e}");
        assert_eq!(e["error"]["code"], "not_arrived");
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("事不完，人不走")
        );
        let (s, e) = cmd(&app, "zj", id, json!({"command": "close"})).await;
        assert_eq!(s, 403, "{e}");
        // A department acts only for itself.
        let (s, _) = cmd(
            &app,
            "hb",
            id,
            json!({"command": "acknowledge_whistle", "department": "ZJ"}),
        )
        .await;
        assert_eq!(s, 403);
        // 住建 checks in late; an arrival 1 km away is refused.
        let arrive = |lat: f64| json!({"command": "arrive_whistle", "department": "ZJ", "lon": LON, "lat": lat});
        let (s, e) = cmd(&app, "zj", id, arrive(LAT)).await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (409, Some("not_acknowledged"))
        );
        let v = ok(
            &app,
            "zj",
            id,
            json!({"command": "acknowledge_whistle", "department": "ZJ"}),
        )
        .await;
        let zj = |v: &Value| {
            v["whistles"][0]["parts"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["department"] == "ZJ")
                .unwrap()
                .clone()
        };
        assert_eq!(zj(&v)["acknowledged_late"], true);
        // Without an officer named, the signed-in person answers for the department.
        assert_eq!(zj(&v)["officer"], "测试zj");
        let (s, e) = cmd(&app, "zj", id, arrive(LAT + 0.01)).await;
        assert_eq!(s, 409, "{e}");
        assert_eq!(e["error"]["code"], "too_far_from_meeting_place");
        let v = ok(&app, "zj", id, arrive(LAT + 0.0001)).await;
        assert_eq!(zj(&v)["arrived_late"], true);
        assert_eq!(zj(&v)["late"], true);
        assert_eq!(zj(&v)["distance_m"], 11);

        // 城管, the case's handler, reports back; the closure gate holds verification and
        // closing while any summoned part is open, naming the departments.
        ok(
            &app,
            "department",
            id,
            json!({"command": "report_back", "note": "已清理"}),
        )
        .await;
        let (s, e) = cmd(
            &app,
            "street",
            id,
            json!({"command": "verify", "passed": true, "note": ""}),
        )
        .await;
        assert_eq!(s, 409, "{e}");
        assert_eq!(e["error"]["code"], "whistle_parts_open");
        assert_eq!(
            e["error"]["message"],
            "已反馈的案件暂不能核查：事不完，人不走——城管局（CG）、住建局（ZJ）、生态环境局（HB）承担的报到事项尚未办结"
        );
        ok(&app, "department", id, finish("CG", "拆除违建")).await;
        ok(&app, "hb", id, finish("HB", "清运渣土")).await;
        let (s, e) = cmd(
            &app,
            "street",
            id,
            json!({"command": "verify", "passed": true, "note": ""}),
        )
        .await;
        assert_eq!(s, 409);
        assert_eq!(
            e["error"]["message_en"],
            "cannot verify a case that is reported back now: nobody leaves before the job is done, and the parts of these summoned departments are still open: 住建局 (ZJ)"
        );
        let (s, e) = cmd(&app, "street", id, json!({"command": "close"})).await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (409, Some("whistle_parts_open"))
        );
        // 住建 reports done too early; the street sends it back, and it finishes for real.
        ok(&app, "zj", id, finish("ZJ", "已处理")).await;
        let v = ok(
            &app,
            "street",
            id,
            json!({"command": "reopen_whistle_part", "department": "ZJ", "reason": "违建基础未拆除"}),
        )
        .await;
        assert_eq!(zj(&v)["state"], "on_site");
        let (s, _) = cmd(
            &app,
            "street",
            id,
            json!({"command": "verify", "passed": true, "note": ""}),
        )
        .await;
        assert_eq!(s, 409);
        ok(&app, "zj", id, finish("ZJ", "违建基础已拆除")).await;
        // Every part done: the case verifies and closes.
        ok(
            &app,
            "street",
            id,
            json!({"command": "verify", "passed": true, "note": "现场核实"}),
        )
        .await;
        let v = ok(&app, "street", id, json!({"command": "close"})).await;
        assert_eq!(v["state"], "closed");
        assert_eq!(v["whistles"][0]["open"], false);

        // Two-way evaluation: the street scores each department, each department the street.
        for (dept, s) in [("CG", 5), ("ZJ", 2), ("HB", 4)] {
            ok(
                &app,
                "street",
                id,
                json!({"command": "rate_whistle_department", "department": dept,
                       "response": s, "arrival": s, "cooperation": s, "result": s}),
            )
            .await;
        }
        let (s, e) = cmd(
            &app,
            "street",
            id,
            json!({"command": "rate_whistle_department", "department": "HB",
                   "response": 9, "arrival": 1, "cooperation": 1, "result": 1}),
        )
        .await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("response")));
        for (user, dept, s) in [("department", "CG", 5), ("zj", "ZJ", 3), ("hb", "HB", 4)] {
            ok(
                &app,
                user,
                id,
                json!({"command": "rate_whistle_coordination", "department": dept, "score": s}),
            )
            .await;
        }

        // The timeline shows the whistle's events in order, departments by name.
        let tl = get(&app, "street", &format!("/api/v1/cases/{id}/timeline")).await;
        let tl = tl.as_array().unwrap();
        let seqs: Vec<i64> = tl.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
        let whistle_events: Vec<(String, String)> = tl
            .iter()
            .filter(|e| {
                let k = e["kind"].as_str().unwrap();
                k.contains("whistle") || k.contains("check_in") || k == "department_summoned"
            })
            .map(|e| {
                (
                    e["kind"].as_str().unwrap().to_string(),
                    e["event"]["department"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        let expected: Vec<(&str, &str)> = vec![
            ("whistle_blown", ""),
            ("department_summoned", "CG"),
            ("department_summoned", "ZJ"),
            ("department_summoned", "HB"),
            ("check_in_acknowledged", "CG"),
            ("check_in_arrived", "CG"),
            ("check_in_acknowledged", "HB"),
            ("check_in_arrived", "HB"),
            ("check_in_reminded", "ZJ"),
            ("check_in_overdue", "ZJ"),
            ("check_in_acknowledged", "ZJ"),
            ("check_in_arrived", "ZJ"),
            ("whistle_part_done", "CG"),
            ("whistle_part_done", "HB"),
            ("whistle_part_done", "ZJ"),
            ("whistle_part_reopened", "ZJ"),
            ("whistle_part_done", "ZJ"),
            ("whistle_department_rated", "CG"),
            ("whistle_department_rated", "ZJ"),
            ("whistle_department_rated", "HB"),
            ("whistle_coordination_rated", "CG"),
            ("whistle_coordination_rated", "ZJ"),
            ("whistle_coordination_rated", "HB"),
        ];
        let got: Vec<(&str, &str)> = whistle_events
            .iter()
            .map(|(k, d)| (k.as_str(), d.as_str()))
            .collect();
        assert_eq!(got, expected, "{backend:?}");
        // Verified and closed only after the last part was done, before the ratings.
        let pos = |kind: &str| tl.iter().position(|e| e["kind"] == kind).unwrap();
        let last_done = tl
            .iter()
            .rposition(|e| e["kind"] == "whistle_part_done")
            .unwrap();
        assert!(last_done < pos("verified") && pos("verified") < pos("closed"));
        assert!(pos("closed") < pos("whistle_department_rated"));
        let summaries: Vec<&str> = tl.iter().map(|e| e["summary"].as_str().unwrap()).collect();
        assert!(
            summaries.contains(&"住建局 接哨（负责人 测试zj），已超过报到时限"),
            "{summaries:?}"
        );
        assert!(
            summaries
                .iter()
                .any(|s| s.starts_with("召集住建局（ZJ）报到，报到时限"))
        );
        assert!(summaries.contains(&"住建局 的报到事项被退回：违建基础未拆除"));

        // The month's ranking: 住建's late check-in and low scores, 城管 first.
        let month = {
            let d = date_of(t0 + 5 * MIN);
            format!("{:04}-{:02}", d.year(), d.month())
        };
        let r = get(
            &app,
            "street",
            &format!("/api/v1/whistles/rankings?month={month}"),
        )
        .await;
        let dept = |code: &str| {
            r["departments"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["department"] == code)
                .unwrap_or_else(|| panic!("{code} in {r}"))
                .clone()
        };
        let zj = dept("ZJ");
        assert_eq!(zj["summons"], 1);
        assert_eq!(zj["acknowledged_late"], 1);
        assert_eq!(zj["arrived_late"], 1);
        assert_eq!(zj["missed_deadline"], 1);
        assert_eq!(zj["late_check_ins"], 1);
        assert_eq!(zj["on_time_rate"], 0.0);
        assert_eq!(zj["reopened"], 1);
        assert_eq!(zj["scores"], json!([2.0, 2.0, 2.0, 2.0]));
        assert_eq!(zj["rating_share"], 40.0);
        // No resident follow-up yet: the score is rating and punctuality, 0.4·40% + 0.2·0 over 0.6.
        assert_eq!(zj["score"], 26.67);
        let cg = dept("CG");
        assert_eq!(
            (cg["late_check_ins"].as_u64(), cg["on_time_rate"].as_f64()),
            (Some(0), Some(100.0))
        );
        assert_eq!(cg["rating_share"], 100.0);
        assert_eq!(cg["rank"], 1);
        assert_eq!(dept("HB")["rank"], 2);
        assert_eq!(zj["rank"], 3);
        let street = &r["streets"][0];
        assert_eq!(street["street"], "320508019000");
        assert_eq!(street["coordination_rated"], 3);
        assert_eq!(street["coordination_mean"], 4.0);
        // Weights are the caller's: all on punctuality.
        let r2 = get(
            &app,
            "street",
            &format!("/api/v1/whistles/rankings?month={month}&w_loop=0&w_rating=0&w_punctuality=1"),
        )
        .await;
        assert_eq!(r2["departments"][2]["department"], "ZJ");
        assert_eq!(r2["departments"][2]["score"], 0.0);
        // The workbook says the same.
        let x = app
            .get_as(
                "street",
                &format!("/api/v1/whistles/rankings.xlsx?month={month}"),
            )
            .await;
        assert_eq!(x.status(), 200);
        let bytes = x.bytes().await.unwrap().to_vec();
        let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        assert_eq!(wb.sheet_names(), ["部门排名", "街乡统筹评价", "口径"]);
        let range = wb.worksheet_range("部门排名").unwrap();
        let grid: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        let head: Vec<String> = grid[0].iter().map(text).collect();
        let col = |name: &str| head.iter().position(|h| h == name).unwrap();
        let zj_row = grid.iter().find(|r| text(&r[2]) == "ZJ").unwrap();
        assert_eq!(text(&zj_row[1]), "住建局");
        assert_eq!(num(&zj_row[col("迟报到合计")]), 1.0);
        assert_eq!(num(&zj_row[col("响应")]), 2.0);
        assert_eq!(num(&zj_row[col("按时报到率")]), 0.0);

        // The pages: the board highlights the late check-in, the case shows the whistle.
        let page = app.get_as("street", "/whistles?show=all").await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(
            html.contains("<td>住建局</td>") && !html.contains("（ZJ）") && html.contains("迟报到"),
            "board"
        );
        let page = app.get_as("street", &format!("/cases/{id}")).await;
        let html = page.text().await.unwrap();
        assert!(
            html.contains("吹哨报到") && html.contains("生态环境局"),
            "case page"
        );
        let page = app.get_as("street", "/whistles/rankings").await;
        assert_eq!(page.status(), 200);
    }
}

#[tokio::test]
async fn whistle_boards_show_departments_their_own_summons_and_streets_their_own_whistles() {
    for backend in backends() {
        let mut app = spawn_app(backend).await;
        three_departments(&mut app).await;
        let pingjiang = AreaCode::parse("320508020000").unwrap();
        account(&mut app, "street2", Role::Street, Scope::Area(pingjiang)).await;
        let now = now_millis();
        // 金阊: one whistle on 城管 and 环保, one on 住建 alone.
        let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0004, GRID_ORIGINS[0].2 + 0.0004);
        let a = report_at(&app, lon, lat, now).await;
        let b = report_at(&app, lon + 0.0001, lat, now).await;
        // 平江: a whistle on 城管.
        let far = GRID_ORIGINS.iter().find(|g| g.0 == FAR_GRID).unwrap();
        let c = report_at(&app, far.1 + 0.0004, far.2 + 0.0004, now).await;
        let blow_http = |departments: Vec<&str>, lon: f64, lat: f64| {
            json!({"command": "blow_whistle", "departments": departments, "reason": "联合处置",
                   "lon": lon, "lat": lat, "urgent": false})
        };
        ok(&app, "street", a, blow_http(vec!["CG", "HB"], lon, lat)).await;
        ok(&app, "street", b, blow_http(vec!["ZJ"], lon, lat)).await;
        // A street cannot blow on another street's case; an unknown department is refused.
        let (s, _) = cmd(&app, "street", c, blow_http(vec!["CG"], far.1, far.2)).await;
        assert_eq!(s, 404, "another street's case is not even visible");
        let (s, e) = cmd(&app, "street2", c, blow_http(vec!["XX"], far.1, far.2)).await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (400, Some("departments"))
        );
        ok(&app, "street2", c, blow_http(vec!["CG"], far.1, far.2)).await;

        let cases_on = |board: &Value| -> Vec<i64> {
            let mut v: Vec<i64> = board
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["case_id"].as_i64().unwrap())
                .collect();
            v.sort();
            v
        };
        assert_eq!(
            cases_on(&get(&app, "department", "/api/v1/whistles").await),
            [a, c]
        );
        assert_eq!(cases_on(&get(&app, "hb", "/api/v1/whistles").await), [a]);
        assert_eq!(cases_on(&get(&app, "zj", "/api/v1/whistles").await), [b]);
        assert_eq!(
            cases_on(&get(&app, "street", "/api/v1/whistles").await),
            [a, b]
        );
        assert_eq!(
            cases_on(&get(&app, "street2", "/api/v1/whistles").await),
            [c]
        );
        assert_eq!(
            cases_on(&get(&app, "district", "/api/v1/whistles").await),
            [a, b, c]
        );
        // Asking for someone else's board is refused; grid workers and residents have none.
        let r = app.get_as("hb", "/api/v1/whistles?department=CG").await;
        assert_eq!(r.status(), 403);
        let r = app
            .get_as("street", "/api/v1/whistles?area=320508020000")
            .await;
        assert_eq!(r.status(), 403);
        for who in ["grid", "resident"] {
            assert_eq!(
                app.get_as(who, "/api/v1/whistles").await.status(),
                403,
                "{who}"
            );
        }
        // A summoned department sees the case; a department not summoned does not.
        assert_eq!(
            app.get_as("hb", &format!("/api/v1/cases/{a}"))
                .await
                .status(),
            200
        );
        assert_eq!(
            app.get_as("hb", &format!("/api/v1/cases/{b}"))
                .await
                .status(),
            404
        );
        // The board entry carries who has not checked in.
        let board = get(&app, "street", "/api/v1/whistles").await;
        let entry = board
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["case_id"] == a)
            .unwrap();
        assert_eq!(entry["whistle"]["waiting"], 2);
        assert_eq!(entry["whistle"]["parts"][0]["name"], "城管局");
        // Once 环保 has checked in and finished, its open board no longer lists the whistle,
        // while 城管's still does; the whole list keeps it.
        for c2 in [
            json!({"command": "acknowledge_whistle", "department": "HB", "officer": "王队"}),
            json!({"command": "arrive_whistle", "department": "HB", "lon": lon, "lat": lat}),
            json!({"command": "finish_whistle_part", "department": "HB", "note": "已完成"}),
        ] {
            ok(&app, "hb", a, c2).await;
        }
        assert!(cases_on(&get(&app, "hb", "/api/v1/whistles").await).is_empty());
        assert_eq!(
            cases_on(&get(&app, "hb", "/api/v1/whistles?show=all").await),
            [a]
        );
        assert_eq!(
            cases_on(&get(&app, "department", "/api/v1/whistles").await),
            [a, c]
        );
        // More departments join the open whistle later.
        let v = ok(
            &app,
            "street",
            b,
            json!({"command": "summon_departments", "departments": ["HB"]}),
        )
        .await;
        assert_eq!(v["whistles"][0]["parts"].as_array().unwrap().len(), 2);
        assert_eq!(cases_on(&get(&app, "hb", "/api/v1/whistles").await), [b]);
        // The department's board page, and its form: 环保 acknowledges from the board.
        let html = app.get_as("hb", "/whistles").await.text().await.unwrap();
        assert!(html.contains("本部门被召集的事项") && html.contains("接哨"));
        assert!(!html.contains("（HB）"), "the heading names the department");
        let form = app
            .client
            .post(app.url(&format!("/cases/{b}/whistle")))
            .bearer_auth(&app.tokens["hb"])
            .form(&[
                ("csrf", ""),
                ("return", "/whistles"),
                ("command", "acknowledge_whistle"),
                ("department", "HB"),
                ("officer", "王队"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(form.status(), 303);
        assert_eq!(
            form.headers()["location"],
            "/whistles?done=acknowledge_whistle"
        );
        let board = app
            .get_as("hb", "/whistles?done=acknowledge_whistle")
            .await
            .text()
            .await
            .unwrap();
        assert!(board.contains("已接哨。"), "the board confirms the action");
        let v = get(&app, "hb", &format!("/api/v1/cases/{b}")).await;
        let hb = v["whistles"][0]["parts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["department"] == "HB")
            .unwrap()
            .clone();
        assert_eq!(
            (hb["state"].as_str(), hb["officer"].as_str()),
            (Some("acknowledged"), Some("王队"))
        );
        // A refused form shows the case page with the domain's message.
        let form = app
            .client
            .post(app.url(&format!("/cases/{b}/whistle")))
            .bearer_auth(&app.tokens["hb"])
            .form(&[
                ("csrf", ""),
                ("command", "finish_whistle_part"),
                ("department", "HB"),
                ("note", "完成"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(form.status(), 409);
        assert!(form.text().await.unwrap().contains("事不完，人不走"));
    }
}

#[tokio::test]
async fn whistle_community_grants_and_cadres_sent_down() {
    for backend in backends() {
        let mut app = spawn_app(backend).await;
        three_departments(&mut app).await;
        let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0004, GRID_ORIGINS[0].2 + 0.0004);
        let id = report_at(&app, lon, lat, now_millis()).await;
        let blow_http = json!({"command": "blow_whistle", "departments": ["ZJ"], "reason": "楼道违建",
                               "lon": lon, "lat": lat, "address": "养育巷12号", "urgent": true});
        // The community needs its street's grant.
        let (s, e) = cmd(&app, "community", id, blow_http.clone()).await;
        assert_eq!(s, 403, "{e}");
        assert_eq!(e["error"]["message"], "街道未授权本社区吹哨，不能吹哨");
        // Only a street (or above) grants, and only inside its own area.
        let (s, _) = post(
            &app,
            "community",
            "/api/v1/whistles/grants",
            json!({"area": "320508019044", "granted": true}),
        )
        .await;
        assert_eq!(s, 403);
        let (s, _) = post(
            &app,
            "street",
            "/api/v1/whistles/grants",
            json!({"area": "320508020001", "granted": true}),
        )
        .await;
        assert_eq!(s, 403);
        let (s, grants) = post(
            &app,
            "street",
            "/api/v1/whistles/grants",
            json!({"area": "320508019044", "granted": true}),
        )
        .await;
        assert_eq!(s, 200, "{grants}");
        assert_eq!(grants[0]["name"], "养育巷社区");
        let v = ok(&app, "community", id, blow_http.clone()).await;
        assert_eq!(v["whistles"][0]["street"], "320508019000");
        let html = app
            .get_as("street", "/whistles")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("授权社区吹哨") && html.contains("养育巷社区") && html.contains("已授权")
        );
        // Withdrawn: the community can no longer summon more.
        let (s, _) = post(
            &app,
            "street",
            "/api/v1/whistles/grants",
            json!({"area": "320508019044", "granted": false}),
        )
        .await;
        assert_eq!(s, 200);
        let (s, _) = cmd(
            &app,
            "community",
            id,
            json!({"command": "summon_departments", "departments": ["HB"]}),
        )
        .await;
        assert_eq!(s, 403);

        // 干部下沉: the street records a law-enforcement officer sent by 城管; 城管 records its
        // own stationed cadre; each sees what it keeps.
        let (s, v) = post(
            &app,
            "street",
            "/api/v1/secondments",
            json!({"person": "李执法", "home_department": "CG", "host_area": "320508019000",
                   "kind": "law_enforcement", "start": "2026-01-01", "duty": "街面秩序"}),
        )
        .await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(v["kind"], "law_enforcement");
        let (s, v) = post(
            &app,
            "department",
            "/api/v1/secondments",
            json!({"person": "赵驻村", "home_department": "CG", "host_area": "320508020001",
                   "kind": "驻村（社区）干部", "start": "2026-03-01", "end": "2026-12-31"}),
        )
        .await;
        assert_eq!(s, 201, "{v}");
        let (s, e) = post(
            &app,
            "street",
            "/api/v1/secondments",
            json!({"person": "钱某", "home_department": "ZJ", "host_area": "320508019044",
                   "kind": "task_force", "start": "2026-05-01", "end": "2026-04-01"}),
        )
        .await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("end")));
        let (s, _) = post(
            &app,
            "zj",
            "/api/v1/secondments",
            json!({"person": "孙某", "home_department": "CG", "host_area": "320508019000", "kind": "task_force"}),
        )
        .await;
        assert_eq!(s, 403, "a department records only its own cadres");
        let names = |v: &Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|r| r["person"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(
            names(&get(&app, "street", "/api/v1/secondments").await),
            ["李执法"]
        );
        let mut cg = names(&get(&app, "department", "/api/v1/secondments").await);
        cg.sort();
        assert_eq!(cg, ["李执法", "赵驻村"]);
        assert!(names(&get(&app, "zj", "/api/v1/secondments").await).is_empty());
        assert_eq!(
            app.get_as("resident", "/api/v1/secondments").await.status(),
            403
        );

        // 在职党员到社区报到: 城管 registers its member with her residential community; she takes a
        // task and reports hours; only the community confirms them.
        let (s, ci) = post(
            &app,
            "department",
            "/api/v1/community-checkins",
            json!({"member": "周党员", "work_unit": "城管局", "department": "CG", "community": "320508019044"}),
        )
        .await;
        assert_eq!(s, 201, "{ci}");
        let ci_id = ci["id"].as_i64().unwrap();
        let (s, task) = post(
            &app,
            "department",
            &format!("/api/v1/community-checkins/{ci_id}/tasks"),
            json!({"title": "周末楼道清理志愿服务"}),
        )
        .await;
        assert_eq!(s, 201, "{task}");
        let task_id = task["id"].as_i64().unwrap();
        let (s, e) = post(
            &app,
            "community",
            &format!("/api/v1/community-tasks/{task_id}/confirm"),
            json!({}),
        )
        .await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (409, Some("task_not_completed"))
        );
        let (s, t) = post(
            &app,
            "department",
            &format!("/api/v1/community-tasks/{task_id}/complete"),
            json!({"hours": 2.5}),
        )
        .await;
        assert_eq!((s, t["minutes"].as_i64()), (200, Some(150)));
        let (s, _) = post(
            &app,
            "department",
            &format!("/api/v1/community-tasks/{task_id}/confirm"),
            json!({}),
        )
        .await;
        assert_eq!(s, 403, "the member's department does not confirm");
        let (s, t) = post(
            &app,
            "community",
            &format!("/api/v1/community-tasks/{task_id}/confirm"),
            json!({}),
        )
        .await;
        assert_eq!((s, t["state"].as_str()), (200, Some("confirmed")));
        let list = get(&app, "community", "/api/v1/community-checkins").await;
        assert_eq!(list[0]["confirmed_minutes"], 150);
        assert_eq!(list[0]["member"], "周党员");
        // Another street's staff see neither the member nor her tasks.
        account(
            &mut app,
            "street2",
            Role::Street,
            Scope::Area(AreaCode::parse("320508020000").unwrap()),
        )
        .await;
        assert!(
            get(&app, "street2", "/api/v1/community-checkins")
                .await
                .as_array()
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            app.get_as(
                "street2",
                &format!("/api/v1/community-checkins/{ci_id}/tasks")
            )
            .await
            .status(),
            404
        );
        let html = app
            .get_as("community", "/cadres")
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("周党员") && html.contains("社区已确认"));
    }
}
