//! Party member assessment over HTTP and on the `/assessment` pages (decision 024): the
//! twelve-point ledger and the five-star rating of each member's year, rankings, alerts (also
//! on the party organisation's home page) and the `.xlsx` export.
//!
//! Who: the policy's `Action::AssessMembers`, targeted at the member's organisation's area (or
//! community while they have none); lists follow `List::Assessments`. Rule sets are the whole
//! city's: only an account whose scope covers everything changes them.

mod api;
mod export;
mod pages;
mod service;
pub mod work;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post, put};

pub use service::{MemberEntry, MemberLedger, Rankings, RulesView, YearList};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/assessments", get(api::list))
        .route("/api/v1/assessments/export.xlsx", get(export::export))
        .route("/api/v1/assessments/rankings", get(api::rankings))
        .route("/api/v1/assessments/rules", get(api::rules))
        .route("/api/v1/assessments/rules/stars", put(api::set_star_rules))
        .route(
            "/api/v1/assessments/rules/points",
            put(api::set_points_rules),
        )
        .route("/api/v1/assessments/members/{id}", get(api::member))
        .route(
            "/api/v1/assessments/members/{id}/deductions",
            post(api::deduct).layer(crate::http::body_limit(crate::http::PHOTOS_BODY_LIMIT)),
        )
        .route(
            "/api/v1/assessments/members/{id}/ratings/{year}",
            put(api::rate),
        )
        .route(
            "/api/v1/assessments/deductions/{id}/revoke",
            post(api::revoke),
        )
        .route("/api/v1/assessments/evidence/{id}", get(api::evidence))
        .route("/assessment", get(pages::list_page))
        .route("/assessment/members/{id}", get(pages::member_page))
        .route(
            "/assessment/members/{id}/deduct",
            post(pages::deduct_form).layer(crate::http::body_limit(crate::http::PHOTOS_BODY_LIMIT)),
        )
        .route("/assessment/members/{id}/act", post(pages::act_form))
}
