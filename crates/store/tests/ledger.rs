//! The ledger in the store, on SQLite and PostgreSQL: every case event appends its entry in the
//! same transaction; concurrent writers never conflict on the index; the sequencer integrates
//! pending entries into exactly the tree the ledger crate computes; checkpoints only grow and
//! are refused when the stored tree does not extend the signed one; the audit finds edited,
//! deleted and reordered events and names the entry and the case; no personal data is logged.

use gongzhi_domain::case::{self, Case, CaseState, DeadlineClass, Event};
use gongzhi_domain::codes::{IdNumber, Phone};
use gongzhi_ledger::proof::{inclusion_proof, verify_inclusion};
use gongzhi_ledger::{Checkpoint, Hash, MemoryTree, Signer, leaf_hash, split_stored_hash_index};
use gongzhi_store::ledger::ProblemKind;
use gongzhi_store::{CaseChange, CaseRow, Store};
use gongzhi_testkit::{TestDb, backends};

mod support;
use support::{NOW, exec, file, open, sign_next, staff};

const HOUR: i64 = 3_600_000;

/// Appends events to a case, folding them into its state.
async fn happen(store: &Store, id: i64, events: Vec<Event>) -> CaseRow {
    store
        .update_case(id, None, &staff(), NOW + HOUR, move |before: &Case| {
            let mut after = before.clone();
            for e in &events {
                case::apply(&mut after, e);
            }
            Ok::<_, String>(CaseChange::new(after, events, None))
        })
        .await
        .unwrap_or_else(|e| panic!("update: {e:?}"))
}

fn handling(note: &str) -> Vec<Event> {
    vec![
        Event::Registered {
            category: "E0102".into(),
            deadline_class: DeadlineClass::General,
            emergency: false,
        },
        Event::Dispatched {
            department: Some("CG".into()),
            is_override: false,
            at: NOW,
            deadline: NOW + 7 * 24 * HOUR,
            calendar_missing: false,
            dispatched_by: None,
        },
        Event::ReportedBack {
            note: note.into(),
            on_time: true,
        },
    ]
}

/// Every stored entry, in index order.
async fn all_entries(store: &Store) -> Vec<Vec<u8>> {
    let size = store.ledger_size().await.unwrap();
    store.ledger_entries(0..size).await.unwrap()
}

#[tokio::test]
async fn entries_are_appended_with_their_events_and_integrated_into_the_tree() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = open(&db).await;
        let signer = Signer::from_seed("gongzhi.test/ledger", [1; 32]).unwrap();

        // An empty log gets a checkpoint of size 0 first.
        let c0 = sign_next(&store, &signer).await.expect("empty checkpoint");
        assert_eq!(c0.size, 0);
        assert!(store.ledger_checkpoint_candidate().await.unwrap().is_none());

        let a = file(&store, "路灯不亮", None).await;
        let b = file(&store, "垃圾未清运", None).await;
        happen(&store, a.id, handling("已修复")).await;
        assert_eq!(store.ledger_pending().await.unwrap(), 5, "{backend:?}");
        assert_eq!(store.ledger_size().await.unwrap(), 0);

        // Integration in two passes (limit 3) gives the same tree as the ledger crate.
        let first = store.ledger_integrate_pending(3).await.unwrap();
        assert_eq!((first.old_size, first.size), (0, 3));
        let second = store.ledger_integrate_pending(100).await.unwrap();
        assert_eq!((second.old_size, second.size, second.added()), (3, 5, 2));
        assert_eq!(
            store.ledger_integrate_pending(100).await.unwrap().added(),
            0
        );
        let entries = all_entries(&store).await;
        let mut mem = MemoryTree::new();
        for e in &entries {
            mem.append_entry(e);
        }
        // The database keeps the hashes at the tile levels (0, 8, 16 …): here, the leaves.
        let stored = store
            .ledger_kept_hashes(0..mem.stored_hashes().len() as u64)
            .await
            .unwrap();
        let tile_levels: Vec<(u64, Hash)> = mem
            .stored_hashes()
            .iter()
            .enumerate()
            .map(|(i, h)| (i as u64, *h))
            .filter(|(i, _)| split_stored_hash_index(*i).0.is_multiple_of(8))
            .collect();
        assert_eq!(stored, tile_levels, "{backend:?}");

        // Entries follow each case's event order; b's report came second.
        let kinds: Vec<String> = entries
            .iter()
            .map(|e| {
                let v: serde_json::Value = serde_json::from_slice(e).unwrap();
                format!("{}#{}", v["case"].as_str().unwrap(), v["seq"])
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                format!("{}#1", a.ticket),
                format!("{}#1", b.ticket),
                format!("{}#2", a.ticket),
                format!("{}#3", a.ticket),
                format!("{}#4", a.ticket)
            ]
        );
        let (idx, bytes) = store
            .ledger_entry_index_for(a.id, 4)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((idx, bytes.as_slice()), (Some(4), entries[4].as_slice()));

        // The checkpoint signs the stored root; proofs through the stored hashes verify.
        let c1 = sign_next(&store, &signer).await.expect("checkpoint");
        assert_eq!((c1.size, c1.root), (5, mem.root()));
        let proof = store
            .ledger_with_hashes(|r| inclusion_proof(2, 5, r))
            .await
            .unwrap()
            .unwrap();
        verify_inclusion(&leaf_hash(&entries[2]), 2, 5, &proof, &c1.root).unwrap();
        let latest = store.ledger_latest_checkpoint().await.unwrap().unwrap();
        assert_eq!(
            Checkpoint::open(&latest.signed_note, &[signer.verifier()]).unwrap(),
            c1
        );

        // The size only grows.
        let err = store
            .ledger_store_checkpoint(5, c1.root, &latest.signed_note)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("not newer"), "{err}");
        let err = store
            .ledger_store_checkpoint(3, c1.root, &latest.signed_note)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("not newer"), "{err}");

        let case_entries = store.ledger_case_entries(a.id).await.unwrap();
        assert_eq!(case_entries.len(), 4);
        assert!(
            case_entries
                .iter()
                .all(|e| e.matches_event && e.index.is_some())
        );
        let report = store.ledger_audit(&[signer.verifier()]).await.unwrap();
        assert!(report.is_ok(), "{backend:?} {:?}", report.problems);
        assert_eq!((report.size, report.events, report.checkpoints), (5, 5, 2));
    }
}

#[tokio::test]
async fn concurrent_writers_never_conflict_on_the_index() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = open(&db).await;
        let mut tasks = Vec::new();
        for w in 0..6 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..4 {
                    let row = file(&store, &format!("并发 {w}-{i}"), None).await;
                    happen(&store, row.id, handling("done")).await;
                }
            }));
        }
        // The sequencer runs while they write.
        let sequencer = {
            let store = store.clone();
            tokio::spawn(async move {
                let mut total = 0;
                for _ in 0..50 {
                    total += store.ledger_integrate_pending(7).await.unwrap().added();
                    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                }
                total
            })
        };
        for t in tasks {
            t.await.unwrap();
        }
        let mut total = sequencer.await.unwrap();
        loop {
            let n = store.ledger_integrate_pending(1000).await.unwrap().added();
            if n == 0 {
                break;
            }
            total += n;
        }
        assert_eq!(total, 6 * 4 * 4, "{backend:?}");
        let entries = all_entries(&store).await;
        assert_eq!(entries.len(), 96);
        let mut mem = MemoryTree::new();
        for e in &entries {
            mem.append_entry(e);
        }
        let (size, root) = store.ledger_checkpoint_candidate().await.unwrap().unwrap();
        assert_eq!((size, root), (96, mem.root()), "{backend:?}");
        // Within each case the log keeps the event order.
        let mut last: std::collections::HashMap<String, i64> = Default::default();
        for e in &entries {
            let v: serde_json::Value = serde_json::from_slice(e).unwrap();
            let seq = v["seq"].as_i64().unwrap();
            let prev = last.insert(v["case"].as_str().unwrap().to_string(), seq);
            assert_eq!(prev.unwrap_or(0) + 1, seq, "{backend:?}");
        }
    }
}

#[tokio::test]
async fn a_tree_that_does_not_extend_the_signed_one_is_never_signed() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = open(&db).await;
        let signer = Signer::from_seed("gongzhi.test/ledger", [2; 32]).unwrap();
        for i in 0..3 {
            file(&store, &format!("事项{i}"), None).await;
        }
        store.ledger_integrate_pending(100).await.unwrap();
        sign_next(&store, &signer).await.unwrap();
        // Someone rewrites a stored hash of the signed tree (leaf 0's, stored hash 0, from which
        // node (1, 0) is folded), then more events arrive.
        exec(
            &store,
            "UPDATE ledger_hashes SET hash = (SELECT hash FROM ledger_hashes WHERE id = 1) WHERE id = 0",
        )
        .await;
        file(&store, "事项3", None).await;
        store.ledger_integrate_pending(100).await.unwrap();
        let err = store.ledger_checkpoint_candidate().await.unwrap_err();
        assert!(
            err.to_string().contains("not consistent"),
            "{backend:?} {err}"
        );
        let report = store.ledger_audit(&[signer.verifier()]).await.unwrap();
        assert!(
            report.problems.iter().any(|p| p.kind
                == ProblemKind::StoredHash {
                    stored: 0,
                    level: 0,
                    node: 0
                }),
            "{:?}",
            report.problems
        );
    }
}

#[tokio::test]
async fn the_audit_names_the_entry_and_the_case_of_each_tampered_event() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = open(&db).await;
        let signer = Signer::from_seed("gongzhi.test/ledger", [3; 32]).unwrap();
        let a = file(&store, "井盖破损", None).await;
        let b = file(&store, "噪音扰民", None).await;
        happen(&store, a.id, handling("已更换井盖")).await;
        happen(&store, b.id, handling("已劝导")).await;
        store.ledger_integrate_pending(100).await.unwrap();
        sign_next(&store, &signer).await.unwrap();
        let clean = store.ledger_audit(&[signer.verifier()]).await.unwrap();
        assert!(clean.is_ok(), "{:?}", clean.problems);
        let index_of = |case: &CaseRow, seq: i64| {
            let store = store.clone();
            let id = case.id;
            async move {
                store
                    .ledger_entry_index_for(id, seq)
                    .await
                    .unwrap()
                    .unwrap()
                    .0
                    .unwrap()
            }
        };

        // The case row's description is part of the reported entry.
        exec(
            &store,
            &format!(
                "UPDATE cases SET description = '井盖完好' WHERE id = {}",
                a.id
            ),
        )
        .await;
        let r = store.ledger_audit(&[signer.verifier()]).await.unwrap();
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
        let p = &r.problems[0];
        assert_eq!(p.kind, ProblemKind::EventChanged);
        assert_eq!(p.index, Some(index_of(&a, 1).await));
        assert_eq!(p.ticket.as_deref(), Some(a.ticket.as_str()));
        exec(
            &store,
            &format!(
                "UPDATE cases SET description = '井盖破损' WHERE id = {}",
                a.id
            ),
        )
        .await;

        // An event inserted around the ledger.
        exec(
            &store,
            &format!(
                "INSERT INTO case_events (case_id, seq, kind, payload, actor_id, actor_name, at) VALUES ({}, 9, 'closed', '{{\"type\":\"closed\",\"on_time\":true}}', NULL, 'x', 1)",
                b.id
            ),
        )
        .await;
        assert_eq!(store.ledger_backfill(100).await.unwrap(), 0);
        let r = store.ledger_audit(&[signer.verifier()]).await.unwrap();
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
        assert_eq!(r.problems[0].kind, ProblemKind::EventNotLogged);
        assert_eq!(r.problems[0].ticket.as_deref(), Some(b.ticket.as_str()));
        assert_eq!(r.problems[0].seq, Some(9));
        exec(
            &store,
            &format!(
                "DELETE FROM case_events WHERE case_id = {} AND seq = 9",
                b.id
            ),
        )
        .await;

        // A deleted log entry row leaves a gap, and the signed checkpoint covers more entries.
        let gone = index_of(&b, 4).await;
        exec(
            &store,
            &format!("DELETE FROM ledger_entries WHERE idx = {gone}"),
        )
        .await;
        let r = store.ledger_audit(&[signer.verifier()]).await.unwrap();
        assert!(!r.is_ok());
        assert!(
            r.problems
                .iter()
                .any(|p| p.kind == ProblemKind::IndexGap && p.index == Some(gone))
                || r.problems
                    .iter()
                    .any(|p| matches!(p.kind, ProblemKind::CheckpointBeyondLog { .. })),
            "{:?}",
            r.problems
        );
        let messages: Vec<String> = r.problems.iter().map(|p| p.to_string()).collect();
        assert!(
            messages.iter().any(|m| m.contains(&b.ticket)),
            "{messages:?}"
        );
    }
}

#[tokio::test]
async fn no_names_phones_or_id_numbers_reach_the_log() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = open(&db).await;
        let id = IdNumber::from_parts("320508", 1971, 3, 14, 123);
        let secrets = [
            "赵小梅".to_string(),
            "13912345678".to_string(),
            id.as_str().to_string(),
            "13800138000".to_string(),
            "王网格员".to_string(),
            "养育巷1号".to_string(),
        ];
        let a = file(
            &store,
            &format!(
                "赵小梅（身份证 {}，电话 13912345678）家楼上漏水",
                id.as_str()
            ),
            Some(Phone::parse("13800138000").unwrap()),
        )
        .await;
        happen(&store, a.id, handling("已联系赵小梅 13912345678，维修完毕")).await;
        store.ledger_integrate_pending(100).await.unwrap();
        let entries = all_entries(&store).await;
        assert_eq!(entries.len(), 4);
        for e in &entries {
            let text = String::from_utf8(e.clone()).unwrap();
            for s in &secrets {
                assert!(!text.contains(s.as_str()), "{backend:?}: {s} in {text}");
            }
            assert!(e.len() <= 65_535);
        }
        // The reporter's openings prove the description without revealing the other fields.
        let o = store
            .ledger_case_entry_openings(a.id, 1)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(o.entry.kind, "reported");
        let (_, salt) = o
            .openings
            .iter()
            .find(|(l, _)| l == "data.description")
            .unwrap();
        use sha2::Digest;
        let salt: Vec<u8> = (0..salt.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&salt[i..i + 2], 16).unwrap())
            .collect();
        let mut h = sha2::Sha256::new();
        h.update(&salt);
        h.update(
            format!(
                "赵小梅（身份证 {}，电话 13912345678）家楼上漏水",
                id.as_str()
            )
            .as_bytes(),
        );
        let want = format!(
            "\"description\":\"sha256:{}\"",
            h.finalize()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        );
        assert!(
            String::from_utf8_lossy(&o.entry.entry).contains(&want),
            "{want}"
        );
        assert_eq!(a.case.state, CaseState::Reported);
    }
}

#[tokio::test]
async fn events_from_before_the_ledger_are_logged_once() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = open(&db).await;
        let signer = Signer::from_seed("gongzhi.test/ledger", [6; 32]).unwrap();
        let a = file(&store, "账本上线前的案件", None).await;
        happen(&store, a.id, handling("旧反馈")).await;
        // As if these events predated the ledger: no entries, and the migration's mark
        // covering them.
        exec(&store, "DELETE FROM ledger_entries").await;
        exec(
            &store,
            "UPDATE ledger_meta SET value = (SELECT MAX(id) FROM case_events) WHERE name = 'backfill_through_event'",
        )
        .await;
        let r = store.ledger_audit(&[signer.verifier()]).await.unwrap();
        assert_eq!(
            r.problems
                .iter()
                .filter(|p| p.kind == ProblemKind::EventNotLogged)
                .count(),
            4,
            "{backend:?} {:?}",
            r.problems
        );
        assert_eq!(store.ledger_backfill(3).await.unwrap(), 3);
        assert_eq!(store.ledger_backfill(100).await.unwrap(), 1);
        assert_eq!(store.ledger_backfill(100).await.unwrap(), 0);
        // Later events are logged as they happen, never by the backfill.
        happen(&store, a.id, vec![Event::Started]).await;
        assert_eq!(store.ledger_backfill(100).await.unwrap(), 0);
        assert_eq!(store.ledger_integrate_pending(100).await.unwrap().size, 5);
        sign_next(&store, &signer).await.unwrap();
        let r = store.ledger_audit(&[signer.verifier()]).await.unwrap();
        assert!(r.is_ok(), "{backend:?} {:?}", r.problems);
        let seqs: Vec<i64> = store
            .ledger_case_entries(a.id)
            .await
            .unwrap()
            .iter()
            .map(|e| e.seq)
            .collect();
        assert_eq!(seqs, vec![1, 2, 3, 4, 5]);
    }
}
