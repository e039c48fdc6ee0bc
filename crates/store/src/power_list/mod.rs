//! 权力清单 kept: power items with their published versions, and the city's risk settings.
//! Creating, publishing, changing and retiring an item check the stored state inside the
//! write's transaction (`PowerState`'s rules), score the risk under the stored settings, and
//! append the event to the log in it (subject `power_item/ID`) with codes (owner, number, type,
//! risk level) and content hashes — never the author. Changing the settings re-levels every
//! item in one transaction.

mod reads;
mod rows;
mod writes;

pub use rows::{PowerFilter, PowerItemRow, PowerVersionRow, Relevelled};

use crate::error::StoreError;
use gongzhi_domain::Bilingual;
use gongzhi_domain::power_list::PowerError;

/// A power-list write refused by the rules on what is stored, or failed in the store.
#[derive(Debug)]
pub enum PowerWriteError {
    Refused(PowerError),
    Store(StoreError),
}

impl From<StoreError> for PowerWriteError {
    fn from(e: StoreError) -> Self {
        PowerWriteError::Store(e)
    }
}

impl From<sqlx::Error> for PowerWriteError {
    fn from(e: sqlx::Error) -> Self {
        PowerWriteError::Store(e.into())
    }
}

impl From<PowerError> for PowerWriteError {
    fn from(e: PowerError) -> Self {
        PowerWriteError::Refused(e)
    }
}

impl std::fmt::Display for PowerWriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PowerWriteError::Refused(e) => f.write_str(&e.message_en()),
            PowerWriteError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for PowerWriteError {}
