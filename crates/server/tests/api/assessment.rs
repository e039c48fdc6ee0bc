//! Member assessment over HTTP on SQLite and PostgreSQL: the twelve-point ledger (running
//! balance, refusal below 0, of an unknown item and without evidence, year rollover, revoking,
//! photo evidence), the five-star computation, alerts on the list and the party organisation's
//! home page, rankings, scope, the export, the rule sets and the log.

use crate::app::{TestApp, spawn_app};
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::party::{OrgKind, OrgLevel};
use gongzhi_domain::population::Gender;
use gongzhi_store::now_millis;
use gongzhi_testkit::backends;
use serde_json::{Value, json};

fn area(s: &str) -> AreaCode {
    AreaCode::parse(s).unwrap()
}

fn today() -> Date {
    date_of(now_millis())
}

/// Two members in the party account's street (one organisation), one outside it.
async fn members(app: &TestApp) -> (i64, i64, i64) {
    let s = &app.store;
    let org = s
        .fixture_party_org(
            "养育巷社区党委",
            OrgLevel::Committee,
            OrgKind::Community,
            &area("320508019044"),
            None,
        )
        .await
        .unwrap();
    let far_org = s
        .fixture_party_org(
            "平江社区党委",
            OrgLevel::Committee,
            OrgKind::Community,
            &area("320508020001"),
            None,
        )
        .await
        .unwrap();
    let joined = Date::new(2001, 7, 1).unwrap();
    let a = s
        .fixture_party_member(
            "李红",
            Gender::Female,
            &area("320508019044"),
            Some(org),
            joined,
        )
        .await
        .unwrap();
    let b = s
        .fixture_party_member(
            "王建",
            Gender::Male,
            &area("320508019044"),
            Some(org),
            joined,
        )
        .await
        .unwrap();
    let far = s
        .fixture_party_member(
            "赵平",
            Gender::Male,
            &area("320508020001"),
            Some(far_org),
            joined,
        )
        .await
        .unwrap();
    (a, b, far)
}

async fn deduct(app: &TestApp, member: i64, body: Value) -> (u16, Value) {
    app.post_json_as(
        "party",
        &format!("/api/v1/assessments/members/{member}/deductions"),
        body,
    )
    .await
}

fn body(item: &str, on: Date) -> Value {
    json!({"item": item, "occurred_on": on.to_string(), "reason": "季度党员大会无故缺席", "note": "支部书记核实签到表"})
}

async fn ledger(app: &TestApp, member: i64, year: i32) -> Value {
    app.get_json_as(
        "party",
        &format!("/api/v1/assessments/members/{member}?year={year}"),
    )
    .await
}

async fn put_json(app: &TestApp, who: &str, path: &str, body: Value) -> (u16, Value) {
    let r = app
        .client
        .put(app.url(path))
        .bearer_auth(&app.tokens[who])
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}

#[tokio::test]
async fn twelve_points_a_year_with_running_balance_refusals_and_rollover() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (a, _, far) = members(&app).await;
        let day = today();
        let year = day.year();

        // 6 + 2 + 2 deducted: the running balance reads 6, 4, 2.
        for item in ["gambling", "missed_meeting", "late_dues"] {
            let (s, v) = deduct(&app, a, body(item, day)).await;
            assert_eq!(s, 201, "{backend:?} {item}: {v}");
        }
        let l = ledger(&app, a, year).await;
        let balances: Vec<i64> = l["deductions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["balance_after"].as_i64().unwrap())
            .collect();
        assert_eq!(balances, [6, 4, 2], "{backend:?}: {l}");
        assert_eq!(l["points_left"], 2);
        assert_eq!(l["alerts"], json!(["low_points"]));

        // Refused, and nothing changes: below 0, an unknown item, no evidence, a future date.
        let (s, v) = deduct(&app, a, body("public_morality", day)).await;
        assert_eq!((s, code(&v)), (409, "points_below_zero"), "{v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("仅剩 2 分"),
            "{v}"
        );
        let (s, v) = deduct(&app, a, body("jaywalking", day)).await;
        assert_eq!((s, code(&v)), (422, "unknown_deduction_item"), "{v}");
        assert_eq!(v["error"]["field"], "item");
        let (s, v) = deduct(
            &app,
            a,
            json!({"item": "missed_study", "occurred_on": day.to_string(), "reason": "未学习", "note": " "}),
        )
        .await;
        assert_eq!((s, code(&v)), (422, "evidence_required"), "{v}");
        let (s, v) = deduct(&app, a, body("missed_study", day.add_days(1))).await;
        assert_eq!((s, code(&v)), (422, "date_in_future"), "{v}");
        assert_eq!(ledger(&app, a, year).await["points_left"], 2);

        // Last year's failing counts in last year's ledger; the year before is closed.
        let last = Date::new(year - 1, 12, 31).unwrap();
        let (s, v) = deduct(&app, a, body("public_morality", last)).await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(v["year"], year - 1);
        assert_eq!(ledger(&app, a, year - 1).await["points_left"], 9);
        assert_eq!(ledger(&app, a, year).await["points_left"], 2);
        let old = Date::new(year - 2, 6, 1).unwrap();
        let (s, v) = deduct(&app, a, body("missed_study", old)).await;
        assert_eq!((s, code(&v)), (422, "year_closed"), "{v}");

        // A photo is evidence enough; it is served to those who may assess the member.
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDRtest".to_vec();
        let form = reqwest::multipart::Form::new()
            .text("item", "missed_study")
            .text("occurred_on", day.to_string())
            .text("reason", "未完成季度学习任务")
            .part(
                "photo",
                reqwest::multipart::Part::bytes(png.clone())
                    .file_name("a.png")
                    .mime_str("image/png")
                    .unwrap(),
            );
        let r = app
            .client
            .post(app.url(&format!("/api/v1/assessments/members/{a}/deductions")))
            .bearer_auth(&app.tokens["party"])
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{backend:?}");
        let d: Value = r.json().await.unwrap();
        let photo = d["photos"][0]["id"].as_i64().unwrap();
        let r = app
            .get_as("party", &format!("/api/v1/assessments/evidence/{photo}"))
            .await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.bytes().await.unwrap().to_vec(), png);
        assert_eq!(
            app.get_as("grid", &format!("/api/v1/assessments/evidence/{photo}"))
                .await
                .status(),
            404
        );
        assert_eq!(ledger(&app, a, year).await["points_left"], 1);

        // Revoking gives the points back, once; the ledger keeps the revoked line.
        let first = l["deductions"][0]["id"].as_i64().unwrap();
        let (s, v) = app
            .post_json_as(
                "party",
                &format!("/api/v1/assessments/deductions/{first}/revoke"),
                json!({"reason": "经核实系误记"}),
            )
            .await;
        assert_eq!(s, 200, "{v}");
        assert!(v["revoked_at"].is_i64());
        let l = ledger(&app, a, year).await;
        assert_eq!(l["points_left"], 7, "{l}");
        let balances: Vec<i64> = l["deductions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["balance_after"].as_i64().unwrap())
            .collect();
        assert_eq!(balances, [12, 10, 8, 7]);
        let (s, v) = app
            .post_json_as(
                "party",
                &format!("/api/v1/assessments/deductions/{first}/revoke"),
                json!({"reason": "再撤销"}),
            )
            .await;
        assert_eq!((s, code(&v)), (409, "already_revoked"));

        // Outside the party organisation's street: not found; a grid worker lists nothing.
        let (s, _) = deduct(&app, far, body("missed_study", day)).await;
        assert_eq!(s, 404);
        assert_eq!(
            app.get_as("party", &format!("/api/v1/assessments/members/{far}"))
                .await
                .status(),
            404
        );
        assert_eq!(
            app.get_as("grid", "/api/v1/assessments").await.status(),
            403
        );

        // Every write is on the log.
        let events = app
            .store
            .record_events(&format!("points_deduction/{first}"))
            .await
            .unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["deducted", "revoked"], "{backend:?}");
    }
}

#[tokio::test]
async fn stars_rankings_alerts_home_tile_and_export() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (a, b, far) = members(&app).await;
        let year = today().year();
        let rate = |member: i64, scores: Value| {
            let app = &app;
            async move {
                put_json(
                    app,
                    "party",
                    &format!("/api/v1/assessments/members/{member}/ratings/{year}"),
                    json!({"scores": scores, "note": "年度评议"}),
                )
                .await
            }
        };
        // 16 + 16 + 17.5 + 18 + 9 = 76.5 points: 3 stars.
        let (s, v) = rate(
            a,
            json!({"study": 8, "org_life": 8, "service": 7, "vanguard": 9, "discipline": 6}),
        )
        .await;
        assert_eq!(s, 200, "{backend:?}: {v}");
        assert_eq!(
            (v["stars"].as_i64(), v["score"].as_f64()),
            (Some(3), Some(76.5))
        );
        // 59.5 points: 1 star, flagged.
        let (s, v) = rate(
            b,
            json!({"study": 7, "org_life": 6, "service": 5, "vanguard": 6, "discipline": 6}),
        )
        .await;
        assert_eq!((s, v["stars"].as_i64()), (200, Some(1)), "{v}");
        // Re-rating replaces: 90 points is 5 stars exactly.
        let (_, v) = rate(
            a,
            json!({"study": 9, "org_life": 9, "service": 9, "vanguard": 9, "discipline": 9}),
        )
        .await;
        assert_eq!(
            (v["stars"].as_i64(), v["score"].as_f64()),
            (Some(5), Some(90.0))
        );
        // Refused: a missing dimension, a score above the maximum.
        let (s, v) = rate(a, json!({"study": 9})).await;
        assert_eq!((s, code(&v)), (422, "score_missing"), "{v}");
        let (s, v) = rate(
            a,
            json!({"study": 11, "org_life": 9, "service": 9, "vanguard": 9, "discipline": 9}),
        )
        .await;
        assert_eq!((s, code(&v)), (422, "score_above_max"), "{v}");
        let (s, _) = rate(far, json!({})).await;
        assert_eq!(s, 404);

        // The list ranks a (5 stars) before b (1 star) and flags b.
        let list = app
            .get_json_as("party", &format!("/api/v1/assessments?year={year}"))
            .await;
        let ids: Vec<i64> = list["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, [a, b], "{backend:?}: {list}");
        assert_eq!(list["members"][1]["alerts"], json!(["low_stars"]));
        let alerted = app
            .get_json_as("party", &format!("/api/v1/assessments?year={year}&alert=1"))
            .await;
        assert_eq!(alerted["members"].as_array().unwrap().len(), 1);
        let admin = app.get_json_as("admin", "/api/v1/assessments").await;
        assert_eq!(admin["members"].as_array().unwrap().len(), 3);
        let ranking = app
            .get_json_as("party", "/api/v1/assessments/rankings?by=community")
            .await;
        assert_eq!(ranking["groups"][0]["name"], "养育巷社区");
        assert_eq!(ranking["groups"][0]["alerted"], 1);

        // The party organisation's home page shows the alert as work.
        let work = app.get_json_as("party", "/api/v1/work").await;
        let tile = work["tiles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["key"] == "assessment_low_stars")
            .cloned()
            .unwrap_or_else(|| panic!("{work}"));
        assert_eq!(tile["count"], 1);
        assert_eq!(tile["alert"], true);
        let home = app.get_as("party", "/").await.text().await.unwrap();
        assert!(home.contains("五星考核星级预警"), "{backend:?}");
        let page = app
            .get_as("party", tile["href"].as_str().unwrap())
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("王建") && !page.contains("李红"),
            "{backend:?}"
        );

        // The export is the list as a workbook.
        let r = app
            .get_as(
                "party",
                &format!("/api/v1/assessments/export.xlsx?year={year}"),
            )
            .await;
        assert_eq!(r.status(), 200);
        let t = gongzhi_sheets::read_table(&r.bytes().await.unwrap()).unwrap();
        assert_eq!(t.headers[0], "名次");
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].get(1), "李红");
        assert_eq!(t.rows[0].get(9), "5星");

        // The member page renders its ledger and forms.
        let page = app
            .get_as("party", &format!("/assessment/members/{a}?year={year}"))
            .await;
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("rate-form"));
    }
}

#[tokio::test]
async fn rule_sets_are_the_citys_and_checked() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (a, _, _) = members(&app).await;
        let rules = app.get_json_as("party", "/api/v1/assessments/rules").await;
        assert_eq!(rules["points"]["rules"]["budget"], 12);
        let mut points = rules["points"]["rules"].clone();
        points["budget"] = json!(10);
        points["items"] = json!([{"code": "absent", "zh": "缺席", "en": "Absent", "points": 4}]);
        let (s, _) = put_json(
            &app,
            "party",
            "/api/v1/assessments/rules/points",
            points.clone(),
        )
        .await;
        assert_eq!(s, 403, "{backend:?}");
        let (s, v) = put_json(&app, "admin", "/api/v1/assessments/rules/points", points).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["points"]["rules"]["budget"], 10);
        let mut bad = rules["stars"]["rules"].clone();
        bad["thresholds"] = json!([90, 80, 70, 60]);
        let (s, v) = put_json(&app, "admin", "/api/v1/assessments/rules/stars", bad).await;
        assert_eq!((s, code(&v)), (422, "rules_thresholds"), "{v}");
        // Deductions follow the rules in force.
        let day = today();
        let (s, v) = deduct(&app, a, body("absent", day)).await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(ledger(&app, a, day.year()).await["points_left"], 6);
        let (s, v) = deduct(&app, a, body("gambling", day)).await;
        assert_eq!((s, code(&v)), (422, "unknown_deduction_item"), "{v}");
    }
}
