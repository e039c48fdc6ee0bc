//! The public notice board, readable on a phone without an account: a community's board
//! (`/c/{community}/notices`: notices whose audience covers it and whose period includes today)
//! and a notice's page (`/c/{community}/notices/{id}`): its current text and "已更新" with the
//! date of the last change, or — once withdrawn — only its title, dates and the reason; and its
//! publication record with the log entries (leaf index and hash) anyone can check against the
//! public log. Drafts are nobody's business: 404.

use super::today;
use crate::auth::lang_of;
use crate::error::{ApiError, ApiResult};
use crate::http::chrome::render;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::codes::{AreaCode, AreaLevel};
use gongzhi_domain::notice_board::{NoticeKind, PublicStatus, paragraphs, public_status};
use gongzhi_store::NoticeRow;
use serde::Serialize;

pub fn router() -> axum::Router<AppState> {
    Router::new()
        .route("/c/{community}/notices", get(board_page))
        .route("/c/{community}/notices/{id}", get(notice_page))
        .route(
            "/api/v1/public/communities/{community}/notices",
            get(board_json),
        )
        .route("/api/v1/public/notices/{id}", get(notice_json))
}

/// A notice as the public sees it: no author, no draft, no body once withdrawn.
#[derive(Clone, Debug, Serialize)]
pub struct PublicNotice {
    pub id: i64,
    pub kind: NoticeKind,
    pub kind_label: String,
    pub title: String,
    pub from: Date,
    pub until: Date,
    pub audience: String,
    pub audience_name: String,
    pub status: PublicStatus,
    pub status_label: String,
    pub version: i64,
    pub published_on: Option<Date>,
    /// The day of the last change after publication (已更新).
    pub updated_on: Option<Date>,
    /// The current text in paragraphs; `None` once withdrawn.
    pub paragraphs: Option<Vec<String>>,
    pub withdrawn_on: Option<Date>,
    pub withdraw_reason: Option<String>,
    pub subject_text: String,
    pub subject_url: String,
}

impl PublicNotice {
    /// `None` for a draft.
    pub fn of(n: &NoticeRow, today: Date) -> Option<PublicNotice> {
        let status = public_status(n.state, n.from, n.until, today)?;
        let withdrawn = status == PublicStatus::Withdrawn;
        Some(PublicNotice {
            id: n.id,
            kind: n.kind,
            kind_label: n.kind.zh().into(),
            title: n.title.clone(),
            from: n.from,
            until: n.until,
            audience: n.audience.to_string(),
            audience_name: n.audience_name.clone(),
            status,
            status_label: status.zh().into(),
            version: n.version,
            published_on: n.published_at.map(date_of),
            updated_on: n.changed_at.filter(|_| n.version > 1).map(date_of),
            paragraphs: (!withdrawn).then(|| paragraphs(&n.body)),
            withdrawn_on: n.withdrawn_at.map(date_of),
            withdraw_reason: n.withdraw_reason.clone(),
            subject_text: if withdrawn {
                String::new()
            } else {
                n.subject_text.clone()
            },
            subject_url: if withdrawn {
                String::new()
            } else {
                n.subject_url.clone()
            },
        })
    }
}

/// A file of a public notice: downloaded from `/c/{community}/notices/{id}/attachments/{aid}`.
#[derive(Clone, Debug, Serialize)]
pub struct PublicAttachment {
    pub id: i64,
    pub name: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
}

/// One log entry of a notice's publication record.
#[derive(Clone, Debug, Serialize)]
pub struct LogEntry {
    pub kind: String,
    pub kind_label: String,
    pub kind_label_en: String,
    pub at: i64,
    pub at_text: String,
    /// The leaf index once integrated; `None` while pending.
    pub index: Option<u64>,
    /// RFC 9162 leaf hash of the entry, hex.
    pub leaf_hash: Option<String>,
}

/// The Chinese and English names of a notice's log event.
fn kind_label(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "drafted" => ("起草", "Drafted"),
        "published" => ("发布", "Published"),
        "changed" => ("更新", "Changed"),
        "withdrawn" => ("撤回", "Withdrawn"),
        "attached" => ("增加附件", "Attachment added"),
        _ => ("记录", "Record"),
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct PublicNoticeDetail {
    pub notice: PublicNotice,
    /// Its files (none once withdrawn), each with its hash.
    pub attachments: Vec<PublicAttachment>,
    pub log: Vec<LogEntry>,
    /// The size of the latest signed checkpoint, to ask inclusion proofs against.
    pub checkpoint_size: Option<u64>,
}

/// The publication record's entries: from publication on (a draft's own entry stays out — its
/// text was never public).
async fn log_of(st: &AppState, id: i64) -> ApiResult<Vec<LogEntry>> {
    let mut out = Vec::new();
    for e in st.store.record_events(&format!("notice/{id}")).await? {
        if e.kind == "drafted" {
            continue;
        }
        let entry = st.store.ledger_entry_index_for(0, e.id).await?;
        let (zh, en) = kind_label(&e.kind);
        out.push(LogEntry {
            kind_label: zh.into(),
            kind_label_en: en.into(),
            kind: e.kind,
            at: e.at,
            at_text: crate::time::local(e.at),
            index: entry.as_ref().and_then(|(i, _)| *i),
            leaf_hash: entry.map(|(_, bytes)| gongzhi_ledger::leaf_hash(&bytes).to_hex()),
        });
    }
    Ok(out)
}

fn community_code(raw: &str) -> ApiResult<AreaCode> {
    let code = crate::http::api_geo::parse_area("community", raw)?;
    if code.level() != AreaLevel::Community {
        return Err(ApiError::not_found(
            format!("社区 {code}"),
            format!("community {code}"),
        ));
    }
    Ok(code)
}

async fn community_name(st: &AppState, code: &AreaCode) -> ApiResult<String> {
    st.store
        .area(code)
        .await?
        .map(|a| a.name)
        .ok_or_else(|| ApiError::not_found(format!("社区 {code}"), format!("community {code}")))
}

/// The board of a community today.
pub async fn board(st: &AppState, code: &AreaCode) -> ApiResult<Vec<PublicNotice>> {
    let day = today();
    Ok(st
        .store
        .public_notices(code, day)
        .await?
        .iter()
        .filter_map(|n| PublicNotice::of(n, day))
        .collect())
}

/// A notice as the public sees it, read through a community whose residents are its audience.
pub async fn detail(
    st: &AppState,
    code: Option<&AreaCode>,
    id: i64,
) -> ApiResult<PublicNoticeDetail> {
    let missing = || ApiError::not_found(format!("公示 {id}"), format!("notice {id}"));
    let row = st.store.notice(id).await?.ok_or_else(missing)?;
    if code.is_some_and(|c| !(row.audience == *c || row.audience.contains(c))) {
        return Err(missing());
    }
    let notice = PublicNotice::of(&row, today()).ok_or_else(missing)?;
    let attachments = if notice.status == PublicStatus::Withdrawn {
        Vec::new()
    } else {
        st.store
            .notice_attachments(id)
            .await?
            .into_iter()
            .map(|a| PublicAttachment {
                id: a.id,
                name: a.name,
                mime: a.mime,
                size: a.size,
                sha256: a.sha256,
            })
            .collect()
    };
    Ok(PublicNoticeDetail {
        attachments,
        notice,
        log: log_of(st, id).await?,
        checkpoint_size: st.store.ledger_latest_checkpoint().await?.map(|c| c.size),
    })
}

async fn board_json(
    State(st): State<AppState>,
    Path(community): Path<String>,
) -> ApiResult<Json<Vec<PublicNotice>>> {
    let code = community_code(&community)?;
    community_name(&st, &code).await?;
    Ok(Json(board(&st, &code).await?))
}

async fn notice_json(
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<PublicNoticeDetail>> {
    Ok(Json(detail(&st, None, id).await?))
}

#[derive(Template)]
#[template(path = "public_notices.html")]
struct BoardPage {
    t: Lang,
    community: String,
    community_name: String,
    current: Vec<PublicNotice>,
    withdrawn: Vec<PublicNotice>,
    today: String,
}

#[derive(Template)]
#[template(path = "public_notice.html")]
struct NoticePage {
    t: Lang,
    community: String,
    community_name: String,
    d: PublicNoticeDetail,
}

#[derive(Template)]
#[template(path = "public_missing.html")]
struct MissingPage {
    t: Lang,
    message: String,
}

fn missing(t: Lang, e: ApiError) -> Response {
    let msg = crate::cases::service::message(&e, t.is_en());
    e.mark(render(&MissingPage { t, message: msg }))
}

async fn board_page(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(community): Path<String>,
) -> Response {
    let t = lang_of(&headers);
    let r: ApiResult<Response> = async {
        let code = community_code(&community)?;
        let name = community_name(&st, &code).await?;
        let (withdrawn, current) = board(&st, &code)
            .await?
            .into_iter()
            .partition(|n| n.status == PublicStatus::Withdrawn);
        Ok(render(&BoardPage {
            t,
            community: code.to_string(),
            community_name: name,
            current,
            withdrawn,
            today: today().to_string(),
        }))
    }
    .await;
    r.unwrap_or_else(|e| missing(t, e))
}

async fn notice_page(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path((community, id)): Path<(String, i64)>,
) -> Response {
    let t = lang_of(&headers);
    let r: ApiResult<Response> = async {
        let code = community_code(&community)?;
        let name = community_name(&st, &code).await?;
        let d = detail(&st, Some(&code), id).await?;
        Ok(render(&NoticePage {
            t,
            community: code.to_string(),
            community_name: name,
            d,
        })
        .into_response())
    }
    .await;
    r.unwrap_or_else(|e| missing(t, e))
}
