//! A calendar date without a time zone, with day-count arithmetic.
//!
//! Small on purpose: the calendar needs "which day is this", "what weekday", "the next day"
//! and nothing else, and a hand-written proleptic Gregorian day count keeps the domain free of
//! a date library.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A valid proleptic Gregorian date; serialised as `YYYY-MM-DD`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    y: i32,
    m: u8,
    d: u8,
}

/// Day of the week, Monday first as in China.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub fn is_weekend(self) -> bool {
        matches!(self, Weekday::Sat | Weekday::Sun)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Weekday::Mon => "星期一",
            Weekday::Tue => "星期二",
            Weekday::Wed => "星期三",
            Weekday::Thu => "星期四",
            Weekday::Fri => "星期五",
            Weekday::Sat => "星期六",
            Weekday::Sun => "星期日",
        }
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The date `y-m-d`, or `None` when no such day exists.
    pub fn new(y: i32, m: u8, d: u8) -> Option<Date> {
        (d >= 1 && d <= days_in_month(y, m)).then_some(Date { y, m, d })
    }

    pub fn year(self) -> i32 {
        self.y
    }

    pub fn month(self) -> u8 {
        self.m
    }

    pub fn day(self) -> u8 {
        self.d
    }

    /// Days since 1970-01-01 (negative before), after Howard Hinnant's `days_from_civil`.
    pub fn days(self) -> i64 {
        let y = i64::from(self.y) - i64::from(self.m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.m);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(self.d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (Hinnant's `civil_from_days`).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date { y: y as i32, m, d }
    }

    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.days() + n)
    }

    /// The following day.
    pub fn succ(self) -> Date {
        self.add_days(1)
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday.
        match (self.days() + 3).rem_euclid(7) {
            0 => Weekday::Mon,
            1 => Weekday::Tue,
            2 => Weekday::Wed,
            3 => Weekday::Thu,
            4 => Weekday::Fri,
            5 => Weekday::Sat,
            _ => Weekday::Sun,
        }
    }

    /// `YYYYMMDD`, as used in ticket numbers.
    pub fn compact(self) -> String {
        format!("{:04}{:02}{:02}", self.y, self.m, self.d)
    }

    /// Parses `YYYY-MM-DD` (also `YYYY/MM/DD` and `YYYYMMDD`, as spreadsheets write them).
    pub fn parse(input: &str) -> Option<Date> {
        let s = input.trim();
        let (y, m, d) = if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
            (&s[..4], &s[4..6], &s[6..])
        } else {
            let mut parts = s.split(['-', '/']);
            let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() {
                return None;
            }
            (y, m, d)
        };
        let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if y.len() != 4 || m.len() > 2 || d.len() > 2 || ![y, m, d].into_iter().all(all_digits) {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date({self})")
    }
}

/// A string that is not a `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotADate(pub String);

impl fmt::Display for NotADate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}' is not a date (YYYY-MM-DD)", self.0)
    }
}

impl std::error::Error for NotADate {}

impl FromStr for Date {
    type Err = NotADate;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s).ok_or_else(|| NotADate(s.chars().take(40).collect()))
    }
}

impl TryFrom<String> for Date {
    type Error = NotADate;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_known_days() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().days(), 0);
        assert_eq!(Date::new(2025, 10, 1).unwrap().days(), 20_362);
        assert_eq!(Date::new(2000, 3, 1).unwrap().days(), 11_017);
        assert_eq!(Date::new(1969, 12, 31).unwrap().days(), -1);
        assert_eq!(Date::from_days(20_362), Date::new(2025, 10, 1).unwrap());
    }

    #[test]
    fn round_trips_across_four_centuries() {
        let start = Date::new(1900, 1, 1).unwrap().days();
        let mut prev = Date::from_days(start - 1);
        for n in start..start + 146_097 {
            let d = Date::from_days(n);
            assert_eq!(d.days(), n);
            assert!(d > prev);
            assert_eq!(Date::new(d.year(), d.month(), d.day()), Some(d));
            prev = d;
        }
    }

    #[test]
    fn weekdays() {
        assert_eq!(Date::new(2025, 10, 1).unwrap().weekday(), Weekday::Wed);
        assert_eq!(Date::new(2025, 9, 28).unwrap().weekday(), Weekday::Sun);
        assert_eq!(Date::new(2025, 10, 11).unwrap().weekday(), Weekday::Sat);
        assert_eq!(Date::new(1970, 1, 1).unwrap().weekday(), Weekday::Thu);
        assert!(Weekday::Sun.is_weekend() && !Weekday::Fri.is_weekend());
    }

    #[test]
    fn validity_and_parsing() {
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2025, 2, 29).is_none());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(2025, 13, 1).is_none());
        assert!(Date::new(2025, 4, 31).is_none());
        let d = Date::new(2025, 1, 5).unwrap();
        assert_eq!(Date::parse("2025-01-05"), Some(d));
        assert_eq!(Date::parse(" 2025/1/5 "), Some(d));
        assert_eq!(Date::parse("20250105"), Some(d));
        for bad in [
            "2025-1",
            "2025-01-05-1",
            "25-01-05",
            "2025-0a-05",
            "2025--05",
            "",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert_eq!(d.to_string(), "2025-01-05");
        assert_eq!(d.compact(), "20250105");
    }

    #[test]
    fn serde_as_string() {
        use serde::de::IntoDeserializer;
        use serde::de::value::Error;
        let r: Result<Date, Error> = Date::deserialize("2026-02-17".into_deserializer());
        assert_eq!(r, Ok(Date::new(2026, 2, 17).unwrap()));
        let r: Result<Date, Error> = Date::deserialize("2026-02-30".into_deserializer());
        assert!(r.is_err());
    }
}
