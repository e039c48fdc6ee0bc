//! Scorecard tallies: what each case contributes to the counters and follow-ups (the domain's
//! `CaseFacts` and rating), summed per community and report day in `case_tallies`. Every case
//! write adds the difference it makes in its own transaction, so the sums never drift from the
//! cases; a scorecard by street, community or month reads these sums.

use crate::Millis;
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use gongzhi_domain::calendar::date_of;
use gongzhi_domain::case::Case;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::metrics::{CaseFacts, Counters, FollowUps};
use sqlx::Row;
use std::collections::BTreeMap;

/// The tally columns: the 13 counters, then the 6 follow-up tallies.
pub(crate) const COLUMNS: [&str; 19] = [
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
pub(crate) type Tally = [i64; 19];

/// Where a case is tallied: its community (`""` unlocated) and report day.
pub(crate) type TallyKey = (String, String);

pub(crate) fn key_of(case: &Case, reported_at: Millis) -> TallyKey {
    (
        case.community
            .map(|c| c.as_str().to_string())
            .unwrap_or_default(),
        date_of(reported_at).to_string(),
    )
}

/// What `case` adds to the sums, by the domain's definitions.
pub(crate) fn contribution(case: &Case) -> Tally {
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

fn sum_into(to: &mut Tally, t: &Tally, sign: i64) {
    for (a, b) in to.iter_mut().zip(t) {
        *a += sign * b;
    }
}

/// Sums of contributions per key, ready to add to the table.
#[derive(Default)]
pub(crate) struct Deltas(BTreeMap<TallyKey, Tally>);

impl Deltas {
    pub(crate) fn add(&mut self, key: TallyKey, t: &Tally, sign: i64) {
        sum_into(self.0.entry(key).or_insert([0; 19]), t, sign);
    }

    /// The change a case write makes: out with the state before, in with the state after.
    pub(crate) fn change(before: Option<(&Case, Millis)>, after: (&Case, Millis)) -> Deltas {
        let mut d = Deltas::default();
        if let Some((c, at)) = before {
            d.add(key_of(c, at), &contribution(c), -1);
        }
        d.add(key_of(after.0, after.1), &contribution(after.0), 1);
        d
    }

    /// Adds the sums to the table in the caller's transaction.
    pub(crate) async fn write<X: crate::exec::Exec>(self, x: &mut X) -> Result<(), StoreError> {
        let rows: Vec<_> = self
            .0
            .into_iter()
            .filter(|(_, t)| t.iter().any(|v| *v != 0))
            .collect();
        for chunk in rows.chunks(200) {
            let mut sql = Sql::new("INSERT INTO case_tallies (community_code, day");
            for c in COLUMNS {
                sql.push(", ").push(c);
            }
            sql.push(") VALUES ");
            sql.values(chunk.iter().map(|((community, day), t)| {
                let mut row = vec![Arg::Text(community.clone()), Arg::Text(day.clone())];
                row.extend(t.iter().map(|v| Arg::Int(*v)));
                row
            }));
            sql.push(" ON CONFLICT (community_code, day) DO UPDATE SET ");
            for (i, c) in COLUMNS.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.push(&format!("{c} = case_tallies.{c} + excluded.{c}"));
            }
            x.execute(&sql).await?;
        }
        Ok(())
    }
}

/// How tallies are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TallyGroup {
    /// The community's street (its code with the last three digits zero).
    Street,
    Community,
    /// `yyyy-mm` of the report day.
    Month,
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

fn tally_row(r: &impl crate::exec::Cols) -> Result<(String, GroupTally), StoreError> {
    let mut t = [0i64; 19];
    for (i, c) in COLUMNS.iter().enumerate() {
        t[i] = r.int(c)?;
    }
    Ok((r.text("k")?, group_tally(&t)))
}

impl Store {
    /// The tallies of cases reported from `from` to `to` (inclusive `yyyy-mm-dd`), within
    /// `area` when given, by `group`; the key is a street or community code (`""`:
    /// unlocated) or a month.
    pub async fn case_tallies(
        &self,
        group: TallyGroup,
        area: Option<&AreaCode>,
        from: &str,
        to: &str,
    ) -> Result<Vec<(String, GroupTally)>, StoreError> {
        let key = match group {
            TallyGroup::Street => {
                "CASE WHEN community_code = '' THEN '' ELSE substr(community_code, 1, 9) || '000' END"
            }
            TallyGroup::Community => "community_code",
            TallyGroup::Month => "substr(day, 1, 7)",
        };
        let mut sql = Sql::new(&format!("SELECT {key} AS k"));
        for c in COLUMNS {
            // PostgreSQL sums BIGINTs to NUMERIC, which the Any driver cannot read.
            sql.push(&format!(", CAST(SUM({c}) AS BIGINT) AS {c}"));
        }
        sql.push(" FROM case_tallies WHERE day >= ")
            .bind(Arg::Text(from.into()))
            .push(" AND day <= ")
            .bind(Arg::Text(to.into()));
        if let Some(a) = area {
            sql.push(" AND community_code LIKE ")
                .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
        }
        sql.push(" GROUP BY k ORDER BY k");
        self.read(
            &sql,
            |r| r.iter().map(tally_row).collect(),
            |r| r.iter().map(tally_row).collect(),
        )
        .await
    }

    /// Rebuilds the tallies from the cases when the table is empty but cases exist (a
    /// database from before the table, or restored without it).
    pub(crate) async fn ensure_case_tallies(&self) -> Result<(), StoreError> {
        let have: i64 = sqlx::query("SELECT COUNT(*) AS n FROM case_tallies")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        if have > 0 {
            return Ok(());
        }
        let mut tx = self.write_tx().await?;
        let mut after = 0i64;
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
            }
            d.write(&mut crate::exec::SqlxExec {
                conn: &mut tx,
                backend: self.backend,
            })
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
