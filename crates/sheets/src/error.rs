//! Problems with a file as a whole (unreadable, wrong columns) and with writing one.
//! Problems with single rows are [`crate::RowError`]s.

use std::fmt;

use gongzhi_domain::Bilingual;

/// A file-level failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SheetError {
    /// The file could not be read from disk or stream.
    Io(String),
    /// Not a readable xlsx workbook.
    Xlsx(String),
    /// Not readable as CSV.
    Csv(String),
    /// A text file in an encoding other than UTF-8 or GB18030 (Excel's UTF-16 "Unicode text").
    Encoding,
    /// The workbook has no worksheet.
    NoWorksheet,
    /// The first sheet (or CSV file) is empty: no header row.
    NoHeader,
    /// Header cells that name no column of this kind; `expected` lists the Chinese headers.
    UnknownColumns {
        columns: Vec<String>,
        expected: Vec<&'static str>,
    },
    /// Required columns absent from the header row (Chinese headers).
    MissingColumns(Vec<String>),
    /// Two header cells name the same column (e.g. `身份证号` and `id_number`).
    DuplicateColumn {
        column: &'static str,
        first: String,
        second: String,
    },
    /// `Kind::parse` got a word it does not know.
    UnknownKind(String),
    /// Neither `.xlsx` nor `.csv`.
    UnknownFormat(String),
    /// Writing a workbook or CSV failed.
    Write(String),
    /// More records than one worksheet holds.
    TooManyRows { max: usize },
}

fn join(items: &[impl AsRef<str>], sep: &str) -> String {
    items
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(sep)
}

impl Bilingual for SheetError {
    fn code(&self) -> &'static str {
        match self {
            SheetError::Io(_) => "sheet_read_failed",
            SheetError::Xlsx(_) | SheetError::Csv(_) => "sheet_unreadable",
            SheetError::Encoding => "sheet_bad_encoding",
            SheetError::NoWorksheet => "sheet_no_worksheet",
            SheetError::NoHeader => "sheet_no_header",
            SheetError::UnknownColumns { .. } => "sheet_unknown_columns",
            SheetError::MissingColumns(_) => "sheet_missing_columns",
            SheetError::DuplicateColumn { .. } => "sheet_duplicate_column",
            SheetError::UnknownKind(_) => "unknown_sheet_kind",
            SheetError::UnknownFormat(_) => "unknown_sheet_format",
            SheetError::Write(_) => "sheet_write_failed",
            SheetError::TooManyRows { .. } => "sheet_too_many_rows",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            SheetError::Io(e) => format!("读取文件失败：{e}"),
            SheetError::Xlsx(e) => format!("无法读取 xlsx 工作簿：{e}"),
            SheetError::Csv(e) => format!("无法读取 CSV 文件：{e}"),
            SheetError::Encoding => {
                "文件是 UTF-16 编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx".into()
            }
            SheetError::NoWorksheet => "工作簿中没有工作表".into(),
            SheetError::NoHeader => "文件为空：第一行应为表头".into(),
            SheetError::UnknownColumns { columns, expected } => format!(
                "无法识别的列：{}（可用的列：{}）",
                join(columns, "、"),
                join(expected, "、")
            ),
            SheetError::MissingColumns(cols) => format!("缺少必填列：{}", join(cols, "、")),
            SheetError::DuplicateColumn {
                column,
                first,
                second,
            } => format!("表头中“{first}”和“{second}”都表示{column}列，只能保留一个"),
            SheetError::UnknownKind(k) => format!(
                "未知的数据类别“{k}”：应为 areas（行政区划）、departments（职能部门）、buildings（楼栋）、households（户）或 residents（居民）"
            ),
            SheetError::UnknownFormat(p) => {
                format!("无法识别文件格式“{p}”：只支持 .xlsx 和 .csv")
            }
            SheetError::Write(e) => format!("写出表格失败：{e}"),
            SheetError::TooManyRows { max } => {
                format!("记录超过一个工作表的上限 {max} 行；请改用 CSV 导出")
            }
        }
    }

    fn message_en(&self) -> String {
        match self {
            SheetError::Io(e) => format!("could not read the file: {e}"),
            SheetError::Xlsx(e) => format!("not a readable xlsx workbook: {e}"),
            SheetError::Csv(e) => format!("not a readable CSV file: {e}"),
            SheetError::Encoding => {
                "the file is UTF-16 text: save it from Excel as \"CSV UTF-8 (comma delimited)\" or .xlsx"
                    .into()
            }
            SheetError::NoWorksheet => "the workbook has no worksheet".into(),
            SheetError::NoHeader => "the file is empty: the first row must be the header".into(),
            SheetError::UnknownColumns { columns, expected } => format!(
                "unknown columns: {} (known columns: {})",
                join(columns, ", "),
                join(expected, ", ")
            ),
            SheetError::MissingColumns(cols) => {
                format!("required columns missing: {}", join(cols, ", "))
            }
            SheetError::DuplicateColumn {
                column,
                first,
                second,
            } => format!(
                "headers \"{first}\" and \"{second}\" both name column {column}; keep only one"
            ),
            SheetError::UnknownKind(k) => format!(
                "unknown kind \"{k}\": expected areas, departments, buildings, households or residents"
            ),
            SheetError::UnknownFormat(p) => {
                format!("unknown file format \"{p}\": only .xlsx and .csv are supported")
            }
            SheetError::Write(e) => format!("could not write the sheet: {e}"),
            SheetError::TooManyRows { max } => format!(
                "more records than the worksheet limit of {max} rows; export as CSV instead"
            ),
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            SheetError::UnknownColumns { columns, .. } => Some(join(columns, ",")),
            SheetError::MissingColumns(cols) => Some(join(cols, ",")),
            SheetError::DuplicateColumn { column, .. } => Some((*column).to_string()),
            _ => None,
        }
    }
}

impl fmt::Display for SheetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for SheetError {}

impl From<rust_xlsxwriter::XlsxError> for SheetError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        SheetError::Write(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_errors_name_the_columns() {
        let e = SheetError::MissingColumns(vec!["身份证号".into(), "姓名".into()]);
        assert_eq!(e.message_zh(), "缺少必填列：身份证号、姓名");
        assert_eq!(e.message_en(), "required columns missing: 身份证号, 姓名");
        assert_eq!(e.code(), "sheet_missing_columns");
        assert_eq!(e.field().as_deref(), Some("身份证号,姓名"));

        let e = SheetError::UnknownColumns {
            columns: vec!["备注".into()],
            expected: vec!["区划代码", "名称"],
        };
        assert_eq!(
            e.message_zh(),
            "无法识别的列：备注（可用的列：区划代码、名称）"
        );
        assert_eq!(e.to_string(), e.message_en());
    }
}
