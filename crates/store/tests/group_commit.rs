//! Group commit (decision 011): many concurrent intakes share commits; a refused one fails
//! alone — its batch commits, it leaves no row, no event, no ticket number — on SQLite and
//! PostgreSQL.

use gongzhi_domain::case::{self, Actor, Channel, DeadlineClass, NewCase};
use gongzhi_store::pii::{MasterKey, PiiCipher};
use gongzhi_store::{CaseChange, CaseDetails, CaseFilter, CaseWriteError, EventActor, Store};
use gongzhi_testkit::{TestDb, backends};
use std::collections::HashSet;

const FILINGS: usize = 120;

/// Files one case; every seventh is refused by its `make` after the store has drawn its
/// ticket (the domain refusing, as it would a bad report).
async fn file(store: Store, i: usize) -> Result<String, CaseWriteError<String>> {
    let details = CaseDetails {
        address: format!("养育巷{i}号"),
        description: "路灯不亮".into(),
        ..Default::default()
    };
    let actor = EventActor {
        account_id: None,
        name: "并发测试".into(),
    };
    let bits = (i as u128 + 1).to_be_bytes();
    let code = gongzhi_domain::case::lookup_code_from_bytes(bits[6..].try_into().unwrap());
    store
        .create_case(
            "20260501",
            &details,
            &code,
            &actor,
            1_777_600_000_000,
            move |id, seq| {
                if i % 7 == 3 {
                    return Err(format!("refused {i}"));
                }
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
                Ok(CaseChange::new(c, vec![e], None))
            },
        )
        .await
        .map(|row| row.ticket)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_refused_write_fails_alone_and_its_batch_commits() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = Store::open(&db.url, PiiCipher::new(&MasterKey::from_bytes([9; 32])))
            .await
            .expect("open store");
        let tasks: Vec<_> = (0..FILINGS)
            .map(|i| tokio::spawn(file(store.clone(), i)))
            .collect();
        let mut tickets = HashSet::new();
        let mut refused = 0;
        for (i, t) in tasks.into_iter().enumerate() {
            match t.await.unwrap() {
                Ok(ticket) => assert!(tickets.insert(ticket), "{backend:?}: a ticket twice"),
                Err(CaseWriteError::Refused(why)) => {
                    assert_eq!(why, format!("refused {i}"));
                    refused += 1;
                }
                Err(e) => panic!("{backend:?} filing {i}: {e:?}"),
            }
        }
        let expected_refused = (0..FILINGS).filter(|i| i % 7 == 3).count();
        assert_eq!(refused, expected_refused, "{backend:?}");
        let kept = FILINGS - expected_refused;
        let stored = store
            .cases(&CaseFilter {
                limit: 1000,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            stored.len(),
            kept,
            "{backend:?}: only the accepted are stored"
        );
        // Refused filings used no ticket number: the accepted hold 1..=kept exactly.
        let expected: HashSet<String> = (1..=kept).map(|n| format!("20260501{n:05}")).collect();
        assert_eq!(tickets, expected, "{backend:?}");
        for row in &stored {
            let events = store.case_events(row.id).await.unwrap();
            assert_eq!(events.len(), 1, "{backend:?} case {}", row.id);
            let entries = store.ledger_case_entries(row.id).await.unwrap();
            assert_eq!(entries.len(), 1, "{backend:?} case {}", row.id);
        }
        assert_eq!(store.ledger_pending().await.unwrap(), kept as u64);
        let stats = store.group_commit_stats();
        assert_eq!(stats.writes, FILINGS as u64, "{backend:?}");
        assert!(
            stats.batches < stats.writes,
            "{backend:?}: concurrent writes shared commits ({stats:?})"
        );
    }
}
