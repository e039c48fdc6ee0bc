//! Why an import was refused: every bad row (up to a cap), with row number, column and reason.

use std::collections::BTreeMap;
use std::fmt;

use gongzhi_domain::Bilingual;
use serde::Serialize;

use crate::error::SheetError;
use crate::kind::Kind;

/// At most this many row errors are listed; the total is still counted.
pub const MAX_LISTED_ERRORS: usize = 1000;

/// How many errors the one-paragraph summary ([`Bilingual::message_zh`]) spells out.
const SUMMARY_ERRORS: usize = 5;

/// One bad cell (or bad row) of an imported file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The row number as a person sees it in a spreadsheet program: the header is row 1.
    pub row: usize,
    /// The Chinese header of the column at fault (or `第H列` for a cell under no header).
    pub column: String,
    /// The cell as found (trimmed).
    pub value: String,
    pub message_zh: String,
    pub message_en: String,
}

impl RowError {
    /// `第3行 身份证号：身份证号校验码错误：应为 X，实际为 5`
    pub fn line_zh(&self) -> String {
        format!("第{}行 {}：{}", self.row, self.column, self.message_zh)
    }

    /// `row 3, 身份证号: ID number check digit is wrong: expected X, got 5`
    pub fn line_en(&self) -> String {
        format!("row {}, {}: {}", self.row, self.column, self.message_en)
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line_en())
    }
}

/// A refused import. Either `file_errors` is non-empty (the file could not be read, or its
/// header row is wrong) or `row_errors` is.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportReport {
    pub kind: Kind,
    /// Problems with the file as a whole.
    pub file_errors: Vec<SheetError>,
    /// The first [`MAX_LISTED_ERRORS`] row errors, in row order.
    pub row_errors: Vec<RowError>,
    /// All row errors, listed or not.
    pub total_row_errors: usize,
    /// Rows with at least one error.
    pub bad_rows: usize,
    /// Non-blank data rows read.
    pub rows_read: usize,
    /// The file's header row as read (empty when the file could not be read).
    pub headers: Vec<String>,
    /// The cells of each row named in `row_errors`, as found, for the error workbook.
    originals: Box<Originals>,
}

/// The cells of each listed bad row, by row number, as found in the file, and the spreadsheet
/// column of the first cell. Boxed so that `Result<_, ImportReport>` stays small.
#[derive(Clone, Debug, Default, PartialEq)]
struct Originals {
    rows: BTreeMap<usize, Vec<String>>,
    first_column: usize,
}

impl ImportReport {
    pub(crate) fn new(kind: Kind) -> ImportReport {
        ImportReport {
            kind,
            file_errors: Vec::new(),
            row_errors: Vec::new(),
            total_row_errors: 0,
            bad_rows: 0,
            rows_read: 0,
            headers: Vec::new(),
            originals: Box::default(),
        }
    }

    pub(crate) fn file_error(kind: Kind, errors: Vec<SheetError>) -> ImportReport {
        ImportReport {
            file_errors: errors,
            ..ImportReport::new(kind)
        }
    }

    /// Records the errors of one row; `cells` gives the row as found.
    pub(crate) fn add_row(&mut self, errors: Vec<RowError>, cells: impl FnOnce() -> Vec<String>) {
        let Some(first) = errors.first() else {
            return;
        };
        let row = first.row;
        self.bad_rows += 1;
        self.total_row_errors += errors.len();
        let room = MAX_LISTED_ERRORS.saturating_sub(self.row_errors.len());
        if room > 0 {
            self.originals.rows.entry(row).or_insert_with(cells);
            self.row_errors.extend(errors.into_iter().take(room));
        }
    }

    pub fn has_errors(&self) -> bool {
        !self.file_errors.is_empty() || self.total_row_errors > 0
    }

    /// Not every row error is listed.
    pub fn is_truncated(&self) -> bool {
        self.total_row_errors > self.row_errors.len()
    }

    pub(crate) fn set_first_column(&mut self, column: usize) {
        self.originals.first_column = column;
    }

    /// Spreadsheet column index (0 = A) of the first cell of [`ImportReport::original_row`].
    pub fn first_column(&self) -> usize {
        self.originals.first_column
    }

    /// The cells of a listed bad row as they were in the file.
    pub fn original_row(&self, row: usize) -> Option<&[String]> {
        self.originals.rows.get(&row).map(Vec::as_slice)
    }

    fn is_personal(&self, column: &str) -> bool {
        self.kind
            .columns()
            .iter()
            .any(|c| c.personal && c.zh == column)
    }

    /// Plain text: a summary line in Chinese and English, then one line per listed error. Values
    /// of personal-data columns (身份证号, 手机号) are not repeated.
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n{}\n", self.headline_zh(), self.headline_en());
        for e in &self.file_errors {
            out.push_str(&format!("{}\n  {}\n", e.message_zh(), e.message_en()));
        }
        for e in &self.row_errors {
            let value = if e.value.is_empty() || self.is_personal(&e.column) {
                String::new()
            } else {
                format!("「{}」", e.value)
            };
            out.push_str(&format!(
                "第{}行 {}{}：{}\n  row {}, {}: {}\n",
                e.row, e.column, value, e.message_zh, e.row, e.column, e.message_en
            ));
        }
        if self.is_truncated() {
            out.push_str(&format!(
                "……另有 {} 处错误未列出\n  … {} more errors not listed\n",
                self.total_row_errors - self.row_errors.len(),
                self.total_row_errors - self.row_errors.len()
            ));
        }
        out
    }

    fn headline_zh(&self) -> String {
        if self.file_errors.is_empty() {
            format!(
                "{}导入被拒绝：{} 行中有 {} 行出错，共 {} 处错误；未导入任何数据。",
                self.kind.zh(),
                self.rows_read,
                self.bad_rows,
                self.total_row_errors
            )
        } else {
            format!(
                "{}导入被拒绝：文件无法导入；未导入任何数据。",
                self.kind.zh()
            )
        }
    }

    fn headline_en(&self) -> String {
        if self.file_errors.is_empty() {
            format!(
                "{} import rejected: {} of {} rows have errors, {} errors in all; nothing was imported.",
                self.kind.as_str(),
                self.bad_rows,
                self.rows_read,
                self.total_row_errors
            )
        } else {
            format!(
                "{} import rejected: the file cannot be imported; nothing was imported.",
                self.kind.as_str()
            )
        }
    }
}

impl Bilingual for ImportReport {
    fn code(&self) -> &'static str {
        "import_rejected"
    }

    /// `居民导入被拒绝：…。第3行 身份证号：身份证号校验码错误：应为 X，实际为 5；…`
    fn message_zh(&self) -> String {
        let mut parts: Vec<String> = self.file_errors.iter().map(|e| e.message_zh()).collect();
        parts.extend(
            self.row_errors
                .iter()
                .take(SUMMARY_ERRORS)
                .map(RowError::line_zh),
        );
        let more = if self.total_row_errors > SUMMARY_ERRORS {
            format!("；等 {} 处错误", self.total_row_errors)
        } else {
            String::new()
        };
        format!("{}{}{}", self.headline_zh(), parts.join("；"), more)
    }

    fn message_en(&self) -> String {
        let mut parts: Vec<String> = self.file_errors.iter().map(|e| e.message_en()).collect();
        parts.extend(
            self.row_errors
                .iter()
                .take(SUMMARY_ERRORS)
                .map(RowError::line_en),
        );
        let more = if self.total_row_errors > SUMMARY_ERRORS {
            format!("; {} errors in all", self.total_row_errors)
        } else {
            String::new()
        };
        format!("{} {}{}", self.headline_en(), parts.join("; "), more)
    }

    fn field(&self) -> Option<String> {
        self.row_errors.first().map(|e| e.column.clone())
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for ImportReport {}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(row: usize, column: &str, value: &str) -> RowError {
        RowError {
            row,
            column: column.into(),
            value: value.into(),
            message_zh: "校验码错误".into(),
            message_en: "bad check digit".into(),
        }
    }

    #[test]
    fn summary_names_row_and_column() {
        let mut r = ImportReport::new(Kind::Residents);
        r.rows_read = 4;
        r.add_row(vec![err(3, "身份证号", "110105194912310025")], Vec::new);
        assert_eq!(r.code(), "import_rejected");
        assert!(
            r.message_zh().contains("第3行 身份证号：校验码错误"),
            "{}",
            r.message_zh()
        );
        assert!(r.message_en().contains("row 3, 身份证号: bad check digit"));
        assert_eq!(r.field().as_deref(), Some("身份证号"));
        // The ID number itself is personal data and stays out of the text report.
        let text = r.to_text();
        assert!(text.contains("第3行 身份证号：校验码错误"), "{text}");
        assert!(!text.contains("110105194912310025"));
    }

    #[test]
    fn listing_is_capped_but_counted() {
        let mut r = ImportReport::new(Kind::Areas);
        for row in 2..(MAX_LISTED_ERRORS + 12) {
            r.add_row(
                vec![err(row, "区划代码", "x"), err(row, "名称", "")],
                || vec!["x".into()],
            );
        }
        assert_eq!(r.row_errors.len(), MAX_LISTED_ERRORS);
        assert_eq!(r.total_row_errors, 2 * (MAX_LISTED_ERRORS + 10));
        assert_eq!(r.bad_rows, MAX_LISTED_ERRORS + 10);
        assert!(r.is_truncated());
        assert_eq!(r.originals.rows.len(), MAX_LISTED_ERRORS / 2);
        assert!(r.to_text().contains("另有 1020 处错误未列出"));
        assert!(r.message_zh().contains("等 2020 处错误"));
        assert!(r.to_text().contains("「x」"));
    }
}
