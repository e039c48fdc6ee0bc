//! Rows of the first worksheet of an xlsx workbook.

use std::io::{Read, Seek};

use calamine::{Cell, Data, DataRef, Range, Reader, Xlsx, XlsxError};

use super::{RawRow, RowSource, clean_header};
use crate::error::SheetError;

/// Excel's grid: 1,048,576 rows by 16,384 columns (A to XFD).
const GRID_ROWS: u32 = 1_048_576;
const GRID_COLUMNS: u32 = 16_384;
/// The most cells the used range (the box from the first to the last non-empty cell) may
/// span: the range is held in memory whole, empty cells included, so two cells far apart (A1
/// and XFD1048576: 17 billion cells) must be refused before anything is allocated. This allows
/// a full sheet 32 columns wide.
pub(crate) const MAX_RANGE_CELLS: u64 = 32 * GRID_ROWS as u64;
/// The most text the cells may hold together, and the most a workbook's shared strings may
/// unpack to: both are held in memory, and a few megabytes of zip can unpack to gigabytes.
pub(crate) const MAX_TEXT_BYTES: u64 = 1024 * 1024 * 1024;
const SHARED_STRINGS: &str = "xl/sharedStrings.xml";

/// Refuses a workbook whose shared strings unpack to more than [`MAX_TEXT_BYTES`], by
/// unpacking them once into nothing (calamine reads them whole when it opens the workbook,
/// and a zip's declared sizes may lie).
fn check_shared_strings<R: Read + Seek>(input: &mut R, max: u64) -> Result<(), SheetError> {
    let unreadable = |e: zip::result::ZipError| SheetError::Xlsx(e.to_string());
    let mut archive = zip::ZipArchive::new(&mut *input).map_err(unreadable)?;
    let names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .filter(|n| n.eq_ignore_ascii_case(SHARED_STRINGS))
        .map(|n| n.into_owned())
        .collect();
    for name in names {
        let entry = archive.by_name(&name).map_err(unreadable)?;
        let unpacked = std::io::copy(&mut entry.take(max + 1), &mut std::io::sink())
            .map_err(|e| SheetError::Xlsx(e.to_string()))?;
        if unpacked > max {
            return Err(SheetError::Xlsx(format!(
                "the shared strings unpack to more than {max} bytes"
            )));
        }
    }
    input
        .seek(std::io::SeekFrom::Start(0))
        .map_err(|e| SheetError::Xlsx(e.to_string()))?;
    Ok(())
}

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
    pub fn open<R: Read + Seek>(mut input: R) -> Result<Self, SheetError> {
        check_shared_strings(&mut input, MAX_TEXT_BYTES)?;
        let mut workbook: Xlsx<R> = calamine::open_workbook_from_rs(input)
            .map_err(|e: XlsxError| SheetError::Xlsx(e.to_string()))?;
        let first = workbook
            .sheet_names()
            .first()
            .cloned()
            .ok_or(SheetError::NoWorksheet)?;
        let range = read_range(&mut workbook, &first)?;
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

/// The non-empty cells of worksheet `name` as a range, as calamine's `worksheet_range` builds
/// it, but with every cell checked to lie on Excel's grid and the size of the range checked
/// before it is allocated: calamine sizes the range by its extreme cells, so a few hundred bytes
/// of worksheet XML could otherwise ask for hundreds of gigabytes and abort the process.
fn read_range<R: Read + Seek>(
    workbook: &mut Xlsx<R>,
    name: &str,
) -> Result<Range<Data>, SheetError> {
    let unreadable = |e: XlsxError| SheetError::Xlsx(e.to_string());
    let mut reader = match workbook.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        // A chart sheet or the like first: no cells, as calamine's own range reader has it.
        Err(XlsxError::NotAWorksheet(_)) => return Ok(Range::default()),
        Err(e) => return Err(unreadable(e)),
    };
    let mut cells = Vec::new();
    let mut text_bytes = 0u64;
    let (mut top, mut bottom, mut left, mut right) = (u32::MAX, 0, u32::MAX, 0);
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (row, column) = cell.get_position();
        if row >= GRID_ROWS || column >= GRID_COLUMNS {
            return Err(SheetError::Xlsx(format!(
                "a cell lies outside the worksheet grid (row {}, column {})",
                u64::from(row) + 1,
                u64::from(column) + 1
            )));
        }
        if *cell.get_value() == DataRef::Empty {
            continue;
        }
        (top, bottom) = (top.min(row), bottom.max(row));
        (left, right) = (left.min(column), right.max(column));
        // Checked as the cells arrive, not after: a compact zip can list billions of cells
        // (or one cell many times), and every one would be held first.
        let (rows, columns) = (bottom - top + 1, right - left + 1);
        if u64::from(rows) * u64::from(columns) > MAX_RANGE_CELLS
            || cells.len() as u64 >= MAX_RANGE_CELLS
        {
            return Err(SheetError::Xlsx(format!(
                "the used range is too large: {rows} rows by {columns} columns \
                 (at most {MAX_RANGE_CELLS} cells); delete stray cells far from the table"
            )));
        }
        let value = Data::from(cell.get_value().clone());
        if let Data::String(s) = &value {
            text_bytes += s.len() as u64;
            if text_bytes > MAX_TEXT_BYTES {
                return Err(SheetError::Xlsx(format!(
                    "the cells hold more than {} MB of text",
                    MAX_TEXT_BYTES / 1024 / 1024
                )));
            }
        }
        cells.push(Cell::new((row, column), value));
    }
    Ok(Range::from_sparse(cells))
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
        // Cells by index: calamine's `Rows` has no `nth` of its own, so `rows().nth(i)` walks i
        // rows, and reading a sheet row by row that way cost n²/2 steps (a 1,000,000-row sheet
        // did not finish in 15 minutes).
        let width = self.range.width();
        while self.next < self.range.height() {
            row.clear();
            row.row = self.range_start + self.next + 1;
            for column in 0..width {
                push_cell(
                    row,
                    self.range.get((self.next, column)).unwrap_or(&Data::Empty),
                );
            }
            self.next += 1;
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

    /// A worksheet part with the given `<sheetData>` rows, packed into a workbook.
    fn workbook_with_rows(rows: &str) -> Vec<u8> {
        let ns = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#;
        let parts = [
            (
                "[Content_Types].xml",
                r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#.to_string(),
            ),
            (
                "_rels/.rels",
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
            ),
            (
                "xl/workbook.xml",
                format!(r#"<workbook {ns} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
            ),
            (
                "xl/worksheets/sheet1.xml",
                format!("<worksheet {ns}><sheetData>{rows}</sheetData></worksheet>"),
            ),
        ];
        stored_zip(&parts)
    }

    /// A zip archive of uncompressed entries (the crate has no zip writer of its own).
    fn stored_zip(files: &[(&str, String)]) -> Vec<u8> {
        fn crc32(bytes: &[u8]) -> u32 {
            let mut crc = !0u32;
            for &b in bytes {
                crc ^= u32::from(b);
                for _ in 0..8 {
                    crc = if crc & 1 == 1 {
                        (crc >> 1) ^ 0xEDB8_8320
                    } else {
                        crc >> 1
                    };
                }
            }
            !crc
        }
        let (mut out, mut central) = (Vec::new(), Vec::new());
        for (name, text) in files {
            let (name, data) = (name.as_bytes(), text.as_bytes());
            let offset = out.len() as u32;
            let mut common = Vec::new();
            for v in [20u16, 0, 0, 0, 0x21] {
                common.extend_from_slice(&v.to_le_bytes()); // version, flags, stored, time, date
            }
            for v in [crc32(data), data.len() as u32, data.len() as u32] {
                common.extend_from_slice(&v.to_le_bytes());
            }
            common.extend_from_slice(&(name.len() as u16).to_le_bytes());
            common.extend_from_slice(&0u16.to_le_bytes()); // extra field length
            out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
            out.extend_from_slice(&common);
            out.extend_from_slice(name);
            out.extend_from_slice(data);
            central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            central.extend_from_slice(&20u16.to_le_bytes()); // made by
            central.extend_from_slice(&common);
            central.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
            central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name);
        }
        let (cd_offset, cd_size) = (out.len() as u32, central.len() as u32);
        out.extend_from_slice(&central);
        out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        out.extend_from_slice(&[0; 4]); // disk numbers
        let n = files.len() as u16;
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&cd_size.to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // comment length
        out
    }

    fn cell(r: &str, text: &str) -> String {
        format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
    }

    /// Found by fuzzing (fuzz/ sheet_xlsx): two cells far apart made calamine allocate the whole
    /// range between them (here 17 billion cells, 512 GiB) and the process abort.
    #[test]
    fn shared_strings_that_unpack_too_far_are_refused_before_calamine_reads_them() {
        let strings = format!(
            "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>{}</t></si></sst>",
            "x".repeat(5000)
        );
        let zip = stored_zip(&[("xl/sharedStrings.xml", strings)]);
        let mut input = std::io::Cursor::new(zip);
        let e = check_shared_strings(&mut input, 1000).unwrap_err();
        assert!(e.to_string().contains("more than 1000 bytes"), "{e}");
        assert!(check_shared_strings(&mut input, 10_000).is_ok());
        assert_eq!(input.position(), 0, "rewound for calamine");
    }

    #[test]
    fn far_apart_cells_are_refused_not_allocated() {
        let rows = format!(
            r#"<row r="1">{}</row><row r="1048576">{}</row>"#,
            cell("A1", "身份证号"),
            cell("XFD1048576", "x")
        );
        let err = XlsxSource::open(Cursor::new(workbook_with_rows(&rows))).err();
        assert!(
            matches!(&err, Some(SheetError::Xlsx(m)) if m.contains("too large")),
            "{err:?}"
        );
    }

    #[test]
    fn cells_off_the_grid_are_refused() {
        for r in ["A1048577", "XFE1", "A4294967295"] {
            let rows = format!(r#"<row r="1">{}{}</row>"#, cell("A1", "姓名"), cell(r, "x"));
            let err = XlsxSource::open(Cursor::new(workbook_with_rows(&rows))).err();
            assert!(
                matches!(&err, Some(SheetError::Xlsx(m)) if m.contains("outside")),
                "{r}: {err:?}"
            );
        }
        // A wide but legitimate table still reads.
        let rows = format!(
            r#"<row r="1">{}{}</row><row r="2">{}</row>"#,
            cell("A1", "姓名"),
            cell("AF1", "备注"),
            cell("A2", "张伟")
        );
        let mut src = XlsxSource::open(Cursor::new(workbook_with_rows(&rows))).unwrap();
        assert_eq!(src.headers().len(), 32);
        let mut row = RawRow::default();
        assert!(src.next_row(&mut row).unwrap());
        assert_eq!((row.row, row.cell(0)), (2, "张伟"));
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
