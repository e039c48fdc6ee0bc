//! 应急 over HTTP (decision 038): the list of emergencies and drills (`/emergencies`, with its
//! workbook), the live board of one (`/emergencies/{id}`: who acknowledged at each level and
//! when, minute timers, the positions of staff who checked in, refreshed by short polling of
//! `/api/v1/emergencies/{id}`), acknowledging and checking in, drills and the city's
//! escalation minutes, and the job that escalates in minutes. Every rule is the domain's
//! (`gongzhi_domain::emergency`); lists follow `user.listing(List::Emergencies)`.

pub mod alerts;
mod api;
mod exports;
pub mod jobs;
pub mod ops;
mod pages;
pub mod views;
pub mod work;

use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Router;
use gongzhi_domain::access::{List, Listing, Target};
use gongzhi_domain::emergency::EmergencyError;
use gongzhi_store::{EmergencyFilter, EmergencyRow};

pub fn router() -> Router<AppState> {
    Router::new().merge(api::router()).merge(pages::router())
}

/// A refusal by the domain on what was typed: 422 naming the field.
fn invalid(e: EmergencyError) -> ApiError {
    let field = gongzhi_domain::Bilingual::field(&e).unwrap_or_default();
    ApiError::invalid(&field, &e)
}

/// The emergencies the caller lists, as the policy says.
pub fn scope(user: &User) -> ApiResult<EmergencyFilter> {
    let mut f = EmergencyFilter::default();
    match user.listing(List::Emergencies) {
        Listing::Everything => {}
        Listing::Area(a) => f.area = Some(a),
        Listing::Grid(g) => f.grid = Some(g),
        Listing::Department(d) => f.department = Some(d),
        Listing::Reports(_) | Listing::Linked(_) | Listing::Nothing => {
            return Err(ApiError::new(
                axum::http::StatusCode::FORBIDDEN,
                "forbidden",
                "您的账号无权查看紧急事件",
                "your account may not see emergencies",
            ));
        }
    }
    Ok(f)
}

/// Whether the caller's list holds `e` (by its place, or its department).
fn lists(user: &User, e: &EmergencyRow) -> bool {
    let l = user.listing(List::Emergencies);
    let place = match (e.grid, e.community) {
        (Some(g), _) => Target::Grid(g),
        (None, Some(c)) => Target::Area(c),
        (None, None) => Target::Everything,
    };
    l.covers(&place)
        || e.department
            .as_ref()
            .is_some_and(|d| l.covers(&Target::Department(d.clone())))
}

/// An emergency the caller lists, or 404.
async fn visible(st: &AppState, user: &User, id: i64) -> ApiResult<EmergencyRow> {
    // An account that lists no emergencies at all is refused as such, not told "not found".
    scope(user)?;
    st.store
        .emergency(id)
        .await?
        .filter(|e| lists(user, e))
        .ok_or_else(|| ApiError::not_found(format!("紧急事件 {id}"), format!("emergency {id}")))
}
