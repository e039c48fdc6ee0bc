//! 改派 and 回退 over HTTP, on SQLite and PostgreSQL: the street redirects a case sent to the
//! wrong department, with a reason, on the timeline; the old department is told and loses it,
//! the new one finds it in its inbox; a blank reason, the same department and a department's
//! own attempt are refused; a return tells whoever dispatched the case.

use crate::app::{GRID_ORIGINS, OWN_GRID, TestApp, spawn_app};
use gongzhi_domain::access::{Role, Scope};
use gongzhi_testkit::backends;
use serde_json::{Value, json};

async fn post_json(app: &TestApp, who: &str, path: &str, body: Value) -> (u16, Value) {
    app.post_json_as(who, path, body).await
}

async fn get_json(app: &TestApp, who: &str, path: &str) -> Value {
    app.get_json_as(who, path).await
}

/// A resident's E0102 report in the grid worker's grid, dispatched to 城管 by the rules.
async fn report(app: &TestApp) -> i64 {
    let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0004, GRID_ORIGINS[0].2 + 0.0004);
    let (s, v) = post_json(
        app,
        "resident",
        "/api/v1/cases",
        json!({"category": "E0102", "lon": lon, "lat": lat, "address": "测试路1号",
               "description": "路边有人占道经营"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["case"]["grid"], OWN_GRID);
    assert_eq!(v["case"]["department"], "CG", "{v}");
    v["case"]["id"].as_i64().unwrap()
}

async fn command(app: &TestApp, who: &str, id: i64, body: Value) -> (u16, Value) {
    post_json(app, who, &format!("/api/v1/cases/{id}/commands"), body).await
}

fn inbox_ids(inbox: &Value) -> Vec<i64> {
    inbox["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

fn messages(inbox: &Value) -> Vec<String> {
    inbox["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"].as_str().unwrap().to_string())
        .collect()
}

/// The app with a second department's account, 住建 (ZJ).
async fn app_with_zj(backend: gongzhi_testkit::Backend) -> TestApp {
    let mut app = spawn_app(backend).await;
    app.add_account(
        "zj",
        Role::Department,
        Scope::Department("ZJ".into()),
        false,
    )
    .await;
    app
}

#[tokio::test]
async fn the_street_redirects_a_case_to_the_right_department() {
    for backend in backends() {
        let app = app_with_zj(backend).await;
        let id = report(&app).await;
        assert!(inbox_ids(&get_json(&app, "department", "/api/v1/inbox").await).contains(&id));
        // 城管 starts, then finds it is 住建's: the street redirects the started case.
        let (s, v) = command(&app, "department", id, json!({"command": "start"})).await;
        assert_eq!(s, 200, "{v}");
        let before = v["deadline"].as_i64().unwrap();
        let (s, v) = command(
            &app,
            "street",
            id,
            json!({"command": "redirect", "department": "ZJ", "reason": "违建归住建"}),
        )
        .await;
        assert_eq!(s, 200, "{backend:?} {v}");
        assert_eq!(v["state"], "dispatched");
        assert_eq!(v["department"], "ZJ");
        assert_eq!(v["department_name"], "住建局");
        assert!(v["deadline"].as_i64().unwrap() >= before, "{v}");

        let tl = get_json(&app, "street", &format!("/api/v1/cases/{id}/timeline")).await;
        let last = tl.as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["kind"], "redirected", "{tl}");
        let line = last["summary"].as_str().unwrap();
        assert!(
            line.starts_with("由城管局改派至住建局") && line.ends_with("：违建归住建"),
            "{line}"
        );
        assert_eq!(last["actor"], "测试street");

        // The new department has it waiting; the old one lost it and was told why.
        let zj = get_json(&app, "zj", "/api/v1/inbox").await;
        assert!(inbox_ids(&zj).contains(&id), "{zj}");
        let row = zj["waiting"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap();
        assert_eq!(row["waiting_zh"], "待处置");
        assert!(
            messages(&zj).iter().any(|m| m.contains("改派至住建局")),
            "{zj}"
        );
        let cg = get_json(&app, "department", "/api/v1/inbox").await;
        assert!(!inbox_ids(&cg).contains(&id), "{cg}");
        assert!(
            messages(&cg)
                .iter()
                .any(|m| m.contains("已改派至住建局，不再由您处置：违建归住建")),
            "{backend:?} {cg}"
        );
        let (s, _) = command(
            &app,
            "department",
            id,
            json!({"command": "report_back", "note": "x"}),
        )
        .await;
        // The old department no longer sees the case at all.
        assert_eq!(s, 404);
        let (s, v) = command(&app, "zj", id, json!({"command": "start"})).await;
        assert_eq!(s, 200, "{v}");
    }
}

#[tokio::test]
async fn a_redirect_is_refused_without_a_reason_to_the_same_department_or_by_a_department() {
    for backend in backends() {
        let app = app_with_zj(backend).await;
        let id = report(&app).await;
        let version =
            get_json(&app, "street", &format!("/api/v1/cases/{id}")).await["version"].clone();
        let (s, v) = command(
            &app,
            "street",
            id,
            json!({"command": "redirect", "department": "ZJ", "reason": "  "}),
        )
        .await;
        assert_eq!(s, 422, "{v}");
        assert_eq!(v["error"]["field"], "reason", "{v}");
        assert!(
            v["error"]["message"].as_str().unwrap().contains("reason"),
            "{v}"
        );
        let (s, v) = command(
            &app,
            "street",
            id,
            json!({"command": "redirect", "department": "CG", "reason": "再派一次"}),
        )
        .await;
        assert_eq!(s, 422, "{v}");
        assert_eq!(v["error"]["field"], "department", "{v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("不能改派给当前处置部门"),
            "{v}"
        );
        let (s, v) = command(
            &app,
            "street",
            id,
            json!({"command": "redirect", "department": "NOPE", "reason": "理由"}),
        )
        .await;
        assert_eq!(s, 400, "{v}");
        assert_eq!(v["error"]["field"], "department", "{v}");
        for who in ["department", "zj", "grid"] {
            let (s, v) = command(
                &app,
                who,
                id,
                json!({"command": "redirect", "department": "ZJ", "reason": "理由"}),
            )
            .await;
            assert!(s == 403 || s == 404, "{who} {s} {v}");
        }
        // Nothing changed.
        let v = get_json(&app, "street", &format!("/api/v1/cases/{id}")).await;
        assert_eq!(
            (v["version"].clone(), v["department"].clone()),
            (version, json!("CG"))
        );
    }
}

#[tokio::test]
async fn the_redirect_form_on_the_case_page_lists_departments_by_name() {
    let app = app_with_zj(gongzhi_testkit::Backend::Sqlite).await;
    let id = report(&app).await;
    let page = app
        .get_as("street", &format!("/cases/{id}"))
        .await
        .text()
        .await
        .unwrap();
    let form = page
        .split("value=\"redirect\"")
        .nth(1)
        .expect("a redirect form")
        .split("</form>")
        .next()
        .unwrap();
    assert!(form.contains("id=\"redirect-department\""), "{form}");
    assert!(
        form.contains("<option value=\"ZJ\">住建局</option>"),
        "{form}"
    );
    // Not to the department that has it.
    assert!(!form.contains("value=\"CG\""), "{form}");
    assert!(form.contains("id=\"redirect-reason\""), "{form}");
    let dept = app
        .get_as("department", &format!("/cases/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!dept.contains("value=\"redirect\""));
    // Posting the form redirects to the case with the success message.
    let version =
        get_json(&app, "street", &format!("/api/v1/cases/{id}")).await["version"].to_string();
    let r = app
        .client
        .post(app.url(&format!("/cases/{id}/act")))
        .bearer_auth(&app.tokens["street"])
        .form(&[
            ("csrf", ""),
            ("version", version.as_str()),
            ("command", "redirect"),
            ("department", "ZJ"),
            ("note", "违建归住建"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(to, format!("/cases/{id}?done=redirect"));
    let page = app.get_as("street", &to).await.text().await.unwrap();
    assert!(page.contains("已改派。"), "{page}");
}

#[tokio::test]
async fn a_return_tells_whoever_dispatched_the_case() {
    for backend in backends() {
        let app = app_with_zj(backend).await;
        // Dispatched by the rules: the street and the district hear of the return.
        let id = report(&app).await;
        let (s, v) = command(
            &app,
            "department",
            id,
            json!({"command": "return", "reason": "不属于城管职责"}),
        )
        .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["state"], "registered");
        let ticket = v["ticket"].as_str().unwrap().to_string();
        let want = format!("案件 {ticket} 被城管局回退：不属于城管职责");
        for who in ["street", "district"] {
            let inbox = get_json(&app, who, "/api/v1/inbox").await;
            assert!(
                messages(&inbox).contains(&want),
                "{backend:?} {who} {inbox}"
            );
            // And the returned case waits on them to dispatch it again.
            let row = inbox["waiting"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["id"] == id)
                .unwrap_or_else(|| panic!("{who} {inbox}"));
            assert_eq!(row["waiting_zh"], "待派遣");
        }
        // The page offers the dispatch again, by name, saying why.
        let page = app
            .get_as("street", &format!("/cases/{id}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("已被处置部门回退"), "{page}");
        assert!(page.contains("<option value=\"ZJ\">住建局</option>"));

        // Dispatched by the street's account: that account hears of the next return, the
        // community does not.
        let (s, v) = command(
            &app,
            "street",
            id,
            json!({"command": "dispatch", "department": "ZJ", "is_override": true}),
        )
        .await;
        assert_eq!(s, 200, "{v}");
        let (s, v) = command(
            &app,
            "zj",
            id,
            json!({"command": "return", "reason": "也不归住建"}),
        )
        .await;
        assert_eq!(s, 200, "{v}");
        let want = format!("案件 {ticket} 被住建局回退：也不归住建");
        assert!(messages(&get_json(&app, "street", "/api/v1/inbox").await).contains(&want));
        assert!(!messages(&get_json(&app, "district", "/api/v1/inbox").await).contains(&want));
        assert!(!messages(&get_json(&app, "community", "/api/v1/inbox").await).contains(&want));
    }
}
