//! Issue 17 item 3 in the store, on SQLite and PostgreSQL: a log written before migration 34 —
//! entries as canonical text, a tree hash at every level — is compacted by it (entries packed,
//! hashes kept only at the tile levels), and the log stays the same log: the same entries, the
//! same roots, proofs that verify against the checkpoint signed before, an audit with no
//! problem, and new entries that follow on.

use gongzhi_ledger::proof::{inclusion_proof, verify_inclusion};
use gongzhi_ledger::{MemoryTree, Signer, leaf_hash};
use gongzhi_store::Store;
use gongzhi_store::ledger::packed::unpack;
use gongzhi_testkit::{TestDb, backends};
use sqlx::Row;

mod support;
use support::{exec, file, open, sign_next};

async fn file_nth(store: &Store, n: usize) {
    file(store, &format!("第{n}号路灯不亮"), None).await;
}

/// Puts the log back the way a database before migration 34 held it: every entry as its
/// canonical text and every stored hash of the tree, then marks the migration not run.
async fn undo_migration_34(store: &Store, mem: &MemoryTree) {
    let rows = sqlx::query("SELECT id, entry FROM ledger_entries")
        .fetch_all(store.pool())
        .await
        .unwrap();
    for r in rows {
        let id: i64 = r.get("id");
        let stored: Vec<u8> = r.get("entry");
        sqlx::query("UPDATE ledger_entries SET entry = $1 WHERE id = $2")
            .bind(unpack(&stored).unwrap())
            .bind(id)
            .execute(store.pool())
            .await
            .unwrap();
    }
    exec(store, "DELETE FROM ledger_hashes").await;
    for (i, h) in mem.stored_hashes().iter().enumerate() {
        sqlx::query("INSERT INTO ledger_hashes (id, hash) VALUES ($1, $2)")
            .bind(i as i64)
            .bind(h.as_bytes().as_slice())
            .execute(store.pool())
            .await
            .unwrap();
    }
    exec(store, "DELETE FROM schema_migrations WHERE version = 34").await;
}

async fn count(store: &Store, sql: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get::<i64, _>(0)
}

#[tokio::test]
async fn a_log_written_before_migration_34_is_compacted_and_stays_the_same_log() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = open(&db).await;
        let signer = Signer::from_seed("gongzhi.test/ledger", [4; 32]).unwrap();
        // 300 entries: one complete tile and a partial one, so that level 8 is kept too.
        for n in 0..300 {
            file_nth(&store, n).await;
        }
        store.ledger_integrate_pending(1000).await.unwrap();
        let entries = store.ledger_entries(0..300).await.unwrap();
        let mut mem = MemoryTree::new();
        for e in &entries {
            mem.append_entry(e);
        }
        let signed = sign_next(&store, &signer).await.expect("checkpoint");
        assert_eq!((signed.size, signed.root), (300, mem.root()));
        undo_migration_34(&store, &mem).await;
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM ledger_hashes").await,
            mem.stored_hashes().len() as i64
        );
        drop(store);

        // Opening runs migration 34 on the old layout.
        let store = open(&db).await;
        let rows = sqlx::query("SELECT entry FROM ledger_entries")
            .fetch_all(store.pool())
            .await
            .unwrap();
        let mut stored_bytes = 0usize;
        for r in &rows {
            let stored: Vec<u8> = r.get("entry");
            assert_eq!(stored[0], 0xFC, "{backend:?}: every entry packed");
            stored_bytes += stored.len();
        }
        let text_bytes: usize = entries.iter().map(Vec::len).sum();
        assert!(
            stored_bytes * 2 < text_bytes,
            "{backend:?}: {stored_bytes} of {text_bytes} bytes"
        );
        // 300 leaf hashes and the one level-8 node over leaves 0..256.
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM ledger_hashes").await,
            301,
            "{backend:?}"
        );
        assert_eq!(store.ledger_entries(0..300).await.unwrap(), entries);
        assert!(store.ledger_checkpoint_candidate().await.unwrap().is_none());
        let report = store.ledger_audit(&[signer.verifier()]).await.unwrap();
        assert!(
            report.problems.is_empty(),
            "{backend:?}: {:?}",
            report.problems
        );
        for index in [0u64, 7, 255, 256, 299] {
            let proof = store
                .ledger_with_hashes(|r| inclusion_proof(index, 300, r))
                .await
                .unwrap()
                .unwrap();
            verify_inclusion(
                &leaf_hash(&entries[index as usize]),
                index,
                300,
                &proof,
                &signed.root,
            )
            .unwrap_or_else(|e| panic!("{backend:?} entry {index}: {e}"));
        }

        // The log goes on: new entries integrate onto the compacted tree, and the next
        // checkpoint is consistent with the one signed before the migration.
        for n in 300..320 {
            file_nth(&store, n).await;
        }
        store.ledger_integrate_pending(1000).await.unwrap();
        for e in store.ledger_entries(300..320).await.unwrap() {
            mem.append_entry(&e);
        }
        let next = sign_next(&store, &signer).await.expect("checkpoint");
        assert_eq!((next.size, next.root), (320, mem.root()), "{backend:?}");
        let report = store.ledger_audit(&[signer.verifier()]).await.unwrap();
        assert!(
            report.problems.is_empty(),
            "{backend:?}: {:?}",
            report.problems
        );
    }
}
