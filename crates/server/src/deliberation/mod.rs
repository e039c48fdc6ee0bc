//! 有事好商量 over HTTP: topics raised and supported (residents with their account, or with a
//! lookup code without one), tabled or declined by staff; meetings with their agenda,
//! attendance, minutes and motions voted household by household; resolutions whose items are
//! cases on the closed loop or tasks, tracked to completion; the staff's lists with their
//! workbooks; and each community's public results page (`/c/{code}/results`). Every rule is the
//! domain's (`gongzhi_domain::deliberation`); every list is filtered by
//! `user.listing(List::Deliberations)`.

mod api;
mod exports;
pub mod ops;
mod pages;
mod public;
pub mod work;

use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Router;
use axum::http::StatusCode;
use gongzhi_domain::Bilingual;
use gongzhi_domain::access::{List, Listing, Target};
use gongzhi_domain::codes::{AreaCode, AreaLevel};
use gongzhi_domain::deliberation::DeliberationError;
use gongzhi_store::{DeliberationFilter, DeliberationWriteError};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(api::router())
        .merge(pages::router())
        .merge(public::router())
}

fn forbidden(zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", zh, en)
}

/// A refusal by the domain on what was typed: 422 naming the field.
fn invalid(e: DeliberationError) -> ApiError {
    let field = e.field().unwrap_or_default();
    ApiError::invalid(&field, &e)
}

/// Bad input the domain does not know of (a date, a code): 422 naming the field.
fn bad(field: &str, zh: impl Into<String>, en: impl Into<String>) -> ApiError {
    let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", zh, en);
    e.body.field = Some(field.to_string());
    e
}

/// A write refused on what is stored (supported already, voted already): 409.
fn write_error(e: DeliberationWriteError) -> ApiError {
    match e {
        DeliberationWriteError::Refused(r) => ApiError::from_bilingual(StatusCode::CONFLICT, &r),
        DeliberationWriteError::Store(s) => s.into(),
    }
}

/// A community of the city's map, by its code.
fn community(st: &AppState, raw: &str) -> ApiResult<AreaCode> {
    let c = crate::http::api_geo::parse_area("community", raw.trim())?;
    let known = st.grids.places().is_some_and(|p| p.area(&c).is_some());
    if c.level() != AreaLevel::Community || !known {
        return Err(bad(
            "community",
            format!("没有代码为 {c} 的社区"),
            format!("no community {c}"),
        ));
    }
    Ok(c)
}

/// The name of an area (its code when unknown).
fn area_name(st: &AppState, code: &AreaCode) -> String {
    st.grids
        .places()
        .and_then(|p| p.area(code).map(|a| a.name.clone()))
        .unwrap_or_else(|| code.to_string())
}

/// What the caller's deliberation lists show, as the policy lists them, narrowed to
/// `community` when asked (and only inside what the caller may see). `own_topics`: a
/// resident's list is of the topics it raised; the meetings and resolutions lists are staff's
/// (residents read the public results page).
fn scope(user: &User, community: Option<&str>, own_topics: bool) -> ApiResult<DeliberationFilter> {
    let listing = user.listing(List::Deliberations);
    let mut f = DeliberationFilter::default();
    match &listing {
        Listing::Everything => {}
        Listing::Area(a) => f.area = Some(*a),
        Listing::Grid(g) => f.area = Some(g.community()),
        Listing::Department(d) => f.department = Some(d.clone()),
        Listing::Reports(account) if own_topics => f.raised_by = Some(*account),
        Listing::Reports(_) | Listing::Linked(_) | Listing::Nothing => {
            return Err(forbidden(
                "您的账号无权查看议事协商记录",
                "your account may not see the deliberation records",
            ));
        }
    }
    if let Some(c) = community.map(str::trim).filter(|s| !s.is_empty()) {
        let c = crate::http::api_geo::parse_area("community", c)?;
        let inside = match &listing {
            Listing::Grid(g) => g.community() == c,
            Listing::Area(_) | Listing::Everything => listing.covers(&Target::Area(c)),
            // A department's and a resident's rows are theirs wherever they are.
            _ => true,
        };
        if !inside {
            return Err(forbidden(
                "所选社区不在您的管辖范围内",
                "the chosen community is outside your scope",
            ));
        }
        f.area = Some(c);
    }
    Ok(f)
}
