//! 七天督办 kept: supervision orders with their clock points and history, and the
//! accountability suggestions the clock raises. Every write is one transaction with its log
//! event on `supervision/ID` (codes, ids and instants; what was typed stays off the log). The
//! item an order is on is read here (`supervised_item`) so the server can ask the policy about
//! its place before issuing.

mod reads;
mod rows;
mod writes;

pub(crate) use writes::{close_suggestion, insert_order};

pub use rows::{
    SuggestionRow, SupervisedItem, SupervisionFilter, SupervisionHistoryRow, SupervisionRow,
};

use crate::error::StoreError;
use gongzhi_domain::Bilingual;
use gongzhi_domain::supervision::SupervisionError;

/// A supervision write refused by the rules on what is stored, or failed in the store.
#[derive(Debug)]
pub enum SupervisionWriteError {
    Refused(SupervisionError),
    Store(StoreError),
}

impl From<StoreError> for SupervisionWriteError {
    fn from(e: StoreError) -> Self {
        SupervisionWriteError::Store(e)
    }
}

impl From<sqlx::Error> for SupervisionWriteError {
    fn from(e: sqlx::Error) -> Self {
        SupervisionWriteError::Store(e.into())
    }
}

impl From<SupervisionError> for SupervisionWriteError {
    fn from(e: SupervisionError) -> Self {
        SupervisionWriteError::Refused(e)
    }
}

impl std::fmt::Display for SupervisionWriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SupervisionWriteError::Refused(e) => f.write_str(&e.message_en()),
            SupervisionWriteError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SupervisionWriteError {}
