//! The configured categories and the signal thresholds: administrative settings, each change
//! on the audit log.

use crate::audit::Actor;
use crate::db::Store;
use crate::error::StoreError;
use crate::now_millis;
use gongzhi_domain::conduct::{CategoryDraft, MisconductCategory, SignalThresholds};
use sqlx::Row;

const THRESHOLDS: &str = "signal_thresholds";

impl Store {
    /// Every category in its order; disabled ones too when `all`.
    pub async fn misconduct_categories(
        &self,
        all: bool,
    ) -> Result<Vec<MisconductCategory>, StoreError> {
        let rows = sqlx::query(
            "SELECT code, name_zh, name_en, active FROM misconduct_categories ORDER BY position, code",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let active: i64 = r.try_get("active")?;
            if all || active == 1 {
                out.push(MisconductCategory {
                    code: r.try_get("code")?,
                    name_zh: r.try_get("name_zh")?,
                    name_en: r.try_get("name_en")?,
                    active: active == 1,
                });
            }
        }
        Ok(out)
    }

    /// Adds a category, or renames, enables or disables the one with the code (codes stay).
    pub async fn save_misconduct_category(
        &self,
        c: &CategoryDraft,
        by: &Actor<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let changed = sqlx::query(
            "UPDATE misconduct_categories SET name_zh = $1, name_en = $2, active = $3 WHERE code = $4",
        )
        .bind(&c.name_zh)
        .bind(&c.name_en)
        .bind(i64::from(c.active))
        .bind(&c.code)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            sqlx::query(
                "INSERT INTO misconduct_categories (code, name_zh, name_en, active, position, created_at)
                 VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(position), 0) + 1 FROM misconduct_categories), $5)",
            )
            .bind(&c.code)
            .bind(&c.name_zh)
            .bind(&c.name_en)
            .bind(i64::from(c.active))
            .bind(now_millis())
            .execute(&mut *tx)
            .await?;
        }
        let what = if changed == 0 { "added" } else { "changed" };
        by.record(
            &mut tx,
            "misconduct_category",
            &format!("misconduct_category/{}", c.code),
            &format!("{what}; active={}", c.active),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The signal thresholds in force (the defaults until changed).
    pub async fn signal_thresholds(&self) -> Result<SignalThresholds, StoreError> {
        let row = sqlx::query("SELECT value FROM misconduct_settings WHERE key = $1")
            .bind(THRESHOLDS)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => {
                let v: String = r.try_get("value")?;
                serde_json::from_str(&v)
                    .map_err(|e| StoreError::corrupt(format!("signal thresholds: {e}")))?
            }
            None => SignalThresholds::default(),
        })
    }

    pub async fn set_signal_thresholds(
        &self,
        t: &SignalThresholds,
        by: &Actor<'_>,
    ) -> Result<(), StoreError> {
        let value = serde_json::to_string(t).expect("thresholds serialise");
        let mut tx = self.write_tx().await?;
        sqlx::query("DELETE FROM misconduct_settings WHERE key = $1")
            .bind(THRESHOLDS)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO misconduct_settings (key, value, changed_at) VALUES ($1, $2, $3)")
            .bind(THRESHOLDS)
            .bind(&value)
            .bind(now_millis())
            .execute(&mut *tx)
            .await?;
        by.record(&mut tx, "signal_thresholds", "misconduct/signals", &value)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
