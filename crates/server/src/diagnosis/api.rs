//! `/api/v1/diagnosis/…`: the findings (with their evidence in words and the last run), their
//! workbook, one finding with its cases, acting on it (a supervision order, a case), "run now"
//! and the settings.

use super::describe::{self, Names};
use super::{exports, ops, scope, visible};
use crate::auth::{ApiUser, User};
use crate::error::{ApiError, ApiResult};
use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_domain::diagnosis::{FindingKind, Settings};
use gongzhi_store::{CaseRow, FindingRow, RunRow};
use serde::{Deserialize, Serialize};

/// Most findings a list or workbook holds.
pub const MAX_ROWS: i64 = 2_000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/diagnosis/findings", get(list))
        .route("/api/v1/diagnosis/findings.xlsx", get(xlsx))
        .route("/api/v1/diagnosis/findings/{id}", get(one))
        .route(
            "/api/v1/diagnosis/findings/{id}/supervision",
            post(supervise),
        )
        .route("/api/v1/diagnosis/findings/{id}/case", post(open_case))
        .route("/api/v1/diagnosis/runs", post(run_now))
        .route(
            "/api/v1/diagnosis/settings",
            get(get_settings).post(post_settings),
        )
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    /// `hotspot`, `recurrence`, `lagging`, `passed_around`, `monthly_topic` (or the Chinese name).
    pub kind: Option<String>,
    /// "1": only findings not acted on yet.
    pub open: Option<String>,
}

/// The findings the caller sees under `q`.
pub async fn listed(st: &AppState, user: &User, q: &ListQuery) -> ApiResult<Vec<FindingRow>> {
    let mut f = scope(user)?;
    if let Some(k) = q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        f.kind = Some(FindingKind::parse(k).ok_or_else(|| {
            ApiError::bad_request(
                "kind",
                format!("“{k}”不是诊断发现类别，可选：热点、重复发生、落后部门、推诿扯皮、每月一题候选"),
                format!(
                    "'{k}' is not a kind of finding: hotspot, recurrence, lagging, passed_around, monthly_topic"
                ),
            )
        })?);
    }
    f.open_only = q.open.as_deref().is_some_and(|v| !v.trim().is_empty());
    Ok(st.store.diagnosis_findings(&f, MAX_ROWS).await?)
}

/// Department names by code.
pub async fn names(st: &AppState) -> ApiResult<Names> {
    Ok(st
        .store
        .lookups()
        .await?
        .departments
        .values()
        .map(|d| (d.code.clone(), d.name.clone()))
        .collect())
}

/// A finding as the API shows it: the stored row with its title and evidence in words.
#[derive(Serialize)]
pub struct FindingView {
    #[serde(flatten)]
    pub finding: FindingRow,
    pub kind_name: &'static str,
    pub title: String,
    pub summary: String,
    pub title_en: String,
    pub summary_en: String,
}

pub fn view(f: FindingRow, names: &Names) -> FindingView {
    FindingView {
        kind_name: f.kind.zh(),
        title: describe::title(Lang::Zh, &f),
        summary: describe::evidence(Lang::Zh, &f, names),
        title_en: describe::title(Lang::En, &f),
        summary_en: describe::evidence(Lang::En, &f, names),
        finding: f,
    }
}

#[derive(Serialize)]
struct Listed {
    last_run: Option<RunRow>,
    findings: Vec<FindingView>,
}

async fn list(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Listed>> {
    let rows = listed(&st, &user, &q).await?;
    let names = names(&st).await?;
    Ok(Json(Listed {
        last_run: st.store.last_diagnosis_run().await?,
        findings: rows.into_iter().map(|f| view(f, &names)).collect(),
    }))
}

async fn xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    let rows = listed(&st, &user, &q).await?;
    exports::findings_xlsx(&st, &user, &rows).await
}

/// A finding with the cases behind it that the caller may see, and what it may do.
#[derive(Serialize)]
pub struct Detail {
    #[serde(flatten)]
    pub finding: FindingView,
    pub cases: Vec<CaseRow>,
    pub may_supervise: bool,
    pub may_open_case: bool,
}

pub async fn detail(st: &AppState, user: &User, id: i64) -> ApiResult<Detail> {
    let f = visible(st, user, id).await?;
    // Only the cases the caller's own case list holds (none for one that lists no cases).
    let cases = match crate::cases::api::case_filter(user, &Default::default()) {
        Ok(mut cf) if !f.case_ids.is_empty() => {
            cf.ids = f.case_ids.clone();
            cf.offset = 0;
            cf.limit = 500;
            st.store.cases(&cf).await?
        }
        _ => Vec::new(),
    };
    let open = f.acted_kind.is_none();
    let may_supervise = open && ops::may_supervise(st, user, &f).await?;
    let may_open_case = open && ops::may_open_case(st, user, &f).await?;
    Ok(Detail {
        finding: view(f, &names(st).await?),
        cases,
        may_supervise,
        may_open_case,
    })
}

async fn one(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Detail>> {
    Ok(Json(detail(&st, &user, id).await?))
}

#[derive(Deserialize, Default)]
pub struct SuperviseBody {
    #[serde(default)]
    pub demand: String,
}

#[derive(Serialize)]
struct Supervised {
    order_id: i64,
}

async fn supervise(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<SuperviseBody>,
) -> ApiResult<(StatusCode, Json<Supervised>)> {
    let order_id = ops::supervise(&st, &user, id, &b.demand).await?;
    Ok((StatusCode::CREATED, Json(Supervised { order_id })))
}

#[derive(Deserialize, Default)]
pub struct CaseBody {
    #[serde(default)]
    pub description: String,
}

#[derive(Serialize)]
struct Opened {
    case_id: i64,
}

async fn open_case(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<CaseBody>,
) -> ApiResult<(StatusCode, Json<Opened>)> {
    let case_id = ops::open_case(&st, &user, id, &b.description).await?;
    Ok((StatusCode::CREATED, Json(Opened { case_id })))
}

async fn run_now(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<(StatusCode, Json<ops::RunSummary>)> {
    Ok((StatusCode::CREATED, Json(ops::run_now(&st, &user).await?)))
}

async fn get_settings(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Settings>> {
    scope(&user)?;
    Ok(Json(ops::settings(&st.store).await?))
}

async fn post_settings(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<Settings>,
) -> ApiResult<Json<Settings>> {
    Ok(Json(ops::set_settings(&st, &user, b).await?))
}
