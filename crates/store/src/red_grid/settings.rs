//! The city's bounds on households per red grid member (`red_grid_settings`, key → value),
//! kept like the closed loop's settings: a key absent keeps the shipped default.

use crate::audit::Actor;
use crate::db::Store;
use crate::error::StoreError;
use gongzhi_domain::red_grid::{LinkSettings, MAX_KEY, MIN_KEY};
use sqlx::Row;

impl Store {
    /// The bounds in force (the defaults where none are stored).
    pub async fn red_grid_settings(&self) -> Result<LinkSettings, StoreError> {
        let rows = sqlx::query("SELECT key, value FROM red_grid_settings ORDER BY key")
            .fetch_all(&self.pool)
            .await?;
        let pairs = rows
            .iter()
            .map(|r| Ok((r.try_get("key")?, r.try_get("value")?)))
            .collect::<Result<Vec<(String, String)>, StoreError>>()?;
        Ok(LinkSettings::from_pairs(&pairs))
    }

    /// Stores checked bounds, in one transaction with their audit entry.
    pub async fn set_red_grid_settings(
        &self,
        actor: &Actor<'_>,
        s: LinkSettings,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        for (key, value) in [(MIN_KEY, s.min), (MAX_KEY, s.max)] {
            sqlx::query("DELETE FROM red_grid_settings WHERE key = $1")
                .bind(key)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO red_grid_settings (key, value) VALUES ($1, $2)")
                .bind(key)
                .bind(value.to_string())
                .execute(&mut *tx)
                .await?;
        }
        actor
            .record(
                &mut tx,
                "red_grid_settings.set",
                "setting:red_grid",
                &format!("min={} max={}", s.min, s.max),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
