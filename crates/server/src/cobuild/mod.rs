//! 契约化共建 over HTTP: contracts between a department and a community, their commitments,
//! the department's delivery records and the community's ratings (`/cobuild`, JSON under
//! `/api/v1/cobuild`, workbooks of contracts and commitments), the co-build figures each
//! scorecard shows, and the home tiles of both sides (due soon, overdue). Every rule is the
//! domain's (`gongzhi_domain::cobuild`); every list is filtered by
//! `user.listing(List::CoBuildContracts)`.

mod api;
mod exports;
pub mod ops;
mod pages;
pub mod scorecard;
pub mod work;

pub(crate) use pages::encode;

use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Router;
use axum::http::StatusCode;
use gongzhi_domain::access::{List, Listing, Target};
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::cobuild::CoBuildError;
use gongzhi_store::{CoBuildFilter, CoBuildWriteError, now_millis};

pub fn router() -> Router<AppState> {
    Router::new().merge(api::router()).merge(pages::router())
}

fn today() -> Date {
    date_of(now_millis())
}

fn forbidden(zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", zh, en)
}

/// A refusal by the domain on what was typed: 422 naming the field.
fn invalid(e: CoBuildError) -> ApiError {
    let field = gongzhi_domain::Bilingual::field(&e).unwrap_or_default();
    ApiError::invalid(&field, &e)
}

/// A write refused on what is stored (delivered already, nothing to rate): 409.
fn write_error(e: CoBuildWriteError) -> ApiError {
    match e {
        CoBuildWriteError::Refused(r) => ApiError::from_bilingual(StatusCode::CONFLICT, &r),
        CoBuildWriteError::Store(s) => s.into(),
    }
}

/// A `YYYY-MM-DD` field; blank or absent is `default` when there is one.
fn date_field(field: &str, raw: Option<&str>, default: Option<Date>) -> ApiResult<Date> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            default.ok_or_else(|| ApiError::bad_request(field, "请填写日期", "a date is required"))
        }
        Some(s) => Date::parse(s).ok_or_else(|| {
            ApiError::bad_request(
                field,
                format!("日期应为 YYYY-MM-DD：{s}"),
                format!("a date must be YYYY-MM-DD: {s}"),
            )
        }),
    }
}

/// The contracts the caller's lists show, as the policy lists them.
pub fn scope(user: &User) -> ApiResult<CoBuildFilter> {
    let mut f = CoBuildFilter::default();
    match user.listing(List::CoBuildContracts) {
        Listing::Everything => {}
        Listing::Area(a) => f.area = Some(a),
        Listing::Department(d) => f.department = Some(d),
        Listing::Grid(_) | Listing::Reports(_) | Listing::Linked(_) | Listing::Nothing => {
            return Err(forbidden(
                "您的账号无权查看共建契约",
                "your account may not see co-build contracts",
            ));
        }
    }
    Ok(f)
}

/// Whether the caller lists contracts at all (menus and tiles ask).
pub fn sees_contracts(user: &User) -> bool {
    scope(user).is_ok()
}

/// A contract the caller may see, or 404 (never 403: the id says nothing).
async fn visible_contract(
    st: &AppState,
    user: &User,
    id: i64,
) -> ApiResult<gongzhi_store::ContractRow> {
    let listing = user.listing(List::CoBuildContracts);
    st.store
        .contract(id)
        .await?
        .filter(|k| {
            listing.covers(&Target::Area(k.community))
                || listing.covers(&Target::Department(k.department.clone()))
        })
        .ok_or_else(|| ApiError::not_found(format!("共建契约 {id}"), format!("contract {id}")))
}

async fn visible_commitment(
    st: &AppState,
    user: &User,
    id: i64,
) -> ApiResult<gongzhi_store::CommitmentRow> {
    let c =
        st.store.commitment(id).await?.ok_or_else(|| {
            ApiError::not_found(format!("承诺事项 {id}"), format!("commitment {id}"))
        })?;
    visible_contract(st, user, c.contract_id).await?;
    Ok(c)
}
