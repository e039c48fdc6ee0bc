//! 一有七中心 over HTTP: the JSON API under `/api/v1/services` (centres, staff, assessment
//! items, menu, household tags, orders with their fulfilment and rating, providers, counts,
//! `.xlsx` exports), the lookup-code routes of an order placed without an account, and the
//! phone screens of residents, centre staff, the community and the lead department. Every rule
//! is the domain's (`gongzhi_domain::services`); every list is filtered by
//! `user.listing(List::ServiceCentres)`.

pub mod accounts;
mod api;
mod exports;
pub mod ops;
mod pages;
mod staff_pages;
pub mod work;

use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Router;
use axum::http::StatusCode;
use gongzhi_domain::Bilingual;
use gongzhi_domain::access::{List, Listing};
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::services::ServicesError;
use gongzhi_store::{CentrePlace, EventActor, ServicesWriteError, now_millis};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(api::router())
        .merge(pages::router())
        .merge(staff_pages::router())
        .merge(staff_pages::tags_router())
}

fn today() -> Date {
    date_of(now_millis())
}

/// Who writes a record, as the log names them.
fn by(user: &User) -> EventActor {
    EventActor {
        account_id: Some(user.account.id),
        name: user.account.display_name.clone(),
    }
}

fn forbidden(zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", zh, en)
}

/// A refusal by the domain: 409 on stored state, else 422 naming the field.
fn refused(e: ServicesError) -> ApiError {
    if e.is_conflict() {
        ApiError::from_bilingual(StatusCode::CONFLICT, &e)
    } else {
        let field = e.field().unwrap_or_default();
        ApiError::invalid(&field, &e)
    }
}

fn write_error(e: ServicesWriteError) -> ApiError {
    match e {
        ServicesWriteError::Refused(r) => refused(r),
        ServicesWriteError::Store(s) => s.into(),
    }
}

/// What the caller's service lists show, as the policy lists them: a place (area or lead
/// department), or a resident's own orders (`Some(account)`), the menu and centres then being
/// the whole city's (报菜 is public to residents).
pub(crate) struct Seen {
    pub place: CentrePlace,
    pub mine: Option<i64>,
}

pub(crate) fn seen(user: &User) -> ApiResult<Seen> {
    let mut place = CentrePlace::default();
    let mut mine = None;
    match user.listing(List::ServiceCentres) {
        Listing::Everything => {}
        Listing::Area(a) => place.area = Some(a),
        Listing::Grid(g) => place.area = Some(g.community()),
        Listing::Department(d) => place.lead_department = Some(d),
        Listing::Reports(a) | Listing::Linked(a) => mine = Some(a),
        Listing::Nothing => {
            return Err(forbidden(
                "您的账号无权查看服务中心",
                "your account may not see the service centres",
            ));
        }
    }
    Ok(Seen { place, mine })
}

/// Whether the caller sees centres as staff (counts, all orders of its place).
pub fn is_staff_view(user: &User) -> bool {
    matches!(
        user.listing(List::ServiceCentres),
        Listing::Everything | Listing::Area(_) | Listing::Grid(_) | Listing::Department(_)
    )
}
