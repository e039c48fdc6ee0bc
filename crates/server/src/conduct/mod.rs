//! 消极怠政 over HTTP: the public report form and its two boxes (`/conduct/report`, no account,
//! a lookup code to follow it at `/conduct/track`), discipline supervision's desk (`/conduct`:
//! new reports, signals, my investigations; a report's page with acceptance, investigators,
//! evidence, conclusion and accountability; signals; statistics; `.xlsx` on every list), a
//! staff referral form, and the JSON API under `/api/v1/conduct` and `/api/v1/public/conduct`.
//! Every rule is the domain's (`gongzhi_domain::conduct`); every list is filtered by
//! `user.listing(List::MisconductReports)`; a reporter's identity goes only to the assigned
//! investigators, and each read of it — shown or withheld — is on the audit log.

mod api;
mod evidence_files;
mod exports;
pub mod ops;
mod pages;
mod public;
mod staff_forms;
pub mod work;

use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Router;
use axum::http::StatusCode;
use gongzhi_domain::access::{Action, List, Listing, Target};
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::conduct::ConductError;
use gongzhi_store::{ConductWriteError, MisconductFilter, MisconductReportRow, now_millis};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(api::router())
        .merge(evidence_files::router())
        .merge(pages::router())
        .merge(staff_forms::router())
        .merge(public::router())
}

fn today() -> Date {
    date_of(now_millis())
}

/// The conduct rules' refusal: 409 for a step the report's state does not allow, else 422
/// naming the field.
pub fn conduct_error(e: ConductError) -> ApiError {
    match e {
        ConductError::WrongState { .. } => ApiError::from_bilingual(StatusCode::CONFLICT, &e),
        ConductError::ChannelNotOpen(_) => ApiError::from_bilingual(StatusCode::FORBIDDEN, &e),
        e => {
            let field = gongzhi_domain::Bilingual::field(&e).unwrap_or_default();
            ApiError::invalid(&field, &e)
        }
    }
}

fn write_error(e: ConductWriteError) -> ApiError {
    match e {
        ConductWriteError::Refused(r) => conduct_error(r),
        ConductWriteError::Store(s) => s.into(),
    }
}

fn forbidden(zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", zh, en)
}

/// The reports the caller's lists show, as the policy lists them: supervision its area (or
/// everything), anyone else only the reports it filed.
pub fn scope(user: &User) -> ApiResult<MisconductFilter> {
    let mut f = MisconductFilter::default();
    match user.listing(List::MisconductReports) {
        Listing::Everything => {}
        Listing::Area(a) => f.area = Some(a),
        Listing::Reports(id) => f.filed_by = Some(id),
        Listing::Grid(_) | Listing::Department(_) | Listing::Linked(_) | Listing::Nothing => {
            return Err(forbidden(
                "您的账号无权查看举报",
                "your account may not list misconduct reports",
            ));
        }
    }
    Ok(f)
}

/// Whether the caller lists reports as supervision does (not only its own).
pub fn supervises(user: &User) -> bool {
    matches!(
        user.listing(List::MisconductReports),
        Listing::Everything | Listing::Area(_)
    )
}

/// A report the caller's list shows, or 404.
async fn visible_report(st: &AppState, user: &User, id: i64) -> ApiResult<MisconductReportRow> {
    let listing = user.listing(List::MisconductReports);
    st.store
        .misconduct_report(id)
        .await?
        .filter(|r| match &listing {
            Listing::Reports(acct) => r.filed_by_id == Some(*acct),
            l => l.covers(&Target::Area(r.area)),
        })
        .ok_or_else(|| ApiError::not_found(format!("举报 {id}"), format!("report {id}")))
}

/// A report the caller may investigate (review, assign, conclude, hold accountable).
async fn investigable(st: &AppState, user: &User, id: i64) -> ApiResult<MisconductReportRow> {
    let r = visible_report(st, user, id).await?;
    user.may(Action::InvestigateMisconduct, &Target::Area(r.area))?;
    Ok(r)
}

/// `%`-encoding for query strings of links.
fn encode(s: &str) -> String {
    crate::cobuild::encode(s)
}
