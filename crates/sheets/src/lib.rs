//! Population spreadsheets (人口信息表): import of `.xlsx` and `.csv` files with Chinese
//! headers, export, and empty templates.
//!
//! - **Import** ([`parse`], [`parse_each`], [`parse_residents`] …): the first row is the header
//!   (Chinese column names, or the English keys); every data row is checked with the domain
//!   parsers; duplicates within the file are caught. A file is accepted whole or refused whole:
//!   the [`ImportReport`] lists every bad row (up to [`MAX_LISTED_ERRORS`]) by row number as seen
//!   in Excel, column and reason, and renders as text or as an error workbook.
//! - **Export** ([`export_xlsx`], [`export_csv`], [`export`]): Chinese headers, bold frozen
//!   header row, codes stored as text; 身份证号 and 手机号 masked unless `unmasked` is set —
//!   the caller decides and writes the audit record. CSV text that a spreadsheet would run as a
//!   formula is written with a leading `'` ([`neutralise`]).
//! - **Templates** ([`template`]): the header row plus a 填写说明 sheet.
//!
//! CSV is read as UTF-8 (with or without BOM) or GB18030/GBK, and streamed.

mod columns;
mod error;
mod export;
mod fields;
mod formula;
mod header;
mod import;
mod kind;
mod record;
mod records;
mod report;
mod report_xlsx;
mod source;
mod table;
mod template;

#[cfg(test)]
mod tests;

pub use columns::{Column, HOUSEHOLD_KINDS, POLITICAL_STATUSES, RELATIONS};
pub use error::SheetError;
pub use export::{export, export_csv, export_xlsx, headers};
pub use formula::neutralise;
pub use import::{
    Progress, parse, parse_areas, parse_buildings, parse_bytes, parse_departments, parse_each,
    parse_file, parse_households, parse_kind, parse_residents,
};
pub use kind::{Format, Kind};
pub use record::{CellErrors, CellValue, Cells, Invalid, SheetRecord};
pub use records::Records;
pub use report::{ImportReport, MAX_LISTED_ERRORS, RowError};
pub use report_xlsx::ERROR_SHEET;
pub use table::{Table, TableRow, read_table, write_table};
pub use template::{INSTRUCTIONS_SHEET, template};
