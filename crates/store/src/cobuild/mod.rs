//! 契约化共建 kept: contracts, commitments, delivery records with their evidence, and the
//! community's ratings. The domain (`gongzhi_domain::cobuild`) decides every rule; the checks
//! that depend on what is stored (whether a commitment was delivered in full, whether anything
//! was delivered to rate) run inside the write's transaction, which also appends the record's
//! event to the log (`ledger::append_record`). Overdue is never stored: it follows from the
//! dates as of the day asked.

mod reads;
mod rows;
mod writes;

pub use rows::{CoBuildDeliveryRow, CoBuildFilter, CoBuildPhoto, CommitmentRow, ContractRow};
pub use writes::NewDelivery;

use crate::error::StoreError;
use gongzhi_domain::Bilingual;
use gongzhi_domain::cobuild::CoBuildError;

/// A co-build write refused by the rules on what is stored, or failed in the store.
#[derive(Debug)]
pub enum CoBuildWriteError {
    Refused(CoBuildError),
    Store(StoreError),
}

impl From<StoreError> for CoBuildWriteError {
    fn from(e: StoreError) -> Self {
        CoBuildWriteError::Store(e)
    }
}

impl From<sqlx::Error> for CoBuildWriteError {
    fn from(e: sqlx::Error) -> Self {
        CoBuildWriteError::Store(e.into())
    }
}

impl From<CoBuildError> for CoBuildWriteError {
    fn from(e: CoBuildError) -> Self {
        CoBuildWriteError::Refused(e)
    }
}

impl std::fmt::Display for CoBuildWriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CoBuildWriteError::Refused(e) => f.write_str(&e.message_en()),
            CoBuildWriteError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for CoBuildWriteError {}
