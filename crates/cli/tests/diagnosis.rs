//! Diagnosis on the generated city (issue 16, decision 037): `gongzhi demo` plants hotspots and
//! recurrences in its recent weeks and records them (`demo-plants.json`); the diagnosis it runs
//! finds them. This test counts found/planted for each kind, and the findings nothing planted
//! (false positives for hotspots; recurrences the city's own cases make), then acts on findings
//! through the API — a supervision order and a case, each marking its finding — and checks the
//! findings a street and a department see are their own.

mod common;

use common::{gongzhi, ok, start};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const PASSWORD: &str = "diagnosis2026pass";

fn ids(v: &Value) -> BTreeSet<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn the_diagnosis_finds_what_the_demo_planted_and_acts_on_findings() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    ok(gongzhi(&data).env("GONGZHI_DEMO_PASSWORD", PASSWORD).args([
        "demo",
        "--households",
        "1500",
    ]));
    let plants: Value =
        serde_json::from_slice(&std::fs::read(data.join("demo-plants.json")).unwrap()).unwrap();
    let token = |account: &str| {
        ok(gongzhi(&data).args(["token", "create", "--account", account]))
            .trim()
            .to_string()
    };
    let (admin, street, department) = (token("admin"), token("street"), token("department"));
    let (_server, base) = start(&data).await;
    let client = reqwest::Client::new();
    let get = async |token: &str, path: &str| -> Value {
        let r = client
            .get(format!("{base}{path}"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        r.json().await.unwrap()
    };
    let post = async |token: &str, path: &str, body: Value| -> (u16, Value) {
        let r = client
            .post(format!("{base}{path}"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    };

    // Run now (the demo ran once already; a run replaces the open findings).
    let (status, run) = post(&admin, "/api/v1/diagnosis/runs", json!({})).await;
    assert_eq!(status, 201, "{run}");
    assert!(run["cases_read"].as_i64().unwrap() > 0);

    let hotspots = get(&admin, "/api/v1/diagnosis/findings?kind=hotspot").await["findings"]
        .as_array()
        .unwrap()
        .clone();
    let recurrences = get(&admin, "/api/v1/diagnosis/findings?kind=recurrence").await["findings"]
        .as_array()
        .unwrap()
        .clone();

    // Hotspots: a planted one is found when a finding names its grid and category.
    let planted_h = plants["hotspots"].as_array().unwrap();
    assert!(planted_h.len() >= 3, "{plants}");
    let found_h = planted_h
        .iter()
        .filter(|p| {
            hotspots
                .iter()
                .any(|f| f["grid"] == p["grid"] && f["category"] == p["category"])
        })
        .count();
    let false_h: Vec<&Value> = hotspots
        .iter()
        .filter(|f| {
            !planted_h
                .iter()
                .any(|p| f["grid"] == p["grid"] && f["category"] == p["category"])
        })
        .collect();

    // Recurrences: a planted cluster is found when a finding holds at least N of its cases.
    let planted_r = plants["recurrences"].as_array().unwrap();
    assert!(planted_r.len() >= 3, "{plants}");
    let found_r = planted_r
        .iter()
        .filter(|p| {
            let mine = ids(&p["cases"]);
            recurrences
                .iter()
                .any(|f| ids(&f["case_ids"]).intersection(&mine).count() >= 3)
        })
        .count();
    let planted_cases: BTreeSet<i64> = planted_r
        .iter()
        .chain(planted_h.iter())
        .flat_map(|p| ids(&p["cases"]))
        .collect();
    let hotspot_cases: BTreeSet<i64> = planted_h.iter().flat_map(|p| ids(&p["cases"])).collect();
    let unplanted_r: Vec<&Value> = recurrences
        .iter()
        .filter(|f| ids(&f["case_ids"]).intersection(&planted_cases).count() < 3)
        .collect();
    let from_hotspots = recurrences
        .iter()
        .filter(|f| ids(&f["case_ids"]).intersection(&hotspot_cases).count() >= 3)
        .count();
    println!(
        "hotspots: found {found_h}/{} planted, {} not planted; recurrences: found {found_r}/{} planted, \
         {from_hotspots} inside planted hotspots, {} from unplanted cases",
        planted_h.len(),
        false_h.len(),
        planted_r.len(),
        unplanted_r.len()
    );
    assert_eq!(found_h, planted_h.len(), "every planted hotspot is found");
    assert_eq!(
        found_r,
        planted_r.len(),
        "every planted recurrence is found"
    );
    // The Bonferroni-corrected test at α = 0.01 keeps unplanted hotspots rare.
    assert!(false_h.len() <= 1, "unplanted hotspots: {false_h:#?}");
    for f in &unplanted_r {
        // Not planted, but still a real recurrence: ≥ 3 cases of one category.
        assert!(f["case_count"].as_i64().unwrap() >= 3, "{f}");
    }

    // Every kind has its tab's findings with evidence in words; the workbook downloads.
    for kind in ["lagging", "passed_around", "monthly_topic"] {
        let list = get(&admin, &format!("/api/v1/diagnosis/findings?kind={kind}")).await;
        for f in list["findings"].as_array().unwrap() {
            assert_eq!(f["kind"], kind);
            assert!(!f["summary"].as_str().unwrap().is_empty());
        }
    }
    let monthly = get(&admin, "/api/v1/diagnosis/findings?kind=monthly_topic").await;
    assert!(!monthly["findings"].as_array().unwrap().is_empty());
    let r = client
        .get(format!(
            "{base}/api/v1/diagnosis/findings.xlsx?kind=hotspot"
        ))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));

    // A hotspot's page lists its cases; a supervision order is opened on it, once.
    let h = &hotspots[0];
    let id = h["id"].as_i64().unwrap();
    let detail = get(&admin, &format!("/api/v1/diagnosis/findings/{id}")).await;
    assert_eq!(
        detail["cases"].as_array().unwrap().len() as i64,
        h["case_count"].as_i64().unwrap()
    );
    assert_eq!(detail["may_supervise"], true);
    let path = format!("/api/v1/diagnosis/findings/{id}/supervision");
    let (status, body) = post(&admin, &path, json!({"demand": ""})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["field"], "demand");
    let (status, body) = post(&admin, &path, json!({"demand": "七日内查明原因并整治"})).await;
    assert_eq!(status, 201, "{body}");
    let order = body["order_id"].as_i64().unwrap();
    let o = get(&admin, &format!("/api/v1/supervisions/{order}")).await;
    assert!(
        o["demand"]
            .as_str()
            .unwrap()
            .contains("七日内查明原因并整治")
    );
    let detail = get(&admin, &format!("/api/v1/diagnosis/findings/{id}")).await;
    assert_eq!(detail["acted_kind"], "supervision");
    assert_eq!(detail["acted_ref"].as_i64(), Some(order));
    let (status, _) = post(&admin, &path, json!({"demand": "again"})).await;
    assert_eq!(status, 409);

    // A case is opened on a recurrence (上级交办), marking it in the same transaction.
    let r = &recurrences[0];
    let rid = r["id"].as_i64().unwrap();
    let (status, body) = post(
        &admin,
        &format!("/api/v1/diagnosis/findings/{rid}/case"),
        json!({"description": "同一地点反复发生，请彻底整治"}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let case_id = body["case_id"].as_i64().unwrap();
    let case = get(&admin, &format!("/api/v1/cases/{case_id}")).await;
    assert_eq!(case["channel"], "superior_assignment", "{case}");
    let detail = get(&admin, &format!("/api/v1/diagnosis/findings/{rid}")).await;
    assert_eq!(detail["acted_kind"], "case");
    // The next run keeps both acted findings and does not raise them again.
    let (status, _) = post(&admin, "/api/v1/diagnosis/runs", json!({})).await;
    assert_eq!(status, 201);
    let all = get(&admin, "/api/v1/diagnosis/findings").await;
    let keys: Vec<&str> = all["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["key"] == h["key"] || f["key"] == r["key"])
        .map(|f| f["acted_kind"].as_str().unwrap_or("open"))
        .collect();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(keys.iter().all(|k| *k != "open"));

    // Scope: a street sees findings inside its area only, a department its own.
    let scope_of = async |token: &str| -> String {
        let me = get(token, "/api/v1/me").await;
        me["account"]["scope"].as_str().unwrap().to_string()
    };
    let s = scope_of(&street).await;
    let area = s
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches('0')
        .to_string();
    let theirs = get(&street, "/api/v1/diagnosis/findings").await;
    let theirs = theirs["findings"].as_array().unwrap();
    assert!(theirs.len() < all["findings"].as_array().unwrap().len());
    for f in theirs {
        assert!(
            f["place"].as_str().is_some_and(|p| p.starts_with(&area)),
            "{s}: {f}"
        );
    }
    let d = scope_of(&department).await;
    let code = d.rsplit(':').next().unwrap().to_string();
    let theirs = get(&department, "/api/v1/diagnosis/findings").await;
    for f in theirs["findings"].as_array().unwrap() {
        assert_eq!(f["department"].as_str(), Some(code.as_str()), "{d}: {f}");
    }
    // A department runs nothing: "run now" is for street, district and city staff.
    let (status, _) = post(&department, "/api/v1/diagnosis/runs", json!({})).await;
    assert_eq!(status, 403);
}
