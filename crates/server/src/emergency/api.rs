//! `/api/v1/emergencies/…`: the list and its workbook, one emergency's live board (polled by
//! the board page), acknowledging, checking in, drills and the city's escalation minutes.

use super::ops::{self, DrillInput};
use super::views::{BoardView, board};
use super::{exports, scope, visible};
use crate::auth::{ApiUser, User};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_domain::emergency::Minutes;
use gongzhi_store::{EmergencyRow, now_millis};
use serde::{Deserialize, Serialize};

/// Most emergencies a list or workbook holds.
pub const MAX_ROWS: i64 = 2_000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/emergencies", get(list))
        .route("/api/v1/emergencies.xlsx", get(xlsx))
        .route("/api/v1/emergencies/drills", post(drill))
        .route(
            "/api/v1/emergencies/settings",
            get(get_settings).post(post_settings),
        )
        .route("/api/v1/emergencies/{id}", get(one))
        .route("/api/v1/emergencies/{id}/acknowledge", post(acknowledge))
        .route("/api/v1/emergencies/{id}/check-ins", post(check_in))
        .route("/api/v1/emergencies/{id}/end", post(end))
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    /// `1`: drills only; `0`: real emergencies only.
    pub drill: Option<String>,
    /// `1`: finished ones too.
    pub all: Option<String>,
}

pub async fn listed(st: &AppState, user: &User, q: &ListQuery) -> ApiResult<Vec<EmergencyRow>> {
    let mut f = scope(user)?;
    f.drill = match q.drill.as_deref().map(str::trim) {
        Some("1") => Some(true),
        Some("0") => Some(false),
        None | Some("") => None,
        Some(other) => {
            return Err(ApiError::bad_request(
                "drill",
                format!("“{other}”无效：1 只看演练，0 只看真实事件"),
                format!("'{other}' is invalid: 1 for drills, 0 for real emergencies"),
            ));
        }
    };
    f.open = !matches!(q.all.as_deref().map(str::trim), Some("1"));
    Ok(st.store.emergencies(&f, MAX_ROWS).await?)
}

async fn list(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<EmergencyRow>>> {
    Ok(Json(listed(&st, &user, &q).await?))
}

async fn xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    let rows = listed(&st, &user, &q).await?;
    exports::emergencies_xlsx(&st, &user, &rows).await
}

pub async fn view(st: &AppState, user: &User, id: i64) -> ApiResult<BoardView> {
    visible(st, user, id).await?;
    let b =
        st.store.emergency_board(id).await?.ok_or_else(|| {
            ApiError::not_found(format!("紧急事件 {id}"), format!("emergency {id}"))
        })?;
    let lookups = st.store.lookups().await?;
    Ok(board(&b, &lookups, now_millis()))
}

async fn one(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<BoardView>> {
    Ok(Json(view(&st, &user, id).await?))
}

#[derive(Serialize)]
struct Acknowledged {
    tier: &'static str,
    board: BoardView,
}

async fn acknowledge(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Acknowledged>> {
    let tier = ops::acknowledge(&st, &user, id).await?;
    Ok(Json(Acknowledged {
        tier: tier.as_str(),
        board: view(&st, &user, id).await?,
    }))
}

#[derive(Deserialize, Default)]
pub struct CheckInBody {
    pub lon: Option<f64>,
    pub lat: Option<f64>,
}

async fn check_in(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<CheckInBody>,
) -> ApiResult<(StatusCode, Json<BoardView>)> {
    ops::check_in(&st, &user, id, b.lon, b.lat).await?;
    Ok((StatusCode::CREATED, Json(view(&st, &user, id).await?)))
}

async fn drill(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<DrillInput>,
) -> ApiResult<(StatusCode, Json<BoardView>)> {
    let id = ops::start_drill(&st, &user, &b).await?;
    Ok((StatusCode::CREATED, Json(view(&st, &user, id).await?)))
}

async fn end(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<BoardView>> {
    ops::end_drill(&st, &user, id).await?;
    Ok(Json(view(&st, &user, id).await?))
}

/// The escalation minutes per level, lowest first.
#[derive(Serialize, Deserialize, Default)]
pub struct MinutesBody {
    pub grid_minutes: Option<u32>,
    pub community_minutes: Option<u32>,
    pub street_minutes: Option<u32>,
    pub district_minutes: Option<u32>,
}

impl From<Minutes> for MinutesBody {
    fn from(m: Minutes) -> Self {
        MinutesBody {
            grid_minutes: Some(m.0[0]),
            community_minutes: Some(m.0[1]),
            street_minutes: Some(m.0[2]),
            district_minutes: Some(m.0[3]),
        }
    }
}

async fn get_settings(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<MinutesBody>> {
    scope(&user)?;
    Ok(Json(st.store.emergency_minutes().await?.into()))
}

async fn post_settings(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<MinutesBody>,
) -> ApiResult<Json<MinutesBody>> {
    let m = ops::set_minutes(
        &st,
        &user,
        [
            b.grid_minutes,
            b.community_minutes,
            b.street_minutes,
            b.district_minutes,
        ],
    )
    .await?;
    Ok(Json(m.into()))
}
