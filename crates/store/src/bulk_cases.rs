//! The bulk path for cases: many finished case histories written with multi-row INSERTs, for
//! the city-scale generator. Each history was decided by the domain event by event, exactly as
//! the workflow does; this module writes the same rows the workflow's transactions would have
//! written (case row, one row per event, one pending log entry per event) — only many at once.
//!
//! Preparing (JSON, encryption, entry bytes and salts) is pure CPU and runs on the caller's
//! threads; inserting is one transaction per batch.

use crate::Millis;
use crate::cases::{CaseDetails, EventActor, lookup_digest};
use crate::db::Store;
use crate::error::StoreError;
use crate::ledger::entry::{self, EntrySource, ReportDetails};
use crate::pii::PiiField;
use crate::sql::{Arg, CHUNK, Sql};
use gongzhi_domain::case::{Case, Event};
use sqlx::Row;
use std::collections::BTreeMap;

/// One case as the workflow would have left it: its rule state after the last event, what was
/// reported, and every event with who caused it and when.
#[derive(Clone, Debug)]
pub struct CaseHistory {
    pub case: Case,
    pub details: CaseDetails,
    pub lookup_code: String,
    pub reported_at: Millis,
    pub closed_at: Option<Millis>,
    /// When the deadline job must look at the case next (`None`: never).
    pub clock_at: Option<Millis>,
    pub events: Vec<(Event, EventActor, Millis)>,
}

/// A history turned into column values, ready to insert.
pub struct PreparedCase {
    case_row: Vec<Arg>,
    events: Vec<Vec<Arg>>,
    entries: Vec<Vec<Arg>>,
    /// Where and what the case adds to the scorecard tallies.
    tally: (crate::tallies::TallyKey, crate::tallies::Tally),
    /// `yyyymmdd` and the ticket's sequence on that day.
    day: String,
    day_seq: i64,
    /// The case when it has whistles, for their projection (`whistles`, `whistle_parts`).
    whistled: Option<Case>,
}

const CASE_INSERT: &str = "INSERT INTO cases (id, ticket, lookup_hash, state, version, category_code, channel, \
     community_code, grid_code, lon, lat, address, description, department_code, level, emergency, \
     reported_at, dispatched_at, deadline, warned, overdue, clock_at, closed_at, reporter_account, \
     reporter_phone_enc, supporters, state_json, satisfaction) VALUES ";

impl Store {
    /// The id the next case gets (ids are assigned by the caller on the bulk path).
    pub async fn next_case_id(&self) -> Result<i64, StoreError> {
        let n: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) + 1 AS n FROM cases")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        Ok(n)
    }

    /// The last ticket sequence of each day that has tickets (`yyyymmdd` → last).
    pub async fn ticket_counters(
        &self,
    ) -> Result<std::collections::HashMap<String, i64>, StoreError> {
        let rows = sqlx::query("SELECT day, last FROM ticket_counters")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("day")?, r.try_get("last")?)))
            .collect()
    }

    /// The departments that hold cases, in code order.
    pub async fn departments_with_cases(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT department_code FROM cases WHERE department_code IS NOT NULL
             ORDER BY department_code",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok(r.try_get("department_code")?))
            .collect()
    }

    /// The grid whose cases are in the most different states (then the most cases): the demo
    /// accounts' own part of the city, so that their pages show every kind of work.
    pub async fn liveliest_grid(&self) -> Result<Option<String>, StoreError> {
        self.liveliest("grid_code").await
    }

    /// The department whose cases are in the most different states (then the most cases).
    pub async fn liveliest_department(&self) -> Result<Option<String>, StoreError> {
        self.liveliest("department_code").await
    }

    async fn liveliest(&self, column: &'static str) -> Result<Option<String>, StoreError> {
        // `column` is one of two constants above, never input.
        let row = sqlx::query(crate::cases::AssertSql::new(format!(
            "SELECT {column} AS k FROM cases WHERE {column} IS NOT NULL GROUP BY {column}
             ORDER BY COUNT(DISTINCT state) DESC, COUNT(*) DESC, {column} LIMIT 1"
        )))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok(r.try_get("k")?)).transpose()
    }

    /// Up to `limit` buildings, as places cases are reported at: grid code, address, lon, lat.
    pub async fn case_places(
        &self,
        limit: i64,
    ) -> Result<Vec<(String, String, f64, f64)>, StoreError> {
        let rows =
            sqlx::query("SELECT grid_code, address, lon, lat FROM buildings ORDER BY id LIMIT $1")
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("grid_code")?,
                    r.try_get("address")?,
                    r.try_get("lon")?,
                    r.try_get("lat")?,
                ))
            })
            .collect()
    }

    /// Turns a history into rows: the same state columns, event payloads and log entries the
    /// workflow writes (`docs/ledger-entry.md`), each entry with its own random salt.
    pub fn prepare_case(&self, h: &CaseHistory) -> Result<PreparedCase, StoreError> {
        let c = &h.case;
        let corrupt = |e: serde_json::Error| StoreError::corrupt(format!("case history: {e}"));
        let state_json = crate::cases::state_json(c)?;
        let phone = h.details.reporter_phone.as_ref().map(|p| p.as_str());
        let case_row = vec![
            Arg::Int(c.id),
            Arg::Text(c.ticket.clone()),
            Arg::Bytes(
                lookup_digest(&self.pii, &h.lookup_code)
                    .ok_or_else(|| StoreError::corrupt(format!("lookup code of case {}", c.id)))?,
            ),
            Arg::Text(c.state.as_str().into()),
            Arg::Int(c.version),
            Arg::Text(c.category.clone()),
            Arg::Text(c.channel.as_str().into()),
            Arg::OptText(c.community.map(|a| a.as_str().to_string())),
            Arg::OptText(c.grid.map(|g| g.as_str().to_string())),
            Arg::OptReal(h.details.lon),
            Arg::OptReal(h.details.lat),
            Arg::Text(h.details.address.clone()),
            Arg::Text(h.details.description.clone()),
            Arg::OptText(c.department.clone()),
            Arg::Int(i64::from(c.level.get())),
            Arg::Int(i64::from(c.emergency)),
            Arg::Int(h.reported_at),
            Arg::OptInt(c.dispatched_at),
            Arg::OptInt(c.deadline),
            Arg::Int(i64::from(c.warned)),
            Arg::Int(i64::from(c.overdue)),
            Arg::OptInt(h.clock_at),
            Arg::OptInt(h.closed_at),
            Arg::OptInt(c.reporter),
            Arg::OptBytes(phone.map(|p| self.pii.encrypt(PiiField::Phone, p))),
            Arg::Int(i64::from(c.supporters)),
            Arg::Text(state_json),
            Arg::OptText(crate::cases::satisfaction_of(c)),
        ];
        let report = ReportDetails {
            description: h.details.description.clone(),
            address: h.details.address.clone(),
            location: h.details.lon.zip(h.details.lat),
            reporter_phone: phone.map(str::to_string),
        };
        let mut events = Vec::with_capacity(h.events.len());
        let mut entries = Vec::with_capacity(h.events.len());
        for (i, (event, actor, at)) in h.events.iter().enumerate() {
            let seq = i as i64 + 1;
            let payload = serde_json::to_string(event).map_err(corrupt)?;
            let salt = entry::new_salt();
            let bytes = entry::build_entry(
                &EntrySource {
                    ticket: &c.ticket,
                    seq,
                    kind: event.kind(),
                    payload: &payload,
                    actor_id: actor.account_id,
                    actor_name: &actor.name,
                    at: *at,
                    report: (event.kind() == "reported").then_some(&report),
                    record: false,
                },
                &salt,
            )
            .map_err(|e| StoreError::corrupt(format!("ledger entry of {}: {e}", c.ticket)))?;
            entries.push(vec![
                Arg::Int(c.id),
                Arg::Int(seq),
                Arg::Bytes(crate::ledger::packed::pack(&bytes)),
                Arg::Bytes(salt),
                Arg::Int(*at),
            ]);
            events.push(vec![
                Arg::Int(c.id),
                Arg::Int(seq),
                Arg::Text(event.kind().into()),
                Arg::Text(payload),
                Arg::OptInt(actor.account_id),
                Arg::Text(actor.name.clone()),
                Arg::Int(*at),
            ]);
        }
        let (day, day_seq) = c.ticket.split_at(8.min(c.ticket.len()));
        Ok(PreparedCase {
            tally: (
                crate::tallies::key_of(c, h.reported_at),
                crate::tallies::contribution(c),
            ),
            case_row,
            events,
            entries,
            day: day.to_string(),
            day_seq: day_seq.parse().unwrap_or(0),
            whistled: (!c.whistles.is_empty()).then(|| c.clone()),
        })
    }

    /// Writes prepared cases in one transaction: case rows, event rows, pending log entries
    /// (the sequencer integrates them as it does any other) and the days' ticket counters.
    pub async fn insert_prepared_cases(&self, cases: Vec<PreparedCase>) -> Result<(), StoreError> {
        let mut days: BTreeMap<String, i64> = BTreeMap::new();
        let mut tallies = crate::tallies::Deltas::default();
        let mut case_rows = Vec::with_capacity(cases.len());
        let mut event_rows = Vec::with_capacity(cases.len() * 8);
        let mut entry_rows = Vec::with_capacity(cases.len() * 8);
        let mut whistled = Vec::new();
        for p in cases {
            whistled.extend(p.whistled);
            let last = days.entry(p.day).or_default();
            *last = (*last).max(p.day_seq);
            tallies.add(p.tally.0, &p.tally.1, 1);
            case_rows.push(p.case_row);
            event_rows.extend(p.events);
            entry_rows.extend(p.entries);
        }
        let mut tx = self.write_tx().await?;
        insert_rows(&mut tx, self.backend, CASE_INSERT, case_rows, CHUNK / 2).await?;
        insert_rows(
            &mut tx,
            self.backend,
            "INSERT INTO case_events (case_id, seq, kind, payload, actor_id, actor_name, at) VALUES ",
            event_rows,
            CHUNK,
        )
        .await?;
        insert_rows(
            &mut tx,
            self.backend,
            "INSERT INTO ledger_entries (case_id, case_seq, entry, salt, created_at) VALUES ",
            entry_rows,
            CHUNK,
        )
        .await?;
        let mut x = crate::exec::SqlxExec {
            conn: &mut tx,
            backend: self.backend,
        };
        tallies.write(&mut x).await?;
        for c in &whistled {
            crate::whistles::sync(&mut x, c).await?;
        }
        for (day, last) in days {
            sqlx::query(
                "INSERT INTO ticket_counters (day, last) VALUES ($1, $2)
                 ON CONFLICT (day) DO UPDATE SET last = CASE WHEN excluded.last > ticket_counters.last
                 THEN excluded.last ELSE ticket_counters.last END",
            )
            .bind(day)
            .bind(last)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

async fn insert_rows(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: crate::db::Backend,
    head: &str,
    rows: Vec<Vec<Arg>>,
    chunk: usize,
) -> Result<(), StoreError> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut sql = Sql::new(head);
        sql.values(rows.by_ref().take(chunk));
        sql.query(backend).execute(&mut **tx).await?;
    }
    Ok(())
}
