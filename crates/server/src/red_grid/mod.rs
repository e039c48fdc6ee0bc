//! 红色网格 over HTTP: the coverage of each grid and its management by the area's staff and
//! party organisation (`/red-grid`), a red grid member's phone screens (my households, a
//! household, record a visit, raise a case), the visit diary and the mediation records, and
//! the JSON API under `/api/v1/red-grid`. Every rule is the domain's
//! (`gongzhi_domain::red_grid`); every list is filtered by `user.listing(List::RedGrid)`.

mod api;
mod coverage;
mod exports;
mod member_pages;
pub mod ops;
mod pages;
mod visit_pages;
pub mod work;

use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use axum::Router;
use axum::http::StatusCode;
use gongzhi_domain::Bilingual;
use gongzhi_domain::access::{List, Listing, Target};
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_store::{RedGridFilter, RedGridWriteError, now_millis};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(api::router())
        .merge(pages::router())
        .merge(member_pages::router())
        .merge(visit_pages::router())
}

fn today() -> Date {
    date_of(now_millis())
}

fn forbidden(zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", zh, en)
}

/// A refusal by the domain on what was typed: 422 naming the field.
fn invalid(e: gongzhi_domain::red_grid::RedGridError) -> ApiError {
    let field = e.field().unwrap_or_default();
    ApiError::invalid(&field, &e)
}

/// A write refused on what is stored (the eleventh household, a household taken): 409 naming
/// the field, in Chinese and English.
fn write_error(e: RedGridWriteError) -> ApiError {
    match e {
        RedGridWriteError::Refused(r) => ApiError::from_bilingual(StatusCode::CONFLICT, &r),
        RedGridWriteError::Store(s) => s.into(),
    }
}

/// An optional `YYYY-MM-DD` field; blank or absent is `default`.
fn date_field(field: &str, raw: Option<&str>, default: Date) -> ApiResult<Date> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => Date::parse(s).ok_or_else(|| {
            ApiError::bad_request(
                field,
                format!("日期应为 YYYY-MM-DD：{s}"),
                format!("a date must be YYYY-MM-DD: {s}"),
            )
        }),
    }
}

fn opt_date(field: &str, raw: Option<&str>) -> ApiResult<Option<Date>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => date_field(field, Some(s), today()).map(Some),
    }
}

/// The rows the caller's red grid lists show, as the policy lists them, narrowed to `area`
/// or `grid` when asked (and only inside what the caller may see).
fn scope(user: &User, area: Option<&str>, grid: Option<&str>) -> ApiResult<RedGridFilter> {
    let listing = user.listing(List::RedGrid);
    let mut f = RedGridFilter::default();
    match &listing {
        Listing::Everything => {}
        Listing::Area(a) => f.area = Some(*a),
        Listing::Grid(g) => f.grid = Some(*g),
        Listing::Linked(account) => f.account = Some(*account),
        Listing::Department(_) | Listing::Reports(_) | Listing::Nothing => {
            return Err(forbidden(
                "您的账号无权查看红色网格",
                "your account may not see the red grid",
            ));
        }
    }
    let outside = || {
        forbidden(
            "所选区划或网格不在您的管辖范围内",
            "the chosen area or grid is outside your scope",
        )
    };
    if let Some(a) = area.map(str::trim).filter(|s| !s.is_empty()) {
        let a: AreaCode = crate::http::api_geo::parse_area("area", a)?;
        if !listing.covers(&Target::Area(a)) {
            return Err(outside());
        }
        f.area = Some(a);
    }
    if let Some(g) = grid.map(str::trim).filter(|s| !s.is_empty()) {
        let g: GridCode = crate::http::api_geo::parse_grid("grid", g)?;
        let inside = match listing {
            // A red grid member's own grid: its households there.
            Listing::Linked(_) => user
                .may(
                    gongzhi_domain::access::Action::RecordVisit,
                    &Target::Grid(g),
                )
                .is_ok(),
            _ => listing.covers(&Target::Grid(g)),
        };
        if !inside {
            return Err(outside());
        }
        f.grid = Some(g);
    }
    Ok(f)
}

/// Whether the caller sees coverage (staff of an area or a grid, not a red grid member).
pub fn sees_coverage(user: &User) -> bool {
    matches!(
        user.listing(List::RedGrid),
        Listing::Everything | Listing::Area(_) | Listing::Grid(_)
    )
}

/// Area and grid names for a page or a workbook (codes only where the name is unknown).
struct Names(Option<std::sync::Arc<crate::grid_index::Places>>);

impl Names {
    fn of(st: &AppState) -> Names {
        Names(st.grids.places())
    }

    fn area(&self, code: &AreaCode) -> String {
        self.0
            .as_ref()
            .and_then(|p| p.area(code).map(|a| a.name.clone()))
            .unwrap_or_else(|| code.to_string())
    }

    fn grid(&self, code: &GridCode) -> String {
        self.0
            .as_ref()
            .and_then(|p| p.grid(code).map(|g| g.name.clone()))
            .unwrap_or_else(|| code.to_string())
    }
}
