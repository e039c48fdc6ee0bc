//! Each change the pages and the API make, one function each: parse the body into the domain's
//! record, check it, authorise it against the record's area, write it through the store.

use super::{date_field, forbidden, invalid, keeps, required_date, sees, today};
use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::http::api_geo::{parse_area, parse_grid};
use crate::state::AppState;
use gongzhi_domain::codes::Phone;
use gongzhi_domain::party::find::Registration;
use gongzhi_domain::party::{
    Compound, MemberStatus, OrgKind, OrgLevel, PartyMember, PartyOrg, Transfer, Unit, UnitKind,
};
use gongzhi_store::party::{CompoundUpsert, MemberRow, OrgRow, RegistrationRow};
use serde::Deserialize;

fn unknown<T: Copy>(
    field: &'static str,
    v: &str,
    all: &[T],
    zh: fn(T) -> &'static str,
) -> ApiError {
    invalid(gongzhi_domain::party::PartyError::Unknown(
        field,
        v.chars().take(30).collect(),
        all.iter().map(|x| zh(*x)).collect::<Vec<_>>().join("、"),
    ))
}

fn level(v: &str) -> ApiResult<OrgLevel> {
    OrgLevel::parse(v).ok_or_else(|| unknown("level", v, OrgLevel::ALL, OrgLevel::zh))
}

fn kind(v: &str) -> ApiResult<OrgKind> {
    OrgKind::parse(v).ok_or_else(|| unknown("kind", v, OrgKind::ALL, OrgKind::zh))
}

fn status(v: &str) -> ApiResult<MemberStatus> {
    MemberStatus::parse(v).ok_or_else(|| unknown("status", v, MemberStatus::ALL, MemberStatus::zh))
}

fn unit_kind(v: &str) -> ApiResult<UnitKind> {
    UnitKind::parse(v).ok_or_else(|| unknown("kind", v, UnitKind::ALL, UnitKind::zh))
}

fn phone(v: Option<&str>) -> ApiResult<Option<Phone>> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Phone::parse(s)
            .map(Some)
            .map_err(|e| ApiError::invalid("phone", &e)),
    }
}

fn opt_text(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// An organisation the caller sees, else 404.
pub async fn org_of(st: &AppState, user: &User, id: i64) -> ApiResult<OrgRow> {
    st.store
        .org(id)
        .await?
        .filter(|o| sees(user, &o.record.area))
        .ok_or_else(|| {
            ApiError::not_found(format!("党组织 {id}"), format!("party organisation {id}"))
        })
}

/// A member the caller sees (by residence or by organisation), else 404.
pub async fn member_of(st: &AppState, user: &User, id: i64) -> ApiResult<MemberRow> {
    let m = st.store.member(id).await?;
    let Some(m) = m else {
        return Err(ApiError::not_found(
            format!("党员 {id}"),
            format!("party member {id}"),
        ));
    };
    if sees(user, &m.record.community) {
        return Ok(m);
    }
    if let Some(o) = m.record.org
        && let Some(org) = st.store.org(o).await?
        && sees(user, &org.record.area)
    {
        return Ok(m);
    }
    Err(ApiError::not_found(
        format!("党员 {id}"),
        format!("party member {id}"),
    ))
}

#[derive(Deserialize, Default)]
pub struct OrgBody {
    pub name: String,
    pub level: String,
    pub kind: String,
    pub parent: Option<i64>,
    pub area: String,
    pub grid: Option<String>,
    pub compound: Option<i64>,
    #[serde(default)]
    pub has_committee: bool,
    pub founded_on: Option<String>,
}

fn org_record(b: &OrgBody) -> ApiResult<PartyOrg> {
    PartyOrg {
        name: b.name.clone(),
        level: level(&b.level)?,
        kind: kind(&b.kind)?,
        parent: b.parent,
        area: parse_area("area", &b.area)?,
        grid: opt_text(&b.grid)
            .map(|g| parse_grid("grid", g))
            .transpose()?,
        compound: b.compound,
        has_committee: b.has_committee,
        founded_on: date_field("founded_on", b.founded_on.as_deref())?.unwrap_or_else(today),
        dissolved_on: None,
    }
    .checked()
    .map_err(invalid)
}

/// The parent must be one the caller sees (or one enclosing its area, as the tree shows).
async fn check_parent_visible(st: &AppState, user: &User, parent: Option<i64>) -> ApiResult<()> {
    if let Some(p) = parent {
        let row = st.store.org(p).await?;
        let visible = row.as_ref().is_some_and(|o| {
            sees(user, &o.record.area)
                || super::party_area(user)
                    .is_ok_and(|a| a.is_some_and(|a| o.record.area.contains(&a)))
        });
        if !visible {
            return Err(ApiError::bad_request(
                "parent",
                format!("没有编号为 {p} 的上级党组织"),
                format!("no parent organisation {p}"),
            ));
        }
    }
    Ok(())
}

pub async fn add_org(st: &AppState, user: &User, b: &OrgBody) -> ApiResult<i64> {
    let o = org_record(b)?;
    keeps(user, &o.area)?;
    check_parent_visible(st, user, o.parent).await?;
    Ok(st.store.create_org(&o, &user.actor()).await?)
}

pub async fn update_org(st: &AppState, user: &User, id: i64, b: &OrgBody) -> ApiResult<()> {
    let before = org_of(st, user, id).await?;
    keeps(user, &before.record.area)?;
    let o = org_record(b)?;
    keeps(user, &o.area)?;
    check_parent_visible(st, user, o.parent).await?;
    Ok(st.store.update_org(id, &o, &user.actor()).await?)
}

#[derive(Deserialize, Default)]
pub struct OnBody {
    pub on: Option<String>,
}

pub async fn dissolve_org(st: &AppState, user: &User, id: i64, b: &OnBody) -> ApiResult<()> {
    let o = org_of(st, user, id).await?;
    keeps(user, &o.record.area)?;
    let on = date_field("on", b.on.as_deref())?.unwrap_or_else(today);
    Ok(st.store.dissolve_org(id, on, &user.actor()).await?)
}

#[derive(Deserialize, Default)]
pub struct MemberBody {
    pub name: String,
    pub gender: String,
    pub birth_date: Option<String>,
    pub status: String,
    pub joined_on: Option<String>,
    pub full_on: Option<String>,
    pub org: Option<i64>,
    pub resident: Option<i64>,
    pub community: String,
    pub workplace: Option<String>,
    pub phone: Option<String>,
}

pub async fn add_member(st: &AppState, user: &User, b: &MemberBody) -> ApiResult<i64> {
    let m = PartyMember {
        name: b.name.clone(),
        gender: b.gender.clone(),
        birth_date: date_field("birth_date", b.birth_date.as_deref())?,
        status: status(&b.status)?,
        joined_on: required_date("joined_on", b.joined_on.as_deref())?,
        full_on: date_field("full_on", b.full_on.as_deref())?,
        org: b.org,
        resident: b.resident,
        household: None,
        community: parse_area("community", &b.community)?,
        workplace: b.workplace.clone(),
        phone: phone(b.phone.as_deref())?,
        left_on: None,
    }
    .checked()
    .map_err(invalid)?;
    keeps(user, &m.community)?;
    if let Some(o) = m.org {
        org_of(st, user, o).await.map_err(|_| {
            ApiError::bad_request(
                "org",
                format!("没有编号为 {o} 的党组织"),
                format!("no organisation {o}"),
            )
        })?;
    }
    Ok(st.store.create_member(&m, &user.actor()).await?)
}

#[derive(Deserialize, Default)]
pub struct TransferBody {
    pub to: i64,
    pub on: Option<String>,
    pub reason: String,
}

pub async fn transfer(st: &AppState, user: &User, id: i64, b: &TransferBody) -> ApiResult<i64> {
    let m = member_of(st, user, id).await?;
    keeps(user, &m.record.community)?;
    org_of(st, user, b.to).await.map_err(|_| {
        ApiError::bad_request(
            "to",
            format!("没有编号为 {} 的党组织", b.to),
            format!("no organisation {}", b.to),
        )
    })?;
    let t = Transfer {
        member: id,
        from: m.record.org,
        to: b.to,
        on: date_field("on", b.on.as_deref())?.unwrap_or_else(today),
        reason: b.reason.clone(),
    };
    Ok(st.store.transfer_member(&t, &user.actor()).await?)
}

pub async fn make_full(st: &AppState, user: &User, id: i64, b: &OnBody) -> ApiResult<()> {
    let m = member_of(st, user, id).await?;
    keeps(user, &m.record.community)?;
    let on = date_field("on", b.on.as_deref())?.unwrap_or_else(today);
    Ok(st.store.make_member_full(id, on, &user.actor()).await?)
}

pub async fn leave(st: &AppState, user: &User, id: i64, b: &OnBody) -> ApiResult<()> {
    let m = member_of(st, user, id).await?;
    keeps(user, &m.record.community)?;
    let on = date_field("on", b.on.as_deref())?.unwrap_or_else(today);
    Ok(st.store.member_leaves(id, on, &user.actor()).await?)
}

#[derive(Deserialize, Default)]
pub struct LinkBody {
    pub checkin: i64,
}

pub async fn link_checkin(st: &AppState, user: &User, id: i64, b: &LinkBody) -> ApiResult<()> {
    let m = member_of(st, user, id).await?;
    keeps(user, &m.record.community)?;
    Ok(st.store.link_checkin(b.checkin, id, &user.actor()).await?)
}

#[derive(Deserialize, Default)]
pub struct UnitBody {
    pub name: String,
    pub kind: String,
    pub community: String,
    pub grid: Option<String>,
    pub address: String,
    #[serde(default)]
    pub employees: i64,
    pub org: Option<i64>,
}

fn unit_record(b: &UnitBody) -> ApiResult<Unit> {
    Unit {
        name: b.name.clone(),
        kind: unit_kind(&b.kind)?,
        community: parse_area("community", &b.community)?,
        grid: opt_text(&b.grid)
            .map(|g| parse_grid("grid", g))
            .transpose()?,
        address: b.address.clone(),
        employees: b.employees,
        org: b.org,
    }
    .checked()
    .map_err(invalid)
}

pub async fn add_unit(st: &AppState, user: &User, b: &UnitBody) -> ApiResult<i64> {
    let u = unit_record(b)?;
    keeps(user, &u.community)?;
    if let Some(o) = u.org {
        org_of(st, user, o).await?;
    }
    Ok(st.store.create_unit(&u, &user.actor()).await?)
}

pub async fn update_unit(st: &AppState, user: &User, id: i64, b: &UnitBody) -> ApiResult<()> {
    let before = st
        .store
        .unit(id)
        .await?
        .filter(|u| sees(user, &u.record.community))
        .ok_or_else(|| ApiError::not_found(format!("单位 {id}"), format!("unit {id}")))?;
    keeps(user, &before.record.community)?;
    let u = unit_record(b)?;
    keeps(user, &u.community)?;
    if let Some(o) = u.org {
        org_of(st, user, o).await?;
    }
    Ok(st.store.update_unit(id, &u, &user.actor()).await?)
}

#[derive(Deserialize, Default)]
pub struct CompoundBody {
    pub code: String,
    pub name: String,
    pub community: String,
    pub address: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub property_company: Option<String>,
    #[serde(default)]
    pub buildings: Vec<String>,
}

/// Creates or updates a compound: the community's party organisation or its population
/// keepers.
pub async fn upsert_compound(
    st: &AppState,
    user: &User,
    b: &CompoundBody,
) -> ApiResult<(i64, bool)> {
    let c = Compound {
        code: b.code.clone(),
        name: b.name.clone(),
        community: parse_area("community", &b.community)?,
        address: b.address.clone(),
        lon: b.lon,
        lat: b.lat,
        property_company: b.property_company.clone(),
    }
    .checked()
    .map_err(invalid)?;
    let target = gongzhi_domain::access::Target::Area(c.community);
    if user
        .may(gongzhi_domain::access::Action::ManagePartyOrg, &target)
        .is_err()
        && user
            .may(gongzhi_domain::access::Action::ImportPopulation, &target)
            .is_err()
    {
        return Err(forbidden(
            "只有该社区的党组织或人口库维护人员可以登记小区",
            "only the community's party organisation or population keepers record compounds",
        ));
    }
    Ok(st
        .store
        .upsert_compound(
            &CompoundUpsert {
                compound: c,
                buildings: b
                    .buildings
                    .iter()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
            },
            &user.actor(),
        )
        .await?)
}

#[derive(Deserialize, Default)]
pub struct RegistrationBody {
    pub name: String,
    pub gender: String,
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    pub community: String,
    pub address: String,
    pub member_status: String,
    pub joined_on: Option<String>,
    pub prior_org: String,
    pub workplace: Option<String>,
}

/// 找组织: anyone signed in registers (a resident for themself; staff for a member at the
/// counter).
pub async fn register(st: &AppState, user: &User, b: &RegistrationBody) -> ApiResult<i64> {
    let reg = Registration {
        name: b.name.clone(),
        gender: b.gender.clone(),
        birth_date: date_field("birth_date", b.birth_date.as_deref())?,
        phone: phone(b.phone.as_deref())?,
        community: parse_area("community", &b.community)?,
        address: b.address.clone(),
        member_status: status(&b.member_status)?,
        joined_on: required_date("joined_on", b.joined_on.as_deref())?,
        prior_org: b.prior_org.clone(),
        workplace: b.workplace.clone(),
    }
    .checked(today())
    .map_err(invalid)?;
    if st.store.area(&reg.community).await?.is_none() {
        return Err(ApiError::bad_request(
            "community",
            format!("没有代码为 {} 的社区", reg.community),
            format!("no community {}", reg.community),
        ));
    }
    Ok(st
        .store
        .create_registration(&reg, Some(user.account.id), today(), &user.actor())
        .await?)
}

/// A registration the caller decides (its community's), else 404.
pub async fn registration_of(st: &AppState, user: &User, id: i64) -> ApiResult<RegistrationRow> {
    st.store
        .registration(id)
        .await?
        .filter(|r| sees(user, &r.record.community) || r.account_id == Some(user.account.id))
        .ok_or_else(|| ApiError::not_found(format!("登记 {id}"), format!("registration {id}")))
}

#[derive(Deserialize, Default)]
pub struct ConfirmBody {
    pub resident: Option<i64>,
    pub org: Option<i64>,
}

pub async fn confirm_registration(
    st: &AppState,
    user: &User,
    id: i64,
    b: &ConfirmBody,
) -> ApiResult<i64> {
    let r = registration_of(st, user, id).await?;
    keeps(user, &r.record.community)?;
    if let Some(o) = b.org {
        org_of(st, user, o).await?;
    }
    Ok(st
        .store
        .confirm_registration(id, b.resident, b.org, &user.actor())
        .await?)
}

pub async fn decline_registration(st: &AppState, user: &User, id: i64) -> ApiResult<()> {
    let r = registration_of(st, user, id).await?;
    keeps(user, &r.record.community)?;
    Ok(st.store.decline_registration(id, &user.actor()).await?)
}

#[derive(Deserialize, Default)]
pub struct FoundBody {
    pub resident: i64,
    pub org: Option<i64>,
    pub joined_on: Option<String>,
}

/// 找党员: confirms a resident the community found.
pub async fn confirm_found(st: &AppState, user: &User, b: &FoundBody) -> ApiResult<i64> {
    let r = st.store.resident(b.resident).await?.ok_or_else(|| {
        ApiError::not_found(
            format!("居民 {}", b.resident),
            format!("resident {}", b.resident),
        )
    })?;
    keeps(user, &r.grid.community())?;
    if let Some(o) = b.org {
        org_of(st, user, o).await?;
    }
    let joined_on = required_date("joined_on", b.joined_on.as_deref())?;
    Ok(st
        .store
        .confirm_found(b.resident, b.org, joined_on, &user.actor())
        .await?)
}
