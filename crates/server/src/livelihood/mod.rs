//! "1234" 民生监督 over HTTP: the four databases (`/livelihood?tab=…`: projects,
//! responsibilities, supervision records, investigation records, each with its workbook), a
//! project's page (progress, inspections that may open a 督办 order, investigations,
//! disclosures on the notice board), the printable handbook (`/livelihood/handbook`), the links
//! to the report and petition boxes, and the JSON API under `/api/v1/livelihood`. Every list is
//! filtered by `user.listing(List::Livelihood)`; every write asks `ManageLivelihood` of the
//! project's area (or its department).

mod api;
mod exports;
pub mod ops;
mod pages;

use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Router;
use axum::http::StatusCode;
use gongzhi_domain::access::{Action, List, Listing, Target};
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::livelihood::LivelihoodError;
use gongzhi_store::{LivelihoodFilter, LivelihoodWriteError, ProjectRow};

pub fn router() -> Router<AppState> {
    Router::new().merge(api::router()).merge(pages::router())
}

fn forbidden(zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", zh, en)
}

/// A refusal by the domain on what was typed: 422 naming the field.
fn invalid(e: LivelihoodError) -> ApiError {
    let field = gongzhi_domain::Bilingual::field(&e).unwrap_or_default();
    ApiError::invalid(&field, &e)
}

fn write_error(e: LivelihoodWriteError) -> ApiError {
    match e {
        LivelihoodWriteError::Refused(r) => invalid(r),
        LivelihoodWriteError::Store(s) => s.into(),
    }
}

/// The records the caller's lists show, as the policy lists them.
pub fn scope(user: &User) -> ApiResult<LivelihoodFilter> {
    let mut f = LivelihoodFilter::default();
    match user.listing(List::Livelihood) {
        Listing::Everything => {}
        Listing::Area(a) => f.area = Some(a),
        Listing::Department(d) => f.department = Some(d),
        Listing::Grid(_) | Listing::Reports(_) | Listing::Linked(_) | Listing::Nothing => {
            return Err(forbidden(
                "您的账号无权查看民生监督",
                "your account may not see livelihood supervision",
            ));
        }
    }
    Ok(f)
}

/// Whether `user` keeps the records of a project or responsibility at `area` (or of
/// `department`).
pub fn may_manage(user: &User, area: &AreaCode, department: Option<&str>) -> bool {
    user.may(Action::ManageLivelihood, &Target::Area(*area))
        .is_ok()
        || department.is_some_and(|d| {
            user.may(Action::ManageLivelihood, &Target::Department(d.to_string()))
                .is_ok()
        })
}

/// A project the caller's lists show, or 404.
async fn visible_project(st: &AppState, user: &User, id: i64) -> ApiResult<ProjectRow> {
    let listing = user.listing(List::Livelihood);
    st.store
        .livelihood_project(id)
        .await?
        .filter(|p| {
            listing.covers(&Target::Area(p.area))
                || p.department
                    .as_ref()
                    .is_some_and(|d| listing.covers(&Target::Department(d.clone())))
        })
        .ok_or_else(|| {
            ApiError::not_found(format!("民生项目 {id}"), format!("livelihood project {id}"))
        })
}
