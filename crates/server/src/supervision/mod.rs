//! 七天督办 over HTTP: the board of orders (`/supervision`: counts, filters, workbook), an
//! order's page with its history, the unit's answer form and the issuer's review, issuing from
//! a case, a resolution's task, a commitment or a livelihood project (`/supervision/new`), the
//! city's clock settings, the JSON API under `/api/v1/supervisions`, the clock job and the home
//! tiles. Every rule is the domain's (`gongzhi_domain::supervision`); the board is filtered by
//! `user.listing(List::Supervisions)`; issuing asks `IssueSupervision` of the item's place,
//! answering `AnswerSupervision` of the unit.

mod api;
mod exports;
pub mod jobs;
pub mod ops;
mod pages;
pub mod settings;
pub mod work;

use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Router;
use axum::http::StatusCode;
use gongzhi_domain::access::{List, Listing, Target};
use gongzhi_domain::supervision::SupervisionError;
use gongzhi_store::{SupervisionFilter, SupervisionRow, SupervisionWriteError};

pub fn router() -> Router<AppState> {
    Router::new().merge(api::router()).merge(pages::router())
}

fn forbidden(zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", zh, en)
}

/// A refusal by the domain on what was typed: 422 naming the field.
fn invalid(e: SupervisionError) -> ApiError {
    let field = gongzhi_domain::Bilingual::field(&e).unwrap_or_default();
    ApiError::invalid(&field, &e)
}

/// A write refused on what is stored (answering a closed order): 409.
fn write_error(e: SupervisionWriteError) -> ApiError {
    match e {
        SupervisionWriteError::Refused(r @ SupervisionError::WrongStatus { .. }) => {
            ApiError::from_bilingual(StatusCode::CONFLICT, &r)
        }
        SupervisionWriteError::Refused(r) => invalid(r),
        SupervisionWriteError::Store(s) => s.into(),
    }
}

/// The orders the caller's board shows, as the policy lists them.
pub fn scope(user: &User) -> ApiResult<SupervisionFilter> {
    let mut f = SupervisionFilter::default();
    match user.listing(List::Supervisions) {
        Listing::Everything => {}
        Listing::Area(a) => f.area = Some(a),
        Listing::Department(d) => f.department = Some(d),
        Listing::Grid(_) | Listing::Reports(_) | Listing::Linked(_) | Listing::Nothing => {
            return Err(forbidden(
                "您的账号无权查看督办",
                "your account may not see supervision orders",
            ));
        }
    }
    Ok(f)
}

/// Whether the caller's board lists `o`.
fn lists(user: &User, o: &SupervisionRow) -> bool {
    let listing = user.listing(List::Supervisions);
    listing.covers(&Target::Area(o.place)) || o.unit().is_some_and(|u| listing.covers(&u.target()))
}

/// An order the caller's board shows, or 404.
async fn visible(st: &AppState, user: &User, id: i64) -> ApiResult<SupervisionRow> {
    st.store
        .supervision(id)
        .await?
        .filter(|o| lists(user, o))
        .ok_or_else(|| ApiError::not_found(format!("督办 {id}"), format!("supervision order {id}")))
}

/// "2 个工作日" / "2 days" for an order's clock.
fn days_text(days: i64, working: bool, en: bool) -> String {
    match (working, en) {
        (true, false) => format!("{days}个工作日"),
        (false, false) => format!("{days}个自然日"),
        (true, true) => format!("{days} working days"),
        (false, true) => format!("{days} calendar days"),
    }
}
