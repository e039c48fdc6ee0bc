//! 七天督办 and "1234" 民生监督 over HTTP on SQLite and PostgreSQL: an order on a livelihood
//! project warns, goes overdue, gets its supervision notice and suggests accountability as the
//! clock job runs at chosen instants; only the answering unit answers and only the issuing side
//! closes; the board follows the policy; working and calendar days; a project's disclosure
//! appears on the community's public board; bad input is refused naming its field with nothing
//! written.

use crate::app::{TestApp, spawn_app};
use gongzhi_domain::calendar::{DAY_MS, Duration};
use gongzhi_server::supervision::jobs::tick;
use gongzhi_testkit::backends;
use serde_json::{Value, json};

async fn project(app: &TestApp, name: &str, department: Option<&str>) -> i64 {
    let (s, p) = app
        .post_json_as(
            "community",
            "/api/v1/livelihood/projects",
            json!({"name": name, "area": "320508019044", "department": department,
                   "budget": "1,000,000", "allocated": "600000.50", "disbursed": 200000,
                   "beneficiaries": 320, "progress": 40}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    assert_eq!(p["allocated_fen"], 60_000_050, "{p}");
    p["id"].as_i64().unwrap()
}

fn history_kinds(o: &Value) -> Vec<String> {
    o["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn an_order_warns_goes_overdue_and_suggests_accountability() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let cg = project(&app, "老旧小区加装电梯补助", Some("CG")).await;
        let own = project(&app, "社区食堂运营补贴", None).await;

        // Bad input: 422 naming the field, nothing written.
        for (body, field) in [
            (
                json!({"kind": "project", "subject_id": cg, "demand": "  "}),
                "demand",
            ),
            (
                json!({"kind": "通知", "subject_id": cg, "demand": "快办"}),
                "kind",
            ),
            (
                json!({"kind": "project", "subject_id": 999_999, "demand": "快办"}),
                "subject_id",
            ),
        ] {
            let (s, e) = app
                .post_json_as("supervisor", "/api/v1/supervisions", body)
                .await;
            assert_eq!((s, e["error"]["field"].as_str()), (422, Some(field)), "{e}");
        }
        // Neither the department nor a resident issues orders.
        for who in ["department", "resident"] {
            let (s, _) = app
                .post_json_as(
                    who,
                    "/api/v1/supervisions",
                    json!({"kind": "project", "subject_id": cg, "demand": "快办"}),
                )
                .await;
            assert_eq!(s, 403, "{who}");
        }
        let board = app.get_json_as("supervisor", "/api/v1/supervisions").await;
        assert_eq!(board["orders"].as_array().unwrap().len(), 0, "{board}");

        // The order's unit is the project's department.
        let (s, o) = app
            .post_json_as(
                "supervisor",
                "/api/v1/supervisions",
                json!({"kind": "project", "subject_id": cg, "demand": "十日内完成资金发放"}),
            )
            .await;
        assert_eq!(s, 201, "{o}");
        assert_eq!(
            (o["unit_kind"].as_str(), o["unit_code"].as_str()),
            (Some("department"), Some("CG"))
        );
        assert_eq!(o["unit_name"], "城管局", "{o}");
        assert_eq!(o["stage_now"], "issued");
        let id = o["id"].as_i64().unwrap();
        let path = format!("/api/v1/supervisions/{id}");
        let at = |k: &str| o[k].as_i64().unwrap();

        // The clock, driven: nothing before the reminder, then each stage at its instant.
        assert_eq!(tick(&app.state, at("warn_at") - 1).await.unwrap(), 0);
        assert_eq!(tick(&app.state, at("warn_at")).await.unwrap(), 1);
        let now = app.get_json_as("supervisor", &path).await;
        assert_eq!(now["stage"], "warned", "{now}");
        assert_eq!(tick(&app.state, at("due_at")).await.unwrap(), 1);
        assert_eq!(
            app.get_json_as("supervisor", &path).await["stage"],
            "overdue"
        );
        assert_eq!(tick(&app.state, at("notice_at")).await.unwrap(), 1);
        let noticed = app.get_json_as("department", &path).await;
        assert_eq!(noticed["stage"], "noticed");
        assert!(
            noticed["history"].as_array().unwrap().iter().any(|h| h["kind"] == "noticed"
                && h["note"].as_str().unwrap().contains("督办通知")),
            "{noticed}"
        );
        assert!(
            app.get_json_as("supervisor", "/api/v1/supervisions/suggestions")
                .await
                .as_array()
                .unwrap()
                .is_empty()
        );
        assert_eq!(tick(&app.state, at("suggest_at")).await.unwrap(), 1);
        assert_eq!(
            tick(&app.state, at("suggest_at") + DAY_MS).await.unwrap(),
            0
        );
        let done = app.get_json_as("supervisor", &path).await;
        assert_eq!(
            history_kinds(&done),
            ["issued", "warned", "overdue", "noticed", "suggested"]
        );
        let sugg = app
            .get_json_as("supervisor", "/api/v1/supervisions/suggestions")
            .await;
        assert_eq!(sugg.as_array().unwrap().len(), 1, "{sugg}");
        assert_eq!(
            (sugg[0]["order_id"].as_i64(), sugg[0]["unit_code"].as_str()),
            (Some(id), Some("CG"))
        );
        assert_eq!(sugg[0]["since"].as_i64(), Some(at("suggest_at")));
        let board = app
            .get_json_as("supervisor", "/api/v1/supervisions?stage=suggested")
            .await;
        assert_eq!(board["counts"]["suggested"], 1, "{board}");
        assert_eq!(board["orders"].as_array().unwrap().len(), 1);

        // Discipline supervision makes the suggestion a misconduct report (执行不力, through the
        // 督办逾期 channel) and the suggestion closes with it; the street, which issues orders
        // but does not investigate, may not; a closed suggestion is not made twice.
        let report = format!("/api/v1/supervisions/suggestions/{}/report", sugg[0]["id"]);
        let (s, _) = app.post_json_as("street", &report, json!({})).await;
        assert_eq!(s, 403, "{backend:?}");
        let (s, v) = app.post_json_as("supervisor", &report, json!({})).await;
        assert_eq!(s, 201, "{backend:?} {v}");
        let rid = v["report_id"].as_i64().unwrap();
        let r = app
            .get_json_as("supervisor", &format!("/api/v1/conduct/reports/{rid}"))
            .await;
        assert_eq!(
            (&r["channel"], &r["category"], &r["state"]),
            (
                &json!("supervision_overdue"),
                &json!("poor_execution"),
                &json!("received")
            ),
            "{r}"
        );
        let (s, _) = app.post_json_as("supervisor", &report, json!({})).await;
        assert_eq!(s, 404);
        let left = app
            .get_json_as("supervisor", "/api/v1/supervisions/suggestions")
            .await;
        assert_eq!(left.as_array().unwrap().len(), 0, "{left}");

        // Only the unit answers; only the issuing side closes.
        let (s, _) = app
            .post_json_as(
                "community",
                &format!("{path}/replies"),
                json!({"kind": "done", "note": "已办"}),
            )
            .await;
        assert_eq!(s, 403);
        let (s, e) = app
            .post_json_as(
                "department",
                &format!("{path}/replies"),
                json!({"kind": "done", "note": " "}),
            )
            .await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("result")),
            "{e}"
        );
        let (s, r) = app
            .post_json_as(
                "department",
                &format!("{path}/replies"),
                json!({"kind": "done", "note": "资金已全部发放到户"}),
            )
            .await;
        assert_eq!((s, r["status"].as_str()), (200, Some("answered")), "{r}");
        let (s, _) = app
            .post_json_as(
                "department",
                &format!("{path}/review"),
                json!({"accept": true}),
            )
            .await;
        assert_eq!(s, 403);
        let (s, c) = app
            .post_json_as(
                "supervisor",
                &format!("{path}/review"),
                json!({"accept": true}),
            )
            .await;
        assert_eq!((s, c["status"].as_str()), (200, Some("closed")), "{c}");
        let (s, e) = app
            .post_json_as(
                "department",
                &format!("{path}/replies"),
                json!({"kind": "progress", "note": "再报"}),
            )
            .await;
        assert_eq!(s, 409, "{e}");

        // An order on the community's own project: the community answers; the department
        // does not even see it.
        let (s, o2) = app
            .post_json_as(
                "street",
                "/api/v1/supervisions",
                json!({"kind": "project", "subject_id": own, "demand": "核实补贴对象"}),
            )
            .await;
        assert_eq!(s, 201, "{o2}");
        assert_eq!(o2["unit_code"], "320508019044");
        let id2 = o2["id"].as_i64().unwrap();
        let r = app
            .get_as("department", &format!("/api/v1/supervisions/{id2}"))
            .await;
        assert_eq!(r.status(), 404);
        let dept_board = app
            .get_json_as("department", "/api/v1/supervisions?all=1")
            .await;
        let ids: Vec<i64> = dept_board["orders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, [id]);
        let (s, r) = app
            .post_json_as(
                "community",
                &format!("/api/v1/supervisions/{id2}/replies"),
                json!({"kind": "acknowledge"}),
            )
            .await;
        assert_eq!((s, r["acknowledged_at"].is_i64()), (200, true), "{r}");
        let mine = app
            .get_json_as("community", "/api/v1/supervisions?mine=1")
            .await;
        assert_eq!(mine["orders"].as_array().unwrap().len(), 1, "{mine}");
        // A resident lists no orders at all.
        assert_eq!(
            app.get_as("resident", "/api/v1/supervisions")
                .await
                .status(),
            403
        );
        // The board's workbook and pages.
        let x = app
            .get_as("supervisor", "/api/v1/supervisions.xlsx?all=1")
            .await;
        assert_eq!(x.status(), 200);
        let html = app
            .get_as("community", &format!("/supervision/{id2}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("reply-form") && html.contains("核实补贴对象"),
            "{html}"
        );
        let html = app
            .get_as("supervisor", "/supervision")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("社区食堂运营补贴") && !html.contains(">project<"),
            "{html}"
        );
    }
}

#[tokio::test]
async fn the_clock_counts_working_or_calendar_days_as_the_city_sets() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let p = project(&app, "困难家庭临时救助", Some("CG")).await;
        let issue = || async {
            let (s, o) = app
                .post_json_as(
                    "supervisor",
                    "/api/v1/supervisions",
                    json!({"kind": "project", "subject_id": p, "demand": "按期发放"}),
                )
                .await;
            assert_eq!(s, 201, "{o}");
            o
        };
        // Bad settings are refused naming the field; only the city-wide issuer sets them.
        let (s, e) = app
            .post_json_as("supervisor", "/api/v1/supervisions/settings",
                json!({"days": 0, "working": true, "warn_days": 0, "notice_after_days": 1, "suggest_after_days": 3}))
            .await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("days")),
            "{e}"
        );
        let (s, _) = app
            .post_json_as("inspector", "/api/v1/supervisions/settings",
                json!({"days": 5, "working": false, "warn_days": 1, "notice_after_days": 1, "suggest_after_days": 3}))
            .await;
        assert_eq!(s, 403);

        let working = issue().await;
        let cal = app
            .state
            .loop_cfg
            .fresh(&app.state.store)
            .await
            .unwrap()
            .calendar
            .clone();
        let issued = working["issued_at"].as_i64().unwrap();
        assert_eq!(
            working["due_at"].as_i64().unwrap(),
            cal.add(issued, Duration::WorkingDays(7))
        );
        assert_eq!(
            working["warn_at"].as_i64().unwrap(),
            cal.add(issued, Duration::WorkingDays(5))
        );

        let (s, _) = app
            .post_json_as("supervisor", "/api/v1/supervisions/settings",
                json!({"days": 7, "working": false, "warn_days": 2, "notice_after_days": 1, "suggest_after_days": 3}))
            .await;
        assert_eq!(s, 200);
        let natural = issue().await;
        let issued = natural["issued_at"].as_i64().unwrap();
        assert_eq!(natural["due_at"].as_i64().unwrap() - issued, 7 * DAY_MS);
        assert_eq!(
            natural["suggest_at"].as_i64().unwrap() - issued,
            10 * DAY_MS
        );
        assert!(!natural["working"].as_bool().unwrap());
        // The running order keeps its clock.
        let again = app
            .get_json_as(
                "supervisor",
                &format!("/api/v1/supervisions/{}", working["id"]),
            )
            .await;
        assert_eq!(again["due_at"], working["due_at"]);
    }
}

#[tokio::test]
async fn a_project_disclosure_appears_on_the_public_board() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        // Bad input: refused naming the field, nothing written.
        for (body, field) in [
            (
                json!({"name": "x", "area": "320508019044", "budget": "100", "allocated": "200"}),
                "allocated",
            ),
            (
                json!({"name": "x", "area": "320508019044", "budget": "一百"}),
                "budget",
            ),
            (
                json!({"name": " ", "area": "320508019044", "budget": "100"}),
                "name",
            ),
            (
                json!({"name": "x", "area": "320508019044", "budget": "100", "progress": 120}),
                "progress",
            ),
        ] {
            let (s, e) = app
                .post_json_as("community", "/api/v1/livelihood/projects", body)
                .await;
            assert_eq!((s, e["error"]["field"].as_str()), (422, Some(field)), "{e}");
        }
        assert!(
            app.get_json_as("community", "/api/v1/livelihood/projects")
                .await
                .as_array()
                .unwrap()
                .is_empty()
        );
        // Another area's staff may not keep this community's projects.
        let (s, _) = app
            .post_json_as(
                "department",
                "/api/v1/livelihood/projects",
                json!({"name": "越权", "area": "320508019044", "budget": "100"}),
            )
            .await;
        assert_eq!(s, 403);

        let id = project(&app, "高龄津贴发放", None).await;
        let base = format!("/api/v1/livelihood/projects/{id}");
        let (s, e) = app
            .post_json_as(
                "community",
                &format!("{base}/progress"),
                json!({"progress": 60, "disbursed": "700000", "note": "超拨"}),
            )
            .await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("disbursed")),
            "{e}"
        );
        let (s, d) = app
            .post_json_as(
                "community",
                &format!("{base}/progress"),
                json!({"progress": 60, "disbursed": "300000", "note": "第二批发放"}),
            )
            .await;
        assert_eq!((s, d["progress"].as_i64()), (201, Some(60)), "{d}");
        let (s, d) = app
            .post_json_as("community", &format!("{base}/inspections"),
                json!({"by_post": "街道纪工委委员", "findings": "两户信息未更新", "rectification": "required"}))
            .await;
        assert_eq!(
            (s, d["open_rectifications"].as_i64()),
            (201, Some(1)),
            "{d}"
        );
        let (s, d) = app
            .post_json_as("community", &format!("{base}/investigations"),
                json!({"matter": "冒领一户", "handling": "追回资金", "result": "已追回", "report_ref": 12}))
            .await;
        assert_eq!(
            (s, d["investigations"][0]["report_ref"].as_i64()),
            (201, Some(12)),
            "{d}"
        );

        let (s, e) = app
            .post_json_as(
                "community",
                &format!("{base}/disclosures"),
                json!({"kind": "party_affairs"}),
            )
            .await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("kind")),
            "{e}"
        );
        let (s, n) = app
            .post_json_as(
                "community",
                &format!("{base}/disclosures"),
                json!({"kind": "benefit_policy"}),
            )
            .await;
        assert_eq!(s, 201, "{n}");
        let notice = n["notice_id"].as_i64().unwrap();
        let board = reqwest::get(app.url("/c/320508019044/notices"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(board.contains("民生项目公开：高龄津贴发放"), "{board}");
        let page = reqwest::get(app.url(&format!("/c/320508019044/notices/{notice}")))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("3,000,000.00") || page.contains("300,000.00"),
            "{page}"
        );
        assert!(page.contains("320 人") && page.contains("60%"), "{page}");
        // The four databases' workbooks and the handbook.
        for x in [
            "projects",
            "responsibilities",
            "inspections",
            "investigations",
        ] {
            let r = app
                .get_as("community", &format!("/api/v1/livelihood/{x}.xlsx"))
                .await;
            assert_eq!(r.status(), 200, "{x}");
        }
        let (s, _) = app
            .post_json_as("community", "/api/v1/livelihood/responsibilities",
                json!({"area": "320508019044", "post": "民政专干", "policy_area": "高龄津贴", "duties": "审核发放对象"}))
            .await;
        assert_eq!(s, 201);
        let html = app
            .get_as("community", "/livelihood/handbook")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("高龄津贴") && html.contains("民政专干") && html.contains("box=petition"),
            "{html}"
        );
    }
}
