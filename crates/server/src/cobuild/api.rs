//! `/api/v1/cobuild/…`: contracts, commitments with their standing as of a day, deliveries,
//! ratings, the co-build figures and the workbooks.

use super::ops::{self, CommitmentInput, ContractInput, DeliveryInput, RatingInput};
use super::scorecard::{self, CoBuildScore, FiguresBy};
use super::{date_field, exports, scope, today, visible_commitment, visible_contract};
use crate::auth::{ApiUser, User};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::cobuild::{CommitmentStatus, status};
use gongzhi_store::{CoBuildDeliveryRow, CommitmentRow, ContractRow};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/cobuild/contracts",
            get(list_contracts).post(create_contract),
        )
        .route("/api/v1/cobuild/contracts.xlsx", get(contracts_xlsx))
        .route("/api/v1/cobuild/contracts/{id}", get(get_contract))
        .route(
            "/api/v1/cobuild/contracts/{id}/commitments",
            post(create_commitment),
        )
        .route("/api/v1/cobuild/commitments", get(list_commitments))
        .route("/api/v1/cobuild/commitments.xlsx", get(commitments_xlsx))
        .route("/api/v1/cobuild/commitments/{id}", get(get_commitment))
        .route(
            "/api/v1/cobuild/commitments/{id}/deliveries",
            post(create_delivery),
        )
        .route("/api/v1/cobuild/commitments/{id}/rating", post(rate))
        .route("/api/v1/cobuild/figures", get(figures))
}

/// A commitment with its standing as of a day.
#[derive(Clone, Debug, Serialize)]
pub struct CommitmentView {
    #[serde(flatten)]
    pub row: CommitmentRow,
    pub status: CommitmentStatus,
    pub status_label: String,
    pub as_of: Date,
}

impl CommitmentView {
    pub fn of(row: CommitmentRow, as_of: Date) -> CommitmentView {
        let s = status(row.due_on, row.delivered_on, as_of);
        CommitmentView {
            row,
            status: s,
            status_label: s.zh().to_string(),
            as_of,
        }
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    pub q: Option<String>,
    /// A commitment status (`overdue`, `due_soon` …), code or Chinese name.
    pub status: Option<String>,
    /// The day the standing is computed for (default today).
    pub as_of: Option<String>,
    pub contract: Option<i64>,
}

impl ListQuery {
    pub fn as_of(&self) -> ApiResult<Date> {
        date_field("as_of", self.as_of.as_deref(), Some(today()))
    }

    fn status(&self) -> ApiResult<Option<CommitmentStatus>> {
        match self
            .status
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Ok(None),
            Some(s) => CommitmentStatus::parse(s).map(Some).ok_or_else(|| {
                ApiError::bad_request(
                    "status",
                    format!(
                        "“{s}”不是承诺事项状态，可选：{}",
                        CommitmentStatus::ALL
                            .iter()
                            .map(|s| s.zh())
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                    format!("'{s}' is not a commitment status"),
                )
            }),
        }
    }
}

/// The commitments the caller lists under `q`, with their standing.
pub async fn listed_commitments(
    st: &AppState,
    user: &User,
    q: &ListQuery,
) -> ApiResult<Vec<CommitmentView>> {
    let mut f = scope(user)?;
    f.q = q.q.clone();
    f.contract = q.contract;
    let as_of = q.as_of()?;
    let wanted = q.status()?;
    Ok(st
        .store
        .commitments(&f)
        .await?
        .into_iter()
        .map(|c| CommitmentView::of(c, as_of))
        .filter(|c| wanted.is_none_or(|w| c.status == w))
        .collect())
}

pub async fn listed_contracts(
    st: &AppState,
    user: &User,
    q: &ListQuery,
) -> ApiResult<Vec<ContractRow>> {
    let mut f = scope(user)?;
    f.q = q.q.clone();
    Ok(st.store.contracts(&f).await?)
}

async fn list_contracts(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<ContractRow>>> {
    Ok(Json(listed_contracts(&st, &user, &q).await?))
}

async fn contracts_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    let rows = listed_contracts(&st, &user, &q).await?;
    exports::contracts_xlsx(&st, &user, &rows).await
}

async fn create_contract(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<ContractInput>,
) -> ApiResult<(StatusCode, Json<ContractRow>)> {
    let id = ops::add_contract(&st, &user, b).await?;
    Ok((
        StatusCode::CREATED,
        Json(visible_contract(&st, &user, id).await?),
    ))
}

#[derive(Serialize)]
pub struct ContractDetail {
    pub contract: ContractRow,
    pub commitments: Vec<CommitmentView>,
}

async fn get_contract(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<ContractDetail>> {
    let contract = visible_contract(&st, &user, id).await?;
    let q = ListQuery {
        contract: Some(id),
        ..q
    };
    let commitments = listed_commitments(&st, &user, &q).await?;
    Ok(Json(ContractDetail {
        contract,
        commitments,
    }))
}

async fn create_commitment(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<CommitmentInput>,
) -> ApiResult<(StatusCode, Json<CommitmentView>)> {
    let cid = ops::add_commitment(&st, &user, id, b).await?;
    let row = visible_commitment(&st, &user, cid).await?;
    Ok((StatusCode::CREATED, Json(CommitmentView::of(row, today()))))
}

async fn list_commitments(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<CommitmentView>>> {
    Ok(Json(listed_commitments(&st, &user, &q).await?))
}

async fn commitments_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    let rows = listed_commitments(&st, &user, &q).await?;
    exports::commitments_xlsx(&st, &user, &rows).await
}

#[derive(Serialize)]
pub struct CommitmentDetail {
    pub commitment: CommitmentView,
    pub deliveries: Vec<CoBuildDeliveryRow>,
}

async fn commitment_detail(
    st: &AppState,
    user: &User,
    id: i64,
    as_of: Date,
) -> ApiResult<CommitmentDetail> {
    let row = visible_commitment(st, user, id).await?;
    Ok(CommitmentDetail {
        deliveries: st.store.cobuild_deliveries(id).await?,
        commitment: CommitmentView::of(row, as_of),
    })
}

async fn get_commitment(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<CommitmentDetail>> {
    Ok(Json(commitment_detail(&st, &user, id, q.as_of()?).await?))
}

async fn create_delivery(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<DeliveryInput>,
) -> ApiResult<(StatusCode, Json<CommitmentDetail>)> {
    ops::add_delivery(&st, &user, id, b, None).await?;
    Ok((
        StatusCode::CREATED,
        Json(commitment_detail(&st, &user, id, today()).await?),
    ))
}

async fn rate(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<RatingInput>,
) -> ApiResult<Json<CommitmentDetail>> {
    ops::rate(&st, &user, id, b).await?;
    Ok(Json(commitment_detail(&st, &user, id, today()).await?))
}

#[derive(Deserialize, Default)]
pub struct FiguresQuery {
    pub by: Option<String>,
    pub as_of: Option<String>,
}

async fn figures(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<FiguresQuery>,
) -> ApiResult<Json<Vec<CoBuildScore>>> {
    let raw = q.by.clone().unwrap_or_default();
    let by = FiguresBy::parse(&raw).ok_or_else(|| {
        ApiError::bad_request(
            "by",
            format!("“{raw}”不是分组方式，可选：department（部门）、community（社区）"),
            format!("'{raw}' is not a grouping: department or community"),
        )
    })?;
    let as_of = date_field("as_of", q.as_of.as_deref(), Some(today()))?;
    scope(&user)?;
    Ok(Json(
        scorecard::figures(&st, &user, by, as_of)
            .await?
            .unwrap_or_default(),
    ))
}
