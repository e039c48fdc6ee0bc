//! Writing records as .xlsx or .csv with the Chinese headers. Personal data is masked unless
//! the caller passes `unmasked: true` (and records that it did: that is an audited act).

use std::io::Write;

use rust_xlsxwriter::{Color, Format as CellFormat, FormatBorder, Workbook, Worksheet};

use crate::columns::Column;
use crate::error::SheetError;
use crate::kind::{Format, Kind};
use crate::record::{CellValue, SheetRecord};
use crate::records::Records;

/// Rows in one worksheet, header included.
pub(crate) const MAX_SHEET_ROWS: usize = 1_048_576;

/// The cell styles every sheet we write shares.
pub(crate) struct Styles {
    pub header: CellFormat,
    pub text: CellFormat,
}

impl Styles {
    pub fn new() -> Styles {
        Styles {
            header: CellFormat::new()
                .set_bold()
                .set_background_color(Color::RGB(0xF2F2F2))
                .set_border_bottom(FormatBorder::Thin),
            // "@": the Text number format, so Excel keeps 0101 and 320508019044 as typed.
            text: CellFormat::new().set_num_format("@"),
        }
    }
}

/// Writes the header row of `columns` on `sheet`: bold, frozen, with column widths and the
/// text format on every non-numeric column (so that values typed later stay text too).
pub(crate) fn write_header(
    sheet: &mut Worksheet,
    columns: &[Column],
    styles: &Styles,
) -> Result<(), SheetError> {
    for (c, column) in columns.iter().enumerate() {
        let c = c as u16;
        sheet.set_column_width(c, column.width)?;
        if !column.numeric {
            sheet.set_column_format(c, &styles.text)?;
        }
        sheet.write_string_with_format(0, c, column.zh, &styles.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Writes one record row.
pub(crate) fn write_cells(
    sheet: &mut Worksheet,
    row: u32,
    cells: &[CellValue],
    styles: &Styles,
) -> Result<(), SheetError> {
    for (c, cell) in cells.iter().enumerate() {
        let c = c as u16;
        match cell {
            CellValue::Text(s) if s.is_empty() => {}
            CellValue::Text(s) => {
                sheet.write_string_with_format(row, c, s, &styles.text)?;
            }
            CellValue::Number(n) => {
                sheet.write_number(row, c, *n)?;
            }
        }
    }
    Ok(())
}

/// An .xlsx workbook with one worksheet named after the kind (e.g. `居民`).
pub fn export_xlsx<'a, R: SheetRecord + 'a>(
    records: impl IntoIterator<Item = &'a R>,
    unmasked: bool,
) -> Result<Vec<u8>, SheetError> {
    let kind = R::KIND;
    let columns = kind.columns();
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(kind.zh())?;
    write_header(sheet, columns, &styles)?;
    let mut rows = 0usize;
    for record in records {
        rows += 1;
        if rows >= MAX_SHEET_ROWS {
            return Err(SheetError::TooManyRows {
                max: MAX_SHEET_ROWS - 1,
            });
        }
        write_cells(sheet, rows as u32, &record.to_cells(unmasked), &styles)?;
    }
    if rows > 0 {
        sheet.autofilter(0, 0, rows as u32, columns.len() as u16 - 1)?;
    }
    Ok(workbook.save_to_buffer()?)
}

/// A cell as CSV text: numbers as they are, text guarded against formula injection.
fn csv_text(cell: &CellValue) -> String {
    match cell {
        CellValue::Text(s) => crate::formula::neutralise(s).into_owned(),
        CellValue::Number(_) => cell.to_text(),
    }
}

/// CSV in UTF-8 with a BOM (so that Excel shows the Chinese correctly), CRLF line ends.
/// Streams: `records` may be an iterator over a database cursor.
pub fn export_csv<'a, R: SheetRecord + 'a>(
    records: impl IntoIterator<Item = &'a R>,
    unmasked: bool,
    out: impl Write,
) -> Result<(), SheetError> {
    let write_err = |e: std::io::Error| SheetError::Write(e.to_string());
    let mut out = out;
    out.write_all(b"\xEF\xBB\xBF").map_err(write_err)?;
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let csv_err = |e: csv::Error| SheetError::Write(e.to_string());
    writer
        .write_record(R::KIND.columns().iter().map(|c| c.zh))
        .map_err(csv_err)?;
    for record in records {
        writer
            .write_record(record.to_cells(unmasked).iter().map(csv_text))
            .map_err(csv_err)?;
    }
    writer.flush().map_err(write_err)
}

/// Any kind, either format, in memory (the CLI's `export KIND FILE`).
pub fn export(records: &Records, format: Format, unmasked: bool) -> Result<Vec<u8>, SheetError> {
    fn go<R: SheetRecord>(
        records: &[R],
        format: Format,
        unmasked: bool,
    ) -> Result<Vec<u8>, SheetError> {
        match format {
            Format::Xlsx => export_xlsx(records, unmasked),
            Format::Csv => {
                let mut out = Vec::new();
                export_csv(records, unmasked, &mut out)?;
                Ok(out)
            }
        }
    }
    match records {
        Records::Areas(v) => go(v, format, unmasked),
        Records::Departments(v) => go(v, format, unmasked),
        Records::Buildings(v) => go(v, format, unmasked),
        Records::Households(v) => go(v, format, unmasked),
        Records::Residents(v) => go(v, format, unmasked),
    }
}

/// The Chinese header line of `kind`, e.g. for an empty CSV.
pub fn headers(kind: Kind) -> Vec<&'static str> {
    kind.columns().iter().map(|c| c.zh).collect()
}
