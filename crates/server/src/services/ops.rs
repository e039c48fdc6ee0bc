//! The services' operations, without HTTP: each loads what it needs, asks the policy and the
//! domain, and writes through one store call (whose transaction also logs the record).

use super::{by, forbidden, refused, today, write_error};
use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use gongzhi_domain::access::{Action, Target};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::case::Satisfaction;
use gongzhi_domain::codes::{AreaCode, Phone};
use gongzhi_domain::services::{
    CentreKind, Eligibility, HouseholdTag, OrderState, Placement, Schedule, ServicesError,
    StaffDraft, TimeSlot, is_own_order,
};
use gongzhi_store::{
    CentreRow, EventActor, MenuItemRow, NewCentre, NewMenuItem, NewOrder, OrderChannel, OrderRow,
    now_millis,
};
use serde::{Deserialize, Serialize};

fn not_found(zh: &str, en: &str, id: i64) -> ApiError {
    ApiError::not_found(format!("{zh} {id}"), format!("{en} {id}"))
}

pub async fn centre(st: &AppState, id: i64) -> ApiResult<CentreRow> {
    st.store
        .centre(id)
        .await?
        .ok_or_else(|| not_found("服务中心", "centre", id))
}

pub async fn item(st: &AppState, id: i64) -> ApiResult<MenuItemRow> {
    st.store
        .menu_item(id)
        .await?
        .ok_or_else(|| not_found("服务项目", "menu item", id))
}

/// May the caller manage the centres (and menu, providers) of `community`?
pub fn manages(user: &User, community: &AreaCode) -> bool {
    user.may(Action::ManageServiceCentres, &Target::Area(*community))
        .is_ok()
}

/// May the caller fulfil the orders of `community` (配菜)?
pub fn fulfils(user: &User, community: &AreaCode) -> bool {
    user.may(Action::FulfilServiceOrders, &Target::Area(*community))
        .is_ok()
}

fn must_manage(user: &User, community: &AreaCode) -> ApiResult<()> {
    if manages(user, community) {
        Ok(())
    } else {
        Err(forbidden(
            "只有本社区可以管理服务中心、服务清单和服务提供者",
            "only the community manages its centres, menu and providers",
        ))
    }
}

fn must_fulfil(user: &User, community: &AreaCode) -> ApiResult<()> {
    if fulfils(user, community) {
        Ok(())
    } else {
        Err(forbidden(
            "只有本社区服务中心的工作人员可以处理订单",
            "only the community's centre staff handle its orders",
        ))
    }
}

#[derive(Deserialize)]
pub struct CentreInput {
    pub community: String,
    pub kind: String,
    pub name: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub opening_hours: String,
}

/// Opens a centre of one of the seven kinds in a community; its lead department is the
/// city's setting for the kind.
pub async fn create_centre(st: &AppState, user: &User, b: CentreInput) -> ApiResult<i64> {
    let community = crate::http::api_geo::parse_area("community", &b.community)?;
    must_manage(user, &community)?;
    let kind = CentreKind::parse(&b.kind)
        .ok_or_else(|| refused(ServicesError::UnknownKind(b.kind.clone())))?;
    let settings = st.store.centre_settings().await?;
    let lead = settings
        .lead_of(kind)
        .ok_or_else(|| refused(ServicesError::UnknownKind(b.kind.clone())))?
        .to_string();
    st.store
        .create_centre(
            &NewCentre {
                community,
                kind,
                name: b.name,
                lead_department: lead,
                address: b.address,
                lon: b.lon,
                lat: b.lat,
                opening_hours: b.opening_hours,
            },
            &by(user),
        )
        .await
        .map_err(write_error)
}

/// What may change of a centre: its name, address, opening hours and (optionally) its map
/// point; its community, kind and lead department stay.
#[derive(Deserialize)]
pub struct CentreChange {
    pub name: String,
    pub address: String,
    pub opening_hours: String,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
}

/// Changes a centre the caller manages; the point stays where it was unless both coordinates
/// are given.
pub async fn update_centre(
    st: &AppState,
    user: &User,
    id: i64,
    b: CentreChange,
) -> ApiResult<CentreRow> {
    let c = centre(st, id).await?;
    must_manage(user, &c.community)?;
    let (lon, lat) = match (b.lon, b.lat) {
        (Some(lon), Some(lat)) => (lon, lat),
        _ => (c.lon, c.lat),
    };
    st.store
        .update_centre(
            id,
            &NewCentre {
                community: c.community,
                kind: c.kind,
                name: b.name,
                lead_department: c.lead_department.clone(),
                address: b.address,
                lon,
                lat,
                opening_hours: b.opening_hours,
            },
            &by(user),
        )
        .await
        .map_err(write_error)?;
    centre(st, id).await
}

pub async fn add_staff(
    st: &AppState,
    user: &User,
    centre_id: i64,
    s: StaffDraft,
) -> ApiResult<i64> {
    let c = centre(st, centre_id).await?;
    must_manage(user, &c.community)?;
    st.store
        .add_centre_staff(centre_id, s, &by(user))
        .await
        .map_err(write_error)
}

#[derive(Deserialize)]
pub struct AssessmentInput {
    pub lead_department: String,
    pub kind: String,
    pub name: String,
    pub points: i64,
    pub measure: String,
}

/// A lead department's assessment item: the department itself (or who answers for the city).
pub async fn add_assessment_item(st: &AppState, user: &User, b: AssessmentInput) -> ApiResult<i64> {
    if user
        .may(
            Action::ManageServiceCentres,
            &Target::Department(b.lead_department.clone()),
        )
        .is_err()
    {
        return Err(forbidden(
            "考核项目由牵头部门设置",
            "assessment items are set by the lead department",
        ));
    }
    let kind = CentreKind::parse(&b.kind)
        .ok_or_else(|| refused(ServicesError::UnknownKind(b.kind.clone())))?;
    st.store
        .add_assessment_item(
            &b.lead_department,
            kind,
            &b.name,
            b.points,
            &b.measure,
            &by(user),
        )
        .await
        .map_err(write_error)
}

#[derive(Deserialize)]
pub struct MenuInput {
    pub centre_id: i64,
    pub name: String,
    pub description: String,
    pub min_age: Option<u32>,
    pub max_age: Option<u32>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub weekdays: Vec<u8>,
    pub slots: Vec<String>,
    pub capacity: u32,
}

pub fn tags_of(raw: &[String]) -> ApiResult<Vec<HouseholdTag>> {
    raw.iter()
        .filter(|t| !t.trim().is_empty())
        .map(|t| {
            HouseholdTag::parse(t).ok_or_else(|| refused(ServicesError::UnknownTag(t.clone())))
        })
        .collect()
}

pub async fn create_menu_item(st: &AppState, user: &User, b: MenuInput) -> ApiResult<i64> {
    let c = centre(st, b.centre_id).await?;
    must_manage(user, &c.community)?;
    let slots = b
        .slots
        .iter()
        .map(|s| TimeSlot::parse(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(refused)?;
    let new = NewMenuItem {
        centre_id: b.centre_id,
        name: b.name,
        description: b.description,
        eligibility: Eligibility {
            min_age: b.min_age,
            max_age: b.max_age,
            any_tags: tags_of(&b.tags)?,
        },
        schedule: Schedule {
            weekdays: b.weekdays,
            slots,
            capacity: b.capacity,
        },
    };
    st.store
        .create_menu_item(&new, &by(user))
        .await
        .map_err(write_error)
}

pub async fn set_item_active(st: &AppState, user: &User, id: i64, active: bool) -> ApiResult<()> {
    let i = item(st, id).await?;
    must_manage(user, &i.community)?;
    st.store
        .set_menu_item_active(id, active, &by(user))
        .await
        .map_err(write_error)
}

/// Sets a household's tags: who keeps the population base of its grid.
pub async fn set_tags(
    st: &AppState,
    user: &User,
    household: i64,
    tags: &[String],
) -> ApiResult<Vec<HouseholdTag>> {
    let h = st
        .store
        .household(household)
        .await?
        .ok_or_else(|| not_found("住户", "household", household))?;
    user.may(Action::EditPopulation, &Target::Grid(h.grid))?;
    let tags = tags_of(tags)?;
    st.store
        .set_household_tags(household, &tags, &by(user))
        .await
        .map_err(write_error)
}

/// An order as typed: the item, day and slot, and who is served — nobody (a resident's own
/// account), a resident id (staff on a resident's behalf), or name and phone (no account).
#[derive(Deserialize, Default)]
pub struct OrderInput {
    pub item_id: i64,
    pub service_date: String,
    pub slot: String,
    pub resident_id: Option<i64>,
    pub name: Option<String>,
    pub phone: Option<String>,
}

#[derive(Serialize)]
pub struct Placed {
    pub order: OrderRow,
    /// Position on the waiting list when the slot was full.
    pub waiting_position: Option<u32>,
    /// The lookup code of an order placed without an account: shown once.
    pub lookup_code: Option<String>,
}

fn parse_day(raw: &str) -> ApiResult<Date> {
    Date::parse(raw.trim()).ok_or_else(|| {
        ApiError::bad_request(
            "service_date",
            format!("日期应为 YYYY-MM-DD：{raw}"),
            format!("a date must be YYYY-MM-DD: {raw}"),
        )
    })
}

/// Places an order for a resident of the item's community; `user` is `None` without an account.
pub async fn place_order(st: &AppState, user: Option<&User>, b: OrderInput) -> ApiResult<Placed> {
    let i = item(st, b.item_id).await?;
    let day = parse_day(&b.service_date)?;
    let slot = TimeSlot::parse(&b.slot).map_err(refused)?;
    let (resident, channel, placed_by, label) = match user {
        Some(u) if u.account.role == gongzhi_domain::access::Role::Resident => {
            u.may(Action::OrderService, &Target::Area(i.community))?;
            let (r, _) = st
                .store
                .linked_resident(u.account.id)
                .await?
                .ok_or_else(|| refused(ServicesError::AccountNotLinked))?;
            (r, OrderChannel::Account, Some(u.account.id), by(u))
        }
        Some(u) => {
            let r = match b.resident_id {
                Some(r) => r,
                None => by_name_phone(st, &i.community, &b).await?,
            };
            let row = st
                .store
                .resident(r)
                .await?
                .ok_or_else(|| refused(ServicesError::UnknownResident))?;
            u.may(Action::OrderService, &Target::Grid(row.grid))?;
            (r, OrderChannel::Staff, Some(u.account.id), by(u))
        }
        None => {
            let r = by_name_phone(st, &i.community, &b).await?;
            let label = EventActor {
                account_id: None,
                name: "居民（查询码）".into(),
            };
            (r, OrderChannel::Lookup, None, label)
        }
    };
    let code = (channel == OrderChannel::Lookup).then(random_lookup_code);
    let new = NewOrder {
        item_id: i.id,
        resident_id: resident,
        service_date: day,
        slot,
        channel,
        placed_by,
        lookup_code: code.clone(),
    };
    let (id, placement) = st
        .store
        .place_order(&new, today(), now_millis(), &label)
        .await
        .map_err(write_error)?;
    Ok(Placed {
        order: order(st, id).await?,
        waiting_position: match placement {
            Placement::Waiting(n) => Some(n),
            Placement::InSlot => None,
        },
        lookup_code: code,
    })
}

/// The resident of `community` named by the order's name and phone.
async fn by_name_phone(st: &AppState, community: &AreaCode, b: &OrderInput) -> ApiResult<i64> {
    let name = b.name.as_deref().unwrap_or_default().trim().to_string();
    if name.is_empty() {
        return Err(refused(ServicesError::Blank("contact_name")));
    }
    let phone = Phone::parse(b.phone.as_deref().unwrap_or_default())
        .map_err(|e| ApiError::invalid("phone", &e))?;
    st.store
        .resident_by_name_phone(community, &name, &phone)
        .await?
        .ok_or_else(|| refused(ServicesError::UnknownResident))
}

pub async fn order(st: &AppState, id: i64) -> ApiResult<OrderRow> {
    st.store
        .service_order(id)
        .await?
        .ok_or_else(|| not_found("服务订单", "order", id))
}

/// Is `o` the caller's own order (it placed it, or it is the resident served)?
pub async fn is_own(st: &AppState, user: &User, o: &OrderRow) -> ApiResult<bool> {
    let linked = st
        .store
        .linked_resident(user.account.id)
        .await?
        .map(|(r, _)| r);
    Ok(is_own_order(
        o.placed_by,
        o.resident_id,
        user.account.id,
        linked,
    ))
}

/// An order the caller may see: its own, or one of the place its lists show; else 404.
pub async fn visible_order(st: &AppState, user: &User, id: i64) -> ApiResult<OrderRow> {
    let o = order(st, id).await?;
    let s = super::seen(user)?;
    let inside = match (&s.place.area, &s.place.lead_department) {
        _ if s.mine.is_some() => is_own(st, user, &o).await?,
        (Some(a), _) => o.community.as_str().starts_with(crate_prefix(a)),
        (None, Some(d)) => &o.lead_department == d,
        (None, None) => true,
    };
    if inside {
        Ok(o)
    } else {
        Err(not_found("服务订单", "order", id))
    }
}

fn crate_prefix(a: &AreaCode) -> &str {
    let s = a.as_str();
    let n = match a.level() {
        gongzhi_domain::codes::AreaLevel::Province => 2,
        gongzhi_domain::codes::AreaLevel::City => 4,
        gongzhi_domain::codes::AreaLevel::District => 6,
        gongzhi_domain::codes::AreaLevel::Street => 9,
        gongzhi_domain::codes::AreaLevel::Community => 12,
    };
    &s[..n]
}

/// Cancels an order: its own resident, or the community's centre staff.
pub async fn cancel(st: &AppState, user: &User, id: i64) -> ApiResult<Option<i64>> {
    let o = visible_order(st, user, id).await?;
    if !fulfils(user, &o.community) && !is_own(st, user, &o).await? {
        return Err(refused(ServicesError::NotYours));
    }
    st.store
        .cancel_order(id, now_millis(), &by(user))
        .await
        .map_err(write_error)
}

#[derive(Deserialize)]
pub struct AssignInput {
    pub assignee_name: String,
    pub provider_id: Option<i64>,
    pub scheduled_at: String,
}

pub async fn assign(st: &AppState, user: &User, id: i64, b: AssignInput) -> ApiResult<()> {
    let o = visible_order(st, user, id).await?;
    must_fulfil(user, &o.community)?;
    st.store
        .assign_order(
            id,
            &b.assignee_name,
            b.provider_id,
            &b.scheduled_at,
            now_millis(),
            &by(user),
        )
        .await
        .map_err(write_error)
}

/// The completion photo of an order the caller may see: its type and bytes.
pub async fn order_photo(st: &AppState, user: &User, id: i64) -> ApiResult<(String, Vec<u8>)> {
    let o = visible_order(st, user, id).await?;
    let not_found = || not_found("服务照片", "service photo", id);
    let (path, mime) = o.photo.ok_or_else(not_found)?;
    let bytes = tokio::fs::read(st.data_dir.join(&path))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, path = %path, "reading a service photo");
            not_found()
        })?;
    Ok((mime, bytes))
}

/// Completes an assigned order with notes and an optional photo (stored like a case's).
pub async fn complete(
    st: &AppState,
    user: &User,
    id: i64,
    notes: &str,
    photo: Option<&[u8]>,
) -> ApiResult<()> {
    let o = visible_order(st, user, id).await?;
    must_fulfil(user, &o.community)?;
    if o.state != OrderState::Assigned {
        return Err(refused(ServicesError::WrongState {
            state: o.state,
            action: "complete",
        }));
    }
    let written = match photo {
        Some(bytes) => Some(crate::cases::photos::write_into(st, "photos/services", bytes).await?),
        None => None,
    };
    let p = written
        .as_ref()
        .map(|(p, _)| (p.path.as_str(), p.mime.as_str(), p.sha256.as_str()));
    let done = st
        .store
        .complete_order(id, notes, p, now_millis(), &by(user))
        .await;
    if let Err(e) = done {
        if let Some(w) = &written {
            crate::cases::photos::take_back(st, std::slice::from_ref(w)).await;
        }
        return Err(write_error(e));
    }
    Ok(())
}

/// The resident's rating of their own completed order.
pub async fn rate(st: &AppState, user: &User, id: i64, rating: &str) -> ApiResult<()> {
    let o = visible_order(st, user, id).await?;
    if !is_own(st, user, &o).await? {
        return Err(refused(ServicesError::NotYours));
    }
    let s = parse_rating(rating)?;
    st.store
        .rate_order(id, s, now_millis(), &by(user))
        .await
        .map_err(write_error)
}

pub fn parse_rating(raw: &str) -> ApiResult<Satisfaction> {
    Satisfaction::parse(raw).ok_or_else(|| {
        ApiError::bad_request(
            "rating",
            format!("“{raw}”不是评价，可选：满意、基本满意、不满意"),
            format!("'{raw}' is not a rating: satisfied, basically_satisfied or unsatisfied"),
        )
    })
}

/// The order of a lookup code (throttled per address like a case's lookup).
pub async fn order_by_code(st: &AppState, ip: std::net::IpAddr, code: &str) -> ApiResult<OrderRow> {
    st.throttle.lookup.take(ip)?;
    match st.store.service_order_by_lookup(code).await? {
        Some(o) => {
            st.throttle.lookup.give_back(ip);
            Ok(o)
        }
        None => Err(ApiError::not_found(
            "查询码对应的服务订单",
            "no order for that lookup code",
        )),
    }
}

/// A lookup code like a case report's.
fn random_lookup_code() -> String {
    let mut bytes = [0u8; gongzhi_domain::case::LOOKUP_CODE_BYTES];
    getrandom::fill(&mut bytes).expect("operating system random source");
    gongzhi_domain::case::lookup_code_from_bytes(bytes)
}

fn public_actor() -> EventActor {
    EventActor {
        account_id: None,
        name: "居民（查询码）".into(),
    }
}

/// Cancel or rate by lookup code: the holder of the code is the order's resident.
pub async fn cancel_by_code(
    st: &AppState,
    ip: std::net::IpAddr,
    code: &str,
) -> ApiResult<OrderRow> {
    let o = order_by_code(st, ip, code).await?;
    st.store
        .cancel_order(o.id, now_millis(), &public_actor())
        .await
        .map_err(write_error)?;
    order(st, o.id).await
}

pub async fn rate_by_code(
    st: &AppState,
    ip: std::net::IpAddr,
    code: &str,
    rating: &str,
) -> ApiResult<OrderRow> {
    let o = order_by_code(st, ip, code).await?;
    let s = parse_rating(rating)?;
    st.store
        .rate_order(o.id, s, now_millis(), &public_actor())
        .await
        .map_err(write_error)?;
    order(st, o.id).await
}

#[derive(Deserialize)]
pub struct ProviderInput {
    pub centre_id: i64,
    pub kind: String,
    pub name: String,
    pub offer: String,
}

pub async fn create_provider(st: &AppState, user: &User, b: ProviderInput) -> ApiResult<i64> {
    let c = centre(st, b.centre_id).await?;
    must_manage(user, &c.community)?;
    st.store
        .create_provider(b.centre_id, &b.kind, &b.name, &b.offer, &by(user))
        .await
        .map_err(write_error)
}

#[derive(Deserialize)]
pub struct HoursInput {
    pub served_on: Option<String>,
    pub minutes: i64,
    #[serde(default)]
    pub note: String,
}

/// Centre staff confirm a provider's service hours.
pub async fn confirm_hours(
    st: &AppState,
    user: &User,
    provider: i64,
    b: HoursInput,
) -> ApiResult<i64> {
    let p = st
        .store
        .service_providers(&Default::default(), None)
        .await?
        .into_iter()
        .find(|p| p.id == provider)
        .ok_or_else(|| not_found("服务提供者", "provider", provider))?;
    must_fulfil(user, &p.community)?;
    let day = match b
        .served_on
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(s) => parse_day(s)?,
        None => today(),
    };
    st.store
        .confirm_provider_hours(provider, day, b.minutes, &b.note, &by(user))
        .await
        .map_err(write_error)
}
