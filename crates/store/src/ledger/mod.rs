//! The verifiable history (issue 5) in the database: log entries, the tree's stored hashes, and
//! signed checkpoints.
//!
//! - `ledger_entries`: one row per case event, written by [`append_event`] in the event's own
//!   transaction as a *pending* row (autoincrement `id`, `idx` NULL), so concurrent writers never
//!   contend for a log index. The row keeps the canonical entry bytes, packed ([`packed`]),
//!   and the entry's salt.
//! - The sequencer ([`Store::ledger_integrate_pending`]) takes pending rows in `id` order,
//!   assigns consecutive `idx`, and stores the hashes the new leaves add to the tree at the
//!   tile levels 0, 8, 16 … in `ledger_hashes`, addressed by their stored-hash index (Go tlog
//!   layout). Tiles are read straight from those hashes; any other node is folded from them.
//! - `ledger_checkpoints` keeps every signed checkpoint. A new one is only offered for signing
//!   ([`Store::ledger_checkpoint_candidate`]) after a consistency proof from the latest one has
//!   verified, and [`Store::ledger_store_checkpoint`] only accepts a larger tree, so the log
//!   never signs two inconsistent checkpoints.
//!
//! On PostgreSQL the integrating and checkpointing transactions also take a transaction-scoped
//! advisory lock, so two sequencers can never interleave even if both think they are elected.

mod audit;
mod compact;
pub mod entry;
mod hashes;
pub mod packed;
pub(crate) use compact::compact_all;
mod records;

pub use audit::{AuditProblem, AuditReport, ProblemKind};
pub use entry::{EntrySource, ReportDetails};
pub use records::append_record;
pub(crate) use records::append_record_x;
pub use records::{RecordEvent, RecordEventRow};

use crate::Millis;
use crate::db::{Backend, Store};
use crate::error::StoreError;
use crate::pii::{PiiCipher, PiiField};
use crate::sql::{Arg, Sql};
use gongzhi_ledger::proof::{consistency_proof, tree_hash, verify_consistency};
use gongzhi_ledger::tree::frontier_nodes;
use gongzhi_ledger::{
    Hash, HashReader, TreeBuilder, leaf_hash, stored_hash_count, stored_hash_index,
};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Mutex;

/// Transaction-scoped advisory lock serialising integration and checkpoints on PostgreSQL.
pub const LEDGER_XACT_LOCK: i64 = 7_262_011;

/// A signed checkpoint as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCheckpoint {
    pub size: u64,
    pub root: Hash,
    /// The signed note, verbatim (what `/ledger/checkpoint` serves).
    pub signed_note: String,
    pub created_at: Millis,
}

/// What one integration pass did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Integrated {
    pub old_size: u64,
    pub size: u64,
}

impl Integrated {
    pub fn added(&self) -> u64 {
        self.size - self.old_size
    }
}

/// A case event's log entry, and whether the stored event still derives it.
#[derive(Clone, Debug)]
pub struct CaseEntry {
    pub seq: i64,
    pub kind: String,
    /// The log index; `None` while pending.
    pub index: Option<u64>,
    pub entry: Vec<u8>,
    /// The stored event row (and case row) re-derive exactly these bytes.
    pub matches_event: bool,
}

/// A case event's entry with what its reporter may open: the per-field salts of the report's
/// own details (`data.description`, …), so they can prove what they reported.
#[derive(Clone, Debug)]
pub struct EntryWithOpenings {
    pub entry: CaseEntry,
    pub openings: Vec<(String, String)>,
}

/// Stored hashes fetched from the database, read synchronously by the ledger crate's proof,
/// tile and receipt functions. Indexes asked for and not present are remembered, so that
/// [`Store::ledger_with_hashes`] can fetch them and run the computation again.
#[derive(Default)]
pub struct LedgerHashes {
    map: HashMap<u64, Hash>,
    missing: Mutex<Vec<u64>>,
}

/// A stored hash that is not (yet) in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("stored hash {0} is not in the database")]
pub struct HashNotStored(pub u64);

impl HashReader for LedgerHashes {
    type Error = HashNotStored;
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, HashNotStored> {
        let mut out = Vec::with_capacity(indexes.len());
        let mut missing = Vec::new();
        for &i in indexes {
            match self.map.get(&i) {
                Some(h) => out.push(*h),
                None => missing.push(i),
            }
        }
        match missing.first() {
            None => Ok(out),
            Some(&first) => {
                self.missing
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .extend(missing);
                Err(HashNotStored(first))
            }
        }
    }
}

impl LedgerHashes {
    fn take_missing(&self) -> Vec<u64> {
        let mut m = std::mem::take(&mut *self.missing.lock().unwrap_or_else(|p| p.into_inner()));
        m.sort_unstable();
        m.dedup();
        m
    }
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn to_u64(v: i64) -> Result<u64, StoreError> {
    u64::try_from(v).map_err(|_| StoreError::corrupt(format!("negative ledger number {v}")))
}

/// The canonical bytes of the `entry` column of a row, unpacked.
fn stored_entry(r: &sqlx::any::AnyRow) -> Result<Vec<u8>, StoreError> {
    let stored: Vec<u8> = r.try_get("entry")?;
    packed::unpack(&stored).map_err(|e| StoreError::corrupt(format!("ledger entry: {e}")))
}

fn hash_of(bytes: &[u8]) -> Result<Hash, StoreError> {
    Hash::from_slice(bytes).map_err(|_| StoreError::corrupt("ledger hash is not 32 bytes"))
}

async fn current_size(conn: &mut AnyConnection) -> Result<u64, StoreError> {
    let n: i64 = sqlx::query("SELECT COALESCE(MAX(idx) + 1, 0) AS n FROM ledger_entries")
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
    to_u64(n)
}

async fn xact_lock(conn: &mut AnyConnection, backend: Backend) -> Result<(), StoreError> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(LEDGER_XACT_LOCK)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// What the entries of one case are built from besides the event rows.
pub(crate) struct CaseLedgerInfo {
    ticket: String,
    report: Option<ReportDetails>,
}

impl CaseLedgerInfo {
    /// For a case being filed: what the report said is at hand, no need to read it back.
    pub(crate) fn new(ticket: String, report: Option<ReportDetails>) -> Self {
        CaseLedgerInfo { ticket, report }
    }
}

/// Reads the case row's ticket and, when `with_report`, the report's details (phone decrypted).
pub(crate) async fn case_info<X: crate::exec::Exec>(
    x: &mut X,
    pii: &PiiCipher,
    case_id: i64,
    with_report: bool,
) -> Result<CaseLedgerInfo, StoreError> {
    use crate::exec::Cols;
    let mut q = Sql::new(
        "SELECT ticket, description, address, lon, lat, reporter_phone_enc FROM cases WHERE id = ",
    );
    q.bind(Arg::Int(case_id));
    let r = x.fetch_one(&q).await?;
    let ticket = r.text("ticket")?;
    let report = if with_report {
        Some(report_details(&r, pii)?)
    } else {
        None
    };
    Ok(CaseLedgerInfo { ticket, report })
}

/// The report details of a row with the `cases` columns description, address, lon, lat and
/// reporter_phone_enc.
fn report_details(
    r: &impl crate::exec::Cols,
    pii: &PiiCipher,
) -> Result<ReportDetails, StoreError> {
    let lon = r.opt_real("lon")?;
    let lat = r.opt_real("lat")?;
    let reporter_phone = match r.opt_bytes("reporter_phone_enc")? {
        Some(s) => Some(
            pii.decrypt(PiiField::Phone, &s)
                .map_err(StoreError::Crypto)?,
        ),
        None => None,
    };
    Ok(ReportDetails {
        description: r.opt_text("description")?.unwrap_or_default(),
        address: r.opt_text("address")?.unwrap_or_default(),
        location: lon.zip(lat),
        reporter_phone,
    })
}

/// The log entry of one case event, packed, and its salt: what a pending `ledger_entries` row
/// holds.
#[allow(clippy::too_many_arguments)]
pub(crate) fn event_entry(
    info: &CaseLedgerInfo,
    seq: i64,
    kind: &str,
    payload: &str,
    actor_id: Option<i64>,
    actor_name: &str,
    at: Millis,
) -> Result<(Vec<u8>, Vec<u8>), StoreError> {
    let salt = entry::new_salt();
    let src = EntrySource {
        ticket: &info.ticket,
        seq,
        kind,
        payload,
        actor_id,
        actor_name,
        at,
        report: if kind == "reported" {
            info.report.as_ref()
        } else {
            None
        },
        record: false,
    };
    let bytes = entry::build_entry(&src, &salt).map_err(|e| StoreError::Conflict {
        code: "ledger_entry_invalid",
        zh: format!("无法生成账本记录：{e}"),
        en: format!("cannot build the ledger entry: {e}"),
    })?;
    Ok((packed::pack(&bytes), salt))
}

/// Appends the log entry of one case event as a pending row, inside the event's transaction.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn append_event(
    conn: &mut AnyConnection,
    case_id: i64,
    info: &CaseLedgerInfo,
    seq: i64,
    kind: &str,
    payload: &str,
    actor_id: Option<i64>,
    actor_name: &str,
    at: Millis,
) -> Result<(), StoreError> {
    let (bytes, salt) = event_entry(info, seq, kind, payload, actor_id, actor_name, at)?;
    sqlx::query(
        "INSERT INTO ledger_entries (case_id, case_seq, entry, salt, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(case_id)
    .bind(seq)
    .bind(bytes.as_slice())
    .bind(salt.as_slice())
    .bind(crate::now_millis())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The SELECT list and joins that give, per ledger entry, everything needed to re-derive it.
pub(crate) const DERIVE_COLUMNS: &str = "l.id AS entry_id, l.idx, l.case_id, l.case_seq, l.entry, l.salt, \
     e.seq AS event_seq, e.kind, e.payload, e.actor_id, e.actor_name, e.at, \
     c.ticket, c.description, c.address, c.lon, c.lat, c.reporter_phone_enc, \
     r.subject, r.kind AS r_kind, r.payload AS r_payload, r.actor_id AS r_actor_id, \
     r.actor_name AS r_actor_name, r.at AS r_at \
     FROM ledger_entries l \
     LEFT JOIN case_events e ON e.case_id = l.case_id AND e.seq = l.case_seq \
     LEFT JOIN cases c ON c.id = l.case_id \
     LEFT JOIN record_events r ON l.case_id = 0 AND r.id = l.case_seq";

/// One row of [`DERIVE_COLUMNS`], decoded.
pub(crate) struct DeriveRow {
    pub entry_id: i64,
    pub idx: Option<u64>,
    pub case_seq: i64,
    pub entry: Vec<u8>,
    pub ticket: Option<String>,
    /// The entry the stored rows give now: `Err` says why there is none.
    pub derived: Result<Vec<u8>, Underivable>,
}

/// Why an entry could not be re-derived from the stored rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Underivable {
    EventMissing,
    CaseMissing,
    Broken(String),
}

pub(crate) fn derive_row(r: &sqlx::any::AnyRow, pii: &PiiCipher) -> Result<DeriveRow, StoreError> {
    let idx: Option<i64> = r.try_get("idx")?;
    let case_id: i64 = r.try_get("case_id")?;
    let case_seq: i64 = r.try_get("case_seq")?;
    if case_id == records::RECORD_STREAM {
        let subject: Option<String> = r.try_get("subject")?;
        return Ok(DeriveRow {
            entry_id: r.try_get("entry_id")?,
            idx: idx.map(to_u64).transpose()?,
            case_seq,
            entry: stored_entry(r)?,
            derived: match &subject {
                None => Err(Underivable::EventMissing),
                Some(s) => records::derive(r, s, case_seq)?,
            },
            ticket: subject,
        });
    }
    let ticket: Option<String> = r.try_get("ticket")?;
    let event_seq: Option<i64> = r.try_get("event_seq")?;
    let derived = match (&ticket, event_seq) {
        (None, _) => Err(Underivable::CaseMissing),
        (_, None) => Err(Underivable::EventMissing),
        (Some(ticket), Some(_)) => derive_from_rows(r, pii, ticket, case_seq)?,
    };
    Ok(DeriveRow {
        entry_id: r.try_get("entry_id")?,
        idx: idx.map(to_u64).transpose()?,
        case_seq,
        entry: stored_entry(r)?,
        ticket,
        derived,
    })
}

/// The entry that the event row and case row of a [`DERIVE_COLUMNS`] row give under the
/// stored salt.
fn derive_from_rows(
    r: &sqlx::any::AnyRow,
    pii: &PiiCipher,
    ticket: &str,
    case_seq: i64,
) -> Result<Result<Vec<u8>, Underivable>, StoreError> {
    let salt: Vec<u8> = r.try_get("salt")?;
    let kind: String = r.try_get("kind")?;
    let payload: String = r.try_get("payload")?;
    let actor_name: String = r.try_get("actor_name")?;
    let report = if kind == "reported" {
        match report_details(r, pii) {
            Ok(d) => Some(d),
            Err(e) => return Ok(Err(Underivable::Broken(e.to_string()))),
        }
    } else {
        None
    };
    let src = EntrySource {
        ticket,
        seq: case_seq,
        kind: &kind,
        payload: &payload,
        actor_id: r.try_get("actor_id")?,
        actor_name: &actor_name,
        at: r.try_get("at")?,
        report: report.as_ref(),
        record: false,
    };
    Ok(entry::build_entry(&src, &salt).map_err(|e| Underivable::Broken(e.to_string())))
}

impl Store {
    /// Runs a computation over stored hashes (a proof, a tile, a root): runs it, fetches the
    /// hashes it asked for and did not have, and runs it again until it asks for nothing new.
    /// The ledger crate's functions ask for everything at once, so this is one or two queries.
    pub async fn ledger_with_hashes<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: Fn(&LedgerHashes) -> T,
    {
        let mut reader = LedgerHashes::default();
        loop {
            let out = f(&reader);
            let missing = reader.take_missing();
            if missing.is_empty() {
                return Ok(out);
            }
            let mut conn = self.pool.acquire().await?;
            let fetched = hashes::fetch_hashes(&mut conn, self.backend, &missing).await?;
            drop(conn);
            if fetched.is_empty() {
                // Asked for hashes the log does not have: the computation's own error stands.
                return Ok(out);
            }
            reader.map.extend(fetched);
        }
    }

    /// Number of integrated entries (the tree size; the signed size may lag behind).
    pub async fn ledger_size(&self) -> Result<u64, StoreError> {
        let mut conn = self.pool.acquire().await?;
        current_size(&mut conn).await
    }

    /// Entries written but not yet integrated.
    pub async fn ledger_pending(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM ledger_entries WHERE idx IS NULL")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        to_u64(n)
    }

    /// The sequencer's step: integrates up to `limit` pending entries, oldest `id` first, into
    /// the tree, resumed from the stored frontier hashes; stores the new hashes and assigns the
    /// entries their indexes, in one transaction.
    pub async fn ledger_integrate_pending(&self, limit: i64) -> Result<Integrated, StoreError> {
        let mut tx = self.write_tx().await?;
        xact_lock(&mut tx, self.backend).await?;
        let size = current_size(&mut tx).await?;
        let have = hashes::stored_end(&mut tx).await?;
        if have != hashes::kept_end(size) {
            return Err(StoreError::corrupt(format!(
                "ledger of {size} entries should store hashes up to {}, found {have}",
                hashes::kept_end(size)
            )));
        }
        let rows = sqlx::query(
            "SELECT id, entry FROM ledger_entries WHERE idx IS NULL ORDER BY id LIMIT $1",
        )
        .bind(limit.max(1))
        .fetch_all(&mut *tx)
        .await?;
        if rows.is_empty() {
            tx.rollback().await?;
            return Ok(Integrated {
                old_size: size,
                size,
            });
        }
        let frontier_ids: Vec<u64> = frontier_nodes(size)
            .into_iter()
            .map(|(l, i)| stored_hash_index(l, i))
            .collect();
        let found: HashMap<u64, Hash> = hashes::fetch_hashes(&mut tx, self.backend, &frontier_ids)
            .await?
            .into_iter()
            .collect();
        let frontier: Vec<Hash> = frontier_ids
            .iter()
            .map(|i| {
                found
                    .get(i)
                    .copied()
                    .ok_or_else(|| StoreError::corrupt(format!("frontier hash {i} is missing")))
            })
            .collect::<Result<_, _>>()?;
        let mut builder = TreeBuilder::from_frontier(size, &frontier)
            .map_err(|e| StoreError::corrupt(e.to_string()))?;
        let mut stored = Vec::with_capacity(rows.len() * 2 + 64);
        let mut ids = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            let entry = stored_entry(r)?;
            builder.push(leaf_hash(&entry), &mut stored);
            ids.push(id);
        }
        let kept = hashes::kept_of(stored_hash_count(size), &stored);
        hashes::insert_hashes(&mut tx, self.backend, &kept).await?;
        // Runs of consecutive ids get their indexes with one statement each: every id of the
        // run was read above, so no other row lies in the range.
        let mut k = 0usize;
        while k < ids.len() {
            let mut end = k;
            while end + 1 < ids.len() && ids[end + 1] == ids[end] + 1 {
                end += 1;
            }
            let delta = to_i64(size + k as u64) - ids[k];
            let done = sqlx::query(
                "UPDATE ledger_entries SET idx = id + $1 WHERE id >= $2 AND id <= $3 AND idx IS NULL",
            )
            .bind(delta)
            .bind(ids[k])
            .bind(ids[end])
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != (end - k + 1) as u64 {
                return Err(StoreError::corrupt(
                    "pending ledger entries changed during integration",
                ));
            }
            k = end + 1;
        }
        tx.commit().await?;
        Ok(Integrated {
            old_size: size,
            size: builder.size(),
        })
    }

    /// The latest signed checkpoint.
    pub async fn ledger_latest_checkpoint(&self) -> Result<Option<StoredCheckpoint>, StoreError> {
        let row = sqlx::query(
            "SELECT size, root, signed_note, created_at FROM ledger_checkpoints ORDER BY size DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(StoredCheckpoint {
                size: to_u64(r.try_get("size")?)?,
                root: hash_of(&r.try_get::<Vec<u8>, _>("root")?)?,
                signed_note: r.try_get("signed_note")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .transpose()
    }

    /// Every stored checkpoint's size and root, smallest first.
    pub async fn ledger_checkpoint_roots(&self) -> Result<Vec<(u64, Hash)>, StoreError> {
        let rows = sqlx::query("SELECT size, root FROM ledger_checkpoints ORDER BY size")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    to_u64(r.try_get("size")?)?,
                    hash_of(&r.try_get::<Vec<u8>, _>("root")?)?,
                ))
            })
            .collect()
    }

    /// The tree a new checkpoint should sign: `(size, root)` of the integrated tree when it is
    /// larger than the latest checkpoint (or there is none yet), after checking with a
    /// consistency proof from the stored hashes that it extends the latest signed tree.
    /// `None` when there is nothing new to sign. An inconsistent tree is an error: never sign it.
    pub async fn ledger_checkpoint_candidate(&self) -> Result<Option<(u64, Hash)>, StoreError> {
        let latest = self.ledger_latest_checkpoint().await?;
        let size = self.ledger_size().await?;
        let old = latest.as_ref().map_or(0, |c| c.size);
        if latest.is_some() && size == old {
            return Ok(None);
        }
        if size < old {
            return Err(StoreError::corrupt(format!(
                "the log has {size} entries but checkpoint {old} was signed"
            )));
        }
        let (root, proof) = self
            .ledger_with_hashes(|r| {
                let root = tree_hash(size, r)?;
                let proof = consistency_proof(old, size, r)?;
                Ok::<_, gongzhi_ledger::ProofError<HashNotStored>>((root, proof))
            })
            .await?
            .map_err(|e| StoreError::corrupt(format!("ledger hashes: {e}")))?;
        if let Some(c) = &latest {
            verify_consistency(c.size, size, &c.root, &root, &proof).map_err(|e| {
                StoreError::Conflict {
                    code: "ledger_inconsistent",
                    zh: format!(
                        "账本当前的树（{size} 条）与已签名的检查点（{} 条）不一致，拒绝签名：{}",
                        c.size,
                        e.message_zh()
                    ),
                    en: format!(
                        "the log's tree ({size} entries) is not consistent with the signed checkpoint ({} entries); refusing to sign: {e}",
                        c.size
                    ),
                }
            })?;
        }
        Ok(Some((size, root)))
    }

    /// Stores a signed checkpoint. Refuses one that is not larger than the latest.
    pub async fn ledger_store_checkpoint(
        &self,
        size: u64,
        root: Hash,
        signed_note: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        xact_lock(&mut tx, self.backend).await?;
        let latest: Option<i64> = sqlx::query("SELECT MAX(size) AS s FROM ledger_checkpoints")
            .fetch_one(&mut *tx)
            .await?
            .try_get("s")?;
        if let Some(l) = latest
            && to_u64(l)? >= size
        {
            return Err(StoreError::Conflict {
                code: "ledger_checkpoint_not_newer",
                zh: format!("检查点（{size} 条）不比已有的检查点（{l} 条）新"),
                en: format!(
                    "checkpoint of size {size} is not newer than the stored one of size {l}"
                ),
            });
        }
        sqlx::query(
            "INSERT INTO ledger_checkpoints (size, root, signed_note, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(to_i64(size))
        .bind(root.as_bytes().as_slice())
        .bind(signed_note)
        .bind(crate::now_millis())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The entries with indexes in `range`, in order (for entry bundles).
    pub async fn ledger_entries(&self, range: Range<u64>) -> Result<Vec<Vec<u8>>, StoreError> {
        let rows = sqlx::query(
            "SELECT idx, entry FROM ledger_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx",
        )
        .bind(to_i64(range.start))
        .bind(to_i64(range.end))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for (k, r) in rows.iter().enumerate() {
            let idx: i64 = r.try_get("idx")?;
            if to_u64(idx)? != range.start + k as u64 {
                return Err(StoreError::corrupt(format!(
                    "ledger entry {} is missing",
                    range.start + k as u64
                )));
            }
            out.push(stored_entry(r)?);
        }
        if (out.len() as u64) < range.end - range.start {
            return Err(StoreError::not_found(
                format!("账本记录 {}..{}", range.start, range.end),
                format!("ledger entries {}..{}", range.start, range.end),
            ));
        }
        Ok(out)
    }

    /// The hashes kept in the database with stored-hash indexes in `range` (those at the tile
    /// levels 0, 8, 16 …), in order.
    pub async fn ledger_kept_hashes(
        &self,
        range: Range<u64>,
    ) -> Result<Vec<(u64, Hash)>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        hashes::fetch_kept_range(&mut conn, range).await
    }

    /// The log index (`None` while pending) and bytes of a case event's entry.
    pub async fn ledger_entry_index_for(
        &self,
        case_id: i64,
        case_seq: i64,
    ) -> Result<Option<(Option<u64>, Vec<u8>)>, StoreError> {
        let row = sqlx::query(
            "SELECT idx, entry FROM ledger_entries WHERE case_id = $1 AND case_seq = $2",
        )
        .bind(case_id)
        .bind(case_seq)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let idx: Option<i64> = r.try_get("idx")?;
            Ok((idx.map(to_u64).transpose()?, stored_entry(&r)?))
        })
        .transpose()
    }

    /// Every entry of a case in event order, each checked against the stored event it logs.
    pub async fn ledger_case_entries(&self, case_id: i64) -> Result<Vec<CaseEntry>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {DERIVE_COLUMNS} WHERE l.case_id = $1 ORDER BY l.case_seq"
        )))
        .bind(case_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let d = derive_row(r, &self.pii)?;
                let kind: Option<String> = r.try_get("kind")?;
                Ok(CaseEntry {
                    seq: d.case_seq,
                    kind: kind.unwrap_or_default(),
                    index: d.idx,
                    matches_event: d.derived.as_deref().ok() == Some(d.entry.as_slice()),
                    entry: d.entry,
                })
            })
            .collect()
    }

    /// One case event's entry with the salts of the report's own details (on `reported`).
    pub async fn ledger_case_entry_openings(
        &self,
        case_id: i64,
        case_seq: i64,
    ) -> Result<Option<EntryWithOpenings>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {DERIVE_COLUMNS} WHERE l.case_id = $1 AND l.case_seq = $2"
        )))
        .bind(case_id)
        .bind(case_seq)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else {
            return Ok(None);
        };
        let d = derive_row(&r, &self.pii)?;
        let kind: Option<String> = r.try_get("kind")?;
        let kind = kind.unwrap_or_default();
        let salt: Vec<u8> = r.try_get("salt")?;
        let openings = if kind == "reported" {
            entry::REPORT_LABELS
                .iter()
                .map(|l| (l.to_string(), entry::hex(&entry::field_salt(&salt, l))))
                .collect()
        } else {
            Vec::new()
        };
        Ok(Some(EntryWithOpenings {
            entry: CaseEntry {
                seq: d.case_seq,
                kind,
                index: d.idx,
                matches_event: d.derived.as_deref().ok() == Some(d.entry.as_slice()),
                entry: d.entry,
            },
            openings,
        }))
    }

    /// Logs the events written before the ledger existed (those up to the id recorded when the
    /// ledger's migration ran), oldest first; returns how many. Later events without an entry
    /// are never backfilled: `ledger_audit` reports them.
    pub async fn ledger_backfill(&self, limit: i64) -> Result<usize, StoreError> {
        let mut tx = self.write_tx().await?;
        let rows = sqlx::query(
            "SELECT e.id, e.case_id, e.seq, e.kind, e.payload, e.actor_id, e.actor_name, e.at
             FROM case_events e
             LEFT JOIN ledger_entries l ON l.case_id = e.case_id AND l.case_seq = e.seq
             WHERE l.id IS NULL
               AND e.id <= (SELECT value FROM ledger_meta WHERE name = 'backfill_through_event')
             ORDER BY e.id LIMIT $1",
        )
        .bind(limit.max(1))
        .fetch_all(&mut *tx)
        .await?;
        let mut infos: HashMap<(i64, bool), CaseLedgerInfo> = HashMap::new();
        for r in &rows {
            let case_id: i64 = r.try_get("case_id")?;
            let kind: String = r.try_get("kind")?;
            let key = (case_id, kind == "reported");
            if let std::collections::hash_map::Entry::Vacant(slot) = infos.entry(key) {
                let mut x = crate::exec::SqlxExec {
                    conn: &mut tx,
                    backend: self.backend,
                };
                slot.insert(case_info(&mut x, &self.pii, case_id, key.1).await?);
            }
            let payload: String = r.try_get("payload")?;
            let actor_name: String = r.try_get("actor_name")?;
            append_event(
                &mut tx,
                case_id,
                &infos[&key],
                r.try_get("seq")?,
                &kind,
                &payload,
                r.try_get("actor_id")?,
                &actor_name,
                r.try_get("at")?,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(rows.len())
    }
}
