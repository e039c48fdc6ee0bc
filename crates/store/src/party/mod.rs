//! The party organisation in the population base: compounds (小区), the organisation tree,
//! members and their transfers, units in the area, 双找 registrations. The domain
//! (`gongzhi_domain::party`) decides; this module loads what it needs, writes the change and
//! its record event on the log (`ledger::append_record`) in one transaction.
//!
//! [`PartyTx`] is one unit of work: a form writes one thing through it, an import or the demo
//! many, and either way the changes and their log entries commit together or not at all.

mod compounds;
mod find;
mod members;
mod orgs;
mod units;

pub use compounds::{CompoundFilter, CompoundRow, CompoundUpsert};
pub use find::{
    CompoundFindCount, MatchRow, PartyResidentFilter, PartyResidentRow, RegistrationFilter,
    RegistrationRow,
};
pub use members::{MemberFilter, MemberRow, TransferRow};
pub use orgs::{OrgFilter, OrgRow};
pub use units::{UnitFilter, UnitRow};

use crate::Millis;
use crate::audit::Actor;
use crate::db::Store;
use crate::error::StoreError;
use crate::ledger::{RecordEvent, append_record};
use gongzhi_domain::Bilingual;
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::party::PartyError;
use sqlx::Row;

/// One transaction of party writes, each logged.
pub struct PartyTx<'s> {
    store: &'s Store,
    tx: sqlx::Transaction<'static, sqlx::Any>,
    actor_id: Option<i64>,
    actor_name: String,
    now: Millis,
}

impl Store {
    /// Starts a unit of party writes made by `actor`.
    pub async fn party_tx(&self, actor: &Actor<'_>) -> Result<PartyTx<'_>, StoreError> {
        Ok(PartyTx {
            store: self,
            tx: self.write_tx().await?,
            actor_id: actor.id,
            actor_name: actor.name.to_string(),
            now: crate::now_millis(),
        })
    }
}

impl PartyTx<'_> {
    /// Makes every write durable, with its log entries.
    pub async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        Ok(())
    }

    /// The area must exist (a clear 404 rather than a foreign-key failure).
    pub(crate) async fn require_area(&mut self, a: &AreaCode) -> Result<(), StoreError> {
        let found = sqlx::query("SELECT 1 AS one FROM areas WHERE code = $1")
            .bind(a.as_str())
            .fetch_optional(&mut *self.tx)
            .await?;
        match found {
            Some(_) => Ok(()),
            None => Err(StoreError::not_found(
                format!("区划 {a}"),
                format!("area {a}"),
            )),
        }
    }

    /// The grid must exist.
    pub(crate) async fn require_grid(
        &mut self,
        g: Option<&gongzhi_domain::codes::GridCode>,
    ) -> Result<(), StoreError> {
        let Some(g) = g else { return Ok(()) };
        let found = sqlx::query("SELECT 1 AS one FROM grids WHERE code = $1")
            .bind(g.to_string())
            .fetch_optional(&mut *self.tx)
            .await?;
        match found {
            Some(_) => Ok(()),
            None => Err(StoreError::not_found(
                format!("网格 {g}"),
                format!("grid {g}"),
            )),
        }
    }

    /// Logs one event of `subject` (`party_org/12`) in this transaction.
    async fn log(
        &mut self,
        subject: String,
        kind: &str,
        payload: serde_json::Value,
    ) -> Result<i64, StoreError> {
        append_record(
            &mut self.tx,
            &RecordEvent {
                subject,
                kind,
                payload,
                actor_id: self.actor_id,
                actor_name: &self.actor_name,
                at: self.now,
            },
        )
        .await
    }
}

/// A domain refusal as a store conflict (a 409/422 at the edge, in both languages).
pub(crate) fn refused(e: PartyError) -> StoreError {
    StoreError::Conflict {
        code: e.code(),
        zh: e.message_zh(),
        en: e.message_en(),
    }
}

pub(crate) fn date(r: &sqlx::any::AnyRow, col: &str) -> Result<Date, StoreError> {
    let s: String = r.try_get(col)?;
    Date::parse(&s).ok_or_else(|| StoreError::corrupt(format!("{col}: {s}")))
}

pub(crate) fn opt_date(r: &sqlx::any::AnyRow, col: &str) -> Result<Option<Date>, StoreError> {
    let s: Option<String> = r.try_get(col)?;
    s.map(|s| Date::parse(&s).ok_or_else(|| StoreError::corrupt(format!("{col}: {s}"))))
        .transpose()
}

pub(crate) fn area(r: &sqlx::any::AnyRow, col: &str) -> Result<AreaCode, StoreError> {
    let s: String = r.try_get(col)?;
    AreaCode::parse(&s).map_err(|e| StoreError::corrupt(format!("{col}: {e}")))
}

/// `LIKE` pattern of everything inside `a`.
pub(crate) fn inside(a: &AreaCode) -> String {
    format!("{}%", crate::geo_data::area_prefix(a))
}
