//! The closed loop's settings kept by the city (`loop_settings`): key → value, read by every
//! server with its calendar, written with an audit entry.

use crate::audit::Actor;
use crate::db::Store;
use crate::error::StoreError;
use sqlx::Row;

impl Store {
    /// Every stored setting as `(key, value)`; keys not stored keep the shipped defaults.
    pub async fn loop_settings(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query("SELECT key, value FROM loop_settings ORDER BY key")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("key")?, r.try_get("value")?)))
            .collect()
    }

    /// Sets one setting, in one transaction with its audit entry.
    pub async fn set_loop_setting(
        &self,
        actor: &Actor<'_>,
        key: &str,
        value: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("DELETE FROM loop_settings WHERE key = $1")
            .bind(key)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO loop_settings (key, value) VALUES ($1, $2)")
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
        actor
            .record(
                &mut tx,
                "loop_settings.set",
                &format!("setting:{key}"),
                &format!("value={value}"),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
