//! `/api/v1` buildings, households and residents — always narrowed to what the caller may see,
//! personal numbers masked unless explicitly unmasked (and logged). Searching by a full number
//! is `resident_search`'s job.

use crate::auth::{ApiUser, User};
use crate::error::{ApiError, ApiResult};
use crate::http::api_geo::{parse_area, parse_grid};
use crate::state::AppState;
use crate::views::{HouseholdView, ResidentView};
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_domain::access::{Action, Region, Target, visible_region};
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_store::{BuildingRow, HouseholdFilter, Page, ResidentFilter, ResidentRow};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/buildings", get(buildings))
        .route("/api/v1/households", get(households))
        .route("/api/v1/households/{id}", get(household))
        .route(
            "/api/v1/households/{id}/residents",
            get(household_residents),
        )
        .route("/api/v1/residents", get(residents))
        .route(
            "/api/v1/residents/search",
            post(super::resident_search::search),
        )
        .route("/api/v1/residents/{id}", get(resident))
        .route("/api/v1/residents/{id}/unmask", post(unmask))
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    pub grid: Option<String>,
    pub area: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    pub name: Option<String>,
    /// Refused: full numbers never travel in a URL (see `resident_search::NumberSearch`).
    pub id_number: Option<String>,
    /// Refused, as `id_number`.
    pub phone: Option<String>,
}

impl ListQuery {
    pub fn page(&self) -> Page {
        let limit = self.per_page.unwrap_or(50).clamp(1, 500);
        // Past the last page a list is simply empty; the cap keeps the offset arithmetic sane.
        let page = self.page.unwrap_or(1).clamp(1, 10_000_000);
        Page {
            offset: (page - 1) * limit,
            limit,
        }
    }
}

/// Where a list looks: the filter asked for, checked against the policy, or else the caller's
/// own region. A list never covers more than `decide` allows for `action`.
pub fn list_region(
    user: &User,
    action: Action,
    q: &ListQuery,
) -> ApiResult<(Option<AreaCode>, Option<GridCode>)> {
    let grid = q
        .grid
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| parse_grid("grid", s))
        .transpose()?;
    let area = q
        .area
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| parse_area("area", s))
        .transpose()?;
    if let Some(g) = grid {
        user.may(action, &Target::Grid(g))?;
    }
    if let Some(a) = area {
        user.may(action, &Target::Area(a))?;
    }
    if grid.is_some() || area.is_some() {
        return Ok((area, grid));
    }
    match visible_region(&user.principal()) {
        Region::Everything => {
            user.may(action, &Target::Everything)?;
            Ok((None, None))
        }
        Region::Area(a) => {
            user.may(action, &Target::Area(a))?;
            Ok((Some(a), None))
        }
        Region::Grid(g) => {
            user.may(action, &Target::Grid(g))?;
            Ok((None, Some(g)))
        }
        Region::Nothing => {
            user.may(action, &Target::Everything)?;
            Ok((None, None))
        }
    }
}

#[derive(Serialize)]
pub struct Listing<T> {
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<T>,
}

async fn buildings(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<BuildingRow>>> {
    let (area, grid) = list_region(&user, Action::ViewHousehold, &q)?;
    let rows = match grid {
        Some(g) => st.store.buildings_in_grid(&g).await?,
        None => st.store.buildings(area.as_ref()).await?,
    };
    Ok(Json(rows))
}

pub async fn list_households(
    st: &AppState,
    user: &User,
    q: &ListQuery,
) -> ApiResult<Listing<HouseholdView>> {
    let (area, grid) = list_region(user, Action::ViewHousehold, q)?;
    let page = q.page();
    let filter = HouseholdFilter {
        area,
        grid,
        building_code: None,
        page,
    };
    let total = st.store.count_households(&filter).await?;
    let items = st
        .store
        .households(&filter)
        .await?
        .into_iter()
        .map(HouseholdView::from)
        .collect();
    Ok(Listing {
        total,
        page: page.offset / page.limit + 1,
        per_page: page.limit,
        items,
    })
}

async fn households(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Listing<HouseholdView>>> {
    Ok(Json(list_households(&st, &user, &q).await?))
}

pub async fn load_household(st: &AppState, user: &User, id: i64) -> ApiResult<HouseholdView> {
    let h = st
        .store
        .household(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("户 {id}"), format!("household {id}")))?;
    user.may(Action::ViewHousehold, &Target::Grid(h.grid))?;
    Ok(h.into())
}

async fn household(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<HouseholdView>> {
    Ok(Json(load_household(&st, &user, id).await?))
}

async fn household_residents(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<ResidentView>>> {
    let h = load_household(&st, &user, id).await?;
    user.may(Action::ViewResident, &Target::Grid(h.household.grid))?;
    let filter = ResidentFilter {
        household_id: Some(id),
        page: Page {
            offset: 0,
            limit: 100,
        },
        ..Default::default()
    };
    Ok(Json(
        st.store
            .residents(&filter)
            .await?
            .iter()
            .map(ResidentView::masked)
            .collect(),
    ))
}

pub async fn list_residents(
    st: &AppState,
    user: &User,
    q: &ListQuery,
) -> ApiResult<Listing<ResidentView>> {
    let (area, grid) = list_region(user, Action::ViewResident, q)?;
    for (field, value) in [("id_number", &q.id_number), ("phone", &q.phone)] {
        if value.as_deref().is_some_and(|v| !v.trim().is_empty()) {
            return Err(number_in_url(field));
        }
    }
    let page = q.page();
    let filter = ResidentFilter {
        area,
        grid,
        household_id: None,
        name: q.name.clone().filter(|n| !n.trim().is_empty()),
        id_number: None,
        phone: None,
        page,
    };
    let total = st.store.count_residents(&filter).await?;
    let items = st
        .store
        .residents(&filter)
        .await?
        .iter()
        .map(ResidentView::masked)
        .collect();
    Ok(Listing {
        total,
        page: page.offset / page.limit + 1,
        per_page: page.limit,
        items,
    })
}

async fn residents(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Listing<ResidentView>>> {
    Ok(Json(list_residents(&st, &user, &q).await?))
}

/// Full numbers in a URL end up in access logs, browser history and `Referer` headers.
fn number_in_url(field: &str) -> ApiError {
    ApiError::bad_request(
        field,
        "身份证号、手机号不能放在网址里查询，请用“按号码查找”（POST /api/v1/residents/search）",
        "ID and phone numbers may not travel in a URL; search by number with POST /api/v1/residents/search",
    )
}

/// The reason an unmask or a search by number must give, trimmed.
pub(crate) fn required_reason(reason: Option<&str>) -> ApiResult<&str> {
    let reason = reason.map(str::trim).unwrap_or("");
    if reason.chars().count() < 2 {
        return Err(ApiError::bad_request(
            "reason",
            "查看或按号码查找完整身份证号和手机号须填写事由（至少2个字）",
            "a reason (at least 2 characters) is required to see or search by full ID and phone numbers",
        ));
    }
    Ok(reason)
}

pub async fn load_resident(st: &AppState, user: &User, id: i64) -> ApiResult<ResidentRow> {
    let r = st
        .store
        .resident(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("居民 {id}"), format!("resident {id}")))?;
    user.may(Action::ViewResident, &Target::Grid(r.grid))?;
    Ok(r)
}

async fn resident(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<ResidentView>> {
    Ok(Json(ResidentView::masked(
        &load_resident(&st, &user, id).await?,
    )))
}

#[derive(Deserialize)]
pub struct UnmaskRequest {
    pub reason: Option<String>,
}

/// Shows a resident's full numbers to a permitted reader, after logging who, whose, when and why.
pub async fn unmask_resident(
    st: &AppState,
    user: &User,
    id: i64,
    reason: Option<&str>,
) -> ApiResult<ResidentView> {
    let r = load_resident(st, user, id).await?;
    user.may(Action::UnmaskPersonalData, &Target::Grid(r.grid))?;
    let reason = required_reason(reason)?;
    st.store
        .record_pii_access(
            user.account.id,
            &user.account.username,
            r.id,
            "id_number,phone",
            reason,
        )
        .await?;
    Ok(ResidentView::unmasked(&r))
}

async fn unmask(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(body): Json<UnmaskRequest>,
) -> ApiResult<Json<ResidentView>> {
    Ok(Json(
        unmask_resident(&st, &user, id, body.reason.as_deref()).await?,
    ))
}
