//! 红色网格 over HTTP on SQLite and PostgreSQL: grid roles and household links under the city's
//! bounds (an eleventh household refused with the maximum of 10 named, a warning below the
//! minimum of 5), coverage, and a visit that raises a case which then runs the closed loop.

use crate::app::{OTHER_GRID, OWN_GRID, TestApp, spawn_app};
use gongzhi_domain::access::{Role, Scope};
use gongzhi_domain::codes::GridCode;
use gongzhi_domain::population::HouseholdKind;
use gongzhi_store::records::HouseholdRecord;
use gongzhi_testkit::backends;
use serde_json::{Value, json};

/// Adds `n` households to the first building of `grid`; returns their ids.
async fn households(app: &TestApp, grid: &str, n: usize) -> Vec<i64> {
    let kind = HouseholdKind::parse("户籍").unwrap();
    let records: Vec<HouseholdRecord> = (0..n)
        .map(|i| HouseholdRecord {
            code: format!("{grid}-001-{}", 201 + i),
            building_code: format!("{grid}-001"),
            room: format!("{}", 201 + i),
            kind,
        })
        .collect();
    app.store.import_households(&records).await.unwrap();
    let mut ids = Vec::new();
    for r in &records {
        ids.push(app.household_id(&r.code).await);
    }
    ids
}

async fn account_id(app: &TestApp, username: &str) -> i64 {
    app.store
        .account_by_username(username)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A red grid member's account in OWN_GRID, given its role by the community: the role's id.
async fn red_member(app: &mut TestApp, username: &'static str) -> i64 {
    let grid = GridCode::parse(OWN_GRID).unwrap();
    app.add_account(username, Role::RedMember, Scope::Grid(grid), false)
        .await;
    let id = account_id(app, username).await;
    let (s, v) = app
        .post_json_as(
            "community",
            "/api/v1/red-grid/roles",
            json!({"grid": OWN_GRID, "role": "red_member", "account_id": id}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["kind"], "red_member");
    assert_eq!(v["person_name"], format!("测试{username}"));
    v["id"].as_i64().unwrap()
}

async fn link(app: &TestApp, role: i64, household: i64) -> (u16, Value) {
    app.post_json_as(
        "community",
        "/api/v1/red-grid/links",
        json!({"role_id": role, "household_id": household}),
    )
    .await
}

#[tokio::test]
async fn an_eleventh_household_is_refused_and_fewer_than_five_are_warned() {
    for backend in backends() {
        let mut app = spawn_app(backend).await;
        let ids = households(&app, OWN_GRID, 12).await;
        let role = red_member(&mut app, "red").await;
        for (i, h) in ids.iter().take(10).enumerate() {
            let (s, v) = link(&app, role, *h).await;
            assert_eq!(s, 201, "{backend:?} link {}: {v}", i + 1);
            if i < 4 {
                assert_eq!(v["warning"]["code"], "below_min_households", "{v}");
                let zh = v["warning"]["message"].as_str().unwrap();
                assert!(zh.contains(&format!("目前联系 {} 户", i + 1)), "{zh}");
                assert!(zh.contains("少于最少 5 户"), "{zh}");
            } else {
                assert!(v["warning"].is_null(), "{backend:?} link {}: {v}", i + 1);
            }
        }
        let (s, v) = link(&app, role, ids[10]).await;
        assert_eq!(s, 409, "{backend:?} {v}");
        assert_eq!(v["error"]["code"], "too_many_households");
        assert_eq!(v["error"]["field"], "household");
        let zh = v["error"]["message"].as_str().unwrap();
        let en = v["error"]["message_en"].as_str().unwrap();
        assert!(
            zh.contains("最多联系 10 户") && zh.contains("测试red"),
            "{zh}"
        );
        assert!(en.contains("at most 10 households"), "{en}");

        // The bound is the city's: lowered to 8 by the administrator, 9 is too many; a street
        // may not set it; bounds out of order are refused.
        let (s, _) = app
            .post_json_as(
                "street",
                "/api/v1/red-grid/settings",
                json!({"min_households": 3, "max_households": 8}),
            )
            .await;
        assert_eq!(s, 403);
        let (s, v) = app
            .post_json_as(
                "admin",
                "/api/v1/red-grid/settings",
                json!({"min_households": 9, "max_households": 8}),
            )
            .await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (422, Some("invalid_link_settings"))
        );
        let (s, _) = app
            .post_json_as(
                "admin",
                "/api/v1/red-grid/settings",
                json!({"min_households": 3, "max_households": 8}),
            )
            .await;
        assert_eq!(s, 200);
        let role2 = red_member(&mut app, "red2").await;
        let (s, v) = link(&app, role2, ids[0]).await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (409, Some("household_taken")),
            "{v}"
        );
        let (s, v) = link(&app, role2, ids[10]).await;
        assert_eq!(s, 201, "{v}");
        assert!(
            v["warning"]["message"]
                .as_str()
                .unwrap()
                .contains("少于最少 3 户")
        );

        // Coverage of the grid: 13 households (one from the shared seed), 11 served, the
        // first member above the lowered maximum, the second below the minimum.
        let c = app
            .get_json_as(
                "community",
                &format!("/api/v1/red-grid/coverage?grid={OWN_GRID}"),
            )
            .await;
        let g = &c["grids"][0];
        assert_eq!(g["grid"], OWN_GRID);
        assert_eq!(
            (g["households"].as_i64(), g["linked"].as_i64()),
            (Some(13), Some(11)),
            "{g}"
        );
        assert_eq!(g["unlinked"], 2);
        assert_eq!(
            (g["above_max"].as_i64(), g["below_min"].as_i64()),
            (Some(1), Some(1))
        );
        assert_eq!(g["percent"], 84.62);
        let community = app
            .get_json_as("community", "/api/v1/red-grid/coverage")
            .await;
        assert_eq!(community["communities"][0]["community"], "320508019044");
        assert_eq!(community["total"]["households"], 14, "{community}");
        let xlsx = app
            .get_as("community", "/api/v1/red-grid/coverage.xlsx")
            .await;
        assert_eq!(xlsx.status(), 200);
        let table = gongzhi_sheets::read_table(&xlsx.bytes().await.unwrap()).unwrap();
        assert_eq!(table.headers[0], "社区");
        assert!(
            table
                .rows
                .iter()
                .any(|r| r.get(0) == "合计" && r.get(5) == "3")
        );
        let layer = app
            .get_json_as("community", "/api/v1/red-grid/coverage.geojson")
            .await;
        assert_eq!(layer["features"].as_array().unwrap().len(), 2);
        assert_eq!(layer["features"][0]["properties"]["unlinked"], 2);
        // A red grid member sees its own households, not the coverage.
        assert_eq!(
            app.get_as("red", "/api/v1/red-grid/coverage")
                .await
                .status(),
            403
        );
        let mine = app.get_json_as("red", "/api/v1/red-grid/households").await;
        assert_eq!(mine.as_array().unwrap().len(), 10);

        // Every link is on the log, in the write's transaction; ending one leaves a warning.
        let links = app
            .get_json_as(
                "community",
                &format!("/api/v1/red-grid/links?grid={OWN_GRID}"),
            )
            .await;
        let first = links[0]["id"].as_i64().unwrap();
        let events = app
            .store
            .record_events(&format!("household_link/{first}"))
            .await
            .unwrap();
        assert_eq!(events.len(), 1);
        let (s, v) = app
            .post_json_as(
                "community",
                &format!("/api/v1/red-grid/links/{}/end", links[10]["id"]),
                json!({}),
            )
            .await;
        assert_eq!(s, 200, "{v}");
        assert!(v["link"]["ended_on"].is_string());
        assert_eq!(v["warning"]["code"], "below_min_households");
        // Outside its area a street manages nothing.
        let (s, _) = app
            .post_json_as(
                "community",
                "/api/v1/red-grid/roles",
                json!({"grid": crate::app::FAR_GRID, "role": "leader", "person_name": "王五"}),
            )
            .await;
        assert_eq!(s, 403);
        let (s, v) = app
            .post_json_as(
                "community",
                "/api/v1/red-grid/roles",
                json!({"grid": OWN_GRID, "role": "red_member", "person_name": "没有账号"}),
            )
            .await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (409, Some("account_required")),
            "{v}"
        );
    }
}

async fn cmd(app: &TestApp, who: &str, id: i64, body: Value) -> Value {
    let (s, v) = app
        .post_json_as(who, &format!("/api/v1/cases/{id}/commands"), body.clone())
        .await;
    assert_eq!(s, 200, "{who} {body}: {v}");
    v
}

#[tokio::test]
async fn a_visit_raises_a_case_that_runs_the_closed_loop() {
    for backend in backends() {
        let mut app = spawn_app(backend).await;
        let ids = households(&app, OWN_GRID, 2).await;
        let role = red_member(&mut app, "red").await;
        for h in &ids {
            assert_eq!(link(&app, role, *h).await.0, 201);
        }
        let other = households(&app, OTHER_GRID, 1).await[0];

        // One step: the visit is recorded and its case filed through intake.
        let (s, v) = app
            .post_json_as(
                "red",
                "/api/v1/red-grid/visits",
                json!({
                    "household_id": ids[0],
                    "purpose": "problem_solving",
                    "notes": "楼道里堆了旧家具，老人出入不便",
                    "raise_case": {"category": "E0102"}
                }),
            )
            .await;
        assert_eq!(s, 201, "{backend:?} {v}");
        assert!(v["case_error"].is_null(), "{v}");
        let case_id = v["case"]["id"].as_i64().unwrap();
        let ticket = v["case"]["ticket"].as_str().unwrap().to_string();
        assert_eq!(v["case"]["state"], "dispatched", "{v}");
        assert_eq!(v["visit"]["ticket"], ticket.as_str());
        assert_eq!(v["visit"]["purpose"], "problem_solving");
        let visit = v["visit"]["id"].as_i64().unwrap();

        // The case runs the closed loop like any other: handled, reported back, verified,
        // closed.
        let c = app
            .get_json_as("street", &format!("/api/v1/cases/{case_id}"))
            .await;
        assert_eq!(
            (c["channel"].as_str(), c["grid"].as_str()),
            (Some("visit"), Some(OWN_GRID))
        );
        assert!(c["description"].as_str().unwrap().contains("旧家具"), "{c}");
        cmd(&app, "department", case_id, json!({"command": "start"})).await;
        cmd(
            &app,
            "department",
            case_id,
            json!({"command": "report_back", "note": "已清理"}),
        )
        .await;
        cmd(
            &app,
            "street",
            case_id,
            json!({"command": "verify", "passed": true, "note": "现场核实"}),
        )
        .await;
        let closed = cmd(&app, "street", case_id, json!({"command": "close"})).await;
        assert_eq!(closed["state"], "closed", "{backend:?} {closed}");
        let tl = app
            .get_json_as("street", &format!("/api/v1/cases/{case_id}/timeline"))
            .await;
        let kinds: Vec<&str> = tl
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "reported",
                "registered",
                "dispatched",
                "started",
                "reported_back",
                "verified",
                "closed"
            ],
            "{backend:?}"
        );
        assert_eq!(tl[0]["actor"], "测试red");
        // The red grid member follows it as its reporter, and sees it closed on its visit.
        let own = app
            .get_json_as("red", &format!("/api/v1/cases/{case_id}"))
            .await;
        assert_eq!(own["state"], "closed");
        let diary = app.get_json_as("red", "/api/v1/red-grid/visits").await;
        assert_eq!(diary[0]["case_state"], "closed", "{diary}");

        // Once per visit; a visit without a case raises one later, with its own notes.
        let (s, v) = app
            .post_json_as(
                "red",
                &format!("/api/v1/red-grid/visits/{visit}/case"),
                json!({"category": "E0102"}),
            )
            .await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (409, Some("case_already_raised")),
            "{v}"
        );
        let (s, v) = app
            .post_json_as(
                "red",
                "/api/v1/red-grid/visits",
                json!({"household_id": ids[1], "purpose": "liaison", "notes": "屋顶漏水"}),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        assert!(v["case"].is_null());
        let later = v["visit"]["id"].as_i64().unwrap();
        let (s, v) = app
            .post_json_as(
                "red",
                &format!("/api/v1/red-grid/visits/{later}/case"),
                json!({"category": "E0102"}),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(v["visit"]["ticket"], v["case"]["ticket"]);

        // A bad category refuses the visit whole: nothing is written.
        let before = app
            .get_json_as("red", "/api/v1/red-grid/visits")
            .await
            .as_array()
            .unwrap()
            .len();
        let (s, _) = app
            .post_json_as(
                "red",
                "/api/v1/red-grid/visits",
                json!({"household_id": ids[1], "purpose": "liaison", "notes": "x", "raise_case": {"category": "NOPE"}}),
            )
            .await;
        assert!((400..500).contains(&s), "{s}");
        let after = app
            .get_json_as("red", "/api/v1/red-grid/visits")
            .await
            .as_array()
            .unwrap()
            .len();
        assert_eq!(before, after);

        // Only its own households: another grid's, or a household nobody links to it, is not
        // found; grid staff may visit any household of their grid.
        let (s, _) = app
            .post_json_as(
                "red",
                "/api/v1/red-grid/visits",
                json!({"household_id": other, "purpose": "liaison", "notes": "x"}),
            )
            .await;
        assert_eq!(s, 404);
        let (s, _) = app
            .post_json_as(
                "grid",
                "/api/v1/red-grid/visits",
                json!({"household_id": ids[1], "purpose": "policy_outreach", "notes": "宣传垃圾分类"}),
            )
            .await;
        assert_eq!(s, 201);

        // A mediation: parties kept masked, the resolved counted, the unsettled followed up.
        let (s, v) = app
            .post_json_as(
                "red",
                "/api/v1/red-grid/visits",
                json!({"household_id": ids[0], "purpose": "conflict_mediation", "notes": "邻里噪音纠纷"}),
            )
            .await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (422, Some("parties")),
            "{v}"
        );
        let (s, v) = app
            .post_json_as(
                "red",
                "/api/v1/red-grid/visits",
                json!({
                    "household_id": ids[0], "purpose": "conflict_mediation", "notes": "邻里噪音纠纷",
                    "mediation": {"parties": "张三、李四", "issue": "夜间装修噪音", "outcome": "partly_resolved"}
                }),
            )
            .await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (422, Some("follow_up_required")),
            "{v}"
        );
        let (s, v) = app
            .post_json_as(
                "red",
                "/api/v1/red-grid/visits",
                json!({
                    "household_id": ids[0], "purpose": "conflict_mediation", "notes": "邻里噪音纠纷",
                    "mediation": {"parties": "张三、李四", "issue": "夜间装修噪音", "outcome": "resolved"}
                }),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(v["mediation"]["parties"], "张*、李*");
        let m = app
            .get_json_as("community", "/api/v1/red-grid/mediations")
            .await;
        assert_eq!(m["resolved"], 1, "{m}");
        assert_eq!(m["mediations"][0]["parties"], "张*、李*");

        // Visits are on the log hashed: their notes never appear in clear.
        let events = app
            .store
            .record_events(&format!("visit/{visit}"))
            .await
            .unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["created", "case_raised"]);
        app.store.ledger_integrate_pending(1000).await.unwrap();
        let leaked = sqlx_entries_containing(&app, "旧家具").await;
        assert_eq!(
            leaked, 0,
            "{backend:?} a visit's notes are hashed on the log"
        );
    }
}

/// Ledger entries whose bytes contain `text`.
async fn sqlx_entries_containing(app: &TestApp, text: &str) -> usize {
    use sqlx::Row;
    let rows = sqlx::query("SELECT entry FROM ledger_entries WHERE case_id = 0")
        .fetch_all(app.store.pool())
        .await
        .unwrap();
    rows.iter()
        .filter(|r| {
            let stored: Vec<u8> = r.try_get("entry").unwrap();
            let bytes = gongzhi_store::ledger::packed::unpack(&stored).unwrap();
            String::from_utf8_lossy(&bytes).contains(text)
        })
        .count()
}
