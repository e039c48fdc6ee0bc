//! 诊断 over HTTP: the findings page (`/diagnosis`: a tab per kind, the test used stated on
//! each, "run now" for staff), a finding's page with its evidence and cases and the two
//! actions (a seven-day supervision order, a case assigned from above), the workbook, the JSON
//! API under `/api/v1/diagnosis/…`, the periodic job and the home tile. The domain decides the
//! findings (`gongzhi_domain::diagnosis`); the lists are filtered by
//! `user.listing(List::Scorecards)`: a street sees its own grids' findings, a department its
//! own.

mod api;
mod describe;
mod exports;
pub mod jobs;
pub mod ops;
mod pages;
pub mod work;

use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Router;
use axum::http::StatusCode;
use gongzhi_domain::access::{List, Listing};
use gongzhi_domain::diagnosis::DiagnosisError;
use gongzhi_store::{FindingFilter, FindingRow};

pub fn router() -> Router<AppState> {
    Router::new().merge(api::router()).merge(pages::router())
}

fn forbidden(zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", zh, en)
}

/// A refusal by the domain on what was typed: 400 naming the field.
fn invalid(e: DiagnosisError) -> ApiError {
    use gongzhi_domain::Bilingual;
    let mut err = ApiError::from_bilingual(StatusCode::BAD_REQUEST, &e);
    err.body.field = e.field();
    err
}

/// The findings the caller sees, as the policy lists scorecards to it.
pub fn scope(user: &User) -> ApiResult<FindingFilter> {
    let mut f = FindingFilter::default();
    match user.listing(List::Scorecards) {
        Listing::Everything => {}
        Listing::Area(a) => f.area = Some(a),
        Listing::Grid(g) => f.grid = Some(g),
        Listing::Department(d) => f.department = Some(d),
        Listing::Reports(_) | Listing::Linked(_) | Listing::Nothing => {
            return Err(forbidden(
                "您的账号无权查看诊断发现",
                "your account may not see diagnosis findings",
            ));
        }
    }
    Ok(f)
}

/// Whether the caller's scope holds `f`.
fn lists(user: &User, f: &FindingRow) -> bool {
    match user.listing(List::Scorecards) {
        Listing::Everything => true,
        Listing::Area(a) => f.place.is_some_and(|p| a.contains(&p)),
        Listing::Grid(g) => f.grid == Some(g),
        Listing::Department(d) => f.department.as_deref() == Some(d.as_str()),
        _ => false,
    }
}

/// A finding the caller sees, or 404.
async fn visible(st: &AppState, user: &User, id: i64) -> ApiResult<FindingRow> {
    st.store
        .diagnosis_finding(id)
        .await?
        .filter(|f| lists(user, f))
        .ok_or_else(|| ApiError::not_found(format!("诊断发现 {id}"), format!("finding {id}")))
}

/// "Run now" is for staff who see more than one grid's scorecards (a street, a district, the
/// city): a run is city-wide, and its findings are then filtered for each reader.
pub fn may_run(user: &User) -> bool {
    matches!(
        user.listing(List::Scorecards),
        Listing::Everything | Listing::Area(_)
    )
}
