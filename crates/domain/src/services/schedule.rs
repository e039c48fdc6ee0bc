//! A menu item's schedule: the weekdays it is served and its time slots, each with the same
//! capacity. An order names a day and a slot; the schedule says whether the item is served then.

use super::ServicesError;
use crate::calendar::{Date, Weekday};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A time slot of a day, `HH:MM-HH:MM`, start before end.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TimeSlot {
    start: u16,
    end: u16,
}

fn minutes(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && m.to_string().len() <= 2).then_some(h * 60 + m)
}

impl TimeSlot {
    pub fn parse(s: &str) -> Result<TimeSlot, ServicesError> {
        let bad = || ServicesError::BadSlot(s.trim().to_string());
        let (a, b) = s.split_once('-').ok_or_else(bad)?;
        let (start, end) = (minutes(a).ok_or_else(bad)?, minutes(b).ok_or_else(bad)?);
        if start >= end {
            return Err(bad());
        }
        Ok(TimeSlot { start, end })
    }

    /// Minutes after midnight at which the slot starts and ends.
    pub fn start_minute(&self) -> u16 {
        self.start
    }

    pub fn end_minute(&self) -> u16 {
        self.end
    }
}

impl fmt::Display for TimeSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            self.start / 60,
            self.start % 60,
            self.end / 60,
            self.end % 60
        )
    }
}

impl TryFrom<String> for TimeSlot {
    type Error = ServicesError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        TimeSlot::parse(&s)
    }
}

impl From<TimeSlot> for String {
    fn from(t: TimeSlot) -> String {
        t.to_string()
    }
}

/// Weekdays (1 = Monday … 7 = Sunday) and slots, with the places in each slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub weekdays: Vec<u8>,
    pub slots: Vec<TimeSlot>,
    pub capacity: u32,
}

fn weekday_number(w: Weekday) -> u8 {
    match w {
        Weekday::Mon => 1,
        Weekday::Tue => 2,
        Weekday::Wed => 3,
        Weekday::Thu => 4,
        Weekday::Fri => 5,
        Weekday::Sat => 6,
        Weekday::Sun => 7,
    }
}

/// The Chinese name of weekday `n` (1 = Monday).
pub fn weekday_zh(n: u8) -> &'static str {
    ["一", "二", "三", "四", "五", "六", "日"]
        .get(usize::from(n.saturating_sub(1)))
        .copied()
        .unwrap_or("?")
}

impl Schedule {
    /// A schedule as typed: at least one weekday (1–7) and one slot, capacity 1–1000, slots
    /// sorted and not repeated.
    pub fn checked(mut self) -> Result<Self, ServicesError> {
        self.weekdays.sort_unstable();
        self.weekdays.dedup();
        if self.weekdays.is_empty() || self.weekdays.iter().any(|d| !(1..=7).contains(d)) {
            return Err(ServicesError::BadWeekdays);
        }
        self.slots.sort();
        self.slots.dedup();
        if self.slots.is_empty() {
            return Err(ServicesError::Blank("slots"));
        }
        if !(1..=1000).contains(&self.capacity) {
            return Err(ServicesError::BadCapacity(self.capacity));
        }
        Ok(self)
    }

    /// Whether the item is served on `day` in `slot`.
    pub fn offers(&self, day: Date, slot: &TimeSlot) -> Result<(), ServicesError> {
        if !self.weekdays.contains(&weekday_number(day.weekday())) {
            return Err(ServicesError::NotServedOn {
                day,
                weekdays: self.weekdays_zh(),
            });
        }
        if !self.slots.contains(slot) {
            return Err(ServicesError::NoSuchSlot {
                slot: slot.to_string(),
                slots: self.slots.iter().map(|s| s.to_string()).collect(),
            });
        }
        Ok(())
    }

    /// "周一、周三、周五".
    pub fn weekdays_zh(&self) -> String {
        self.weekdays
            .iter()
            .map(|d| format!("周{}", weekday_zh(*d)))
            .collect::<Vec<_>>()
            .join("、")
    }

    /// The next `n` days from `from` (inclusive) on which the item is served.
    pub fn next_days(&self, from: Date, n: usize) -> Vec<Date> {
        (0..28)
            .map(|i| from.add_days(i))
            .filter(|d| self.weekdays.contains(&weekday_number(d.weekday())))
            .take(n)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_parse_and_a_schedule_says_when_it_serves() {
        assert_eq!(
            TimeSlot::parse("9:00-10:30").unwrap().to_string(),
            "09:00-10:30"
        );
        assert!(TimeSlot::parse("10:00-09:00").is_err());
        assert!(TimeSlot::parse("25:00-26:00").is_err());
        let s = Schedule {
            weekdays: vec![3, 1, 1],
            slots: vec![TimeSlot::parse("09:00-10:00").unwrap()],
            capacity: 2,
        }
        .checked()
        .unwrap();
        assert_eq!(s.weekdays, vec![1, 3]);
        let monday = Date::new(2026, 11, 2).unwrap();
        let slot = TimeSlot::parse("09:00-10:00").unwrap();
        assert!(s.offers(monday, &slot).is_ok());
        assert!(matches!(
            s.offers(monday.succ(), &slot),
            Err(ServicesError::NotServedOn { .. })
        ));
        assert!(matches!(
            s.offers(monday, &TimeSlot::parse("10:00-11:00").unwrap()),
            Err(ServicesError::NoSuchSlot { .. })
        ));
        assert_eq!(
            s.next_days(monday.succ(), 2),
            vec![monday.add_days(2), monday.add_days(7)]
        );
        assert_eq!(s.weekdays_zh(), "周一、周三");
        let zero = Schedule { capacity: 0, ..s };
        assert_eq!(zero.checked(), Err(ServicesError::BadCapacity(0)));
    }
}
