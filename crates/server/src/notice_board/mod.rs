//! 公示栏 over HTTP: the staff's board (`/notices`: list with filters and workbook, new, change,
//! publish, withdraw), the public board of each community readable on a phone without an account
//! (`/c/{community}/notices` and a notice's page with its publication record and the log entries
//! anyone can check), the JSON API under `/api/v1/notices` and `/api/v1/public/…`, and the
//! publisher's home tiles (drafts, expiring soon). Every rule is the domain's
//! (`gongzhi_domain::notice_board`); every staff list is filtered by
//! `user.listing(List::Notices)`; the public pages show only what is public.

mod api;
mod attachments;
mod exports;
pub mod ops;
mod pages;
pub mod public;
pub mod work;

use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Router;
use axum::http::StatusCode;
use gongzhi_domain::access::{List, Listing, Target};
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::notice_board::NoticeError;
use gongzhi_store::{NoticeFilter, NoticeRow, NoticeWriteError, now_millis};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(api::router())
        .merge(pages::router())
        .merge(public::router())
        .merge(attachments::router())
}

fn today() -> Date {
    date_of(now_millis())
}

fn forbidden(zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", zh, en)
}

/// A refusal by the domain on what was typed: 422 naming the field.
fn invalid(e: NoticeError) -> ApiError {
    let field = gongzhi_domain::Bilingual::field(&e).unwrap_or_default();
    ApiError::invalid(&field, &e)
}

/// A write refused on what is stored (withdrawing a draft, changing a withdrawn notice): 409.
fn write_error(e: NoticeWriteError) -> ApiError {
    match e {
        NoticeWriteError::Refused(r @ NoticeError::WrongState { .. }) => {
            ApiError::from_bilingual(StatusCode::CONFLICT, &r)
        }
        NoticeWriteError::Refused(r) => invalid(r),
        NoticeWriteError::Store(s) => s.into(),
    }
}

/// The notices the caller's staff lists show, as the policy lists them.
pub fn scope(user: &User) -> ApiResult<NoticeFilter> {
    let mut f = NoticeFilter::default();
    match user.listing(List::Notices) {
        Listing::Everything => {}
        Listing::Area(a) => f.area = Some(a),
        Listing::Department(d) => f.department = Some(d),
        Listing::Grid(_) | Listing::Reports(_) | Listing::Linked(_) | Listing::Nothing => {
            return Err(forbidden(
                "您的账号无权管理公示",
                "your account may not manage notices",
            ));
        }
    }
    Ok(f)
}

/// A notice the caller's staff list shows, or 404.
async fn visible_notice(st: &AppState, user: &User, id: i64) -> ApiResult<NoticeRow> {
    let listing = user.listing(List::Notices);
    st.store
        .notice(id)
        .await?
        .filter(|n| {
            listing.covers(&Target::Area(n.audience))
                || n.department
                    .as_ref()
                    .is_some_and(|d| listing.covers(&Target::Department(d.clone())))
        })
        .ok_or_else(|| ApiError::not_found(format!("公示 {id}"), format!("notice {id}")))
}
