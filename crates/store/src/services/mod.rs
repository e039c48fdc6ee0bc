//! 一有七中心 kept: the city's centre settings, each community's centres with their staff and
//! the lead departments' assessment items, household tags and resident accounts, the menu,
//! orders with their fulfilment and rating, and the providers. The domain
//! (`gongzhi_domain::services`) decides every rule; what depends on stored state (who the
//! applicant is, how full the slot is, which order waits first) is read inside the write's
//! transaction, which also appends the record's event to the log (`ledger::append_record`).

mod centres;
mod counts;
mod menu;
mod orders;
mod people;
mod providers;
mod rows;

pub use centres::CentrePlace;
pub use counts::CountBy;
pub use menu::MenuFilter;
pub use orders::{NewOrder, OrderChannel, OrderFilter};
pub use rows::{
    AssessmentItemRow, CentreRow, MenuItemRow, NewCentre, NewMenuItem, OrderRow, ProviderRow,
    StaffRow,
};

use crate::error::StoreError;
use crate::ledger::{RecordEvent, append_record};
use crate::{EventActor, Millis};
use gongzhi_domain::Bilingual;
use gongzhi_domain::services::ServicesError;
use sqlx::AnyConnection;

/// A services write refused by the rules on what is stored, or failed in the store.
#[derive(Debug)]
pub enum ServicesWriteError {
    Refused(ServicesError),
    Store(StoreError),
}

impl From<StoreError> for ServicesWriteError {
    fn from(e: StoreError) -> Self {
        ServicesWriteError::Store(e)
    }
}

impl From<sqlx::Error> for ServicesWriteError {
    fn from(e: sqlx::Error) -> Self {
        ServicesWriteError::Store(e.into())
    }
}

impl From<ServicesError> for ServicesWriteError {
    fn from(e: ServicesError) -> Self {
        ServicesWriteError::Refused(e)
    }
}

impl std::fmt::Display for ServicesWriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServicesWriteError::Refused(e) => f.write_str(&e.message_en()),
            ServicesWriteError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ServicesWriteError {}

pub type ServicesResult<T> = Result<T, ServicesWriteError>;

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

fn not_found(zh: &str, en: &str, id: i64) -> StoreError {
    StoreError::not_found(format!("{zh} {id}"), format!("{en} {id}"))
}

impl crate::db::Store {
    /// The kinds of the record events of one subject (`order/12` …), oldest first.
    pub async fn record_events_of(&self, subject: &str) -> Result<Vec<String>, StoreError> {
        use sqlx::Row;
        let rows = sqlx::query("SELECT kind FROM record_events WHERE subject = $1 ORDER BY id")
            .bind(subject)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| r.try_get("kind").map_err(StoreError::from))
            .collect()
    }
}
