//! The `gongzhi` binary as an operator uses it: demo, export, import, tokens, backup and restore,
//! a server running on the same data, and refusals that say why.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

fn gongzhi(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongzhi"));
    c.arg("--data-dir")
        .arg(data)
        .env_remove("GONGZHI_MASTER_KEY")
        .env_remove("GONGZHI_DATABASE_URL");
    c.env("RUST_LOG", "warn");
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

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start_server(data: &Path, port: u16) -> Server {
    let child = gongzhi(data)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server(child);
    for _ in 0..100 {
        if let Ok(r) = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await
            && r.status() == 200
        {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server did not come up");
}

#[test]
fn help_documents_every_command() {
    let out = String::from_utf8(
        Command::new(env!("CARGO_BIN_EXE_gongzhi"))
            .arg("--help")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    for cmd in [
        "serve", "demo", "import", "export", "token", "account", "backup", "restore",
    ] {
        assert!(out.contains(cmd), "--help lacks {cmd}: {out}");
    }
    let serve = String::from_utf8(
        Command::new(env!("CARGO_BIN_EXE_gongzhi"))
            .args(["serve", "--help"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    for opt in [
        "--config",
        "--database",
        "--listen",
        "--data-dir",
        "--demo",
        "GONGZHI_DATABASE_URL",
        "GONGZHI_LISTEN",
        "GONGZHI_DATA_DIR",
        "--secure-cookies",
        "GONGZHI_SECURE_COOKIES",
        "--trusted-proxies",
        "GONGZHI_TRUSTED_PROXIES",
    ] {
        assert!(serve.contains(opt), "serve --help lacks {opt}");
    }
}

#[test]
fn serve_refuses_to_start_without_a_master_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(gongzhi(dir.path()).args(["serve", "--listen", "127.0.0.1:0"]));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("GONGZHI_MASTER_KEY") && err.contains("主密钥"),
        "{err}"
    );
}

#[tokio::test]
async fn an_operator_session() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let printed = ok(gongzhi(&data)
        .args(["demo", "--households", "300"])
        .env("GONGZHI_DEMO_PASSWORD", "demo2026pass"));
    for role in [
        "admin",
        "district",
        "street",
        "community",
        "grid_worker",
        "department",
        "party_org",
        "supervisor",
        "resident",
    ] {
        assert!(
            printed.contains(role),
            "demo accounts lack {role}: {printed}"
        );
    }
    assert!(printed.contains("demo2026pass"));
    // Storage by table, and what a case costs.
    let stats = ok(gongzhi(&data).arg("stats"));
    for table in ["cases*", "case_events*", "ledger_entries*", "residents"] {
        assert!(stats.contains(table), "stats lacks {table}: {stats}");
    }
    let per_case: f64 = stats
        .lines()
        .find(|l| l.starts_with("每件案件"))
        .and_then(|l| l.rsplit(": ").next())
        .and_then(|b| b.trim_end_matches(" B").parse().ok())
        .unwrap_or_else(|| panic!("no bytes per case: {stats}"));
    assert!(per_case > 100.0, "{stats}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("master.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the demo key file is private");
    }

    // A server runs on the same data while the CLI works on it.
    let port = free_port();
    let _server = start_server(&data, port).await;

    let xlsx = dir.path().join("residents.xlsx");
    ok(gongzhi(&data).args(["export", "residents"]).arg(&xlsx));
    assert!(std::fs::metadata(&xlsx).unwrap().len() > 5_000);
    let template = dir.path().join("template.xlsx");
    ok(gongzhi(&data)
        .args(["export", "template", "residents"])
        .arg(&template));
    let grids = dir.path().join("grids.geojson");
    ok(gongzhi(&data).args(["export", "grids"]).arg(&grids));
    let text = std::fs::read_to_string(&grids).unwrap();
    assert!(text.contains("FeatureCollection"));
    // A table under a .geojson name (or a map under .xlsx) is refused, and nothing written.
    for (kind, name) in [("areas", "areas.geojson"), ("grids", "grids.xlsx")] {
        let wrong = dir.path().join(name);
        let out = run(gongzhi(&data).args(["export", kind]).arg(&wrong));
        assert!(!out.status.success(), "{kind} {name}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("export"),
            "{kind}"
        );
        assert!(!wrong.exists(), "{name}");
    }

    // Re-importing the exported grids replaces them in place: no overlap with themselves.
    let out = ok(gongzhi(&data).args(["import", "grids"]).arg(&grids));
    assert!(out.contains("imported"), "{out}");

    // Two overlapping grids are refused naming both, and nothing is written.
    let overlap = dir.path().join("overlap.geojson");
    let sq = |lon: f64| {
        format!(
            "[[[{lon},31.40],[{},31.40],[{},31.401],[{lon},31.401],[{lon},31.40]]]",
            lon + 0.001,
            lon + 0.001
        )
    };
    std::fs::write(
        &overlap,
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"code":"320508021001901","name":"甲"}},"geometry":{{"type":"Polygon","coordinates":{}}}}},{{"type":"Feature","properties":{{"code":"320508021001902","name":"乙"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}]}}"#,
            sq(121.0),
            sq(121.0005)
        ),
    )
    .unwrap();
    let out = run(gongzhi(&data).args(["import", "grids"]).arg(&overlap));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("320508021001901") && err.contains("320508021001902"),
        "{err}"
    );
    assert!(err.contains("未写入任何数据"), "{err}");

    // A token for machine clients works against the running server.
    let token = ok(gongzhi(&data).args(["token", "create", "--account", "admin"]))
        .trim()
        .to_string();
    assert!(token.starts_with("gz_"));
    let client = reqwest::Client::new();
    let me: serde_json::Value = client
        .get(format!("http://127.0.0.1:{port}/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["account"]["username"], "admin");
    let before: serde_json::Value = client
        .get(format!(
            "http://127.0.0.1:{port}/api/v1/residents?per_page=1"
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    // Issue 11 finding 13: tokens expire (--days) and are revoked from the command line; the
    // server refuses a revoked one at once.
    let short = ok(gongzhi(&data).args([
        "token",
        "create",
        "--account",
        "admin",
        "--name",
        "revoke-me",
        "--days",
        "7",
    ]))
    .trim()
    .to_string();
    let status = |t: String| {
        let client = client.clone();
        async move {
            client
                .get(format!("http://127.0.0.1:{port}/api/v1/me"))
                .bearer_auth(t)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(status(short.clone()).await, 200);
    let listed = ok(gongzhi(&data).args(["token", "list", "--account", "admin"]));
    let line = listed
        .lines()
        .find(|l| l.contains("revoke-me"))
        .unwrap_or_else(|| panic!("{listed}"));
    let id = line.split('\t').next().unwrap().to_string();
    ok(gongzhi(&data).args(["token", "revoke", "--id", &id]));
    assert_eq!(status(short).await, 401);
    assert_eq!(status(token.clone()).await, 200, "only that token");
    let out = run(gongzhi(&data).args(["token", "create", "--account", "admin", "--days", "0"]));
    assert!(!out.status.success());
    let key = ok(gongzhi(&data).args(["apikey", "create", "--name", "cli-test-key"]));
    assert!(key.trim().starts_with("o311_"));
    let keys = ok(gongzhi(&data).args(["apikey", "list"]));
    let key_id = keys
        .lines()
        .find(|l| l.contains("\tcli-test-key\t"))
        .unwrap_or_else(|| panic!("{keys}"))
        .split('\t')
        .next()
        .unwrap()
        .to_string();
    ok(gongzhi(&data).args(["apikey", "revoke", "--id", &key_id]));
    assert!(!ok(gongzhi(&data).args(["apikey", "list"])).contains("cli-test-key"));

    // Backup while serving, restore elsewhere, and the copy holds the same residents.
    let tar = dir.path().join("backup.tar");
    ok(gongzhi(&data).args(["backup", "--to"]).arg(&tar));
    let restored = dir.path().join("restored");
    ok(gongzhi(&restored).args(["restore", "--from"]).arg(&tar));
    let out = run(gongzhi(&restored).args(["restore", "--from"]).arg(&tar));
    assert!(
        !out.status.success(),
        "restore over an existing database needs --force"
    );
    let port2 = free_port();
    let _copy = start_server(&restored, port2).await;
    let token2 = ok(gongzhi(&restored).args(["token", "create", "--account", "admin"]))
        .trim()
        .to_string();
    let after: serde_json::Value = client
        .get(format!(
            "http://127.0.0.1:{port2}/api/v1/residents?per_page=1"
        ))
        .bearer_auth(&token2)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after["total"], before["total"]);
    assert_eq!(
        after["items"][0]["id_number"], before["items"][0]["id_number"],
        "the restored key decrypts the restored data"
    );
}

/// `gongzhi import calendar FILE` on the console: a bad line is refused naming it, a good file
/// loads its year, and a server already running on the same data counts on it within seconds.
#[tokio::test]
async fn import_calendar_reaches_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ok(gongzhi(&data)
        .args(["demo", "--households", "50"])
        .env("GONGZHI_DEMO_PASSWORD", "demo2026pass"));
    let port = free_port();
    let _server = start_server(&data, port).await;
    let token = ok(gongzhi(&data).args(["token", "create", "--account", "admin"]))
        .trim()
        .to_string();
    let years = || async {
        let v: serde_json::Value = reqwest::Client::new()
            .get(format!("http://127.0.0.1:{port}/api/v1/calendar"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["years"].clone()
    };
    assert_eq!(years().await, serde_json::json!([2025, 2026]));

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "date,kind,name\n2027-01-01,rest,元旦\n").unwrap();
    let out = run(gongzhi(&data).args(["import", "calendar"]).arg(&bad));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("节假日安排第 2 行")
            && err.contains("line 2")
            && err.contains("未写入任何数据"),
        "{err}"
    );

    let good = dir.path().join("2027.csv");
    std::fs::write(
        &good,
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n",
    )
    .unwrap();
    let out = ok(gongzhi(&data).args(["import", "calendar"]).arg(&good));
    assert!(out.contains("已载入2027年工作日历，共2天"), "{out}");
    let want = serde_json::json!([2025, 2026, 2027]);
    for _ in 0..100 {
        if years().await == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the running server did not pick up 2027: {}", years().await);
}

/// `gongzhi import cadres FILE` on the console: a bad row is refused naming its row and column
/// in both languages and nothing is written; a good file is imported (the demo seeded a roster
/// already, which the file's people join).
#[test]
fn import_cadres_on_the_console() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ok(gongzhi(&data)
        .args(["demo", "--households", "50"])
        .env("GONGZHI_DEMO_PASSWORD", "demo2026pass"));
    let header = "姓名,性别,出生日期,学历,职务,所属社区,任职日期";
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        format!("{header}\n张丽,女,1986-04-12,本科,书记,320508021001,2021-01-15\n王强,男,1979-03-02,大专,委员,320508021000,2018-06-01\n"),
    )
    .unwrap();
    let out = run(gongzhi(&data).args(["import", "cadres"]).arg(&bad));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("第3行")
            && err.contains("所属社区")
            && err.contains("row 3")
            && err.contains("未写入任何数据"),
        "{err}"
    );
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        format!("{header}\n张丽,女,1986-04-12,本科,书记,320508021001,2021-01-15\n王强,男,1979-03-02,大专,委员,320508021001,2018-06-01\n"),
    )
    .unwrap();
    let out = ok(gongzhi(&data).args(["import", "社区干部名册"]).arg(&good));
    assert!(out.contains("已导入社区干部 2 人"), "{out}");
}
