//! The official working-day calendar and deadline arithmetic for the closed loop.
//!
//! Deadlines are counted on the State Council's schedule: weekends are rest days, public
//! holidays are rest days, and make-up workdays (调休) are workdays even on a weekend. Dates
//! outside the loaded schedule fall back to Monday–Friday, so a calendar that has not been
//! given next year's schedule still produces deadlines (see [`WorkCalendar::covers`]).
//!
//! Times are unix milliseconds (`i64`); the calendar works in China Standard Time, UTC+8 with
//! no daylight saving, so the conversion is a fixed offset ([`CST`], through jiff).
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

use jiff::Timestamp;
use jiff::civil;
use jiff::tz::{self, Offset};

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;
/// Milliseconds in an hour.
pub const HOUR_MS: i64 = 3_600_000;
/// China Standard Time is UTC+8 all year.
pub const CST_OFFSET_MS: i64 = 8 * HOUR_MS;

/// China Standard Time as a jiff offset: fixed at +08:00 for every date, as China has kept it
/// since 1991 (no tz database, so no summer time for older dates either).
pub const CST: Offset = tz::offset(8);

/// The CST wall-clock time of an instant; instants beyond jiff's years (±9999) are clamped to
/// its first or last instant.
pub fn cst_datetime(ms: i64) -> civil::DateTime {
    let at = Timestamp::from_millisecond(ms).unwrap_or(if ms < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    });
    CST.to_datetime(at)
}

/// The CST calendar date of an instant.
pub fn date_of(ms: i64) -> Date {
    cst_datetime(ms).date().into()
}

/// The instant at which `date` begins in CST (00:00 CST).
pub fn start_of(date: Date) -> i64 {
    let midnight = date.to_jiff().to_datetime(civil::Time::midnight());
    // Only -9999-01-01 begins before jiff's first instant.
    CST.to_timestamp(midnight)
        .unwrap_or(Timestamp::MIN)
        .as_millisecond()
}

/// Milliseconds since 00:00 CST of the instant's own day (0 ≤ result < one day).
pub fn time_of_day(ms: i64) -> i64 {
    let since_midnight = cst_datetime(ms)
        .time()
        .duration_since(civil::Time::midnight());
    i64::try_from(since_midnight.as_millis()).expect("less than a day")
}

/// `YYYY-MM-DD HH:MM` in CST, for messages and timelines.
pub fn format_cst(ms: i64) -> String {
    cst_datetime(ms).strftime("%Y-%m-%d %H:%M").to_string()
}

/// Days since 1970-01-01 in CST of any instant. The working-time walk counts days with this
/// rather than [`date_of`] because absurd spans (`WorkingHours(u32::MAX)`, half a million
/// years) run past the years a [`Date`] holds; on a fixed offset it is plain division.
fn cst_day(ms: i64) -> i64 {
    (ms + CST_OFFSET_MS).div_euclid(DAY_MS)
}

/// The instant at which CST day number `day` (see [`cst_day`]) begins.
fn cst_day_start(day: i64) -> i64 {
    day * DAY_MS - CST_OFFSET_MS
}
