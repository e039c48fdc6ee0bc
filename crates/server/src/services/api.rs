//! `/api/v1/services/…`: settings, centres and their staff, assessment items, the menu,
//! household tags, orders (placed, cancelled, assigned, completed, rated), providers and their
//! hours, counts, and the `.xlsx` exports; `/api/v1/public/services/orders` for orders placed
//! without an account, followed by lookup code.

use super::ops::{
    self, AssessmentInput, AssignInput, CentreChange, CentreInput, HoursInput, MenuInput,
    OrderInput, Placed, ProviderInput,
};
use super::{Seen, exports, forbidden, seen, write_error};
use crate::auth::{ApiUser, User};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::throttle::ClientIp;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_domain::access::{Action, List, Listing, Target};
use gongzhi_domain::red_grid::mask_party;
use gongzhi_domain::services::{
    CentreSettings, HouseholdTag, OrderCounts, OrderState, StaffDraft, satisfaction_rate,
};
use gongzhi_store::{
    AssessmentItemRow, CentreRow, CountBy, MenuFilter, MenuItemRow, OrderFilter, OrderRow,
    ProviderRow, StaffRow,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/services/settings",
            get(get_settings).post(post_settings),
        )
        .route(
            "/api/v1/services/centres",
            get(list_centres).post(create_centre),
        )
        .route("/api/v1/services/centres.xlsx", get(centres_xlsx))
        .route(
            "/api/v1/services/centres/{id}",
            get(get_centre).put(update_centre),
        )
        .route("/api/v1/services/centres/{id}/staff", post(add_staff))
        .route(
            "/api/v1/services/assessment-items",
            get(list_assessment).post(add_assessment),
        )
        .route("/api/v1/services/menu", get(list_menu).post(create_item))
        .route("/api/v1/services/menu.xlsx", get(menu_xlsx))
        .route("/api/v1/services/menu/{id}/withdraw", post(withdraw_item))
        .route("/api/v1/services/menu/{id}/publish", post(publish_item))
        .route(
            "/api/v1/services/households/{id}/tags",
            get(get_tags).post(set_tags),
        )
        .route(
            "/api/v1/services/orders",
            get(list_orders).post(place_order),
        )
        .route("/api/v1/services/orders.xlsx", get(orders_xlsx))
        .route("/api/v1/services/orders/{id}", get(get_order))
        .route("/api/v1/services/orders/{id}/cancel", post(cancel_order))
        .route("/api/v1/services/orders/{id}/assign", post(assign_order))
        .route(
            "/api/v1/services/orders/{id}/complete",
            post(complete_order),
        )
        .route("/api/v1/services/orders/{id}/rate", post(rate_order))
        .route(
            "/api/v1/services/providers",
            get(list_providers).post(create_provider),
        )
        .route("/api/v1/services/providers.xlsx", get(providers_xlsx))
        .route("/api/v1/services/providers/{id}/hours", post(confirm_hours))
        .route("/api/v1/services/counts", get(counts_json))
        .route("/api/v1/services/counts.xlsx", get(counts_xlsx))
        .route("/api/v1/public/services/orders", post(public_order))
        .route("/api/v1/public/services/orders/{code}", get(public_get))
        .route(
            "/api/v1/public/services/orders/{code}/cancel",
            post(public_cancel),
        )
        .route(
            "/api/v1/public/services/orders/{code}/rate",
            post(public_rate),
        )
}

/// Only who manages the centres of the whole city sets the lead departments.
fn may_set_settings(user: &User) -> bool {
    matches!(user.listing(List::ServiceCentres), Listing::Everything)
        && user
            .may(Action::ManageServiceCentres, &Target::Everything)
            .is_ok()
}

async fn get_settings(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<CentreSettings>> {
    seen(&user)?;
    Ok(Json(st.store.centre_settings().await?))
}

async fn post_settings(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<CentreSettings>,
) -> ApiResult<Json<CentreSettings>> {
    if !may_set_settings(&user) {
        return Err(forbidden(
            "只有全市管理员可以设置服务中心的牵头部门",
            "only who manages the whole city sets the lead departments",
        ));
    }
    Ok(Json(
        st.store
            .set_centre_settings(b, &super::by(&user))
            .await
            .map_err(write_error)?,
    ))
}

#[derive(Deserialize, Default)]
pub struct PlaceQuery {
    pub community: Option<String>,
    pub centre: Option<i64>,
    pub item: Option<i64>,
    pub state: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub by: Option<String>,
    /// Still open with the service day past.
    pub overdue: Option<String>,
    /// Completed and not yet rated.
    pub unrated: Option<String>,
}

/// The rows the caller sees, narrowed to a community when asked (a resident may choose any:
/// the menu is public to residents; staff only inside their place).
pub(crate) fn narrowed(user: &User, community: Option<&str>) -> ApiResult<Seen> {
    let mut s = seen(user)?;
    if let Some(c) = community.map(str::trim).filter(|c| !c.is_empty()) {
        let c = crate::http::api_geo::parse_area("community", c)?;
        let inside = match (&s.place.area, &s.place.lead_department) {
            (Some(a), _) => user.listing(List::ServiceCentres).covers(&Target::Area(c)) || a == &c,
            _ => true,
        };
        if !inside {
            return Err(forbidden(
                "所选社区不在您的管辖范围内",
                "the chosen community is outside your scope",
            ));
        }
        s.place.area = Some(c);
    }
    Ok(s)
}

async fn list_centres(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<Json<Vec<CentreRow>>> {
    let s = narrowed(&user, q.community.as_deref())?;
    Ok(Json(st.store.centres(&s.place).await?))
}

async fn centres_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<Response> {
    let s = narrowed(&user, q.community.as_deref())?;
    let rows = st.store.centres(&s.place).await?;
    exports::centres(&st, &user, &rows).await
}

async fn create_centre(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<CentreInput>,
) -> ApiResult<(StatusCode, Json<CentreRow>)> {
    let id = ops::create_centre(&st, &user, b).await?;
    Ok((StatusCode::CREATED, Json(ops::centre(&st, id).await?)))
}

async fn update_centre(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<CentreChange>,
) -> ApiResult<Json<CentreRow>> {
    Ok(Json(ops::update_centre(&st, &user, id, b).await?))
}

#[derive(Serialize)]
pub struct CentreDetail {
    pub centre: CentreRow,
    /// Staff with their phones: only for who manages or fulfils there.
    pub staff: Vec<StaffRow>,
    pub menu: Vec<MenuItemRow>,
}

async fn get_centre(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<CentreDetail>> {
    seen(&user)?;
    let centre = ops::centre(&st, id).await?;
    let staff = if ops::manages(&user, &centre.community) || ops::fulfils(&user, &centre.community)
    {
        st.store.centre_staff(id).await?
    } else {
        Vec::new()
    };
    let menu = st
        .store
        .menu_items(&MenuFilter {
            centre: Some(id),
            ..Default::default()
        })
        .await?;
    Ok(Json(CentreDetail {
        centre,
        staff,
        menu,
    }))
}

async fn add_staff(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<StaffDraft>,
) -> ApiResult<(StatusCode, Json<StaffRow>)> {
    let staff = ops::add_staff(&st, &user, id, b).await?;
    let row = st
        .store
        .centre_staff(id)
        .await?
        .into_iter()
        .find(|s| s.id == staff)
        .ok_or_else(|| ApiError::not_found("工作人员", "staff"))?;
    Ok((StatusCode::CREATED, Json(row)))
}

#[derive(Deserialize, Default)]
pub struct DeptQuery {
    pub department: Option<String>,
}

async fn list_assessment(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<DeptQuery>,
) -> ApiResult<Json<Vec<AssessmentItemRow>>> {
    let s = seen(&user)?;
    let dept = s.place.lead_department.or(q.department);
    Ok(Json(st.store.assessment_items(dept.as_deref()).await?))
}

async fn add_assessment(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<AssessmentInput>,
) -> ApiResult<(StatusCode, Json<AssessmentItemRow>)> {
    let dept = b.lead_department.clone();
    let id = ops::add_assessment_item(&st, &user, b).await?;
    let row = st
        .store
        .assessment_items(Some(&dept))
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(|| ApiError::not_found("考核项目", "assessment item"))?;
    Ok((StatusCode::CREATED, Json(row)))
}

async fn list_menu(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<Json<Vec<MenuItemRow>>> {
    let s = narrowed(&user, q.community.as_deref())?;
    let f = MenuFilter {
        place: s.place,
        centre: q.centre,
        active_only: s.mine.is_some(),
    };
    Ok(Json(st.store.menu_items(&f).await?))
}

async fn menu_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<Response> {
    let s = narrowed(&user, q.community.as_deref())?;
    let f = MenuFilter {
        place: s.place,
        centre: q.centre,
        active_only: s.mine.is_some(),
    };
    let rows = st.store.menu_items(&f).await?;
    exports::menu(&st, &user, &rows).await
}

async fn create_item(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<MenuInput>,
) -> ApiResult<(StatusCode, Json<MenuItemRow>)> {
    let id = ops::create_menu_item(&st, &user, b).await?;
    Ok((StatusCode::CREATED, Json(ops::item(&st, id).await?)))
}

async fn withdraw_item(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<MenuItemRow>> {
    ops::set_item_active(&st, &user, id, false).await?;
    Ok(Json(ops::item(&st, id).await?))
}

async fn publish_item(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<MenuItemRow>> {
    ops::set_item_active(&st, &user, id, true).await?;
    Ok(Json(ops::item(&st, id).await?))
}

#[derive(Serialize, Deserialize)]
pub struct TagsBody {
    pub tags: Vec<String>,
}

async fn get_tags(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<TagsBody>> {
    let h = st
        .store
        .household(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("住户 {id}"), format!("household {id}")))?;
    user.may(Action::ViewHousehold, &Target::Grid(h.grid))?;
    let tags: Vec<HouseholdTag> = st.store.household_tags(id).await?;
    Ok(Json(TagsBody {
        tags: tags.iter().map(|t| t.as_str().to_string()).collect(),
    }))
}

async fn set_tags(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<TagsBody>,
) -> ApiResult<Json<TagsBody>> {
    let tags = ops::set_tags(&st, &user, id, &b.tags).await?;
    Ok(Json(TagsBody {
        tags: tags.iter().map(|t| t.as_str().to_string()).collect(),
    }))
}

/// An order as an API answer: the resident's name masked.
fn shown(mut o: OrderRow) -> OrderRow {
    o.resident_name = mask_party(&o.resident_name);
    o
}

pub(crate) fn order_filter(user: &User, q: &PlaceQuery) -> ApiResult<OrderFilter> {
    let s = narrowed(user, q.community.as_deref())?;
    let state = match q.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(x) => Some(OrderState::parse(x).ok_or_else(|| {
            ApiError::bad_request(
                "state",
                format!("“{x}”不是订单状态"),
                format!("'{x}' is not an order state"),
            )
        })?),
    };
    let day = |f: &str, v: &Option<String>| -> ApiResult<Option<gongzhi_domain::calendar::Date>> {
        match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(x) => gongzhi_domain::calendar::Date::parse(x)
                .map(Some)
                .ok_or_else(|| {
                    ApiError::bad_request(
                        f,
                        format!("日期应为 YYYY-MM-DD：{x}"),
                        format!("a date must be YYYY-MM-DD: {x}"),
                    )
                }),
        }
    };
    Ok(OrderFilter {
        place: s.place,
        centre: q.centre,
        item: q.item,
        mine: s.mine,
        state,
        from: day("from", &q.from)?,
        to: day("to", &q.to)?,
        open_before: q
            .overdue
            .as_deref()
            .filter(|v| !v.is_empty())
            .map(|_| super::today()),
        unrated: q.unrated.as_deref().is_some_and(|v| !v.is_empty()),
        limit: 5000,
    })
}

async fn list_orders(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<Json<Vec<OrderRow>>> {
    let f = order_filter(&user, &q)?;
    Ok(Json(
        st.store
            .service_orders(&f)
            .await?
            .into_iter()
            .map(shown)
            .collect(),
    ))
}

async fn orders_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<Response> {
    let f = order_filter(&user, &q)?;
    let rows = st.store.service_orders(&f).await?;
    exports::orders(&st, &user, &rows).await
}

async fn place_order(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<OrderInput>,
) -> ApiResult<(StatusCode, Json<Placed>)> {
    let mut p = ops::place_order(&st, Some(&user), b).await?;
    p.order = shown(p.order);
    Ok((StatusCode::CREATED, Json(p)))
}

async fn get_order(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<OrderRow>> {
    Ok(Json(shown(ops::visible_order(&st, &user, id).await?)))
}

#[derive(Serialize)]
pub struct Cancelled {
    pub order: OrderRow,
    /// The waiting order that took the freed place.
    pub promoted: Option<i64>,
}

async fn cancel_order(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Cancelled>> {
    let promoted = ops::cancel(&st, &user, id).await?;
    Ok(Json(Cancelled {
        order: shown(ops::order(&st, id).await?),
        promoted,
    }))
}

async fn assign_order(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<AssignInput>,
) -> ApiResult<Json<OrderRow>> {
    ops::assign(&st, &user, id, b).await?;
    Ok(Json(shown(ops::order(&st, id).await?)))
}

#[derive(Deserialize)]
pub struct CompleteBody {
    pub notes: String,
}

async fn complete_order(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<CompleteBody>,
) -> ApiResult<Json<OrderRow>> {
    ops::complete(&st, &user, id, &b.notes, None).await?;
    Ok(Json(shown(ops::order(&st, id).await?)))
}

#[derive(Deserialize)]
pub struct RateBody {
    pub rating: String,
}

async fn rate_order(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<RateBody>,
) -> ApiResult<Json<OrderRow>> {
    ops::rate(&st, &user, id, &b.rating).await?;
    Ok(Json(shown(ops::order(&st, id).await?)))
}

/// What the holder of a lookup code sees: no names, no phone.
#[derive(Serialize)]
pub struct PublicOrder {
    pub item_name: String,
    pub centre_name: String,
    pub service_date: String,
    pub slot: String,
    pub state: OrderState,
    pub waiting_position: Option<i64>,
    pub rating: Option<gongzhi_domain::case::Satisfaction>,
}

impl From<OrderRow> for PublicOrder {
    fn from(o: OrderRow) -> Self {
        PublicOrder {
            item_name: o.item_name,
            centre_name: o.centre_name,
            service_date: o.service_date.to_string(),
            slot: o.slot,
            state: o.state,
            waiting_position: o.waiting_position,
            rating: o.rating,
        }
    }
}

#[derive(Serialize)]
pub struct PublicPlaced {
    pub order: PublicOrder,
    pub waiting_position: Option<u32>,
    pub lookup_code: String,
}

async fn public_order(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(b): Json<OrderInput>,
) -> ApiResult<(StatusCode, Json<PublicPlaced>)> {
    // Naming a resident by name and phone is a lookup too: the same per-address budget.
    st.throttle.lookup.take(ip)?;
    let p = ops::place_order(&st, None, b).await?;
    st.throttle.lookup.give_back(ip);
    Ok((
        StatusCode::CREATED,
        Json(PublicPlaced {
            order: p.order.into(),
            waiting_position: p.waiting_position,
            lookup_code: p.lookup_code.unwrap_or_default(),
        }),
    ))
}

async fn public_get(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
) -> ApiResult<Json<PublicOrder>> {
    Ok(Json(ops::order_by_code(&st, ip, &code).await?.into()))
}

async fn public_cancel(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
) -> ApiResult<Json<PublicOrder>> {
    Ok(Json(ops::cancel_by_code(&st, ip, &code).await?.into()))
}

async fn public_rate(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    Json(b): Json<RateBody>,
) -> ApiResult<Json<PublicOrder>> {
    Ok(Json(
        ops::rate_by_code(&st, ip, &code, &b.rating).await?.into(),
    ))
}

async fn list_providers(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<Json<Vec<ProviderRow>>> {
    let s = narrowed(&user, q.community.as_deref())?;
    Ok(Json(st.store.service_providers(&s.place, q.centre).await?))
}

async fn providers_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<Response> {
    let s = narrowed(&user, q.community.as_deref())?;
    let rows = st.store.service_providers(&s.place, q.centre).await?;
    exports::providers(&st, &user, &rows).await
}

async fn create_provider(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<ProviderInput>,
) -> ApiResult<(StatusCode, Json<ProviderRow>)> {
    let id = ops::create_provider(&st, &user, b).await?;
    let row = st
        .store
        .service_providers(&Default::default(), None)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| ApiError::not_found("服务提供者", "provider"))?;
    Ok((StatusCode::CREATED, Json(row)))
}

#[derive(Serialize)]
pub struct HoursAnswer {
    pub id: i64,
    pub provider: ProviderRow,
}

async fn confirm_hours(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<HoursInput>,
) -> ApiResult<(StatusCode, Json<HoursAnswer>)> {
    let hours = ops::confirm_hours(&st, &user, id, b).await?;
    let provider = st
        .store
        .service_providers(&Default::default(), None)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| ApiError::not_found("服务提供者", "provider"))?;
    Ok((
        StatusCode::CREATED,
        Json(HoursAnswer {
            id: hours,
            provider,
        }),
    ))
}

/// One row of the counts: its key (centre id, community or department code), name, counts
/// and rates.
#[derive(Serialize)]
pub struct CountRow {
    pub key: String,
    pub name: String,
    #[serde(flatten)]
    pub counts: OrderCounts,
    pub on_time_rate: Option<f64>,
    pub satisfaction_rate: Option<f64>,
}

pub(crate) async fn count_rows(
    st: &AppState,
    user: &User,
    community: Option<&str>,
    by: Option<&str>,
) -> ApiResult<Vec<CountRow>> {
    let s = narrowed(user, community)?;
    if s.mine.is_some() {
        return Err(forbidden(
            "居民不能查看服务统计",
            "residents do not see the service counts",
        ));
    }
    let by = match by.unwrap_or("centre") {
        "centre" => CountBy::Centre,
        "community" => CountBy::Community,
        "lead_department" => CountBy::LeadDepartment,
        other => {
            return Err(ApiError::bad_request(
                "by",
                format!("“{other}”不是统计维度，可选：centre、community、lead_department"),
                format!("'{other}' is not a grouping: centre, community or lead_department"),
            ));
        }
    };
    let rows = st.store.service_counts(&s.place, by).await?;
    let names: BTreeMap<String, String> = match by {
        CountBy::Centre => st
            .store
            .centres(&s.place)
            .await?
            .into_iter()
            .map(|c| (c.id.to_string(), format!("{} {}", c.community_name, c.name)))
            .collect(),
        CountBy::Community => st
            .store
            .centres(&s.place)
            .await?
            .into_iter()
            .map(|c| (c.community.to_string(), c.community_name))
            .collect(),
        CountBy::LeadDepartment => st
            .store
            .departments()
            .await?
            .into_iter()
            .map(|d| (d.code, d.name))
            .collect(),
    };
    Ok(rows
        .into_iter()
        .map(|(key, counts)| CountRow {
            name: names.get(&key).cloned().unwrap_or_else(|| key.clone()),
            key,
            on_time_rate: counts.on_time_rate(),
            satisfaction_rate: satisfaction_rate(&counts, 0.9),
            counts,
        })
        .collect())
}

async fn counts_json(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<Json<Vec<CountRow>>> {
    Ok(Json(
        count_rows(&st, &user, q.community.as_deref(), q.by.as_deref()).await?,
    ))
}

async fn counts_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<Response> {
    let rows = count_rows(&st, &user, q.community.as_deref(), q.by.as_deref()).await?;
    let pairs: Vec<(String, OrderCounts)> = rows.into_iter().map(|r| (r.name, r.counts)).collect();
    exports::counts(&st, &user, &pairs).await
}
