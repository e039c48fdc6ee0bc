//! `/api/v1/livelihood/…`: the four databases, their workbooks, a project with its records,
//! and the writes (a project, a responsibility, progress, an inspection, an investigation, a
//! disclosure on the notice board, a rectification done).

use super::ops::{
    self, InspectionInput, InvestigationInput, ProgressInput, ProjectInput, ResponsibilityInput,
};
use super::{exports, scope, visible_project};
use crate::auth::{ApiUser, User};
use crate::error::ApiResult;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_store::{
    DisclosureRow, InspectionRow, InvestigationRow, ProgressRow, ProjectRow, ResponsibilityRow,
};
use serde::{Deserialize, Serialize};

pub const MAX_ROWS: i64 = 5_000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/livelihood/projects",
            get(projects).post(create_project),
        )
        .route("/api/v1/livelihood/projects.xlsx", get(projects_xlsx))
        .route("/api/v1/livelihood/projects/{id}", get(one))
        .route("/api/v1/livelihood/projects/{id}/progress", post(progress))
        .route(
            "/api/v1/livelihood/projects/{id}/inspections",
            post(inspection),
        )
        .route(
            "/api/v1/livelihood/projects/{id}/investigations",
            post(investigation),
        )
        .route(
            "/api/v1/livelihood/projects/{id}/disclosures",
            post(disclosure),
        )
        .route(
            "/api/v1/livelihood/responsibilities",
            get(responsibilities).post(create_responsibility),
        )
        .route(
            "/api/v1/livelihood/responsibilities.xlsx",
            get(responsibilities_xlsx),
        )
        .route("/api/v1/livelihood/inspections.xlsx", get(inspections_xlsx))
        .route(
            "/api/v1/livelihood/investigations.xlsx",
            get(investigations_xlsx),
        )
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    pub q: Option<String>,
}

pub async fn listed_projects(
    st: &AppState,
    user: &User,
    q: &ListQuery,
) -> ApiResult<Vec<ProjectRow>> {
    let mut f = scope(user)?;
    f.q = q.q.clone();
    Ok(st.store.livelihood_projects(&f, MAX_ROWS).await?)
}

async fn projects(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<ProjectRow>>> {
    Ok(Json(listed_projects(&st, &user, &q).await?))
}

async fn projects_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    let rows = listed_projects(&st, &user, &q).await?;
    exports::projects_xlsx(&st, &user, &rows).await
}

#[derive(Serialize)]
pub struct ProjectDetail {
    #[serde(flatten)]
    pub project: ProjectRow,
    pub progress_updates: Vec<ProgressRow>,
    pub inspections: Vec<InspectionRow>,
    pub investigations: Vec<InvestigationRow>,
    pub disclosures: Vec<DisclosureRow>,
}

pub async fn detail(st: &AppState, user: &User, id: i64) -> ApiResult<ProjectDetail> {
    let project = visible_project(st, user, id).await?;
    let none = Default::default();
    Ok(ProjectDetail {
        project,
        progress_updates: st.store.livelihood_progress(id).await?,
        inspections: st.store.livelihood_inspections(&none, Some(id)).await?,
        investigations: st.store.livelihood_investigations(&none, Some(id)).await?,
        disclosures: st.store.livelihood_disclosures(id).await?,
    })
}

async fn create_project(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<ProjectInput>,
) -> ApiResult<(StatusCode, Json<ProjectDetail>)> {
    let id = ops::create_project(&st, &user, &b).await?;
    Ok((StatusCode::CREATED, Json(detail(&st, &user, id).await?)))
}

async fn one(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<ProjectDetail>> {
    Ok(Json(detail(&st, &user, id).await?))
}

async fn progress(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<ProgressInput>,
) -> ApiResult<(StatusCode, Json<ProjectDetail>)> {
    ops::add_progress(&st, &user, id, &b).await?;
    Ok((StatusCode::CREATED, Json(detail(&st, &user, id).await?)))
}

async fn inspection(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<InspectionInput>,
) -> ApiResult<(StatusCode, Json<ProjectDetail>)> {
    ops::add_inspection(&st, &user, id, &b).await?;
    Ok((StatusCode::CREATED, Json(detail(&st, &user, id).await?)))
}

async fn investigation(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<InvestigationInput>,
) -> ApiResult<(StatusCode, Json<ProjectDetail>)> {
    ops::add_investigation(&st, &user, id, &b).await?;
    Ok((StatusCode::CREATED, Json(detail(&st, &user, id).await?)))
}

#[derive(Deserialize, Default)]
pub struct DisclosureBody {
    #[serde(default)]
    pub kind: String,
}

#[derive(Serialize)]
pub struct Disclosed {
    pub notice_id: i64,
}

async fn disclosure(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<DisclosureBody>,
) -> ApiResult<(StatusCode, Json<Disclosed>)> {
    let notice_id = ops::disclose(&st, &user, id, &b.kind).await?;
    Ok((StatusCode::CREATED, Json(Disclosed { notice_id })))
}

pub async fn listed_responsibilities(
    st: &AppState,
    user: &User,
    q: &ListQuery,
) -> ApiResult<Vec<ResponsibilityRow>> {
    let mut f = scope(user)?;
    f.q = q.q.clone();
    Ok(st.store.livelihood_responsibilities(&f).await?)
}

async fn responsibilities(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<ResponsibilityRow>>> {
    Ok(Json(listed_responsibilities(&st, &user, &q).await?))
}

async fn create_responsibility(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<ResponsibilityInput>,
) -> ApiResult<(StatusCode, Json<Vec<ResponsibilityRow>>)> {
    ops::add_responsibility(&st, &user, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(listed_responsibilities(&st, &user, &ListQuery::default()).await?),
    ))
}

async fn responsibilities_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    let rows = listed_responsibilities(&st, &user, &q).await?;
    exports::responsibilities_xlsx(&st, &user, &rows).await
}

async fn inspections_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Response> {
    let f = scope(&user)?;
    let rows = st.store.livelihood_inspections(&f, None).await?;
    exports::inspections_xlsx(&st, &user, &rows).await
}

async fn investigations_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Response> {
    let f = scope(&user)?;
    let rows = st.store.livelihood_investigations(&f, None).await?;
    exports::investigations_xlsx(&st, &user, &rows).await
}
