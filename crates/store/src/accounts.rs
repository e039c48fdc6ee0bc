//! Accounts, login sessions and API tokens. Passwords are argon2id hashes; session and API
//! tokens are random and stored only as SHA-256 digests, so a copied database grants no access.

use crate::audit::Actor;
use crate::db::Store;
use crate::error::StoreError;
use crate::{Millis, now_millis};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use base64::Engine;
use gongzhi_domain::access::{LoginPolicy, Principal, Role, Scope};
use gongzhi_domain::codes::{AreaCode, GridCode};
use sha2::{Digest, Sha256};
use sqlx::{AssertSqlSafe, Row};

#[derive(Clone, Debug)]
pub struct AccountDraft {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub scope: Scope,
    pub can_unmask: bool,
    pub password: String,
    pub is_demo: bool,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct AccountRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    #[serde(serialize_with = "serialize_scope")]
    pub scope: Scope,
    pub can_unmask: bool,
    pub disabled: bool,
    pub failed_logins: i64,
    pub locked_until: Millis,
    pub is_demo: bool,
    pub created_at: Millis,
}

fn serialize_scope<S: serde::Serializer>(scope: &Scope, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&scope_to_db(scope))
}

impl AccountRow {
    pub fn principal(&self) -> Principal {
        Principal {
            account_id: self.id,
            role: self.role,
            scope: self.scope.clone(),
            can_unmask: self.can_unmask,
        }
    }
}

#[derive(Clone, Debug)]
pub enum LoginOutcome {
    Success(AccountRow),
    /// Wrong username or password; the same answer for both so names cannot be probed.
    BadCredentials,
    Locked {
        until: Millis,
    },
    Disabled,
}

#[derive(Clone, Debug)]
pub struct SessionRow {
    pub account: AccountRow,
    pub csrf_token: String,
    pub expires_at: Millis,
}

/// `all`, `area:<12 digits>`, `grid:<15 digits>`, `department:<code>`, `self`.
pub fn scope_to_db(scope: &Scope) -> String {
    match scope {
        Scope::All => "all".into(),
        Scope::Area(a) => format!("area:{a}"),
        Scope::Grid(g) => format!("grid:{g}"),
        Scope::Department(d) => format!("department:{d}"),
        Scope::SelfOnly => "self".into(),
    }
}

pub fn scope_from_db(s: &str) -> Option<Scope> {
    match s.split_once(':') {
        None if s == "all" => Some(Scope::All),
        None if s == "self" => Some(Scope::SelfOnly),
        Some(("area", a)) => AreaCode::parse(a).ok().map(Scope::Area),
        Some(("grid", g)) => GridCode::parse(g).ok().map(Scope::Grid),
        Some(("department", d)) if !d.is_empty() => Some(Scope::Department(d.to_string())),
        _ => None,
    }
}

pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("operating system random source");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) fn token_digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

pub(crate) fn hash_password(password: &str) -> Result<String, StoreError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Crypto(format!("password hashing: {e}")))
}

fn password_matches(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

pub(crate) const ACCOUNT_COLUMNS: &str =
    "id, username, display_name, role, scope, can_unmask, disabled, failed_logins,
    locked_until, is_demo, created_at";

pub(crate) fn account_row(r: &impl crate::exec::Cols) -> Result<AccountRow, StoreError> {
    let role = r.text("role")?;
    let scope = r.text("scope")?;
    Ok(AccountRow {
        id: r.int("id")?,
        username: r.text("username")?,
        display_name: r.text("display_name")?,
        role: Role::parse(&role).map_err(|_| StoreError::corrupt(format!("role {role}")))?,
        scope: scope_from_db(&scope)
            .ok_or_else(|| StoreError::corrupt(format!("scope {scope}")))?,
        can_unmask: r.int("can_unmask")? != 0,
        disabled: r.int("disabled")? != 0,
        failed_logins: r.int("failed_logins")?,
        locked_until: r.int("locked_until")?,
        is_demo: r.int("is_demo")? != 0,
        created_at: r.int("created_at")?,
    })
}

impl Store {
    pub async fn create_account(
        &self,
        draft: &AccountDraft,
        actor: &Actor<'_>,
    ) -> Result<i64, StoreError> {
        let hash = hash_password(&draft.password)?;
        let mut tx = self.write_tx().await?;
        let inserted = sqlx::query(
            "INSERT INTO accounts (username, display_name, role, scope, can_unmask, password_hash, is_demo, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&draft.username)
        .bind(&draft.display_name)
        .bind(draft.role.as_str())
        .bind(scope_to_db(&draft.scope))
        .bind(i64::from(draft.can_unmask))
        .bind(hash)
        .bind(i64::from(draft.is_demo))
        .bind(now_millis())
        .fetch_one(&mut *tx)
        .await;
        let id: i64 = match inserted {
            Ok(row) => row.try_get("id")?,
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(StoreError::Conflict {
                    code: "username_taken",
                    zh: format!("用户名 {} 已被使用", draft.username),
                    en: format!("username {} is already taken", draft.username),
                });
            }
            Err(e) => return Err(e.into()),
        };
        let detail = format!(
            "role={} scope={} can_unmask={}",
            draft.role.as_str(),
            scope_to_db(&draft.scope),
            draft.can_unmask
        );
        actor
            .record(
                &mut tx,
                "account.create",
                &format!("account:{}", draft.username),
                &detail,
            )
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn account(&self, id: i64) -> Result<Option<AccountRow>, StoreError> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(account_row).transpose()
    }

    pub async fn account_by_username(
        &self,
        username: &str,
    ) -> Result<Option<AccountRow>, StoreError> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE username = $1"
        )))
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(account_row).transpose()
    }

    pub async fn accounts(&self) -> Result<Vec<AccountRow>, StoreError> {
        let sql = crate::sql::Sql::new(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY id"
        ));
        self.read(
            &sql,
            |r| r.iter().map(account_row).collect(),
            |r| r.iter().map(account_row).collect(),
        )
        .await
    }

    pub async fn count_accounts(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM accounts")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }

    /// Changes role, scope and the unmask permission of an account.
    pub async fn set_account_role(
        &self,
        id: i64,
        role: Role,
        scope: &Scope,
        can_unmask: bool,
        actor: &Actor<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let done =
            sqlx::query("UPDATE accounts SET role = $1, scope = $2, can_unmask = $3 WHERE id = $4")
                .bind(role.as_str())
                .bind(scope_to_db(scope))
                .bind(i64::from(can_unmask))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found(
                format!("账号 {id}"),
                format!("account {id}"),
            ));
        }
        let detail = format!(
            "role={} scope={} can_unmask={can_unmask}",
            role.as_str(),
            scope_to_db(scope)
        );
        actor
            .record(
                &mut tx,
                "account.set_role",
                &format!("account:{id}"),
                &detail,
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password, clears the lockout and ends the account's sessions and bearer
    /// tokens: whoever made the reset necessary may hold either.
    /// Sets a new password and ends the account's sessions and API tokens — all but
    /// `keep_token`, the token of the request itself when an administrator resets their own
    /// password through the API (it would otherwise cut the branch it sits on).
    pub async fn reset_password(
        &self,
        id: i64,
        password: &str,
        actor: &Actor<'_>,
        keep_token: Option<i64>,
    ) -> Result<(), StoreError> {
        let hash = hash_password(password)?;
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE accounts SET password_hash = $1, failed_logins = 0, locked_until = 0 WHERE id = $2",
        )
        .bind(hash)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found(
                format!("账号 {id}"),
                format!("account {id}"),
            ));
        }
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM api_tokens WHERE account_id = $1 AND id <> $2")
            .bind(id)
            .bind(keep_token.unwrap_or(-1))
            .execute(&mut *tx)
            .await?;
        actor
            .record(
                &mut tx,
                "account.reset_password",
                &format!("account:{id}"),
                "",
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_account_disabled(
        &self,
        id: i64,
        disabled: bool,
        actor: &Actor<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query("UPDATE accounts SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found(
                format!("账号 {id}"),
                format!("account {id}"),
            ));
        }
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM api_tokens WHERE account_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let action = if disabled {
            "account.disable"
        } else {
            "account.enable"
        };
        actor
            .record(&mut tx, action, &format!("account:{id}"), "")
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Checks a password, applying the lockout policy, and records the attempt's effect.
    /// A locked account refuses even the right password and counts nothing (a stranger cannot
    /// extend the lock); each failure counts in one statement, so failures that arrive
    /// together all count.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        policy: &LoginPolicy,
    ) -> Result<LoginOutcome, StoreError> {
        let now = now_millis();
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ACCOUNT_COLUMNS}, password_hash FROM accounts WHERE username = $1"
        )))
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            // Spend the same time as a real check so that timing does not reveal which names exist.
            static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
            let dummy =
                DUMMY.get_or_init(|| hash_password("gongzhi timing guard").unwrap_or_default());
            let _ = password_matches(password, dummy);
            return Ok(LoginOutcome::BadCredentials);
        };
        let account = account_row(&row)?;
        let hash: String = row.try_get("password_hash")?;
        if policy.is_locked(account.locked_until, now) {
            // Checked and ignored: a locked account takes as long to refuse as a wrong
            // password, so the time of the answer does not say that the name exists. The
            // per-address limit bounds what the hashing costs.
            let _ = password_matches(password, &hash);
            return Ok(LoginOutcome::Locked {
                until: account.locked_until,
            });
        }
        if password_matches(password, &hash) {
            // Only someone who knows the password learns that the account is disabled.
            if account.disabled {
                return Ok(LoginOutcome::Disabled);
            }
            // A lock that failures running beside this check started still holds.
            let cleared = sqlx::query(
                "UPDATE accounts SET failed_logins = 0, locked_until = 0
                 WHERE id = $1 AND locked_until <= $2",
            )
            .bind(account.id)
            .bind(now)
            .execute(&self.writer)
            .await?;
            if cleared.rows_affected() == 0 {
                return Ok(LoginOutcome::Locked {
                    until: now + policy.lock_millis,
                });
            }
            return Ok(LoginOutcome::Success(account));
        }
        let counted = sqlx::query(
            "UPDATE accounts SET failed_logins = failed_logins + 1
             WHERE id = $1 AND locked_until <= $2 RETURNING failed_logins",
        )
        .bind(account.id)
        .bind(now)
        .fetch_optional(&self.writer)
        .await?;
        let Some(counted) = counted else {
            // Another failure locked the account while this password was checked.
            return Ok(LoginOutcome::Locked {
                until: now + policy.lock_millis,
            });
        };
        let failures =
            u32::try_from(counted.try_get::<i64, _>("failed_logins")?).unwrap_or(u32::MAX);
        match policy.lock_after(failures, now) {
            Some(until) => {
                sqlx::query(
                    "UPDATE accounts SET failed_logins = 0, locked_until = $1 WHERE id = $2",
                )
                .bind(until)
                .bind(account.id)
                .execute(&self.writer)
                .await?;
                Ok(LoginOutcome::Locked { until })
            }
            None => Ok(LoginOutcome::BadCredentials),
        }
    }

    /// Opens a session; returns the cookie token (shown once, stored hashed).
    pub async fn create_session(
        &self,
        account_id: i64,
        ttl_millis: Millis,
    ) -> Result<String, StoreError> {
        let token = random_token();
        let now = now_millis();
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_digest(&token))
        .bind(account_id)
        .bind(random_token())
        .bind(now)
        .bind(now + ttl_millis)
        .execute(&self.pool)
        .await?;
        Ok(token)
    }

    /// The live session for a cookie token, with its (enabled) account.
    pub async fn session(&self, token: &str) -> Result<Option<SessionRow>, StoreError> {
        let cols = ACCOUNT_COLUMNS
            .split(',')
            .map(|c| format!("a.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {cols}, s.csrf_token, s.expires_at FROM sessions s JOIN accounts a ON a.id = s.account_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.disabled = 0"
        )))
        .bind(token_digest(token))
        .bind(now_millis())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(SessionRow {
                account: account_row(&r)?,
                csrf_token: r.try_get("csrf_token")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .transpose()
    }

    pub async fn delete_session(&self, token: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_digest(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_round_trips() {
        for s in [
            Scope::All,
            Scope::SelfOnly,
            Scope::Area(AreaCode::parse("320508019000").unwrap()),
            Scope::Grid(GridCode::parse("320508019044001").unwrap()),
            Scope::Department("CG".into()),
        ] {
            assert_eq!(scope_from_db(&scope_to_db(&s)), Some(s));
        }
        assert_eq!(scope_from_db("area:12"), None);
    }

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("正确的密码").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(password_matches("正确的密码", &h));
        assert!(!password_matches("wrong", &h));
    }
}
