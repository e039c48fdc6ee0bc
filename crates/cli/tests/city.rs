//! `gongzhi demo --scale city --cases N` as a benchmark operator uses it, at a small size: the
//! bulk-made cases count in the scorecards like any others, carry the events the workflow
//! writes, are on the signed log (receipts verify), and `verify --database` passes.

mod common;

use common::{gongzhi, ok, start};
use gongzhi_domain::calendar::{DAY_MS, date_of};
use std::process::{Command, Output};

fn run(c: &mut Command) -> Output {
    c.output().expect("run gongzhi")
}

#[tokio::test]
async fn a_small_city_with_a_year_of_bulk_cases_is_whole_and_verifiable() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("master.key"), "cd".repeat(32)).unwrap();
    ok(gongzhi(&data)
        .env("GONGZHI_DEMO_PASSWORD", "city2026pass")
        .args([
            "demo",
            "--scale",
            "city",
            "--grids",
            "288",
            "--households",
            "1500",
            "--cases",
            "3000",
        ]));
    let verified = run(gongzhi(&data).arg("verify"));
    assert!(
        verified.status.success(),
        "verify (database): {}\n{}",
        String::from_utf8_lossy(&verified.stdout),
        String::from_utf8_lossy(&verified.stderr)
    );

    let token = ok(gongzhi(&data).args(["token", "create", "--account", "admin"]))
        .trim()
        .to_string();
    let (_server, base) = start(&data).await;
    let client = reqwest::Client::new();
    let get = |path: String| {
        client
            .get(format!("{base}{path}"))
            .bearer_auth(&token)
            .send()
    };

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let r = get(format!(
        "/api/v1/metrics?by=street&from={}&to={}",
        date_of(now - 366 * DAY_MS),
        date_of(now)
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let card: serde_json::Value = r.json().await.unwrap();
    let total = &card["total"];
    assert_eq!(total["counters"]["reported"], 3000, "{total}");
    assert_eq!(card["groups"].as_array().unwrap().len(), 2, "two streets");
    let closed = total["counters"]["closed"].as_u64().unwrap();
    assert!(closed > 2400, "most cases of a year are closed: {closed}");
    assert!(total["counters"]["handled_late"].as_u64().unwrap() > 0);
    assert!(total["counters"]["reworked"].as_u64().unwrap() > 0);
    assert!(total["follow_ups"]["valid"].as_u64().unwrap() > 1000);
    let satisfaction = total["rates"]["satisfaction_rate"].as_f64().unwrap();
    assert!(
        (80.0..100.0).contains(&satisfaction),
        "satisfaction {satisfaction}"
    );

    // Case 1 was reported a year ago and has lived its whole life: the workflow's events,
    // each on the signed log.
    let r = get("/api/v1/cases/1/timeline".into()).await.unwrap();
    assert_eq!(r.status(), 200);
    let timeline = r.text().await.unwrap();
    for kind in [
        "reported",
        "registered",
        "dispatched",
        "started",
        "reported_back",
    ] {
        assert!(timeline.contains(kind), "{kind} in {timeline}");
    }
    let receipt = get("/api/v1/cases/1/receipt?format=text".into())
        .await
        .unwrap();
    assert_eq!(receipt.status(), 200);
    let receipt_file = dir.path().join("receipt.txt");
    std::fs::write(&receipt_file, receipt.text().await.unwrap()).unwrap();
    let checked = run(Command::new(env!("CARGO_BIN_EXE_gongzhi")).args([
        "verify",
        "--url",
        &format!("{base}/ledger"),
        "--receipt",
        receipt_file.to_str().unwrap(),
    ]));
    assert!(
        checked.status.success(),
        "receipt: {}\n{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );

    // A second run leaves the city alone and adds cases after the first ones.
    ok(gongzhi(&data)
        .env("GONGZHI_DEMO_PASSWORD", "city2026pass")
        .args(["demo", "--scale", "city", "--cases", "10"]));
}
