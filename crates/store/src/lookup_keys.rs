//! The one-time rewrite of lookup codes stored before they were keyed (migration 10): each
//! stored SHA-256 digest becomes its keyed index, so codes issued earlier keep opening their
//! cases while the database alone no longer lets anyone test a guess.

use crate::db::Store;
use crate::error::StoreError;
use sqlx::Row;

const PENDING: &str = "cases.lookup_hash";

impl Store {
    /// Runs the rewrite if migration 10 left it pending. Claiming the pending row and rewriting
    /// happen in one transaction, so two servers starting together rewrite once.
    pub(crate) async fn rekey_lookup_codes(&self) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let claimed = sqlx::query("DELETE FROM pending_rekeys WHERE name = $1")
            .bind(PENDING)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if claimed == 0 {
            return Ok(());
        }
        let mut after = 0i64;
        loop {
            let rows = sqlx::query(
                "SELECT id, lookup_hash FROM cases WHERE id > $1 ORDER BY id LIMIT 5000",
            )
            .bind(after)
            .fetch_all(&mut *tx)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("id")?;
            for r in &rows {
                let id: i64 = r.try_get("id")?;
                let old: Vec<u8> = r.try_get("lookup_hash")?;
                sqlx::query("UPDATE cases SET lookup_hash = $1 WHERE id = $2")
                    .bind(self.pii.lookup_index(&old))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}
