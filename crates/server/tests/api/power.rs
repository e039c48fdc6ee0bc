//! 权力清单 over HTTP on SQLite and PostgreSQL: risk levels follow the city's weights (changing
//! them re-levels every item); a flowchart is drawn as SVG with every step and branch; invalid
//! flowcharts are refused naming the problem; changing a published item keeps its versions;
//! the public pages need no account and show only published items; an import with a bad row is
//! refused naming the row and writes nothing; a department keeps its own list only, a community
//! none.

use crate::app::{TestApp, spawn_app};
use gongzhi_testkit::backends;
use serde_json::{Value, json};

const FLOW: &str = "开始 A 受理占道经营线索 | 巡查岗 | 当日
步骤 B 现场调查取证 | 执法中队 | 2个工作日
判断 C 是否构成违法
步骤 D 责令改正并作出处罚决定 | 法制审核岗 | 7个工作日
结束 E 结案归档
结束 F 不予立案
A -> B
B -> C
C -> D : 构成违法
C -> F : 不构成违法
D -> E";

fn item(name: &str, factors: [u8; 4], publish: bool) -> Value {
    json!({"name": name, "power_type": "行政处罚",
           "legal_basis": "《城市市容和环境卫生管理条例》第三十六条",
           "discretion": "按情节轻重处以罚款", "post": "执法中队",
           "importance": factors[0], "discretion_level": factors[1],
           "likelihood": factors[2], "harm": factors[3],
           "measures": ["岗位教育", "动态监控", "预警防范"],
           "flowchart": FLOW, "publish": publish})
}

async fn public_get(app: &TestApp, path: &str) -> (u16, String) {
    let r = reqwest::Client::new()
        .get(app.url(path))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn risk_levels_follow_the_weights_and_versions_are_kept() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        // Important and discretionary, rarely abused and of little harm: low at equal weights.
        let (s, a) = app
            .post_json_as(
                "department",
                "/api/v1/power-items",
                item("占道经营处罚", [5, 5, 1, 1], true),
            )
            .await;
        assert_eq!(s, 201, "{a}");
        assert_eq!(
            (a["risk_level"].as_str(), a["risk_score"].as_i64()),
            (Some("low"), Some(31))
        );
        assert_eq!(
            (a["owner_name"].as_str(), a["number"].as_i64()),
            (Some("城管局"), Some(1))
        );
        let id = a["id"].as_i64().unwrap();
        let (s, b) = app
            .post_json_as(
                "department",
                "/api/v1/power-items",
                item("违法建设检查", [3, 3, 3, 3], true),
            )
            .await;
        assert_eq!(
            (s, b["risk_level"].as_str(), b["number"].as_i64()),
            (201, Some("medium"), Some(2))
        );

        // Only the administrator or city-wide supervision sets the weights.
        let weights = json!({"w_importance": 3, "w_discretion": 3, "w_likelihood": 1, "w_harm": 1,
                             "high_from": 60, "medium_from": 35});
        let (s, _) = app
            .post_json_as("department", "/api/v1/power-risk-settings", weights.clone())
            .await;
        assert_eq!(s, 403);
        let (s, _) = app
            .post_json_as("inspector", "/api/v1/power-risk-settings", weights.clone())
            .await;
        assert_eq!(s, 403);
        let mut bad = weights.clone();
        bad["medium_from"] = json!(70);
        let (s, e) = app
            .post_json_as("supervisor", "/api/v1/power-risk-settings", bad)
            .await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("thresholds")),
            "{e}"
        );
        let mut bad = weights.clone();
        bad["w_harm"] = json!(11);
        let (s, e) = app
            .post_json_as("supervisor", "/api/v1/power-risk-settings", bad)
            .await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("w_harm")),
            "{e}"
        );

        let (s, r) = app
            .post_json_as("supervisor", "/api/v1/power-risk-settings", weights)
            .await;
        assert_eq!(s, 200, "{r}");
        let moved = r["relevelled"].as_array().unwrap();
        assert_eq!(moved.len(), 1, "{r}");
        assert_eq!(
            (moved[0]["id"].as_i64(), moved[0]["after"].as_str()),
            (Some(id), Some("medium"))
        );
        let a = app
            .get_json_as("department", &format!("/api/v1/power-items/{id}"))
            .await;
        assert_eq!(
            (a["risk_level"].as_str(), a["risk_score"].as_i64()),
            (Some("medium"), Some(59))
        );
        // The public page explains it: the factors with their weights.
        let (_, page) = public_get(&app, &format!("/power/items/{id}")).await;
        assert!(
            page.contains("id=\"risk-table\"") && page.contains("<td>3</td>"),
            "{page}"
        );

        // A change of a published item is a new version; the history keeps both.
        let mut changed = item("占道经营处罚", [5, 5, 4, 4], false);
        changed["legal_basis"] =
            json!("《城市市容和环境卫生管理条例》第三十六条；《江苏省城市市容和环境卫生管理条例》");
        let (s, c) = app
            .post_json_as("department", &format!("/api/v1/power-items/{id}"), changed)
            .await;
        assert_eq!(s, 200, "{c}");
        assert_eq!(
            (c["version"].as_i64(), c["risk_level"].as_str()),
            (Some(2), Some("high"))
        );
        let versions = c["versions"].as_array().unwrap();
        assert_eq!(versions.len(), 2);
        assert_eq!(versions[0]["version"].as_i64(), Some(2));
        assert_eq!(versions[1]["risk_level"].as_str(), Some("low"));
        assert_ne!(versions[0]["content_sha256"], versions[1]["content_sha256"]);
        // Publication, change and re-levelling are on the log, without the author's name.
        let events = app
            .store
            .record_events(&format!("power_item/{id}"))
            .await
            .unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, vec!["published", "changed"]);
        assert_eq!(events[1].payload["owner"], json!("CG"));
        assert_eq!(events[1].payload["risk_level"], json!("high"));
        assert!(!events[1].payload.to_string().contains("测试department"));

        // Retired: off the public pages, the history stays; a second retirement is a conflict.
        let (s, r) = app
            .post_json_as(
                "department",
                &format!("/api/v1/power-items/{id}/retire"),
                json!({"reason": "职能划转"}),
            )
            .await;
        assert_eq!((s, r["state"].as_str()), (200, Some("retired")), "{r}");
        let (s, _) = app
            .post_json_as(
                "department",
                &format!("/api/v1/power-items/{id}/retire"),
                json!({"reason": "再次"}),
            )
            .await;
        assert_eq!(s, 409);
        assert_eq!(public_get(&app, &format!("/power/items/{id}")).await.0, 404);
    }
}

#[tokio::test]
async fn a_flowchart_is_drawn_and_a_bad_one_refused_by_name() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (s, a) = app
            .post_json_as(
                "department",
                "/api/v1/power-items",
                item("占道经营处罚", [4, 4, 3, 3], true),
            )
            .await;
        assert_eq!(s, 201, "{a}");
        let id = a["id"].as_i64().unwrap();
        let (s, svg) = public_get(&app, &format!("/power/items/{id}/flowchart.svg")).await;
        assert_eq!(s, 200);
        assert!(svg.starts_with("<svg") && svg.contains("viewBox"), "{svg}");
        for step in [
            "受理占道经营线索",
            "现场调查取证",
            "是否构成违法",
            "责令改正并作出处罚决定",
            "结案归档",
            "不予立案",
        ] {
            assert!(svg.contains(&format!("<title>{step}</title>")), "{step}");
        }
        for branch in ["构成违法", "不构成违法"] {
            assert!(svg.contains(&format!(">{branch}</text>")), "{branch}");
        }
        let (_, page) = public_get(&app, &format!("/power/items/{id}")).await;
        assert!(page.contains("<svg") && page.contains("执法中队"), "{page}");

        for (flow, needle) in [
            ("开始 A 受理\n结束 B 办结\nA -> X", "X"),
            (
                "开始 A 受理\n判断 B 是否符合\n结束 C 办结\nA -> B\nB -> C : 符合",
                "B",
            ),
            (
                "开始 A 受理\n结束 B 办结\n步骤 C 孤立步骤\nA -> B",
                "孤立步骤",
            ),
            ("步骤 A 受理\n结束 B 办结\nA -> B", "开始"),
        ] {
            let mut bad = item("坏流程", [3, 3, 3, 3], true);
            bad["flowchart"] = json!(flow);
            let (s, e) = app
                .post_json_as("department", "/api/v1/power-items", bad)
                .await;
            assert_eq!(
                (s, e["error"]["field"].as_str()),
                (422, Some("flowchart")),
                "{e}"
            );
            assert!(
                e["error"]["message"].as_str().unwrap().contains(needle),
                "{e}"
            );
            assert!(!e["error"]["message_en"].as_str().unwrap().is_empty());
        }
        let list = app.get_json_as("department", "/api/v1/power-items").await;
        assert_eq!(list.as_array().unwrap().len(), 1);
    }
}

#[tokio::test]
async fn the_public_sees_published_items_only_without_an_account() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (_, p) = app
            .post_json_as(
                "department",
                "/api/v1/power-items",
                item("占道经营处罚", [4, 4, 3, 3], true),
            )
            .await;
        let (_, d) = app
            .post_json_as(
                "department",
                "/api/v1/power-items",
                item("户外广告设置审批草稿", [2, 2, 2, 2], false),
            )
            .await;
        let (pid, did) = (p["id"].as_i64().unwrap(), d["id"].as_i64().unwrap());
        let (s, page) = public_get(&app, "/power").await;
        assert_eq!(s, 200);
        assert!(
            page.contains("占道经营处罚") && !page.contains("户外广告设置审批草稿"),
            "{page}"
        );
        // The owner by its name, never its code.
        assert!(page.contains("城管局") && !page.contains(">CG<"), "{page}");
        let (_, found) = public_get(&app, "/power?q=%E5%B8%82%E5%AE%B9").await; // 市容 (legal basis)
        assert!(found.contains("占道经营处罚"));
        let (_, none) = public_get(&app, "/power?q=%E9%A3%9F%E5%93%81").await; // 食品
        assert!(!none.contains("占道经营处罚"));
        let (_, high) = public_get(&app, "/power?level=low").await;
        assert!(!high.contains("占道经营处罚"));
        assert_eq!(
            public_get(&app, &format!("/power/items/{pid}")).await.0,
            200
        );
        assert_eq!(
            public_get(&app, &format!("/power/items/{pid}/print"))
                .await
                .0,
            200
        );
        assert_eq!(
            public_get(&app, &format!("/power/items/{did}")).await.0,
            404
        );
        assert_eq!(
            public_get(&app, &format!("/api/v1/public/power-items/{did}"))
                .await
                .0,
            404
        );
        let (s, json) = public_get(&app, "/api/v1/public/power-items").await;
        assert_eq!(s, 200);
        let list: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(list[0]["owner_name"], json!("城管局"));
        assert!(list[0].get("created_by_name").is_none());
        let (s, _) = public_get(&app, "/api/v1/public/power-items.xlsx").await;
        assert_eq!(s, 200);
        // Staff lists need an account.
        assert_eq!(public_get(&app, "/api/v1/power-items").await.0, 401);
    }
}

async fn upload(app: &TestApp, who: &str, path: &str, bytes: Vec<u8>) -> (u16, Value) {
    let r = app
        .client
        .post(app.url(path))
        .bearer_auth(&app.tokens[who])
        .body(bytes)
        .send()
        .await
        .unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

fn sheet(rows: &[[&str; 12]]) -> Vec<u8> {
    let headers = [
        "编号",
        "事项名称",
        "权力类型",
        "实施依据",
        "自由裁量",
        "责任岗位",
        "重要程度",
        "自由裁量权大小",
        "发生概率",
        "危害程度",
        "防控措施",
        "流程图",
    ];
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    gongzhi_sheets::write_table("权力清单", &headers, &rows).unwrap()
}

#[tokio::test]
async fn an_import_with_a_bad_row_is_refused_by_row_and_writes_nothing() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let good = [
            "",
            "建筑垃圾处置核准",
            "行政许可",
            "《城市建筑垃圾管理规定》第七条",
            "",
            "审批岗",
            "4",
            "3",
            "3",
            "3",
            "岗位教育、动态监控",
            "开始 A 受理；结束 B 核准；A -> B",
        ];
        let bad_flow = [
            "",
            "违法广告拆除",
            "行政强制",
            "《广告法》",
            "",
            "执法中队",
            "3",
            "3",
            "3",
            "3",
            "岗位教育",
            "开始 A 受理；判断 B 是否违法；结束 C 拆除；A -> B；B -> C : 违法",
        ];
        let bad_type = [
            "",
            "夜间施工",
            "许可证",
            "《噪声污染防治法》",
            "",
            "审批岗",
            "3",
            "3",
            "3",
            "3",
            "岗位教育",
            "开始 A 受理；结束 B 办结；A -> B",
        ];
        let (s, e) = upload(
            &app,
            "department",
            "/api/v1/power-items/import",
            sheet(&[good, bad_flow, bad_type]),
        )
        .await;
        assert_eq!(s, 422, "{e}");
        let rows = e["error"]["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 2, "{e}");
        assert_eq!(
            (rows[0]["row"].as_i64(), rows[0]["column"].as_str()),
            (Some(3), Some("流程图"))
        );
        assert_eq!(
            (rows[1]["row"].as_i64(), rows[1]["column"].as_str()),
            (Some(4), Some("权力类型"))
        );
        assert!(
            e["error"]["message"].as_str().unwrap().contains("第3行"),
            "{e}"
        );
        assert!(
            e["error"]["message_en"].as_str().unwrap().contains("row 3"),
            "{e}"
        );
        assert!(
            app.get_json_as("department", "/api/v1/power-items")
                .await
                .as_array()
                .unwrap()
                .is_empty()
        );

        let (s, r) = upload(
            &app,
            "department",
            "/api/v1/power-items/import?publish=1",
            sheet(&[good]),
        )
        .await;
        assert_eq!((s, r["count"].as_i64()), (201, Some(1)), "{r}");
        let list = app.get_json_as("department", "/api/v1/power-items").await;
        assert_eq!(list[0]["state"], json!("published"));
        // The same number again is a bad row too.
        let mut again = good;
        again[0] = "1";
        let (s, e) = upload(
            &app,
            "department",
            "/api/v1/power-items/import",
            sheet(&[again]),
        )
        .await;
        assert_eq!(
            (s, e["error"]["rows"][0]["column"].as_str()),
            (422, Some("编号")),
            "{e}"
        );
        // The export imports back (its name columns are ignored) — and the template opens.
        let x = app.get_as("department", "/api/v1/power-items.xlsx").await;
        assert_eq!(x.status(), 200);
        let t = app
            .get_as("department", "/api/v1/power-items/template.xlsx")
            .await;
        assert_eq!(t.status(), 200);
    }
}

#[tokio::test]
async fn a_department_keeps_its_own_list_and_a_community_none() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let mut other = item("建设工程质量检查", [3, 3, 3, 3], true);
        other["owner"] = json!("ZJ");
        let (s, e) = app
            .post_json_as("department", "/api/v1/power-items", other)
            .await;
        assert_eq!(s, 403, "{e}");
        let (s, _) = app
            .post_json_as(
                "community",
                "/api/v1/power-items",
                item("社区事项", [3, 3, 3, 3], true),
            )
            .await;
        assert_eq!(s, 403);
        let (s, _) = app
            .post_json_as(
                "supervisor",
                "/api/v1/power-items",
                item("纪委事项", [3, 3, 3, 3], true),
            )
            .await;
        assert_eq!(s, 403);
        // The street keeps its own (乡镇), not another street's.
        let mut mine = item("居住证明出具", [2, 2, 2, 2], false);
        mine["power_type"] = json!("行政确认");
        let (s, st) = app
            .post_json_as("street", "/api/v1/power-items", mine.clone())
            .await;
        assert_eq!(
            (s, st["owner_name"].as_str()),
            (201, Some("金阊街道")),
            "{st}"
        );
        let mut theirs = mine;
        theirs["owner"] = json!("320508020000");
        let (s, _) = app
            .post_json_as("street", "/api/v1/power-items", theirs)
            .await;
        assert_eq!(s, 403);
        let sid = st["id"].as_i64().unwrap();
        // The department does not see the street's draft; supervision sees every list.
        assert_eq!(
            app.get_as("department", &format!("/api/v1/power-items/{sid}"))
                .await
                .status(),
            404
        );
        let (s, _) = app
            .post_json_as(
                "department",
                &format!("/api/v1/power-items/{sid}/publish"),
                json!({}),
            )
            .await;
        assert_eq!(s, 404);
        assert_eq!(
            app.get_json_as("supervisor", "/api/v1/power-items")
                .await
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            app.get_as("community", "/api/v1/power-items")
                .await
                .status(),
            403
        );
        // The district lists the street's items inside it.
        assert_eq!(
            app.get_json_as("district", "/api/v1/power-items")
                .await
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let (s, p) = app
            .post_json_as(
                "street",
                &format!("/api/v1/power-items/{sid}/publish"),
                json!({}),
            )
            .await;
        assert_eq!(
            (s, p["state"].as_str(), p["version"].as_i64()),
            (200, Some("published"), Some(1))
        );
    }
}
