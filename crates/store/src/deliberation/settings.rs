//! The city's deliberation settings and a community's own threshold (`deliberation_settings`,
//! scope → key → value), kept like the red grid's: a key absent keeps the shipped default.

use super::{WriteResult, log};
use crate::db::Store;
use crate::error::StoreError;
use crate::{EventActor, now_millis};
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::deliberation::{DeliberationSettings, THRESHOLD_KEY};
use serde_json::json;
use sqlx::{AnyConnection, Row};

pub(super) const CITY: &str = "city";

async fn pairs(conn: &mut AnyConnection, scope: &str) -> Result<Vec<(String, String)>, StoreError> {
    let rows =
        sqlx::query("SELECT key, value FROM deliberation_settings WHERE scope = $1 ORDER BY key")
            .bind(scope)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("key")?, r.try_get("value")?)))
        .collect()
}

/// The settings in force in `community` (the city's without one), read on `conn`.
pub(super) async fn settings_on(
    conn: &mut AnyConnection,
    community: Option<&AreaCode>,
) -> Result<DeliberationSettings, StoreError> {
    let city = pairs(conn, CITY).await?;
    let own = match community {
        Some(c) => pairs(conn, c.as_str()).await?,
        None => Vec::new(),
    };
    Ok(DeliberationSettings::from_pairs(&city, &own))
}

async fn put(
    conn: &mut AnyConnection,
    scope: &str,
    key: &str,
    value: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM deliberation_settings WHERE scope = $1 AND key = $2")
        .bind(scope)
        .bind(key)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO deliberation_settings (scope, key, value) VALUES ($1, $2, $3)")
        .bind(scope)
        .bind(key)
        .bind(value)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    /// The settings in force in `community` (the city's without one).
    pub async fn deliberation_settings(
        &self,
        community: Option<&AreaCode>,
    ) -> Result<DeliberationSettings, StoreError> {
        let mut conn = self.pool.acquire().await?;
        settings_on(&mut conn, community).await
    }

    /// Stores checked city settings, logged.
    pub async fn set_deliberation_settings(
        &self,
        s: &DeliberationSettings,
        by: &EventActor,
    ) -> WriteResult<()> {
        let s = s.checked()?;
        let mut tx = self.write_tx().await?;
        for (k, v) in s.pairs() {
            put(&mut tx, CITY, k, &v).await?;
        }
        log(
            &mut tx,
            "deliberation-settings/city".into(),
            "set",
            json!({"type": "set", "support_threshold": s.support_threshold,
                   "quorum_pct": s.quorum_pct, "majority": s.majority.as_str(),
                   "voting_basis": s.voting_basis.as_str()}),
            by,
            now_millis(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A community's own support threshold (`None`: the city's again), logged.
    pub async fn set_community_threshold(
        &self,
        community: &AreaCode,
        threshold: Option<u32>,
        by: &EventActor,
    ) -> WriteResult<()> {
        let mut tx = self.write_tx().await?;
        match threshold {
            Some(n) => {
                let checked = DeliberationSettings {
                    support_threshold: n,
                    ..Default::default()
                }
                .checked()?;
                put(
                    &mut tx,
                    community.as_str(),
                    THRESHOLD_KEY,
                    &checked.support_threshold.to_string(),
                )
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM deliberation_settings WHERE scope = $1")
                    .bind(community.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
        }
        log(
            &mut tx,
            format!("deliberation-settings/{community}"),
            "set",
            json!({"type": "set", "support_threshold": threshold}),
            by,
            now_millis(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
