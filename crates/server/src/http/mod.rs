//! The HTTP surface: one `router()` per part of the product, merged here.

pub mod admin_pages;
pub mod api_admin;
pub mod api_credentials;
pub mod api_geo;
pub mod api_io;
pub mod api_places;
pub mod api_population;
pub mod api_session;
pub mod assets;
pub mod audit_text;
pub mod calendar_api;
pub mod chrome;
pub mod import_page;
pub mod labels_api;
pub mod pages;
pub mod place_choices;
pub mod resident_search;
pub mod scope_choices;
pub mod timeout;

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use tower_http::set_header::SetResponseHeaderLayer;

pub const OPENAPI: &str = include_str!("../openapi.json");

/// The body any route reads unless it says otherwise: forms and JSON commands are small, so
/// an anonymous caller cannot make the server hold a large body (login, report, track).
pub const BODY_LIMIT: usize = 256 * 1024;
/// A whole district's population or map in one file, for the import routes (signed in only).
pub const IMPORT_BODY_LIMIT: usize = 512 * 1024 * 1024;
/// Up to nine photos of 5 MB and the form around them.
pub const PHOTOS_BODY_LIMIT: usize =
    crate::cases::photos::MAX_PHOTOS as usize * crate::cases::photos::MAX_BYTES + 1024 * 1024;

/// The body limit for routes that take files.
pub fn body_limit(bytes: usize) -> DefaultBodyLimit {
    DefaultBodyLimit::max(bytes)
}

pub fn router(state: AppState) -> Router {
    let hsts = state.secure_cookies;
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/api/openapi.json", get(openapi))
        .merge(api_session::router())
        .merge(api_geo::router())
        .merge(api_places::router())
        .merge(api_population::router())
        .merge(api_admin::router())
        .merge(api_credentials::router())
        .merge(api_io::router())
        .merge(calendar_api::router())
        .merge(labels_api::router())
        .merge(crate::cases::api::router())
        .merge(crate::cases::pages::router())
        .merge(crate::cases::metrics::router())
        .merge(crate::cases::work::router())
        .merge(crate::cases::rules::router())
        .merge(crate::cases::patrol::router())
        .merge(crate::cases::hotline::router())
        .merge(crate::cases::extras_api::router())
        .merge(crate::cases::whistles::router())
        .merge(crate::cadres::router())
        .merge(crate::party_life::router())
        .merge(crate::assessment::router())
        .merge(crate::cadre_roster::router())
        .merge(crate::party::router())
        .merge(crate::red_grid::router())
        .merge(crate::services::router())
        .merge(crate::cobuild::router())
        .merge(crate::notice_board::router())
        .merge(crate::power_list::router())
        .merge(crate::supervision::router())
        .merge(crate::livelihood::router())
        .merge(crate::conduct::router())
        .merge(crate::deliberation::router())
        .merge(crate::emergency::router())
        .merge(crate::diagnosis::router())
        .merge(crate::webhooks::api::router())
        .merge(crate::ledger::router())
        .merge(crate::open311::router::<_, AppState>(
            std::sync::Arc::new(crate::cases::open311_port::StorePort(state.clone())),
            crate::open311::Open311Config::default(),
        ))
        .merge(pages::router())
        .merge(admin_pages::router())
        .merge(import_page::router())
        .merge(assets::router())
        .merge(crate::map::router())
        .merge(crate::inquiry::router())
        .fallback(not_found)
        .layer(axum::middleware::map_response(plain_errors_as_json))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(timeout::limit))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // No URL of ours reaches another site; same-origin keeps the language switch's way back.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::HeaderName::from_static("content-security-policy"),
            HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"),
        ))
        .with_state(state);
    if !hsts {
        return router;
    }
    // Behind TLS, browsers are told to use nothing else for a year, so a network attacker
    // cannot downgrade a later visit to plain http and read the session cookie.
    router.layer(SetResponseHeaderLayer::if_not_present(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static(HSTS),
    ))
}

/// `Strict-Transport-Security` when cookies are secure: a year, this host only (other hosts
/// of a government domain may still serve plain http).
pub const HSTS: &str = "max-age=31536000";

async fn healthz(State(st): State<AppState>) -> impl IntoResponse {
    match st.store.ping().await {
        Ok(()) => (StatusCode::OK, Json(serde_json::json!({"status": "ok"}))).into_response(),
        Err(e) => {
            let mut err = ApiError::from(e);
            err.status = StatusCode::SERVICE_UNAVAILABLE;
            err.into_response()
        }
    }
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}

/// axum answers malformed paths, queries and bodies in plain text; the API answers in one shape.
async fn plain_errors_as_json(resp: axum::response::Response) -> axum::response::Response {
    let status = resp.status();
    let is_text = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    if !(status.is_client_error() && is_text) {
        return resp;
    }
    let bytes = axum::body::to_bytes(resp.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let detail = String::from_utf8_lossy(&bytes).to_string();
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        _ => "bad_request",
    };
    ApiError::new(
        status,
        code,
        format!("请求格式有误：{detail}"),
        format!("malformed request: {detail}"),
    )
    .into_response()
}

async fn not_found() -> ApiError {
    ApiError::not_found("没有这个地址", "no such address")
}
