//! The community cadre roster (社区干部名册) and its structure report over HTTP, on
//! `/cadre-roster` and `/reports/cadre-structure` (decision 024). Not the cadres sent down
//! (干部下沉, `crate::cadres`, `/cadres`).
//!
//! Who: the policy's `Action::ManageCadreRoster`, targeted at the cadre's community; lists and
//! the report follow `List::CadreRoster`.

mod api;
pub mod import;
mod pages;
pub mod report;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/cadre-roster", get(api::list))
        .route("/api/v1/cadre-roster/export.xlsx", get(api::export))
        .route("/api/v1/cadre-roster/template.xlsx", get(api::template))
        .route("/api/v1/cadre-roster/{id}/leave", post(api::leave))
        .route(
            "/api/v1/imports/cadres",
            post(api::import).layer(crate::http::body_limit(crate::http::IMPORT_BODY_LIMIT)),
        )
        .route("/api/v1/reports/cadre-structure", get(api::report))
        .route(
            "/api/v1/reports/cadre-structure.xlsx",
            get(api::report_xlsx),
        )
        .route("/cadre-roster", get(pages::roster_page))
        .route(
            "/cadre-roster/import",
            post(pages::import_form).layer(crate::http::body_limit(crate::http::IMPORT_BODY_LIMIT)),
        )
        .route("/cadre-roster/{id}/leave", post(pages::leave_form))
        .route("/reports/cadre-structure", get(pages::report_page))
}
