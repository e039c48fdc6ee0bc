//! `gongzhi verify` as an operator and an outside auditor use it: a served log checked over
//! HTTP (with an older checkpoint and a receipt), the database checked against its signed log,
//! tiles exported as static files, and a tampered event that makes the check fail naming the
//! entry and the case, in Chinese and English, with a non-zero exit.

mod common;

use common::{gongzhi, ok, start};
use std::time::Duration;

/// Waits until the signed checkpoint covers at least `size` entries; returns it.
async fn checkpoint_of(base: &str, size: u64) -> String {
    for _ in 0..100 {
        if let Ok(r) = reqwest::get(format!("{base}/ledger/checkpoint")).await
            && r.status() == 200
        {
            let text = r.text().await.unwrap();
            let n: u64 = text.lines().nth(1).unwrap().parse().unwrap();
            if n >= size {
                return text;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no checkpoint of size {size}");
}

#[tokio::test]
async fn verify_a_served_log_and_the_database_behind_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("master.key"), "ab".repeat(32)).unwrap();
    ok(gongzhi(&data)
        .args([
            "account",
            "create",
            "--username",
            "admin",
            "--role",
            "admin",
            "--scope",
            "all",
        ])
        .env("GONGZHI_NEW_PASSWORD", "verify2026pass"));
    let token = ok(gongzhi(&data).args(["token", "create", "--account", "admin"]))
        .trim()
        .to_string();
    let (server, base) = start(&data).await;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("ledger.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the ledger key is private");
    }
    let client = reqwest::Client::new();
    let file = |description: &str| {
        client
            .post(format!("{base}/api/v1/cases"))
            .bearer_auth(&token)
            .json(&serde_json::json!({
                "category": "E0102", "address": "金阊街道某小区3幢",
                "description": description, "channel": "hotline", "reporter_phone": "13912345678"
            }))
            .send()
    };
    let r = file("张大爷反映楼道堆物").await.unwrap();
    assert_eq!(r.status(), 201);
    let created: serde_json::Value = r.json().await.unwrap();
    let ticket = created["case"]["ticket"].as_str().unwrap().to_string();
    let case_id = created["case"]["id"].as_i64().unwrap();
    let old = checkpoint_of(&base, 1).await;
    let old_file = dir.path().join("old.checkpoint");
    std::fs::write(&old_file, &old).unwrap();
    assert_eq!(
        file("李阿姨反映路灯不亮").await.unwrap().status(),
        201,
        "second case"
    );
    checkpoint_of(&base, 2).await;
    let receipt = client
        .get(format!("{base}/api/v1/cases/{case_id}/receipt?format=text"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let receipt_file = dir.path().join("case.tlog-proof");
    std::fs::write(&receipt_file, &receipt).unwrap();
    let vkey = reqwest::get(format!("{base}/ledger/vkey"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    // An outside auditor, with the key they trust, the checkpoint they kept and a receipt.
    let out = ok(gongzhi(&data)
        .args([
            "verify",
            "--url",
            &base,
            "--vkey",
            vkey.trim(),
            "--checkpoint",
        ])
        .arg(&old_file)
        .arg("--receipt")
        .arg(&receipt_file));
    assert!(out.contains("账本核验通过 / ledger verified"), "{out}");
    assert!(out.contains("consistent with the old checkpoint"), "{out}");
    assert!(out.contains(&format!("案件 case {ticket}")), "{out}");

    // The operator: the database against its signed log, then the tiles as static files.
    let tiles = dir.path().join("tiles");
    let out = ok(gongzhi(&data)
        .args(["verify", "--export-tiles"])
        .arg(&tiles));
    assert!(out.contains("账本核验通过 / ledger verified"), "{out}");
    let published = std::fs::read_to_string(tiles.join("checkpoint")).unwrap();
    assert!(
        published.starts_with("gongzhi.local/ledger\n"),
        "{published}"
    );
    let size: u64 = published.lines().nth(1).unwrap().parse().unwrap();
    assert!(tiles.join(format!("tile/entries/000.p/{size}")).exists());
    assert!(tiles.join(format!("tile/0/000.p/{size}")).exists());
    assert_eq!(
        std::fs::read_to_string(tiles.join("vkey")).unwrap().trim(),
        vkey.trim()
    );

    // Someone edits the stored report: the check fails, naming the entry and the case.
    drop(server);
    let store = gongzhi_store::Store::open(
        &format!("sqlite://{}?mode=rwc", data.join("gongzhi.db").display()),
        gongzhi_store::pii::PiiCipher::new(
            &gongzhi_store::pii::MasterKey::parse(&"ab".repeat(32)).unwrap(),
        ),
    )
    .await
    .unwrap();
    let index = store
        .ledger_entry_index_for(case_id, 1)
        .await
        .unwrap()
        .unwrap()
        .0
        .unwrap();
    sqlx::query("UPDATE cases SET description = '无事发生' WHERE id = $1")
        .bind(case_id)
        .execute(store.pool())
        .await
        .unwrap();
    store.close().await;
    let out = gongzhi(&data).arg("verify").output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("账本第 {index} 条记录（案件 {ticket}")),
        "{err}"
    );
    assert!(
        err.contains(&format!("ledger entry {index} (case {ticket}")),
        "{err}"
    );
    assert!(
        err.contains("账本核验失败") && err.contains("ledger verification failed"),
        "{err}"
    );

    // A key the log was not signed with is refused.
    let other = "gongzhi.local/ledger+00000000+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let out = gongzhi(&data)
        .args(["verify", "--vkey", other])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("验证公钥") && err.contains("verifier key"),
        "{err}"
    );
}
