//! The party organisation over HTTP (issue 13 items 1–3): the organisation tree with the
//! rules' warnings, members and their transfers, units in the area and their coverage,
//! compounds, 双找. Handlers parse, authorise through the policy (`List::PartyOrgs`,
//! `Action::ManagePartyOrg`), call one store operation and render; the domain decides.

pub mod api;
pub mod compound_import;
pub mod export;
pub mod ops;
pub mod pages;
pub mod view;

use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Router;
use axum::http::StatusCode;
use gongzhi_domain::access::{Action, List, Listing, Region, Target, visible_region};
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::party::PartyError;
use gongzhi_domain::party::org::OrgRules;
use gongzhi_store::now_millis;

pub fn router() -> Router<AppState> {
    Router::new().merge(api::router()).merge(pages::router())
}

pub(crate) fn today() -> Date {
    date_of(now_millis())
}

pub(crate) fn forbidden(zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", zh, en)
}

/// A domain refusal of a field's value: 422 naming the field.
pub(crate) fn invalid(e: PartyError) -> ApiError {
    let field = gongzhi_domain::Bilingual::field(&e).unwrap_or_default();
    ApiError::invalid(&field, &e)
}

/// The part of the city whose party organisation the caller sees: `None` for all of it.
pub(crate) fn party_area(user: &User) -> ApiResult<Option<AreaCode>> {
    match user.listing(List::PartyOrgs) {
        Listing::Everything => Ok(None),
        Listing::Area(a) => Ok(Some(a)),
        Listing::Grid(g) => Ok(Some(g.community())),
        Listing::Department(_) | Listing::Reports(_) | Listing::Linked(_) | Listing::Nothing => {
            Err(forbidden(
                "您无权查看党组织和党员",
                "you may not see the party organisation and its members",
            ))
        }
    }
}

/// Narrows the caller's part by a requested area (a street or community inside it).
pub(crate) fn narrowed(user: &User, requested: Option<&str>) -> ApiResult<Option<AreaCode>> {
    let own = party_area(user)?;
    match requested.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(own),
        Some(s) => {
            let a = crate::http::api_geo::parse_area("area", s)?;
            if own.is_some_and(|o| !o.contains(&a)) {
                return Err(forbidden(
                    "所选区划不在您的管辖范围内",
                    "the chosen area is outside yours",
                ));
            }
            Ok(Some(a))
        }
    }
}

/// May the caller see a record of `area`?
pub(crate) fn sees(user: &User, area: &AreaCode) -> bool {
    user.listing(List::PartyOrgs).covers(&Target::Area(*area))
}

/// May the caller change records of `area`?
pub(crate) fn keeps(user: &User, area: &AreaCode) -> ApiResult<()> {
    user.may(Action::ManagePartyOrg, &Target::Area(*area))
        .map_err(|_| {
            forbidden(
                "只有该区域的党组织或社区、街道可以维护这些记录",
                "only the area's party organisation, community or street keeps these records",
            )
        })
}

/// The compounds' part of the population base the caller sees (its area; a grid account its
/// community): `Err` when none.
pub(crate) fn compound_area(user: &User) -> ApiResult<Option<AreaCode>> {
    if let Ok(a) = party_area(user) {
        return Ok(a);
    }
    let here = crate::http::chrome::home_target(user);
    if user.may(Action::ViewHousehold, &here).is_err() {
        return Err(forbidden("您无权查看小区", "you may not see compounds"));
    }
    match visible_region(&user.principal()) {
        Region::Everything => Ok(None),
        Region::Area(a) => Ok(Some(a)),
        Region::Grid(g) => Ok(Some(g.community())),
        Region::Nothing => Err(forbidden("您无权查看小区", "you may not see compounds")),
    }
}

/// The organisation rules in force: the city's settings over the text's defaults.
pub(crate) async fn rules(st: &AppState) -> ApiResult<OrgRules> {
    Ok(OrgRules::from_settings(&st.store.loop_settings().await?))
}

pub(crate) fn date_field(field: &str, raw: Option<&str>) -> ApiResult<Option<Date>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Date::parse(s).map(Some).ok_or_else(|| {
            ApiError::bad_request(
                field,
                format!("日期应为 YYYY-MM-DD：{s}"),
                format!("a date must be YYYY-MM-DD: {s}"),
            )
        }),
    }
}

pub(crate) fn required_date(field: &str, raw: Option<&str>) -> ApiResult<Date> {
    date_field(field, raw)?.ok_or_else(|| {
        ApiError::bad_request(
            field,
            format!("缺少日期“{field}”"),
            format!("'{field}' is required"),
        )
    })
}
