//! Every request has a time limit (security finding 18: none had one, so a slow client or a
//! runaway query held its task and connection for ever). Imports of whole district files get
//! longer: a million rows take minutes.

use crate::error::ApiError;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// The limit for an ordinary request: pages, API calls, exports.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// The limit for a file import.
pub const IMPORT_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// The routes that take whole files (the same ones that raise the body limit).
const IMPORT_PATHS: [&str; 5] = [
    "/api/v1/imports/",
    "/api/v1/dispatch-rules/import",
    "/import",
    "/hotline",
    "/rules/import",
];

fn limit_for(path: &str) -> Duration {
    let import = IMPORT_PATHS
        .iter()
        .any(|p| path == *p || (p.ends_with('/') && path.starts_with(p)));
    if import {
        IMPORT_TIMEOUT
    } else {
        REQUEST_TIMEOUT
    }
}

pub async fn limit(req: Request, next: Next) -> Response {
    let limit = limit_for(req.uri().path());
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            format!("请求处理超过{}秒，已中止，请稍后重试", limit.as_secs()),
            format!(
                "the request took longer than {} s and was stopped; try again later",
                limit.as_secs()
            ),
        )
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_get_the_long_limit_and_nothing_else_does() {
        for p in [
            "/api/v1/imports/residents",
            "/api/v1/imports/hotline",
            "/api/v1/dispatch-rules/import",
            "/import",
            "/hotline",
            "/rules/import",
        ] {
            assert_eq!(limit_for(p), IMPORT_TIMEOUT, "{p}");
        }
        for p in [
            "/api/v1/cases",
            "/importer",
            "/api/v1/imports",
            "/report",
            "/",
        ] {
            assert_eq!(limit_for(p), REQUEST_TIMEOUT, "{p}");
        }
    }
}
