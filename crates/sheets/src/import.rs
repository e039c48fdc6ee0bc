//! Parsing a whole file into records: every row checked, every bad row reported, and either all
//! records or none.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};
use std::path::Path;

use gongzhi_store::records::{
    AreaRecord, BuildingRecord, DepartmentRecord, HouseholdRecord, ResidentRecord,
};

use crate::error::SheetError;
use crate::header::{HeaderMap, column_letters, map_headers};
use crate::kind::{Format, Kind};
use crate::record::{CellErrors, Cells, SheetRecord};
use crate::records::Records;
use crate::report::{ImportReport, RowError};
use crate::source::{self, RawRow};

/// Progress callback: rows read so far, and the total when the format tells it up front
/// (xlsx: yes; CSV: no, it is streamed).
pub type Progress<'a> = &'a mut dyn FnMut(usize, Option<usize>);

/// How often, in rows, the progress callback is called (plus once at the start and the end).
const PROGRESS_EVERY: usize = 4096;

/// Reads and checks every row, handing each good record to `sink` as it goes, so that a huge
/// file never has to sit in memory as records.
///
/// `sink` gets each record with its row number in the file (the header is row 1).
/// Returns the number of records delivered. On `Err` the file is refused as a whole: the caller
/// must throw away whatever `sink` received (for a database, roll the transaction back). Once
/// one bad row is found `sink` is not called again, but reading goes on to list every bad row.
pub fn parse_each<R: SheetRecord>(
    format: Format,
    input: impl Read + Seek,
    progress: Progress<'_>,
    sink: &mut dyn FnMut(usize, R),
) -> Result<usize, ImportReport> {
    let kind = R::KIND;
    let mut input = input;
    let lines = match format {
        Format::Csv => {
            count_lines(&mut input).map_err(|e| ImportReport::file_error(kind, vec![e]))?
        }
        Format::Xlsx => 0,
    };
    let mut source =
        source::open(format, input).map_err(|e| ImportReport::file_error(kind, vec![e]))?;
    let headers = source.headers().to_vec();
    let map = match map_headers(kind, &headers) {
        Ok(map) => map,
        Err(errors) => {
            let mut report = ImportReport::file_error(kind, errors);
            report.headers = headers;
            return Err(report);
        }
    };
    let total = source.total();
    let first_column = source.first_column();
    let mut report = ImportReport::new(kind);
    report.headers = headers;
    report.set_first_column(first_column);
    // Each key's first row, and its values when a repeat of them is taken once.
    // Room for every row up front: growing the table a row at a time moved it a dozen times
    // and was a fifth of a large import's reading. The value is packed (row, fingerprint):
    // a million residents' keys take 40 MB, not the 80 of a padded tuple.
    let room = total.unwrap_or(lines).min(MAX_ROWS_RESERVED);
    let mut seen: HashMap<R::Key, (u32, Fingerprint)> = HashMap::with_capacity(room);
    let mut row = RawRow::default();
    let mut cell_errors = CellErrors::new(kind);
    let mut delivered = 0;
    progress(0, total);
    loop {
        match source.next_row(&mut row) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                report.file_errors.push(e);
                return Err(report);
            }
        }
        report.rows_read += 1;
        let cells = Cells {
            row: &row,
            source: &map.source,
        };
        cell_errors.clear();
        let record = R::from_cells(&cells, &mut cell_errors);
        let mut errors = row_errors(kind, &cells, &cell_errors);
        check_row_shape(&row, &map, &report.headers, first_column, &mut errors);
        if let Some(record) = record {
            let values = if R::REPEATS_TAKEN_ONCE {
                values_of(&record)
            } else {
                NO_FINGERPRINT
            };
            match seen.entry(record.key()) {
                Entry::Occupied(first) => {
                    let (first_row, first_values) = *first.get();
                    if !R::REPEATS_TAKEN_ONCE || values != first_values {
                        errors.push(duplicate::<R>(kind, &cells, first_row as usize));
                    }
                }
                Entry::Vacant(slot) => {
                    slot.insert((u32::try_from(row.row).unwrap_or(u32::MAX), values));
                    if errors.is_empty() && !report.has_errors() {
                        sink(row.row, record);
                        delivered += 1;
                    }
                }
            }
        }
        if !errors.is_empty() {
            report.add_row(errors, || row.to_vec());
        }
        if report.rows_read.is_multiple_of(PROGRESS_EVERY) {
            progress(report.rows_read, total);
        }
    }
    progress(report.rows_read, total);
    if report.has_errors() {
        Err(report)
    } else {
        Ok(delivered)
    }
}

/// The most rows reserved before reading: a sheet can have no more than Excel's 1,048,576 and
/// a CSV that claims more lines is reserved for as it grows.
const MAX_ROWS_RESERVED: usize = 4 << 20;

/// The line breaks in `input` (an upper bound of its rows); it is left at its start.
fn count_lines(input: &mut (impl Read + Seek)) -> Result<usize, SheetError> {
    let io = |e: std::io::Error| SheetError::Io(e.to_string());
    let mut buf = vec![0u8; 1 << 16];
    let mut lines = 0;
    loop {
        let n = input.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
    }
    input.seek(std::io::SeekFrom::Start(0)).map_err(io)?;
    Ok(lines)
}

fn row_errors(kind: Kind, cells: &Cells<'_>, found: &CellErrors) -> Vec<RowError> {
    let columns = kind.columns();
    found
        .errors
        .iter()
        .map(|(column, e)| RowError {
            row: cells.row(),
            column: columns[*column].zh.to_string(),
            value: cells.get(*column).to_string(),
            message_zh: e.zh.clone(),
            message_en: e.en.clone(),
        })
        .collect()
}

/// Cells under no header, and cells the file's encoding could not decode.
fn check_row_shape(
    row: &RawRow,
    map: &HeaderMap,
    headers: &[String],
    first_column: usize,
    errors: &mut Vec<RowError>,
) {
    let letters = |i: usize| format!("第{}列", column_letters(first_column + i));
    if let Some(i) = row.bad_encoding {
        errors.push(RowError {
            row: row.row,
            column: headers
                .get(i)
                .filter(|h| !h.is_empty())
                .cloned()
                .unwrap_or_else(|| letters(i)),
            value: row.cell(i).to_string(),
            message_zh: "含有无法识别的字符：文件不是有效的 UTF-8 编码，请另存为“CSV UTF-8”或 .xlsx"
                .into(),
            message_en: "holds unreadable characters: the file is not valid UTF-8; save it as \"CSV UTF-8\" or .xlsx"
                .into(),
        });
    }
    let stray = map
        .unnamed
        .iter()
        .copied()
        .chain(map.width..row.len())
        .filter(|&i| !row.cell(i).is_empty());
    for i in stray {
        errors.push(RowError {
            row: row.row,
            column: letters(i),
            value: row.cell(i).to_string(),
            message_zh: "该列没有表头，无法识别这个值".into(),
            message_en: "this column has no header, so the value cannot be placed".into(),
        });
    }
}

/// A fingerprint of the record's values: a national division table has 650,000 rows, and
/// keeping each one's text to compare a later repeat with cost more memory than the import.
/// 128 bits: two different rows share one by chance about once in 10²⁶ imports of that size.
fn values_of<R: SheetRecord>(record: &R) -> Fingerprint {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for c in record.to_cells(true) {
        h.update(c.to_text().as_bytes());
        h.update([0x1f]);
    }
    let d = h.finalize();
    d[..16].try_into().expect("16 bytes of 32")
}

/// The first 16 bytes of a SHA-256 of a record's values (bytes, not `u128`: no padding in
/// the table of keys seen).
type Fingerprint = [u8; 16];

/// The fingerprint of a kind whose repeats are always refused: never compared.
const NO_FINGERPRINT: Fingerprint = [0; 16];

fn duplicate<R: SheetRecord>(kind: Kind, cells: &Cells<'_>, first: usize) -> RowError {
    let column = &kind.columns()[R::KEY_COLUMN];
    let (differ_zh, differ_en) = if R::REPEATS_TAKEN_ONCE {
        ("而其他内容不同", " but other values differ")
    } else {
        ("", "")
    };
    RowError {
        row: cells.row(),
        column: column.zh.to_string(),
        value: cells.get(R::KEY_COLUMN).to_string(),
        message_zh: format!(
            "与第{first}行重复：第{first}行和第{}行的{}相同{differ_zh}",
            cells.row(),
            column.zh
        ),
        message_en: format!(
            "duplicate of row {first}: rows {first} and {} have the same {}{differ_en}",
            cells.row(),
            column.key
        ),
    }
}

/// Reads every row into records, or refuses the whole file.
pub fn parse<R: SheetRecord>(
    format: Format,
    input: impl Read + Seek,
    progress: Progress<'_>,
) -> Result<Vec<R>, ImportReport> {
    let mut records = Vec::new();
    parse_each(format, input, progress, &mut |_, r| records.push(r))?;
    Ok(records)
}

/// Like [`parse`], with the format taken from the file extension.
pub fn parse_file<R: SheetRecord>(
    path: &Path,
    progress: Progress<'_>,
) -> Result<Vec<R>, ImportReport> {
    let refuse = |e: SheetError| ImportReport::file_error(R::KIND, vec![e]);
    let format = Format::from_path(path).map_err(refuse)?;
    let file = File::open(path).map_err(|e| refuse(SheetError::Io(e.to_string())))?;
    parse(format, BufReader::new(file), progress)
}

/// Like [`parse`], for an uploaded file in memory; the format is recognised from the content.
pub fn parse_bytes<R: SheetRecord>(
    bytes: &[u8],
    progress: Progress<'_>,
) -> Result<Vec<R>, ImportReport> {
    parse(Format::sniff(bytes), Cursor::new(bytes), progress)
}

/// Parses a file of any kind, chosen at run time (the CLI's `import KIND FILE`).
pub fn parse_kind(
    kind: Kind,
    format: Format,
    input: impl Read + Seek,
    progress: Progress<'_>,
) -> Result<Records, ImportReport> {
    fn go<R: SheetRecord>(
        format: Format,
        input: impl Read + Seek,
        progress: Progress<'_>,
    ) -> Result<Records, ImportReport> {
        parse::<R>(format, input, progress).map(R::into_records)
    }
    match kind {
        Kind::Areas => go::<AreaRecord>(format, input, progress),
        Kind::Departments => go::<DepartmentRecord>(format, input, progress),
        Kind::Buildings => go::<BuildingRecord>(format, input, progress),
        Kind::Households => go::<HouseholdRecord>(format, input, progress),
        Kind::Residents => go::<ResidentRecord>(format, input, progress),
    }
}

/// 行政区划 (区划代码, 名称).
pub fn parse_areas(
    format: Format,
    input: impl Read + Seek,
    progress: Progress<'_>,
) -> Result<Vec<AreaRecord>, ImportReport> {
    parse(format, input, progress)
}

/// 职能部门 (部门代码, 部门名称).
pub fn parse_departments(
    format: Format,
    input: impl Read + Seek,
    progress: Progress<'_>,
) -> Result<Vec<DepartmentRecord>, ImportReport> {
    parse(format, input, progress)
}

/// 楼栋 (楼栋编号, 所属网格, 楼栋名称, 地址, 经度, 纬度, 层数).
pub fn parse_buildings(
    format: Format,
    input: impl Read + Seek,
    progress: Progress<'_>,
) -> Result<Vec<BuildingRecord>, ImportReport> {
    parse(format, input, progress)
}

/// 户 (户编号, 楼栋编号, 房号, 户别).
pub fn parse_households(
    format: Format,
    input: impl Read + Seek,
    progress: Progress<'_>,
) -> Result<Vec<HouseholdRecord>, ImportReport> {
    parse(format, input, progress)
}

/// 居民 (身份证号, 姓名, 手机号, 户编号, 与户主关系, 政治面貌).
pub fn parse_residents(
    format: Format,
    input: impl Read + Seek,
    progress: Progress<'_>,
) -> Result<Vec<ResidentRecord>, ImportReport> {
    parse(format, input, progress)
}
