//! A calendar date without a time zone: [`jiff::civil::Date`] in the domain's own vocabulary —
//! a Monday-first [`Weekday`] with Chinese names, `YYYYMMDD` for ticket numbers, the forms a
//! spreadsheet writes, and a `YYYY-MM-DD` string in serde. jiff does the calendar arithmetic.

use std::fmt;
use std::str::FromStr;

use jiff::SignedDuration;
use jiff::civil;
use serde::{Deserialize, Serialize};

/// A valid proleptic Gregorian date from -9999 to 9999 (jiff's range); serialised as
/// `YYYY-MM-DD`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date(civil::Date);

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

    /// The weekday of the day `days` after 1970-01-01, for any count, also beyond the years a
    /// [`Date`] holds: weeks repeat every seven days, so it is the weekday of `days mod 7`.
    pub fn of_day(days: i64) -> Weekday {
        Date::from_days(days.rem_euclid(7)).weekday()
    }
}

impl From<civil::Weekday> for Weekday {
    fn from(w: civil::Weekday) -> Weekday {
        match w {
            civil::Weekday::Monday => Weekday::Mon,
            civil::Weekday::Tuesday => Weekday::Tue,
            civil::Weekday::Wednesday => Weekday::Wed,
            civil::Weekday::Thursday => Weekday::Thu,
            civil::Weekday::Friday => Weekday::Fri,
            civil::Weekday::Saturday => Weekday::Sat,
            civil::Weekday::Sunday => Weekday::Sun,
        }
    }
}

const EPOCH: civil::Date = civil::Date::constant(1970, 1, 1);
const DAY_SECS: i64 = 86_400;

impl Date {
    /// The date `y-m-d`, or `None` when no such day exists (or the year is beyond ±9999).
    pub fn new(y: i32, m: u8, d: u8) -> Option<Date> {
        let y = i16::try_from(y).ok()?;
        let (m, d) = (i8::try_from(m).ok()?, i8::try_from(d).ok()?);
        civil::Date::new(y, m, d).ok().map(Date)
    }

    /// The same day as a jiff date.
    pub fn to_jiff(self) -> civil::Date {
        self.0
    }

    pub fn year(self) -> i32 {
        self.0.year().into()
    }

    pub fn month(self) -> u8 {
        self.0.month().unsigned_abs()
    }

    pub fn day(self) -> u8 {
        self.0.day().unsigned_abs()
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days(self) -> i64 {
        self.0.duration_since(EPOCH).as_secs() / DAY_SECS
    }

    /// The date `days` after 1970-01-01, or `None` beyond the years a `Date` holds.
    pub fn checked_from_days(days: i64) -> Option<Date> {
        let secs = days.checked_mul(DAY_SECS)?;
        EPOCH
            .checked_add(SignedDuration::from_secs(secs))
            .ok()
            .map(Date)
    }

    /// The date `days` after 1970-01-01, clamped to -9999-01-01 ..= 9999-12-31.
    pub fn from_days(days: i64) -> Date {
        Date(EPOCH.saturating_add(SignedDuration::from_secs(days.saturating_mul(DAY_SECS))))
    }

    /// `n` days later (earlier when negative), clamped like [`Date::from_days`].
    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.days().saturating_add(n))
    }

    /// The following day (9999-12-31 has none and stays itself).
    pub fn succ(self) -> Date {
        self.add_days(1)
    }

    pub fn weekday(self) -> Weekday {
        self.0.weekday().into()
    }

    /// `YYYYMMDD`, as used in ticket numbers.
    pub fn compact(self) -> String {
        self.0.strftime("%Y%m%d").to_string()
    }

    /// Parses `YYYY-MM-DD` (also `YYYY/MM/DD` and `YYYYMMDD`, as spreadsheets write them; month
    /// and day may drop their leading zero when separated).
    pub fn parse(input: &str) -> Option<Date> {
        let s = input.trim();
        // jiff's `%Y` would also take `25`, `+2025` and spaces before a number: insist on four
        // digits and on nothing but digits and the separator.
        let year_first = s
            .get(..4)
            .is_some_and(|y| y.bytes().all(|b| b.is_ascii_digit()));
        let format = match s.as_bytes().get(4) {
            _ if !year_first => return None,
            Some(b'-') => "%Y-%m-%d",
            Some(b'/') => "%Y/%m/%d",
            Some(_) if s.len() == 8 => "%Y%m%d",
            _ => return None,
        };
        if !s
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'-' || b == b'/')
        {
            return None;
        }
        civil::Date::strptime(format, s).ok().map(Date)
    }
}

impl From<civil::Date> for Date {
    fn from(d: civil::Date) -> Date {
        Date(d)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
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
        // What jiff's `%Y`, `%m` and `%d` would take but a date column should not.
        for bad in [
            "+2025-01-05",
            "2025- 1-05",
            "2025-01/05",
            "2025105",
            "202501050",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn range_is_jiffs() {
        assert_eq!(
            Date::new(9999, 12, 31).unwrap().succ(),
            Date::new(9999, 12, 31).unwrap()
        );
        assert!(Date::new(10_000, 1, 1).is_none());
        let last = Date::new(9999, 12, 31).unwrap().days();
        assert_eq!(Date::checked_from_days(last + 1), None);
        assert_eq!(Date::from_days(i64::MAX), Date::new(9999, 12, 31).unwrap());
        assert_eq!(Date::from_days(i64::MIN), Date::new(-9999, 1, 1).unwrap());
        // Weekdays go on past it, a week every seven days.
        assert_eq!(Weekday::of_day(last), Weekday::Fri);
        assert_eq!(Weekday::of_day(last + 3), Weekday::Mon);
        assert_eq!(Weekday::of_day(last + 7 * 1_000_000_000), Weekday::Fri);
        assert_eq!(Weekday::of_day(-1), Weekday::Wed);
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
