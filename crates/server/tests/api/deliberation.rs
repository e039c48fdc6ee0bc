//! 有事好商量 over HTTP on SQLite and PostgreSQL: residents' supports table a topic at the
//! community's threshold (no double counting, staff do not support, a lookup code supports
//! once); a vote whose quorum is not met does not pass; a passed motion's resolution files a
//! case that runs the closed loop, and the community's public results page shows it closed.

use crate::app::{OWN_GRID, TestApp, spawn_app};
use gongzhi_domain::access::{Role, Scope};
use gongzhi_domain::population::HouseholdKind;
use gongzhi_store::records::HouseholdRecord;
use gongzhi_testkit::backends;
use serde_json::{Value, json};

const COMMUNITY: &str = "320508019044";

/// Adds `n` households to the first building of OWN_GRID.
async fn more_households(app: &TestApp, n: usize) {
    let kind = HouseholdKind::parse("户籍").unwrap();
    let records: Vec<HouseholdRecord> = (0..n)
        .map(|i| HouseholdRecord {
            code: format!("{OWN_GRID}-001-{}", 301 + i),
            building_code: format!("{OWN_GRID}-001"),
            room: format!("{}", 301 + i),
            kind,
        })
        .collect();
    app.store.import_households(&records).await.unwrap();
}

async fn household_ids(app: &TestApp) -> Vec<i64> {
    let mut ids: Vec<i64> = app
        .store
        .household_ids_by_grid()
        .await
        .unwrap()
        .iter()
        .filter(|(g, _)| g.community().as_str() == COMMUNITY)
        .flat_map(|(_, h)| h.iter().map(|(id, _)| *id))
        .collect();
    ids.sort();
    ids
}

async fn post(app: &TestApp, who: &str, path: &str, body: Value) -> Value {
    let (s, v) = app.post_json_as(who, path, body.clone()).await;
    assert!((200..300).contains(&s), "{who} {path} {body}: {s} {v}");
    v
}

async fn raise(app: &TestApp, who: &str, title: &str) -> i64 {
    let v = post(
        app,
        who,
        "/api/v1/deliberation/topics",
        json!({"community": COMMUNITY, "category": "environment", "title": title,
               "description": "垃圾分类亭旁堆放的杂物长期无人清理，夏天异味很大"}),
    )
    .await;
    v["topic"]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn residents_supports_table_a_topic_at_the_threshold() {
    for backend in backends() {
        let mut app = spawn_app(backend).await;
        app.add_account("neighbour", Role::Resident, Scope::SelfOnly, false)
            .await;
        post(
            &app,
            "community",
            &format!("/api/v1/deliberation/communities/{COMMUNITY}/threshold"),
            json!({"support_threshold": 3}),
        )
        .await;
        let id = raise(&app, "resident", "清理垃圾分类亭杂物").await;
        let t = app
            .get_json_as("resident", &format!("/api/v1/deliberation/topics/{id}"))
            .await;
        assert_eq!(
            (t["status"].as_str(), t["raiser_kind"].as_str()),
            (Some("open"), Some("resident"))
        );
        assert_eq!(
            t["raiser_name"], "测*********",
            "the raiser's name is masked: {t}"
        );
        assert!(t.get("raised_by").is_none());

        let support = format!("/api/v1/deliberation/topics/{id}/support");
        let v = post(&app, "resident", &support, json!({})).await;
        assert_eq!(
            (v["supports"].as_u64(), v["tabled"].as_bool()),
            (Some(1), Some(false))
        );
        let (s, v) = app.post_json_as("resident", &support, json!({})).await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (409, Some("already_supported")),
            "{v}"
        );
        let (s, _) = app.post_json_as("community", &support, json!({})).await;
        assert_eq!(s, 403, "staff table topics, they do not support them");

        // A resident without an account raises a topic and gets a lookup code; with it they
        // support once; a made-up code supports nothing.
        let r = app
            .client
            .post(app.url("/api/v1/public/deliberation/topics"))
            .json(
                &json!({"community": COMMUNITY, "category": "parking", "title": "夜间停车难",
                          "description": "下班后小区里没有车位"}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let anon: Value = r.json().await.unwrap();
        let code = anon["lookup_code"].as_str().unwrap().to_string();
        let public = |body: Value| {
            let app = &app;
            async move {
                let r = app
                    .client
                    .post(app.url(&format!("/api/v1/public/deliberation/topics/{id}/support")))
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let s = r.status().as_u16();
                (s, r.json::<Value>().await.unwrap())
            }
        };
        let (s, v) = public(json!({"lookup_code": "2345-6789-ABCD-EFGH"})).await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (422, Some("lookup_code")),
            "{v}"
        );
        let (s, v) = public(json!({"lookup_code": code})).await;
        assert_eq!(
            (s, v["supports"].as_u64(), v["tabled"].as_bool()),
            (200, Some(2), Some(false)),
            "{v}"
        );
        let (s, v) = public(json!({"lookup_code": code})).await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (409, Some("already_supported"))
        );

        // The third support reaches the threshold: the topic is tabled with it.
        let v = post(&app, "neighbour", &support, json!({})).await;
        assert_eq!(
            (v["supports"].as_u64(), v["tabled"].as_bool()),
            (Some(3), Some(true)),
            "{backend:?}"
        );
        assert_eq!(v["topic"]["status"], "tabled");
        assert_eq!(v["topic"]["tabled_by"], "support");
        let kinds: Vec<String> = app
            .store
            .record_events(&format!("topic/{id}"))
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            kinds,
            ["raised", "supported", "supported", "supported", "tabled"]
        );

        // A resident lists the topics it raised; the community its own; a far street none of it.
        let mine = app
            .get_json_as("resident", "/api/v1/deliberation/topics")
            .await;
        assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
        let all = app
            .get_json_as("community", "/api/v1/deliberation/topics?status=tabled")
            .await;
        assert_eq!(all.as_array().unwrap().len(), 1);
        let r = app
            .get_as("community", "/api/v1/deliberation/topics.xlsx")
            .await;
        assert_eq!(r.status(), 200);

        // Bad input names the field; nothing is written.
        let (s, v) = app
            .post_json_as(
                "resident",
                "/api/v1/deliberation/topics",
                json!({"community": COMMUNITY, "category": "environment", "title": " ", "description": "x"}),
            )
            .await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (422, Some("title")),
            "{v}"
        );
        let (s, v) = app
            .post_json_as(
                "resident",
                "/api/v1/deliberation/topics",
                json!({"community": COMMUNITY, "category": "gossip", "title": "t", "description": "x"}),
            )
            .await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (422, Some("category")),
            "{v}"
        );
        let after = app
            .get_json_as("community", "/api/v1/deliberation/topics")
            .await;
        assert_eq!(
            after.as_array().unwrap().len(),
            2,
            "the resident's and the anonymous one"
        );
    }
}

async fn cmd(app: &TestApp, who: &str, id: i64, body: Value) -> Value {
    post(app, who, &format!("/api/v1/cases/{id}/commands"), body).await
}

#[tokio::test]
async fn a_vote_without_quorum_fails_and_a_passed_resolution_closes_its_case_in_public() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        more_households(&app, 4).await;
        let households = household_ids(&app).await;
        assert_eq!(households.len(), 6, "two in the seed, four added");
        let topic = raise(&app, "resident", "楼道堆物清理").await;
        post(
            &app,
            "community",
            &format!("/api/v1/deliberation/topics/{topic}/table"),
            json!({}),
        )
        .await;

        let today = gongzhi_domain::calendar::date_of(gongzhi_store::now_millis()).to_string();
        let (s, v) = app
            .post_json_as(
                "community",
                "/api/v1/deliberation/meetings",
                json!({"community": COMMUNITY, "kind": "temporary", "title": "楼道堆物议事会",
                       "held_on": today, "place": "社区议事厅", "invited": ["residents", "departments"],
                       "departments": []}),
            )
            .await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (422, Some("departments")),
            "{v}"
        );
        let v = post(
            &app,
            "community",
            "/api/v1/deliberation/meetings",
            json!({"community": COMMUNITY, "kind": "temporary", "title": "楼道堆物议事会",
                   "held_on": today, "place": "社区议事厅",
                   "invited": ["residents", "property_company", "departments"], "departments": ["CG"]}),
        )
        .await;
        let meeting = v["meeting"]["id"].as_i64().unwrap();
        let base = format!("/api/v1/deliberation/meetings/{meeting}");
        post(
            &app,
            "community",
            &format!("{base}/agenda"),
            json!({"topic_id": topic}),
        )
        .await;
        post(
            &app,
            "community",
            &format!("{base}/attendance"),
            json!({"party": "residents", "count": 18, "note": "1-3幢居民"}),
        )
        .await;
        let (s, v) = app
            .post_json_as(
                "community",
                &format!("{base}/attendance"),
                json!({"party": "owners_committee", "count": 2}),
            )
            .await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (422, Some("party_not_invited")),
            "{v}"
        );

        // Quorum 50% of six households: two vote, both in favour — it does not pass.
        let v = post(
            &app,
            "community",
            &format!("{base}/motions"),
            json!({"title": "楼道堆物限期自行清理", "topic_id": topic, "basis": "household", "quorum_pct": 50, "majority": "half"}),
        )
        .await;
        let short = v["id"].as_i64().unwrap();
        assert_eq!(v["tally"]["eligible"], 6, "{v}");
        for h in &households[..2] {
            post(
                &app,
                "community",
                &format!("/api/v1/deliberation/motions/{short}/votes"),
                json!({"household_id": h, "choice": "for"}),
            )
            .await;
        }
        let (s, v) = app
            .post_json_as(
                "community",
                &format!("/api/v1/deliberation/motions/{short}/votes"),
                json!({"household_id": households[0], "choice": "against"}),
            )
            .await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (409, Some("already_voted")),
            "{v}"
        );
        let v = post(
            &app,
            "community",
            &format!("/api/v1/deliberation/motions/{short}/close"),
            json!({}),
        )
        .await;
        assert_eq!(
            (
                v["status"].as_str(),
                v["result"]["quorum_met"].as_bool(),
                v["result"]["passed"].as_bool()
            ),
            (Some("failed"), Some(false), Some(false)),
            "{backend:?} {v}"
        );
        let (s, v) = app
            .post_json_as(
                "community",
                &format!("/api/v1/deliberation/motions/{short}/resolution"),
                json!({"title": "x"}),
            )
            .await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (409, Some("motion_not_passed")),
            "{v}"
        );

        // Four of six vote (three for, one against): passed; its resolution files a case.
        let v = post(
            &app,
            "community",
            &format!("{base}/motions"),
            json!({"title": "由城管牵头清理楼道堆物", "topic_id": topic}),
        )
        .await;
        let passed = v["id"].as_i64().unwrap();
        assert_eq!(
            (
                v["basis"].as_str(),
                v["quorum_pct"].as_i64(),
                v["majority"].as_str()
            ),
            (Some("household"), Some(50), Some("half")),
            "the city's defaults"
        );
        for (i, h) in households[..4].iter().enumerate() {
            let choice = if i < 3 { "for" } else { "against" };
            post(
                &app,
                "community",
                &format!("/api/v1/deliberation/motions/{passed}/votes"),
                json!({"household_id": h, "choice": choice}),
            )
            .await;
        }
        let v = post(
            &app,
            "community",
            &format!("/api/v1/deliberation/motions/{passed}/close"),
            json!({}),
        )
        .await;
        assert_eq!(v["status"], "passed", "{v}");
        let v = post(
            &app,
            "community",
            &format!("/api/v1/deliberation/motions/{passed}/resolution"),
            json!({"title": "清理楼道堆物"}),
        )
        .await;
        let resolution = v["id"].as_i64().unwrap();
        let v = post(
            &app,
            "community",
            &format!("/api/v1/deliberation/resolutions/{resolution}/items"),
            json!({"kind": "case", "description": "1幢楼道堆放旧家具，按决议清理", "category": "E0102"}),
        )
        .await;
        assert!(v["case_error"].is_null(), "{v}");
        let case_id = v["case"]["id"].as_i64().unwrap();
        assert_eq!(v["resolution"]["complete"], false);
        post(
            &app,
            "community",
            &format!("/api/v1/deliberation/resolutions/{resolution}/items"),
            json!({"kind": "task", "description": "物业公司张贴清理通知", "owner": "物业公司", "due_on": today}),
        )
        .await;
        post(
            &app,
            "community",
            &format!("{base}/minutes"),
            json!({"minutes": "到会18户，议定限期清理楼道堆物"}),
        )
        .await;
        let topic_now = app
            .get_json_as("community", &format!("/api/v1/deliberation/topics/{topic}"))
            .await;
        assert_eq!(topic_now["status"], "discussed");

        // The case runs the closed loop: handled by the department, verified, closed.
        let c = app
            .get_json_as("street", &format!("/api/v1/cases/{case_id}"))
            .await;
        assert_eq!(
            (c["channel"].as_str(), c["grid"].as_str()),
            (Some("deliberation"), Some(OWN_GRID)),
            "{c}"
        );
        let public = || {
            let app = &app;
            async move {
                let r = app
                    .client
                    .get(app.url(&format!("/api/v1/public/c/{COMMUNITY}/results")))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
                r.json::<Value>().await.unwrap()
            }
        };
        let before = public().await;
        assert_eq!(
            before["resolutions"][0]["items"][0]["state"], "in_progress",
            "{before}"
        );
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
        assert_eq!(closed["state"], "closed");
        post(
            &app,
            "community",
            &format!(
                "/api/v1/deliberation/items/{}/progress",
                v["item_id"].as_i64().unwrap() + 1
            ),
            json!({"progress": 100, "note": "已张贴"}),
        )
        .await;

        let after = public().await;
        let res = &after["resolutions"][0];
        assert_eq!(res["items"][0]["state"], "done", "{backend:?} {after}");
        assert_eq!(res["items"][0]["ticket"], closed["ticket"]);
        assert_eq!(res["complete"], true, "{after}");
        assert_eq!(after["items_done"], 2);
        let motions = after["motions"].as_array().unwrap();
        assert_eq!(motions.len(), 2);
        assert!(motions.iter().any(|m| m["passed"] == false
            && m["quorum_met"] == false
            && m["cast"] == 2
            && m["eligible"] == 6));
        assert_eq!(after["meetings"][0]["attendees"], 18);
        let text = after.to_string();
        assert!(
            !text.contains("测试resident"),
            "no names on the public page"
        );
        // The page itself, without an account, on a phone.
        let r = app
            .client
            .get(app.url(&format!("/c/{COMMUNITY}/results")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let html = r.text().await.unwrap();
        assert!(
            html.contains("清理楼道堆物") && html.contains("已办结"),
            "{html}"
        );
        assert!(html.contains(closed["ticket"].as_str().unwrap()));

        // Every record on the log.
        for subject in [
            format!("topic/{topic}"),
            format!("deliberation-meeting/{meeting}"),
            format!("motion/{passed}"),
            format!("resolution/{resolution}"),
        ] {
            assert!(
                !app.store.record_events(&subject).await.unwrap().is_empty(),
                "{subject}"
            );
        }
        let r = app
            .get_as("community", "/api/v1/deliberation/resolutions.xlsx")
            .await;
        assert_eq!(r.status(), 200);
        let r = app
            .get_as("community", "/api/v1/deliberation/meetings.xlsx")
            .await;
        assert_eq!(r.status(), 200);
        // The invited department sees the meeting; a resident lists no meetings.
        let dept = app
            .get_json_as("department", "/api/v1/deliberation/meetings")
            .await;
        assert_eq!(dept.as_array().unwrap().len(), 1);
        let r = app
            .get_as("resident", "/api/v1/deliberation/meetings")
            .await;
        assert_eq!(r.status(), 403);
    }
}
