//! Open311 errors: an HTTP status plus the spec's list of `{code, description}`
//! (`<errors><error><code/><description/></error></errors>`).

use super::doc::{Document, Node};
use super::port::PortError;
use axum::http::StatusCode;

#[derive(Debug, Clone, PartialEq)]
pub struct Open311Error {
    pub status: StatusCode,
    /// `(code, description)`; the code is the HTTP status.
    pub errors: Vec<(u16, String)>,
}

impl Open311Error {
    /// One error; the description is written in Chinese, then English.
    pub fn new(status: StatusCode, zh: &str, en: &str) -> Self {
        Open311Error {
            status,
            errors: vec![(status.as_u16(), bilingual(zh, en))],
        }
    }

    pub fn bad_request(zh: &str, en: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, zh, en)
    }

    pub fn not_found(zh: &str, en: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, zh, en)
    }

    pub fn forbidden(zh: &str, en: &str) -> Self {
        Self::new(StatusCode::FORBIDDEN, zh, en)
    }

    /// Several 400 problems found together (e.g. every missing attribute).
    pub fn bad_requests(descriptions: Vec<String>) -> Self {
        Open311Error {
            status: StatusCode::BAD_REQUEST,
            errors: descriptions.into_iter().map(|d| (400, d)).collect(),
        }
    }

    pub fn document(&self) -> Document {
        Document {
            root: "errors",
            body: Node::List(
                "error",
                self.errors
                    .iter()
                    .map(|(code, description)| {
                        Node::Record(vec![
                            ("code", Node::Int(i64::from(*code))),
                            ("description", Node::text(description.as_str())),
                        ])
                    })
                    .collect(),
            ),
        }
    }
}

pub fn bilingual(zh: &str, en: &str) -> String {
    format!("{zh} / {en}")
}

impl From<PortError> for Open311Error {
    fn from(e: PortError) -> Self {
        let (status, description) = match e {
            PortError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            PortError::NotFound(m) => (StatusCode::NOT_FOUND, m),
            PortError::Forbidden(m) => (StatusCode::FORBIDDEN, m),
            PortError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                bilingual(
                    "服务内部错误，请稍后再试",
                    "internal error, please try again later",
                ),
            ),
        };
        Open311Error {
            status,
            errors: vec![(status.as_u16(), description)],
        }
    }
}
