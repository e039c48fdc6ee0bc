//! A lookup code opens one case only: filing a case with a code another case has is refused
//! with `lookup_code_taken` and writes nothing (the server draws another code), on SQLite and
//! PostgreSQL.

use gongzhi_domain::case::{self, Actor, Channel, DeadlineClass, NewCase};
use gongzhi_store::pii::{MasterKey, PiiCipher};
use gongzhi_store::{
    CaseChange, CaseDetails, CaseFilter, CaseRow, CaseWriteError, EventActor, LOOKUP_CODE_TAKEN,
    Store, StoreError,
};
use gongzhi_testkit::{TestDb, backends};

async fn file(store: &Store, lookup: &str) -> Result<CaseRow, CaseWriteError<String>> {
    let details = CaseDetails {
        address: "养育巷1号".into(),
        description: "路灯不亮".into(),
        ..Default::default()
    };
    let actor = EventActor {
        account_id: None,
        name: "12345热线".into(),
    };
    store
        .create_case(
            "20260501",
            &details,
            lookup,
            &actor,
            1_777_600_000_000,
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
                Ok(CaseChange::new(c, vec![e], None))
            },
        )
        .await
}

#[tokio::test]
async fn a_taken_lookup_code_is_refused_and_nothing_is_written() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = Store::open(&db.url, PiiCipher::new(&MasterKey::from_bytes([6; 32])))
            .await
            .expect("open store");
        let first = file(&store, "K7M2-Q9XA").await.expect("first case");
        let again = file(&store, "k7m2 q9xa").await;
        assert!(
            matches!(
                again,
                Err(CaseWriteError::Store(StoreError::Conflict {
                    code: LOOKUP_CODE_TAKEN,
                    ..
                }))
            ),
            "{backend:?}: {again:?}"
        );
        let all = store
            .cases(&CaseFilter {
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(all.len(), 1, "{backend:?}");
        let other = file(&store, "K7M2-Q9XB").await.expect("another code");
        assert_eq!(
            other.ticket, "2026050100002",
            "the refused filing used no ticket number"
        );
        assert_eq!(
            store.case_by_lookup("K7M2Q9XA").await.unwrap().unwrap().id,
            first.id
        );
    }
}

/// Issue 11 finding 7: codes stored before they were keyed (the unkeyed SHA-256 of the code)
/// are rewritten keyed on the first start after migration 10, once, and keep opening their
/// cases; a copy of the database no longer holds a digest anyone can test a guess against.
#[tokio::test]
async fn legacy_lookup_codes_are_rekeyed_once_and_keep_working() {
    use sha2::Digest;
    let key = || PiiCipher::new(&MasterKey::from_bytes([6; 32]));
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = Store::open(&db.url, key()).await.expect("open store");
        let legacy = file(&store, "K7M2-Q9XA").await.expect("legacy case");
        let current = file(&store, "K7M2-Q9XA-3456-789A").await.expect("new case");
        // Turn the first back into what an older server stored, with the rewrite pending.
        let plain = sha2::Sha256::digest(b"K7M2Q9XA").to_vec();
        sqlx::query("UPDATE cases SET lookup_hash = $1 WHERE id = $2")
            .bind(plain.clone())
            .bind(legacy.id)
            .execute(store.pool())
            .await
            .unwrap();
        let current_hash: Vec<u8> =
            sqlx::query_scalar::<_, Vec<u8>>("SELECT lookup_hash FROM cases WHERE id = $1")
                .bind(current.id)
                .fetch_one(store.pool())
                .await
                .unwrap();
        sqlx::query("INSERT INTO pending_rekeys (name) VALUES ('cases.lookup_hash')")
            .execute(store.pool())
            .await
            .unwrap();
        // Stand in for the current case: stored as an older server would have, too.
        sqlx::query("UPDATE cases SET lookup_hash = $1 WHERE id = $2")
            .bind(sha2::Sha256::digest(b"K7M2Q9XA3456789A").to_vec())
            .bind(current.id)
            .execute(store.pool())
            .await
            .unwrap();
        drop(store);

        let store = Store::open(&db.url, key()).await.expect("reopen");
        let stored: Vec<u8> =
            sqlx::query_scalar::<_, Vec<u8>>("SELECT lookup_hash FROM cases WHERE id = $1")
                .bind(legacy.id)
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert_ne!(stored, plain, "{backend:?}: still the unkeyed digest");
        assert_eq!(
            store.case_by_lookup("k7m2-q9xa").await.unwrap().unwrap().id,
            legacy.id,
            "{backend:?}"
        );
        assert_eq!(
            store
                .case_by_lookup("K7M2Q9XA3456789A")
                .await
                .unwrap()
                .unwrap()
                .id,
            current.id
        );
        let again: Vec<u8> =
            sqlx::query_scalar::<_, Vec<u8>>("SELECT lookup_hash FROM cases WHERE id = $1")
                .bind(current.id)
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert_eq!(
            again, current_hash,
            "{backend:?}: rewritten as new codes are stored"
        );
        drop(store);
        // A third start finds nothing pending and rewrites nothing.
        let store = Store::open(&db.url, key()).await.expect("reopen again");
        assert_eq!(
            store.case_by_lookup("K7M2Q9XA").await.unwrap().unwrap().id,
            legacy.id
        );
        // Without the key, the database does not say which code is right.
        let other = Store::open(&db.url, PiiCipher::new(&MasterKey::from_bytes([7; 32])))
            .await
            .unwrap();
        assert!(other.case_by_lookup("K7M2Q9XA").await.unwrap().is_none());
    }
}
