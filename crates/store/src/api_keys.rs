//! API keys for Open311 clients (`api_key`): random, shown once, stored as SHA-256 digests.

use crate::db::Store;
use crate::error::StoreError;
use crate::{accounts::random_token, now_millis};
use sha2::{Digest, Sha256};

impl Store {
    /// Issues a key named `name`; returns the key (shown once).
    pub async fn create_api_key(&self, name: &str) -> Result<String, StoreError> {
        let key = format!("o311_{}", random_token());
        let mut tx = self.write_tx().await?;
        sqlx::query("INSERT INTO api_keys (key_hash, name, created_at) VALUES ($1, $2, $3)")
            .bind(Sha256::digest(key.as_bytes()).to_vec())
            .bind(name)
            .bind(now_millis())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(key)
    }

    /// The name of the client a key was issued to, if the key is valid.
    pub async fn api_key_name(&self, key: &str) -> Result<Option<String>, StoreError> {
        let mut sql = crate::sql::Sql::new("SELECT name FROM api_keys WHERE key_hash = ");
        sql.bind(crate::sql::Arg::Bytes(
            Sha256::digest(key.trim().as_bytes()).to_vec(),
        ));
        use crate::exec::Cols;
        let names: Vec<String> = self
            .read(
                &sql,
                |r| r.iter().map(|r| r.text("name")).collect(),
                |r| r.iter().map(|r| r.text("name")).collect(),
            )
            .await?;
        Ok(names.into_iter().next())
    }
}
