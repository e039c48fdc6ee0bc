//! Issue 11 finding 13 in the store, on SQLite and PostgreSQL: migration 10 gives tokens and
//! Open311 keys issued before it an id and an expiry and keeps them working; expired ones are
//! refused; revoking and a password reset end them.

use gongzhi_domain::access::{Lifetime, Role, Scope};
use gongzhi_store::pii::{MasterKey, PiiCipher};
use gongzhi_store::{AccountDraft, Actor, Backend, Store};
use gongzhi_testkit::{TestDb, backends};
use sha2::Digest;

const DAY_MS: i64 = 86_400_000;

async fn open(db: &TestDb) -> Store {
    Store::open(&db.url, PiiCipher::new(&MasterKey::from_bytes([5; 32])))
        .await
        .expect("open store")
}

/// Puts the credential tables back as they were before migration 10, holding one token for
/// `account` and one key, and marks the migration as not yet run.
async fn as_before_migration_10(store: &Store, account: i64) {
    let old = match store.backend() {
        Backend::Sqlite => vec![
            "DROP TABLE api_tokens",
            "CREATE TABLE api_tokens (token_hash BLOB PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id), name TEXT NOT NULL, created_at INTEGER NOT NULL)",
            "DROP TABLE api_keys",
            "CREATE TABLE api_keys (key_hash BLOB PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL)",
        ],
        Backend::Postgres => vec![
            "DROP TABLE api_tokens",
            "CREATE TABLE api_tokens (token_hash BYTEA PRIMARY KEY, account_id BIGINT NOT NULL REFERENCES accounts(id), name TEXT NOT NULL, created_at BIGINT NOT NULL)",
            "DROP TABLE api_keys",
            "CREATE TABLE api_keys (key_hash BYTEA PRIMARY KEY, name TEXT NOT NULL, created_at BIGINT NOT NULL)",
        ],
    };
    for sql in old {
        sqlx::query(sql).execute(store.pool()).await.unwrap();
    }
    for sql in [
        "DROP TABLE pending_rekeys",
        "DELETE FROM schema_migrations WHERE version = 10",
    ] {
        sqlx::query(sql).execute(store.pool()).await.unwrap();
    }
    sqlx::query("INSERT INTO api_tokens (token_hash, account_id, name, created_at) VALUES ($1, $2, 'old', 1)")
        .bind(sha2::Sha256::digest(b"gz_issued-long-ago").to_vec())
        .bind(account)
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query("INSERT INTO api_keys (key_hash, name, created_at) VALUES ($1, '12345热线', 1)")
        .bind(sha2::Sha256::digest(b"o311_issued-long-ago").to_vec())
        .execute(store.pool())
        .await
        .unwrap();
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
        as_before_migration_10(&store, id).await;
        drop(store);

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
            .reset_password(id, "newsecret2026", &Actor::SYSTEM)
            .await
            .unwrap();
        assert!(store.account_by_api_token(&fresh).await.unwrap().is_none());
        assert!(store.api_tokens(Some(id)).await.unwrap().is_empty());
    }
}
