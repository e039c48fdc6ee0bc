//! The tree hashes the database keeps: only those at the levels tiles are made of (0, 8, 16 …,
//! decision 047). Any other stored hash — a node inside a tile, asked for by a proof or by the
//! frontier — is folded on demand from the 2…128 kept hashes below it, so the log answers the
//! same proofs while storing one hash per leaf instead of two.

use super::{hash_of, to_i64, to_u64};
use crate::db::Backend;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use gongzhi_ledger::tiles::TILE_HEIGHT;
use gongzhi_ledger::tree::split_stored_hash_index;
use gongzhi_ledger::{Hash, root_from_leaf_hashes, stored_hash_count, stored_hash_index};
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

/// Whether the stored hash at this index is kept in the database.
pub(crate) fn kept(stored: u64) -> bool {
    split_stored_hash_index(stored)
        .0
        .is_multiple_of(TILE_HEIGHT)
}

/// One past the largest stored-hash index kept for a tree of `size` leaves (what `MAX(id) + 1`
/// of `ledger_hashes` is).
pub(crate) fn kept_end(size: u64) -> u64 {
    if size == 0 {
        return 0;
    }
    let leaf = size - 1;
    let completes = u64::from(leaf.trailing_ones());
    stored_hash_count(leaf) + completes / u64::from(TILE_HEIGHT) * u64::from(TILE_HEIGHT) + 1
}

/// The kept ones of the stored hashes `first..` that a builder appended, with their indexes.
pub(crate) fn kept_of(first: u64, stored: &[Hash]) -> Vec<(u64, Hash)> {
    stored
        .iter()
        .enumerate()
        .map(|(k, h)| (first + k as u64, *h))
        .filter(|(i, _)| kept(*i))
        .collect()
}

/// The kept hashes a stored hash is folded from (itself, when it is kept).
fn sources(stored: u64) -> Vec<u64> {
    let (level, index) = split_stored_hash_index(stored);
    let up = level % TILE_HEIGHT;
    if up == 0 {
        return vec![stored];
    }
    let base = level - up;
    let first = index << up;
    (first..first + (1 << up))
        .map(|i| stored_hash_index(base, i))
        .collect()
}

/// Stored hashes by index, kept or folded; an index whose hashes are not all in the database is
/// simply not returned.
pub(crate) async fn fetch_hashes(
    conn: &mut AnyConnection,
    backend: Backend,
    ids: &[u64],
) -> Result<Vec<(u64, Hash)>, StoreError> {
    let wanted: BTreeSet<u64> = ids.iter().flat_map(|&i| sources(i)).collect();
    let wanted: Vec<u64> = wanted.into_iter().collect();
    let mut found = HashMap::with_capacity(wanted.len());
    for chunk in wanted.chunks(crate::sql::CHUNK) {
        let mut sql = Sql::new("SELECT id, hash FROM ledger_hashes WHERE id IN (");
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(Arg::Int(to_i64(*id)));
        }
        sql.push(")");
        for r in sql.query(backend).fetch_all(&mut *conn).await? {
            let id: i64 = r.try_get("id")?;
            let hash: Vec<u8> = r.try_get("hash")?;
            found.insert(to_u64(id)?, hash_of(&hash)?);
        }
    }
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let below: Option<Vec<Hash>> = sources(id).iter().map(|s| found.get(s).copied()).collect();
        if let Some(below) = below {
            // A complete subtree: RFC 9162's tree hash over its 2^k kept hashes.
            out.push((id, root_from_leaf_hashes(&below)));
        }
    }
    Ok(out)
}

/// The kept hashes with indexes in `range`, in order, as stored.
pub(crate) async fn fetch_kept_range(
    conn: &mut AnyConnection,
    range: Range<u64>,
) -> Result<Vec<(u64, Hash)>, StoreError> {
    let rows =
        sqlx::query("SELECT id, hash FROM ledger_hashes WHERE id >= $1 AND id < $2 ORDER BY id")
            .bind(to_i64(range.start))
            .bind(to_i64(range.end))
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get("id")?;
            let hash: Vec<u8> = r.try_get("hash")?;
            Ok((to_u64(id)?, hash_of(&hash)?))
        })
        .collect()
}

/// Hashes written per statement: two blobs the database splits into rows, instead of two
/// parameters per row.
const HASHES_PER_STATEMENT: usize = 32_768;
/// Width of one index in the index blob: zero-padded decimal digits (any `u63` fits). A blob,
/// not text: SQLite finds a blob's `substr` by byte offset, a text's by counting characters
/// from its start (a statement of 32,768 rows took 12 s that way).
const ID_WIDTH: usize = 20;

/// Stores kept hashes at their indexes.
pub(crate) async fn insert_hashes(
    conn: &mut AnyConnection,
    backend: Backend,
    hashes: &[(u64, Hash)],
) -> Result<(), StoreError> {
    insert_hashes_into(conn, backend, "ledger_hashes", hashes).await
}

/// [`insert_hashes`] into `table` (`ledger_hashes`, or the table migration 34 fills).
pub(crate) async fn insert_hashes_into(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &'static str,
    hashes: &[(u64, Hash)],
) -> Result<(), StoreError> {
    // Parameters appear in the text in the order they are numbered.
    let sql = match backend {
        Backend::Sqlite => format!(
            "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < $1)
             INSERT INTO {table} (id, hash)
             SELECT CAST(substr($2, i * 20 + 1, 20) AS INTEGER), substr($3, i * 32 + 1, 32) FROM s"
        ),
        Backend::Postgres => format!(
            "INSERT INTO {table} (id, hash)
             SELECT convert_from(substring($2 from (i * 20 + 1)::int for 20), 'UTF8')::bigint,
                    substring($3 from (i * 32 + 1)::int for 32)
             FROM generate_series(0::bigint, $1 - 1) AS i"
        ),
    };
    for chunk in hashes.chunks(HASHES_PER_STATEMENT) {
        let mut ids = Vec::with_capacity(chunk.len() * ID_WIDTH);
        let mut blob = Vec::with_capacity(chunk.len() * 32);
        for (id, h) in chunk {
            ids.extend_from_slice(format!("{id:0ID_WIDTH$}").as_bytes());
            blob.extend_from_slice(h.as_bytes());
        }
        let done = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(chunk.len() as i64)
            .bind(ids.as_slice())
            .bind(blob.as_slice())
            .execute(&mut *conn)
            .await?;
        if done.rows_affected() != chunk.len() as u64 {
            return Err(StoreError::corrupt(format!(
                "stored {} of {} ledger hashes",
                done.rows_affected(),
                chunk.len()
            )));
        }
    }
    Ok(())
}

/// One past the largest stored-hash index in the database.
pub(crate) async fn stored_end(conn: &mut AnyConnection) -> Result<u64, StoreError> {
    let n: i64 = sqlx::query("SELECT COALESCE(MAX(id) + 1, 0) AS n FROM ledger_hashes")
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
    to_u64(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongzhi_ledger::tree::MemoryTree;

    #[test]
    fn kept_end_is_one_past_the_last_kept_index() {
        let mut mem = MemoryTree::new();
        for size in 1..=1100u64 {
            mem.append_leaf_hash(gongzhi_ledger::leaf_hash(&size.to_be_bytes()));
            let last = (0..stored_hash_count(size))
                .rev()
                .find(|&i| kept(i))
                .unwrap();
            assert_eq!(kept_end(size), last + 1, "size {size}");
        }
        assert_eq!(kept_end(0), 0);
    }

    #[test]
    fn folded_hashes_equal_the_stored_ones() {
        let mut mem = MemoryTree::new();
        for i in 0..700u64 {
            mem.append_entry(&i.to_be_bytes());
        }
        let all = mem.stored_hashes();
        let kept_only: HashMap<u64, Hash> = kept_of(0, all).into_iter().collect();
        assert!(kept_only.len() < all.len() * 6 / 10);
        for (id, want) in all.iter().enumerate() {
            let below: Vec<Hash> = sources(id as u64).iter().map(|s| kept_only[s]).collect();
            assert_eq!(root_from_leaf_hashes(&below), *want, "stored hash {id}");
        }
    }
}
