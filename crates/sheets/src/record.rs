//! The bridge between a record type and a sheet row: [`SheetRecord`], the row accessor
//! [`Cells`] it reads from, and [`CellErrors`] it reports into.

use std::hash::Hash;

use gongzhi_domain::Bilingual;

use crate::kind::Kind;
use crate::records::Records;
use crate::source::RawRow;

/// A value written into a sheet cell.
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    /// Written as text (codes keep their leading zeros and all their digits).
    Text(String),
    Number(f64),
}

impl CellValue {
    /// The value as CSV text.
    pub fn to_text(&self) -> String {
        match self {
            CellValue::Text(s) => s.clone(),
            CellValue::Number(n) => n.to_string(),
        }
    }
}

/// A record type that travels as a sheet row. Implemented for the five store records.
pub trait SheetRecord: Sized {
    const KIND: Kind;
    /// What must be unique within one file.
    type Key: Eq + Hash;
    /// Index (into `KIND.columns()`) of the column holding the key.
    const KEY_COLUMN: usize;
    /// Whether a row repeating an earlier one exactly (same key, same values) is taken once
    /// rather than refused: official tables list some units twice (a city without districts
    /// is also its own county, with the same code).
    const REPEATS_TAKEN_ONCE: bool = false;

    /// Parses one row; on `None`, at least one error was pushed into `errors`.
    fn from_cells(cells: &Cells<'_>, errors: &mut CellErrors) -> Option<Self>;
    fn key(&self) -> Self::Key;
    /// The row's cells in column order; personal data masked unless `unmasked`.
    fn to_cells(&self, unmasked: bool) -> Vec<CellValue>;
    /// Wraps a list into the kind-erased [`Records`].
    fn into_records(records: Vec<Self>) -> Records;
}

/// The cells of one data row, addressed by column index of the kind.
pub struct Cells<'a> {
    pub(crate) row: &'a RawRow,
    pub(crate) source: &'a [Option<usize>],
}

impl Cells<'_> {
    /// The trimmed text of column `column` (`""` when the column is absent or the cell empty).
    /// The `="0101"` form that some tools write into CSV to keep Excel from reading a code as a
    /// number is unwrapped.
    pub fn get(&self, column: usize) -> &str {
        let value = match self.source.get(column) {
            Some(Some(i)) => self.row.cell(*i),
            _ => "",
        };
        value
            .strip_prefix("=\"")
            .and_then(|v| v.strip_suffix('"'))
            .map_or(value, str::trim)
    }

    /// The workbook stored this cell as a number.
    pub fn is_numeric(&self, column: usize) -> bool {
        matches!(self.source.get(column), Some(Some(i)) if self.row.is_numeric(*i))
    }

    /// The row number as a person sees it.
    pub fn row(&self) -> usize {
        self.row.row
    }
}

/// A message about one cell, built by the record parsers for rules of their own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub zh: String,
    pub en: String,
}

impl Invalid {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Invalid {
        Invalid {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

impl Bilingual for Invalid {
    fn code(&self) -> &'static str {
        "invalid_cell"
    }
    fn message_zh(&self) -> String {
        self.zh.clone()
    }
    fn message_en(&self) -> String {
        self.en.clone()
    }
}

/// The errors found in one row, by column index.
#[derive(Debug)]
pub struct CellErrors {
    kind: Kind,
    pub(crate) errors: Vec<(usize, Invalid)>,
}

const NUMERIC_HINT_ZH: &str = "（该单元格是数字格式，Excel 可能已去掉前导 0 或改写了超过 15 位的数字；请把该列设为文本格式后重新输入）";
const NUMERIC_HINT_EN: &str = " (the cell is formatted as a number, so Excel may have dropped leading zeros or rewritten digits past the 15th; format the column as text and enter it again)";

impl CellErrors {
    pub fn new(kind: Kind) -> CellErrors {
        CellErrors {
            kind,
            errors: Vec::new(),
        }
    }

    pub fn clear(&mut self) {
        self.errors.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn push(&mut self, column: usize, error: Invalid) {
        self.errors.push((column, error));
    }

    /// Parses a required cell; an empty cell or a parse failure is recorded.
    pub fn required<T, E: Bilingual>(
        &mut self,
        cells: &Cells<'_>,
        column: usize,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let value = cells.get(column);
        if value.is_empty() {
            self.push(
                column,
                Invalid::new("必填，不能为空", "required; must not be empty"),
            );
            return None;
        }
        self.parse(cells, column, value, parse)
    }

    /// Parses an optional cell: `Some(None)` when empty, `None` when it fails to parse.
    pub fn optional<T, E: Bilingual>(
        &mut self,
        cells: &Cells<'_>,
        column: usize,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<Option<T>> {
        let value = cells.get(column);
        if value.is_empty() {
            return Some(None);
        }
        self.parse(cells, column, value, parse).map(Some)
    }

    fn parse<T, E: Bilingual>(
        &mut self,
        cells: &Cells<'_>,
        column: usize,
        value: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        match parse(value) {
            Ok(v) => Some(v),
            Err(e) => {
                let mut error = Invalid::new(e.message_zh(), e.message_en());
                let text_column = self.kind.columns().get(column).is_some_and(|c| !c.numeric);
                if text_column && cells.is_numeric(column) {
                    error.zh.push_str(NUMERIC_HINT_ZH);
                    error.en.push_str(NUMERIC_HINT_EN);
                }
                self.push(column, error);
                None
            }
        }
    }
}
