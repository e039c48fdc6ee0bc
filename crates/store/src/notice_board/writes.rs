//! Notice writes: create (as a draft or published at once), publish, change (a new version once
//! published), withdraw, attach — each one transaction with its log event on `notice/ID`.

use super::NoticeWriteError;
use crate::db::Store;
use crate::error::StoreError;
use crate::red_grid::log;
use crate::{EventActor, Millis, NewPhoto};
use gongzhi_domain::notice_board::{NoticeDraft, NoticeState, withdraw_reason};
use serde_json::json;
use sqlx::{AnyConnection, Row};

type WriteResult<T> = Result<T, NoticeWriteError>;

/// The payload of a publication or change: codes in clear (kind, state), texts hashed.
fn text_payload(
    kind: &str,
    n: &NoticeDraft,
    version: i64,
    state: NoticeState,
) -> serde_json::Value {
    json!({
        "type": kind,
        "kind": n.kind.as_str(),
        "status": state.as_str(),
        "version": version,
        "title": n.title,
        "body": n.body,
        "from": n.from.to_string(),
        "until": n.until.to_string(),
        "audience": n.audience.as_str(),
        "department": n.department,
        "subject_text": n.subject_text,
        "subject_url": n.subject_url,
    })
}

/// The notice's state and version, its row touched first so PostgreSQL locks it.
async fn lock_state(conn: &mut AnyConnection, id: i64) -> Result<(NoticeState, i64), StoreError> {
    sqlx::query("UPDATE notices SET version = version WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query("SELECT state, version FROM notices WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("公示 {id}"), format!("notice {id}")))?;
    let s: String = row.try_get("state")?;
    let state =
        NoticeState::parse(&s).ok_or_else(|| StoreError::corrupt(format!("notice state {s}")))?;
    Ok((state, row.try_get("version")?))
}

async fn add_version(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    n: &NoticeDraft,
    at: Millis,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO notice_versions (notice_id, version, title, body, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(version)
    .bind(&n.title)
    .bind(&n.body)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The stored draft of notice `id`, for publishing it as it stands.
async fn stored_draft(conn: &mut AnyConnection, id: i64) -> Result<NoticeDraft, StoreError> {
    let row = sqlx::query(
        "SELECT kind, title, body, starts_on, ends_on, audience_code, department_code,
         subject_text, subject_url FROM notices WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    super::reads::draft_of(&row)
}

impl Store {
    /// Stores a checked notice as a draft, or published at once (`publish`); logged.
    pub async fn create_notice(
        &self,
        n: &NoticeDraft,
        publish: bool,
        by: &EventActor,
        at: Millis,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let id = insert_notice(&mut tx, n, publish, by, at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Publishes a draft as it stands (version 1); refused unless it is a draft.
    pub async fn publish_notice(&self, id: i64, by: &EventActor, at: Millis) -> WriteResult<()> {
        let mut tx = self.write_tx().await?;
        let (state, _) = lock_state(&mut tx, id).await?;
        let state = state.publish()?;
        let n = stored_draft(&mut tx, id).await?;
        sqlx::query("UPDATE notices SET state = $1, version = 1, published_at = $2 WHERE id = $3")
            .bind(state.as_str())
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        add_version(&mut tx, id, 1, &n, at).await?;
        log(
            &mut tx,
            format!("notice/{id}"),
            "published",
            text_payload("published", &n, 1, state),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes a notice's text and period: a draft in place, a published notice as a new
    /// version (the public page then says 已更新); refused once withdrawn.
    pub async fn change_notice(
        &self,
        id: i64,
        n: &NoticeDraft,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<i64> {
        let mut tx = self.write_tx().await?;
        let (state, version) = lock_state(&mut tx, id).await?;
        let state = state.change()?;
        let published = state == NoticeState::Published;
        let version = if published { version + 1 } else { version };
        sqlx::query(
            "UPDATE notices SET kind = $1, title = $2, body = $3, starts_on = $4, ends_on = $5,
             audience_code = $6, audience_prefix = $7, department_code = $8, subject_text = $9,
             subject_url = $10, version = $11, changed_at = $12 WHERE id = $13",
        )
        .bind(n.kind.as_str())
        .bind(&n.title)
        .bind(&n.body)
        .bind(n.from.to_string())
        .bind(n.until.to_string())
        .bind(n.audience.as_str())
        .bind(crate::geo_data::area_prefix(&n.audience))
        .bind(n.department.clone())
        .bind(&n.subject_text)
        .bind(&n.subject_url)
        .bind(version)
        .bind(published.then_some(at))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if published {
            add_version(&mut tx, id, version, n, at).await?;
        }
        log(
            &mut tx,
            format!("notice/{id}"),
            "changed",
            text_payload("changed", n, version, state),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Withdraws a published notice with a reason (required, shown publicly); logged, so the
    /// publication before it stays provable.
    pub async fn withdraw_notice(
        &self,
        id: i64,
        reason: &str,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<()> {
        let reason = withdraw_reason(reason)?;
        let mut tx = self.write_tx().await?;
        let (state, version) = lock_state(&mut tx, id).await?;
        let state = state.withdraw()?;
        sqlx::query(
            "UPDATE notices SET state = $1, withdrawn_at = $2, withdraw_reason = $3 WHERE id = $4",
        )
        .bind(state.as_str())
        .bind(at)
        .bind(&reason)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        log(
            &mut tx,
            format!("notice/{id}"),
            "withdrawn",
            json!({"type": "withdrawn", "status": state.as_str(), "version": version, "reason": reason}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Attaches a file (already on disk under its hash) to a notice not withdrawn; logged with
    /// the file's hash.
    pub async fn add_notice_attachment(
        &self,
        id: i64,
        name: &str,
        file: &NewPhoto,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<i64> {
        let mut tx = self.write_tx().await?;
        let (state, _) = lock_state(&mut tx, id).await?;
        state.change()?;
        let aid: i64 = sqlx::query(
            "INSERT INTO notice_attachments (notice_id, name, path, mime, size, sha256, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(id)
        .bind(name)
        .bind(&file.path)
        .bind(&file.mime)
        .bind(file.size)
        .bind(&file.sha256)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        log(
            &mut tx,
            format!("notice/{id}"),
            "attached",
            json!({"type": "attached", "name": name, "sha256": file.sha256, "size": file.size}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(aid)
    }
}

/// Inserts a checked notice (a draft, or published at once) and logs it, on the caller's
/// transaction: a livelihood project's disclosure is published in the same transaction as
/// its own record.
pub(crate) async fn insert_notice(
    conn: &mut AnyConnection,
    n: &NoticeDraft,
    publish: bool,
    by: &EventActor,
    at: Millis,
) -> Result<i64, StoreError> {
    let state = if publish {
        NoticeState::Published
    } else {
        NoticeState::Draft
    };
    let version = i64::from(publish);
    let id: i64 = sqlx::query(
        "INSERT INTO notices (kind, title, body, starts_on, ends_on, audience_code,
         audience_prefix, department_code, subject_text, subject_url, state, version,
         published_at, created_by_id, created_by_name, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         RETURNING id",
    )
    .bind(n.kind.as_str())
    .bind(&n.title)
    .bind(&n.body)
    .bind(n.from.to_string())
    .bind(n.until.to_string())
    .bind(n.audience.as_str())
    .bind(crate::geo_data::area_prefix(&n.audience))
    .bind(n.department.clone())
    .bind(&n.subject_text)
    .bind(&n.subject_url)
    .bind(state.as_str())
    .bind(version)
    .bind(publish.then_some(at))
    .bind(by.account_id)
    .bind(&by.name)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    let kind = if publish { "published" } else { "drafted" };
    if publish {
        add_version(&mut *conn, id, 1, n, at).await?;
    }
    log(
        &mut *conn,
        format!("notice/{id}"),
        kind,
        text_payload(kind, n, version, state),
        by,
        at,
    )
    .await?;
    Ok(id)
}
