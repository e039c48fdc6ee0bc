//! Cases (诉求/案卷) and their events. The domain decides; this module persists: a case row with
//! the columns lists and jobs filter on, the full rule state as JSON, and one row per event.
//! Every change runs in one transaction that also checks the case's version (optimistic
//! concurrency), so a stale writer changes nothing.

use crate::Millis;
use crate::db::Store;
use crate::error::StoreError;
use crate::exec::{Cols, Exec, unique_violation};
use crate::group_commit::write_case;
use crate::pii::{PiiCipher, PiiField};
use crate::sql::{Arg, Sql};
use gongzhi_domain::case::{Case, Event};
use gongzhi_domain::codes::{AreaCode, GridCode, Phone};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// What a report says besides the rule state: where, what, and who to call back.
#[derive(Clone, Debug, Default)]
pub struct CaseDetails {
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub address: String,
    pub description: String,
    /// A hotline caller's or resident's number, encrypted at rest like every phone number.
    pub reporter_phone: Option<Phone>,
}

/// Who caused an event, for the timeline.
#[derive(Clone, Debug)]
pub struct EventActor {
    pub account_id: Option<i64>,
    pub name: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct CaseRow {
    pub id: i64,
    pub ticket: String,
    pub address: String,
    pub description: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub reported_at: Millis,
    pub closed_at: Option<Millis>,
    pub supporters: i64,
    pub updated_at: Millis,
    /// The rule state (state, version, category, department, level, deadline …).
    pub case: Case,
}

#[derive(Clone, Debug, Serialize)]
pub struct CaseEventRow {
    pub id: i64,
    pub case_id: i64,
    pub seq: i64,
    pub kind: String,
    pub event: Event,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub at: Millis,
}

/// A case after a command: its new rule state, the events that made it, and when the deadline
/// job must look at it next (the warning point, then the deadline; `None`: never).
#[derive(Clone, Debug)]
pub struct CaseChange {
    pub after: Case,
    pub events: Vec<Event>,
    pub clock_at: Option<Millis>,
    /// The inbox notices and webhook deliveries the events cause, written with them.
    pub notices: Vec<CaseNotification>,
    /// The author of each event when they differ (an intake: the reporter files, the system
    /// registers and dispatches); empty when the command's actor wrote them all.
    pub actors: Vec<EventActor>,
    /// Photos (already on disk) that are evidence of the last of `events`, written with them.
    pub photos: Vec<crate::NewPhoto>,
    /// A diagnosis finding this new case acts on, marked in the case's transaction.
    pub acts_on: Option<crate::FindingAct>,
}

/// At most this many photos on one case, whoever adds them.
pub const MAX_CASE_PHOTOS: i64 = 9;

impl CaseChange {
    /// A change by one actor that tells no one.
    pub fn new(after: Case, events: Vec<Event>, clock_at: Option<Millis>) -> Self {
        CaseChange {
            after,
            events,
            clock_at,
            notices: Vec::new(),
            actors: Vec::new(),
            photos: Vec::new(),
            acts_on: None,
        }
    }
}

/// An inbox notice, and when the fact has a webhook event, the payload to deliver to every
/// active webhook subscribed to it.
#[derive(Clone, Debug)]
pub struct CaseNotification {
    /// `department:CODE`, `grid:CODE`, `area:CODE` or `all` — the inbox's recipient key.
    pub recipient: String,
    pub kind: String,
    pub message: String,
    pub webhook: Option<(crate::WebhookEvent, String)>,
}

/// A case command refused by the domain, or the store's own refusal.
#[derive(Debug)]
pub enum CaseWriteError<E> {
    Refused(E),
    Store(StoreError),
}

impl<E> From<StoreError> for CaseWriteError<E> {
    fn from(e: StoreError) -> Self {
        CaseWriteError::Store(e)
    }
}

impl<E> From<sqlx::Error> for CaseWriteError<E> {
    fn from(e: sqlx::Error) -> Self {
        CaseWriteError::Store(e.into())
    }
}

#[derive(Clone, Debug, Default)]
pub struct CaseFilter {
    pub area: Option<AreaCode>,
    pub grid: Option<GridCode>,
    pub department: Option<String>,
    pub states: Vec<String>,
    pub category: Option<String>,
    pub reported_from: Option<Millis>,
    pub reported_to: Option<Millis>,
    pub ids: Vec<i64>,
    pub tickets: Vec<String>,
    pub overdue_only: bool,
    /// Warned of the coming deadline and not overdue yet (即将超期).
    pub due_soon_only: bool,
    pub reporter: Option<i64>,
    /// Any of these categories (in addition to `category`).
    pub categories: Vec<String>,
    /// Part of the ticket number, as a clerk types it from a call or a slip.
    pub ticket_contains: Option<String>,
    /// The stored form of a resident's lookup code ([`lookup_digest`]).
    pub lookup_hash: Option<Vec<u8>>,
    /// Words in the address or the description.
    pub text: Option<String>,
    /// Newest report first instead of most urgent first (Open311 lists).
    pub newest_first: bool,
    /// Reading every matching case page by page: only ids above this one, in id order (a
    /// keyset page costs the same however deep the read is, unlike an offset).
    pub after_id: Option<i64>,
    pub offset: i64,
    pub limit: i64,
}

/// `create_case`'s refusal when another case has the lookup code: draw another.
pub const LOOKUP_CODE_TAKEN: &str = "lookup_code_taken";

/// The stored form of a lookup code: the keyed index (`PiiCipher::lookup_index`) of the
/// SHA-256 of its normal form (spaces and dashes dropped, upper case). `None` for text that
/// is no lookup code.
pub fn lookup_digest(pii: &PiiCipher, code: &str) -> Option<Vec<u8>> {
    let normal = gongzhi_domain::case::normalize_lookup_code(code)?;
    Some(pii.lookup_index(&Sha256::digest(normal.as_bytes())))
}

pub(crate) const CASE_COLUMNS: &str =
    "id, ticket, address, description, lon, lat, reported_at, closed_at, supporters, state_json,
    (SELECT MAX(at) FROM case_events e WHERE e.case_id = cases.id) AS updated_at";

pub(crate) fn case_row(r: &impl Cols) -> Result<CaseRow, StoreError> {
    let json = r.text("state_json")?;
    let case: Case =
        serde_json::from_str(&json).map_err(|e| StoreError::corrupt(format!("case state: {e}")))?;
    let reported_at = r.int("reported_at")?;
    Ok(CaseRow {
        id: r.int("id")?,
        ticket: r.text("ticket")?,
        address: r.text("address")?,
        description: r.text("description")?,
        lon: r.opt_real("lon")?,
        lat: r.opt_real("lat")?,
        reported_at,
        closed_at: r.opt_int("closed_at")?,
        supporters: r.int("supporters")?,
        updated_at: r.opt_int("updated_at")?.unwrap_or(reported_at),
        case,
    })
}

fn event_row(r: &impl Cols) -> Result<CaseEventRow, StoreError> {
    let payload = r.text("payload")?;
    Ok(CaseEventRow {
        id: r.int("id")?,
        case_id: r.int("case_id")?,
        seq: r.int("seq")?,
        kind: r.text("kind")?,
        event: serde_json::from_str(&payload)
            .map_err(|e| StoreError::corrupt(format!("case event: {e}")))?,
        actor_id: r.opt_int("actor_id")?,
        actor_name: r.text("actor_name")?,
        at: r.int("at")?,
    })
}

/// The `state_json` column: the case's state without its absent (`null`) fields, which read
/// back as `None` (a case holds a dozen of them; issue 17 counts every byte a case costs).
pub(crate) fn state_json(case: &Case) -> Result<String, StoreError> {
    let corrupt = |e: serde_json::Error| StoreError::corrupt(format!("case state: {e}"));
    let mut v = serde_json::to_value(case).map_err(corrupt)?;
    if let serde_json::Value::Object(fields) = &mut v {
        fields.retain(|_, x| !x.is_null());
    }
    serde_json::to_string(&v).map_err(corrupt)
}

/// The columns that mirror the rule state, rewritten after every change.
fn state_columns(
    case: &Case,
    clock_at: Option<Millis>,
) -> Result<Vec<(&'static str, Arg)>, StoreError> {
    let json = state_json(case)?;
    Ok(vec![
        ("state", Arg::Text(case.state.as_str().into())),
        ("version", Arg::Int(case.version)),
        ("category_code", Arg::Text(case.category.clone())),
        (
            "community_code",
            opt_text(case.community.map(|c| c.as_str().to_string())),
        ),
        (
            "grid_code",
            opt_text(case.grid.map(|g| g.as_str().to_string())),
        ),
        ("department_code", opt_text(case.department.clone())),
        ("level", Arg::Int(i64::from(case.level.get()))),
        ("emergency", Arg::Int(i64::from(case.emergency))),
        ("dispatched_at", opt_int(case.dispatched_at)),
        ("deadline", opt_int(case.deadline)),
        ("warned", Arg::Int(i64::from(case.warned))),
        ("overdue", Arg::Int(i64::from(case.overdue))),
        ("clock_at", Arg::OptInt(clock_at)),
        ("satisfaction", opt_text(satisfaction_of(case))),
        ("state_json", Arg::Text(json)),
    ])
}

/// The `satisfaction` column: the current rating's, for the map's 满意率 by grid.
pub(crate) fn satisfaction_of(case: &Case) -> Option<String> {
    case.rating.map(|r| r.satisfaction.as_str().to_string())
}

fn opt_text(v: Option<String>) -> Arg {
    Arg::OptText(v)
}

fn opt_int(v: Option<i64>) -> Arg {
    Arg::OptInt(v)
}

/// Writes the event rows and, in the same transaction, each event's ledger entry (issue 5):
/// one multi-row INSERT each. `actors`, when not empty, names the author of each event;
/// otherwise `actor` wrote them all.
#[allow(clippy::too_many_arguments)]
async fn insert_events<X: Exec>(
    x: &mut X,
    info: &crate::ledger::CaseLedgerInfo,
    case_id: i64,
    first_seq: i64,
    events: &[Event],
    actor: &EventActor,
    actors: &[EventActor],
    at: Millis,
) -> Result<(), StoreError> {
    if events.is_empty() {
        return Ok(());
    }
    let created = crate::now_millis();
    let mut event_rows = Vec::with_capacity(events.len());
    let mut entry_rows = Vec::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        let by = actors.get(i).unwrap_or(actor);
        let seq = first_seq + i as i64;
        let payload =
            serde_json::to_string(e).map_err(|e| StoreError::corrupt(format!("event: {e}")))?;
        let (entry, salt) =
            crate::ledger::event_entry(info, seq, e.kind(), &payload, by.account_id, &by.name, at)?;
        entry_rows.push(vec![
            Arg::Int(case_id),
            Arg::Int(seq),
            Arg::Bytes(entry),
            Arg::Bytes(salt),
            Arg::Int(created),
        ]);
        event_rows.push(vec![
            Arg::Int(case_id),
            Arg::Int(seq),
            Arg::Text(e.kind().into()),
            Arg::Text(payload),
            Arg::OptInt(by.account_id),
            Arg::Text(by.name.clone()),
            Arg::Int(at),
        ]);
    }
    let mut sql = Sql::new(
        "INSERT INTO case_events (case_id, seq, kind, payload, actor_id, actor_name, at) VALUES ",
    );
    sql.values(event_rows);
    x.execute(&sql).await?;
    let mut sql =
        Sql::new("INSERT INTO ledger_entries (case_id, case_seq, entry, salt, created_at) VALUES ");
    sql.values(entry_rows);
    x.execute(&sql).await?;
    Ok(())
}

/// The inbox notices and webhook deliveries of a change, in its transaction (the outbox: the
/// webhook worker drains the deliveries after commit).
async fn insert_notices<X: Exec>(
    x: &mut X,
    case_id: i64,
    notices: &[CaseNotification],
    at: Millis,
) -> Result<(), StoreError> {
    if notices.is_empty() {
        return Ok(());
    }
    let mut sql =
        Sql::new("INSERT INTO notifications (case_id, recipient, kind, message, at) VALUES ");
    sql.values(notices.iter().map(|n| {
        vec![
            Arg::Int(case_id),
            Arg::Text(n.recipient.clone()),
            Arg::Text(n.kind.clone()),
            Arg::Text(n.message.clone()),
            Arg::Int(at),
        ]
    }));
    x.execute(&sql).await?;
    for n in notices {
        if let Some((event, payload)) = &n.webhook {
            crate::webhooks::enqueue_in(x, *event, case_id, payload, at).await?;
        }
    }
    Ok(())
}

fn stale(now: i64, given: i64) -> StoreError {
    StoreError::Conflict {
        code: "stale_version",
        zh: format!("案件已被他人修改（当前版本 {now}，提交的版本 {given}），请刷新后重试"),
        en: format!(
            "the case changed meanwhile (version {now} now, {given} given); reload and try again"
        ),
    }
}

/// Reads of at most this many rows run inline on SQLite's rusqlite readers; longer ones (exports,
/// whole-set folds) go through the pool so as not to hold a server thread.
const INLINE_ROWS: i64 = 1_000;

impl Store {
    /// The rows of a bounded read, decoded: on SQLite inline on a rusqlite reader (`lite`), else
    /// through the sqlx pool (`any`). The two decoders are the same generic function.
    pub(crate) async fn read<T>(
        &self,
        sql: &Sql,
        lite: impl FnOnce(Vec<crate::exec::DbRow>) -> Result<T, StoreError>,
        any: impl FnOnce(Vec<sqlx::any::AnyRow>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        match &self.readers {
            Some(readers) => readers.read(|x| lite(crate::exec::run_now(x.fetch_all(sql))?)),
            None => any(sql.query(self.backend).fetch_all(&self.pool).await?),
        }
    }

    /// Files a case in one transaction: the case row, its events and their log entries, the
    /// tallies, and the notices and webhook deliveries the change causes. `make(id, seq)` is the
    /// domain's intake (the ticket is `yyyymmdd` + the day's sequence `seq`); `lookup_code` is
    /// stored hashed. Answers once the transaction is durable.
    pub async fn create_case<E, F>(
        &self,
        day: &str,
        details: &CaseDetails,
        lookup_code: &str,
        actor: &EventActor,
        at: Millis,
        make: F,
    ) -> Result<CaseRow, CaseWriteError<E>>
    where
        F: FnOnce(i64, u32) -> Result<CaseChange, E> + Send + 'static,
        E: Send + 'static,
    {
        let store = self.clone();
        let day = day.to_string();
        let details = details.clone();
        let hash = lookup_digest(&self.pii, lookup_code).ok_or_else(|| StoreError::Conflict {
            code: "invalid_lookup_code",
            zh: "查询码格式不正确".into(),
            en: "the lookup code is malformed".into(),
        })?;
        let actor = actor.clone();
        write_case!(self, x => store
            .create_case_in(x, &day, &details, hash, &actor, at, make)
            .await)
    }

    #[allow(clippy::too_many_arguments)]
    async fn create_case_in<E, X: Exec>(
        &self,
        x: &mut X,
        day: &str,
        details: &CaseDetails,
        hash: Vec<u8>,
        actor: &EventActor,
        at: Millis,
        make: impl FnOnce(i64, u32) -> Result<CaseChange, E>,
    ) -> Result<CaseRow, CaseWriteError<E>> {
        let mut q = Sql::new("INSERT INTO ticket_counters (day, last) VALUES (");
        q.bind(Arg::Text(day.into())).push(
            ", 1) ON CONFLICT (day) DO UPDATE SET last = ticket_counters.last + 1 RETURNING last",
        );
        let seq = x.fetch_one(&q).await?.int("last")?;
        let next_id = x
            .fetch_one(&Sql::new("SELECT COALESCE(MAX(id), 0) + 1 AS n FROM cases"))
            .await?
            .int("n")?;
        let CaseChange {
            after: case,
            events,
            clock_at,
            notices,
            actors,
            photos,
            acts_on,
        } = make(next_id, u32::try_from(seq).unwrap_or(u32::MAX))
            .map_err(CaseWriteError::Refused)?;
        let phone = details
            .reporter_phone
            .as_ref()
            .map(|p| self.pii.encrypt(PiiField::Phone, p.as_str()));
        let mut sql = Sql::new(
            "INSERT INTO cases (id, ticket, lookup_hash, channel, lon, lat, address, description, reported_at, reporter_account, reporter_phone_enc",
        );
        let cols = state_columns(&case, clock_at)?;
        for (name, _) in &cols {
            sql.push(", ").push(name);
        }
        sql.push(") VALUES ");
        let mut values = vec![
            Arg::Int(case.id),
            Arg::Text(case.ticket.clone()),
            Arg::Bytes(hash),
            Arg::Text(case.channel.as_str().into()),
            Arg::OptReal(details.lon),
            Arg::OptReal(details.lat),
            Arg::Text(details.address.clone()),
            Arg::Text(details.description.clone()),
            Arg::Int(at),
            opt_int(case.reporter),
            Arg::OptBytes(phone),
        ];
        values.extend(cols.into_iter().map(|(_, a)| a));
        sql.values([values]);
        // The code's uniqueness is the index's to check: no read before the write.
        match x.execute(&sql).await {
            Err(e) if unique_violation(&e, "cases", "lookup_hash") => {
                return Err(StoreError::Conflict {
                    code: LOOKUP_CODE_TAKEN,
                    zh: "查询码已被其他案件使用".into(),
                    en: "the lookup code is taken by another case".into(),
                }
                .into());
            }
            other => other?,
        };
        crate::tallies::Deltas::change(None, (&case, at))
            .apply(x)
            .await?;
        let info = crate::ledger::CaseLedgerInfo::new(
            case.ticket.clone(),
            Some(crate::ledger::ReportDetails {
                description: details.description.clone(),
                address: details.address.clone(),
                location: details.lon.zip(details.lat),
                reporter_phone: details
                    .reporter_phone
                    .as_ref()
                    .map(|p| p.as_str().to_string()),
            }),
        );
        insert_events(x, &info, case.id, 1, &events, actor, &actors, at).await?;
        // Photos of the problem belong to the report (seq 1), not to an automatic dispatch.
        crate::case_extras::insert_photos(x, case.id, 1, &photos, MAX_CASE_PHOTOS).await?;
        insert_notices(x, case.id, &notices, at).await?;
        if events.iter().any(|e| e.whistle().is_some()) {
            crate::whistles::sync(x, &case).await?;
        }
        if case.emergency {
            crate::emergencies::sync::sync(x, &case, at).await?;
        }
        if let Some(act) = &acts_on {
            crate::diagnosis::mark_case_opened(x, act, case.id, at).await?;
        }
        Ok(CaseRow {
            id: case.id,
            ticket: case.ticket.clone(),
            address: details.address.clone(),
            description: details.description.clone(),
            lon: details.lon,
            lat: details.lat,
            reported_at: at,
            closed_at: None,
            supporters: 0,
            updated_at: at,
            case,
        })
    }

    /// Runs one command in one transaction: the case row, events, log entries, tallies, notices
    /// and webhook deliveries. `decide(case)` returns the state after, the events and notices,
    /// or the domain's refusal. With `expected_version`, a case changed meanwhile refuses with
    /// `stale_version`. Answers once the transaction is durable.
    pub async fn update_case<E, F>(
        &self,
        id: i64,
        expected_version: Option<i64>,
        actor: &EventActor,
        at: Millis,
        decide: F,
    ) -> Result<CaseRow, CaseWriteError<E>>
    where
        F: FnOnce(&Case) -> Result<CaseChange, E> + Send + 'static,
        E: Send + 'static,
    {
        let store = self.clone();
        let actor = actor.clone();
        write_case!(self, x => store
            .update_case_in(x, id, expected_version, &actor, at, decide)
            .await)
    }

    async fn update_case_in<E, X: Exec>(
        &self,
        x: &mut X,
        id: i64,
        expected_version: Option<i64>,
        actor: &EventActor,
        at: Millis,
        decide: impl FnOnce(&Case) -> Result<CaseChange, E>,
    ) -> Result<CaseRow, CaseWriteError<E>> {
        let mut q = Sql::new(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = "));
        q.bind(Arg::Int(id));
        let found = x
            .fetch_optional(&q)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("案件 {id}"), format!("case {id}")))?;
        let mut row = case_row(&found)?;
        let before = row.case.clone();
        if let Some(v) = expected_version
            && v != before.version
        {
            return Err(stale(before.version, v).into());
        }
        let CaseChange {
            after,
            events,
            clock_at,
            notices,
            actors,
            photos,
            ..
        } = decide(&row.case).map_err(CaseWriteError::Refused)?;
        if events.is_empty() {
            return Ok(row);
        }
        let mut sql = Sql::new("UPDATE cases SET ");
        for (i, (name, arg)) in state_columns(&after, clock_at)?.into_iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push(name).push(" = ").bind(arg);
        }
        if !after.state.is_open() {
            sql.push(", closed_at = COALESCE(closed_at, ")
                .bind(Arg::Int(at))
                .push(")");
        }
        sql.push(" WHERE id = ").bind(Arg::Int(id));
        sql.push(" AND version = ").bind(Arg::Int(before.version));
        if x.execute(&sql).await? != 1 {
            return Err(StoreError::Conflict {
                code: "stale_version",
                zh: "案件已被他人修改，请刷新后重试".into(),
                en: "the case changed meanwhile; reload and try again".into(),
            }
            .into());
        }
        let reported_at = row.reported_at;
        crate::tallies::Deltas::change(Some((&before, reported_at)), (&after, reported_at))
            .apply(x)
            .await?;
        let mut q =
            Sql::new("SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM case_events WHERE case_id = ");
        q.bind(Arg::Int(id));
        let next_seq = x.fetch_one(&q).await?.int("n")?;
        let reported = events.iter().any(|e| matches!(e, Event::Reported { .. }));
        let info = if reported {
            crate::ledger::case_info(x, &self.pii, id, true).await?
        } else {
            crate::ledger::CaseLedgerInfo::new(row.ticket.clone(), None)
        };
        insert_events(x, &info, id, next_seq, &events, actor, &actors, at).await?;
        let last_seq = next_seq + events.len() as i64 - 1;
        crate::case_extras::insert_photos(x, id, last_seq, &photos, MAX_CASE_PHOTOS).await?;
        insert_notices(x, id, &notices, at).await?;
        if events.iter().any(|e| e.whistle().is_some()) {
            crate::whistles::sync(x, &after).await?;
        }
        if after.emergency || before.emergency {
            crate::emergencies::sync::sync(x, &after, at).await?;
        }
        if !after.state.is_open() && row.closed_at.is_none() {
            row.closed_at = Some(at);
        }
        row.updated_at = at;
        row.case = after;
        Ok(row)
    }

    pub async fn case(&self, id: i64) -> Result<Option<CaseRow>, StoreError> {
        let mut sql = Sql::new(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = "));
        sql.bind(Arg::Int(id));
        let rows: Vec<CaseRow> = self
            .read(
                &sql,
                |r| r.iter().map(case_row).collect(),
                |r| r.iter().map(case_row).collect(),
            )
            .await?;
        Ok(rows.into_iter().next())
    }

    pub async fn case_by_ticket(&self, ticket: &str) -> Result<Option<CaseRow>, StoreError> {
        let mut sql = Sql::new(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE ticket = "));
        sql.bind(Arg::Text(ticket.trim().into()));
        let rows: Vec<CaseRow> = self
            .read(
                &sql,
                |r| r.iter().map(case_row).collect(),
                |r| r.iter().map(case_row).collect(),
            )
            .await?;
        Ok(rows.into_iter().next())
    }

    /// The case a resident's lookup code opens.
    pub async fn case_by_lookup(&self, code: &str) -> Result<Option<CaseRow>, StoreError> {
        let Some(digest) = lookup_digest(&self.pii, code) else {
            return Ok(None);
        };
        let row = sqlx::query(AssertSql::new(format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE lookup_hash = $1"
        )))
        .bind(digest)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(case_row).transpose()
    }

    /// The reporter's phone number of a case, decrypted (hotline call-backs).
    pub async fn case_reporter_phone(&self, id: i64) -> Result<Option<Phone>, StoreError> {
        let row = sqlx::query("SELECT reporter_phone_enc FROM cases WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(sealed) = row
            .map(|r| r.try_get::<Option<Vec<u8>>, _>("reporter_phone_enc"))
            .transpose()?
            .flatten()
        else {
            return Ok(None);
        };
        let plain = self
            .pii
            .decrypt(PiiField::Phone, &sealed)
            .map_err(StoreError::Crypto)?;
        Ok(Some(
            Phone::parse(&plain).map_err(|e| StoreError::corrupt(format!("phone: {e}")))?,
        ))
    }

    fn case_where(sql: &mut Sql, f: &CaseFilter) {
        Self::case_conditions(sql, f, true);
    }

    /// The filter's conditions; `first`: they open the `WHERE`, else each follows an ` AND `.
    pub(crate) fn case_conditions(sql: &mut Sql, f: &CaseFilter, mut first: bool) {
        let mut and = |sql: &mut Sql| {
            sql.push(if first { " WHERE " } else { " AND " });
            first = false;
        };
        if let Some(a) = &f.area {
            and(sql);
            sql.push("community_code LIKE ")
                .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
        }
        if let Some(id) = f.after_id {
            and(sql);
            sql.push("id > ").bind(Arg::Int(id));
        }
        if let Some(g) = &f.grid {
            and(sql);
            sql.push("grid_code = ").bind(Arg::Text(g.as_str().into()));
        }
        if let Some(d) = &f.department {
            and(sql);
            sql.push("department_code = ").bind(Arg::Text(d.clone()));
        }
        if !f.states.is_empty() {
            and(sql);
            sql.push("state IN (");
            for (i, s) in f.states.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(Arg::Text(s.clone()));
            }
            sql.push(")");
        }
        if let Some(c) = &f.category {
            and(sql);
            sql.push("category_code = ").bind(Arg::Text(c.clone()));
        }
        if let Some(t) = f.reported_from {
            and(sql);
            sql.push("reported_at >= ").bind(Arg::Int(t));
        }
        if let Some(t) = f.reported_to {
            and(sql);
            sql.push("reported_at <= ").bind(Arg::Int(t));
        }
        if !f.ids.is_empty() {
            and(sql);
            sql.push("id IN (");
            for (i, id) in f.ids.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(Arg::Int(*id));
            }
            sql.push(")");
        }
        if !f.tickets.is_empty() {
            and(sql);
            sql.push("ticket IN (");
            for (i, t) in f.tickets.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(Arg::Text(t.clone()));
            }
            sql.push(")");
        }
        if f.overdue_only {
            and(sql);
            sql.push("overdue = 1");
        }
        if f.due_soon_only {
            and(sql);
            sql.push("warned = 1 AND overdue = 0");
        }
        if let Some(r) = f.reporter {
            and(sql);
            sql.push("reporter_account = ").bind(Arg::Int(r));
        }
        if let Some(t) = f.ticket_contains.as_deref().filter(|t| !t.is_empty()) {
            and(sql);
            sql.push("ticket LIKE ")
                .bind(Arg::Text(like_pattern(t)))
                .push(" ESCAPE '\\'");
        }
        if let Some(h) = &f.lookup_hash {
            and(sql);
            sql.push("lookup_hash = ").bind(Arg::Bytes(h.clone()));
        }
        if let Some(t) = f.text.as_deref().filter(|t| !t.is_empty()) {
            and(sql);
            let pattern = like_pattern(&t.to_lowercase());
            sql.push("(LOWER(address) LIKE ")
                .bind(Arg::Text(pattern.clone()))
                .push(" ESCAPE '\\' OR LOWER(description) LIKE ")
                .bind(Arg::Text(pattern))
                .push(" ESCAPE '\\')");
        }
        if !f.categories.is_empty() {
            and(sql);
            sql.push("category_code IN (");
            for (i, c) in f.categories.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(Arg::Text(c.clone()));
            }
            sql.push(")");
        }
    }

    /// Cases matching the filter, most urgent first: overdue, then by deadline, then newest.
    pub async fn cases(&self, f: &CaseFilter) -> Result<Vec<CaseRow>, StoreError> {
        let mut sql = Sql::new(&format!("SELECT {CASE_COLUMNS} FROM cases"));
        Self::case_where(&mut sql, f);
        if f.after_id.is_some() {
            sql.push(" ORDER BY id LIMIT ");
        } else if f.newest_first {
            sql.push(" ORDER BY reported_at DESC, id DESC LIMIT ");
        } else {
            sql.push(" ORDER BY overdue DESC, CASE WHEN deadline IS NULL THEN 1 ELSE 0 END, deadline, id DESC LIMIT ");
        }
        let limit = f.limit.clamp(1, 100_000);
        sql.bind(Arg::Int(limit));
        sql.push(" OFFSET ").bind(Arg::Int(f.offset.max(0)));
        if limit <= INLINE_ROWS {
            return self
                .read(
                    &sql,
                    |r| r.iter().map(case_row).collect(),
                    |r| r.iter().map(case_row).collect(),
                )
                .await;
        }
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(case_row).collect()
    }

    pub async fn count_cases(&self, f: &CaseFilter) -> Result<i64, StoreError> {
        let mut sql = Sql::new("SELECT COUNT(*) AS n FROM cases");
        Self::case_where(&mut sql, f);
        let n: Vec<i64> = self
            .read(
                &sql,
                |r| r.iter().map(|r| r.int("n")).collect(),
                |r| r.iter().map(|r| r.int("n")).collect(),
            )
            .await?;
        Ok(n.into_iter().next().unwrap_or(0))
    }

    pub async fn case_events(&self, case_id: i64) -> Result<Vec<CaseEventRow>, StoreError> {
        let mut sql = Sql::new(
            "SELECT id, case_id, seq, kind, payload, actor_id, actor_name, at FROM case_events WHERE case_id = ",
        );
        sql.bind(Arg::Int(case_id)).push(" ORDER BY seq");
        self.read(
            &sql,
            |r| r.iter().map(event_row).collect(),
            |r| r.iter().map(event_row).collect(),
        )
        .await
    }

    /// The events of several cases in one query, by case id, each case's in order; with
    /// `latest_only` just each case's latest event. For lists that show a case's history or its
    /// latest step: one read per listed case made a page of 1,000 Open311 requests cost 1,000.
    pub async fn case_events_of(
        &self,
        ids: &[i64],
        latest_only: bool,
    ) -> Result<std::collections::HashMap<i64, Vec<CaseEventRow>>, StoreError> {
        let mut out: std::collections::HashMap<i64, Vec<CaseEventRow>> =
            std::collections::HashMap::new();
        for chunk in ids.chunks(500) {
            let mut sql = Sql::new(
                "SELECT e.id, e.case_id, e.seq, e.kind, e.payload, e.actor_id, e.actor_name, e.at FROM case_events e WHERE e.case_id IN (",
            );
            for (i, id) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(Arg::Int(*id));
            }
            sql.push(")");
            if latest_only {
                sql.push(
                    " AND e.seq = (SELECT MAX(m.seq) FROM case_events m WHERE m.case_id = e.case_id)",
                );
            }
            sql.push(" ORDER BY e.case_id, e.seq");
            let events: Vec<CaseEventRow> = self
                .read(
                    &sql,
                    |r| r.iter().map(event_row).collect(),
                    |r| r.iter().map(event_row).collect(),
                )
                .await?;
            for e in events {
                out.entry(e.case_id).or_default().push(e);
            }
        }
        Ok(out)
    }

    /// Cases whose next clock point (80% warning, then the deadline) has come: what the deadline
    /// job looks at, oldest first.
    pub async fn cases_due(&self, now: Millis, limit: i64) -> Result<Vec<CaseRow>, StoreError> {
        let rows = sqlx::query(AssertSql::new(format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE clock_at IS NOT NULL AND clock_at <= $1 ORDER BY clock_at LIMIT $2"
        )))
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(case_row).collect()
    }

    /// Records a resident following an existing case instead of filing a duplicate.
    pub async fn add_supporter(&self, case_id: i64, supporter: &str) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        let inserted = sqlx::query(
            "INSERT INTO case_supporters (case_id, supporter, at) VALUES ($1, $2, $3) ON CONFLICT (case_id, supporter) DO NOTHING",
        )
        .bind(case_id)
        .bind(supporter)
        .bind(crate::now_millis())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if inserted {
            sqlx::query("UPDATE cases SET supporters = supporters + 1 WHERE id = $1")
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(inserted)
    }
}

/// `%text%` for `LIKE … ESCAPE '\'`, with the user's own `%`, `_` and `\` taken literally.
fn like_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// A query string we build ourselves from constants (no user input).
pub(crate) struct AssertSql;

impl AssertSql {
    #[allow(clippy::new_ret_no_self)]
    pub(crate) fn new(s: String) -> sqlx::AssertSqlSafe<String> {
        sqlx::AssertSqlSafe(s)
    }
}

#[cfg(test)]
mod tests {
    use super::{like_pattern, state_json};
    use gongzhi_domain::case::{self, Actor, Case, Channel, DeadlineClass, NewCase};

    #[test]
    fn a_state_without_its_absent_fields_reads_back_whole() {
        let new = NewCase {
            id: 7,
            ticket: "2026050100007".into(),
            channel: Channel::Hotline,
            category: "E0102".into(),
            deadline_class: DeadlineClass::General,
            emergency: false,
            community: None,
            grid: None,
            reporter: None,
        };
        let (c, _) = case::report(new, &Actor::System, &Default::default()).unwrap();
        let json = state_json(&c).unwrap();
        assert!(!json.contains("null"), "{json}");
        assert!(json.len() < serde_json::to_string(&c).unwrap().len());
        let back: Case = serde_json::from_str(&json).unwrap();
        assert_eq!(
            serde_json::to_value(&back).unwrap(),
            serde_json::to_value(&c).unwrap()
        );
    }

    #[test]
    fn like_patterns_take_the_user_s_wildcards_literally() {
        assert_eq!(like_pattern("幸福路"), "%幸福路%");
        assert_eq!(like_pattern("100%"), "%100\\%%");
        assert_eq!(like_pattern("a_b\\c"), "%a\\_b\\\\c%");
    }
}
