//! `/api/v1/conduct/…`: reports (list, workbook, file, one, accept, dismiss, investigators,
//! evidence, conclusion, accountability), signals (list, workbook, dismiss, open a report),
//! statistics (table, workbook), categories and thresholds. The public form's JSON is in
//! `public.rs`.

use super::exports;
use super::ops::{
    self, ActionInput, CategoryInput, ConcludeInput, ListQuery, ReportDetail, ReportInput,
    SignalReportInput, StatsQuery, StatsView,
};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_domain::conduct::{MisconductCategory, Signal, SignalThresholds};
use gongzhi_store::MisconductReportRow;
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/conduct/reports", get(list).post(create))
        .route("/api/v1/conduct/reports.xlsx", get(xlsx))
        .route("/api/v1/conduct/reports/{id}", get(one))
        .route("/api/v1/conduct/reports/{id}/accept", post(accept))
        .route("/api/v1/conduct/reports/{id}/dismiss", post(dismiss))
        .route("/api/v1/conduct/reports/{id}/investigators", post(assign))
        .route("/api/v1/conduct/reports/{id}/evidence", post(evidence))
        .route("/api/v1/conduct/reports/{id}/conclude", post(conclude))
        .route("/api/v1/conduct/reports/{id}/actions", post(action))
        .route("/api/v1/conduct/signals", get(signals))
        .route("/api/v1/conduct/signals.xlsx", get(signals_xlsx))
        .route("/api/v1/conduct/signals/dismiss", post(dismiss_signal))
        .route("/api/v1/conduct/signals/report", post(report_signal))
        .route("/api/v1/conduct/stats", get(stats))
        .route("/api/v1/conduct/stats.xlsx", get(stats_xlsx))
        .route(
            "/api/v1/conduct/categories",
            get(categories).post(save_category),
        )
        .route(
            "/api/v1/conduct/thresholds",
            get(thresholds).post(save_thresholds),
        )
}

async fn list(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<MisconductReportRow>>> {
    Ok(Json(ops::listed(&st, &user, &q).await?))
}

async fn xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    let rows = ops::listed(&st, &user, &q).await?;
    exports::reports_xlsx(&st, &user, &rows).await
}

async fn create(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<ReportInput>,
) -> ApiResult<(StatusCode, Json<ReportDetail>)> {
    let filed = ops::file_as(&st, &user, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(ops::detail(&st, &user, filed.id).await?),
    ))
}

async fn one(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<ReportDetail>> {
    Ok(Json(ops::detail(&st, &user, id).await?))
}

async fn accept(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<ReportDetail>> {
    ops::accept(&st, &user, id).await?;
    Ok(Json(ops::detail(&st, &user, id).await?))
}

#[derive(Deserialize, Default)]
pub struct ReasonBody {
    #[serde(default)]
    pub reason: String,
}

async fn dismiss(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<ReasonBody>,
) -> ApiResult<Json<ReportDetail>> {
    ops::dismiss(&st, &user, id, &b.reason).await?;
    Ok(Json(ops::detail(&st, &user, id).await?))
}

#[derive(Deserialize, Default)]
pub struct AssignBody {
    /// Usernames of supervision accounts.
    #[serde(default)]
    pub investigators: Vec<String>,
}

async fn assign(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<AssignBody>,
) -> ApiResult<Json<ReportDetail>> {
    ops::assign(&st, &user, id, &b.investigators).await?;
    Ok(Json(ops::detail(&st, &user, id).await?))
}

#[derive(Deserialize, Default)]
pub struct EvidenceBody {
    #[serde(default)]
    pub note: String,
}

async fn evidence(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<EvidenceBody>,
) -> ApiResult<(StatusCode, Json<ReportDetail>)> {
    ops::add_evidence(&st, &user, id, &b.note).await?;
    Ok((
        StatusCode::CREATED,
        Json(ops::detail(&st, &user, id).await?),
    ))
}

async fn conclude(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<ConcludeInput>,
) -> ApiResult<Json<ReportDetail>> {
    ops::conclude(&st, &user, id, &b).await?;
    Ok(Json(ops::detail(&st, &user, id).await?))
}

async fn action(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<ActionInput>,
) -> ApiResult<(StatusCode, Json<ReportDetail>)> {
    ops::hold_accountable(&st, &user, id, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(ops::detail(&st, &user, id).await?),
    ))
}

#[derive(Serialize)]
struct SignalsBody {
    signals: Vec<Signal>,
    thresholds: SignalThresholds,
}

async fn signals(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<SignalsBody>> {
    let (signals, thresholds) = ops::signals(&st, &user).await?;
    Ok(Json(SignalsBody {
        signals,
        thresholds,
    }))
}

async fn signals_xlsx(State(st): State<AppState>, ApiUser(user): ApiUser) -> ApiResult<Response> {
    let (signals, _) = ops::signals(&st, &user).await?;
    exports::signals_xlsx(&st, &user, &signals).await
}

#[derive(Deserialize, Default)]
pub struct SignalDismissBody {
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub reason: String,
}

async fn dismiss_signal(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<SignalDismissBody>,
) -> ApiResult<StatusCode> {
    ops::dismiss_signal(&st, &user, &b.key, &b.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn report_signal(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<SignalReportInput>,
) -> ApiResult<(StatusCode, Json<ReportDetail>)> {
    let id = ops::report_signal(&st, &user, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(ops::detail(&st, &user, id).await?),
    ))
}

async fn stats(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<StatsQuery>,
) -> ApiResult<Json<StatsView>> {
    Ok(Json(ops::statistics(&st, &user, &q).await?))
}

async fn stats_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<StatsQuery>,
) -> ApiResult<Response> {
    let v = ops::statistics(&st, &user, &q).await?;
    exports::stats_xlsx(&st, &user, &v).await
}

/// The categories: the active ones to anyone signed in (the staff form), all to supervision.
async fn categories(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Vec<MisconductCategory>>> {
    let all = super::supervises(&user);
    Ok(Json(st.store.misconduct_categories(all).await?))
}

async fn save_category(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<CategoryInput>,
) -> ApiResult<Json<Vec<MisconductCategory>>> {
    ops::save_category(&st, &user, &b).await?;
    Ok(Json(st.store.misconduct_categories(true).await?))
}

async fn thresholds(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<SignalThresholds>> {
    if !super::supervises(&user) {
        return Err(super::forbidden(
            "只有纪检监督可以查看线索阈值",
            "only supervision sees the thresholds",
        ));
    }
    Ok(Json(st.store.signal_thresholds().await?))
}

async fn save_thresholds(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<SignalThresholds>,
) -> ApiResult<Json<SignalThresholds>> {
    ops::save_thresholds(&st, &user, b).await?;
    Ok(Json(st.store.signal_thresholds().await?))
}
