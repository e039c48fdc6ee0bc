//! 消极怠政 kept: categories, reports (the reporter's identity sealed with the personal-data
//! cipher, the public reporter's lookup code keyed), investigators, evidence, accountability
//! actions, reviewed signals and the signal thresholds. Each write checks the stored state
//! inside its transaction (`ReportState`'s rules, the report's row touched first so PostgreSQL
//! locks it) and appends its event to the log there (subject `misconduct/ID`): codes and counts
//! only — no names, no texts. Reading a reporter's identity writes the audit log first.

mod categories;
mod reads;
mod rows;
mod signals;
mod writes;

pub use rows::{
    ActionRecord, InvestigatorRow, MisconductEvidenceRow, MisconductFilter, MisconductReportRow,
    NewReport, ReporterIdentity, SignalData,
};

use crate::error::StoreError;
use gongzhi_domain::Bilingual;
use gongzhi_domain::conduct::ConductError;

/// A write refused by the conduct rules on what is stored, or failed in the store.
#[derive(Debug)]
pub enum ConductWriteError {
    Refused(ConductError),
    Store(StoreError),
}

impl From<StoreError> for ConductWriteError {
    fn from(e: StoreError) -> Self {
        ConductWriteError::Store(e)
    }
}

impl From<sqlx::Error> for ConductWriteError {
    fn from(e: sqlx::Error) -> Self {
        ConductWriteError::Store(e.into())
    }
}

impl From<ConductError> for ConductWriteError {
    fn from(e: ConductError) -> Self {
        ConductWriteError::Refused(e)
    }
}

impl std::fmt::Display for ConductWriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConductWriteError::Refused(e) => f.write_str(&e.message_en()),
            ConductWriteError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ConductWriteError {}
