//! Migration 34's step in Rust: a log written before decision 047 is brought to the compact
//! form — every entry packed, and only the tree hashes at the tile levels kept. The published
//! bytes, leaf hashes, roots and proofs stay exactly what they were, so `gongzhi verify` gives
//! the same answer before and after.

use super::hashes::{insert_hashes_into, kept};
use super::packed::{pack, unpack};
use super::{hash_of, to_i64, to_u64};
use crate::db::Backend;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use gongzhi_ledger::Hash;
use sqlx::{Any, Row, Transaction};

/// Rows read per step.
const PAGE: i64 = 20_000;
/// Entries rewritten per statement.
const UPDATES_PER_STATEMENT: usize = 500;

/// Packs every entry and keeps the tile-level hashes; says how many entries were packed.
pub(crate) async fn compact_all(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
) -> Result<u64, StoreError> {
    let packed = pack_entries(tx, backend).await?;
    keep_tile_levels(tx, backend).await?;
    Ok(packed)
}

async fn pack_entries(tx: &mut Transaction<'_, Any>, backend: Backend) -> Result<u64, StoreError> {
    let mut done = 0u64;
    let mut after = 0i64;
    loop {
        let rows =
            sqlx::query("SELECT id, entry FROM ledger_entries WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(after)
                .bind(PAGE)
                .fetch_all(&mut **tx)
                .await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get("id")?;
        let mut updates = Vec::with_capacity(rows.len());
        for r in &rows {
            let stored: Vec<u8> = r.try_get("entry")?;
            if stored.first() != Some(&b'{') {
                continue;
            }
            let id: i64 = r.try_get("id")?;
            let packed = pack(&stored);
            // Never write what does not read back as the very bytes on the log.
            if unpack(&packed).as_deref() != Ok(stored.as_slice()) {
                return Err(StoreError::corrupt(format!(
                    "ledger entry row {id} does not pack reversibly"
                )));
            }
            updates.push(vec![Arg::Int(id), Arg::Bytes(packed)]);
        }
        done += updates.len() as u64;
        for chunk in updates.chunks(UPDATES_PER_STATEMENT) {
            let mut sql = Sql::new("WITH v(id, e) AS (VALUES ");
            sql.values(chunk.to_vec());
            sql.push(
                ") UPDATE ledger_entries SET entry = v.e FROM v WHERE ledger_entries.id = v.id",
            );
            sql.query(backend).execute(&mut **tx).await?;
        }
    }
    Ok(done)
}

async fn keep_tile_levels(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
) -> Result<(), StoreError> {
    let mut from = 0u64;
    loop {
        let rows =
            sqlx::query("SELECT id, hash FROM ledger_hashes WHERE id >= $1 ORDER BY id LIMIT $2")
                .bind(to_i64(from))
                .bind(PAGE)
                .fetch_all(&mut **tx)
                .await?;
        let Some(last) = rows.last() else { break };
        from = to_u64(last.try_get("id")?)? + 1;
        let mut keep: Vec<(u64, Hash)> = Vec::with_capacity(rows.len() / 2 + 1);
        for r in &rows {
            let id = to_u64(r.try_get("id")?)?;
            if kept(id) {
                keep.push((id, hash_of(&r.try_get::<Vec<u8>, _>("hash")?)?));
            }
        }
        insert_hashes_into(tx, backend, "ledger_hashes_kept", &keep).await?;
    }
    sqlx::query("DROP TABLE ledger_hashes")
        .execute(&mut **tx)
        .await?;
    sqlx::query("ALTER TABLE ledger_hashes_kept RENAME TO ledger_hashes")
        .execute(&mut **tx)
        .await?;
    Ok(())
}
