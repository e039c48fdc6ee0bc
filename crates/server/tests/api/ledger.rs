//! The verifiable history over HTTP on SQLite and PostgreSQL: the public tlog-tiles API checked
//! the way an outside client would (signature, tiles, bundles, proofs), receipts, the timeline's
//! verified marks, no personal data on the log, and tampering with stored events — edited,
//! deleted, reordered — found by `gongzhi verify --database`'s library function, which names
//! the entry index and the case.

use crate::app::{GRID_ORIGINS, TestApp, spawn_app};
use gongzhi_domain::codes::IdNumber;
use gongzhi_ledger::proof::{tree_hash, verify_consistency, verify_inclusion};
use gongzhi_ledger::tiles::{decode_bundle, new_bundles, parse_tile_data, tiles_for_size};
use gongzhi_ledger::{
    Checkpoint, Hash, Receipt, Tile, TileHashReader, Verifier, full_verify, leaf_hash,
};
use gongzhi_server::ledger::sequencer;
use gongzhi_server::ledger::verify::{RemoteOptions, verify_database, verify_remote};
use gongzhi_testkit::backends;
use serde_json::{Value, json};
use sha2::Digest;
use std::collections::HashMap;

async fn post(app: &TestApp, who: &str, path: &str, body: Value) -> Value {
    let r = app
        .client
        .post(app.url(path))
        .bearer_auth(&app.tokens[who])
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let v: Value = r.json().await.unwrap_or(Value::Null);
    assert!(
        status == 200 || status == 201,
        "{who} {path} {body}: {status} {v}"
    );
    v
}

async fn cmd(app: &TestApp, who: &str, id: i64, body: Value) -> Value {
    post(app, who, &format!("/api/v1/cases/{id}/commands"), body).await
}

/// Files a report; returns (id, ticket, lookup code).
async fn report(app: &TestApp, who: &str, body: Value) -> (i64, String, String) {
    let v = post(app, who, "/api/v1/cases", body).await;
    (
        v["case"]["id"].as_i64().unwrap(),
        v["case"]["ticket"].as_str().unwrap().to_string(),
        v["lookup_code"].as_str().unwrap().to_string(),
    )
}

fn here() -> (f64, f64) {
    (GRID_ORIGINS[0].1 + 0.0004, GRID_ORIGINS[0].2 + 0.0004)
}

/// The residents' personal data in spawn_app's population, and the staff's names.
fn secrets() -> Vec<String> {
    let mut s = Vec::new();
    for i in 0..3u16 {
        s.push(format!("居民{i}"));
        s.push(format!("1380000{:04}", 2000 + i));
        s.push(
            IdNumber::from_parts("320508", 1960 + i32::from(i), 5, 20, 200 + i)
                .as_str()
                .to_string(),
        );
    }
    for who in ["resident", "admin", "department", "street"] {
        s.push(format!("测试{who}"));
    }
    s.push("测试路1号".into());
    s
}

/// Cases whose descriptions, notes and reporter phones carry the residents' personal data.
async fn drive(app: &TestApp) -> Vec<(i64, String, String)> {
    let (lon, lat) = here();
    let id0 = IdNumber::from_parts("320508", 1960, 5, 20, 200);
    let a = report(
        app,
        "resident",
        json!({"category": "E0102", "lon": lon, "lat": lat, "address": "测试路1号",
               "description": format!("居民0（身份证{}，电话13800002000）门口垃圾三天没人清运", id0.as_str())}),
    )
    .await;
    let b = report(
        app,
        "admin",
        json!({"category": "E0101", "lon": lon, "lat": lat, "address": "测试路1号",
               "description": "12345来电：居民1反映楼道堆物", "channel": "hotline",
               "reporter_phone": "13800002001"}),
    )
    .await;
    let c = report(
        app,
        "resident",
        json!({"category": "E0102", "lon": lon, "lat": lat, "address": "测试路1号",
               "description": "居民2 13800002002 反映路灯不亮"}),
    )
    .await;
    cmd(app, "department", a.0, json!({"command": "start"})).await;
    cmd(
        app,
        "department",
        a.0,
        json!({"command": "report_back", "note": "已联系居民0（13800002000），垃圾已清运"}),
    )
    .await;
    cmd(app, "department", b.0, json!({"command": "start"})).await;
    vec![a, b, c]
}

async fn get(app: &TestApp, path: &str) -> reqwest::Response {
    app.client.get(app.url(path)).send().await.unwrap()
}

fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_public_log_verifies_like_an_outside_client_would() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let cases = drive(&app).await;
        let first = sequencer::tick(&app.state).await.unwrap().expect("signed");
        assert!(first.size >= 9, "{backend:?} {}", first.size);
        let old_signed = get(&app, "/ledger/checkpoint").await.text().await.unwrap();
        // More happens; the next checkpoint must extend the first.
        cmd(&app, "department", cases[2].0, json!({"command": "start"})).await;
        let cp = sequencer::tick(&app.state)
            .await
            .unwrap()
            .expect("signed again");
        assert!(cp.size > first.size);
        assert!(sequencer::tick(&app.state).await.unwrap().is_none());

        // Checkpoint and key, as published.
        let r = get(&app, "/ledger/checkpoint").await;
        assert_eq!(r.status(), 200);
        assert_eq!(header(&r, "content-type"), "text/plain; charset=utf-8");
        assert_eq!(header(&r, "cache-control"), "public, max-age=1");
        let signed = r.text().await.unwrap();
        let vkey = get(&app, "/ledger/vkey").await.text().await.unwrap();
        let verifier = Verifier::parse(vkey.trim()).unwrap();
        assert_eq!(verifier.name(), "gongzhi.local/ledger");
        let opened = Checkpoint::open(&signed, std::slice::from_ref(&verifier)).unwrap();
        assert_eq!(opened, cp);
        assert_eq!(opened.origin, "gongzhi.local/ledger");

        // Every tile and bundle, with the spec's content type and caching.
        let mut tiles: HashMap<Tile, Vec<u8>> = HashMap::new();
        let mut leaves: Vec<Hash> = Vec::new();
        for t in tiles_for_size(cp.size) {
            let r = get(&app, &format!("/ledger/{}", t.path())).await;
            assert_eq!(r.status(), 200, "{t}");
            assert_eq!(header(&r, "content-type"), "application/octet-stream");
            let cache = header(&r, "cache-control");
            if t.is_partial() {
                assert!(!cache.contains("immutable"), "{t} {cache}");
            } else {
                assert_eq!(cache, "public, max-age=31536000, immutable");
            }
            let data = r.bytes().await.unwrap().to_vec();
            if t.level == 0 {
                leaves.extend(parse_tile_data(&data, t.width).unwrap());
            }
            tiles.insert(t, data);
        }
        let mut entries: Vec<Vec<u8>> = Vec::new();
        for b in new_bundles(0, cp.size) {
            let r = get(&app, &format!("/ledger/{}", b.path())).await;
            assert_eq!(r.status(), 200, "{b}");
            assert_eq!(header(&r, "content-type"), "application/octet-stream");
            let data = r.bytes().await.unwrap();
            entries.extend(
                decode_bundle(&data)
                    .unwrap()
                    .into_iter()
                    .map(<[u8]>::to_vec),
            );
        }
        assert_eq!(entries.len() as u64, cp.size);
        full_verify(
            entries.iter().map(Vec::as_slice),
            &signed,
            std::slice::from_ref(&verifier),
            Some(&leaves),
        )
        .unwrap();
        let reader = TileHashReader::new(cp.size, |t: &Tile| tiles.get(t).cloned().ok_or("none"));
        assert_eq!(tree_hash(cp.size, &reader).unwrap(), cp.root);

        // No personal data anywhere on the log.
        for e in &entries {
            let text = String::from_utf8(e.clone()).unwrap();
            for s in secrets() {
                assert!(!text.contains(&s), "{backend:?}: {s} in {text}");
            }
            let v: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v["v"], 1);
            assert!(v["actor"].as_str().unwrap().starts_with("sha256:"));
        }

        // Beyond the published tree, and malformed paths: 404.
        assert_eq!(get(&app, "/ledger/tile/0/001").await.status(), 404);
        assert_eq!(get(&app, "/ledger/tile/0/1").await.status(), 404);
        assert_eq!(
            get(&app, "/ledger/tile/entries/000.p/255").await.status(),
            404
        );

        // The proof API agrees with the signed roots.
        let p: Value = get(
            &app,
            &format!("/ledger/proof/inclusion?index=3&size={}", cp.size),
        )
        .await
        .json()
        .await
        .unwrap();
        let proof: Vec<Hash> = p["proof"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| Hash::from_base64(h.as_str().unwrap()).unwrap())
            .collect();
        verify_inclusion(&leaf_hash(&entries[3]), 3, cp.size, &proof, &cp.root).unwrap();
        let p: Value = get(
            &app,
            &format!(
                "/ledger/proof/consistency?old={}&new={}",
                first.size, cp.size
            ),
        )
        .await
        .json()
        .await
        .unwrap();
        let proof: Vec<Hash> = p["proof"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| Hash::from_base64(h.as_str().unwrap()).unwrap())
            .collect();
        verify_consistency(first.size, cp.size, &first.root, &cp.root, &proof).unwrap();
        let r = get(
            &app,
            &format!("/ledger/proof/inclusion?index=0&size={}", cp.size + 1),
        )
        .await;
        assert_eq!(r.status(), 404);

        // A receipt for the case's latest entry, with its entry, verifies offline.
        let (id, ticket, code) = &cases[0];
        let body: Value = app
            .get_as("street", &format!("/api/v1/cases/{id}/receipt"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(body["ticket"], *ticket, "{body}");
        assert_eq!(body["matches_event"], true);
        let receipt = Receipt::parse(body["receipt"].as_str().unwrap()).unwrap();
        let entry = receipt.extra.clone().unwrap();
        assert_eq!(entry, body["entry"].as_str().unwrap().as_bytes());
        let rcp = receipt
            .verify(&entry, std::slice::from_ref(&verifier))
            .unwrap();
        assert_eq!(rcp.size, cp.size);
        assert_eq!(entries[receipt.index as usize], entry);
        let logged: Value = serde_json::from_slice(&entry).unwrap();
        assert_eq!(logged["case"], *ticket);
        assert_eq!(logged["kind"], "reported_back");

        // The reporter's receipt for the report, by lookup code: its description opens; the
        // salts of the short values (address, point, phone) stay with staff.
        let body: Value = get(&app, &format!("/api/v1/public/cases/{code}/receipt?seq=1"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(body["kind"], "reported", "{body}");
        let opened: Vec<&String> = body["openings"].as_object().unwrap().keys().collect();
        assert_eq!(opened, vec!["data.description"], "{body}");
        let salt = body["openings"]["data.description"].as_str().unwrap();
        let salt: Vec<u8> = (0..salt.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&salt[i..i + 2], 16).unwrap())
            .collect();
        let id0 = IdNumber::from_parts("320508", 1960, 5, 20, 200);
        let mut h = sha2::Sha256::new();
        h.update(&salt);
        h.update(
            format!(
                "居民0（身份证{}，电话13800002000）门口垃圾三天没人清运",
                id0.as_str()
            )
            .as_bytes(),
        );
        let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let entry: Value = serde_json::from_str(body["entry"].as_str().unwrap()).unwrap();
        assert_eq!(entry["data"]["description"], format!("sha256:{hex}"));
        let r = get(
            &app,
            &format!("/api/v1/public/cases/{code}/receipt?format=text"),
        )
        .await;
        assert_eq!(header(&r, "content-type"), "text/plain; charset=utf-8");
        let text = r.text().await.unwrap();
        assert!(text.starts_with("c2sp.org/tlog-proof@v1\nextra "), "{text}");
        let public = Receipt::parse(&text).unwrap();
        public
            .verify(
                public.extra.as_deref().unwrap(),
                std::slice::from_ref(&verifier),
            )
            .unwrap();

        // The timeline shows each event's index, verified against the signed checkpoint.
        let tl: Value = app
            .get_as("street", &format!("/api/v1/cases/{id}/timeline"))
            .await
            .json()
            .await
            .unwrap();
        for e in tl.as_array().unwrap() {
            assert!(e["ledger_index"].as_u64().is_some(), "{e}");
            assert_eq!(e["ledger_verified"], true, "{e}");
        }
        let page = get(&app, &format!("/track?code={code}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("已验证 ✓"), "{backend:?}");

        // `gongzhi verify --url` (its library function), with an old checkpoint and a receipt.
        let report = verify_remote(
            &reqwest::Client::new(),
            &RemoteOptions {
                url: app.url(""),
                vkey: Some(verifier.clone()),
                old_checkpoint: Some(old_signed.clone()),
                receipt: Some(text.clone()),
            },
        )
        .await
        .unwrap();
        assert_eq!(report.checkpoint, cp);
        assert_eq!(report.entries, cp.size);
        assert_eq!(report.consistent_with, Some(first.size));
        let rc = report.receipt.unwrap();
        assert_eq!(
            (rc.ticket.as_deref(), rc.kind.as_deref()),
            (Some(ticket.as_str()), Some("reported_back"))
        );
        // A checkpoint from another key is refused.
        let stranger = gongzhi_ledger::Signer::from_seed("gongzhi.local/ledger", [9; 32]).unwrap();
        let err = verify_remote(
            &reqwest::Client::new(),
            &RemoteOptions {
                url: app.url("/ledger"),
                vkey: Some(stranger.verifier()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
        assert_eq!(err.code, "ledger_bad_checkpoint", "{err}");
    }
}

async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(app.store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn index_of(app: &TestApp, case_id: i64, seq: i64) -> u64 {
    app.store
        .ledger_entry_index_for(case_id, seq)
        .await
        .unwrap()
        .unwrap()
        .0
        .unwrap()
}

/// Runs the database check; asserts it fails and that its messages name each of `entries`
/// (index) and the ticket.
async fn assert_named(
    app: &TestApp,
    verifier: &Verifier,
    entries: &[u64],
    ticket: &str,
    what: &str,
) {
    let report = verify_database(&app.store, std::slice::from_ref(verifier))
        .await
        .unwrap();
    assert!(!report.is_ok(), "{what}: tampering not found");
    let messages: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    for idx in entries {
        assert!(
            messages
                .iter()
                .any(|m| m.contains(&format!("账本第 {idx} 条记录"))
                    && m.contains(&format!("ledger entry {idx} "))
                    && m.contains(ticket)),
            "{what}: entry {idx} / {ticket} not named in {messages:?}"
        );
    }
}

#[tokio::test]
async fn tampering_with_stored_events_is_found_and_named() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let cases = drive(&app).await;
        sequencer::tick(&app.state).await.unwrap().expect("signed");
        let verifier = app.state.ledger.verifier().clone();
        let clean = verify_database(&app.store, std::slice::from_ref(&verifier))
            .await
            .unwrap();
        assert!(clean.is_ok(), "{backend:?} {:?}", clean.problems);
        assert_eq!(clean.size, clean.events);
        let (a, ticket_a, _) = &cases[0];

        // (a) An event's payload edited: the report-back note rewritten.
        let events = app.store.case_events(*a).await.unwrap();
        let back = events.iter().find(|e| e.kind == "reported_back").unwrap();
        exec(
            &app,
            &format!(
                "UPDATE case_events SET payload = REPLACE(payload, '垃圾已清运', '无需处理') WHERE id = {}",
                back.id
            ),
        )
        .await;
        let idx = index_of(&app, *a, back.seq).await;
        assert_named(&app, &verifier, &[idx], ticket_a, "edit").await;
        // The timeline no longer marks it verified.
        let tl: Value = app
            .get_as("street", &format!("/api/v1/cases/{a}/timeline"))
            .await
            .json()
            .await
            .unwrap();
        let shown = tl
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["seq"] == back.seq)
            .unwrap();
        assert_eq!(shown["ledger_verified"], false, "{shown}");
        exec(
            &app,
            &format!(
                "UPDATE case_events SET payload = REPLACE(payload, '无需处理', '垃圾已清运') WHERE id = {}",
                back.id
            ),
        )
        .await;
        assert!(
            verify_database(&app.store, std::slice::from_ref(&verifier))
                .await
                .unwrap()
                .is_ok()
        );

        // (b) An event row deleted.
        let last = events.last().unwrap();
        exec(
            &app,
            &format!("DELETE FROM case_events WHERE id = {}", last.id),
        )
        .await;
        let idx = index_of(&app, *a, last.seq).await;
        assert_named(&app, &verifier, &[idx], ticket_a, "delete").await;
        let payload = serde_json::to_string(&last.event)
            .unwrap()
            .replace('\'', "''");
        exec(
            &app,
            &format!(
                "INSERT INTO case_events (id, case_id, seq, kind, payload, actor_id, actor_name, at) VALUES ({}, {}, {}, '{}', '{}', {}, '{}', {})",
                last.id,
                last.case_id,
                last.seq,
                last.kind,
                payload,
                last.actor_id.map_or("NULL".to_string(), |i| i.to_string()),
                last.actor_name,
                last.at
            ),
        )
        .await;
        assert!(
            verify_database(&app.store, std::slice::from_ref(&verifier))
                .await
                .unwrap()
                .is_ok()
        );

        // (c) Two events swapped in order.
        let (s2, s3) = (events[1].seq, events[2].seq);
        for sql in [
            format!("UPDATE case_events SET seq = -1 WHERE case_id = {a} AND seq = {s2}"),
            format!("UPDATE case_events SET seq = {s2} WHERE case_id = {a} AND seq = {s3}"),
            format!("UPDATE case_events SET seq = {s3} WHERE case_id = {a} AND seq = -1"),
        ] {
            exec(&app, &sql).await;
        }
        let i2 = index_of(&app, *a, s2).await;
        let i3 = index_of(&app, *a, s3).await;
        assert_named(&app, &verifier, &[i2, i3], ticket_a, "swap").await;

        // The sequencer keeps working for untouched cases, and refuses nothing it should sign.
        cmd(&app, "department", cases[2].0, json!({"command": "start"})).await;
        assert!(sequencer::tick(&app.state).await.unwrap().is_some());
    }
}

#[tokio::test]
async fn the_running_sequencer_signs_new_events_within_a_second() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let task = sequencer::spawn(app.state.clone());
        let (lon, lat) = here();
        let (_, ticket, _) = report(
            &app,
            "resident",
            json!({"category": "E0102", "lon": lon, "lat": lat, "description": "井盖缺失"}),
        )
        .await;
        let started = std::time::Instant::now();
        let events = loop {
            let r = get(&app, "/ledger/checkpoint").await;
            if r.status() == 200 {
                let text = r.text().await.unwrap();
                let size: u64 = text.lines().nth(1).unwrap().parse().unwrap();
                if size >= 3 {
                    break size;
                }
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(5),
                "{backend:?}: no checkpoint covering {ticket}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        };
        assert!(events >= 3, "reported, registered, dispatched");
        assert!(
            started.elapsed() < std::time::Duration::from_millis(2500),
            "{backend:?}: took {:?}",
            started.elapsed()
        );
        task.abort();
    }
}
