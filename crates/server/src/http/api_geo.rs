//! `/api/v1` areas, grids, departments and point → grid.

use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use gongzhi_domain::access::{Action, Target};
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_store::{AreaRow, DepartmentRow, GridRow, HouseholdFilter};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/areas", get(list_areas))
        .route("/api/v1/areas/{code}", get(area))
        .route("/api/v1/grids", get(list_grids))
        .route("/api/v1/grids.geojson", get(grids_geojson))
        .route("/api/v1/public/grids.geojson", get(public_grids_geojson))
        .route("/api/v1/grids/{code}", get(grid))
        .route("/api/v1/locate", get(locate))
        .route("/api/v1/departments", get(departments))
}

pub fn parse_area(field: &str, s: &str) -> ApiResult<AreaCode> {
    AreaCode::parse(s).map_err(|e| ApiError::invalid(field, &e))
}

pub fn parse_grid(field: &str, s: &str) -> ApiResult<GridCode> {
    GridCode::parse(s).map_err(|e| ApiError::invalid(field, &e))
}

async fn list_areas(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Vec<AreaRow>>> {
    let areas = st.store.areas().await?;
    Ok(Json(
        areas
            .into_iter()
            .filter(|a| user.may(Action::ViewArea, &Target::Area(a.code)).is_ok())
            .collect(),
    ))
}

#[derive(Serialize)]
pub struct AreaDetail {
    #[serde(flatten)]
    pub area: AreaRow,
    pub children: Vec<AreaRow>,
    pub grid_count: usize,
    pub household_count: Option<i64>,
}

async fn area(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(code): Path<String>,
) -> ApiResult<Json<AreaDetail>> {
    let code = parse_area("code", &code)?;
    user.may(Action::ViewArea, &Target::Area(code))?;
    let area = st
        .store
        .area(&code)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("区划 {code}"), format!("area {code}")))?;
    let children = st.store.area_children(&code).await?;
    let grid_count = st.store.grids_in(&code).await?.len();
    let household_count = if user.may(Action::ViewHousehold, &Target::Area(code)).is_ok() {
        Some(
            st.store
                .count_households(&HouseholdFilter {
                    area: Some(code),
                    ..Default::default()
                })
                .await?,
        )
    } else {
        None
    };
    Ok(Json(AreaDetail {
        area,
        children,
        grid_count,
        household_count,
    }))
}

#[derive(Deserialize)]
struct GridQuery {
    area: Option<String>,
}

async fn grids_for(
    st: &AppState,
    user: &crate::auth::User,
    area: Option<&str>,
) -> ApiResult<Vec<GridRow>> {
    let rows = match area {
        Some(a) => {
            let code = parse_area("area", a)?;
            user.may(Action::ViewArea, &Target::Area(code))?;
            st.store.grids_in(&code).await?
        }
        None => st.store.grids().await?,
    };
    Ok(rows
        .into_iter()
        .filter(|g| user.may(Action::ViewGrid, &Target::Grid(g.code)).is_ok())
        .collect())
}

async fn list_grids(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<GridQuery>,
) -> ApiResult<Json<Vec<GridRow>>> {
    Ok(Json(grids_for(&st, &user, q.area.as_deref()).await?))
}

/// The grids the caller may see as a GeoJSON FeatureCollection, for the map: joined from the
/// prepared features in memory.
async fn grids_geojson(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<GridQuery>,
) -> ApiResult<impl IntoResponse> {
    let area = match q.area.as_deref() {
        Some(a) => {
            let code = parse_area("area", a)?;
            user.may(Action::ViewArea, &Target::Area(code))?;
            Some(code)
        }
        None => None,
    };
    let places = loaded(&st)?;
    let body = places.geojson(area.as_ref(), |g| {
        user.may(Action::ViewGrid, &Target::Grid(*g)).is_ok()
    });
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body))
}

/// Grid outlines for the public report page: codes, names and shapes, nothing personal; built
/// once per load of the grids, not per request.
async fn public_grids_geojson(State(st): State<AppState>) -> ApiResult<impl IntoResponse> {
    Ok((
        [
            (header::CONTENT_TYPE, "application/geo+json"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        loaded(&st)?.public_geojson(),
    ))
}

/// The grids and areas in memory; they are loaded before the server listens.
fn loaded(st: &AppState) -> ApiResult<std::sync::Arc<crate::grid_index::Places>> {
    st.grids.places().ok_or_else(|| {
        ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "网格数据尚未载入",
            "the grids are not loaded yet",
        )
    })
}

#[derive(Serialize)]
pub struct GridDetail {
    #[serde(flatten)]
    pub grid: GridRow,
    pub community_name: String,
    pub household_count: Option<i64>,
    pub staff: Vec<StaffMember>,
}

#[derive(Serialize)]
pub struct StaffMember {
    pub display_name: String,
    pub role: String,
}

pub async fn grid_detail(
    st: &AppState,
    user: &crate::auth::User,
    code: GridCode,
) -> ApiResult<GridDetail> {
    user.may(Action::ViewGrid, &Target::Grid(code))?;
    let places = loaded(st)?;
    // A grid another server imported within the last minute is not in memory yet.
    let grid =
        match places.grid(&code) {
            Some(g) => g.clone(),
            None => st.store.grid(&code).await?.ok_or_else(|| {
                ApiError::not_found(format!("网格 {code}"), format!("grid {code}"))
            })?,
        };
    let community_name = places
        .area(&grid.community)
        .map(|a| a.name.clone())
        .unwrap_or_default();
    let household_count = if user.may(Action::ViewHousehold, &Target::Grid(code)).is_ok() {
        Some(
            st.store
                .count_households(&HouseholdFilter {
                    grid: Some(code),
                    ..Default::default()
                })
                .await?,
        )
    } else {
        None
    };
    let staff = st
        .store
        .accounts()
        .await?
        .into_iter()
        .filter(|a| !a.disabled && gongzhi_domain::access::serves_grid(&a.scope, &code))
        .map(|a| StaffMember {
            display_name: a.display_name,
            role: a.role.as_str().to_string(),
        })
        .collect();
    Ok(GridDetail {
        grid,
        community_name,
        household_count,
        staff,
    })
}

async fn grid(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(code): Path<String>,
) -> ApiResult<Json<GridDetail>> {
    let code = parse_grid("code", &code)?;
    Ok(Json(grid_detail(&st, &user, code).await?))
}

#[derive(Deserialize)]
struct LocateQuery {
    lon: Option<f64>,
    lat: Option<f64>,
}

#[derive(Serialize)]
pub struct Located {
    pub grid: GridCode,
    pub grid_name: String,
    pub community: Option<AreaRow>,
    pub street: Option<AreaRow>,
    pub district: Option<AreaRow>,
}

async fn locate(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<LocateQuery>,
) -> ApiResult<Json<Located>> {
    let lon = q
        .lon
        .ok_or_else(|| ApiError::bad_request("lon", "缺少经度 lon", "lon is required"))?;
    let lat = q
        .lat
        .ok_or_else(|| ApiError::bad_request("lat", "缺少纬度 lat", "lat is required"))?;
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(ApiError::bad_request(
            "lon",
            "经纬度超出范围",
            "longitude/latitude out of range",
        ));
    }
    let places = loaded(&st)?;
    let hit = places
        .index()
        .locate(lon, lat)
        .map(|g| (g.code, g.name.clone()));
    let (code, grid_name) = hit.ok_or_else(|| {
        ApiError::not_found(
            format!("点 ({lon}, {lat}) 不在任何网格内"),
            format!("point ({lon}, {lat}) is in no grid"),
        )
    })?;
    user.may(Action::ViewGrid, &Target::Grid(code))?;
    let community = code.community();
    let street = community.parent();
    let district = street.and_then(|s| s.parent());
    let area = |c: Option<AreaCode>| c.and_then(|c| places.area(&c).cloned());
    Ok(Json(Located {
        grid: code,
        grid_name,
        community: area(Some(community)),
        street: area(street),
        district: area(district),
    }))
}

async fn departments(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Vec<DepartmentRow>>> {
    user.may(Action::ViewDepartment, &Target::Everything)?;
    Ok(Json(st.store.departments().await?))
}
