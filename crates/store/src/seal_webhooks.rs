//! Migration 8's step in Rust: webhook credentials stored in clear before it (the signing secret,
//! the URL whose query string holds a robot's token) are sealed with the personal-data cipher,
//! and the URL is kept readable only with its credentials redacted. Migration 9 then drops the
//! clear columns.

use crate::error::StoreError;
use crate::pii::{PiiCipher, PiiField};
use crate::webhooks::redact_url;
use sqlx::{Any, Row, Transaction};

/// A webhook's credentials as stored: what is shown, and what is sealed.
pub(crate) struct Sealed {
    pub url_shown: String,
    pub url_sealed: Vec<u8>,
    /// `None` when the webhook has no secret.
    pub secret_sealed: Option<Vec<u8>>,
}

pub(crate) fn seal(pii: &PiiCipher, url: &str, secret: &str) -> Sealed {
    Sealed {
        url_shown: redact_url(url),
        url_sealed: pii.encrypt(PiiField::WebhookUrl, url),
        secret_sealed: (!secret.is_empty()).then(|| pii.encrypt(PiiField::WebhookSecret, secret)),
    }
}

/// Seals every webhook not sealed yet, inside the migration's transaction.
pub(crate) async fn seal_all(
    tx: &mut Transaction<'_, Any>,
    pii: &PiiCipher,
) -> Result<(), StoreError> {
    let rows = sqlx::query("SELECT id, url, secret FROM webhooks WHERE url_sealed IS NULL")
        .fetch_all(&mut **tx)
        .await?;
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let url: String = r.try_get("url")?;
        let secret: String = r.try_get("secret")?;
        let s = seal(pii, &url, &secret);
        sqlx::query(
            "UPDATE webhooks SET url_shown = $1, url_sealed = $2, secret_sealed = $3 WHERE id = $4",
        )
        .bind(s.url_shown)
        .bind(s.url_sealed)
        .bind(s.secret_sealed)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::WebhookEvent;
    use crate::db::{Backend, Store};
    use crate::pii::{MasterKey, PiiCipher};
    use gongzhi_testkit::{TestDb, backends};
    use sqlx::Row;

    const SECRET: &str = "whsec-before-migration-8";
    const TOKEN: &str = "robot0token0before0migration";

    fn cipher() -> PiiCipher {
        PiiCipher::new(&MasterKey::from_bytes([5; 32]))
    }

    /// A server from before migration 8 stored a webhook in clear; the next start seals it:
    /// no column holds the secret or the token any more, and the worker still gets both.
    #[tokio::test]
    async fn clear_webhook_credentials_are_sealed_by_the_migration() {
        for backend in backends() {
            let db = TestDb::new(backend).await;
            sqlx::any::install_default_drivers();
            let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
            let b = Backend::from_url(&db.url).unwrap();
            crate::migrate::run_until(&pool, b, &cipher(), 7)
                .await
                .unwrap();
            let url = format!("https://oapi.dingtalk.com/robot/send?access_token={TOKEN}");
            sqlx::query(
                "INSERT INTO webhooks (name, url, format, secret, events, active, created_at)
                 VALUES ('值班群', $1, 'dingtalk', $2, 'overdue', 1, 0)",
            )
            .bind(&url)
            .bind(SECRET)
            .execute(&pool)
            .await
            .unwrap();
            pool.close().await;

            let store = Store::open(&db.url, cipher()).await.unwrap();
            // Every column, whatever later migrations add: none may hold a credential.
            let rows = sqlx::query("SELECT * FROM webhooks")
                .fetch_all(store.pool())
                .await
                .unwrap();
            assert_eq!(rows.len(), 1);
            for i in 0..rows[0].len() {
                let text = rows[0]
                    .try_get::<Option<String>, _>(i)
                    .ok()
                    .flatten()
                    .map(String::into_bytes)
                    .or_else(|| rows[0].try_get::<Option<Vec<u8>>, _>(i).ok().flatten())
                    .unwrap_or_default();
                let shown = String::from_utf8_lossy(&text);
                assert!(
                    !shown.contains(SECRET) && !shown.contains(TOKEN),
                    "{backend:?}: column {i} holds a credential in clear"
                );
            }
            let listed = store.webhooks().await.unwrap();
            assert_eq!(
                listed[0].url,
                "https://oapi.dingtalk.com/robot/send?access_token=…"
            );
            assert!(listed[0].has_secret);

            store
                .enqueue_webhook_deliveries(WebhookEvent::Overdue, 1, "{}")
                .await
                .unwrap();
            let due = store.due_deliveries(crate::now_millis(), 10).await.unwrap();
            assert_eq!(due.len(), 1, "{backend:?}");
            assert_eq!(due[0].url, url);
            assert_eq!(due[0].secret.expose(), SECRET);

            // Another key cannot open them.
            store.close().await;
            let other = PiiCipher::new(&MasterKey::from_bytes([6; 32]));
            let store = Store::open(&db.url, other).await.unwrap();
            store
                .enqueue_webhook_deliveries(WebhookEvent::Overdue, 2, "{}")
                .await
                .unwrap();
            let later = crate::now_millis() + crate::CLAIM_LEASE_MS + 1;
            assert!(store.due_deliveries(later, 10).await.is_err());
            store.close().await;
        }
    }
}
