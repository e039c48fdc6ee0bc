//! Ledger benchmark through the store on SQLite (not a test). Run in release:
//!
//! ```text
//! cargo run --release -p gongzhi-server --example ledger_bench -- [CASES] [EVENTS_PER_CASE]
//! ```
//!
//! Appends case events with their log entries through the real write path (`create_case` /
//! `update_case`, one transaction each, `synchronous=FULL`), integrates them with the sequencer
//! step, signs a checkpoint, generates inclusion proofs from the stored hashes, and runs the
//! full database verification (`gongzhi verify --database`). Prints `openssl speed -bytes 256
//! sha256` and this build's own SHA-256 rate beside the results, from the same run.

use gongzhi_domain::case::{self, Actor, Case, Channel, DeadlineClass, Event, NewCase};
use gongzhi_ledger::proof::{inclusion_proof, verify_inclusion};
use gongzhi_ledger::{Signer, TreeBuilder, leaf_hash};
use gongzhi_server::ledger::{Ledger, sequencer};
use gongzhi_store::pii::{MasterKey, PiiCipher};
use gongzhi_store::{CaseChange, CaseDetails, EventActor, Store};
use sha2::{Digest, Sha256};
use std::hint::black_box;
use std::time::{Duration, Instant};

const NOW: i64 = 1_777_600_000_000;

fn per_s(n: u64, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

/// `openssl speed -seconds 1 -bytes 256 sha256`, in MB/s.
fn openssl_sha256() -> Option<(f64, String)> {
    let out = std::process::Command::new("openssl")
        .args(["speed", "-seconds", "1", "-bytes", "256", "sha256"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let line = text
        .lines()
        .rev()
        .find(|l| l.starts_with("sha256"))?
        .to_string();
    let k = line.split_whitespace().nth(1)?.strip_suffix('k')?;
    Some((k.parse::<f64>().ok()? / 1000.0, line))
}

/// This build's SHA-256 over 256-byte messages, in MB/s.
fn own_sha256() -> f64 {
    let buf = [0x5au8; 256];
    let start = Instant::now();
    let mut n = 0u64;
    while !n.is_multiple_of(4096) || start.elapsed() < Duration::from_millis(700) {
        black_box(Sha256::digest(black_box(&buf)));
        n += 1;
    }
    per_s(n * 256, start.elapsed()) / 1e6
}

fn actor() -> EventActor {
    EventActor {
        account_id: Some(7),
        name: "王网格员".into(),
    }
}

fn details(i: u64) -> CaseDetails {
    CaseDetails {
        lon: Some(120.6 + (i % 1000) as f64 * 1e-5),
        lat: Some(31.3),
        address: format!("养育巷{i}号"),
        description: format!("第{i}号楼道堆物，居民张三（13912345678）反映已三天无人处理"),
        reporter_phone: None,
    }
}

/// A realistic run of events after the report: registered, dispatched, then notes.
fn more_events(k: usize) -> Vec<Event> {
    (0..k)
        .map(|j| match j {
            0 => Event::Registered {
                category: "E0102".into(),
                deadline_class: DeadlineClass::General,
                emergency: false,
            },
            1 => Event::Dispatched {
                department: Some("CG".into()),
                is_override: false,
                at: NOW,
                deadline: NOW + 7 * 86_400_000,
                calendar_missing: false,
                dispatched_by: None,
            },
            _ => Event::ReportedBack {
                note: format!("第{j}次反馈：已联系当事人，正在处理"),
                on_time: true,
            },
        })
        .collect()
}

async fn file_case(store: &Store, i: u64, extra: usize) -> i64 {
    let row = store
        .create_case(
            "20260501",
            &details(i),
            &format!("B{i:09}"),
            &actor(),
            NOW,
            move |id, seq| {
                let new = NewCase {
                    id,
                    ticket: format!("20260501{seq:05}"),
                    channel: Channel::Hotline,
                    category: "E0102".into(),
                    deadline_class: DeadlineClass::General,
                    emergency: false,
                    community: None,
                    grid: None,
                    reporter: None,
                };
                let (mut c, e) = case::report(new, &Actor::System, &Default::default())
                    .map_err(|r| r.to_string())?;
                let mut events = vec![e];
                for e in more_events(extra) {
                    case::apply(&mut c, &e);
                    events.push(e);
                }
                Ok::<_, String>(CaseChange::new(c, events, None))
            },
        )
        .await
        .expect("file");
    row.id
}

#[tokio::main]
async fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let cases = args.first().copied().unwrap_or(2000);
    let per_case = args.get(1).copied().unwrap_or(50).max(1) as usize;
    let dir = std::env::temp_dir().join(format!("gz-ledger-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("bench.db").display());
    let store = Store::open(&url, PiiCipher::new(&MasterKey::from_bytes([1; 32])))
        .await
        .unwrap();
    let ledger = Ledger::new(
        "bench.gongzhi.local/ledger",
        Signer::from_seed("bench.gongzhi.local/ledger", [2; 32]).unwrap(),
    );

    println!(
        "ledger bench on SQLite ({}), {} cores",
        dir.display(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    match openssl_sha256() {
        Some((mb, line)) => println!("openssl speed -bytes 256 sha256: {mb:.0} MB/s   ({line})"),
        None => println!("openssl speed: not available"),
    }
    let own = own_sha256();
    println!("sha2 crate, 256-byte messages:   {own:.0} MB/s");

    // 1. Append: one transaction per case, each holding the case's events and their entries.
    let t = Instant::now();
    for i in 0..cases {
        file_case(&store, i, per_case - 1).await;
    }
    let d_batch = t.elapsed();
    let batched = cases * per_case as u64;
    println!(
        "append, {per_case} events per transaction: {batched} entries in {:.2}s = {:.0} entries/s ({:.0} tx/s)",
        d_batch.as_secs_f64(),
        per_s(batched, d_batch),
        per_s(cases, d_batch)
    );
    // One event per transaction, as most commands write.
    let singles = 500u64;
    let id = file_case(&store, cases, 0).await;
    let t = Instant::now();
    for j in 0..singles {
        store
            .update_case(id, None, &actor(), NOW + 1000, move |before: &Case| {
                let e = Event::ReportedBack {
                    note: format!("反馈{j}"),
                    on_time: true,
                };
                let mut after = before.clone();
                case::apply(&mut after, &e);
                Ok::<_, String>(CaseChange::new(after, vec![e], None))
            })
            .await
            .expect("update");
    }
    let d_single = t.elapsed();
    println!(
        "append, 1 event per transaction:  {singles} entries in {:.2}s = {:.0} entries/s",
        d_single.as_secs_f64(),
        per_s(singles, d_single)
    );

    // 2. Integrate everything pending (the sequencer's step), then sign.
    let pending = store.ledger_pending().await.unwrap();
    let t = Instant::now();
    let mut integrated = 0;
    loop {
        let done = store
            .ledger_integrate_pending(sequencer::BATCH)
            .await
            .unwrap();
        integrated += done.added();
        if done.added() == 0 {
            break;
        }
    }
    let d_int = t.elapsed();
    assert_eq!(integrated, pending);
    println!(
        "integrate (read pending, hash, store hashes, assign indexes): {integrated} entries in {:.2}s = {:.0} entries/s",
        d_int.as_secs_f64(),
        per_s(integrated, d_int)
    );
    let t = Instant::now();
    let c = sequencer::sign_checkpoint(&store, &ledger)
        .await
        .unwrap()
        .unwrap();
    println!(
        "checkpoint of size {} (consistency-checked, signed, stored) in {:.1} ms",
        c.size,
        t.elapsed().as_secs_f64() * 1e3
    );

    // The same leaves in memory, for comparison with the store's integration rate.
    let entries = store.ledger_entries(0..c.size).await.unwrap();
    let t = Instant::now();
    let mut b = TreeBuilder::new();
    let mut stored = Vec::with_capacity(2 * entries.len());
    for e in &entries {
        b.push(leaf_hash(e), &mut stored);
    }
    let d_mem = t.elapsed();
    assert_eq!(b.root(), c.root);
    let bytes: usize = entries.iter().map(Vec::len).sum();
    println!(
        "in memory, same entries (avg {} bytes): {:.0} entries/s",
        bytes / entries.len().max(1),
        per_s(c.size, d_mem)
    );

    // 3. Inclusion proofs from the stored hashes (one query per proof).
    let n = 1000u64;
    let t = Instant::now();
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let index = x % c.size;
        let proof = store
            .ledger_with_hashes(|r| inclusion_proof(index, c.size, r))
            .await
            .unwrap()
            .unwrap();
        verify_inclusion(
            &leaf_hash(&entries[index as usize]),
            index,
            c.size,
            &proof,
            &c.root,
        )
        .unwrap();
    }
    println!(
        "inclusion proof from the database (generate + verify): {:.0} µs each",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );

    // 4. Full verification of the database against the signed checkpoint.
    let t = Instant::now();
    let report = store
        .ledger_audit(std::slice::from_ref(ledger.verifier()))
        .await
        .unwrap();
    let d_audit = t.elapsed();
    assert!(report.is_ok(), "{:?}", report.problems.first());
    println!(
        "verify --database (re-derive every entry from its event, rebuild the tree, compare every stored hash): {} entries in {:.2}s = {:.0} entries/s",
        report.size,
        d_audit.as_secs_f64(),
        per_s(report.size, d_audit)
    );
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
