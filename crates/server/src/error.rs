//! One error shape at the edge: `{"error": {"code", "message", "message_en", "field"}}`.
//! Internal causes are logged, never sent to the client.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongzhi_domain::Bilingual;
use gongzhi_store::StoreError;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    pub message_en: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Row-level problems of a rejected import, when there are any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowError>,
    /// Seconds to wait before trying again, sent as `Retry-After` (a throttled address).
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub value: String,
    pub message: String,
    pub message_en: String,
}

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    /// Boxed so that `Result<_, ApiError>` stays small on the happy path.
    pub body: Box<ErrorBody>,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: &str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        ApiError {
            status,
            body: Box::new(ErrorBody {
                code: code.into(),
                message: zh.into(),
                message_en: en.into(),
                field: None,
                rows: Vec::new(),
                retry_after: None,
            }),
        }
    }

    pub fn from_bilingual(status: StatusCode, e: &dyn Bilingual) -> Self {
        ApiError {
            status,
            body: Box::new(ErrorBody {
                code: e.code().into(),
                message: e.message_zh(),
                message_en: e.message_en(),
                field: e.field(),
                rows: Vec::new(),
                retry_after: None,
            }),
        }
    }

    /// 422 for input that parsed as a request but is not a valid value, naming the field.
    pub fn invalid(field: &str, e: &dyn Bilingual) -> Self {
        let mut err = ApiError::from_bilingual(StatusCode::UNPROCESSABLE_ENTITY, e);
        err.body.field = Some(field.to_string());
        err
    }

    pub fn bad_request(field: &str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        let mut err = ApiError::new(StatusCode::BAD_REQUEST, "bad_request", zh, en);
        err.body.field = Some(field.to_string());
        err
    }

    pub fn unauthorized() -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "请先登录",
            "please log in",
        )
    }

    pub fn not_found(zh: impl Into<String>, en: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", zh, en)
    }

    pub fn with_rows(mut self, rows: Vec<RowError>) -> Self {
        self.body.rows = rows;
        self
    }
}

impl From<gongzhi_domain::access::Throttled> for ApiError {
    fn from(t: gongzhi_domain::access::Throttled) -> Self {
        let mut e = ApiError::from_bilingual(StatusCode::TOO_MANY_REQUESTS, &t);
        e.body.retry_after = Some(t.retry_after_secs());
        e
    }
}

impl From<gongzhi_domain::access::Denied> for ApiError {
    fn from(d: gongzhi_domain::access::Denied) -> Self {
        ApiError::from_bilingual(StatusCode::FORBIDDEN, &d)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        let status = match &e {
            StoreError::NotFound { .. } => StatusCode::NOT_FOUND,
            StoreError::Conflict { .. } => StatusCode::CONFLICT,
            StoreError::Rows(_) => StatusCode::UNPROCESSABLE_ENTITY,
            // A database outage is not the server's fault nor the request's: come back later.
            e if e.is_unavailable() => {
                tracing::warn!(error = %e, "database unavailable");
                StatusCode::SERVICE_UNAVAILABLE
            }
            StoreError::Database(_) | StoreError::Crypto(_) | StoreError::Corrupt(_) => {
                tracing::error!(error = %e, "store failure");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let mut api = ApiError::from_bilingual(status, &e);
        if let StoreError::Rows(rows) = e {
            api.body.rows = rows
                .into_iter()
                .map(|r| RowError {
                    row: r.index + 2,
                    column: r.column.to_string(),
                    value: r.value,
                    message: r.message_zh,
                    message_en: r.message_en,
                })
                .collect();
        }
        api
    }
}

#[derive(Serialize)]
struct Envelope<'a> {
    error: &'a ErrorBody,
}

/// Seconds a client is asked to wait (`Retry-After`) before trying again during an outage.
pub const RETRY_AFTER_SECS: u32 = 5;

/// Adds `Retry-After` to a 503, whatever its body (JSON here, HTML on pages).
pub fn with_retry_after(mut resp: Response) -> Response {
    if resp.status() == StatusCode::SERVICE_UNAVAILABLE {
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
    }
    resp
}

impl ApiError {
    /// Puts this error's status and `Retry-After` on a page drawn for it.
    pub fn mark(&self, mut page: Response) -> Response {
        *page.status_mut() = self.status;
        if let Some(secs) = self.body.retry_after {
            page.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        with_retry_after(page)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.mark((self.status, Json(Envelope { error: &self.body })).into_response())
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
