//! API keys for Open311 clients (`api_key`): random, shown once, stored as SHA-256 digests,
//! each with an expiry; revoked by deleting the row.

use crate::audit::Actor;
use crate::db::Store;
use crate::error::StoreError;
use crate::exec::Cols;
use crate::sql::{Arg, Sql};
use crate::{Millis, accounts::random_token, now_millis};
use gongzhi_domain::access::Lifetime;
use sha2::{Digest, Sha256};

/// A key as an administrator sees it: never the key itself.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ApiKeyRow {
    pub id: i64,
    pub name: String,
    pub created_at: Millis,
    pub expires_at: Millis,
}

fn key_row(r: &impl Cols) -> Result<ApiKeyRow, StoreError> {
    Ok(ApiKeyRow {
        id: r.int("id")?,
        name: r.text("name")?,
        created_at: r.int("created_at")?,
        expires_at: r.int("expires_at")?,
    })
}

impl Store {
    /// Issues a key named `name` for `lifetime`; returns the key (shown once).
    pub async fn create_api_key(
        &self,
        name: &str,
        lifetime: Lifetime,
    ) -> Result<String, StoreError> {
        let key = format!("o311_{}", random_token());
        let now = now_millis();
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO api_keys (key_hash, name, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(Sha256::digest(key.as_bytes()).to_vec())
        .bind(name)
        .bind(now)
        .bind(lifetime.expires_at(now))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(key)
    }

    /// The name of the client a key was issued to, if the key is live. Every Open311 write
    /// asks: one indexed read.
    pub async fn api_key_name(&self, key: &str) -> Result<Option<String>, StoreError> {
        let mut sql = Sql::new("SELECT name FROM api_keys WHERE key_hash = ");
        sql.bind(Arg::Bytes(Sha256::digest(key.trim().as_bytes()).to_vec()))
            .push(" AND expires_at > ")
            .bind(Arg::Int(now_millis()));
        let names: Vec<String> = self
            .read(
                &sql,
                |r| r.iter().map(|r| r.text("name")).collect(),
                |r| r.iter().map(|r| r.text("name")).collect(),
            )
            .await?;
        Ok(names.into_iter().next())
    }

    /// Live keys, newest first.
    pub async fn api_keys(&self) -> Result<Vec<ApiKeyRow>, StoreError> {
        let mut sql =
            Sql::new("SELECT id, name, created_at, expires_at FROM api_keys WHERE expires_at > ");
        sql.bind(Arg::Int(now_millis())).push(" ORDER BY id DESC");
        self.read(
            &sql,
            |r| r.iter().map(key_row).collect(),
            |r| r.iter().map(key_row).collect(),
        )
        .await
    }

    /// Revokes one key; the client's next request is refused.
    pub async fn revoke_api_key(&self, id: i64, actor: &Actor<'_>) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query("DELETE FROM api_keys WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found(
                format!("Open311 密钥 {id}"),
                format!("Open311 key {id}"),
            ));
        }
        actor
            .record(&mut tx, "apikey.revoke", &format!("apikey:{id}"), "")
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
