//! `/api/v1/party/…` and `/api/v1/compounds`: the JSON side of the party organisation.

use super::ops::{self, *};
use super::view::{self, OrgNode, UnitView};
use super::{compound_area, narrowed, party_area, sees};
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use gongzhi_domain::party::find::RegistrationState;
use gongzhi_domain::party::units::Coverage;
use gongzhi_domain::party::{MemberStatus, UnitKind};
use gongzhi_store::party::{
    CompoundFilter, CompoundFindCount, CompoundRow, MatchRow, MemberFilter, MemberRow,
    PartyResidentFilter, PartyResidentRow, RegistrationFilter, RegistrationRow, TransferRow,
    UnitFilter,
};
use gongzhi_store::{CommunityCheckInRow, Page};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/party/orgs", get(list_orgs).post(create_org))
        .route("/api/v1/party/orgs.xlsx", get(super::export::orgs))
        .route("/api/v1/party/orgs/{id}", get(get_org).put(put_org))
        .route("/api/v1/party/orgs/{id}/dissolve", post(dissolve))
        .route(
            "/api/v1/party/members",
            get(list_members).post(create_member),
        )
        .route("/api/v1/party/members.xlsx", get(super::export::members))
        .route("/api/v1/party/members/{id}", get(get_member))
        .route("/api/v1/party/members/{id}/transfer", post(transfer_member))
        .route("/api/v1/party/members/{id}/full", post(full_member))
        .route("/api/v1/party/members/{id}/leave", post(leave_member))
        .route(
            "/api/v1/party/members/{id}/checkins",
            post(link_member_checkin),
        )
        .route("/api/v1/party/units", get(list_units).post(create_unit))
        .route("/api/v1/party/units.xlsx", get(super::export::units))
        .route("/api/v1/party/units/{id}", put(put_unit))
        .route(
            "/api/v1/party/registrations",
            get(list_registrations).post(create_registration),
        )
        .route(
            "/api/v1/party/registrations/{id}/matches",
            get(registration_matches),
        )
        .route("/api/v1/party/registrations/{id}/confirm", post(confirm))
        .route("/api/v1/party/registrations/{id}/decline", post(decline))
        .route("/api/v1/party/found", get(list_found).post(create_found))
        .route("/api/v1/party/find-counts", get(find_counts))
        .route(
            "/api/v1/compounds",
            get(list_compounds).post(create_compound),
        )
        .route("/api/v1/compounds.xlsx", get(super::export::compounds))
        .route("/api/v1/compounds/{id}", get(get_compound))
}

#[derive(Deserialize, Default)]
pub struct AreaQuery {
    pub area: Option<String>,
    #[serde(default)]
    pub include_dissolved: bool,
}

async fn list_orgs(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<AreaQuery>,
) -> ApiResult<Json<Vec<OrgNode>>> {
    let area = narrowed(&user, q.area.as_deref())?;
    Ok(Json(view::tree(&st, area, q.include_dissolved).await?))
}

/// One organisation: itself in the tree (its size and warnings), the organisations under it.
#[derive(Serialize)]
pub struct OrgDetail {
    #[serde(flatten)]
    pub node: OrgNode,
    pub children: Vec<OrgNode>,
}

pub async fn org_detail(st: &AppState, user: &crate::auth::User, id: i64) -> ApiResult<OrgDetail> {
    let own = ops::org_of(st, user, id).await?;
    let nodes = view::tree(st, Some(own.record.area), true).await?;
    // The subtree starting at `id`, in reading order.
    let start = nodes.iter().position(|n| n.row.id == id);
    let mut children = Vec::new();
    let mut node = None;
    if let Some(i) = start {
        let depth = nodes[i].depth;
        node = Some(nodes[i].clone());
        for n in nodes.iter().skip(i + 1) {
            if n.depth <= depth {
                break;
            }
            children.push(n.clone());
        }
    }
    let node = match node {
        Some(n) => n,
        None => view::nodes(vec![own], &super::rules(st).await?).remove(0),
    };
    Ok(OrgDetail { node, children })
}

async fn get_org(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<OrgDetail>> {
    Ok(Json(org_detail(&st, &user, id).await?))
}

async fn create_org(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<OrgBody>,
) -> ApiResult<(StatusCode, Json<OrgDetail>)> {
    let id = ops::add_org(&st, &user, &b).await?;
    Ok((StatusCode::CREATED, Json(org_detail(&st, &user, id).await?)))
}

async fn put_org(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<OrgBody>,
) -> ApiResult<Json<OrgDetail>> {
    ops::update_org(&st, &user, id, &b).await?;
    Ok(Json(org_detail(&st, &user, id).await?))
}

async fn dissolve(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<OnBody>,
) -> ApiResult<Json<OrgDetail>> {
    ops::dissolve_org(&st, &user, id, &b).await?;
    Ok(Json(org_detail(&st, &user, id).await?))
}

#[derive(Deserialize, Default, Clone)]
pub struct MemberQuery {
    pub area: Option<String>,
    pub org: Option<i64>,
    pub compound: Option<i64>,
    pub status: Option<String>,
    pub q: Option<String>,
    #[serde(default)]
    pub in_service: bool,
    #[serde(default)]
    pub include_left: bool,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

pub fn member_filter(user: &crate::auth::User, q: &MemberQuery) -> ApiResult<MemberFilter> {
    let per_page = q.per_page.unwrap_or(50).clamp(1, 500);
    let page = q.page.unwrap_or(1).max(1);
    Ok(MemberFilter {
        area: narrowed(user, q.area.as_deref())?,
        org: q.org,
        compound: q.compound,
        status: match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(MemberStatus::parse(s).ok_or_else(|| {
                ApiError::bad_request(
                    "status",
                    format!("未知的党员类别：{s}"),
                    format!("unknown status: {s}"),
                )
            })?),
        },
        name: q.q.clone(),
        in_service: q.in_service,
        include_left: q.include_left,
        page: Page {
            offset: (page - 1).saturating_mul(per_page),
            limit: per_page,
        },
    })
}

#[derive(Serialize)]
pub struct MemberList {
    pub total: i64,
    pub items: Vec<MemberRow>,
}

async fn list_members(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<MemberQuery>,
) -> ApiResult<Json<MemberList>> {
    let f = member_filter(&user, &q)?;
    Ok(Json(MemberList {
        total: st.store.count_members(&f).await?,
        items: st.store.members(&f).await?,
    }))
}

/// A member with their transfers and check-ins.
#[derive(Serialize)]
pub struct MemberDetail {
    #[serde(flatten)]
    pub member: MemberRow,
    pub transfers: Vec<TransferRow>,
    pub checkins: Vec<CommunityCheckInRow>,
}

pub async fn member_detail(
    st: &AppState,
    user: &crate::auth::User,
    id: i64,
) -> ApiResult<MemberDetail> {
    let member = ops::member_of(st, user, id).await?;
    Ok(MemberDetail {
        transfers: st.store.member_transfers(id).await?,
        checkins: st.store.member_checkins(id).await?,
        member,
    })
}

async fn get_member(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<MemberDetail>> {
    Ok(Json(member_detail(&st, &user, id).await?))
}

async fn create_member(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<MemberBody>,
) -> ApiResult<(StatusCode, Json<MemberDetail>)> {
    let id = ops::add_member(&st, &user, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(member_detail(&st, &user, id).await?),
    ))
}

async fn transfer_member(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<TransferBody>,
) -> ApiResult<Json<MemberDetail>> {
    ops::transfer(&st, &user, id, &b).await?;
    Ok(Json(member_detail(&st, &user, id).await?))
}

async fn full_member(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<OnBody>,
) -> ApiResult<Json<MemberDetail>> {
    ops::make_full(&st, &user, id, &b).await?;
    Ok(Json(member_detail(&st, &user, id).await?))
}

async fn leave_member(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<OnBody>,
) -> ApiResult<Json<MemberDetail>> {
    ops::leave(&st, &user, id, &b).await?;
    Ok(Json(member_detail(&st, &user, id).await?))
}

async fn link_member_checkin(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<LinkBody>,
) -> ApiResult<Json<MemberDetail>> {
    ops::link_checkin(&st, &user, id, &b).await?;
    Ok(Json(member_detail(&st, &user, id).await?))
}

#[derive(Deserialize, Default, Clone)]
pub struct UnitQuery {
    pub area: Option<String>,
    pub kind: Option<String>,
    pub covered: Option<bool>,
}

pub fn unit_filter(user: &crate::auth::User, q: &UnitQuery) -> ApiResult<UnitFilter> {
    Ok(UnitFilter {
        area: narrowed(user, q.area.as_deref())?,
        kind: match q.kind.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(UnitKind::parse(s).ok_or_else(|| {
                ApiError::bad_request(
                    "kind",
                    format!("未知的单位类型：{s}"),
                    format!("unknown unit kind: {s}"),
                )
            })?),
        },
        covered: q.covered,
    })
}

#[derive(Serialize)]
pub struct UnitList {
    pub items: Vec<UnitView>,
    /// Per community, then the total (`community` null).
    pub coverage: Vec<Coverage>,
}

async fn list_units(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<UnitQuery>,
) -> ApiResult<Json<UnitList>> {
    let f = unit_filter(&user, &q)?;
    let (items, coverage) = view::units(&st, &f).await?;
    Ok(Json(UnitList { items, coverage }))
}

async fn unit_view(st: &AppState, id: i64) -> ApiResult<UnitView> {
    let row = st
        .store
        .unit(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("单位 {id}"), format!("unit {id}")))?;
    let (mut items, _) = view::units(
        st,
        &UnitFilter {
            area: Some(row.record.community),
            ..Default::default()
        },
    )
    .await?;
    let i = items
        .iter()
        .position(|u| u.row.id == id)
        .ok_or_else(|| ApiError::not_found(format!("单位 {id}"), format!("unit {id}")))?;
    Ok(items.swap_remove(i))
}

async fn create_unit(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<UnitBody>,
) -> ApiResult<(StatusCode, Json<UnitView>)> {
    let id = ops::add_unit(&st, &user, &b).await?;
    Ok((StatusCode::CREATED, Json(unit_view(&st, id).await?)))
}

async fn put_unit(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<UnitBody>,
) -> ApiResult<Json<UnitView>> {
    ops::update_unit(&st, &user, id, &b).await?;
    Ok(Json(unit_view(&st, id).await?))
}

#[derive(Deserialize, Default)]
pub struct RegistrationQuery {
    pub area: Option<String>,
    pub state: Option<String>,
}

/// The community's registrations; a caller who keeps no party records sees their own.
pub async fn registrations_for(
    st: &AppState,
    user: &crate::auth::User,
    q: &RegistrationQuery,
) -> ApiResult<Vec<RegistrationRow>> {
    let state = match q.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(RegistrationState::parse(s).ok_or_else(|| {
            ApiError::bad_request(
                "state",
                format!("未知的状态：{s}"),
                format!("unknown state: {s}"),
            )
        })?),
    };
    let f = match party_area(user) {
        Ok(_) => RegistrationFilter {
            area: narrowed(user, q.area.as_deref())?,
            state,
            account: None,
        },
        Err(_) => RegistrationFilter {
            area: None,
            state,
            account: Some(user.account.id),
        },
    };
    Ok(st.store.registrations(&f).await?)
}

async fn list_registrations(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<RegistrationQuery>,
) -> ApiResult<Json<Vec<RegistrationRow>>> {
    Ok(Json(registrations_for(&st, &user, &q).await?))
}

async fn create_registration(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<RegistrationBody>,
) -> ApiResult<(StatusCode, Json<RegistrationRow>)> {
    let id = ops::register(&st, &user, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(ops::registration_of(&st, &user, id).await?),
    ))
}

async fn registration_matches(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<MatchRow>>> {
    let r = ops::registration_of(&st, &user, id).await?;
    if !sees(&user, &r.record.community) {
        return Err(ApiError::not_found(
            format!("登记 {id}"),
            format!("registration {id}"),
        ));
    }
    Ok(Json(st.store.registration_matches(&r.record).await?))
}

async fn confirm(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<ConfirmBody>,
) -> ApiResult<Json<RegistrationRow>> {
    ops::confirm_registration(&st, &user, id, &b).await?;
    Ok(Json(ops::registration_of(&st, &user, id).await?))
}

async fn decline(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<RegistrationRow>> {
    ops::decline_registration(&st, &user, id).await?;
    Ok(Json(ops::registration_of(&st, &user, id).await?))
}

#[derive(Deserialize, Default, Clone)]
pub struct FoundQuery {
    pub area: Option<String>,
    pub compound: Option<i64>,
    /// `false` (default): residents still to be found; `true`: those on record too.
    #[serde(default)]
    pub all: bool,
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[derive(Serialize)]
pub struct FoundList {
    pub total: i64,
    pub items: Vec<PartyResidentRow>,
}

pub async fn found_for(
    st: &AppState,
    user: &crate::auth::User,
    q: &FoundQuery,
) -> ApiResult<FoundList> {
    let per_page = q.per_page.unwrap_or(50).clamp(1, 500);
    let page = q.page.unwrap_or(1).max(1);
    let f = PartyResidentFilter {
        area: narrowed(user, q.area.as_deref())?,
        compound: q.compound,
        registered: (!q.all).then_some(false),
        name: q.q.clone(),
        page: Page {
            offset: (page - 1).saturating_mul(per_page),
            limit: per_page,
        },
    };
    Ok(FoundList {
        total: st.store.count_party_residents(&f).await?,
        items: st.store.party_residents(&f).await?,
    })
}

async fn list_found(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<FoundQuery>,
) -> ApiResult<Json<FoundList>> {
    Ok(Json(found_for(&st, &user, &q).await?))
}

async fn create_found(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<FoundBody>,
) -> ApiResult<(StatusCode, Json<MemberDetail>)> {
    let id = ops::confirm_found(&st, &user, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(member_detail(&st, &user, id).await?),
    ))
}

async fn find_counts(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<AreaQuery>,
) -> ApiResult<Json<Vec<CompoundFindCount>>> {
    let area = narrowed(&user, q.area.as_deref())?;
    Ok(Json(st.store.compound_find_counts(area.as_ref()).await?))
}

#[derive(Deserialize, Default, Clone)]
pub struct CompoundQuery {
    pub area: Option<String>,
    pub q: Option<String>,
}

pub fn compound_filter(user: &crate::auth::User, q: &CompoundQuery) -> ApiResult<CompoundFilter> {
    let own = compound_area(user)?;
    let area = match q.area.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => own,
        Some(s) => {
            let a = crate::http::api_geo::parse_area("area", s)?;
            if own.is_some_and(|o| !o.contains(&a)) {
                return Err(super::forbidden(
                    "所选区划不在您的管辖范围内",
                    "the chosen area is outside yours",
                ));
            }
            Some(a)
        }
    };
    Ok(CompoundFilter {
        area,
        name: q.q.clone(),
    })
}

async fn list_compounds(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<CompoundQuery>,
) -> ApiResult<Json<Vec<CompoundRow>>> {
    let f = compound_filter(&user, &q)?;
    Ok(Json(st.store.compounds(&f).await?))
}

/// A compound with its buildings' codes.
#[derive(Serialize)]
pub struct CompoundDetail {
    #[serde(flatten)]
    pub compound: CompoundRow,
    pub building_codes: Vec<String>,
}

pub async fn compound_detail(
    st: &AppState,
    user: &crate::auth::User,
    id: i64,
) -> ApiResult<CompoundDetail> {
    let own = compound_area(user)?;
    let compound = st
        .store
        .compound(id)
        .await?
        .filter(|c| own.is_none_or(|a| a.contains(&c.record.community)))
        .ok_or_else(|| ApiError::not_found(format!("小区 {id}"), format!("compound {id}")))?;
    Ok(CompoundDetail {
        building_codes: st.store.compound_buildings(id).await?,
        compound,
    })
}

async fn get_compound(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<CompoundDetail>> {
    Ok(Json(compound_detail(&st, &user, id).await?))
}

async fn create_compound(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<CompoundBody>,
) -> ApiResult<(StatusCode, Json<CompoundDetail>)> {
    let (id, created) = ops::upsert_compound(&st, &user, &b).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(compound_detail(&st, &user, id).await?)))
}
