//! The error report as a workbook: each bad row as it was in the file, with its row number and
//! an 错误 column, the faulty cells shaded.

use rust_xlsxwriter::{Color, Format as CellFormat, Workbook};

use crate::error::SheetError;
use crate::export::Styles;
use crate::header::column_letters;
use crate::report::ImportReport;

use gongzhi_domain::Bilingual;

/// Name of the sheet listing the bad rows.
pub const ERROR_SHEET: &str = "错误报告";

impl ImportReport {
    /// An .xlsx with sheet 错误报告: `行号`, the file's own columns, then `错误` (every message
    /// for that row, Chinese then English). Cells at fault are shaded. When the file itself
    /// was refused (unreadable, wrong columns) the sheet lists those problems instead.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, SheetError> {
        let styles = Styles::new();
        let bad = CellFormat::new()
            .set_background_color(Color::RGB(0xFFC7CE))
            .set_num_format("@");
        let wrap = CellFormat::new().set_text_wrap();
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name(ERROR_SHEET)?;

        sheet.set_column_width(0, 8)?;
        sheet.write_string_with_format(0, 0, "行号", &styles.header)?;
        let error_col = (self.headers.len() + 1) as u16;
        for (i, h) in self.headers.iter().enumerate() {
            let c = (i + 1) as u16;
            let width = self
                .kind
                .columns()
                .iter()
                .find(|col| col.matches(h))
                .map_or(14.0, |col| col.width);
            sheet.set_column_width(c, width)?;
            sheet.write_string_with_format(0, c, h, &styles.header)?;
        }
        sheet.set_column_width(error_col, 60)?;
        sheet.write_string_with_format(0, error_col, "错误", &styles.header)?;
        sheet.set_freeze_panes(1, 1)?;

        let mut r = 1u32;
        for e in &self.file_errors {
            sheet.write_string_with_format(
                r,
                error_col,
                format!("{}\n{}", e.message_zh(), e.message_en()),
                &wrap,
            )?;
            r += 1;
        }

        let mut listed = self.row_errors.iter().peekable();
        while let Some(first) = listed.next() {
            let row = first.row;
            let mut errors = vec![first];
            while let Some(e) = listed.next_if(|e| e.row == row) {
                errors.push(e);
            }
            sheet.write_number(r, 0, row as f64)?;
            let original = self.original_row(row).unwrap_or_default();
            for (i, value) in original.iter().enumerate() {
                let header = self.headers.get(i).map(String::as_str).unwrap_or_default();
                let letters = format!("第{}列", column_letters(self.first_column() + i));
                let at_fault = errors
                    .iter()
                    .any(|e| e.column == header || e.column == letters);
                let format = if at_fault { &bad } else { &styles.text };
                sheet.write_string_with_format(r, (i + 1) as u16, value, format)?;
            }
            let text = errors
                .iter()
                .map(|e| format!("{}：{}", e.column, e.message_zh))
                .chain(
                    errors
                        .iter()
                        .map(|e| format!("{}: {}", e.column, e.message_en)),
                )
                .collect::<Vec<_>>()
                .join("\n");
            sheet.write_string_with_format(r, error_col, text, &wrap)?;
            r += 1;
        }
        if self.is_truncated() {
            let rest = self.total_row_errors - self.row_errors.len();
            sheet.write_string(
                r,
                error_col,
                format!("……另有 {rest} 处错误未列出 / … {rest} more errors not listed"),
            )?;
        }

        let summary = workbook.add_worksheet();
        summary.set_name("汇总")?;
        summary.set_column_width(0, 100)?;
        summary.write_string_with_format(0, 0, self.message_zh(), &wrap)?;
        summary.write_string_with_format(1, 0, self.message_en(), &wrap)?;
        Ok(workbook.save_to_buffer()?)
    }
}
