//! `gongzhi verify` against a serving database: the audit must find nothing while cases are
//! filed, the sequencer integrates and checkpoints are signed meanwhile. It once read the log's
//! entries and its stored tree hashes at different moments and reported a wrong hash count when
//! the sequencer integrated in between (seen in bench/crash after a restart under load).

use gongzhi_domain::case::{self, Actor, Channel, DeadlineClass, NewCase};
use gongzhi_ledger::{Checkpoint, Signer};
use gongzhi_store::pii::{MasterKey, PiiCipher};
use gongzhi_store::{CaseChange, CaseDetails, EventActor, Store};
use gongzhi_testkit::{TestDb, backends};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

const NOW: i64 = 1_777_600_000_000;

async fn open(db: &TestDb) -> Store {
    Store::open(&db.url, PiiCipher::new(&MasterKey::from_bytes([5; 32])))
        .await
        .expect("open store")
}

async fn file(store: &Store, n: usize) {
    let details = CaseDetails {
        lon: None,
        lat: None,
        address: format!("养育巷{n}号"),
        description: format!("井盖缺失 {n}"),
        reporter_phone: None,
    };
    let mut code = [0u8; case::LOOKUP_CODE_BYTES];
    getrandom::fill(&mut code).unwrap();
    let actor = EventActor {
        account_id: Some(3),
        name: "王网格员".into(),
    };
    store
        .create_case(
            "20260501",
            &details,
            &case::lookup_code_from_bytes(code),
            &actor,
            NOW,
            |id, seq| {
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
                let (c, e) = case::report(new, &Actor::System, &Default::default())
                    .map_err(|r| r.to_string())?;
                Ok::<_, String>(CaseChange::new(c, vec![e], None))
            },
        )
        .await
        .unwrap_or_else(|e| panic!("file: {e:?}"));
}

async fn sequence(store: &Store, signer: &Signer) {
    store.ledger_integrate_pending(10_000).await.unwrap();
    if let Some((size, root)) = store.ledger_checkpoint_candidate().await.unwrap() {
        let signed = Checkpoint::new("gongzhi.test/ledger", size, root)
            .sign(signer)
            .unwrap();
        store
            .ledger_store_checkpoint(size, root, &signed)
            .await
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_of_a_database_being_written_finds_nothing() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = open(&db).await;
        let signer = Arc::new(Signer::from_seed("gongzhi.test/ledger", [7; 32]).unwrap());
        for n in 0..20 {
            file(&store, n).await;
        }
        sequence(&store, &signer).await;
        let stop = Arc::new(AtomicBool::new(false));
        // Intake and the sequencer, as a serving process runs them.
        let writer = {
            let (store, stop) = (store.clone(), stop.clone());
            tokio::spawn(async move {
                let mut n = 20;
                while !stop.load(Ordering::Relaxed) {
                    file(&store, n).await;
                    n += 1;
                }
            })
        };
        let sequencer = {
            let (store, stop, signer) = (store.clone(), stop.clone(), signer.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    sequence(&store, &signer).await;
                }
            })
        };
        // Audit again and again until the log has grown well past where it started (at least
        // ten audits, and not for ever).
        let mut sizes: Vec<u64> = Vec::new();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while sizes.len() < 10 || sizes[sizes.len() - 1] < sizes[0] + 50 {
            assert!(
                std::time::Instant::now() < deadline,
                "{backend:?}: the log did not grow while it was audited: {sizes:?}"
            );
            let report = store.ledger_audit(&[signer.verifier()]).await.unwrap();
            assert!(
                report.is_ok(),
                "{backend:?}, audit {} while writing: {:?}",
                sizes.len(),
                report.problems
            );
            sizes.push(report.size);
            tokio::task::yield_now().await;
        }
        stop.store(true, Ordering::Relaxed);
        writer.await.unwrap();
        sequencer.await.unwrap();
        store.close().await;
    }
}
