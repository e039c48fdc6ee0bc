//! Job locks across a database restart: on PostgreSQL an advisory lock dies with the session
//! that holds it, so a job holding the lock for a long time (the ledger sequencer) must notice
//! when the database ended that session, and be able to take the lock again on a fresh
//! connection from the same pool. Ending the holder's session with `pg_terminate_backend` is
//! what a restart does to it.

use gongzhi_store::pii::{MasterKey, PiiCipher};
use gongzhi_store::{Backend, Store};
use gongzhi_testkit::{TestDb, backends};

const KEY: i64 = 7_262_999;

async fn open(db: &TestDb) -> Store {
    Store::open(&db.url, PiiCipher::new(&MasterKey::from_bytes([5; 32])))
        .await
        .expect("open store")
}

#[tokio::test]
async fn a_job_lock_lost_with_its_session_is_noticed_and_taken_again() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = open(&db).await;
        let mut guard = store
            .with_job_lock(KEY)
            .await
            .expect("lock")
            .expect("free lock is taken");
        assert!(guard.is_held().await, "{backend:?}: a fresh lock is held");
        if store.backend() == Backend::Postgres {
            // A second server cannot take it while the session lives.
            let other = open(&db).await;
            assert!(other.with_job_lock(KEY).await.expect("try").is_none());
            // The database ends the holder's session, as a restart would.
            let ended: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_locks
                 WHERE locktype = 'advisory' AND objid::bigint = $1 AND granted) t",
            )
            .bind(KEY)
            .fetch_one(store.pool())
            .await
            .expect("terminate the holder");
            assert_eq!(ended, 1);
            let mut lost = false;
            for _ in 0..50 {
                if !guard.is_held().await {
                    lost = true;
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            assert!(lost, "the holder notices its session has ended");
            guard.release().await;
            // The pool hands out a live connection again and the lock can be taken.
            let mut again = store
                .with_job_lock(KEY)
                .await
                .expect("lock after the session ended")
                .expect("the lock is free again");
            assert!(again.is_held().await);
            assert!(other.with_job_lock(KEY).await.expect("try").is_none());
            again.release().await;
            other.close().await;
        } else {
            guard.release().await;
        }
        store.close().await;
    }
}
