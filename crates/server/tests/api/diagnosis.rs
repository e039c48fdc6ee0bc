//! 诊断 over HTTP on SQLite and PostgreSQL: four reports of one category at one place make a
//! recurrence once a run is made ("run now"); the finding lists its cases with its evidence,
//! is seen by the street and the department holding it and not by the other street; acting on
//! it opens a supervision order and marks it (a second act is refused, nothing written); bad
//! input is refused naming its field; the settings are bounded.

use crate::app::{GRID_ORIGINS, TestApp, spawn_app};
use gongzhi_testkit::backends;
use serde_json::{Value, json};

async fn report(app: &TestApp, i: usize) -> i64 {
    // Within a few metres of one point inside the community's first grid.
    let (lon, lat) = (
        GRID_ORIGINS[0].1 + 0.0004 + i as f64 * 0.00001,
        GRID_ORIGINS[0].2 + 0.0004,
    );
    let (s, v) = app
        .post_json_as(
            "resident",
            "/api/v1/cases",
            json!({"category": "E0102", "lon": lon, "lat": lat, "address": "测试路1号",
                   "description": "楼下垃圾又没人清运"}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    v["case"]["id"].as_i64().unwrap()
}

async fn findings(app: &TestApp, who: &str, kind: &str) -> Vec<Value> {
    app.get_json_as(who, &format!("/api/v1/diagnosis/findings?kind={kind}"))
        .await["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("{who}: no list"))
        .clone()
}

#[tokio::test]
async fn a_recurrence_is_found_listed_by_scope_and_supervised_once() {
    for backend in backends() {
        let mut app = spawn_app(backend).await;
        let mut ids = Vec::new();
        for i in 0..4 {
            ids.push(report(&app, i).await);
        }
        // Only street, district and city staff run it.
        let (s, _) = app
            .post_json_as("department", "/api/v1/diagnosis/runs", json!({}))
            .await;
        assert_eq!(s, 403);
        let (s, run) = app
            .post_json_as("street", "/api/v1/diagnosis/runs", json!({}))
            .await;
        assert_eq!(s, 201, "{run}");
        assert_eq!(run["cases_read"], 4, "{backend:?} {run}");

        let found = findings(&app, "admin", "recurrence").await;
        assert_eq!(found.len(), 1, "{backend:?} {found:?}");
        let f = &found[0];
        let mut listed: Vec<i64> = f["case_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect();
        listed.sort_unstable();
        assert_eq!(listed, ids);
        assert_eq!(f["department"], "CG");
        assert!(f["summary"].as_str().unwrap().contains("4 次"), "{f}");
        assert!(f["title"].as_str().unwrap().contains("养育巷社区"), "{f}");
        // Four reports in a grid with no history are below the hotspot test's minimum (5).
        assert!(findings(&app, "admin", "hotspot").await.is_empty());

        // Scope: the street and the department holding it see it; the other street does not.
        assert_eq!(findings(&app, "street", "recurrence").await.len(), 1);
        assert_eq!(findings(&app, "department", "recurrence").await.len(), 1);
        app.add_account(
            "other-street",
            gongzhi_domain::access::Role::Street,
            gongzhi_domain::access::Scope::Area(
                gongzhi_domain::codes::AreaCode::parse("320508020000").unwrap(),
            ),
            false,
        )
        .await;
        assert!(
            findings(&app, "other-street", "recurrence")
                .await
                .is_empty()
        );
        let id = f["id"].as_i64().unwrap();
        let r = app
            .get_as("other-street", &format!("/api/v1/diagnosis/findings/{id}"))
            .await;
        assert_eq!(r.status(), 404);
        assert_eq!(
            app.get_as("resident", "/api/v1/diagnosis/findings")
                .await
                .status(),
            403
        );

        // The finding's page data: its cases, and what the caller may do.
        let d = app
            .get_json_as("street", &format!("/api/v1/diagnosis/findings/{id}"))
            .await;
        assert_eq!(d["cases"].as_array().unwrap().len(), 4, "{d}");
        assert_eq!(d["may_supervise"], true, "{d}");

        // Bad input: 400 naming the field, nothing written.
        let path = format!("/api/v1/diagnosis/findings/{id}/supervision");
        let (s, e) = app
            .post_json_as("street", &path, json!({"demand": " "}))
            .await;
        assert_eq!(s, 400, "{e}");
        assert_eq!(e["error"]["field"], "demand");
        let (s, e) = app
            .post_json_as(
                "admin",
                "/api/v1/diagnosis/settings",
                json!({"recurrence_min": 1}),
            )
            .await;
        assert_eq!(s, 400, "{e}");
        assert_eq!(e["error"]["field"], "recurrence_min");
        let settings = app.get_json_as("admin", "/api/v1/diagnosis/settings").await;
        assert_eq!(settings["recurrence_min"], 3);
        let list = app.get_json_as("admin", "/api/v1/supervisions?all=1").await;
        assert!(list["orders"].as_array().unwrap().is_empty());

        // Supervised: the order on the unit holding the newest case, the finding marked.
        let (s, o) = app
            .post_json_as(
                "street",
                &path,
                json!({"demand": "七日内彻底清运并建立长效机制"}),
            )
            .await;
        assert_eq!(s, 201, "{o}");
        let order = o["order_id"].as_i64().unwrap();
        let o = app
            .get_json_as("street", &format!("/api/v1/supervisions/{order}"))
            .await;
        assert_eq!(o["unit_code"], "CG", "{o}");
        assert!(
            o["demand"]
                .as_str()
                .unwrap()
                .starts_with("【诊断发现·重复发生】")
        );
        let d = app
            .get_json_as("street", &format!("/api/v1/diagnosis/findings/{id}"))
            .await;
        assert_eq!(d["acted_kind"], "supervision");
        assert_eq!(d["acted_ref"], order);
        assert_eq!(d["may_supervise"], false);
        // Once only: a second order or a case on it is refused, nothing written.
        let (s, _) = app
            .post_json_as("street", &path, json!({"demand": "再督办"}))
            .await;
        assert_eq!(s, 409);
        let (s, _) = app
            .post_json_as(
                "street",
                &format!("/api/v1/diagnosis/findings/{id}/case"),
                json!({"description": "交办"}),
            )
            .await;
        assert_eq!(s, 409);
        let list = app.get_json_as("admin", "/api/v1/supervisions?all=1").await;
        assert_eq!(list["orders"].as_array().unwrap().len(), 1);

        // The next run keeps it acted on and raises it no more.
        let (s, _) = app
            .post_json_as("admin", "/api/v1/diagnosis/runs", json!({}))
            .await;
        assert_eq!(s, 201);
        let again = findings(&app, "admin", "recurrence").await;
        assert_eq!(again.len(), 1);
        assert_eq!(again[0]["id"], id);
        // The page and the workbook.
        let page = app.get_as("street", "/diagnosis?kind=recurrence").await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(
            html.contains("养育巷社区") && html.contains("已督办"),
            "{html}"
        );
        let x = app
            .get_as("street", "/api/v1/diagnosis/findings.xlsx")
            .await;
        assert_eq!(x.status(), 200);
        assert!(x.bytes().await.unwrap().starts_with(b"PK"));
    }
}

#[tokio::test]
async fn a_case_opened_on_a_finding_is_assigned_from_above_and_marks_it() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        for i in 0..3 {
            report(&app, i).await;
        }
        let (s, _) = app
            .post_json_as("admin", "/api/v1/diagnosis/runs", json!({}))
            .await;
        assert_eq!(s, 201);
        let found = findings(&app, "admin", "recurrence").await;
        assert_eq!(found.len(), 1, "{found:?}");
        let id = found[0]["id"].as_i64().unwrap();
        let path = format!("/api/v1/diagnosis/findings/{id}/case");
        let (s, e) = app.post_json_as("admin", &path, json!({})).await;
        assert_eq!(s, 400, "{e}");
        assert_eq!(e["error"]["field"], "description");
        let (s, v) = app
            .post_json_as(
                "admin",
                &path,
                json!({"description": "同一地点反复发生，请彻底整治"}),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        let case_id = v["case_id"].as_i64().unwrap();
        let c = app
            .get_json_as("admin", &format!("/api/v1/cases/{case_id}"))
            .await;
        assert_eq!(c["channel"], "superior_assignment", "{c}");
        assert_eq!(c["department"], "CG", "{c}");
        assert_eq!(c["category"], "E0102");
        let d = app
            .get_json_as("admin", &format!("/api/v1/diagnosis/findings/{id}"))
            .await;
        assert_eq!(d["acted_kind"], "case");
        assert_eq!(d["acted_ref"], case_id);
        let (s, _) = app
            .post_json_as("admin", &path, json!({"description": "again"}))
            .await;
        assert_eq!(s, 409);
    }
}
