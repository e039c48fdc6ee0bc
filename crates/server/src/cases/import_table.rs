//! What the dispatch-rule and hotline imports share: reading an uploaded sheet, matching its
//! header row to known columns, and collecting every bad cell into the row-level error report
//! the population import gives (`rows: [{row, column, value, message, message_en}]`, header =
//! row 1), so that a refused file looks the same whatever was imported.

use crate::error::{ApiError, ApiResult, RowError};
use axum::extract::Multipart;
use axum::http::StatusCode;
use gongzhi_sheets::{Table, TableRow};

/// At most this many row errors are listed (as in the population import); all are counted.
const MAX_LISTED: usize = 1000;

/// A column a sheet may carry: its Chinese header (what the report names) and English key.
pub struct Col {
    pub zh: &'static str,
    pub key: &'static str,
    pub required: bool,
}

impl Col {
    fn matches(&self, header: &str) -> bool {
        header == self.zh || header.eq_ignore_ascii_case(self.key)
    }
}

/// Reads an uploaded `.xlsx` / `.csv`; an unreadable file is refused naming the file.
pub fn read(bytes: &[u8]) -> ApiResult<Table> {
    if bytes.is_empty() {
        return Err(ApiError::bad_request(
            "file",
            "上传的文件为空",
            "the uploaded file is empty",
        ));
    }
    gongzhi_sheets::read_table(bytes).map_err(|e| ApiError::invalid("file", &e))
}

/// Where each of `cols` sits in the file. Unknown headers (other than `ignored`, e.g. the
/// name columns an export adds for people to read) and missing required columns refuse the
/// file as a whole, all named at once.
pub fn map_columns(
    headers: &[String],
    cols: &[Col],
    ignored: &[&str],
) -> ApiResult<Vec<Option<usize>>> {
    let mut source = vec![None; cols.len()];
    let mut unknown = Vec::new();
    for (i, h) in headers.iter().enumerate().filter(|(_, h)| !h.is_empty()) {
        match cols.iter().position(|c| c.matches(h)) {
            Some(c) if source[c].is_none() => source[c] = Some(i),
            Some(_) => unknown.push(format!("{h}（重复）")),
            None if ignored.contains(&h.as_str()) => {}
            None => unknown.push(h.clone()),
        }
    }
    let missing: Vec<&str> = cols
        .iter()
        .zip(&source)
        .filter(|(c, s)| c.required && s.is_none())
        .map(|(c, _)| c.zh)
        .collect();
    if unknown.is_empty() && missing.is_empty() {
        return Ok(source);
    }
    let expected: Vec<&str> = cols.iter().map(|c| c.zh).collect();
    let mut zh = Vec::new();
    let mut en = Vec::new();
    if !unknown.is_empty() {
        zh.push(format!("无法识别的列：{}", unknown.join("、")));
        en.push(format!("unknown columns: {}", unknown.join(", ")));
    }
    if !missing.is_empty() {
        zh.push(format!("缺少必需的列：{}", missing.join("、")));
        en.push(format!("missing required columns: {}", missing.join(", ")));
    }
    let mut err = ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "import_rejected",
        format!(
            "表头有误，未导入任何数据：{}（应为：{}）",
            zh.join("；"),
            expected.join("、")
        ),
        format!(
            "wrong header row, nothing was imported: {} (expected: {})",
            en.join("; "),
            expected.join(", ")
        ),
    );
    err.body.field = Some("file".into());
    Err(err)
}

/// One data row seen through the column map.
pub struct Row<'a> {
    pub raw: &'a TableRow,
    source: &'a [Option<usize>],
}

impl<'a> Row<'a> {
    pub fn new(raw: &'a TableRow, source: &'a [Option<usize>]) -> Row<'a> {
        Row { raw, source }
    }

    /// The trimmed cell of column `col` (index into the `Col` list); `""` when absent.
    pub fn get(&self, col: usize) -> &'a str {
        match self.source.get(col) {
            Some(Some(i)) => self.raw.get(*i),
            _ => "",
        }
    }
}

/// Every bad cell of a file; rows must be checked in order (the bad-row count relies on it).
#[derive(Default)]
pub struct RowErrors {
    listed: Vec<RowError>,
    total: usize,
    bad_rows: usize,
    last_row: Option<usize>,
}

impl RowErrors {
    pub fn push(
        &mut self,
        row: usize,
        column: &str,
        value: &str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) {
        self.total += 1;
        if self.last_row != Some(row) {
            self.bad_rows += 1;
            self.last_row = Some(row);
        }
        if self.listed.len() < MAX_LISTED {
            self.listed.push(RowError {
                row,
                column: column.to_string(),
                value: value.to_string(),
                message: zh.into(),
                message_en: en.into(),
            });
        }
    }

    /// Cells the file's encoding could not decode, and values under no header.
    pub fn check_shape(&mut self, raw: &TableRow, headers: &[String]) {
        let name = |i: usize| {
            headers
                .get(i)
                .filter(|h| !h.is_empty())
                .cloned()
                .unwrap_or_else(|| format!("第{}列", i + 1))
        };
        if let Some(i) = raw.bad_encoding {
            self.push(
                raw.row,
                &name(i),
                raw.get(i),
                "含有无法识别的字符：文件不是有效的 UTF-8 编码，请另存为“CSV UTF-8”或 .xlsx",
                "holds unreadable characters: the file is not valid UTF-8; save it as \"CSV UTF-8\" or .xlsx",
            );
        }
        for i in 0..raw.cells.len() {
            let unnamed = headers.get(i).is_none_or(|h| h.is_empty());
            if unnamed && !raw.get(i).is_empty() {
                self.push(
                    raw.row,
                    &name(i),
                    raw.get(i),
                    "该列没有表头，无法识别这个值",
                    "this column has no header, so the value cannot be placed",
                );
            }
        }
    }

    /// `Ok(())` when nothing was wrong; else the refusal listing every row, its summary naming
    /// the first few (`第3行 来电号码：…`) in both languages.
    pub fn into_result(self, what_zh: &str, what_en: &str, rows_read: usize) -> ApiResult<()> {
        if self.total == 0 {
            return Ok(());
        }
        let bad_rows = self.bad_rows;
        let first: Vec<&RowError> = self.listed.iter().take(5).collect();
        let zh = first
            .iter()
            .map(|e| format!("第{}行 {}：{}", e.row, e.column, e.message))
            .collect::<Vec<_>>()
            .join("；");
        let en = first
            .iter()
            .map(|e| format!("row {}, {}: {}", e.row, e.column, e.message_en))
            .collect::<Vec<_>>()
            .join("; ");
        let mut err = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "import_rejected",
            format!(
                "{what_zh}导入被拒绝：{rows_read} 行中有 {bad_rows} 行出错，共 {} 处错误；未导入任何数据。{zh}",
                self.total
            ),
            format!(
                "{what_en} import rejected: {bad_rows} of {rows_read} rows have errors, {} in all; nothing was imported. {en}",
                self.total
            ),
        );
        err.body.field = self.listed.first().map(|e| e.column.clone());
        Err(err.with_rows(self.listed))
    }
}

/// A page's upload form: the CSRF token and the file.
pub struct Upload {
    pub csrf: String,
    pub file: Vec<u8>,
}

pub async fn read_upload(mut form: Multipart) -> ApiResult<Upload> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError::bad_request(
            "file",
            format!("上传失败：{e}"),
            format!("upload failed: {e}"),
        )
    };
    let mut up = Upload {
        csrf: String::new(),
        file: Vec::new(),
    };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        match field.name().unwrap_or("") {
            "csrf" => up.csrf = field.text().await.map_err(bad)?,
            "file" => up.file = field.bytes().await.map_err(bad)?.to_vec(),
            _ => {}
        }
    }
    Ok(up)
}

/// A file download.
pub fn xlsx_attachment(bytes: Vec<u8>, filename: &str) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A workbook writing failure is the server's fault.
pub fn sheet_error(e: gongzhi_sheets::SheetError) -> ApiError {
    ApiError::from_bilingual(StatusCode::INTERNAL_SERVER_ERROR, &e)
}
