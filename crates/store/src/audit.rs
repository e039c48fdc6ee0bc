//! Two logs: the audit log of administrative acts (who created, changed or disabled what), and the
//! personal-data access log (who saw whose unmasked 身份证号 or phone, when, and why).

use crate::db::Store;
use crate::error::StoreError;
use crate::{Millis, now_millis};
use sqlx::{Any, Row, Transaction};

/// Who performs an act: an account, or the system itself (CLI, demo seeding) with `id: None`.
#[derive(Clone, Copy, Debug)]
pub struct Actor<'a> {
    pub id: Option<i64>,
    pub name: &'a str,
}

impl Actor<'_> {
    pub const SYSTEM: Actor<'static> = Actor {
        id: None,
        name: "system",
    };

    pub(crate) async fn record(
        &self,
        tx: &mut Transaction<'_, Any>,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, actor_name, action, subject, detail) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(now_millis())
        .bind(self.id)
        .bind(self.name)
        .bind(action)
        .bind(subject)
        .bind(detail)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: Millis,
    pub actor_id: Option<i64>,
    /// The login name at the time of the act.
    pub actor_name: String,
    /// The account's display name now (a person or office, as screens show it); none for the
    /// system or an account since deleted.
    pub actor_display_name: Option<String>,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct PiiAccessEntry {
    pub id: i64,
    pub at: Millis,
    pub account_id: i64,
    /// The login name at the time of the read.
    pub account_name: String,
    /// The account's display name now, as screens show it.
    pub account_display_name: Option<String>,
    pub resident_id: i64,
    pub fields: String,
    pub reason: String,
}

impl Store {
    /// Records an administrative act on its own (for acts that change nothing else in the store).
    pub async fn record_audit(
        &self,
        actor: &Actor<'_>,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        actor.record(&mut tx, action, subject, detail).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn audit_entries(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT l.id, l.at, l.actor_id, l.actor_name, a.display_name AS actor_display_name,
                    l.action, l.subject, l.detail
             FROM audit_log l LEFT JOIN accounts a ON a.id = l.actor_id
             ORDER BY l.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor_id: r.try_get("actor_id")?,
                    actor_name: r.try_get("actor_name")?,
                    actor_display_name: r.try_get("actor_display_name")?,
                    action: r.try_get("action")?,
                    subject: r.try_get("subject")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }

    /// Must be called, and must succeed, before unmasked personal data is sent to anyone.
    pub async fn record_pii_access(
        &self,
        account_id: i64,
        account_name: &str,
        resident_id: i64,
        fields: &str,
        reason: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO pii_access_log (at, account_id, account_name, resident_id, fields, reason) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(now_millis())
        .bind(account_id)
        .bind(account_name)
        .bind(resident_id)
        .bind(fields)
        .bind(reason)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Must be called, and must succeed, before the answer to a search by a full 身份证号 or
    /// phone number is sent: the answer tells the searcher that the number is each found
    /// resident's (or nobody's they may see), as much as an unmask would. Each resident found
    /// gets a line in the personal-data access log; the search itself, hits or not, a line in
    /// the audit log. The number searched for is written nowhere.
    pub async fn record_pii_search(
        &self,
        account_id: i64,
        account_name: &str,
        found: &[i64],
        fields: &str,
        reason: &str,
    ) -> Result<(), StoreError> {
        let now = now_millis();
        let mut tx = self.write_tx().await?;
        for &resident_id in found {
            sqlx::query(
                "INSERT INTO pii_access_log (at, account_id, account_name, resident_id, fields, reason) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(now)
            .bind(account_id)
            .bind(account_name)
            .bind(resident_id)
            .bind(fields)
            .bind(reason)
            .execute(&mut *tx)
            .await?;
        }
        let actor = Actor {
            id: Some(account_id),
            name: account_name,
        };
        actor
            .record(
                &mut tx,
                "pii.search",
                fields,
                &format!("matches={} reason={reason}", found.len()),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn pii_access_entries(
        &self,
        resident_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<PiiAccessEntry>, StoreError> {
        let rows = match resident_id {
            Some(rid) => sqlx::query(
                "SELECT l.id, l.at, l.account_id, l.account_name, a.display_name AS account_display_name,
                        l.resident_id, l.fields, l.reason
                 FROM pii_access_log l LEFT JOIN accounts a ON a.id = l.account_id
                 WHERE l.resident_id = $1 ORDER BY l.id DESC LIMIT $2",
            )
            .bind(rid)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?,
            None => sqlx::query(
                "SELECT l.id, l.at, l.account_id, l.account_name, a.display_name AS account_display_name,
                        l.resident_id, l.fields, l.reason
                 FROM pii_access_log l LEFT JOIN accounts a ON a.id = l.account_id
                 ORDER BY l.id DESC LIMIT $1",
            )
            .bind(limit)
            .fetch_all(&self.pool)
            .await?,
        };
        rows.iter()
            .map(|r| {
                Ok(PiiAccessEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    account_id: r.try_get("account_id")?,
                    account_name: r.try_get("account_name")?,
                    account_display_name: r.try_get("account_display_name")?,
                    resident_id: r.try_get("resident_id")?,
                    fields: r.try_get("fields")?,
                    reason: r.try_get("reason")?,
                })
            })
            .collect()
    }
}
