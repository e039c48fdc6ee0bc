//! What the search index follows: the case events' global ids (every change to a case writes
//! one in its transaction), read in id order from a cursor. The indexer adds no work to the
//! write path; it tails what the write path already writes.

use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use sqlx::Row;

impl Store {
    /// Case events after `after` in id order, at most `limit`: (event id, case id).
    pub async fn case_event_tail(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        let mut sql = Sql::new("SELECT id, case_id FROM case_events WHERE id > ");
        sql.bind(Arg::Int(after))
            .push(" ORDER BY id LIMIT ")
            .bind(Arg::Int(limit));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("case_id")?)))
            .collect()
    }
}

impl Store {
    /// The newest record event's id (notices and power items write them in their transaction):
    /// when it moves, the public kinds are read again.
    pub async fn record_event_head(&self) -> Result<i64, StoreError> {
        let sql = Sql::new("SELECT COALESCE(MAX(id), 0) AS n FROM record_events");
        Ok(sql
            .query(self.backend)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }
}
