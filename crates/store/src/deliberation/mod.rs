//! 有事好商量 kept: settings, topics and their supports, meetings (agenda, attendance,
//! minutes), motions and their votes, resolutions and their items. The domain
//! (`gongzhi_domain::deliberation`) decides every rule; the checks that depend on what is stored
//! (has this account supported already, has this household voted, does the support reach the
//! threshold) run inside the write's transaction, which also appends the record's event to the
//! log (`ledger::append_record`).

mod filter;
mod meetings;
mod motions;
mod resolutions;
mod rows;
mod settings;
mod topics;

pub use filter::DeliberationFilter;
pub use rows::{
    AttendanceRow, DeliberationMeetingRow, ItemRow, MotionRow, ResolutionRow, TopicRow, Voter,
};
pub use topics::{NewTopic, Supporter};

use crate::error::StoreError;
use gongzhi_domain::Bilingual;
use gongzhi_domain::deliberation::DeliberationError;

/// A deliberation write refused by the rules on what is stored, or failed in the store.
#[derive(Debug)]
pub enum DeliberationWriteError {
    Refused(DeliberationError),
    Store(StoreError),
}

impl From<StoreError> for DeliberationWriteError {
    fn from(e: StoreError) -> Self {
        DeliberationWriteError::Store(e)
    }
}

impl From<sqlx::Error> for DeliberationWriteError {
    fn from(e: sqlx::Error) -> Self {
        DeliberationWriteError::Store(e.into())
    }
}

impl From<DeliberationError> for DeliberationWriteError {
    fn from(e: DeliberationError) -> Self {
        DeliberationWriteError::Refused(e)
    }
}

impl std::fmt::Display for DeliberationWriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeliberationWriteError::Refused(e) => f.write_str(&e.message_en()),
            DeliberationWriteError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for DeliberationWriteError {}

pub type WriteResult<T> = Result<T, DeliberationWriteError>;

pub(crate) use crate::red_grid::{date_col, log, opt_date_col};

fn parse_col<T>(
    r: &sqlx::any::AnyRow,
    col: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, StoreError> {
    use sqlx::Row;
    let s: String = r.try_get(col)?;
    parse(&s).ok_or_else(|| StoreError::corrupt(format!("{col}: {s}")))
}
