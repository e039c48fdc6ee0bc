//! The party organisation over HTTP, on SQLite and PostgreSQL: the tree and its rules (refusals
//! where impossible, size warnings where the text allows a transition), members and transfers,
//! 双找, compounds with their import and exports, units and coverage, and the pages.

use crate::app::{OWN_GRID, TestApp, resident, spawn_app};
use gongzhi_domain::population::PoliticalStatus;
use gongzhi_testkit::backends;
use serde_json::{Value, json};

const COMMUNITY: &str = "320508019044";

/// Five more residents of the first household, recorded as party members (4 full, 1
/// probationary), for 找党员 and for members with a residence.
async fn party_residents(app: &TestApp) {
    let rows: Vec<_> = (10..15)
        .map(|i| {
            let mut r = resident(i, &format!("{OWN_GRID}-001-101"));
            r.name = format!("党员{i}");
            r.political_status = PoliticalStatus::parse(if i == 14 {
                "中共预备党员"
            } else {
                "中共党员"
            })
            .unwrap();
            r
        })
        .collect();
    app.store.import_residents(&rows).await.unwrap();
}

fn org(name: &str, level: &str, kind: &str, parent: Option<i64>) -> Value {
    json!({
        "name": name, "level": level, "kind": kind, "parent": parent,
        "area": COMMUNITY, "founded_on": "2018-07-01",
        "grid": if kind == "grid" { Some(OWN_GRID) } else { None },
    })
}

fn member(name: &str, status: &str, org: i64) -> Value {
    json!({
        "name": name, "gender": "女", "status": status, "joined_on": "2010-07-01",
        "full_on": if status == "full" { Some("2011-07-01") } else { None },
        "org": org, "community": COMMUNITY,
    })
}

fn warnings(tree: &Value, id: i64) -> Vec<String> {
    tree.as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == id)
        .unwrap_or_else(|| panic!("org {id} in {tree}"))["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_tree_refuses_the_impossible_and_warns_where_the_rules_allow_a_transition() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (s, committee) = app
            .post_json_as(
                "party",
                "/api/v1/party/orgs",
                org("养育巷社区党委", "committee", "community", None),
            )
            .await;
        assert_eq!(s, 201, "{committee}");
        let committee = committee["id"].as_i64().unwrap();
        // A group without a branch above it, a branch under a branch: refused, named.
        let (s, e) = app
            .post_json_as(
                "party",
                "/api/v1/party/orgs",
                org("书画党小组", "group", "interest", Some(committee)),
            )
            .await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (409, Some("group_without_branch")),
            "{e}"
        );
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("党小组须设在党支部之下")
        );
        let (_, branch) = app
            .post_json_as(
                "party",
                "/api/v1/party/orgs",
                org("第一网格党支部", "branch", "grid", Some(committee)),
            )
            .await;
        let branch = branch["id"].as_i64().unwrap();
        let (s, e) = app
            .post_json_as(
                "party",
                "/api/v1/party/orgs",
                org("第二支部", "branch", "compound", Some(branch)),
            )
            .await;
        assert_eq!(s, 422, "a compound organisation names its compound: {e}");
        let (s, e) = app
            .post_json_as(
                "party",
                "/api/v1/party/orgs",
                org("第二支部", "branch", "interest", Some(branch)),
            )
            .await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (409, Some("parent_level")),
            "{e}"
        );
        // A cycle: the committee under its own branch … no: under a committee below it.
        let (_, sub) = app
            .post_json_as(
                "party",
                "/api/v1/party/orgs",
                org("联合党委", "committee", "community", Some(committee)),
            )
            .await;
        let sub = sub["id"].as_i64().unwrap();
        let r = app
            .client
            .put(app.url(&format!("/api/v1/party/orgs/{committee}")))
            .bearer_auth(&app.tokens["party"])
            .json(&org("养育巷社区党委", "committee", "community", Some(sub)))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 409);
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["error"]["code"], "org_cycle");

        // Size warnings follow the members: 2 full + 1 probationary → under three full.
        for (i, status) in ["full", "full", "probationary"].iter().enumerate() {
            let (s, m) = app
                .post_json_as(
                    "party",
                    "/api/v1/party/members",
                    member(&format!("成员{i}"), status, branch),
                )
                .await;
            assert_eq!(s, 201, "{m}");
        }
        let tree = app.get_json_as("party", "/api/v1/party/orgs").await;
        assert_eq!(
            warnings(&tree, branch),
            ["branch_under_minimum"],
            "{backend:?}"
        );
        for i in 3..7 {
            app.post_json_as(
                "party",
                "/api/v1/party/members",
                member(&format!("成员{i}"), "full", branch),
            )
            .await;
        }
        let tree = app.get_json_as("party", "/api/v1/party/orgs").await;
        assert_eq!(warnings(&tree, branch), ["branch_needs_committee"]);
        let node = tree
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == branch)
            .unwrap();
        assert_eq!(
            (
                node["size"]["full"].as_i64(),
                node["size"]["probationary"].as_i64()
            ),
            (Some(6), Some(1))
        );
        // The committee of fewer than 100 members carries its warning too.
        assert_eq!(warnings(&tree, committee), ["committee_under_size"]);

        // Scope: a grid worker lists nothing; another street's party account cannot write here.
        assert_eq!(app.get_as("grid", "/api/v1/party/orgs").await.status(), 403);
        assert_eq!(
            app.get_as("department", "/api/v1/party/orgs")
                .await
                .status(),
            403
        );
        let community_tree = app.get_json_as("community", "/api/v1/party/orgs").await;
        assert!(
            community_tree
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["id"] == branch)
        );

        // Every change is on the log.
        let kinds: Vec<String> = app
            .store
            .record_events(&format!("party_org/{branch}"))
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(kinds, ["created"]);
    }
}

#[tokio::test]
async fn members_transfer_become_full_and_join_their_check_ins() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (_, a) = app
            .post_json_as(
                "community",
                "/api/v1/party/orgs",
                org("第一网格党支部", "branch", "grid", None),
            )
            .await;
        let a = a["id"].as_i64().unwrap();
        let (_, b) = app
            .post_json_as(
                "community",
                "/api/v1/party/orgs",
                org("书画兴趣党支部", "branch", "interest", None),
            )
            .await;
        let b = b["id"].as_i64().unwrap();
        let mut body = member("王芳", "probationary", a);
        body["workplace"] = json!("城管局");
        body["phone"] = json!("13912345678");
        let (s, m) = app
            .post_json_as("community", "/api/v1/party/members", body)
            .await;
        assert_eq!(s, 201, "{m}");
        let id = m["id"].as_i64().unwrap();
        assert_eq!(m["phone"], Value::Null, "the phone is never in a listing");
        assert_eq!(m["has_phone"], true);
        let (s, e) = app
            .post_json_as("community", "/api/v1/party/members", json!({"name": "李", "gender": "男", "status": "full", "joined_on": "2010-01-01", "full_on": "2009-01-01", "community": COMMUNITY}))
            .await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("full_on")),
            "{e}"
        );

        let (s, d) = app
            .post_json_as(
                "community",
                &format!("/api/v1/party/members/{id}/transfer"),
                json!({"to": b, "on": "2024-05-01", "reason": "兴趣支部成立"}),
            )
            .await;
        assert_eq!(s, 200, "{d}");
        assert_eq!(d["org"], b);
        assert_eq!(d["transfers"][0]["from_name"], "第一网格党支部");
        let (s, e) = app
            .post_json_as(
                "community",
                &format!("/api/v1/party/members/{id}/transfer"),
                json!({"to": b, "reason": "再转"}),
            )
            .await;
        assert_eq!((s, e["error"]["code"].as_str()), (409, Some("same_org")));
        let (s, d) = app
            .post_json_as(
                "community",
                &format!("/api/v1/party/members/{id}/full"),
                json!({"on": "2024-06-01"}),
            )
            .await;
        assert_eq!((s, d["status"].as_str()), (200, Some("full")));

        // An in-service check-in recorded on the cadres page joins the member's record.
        let (s, c) = app
            .post_json_as("community", "/api/v1/community-checkins", json!({"member": "王芳", "work_unit": "城管局", "department": "CG", "community": COMMUNITY}))
            .await;
        assert_eq!(s, 201, "{c}");
        let (s, d) = app
            .post_json_as(
                "community",
                &format!("/api/v1/party/members/{id}/checkins"),
                json!({"checkin": c["id"]}),
            )
            .await;
        assert_eq!(s, 200, "{d}");
        assert_eq!(d["checkins"][0]["member_id"], id);
        let checkins = app
            .get_json_as("community", "/api/v1/community-checkins")
            .await;
        assert_eq!(checkins[0]["member_id"], id);

        // Dissolving an organisation with members is refused; the member cannot move into a
        // dissolved one.
        let (s, e) = app
            .post_json_as(
                "community",
                &format!("/api/v1/party/orgs/{b}/dissolve"),
                json!({"on": "2025-01-01"}),
            )
            .await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (409, Some("org_not_empty"))
        );
        let (s, _) = app
            .post_json_as(
                "community",
                &format!("/api/v1/party/orgs/{a}/dissolve"),
                json!({"on": "2025-01-01"}),
            )
            .await;
        assert_eq!(s, 200);
        let (s, e) = app
            .post_json_as(
                "community",
                &format!("/api/v1/party/members/{id}/transfer"),
                json!({"to": a, "reason": "回原支部"}),
            )
            .await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (409, Some("org_dissolved"))
        );
        let list = app
            .get_json_as("community", "/api/v1/party/members?status=full")
            .await;
        assert_eq!(list["total"], 1);
        let r = app.get_as("community", "/api/v1/party/members.xlsx").await;
        assert_eq!(r.status(), 200);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .contains("spreadsheetml")
        );
    }
}

#[tokio::test]
async fn members_and_their_community_find_each_other() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        party_residents(&app).await;
        let (_, branch) = app
            .post_json_as(
                "community",
                "/api/v1/party/orgs",
                org("第一网格党支部", "branch", "grid", None),
            )
            .await;
        let branch = branch["id"].as_i64().unwrap();
        // 找党员: five residents say 党员, none on record.
        let found = app.get_json_as("community", "/api/v1/party/found").await;
        assert_eq!(found["total"], 5);
        let first = found["items"][0]["resident_id"].as_i64().unwrap();
        let (s, m) = app
            .post_json_as(
                "community",
                "/api/v1/party/found",
                json!({"resident": first, "org": branch, "joined_on": "2001-07-01"}),
            )
            .await;
        assert_eq!(s, 201, "{m}");
        assert_eq!(m["resident"], first);
        assert_eq!(
            app.get_json_as("community", "/api/v1/party/found").await["total"],
            4
        );
        let (s, e) = app
            .post_json_as(
                "community",
                "/api/v1/party/found",
                json!({"resident": first, "org": branch, "joined_on": "2001-07-01"}),
            )
            .await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (409, Some("resident_already_member"))
        );

        // 找组织: a resident's account registers; the community matches and confirms.
        let (s, reg) = app
            .post_json_as("resident", "/api/v1/party/registrations", json!({
                "name": "党员12", "gender": "女", "phone": "13800001111", "community": COMMUNITY,
                "address": "测试路1号101", "member_status": "full", "joined_on": "1999-07-01",
                "prior_org": "外地某党支部"
            }))
            .await;
        assert_eq!(s, 201, "{reg}");
        let id = reg["id"].as_i64().unwrap();
        assert_eq!(reg["state"], "pending");
        let mine = app
            .get_json_as("resident", "/api/v1/party/registrations")
            .await;
        assert_eq!(
            mine.as_array().unwrap().len(),
            1,
            "a resident sees their own"
        );
        assert_eq!(
            app.get_as(
                "resident",
                &format!("/api/v1/party/registrations/{id}/matches")
            )
            .await
            .status(),
            404
        );
        let matches = app
            .get_json_as(
                "community",
                &format!("/api/v1/party/registrations/{id}/matches"),
            )
            .await;
        assert_eq!(matches[0]["strength"], "strong", "{matches}");
        let resident_id = matches[0]["resident"]["resident_id"].clone();
        let (s, r) = app
            .post_json_as(
                "community",
                &format!("/api/v1/party/registrations/{id}/confirm"),
                json!({"resident": resident_id, "org": branch}),
            )
            .await;
        assert_eq!((s, r["state"].as_str()), (200, Some("confirmed")), "{r}");
        let member = app
            .get_json_as(
                "community",
                &format!("/api/v1/party/members/{}", r["member_id"]),
            )
            .await;
        assert_eq!(
            (member["resident"].clone(), member["org"].as_i64()),
            (resident_id, Some(branch))
        );
        let (s, e) = app
            .post_json_as(
                "community",
                &format!("/api/v1/party/registrations/{id}/decline"),
                json!({}),
            )
            .await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (409, Some("already_decided"))
        );
        // Another community's staff neither sees nor decides it.
        let (s, _) = app
            .post_json_as(
                "grid",
                &format!("/api/v1/party/registrations/{id}/confirm"),
                json!({}),
            )
            .await;
        assert!(s == 403 || s == 404, "{s}");

        // Counts per compound once the household's building is a compound's.
        let (s, c) = app
            .post_json_as(
                "community",
                "/api/v1/compounds",
                json!({
                    "code": "320508019044-X01", "name": "测试小区", "community": COMMUNITY,
                    "address": "测试路1号", "buildings": [format!("{OWN_GRID}-001")]
                }),
            )
            .await;
        assert_eq!(s, 201, "{c}");
        let counts = app
            .get_json_as("community", "/api/v1/party/find-counts")
            .await;
        assert_eq!(counts[0]["members"], 2);
        assert_eq!(counts[0]["to_find"], 3);
    }
}

#[tokio::test]
async fn compounds_import_with_chinese_headers_all_or_nothing_and_export() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let post = |body: &'static str| {
            app.client
                .post(app.url("/api/v1/imports/compounds"))
                .bearer_auth(&app.tokens["admin"])
                .body(body)
                .send()
        };
        let bad = "小区编号,小区名称,所属社区,地址,经度,纬度,物业公司,楼栋编号\n\
                   X-1,养育小区,320508019044,养育巷1号,,,,320508019044001-001\n\
                   X-2,,320508019044,养育巷2号,,,,\n\
                   X-3,远方小区,320508019044,远方路,,,,320508020001001-001\n";
        let r = post(bad).await.unwrap();
        assert_eq!(r.status(), 422);
        let e: Value = r.json().await.unwrap();
        let rows = e["error"]["rows"].as_array().unwrap();
        assert_eq!(
            (rows[0]["row"].as_i64(), rows[0]["column"].as_str()),
            (Some(3), Some("小区名称")),
            "{e}"
        );
        assert!(
            app.get_json_as("admin", "/api/v1/compounds")
                .await
                .as_array()
                .unwrap()
                .is_empty()
        );
        let other = "小区编号,小区名称,所属社区,地址,楼栋编号\nX-3,远方小区,320508019044,远方路,320508020001001-001\n";
        let r = post(other).await.unwrap();
        assert_eq!(r.status(), 422);
        let e: Value = r.json().await.unwrap();
        assert_eq!(
            e["error"]["rows"][0]["row"], 2,
            "the store's refusal names the file's row: {e}"
        );
        assert_eq!(e["error"]["rows"][0]["column"], "楼栋编号");
        let good = "小区编号,小区名称,所属社区,地址,经度,纬度,物业公司,楼栋编号\n\
                    X-1,养育小区,320508019044,养育巷1号,120.6005,31.3005,姑苏物业,320508019044001-001、320508019044002-001\n";
        let r = post(good).await.unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let list = app.get_json_as("community", "/api/v1/compounds").await;
        assert_eq!(
            (
                list[0]["buildings"].as_i64(),
                list[0]["households"].as_i64()
            ),
            (Some(2), Some(2))
        );
        // Only population keepers import; a community account may not.
        let r = app
            .client
            .post(app.url("/api/v1/imports/compounds"))
            .bearer_auth(&app.tokens["community"])
            .body(good)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let r = app.get_as("community", "/api/v1/compounds.xlsx").await;
        assert_eq!(r.status(), 200);
        let bytes = r.bytes().await.unwrap();
        let table = gongzhi_sheets::read_table(&bytes).unwrap();
        assert_eq!(table.headers[..3], ["小区编号", "小区名称", "所属社区"]);
        assert_eq!(
            table.rows[0].get(7),
            "320508019044001-001、320508019044002-001"
        );
        // The export comes back as an import.
        let r = app
            .client
            .post(app.url("/api/v1/imports/compounds"))
            .bearer_auth(&app.tokens["admin"])
            .body(bytes.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let events = app
            .store
            .record_events(&format!("compound/{}", list[0]["id"]))
            .await
            .unwrap();
        assert_eq!(events.len(), 2);
    }
}

#[tokio::test]
async fn units_give_coverage_and_hollow_signs() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (_, o) = app
            .post_json_as("party", "/api/v1/party/orgs", json!({"name": "苏州桃坞科技有限公司党支部", "level": "branch", "kind": "enterprise", "area": COMMUNITY}))
            .await;
        let o = o["id"].as_i64().unwrap();
        let unit = |name: &str, kind: &str, org: Option<i64>| json!({"name": name, "kind": kind, "community": COMMUNITY, "address": "养育巷9号", "employees": 30, "org": org});
        let (s, u) = app
            .post_json_as(
                "party",
                "/api/v1/party/units",
                unit("苏州桃坞科技有限公司", "enterprise", Some(o)),
            )
            .await;
        assert_eq!(s, 201, "{u}");
        assert_eq!(u["hollow"][0]["code"], "few_members");
        // No meeting held in the last twelve months: counted, and a sign of its own.
        assert_eq!(u["meetings"], 0);
        assert_eq!(u["hollow"][1]["code"], "few_meetings");
        let (s, m) = app
            .post_json_as(
                "party",
                "/api/v1/party/meetings",
                json!({"org_id": o, "kind": "members_assembly",
                       "held_on": gongzhi_domain::calendar::date_of(gongzhi_store::now_millis()).to_string(),
                       "topic": "学习会", "attended": 0}),
            )
            .await;
        assert_eq!(s, 201, "{m}");
        let listed = app.get_json_as("party", "/api/v1/party/units").await;
        let row = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == u["id"])
            .cloned()
            .unwrap_or_else(|| panic!("{listed}"));
        assert_eq!(row["meetings"], 1, "{row}");
        app.post_json_as(
            "party",
            "/api/v1/party/units",
            unit("养育巷社工服务社", "social_organisation", None),
        )
        .await;
        app.post_json_as(
            "party",
            "/api/v1/party/units",
            unit("养育巷小学", "institution", None),
        )
        .await;
        let (s, e) = app
            .post_json_as("party", "/api/v1/party/units", unit("x", "bank", None))
            .await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("kind")));
        let list = app.get_json_as("party", "/api/v1/party/units").await;
        let total = list["coverage"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(total["community"], Value::Null);
        assert_eq!(
            (total["units"].as_i64(), total["covered"].as_i64()),
            (Some(3), Some(1))
        );
        assert_eq!(total["percent"], 33.33);
        assert_eq!(total["two_new_percent"], 50.0);
        assert_eq!(total["hollow"], 1);
        let r = app.get_as("party", "/api/v1/party/units.xlsx").await;
        assert_eq!(r.status(), 200);
    }
}

#[tokio::test]
async fn the_pages_show_names_and_their_forms_work() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        party_residents(&app).await;
        let form = |who: &'static str, fields: Vec<(&'static str, String)>| {
            let mut f: Vec<(&str, String)> = vec![("csrf", String::new())];
            f.extend(fields);
            app.client
                .post(app.url("/party/act"))
                .bearer_auth(&app.tokens[who])
                .form(&f)
                .send()
        };
        let r = form(
            "community",
            vec![
                ("what", "org".into()),
                ("name", "养育巷社区党委".into()),
                ("level", "committee".into()),
                ("kind", "community".into()),
                ("area", COMMUNITY.into()),
                ("founded_on", "2010-07-01".into()),
            ],
        )
        .await
        .unwrap();
        assert!(r.status().is_redirection(), "{}", r.status());
        let to = r.headers()["location"].to_str().unwrap().to_string();
        assert!(
            to.starts_with("/party/orgs/") && to.ends_with("?done=org"),
            "{to}"
        );
        let page = app.get_as("community", &to).await.text().await.unwrap();
        assert!(page.contains("党组织已建立"), "the success message");
        assert!(
            page.contains("党员 0 名，不足设立党委的 100 名"),
            "the warning, in words"
        );
        let tree = app.get_as("community", "/party").await;
        assert_eq!(tree.status(), 200);
        let tree = tree.text().await.unwrap();
        assert!(tree.contains("养育巷社区党委") && tree.contains("党委"));
        assert!(!tree.contains(">committee<"), "a name, not a code");
        // A refused form says why.
        let r = form(
            "community",
            vec![
                ("what", "org".into()),
                ("name", "无上级党小组".into()),
                ("level", "group".into()),
                ("kind", "interest".into()),
                ("area", COMMUNITY.into()),
            ],
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 409);
        assert!(r.text().await.unwrap().contains("党小组须设在党支部之下"));
        for (who, path) in [
            ("community", "/party/members"),
            ("community", "/party/units"),
            ("community", "/party/find"),
            ("community", "/compounds"),
            ("party", "/party"),
            ("resident", "/party/register"),
            ("grid", "/compounds"),
        ] {
            let r = app.get_as(who, path).await;
            assert_eq!(r.status(), 200, "{who} {path}");
        }
        assert_eq!(app.get_as("grid", "/party").await.status(), 403);
        let find = app
            .get_as("community", "/party/find")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            find.contains("党员10") && find.contains("中共党员"),
            "找党员 lists the residents"
        );
        let r = form(
            "resident",
            vec![
                ("what", "register".into()),
                ("name", "张三".into()),
                ("gender", "男".into()),
                ("community", COMMUNITY.into()),
                ("address", "养育巷1号".into()),
                ("status", "full".into()),
                ("joined_on", "2000-07-01".into()),
                ("prior_org", "某公司党支部".into()),
            ],
        )
        .await
        .unwrap();
        assert_eq!(r.headers()["location"], "/party/register?done=register");
        let mine = app
            .get_as("resident", "/party/register")
            .await
            .text()
            .await
            .unwrap();
        assert!(mine.contains("待社区确认"));
        // The party organisation's home shows its work: the registration to confirm, the
        // committee the rules flag.
        let work = app.get_json_as("party", "/api/v1/work").await;
        let tile = |k: &str| {
            work["tiles"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["key"] == k)
                .unwrap()["count"]
                .clone()
        };
        assert_eq!(
            (tile("party_registrations"), tile("party_warnings")),
            (json!(1), json!(1)),
            "{work}"
        );
        let home = app.get_as("party", "/").await.text().await.unwrap();
        assert!(home.contains("待确认的找组织登记"));
        let menu = app.get_as("resident", "/").await.text().await.unwrap();
        assert!(
            menu.contains("/party/register"),
            "residents find the form in the menu"
        );
    }
}
