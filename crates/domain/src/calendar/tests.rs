//! The calendar against the official 2025 schedule.

use super::*;

fn d(y: i32, m: u8, day: u8) -> Date {
    Date::new(y, m, day).unwrap()
}

#[test]
fn official_2025_national_day() {
    let cal = WorkCalendar::official();
    // 2025-09-28 is a Sunday make-up workday; 10-01..08 are holidays; 10-11 a Saturday
    // make-up workday.
    assert!(cal.is_workday(d(2025, 9, 28)));
    for day in 1..=8 {
        assert!(!cal.is_workday(d(2025, 10, day)), "10-{day}");
    }
    assert!(cal.is_workday(d(2025, 10, 9)));
    assert!(cal.is_workday(d(2025, 10, 11)));
    assert!(!cal.is_workday(d(2025, 10, 12)));
    assert_eq!(
        cal.listed(d(2025, 10, 1)),
        Some((DayKind::Holiday, "国庆节"))
    );
}
