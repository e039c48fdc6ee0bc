//! Loading a year's official working-day calendar (节假日安排), as the State Council publishes
//! it each autumn: from the import page, the API or `gongzhi import calendar FILE`. The whole
//! file is checked before anything is written; the years it lists replace what was stored for
//! them, in one transaction with the audit entry.

use gongzhi_domain::calendar::{CalendarDay, WorkCalendar};
use gongzhi_store::{Actor, Store};
use serde::Serialize;

use super::AppError;

/// What a load wrote.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarLoaded {
    /// The years replaced, ascending.
    pub years: Vec<i32>,
    /// Listed days written (holidays and make-up workdays).
    pub days: usize,
}

/// Checks `bytes` as a schedule file (`date,kind,name`, UTF-8) and stores its years.
pub async fn load_calendar(
    store: &Store,
    who: &Actor<'_>,
    bytes: &[u8],
    source: &str,
) -> Result<CalendarLoaded, AppError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        AppError::bad_input(
            "file",
            format!(
                "节假日安排文件不是 UTF-8 文本（第 {} 字节起），请另存为 UTF-8 CSV",
                e.valid_up_to() + 1
            ),
            format!(
                "the holiday schedule is not UTF-8 text (from byte {}); save it as UTF-8 CSV",
                e.valid_up_to() + 1
            ),
        )
    })?;
    let days: Vec<CalendarDay> = WorkCalendar::parse_csv(text)
        .map_err(AppError::Calendar)?
        .days()
        .collect();
    let years = store.replace_calendar_years(who, &days, source).await?;
    Ok(CalendarLoaded {
        years,
        days: days.len(),
    })
}
