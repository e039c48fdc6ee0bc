//! `gongzhi demo --households N` (what CI runs before the browser walk) makes the living demo:
//! 90 days of cases ending now in every state, consistent with the scorecard tallies and the
//! signed log (`verify` passes), whistles on the board, work on every home page, and a demo
//! account per department that has cases.

mod common;

use common::{gongzhi, ok, start};
use serde_json::Value;
use std::collections::BTreeSet;

const PASSWORD: &str = "living2026pass";

#[tokio::test]
async fn the_living_demo_has_work_on_every_home_page_and_counts_that_match_the_case_list() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let printed = ok(gongzhi(&data).env("GONGZHI_DEMO_PASSWORD", PASSWORD).args([
        "demo",
        "--households",
        "1500",
    ]));
    ok(gongzhi(&data).arg("verify"));

    let token = |account: &str| {
        ok(gongzhi(&data).args(["token", "create", "--account", account]))
            .trim()
            .to_string()
    };
    let tokens: Vec<(&str, String)> = [
        "admin",
        "street",
        "community",
        "grid",
        "department",
        "resident",
    ]
    .into_iter()
    .map(|a| (a, token(a)))
    .collect();
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
    let of = |who: &str| tokens.iter().find(|t| t.0 == who).unwrap().1.clone();

    // Every state of the closed loop, city-wide.
    let admin = of("admin");
    let mut states = BTreeSet::new();
    for s in [
        "reported",
        "registered",
        "dispatched",
        "in_progress",
        "reported_back",
        "verified",
        "closed",
        "rated",
        "cancelled",
        "deferred",
    ] {
        let list = get(&admin, &format!("/api/v1/cases?state={s}&per_page=1")).await;
        if list["total"].as_i64().unwrap() > 0 {
            states.insert(s);
        }
    }
    assert!(states.len() >= 9, "states present: {states:?}");
    let whistles = get(&admin, "/api/v1/whistles?show=all").await;
    assert!(
        !whistles.as_array().unwrap().is_empty(),
        "whistles on the board"
    );

    // The scorecard tallies count exactly the cases written.
    let all = get(&admin, "/api/v1/cases?per_page=1").await["total"]
        .as_i64()
        .unwrap();
    let card = get(
        &admin,
        "/api/v1/metrics?by=department&from=2000-01-01&to=2100-12-31",
    )
    .await;
    assert_eq!(card["total"]["counters"]["reported"].as_i64(), Some(all));

    // The street's home: non-zero work, each count what the case list returns for its link.
    for (who, token) in &tokens {
        let work = get(token, "/api/v1/work").await;
        let tiles = work["tiles"].as_array().unwrap();
        if *who == "resident" {
            // The demo resident has reports of its own, as the case list has them.
            // Its case tiles (its topics' tile counts topics, not cases).
            let own: i64 = tiles
                .iter()
                .filter(|t| t["href"].as_str().unwrap().starts_with("/cases?"))
                .map(|t| t["count"].as_i64().unwrap())
                .sum();
            assert!(own > 0, "{work}");
            let list = get(token, "/api/v1/cases?per_page=1").await;
            assert!(list["total"].as_i64().unwrap() >= own, "{work} {list}");
            continue;
        }
        // The four case tiles first; the party modules' tiles follow for those who keep them.
        let case_tiles: Vec<&serde_json::Value> = tiles
            .iter()
            .filter(|t| t["href"].as_str().unwrap().starts_with("/cases?"))
            .collect();
        assert_eq!(case_tiles.len(), 4, "{who}: {work}");
        assert!(
            tiles[..4]
                .iter()
                .all(|t| t["href"].as_str().unwrap().starts_with("/cases?")),
            "{who}: {work}"
        );
        for tile in case_tiles {
            let key = tile["key"].as_str().unwrap();
            let href = tile["href"].as_str().unwrap();
            let query = href.strip_prefix("/cases?").unwrap();
            // "Due soon" and "overdue" are read against the clock: a case may cross the line
            // between the home page's request and the list's. The two must agree when asked
            // again at once; a count that disagrees every time is a bug.
            let (mut count, mut total) = (tile["count"].clone(), Value::Null);
            for _ in 0..3 {
                total =
                    get(token, &format!("/api/v1/cases?{query}&per_page=1")).await["total"].clone();
                if count == total {
                    break;
                }
                let again = get(token, "/api/v1/work").await;
                count = again["tiles"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|t| t["key"] == key)
                    .unwrap()["count"]
                    .clone();
            }
            assert_eq!(
                count, total,
                "{who} {key}: the home count is the list's ({href})"
            );
        }
        if *who == "street" {
            let count = |k: &str| {
                tiles.iter().find(|t| t["key"] == k).unwrap()["count"]
                    .as_i64()
                    .unwrap()
            };
            assert!(count("waiting") > 0, "street 待办: {work}");
            assert!(count("overdue") > 0, "street 已超期: {work}");
            assert!(count("new_today") > 0, "street 今日新增: {work}");
            let rates = work["rates"].as_array().unwrap();
            assert_eq!(rates.len(), 3, "{work}");
        }
        // The grid, the community and the department each have cases in several states.
        if ["grid", "community", "department"].contains(who) {
            let list = get(token, "/api/v1/cases?per_page=500").await;
            let mine: BTreeSet<&str> = list["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["state"].as_str().unwrap())
                .collect();
            assert!(mine.len() >= 3, "{who}: {mine:?}");
        }
    }

    // One demo account per department with cases, listed among the printed accounts.
    let departments = card["groups"].as_array().unwrap();
    let with_cases: Vec<&str> = departments
        .iter()
        .filter_map(|g| g["key"].as_str())
        .filter(|k| !k.is_empty())
        .collect();
    assert!(with_cases.len() > 3, "{with_cases:?}");
    for code in &with_cases {
        let login = format!("dept-{}", code.to_lowercase());
        assert!(
            printed.contains(&login),
            "{login} printed; departments with cases {with_cases:?}"
        );
        let token = token(&login);
        let list = get(&token, "/api/v1/cases?per_page=1").await;
        assert!(
            list["total"].as_i64().unwrap() > 0,
            "{login} sees its cases"
        );
    }
    // And it logs in with the demo password like the others.
    let login = format!("dept-{}", with_cases[0].to_lowercase());
    let r = client
        .post(format!("{base}/api/v1/session"))
        .json(&serde_json::json!({"username": login, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{login} logs in");
}
