//! The official working-day calendar and deadline arithmetic for the closed loop.
//!
//! Deadlines are counted on the State Council's schedule: weekends are rest days, public
//! holidays are rest days, and make-up workdays (调休) are workdays even on a weekend. Dates
//! outside the loaded schedule fall back to Monday–Friday, so a calendar that has not been
//! given next year's schedule still produces deadlines (see [`WorkCalendar::covers`]).
//!
//! Times are unix milliseconds (`i64`); the calendar works in China Standard Time, UTC+8 with
//! no daylight saving, so the conversion is a fixed offset.
//!
//! **Working time.** A workday counts as 24 working hours, 00:00 to 24:00 CST; rest days count
//! nothing. Offices do not work around the clock, but deadlines are stated as "7 working days",
//! not office hours, and counting whole days means a case dispatched at 17:55 is due at 17:55,
//! not at an opening hour that differs between departments.

mod csv;
mod date;
mod duration;
mod error;
#[cfg(test)]
mod tests;
mod work_calendar;

pub use date::{Date, Weekday};
pub use duration::{Duration, TimeBasis};
pub use error::{CalendarError, CalendarFault};
pub use work_calendar::{CalendarDay, DayKind, WorkCalendar};

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;
/// Milliseconds in an hour.
pub const HOUR_MS: i64 = 3_600_000;
/// China Standard Time is UTC+8 all year.
pub const CST_OFFSET_MS: i64 = 8 * HOUR_MS;

/// The CST calendar date of an instant.
pub fn date_of(ms: i64) -> Date {
    Date::from_days((ms + CST_OFFSET_MS).div_euclid(DAY_MS))
}

/// The instant at which `date` begins in CST (00:00 CST).
pub fn start_of(date: Date) -> i64 {
    date.days() * DAY_MS - CST_OFFSET_MS
}

/// Milliseconds since 00:00 CST of the instant's own day (0 ≤ result < one day).
pub fn time_of_day(ms: i64) -> i64 {
    (ms + CST_OFFSET_MS).rem_euclid(DAY_MS)
}

/// `YYYY-MM-DD HH:MM` in CST, for messages and timelines.
pub fn format_cst(ms: i64) -> String {
    let minutes = time_of_day(ms) / 60_000;
    format!("{} {:02}:{:02}", date_of(ms), minutes / 60, minutes % 60)
}
