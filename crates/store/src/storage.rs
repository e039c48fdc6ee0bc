//! What the database holds, table by table (`gongzhi stats`): rows and bytes with their
//! indexes, so that a benchmark can say what a case costs on disk.

use crate::db::{Backend, Store};
use crate::error::StoreError;
use sqlx::Row;

/// One table with its indexes.
#[derive(Debug, Clone)]
pub struct TableStorage {
    pub name: String,
    pub rows: i64,
    pub bytes: i64,
}

#[derive(Debug, Clone)]
pub struct Storage {
    /// Largest first.
    pub tables: Vec<TableStorage>,
    /// The whole database: the SQLite file's pages, or PostgreSQL's database size.
    pub database_bytes: i64,
    pub cases: i64,
}

impl Storage {
    /// Bytes per case over the tables that grow with every case (the case, its events, photos,
    /// supporters, notices and deliveries, its log entries and tree hashes, its tallies).
    pub fn per_case(&self) -> Option<f64> {
        (self.cases > 0).then(|| {
            let grows: i64 = self
                .tables
                .iter()
                .filter(|t| GROWS_WITH_CASES.contains(&t.name.as_str()))
                .map(|t| t.bytes)
                .sum();
            grows as f64 / self.cases as f64
        })
    }
}

/// The tables a case writes to.
pub const GROWS_WITH_CASES: &[&str] = &[
    "cases",
    "case_events",
    "case_photos",
    "case_supporters",
    "notifications",
    "webhook_deliveries",
    "ledger_entries",
    "ledger_hashes",
    "case_tallies",
    "case_cube",
    "case_slices",
    "cube_pending",
];

impl Store {
    /// Every table's rows and bytes (indexes included). Counting rows reads each table.
    pub async fn storage(&self) -> Result<Storage, StoreError> {
        let sized = match self.backend {
            // dbstat: every page of every table and index, attributed to its table.
            Backend::Sqlite => {
                "SELECT COALESCE(m.tbl_name, s.name) AS name, SUM(s.pgsize) AS bytes
                 FROM dbstat s LEFT JOIN sqlite_master m ON m.name = s.name
                 GROUP BY COALESCE(m.tbl_name, s.name)"
            }
            Backend::Postgres => {
                "SELECT c.relname::text AS name, pg_total_relation_size(c.oid) AS bytes
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind = 'r' AND n.nspname = current_schema()"
            }
        };
        let rows = sqlx::query(sized).fetch_all(&self.pool).await?;
        let mut tables = Vec::with_capacity(rows.len());
        for r in rows {
            let name: String = r.try_get("name")?;
            let bytes: i64 = r.try_get("bytes")?;
            // Internal tables (sqlite_schema, sqlite_sequence …) have no rows to count here.
            let rows = if name.starts_with("sqlite_") || name.starts_with('_') {
                0
            } else {
                // A name from the catalogue, quoted as an identifier.
                let q = format!(
                    "SELECT COUNT(*) AS n FROM \"{}\"",
                    name.replace('"', "\"\"")
                );
                sqlx::query(sqlx::AssertSqlSafe(q))
                    .fetch_one(&self.pool)
                    .await?
                    .try_get("n")?
            };
            tables.push(TableStorage { name, rows, bytes });
        }
        tables.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.name.cmp(&b.name)));
        let database_bytes: i64 = match self.backend {
            Backend::Sqlite => sqlx::query(
                "SELECT p.page_count * s.page_size AS n FROM pragma_page_count() p, pragma_page_size() s",
            ),
            Backend::Postgres => sqlx::query("SELECT pg_database_size(current_database()) AS n"),
        }
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?;
        let cases = tables
            .iter()
            .find(|t| t.name == "cases")
            .map_or(0, |t| t.rows);
        Ok(Storage {
            tables,
            database_bytes,
            cases,
        })
    }
}
