//! Reading rows of text cells from a file, one row at a time, whatever the format.

mod csv_source;
mod encoding;
mod xlsx_source;

use std::io::{Read, Seek};

pub(crate) use csv_source::CsvSource;
pub(crate) use xlsx_source::XlsxSource;

use crate::error::SheetError;
use crate::kind::Format;

/// One data row: its cells as text, kept in one reusable buffer so that reading a million rows
/// does not allocate a million times.
#[derive(Debug, Default)]
pub(crate) struct RawRow {
    /// The row number as a person sees it in a spreadsheet program (header = row 1 when the
    /// header is the first line).
    pub row: usize,
    text: String,
    spans: Vec<(usize, usize)>,
    /// Bit `i` set: cell `i` was a number in the workbook (only the first 64 cells are tracked).
    numeric: u64,
    /// The first cell whose bytes were not valid in the file's encoding.
    pub bad_encoding: Option<usize>,
}

impl RawRow {
    pub fn clear(&mut self) {
        self.text.clear();
        self.spans.clear();
        self.numeric = 0;
        self.bad_encoding = None;
    }

    pub fn push(&mut self, cell: &str, numeric: bool) {
        self.push_with(|buf| buf.push_str(cell), numeric);
    }

    /// Appends a cell whose text `fill` writes into the shared buffer.
    pub fn push_with(&mut self, fill: impl FnOnce(&mut String), numeric: bool) {
        let start = self.text.len();
        fill(&mut self.text);
        if numeric && self.spans.len() < 64 {
            self.numeric |= 1 << self.spans.len();
        }
        self.spans.push((start, self.text.len()));
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Cell `i`, trimmed; `""` past the end of a short row.
    pub fn cell(&self, i: usize) -> &str {
        match self.spans.get(i) {
            Some(&(a, b)) => self.text[a..b].trim(),
            None => "",
        }
    }

    pub fn is_numeric(&self, i: usize) -> bool {
        i < 64 && self.numeric & (1 << i) != 0
    }

    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// The cells as owned strings (untrimmed), for error reports.
    pub fn to_vec(&self) -> Vec<String> {
        self.spans
            .iter()
            .map(|&(a, b)| self.text[a..b].to_string())
            .collect()
    }
}

/// A file opened for reading: its header row, then data rows.
pub(crate) trait RowSource {
    /// The header row, each cell trimmed.
    fn headers(&self) -> &[String];
    /// Number of data rows when known up front (xlsx), counting blank rows.
    fn total(&self) -> Option<usize>;
    /// Spreadsheet column index of the first cell of each row (xlsx ranges may start right of
    /// column A).
    fn first_column(&self) -> usize {
        0
    }
    /// Reads the next non-blank data row into `row`; `false` at the end.
    fn next_row(&mut self, row: &mut RawRow) -> Result<bool, SheetError>;
}

/// Opens `input` in `format` and reads its header row.
pub(crate) fn open<'a, R: Read + Seek + 'a>(
    format: Format,
    input: R,
) -> Result<Box<dyn RowSource + 'a>, SheetError> {
    Ok(match format {
        Format::Xlsx => Box::new(XlsxSource::open(input)?),
        Format::Csv => Box::new(CsvSource::open(input)?),
    })
}

/// Cleans a header cell: trims whitespace and a stray BOM.
pub(crate) fn clean_header(s: &str) -> String {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_row_keeps_cells_apart() {
        let mut r = RawRow::default();
        r.push(" 张三 ", false);
        r.push("", false);
        r.push("320508019044", true);
        assert_eq!(r.len(), 3);
        assert_eq!(r.cell(0), "张三");
        assert_eq!(r.cell(1), "");
        assert_eq!(r.cell(2), "320508019044");
        assert_eq!(r.cell(9), "");
        assert!(r.is_numeric(2) && !r.is_numeric(0));
        assert!(!r.is_blank());
        assert_eq!(r.to_vec(), vec![" 张三 ", "", "320508019044"]);
        r.clear();
        r.push("  ", false);
        assert!(r.is_blank());
    }

    #[test]
    fn header_cleaning() {
        assert_eq!(clean_header("\u{feff}身份证号 "), "身份证号");
    }
}
