//! Migration 10's step in Rust: lookup codes stored before it (the unkeyed SHA-256 of the
//! code) become their keyed index, so codes issued earlier keep opening their cases while the
//! database alone no longer lets anyone test a guess.

use crate::error::StoreError;
use crate::pii::PiiCipher;
use sqlx::{Any, Row, Transaction};

/// Rewrites every case's stored digest, inside the migration's transaction (which runs once).
pub(crate) async fn key_all(
    tx: &mut Transaction<'_, Any>,
    pii: &PiiCipher,
) -> Result<(), StoreError> {
    let mut after = 0i64;
    loop {
        let rows =
            sqlx::query("SELECT id, lookup_hash FROM cases WHERE id > $1 ORDER BY id LIMIT 5000")
                .bind(after)
                .fetch_all(&mut **tx)
                .await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get("id")?;
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            let old: Vec<u8> = r.try_get("lookup_hash")?;
            sqlx::query("UPDATE cases SET lookup_hash = $1 WHERE id = $2")
                .bind(pii.lookup_index(&old))
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}
