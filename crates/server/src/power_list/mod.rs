//! 权力清单 over HTTP: the public 阳光示权 pages readable on a phone without an account
//! (`/power`: published items with search and filters; `/power/items/{id}`: every field, the
//! risk level explained and the flowchart drawn as SVG; a print page), their JSON under
//! `/api/v1/public/power-items`; the staff's lists (`/power/manage`: drafts, history, new,
//! change, publish, retire, .xlsx import and export), the JSON API under `/api/v1/power-items`,
//! and the city's risk settings (`/power/settings`, `/api/v1/power-risk-settings`). Every rule
//! is the domain's (`gongzhi_domain::power_list`); staff lists follow
//! `user.listing(List::PowerLists)`, writes `ManagePowerList` on the item's owner.

mod api;
mod exports;
mod import;
pub mod ops;
mod pages;
pub mod public;
mod settings;
pub mod work;

use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Router;
use axum::http::StatusCode;
use gongzhi_domain::access::{List, Listing};
use gongzhi_domain::power_list::{PowerError, PowerOwner};
use gongzhi_store::{PowerFilter, PowerItemRow, PowerWriteError};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(api::router())
        .merge(pages::router())
        .merge(public::router())
        .merge(settings::router())
}

fn forbidden(zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", zh, en)
}

/// A refusal by the domain on what was typed: 422 naming the field.
fn invalid(e: PowerError) -> ApiError {
    let field = gongzhi_domain::Bilingual::field(&e).unwrap_or_default();
    ApiError::invalid(&field, &e)
}

/// A write refused on what is stored (retiring a draft, changing a retired item): 409.
fn write_error(e: PowerWriteError) -> ApiError {
    match e {
        PowerWriteError::Refused(r @ PowerError::WrongState { .. }) => {
            ApiError::from_bilingual(StatusCode::CONFLICT, &r)
        }
        PowerWriteError::Refused(r) => invalid(r),
        PowerWriteError::Store(s) => s.into(),
    }
}

/// The items the caller's staff lists show, as the policy lists them.
pub fn scope(user: &User) -> ApiResult<PowerFilter> {
    let mut f = PowerFilter::default();
    match user.listing(List::PowerLists) {
        Listing::Everything => {}
        Listing::Area(a) => f.area = Some(a),
        Listing::Department(d) => f.department = Some(d),
        Listing::Grid(_) | Listing::Reports(_) | Listing::Linked(_) | Listing::Nothing => {
            return Err(forbidden(
                "您的账号无权查看或管理权力清单（已公布的清单见“阳光示权”）",
                "your account may not keep power lists (published lists are public)",
            ));
        }
    }
    Ok(f)
}

/// Whether the caller's staff list shows an item of `owner`.
fn listed(user: &User, owner: &PowerOwner) -> bool {
    match user.listing(List::PowerLists) {
        Listing::Everything => true,
        Listing::Area(a) => matches!(owner, PowerOwner::Area(o) if a == *o || a.contains(o)),
        Listing::Department(d) => matches!(owner, PowerOwner::Department(o) if *o == d),
        _ => false,
    }
}

/// An item the caller's staff list shows, or 404.
async fn visible_item(st: &AppState, user: &User, id: i64) -> ApiResult<PowerItemRow> {
    scope(user)?;
    st.store
        .power_item(id)
        .await?
        .filter(|p| listed(user, &p.owner))
        .ok_or_else(|| ApiError::not_found(format!("权力事项 {id}"), format!("power item {id}")))
}
