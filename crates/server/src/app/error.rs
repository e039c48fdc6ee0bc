//! What the application layer refuses, typed; the edge turns it into the one error shape.

use gongzhi_domain::Bilingual;
use gongzhi_domain::calendar::CalendarError;
use gongzhi_domain::case::Refusal;
use gongzhi_store::{CaseWriteError, StoreError};

#[derive(Debug)]
pub enum AppError {
    /// A value that cannot be used, naming the field.
    BadInput {
        field: &'static str,
        zh: String,
        en: String,
    },
    /// A schedule file refused, naming its line.
    Calendar(CalendarError),
    /// The point lies in no grid of this city.
    OutsideGrids,
    /// Photos brought by someone with no part in the case (`case::may_attach_evidence`).
    EvidenceNotAllowed,
    /// The domain's refusal.
    Refused(Refusal),
    /// The conduct rules' refusal (消极怠政 reports).
    Conduct(gongzhi_domain::conduct::ConductError),
    /// The store's refusal or failure.
    Store(StoreError),
}

impl AppError {
    pub(crate) fn bad_input(
        field: &'static str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        AppError::BadInput {
            field,
            zh: zh.into(),
            en: en.into(),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::Store(e)
    }
}

impl From<CaseWriteError<AppError>> for AppError {
    fn from(e: CaseWriteError<AppError>) -> Self {
        match e {
            CaseWriteError::Refused(r) => r,
            CaseWriteError::Store(s) => AppError::Store(s),
        }
    }
}

impl From<gongzhi_store::ConductWriteError> for AppError {
    fn from(e: gongzhi_store::ConductWriteError) -> Self {
        match e {
            gongzhi_store::ConductWriteError::Refused(c) => AppError::Conduct(c),
            gongzhi_store::ConductWriteError::Store(s) => AppError::Store(s),
        }
    }
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        AppError::Refused(r)
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::BadInput { field, en, .. } => write!(f, "{field}: {en}"),
            AppError::Calendar(e) => write!(f, "{e}"),
            AppError::OutsideGrids => f.write_str("that location is in no grid of this city"),
            AppError::EvidenceNotAllowed => {
                f.write_str("only those with a part in the case may add photos")
            }
            AppError::Refused(r) => f.write_str(&r.message_en()),
            AppError::Conduct(c) => f.write_str(&c.message_en()),
            AppError::Store(s) => write!(f, "{s}"),
        }
    }
}
