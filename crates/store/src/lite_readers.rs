//! SQLite reads on rusqlite, inline on the calling thread (decision 011): sqlx's SQLite driver
//! hands every statement — and every row — to a worker thread and back, and under the mixed
//! load test those context switches were the largest part of the server's CPU. Used for the
//! bounded reads every request makes (a case, a page of cases and their events, the caller's
//! account); a read here takes microseconds from the page cache.

use crate::error::StoreError;
use crate::exec::LiteExec;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Connections kept open between reads (one per thread that reads at once).
const KEEP: usize = 16;

pub(crate) struct LiteReaders {
    path: PathBuf,
    idle: Mutex<Vec<rusqlite::Connection>>,
    closed: AtomicBool,
}

impl LiteReaders {
    pub(crate) fn new(path: &Path) -> LiteReaders {
        LiteReaders {
            path: path.to_path_buf(),
            idle: Mutex::new(Vec::new()),
            closed: AtomicBool::new(false),
        }
    }

    /// Closes the idle readers; every later read fails as the closed sqlx pool does.
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::Relaxed);
        self.idle.lock().expect("reader pool lock").clear();
    }

    fn open(&self) -> Result<rusqlite::Connection, StoreError> {
        let conn = rusqlite::Connection::open_with_flags(
            &self.path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX
                | rusqlite::OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| {
            StoreError::Database(sqlx::Error::Io(std::io::Error::other(format!(
                "opening a reader: {e}"
            ))))
        })?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(|e| StoreError::corrupt(format!("reader settings: {e}")))?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(conn)
    }

    /// Runs `f` on an idle reader (opening one when none is idle).
    pub(crate) fn read<T>(
        &self,
        f: impl FnOnce(&mut LiteExec<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if self.closed.load(Ordering::Relaxed) {
            return Err(StoreError::Database(sqlx::Error::PoolClosed));
        }
        let idle = self.idle.lock().expect("reader pool lock").pop();
        let mut conn = match idle {
            Some(c) => c,
            None => self.open()?,
        };
        let out = f(&mut LiteExec {
            conn: &mut conn,
            cube: None,
        });
        let mut idle = self.idle.lock().expect("reader pool lock");
        if idle.len() < KEEP {
            idle.push(conn);
        }
        out
    }
}
