//! 三会一课 and the five steps over HTTP, on SQLite and PostgreSQL: cadence warnings come and
//! go with the meetings recorded; a refused meeting names its field and changes nothing; each
//! compound's steps follow the data, and evidence alone never completes one.

use crate::app::{OWN_GRID, TestApp, spawn_app};
use gongzhi_testkit::backends;
use serde_json::{Value, json};
use sqlx::Row;

/// The rows the party organisation module keeps, written straight into the database: a
/// compound holding the own grid's building, a branch with a committee on it, three full
/// members and one probationary living there, and a branch elsewhere in the district.
struct Fixture {
    compound: i64,
    branch: i64,
    members: Vec<i64>,
    far_branch: i64,
}

async fn fixture(app: &TestApp) -> Fixture {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&app._db.url).await.unwrap();
    let id = |r: sqlx::any::AnyRow| r.try_get::<i64, _>("id").unwrap();
    let compound = id(sqlx::query(
        "INSERT INTO compounds (code, name, community_code, address, created_at)
         VALUES ('C001', '养育巷一号院', '320508019044', '测试路1号', 0) RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap());
    sqlx::query("UPDATE buildings SET compound_id = $1 WHERE code = $2")
        .bind(compound)
        .bind(format!("{OWN_GRID}-001"))
        .execute(&pool)
        .await
        .unwrap();
    let household = id(sqlx::query("SELECT id FROM households WHERE code = $1")
        .bind(format!("{OWN_GRID}-001-101"))
        .fetch_one(&pool)
        .await
        .unwrap());
    let org = |name: &'static str, area: &'static str, compound: Option<i64>| {
        let pool = pool.clone();
        async move {
            sqlx::query(
                "INSERT INTO party_orgs (name, level, kind, area_code, compound_id, has_committee, founded_on, created_at)
                 VALUES ($1, 'branch', 'compound', $2, $3, 1, '2025-01-01', 0) RETURNING id",
            )
            .bind(name)
            .bind(area)
            .bind(compound)
            .fetch_one(&pool)
            .await
            .unwrap()
            .try_get::<i64, _>("id")
            .unwrap()
        }
    };
    let branch = org("养育巷一号院党支部", "320508019044", Some(compound)).await;
    let far_branch = org("平江社区党支部", "320508020001", None).await;
    let mut members = Vec::new();
    for (i, status) in ["full", "full", "full", "probationary"].iter().enumerate() {
        members.push(id(sqlx::query(
            "INSERT INTO party_members (name, gender, status, joined_on, org_id, household_id, community_code, created_at)
             VALUES ($1, '女', $2, '2010-07-01', $3, $4, '320508019044', 0) RETURNING id",
        )
        .bind(format!("党员{i}"))
        .bind(*status)
        .bind(branch)
        .bind(household)
        .fetch_one(&pool)
        .await
        .unwrap()));
    }
    pool.close().await;
    Fixture {
        compound,
        branch,
        members,
        far_branch,
    }
}

fn warnings_of(cadence: &Value, org: i64) -> Vec<String> {
    cadence
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["org_id"] == org)
        .map(|o| {
            o["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w["message"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

async fn meetings_count(app: &TestApp) -> usize {
    app.get_json_as("community", "/api/v1/party/meetings")
        .await
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn cadence_warnings_follow_the_meetings_held() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let f = fixture(&app).await;
        let q = "/api/v1/party/cadence?since=2026-01-01&on=2026-03-15";
        let before = warnings_of(&app.get_json_as("community", q).await, f.branch);
        assert_eq!(
            before,
            [
                "2026年第1季度尚未召开党员大会",
                "2026年1月未召开委员会会议",
                "2026年2月未召开委员会会议",
                "2026年3月尚未召开委员会会议",
                "2026年第1季度尚未召开党课",
            ],
            "{backend:?}"
        );
        let (status, body) = app
            .post_json_as(
                "community",
                "/api/v1/party/meetings",
                json!({"org_id": f.branch, "kind": "committee", "held_on": "2026-01-12",
                       "topic": "研究本月工作", "attendees": [f.members[0], f.members[1]]}),
            )
            .await;
        assert_eq!(status, 201, "{backend:?} {body}");
        let (status, _) = app
            .post_json_as(
                "community",
                "/api/v1/party/meetings",
                json!({"org_id": f.branch, "kind": "members_assembly", "held_on": "2026-03-02",
                       "topic": "民主评议党员", "attended": 4}),
            )
            .await;
        assert_eq!(status, 201);
        let after = warnings_of(&app.get_json_as("community", q).await, f.branch);
        assert_eq!(
            after,
            [
                "2026年2月未召开委员会会议",
                "2026年3月尚未召开委员会会议",
                "2026年第1季度尚未召开党课",
            ],
            "{backend:?}"
        );
        let meetings = app.get_json_as("community", "/api/v1/party/meetings").await;
        assert_eq!(meetings[0]["kind"], "members_assembly");
        assert_eq!(
            (
                meetings[0]["expected"].as_i64(),
                meetings[0]["attended"].as_i64()
            ),
            (Some(4), Some(4))
        );
        assert_eq!(meetings[1]["attended"], 2);
        // Each meeting is on the log.
        let id = meetings[0]["id"].as_i64().unwrap();
        let events = app
            .store
            .record_events(&format!("party_meeting/{id}"))
            .await
            .unwrap();
        assert_eq!(events.len(), 1, "{backend:?}");
        // The home page counts the organisation as behind.
        let work = app.get_json_as("community", "/api/v1/work").await;
        let tile = work["tiles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["key"] == "meetings_missed")
            .cloned()
            .unwrap();
        assert!(tile["count"].as_i64().unwrap() >= 1, "{work}");
    }
}

#[tokio::test]
async fn a_refused_meeting_names_its_field_and_changes_nothing() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let f = fixture(&app).await;
        let base = json!({"org_id": f.branch, "kind": "committee", "held_on": "2026-02-02",
                          "topic": "研究工作", "attended": 3});
        let with = |k: &str, v: Value| {
            let mut b = base.clone();
            b[k] = v;
            b
        };
        let cases = [
            (with("kind", json!("group")), 400, "kind"),
            (with("kind", json!("茶话会")), 400, "kind"),
            (with("held_on", json!("2099-01-01")), 400, "held_on"),
            (with("held_on", json!("2024-06-01")), 400, "held_on"),
            (with("held_on", json!("2026-02-30")), 400, "held_on"),
            (with("topic", json!("  ")), 400, "topic"),
            (with("attended", json!(9)), 400, "attendees"),
            (with("attendees", json!([999_999])), 400, "attendees"),
        ];
        for (body, status, field) in cases {
            let (s, e) = app
                .post_json_as("community", "/api/v1/party/meetings", body.clone())
                .await;
            assert_eq!(s, status, "{backend:?} {body} {e}");
            assert_eq!(e["error"]["field"], field, "{body} {e}");
            assert!(!e["error"]["message"].as_str().unwrap().is_empty());
            assert!(!e["error"]["message_en"].as_str().unwrap().is_empty());
        }
        // Another street's organisation is not the community's to keep.
        let (s, _) = app
            .post_json_as(
                "community",
                "/api/v1/party/meetings",
                with("org_id", json!(f.far_branch)),
            )
            .await;
        assert_eq!(s, 403);
        let (s, _) = app
            .post_json_as(
                "community",
                "/api/v1/party/meetings",
                with("org_id", json!(123_456)),
            )
            .await;
        assert_eq!(s, 404);
        assert_eq!(meetings_count(&app).await, 0, "{backend:?}");
        // A grid worker keeps no party organisation at all.
        let r = app.get_as("grid", "/api/v1/party/meetings").await;
        assert_eq!(r.status(), 403);
    }
}

fn statuses(v: &Value) -> Vec<String> {
    v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn five_steps_follow_the_data_and_evidence_alone_completes_none() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let f = fixture(&app).await;
        let path = format!("/api/v1/five-steps/{}", f.compound);
        let v = app.get_json_as("community", &path).await;
        // Three full members found; a branch built on the compound; nothing else yet.
        assert_eq!(
            statuses(&v),
            ["done", "done", "not_started", "not_started", "not_started"],
            "{backend:?} {v}"
        );
        assert_eq!(v["steps"][0]["zh"], "找到党员 4 名（正式党员 3 名）");

        let today = gongzhi_domain::calendar::date_of(gongzhi_store::now_millis());
        let act = |kind: &str, days: i64| {
            json!({"kind": kind, "held_on": today.add_days(-days).to_string(),
                   "title": "活动", "participants": 20})
        };
        let post = |body: Value| {
            let app = &app;
            let path = format!("/api/v1/five-steps/{}/activities", f.compound);
            async move { app.post_json_as("community", &path, body).await }
        };
        // A joint meeting long ago starts the mechanism; a recent one keeps it alive.
        assert_eq!(post(act("joint_meeting", 200)).await.0, 201);
        let v = app.get_json_as("community", &path).await;
        assert_eq!(statuses(&v)[2], "in_progress");
        assert_eq!(post(act("joint_meeting", 10)).await.0, 201);
        for d in [5, 50, 100] {
            assert_eq!(post(act("service", d)).await.0, 201);
        }
        // A red grid member's visit to a household of the compound is a service too.
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&app._db.url).await.unwrap();
        sqlx::query(
            "INSERT INTO visits (household_id, grid_code, visitor_id, visitor_name, purpose, visited_on, notes, created_at)
             SELECT h.id, h.grid_code, a.id, '红色网格员', 'problem_solving', $1, '上门了解漏水情况', 0
             FROM households h, accounts a WHERE h.code = $2 AND a.username = 'grid'",
        )
        .bind(today.add_days(-20).to_string())
        .bind(format!("{OWN_GRID}-001-101"))
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
        // A service more than a year ago does not count.
        assert_eq!(post(act("culture", 400)).await.0, 201);
        let v = app.get_json_as("community", &path).await;
        assert_eq!(
            statuses(&v),
            ["done", "done", "done", "done", "not_started"],
            "{backend:?} {v}"
        );
        // Evidence moves the last step to in progress, never to done.
        let (s, _) = app
            .post_json_as(
                "community",
                &format!("/api/v1/five-steps/{}/evidence", f.compound),
                json!({"step": "cultivate", "note": "邻里节筹备方案"}),
            )
            .await;
        assert_eq!(s, 201);
        let v = app.get_json_as("community", &path).await;
        assert_eq!(statuses(&v)[4], "in_progress");
        assert_eq!(v["steps"][4]["evidence"], 1);
        // Refusals name the field and record nothing.
        let (s, e) =
            post(json!({"kind": "party", "held_on": today.to_string(), "title": "x"})).await;
        assert_eq!((s, e["error"]["field"].as_str()), (400, Some("kind")));
        let (s, e) = post(act("service", -3)).await;
        assert_eq!((s, e["error"]["field"].as_str()), (400, Some("held_on")));
        assert_eq!(v["activities"].as_array().unwrap().len(), 6);
        assert_eq!(v["steps"][3]["zh"], "近一年服务 4 次（目标 4 次）");
        // The board lists the compound, behind by one step.
        let board = app.get_json_as("street", "/api/v1/five-steps").await;
        let row = &board["compounds"][0];
        assert_eq!(
            (row["name"].as_str(), row["done"].as_i64()),
            (Some("养育巷一号院"), Some(4))
        );
        assert_eq!(row["community_name"], "养育巷社区");
        // The pages show names and the export is a workbook.
        for page in [
            "/five-steps",
            &format!("/five-steps/{}", f.compound),
            "/party/meetings",
        ] {
            let r = app.get_as("community", page).await;
            assert_eq!(r.status(), 200, "{page}");
            let html = r.text().await.unwrap();
            assert!(html.contains("养育巷一号院"), "{page}");
            assert!(!html.contains("not_started") || page == "/party/meetings");
        }
        let r = app.get_as("community", "/five-steps.xlsx").await;
        assert_eq!(r.status(), 200);
        assert!(r.bytes().await.unwrap().starts_with(b"PK"));
    }
}
