//! Reads for scorecards that the case list cannot answer in one query: who reported back on
//! each case (the "worker" of the 考核 by post). Counting itself stays in the domain
//! (`gongzhi_domain::metrics`), over the cases the caller may see.

use std::collections::HashMap;

use crate::Millis;
use crate::cases::EventActor;
use crate::db::Store;
use crate::error::StoreError;
use sqlx::Row;

impl Store {
    /// For every case reported in `[from, to]` that was ever reported back, the account of its
    /// latest report-back (a reopened case is credited to whoever handled it last). One query
    /// over the events instead of one per case; the caller keeps only the cases in its scope.
    pub async fn report_back_actors(
        &self,
        from: Millis,
        to: Millis,
    ) -> Result<HashMap<i64, EventActor>, StoreError> {
        let rows = sqlx::query(
            "SELECT e.case_id, e.actor_id, e.actor_name FROM case_events e
             JOIN cases c ON c.id = e.case_id
             WHERE e.kind = 'reported_back' AND c.reported_at >= $1 AND c.reported_at <= $2
             ORDER BY e.case_id, e.seq",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        let mut latest = HashMap::new();
        for r in &rows {
            // Ordered by seq, so a later report-back replaces an earlier one.
            latest.insert(
                r.try_get::<i64, _>("case_id")?,
                EventActor {
                    account_id: r.try_get("actor_id")?,
                    name: r.try_get("actor_name")?,
                },
            );
        }
        Ok(latest)
    }
}
