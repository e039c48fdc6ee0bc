//! Bearer tokens for machine clients: random, shown once, stored as SHA-256 digests, each
//! with an expiry; revoked by deleting the row (the audit log keeps that it existed).

use crate::accounts::{ACCOUNT_COLUMNS, AccountRow, account_row, random_token, token_digest};
use crate::audit::Actor;
use crate::db::Store;
use crate::error::StoreError;
use crate::exec::Cols;
use crate::sql::{Arg, Sql};
use crate::{Millis, now_millis};
use gongzhi_domain::access::Lifetime;

/// A token as an administrator sees it: never the token itself.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ApiTokenRow {
    pub id: i64,
    pub account_id: i64,
    pub username: String,
    pub name: String,
    pub created_at: Millis,
    pub expires_at: Millis,
}

fn token_row(r: &impl Cols) -> Result<ApiTokenRow, StoreError> {
    Ok(ApiTokenRow {
        id: r.int("id")?,
        account_id: r.int("account_id")?,
        username: r.text("username")?,
        name: r.text("name")?,
        created_at: r.int("created_at")?,
        expires_at: r.int("expires_at")?,
    })
}

fn holder_row(r: &impl Cols) -> Result<(AccountRow, i64), StoreError> {
    Ok((account_row(r)?, r.int("token_id")?))
}

impl Store {
    /// Issues a bearer token acting as `account_id` for `lifetime`; returns it once.
    pub async fn create_api_token(
        &self,
        account_id: i64,
        name: &str,
        lifetime: Lifetime,
        actor: &Actor<'_>,
    ) -> Result<String, StoreError> {
        let token = format!("gz_{}", random_token());
        let now = now_millis();
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, account_id, name, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_digest(&token))
        .bind(account_id)
        .bind(name)
        .bind(now)
        .bind(lifetime.expires_at(now))
        .execute(&mut *tx)
        .await?;
        actor
            .record(
                &mut tx,
                "token.create",
                &format!("account:{account_id}"),
                &format!("{name} days={}", lifetime.get_days()),
            )
            .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The enabled account a live (unexpired, unrevoked) token acts as.
    pub async fn account_by_api_token(
        &self,
        token: &str,
    ) -> Result<Option<AccountRow>, StoreError> {
        Ok(self.api_token_holder(token).await?.map(|(a, _)| a))
    }

    /// The enabled account a live token acts as, and the token's id. Every API request with a
    /// bearer token asks: one indexed read, on the inline SQLite readers where there are some.
    pub async fn api_token_holder(
        &self,
        token: &str,
    ) -> Result<Option<(AccountRow, i64)>, StoreError> {
        let cols = ACCOUNT_COLUMNS
            .split(',')
            .map(|c| format!("a.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let mut sql = Sql::new(&format!(
            "SELECT {cols}, t.id AS token_id FROM api_tokens t JOIN accounts a ON a.id = t.account_id
             WHERE a.disabled = 0 AND t.token_hash = "
        ));
        sql.bind(Arg::Bytes(token_digest(token)))
            .push(" AND t.expires_at > ")
            .bind(Arg::Int(now_millis()));
        let rows: Vec<(AccountRow, i64)> = self
            .read(
                &sql,
                |r| r.iter().map(holder_row).collect(),
                |r| r.iter().map(holder_row).collect(),
            )
            .await?;
        Ok(rows.into_iter().next())
    }

    /// Live tokens, newest first; only `account_id`'s when given.
    pub async fn api_tokens(
        &self,
        account_id: Option<i64>,
    ) -> Result<Vec<ApiTokenRow>, StoreError> {
        let mut sql = Sql::new(
            "SELECT t.id, t.account_id, a.username, t.name, t.created_at, t.expires_at
             FROM api_tokens t JOIN accounts a ON a.id = t.account_id WHERE t.expires_at > ",
        );
        sql.bind(Arg::Int(now_millis()));
        if let Some(id) = account_id {
            sql.push(" AND t.account_id = ").bind(Arg::Int(id));
        }
        sql.push(" ORDER BY t.id DESC");
        self.read(
            &sql,
            |r| r.iter().map(token_row).collect(),
            |r| r.iter().map(token_row).collect(),
        )
        .await
    }

    pub async fn api_token(&self, id: i64) -> Result<Option<ApiTokenRow>, StoreError> {
        let mut sql = Sql::new(
            "SELECT t.id, t.account_id, a.username, t.name, t.created_at, t.expires_at
             FROM api_tokens t JOIN accounts a ON a.id = t.account_id WHERE t.id = ",
        );
        sql.bind(Arg::Int(id));
        let rows: Vec<ApiTokenRow> = self
            .read(
                &sql,
                |r| r.iter().map(token_row).collect(),
                |r| r.iter().map(token_row).collect(),
            )
            .await?;
        Ok(rows.into_iter().next())
    }

    /// Revokes one token; its next request is refused. Not found if there is no such token.
    pub async fn revoke_api_token(&self, id: i64, actor: &Actor<'_>) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query("DELETE FROM api_tokens WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found(
                format!("令牌 {id}"),
                format!("token {id}"),
            ));
        }
        actor
            .record(&mut tx, "token.revoke", &format!("token:{id}"), "")
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Revokes every token of an account; returns how many there were.
    pub async fn revoke_account_tokens(
        &self,
        account_id: i64,
        actor: &Actor<'_>,
    ) -> Result<u64, StoreError> {
        let mut tx = self.write_tx().await?;
        let n = sqlx::query("DELETE FROM api_tokens WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        actor
            .record(
                &mut tx,
                "token.revoke",
                &format!("account:{account_id}"),
                &format!("all ({n})"),
            )
            .await?;
        tx.commit().await?;
        Ok(n)
    }
}
