//! 红色网格 kept: grid roles, household links (联户), visits (民情日记), mediation records and
//! the city's household bounds. The domain (`gongzhi_domain::red_grid`) decides every rule;
//! the checks that depend on what is stored (how many households a member serves now, whether a
//! household has a member already) run inside the write's transaction, which also appends the
//! record's event to the log (`ledger::append_record`).

mod coverage;
mod links;
mod lists;
mod mediations;
mod roles;
mod rows;
mod seed;
mod settings;
mod visits;

pub use lists::RedGridFilter;
pub use rows::{
    GridRoleRow, HouseholdLinkRow, LinkedHouseholdRow, MediationRow, VisitPhoto, VisitRow,
};
pub use seed::{SeedAccount, SeedLink, SeedRole, SeedVisit};
pub use visits::NewVisit;

use crate::error::StoreError;
use crate::ledger::{RecordEvent, append_record};
use crate::{EventActor, Millis};
use gongzhi_domain::Bilingual;
use gongzhi_domain::calendar::Date;
use gongzhi_domain::red_grid::RedGridError;
use sqlx::{AnyConnection, Row};

/// A red grid write refused by the rules on what is stored, or failed in the store.
#[derive(Debug)]
pub enum RedGridWriteError {
    Refused(RedGridError),
    Store(StoreError),
}

impl From<StoreError> for RedGridWriteError {
    fn from(e: StoreError) -> Self {
        RedGridWriteError::Store(e)
    }
}

impl From<sqlx::Error> for RedGridWriteError {
    fn from(e: sqlx::Error) -> Self {
        RedGridWriteError::Store(e.into())
    }
}

impl From<RedGridError> for RedGridWriteError {
    fn from(e: RedGridError) -> Self {
        RedGridWriteError::Refused(e)
    }
}

impl std::fmt::Display for RedGridWriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RedGridWriteError::Refused(e) => f.write_str(&e.message_en()),
            RedGridWriteError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for RedGridWriteError {}

pub type WriteResult<T> = Result<T, RedGridWriteError>;

/// A building's address with its name (unless the address ends with it already) and, when
/// given, the room: how a household is found on the ground.
pub fn place_text(address: &str, building: &str, room: &str) -> String {
    let mut out = address.trim().to_string();
    if !building.is_empty() && !out.ends_with(building) {
        out.push(' ');
        out.push_str(building);
    }
    if !room.is_empty() {
        out.push(' ');
        out.push_str(room);
    }
    out
}

pub(crate) fn date_col(r: &sqlx::any::AnyRow, col: &str) -> Result<Date, StoreError> {
    let s: String = r.try_get(col)?;
    Date::parse(&s).ok_or_else(|| StoreError::corrupt(format!("{col}: {s}")))
}

pub(crate) fn opt_date_col(r: &sqlx::any::AnyRow, col: &str) -> Result<Option<Date>, StoreError> {
    let s: Option<String> = r.try_get(col)?;
    s.map(|s| Date::parse(&s).ok_or_else(|| StoreError::corrupt(format!("{col}: {s}"))))
        .transpose()
}

/// Appends one record event (`subject`, `kind`, `payload`) by `actor` at `at`.
pub(crate) async fn log(
    conn: &mut AnyConnection,
    subject: String,
    kind: &str,
    payload: serde_json::Value,
    actor: &EventActor,
    at: Millis,
) -> Result<i64, StoreError> {
    append_record(
        conn,
        &RecordEvent {
            subject,
            kind,
            payload,
            actor_id: actor.account_id,
            actor_name: &actor.name,
            at,
        },
    )
    .await
}
