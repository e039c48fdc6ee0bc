//! One interface over the two ways a case write reaches the database (decision 011): sqlx
//! (PostgreSQL, and SQLite outside the writer) and rusqlite on SQLite's writer thread, where a
//! statement is a function call instead of a hand-off to another thread. The case write path
//! (`cases`, `tallies`, `whistles`, `webhooks`, `ledger`) is written once against [`Exec`].

use crate::db::Backend;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use sqlx::{AnyConnection, Column, Row};
use std::future::Future;

/// The code of a constraint violation reported by rusqlite (sqlx reports its own).
pub(crate) const CONSTRAINT: &str = "constraint_violation";

/// Whether `e` says a UNIQUE constraint on `column` (`table.column` on SQLite, the
/// `table_column_key` constraint on PostgreSQL) refused the write.
pub(crate) fn unique_violation(e: &StoreError, table: &str, column: &str) -> bool {
    match e {
        StoreError::Database(sqlx::Error::Database(d)) => {
            d.is_unique_violation()
                && (d.constraint() == Some(&format!("{table}_{column}_key"))
                    || d.message().contains(&format!("{table}.{column}")))
        }
        StoreError::Conflict {
            code: CONSTRAINT,
            en,
            ..
        } => en.contains("UNIQUE") && en.contains(&format!("{table}.{column}")),
        _ => false,
    }
}

/// A column value, as both drivers give it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Val {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bytes(Vec<u8>),
}

/// A result row read through [`Exec`].
#[derive(Clone, Debug)]
pub(crate) struct DbRow {
    names: Vec<String>,
    vals: Vec<Val>,
}

/// Reading a row's columns by name: sqlx's `AnyRow` and [`DbRow`] alike.
pub(crate) trait Cols {
    fn opt_int(&self, name: &str) -> Result<Option<i64>, StoreError>;
    fn opt_real(&self, name: &str) -> Result<Option<f64>, StoreError>;
    fn opt_text(&self, name: &str) -> Result<Option<String>, StoreError>;
    fn opt_bytes(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError>;

    fn int(&self, name: &str) -> Result<i64, StoreError> {
        self.opt_int(name)?
            .ok_or_else(|| StoreError::corrupt(format!("{name} is NULL")))
    }

    fn text(&self, name: &str) -> Result<String, StoreError> {
        self.opt_text(name)?
            .ok_or_else(|| StoreError::corrupt(format!("{name} is NULL")))
    }
}

impl Cols for sqlx::any::AnyRow {
    fn opt_int(&self, name: &str) -> Result<Option<i64>, StoreError> {
        Ok(self.try_get(name)?)
    }
    fn opt_real(&self, name: &str) -> Result<Option<f64>, StoreError> {
        Ok(self.try_get(name)?)
    }
    fn opt_text(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(self.try_get(name)?)
    }
    fn opt_bytes(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.try_get(name)?)
    }
}

impl DbRow {
    fn val(&self, name: &str) -> Result<&Val, StoreError> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|i| &self.vals[i])
            .ok_or_else(|| StoreError::corrupt(format!("no column {name}")))
    }
}

fn mismatch(name: &str, want: &str, got: &Val) -> StoreError {
    StoreError::corrupt(format!("column {name}: expected {want}, found {got:?}"))
}

impl Cols for DbRow {
    fn opt_int(&self, name: &str) -> Result<Option<i64>, StoreError> {
        match self.val(name)? {
            Val::Null => Ok(None),
            Val::Int(i) => Ok(Some(*i)),
            v => Err(mismatch(name, "an integer", v)),
        }
    }
    fn opt_real(&self, name: &str) -> Result<Option<f64>, StoreError> {
        match self.val(name)? {
            Val::Null => Ok(None),
            Val::Real(f) => Ok(Some(*f)),
            Val::Int(i) => Ok(Some(*i as f64)),
            v => Err(mismatch(name, "a number", v)),
        }
    }
    fn opt_text(&self, name: &str) -> Result<Option<String>, StoreError> {
        match self.val(name)? {
            Val::Null => Ok(None),
            Val::Text(s) => Ok(Some(s.clone())),
            v => Err(mismatch(name, "text", v)),
        }
    }
    fn opt_bytes(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        match self.val(name)? {
            Val::Null => Ok(None),
            Val::Bytes(b) => Ok(Some(b.clone())),
            v => Err(mismatch(name, "bytes", v)),
        }
    }
}

/// Runs the statements of one write.
/// Where a case write's cube sums go (decision 043).
pub(crate) enum CubeMode<'a> {
    /// Into the cube rows, in this transaction.
    Now,
    /// To the batch this transaction belongs to, which writes the sums of all its requests
    /// once before it commits (SQLite's writer).
    Batch(&'a mut crate::tallies::Deltas),
    /// Appended to `cube_pending` in this transaction, folded into the cube by a short
    /// transaction of its own (PostgreSQL, where concurrent writes would wait on the cube
    /// rows' locks).
    Pending,
}

pub(crate) trait Exec: Send {
    /// Where a case write's cube sums go (decision 043).
    fn cube_mode(&mut self) -> CubeMode<'_> {
        CubeMode::Now
    }

    /// Runs a statement; returns the rows it changed.
    fn execute(&mut self, q: &Sql) -> impl Future<Output = Result<u64, StoreError>> + Send;

    fn fetch_all(&mut self, q: &Sql)
    -> impl Future<Output = Result<Vec<DbRow>, StoreError>> + Send;

    fn fetch_optional(
        &mut self,
        q: &Sql,
    ) -> impl Future<Output = Result<Option<DbRow>, StoreError>> + Send {
        async move { Ok(self.fetch_all(q).await?.into_iter().next()) }
    }

    fn fetch_one(&mut self, q: &Sql) -> impl Future<Output = Result<DbRow, StoreError>> + Send {
        async move {
            self.fetch_optional(q)
                .await?
                .ok_or_else(|| StoreError::Database(sqlx::Error::RowNotFound))
        }
    }
}

/// sqlx's connection (a transaction's, or the group writer's on PostgreSQL).
pub(crate) struct SqlxExec<'c> {
    pub conn: &'c mut AnyConnection,
    pub backend: Backend,
}

impl Exec for SqlxExec<'_> {
    fn cube_mode(&mut self) -> CubeMode<'_> {
        match self.backend {
            crate::db::Backend::Postgres => CubeMode::Pending,
            crate::db::Backend::Sqlite => CubeMode::Now,
        }
    }

    async fn execute(&mut self, q: &Sql) -> Result<u64, StoreError> {
        Ok(q.query(self.backend)
            .execute(&mut *self.conn)
            .await?
            .rows_affected())
    }

    async fn fetch_all(&mut self, q: &Sql) -> Result<Vec<DbRow>, StoreError> {
        let rows = q.query(self.backend).fetch_all(&mut *self.conn).await?;
        rows.iter().map(any_row).collect()
    }
}

fn any_row(r: &sqlx::any::AnyRow) -> Result<DbRow, StoreError> {
    let names: Vec<String> = r.columns().iter().map(|c| c.name().to_string()).collect();
    let mut vals = Vec::with_capacity(names.len());
    for i in 0..names.len() {
        let v = if let Ok(v) = r.try_get::<Option<i64>, _>(i) {
            v.map_or(Val::Null, Val::Int)
        } else if let Ok(v) = r.try_get::<Option<f64>, _>(i) {
            v.map_or(Val::Null, Val::Real)
        } else if let Ok(v) = r.try_get::<Option<String>, _>(i) {
            v.map_or(Val::Null, Val::Text)
        } else {
            r.try_get::<Option<Vec<u8>>, _>(i)?
                .map_or(Val::Null, Val::Bytes)
        };
        vals.push(v);
    }
    Ok(DbRow { names, vals })
}

/// rusqlite on SQLite's writer thread: every call completes at once.
pub(crate) struct LiteExec<'c> {
    /// `&mut`: a shared `&Connection` is not `Send`, the connection itself is.
    pub conn: &'c mut rusqlite::Connection,
    /// The writer batch's cube sums (see [`Exec::cube_mode`]); `None` on a reader.
    pub cube: Option<&'c mut crate::tallies::Deltas>,
}

pub(crate) fn lite_error(e: rusqlite::Error) -> StoreError {
    use rusqlite::ffi::ErrorCode;
    match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(
                f.code,
                ErrorCode::DiskFull
                    | ErrorCode::SystemIoFailure
                    | ErrorCode::CannotOpen
                    | ErrorCode::DatabaseBusy
                    | ErrorCode::DatabaseLocked
            ) =>
        {
            StoreError::Database(sqlx::Error::Io(std::io::Error::other(e.to_string())))
        }
        rusqlite::Error::SqliteFailure(f, msg) if f.code == ErrorCode::ConstraintViolation => {
            let msg = msg.clone().unwrap_or_else(|| e.to_string());
            StoreError::Conflict {
                code: CONSTRAINT,
                zh: format!("数据约束冲突：{msg}"),
                en: format!("constraint violated: {msg}"),
            }
        }
        _ => StoreError::corrupt(format!("SQLite: {e}")),
    }
}

impl LiteExec<'_> {
    fn prepare(&self, q: &Sql) -> Result<rusqlite::CachedStatement<'_>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&q.text_for(Backend::Sqlite))
            .map_err(lite_error)?;
        for (i, a) in q.args().iter().enumerate() {
            use rusqlite::types::Value;
            let v = match a {
                Arg::Text(s) => Value::Text(s.clone()),
                Arg::Int(n) => Value::Integer(*n),
                Arg::Real(f) => Value::Real(*f),
                Arg::Bytes(b) => Value::Blob(b.clone()),
                Arg::OptText(s) => s.clone().map_or(Value::Null, Value::Text),
                Arg::OptInt(n) => n.map_or(Value::Null, Value::Integer),
                Arg::OptReal(f) => f.map_or(Value::Null, Value::Real),
                Arg::OptBytes(b) => b.clone().map_or(Value::Null, Value::Blob),
            };
            stmt.raw_bind_parameter(i + 1, v).map_err(lite_error)?;
        }
        Ok(stmt)
    }
}

impl Exec for LiteExec<'_> {
    fn cube_mode(&mut self) -> CubeMode<'_> {
        match self.cube.as_deref_mut() {
            Some(batch) => CubeMode::Batch(batch),
            None => CubeMode::Now,
        }
    }

    async fn execute(&mut self, q: &Sql) -> Result<u64, StoreError> {
        let mut stmt = self.prepare(q)?;
        let n = stmt.raw_execute().map_err(lite_error)?;
        Ok(n as u64)
    }

    async fn fetch_all(&mut self, q: &Sql) -> Result<Vec<DbRow>, StoreError> {
        let mut stmt = self.prepare(q)?;
        let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
        let mut rows = stmt.raw_query();
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(lite_error)? {
            use rusqlite::types::ValueRef;
            let mut vals = Vec::with_capacity(names.len());
            for i in 0..names.len() {
                vals.push(match r.get_ref(i).map_err(lite_error)? {
                    ValueRef::Null => Val::Null,
                    ValueRef::Integer(n) => Val::Int(n),
                    ValueRef::Real(f) => Val::Real(f),
                    ValueRef::Text(t) => Val::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => Val::Bytes(b.to_vec()),
                });
            }
            out.push(DbRow {
                names: names.clone(),
                vals,
            });
        }
        Ok(out)
    }
}

/// A row of a streamed read ([`LiteExec::for_each`]), its values read in place.
pub(crate) struct RawRow<'r, 's>(&'r rusqlite::Row<'s>);

impl RawRow<'_, '_> {
    pub(crate) fn text_ref(&self, i: usize) -> Result<&str, StoreError> {
        self.0
            .get_ref(i)
            .map_err(lite_error)?
            .as_str()
            .map_err(|e| StoreError::corrupt(format!("column {i}: {e}")))
    }

    pub(crate) fn int(&self, i: usize) -> Result<i64, StoreError> {
        self.0
            .get_ref(i)
            .map_err(lite_error)?
            .as_i64()
            .map_err(|e| StoreError::corrupt(format!("column {i}: {e}")))
    }
}

impl LiteExec<'_> {
    /// Hands each row of `q` to `f` as it is read, copying nothing: a fold over many rows
    /// (the cube's sums) that would otherwise allocate every value of every row.
    pub(crate) fn for_each(
        &mut self,
        q: &Sql,
        mut f: impl FnMut(&RawRow<'_, '_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut stmt = self.prepare(q)?;
        let mut rows = stmt.raw_query();
        while let Some(r) = rows.next().map_err(lite_error)? {
            f(&RawRow(r))?;
        }
        Ok(())
    }
}

/// Runs a future that never waits (the writer thread's: every [`LiteExec`] call completes at
/// once) to its end, on this thread.
pub(crate) fn run_now<F: Future>(f: F) -> F::Output {
    use std::task::{Context, Poll, Waker};
    let mut f = std::pin::pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => unreachable!("a write on the SQLite writer thread never waits"),
    }
}
