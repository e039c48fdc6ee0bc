//! `/api/v1/red-grid/…`: settings, grid roles, household links, the households a caller
//! works on, coverage (JSON, `.xlsx`, GeoJSON), visits (raising cases) and mediations.

use super::ops::{self, MediationInput, RaiseInput, RoleInput, VisitInput};
use super::{coverage, exports, scope};
use crate::auth::{ApiUser, User};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_domain::red_grid::{LinkSettings, LinkWarning, MediationOutcome};
use gongzhi_store::{
    GridRoleRow, HouseholdLinkRow, LinkedHouseholdRow, MediationRow, RedGridFilter, VisitRow,
};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/red-grid/settings",
            get(get_settings).post(post_settings),
        )
        .route("/api/v1/red-grid/roles", get(list_roles).post(create_role))
        .route("/api/v1/red-grid/roles/{id}/end", post(end_role))
        .route("/api/v1/red-grid/links", get(list_links).post(create_link))
        .route("/api/v1/red-grid/links/{id}/end", post(end_link))
        .route("/api/v1/red-grid/households", get(list_households))
        .route("/api/v1/red-grid/coverage", get(coverage_json))
        .route("/api/v1/red-grid/coverage.xlsx", get(coverage_xlsx))
        .route("/api/v1/red-grid/coverage.geojson", get(coverage_geojson))
        .route(
            "/api/v1/red-grid/visits",
            get(list_visits).post(create_visit),
        )
        .route("/api/v1/red-grid/visits.xlsx", get(visits_xlsx))
        .route("/api/v1/red-grid/visits/{id}/case", post(raise_case))
        .route("/api/v1/red-grid/mediations", get(list_mediations))
        .route("/api/v1/red-grid/mediations.xlsx", get(mediations_xlsx))
        .route(
            "/api/v1/red-grid/mediations/{id}/follow-up",
            post(follow_up),
        )
}

#[derive(Serialize, Deserialize)]
pub struct SettingsBody {
    pub min_households: u32,
    pub max_households: u32,
}

impl From<LinkSettings> for SettingsBody {
    fn from(s: LinkSettings) -> Self {
        SettingsBody {
            min_households: s.min,
            max_households: s.max,
        }
    }
}

async fn get_settings(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<SettingsBody>> {
    scope(&user, None, None)?;
    Ok(Json(st.store.red_grid_settings().await?.into()))
}

async fn post_settings(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<SettingsBody>,
) -> ApiResult<Json<SettingsBody>> {
    let s = ops::set_settings(&st, &user, b.min_households, b.max_households).await?;
    Ok(Json(s.into()))
}

#[derive(Deserialize, Default)]
pub struct PlaceQuery {
    pub area: Option<String>,
    pub grid: Option<String>,
    pub household: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl PlaceQuery {
    fn filter(&self, user: &User) -> ApiResult<RedGridFilter> {
        let mut f = scope(user, self.area.as_deref(), self.grid.as_deref())?;
        f.household = self.household;
        f.from = super::opt_date("from", self.from.as_deref())?;
        f.to = super::opt_date("to", self.to.as_deref())?;
        Ok(f)
    }
}

async fn list_roles(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<Json<Vec<GridRoleRow>>> {
    let f = q.filter(&user)?;
    Ok(Json(st.store.grid_roles(&f, true).await?))
}

async fn create_role(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<RoleInput>,
) -> ApiResult<(StatusCode, Json<GridRoleRow>)> {
    let id = ops::add_role(&st, &user, b).await?;
    Ok((
        StatusCode::CREATED,
        Json(ops::managed_role(&st, &user, id).await?),
    ))
}

#[derive(Deserialize, Default)]
pub struct EndBody {
    pub ended_on: Option<String>,
}

async fn end_role(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<EndBody>,
) -> ApiResult<Json<GridRoleRow>> {
    ops::end_role(&st, &user, id, b.ended_on.as_deref()).await?;
    Ok(Json(ops::managed_role(&st, &user, id).await?))
}

async fn list_links(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<Json<Vec<HouseholdLinkRow>>> {
    let f = q.filter(&user)?;
    Ok(Json(st.store.household_links(&f, true).await?))
}

#[derive(Deserialize)]
pub struct LinkBody {
    pub role_id: i64,
    pub household_id: i64,
    pub linked_on: Option<String>,
}

/// A warning in both languages.
#[derive(Serialize)]
pub struct Warning {
    pub code: &'static str,
    pub message: String,
    pub message_en: String,
}

impl From<LinkWarning> for Warning {
    fn from(w: LinkWarning) -> Self {
        Warning {
            code: "below_min_households",
            message: w.zh(),
            message_en: w.en(),
        }
    }
}

#[derive(Serialize)]
pub struct LinkAnswer {
    pub link: HouseholdLinkRow,
    pub warning: Option<Warning>,
}

async fn create_link(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<LinkBody>,
) -> ApiResult<(StatusCode, Json<LinkAnswer>)> {
    let (id, warning) = ops::link(
        &st,
        &user,
        b.role_id,
        b.household_id,
        b.linked_on.as_deref(),
    )
    .await?;
    let link = st
        .store
        .household_link(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("联户关系 {id}"), format!("link {id}")))?;
    Ok((
        StatusCode::CREATED,
        Json(LinkAnswer {
            link,
            warning: warning.map(Into::into),
        }),
    ))
}

async fn end_link(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<EndBody>,
) -> ApiResult<Json<LinkAnswer>> {
    let warning = ops::end_link(&st, &user, id, b.ended_on.as_deref()).await?;
    let link = st
        .store
        .household_link(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("联户关系 {id}"), format!("link {id}")))?;
    Ok(Json(LinkAnswer {
        link,
        warning: warning.map(Into::into),
    }))
}

/// Most households one list shows (a grid has a few hundred).
pub const MAX_HOUSEHOLDS: i64 = 2_000;

async fn list_households(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<Json<Vec<LinkedHouseholdRow>>> {
    let f = q.filter(&user)?;
    Ok(Json(
        st.store.red_grid_households(&f, MAX_HOUSEHOLDS).await?,
    ))
}

async fn coverage_json(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<Json<coverage::CoverageReport>> {
    Ok(Json(
        coverage::report(&st, &user, q.area.as_deref(), q.grid.as_deref()).await?,
    ))
}

async fn coverage_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<Response> {
    let r = coverage::report(&st, &user, q.area.as_deref(), q.grid.as_deref()).await?;
    exports::coverage_xlsx(&st, &user, &r).await
}

async fn coverage_geojson(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<Response> {
    let r = coverage::report(&st, &user, q.area.as_deref(), q.grid.as_deref()).await?;
    let body = coverage::geojson(&st, &r).to_string();
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body).into_response())
}

async fn list_visits(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<Json<Vec<VisitRow>>> {
    let f = q.filter(&user)?;
    Ok(Json(st.store.visits(&f, exports::MAX_ROWS).await?))
}

async fn visits_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<Response> {
    let f = q.filter(&user)?;
    let visits = st.store.visits(&f, exports::MAX_ROWS).await?;
    exports::visits_xlsx(&st, &user, &visits).await
}

#[derive(Deserialize)]
pub struct VisitBody {
    pub household_id: i64,
    pub purpose: String,
    pub visited_on: Option<String>,
    pub notes: String,
    pub mediation: Option<MediationInput>,
    pub raise_case: Option<RaiseInput>,
}

/// The case raised from a visit, as its answer names it.
#[derive(Serialize)]
pub struct RaisedCase {
    pub id: i64,
    pub ticket: String,
    pub state: String,
}

impl From<&crate::app::Filed> for RaisedCase {
    fn from(f: &crate::app::Filed) -> Self {
        RaisedCase {
            id: f.case.id,
            ticket: f.case.ticket.clone(),
            state: f.case.case.state.as_str().to_string(),
        }
    }
}

#[derive(Serialize)]
pub struct VisitAnswer {
    pub visit: VisitRow,
    pub mediation: Option<MediationRow>,
    pub case: Option<RaisedCase>,
    /// The visit is recorded but its case could not be filed (raise it again from the visit).
    pub case_error: Option<crate::error::ErrorBody>,
}

async fn create_visit(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<VisitBody>,
) -> ApiResult<(StatusCode, Json<VisitAnswer>)> {
    let done = ops::record_visit(
        &st,
        &user,
        VisitInput {
            household_id: b.household_id,
            purpose: b.purpose,
            visited_on: b.visited_on,
            notes: b.notes,
            photo: None,
            mediation: b.mediation,
            raise: b.raise_case,
        },
    )
    .await?;
    let visit = ops::visit_for(&st, &user, done.visit).await?;
    let mediation = match done.mediation {
        Some(m) => st.store.mediation(m).await?,
        None => None,
    };
    Ok((
        StatusCode::CREATED,
        Json(VisitAnswer {
            visit,
            mediation,
            case: done.case.as_ref().map(Into::into),
            case_error: done.case_error.map(|e| *e.body),
        }),
    ))
}

#[derive(Serialize)]
pub struct RaiseAnswer {
    pub visit: VisitRow,
    pub case: RaisedCase,
}

async fn raise_case(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<RaiseInput>,
) -> ApiResult<(StatusCode, Json<RaiseAnswer>)> {
    let filed = ops::raise_case(&st, &user, id, b).await?;
    Ok((
        StatusCode::CREATED,
        Json(RaiseAnswer {
            visit: ops::visit_for(&st, &user, id).await?,
            case: (&filed).into(),
        }),
    ))
}

#[derive(Serialize)]
pub struct MediationList {
    /// Mediations by outcome code.
    pub counts: std::collections::BTreeMap<&'static str, i64>,
    /// Conflicts resolved (化解矛盾数).
    pub resolved: i64,
    pub mediations: Vec<MediationRow>,
}

async fn list_mediations(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<Json<MediationList>> {
    let f = q.filter(&user)?;
    let counts = st.store.mediation_counts(&f).await?;
    let resolved = counts
        .iter()
        .find(|(o, _)| *o == MediationOutcome::Resolved)
        .map_or(0, |(_, n)| *n);
    Ok(Json(MediationList {
        counts: counts.iter().map(|(o, n)| (o.as_str(), *n)).collect(),
        resolved,
        mediations: st.store.mediations(&f, exports::MAX_ROWS).await?,
    }))
}

async fn mediations_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<Response> {
    let f = q.filter(&user)?;
    let rows = st.store.mediations(&f, exports::MAX_ROWS).await?;
    exports::mediations_xlsx(&st, &user, &rows).await
}

#[derive(Deserialize)]
pub struct FollowUpBody {
    pub outcome: String,
    pub follow_up_on: Option<String>,
}

async fn follow_up(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<FollowUpBody>,
) -> ApiResult<Json<MediationRow>> {
    Ok(Json(
        ops::follow_up(&st, &user, id, &b.outcome, b.follow_up_on.as_deref()).await?,
    ))
}
