//! Scorecard tallies: what each case contributes to the counters and follow-ups (the domain's
//! `CaseFacts` and rating), summed per community and report day in `case_tallies`. Every case
//! write adds the difference it makes in its own transaction, so the sums never drift from the
//! cases; a scorecard by street, community or month reads these sums.

use crate::Millis;
use crate::cube_time::{Grain, Grains, Part, halves, parts};
use crate::db::Store;
use crate::error::StoreError;
use crate::exec::CubeMode;
use crate::sql::{Arg, Sql};
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::case::Case;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::metrics::{CaseFacts, Counters, FollowUps};
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};

/// The tally columns: the 13 counters, then the 6 follow-up tallies.
pub const COLUMNS: [&str; 19] = [
    "reported",
    "registered",
    "dispatched",
    "dispatched_accurately",
    "due_handling",
    "handled_on_time",
    "handled_late",
    "due_closing",
    "closed",
    "closed_on_time",
    "reworked",
    "extended",
    "deferred",
    "valid",
    "contacted",
    "resolved",
    "satisfied",
    "basically_satisfied",
    "unsatisfied",
];

/// One case's contribution, or a sum of them, in `COLUMNS` order.
pub type Tally = [i64; 19];

/// Where a case is tallied: its report day, community (`""` unlocated), department (`""`
/// not dispatched), category and channel. The same key at month grain is its cube row.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct TallyKey {
    pub(crate) period: String,
    pub(crate) community: String,
    pub(crate) department: String,
    pub(crate) category: String,
    pub(crate) channel: String,
}

impl TallyKey {
    /// The key of the month row holding this day row (`yyyy-mm-dd` → `yyyy-mm`).
    fn month(&self) -> TallyKey {
        TallyKey {
            period: self.period.get(..7).unwrap_or(&self.period).to_string(),
            ..self.clone()
        }
    }

    fn args(&self) -> Vec<Arg> {
        [
            &self.period,
            &self.community,
            &self.department,
            &self.category,
            &self.channel,
        ]
        .map(|v| Arg::Text(v.clone()))
        .to_vec()
    }
}

pub(crate) fn key_of(case: &Case, reported_at: Millis) -> TallyKey {
    TallyKey {
        period: date_of(reported_at).to_string(),
        community: case
            .community
            .map(|c| c.as_str().to_string())
            .unwrap_or_default(),
        department: case.department.clone().unwrap_or_default(),
        category: case.category.clone(),
        channel: case.channel.as_str().to_string(),
    }
}

/// What `case` adds to the sums, by the domain's definitions.
pub fn contribution(case: &Case) -> Tally {
    let mut c = Counters::default();
    c.add(&CaseFacts::of(case));
    let mut f = FollowUps::default();
    if let Some(r) = &case.rating {
        f.add(r);
    }
    let v = |n: u64| n as i64;
    [
        v(c.reported),
        v(c.registered),
        v(c.dispatched),
        v(c.dispatched_accurately),
        v(c.due_handling),
        v(c.handled_on_time),
        v(c.handled_late),
        v(c.due_closing),
        v(c.closed),
        v(c.closed_on_time),
        v(c.reworked),
        v(c.extended),
        v(c.deferred),
        v(f.valid),
        v(f.contacted),
        v(f.resolved),
        v(f.satisfied),
        v(f.basically_satisfied),
        v(f.unsatisfied),
    ]
}

pub(crate) fn sum_into(to: &mut Tally, t: &Tally, sign: i64) {
    for (a, b) in to.iter_mut().zip(t) {
        *a += sign * b;
    }
}

/// Sums of contributions per day key, ready to add to the day and month rows.
#[derive(Default)]
pub(crate) struct Deltas(BTreeMap<TallyKey, Tally>);

impl Deltas {
    pub(crate) fn add(&mut self, key: TallyKey, t: &Tally, sign: i64) {
        sum_into(self.0.entry(key).or_insert([0; 19]), t, sign);
    }

    /// The change a case write makes: out with the state before, in with the state after.
    /// A command that moves no counter and keeps the key (most of them: a note, a handling
    /// step before its deadline) writes nothing.
    pub(crate) fn change(before: Option<(&Case, Millis)>, after: (&Case, Millis)) -> Deltas {
        let mut d = Deltas::default();
        if let Some((c, at)) = before {
            d.add(key_of(c, at), &contribution(c), -1);
        }
        d.add(key_of(after.0, after.1), &contribution(after.0), 1);
        d
    }

    /// Adds another write's sums to these.
    pub(crate) fn absorb(&mut self, other: Deltas) {
        for (k, t) in other.0 {
            self.add(k, &t, 1);
        }
    }

    /// The case write's sums into the cube, as the transaction's [`CubeMode`] says: at once,
    /// handed to SQLite's writer batch, or appended to `cube_pending` (decision 043).
    pub(crate) async fn apply<X: crate::exec::Exec>(self, x: &mut X) -> Result<(), StoreError> {
        match x.cube_mode() {
            CubeMode::Batch(batch) => {
                batch.absorb(self);
                Ok(())
            }
            CubeMode::Pending => self.write_pending(x).await,
            CubeMode::Now => self.write(x).await,
        }
    }

    /// The rows that change something.
    fn nonzero(self) -> Vec<(TallyKey, Tally)> {
        self.0
            .into_iter()
            .filter(|(_, t)| t.iter().any(|v| *v != 0))
            .collect()
    }

    /// Appends the sums to `cube_pending`: a plain insert, no lock on a cube row.
    async fn write_pending<X: crate::exec::Exec>(self, x: &mut X) -> Result<(), StoreError> {
        let rows = self.nonzero();
        if rows.is_empty() {
            return Ok(());
        }
        let sql = insert_rows(
            "cube_pending",
            "day, community_code, department, category, channel",
            &rows,
        );
        x.execute(&sql).await?;
        Ok(())
    }

    /// Adds the sums to the day rows (`case_tallies`), the month rows (`case_cube`) and the
    /// slices (`case_slices`) in the caller's transaction.
    pub(crate) async fn write<X: crate::exec::Exec>(self, x: &mut X) -> Result<(), StoreError> {
        let days = self.nonzero();
        if days.is_empty() {
            return Ok(());
        }
        let mut months: BTreeMap<TallyKey, Tally> = BTreeMap::new();
        for (k, t) in &days {
            sum_into(months.entry(k.month()).or_insert([0; 19]), t, 1);
        }
        let slices = crate::slices::rows(&days);
        upsert(x, "case_tallies", "day", days).await?;
        upsert(x, "case_cube", "month", months.into_iter().collect()).await?;
        crate::slices::write(x, slices).await
    }
}

/// `INSERT INTO table (key…, COLUMNS…) VALUES …` for rows keyed like the day rows.
fn insert_rows(table: &str, key: &str, rows: &[(TallyKey, Tally)]) -> Sql {
    let mut sql = Sql::new(&format!("INSERT INTO {table} ({key}"));
    for c in COLUMNS {
        sql.push(", ").push(c);
    }
    sql.push(") VALUES ");
    sql.values(rows.iter().map(|(k, t)| {
        let mut row = k.args();
        row.extend(t.iter().map(|v| Arg::Int(*v)));
        row
    }));
    sql
}

async fn upsert<X: crate::exec::Exec>(
    x: &mut X,
    table: &str,
    period: &str,
    rows: Vec<(TallyKey, Tally)>,
) -> Result<(), StoreError> {
    let key = format!("{period}, community_code, department, category, channel");
    for chunk in rows.chunks(200) {
        let mut sql = insert_rows(table, &key, chunk);
        sql.push(&format!(" ON CONFLICT ({key}) DO UPDATE SET "));
        for (i, c) in COLUMNS.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push(&format!("{c} = {table}.{c} + excluded.{c}"));
        }
        x.execute(&sql).await?;
    }
    Ok(())
}

/// How the cube's sums are grouped. Major categories and weeks are folded from
/// categories and days by the caller, who knows the category tree and the calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TallyGroup {
    /// The community's street (its code with the last three digits zero).
    Street,
    Community,
    Department,
    Category,
    Channel,
    /// `yyyy-mm` of the report day.
    Month,
    /// The report day, `yyyy-mm-dd` (reads day rows for the whole range).
    Day,
    /// Everything in one group keyed `""`.
    Total,
}

impl TallyGroup {
    /// The key expression over a row of either table; `period` is `day` or `month`.
    fn key(self, period: &str) -> String {
        match self {
            TallyGroup::Street => {
                "CASE WHEN community_code = '' THEN '' ELSE substr(community_code, 1, 9) || '000' END"
                    .into()
            }
            TallyGroup::Community => "community_code".into(),
            TallyGroup::Department => "department".into(),
            TallyGroup::Category => "category".into(),
            TallyGroup::Channel => "channel".into(),
            TallyGroup::Month => format!("substr({period}, 1, 7)"),
            TallyGroup::Day => period.into(),
            TallyGroup::Total => "''".into(),
        }
    }
}

/// What a dashboard asks of the cube: one grouping over the cases reported from `from` to
/// `to` (inclusive Beijing days), narrowed by any of the filters.
#[derive(Clone, Debug)]
pub struct CubeQuery {
    pub group: TallyGroup,
    pub from: Date,
    pub to: Date,
    /// Cases inside this area (a district, street or community).
    pub area: Option<AreaCode>,
    /// Cases of these communities only (other parts' reports over a set of communities).
    pub communities: Option<Vec<AreaCode>>,
    pub department: Option<String>,
    /// Any of these category codes (a major category is given as its minor codes).
    pub categories: Vec<String>,
    pub channel: Option<String>,
}

impl CubeQuery {
    pub fn new(group: TallyGroup, from: Date, to: Date) -> CubeQuery {
        CubeQuery {
            group,
            from,
            to,
            area: None,
            communities: None,
            department: None,
            categories: Vec::new(),
            channel: None,
        }
    }
}

/// The sums of one group.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupTally {
    pub counters: Counters,
    pub follow_ups: FollowUps,
}

fn group_tally(t: &Tally) -> GroupTally {
    let u = |i: usize| t[i].max(0) as u64;
    GroupTally {
        counters: Counters {
            reported: u(0),
            registered: u(1),
            dispatched: u(2),
            dispatched_accurately: u(3),
            due_handling: u(4),
            handled_on_time: u(5),
            handled_late: u(6),
            due_closing: u(7),
            closed: u(8),
            closed_on_time: u(9),
            reworked: u(10),
            extended: u(11),
            deferred: u(12),
        },
        follow_ups: FollowUps {
            valid: u(13),
            contacted: u(14),
            resolved: u(15),
            satisfied: u(16),
            basically_satisfied: u(17),
            unsatisfied: u(18),
        },
    }
}

/// The filters of `q` as `AND …` clauses.
fn filters(sql: &mut Sql, q: &CubeQuery) {
    if let Some(a) = &q.area {
        // A range, not LIKE: the rows lead with the community, so an area is one index range.
        let prefix = crate::geo_data::area_prefix(a);
        sql.push(" AND community_code >= ")
            .bind(Arg::Text(prefix.to_string()))
            .push(" AND community_code < ")
            .bind(Arg::Text(format!("{prefix}~")));
    }
    if let Some(cs) = &q.communities {
        // An empty set matches nothing; `IN ()` is no SQL.
        sql.push(" AND community_code IN ('!'");
        for c in cs {
            sql.push(", ").bind(Arg::Text(c.as_str().to_string()));
        }
        sql.push(")");
    }
    if let Some(d) = &q.department {
        sql.push(" AND department = ").bind(Arg::Text(d.clone()));
    }
    if !q.categories.is_empty() {
        sql.push(" AND category IN (");
        for (i, c) in q.categories.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(Arg::Text(c.clone()));
        }
        sql.push(")");
    }
    if let Some(c) = &q.channel {
        sql.push(" AND channel = ").bind(Arg::Text(c.clone()));
    }
}

impl Store {
    /// The cube's sums for `q`, from the coarsest rows that cover its range (`cube_time`):
    /// quarters, months and day blocks where the slice holds them, days for the rest. The key
    /// is a street or community code (`""`: unlocated), a department (`""`: not dispatched),
    /// a category or channel code, a month or a day.
    pub async fn cube(&self, q: &CubeQuery) -> Result<Vec<(String, GroupTally)>, StoreError> {
        // What case writes left pending goes in first: a dashboard is exact at every moment.
        self.fold_cube_pending().await?;
        let slice = crate::slices::plan(q);
        let grains = match (q.group, &slice) {
            (TallyGroup::Day, _) => Grains::DAYS,
            // A quarter's rows are keyed by its first month: no month grouping from them.
            (TallyGroup::Month, Some(p)) => Grains {
                quarters: false,
                ..p.grains()
            },
            (_, Some(p)) => p.grains(),
            (_, None) => Grains::MONTHS,
        };
        let parts = parts(q.from, q.to, grains);
        if parts.is_empty() {
            return Ok(Vec::new());
        }
        let union = |sql: &mut Sql, parts: &[&Part]| {
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    sql.push(" UNION ALL ");
                }
                if let Some(plan) = &slice {
                    plan.part(sql, q, part);
                    continue;
                }
                // The community rows: days in `case_tallies`, months in `case_cube`.
                let (table, period) = match part.grain {
                    Grain::Month => ("case_cube", "month"),
                    _ => ("case_tallies", "day"),
                };
                sql.push(&format!("SELECT {} AS k", q.group.key(period)));
                for c in COLUMNS {
                    sql.push(", ").push(c);
                }
                sql.push(&format!(" FROM {table} WHERE {period} >= "))
                    .bind(Arg::Text(part.from.clone()))
                    .push(&format!(" AND {period} <= "))
                    .bind(Arg::Text(part.to.clone()));
                filters(sql, q);
            }
        };
        let sums: BTreeMap<String, Tally> = match &self.readers {
            // SQLite sums the rows here as they stream: its GROUP BY sorts every row (all 20
            // columns) through a temporary b-tree, which cost three times the scan. The parts
            // go in two halves to two readers, one per core: a city's communities over a year
            // are some 37,000 rows.
            Some(readers) => {
                let sum = |half: &[&Part]| -> Result<HashMap<String, Tally>, StoreError> {
                    let mut sums: HashMap<String, Tally> = HashMap::new();
                    let mut sql = Sql::new("");
                    union(&mut sql, half);
                    readers.read(|x| {
                        x.for_each(&sql, |r| {
                            let key = r.text_ref(0)?;
                            if !sums.contains_key(key) {
                                sums.insert(key.to_string(), [0; 19]);
                            }
                            let t = sums.get_mut(key).expect("inserted above");
                            for (i, v) in t.iter_mut().enumerate() {
                                *v += r.int(i + 1)?;
                            }
                            Ok(())
                        })
                    })?;
                    Ok(sums)
                };
                let (a, b) = halves(&parts);
                // A single part (a day trend, a short range) needs no second thread.
                let (left, right) = if b.is_empty() {
                    (sum(&a), Ok(HashMap::new()))
                } else {
                    std::thread::scope(|s| {
                        let right = s.spawn(|| sum(&b));
                        let left = sum(&a);
                        (
                            left,
                            right
                                .join()
                                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
                        )
                    })
                };
                let mut out: BTreeMap<String, Tally> = left?.into_iter().collect();
                for (k, t) in right? {
                    sum_into(out.entry(k).or_insert([0; 19]), &t, 1);
                }
                out
            }
            None => {
                let mut sql = Sql::new("SELECT k");
                for c in COLUMNS {
                    // PostgreSQL sums BIGINTs to NUMERIC, which the Any driver cannot read.
                    sql.push(&format!(", CAST(SUM({c}) AS BIGINT) AS {c}"));
                }
                sql.push(" FROM (");
                union(&mut sql, &parts.iter().collect::<Vec<_>>());
                sql.push(") AS r GROUP BY k");
                let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|r| {
                        let mut t = [0i64; 19];
                        for (i, c) in COLUMNS.iter().enumerate() {
                            t[i] = r.try_get(*c)?;
                        }
                        Ok((r.try_get("k")?, t))
                    })
                    .collect::<Result<_, StoreError>>()?
            }
        };
        // A case that moved on (another department, a return) leaves its old key's row at
        // zero: a group without cases is no group, as when the cases were folded.
        Ok(sums
            .into_iter()
            .filter(|(_, t)| t[0] > 0)
            .map(|(k, t)| (k, group_tally(&t)))
            .collect())
    }

    /// Folds the sums PostgreSQL's case writes left in `cube_pending` into the cube, a few
    /// thousand at a time, each in a short transaction that deletes what it folds; returns how
    /// many pending rows it folded. Rows another fold holds are skipped (`SKIP LOCKED`), and
    /// every fold adds to the cube rows in key order, so two folds never deadlock.
    pub async fn fold_cube_pending(&self) -> Result<u64, StoreError> {
        if self.backend != crate::db::Backend::Postgres {
            return Ok(0);
        }
        const STEP: usize = 5_000;
        let mut folded = 0;
        loop {
            let mut tx = self.write_tx().await?;
            let mut sql = format!(
                "DELETE FROM cube_pending WHERE id IN (SELECT id FROM cube_pending ORDER BY id \
                 LIMIT {STEP} FOR UPDATE SKIP LOCKED) RETURNING day, community_code, department, \
                 category, channel"
            );
            for c in COLUMNS {
                sql.push_str(", ");
                sql.push_str(c);
            }
            // Built from the fixed column list above: nothing from outside.
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(&mut *tx)
                .await?;
            let mut d = Deltas::default();
            for r in &rows {
                let key = TallyKey {
                    period: r.try_get("day")?,
                    community: r.try_get("community_code")?,
                    department: r.try_get("department")?,
                    category: r.try_get("category")?,
                    channel: r.try_get("channel")?,
                };
                let mut t: Tally = [0; 19];
                for (v, c) in t.iter_mut().zip(COLUMNS) {
                    *v = r.try_get(c)?;
                }
                d.add(key, &t, 1);
            }
            d.write(&mut crate::exec::SqlxExec {
                conn: &mut tx,
                backend: self.backend,
            })
            .await?;
            tx.commit().await?;
            folded += rows.len() as u64;
            if rows.len() < STEP {
                return Ok(folded);
            }
        }
    }

    /// Rebuilds the day and month rows from the cases when the day rows are empty (a
    /// database from before the cube, or restored without it).
    pub(crate) async fn ensure_case_tallies(&self) -> Result<(), StoreError> {
        let have: i64 = sqlx::query("SELECT COUNT(*) AS n FROM case_tallies")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        if have == 0 {
            self.rebuild_cube().await?;
        }
        Ok(())
    }

    /// Adds what these cases contribute to the day and month rows in one transaction, with
    /// no case row written: the benchmark's synthetic year (`gongzhi cube synth`) goes
    /// through the same fold as every case write without the hours of writing 20 M cases.
    pub async fn fold_into_cube<'a>(
        &self,
        cases: impl IntoIterator<Item = (&'a Case, Millis)>,
    ) -> Result<(), StoreError> {
        let mut d = Deltas::default();
        for (case, at) in cases {
            d.add(key_of(case, at), &contribution(case), 1);
        }
        let mut tx = self.write_tx().await?;
        d.write(&mut crate::exec::SqlxExec {
            conn: &mut tx,
            backend: self.backend,
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Recomputes every day and month row from the cases in one transaction
    /// (`gongzhi cube rebuild`); returns how many cases were folded.
    pub async fn rebuild_cube(&self) -> Result<u64, StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("DELETE FROM case_tallies")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM case_cube")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM case_slices")
            .execute(&mut *tx)
            .await?;
        // Sums pending from case writes are in the cases read below.
        sqlx::query("DELETE FROM cube_pending")
            .execute(&mut *tx)
            .await?;
        let mut after = 0i64;
        let mut n = 0u64;
        loop {
            let rows = sqlx::query(
                "SELECT id, reported_at, state_json FROM cases WHERE id > $1 ORDER BY id LIMIT 5000",
            )
            .bind(after)
            .fetch_all(&mut *tx)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("id")?;
            let mut d = Deltas::default();
            for r in &rows {
                let json: String = r.try_get("state_json")?;
                let case: Case = serde_json::from_str(&json)
                    .map_err(|e| StoreError::corrupt(format!("case state: {e}")))?;
                d.add(
                    key_of(&case, r.try_get("reported_at")?),
                    &contribution(&case),
                    1,
                );
                n += 1;
            }
            d.write(&mut crate::exec::SqlxExec {
                conn: &mut tx,
                backend: self.backend,
            })
            .await?;
        }
        tx.commit().await?;
        Ok(n)
    }
}
