//! `gongzhi verify --database`: every stored case event must re-derive its log entry byte for
//! byte (from the event row, the case row and the entry's stored salt), every entry must be in
//! the tree the stored hashes describe, every stored checkpoint's root must be the root of the
//! entries up to its size, and the latest checkpoint's signature must verify. Each problem names
//! the entry's log index and the case's ticket.

use super::hashes::{fetch_kept_range, kept_end, kept_of, stored_end};
use super::{DERIVE_COLUMNS, DeriveRow, Underivable, derive_row, to_u64};
use crate::db::{Backend, Store};
use crate::error::StoreError;
use gongzhi_domain::Bilingual;
use gongzhi_ledger::tree::split_stored_hash_index;
use gongzhi_ledger::{
    Checkpoint, Hash, TreeBuilder, Verifier, empty_root, leaf_hash, stored_hash_count,
};
use sqlx::Row;

/// Problems kept in a report; further ones are only counted.
const MAX_PROBLEMS: usize = 1000;
/// Entries read per query.
const PAGE: i64 = 2000;

/// What is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// The stored event (or its case row) no longer gives the logged entry: it was edited or
    /// reordered.
    EventChanged,
    /// The logged event is not in the database: it was deleted.
    EventMissing,
    /// The logged event's case is not in the database.
    CaseMissing,
    /// The stored rows cannot be turned into an entry at all.
    Unreadable(String),
    /// A stored event has no log entry: it was written around the ledger.
    EventNotLogged,
    /// The log has no entry at this index.
    IndexGap,
    /// A stored tree hash differs from the one the entries give (`stored` index, its tree
    /// level and index on that level).
    StoredHash { stored: u64, level: u8, node: u64 },
    /// There are more or fewer stored hashes than the log's size needs.
    HashCount { expected: u64, found: u64 },
    /// A signed checkpoint's root is not the root of the entries up to its size.
    CheckpointRoot { size: u64 },
    /// A checkpoint covers more entries than the log has.
    CheckpointBeyondLog { size: u64, log: u64 },
    /// The latest checkpoint's signature (or text) does not verify.
    CheckpointSignature { zh: String, en: String },
    /// No checkpoint has been signed.
    NoCheckpoint,
}

/// One problem found, naming the entry and the case where it can.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditProblem {
    pub kind: ProblemKind,
    /// The entry's log index (`None` for a pending entry or an event with no entry).
    pub index: Option<u64>,
    /// The `ledger_entries` row id.
    pub entry_id: Option<i64>,
    /// The case's ticket.
    pub ticket: Option<String>,
    /// The event's sequence number within its case.
    pub seq: Option<i64>,
}

impl AuditProblem {
    fn of(kind: ProblemKind) -> AuditProblem {
        AuditProblem {
            kind,
            index: None,
            entry_id: None,
            ticket: None,
            seq: None,
        }
    }

    fn for_row(kind: ProblemKind, d: &DeriveRow) -> AuditProblem {
        AuditProblem {
            kind,
            index: d.idx,
            entry_id: Some(d.entry_id),
            ticket: d.ticket.clone(),
            seq: Some(d.case_seq),
        }
    }

    fn where_zh(&self) -> String {
        let entry = match (self.index, self.entry_id) {
            (Some(i), _) => format!("账本第 {i} 条记录"),
            (None, Some(id)) => format!("待入账记录 #{id}"),
            (None, None) => "账本".to_string(),
        };
        match (&self.ticket, self.seq) {
            (Some(t), Some(s)) => format!("{entry}（案件 {t} 第 {s} 个事件）"),
            (None, Some(s)) => format!("{entry}（案件已不存在，第 {s} 个事件）"),
            _ => entry,
        }
    }

    fn where_en(&self) -> String {
        let entry = match (self.index, self.entry_id) {
            (Some(i), _) => format!("ledger entry {i}"),
            (None, Some(id)) => format!("pending ledger entry #{id}"),
            (None, None) => "the ledger".to_string(),
        };
        match (&self.ticket, self.seq) {
            (Some(t), Some(s)) => format!("{entry} (case {t}, event {s})"),
            (None, Some(s)) => format!("{entry} (case gone, event {s})"),
            _ => entry,
        }
    }
}

impl Bilingual for AuditProblem {
    fn code(&self) -> &'static str {
        match self.kind {
            ProblemKind::EventChanged => "ledger_event_changed",
            ProblemKind::EventMissing => "ledger_event_missing",
            ProblemKind::CaseMissing => "ledger_case_missing",
            ProblemKind::Unreadable(_) => "ledger_entry_unreadable",
            ProblemKind::EventNotLogged => "ledger_event_not_logged",
            ProblemKind::IndexGap => "ledger_entry_missing",
            ProblemKind::StoredHash { .. } => "ledger_hash_mismatch",
            ProblemKind::HashCount { .. } => "ledger_hash_count",
            ProblemKind::CheckpointRoot { .. } => "ledger_root_mismatch",
            ProblemKind::CheckpointBeyondLog { .. } => "ledger_checkpoint_beyond_log",
            ProblemKind::CheckpointSignature { .. } => "ledger_checkpoint_invalid",
            ProblemKind::NoCheckpoint => "ledger_no_checkpoint",
        }
    }

    fn message_zh(&self) -> String {
        let w = self.where_zh();
        match &self.kind {
            ProblemKind::EventChanged => {
                format!("{w}与数据库中的事件不符：事件或案件记录被修改或调换了顺序")
            }
            ProblemKind::EventMissing => format!("{w}记录的事件在数据库中不存在：事件被删除"),
            ProblemKind::CaseMissing => format!("{w}记录的案件在数据库中不存在"),
            ProblemKind::Unreadable(why) => format!("{w}无法由数据库中的事件重建：{why}"),
            ProblemKind::EventNotLogged => {
                format!("{w}没有账本记录：该事件是绕过账本写入数据库的")
            }
            ProblemKind::IndexGap => format!("{w}在数据库中缺失"),
            ProblemKind::StoredHash {
                stored,
                level,
                node,
            } => format!(
                "{w}：存储的树哈希 {stored}（第 {level} 层第 {node} 个节点）与由记录重新计算的不符"
            ),
            ProblemKind::HashCount { expected, found } => {
                format!("账本的树哈希应存到序号 {expected} 之前，实际到 {found} 之前")
            }
            ProblemKind::CheckpointRoot { size } => {
                format!("大小为 {size} 的已签名检查点的根哈希与由记录重新计算的不符")
            }
            ProblemKind::CheckpointBeyondLog { size, log } => {
                format!("已签名的检查点覆盖 {size} 条记录，但账本只有 {log} 条：记录被删除")
            }
            ProblemKind::CheckpointSignature { zh, .. } => format!("最新检查点无效：{zh}"),
            ProblemKind::NoCheckpoint => "账本还没有已签名的检查点".to_string(),
        }
    }

    fn message_en(&self) -> String {
        let w = self.where_en();
        match &self.kind {
            ProblemKind::EventChanged => format!(
                "{w} does not match the stored event: the event or case row was edited or reordered"
            ),
            ProblemKind::EventMissing => {
                format!("{w} logs an event that is missing from the database: it was deleted")
            }
            ProblemKind::CaseMissing => {
                format!("{w} logs a case that is missing from the database")
            }
            ProblemKind::Unreadable(why) => {
                format!("{w} cannot be re-derived from the stored event: {why}")
            }
            ProblemKind::EventNotLogged => format!(
                "{w} has no ledger entry: the event was written to the database around the ledger"
            ),
            ProblemKind::IndexGap => format!("{w} is missing from the database"),
            ProblemKind::StoredHash {
                stored,
                level,
                node,
            } => format!(
                "{w}: stored tree hash {stored} (level {level}, node {node}) differs from the one the entries give"
            ),
            ProblemKind::HashCount { expected, found } => {
                format!(
                    "the ledger's tree hashes should end before stored index {expected}, found {found}"
                )
            }
            ProblemKind::CheckpointRoot { size } => {
                format!("the signed checkpoint of size {size} has a root the entries do not give")
            }
            ProblemKind::CheckpointBeyondLog { size, log } => format!(
                "a signed checkpoint covers {size} entries but the ledger has only {log}: entries were deleted"
            ),
            ProblemKind::CheckpointSignature { en, .. } => {
                format!("the latest checkpoint does not verify: {en}")
            }
            ProblemKind::NoCheckpoint => "the ledger has no signed checkpoint yet".to_string(),
        }
    }
}

impl std::fmt::Display for AuditProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {}", self.message_zh(), self.message_en())
    }
}

/// The outcome of [`Store::ledger_audit`].
#[derive(Clone, Debug, Default)]
pub struct AuditReport {
    /// Integrated entries.
    pub size: u64,
    /// Entries not yet integrated.
    pub pending: u64,
    /// Stored case events.
    pub events: u64,
    /// The latest checkpoint, when its signature verified.
    pub checkpoint: Option<Checkpoint>,
    /// Stored checkpoints whose roots were checked.
    pub checkpoints: u64,
    /// The first problems found (at most 1000).
    pub problems: Vec<AuditProblem>,
    /// All problems found.
    pub problems_total: u64,
}

impl AuditReport {
    pub fn is_ok(&self) -> bool {
        self.problems_total == 0
    }

    fn push(&mut self, p: AuditProblem) {
        self.problems_total += 1;
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(p);
        }
    }

    fn check_derived(&mut self, d: &DeriveRow) {
        let kind = match &d.derived {
            Ok(bytes) if *bytes == d.entry => return,
            Ok(_) => ProblemKind::EventChanged,
            Err(Underivable::EventMissing) => ProblemKind::EventMissing,
            Err(Underivable::CaseMissing) => ProblemKind::CaseMissing,
            Err(Underivable::Broken(why)) => ProblemKind::Unreadable(why.clone()),
        };
        self.push(AuditProblem::for_row(kind, d));
    }
}

impl Store {
    /// Checks the whole ledger against the stored events and the signed checkpoints; see the
    /// module docs. `verifiers` are the log's public keys. Database failures are errors; what
    /// the check finds is in the report.
    pub async fn ledger_audit(&self, verifiers: &[Verifier]) -> Result<AuditReport, StoreError> {
        let mut rep = AuditReport::default();
        match self.ledger_latest_checkpoint().await? {
            None => rep.push(AuditProblem::of(ProblemKind::NoCheckpoint)),
            Some(c) => match Checkpoint::open(&c.signed_note, verifiers) {
                Ok(cp) if cp.size == c.size && cp.root == c.root => rep.checkpoint = Some(cp),
                Ok(cp) => rep.push(AuditProblem::of(ProblemKind::CheckpointSignature {
                    zh: format!(
                        "签名文本（{} 条）与存储的大小和根哈希（{} 条）不符",
                        cp.size, c.size
                    ),
                    en: format!(
                        "the signed text (size {}) does not match the stored size and root (size {})",
                        cp.size, c.size
                    ),
                })),
                Err(e) => rep.push(AuditProblem::of(ProblemKind::CheckpointSignature {
                    zh: e.message_zh(),
                    en: e.to_string(),
                })),
            },
        }
        let roots = self.ledger_checkpoint_roots().await?;
        rep.checkpoints = roots.len() as u64;
        let mut next_root = 0usize;
        let mut check_roots = |size: u64, root: &dyn Fn() -> Hash, rep: &mut AuditReport| {
            while next_root < roots.len() && roots[next_root].0 == size {
                if roots[next_root].1 != root() {
                    rep.push(AuditProblem::of(ProblemKind::CheckpointRoot { size }));
                }
                next_root += 1;
            }
        };
        check_roots(0, &empty_root, &mut rep);

        // Every read below in one snapshot: the sequencer keeps integrating while a live server
        // is checked, and entries, stored hashes and counts read at different moments would
        // disagree (a tree-hash count above the entries read). The checkpoints read above are
        // older than the snapshot, which is fine: they only grow and entries are append-only.
        let begin = match self.backend {
            Backend::Sqlite => "BEGIN",
            Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        };
        let mut conn = self.pool.begin_with(begin).await?;
        let mut builder = TreeBuilder::new();
        let mut stored: Vec<Hash> = Vec::new();
        let mut next_idx = 0u64;
        let mut tree_ok = true;
        loop {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {DERIVE_COLUMNS} WHERE l.idx >= $1 ORDER BY l.idx LIMIT $2"
            )))
            .bind(i64::try_from(next_idx).unwrap_or(i64::MAX))
            .bind(PAGE)
            .fetch_all(&mut *conn)
            .await?;
            if rows.is_empty() {
                break;
            }
            let page_first = next_idx;
            for r in &rows {
                let d = derive_row(r, &self.pii)?;
                let idx = d.idx.unwrap_or(next_idx);
                if idx != next_idx {
                    for missing in next_idx..idx.min(next_idx + 10) {
                        let mut p = AuditProblem::of(ProblemKind::IndexGap);
                        p.index = Some(missing);
                        rep.push(p);
                    }
                    tree_ok = false;
                }
                rep.check_derived(&d);
                if tree_ok {
                    builder.push(leaf_hash(&d.entry), &mut stored);
                    check_roots(builder.size(), &|| builder.root(), &mut rep);
                }
                next_idx = idx + 1;
            }
            if tree_ok {
                let range = stored_hash_count(page_first)..stored_hash_count(next_idx);
                let want = kept_of(range.start, &stored);
                let db = fetch_kept_range(&mut conn, range.clone()).await?;
                if let Some(k) = (0..want.len().min(db.len())).find(|&k| db[k] != want[k]) {
                    // The first index where the database and the tree part: a wrong hash, or
                    // a hash at the wrong place.
                    let s = want[k].0.min(db[k].0);
                    let (level, node) = split_stored_hash_index(s);
                    let mut p = AuditProblem::of(ProblemKind::StoredHash {
                        stored: s,
                        level,
                        node,
                    });
                    if level == 0 {
                        p.index = Some(node);
                    }
                    rep.push(p);
                } else if db.len() != want.len() {
                    rep.push(AuditProblem::of(ProblemKind::HashCount {
                        expected: kept_end(next_idx),
                        found: stored_end(&mut conn).await?,
                    }));
                }
            }
            stored.clear();
        }
        rep.size = next_idx;
        let have = stored_end(&mut conn).await?;
        if tree_ok && have != kept_end(rep.size) {
            rep.push(AuditProblem::of(ProblemKind::HashCount {
                expected: kept_end(rep.size),
                found: have,
            }));
        }
        for &(size, _) in &roots[next_root..] {
            if size > rep.size || !tree_ok {
                rep.push(AuditProblem::of(ProblemKind::CheckpointBeyondLog {
                    size,
                    log: rep.size,
                }));
            }
        }

        let pending = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {DERIVE_COLUMNS} WHERE l.idx IS NULL ORDER BY l.id"
        )))
        .fetch_all(&mut *conn)
        .await?;
        rep.pending = pending.len() as u64;
        for r in &pending {
            let d = derive_row(r, &self.pii)?;
            rep.check_derived(&d);
        }

        let unlogged = sqlx::query(
            "SELECT e.case_id, e.seq, c.ticket FROM case_events e
             LEFT JOIN ledger_entries l ON l.case_id = e.case_id AND l.case_seq = e.seq
             LEFT JOIN cases c ON c.id = e.case_id
             WHERE l.id IS NULL ORDER BY e.id",
        )
        .fetch_all(&mut *conn)
        .await?;
        for r in &unlogged {
            let mut p = AuditProblem::of(ProblemKind::EventNotLogged);
            p.ticket = r.try_get("ticket")?;
            p.seq = Some(r.try_get("seq")?);
            rep.push(p);
        }
        // Records outside cases: the subject stands for the ticket, the event id for the seq.
        let unlogged = sqlx::query(
            "SELECT r.id, r.subject FROM record_events r
             LEFT JOIN ledger_entries l ON l.case_id = 0 AND l.case_seq = r.id
             WHERE l.id IS NULL ORDER BY r.id",
        )
        .fetch_all(&mut *conn)
        .await?;
        for r in &unlogged {
            let mut p = AuditProblem::of(ProblemKind::EventNotLogged);
            p.ticket = r.try_get("subject")?;
            p.seq = Some(r.try_get("id")?);
            rep.push(p);
        }
        let events: i64 = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM case_events) + (SELECT COUNT(*) FROM record_events) AS n",
        )
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
        rep.events = to_u64(events)?;
        conn.rollback().await?;
        Ok(rep)
    }
}
