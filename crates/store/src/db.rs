use crate::error::StoreError;
use crate::migrate;
use crate::pii::PiiCipher;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// The one handle on persistent state. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    /// Where write transactions run: one connection on SQLite, the shared pool on PostgreSQL.
    pub(crate) writer: AnyPool,
    pub(crate) backend: Backend,
    pub(crate) pii: PiiCipher,
    pub(crate) lookups: std::sync::Arc<crate::lookups::LookupCache>,
    /// The group-commit writer of case intake and commands (decision 011).
    pub(crate) group: Option<crate::group_commit::GroupWriter>,
    /// On SQLite, the writer thread that runs case writes on rusqlite (decision 011).
    pub(crate) lite: Option<crate::lite_writer::LiteWriter>,
    /// On SQLite, rusqlite readers for the reads every request makes (decision 011).
    pub(crate) readers: Option<std::sync::Arc<crate::lite_readers::LiteReaders>>,
}

/// The file of a SQLite URL; `None` for an in-memory database (nothing else can open it).
fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    use std::str::FromStr;
    let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url).ok()?;
    let path = opts.get_filename();
    let name = path.to_string_lossy();
    (!name.is_empty() && name != ":memory:" && !url.contains("mode=memory"))
        .then(|| path.to_path_buf())
}

impl Store {
    /// Connects, applies pending migrations and returns a ready store.
    /// SQLite runs in WAL mode with `synchronous=FULL`: a commit is on disk before we answer.
    pub async fn open(url: &str, pii: PiiCipher) -> Result<Store, StoreError> {
        install_default_drivers();
        let backend = Backend::from_url(url).ok_or_else(|| StoreError::Conflict {
            code: "invalid_database_url",
            zh: format!("数据库地址应以 sqlite: 或 postgres:// 开头：{url}"),
            en: format!("database URL must start with sqlite: or postgres://, got {url}"),
        })?;
        let max = match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        };
        // How long a query waits for a connection. While PostgreSQL is down (a restart, a
        // failover) the pool keeps trying to connect, backing off up to a fifth of this between
        // attempts while holding its place in the queue; a long wait would keep the server
        // failing for many seconds after the database is back. SQLite never refuses to connect:
        // its writers queue for the one write connection and may wait long under load.
        let acquire_timeout = match backend {
            Backend::Sqlite => Duration::from_secs(60),
            Backend::Postgres => Duration::from_secs(10),
        };
        let connect = |max: u32| {
            AnyPoolOptions::new()
                .max_connections(max)
                .acquire_timeout(acquire_timeout)
                .after_connect(move |conn, _meta| {
                    Box::pin(async move {
                        if backend == Backend::Sqlite {
                            conn.execute("PRAGMA journal_mode=WAL").await?;
                            conn.execute("PRAGMA synchronous=FULL").await?;
                            conn.execute("PRAGMA foreign_keys=ON").await?;
                            conn.execute("PRAGMA busy_timeout=10000").await?;
                        }
                        Ok(())
                    })
                })
                .connect(url)
        };
        let pool = connect(max).await?;
        migrate::run(&pool, backend, &pii).await?;
        // SQLite has one writer at a time. Writers queue for the single write connection in
        // order, instead of each taking the lock in turn through SQLite's sleeping busy handler,
        // which under load costs far more than the writes themselves.
        let writer = match backend {
            Backend::Sqlite => connect(1).await?,
            Backend::Postgres => pool.clone(),
        };
        // GONGZHI_GROUP_COMMIT=0 runs each case write as its own transaction (for comparison).
        let group = (std::env::var("GONGZHI_GROUP_COMMIT").as_deref() != Ok("0"))
            .then(|| crate::group_commit::GroupWriter::spawn(writer.clone(), backend));
        let file = match backend {
            Backend::Sqlite => sqlite_file(url),
            Backend::Postgres => None,
        };
        let lite = match (&file, &group) {
            (Some(path), Some(_)) => Some(crate::lite_writer::LiteWriter::start(path)?),
            _ => None,
        };
        let readers = file
            .as_deref()
            .map(|path| std::sync::Arc::new(crate::lite_readers::LiteReaders::new(path)));
        let store = Store {
            pool,
            writer,
            backend,
            pii,
            lookups: Default::default(),
            group,
            lite,
            readers,
        };
        store.ensure_case_tallies().await?;
        Ok(store)
    }

    /// A write transaction. SQLite takes the write lock at BEGIN (`IMMEDIATE`) so that a
    /// read-then-write transaction waits for other writers instead of failing with SQLITE_BUSY.
    pub(crate) async fn write_tx(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.writer.begin().await?,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn pii(&self) -> &PiiCipher {
        &self.pii
    }

    /// Answers once the database can run a query (used by `/healthz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// A consistent online copy of a SQLite database (`VACUUM INTO`), safe while a server writes.
    pub async fn sqlite_snapshot(&self, to: &std::path::Path) -> Result<(), StoreError> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Conflict {
                code: "backup_unsupported",
                zh: "PostgreSQL 数据库请使用 pg_dump 备份".into(),
                en: "back up a PostgreSQL database with pg_dump".into(),
            });
        }
        let path = to.to_string_lossy().replace('\'', "''");
        sqlx::query(sqlx::AssertSqlSafe(format!("VACUUM INTO '{path}'")))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn close(&self) {
        if let Some(r) = &self.readers {
            r.close();
        }
        if let Some(w) = &self.lite {
            w.close();
        }
        self.writer.close().await;
        self.pool.close().await;
    }
}
