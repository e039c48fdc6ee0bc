//! Issue 11 findings 7 and 13 in the store, on SQLite and PostgreSQL: what a database written
//! before migration 10 holds keeps working after it. Tokens and Open311 keys get an id and an
//! expiry; lookup codes stored as an unkeyed SHA-256 are rewritten keyed and still open their
//! cases.

use gongzhi_domain::access::{Lifetime, Role, Scope};
use gongzhi_domain::case::{self, Actor as CaseActor, Channel, DeadlineClass, NewCase};
use gongzhi_store::pii::{MasterKey, PiiCipher};
use gongzhi_store::{
    AccountDraft, Actor, Backend, CaseChange, CaseDetails, CaseRow, EventActor, Store,
};
use gongzhi_testkit::{TestDb, backends};
use sha2::Digest;

const DAY_MS: i64 = 86_400_000;

fn key() -> PiiCipher {
    PiiCipher::new(&MasterKey::from_bytes([5; 32]))
}

async fn open(db: &TestDb) -> Store {
    Store::open(&db.url, key()).await.expect("open store")
}

/// Puts the credential tables back as they were before migration 10 and marks it not run, so
/// that the next open runs it (SQL and its step in Rust) on what the test leaves there.
async fn undo_migration_10(store: &Store) {
    let old = match store.backend() {
        Backend::Sqlite => [
            "DROP TABLE api_tokens",
            "CREATE TABLE api_tokens (token_hash BLOB PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id), name TEXT NOT NULL, created_at INTEGER NOT NULL)",
            "DROP TABLE api_keys",
            "CREATE TABLE api_keys (key_hash BLOB PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL)",
        ],
        Backend::Postgres => [
            "DROP TABLE api_tokens",
            "CREATE TABLE api_tokens (token_hash BYTEA PRIMARY KEY, account_id BIGINT NOT NULL REFERENCES accounts(id), name TEXT NOT NULL, created_at BIGINT NOT NULL)",
            "DROP TABLE api_keys",
            "CREATE TABLE api_keys (key_hash BYTEA PRIMARY KEY, name TEXT NOT NULL, created_at BIGINT NOT NULL)",
        ],
    };
    for sql in old
        .into_iter()
        .chain(["DELETE FROM schema_migrations WHERE version = 10"])
    {
        sqlx::query(sql).execute(store.pool()).await.unwrap();
    }
}

async fn file(store: &Store, lookup: &str) -> CaseRow {
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
                let (c, e) = case::report(new, &CaseActor::System, &Default::default())
                    .map_err(|r| r.to_string())?;
                Ok::<_, String>(CaseChange::new(c, vec![e], None))
            },
        )
        .await
        .expect("file a case")
}

async fn stored_digest(store: &Store, id: i64) -> Vec<u8> {
    sqlx::query_scalar::<_, Vec<u8>>("SELECT lookup_hash FROM cases WHERE id = $1")
        .bind(id)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn lookup_codes_from_before_keying_are_rewritten_once_and_keep_working() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = open(&db).await;
        let legacy = file(&store, "K7M2-Q9XA").await;
        let current = file(&store, "K7M2-Q9XA-3456-789A").await;
        let keyed = stored_digest(&store, current.id).await;
        // Both stored as an older server stored them: the plain SHA-256 of the code.
        let plain = sha2::Sha256::digest(b"K7M2Q9XA").to_vec();
        for (id, digest) in [
            (legacy.id, plain.clone()),
            (
                current.id,
                sha2::Sha256::digest(b"K7M2Q9XA3456789A").to_vec(),
            ),
        ] {
            sqlx::query("UPDATE cases SET lookup_hash = $1 WHERE id = $2")
                .bind(digest)
                .bind(id)
                .execute(store.pool())
                .await
                .unwrap();
        }
        undo_migration_10(&store).await;
        store.close().await;

        let store = open(&db).await;
        assert_ne!(
            stored_digest(&store, legacy.id).await,
            plain,
            "{backend:?}: still the unkeyed digest"
        );
        assert_eq!(
            store.case_by_lookup("k7m2-q9xa").await.unwrap().unwrap().id,
            legacy.id,
            "{backend:?}"
        );
        assert_eq!(
            stored_digest(&store, current.id).await,
            keyed,
            "{backend:?}: rewritten as new codes are stored"
        );
        store.close().await;
        // The next start rewrites nothing again.
        let store = open(&db).await;
        assert_eq!(
            store.case_by_lookup("K7M2Q9XA").await.unwrap().unwrap().id,
            legacy.id
        );
        store.close().await;
        // Without the key, the database does not say which code is right.
        let other = Store::open(&db.url, PiiCipher::new(&MasterKey::from_bytes([7; 32])))
            .await
            .unwrap();
        assert!(other.case_by_lookup("K7M2Q9XA").await.unwrap().is_none());
        other.close().await;
    }
}

#[tokio::test]
async fn credentials_from_before_expiry_get_one_and_keep_working_until_revoked() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = open(&db).await;
        let draft = AccountDraft {
            username: "wangge".into(),
            display_name: "王网格".into(),
            role: Role::Admin,
            scope: Scope::All,
            can_unmask: false,
            password: "secret2026".into(),
            is_demo: false,
        };
        let id = store.create_account(&draft, &Actor::SYSTEM).await.unwrap();
        undo_migration_10(&store).await;
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, account_id, name, created_at) VALUES ($1, $2, 'old', 1)",
        )
        .bind(sha2::Sha256::digest(b"gz_issued-long-ago").to_vec())
        .bind(id)
        .execute(store.pool())
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO api_keys (key_hash, name, created_at) VALUES ($1, '12345热线', 1)",
        )
        .bind(sha2::Sha256::digest(b"o311_issued-long-ago").to_vec())
        .execute(store.pool())
        .await
        .unwrap();
        store.close().await;

        let store = open(&db).await;
        let now = gongzhi_store::now_millis();
        let holder = store
            .account_by_api_token("gz_issued-long-ago")
            .await
            .unwrap();
        assert_eq!(holder.map(|a| a.id), Some(id), "{backend:?}");
        let tokens = store.api_tokens(Some(id)).await.unwrap();
        assert_eq!(tokens.len(), 1);
        assert!(
            (tokens[0].expires_at - (now + 90 * DAY_MS)).abs() < DAY_MS,
            "{backend:?}: an old token expires 90 days after the migration"
        );
        assert_eq!(
            store.api_key_name("o311_issued-long-ago").await.unwrap(),
            Some("12345热线".into())
        );
        let keys = store.api_keys().await.unwrap();
        assert!((keys[0].expires_at - (now + 365 * DAY_MS)).abs() < DAY_MS);

        // New ones number on from there, expire as issued, and die when revoked.
        let fresh = store
            .create_api_token(id, "new", Lifetime::days(7).unwrap(), &Actor::SYSTEM)
            .await
            .unwrap();
        let (_, fresh_id) = store.api_token_holder(&fresh).await.unwrap().unwrap();
        assert!(fresh_id > tokens[0].id);
        store
            .revoke_api_token(tokens[0].id, &Actor::SYSTEM)
            .await
            .unwrap();
        assert!(
            store
                .account_by_api_token("gz_issued-long-ago")
                .await
                .unwrap()
                .is_none()
        );
        assert!(store.account_by_api_token(&fresh).await.unwrap().is_some());
        store
            .revoke_api_key(keys[0].id, &Actor::SYSTEM)
            .await
            .unwrap();
        assert!(
            store
                .api_key_name("o311_issued-long-ago")
                .await
                .unwrap()
                .is_none()
        );
        // A password reset ends the rest.
        store
            .reset_password(id, "newsecret2026", &Actor::SYSTEM, None)
            .await
            .unwrap();
        assert!(store.account_by_api_token(&fresh).await.unwrap().is_none());
        assert!(store.api_tokens(Some(id)).await.unwrap().is_empty());
        store.close().await;
    }
}
