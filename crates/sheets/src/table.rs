//! Tables of text cells under a header row, for sheets that are not one of the population
//! [`Kind`](crate::Kind)s (dispatch rules, hotline records). Reading uses the same sources as
//! the population import — first worksheet of an xlsx, or CSV in UTF-8 or GB18030 — so row
//! numbers and encodings behave the same; the caller maps the headers and checks the cells.
//! Writing gives the same look as the population export: bold frozen header, text cells.

use std::io::Cursor;

use rust_xlsxwriter::Workbook;

use crate::error::SheetError;
use crate::export::{MAX_SHEET_ROWS, Styles};
use crate::kind::Format;
use crate::source::{self, RawRow};

/// One non-blank data row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow {
    /// The row number as a person sees it in a spreadsheet program (header = row 1 when the
    /// header is the first line).
    pub row: usize,
    /// The cells as found, untrimmed.
    pub cells: Vec<String>,
    /// The first cell whose bytes were not valid in the file's encoding (CSV only).
    pub bad_encoding: Option<usize>,
}

impl TableRow {
    /// Cell `i`, trimmed, with the `="0101"` wrapper some tools write into CSV unwrapped;
    /// `""` past the end of a short row.
    pub fn get(&self, i: usize) -> &str {
        let value = self.cells.get(i).map_or("", |c| c.trim());
        value
            .strip_prefix("=\"")
            .and_then(|v| v.strip_suffix('"'))
            .map_or(value, str::trim)
    }
}

/// A whole sheet read into memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// The header row, each cell trimmed (BOM removed).
    pub headers: Vec<String>,
    pub rows: Vec<TableRow>,
}

/// Reads an uploaded file (format recognised from the content) into a [`Table`]. Blank rows
/// are skipped but keep their place in the row numbering.
pub fn read_table(bytes: &[u8]) -> Result<Table, SheetError> {
    let mut source = source::open(Format::sniff(bytes), Cursor::new(bytes))?;
    let headers = source.headers().to_vec();
    let mut rows = Vec::new();
    let mut raw = RawRow::default();
    while source.next_row(&mut raw)? {
        rows.push(TableRow {
            row: raw.row,
            cells: raw.to_vec(),
            bad_encoding: raw.bad_encoding,
        });
    }
    Ok(Table { headers, rows })
}

/// An .xlsx workbook with one worksheet `sheet`: `headers` bold and frozen, every cell text
/// (so codes keep their leading zeros when the file comes back).
pub fn write_table(
    sheet: &str,
    headers: &[&str],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, SheetError> {
    if rows.len() + 1 > MAX_SHEET_ROWS {
        return Err(SheetError::TooManyRows {
            max: MAX_SHEET_ROWS - 1,
        });
    }
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name(sheet)?;
    for (c, h) in headers.iter().enumerate() {
        let c = u16::try_from(c).map_err(|_| SheetError::Write("too many columns".into()))?;
        // Wide enough for a header or a 12-digit code, whichever is longer.
        ws.set_column_width(c, (h.chars().count() * 2 + 4).max(16) as f64)?;
        ws.set_column_format(c, &styles.text)?;
        ws.write_string_with_format(0, c, *h, &styles.header)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (r, cells) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| SheetError::Write("too many rows".into()))?;
        for (c, v) in cells.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
            let c = u16::try_from(c).map_err(|_| SheetError::Write("too many columns".into()))?;
            ws.write_string_with_format(r, c, v, &styles.text)?;
        }
    }
    Ok(workbook.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_through_xlsx_and_csv() {
        let rows = vec![
            vec!["E0102".to_string(), "320508019000".into(), "ZJ".into()],
            vec!["E0101".to_string(), String::new(), "CG".into()],
        ];
        let bytes = write_table("派遣规则", &["类别代码", "区划代码", "部门代码"], &rows).unwrap();
        let t = read_table(&bytes).unwrap();
        assert_eq!(t.headers, vec!["类别代码", "区划代码", "部门代码"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].row, 2);
        assert_eq!(t.rows[0].get(1), "320508019000");
        assert_eq!(t.rows[1].get(1), "");
        assert_eq!(t.rows[1].get(7), "");

        let csv = "\u{feff}类别代码,区划代码\r\n=\"0101\", x \r\n,\r\nE0102,320508\r\n";
        let t = read_table(csv.as_bytes()).unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(
            (t.rows[0].row, t.rows[0].get(0), t.rows[0].get(1)),
            (2, "0101", "x")
        );
        assert_eq!(t.rows[1].row, 4);
    }

    #[test]
    fn empty_file_has_no_header() {
        assert_eq!(read_table(b""), Err(SheetError::NoHeader));
    }
}
