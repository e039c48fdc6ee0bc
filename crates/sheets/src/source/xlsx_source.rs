//! Rows of the first worksheet of an xlsx workbook.

use std::io::{Read, Seek};

use calamine::{Data, Range, Reader, Xlsx, XlsxError};

use super::{RawRow, RowSource, clean_header};
use crate::error::SheetError;

pub(crate) struct XlsxSource {
    range: Range<Data>,
    headers: Vec<String>,
    /// Absolute index (0-based) of the range's first row: calamine starts the range at the first
    /// row holding a cell.
    range_start: usize,
    /// Absolute index (0-based) of the range's first column.
    range_column: usize,
    /// Rows before the first data row, from the start of the range.
    header_offset: usize,
    /// Next data row, relative to the start of the range.
    next: usize,
}

impl XlsxSource {
    pub fn open<R: Read + Seek>(input: R) -> Result<Self, SheetError> {
        let mut workbook: Xlsx<R> = calamine::open_workbook_from_rs(input)
            .map_err(|e: XlsxError| SheetError::Xlsx(e.to_string()))?;
        let range = workbook
            .worksheet_range_at(0)
            .ok_or(SheetError::NoWorksheet)?
            .map_err(|e| SheetError::Xlsx(e.to_string()))?;
        let Some((start_row, start_column)) = range.start() else {
            return Err(SheetError::NoHeader);
        };
        // Leading rows that only carry formatting are skipped: the header is the first row with
        // text in it.
        let mut header = Vec::new();
        let mut header_offset = 0;
        for (i, cells) in range.rows().enumerate() {
            header = cells
                .iter()
                .map(|c| clean_header(&cell_text(c).0))
                .collect();
            header_offset = i;
            if header.iter().any(|h| !h.is_empty()) {
                break;
            }
        }
        if header.iter().all(String::is_empty) {
            return Err(SheetError::NoHeader);
        }
        Ok(XlsxSource {
            range,
            headers: header,
            range_start: start_row as usize,
            range_column: start_column as usize,
            header_offset,
            next: header_offset + 1,
        })
    }
}

/// A cell as text, and whether the workbook stored it as a number.
fn cell_text(cell: &Data) -> (String, bool) {
    match cell {
        Data::String(s) => (s.clone(), false),
        Data::DateTimeIso(s) | Data::DurationIso(s) => (s.clone(), false),
        // Display never uses an exponent and drops ".0" from whole numbers.
        Data::Float(f) => (f.to_string(), true),
        Data::Int(i) => (i.to_string(), true),
        Data::Bool(b) => ((if *b { "TRUE" } else { "FALSE" }).to_string(), false),
        Data::DateTime(d) => (d.to_string(), false),
        Data::Error(e) => (e.to_string(), false),
        Data::Empty => (String::new(), false),
    }
}

fn push_cell(row: &mut RawRow, cell: &Data) {
    match cell {
        Data::String(s) => row.push(s, false),
        Data::Empty => row.push("", false),
        other => {
            let (text, numeric) = cell_text(other);
            row.push(&text, numeric);
        }
    }
}

impl RowSource for XlsxSource {
    fn headers(&self) -> &[String] {
        &self.headers
    }

    fn total(&self) -> Option<usize> {
        Some(self.range.height().saturating_sub(self.header_offset + 1))
    }

    fn first_column(&self) -> usize {
        self.range_column
    }

    fn next_row(&mut self, row: &mut RawRow) -> Result<bool, SheetError> {
        while let Some(cells) = self.range.rows().nth(self.next) {
            row.clear();
            row.row = self.range_start + self.next + 1;
            self.next += 1;
            for cell in cells {
                push_cell(row, cell);
            }
            if !row.is_blank() {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use rust_xlsxwriter::Workbook;

    use super::*;

    #[test]
    fn reads_first_sheet_with_absolute_row_numbers() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        // Header on spreadsheet row 2 (row 1 left empty), data on rows 3 and 5.
        ws.write_string(1, 0, "区划代码").unwrap();
        ws.write_string(1, 1, "名称").unwrap();
        ws.write_number(2, 0, 320508019044.0).unwrap();
        ws.write_string(2, 1, "养育巷社区").unwrap();
        ws.write_string(4, 0, "320508019045").unwrap();
        ws.write_string(4, 1, "另一社区").unwrap();
        wb.add_worksheet().write_string(0, 0, "ignored").unwrap();
        let bytes = wb.save_to_buffer().unwrap();

        let mut src = XlsxSource::open(Cursor::new(bytes)).unwrap();
        assert_eq!(src.headers(), ["区划代码", "名称"]);
        assert_eq!(src.total(), Some(3));
        let mut row = RawRow::default();
        assert!(src.next_row(&mut row).unwrap());
        assert_eq!(row.row, 3);
        assert_eq!(row.cell(0), "320508019044");
        assert!(row.is_numeric(0));
        assert_eq!(row.cell(1), "养育巷社区");
        assert!(src.next_row(&mut row).unwrap());
        assert_eq!(row.row, 5);
        assert!(!row.is_numeric(0));
        assert!(!src.next_row(&mut row).unwrap());
    }

    #[test]
    fn empty_sheet_and_garbage() {
        let mut wb = Workbook::new();
        wb.add_worksheet();
        let bytes = wb.save_to_buffer().unwrap();
        assert!(matches!(
            XlsxSource::open(Cursor::new(bytes)),
            Err(SheetError::NoHeader)
        ));
        assert!(matches!(
            XlsxSource::open(Cursor::new(b"PK\x03\x04 not really".to_vec())),
            Err(SheetError::Xlsx(_))
        ));
    }

    #[test]
    fn numbers_as_text() {
        assert_eq!(cell_text(&Data::Float(6.0)), ("6".into(), true));
        assert_eq!(cell_text(&Data::Float(120.6189)), ("120.6189".into(), true));
        assert_eq!(
            cell_text(&Data::Float(3.2e11)),
            ("320000000000".into(), true)
        );
    }
}
