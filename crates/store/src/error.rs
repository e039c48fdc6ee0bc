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
            _ => "internal server error, please retry later".into(),
        }
    }
}
