use gongzhi_domain::Bilingual;

/// One problem with one input record, found while writing (e.g. a household naming a building
/// that does not exist). `index` is the record's 0-based position in the batch given to the store.
#[derive(Clone, Debug, PartialEq)]
pub struct RowProblem {
    pub index: usize,
    pub column: &'static str,
    pub value: String,
    pub message_zh: String,
    pub message_en: String,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found: {what_en}")]
    NotFound { what_zh: String, what_en: String },
    #[error("conflict: {en}")]
    Conflict {
        code: &'static str,
        zh: String,
        en: String,
    },
    /// A batch was refused; nothing was written.
    #[error("{} rows rejected", .0.len())]
    Rows(Vec<RowProblem>),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("personal-data encryption error: {0}")]
    Crypto(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub fn not_found(what_zh: impl Into<String>, what_en: impl Into<String>) -> Self {
        StoreError::NotFound {
            what_zh: what_zh.into(),
            what_en: what_en.into(),
        }
    }

    pub(crate) fn corrupt(what: impl std::fmt::Display) -> Self {
        StoreError::Corrupt(what.to_string())
    }

    /// True when the database could not be reached (a pool that timed out waiting for a
    /// connection or was closed, a refused or broken connection, a server shutting down or
    /// starting up): an outage to wait out, not a fault of the request or of the data.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Database(e) => match e {
                sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::WorkerCrashed => true,
                // PostgreSQL's connection exceptions (class 08) and operator intervention:
                // admin/crash shutdown, cannot connect now.
                sqlx::Error::Database(db) => db.code().is_some_and(|c| {
                    c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03")
                }),
                _ => false,
            },
            _ => false,
        }
    }

    /// True when the database rejected a write because of a unique key.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Database(sqlx::Error::Database(e)) => e.is_unique_violation(),
            _ => false,
        }
    }
}

impl Bilingual for StoreError {
    fn code(&self) -> &'static str {
        match self {
            StoreError::NotFound { .. } => "not_found",
            StoreError::Conflict { code, .. } => code,
            StoreError::Rows(_) => "import_rejected",
            e if e.is_unavailable() => "unavailable",
            StoreError::Database(_) | StoreError::Crypto(_) | StoreError::Corrupt(_) => "internal",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            StoreError::NotFound { what_zh, .. } => format!("未找到：{what_zh}"),
            StoreError::Conflict { zh, .. } => zh.clone(),
            StoreError::Rows(rows) => {
                let first: Vec<String> = rows
                    .iter()
                    .take(5)
                    .map(|r| format!("第{}条 {}：{}", r.index + 1, r.column, r.message_zh))
                    .collect();
                format!(
                    "{}条记录有误，未写入任何数据：{}",
                    rows.len(),
                    first.join("；")
                )
            }
            e if e.is_unavailable() => "数据库暂时无法访问，请稍后重试".into(),
            _ => "服务器内部错误，请稍后重试".into(),
        }
    }

    fn message_en(&self) -> String {
        match self {
            StoreError::NotFound { what_en, .. } => format!("not found: {what_en}"),
            StoreError::Conflict { en, .. } => en.clone(),
            StoreError::Rows(rows) => {
                let first: Vec<String> = rows
                    .iter()
                    .take(5)
                    .map(|r| format!("record {} {}: {}", r.index + 1, r.column, r.message_en))
                    .collect();
                format!(
                    "{} records are wrong, nothing was written: {}",
                    rows.len(),
                    first.join("; ")
                )
            }
            e if e.is_unavailable() => {
                "the database cannot be reached for the moment; please try again shortly".into()
            }
            _ => "internal server error, please retry later".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outages_are_told_apart_from_faults() {
        for e in [
            sqlx::Error::PoolTimedOut,
            sqlx::Error::PoolClosed,
            sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionRefused)),
        ] {
            let e = StoreError::Database(e);
            assert!(e.is_unavailable(), "{e}");
            assert_eq!(e.code(), "unavailable");
            assert_eq!(e.message_zh(), "数据库暂时无法访问，请稍后重试");
        }
        let e = StoreError::Database(sqlx::Error::RowNotFound);
        assert!(!e.is_unavailable());
        assert_eq!(e.code(), "internal");
        assert!(!StoreError::corrupt("x").is_unavailable());
    }

    /// A real refused connection: PostgreSQL on a port that was just free and is closed again.
    #[tokio::test]
    async fn a_refused_postgres_connection_is_an_outage() {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("postgres://postgres@127.0.0.1:{port}/test");
        let e = sqlx::AnyConnection::connect(&url)
            .await
            .expect_err("nothing listens there");
        let e = StoreError::Database(e);
        assert!(e.is_unavailable(), "{e}");
        assert_eq!(e.code(), "unavailable");
    }
}
