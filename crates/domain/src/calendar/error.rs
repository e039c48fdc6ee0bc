//! Why a holiday schedule was rejected. Admins load next year's schedule by hand, so the error
//! names the line and what is wrong with it.

use std::fmt;

use super::Date;
use crate::Bilingual;

/// What is wrong with one line of a schedule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarFault {
    /// Not three comma-separated fields `date,kind,name`.
    FieldCount { found: usize },
    /// The first field is not a `YYYY-MM-DD` date.
    BadDate { text: String },
    /// The second field is not `holiday`/`workday` (or 休/班).
    BadKind { text: String },
    /// A make-up workday (调休上班) on Monday–Friday, which is a workday anyway: most likely
    /// the wrong date or the wrong kind.
    WorkdayOnWeekday { date: Date },
    /// The name is blank; the case page and the admin's list show it.
    BlankName,
    /// The same date appears twice; `first_line` is where it first appeared.
    Duplicate { date: Date, first_line: usize },
    /// The file lists no dates at all.
    Empty,
}

/// A rejected schedule; `line` counts from 1 and includes the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarError {
    pub line: usize,
    pub fault: CalendarFault,
}

impl CalendarError {
    /// The column at fault (`date`, `kind`, `name`), or `""` for the whole line or file.
    pub fn column(&self) -> &'static str {
        match self.fault {
            CalendarFault::BadDate { .. }
            | CalendarFault::Duplicate { .. }
            | CalendarFault::WorkdayOnWeekday { .. } => "date",
            CalendarFault::BadKind { .. } => "kind",
            CalendarFault::BlankName => "name",
            CalendarFault::FieldCount { .. } | CalendarFault::Empty => "",
        }
    }

    /// The offending value as written, where there is one.
    pub fn value(&self) -> String {
        match &self.fault {
            CalendarFault::BadDate { text } | CalendarFault::BadKind { text } => text.clone(),
            CalendarFault::Duplicate { date, .. } | CalendarFault::WorkdayOnWeekday { date } => {
                date.to_string()
            }
            CalendarFault::FieldCount { .. } | CalendarFault::BlankName | CalendarFault::Empty => {
                String::new()
            }
        }
    }
}

impl Bilingual for CalendarError {
    fn code(&self) -> &'static str {
        "invalid_calendar"
    }

    fn message_zh(&self) -> String {
        let what = match &self.fault {
            CalendarFault::FieldCount { found } => {
                format!("应为“日期,类型,名称”三列，实际 {found} 列")
            }
            CalendarFault::BadDate { text } => format!("“{text}”不是有效日期（应为 YYYY-MM-DD）"),
            CalendarFault::BadKind { text } => {
                format!("“{text}”不是有效类型（应为 holiday/休 或 workday/班）")
            }
            CalendarFault::Duplicate { date, first_line } => {
                format!("日期 {date} 重复（第 {first_line} 行已出现）")
            }
            CalendarFault::WorkdayOnWeekday { date } => format!(
                "{date} 是{}，本来就是工作日，不能标为调休上班（日期或类型有误）",
                date.weekday().zh()
            ),
            CalendarFault::BlankName => "名称为空（应为节日名称，如 元旦）".into(),
            CalendarFault::Empty => return "节假日安排文件中没有任何日期".into(),
        };
        format!("节假日安排第 {} 行：{what}", self.line)
    }

    fn message_en(&self) -> String {
        let what = match &self.fault {
            CalendarFault::FieldCount { found } => {
                format!("expected three fields date,kind,name, found {found}")
            }
            CalendarFault::BadDate { text } => format!("'{text}' is not a date (YYYY-MM-DD)"),
            CalendarFault::BadKind { text } => {
                format!("'{text}' is not a day kind (holiday/休 or workday/班)")
            }
            CalendarFault::Duplicate { date, first_line } => {
                format!("date {date} appears twice (first on line {first_line})")
            }
            CalendarFault::WorkdayOnWeekday { date } => format!(
                "{date} is a weekday, a workday anyway, so it cannot be a make-up workday (wrong date or kind)"
            ),
            CalendarFault::BlankName => "the name is blank (the holiday's name, e.g. 元旦)".into(),
            CalendarFault::Empty => return "the holiday schedule lists no dates".into(),
        };
        format!("holiday schedule line {}: {what}", self.line)
    }
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for CalendarError {}
