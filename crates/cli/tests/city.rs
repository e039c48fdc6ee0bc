//! `gongzhi demo --scale city --cases N` as a benchmark operator uses it, at a small size: the
//! bulk-made cases count in the scorecards like any others, carry the events the workflow
//! writes, are on the signed log (receipts verify), and `verify --database` passes.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

fn gongzhi(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongzhi"));
    c.arg("--data-dir")
        .arg(data)
        .env_remove("GONGZHI_MASTER_KEY")
        .env_remove("GONGZHI_DATABASE_URL")
        .env("GONGZHI_DEMO_PASSWORD", "city2026pass")
        .env("RUST_LOG", "warn");
    c
}

fn run(c: &mut Command) -> Output {
    c.output().expect("run gongzhi")
}

fn ok(c: &mut Command) -> String {
    let out = run(c);
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start(data: &Path) -> (Server, String) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = gongzhi(data)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server(child);
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(format!("{base}/healthz")).await
            && r.status() == 200
        {
            return (server, base);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server did not come up");
}

#[tokio::test]
async fn a_small_city_with_a_year_of_bulk_cases_is_whole_and_verifiable() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("master.key"), "cd".repeat(32)).unwrap();
    ok(gongzhi(&data).args([
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

    let today = chrono_like_today();
    let year_ago = today - 366;
    let r = get(format!(
        "/api/v1/metrics?by=street&from={}&to={}",
        ymd(year_ago),
        ymd(today)
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
    ok(gongzhi(&data).args(["demo", "--scale", "city", "--cases", "10"]));
}

/// Days since 1970-01-01 in Beijing time, today.
fn chrono_like_today() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    (now + 8 * 3600) / 86_400
}

/// `YYYY-MM-DD` of a day number (civil-from-days, proleptic Gregorian).
fn ymd(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}
