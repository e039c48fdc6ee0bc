//! `/api/v1/notices/…`: the staff's notices (list, workbook, new, change, publish, withdraw).
//! The public board's JSON is in `public.rs`.

use super::ops::{self, NoticeInput};
use super::{exports, scope, visible_notice};
use crate::auth::{ApiUser, User};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_domain::notice_board::{NoticeKind, NoticeState};
use gongzhi_store::{NoticeRow, NoticeVersionRow};
use serde::{Deserialize, Serialize};

/// Most notices a list or workbook holds.
pub const MAX_ROWS: i64 = 5_000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/notices", get(list).post(create))
        .route("/api/v1/notices.xlsx", get(xlsx))
        .route("/api/v1/notices/{id}", get(one).post(change))
        .route("/api/v1/notices/{id}/publish", post(publish))
        .route("/api/v1/notices/{id}/withdraw", post(withdraw))
}

#[derive(Deserialize, Default, Clone)]
pub struct NoticeQuery {
    pub kind: Option<String>,
    pub state: Option<String>,
    pub q: Option<String>,
}

/// The notices the caller's list shows under `q`.
pub async fn listed(st: &AppState, user: &User, q: &NoticeQuery) -> ApiResult<Vec<NoticeRow>> {
    let mut f = scope(user)?;
    let some = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    if let Some(k) = some(&q.kind) {
        f.kind = Some(NoticeKind::parse_or(&k).map_err(super::invalid)?);
    }
    if let Some(s) = some(&q.state) {
        f.state = Some(NoticeState::parse(&s).ok_or_else(|| {
            ApiError::bad_request(
                "state",
                format!("“{s}”不是公示状态，可选：草稿、已发布、已撤回"),
                format!("'{s}' is not a notice state: draft, published, withdrawn"),
            )
        })?);
    }
    f.q = some(&q.q);
    Ok(st.store.notices(&f, MAX_ROWS).await?)
}

async fn list(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<NoticeQuery>,
) -> ApiResult<Json<Vec<NoticeRow>>> {
    Ok(Json(listed(&st, &user, &q).await?))
}

async fn xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<NoticeQuery>,
) -> ApiResult<Response> {
    let rows = listed(&st, &user, &q).await?;
    exports::notices_xlsx(&st, &user, &rows).await
}

#[derive(Serialize)]
pub struct NoticeDetail {
    #[serde(flatten)]
    pub notice: NoticeRow,
    pub versions: Vec<NoticeVersionRow>,
}

async fn detail(st: &AppState, user: &User, id: i64) -> ApiResult<NoticeDetail> {
    Ok(NoticeDetail {
        notice: visible_notice(st, user, id).await?,
        versions: st.store.notice_versions(id).await?,
    })
}

async fn create(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<NoticeInput>,
) -> ApiResult<(StatusCode, Json<NoticeDetail>)> {
    let id = ops::create(&st, &user, b).await?;
    Ok((StatusCode::CREATED, Json(detail(&st, &user, id).await?)))
}

async fn one(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<NoticeDetail>> {
    Ok(Json(detail(&st, &user, id).await?))
}

async fn change(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<NoticeInput>,
) -> ApiResult<Json<NoticeDetail>> {
    ops::change(&st, &user, id, b).await?;
    Ok(Json(detail(&st, &user, id).await?))
}

async fn publish(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<NoticeDetail>> {
    ops::publish(&st, &user, id).await?;
    Ok(Json(detail(&st, &user, id).await?))
}

#[derive(Deserialize, Default)]
pub struct WithdrawBody {
    #[serde(default)]
    pub reason: String,
}

async fn withdraw(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<WithdrawBody>,
) -> ApiResult<Json<NoticeDetail>> {
    ops::withdraw(&st, &user, id, &b.reason).await?;
    Ok(Json(detail(&st, &user, id).await?))
}
