//! What the signals are computed from, read over the cases, their events and the whistles in
//! a supervisor's area since a day: overdue cases with their department, returns and
//! redirections, summoned departments that missed their check-in deadline, and each
//! department's ratings. The domain (`conduct::Signals`) decides which of these are signals.

use super::rows::SignalData;
use crate::Millis;
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use gongzhi_domain::case::{Event, Satisfaction};
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::conduct::{CaseMove, DepartmentRatings, MissedCheckIn, OverdueCase};
use sqlx::Row;
use std::collections::BTreeMap;

fn in_area(sql: &mut Sql, area: Option<&AreaCode>) {
    if let Some(a) = area {
        sql.push(" AND c.community_code LIKE ")
            .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
    }
}

impl Store {
    pub async fn misconduct_signal_data(
        &self,
        area: Option<&AreaCode>,
        since: Millis,
        now: Millis,
    ) -> Result<SignalData, StoreError> {
        let mut out = SignalData::default();

        let mut sql = Sql::new(
            "SELECT c.id, c.ticket, c.department_code FROM cases c
             WHERE c.overdue = 1 AND c.department_code IS NOT NULL AND c.reported_at >= ",
        );
        sql.bind(Arg::Int(since));
        in_area(&mut sql, area);
        for r in sql.query(self.backend).fetch_all(&self.pool).await? {
            out.overdue.push(OverdueCase {
                case_id: r.try_get("id")?,
                ticket: r.try_get("ticket")?,
                department: r.try_get("department_code")?,
            });
        }

        let mut sql = Sql::new(
            "SELECT c.id, c.ticket, e.payload FROM case_events e JOIN cases c ON c.id = e.case_id
             WHERE e.kind IN ('returned', 'redirected') AND e.at >= ",
        );
        sql.bind(Arg::Int(since));
        in_area(&mut sql, area);
        sql.push(" ORDER BY e.case_id, e.seq");
        for r in sql.query(self.backend).fetch_all(&self.pool).await? {
            let payload: String = r.try_get("payload")?;
            let department = match serde_json::from_str::<Event>(&payload) {
                Ok(Event::Returned { department, .. }) => department,
                Ok(Event::Redirected { from, .. }) => from,
                _ => None,
            };
            out.moves.push(CaseMove {
                case_id: r.try_get("id")?,
                ticket: r.try_get("ticket")?,
                department,
            });
        }

        // Not checked in (arrived) by the deadline: flagged late, or still waiting past it.
        let mut sql = Sql::new(
            "SELECT c.id, c.ticket, p.department_code FROM whistle_parts p JOIN cases c ON c.id = p.case_id
             WHERE p.summoned_at >= ",
        );
        sql.bind(Arg::Int(since))
            .push(" AND (p.late = 1 OR (p.state IN ('summoned', 'acknowledged') AND p.deadline < ")
            .bind(Arg::Int(now))
            .push("))");
        in_area(&mut sql, area);
        for r in sql.query(self.backend).fetch_all(&self.pool).await? {
            out.missed.push(MissedCheckIn {
                case_id: r.try_get("id")?,
                ticket: r.try_get("ticket")?,
                department: r.try_get("department_code")?,
            });
        }

        let mut sql = Sql::new(
            "SELECT c.department_code, e.payload FROM case_events e JOIN cases c ON c.id = e.case_id
             WHERE e.kind = 'rated' AND c.department_code IS NOT NULL AND e.at >= ",
        );
        sql.bind(Arg::Int(since));
        in_area(&mut sql, area);
        let mut by_dept: BTreeMap<String, DepartmentRatings> = BTreeMap::new();
        for r in sql.query(self.backend).fetch_all(&self.pool).await? {
            let d: String = r.try_get("department_code")?;
            let payload: String = r.try_get("payload")?;
            let Ok(Event::Rated { satisfaction, .. }) = serde_json::from_str::<Event>(&payload)
            else {
                continue;
            };
            let e = by_dept
                .entry(d.clone())
                .or_insert_with(|| DepartmentRatings {
                    department: d,
                    rated: 0,
                    satisfied: 0,
                    basically_satisfied: 0,
                });
            e.rated += 1;
            match satisfaction {
                Satisfaction::Satisfied => e.satisfied += 1,
                Satisfaction::BasicallySatisfied => e.basically_satisfied += 1,
                Satisfaction::Unsatisfied => {}
            }
        }
        out.ratings = by_dept.into_values().collect();
        Ok(out)
    }

    /// The signals reviewed so far: key and the evidence count at review.
    pub async fn reviewed_misconduct_signals(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query("SELECT signal_key, evidence_count FROM misconduct_signal_reviews")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("signal_key")?, r.try_get("evidence_count")?)))
            .collect()
    }
}
