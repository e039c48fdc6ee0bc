//! Dispatch rules (派遣规则) and the 12345 hotline import over HTTP, on SQLite and PostgreSQL:
//! a rule reroutes new cases and deleting it restores the category default; rule files and
//! hotline files are refused whole, naming row and column, and nothing is written.

use crate::app::{GRID_ORIGINS, OWN_GRID, TestApp, spawn_app};
use gongzhi_domain::calendar::{CST_OFFSET_MS, DAY_MS, format_cst};
use gongzhi_store::now_millis;
use gongzhi_testkit::backends;
use rust_xlsxwriter::{Format, Workbook};
use serde_json::{Value, json};

async fn send(app: &TestApp, who: &str, req: reqwest::RequestBuilder) -> (u16, Value) {
    let r = req.bearer_auth(&app.tokens[who]).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn post_json(app: &TestApp, who: &str, path: &str, body: Value) -> (u16, Value) {
    send(app, who, app.client.post(app.url(path)).json(&body)).await
}

async fn post_file(app: &TestApp, who: &str, path: &str, bytes: Vec<u8>) -> (u16, Value) {
    send(app, who, app.client.post(app.url(path)).body(bytes)).await
}

async fn get_json(app: &TestApp, who: &str, path: &str) -> Value {
    app.get_json_as(who, path).await
}

/// A workbook whose cells are all text, header first.
fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, cells) in rows.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

/// A resident's E0102 report inside the grid worker's grid (street 320508019000); the
/// department it was dispatched to.
async fn report_department(app: &TestApp) -> Value {
    let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0004, GRID_ORIGINS[0].2 + 0.0004);
    let (s, v) = post_json(
        app,
        "resident",
        "/api/v1/cases",
        json!({"category": "E0102", "lon": lon, "lat": lat, "address": "测试路1号", "description": "楼下垃圾没人清运"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["case"]["grid"], OWN_GRID);
    assert_eq!(v["case"]["state"], "dispatched", "{v}");
    v["case"]["department"].clone()
}

fn rule(category: &str, area: &str, department: &str) -> Value {
    json!({"category": category, "area": area, "department": department})
}

#[tokio::test]
async fn a_rule_reroutes_new_cases_and_deleting_it_restores_the_default() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        assert_eq!(report_department(&app).await, "CG", "{backend:?}");

        let (s, v) = post_json(
            &app,
            "street",
            "/api/v1/dispatch-rules",
            rule("E0102", "320508019000", "ZJ"),
        )
        .await;
        assert_eq!(s, 201, "{backend:?} {v}");
        assert_eq!(v["department_name"], "住建局");
        assert_eq!(v["area_name"], "金阊街道");
        assert_eq!(v["editable"], true);
        let id = v["id"].as_i64().unwrap();
        assert_eq!(report_department(&app).await, "ZJ", "{backend:?}");

        // Staff read the rules reaching their patch (a department those routed to it); only
        // the dispatcher of the area edits them.
        let list = get_json(&app, "grid", "/api/v1/dispatch-rules").await;
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(list[0]["editable"], false);
        let list = get_json(&app, "department", "/api/v1/dispatch-rules").await;
        assert!(list.as_array().unwrap().is_empty(), "{list}");
        assert_eq!(
            app.get_as("resident", "/api/v1/dispatch-rules")
                .await
                .status(),
            403
        );
        let del = |who: &'static str| {
            app.client
                .delete(app.url(&format!("/api/v1/dispatch-rules/{id}")))
                .bearer_auth(&app.tokens[who])
                .send()
        };
        assert_eq!(del("grid").await.unwrap().status(), 403);
        assert_eq!(del("street").await.unwrap().status(), 204);
        assert_eq!(del("street").await.unwrap().status(), 404);
        assert_eq!(report_department(&app).await, "CG", "{backend:?}");
    }
}

#[tokio::test]
async fn a_rule_is_refused_naming_the_field() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let cases = [
            (
                "street",
                rule("NOPE", "320508019000", "ZJ"),
                422,
                "category",
            ),
            ("street", rule("E01", "320508019000", "ZJ"), 422, "category"),
            ("street", rule("E0102", "12345", "ZJ"), 422, "area"),
            ("street", rule("E0102", "320508019099", "ZJ"), 422, "area"),
            (
                "street",
                rule("E0102", "320508019000", "XX"),
                422,
                "department",
            ),
            (
                "street",
                json!({"category": "E0102", "department": "ZJ"}),
                400,
                "area",
            ),
            ("street", rule("E0102", "320508020000", "ZJ"), 403, "area"),
            ("grid", rule("E0102", "320508019044", "ZJ"), 403, ""),
        ];
        for (who, body, status, field) in cases {
            let (s, v) = post_json(&app, who, "/api/v1/dispatch-rules", body.clone()).await;
            assert_eq!(s, status, "{backend:?} {who} {body}: {v}");
            if !field.is_empty() {
                assert_eq!(v["error"]["field"], field, "{body}: {v}");
                assert!(!v["error"]["message"].as_str().unwrap().is_empty());
                assert!(!v["error"]["message_en"].as_str().unwrap().is_empty());
            }
        }
        let v = get_json(&app, "admin", "/api/v1/dispatch-rules").await;
        assert_eq!(
            v.as_array().unwrap().len(),
            0,
            "{backend:?} nothing written"
        );
    }
}

#[tokio::test]
async fn a_rule_file_is_all_or_nothing_and_round_trips_through_export() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let path = "/api/v1/dispatch-rules/import";
        let bad = xlsx(&[
            &["类别代码", "区划代码", "部门代码"],
            &["E0102", "320508019044", "ZJ"],
            &["E0101", "320508019000", "NOPE"],
        ]);
        let (s, v) = post_file(&app, "admin", path, bad).await;
        assert_eq!(s, 422, "{backend:?} {v}");
        assert_eq!(v["error"]["code"], "import_rejected");
        let rows = v["error"]["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 1, "{v}");
        assert_eq!(rows[0]["row"], 3);
        assert_eq!(rows[0]["column"], "部门代码");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("第3行 部门代码")
        );
        let list = get_json(&app, "admin", "/api/v1/dispatch-rules").await;
        assert_eq!(list.as_array().unwrap().len(), 0, "nothing written");

        // The street may not set rules for another street, even inside a file.
        let csv = "类别代码,区划代码,部门代码\nE0102,320508020000,ZJ\n";
        let (s, v) = post_file(&app, "street", path, csv.as_bytes().to_vec()).await;
        assert_eq!(s, 422, "{v}");
        assert_eq!(v["error"]["rows"][0]["row"], 2);
        assert_eq!(v["error"]["rows"][0]["column"], "区划代码");

        let good = "类别代码,区划代码,部门代码\nE0102,320508019044,ZJ\nE0101,320508,CG\n";
        let (s, v) = post_file(&app, "district", path, good.as_bytes().to_vec()).await;
        assert_eq!(s, 201, "{backend:?} {v}");
        assert_eq!(v["count"], 2);

        // The export carries the names too and imports back as it is.
        let r = app
            .get_as("admin", "/api/v1/dispatch-rules/export.xlsx")
            .await;
        assert_eq!(r.status(), 200);
        let exported = r.bytes().await.unwrap().to_vec();
        assert!(exported.starts_with(b"PK"));
        let (s, v) = post_file(&app, "admin", path, exported).await;
        assert_eq!((s, &v["count"]), (201, &json!(2)), "{v}");
        let list = get_json(&app, "admin", "/api/v1/dispatch-rules").await;
        assert_eq!(list.as_array().unwrap().len(), 2);
        let r = app
            .get_as("street", "/api/v1/dispatch-rules/template.xlsx")
            .await;
        assert_eq!(r.status(), 200);
    }
}

/// `when` as an Excel date-time serial (days since 1899-12-30, Beijing wall time), whole minutes.
fn excel_serial(when: i64) -> f64 {
    let minutes = (when + CST_OFFSET_MS).div_euclid(60_000);
    minutes as f64 / (DAY_MS / 60_000) as f64 + 25_569.0
}

/// Three hotline records: a located one (rules decide), one sent to 住建局 by name, and one
/// without a point (waits for a dispatcher). Row 2's time is an Excel date-time cell.
fn hotline_file(now: i64, row3_phone: &str) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let header = [
        "来电时间",
        "来电号码",
        "地址",
        "诉求内容",
        "类别",
        "承办部门",
        "经度",
        "纬度",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    ws.write_number_with_format(1, 0, excel_serial(now - 7_200_000), &date)
        .unwrap();
    let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0004, GRID_ORIGINS[0].2 + 0.0004);
    for (c, v) in ["13800138000", "测试路1号", "楼道里堆满杂物", "E0102", ""]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16 + 1, *v).unwrap();
    }
    ws.write_number(1, 6, lon).unwrap();
    ws.write_number(1, 7, lat).unwrap();
    let earlier = format_cst(now - 3_600_000);
    let rows = [
        [
            earlier.as_str(),
            row3_phone,
            "金阊街道某小区3幢",
            "小区门口垃圾堆积",
            "暴露垃圾",
            "住建局",
        ],
        [
            earlier.as_str(),
            "13912345678",
            "平江路88号",
            "沿街店铺私自搭建雨棚",
            "E0101",
            "",
        ],
    ];
    for (r, cells) in rows.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(r as u32 + 2, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_hotline_file_is_checked_whole_then_filed() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let now = now_millis();
        let path = "/api/v1/imports/hotline";
        let (s, v) = post_file(&app, "admin", path, hotline_file(now, "1380013800")).await;
        assert_eq!(s, 422, "{backend:?} {v}");
        let rows = v["error"]["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 1, "{v}");
        assert_eq!(
            (&rows[0]["row"], &rows[0]["column"]),
            (&json!(3), &json!("来电号码"))
        );
        let total = |v: Value| v["total"].as_i64().unwrap();
        assert_eq!(total(get_json(&app, "admin", "/api/v1/cases").await), 0);

        // Unlocated records would leave the street's sight: refused, naming the column.
        let (s, v) = post_file(&app, "street", path, hotline_file(now, "13800138001")).await;
        assert_eq!(s, 422, "{v}");
        let rows = v["error"]["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 2, "{v}");
        assert!(rows.iter().all(|r| r["column"] == "经度"), "{v}");
        assert_eq!(
            post_file(&app, "grid", path, hotline_file(now, "13800138001"))
                .await
                .0,
            403
        );

        let (s, v) = post_file(&app, "admin", path, hotline_file(now, "13800138001")).await;
        assert_eq!(s, 201, "{backend:?} {v}");
        assert_eq!(v["count"], 3);
        let filed = v["cases"].as_array().unwrap();
        assert_eq!(
            (&filed[0]["state"], &filed[0]["department"]),
            (&json!("dispatched"), &json!("CG")),
            "the rules decide a located record: {v}"
        );
        assert_eq!(
            (&filed[1]["state"], &filed[1]["department"]),
            (&json!("dispatched"), &json!("ZJ")),
            "a named department overrides: {v}"
        );
        assert_eq!(filed[2]["state"], "reported", "{v}");
        assert!(filed.iter().all(|f| f["lookup_code"].as_str().is_some()));

        let list = get_json(&app, "admin", "/api/v1/cases?per_page=10").await;
        assert_eq!(list["total"], 3);
        let items = list["items"].as_array().unwrap();
        assert!(items.iter().all(|c| c["channel"] == "hotline"), "{list}");
        // The case is reported when the call came in, not when the file was read.
        let first = items.iter().find(|c| c["id"] == filed[0]["id"]).unwrap();
        let at = first["reported_at"].as_i64().unwrap();
        assert!((now - 7_260_000..=now - 7_140_000).contains(&at), "{first}");
    }
}

/// A browser session for `who`: the cookie and the CSRF token.
async fn session(app: &TestApp, who: &str) -> (String, String) {
    let r = app
        .client
        .post(app.url("/api/v1/session"))
        .json(&json!({"username": who, "password": crate::app::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let me: Value = r.json().await.unwrap();
    (cookie, me["csrf_token"].as_str().unwrap().to_string())
}

fn upload(csrf: &str, bytes: Vec<u8>) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .text("csrf", csrf.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("upload.xlsx"),
        )
}

#[tokio::test]
async fn the_rules_and_hotline_pages_edit_with_the_csrf_token() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (cookie, csrf) = session(&app, "street").await;
        let page = |path: &str| {
            app.client
                .get(app.url(path))
                .header("cookie", &cookie)
                .send()
        };
        let html = page("/rules").await.unwrap().text().await.unwrap();
        assert!(html.contains("href=\"/rules\"") && html.contains("href=\"/hotline\""));
        let form = |csrf: &str| {
            [
                ("csrf", csrf.to_string()),
                ("category", "E0102".into()),
                ("area", "320508019000".into()),
                ("department", "ZJ".into()),
            ]
        };
        let post = |path: &str| app.client.post(app.url(path)).header("cookie", &cookie);
        let r = post("/rules").form(&form("stale")).send().await.unwrap();
        assert_eq!(r.status(), 403, "{backend:?}");
        let r = post("/rules").form(&form(&csrf)).send().await.unwrap();
        assert_eq!(r.status(), 303, "{backend:?}");
        let html = page("/rules").await.unwrap().text().await.unwrap();
        assert!(
            html.contains("住建局") && html.contains("金阊街道"),
            "{html}"
        );
        let id = get_json(&app, "street", "/api/v1/dispatch-rules").await[0]["id"]
            .as_i64()
            .unwrap();
        let r = post(&format!("/rules/{id}/delete"))
            .form(&[("csrf", &csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let list = get_json(&app, "street", "/api/v1/dispatch-rules").await;
        assert_eq!(list.as_array().unwrap().len(), 0);

        let bad = xlsx(&[
            &["类别代码", "区划代码", "部门代码"],
            &["E0102", "320508019044", "ZJ"],
            &["E0101", "320508019000", "NOPE"],
        ]);
        let r = post("/rules/import")
            .multipart(upload(&csrf, bad))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("<td>3</td><td>部门代码</td>"), "{html}");

        let r = post("/hotline")
            .multipart(upload(&csrf, hotline_file(now_millis(), "1380013800")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("<td>3</td><td>来电号码</td>"), "{html}");
    }
}
