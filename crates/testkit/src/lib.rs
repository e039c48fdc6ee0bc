//! A fresh database for each test, on either backend, so that every story runs on SQLite and on
//! PostgreSQL alike.
//!
//! PostgreSQL: `GONGZHI_TEST_POSTGRES` gives an admin URL (default
//! `postgres://postgres@127.0.0.1:5432/test`); each test creates its own database and drops it
//! afterwards. Set `GONGZHI_TEST_POSTGRES=off` to skip the PostgreSQL half on a machine without it.

use sqlx::Connection;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The backends this run covers.
pub fn backends() -> Vec<Backend> {
    if postgres_admin_url().is_some() {
        vec![Backend::Sqlite, Backend::Postgres]
    } else {
        eprintln!("GONGZHI_TEST_POSTGRES=off: PostgreSQL half skipped");
        vec![Backend::Sqlite]
    }
}

fn postgres_admin_url() -> Option<String> {
    match std::env::var("GONGZHI_TEST_POSTGRES") {
        Ok(v) if v == "off" => None,
        Ok(v) if !v.is_empty() => Some(v),
        _ => Some("postgres://postgres@127.0.0.1:5432/test".into()),
    }
}

/// A database that exists for the life of this value.
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    /// The SQLite file (None on PostgreSQL).
    pub file: Option<PathBuf>,
    pub dir: tempfile::TempDir,
    pg_name: Option<String>,
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        match backend {
            Backend::Sqlite => {
                let file = dir.path().join("gongzhi.db");
                TestDb {
                    backend,
                    url: format!("sqlite://{}?mode=rwc", file.display()),
                    file: Some(file),
                    dir,
                    pg_name: None,
                }
            }
            Backend::Postgres => {
                let admin = postgres_admin_url().expect("PostgreSQL enabled");
                let mut bytes = [0u8; 6];
                getrandom::fill(&mut bytes).expect("random");
                let name = format!(
                    "gz_test_{}",
                    bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
                );
                sqlx::any::install_default_drivers();
                let mut conn = sqlx::AnyConnection::connect(&admin)
                    .await
                    .unwrap_or_else(|e| {
                        panic!("connect to {admin} (set GONGZHI_TEST_POSTGRES): {e}")
                    });
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut conn)
                    .await
                    .expect("create test database");
                let base = admin
                    .rsplit_once('/')
                    .map(|(b, _)| b.to_string())
                    .unwrap_or(admin.clone());
                TestDb {
                    backend,
                    url: format!("{base}/{name}"),
                    file: None,
                    dir,
                    pg_name: Some(name),
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(name) = self.pg_name.take() else {
            return;
        };
        let Some(admin) = postgres_admin_url() else {
            return;
        };
        // Drop on a separate thread with its own runtime: Drop may run inside a runtime.
        let _ = std::thread::spawn(move || {
            let rt = tokio_runtime();
            rt.block_on(async move {
                if let Ok(mut conn) = sqlx::AnyConnection::connect(&admin).await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .execute(&mut conn)
                    .await;
                }
            });
        })
        .join();
    }
}

fn tokio_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}
