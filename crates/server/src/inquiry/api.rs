//! `GET /api/v1/search` and its workbook: the query checked field by field (a bad one is
//! refused by name, in Chinese and English), the caller's grants from the domain, one search.

use crate::auth::{ApiUser, User};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use gongzhi_domain::access::inquiry::{area_prefix, search_grants};
use gongzhi_domain::calendar::{Date, date_of, start_of};
use gongzhi_domain::case::CaseState;
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/search", get(search_json))
        .route("/api/v1/search.xlsx", get(search_xlsx))
}

/// The kinds of things found, with their names.
pub const KINDS: [(&str, &str, &str); 5] = [
    ("case", "案件", "Case"),
    ("place", "区划网格", "Place"),
    ("org", "部门", "Department"),
    ("notice", "公示", "Notice"),
    ("power", "权力事项", "Power item"),
];

/// Longest query text.
const MAX_TEXT: usize = 200;

#[derive(Deserialize, Default, Clone)]
pub struct SearchQuery {
    /// The words (Chinese is segmented; every word must be found).
    pub q: Option<String>,
    /// `case`, `place`, `org`, `notice`, `power`; empty: all.
    pub kind: Option<String>,
    /// An area code: only things inside it.
    pub area: Option<String>,
    /// A category code (cases; a major category finds its minor ones).
    pub category: Option<String>,
    /// A case state (code or Chinese name).
    pub state: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub page: Option<usize>,
    pub per_page: Option<usize>,
}

#[derive(Serialize)]
pub struct HitView {
    pub kind: String,
    pub kind_label: String,
    pub id: String,
    pub title: String,
    /// HTML-escaped, matched words in `<b>`.
    pub title_html: String,
    pub snippet_html: String,
    /// Names beside the title (ticket, category, area, state).
    pub meta: String,
    pub link: String,
    pub date: String,
    pub score: f32,
}

#[derive(Serialize)]
pub struct SearchResult {
    /// How many match: exactly, or at least this many when `total_exact` is false (past
    /// 10,000 matches a search counts only where its page could still change).
    pub total: usize,
    pub total_exact: bool,
    pub page: usize,
    pub per_page: usize,
    pub items: Vec<HitView>,
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn date(field: &str, v: &Option<String>) -> ApiResult<Option<Date>> {
    let Some(s) = nonempty(v) else {
        return Ok(None);
    };
    Date::parse(s).map(Some).ok_or_else(|| {
        ApiError::bad_request(
            field,
            format!("“{s}”不是日期（年-月-日，如 2026-11-27）"),
            format!("'{s}' is not a date (year-month-day, e.g. 2026-11-27)"),
        )
    })
}

pub fn kind_label(kind: &str, en: bool) -> String {
    KINDS
        .iter()
        .find(|k| k.0 == kind)
        .map_or(kind, |k| if en { k.2 } else { k.1 })
        .to_string()
}

/// The query as the index asks it: the caller's grants and every filter, checked.
async fn query_of(st: &AppState, user: &User, q: &SearchQuery) -> ApiResult<gongzhi_search::Query> {
    let text = nonempty(&q.q).unwrap_or("").to_string();
    if text.chars().count() > MAX_TEXT {
        return Err(ApiError::bad_request(
            "q",
            format!("查询词最多{MAX_TEXT}个字"),
            format!("the query is at most {MAX_TEXT} characters"),
        ));
    }
    let mut out = gongzhi_search::Query {
        text,
        grants: search_grants(&user.principal()),
        ..Default::default()
    };
    if let Some(k) = nonempty(&q.kind) {
        if !KINDS.iter().any(|x| x.0 == k) {
            return Err(ApiError::bad_request(
                "kind",
                format!(
                    "没有类型“{k}”（可选：案件 case、区划网格 place、部门 org、公示 notice、权力事项 power）"
                ),
                format!("there is no kind '{k}' (case, place, org, notice, power)"),
            ));
        }
        out.kinds = vec![k.to_string()];
    }
    if let Some(a) = nonempty(&q.area) {
        let a = crate::http::api_geo::parse_area("area", a)?;
        out.area = Some(area_prefix(&a).to_string());
    }
    if let Some(c) = nonempty(&q.category) {
        if !st.store.lookups().await?.categories.contains_key(c) {
            return Err(ApiError::bad_request(
                "category",
                format!("没有类别“{c}”"),
                format!("there is no category '{c}'"),
            ));
        }
        out.categories = vec![c.to_string()];
    }
    if let Some(s) = nonempty(&q.state) {
        let state = CaseState::parse(s).ok_or_else(|| {
            ApiError::bad_request(
                "state",
                format!("没有状态“{s}”"),
                format!("there is no state '{s}'"),
            )
        })?;
        out.states = vec![state.as_str().to_string()];
    }
    let (from, to) = (date("from", &q.from)?, date("to", &q.to)?);
    if let (Some(a), Some(b)) = (from, to)
        && a > b
    {
        return Err(ApiError::bad_request(
            "to",
            "截止日期早于起始日期",
            "the end date is before the start date",
        ));
    }
    out.from = from.map(start_of);
    out.to = to.map(|d| start_of(d.succ()) - 1);
    let per_page = q.per_page.unwrap_or(20).clamp(1, 100);
    let page = q.page.unwrap_or(1).clamp(1, 500);
    out.limit = per_page;
    out.offset = (page - 1) * per_page;
    Ok(out)
}

/// The caller's hits for the query.
pub async fn search(
    st: &AppState,
    user: &User,
    q: &SearchQuery,
    en: bool,
) -> ApiResult<SearchResult> {
    let query = query_of(st, user, q).await?;
    let tail = st.inquiry.ready(st).await.map_err(internal)?;
    let hits = tail.index.search(&query).map_err(internal)?;
    Ok(SearchResult {
        total: hits.total,
        total_exact: hits.exact,
        page: query.offset / query.limit + 1,
        per_page: query.limit,
        items: hits
            .hits
            .into_iter()
            .map(|h| HitView {
                kind_label: kind_label(&h.kind, en),
                date: if h.at > 0 {
                    date_of(h.at).to_string()
                } else {
                    String::new()
                },
                kind: h.kind,
                id: h.id,
                title: h.title,
                title_html: h.title_html,
                snippet_html: h.snippet_html,
                meta: h.meta,
                link: h.link,
                score: h.score,
            })
            .collect(),
    })
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "search");
    ApiError::new(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "search_unavailable",
        "查询暂不可用，请稍后再试",
        "search is not available now, try again shortly",
    )
}

async fn search_json(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<SearchQuery>,
) -> ApiResult<Json<SearchResult>> {
    Ok(Json(search(&st, &user, &q, false).await?))
}

/// The hits as a workbook: names, the text found (without marks), dates and links; the first
/// 100 of them (one page at most per_page=100).
async fn search_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(mut q): Query<SearchQuery>,
) -> ApiResult<Response> {
    q.per_page = Some(q.per_page.unwrap_or(100));
    let r = search(&st, &user, &q, false).await?;
    let rows: Vec<Vec<String>> = r
        .items
        .iter()
        .map(|h| {
            vec![
                h.kind_label.clone(),
                h.title.clone(),
                unmark(&h.snippet_html),
                h.meta.clone(),
                h.date.clone(),
                h.link.clone(),
            ]
        })
        .collect();
    crate::http::api_io::audit_export(&st, &user, "search", "search", "xlsx", rows.len()).await?;
    let bytes = gongzhi_sheets::write_table(
        "查询结果",
        &["类型", "标题", "摘要", "信息", "日期", "链接"],
        &rows,
    )
    .map_err(crate::cases::import_table::sheet_error)?;
    Ok(crate::cases::import_table::xlsx_attachment(
        bytes,
        "search.xlsx",
    ))
}

/// A snippet's text without its marks, unescaped.
pub fn unmark(html: &str) -> String {
    html.replace("<b>", "")
        .replace("</b>", "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}
