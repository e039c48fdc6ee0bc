//! 消极怠政 over HTTP on SQLite and PostgreSQL: a case returned twice between departments
//! through the real loop becomes a 推诿扯皮 signal that supervision opens as a report; only the
//! assigned investigator sees a reporter's identity and both reads — shown and withheld — are
//! on the audit log; an anonymous report from the public form (and its boxes) is followed by
//! lookup code to its public answer; a bad report is refused naming the field with nothing
//! written; the statistics add up per category and per action; a department lists no reports
//! but its own, a resident only its own.

use crate::app::{GRID_ORIGINS, TestApp, spawn_app};
use gongzhi_domain::access::{Role, Scope};
use gongzhi_testkit::{Backend, backends};
use serde_json::{Value, json};

async fn app_with_zj(backend: Backend) -> TestApp {
    let mut app = spawn_app(backend).await;
    app.add_account(
        "zj",
        Role::Department,
        Scope::Department("ZJ".into()),
        false,
    )
    .await;
    app.add_account("resident2", Role::Resident, Scope::SelfOnly, false)
        .await;
    app
}

async fn public_post(app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let r = app
        .client
        .post(app.url(path))
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn public_get(app: &TestApp, path: &str) -> (u16, String) {
    let r = app.client.get(app.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn report(category: &str, area: &str, unit: &str) -> Value {
    json!({"category": category, "area": area, "unit_kind": "department", "unit_code": unit,
           "official": "某中队长", "description": "窗口多次无人办理，群众来回跑"})
}

async fn count_reports(app: &TestApp) -> usize {
    app.get_json_as("admin", "/api/v1/conduct/reports")
        .await
        .as_array()
        .unwrap()
        .len()
}

async fn act(app: &TestApp, who: &str, id: i64, step: &str, body: Value) -> Value {
    let (s, v) = app
        .post_json_as(who, &format!("/api/v1/conduct/reports/{id}/{step}"), body)
        .await;
    assert!(s == 200 || s == 201, "{step}: {s} {v}");
    v
}

#[tokio::test]
async fn a_case_returned_twice_is_a_buck_passing_signal() {
    for backend in backends() {
        let app = app_with_zj(backend).await;
        // A resident's report dispatched to 城管 by the rules, returned by 城管, dispatched to
        // 住建 by the street, returned by 住建: passed around twice.
        let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0004, GRID_ORIGINS[0].2 + 0.0004);
        let (s, v) = app
            .post_json_as(
                "resident",
                "/api/v1/cases",
                json!({"category": "E0102", "lon": lon, "lat": lat, "address": "测试路1号",
                       "description": "路边有人占道经营"}),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        let id = v["case"]["id"].as_i64().unwrap();
        let ticket = v["case"]["ticket"].as_str().unwrap().to_string();
        let cmd = |who: &'static str, body: Value| {
            let app = &app;
            async move {
                let (s, v) = app
                    .post_json_as(who, &format!("/api/v1/cases/{id}/commands"), body)
                    .await;
                assert_eq!(s, 200, "{who}: {v}");
            }
        };
        cmd(
            "department",
            json!({"command": "return", "reason": "不属于城管职责"}),
        )
        .await;
        let signals = app
            .get_json_as("supervisor", "/api/v1/conduct/signals")
            .await;
        assert!(
            !signals
                .to_string()
                .contains(&format!("passed_around:{ticket}")),
            "one return is no signal: {signals}"
        );
        cmd(
            "street",
            json!({"command": "dispatch", "department": "ZJ", "is_override": true}),
        )
        .await;
        cmd("zj", json!({"command": "return", "reason": "也不归住建"})).await;

        let key = format!("passed_around:{ticket}");
        for who in ["supervisor", "inspector"] {
            let signals = app.get_json_as(who, "/api/v1/conduct/signals").await;
            let s = signals["signals"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["key"] == key.as_str())
                .unwrap_or_else(|| panic!("{backend:?} {who}: {signals}"));
            assert_eq!(
                (&s["kind"], &s["count"], &s["cases"][0][0]),
                (&json!("passed_around"), &json!(2), &json!(id))
            );
        }
        // Not a department's to see.
        assert_eq!(
            app.get_as("department", "/api/v1/conduct/signals")
                .await
                .status(),
            403
        );
        let page = app
            .get_as("supervisor", "/conduct/signals")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("推诿扯皮") && page.contains(&ticket),
            "{page}"
        );

        // Opened as a report (数据线索, 推诿扯皮): the signal is reviewed and leaves the list.
        let (s, r) = app
            .post_json_as(
                "supervisor",
                "/api/v1/conduct/signals/report",
                json!({"key": key}),
            )
            .await;
        assert_eq!(s, 201, "{r}");
        assert_eq!(
            (&r["channel"], &r["category"], &r["area"], &r["state"]),
            (
                &json!("signal"),
                &json!("buck_passing"),
                &json!("320508019044"),
                &json!("received")
            ),
            "{r}"
        );
        assert!(r["description"].as_str().unwrap().contains(&ticket));
        let signals = app
            .get_json_as("supervisor", "/api/v1/conduct/signals")
            .await;
        assert!(!signals.to_string().contains(&key), "{signals}");
        assert_eq!(
            app.get_as("supervisor", "/api/v1/conduct/signals.xlsx")
                .await
                .status(),
            200
        );
    }
}

#[tokio::test]
async fn only_the_assigned_investigator_sees_the_reporter_and_every_read_is_audited() {
    for backend in backends() {
        let app = app_with_zj(backend).await;
        let mut b = report("idleness", "320508019044", "CG");
        b["reporter_name"] = json!("王举报");
        b["reporter_phone"] = json!("13912345678");
        let (s, filed) = public_post(&app, "/api/v1/public/conduct/reports", b).await;
        assert_eq!(s, 201, "{filed}");
        let id = app
            .get_json_as("supervisor", "/api/v1/conduct/reports")
            .await[0]["id"]
            .as_i64()
            .unwrap();
        // Before anyone is assigned, nobody sees it — not even the supervisor who accepts.
        let v = act(&app, "supervisor", id, "accept", json!({})).await;
        assert_eq!(v["reporter"]["visible"], false, "{v}");
        // The district's supervisor assigns itself; the street's inspector is not assigned.
        let (s, e) = app
            .post_json_as(
                "supervisor",
                &format!("/api/v1/conduct/reports/{id}/investigators"),
                json!({"investigators": ["street"]}),
            )
            .await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (400, Some("investigators"))
        );
        let v = act(
            &app,
            "supervisor",
            id,
            "investigators",
            json!({"investigators": ["supervisor"]}),
        )
        .await;
        assert_eq!(v["state"], "investigating");
        assert_eq!(v["reporter"]["visible"], true, "{v}");
        assert_eq!(v["reporter"]["name"], "王举报");
        assert_eq!(v["reporter"]["phone"], "13912345678");

        let other = app
            .get_as("inspector", &format!("/api/v1/conduct/reports/{id}"))
            .await;
        assert_eq!(other.status(), 200);
        let other = other.text().await.unwrap();
        assert!(
            !other.contains("王举报") && !other.contains("13912345678"),
            "{other}"
        );
        assert!(other.contains("仅承办人可见"), "{other}");
        let page = app
            .get_as("inspector", &format!("/conduct/reports/{id}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("仅承办人可见") && !page.contains("王举报"));
        let page = app
            .get_as("supervisor", &format!("/conduct/reports/{id}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("王举报"), "{page}");

        // The identity is sealed at rest: not in the database file's text.
        let raw: Option<Vec<u8>> =
            sqlx::query_scalar("SELECT reporter_phone_enc FROM misconduct_reports WHERE id = $1")
                .bind(id)
                .fetch_one(app.store.pool())
                .await
                .unwrap();
        assert!(!raw.unwrap().windows(11).any(|w| w == b"13912345678"));

        // Both reads, and the ones before, are on the audit log.
        let audit = app.get_json_as("admin", "/api/v1/audit?limit=500").await;
        let subject = format!("misconduct/{id}");
        let reads = |who: &str, action: &str| {
            audit
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| {
                    e["subject"] == subject.as_str()
                        && e["actor_name"] == who
                        && e["action"] == action
                })
                .count()
        };
        assert!(
            reads("supervisor", "misconduct_reporter_read") >= 2,
            "{audit}"
        );
        assert!(
            reads("inspector", "misconduct_reporter_withheld") >= 2,
            "{audit}"
        );
        assert_eq!(reads("inspector", "misconduct_reporter_read"), 0);
        // Nothing of the reporter on the public log.
        let log = serde_json::to_string(
            &app.store
                .record_events(&format!("misconduct/{id}"))
                .await
                .unwrap(),
        )
        .unwrap();
        assert!(
            log.contains("\"investigators\":1")
                && !log.contains("王举报")
                && !log.contains("某中队长"),
            "{log}"
        );
    }
}

#[tokio::test]
async fn an_anonymous_public_report_is_followed_by_lookup_code_and_a_bad_one_writes_nothing() {
    for backend in backends() {
        let app = app_with_zj(backend).await;
        // Refused, naming the field, nothing written.
        let mut bad = report("idleness", "320508019044", "CG");
        bad["description"] = json!("  ");
        let (s, e) = public_post(&app, "/api/v1/public/conduct/reports", bad).await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("description")),
            "{e}"
        );
        let bad = report("不存在的类别", "320508019044", "CG");
        let (s, e) = public_post(&app, "/api/v1/public/conduct/reports", bad).await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("category")),
            "{e}"
        );
        let mut bad = report("idleness", "320508019044", "CG");
        bad["reporter_phone"] = json!("123");
        let (s, e) = public_post(&app, "/api/v1/public/conduct/reports", bad).await;
        assert_eq!(
            e["error"]["field"].as_str(),
            Some("reporter_phone"),
            "{s} {e}"
        );
        let (s, e) = public_post(
            &app,
            "/api/v1/public/conduct/reports",
            report("idleness", "320508019044", "NOPE"),
        )
        .await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (400, Some("unit")),
            "{e}"
        );
        assert_eq!(count_reports(&app).await, 0);

        // Anonymous, through the 1234 livelihood report box.
        let mut b = report("exaction", "320508019044", "CG");
        b["box"] = json!("livelihood");
        let (s, filed) = public_post(&app, "/api/v1/public/conduct/reports", b).await;
        assert_eq!(s, 201, "{filed}");
        let code = filed["lookup_code"].as_str().unwrap().to_string();
        assert_eq!(filed["report"]["channel"], "livelihood_box");
        let (s, t) = public_get(&app, &format!("/api/v1/public/conduct/reports/{code}")).await;
        assert_eq!(s, 200);
        let t: Value = serde_json::from_str(&t).unwrap();
        assert_eq!(
            (&t["state"], &t["category_name"]),
            (&json!("received"), &json!("吃拿卡要"))
        );
        let id = app
            .get_json_as("supervisor", "/api/v1/conduct/reports")
            .await[0]["id"]
            .as_i64()
            .unwrap();
        let v = app
            .get_json_as("supervisor", &format!("/api/v1/conduct/reports/{id}"))
            .await;
        assert!(v["reporter"].is_null() && v["has_reporter"] == false, "{v}");

        // Investigated and concluded: the reporter reads the public answer, never the findings.
        act(&app, "supervisor", id, "accept", json!({})).await;
        act(
            &app,
            "supervisor",
            id,
            "investigators",
            json!({"investigators": ["inspector"]}),
        )
        .await;
        act(
            &app,
            "inspector",
            id,
            "evidence",
            json!({"note": "调阅窗口登记簿"}),
        )
        .await;
        // A file with the note, checked by its bytes; only investigators download it.
        let jpeg: &'static [u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1];
        let upload = |bytes: &'static [u8], name: &'static str| {
            let form = reqwest::multipart::Form::new()
                .text("csrf", "")
                .text("note", "现场照片")
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(bytes).file_name(name),
                );
            app.client
                .post(app.url(&format!("/conduct/reports/{id}/evidence")))
                .bearer_auth(&app.tokens["inspector"])
                .multipart(form)
                .send()
        };
        let r = upload(b"just text", "a.txt").await.unwrap();
        assert_eq!(r.status(), 415);
        let r = upload(jpeg, "现场.jpg").await.unwrap();
        assert_eq!(r.status(), 303);
        let v = app
            .get_json_as("inspector", &format!("/api/v1/conduct/reports/{id}"))
            .await;
        let files: Vec<&Value> = v["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| !e["file_name"].is_null())
            .collect();
        assert_eq!(
            (files.len(), v["evidence"].as_array().unwrap().len()),
            (1, 2),
            "{v}"
        );
        let eid = files[0]["id"].as_i64().unwrap();
        let got = app
            .get_as(
                "inspector",
                &format!("/conduct/reports/{id}/evidence/{eid}"),
            )
            .await;
        assert_eq!(got.status(), 200);
        assert_eq!(got.bytes().await.unwrap().as_ref(), jpeg);
        assert_eq!(
            app.get_as(
                "department",
                &format!("/conduct/reports/{id}/evidence/{eid}")
            )
            .await
            .status(),
            404
        );
        let (s, e) = app
            .post_json_as(
                "inspector",
                &format!("/api/v1/conduct/reports/{id}/conclude"),
                json!({"conclusion": "substantiated", "findings": "内部核查情况", "public_text": " "}),
            )
            .await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("public_text")),
            "{e}"
        );
        act(
            &app,
            "inspector",
            id,
            "conclude",
            json!({"conclusion": "substantiated", "findings": "内部核查情况",
                   "public_text": "经核查问题属实，已对相关人员诫勉谈话"}),
        )
        .await;
        let (_, page) = public_get(&app, &format!("/conduct/track?code={code}")).await;
        assert!(
            page.contains("已办结")
                && page.contains("已对相关人员诫勉谈话")
                && !page.contains("内部核查情况"),
            "{page}"
        );
        // Concluded: accepting again is a conflict.
        let (s, _) = app
            .post_json_as(
                "supervisor",
                &format!("/api/v1/conduct/reports/{id}/accept"),
                json!({}),
            )
            .await;
        assert_eq!(s, 409);
        // A wrong code opens nothing.
        assert_eq!(
            public_get(&app, "/api/v1/public/conduct/reports/ABCD-EFGH-JKLM-NPQR")
                .await
                .0,
            404
        );

        // The phone form: the petition box, anonymous, answers with the lookup code.
        let r = app
            .client
            .post(app.url("/conduct/report"))
            .form(&[
                ("box", "petition"),
                ("category", "idleness"),
                ("area", "320508019044"),
                ("unit_code", ""),
                ("description", "社区办事员上班时间玩手机"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("lookup-code") && page.contains("群众诉求直通箱"),
            "{page}"
        );
        let all = app
            .get_json_as("supervisor", "/api/v1/conduct/reports")
            .await;
        assert_eq!(all[0]["channel"], "petition_box");
        assert_eq!(all[0]["unit_name"], "养育巷社区");
        let (s, form) = public_get(&app, "/conduct/report?box=livelihood").await;
        assert!(s == 200 && form.contains("民生监督举报箱") && form.contains("庸懒无为"));
    }
}

#[tokio::test]
async fn the_statistics_add_up_per_category_and_per_action() {
    for backend in backends() {
        let app = app_with_zj(backend).await;
        // Three reports (two substantiated), four people handled.
        let mut ids = Vec::new();
        for (cat, unit) in [("idleness", "CG"), ("idleness", "ZJ"), ("bribery", "CG")] {
            let (s, v) = app
                .post_json_as(
                    "supervisor",
                    "/api/v1/conduct/reports",
                    report(cat, "320508019044", unit),
                )
                .await;
            assert_eq!((s, &v["channel"]), (201, &json!("hotline")), "{v}");
            ids.push(v["id"].as_i64().unwrap());
        }
        for id in &ids {
            act(&app, "supervisor", *id, "accept", json!({})).await;
            act(
                &app,
                "supervisor",
                *id,
                "investigators",
                json!({"investigators": ["supervisor"]}),
            )
            .await;
        }
        let action = |a: &str, grade: &str| json!({"action": a, "sanction": grade, "official_post": "科长", "basis": "问责条例"});
        // A party sanction needs its grade on the party scale.
        let (s, e) = app
            .post_json_as(
                "supervisor",
                &format!("/api/v1/conduct/reports/{}/actions", ids[0]),
                action("party_discipline", ""),
            )
            .await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("sanction")));
        act(
            &app,
            "supervisor",
            ids[0],
            "actions",
            action("interview", ""),
        )
        .await;
        act(
            &app,
            "supervisor",
            ids[0],
            "actions",
            action("interview", ""),
        )
        .await;
        act(
            &app,
            "supervisor",
            ids[2],
            "actions",
            action("party_discipline", "留党察看"),
        )
        .await;
        for (id, c) in [
            (ids[0], "substantiated"),
            (ids[1], "unsubstantiated"),
            (ids[2], "substantiated"),
        ] {
            act(
                &app,
                "supervisor",
                id,
                "conclude",
                json!({"conclusion": c, "findings": "核查", "public_text": "答复"}),
            )
            .await;
        }
        act(
            &app,
            "supervisor",
            ids[2],
            "actions",
            action("government_sanction", "记过"),
        )
        .await;
        // Unsubstantiated: no action on it.
        let (s, _) = app
            .post_json_as(
                "supervisor",
                &format!("/api/v1/conduct/reports/{}/actions", ids[1]),
                action("interview", ""),
            )
            .await;
        assert_eq!(s, 409);

        let st = app.get_json_as("supervisor", "/api/v1/conduct/stats").await;
        assert_eq!(
            (&st["received"], &st["substantiated"], &st["people"]),
            (&json!(3), &json!(2), &json!(4)),
            "{st}"
        );
        assert_eq!(st["adds_up"], true);
        let sum = |list: &str, col: &str| -> i64 {
            st[list]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r[col].as_i64().unwrap())
                .sum()
        };
        assert_eq!(sum("categories", "received"), 3);
        assert_eq!(sum("categories", "substantiated"), 2);
        assert_eq!(sum("actions", "people"), 4);
        assert_eq!(sum("units", "people"), 4);
        let row = |list: &str, key: &str, code: &str| -> Value {
            st[list]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r[key] == code)
                .cloned()
                .unwrap()
        };
        assert_eq!(row("categories", "category", "idleness")["received"], 2);
        assert_eq!(row("categories", "category", "bribery")["substantiated"], 1);
        assert_eq!(row("categories", "category", "exaction")["received"], 0);
        assert_eq!(row("actions", "action", "interview")["people"], 2);
        assert_eq!(row("actions", "action", "party_discipline")["people"], 1);
        assert_eq!(row("actions", "action", "government_sanction")["people"], 1);
        let cg = row("units", "unit", "department:CG");
        assert_eq!((&cg["received"], &cg["people"]), (&json!(2), &json!(4)));
        // A period before any of it counts nothing.
        let none = app
            .get_json_as("supervisor", "/api/v1/conduct/stats?until=2020-01-01")
            .await;
        assert_eq!((&none["received"], &none["people"]), (&json!(0), &json!(0)));
        let page = app
            .get_as("supervisor", "/conduct/stats")
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("城管局") && page.contains("党纪处分"));
        for path in ["/api/v1/conduct/stats.xlsx", "/api/v1/conduct/reports.xlsx"] {
            let r = app.get_as("supervisor", path).await;
            assert_eq!(r.status(), 200, "{path}");
        }
    }
}

#[tokio::test]
async fn a_department_lists_no_reports_but_its_own_and_a_resident_only_its_own() {
    for backend in backends() {
        let app = app_with_zj(backend).await;
        let (s, mine) = app
            .post_json_as(
                "resident",
                "/api/v1/conduct/reports",
                report("idleness", "320508019044", "CG"),
            )
            .await;
        assert_eq!((s, &mine["channel"]), (201, &json!("web")), "{mine}");
        let (s, other) = app
            .post_json_as(
                "resident2",
                "/api/v1/conduct/reports",
                report("bribery", "320508020001", "ZJ"),
            )
            .await;
        assert_eq!(s, 201, "{other}");
        // A resident may not take a hotline call.
        let mut b = report("idleness", "320508019044", "CG");
        b["channel"] = json!("hotline");
        let (s, _) = app
            .post_json_as("resident", "/api/v1/conduct/reports", b)
            .await;
        assert_eq!(s, 403);
        let (mine_id, other_id) = (mine["id"].as_i64().unwrap(), other["id"].as_i64().unwrap());

        let list = app.get_json_as("resident", "/api/v1/conduct/reports").await;
        let ids: Vec<i64> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, vec![mine_id]);
        assert_eq!(
            app.get_as("resident", &format!("/api/v1/conduct/reports/{other_id}"))
                .await
                .status(),
            404
        );
        // The department lists none of them and may act on none.
        assert_eq!(
            app.get_json_as("department", "/api/v1/conduct/reports")
                .await,
            json!([])
        );
        assert_eq!(
            app.get_as("department", &format!("/api/v1/conduct/reports/{mine_id}"))
                .await
                .status(),
            404
        );
        let (s, _) = app
            .post_json_as(
                "department",
                &format!("/api/v1/conduct/reports/{mine_id}/accept"),
                json!({}),
            )
            .await;
        assert_eq!(s, 404);
        // The street's inspector lists its street's report only; the district's both.
        let insp = app
            .get_json_as("inspector", "/api/v1/conduct/reports")
            .await;
        assert_eq!(insp.as_array().unwrap().len(), 1);
        assert_eq!(
            app.get_json_as("supervisor", "/api/v1/conduct/reports")
                .await
                .as_array()
                .unwrap()
                .len(),
            2
        );
        // The resident's filer view: state, no findings, no investigators.
        let v = app
            .get_json_as("resident", &format!("/api/v1/conduct/reports/{mine_id}"))
            .await;
        assert_eq!(
            (&v["state"], &v["may_investigate"]),
            (&json!("received"), &json!(false))
        );
        // The menu: supervision's desk for the supervisor, not for the department.
        let home = app.get_as("supervisor", "/").await.text().await.unwrap();
        assert!(
            home.contains("/conduct/signals") && home.contains("新举报"),
            "{home}"
        );
        let home = app.get_as("department", "/").await.text().await.unwrap();
        assert!(!home.contains("/conduct/signals"));
    }
}
