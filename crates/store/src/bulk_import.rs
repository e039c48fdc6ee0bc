//! Bulk imports at the disk's speed (issue 17 item 2, decision 046). The parser turns each
//! record into its row on its own thread — references resolved, 身份证号 and phone encrypted and
//! blind-indexed — and hands rows over in chunks while the writer stores the previous chunk: on
//! SQLite one prepared upsert per row on the writer thread's rusqlite connection, in one
//! transaction of its own; on PostgreSQL multi-row upserts in one transaction. Nothing is kept
//! unless the feed ends with [`Feed::End`]: a refused file drops its sender and everything written
//! is rolled back.

use crate::db::Store;
use crate::error::{RowProblem, StoreError};
use crate::pii::{PiiCipher, PiiField};
use crate::records::{AreaRecord, BuildingRecord, HouseholdRecord, ResidentRecord};
use crate::sql::{Arg, CHUNK, Sql};
use sqlx::Row;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::Arc;
use tokio::sync::mpsc;

/// A record kind the bulk path writes: its upsert and how a record becomes its row.
pub trait BulkRecord: Send + Sync + Sized + 'static {
    /// What its rows refer to, read once before the first row.
    type Refs: Send + Sync + 'static;
    /// `INSERT INTO table (columns…) VALUES `.
    const INSERT: &'static str;
    /// ` ON CONFLICT (…) DO UPDATE SET …`.
    const UPSERT: &'static str;

    fn load_refs(store: &Store) -> impl Future<Output = Result<Self::Refs, StoreError>> + Send;

    /// The row's values in the order of [`Self::INSERT`]'s columns, or why a reference does
    /// not resolve. `index` is the record's place in the file, for the problem's row number.
    fn row(&self, refs: &Self::Refs, pii: &PiiCipher, index: usize) -> Result<BulkRow, RowProblem>;
}

/// A record ready to write.
pub struct BulkRow(Vec<Arg>);

/// What the parser sends the writer.
pub enum Feed {
    Rows(Vec<BulkRow>),
    /// Every row was good: commit.
    End,
}

/// Turns records of one kind into rows; cheap to clone onto the parsing thread.
pub struct Bulk<R: BulkRecord> {
    refs: Arc<R::Refs>,
    pii: PiiCipher,
}

impl<R: BulkRecord> Clone for Bulk<R> {
    fn clone(&self) -> Self {
        Bulk {
            refs: self.refs.clone(),
            pii: self.pii.clone(),
        }
    }
}

impl<R: BulkRecord> Bulk<R> {
    pub fn row(&self, index: usize, record: &R) -> Result<BulkRow, RowProblem> {
        record.row(&self.refs, &self.pii, index)
    }
}

/// Rows per message from the parser: large enough that hand-offs cost nothing, small enough
/// that a few in flight stay a few megabytes.
pub const FEED_CHUNK: usize = 4096;

/// Chunks in flight between the parser and the writer.
pub const FEED_DEPTH: usize = 4;

impl Store {
    /// Reads what records of kind `R` refer to, for [`Bulk::row`].
    pub async fn bulk<R: BulkRecord>(&self) -> Result<Bulk<R>, StoreError> {
        Ok(Bulk {
            refs: Arc::new(R::load_refs(self).await?),
            pii: self.pii.clone(),
        })
    }

    /// Writes the fed rows in one transaction, committed when the feed ends with
    /// [`Feed::End`] and rolled back when its sender is dropped first. Returns the rows written.
    pub async fn write_bulk<R: BulkRecord>(
        &self,
        feed: mpsc::Receiver<Feed>,
    ) -> Result<usize, StoreError> {
        match &self.lite {
            Some(lite) => {
                lite.run_alone(move |conn| write_lite::<R>(conn, feed))
                    .await
            }
            None => self.write_sqlx::<R>(feed).await,
        }
    }

    /// Writes records already in memory through the bulk path; every unresolved reference is
    /// listed and nothing is written.
    pub(crate) async fn import_all<R: BulkRecord>(
        &self,
        records: &[R],
    ) -> Result<usize, StoreError> {
        let bulk = self.bulk::<R>().await?;
        self.import_with(&bulk, records).await
    }

    /// [`Store::import_all`] with references read once for many calls (the demo city's
    /// population goes in slices; reading every household again for each slice took longer
    /// than writing them). References written after `bulk` was made are not seen.
    pub async fn import_with<R: BulkRecord>(
        &self,
        bulk: &Bulk<R>,
        records: &[R],
    ) -> Result<usize, StoreError> {
        let mut rows = Vec::with_capacity(records.len());
        let mut problems = Vec::new();
        for (index, record) in records.iter().enumerate() {
            match bulk.row(index, record) {
                Ok(row) => rows.push(row),
                Err(p) => problems.push(p),
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Rows(problems));
        }
        let mut chunks = Vec::new();
        while !rows.is_empty() {
            let rest = rows.split_off(rows.len().min(FEED_CHUNK));
            chunks.push(std::mem::replace(&mut rows, rest));
        }
        let (feed, rx) = mpsc::channel(chunks.len() + 1);
        for chunk in chunks {
            let _ = feed.try_send(Feed::Rows(chunk));
        }
        let _ = feed.try_send(Feed::End);
        self.write_bulk::<R>(rx).await
    }

    async fn write_sqlx<R: BulkRecord>(
        &self,
        mut feed: mpsc::Receiver<Feed>,
    ) -> Result<usize, StoreError> {
        let mut tx = self.write_tx().await?;
        let mut written = 0;
        while let Some(msg) = feed.recv().await {
            let rows = match msg {
                Feed::Rows(rows) => rows,
                Feed::End => {
                    tx.commit().await?;
                    return Ok(written);
                }
            };
            for chunk in rows.chunks(CHUNK) {
                let mut sql = Sql::new(R::INSERT);
                sql.values(chunk.iter().map(|r| r.0.clone()));
                sql.push(R::UPSERT);
                sql.query(self.backend).execute(&mut *tx).await?;
            }
            written += rows.len();
        }
        Err(refused())
    }
}

fn refused() -> StoreError {
    StoreError::Conflict {
        code: "import_refused",
        zh: "导入未完成，已写入的行全部撤销".into(),
        en: "the import did not finish; every row written was rolled back".into(),
    }
}

/// The page cache of a bulk write: the indexes of a million residents stay in memory instead
/// of being spilled to the WAL and written again page by page.
const BULK_CACHE_KIB: i64 = 131_072;

fn write_lite<R: BulkRecord>(
    conn: &mut rusqlite::Connection,
    feed: mpsc::Receiver<Feed>,
) -> Result<usize, StoreError> {
    let lite = crate::exec::lite_error;
    let before: i64 = conn
        .query_row("PRAGMA cache_size", [], |r| r.get(0))
        .map_err(lite)?;
    conn.execute_batch(&format!("PRAGMA cache_size=-{BULK_CACHE_KIB}"))
        .map_err(lite)?;
    let result = write_lite_tx::<R>(conn, feed);
    conn.execute_batch(&format!("PRAGMA cache_size={before}"))
        .map_err(lite)?;
    result
}

/// The transaction of [`write_lite`]: rolled back when it returns early.
fn write_lite_tx<R: BulkRecord>(
    conn: &mut rusqlite::Connection,
    mut feed: mpsc::Receiver<Feed>,
) -> Result<usize, StoreError> {
    let lite = crate::exec::lite_error;
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(lite)?;
    // References are checked at the commit instead of by each row's statement: a statement
    // that may fail halfway (an immediate foreign key) copies every page it touches to the
    // statement journal first, a fifth of the writer's time on a million residents. The
    // commit still refuses a dangling reference; the setting ends with the transaction.
    tx.execute_batch("PRAGMA defer_foreign_keys=ON")
        .map_err(lite)?;
    let mut written = 0;
    let placeholders = vec!["?"; R::INSERT.matches(',').count() + 1].join(", ");
    let text = format!("{}({placeholders}){}", R::INSERT, R::UPSERT);
    {
        let mut stmt = tx.prepare(&text).map_err(lite)?;
        loop {
            match feed.blocking_recv() {
                Some(Feed::Rows(rows)) => {
                    for row in &rows {
                        bind(&mut stmt, &row.0).map_err(lite)?;
                        stmt.raw_execute().map_err(lite)?;
                    }
                    written += rows.len();
                }
                Some(Feed::End) => break,
                None => return Err(refused()),
            }
        }
    }
    tx.commit().map_err(lite)?;
    Ok(written)
}

fn bind(stmt: &mut rusqlite::Statement<'_>, args: &[Arg]) -> rusqlite::Result<()> {
    for (i, a) in args.iter().enumerate() {
        let at = i + 1;
        match a {
            Arg::Text(s) => stmt.raw_bind_parameter(at, s.as_str()),
            Arg::Int(n) => stmt.raw_bind_parameter(at, n),
            Arg::Real(f) => stmt.raw_bind_parameter(at, f),
            Arg::Bytes(b) => stmt.raw_bind_parameter(at, b.as_slice()),
            Arg::OptText(s) => stmt.raw_bind_parameter(at, s.as_deref()),
            Arg::OptInt(n) => stmt.raw_bind_parameter(at, n),
            Arg::OptReal(f) => stmt.raw_bind_parameter(at, f),
            Arg::OptBytes(b) => stmt.raw_bind_parameter(at, b.as_deref()),
        }?;
    }
    Ok(())
}

/// Rows of `SELECT id, code, grid_code FROM table`, by code.
async fn ids_by_code(
    store: &Store,
    table: &str,
) -> Result<HashMap<String, (i64, Arc<str>)>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id, code, grid_code FROM {table}"
    )))
    .fetch_all(&store.pool)
    .await?;
    let mut grids: HashSet<Arc<str>> = HashSet::new();
    rows.iter()
        .map(|r| {
            let grid: String = r.try_get("grid_code")?;
            let grid = match grids.get(grid.as_str()) {
                Some(g) => g.clone(),
                None => {
                    let g: Arc<str> = grid.into();
                    grids.insert(g.clone());
                    g
                }
            };
            Ok((r.try_get("code")?, (r.try_get("id")?, grid)))
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(StoreError::from)
}

impl BulkRecord for AreaRecord {
    type Refs = ();
    const INSERT: &'static str =
        "INSERT INTO areas (code, name, level, parent_code, urban_rural) VALUES ";
    const UPSERT: &'static str = " ON CONFLICT (code) DO UPDATE SET name = excluded.name,
        urban_rural = COALESCE(excluded.urban_rural, areas.urban_rural)";

    async fn load_refs(_: &Store) -> Result<(), StoreError> {
        Ok(())
    }

    fn row(&self, _: &(), _: &PiiCipher, _: usize) -> Result<BulkRow, RowProblem> {
        Ok(BulkRow(vec![
            Arg::Text(self.code.as_str().to_string()),
            Arg::Text(self.name.clone()),
            Arg::Text(self.code.level().as_str().to_string()),
            Arg::OptText(self.code.parent().map(|p| p.as_str().to_string())),
            Arg::OptText(self.urban_rural.map(|u| u.code().to_string())),
        ]))
    }
}

impl BulkRecord for BuildingRecord {
    type Refs = HashSet<String>;
    const INSERT: &'static str =
        "INSERT INTO buildings (code, grid_code, name, address, lon, lat, floors) VALUES ";
    const UPSERT: &'static str = " ON CONFLICT (code) DO UPDATE SET grid_code = excluded.grid_code,
        name = excluded.name, address = excluded.address, lon = excluded.lon, lat = excluded.lat,
        floors = excluded.floors";

    async fn load_refs(store: &Store) -> Result<HashSet<String>, StoreError> {
        sqlx::query("SELECT code FROM grids")
            .fetch_all(&store.pool)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>("code"))
            .collect::<Result<_, _>>()
            .map_err(StoreError::from)
    }

    fn row(
        &self,
        grids: &HashSet<String>,
        _: &PiiCipher,
        index: usize,
    ) -> Result<BulkRow, RowProblem> {
        if !grids.contains(self.grid.as_str()) {
            return Err(RowProblem {
                index,
                column: "所属网格",
                value: self.grid.to_string(),
                message_zh: format!("网格 {} 不存在", self.grid),
                message_en: format!("grid {} does not exist", self.grid),
            });
        }
        Ok(BulkRow(vec![
            Arg::Text(self.code.clone()),
            Arg::Text(self.grid.as_str().to_string()),
            Arg::Text(self.name.clone()),
            Arg::Text(self.address.clone()),
            Arg::Real(self.lon),
            Arg::Real(self.lat),
            Arg::Int(i64::from(self.floors)),
        ]))
    }
}

impl BulkRecord for HouseholdRecord {
    /// Buildings by code: id and grid.
    type Refs = HashMap<String, (i64, Arc<str>)>;
    const INSERT: &'static str =
        "INSERT INTO households (code, building_id, grid_code, room, kind) VALUES ";
    const UPSERT: &'static str =
        " ON CONFLICT (code) DO UPDATE SET building_id = excluded.building_id,
        grid_code = excluded.grid_code, room = excluded.room, kind = excluded.kind";

    async fn load_refs(store: &Store) -> Result<Self::Refs, StoreError> {
        ids_by_code(store, "buildings").await
    }

    fn row(
        &self,
        buildings: &Self::Refs,
        _: &PiiCipher,
        index: usize,
    ) -> Result<BulkRow, RowProblem> {
        let Some((building_id, grid)) = buildings.get(&self.building_code) else {
            return Err(RowProblem {
                index,
                column: "楼栋编号",
                value: self.building_code.clone(),
                message_zh: format!("楼栋 {} 不存在", self.building_code),
                message_en: format!("building {} does not exist", self.building_code),
            });
        };
        Ok(BulkRow(vec![
            Arg::Text(self.code.clone()),
            Arg::Int(*building_id),
            Arg::Text(grid.to_string()),
            Arg::Text(self.room.clone()),
            Arg::Text(self.kind.zh().to_string()),
        ]))
    }
}

impl BulkRecord for ResidentRecord {
    /// Households by code: id and grid.
    type Refs = HashMap<String, (i64, Arc<str>)>;
    const INSERT: &'static str = "INSERT INTO residents (household_id, grid_code, name, gender,
        birth_year, id_number_enc, id_number_bidx, phone_enc, phone_bidx, relation,
        political_status) VALUES ";
    const UPSERT: &'static str = " ON CONFLICT (id_number_bidx) DO UPDATE SET
        household_id = excluded.household_id, grid_code = excluded.grid_code, name = excluded.name,
        id_number_enc = excluded.id_number_enc, phone_enc = excluded.phone_enc,
        phone_bidx = excluded.phone_bidx, relation = excluded.relation,
        political_status = excluded.political_status";

    async fn load_refs(store: &Store) -> Result<Self::Refs, StoreError> {
        ids_by_code(store, "households").await
    }

    fn row(
        &self,
        households: &Self::Refs,
        pii: &PiiCipher,
        index: usize,
    ) -> Result<BulkRow, RowProblem> {
        let Some((household_id, grid)) = households.get(&self.household_code) else {
            return Err(RowProblem {
                index,
                column: "户编号",
                value: self.household_code.clone(),
                message_zh: format!("户 {} 不存在", self.household_code),
                message_en: format!("household {} does not exist", self.household_code),
            });
        };
        let id = self.id_number.as_str();
        let phone = self.phone.as_ref().map(|p| p.as_str());
        Ok(BulkRow(vec![
            Arg::Int(*household_id),
            Arg::Text(grid.to_string()),
            Arg::Text(self.name.clone()),
            Arg::Text(
                if self.id_number.is_male() {
                    "男"
                } else {
                    "女"
                }
                .into(),
            ),
            Arg::Int(i64::from(self.id_number.birth_date().0)),
            Arg::Bytes(pii.encrypt(PiiField::IdNumber, id)),
            Arg::Bytes(pii.blind_index(PiiField::IdNumber, id)),
            Arg::OptBytes(phone.map(|p| pii.encrypt(PiiField::Phone, p))),
            Arg::OptBytes(phone.map(|p| pii.blind_index(PiiField::Phone, p))),
            Arg::Text(self.relation.zh().to_string()),
            Arg::Text(self.political_status.zh().to_string()),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_statement_has_one_placeholder_per_value() {
        fn width<R: BulkRecord>() -> usize {
            R::INSERT.matches(',').count() + 1
        }
        assert_eq!(width::<AreaRecord>(), 5);
        assert_eq!(width::<BuildingRecord>(), 7);
        assert_eq!(width::<HouseholdRecord>(), 5);
        assert_eq!(width::<ResidentRecord>(), 11);
    }
}
