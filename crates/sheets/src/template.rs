//! An empty workbook to fill in: the header row on the first sheet, and a 填写说明 sheet that
//! explains each column and shows an example row.

use rust_xlsxwriter::{DataValidation, Format as CellFormat, Workbook};

use crate::columns::Column;
use crate::error::SheetError;
use crate::export::{MAX_SHEET_ROWS, Styles, write_header};
use crate::kind::Kind;

/// Name of the instructions sheet.
pub const INSTRUCTIONS_SHEET: &str = "填写说明";

fn input_prompt(column: &Column) -> Result<DataValidation, SheetError> {
    let required = if column.required {
        "必填"
    } else {
        "可不填"
    };
    let mut message = format!("{required}。{}", column.format_zh);
    if message.encode_utf16().count() > 255 {
        message = required.to_string();
    }
    let validation = if column.choices.is_empty() {
        DataValidation::new().allow_any_value()
    } else {
        DataValidation::new()
            .allow_list_strings(column.choices)?
            .set_error_title("取值无效")?
            .set_error_message(format!("请从下拉列表中选择：{}", column.choices.join("、")))?
    };
    Ok(validation
        .ignore_blank(true)
        .set_input_title(column.zh)?
        .set_input_message(message)?)
}

/// The template for `kind` as .xlsx bytes.
pub fn template(kind: Kind) -> Result<Vec<u8>, SheetError> {
    let columns = kind.columns();
    let styles = Styles::new();
    let mut workbook = Workbook::new();

    let sheet = workbook.add_worksheet();
    sheet.set_name(kind.zh())?;
    write_header(sheet, columns, &styles)?;
    for (c, column) in columns.iter().enumerate() {
        let c = c as u16;
        sheet.add_data_validation(1, c, (MAX_SHEET_ROWS - 1) as u32, c, &input_prompt(column)?)?;
    }

    let help = workbook.add_worksheet();
    help.set_name(INSTRUCTIONS_SHEET)?;
    let wrap = CellFormat::new().set_text_wrap();
    let title = CellFormat::new().set_bold().set_font_size(14);
    help.write_string_with_format(0, 0, format!("{}导入模板填写说明", kind.zh()), &title)?;
    help.write_string_with_format(
        1,
        0,
        format!(
            "在“{}”工作表中从第 2 行起每行填一条记录，不要修改第 1 行表头。表头也可写英文列名（如 {}）。\
             代码类列请保持文本格式，以免 Excel 去掉前导 0 或把长数字改写成科学计数法。\
             导入时任何一行有错，整个文件都不会导入，错误报告会列出行号、列名和原因。",
            kind.zh(),
            columns[0].key
        ),
        &wrap,
    )?;
    help.set_row_height(1, 60)?;
    let header_row = 3;
    let labels = [
        ("列名", 14.0),
        ("英文列名", 18.0),
        ("是否必填", 10.0),
        ("格式要求", 48.0),
        ("示例", 26.0),
        ("Format (English)", 48.0),
    ];
    for (c, (label, width)) in labels.iter().enumerate() {
        let c = c as u16;
        help.set_column_width(c, *width)?;
        help.write_string_with_format(header_row, c, *label, &styles.header)?;
    }
    for (i, column) in columns.iter().enumerate() {
        let r = header_row + 1 + i as u32;
        help.write_string(r, 0, column.zh)?;
        help.write_string(r, 1, column.key)?;
        help.write_string(
            r,
            2,
            if column.required {
                "必填"
            } else {
                "可不填"
            },
        )?;
        help.write_string_with_format(r, 3, column.format_zh, &wrap)?;
        help.write_string_with_format(r, 4, column.example, &styles.text)?;
        help.write_string_with_format(r, 5, column.format_en, &wrap)?;
    }

    // The example row, laid out exactly as on the first sheet.
    let example_title = header_row + columns.len() as u32 + 2;
    help.write_string_with_format(
        example_title,
        0,
        "示例行（仅供参考，请在第一个工作表中填写）",
        &styles.header,
    )?;
    for (c, column) in columns.iter().enumerate() {
        let c = c as u16;
        help.write_string_with_format(example_title + 1, c, column.zh, &styles.header)?;
        if column.numeric {
            let value: f64 = column.example.parse().map_err(|_| {
                SheetError::Write(format!("example of {} is not a number", column.key))
            })?;
            help.write_number(example_title + 2, c, value)?;
        } else {
            help.write_string_with_format(example_title + 2, c, column.example, &styles.text)?;
        }
    }

    Ok(workbook.save_to_buffer()?)
}
