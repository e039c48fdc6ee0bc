//! Coordination of background jobs across servers, and the staff inbox.

use crate::db::{Backend, Store};
use crate::error::StoreError;
use crate::{Millis, now_millis};
use serde::Serialize;
use sqlx::Row;
use sqlx::pool::PoolConnection;

/// Proof that this server holds a job's lock. On PostgreSQL it keeps the session that holds the
/// advisory lock; on SQLite (one machine, one server) holding it is trivial.
pub struct JobGuard {
    conn: Option<PoolConnection<sqlx::Any>>,
    key: i64,
}

impl JobGuard {
    /// Whether this server still holds the lock. On PostgreSQL an advisory lock lives as long as
    /// the session that took it: a restarted (or failed-over) database ends that session, and the
    /// lock with it, without the holder noticing, while another server may take the lock over.
    /// A job that keeps the lock across many passes asks before each pass and, when the answer
    /// is no, drops the guard and takes the lock again on a live connection.
    pub async fn is_held(&mut self) -> bool {
        let Some(conn) = self.conn.as_mut() else {
            return true;
        };
        // Nothing but the session's end releases the lock, so a live session still holds it.
        match sqlx::query("SELECT 1").execute(&mut **conn).await {
            Ok(_) => true,
            Err(e) => {
                tracing::warn!(key = self.key, error = %e, "job lock: its session has ended");
                false
            }
        }
    }

    pub async fn release(mut self) {
        if let Some(mut conn) = self.conn.take() {
            let _ = sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(self.key)
                .execute(&mut *conn)
                .await;
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Notification {
    pub id: i64,
    pub case_id: i64,
    pub recipient: String,
    pub kind: String,
    pub message: String,
    pub at: Millis,
    pub read_at: Option<Millis>,
}

impl Store {
    /// Takes the job lock `key` if no other server holds it.
    pub async fn with_job_lock(&self, key: i64) -> Result<Option<JobGuard>, StoreError> {
        match self.backend {
            Backend::Sqlite => Ok(Some(JobGuard { conn: None, key })),
            Backend::Postgres => {
                let mut conn = self.pool.acquire().await?;
                let got: bool = sqlx::query("SELECT pg_try_advisory_lock($1) AS got")
                    .bind(key)
                    .fetch_one(&mut *conn)
                    .await?
                    .try_get("got")?;
                Ok(got.then_some(JobGuard {
                    conn: Some(conn),
                    key,
                }))
            }
        }
    }

    /// Sets when the deadline job should next look at a case.
    pub async fn reset_case_clock(
        &self,
        id: i64,
        clock_at: Option<Millis>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("UPDATE cases SET clock_at = $1 WHERE id = $2")
            .bind(clock_at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// `recipient` is `department:<code>`, `grid:<code>`, `area:<code>` or `all`.
    pub async fn add_notification(
        &self,
        case_id: i64,
        recipient: &str,
        kind: &str,
        message: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("INSERT INTO notifications (case_id, recipient, kind, message, at) VALUES ($1, $2, $3, $4, $5)")
            .bind(case_id)
            .bind(recipient)
            .bind(kind)
            .bind(message)
            .bind(now_millis())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// How many notifications addressed to `recipients` are unread: one count over the
    /// `(recipient, read_at)` index, cheap enough for every page's menu.
    pub async fn unread_notifications(&self, recipients: &[String]) -> Result<i64, StoreError> {
        if recipients.is_empty() {
            return Ok(0);
        }
        let mut sql =
            crate::sql::Sql::new("SELECT COUNT(*) AS n FROM notifications WHERE recipient IN (");
        in_list(&mut sql, recipients);
        sql.push(") AND read_at IS NULL");
        let row = sql.query(self.backend).fetch_one(&self.pool).await?;
        Ok(row.try_get("n")?)
    }

    /// Marks every unread notification addressed to `recipients` read at `at`; how many.
    pub async fn mark_notifications_read(
        &self,
        recipients: &[String],
        at: Millis,
    ) -> Result<u64, StoreError> {
        if recipients.is_empty() {
            return Ok(0);
        }
        let mut sql = crate::sql::Sql::new("UPDATE notifications SET read_at = ");
        sql.bind(crate::sql::Arg::Int(at));
        sql.push(" WHERE recipient IN (");
        in_list(&mut sql, recipients);
        sql.push(") AND read_at IS NULL");
        let mut tx = self.write_tx().await?;
        let done = sql.query(self.backend).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    pub async fn notifications(
        &self,
        recipients: &[String],
        limit: i64,
    ) -> Result<Vec<Notification>, StoreError> {
        if recipients.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = crate::sql::Sql::new(
            "SELECT id, case_id, recipient, kind, message, at, read_at FROM notifications WHERE recipient IN (",
        );
        for (i, r) in recipients.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(crate::sql::Arg::Text(r.clone()));
        }
        sql.push(") ORDER BY id DESC LIMIT ")
            .bind(crate::sql::Arg::Int(limit));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(Notification {
                    id: r.try_get("id")?,
                    case_id: r.try_get("case_id")?,
                    recipient: r.try_get("recipient")?,
                    kind: r.try_get("kind")?,
                    message: r.try_get("message")?,
                    at: r.try_get("at")?,
                    read_at: r.try_get("read_at")?,
                })
            })
            .collect()
    }
}

fn in_list(sql: &mut crate::sql::Sql, values: &[String]) {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(crate::sql::Arg::Text(v.clone()));
    }
}
