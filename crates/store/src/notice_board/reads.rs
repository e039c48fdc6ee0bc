//! Notices as staff lists, the public board and a notice's page read them.

use super::rows::{NoticeAttachmentRow, NoticeFilter, NoticeRow, NoticeVersionRow};
use crate::db::Store;
use crate::error::StoreError;
use crate::red_grid::date_col;
use crate::sql::{Arg, Sql};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::notice_board::{NoticeDraft, NoticeKind, NoticeState};
use sqlx::Row;

const NOTICE_SELECT: &str = "SELECT n.id, n.kind, n.title, n.body, n.starts_on, n.ends_on,
    n.audience_code, COALESCE(a.name, n.audience_code) AS audience_name, n.department_code,
    n.subject_text, n.subject_url, n.state, n.version, n.published_at, n.changed_at,
    n.withdrawn_at, n.withdraw_reason, n.created_by_id, n.created_by_name, n.created_at
    FROM notices n LEFT JOIN areas a ON a.code = n.audience_code WHERE 1 = 1";

fn kind_col(r: &sqlx::any::AnyRow) -> Result<NoticeKind, StoreError> {
    let s: String = r.try_get("kind")?;
    NoticeKind::parse(&s).ok_or_else(|| StoreError::corrupt(format!("notice kind {s}")))
}

fn audience_col(r: &sqlx::any::AnyRow) -> Result<AreaCode, StoreError> {
    let s: String = r.try_get("audience_code")?;
    AreaCode::parse(&s).map_err(|e| StoreError::corrupt(format!("audience {s}: {e}")))
}

/// The stored text of a notice as a draft (columns of `notices`).
pub(super) fn draft_of(r: &sqlx::any::AnyRow) -> Result<NoticeDraft, StoreError> {
    Ok(NoticeDraft {
        kind: kind_col(r)?,
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        from: date_col(r, "starts_on")?,
        until: date_col(r, "ends_on")?,
        audience: audience_col(r)?,
        department: r.try_get("department_code")?,
        subject_text: r.try_get("subject_text")?,
        subject_url: r.try_get("subject_url")?,
    })
}

fn notice_row(r: &sqlx::any::AnyRow) -> Result<NoticeRow, StoreError> {
    let state: String = r.try_get("state")?;
    Ok(NoticeRow {
        id: r.try_get("id")?,
        kind: kind_col(r)?,
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        from: date_col(r, "starts_on")?,
        until: date_col(r, "ends_on")?,
        audience: audience_col(r)?,
        audience_name: r.try_get("audience_name")?,
        department: r.try_get("department_code")?,
        subject_text: r.try_get("subject_text")?,
        subject_url: r.try_get("subject_url")?,
        state: NoticeState::parse(&state)
            .ok_or_else(|| StoreError::corrupt(format!("notice state {state}")))?,
        version: r.try_get("version")?,
        published_at: r.try_get("published_at")?,
        changed_at: r.try_get("changed_at")?,
        withdrawn_at: r.try_get("withdrawn_at")?,
        withdraw_reason: r.try_get("withdraw_reason")?,
        created_by_id: r.try_get("created_by_id")?,
        created_by_name: r.try_get("created_by_name")?,
        created_at: r.try_get("created_at")?,
    })
}

impl NoticeFilter {
    fn apply(&self, sql: &mut Sql) {
        if let Some(a) = &self.area {
            sql.push(" AND n.audience_code LIKE ")
                .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
        }
        if let Some(d) = &self.department {
            sql.push(" AND n.department_code = ")
                .bind(Arg::Text(d.clone()));
        }
        if let Some(k) = self.kind {
            sql.push(" AND n.kind = ")
                .bind(Arg::Text(k.as_str().into()));
        }
        if let Some(s) = self.state {
            sql.push(" AND n.state = ")
                .bind(Arg::Text(s.as_str().into()));
        }
        if let Some(q) = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let q = q.replace(['%', '_', '\\'], "");
            sql.push(" AND n.title LIKE ")
                .bind(Arg::Text(format!("%{q}%")));
        }
        if let Some(d) = self.ends_by {
            sql.push(" AND n.ends_on <= ")
                .bind(Arg::Text(d.to_string()));
        }
        if let Some(d) = self.ends_from {
            sql.push(" AND n.ends_on >= ")
                .bind(Arg::Text(d.to_string()));
        }
    }
}

impl Store {
    pub async fn notice(&self, id: i64) -> Result<Option<NoticeRow>, StoreError> {
        let mut sql = Sql::new(NOTICE_SELECT);
        sql.push(" AND n.id = ").bind(Arg::Int(id));
        let row = sql.query(self.backend).fetch_optional(&self.pool).await?;
        row.as_ref().map(notice_row).transpose()
    }

    /// Notices in the filter, newest first, at most `limit`.
    pub async fn notices(
        &self,
        f: &NoticeFilter,
        limit: i64,
    ) -> Result<Vec<NoticeRow>, StoreError> {
        let mut sql = Sql::new(NOTICE_SELECT);
        f.apply(&mut sql);
        sql.push(" ORDER BY n.starts_on DESC, n.id DESC LIMIT ")
            .bind(Arg::Int(limit));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(notice_row).collect()
    }

    pub async fn count_notices(&self, f: &NoticeFilter) -> Result<i64, StoreError> {
        let mut sql = Sql::new("SELECT COUNT(*) AS n FROM notices n WHERE 1 = 1");
        f.apply(&mut sql);
        Ok(sql
            .query(self.backend)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }

    /// The public board of `community` on `today`: notices published or withdrawn whose
    /// audience covers the community and whose period includes the day. Drafts never.
    pub async fn public_notices(
        &self,
        community: &AreaCode,
        today: Date,
    ) -> Result<Vec<NoticeRow>, StoreError> {
        let mut sql = Sql::new(NOTICE_SELECT);
        sql.push(" AND n.state IN ('published', 'withdrawn') AND ")
            .bind(Arg::Text(community.as_str().into()))
            .push(" LIKE n.audience_prefix || '%' AND n.starts_on <= ")
            .bind(Arg::Text(today.to_string()))
            .push(" AND n.ends_on >= ")
            .bind(Arg::Text(today.to_string()))
            .push(" ORDER BY n.starts_on DESC, n.id DESC");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(notice_row).collect()
    }

    /// Every published text of a notice, newest first.
    pub async fn notice_versions(&self, id: i64) -> Result<Vec<NoticeVersionRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT version, title, body, at FROM notice_versions WHERE notice_id = $1 ORDER BY version DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(NoticeVersionRow {
                    version: r.try_get("version")?,
                    title: r.try_get("title")?,
                    body: r.try_get("body")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }

    pub async fn notice_attachments(
        &self,
        id: i64,
    ) -> Result<Vec<NoticeAttachmentRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, notice_id, name, path, mime, size, sha256 FROM notice_attachments
             WHERE notice_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(NoticeAttachmentRow {
                    id: r.try_get("id")?,
                    notice_id: r.try_get("notice_id")?,
                    name: r.try_get("name")?,
                    path: r.try_get("path")?,
                    mime: r.try_get("mime")?,
                    size: r.try_get("size")?,
                    sha256: r.try_get("sha256")?,
                })
            })
            .collect()
    }
}
