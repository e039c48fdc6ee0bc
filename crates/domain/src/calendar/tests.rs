//! The calendar against the official 2025 and 2026 schedules.

use proptest::prelude::*;

use super::*;

fn d(y: i32, m: u8, day: u8) -> Date {
    Date::new(y, m, day).unwrap()
}

/// The instant `h:min` CST on `date`.
fn at(date: Date, h: i64, min: i64) -> i64 {
    start_of(date) + h * HOUR_MS + min * 60_000
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
    assert_eq!(
        cal.listed(d(2025, 10, 11)),
        Some((DayKind::Workday, "国庆节"))
    );
    assert_eq!(cal.listed(d(2025, 10, 10)), None);
}

#[test]
fn seven_working_days_across_national_day_2025() {
    let cal = WorkCalendar::official();
    // Dispatched on the make-up Sunday at 10:00. Following workdays: 09-29 (1), 09-30 (2),
    // holiday 10-01..08, 10-09 (3), 10-10 (4), make-up Saturday 10-11 (5), 10-13 (6),
    // 10-14 (7).
    let start = at(d(2025, 9, 28), 10, 0);
    let due = cal.add(start, Duration::WorkingDays(7));
    assert_eq!(due, at(d(2025, 10, 14), 10, 0));
    assert_eq!(format_cst(due), "2025-10-14 10:00");
    assert_eq!(due, cal.add(start, Duration::WorkingHours(7 * 24)));
    // Without the make-up Saturday it would have been 10-15.
    let plain = WorkCalendar::new(
        cal.days()
            .filter(|day| day.date != d(2025, 10, 11))
            .map(|day| (day.date, day.kind, day.name)),
    );
    assert_eq!(
        plain.add(start, Duration::WorkingDays(7)),
        at(d(2025, 10, 15), 10, 0)
    );
}

#[test]
fn a_start_on_a_holiday_counts_from_the_next_workday() {
    let cal = WorkCalendar::official();
    let start = at(d(2025, 10, 3), 15, 30);
    // Day one is 10-09; the deadline is its 24:00, the instant 10-10 00:00.
    assert_eq!(
        cal.add(start, Duration::WorkingDays(1)),
        at(d(2025, 10, 10), 0, 0)
    );
    // 10-09, 10-10, 10-11 (make-up), 10-13, 10-14, 10-15, 10-16.
    assert_eq!(
        cal.add(start, Duration::WorkingDays(7)),
        at(d(2025, 10, 17), 0, 0)
    );
    assert_eq!(
        cal.add(start, Duration::WorkingHours(3)),
        at(d(2025, 10, 9), 3, 0)
    );
    assert_eq!(cal.next_workday(d(2025, 10, 3)), d(2025, 10, 9));
}

#[test]
fn working_hours_stop_at_midnight_of_a_workday() {
    let cal = WorkCalendar::official();
    let start = at(d(2025, 9, 30), 20, 0);
    // Four hours left on 09-30, then the holiday.
    assert_eq!(
        cal.add(start, Duration::WorkingHours(4)),
        at(d(2025, 10, 1), 0, 0)
    );
    assert_eq!(
        cal.add(start, Duration::WorkingHours(10)),
        at(d(2025, 10, 9), 6, 0)
    );
    // Natural hours ignore the calendar.
    let night = at(d(2025, 10, 1), 23, 0);
    assert_eq!(
        cal.add(night, Duration::NaturalHours(2)),
        at(d(2025, 10, 2), 1, 0)
    );
    assert_eq!(
        cal.add(night, Duration::NaturalHours(24)),
        at(d(2025, 10, 2), 23, 0)
    );
}

#[test]
fn spring_festival_2025() {
    let cal = WorkCalendar::official();
    // 01-26 (Sunday) and 02-08 (Saturday) are make-up workdays; 01-28..02-04 holidays.
    assert!(cal.is_workday(d(2025, 1, 26)));
    assert!(!cal.is_workday(d(2025, 1, 28)));
    assert!(!cal.is_workday(d(2025, 2, 4)));
    assert!(cal.is_workday(d(2025, 2, 8)));
    let friday = at(d(2025, 1, 24), 16, 0);
    assert_eq!(
        cal.add(friday, Duration::WorkingDays(1)),
        at(d(2025, 1, 26), 16, 0)
    );
    let monday = at(d(2025, 1, 27), 9, 30);
    let due = |n| cal.add(monday, Duration::WorkingDays(n));
    assert_eq!(due(1), at(d(2025, 2, 5), 9, 30));
    assert_eq!(due(3), at(d(2025, 2, 7), 9, 30));
    assert_eq!(due(4), at(d(2025, 2, 8), 9, 30));
    assert_eq!(due(5), at(d(2025, 2, 10), 9, 30));
    // 15 working days: 02-05..07 (3), 02-08 (4), 02-10..14 (9), 02-17..21 (14), 02-24 (15).
    assert_eq!(
        cal.add(monday, Duration::WorkingDays(15)),
        at(d(2025, 2, 24), 9, 30)
    );
}

#[test]
fn national_day_and_mid_autumn_2026() {
    let cal = WorkCalendar::official();
    assert!(cal.is_workday(d(2026, 9, 20)));
    assert!(!cal.is_workday(d(2026, 9, 25)));
    assert!(cal.is_workday(d(2026, 10, 10)));
    // From Thursday 09-24 09:00: 09-28 (1), 09-29 (2), 09-30 (3), 10-08 (4), 10-09 (5),
    // 10-10 make-up Saturday (6), 10-12 (7).
    let start = at(d(2026, 9, 24), 9, 0);
    assert_eq!(
        cal.add(start, Duration::WorkingDays(7)),
        at(d(2026, 10, 12), 9, 0)
    );
}

#[test]
fn elapsed_fraction_in_working_time() {
    let cal = WorkCalendar::official();
    let start = at(d(2025, 9, 28), 10, 0);
    let due = at(d(2025, 10, 14), 10, 0);
    assert_eq!(cal.working_ms_between(start, due), 168 * HOUR_MS);
    let f = |now| cal.elapsed_fraction(start, due, now);
    assert_eq!(f(start), 0.0);
    // The holiday week does not count.
    assert_eq!(f(at(d(2025, 10, 1), 0, 0)), f(at(d(2025, 10, 9), 0, 0)));
    assert!((f(at(d(2025, 10, 9), 10, 0)) - 72.0 / 168.0).abs() < 1e-12);
    assert!((f(at(d(2025, 10, 13), 10, 0)) - 144.0 / 168.0).abs() < 1e-12);
    assert_eq!(f(due), 1.0);
    assert!(f(at(d(2025, 10, 15), 10, 0)) > 1.0);
    // 80% = 134.4 h = 10-13 00:24.
    assert!(f(at(d(2025, 10, 13), 0, 23)) < 0.8);
    assert!(f(at(d(2025, 10, 13), 0, 25)) > 0.8);
    // A span without working time: all or nothing.
    let h1 = at(d(2025, 10, 2), 0, 0);
    let h2 = at(d(2025, 10, 3), 0, 0);
    assert_eq!(cal.elapsed_fraction(h1, h2, h1), 0.0);
    assert_eq!(cal.elapsed_fraction(h1, h2, h2), 1.0);
    // Natural basis for emergencies.
    let n = cal.fraction(TimeBasis::Natural, h1, h1 + 2 * HOUR_MS, h1 + 90 * 60_000);
    assert_eq!(n, 0.75);
}

#[test]
fn time_left_and_shift() {
    let cal = WorkCalendar::official();
    let due = at(d(2025, 10, 9), 12, 0);
    let now = at(d(2025, 9, 30), 12, 0);
    assert_eq!(cal.time_left(TimeBasis::Working, due, now), 24 * HOUR_MS);
    assert_eq!(
        cal.time_left(TimeBasis::Natural, due, now),
        9 * 24 * HOUR_MS
    );
    assert_eq!(
        cal.time_left(TimeBasis::Working, due, due + HOUR_MS),
        -HOUR_MS
    );
    assert_eq!(
        cal.shift(TimeBasis::Working, at(d(2025, 9, 30), 12, 0), 24 * HOUR_MS),
        at(d(2025, 10, 9), 12, 0)
    );
    assert_eq!(cal.shift(TimeBasis::Natural, due, HOUR_MS), due + HOUR_MS);
    assert_eq!(cal.shift(TimeBasis::Working, due, 0), due);
}

#[test]
fn coverage_and_fallback() {
    let cal = WorkCalendar::official();
    assert_eq!(cal.years(), vec![2025, 2026]);
    assert!(cal.covers(d(2026, 12, 31)));
    assert!(!cal.covers(d(2027, 1, 1)));
    assert!(!cal.covers(d(2024, 12, 31)));
    // 2027 is unknown: plain Monday–Friday.
    assert!(cal.is_workday(d(2027, 10, 1)));
    assert!(!cal.is_workday(d(2027, 10, 2)));
    assert_eq!(cal.days().count(), 72);
    // An admin adds next year's schedule.
    let mut cal = cal;
    cal.extend(WorkCalendar::parse_csv("2027-10-01,holiday,国庆节\n").unwrap());
    assert!(!cal.is_workday(d(2027, 10, 1)));
    assert!(cal.covers(d(2027, 1, 1)));
}

#[test]
fn parse_csv_accepts_variants() {
    let text =
        "\u{feff}date,kind,name\r\n# 2027 草案\r\n\r\n2027-01-01, 休 ,元旦\r\n2027/02/06,班,春节\n";
    let cal = WorkCalendar::parse_csv(text).unwrap();
    assert_eq!(cal.listed(d(2027, 1, 1)), Some((DayKind::Holiday, "元旦")));
    assert_eq!(cal.listed(d(2027, 2, 6)), Some((DayKind::Workday, "春节")));
    assert!(cal.is_workday(d(2027, 2, 6)));
}

#[test]
fn parse_csv_names_the_bad_line() {
    use crate::Bilingual;
    let cases: &[(&str, usize, CalendarFault)] = &[
        (
            "date,kind,name\n2027-01-01,holiday,元旦\n2027-13-01,holiday,x\n",
            3,
            CalendarFault::BadDate {
                text: "2027-13-01".into(),
            },
        ),
        (
            "2027-01-01,holiday\n",
            1,
            CalendarFault::FieldCount { found: 2 },
        ),
        (
            "2027-01-01,rest,元旦\n",
            1,
            CalendarFault::BadKind {
                text: "rest".into(),
            },
        ),
        (
            "2027-01-01,holiday,元旦\n\n2027-01-01,holiday,元旦\n",
            3,
            CalendarFault::Duplicate {
                date: d(2027, 1, 1),
                first_line: 1,
            },
        ),
        ("date,kind,name\n# nothing\n", 0, CalendarFault::Empty),
        (
            "2027-01-02,holiday,元旦\n2027-01-04,workday,元旦\n",
            2,
            CalendarFault::WorkdayOnWeekday {
                date: d(2027, 1, 4),
            },
        ),
        ("2027-01-01,holiday,\n", 1, CalendarFault::BlankName),
    ];
    for (text, line, fault) in cases {
        let e = WorkCalendar::parse_csv(text).unwrap_err();
        assert_eq!((&e.line, &e.fault), (line, fault), "{text}");
        assert_eq!(e.code(), "invalid_calendar");
    }
    let e = WorkCalendar::parse_csv("x\n2027-02-30,holiday,春节\n").unwrap_err();
    assert_eq!(e.line, 1);
    let e = WorkCalendar::parse_csv("2027-02-30,holiday,春节\n").unwrap_err();
    assert_eq!(
        e.message_zh(),
        "节假日安排第 1 行：“2027-02-30”不是有效日期（应为 YYYY-MM-DD）"
    );
    assert_eq!(
        e.message_en(),
        "holiday schedule line 1: '2027-02-30' is not a date (YYYY-MM-DD)"
    );
}

#[test]
fn parse_csv_counts_skipped_lines_and_reads_quotes() {
    let text = "date,kind,name\n\n# 2027\n  # indented\n\n2027-01-01,holiday,\"元旦, 新年\"\n\
                \n# x\n2027-01-01,holiday,元旦\n";
    let e = WorkCalendar::parse_csv(text).unwrap_err();
    assert_eq!(
        (e.line, e.fault),
        (
            9,
            CalendarFault::Duplicate {
                date: d(2027, 1, 1),
                first_line: 6
            }
        )
    );
    let cal = WorkCalendar::parse_csv("2027-01-01,holiday,\"元旦, 新年\"\n").unwrap();
    assert_eq!(
        cal.listed(d(2027, 1, 1)),
        Some((DayKind::Holiday, "元旦, 新年"))
    );
}

#[test]
fn long_durations_beyond_the_schedule_are_fast_and_exact() {
    let cal = WorkCalendar::official();
    let start = at(d(2025, 12, 31), 12, 0);
    let due = cal.add(start, Duration::WorkingHours(u32::MAX));
    assert_eq!(
        cal.working_ms_between(start, start.max(due - 1)),
        i64::from(u32::MAX) * HOUR_MS - 1
    );
}

#[test]
fn formats_cst() {
    assert_eq!(format_cst(0), "1970-01-01 08:00");
    assert_eq!(format_cst(-1), "1970-01-01 07:59");
    assert_eq!(date_of(start_of(d(2025, 10, 1))), d(2025, 10, 1));
    assert_eq!(date_of(start_of(d(2025, 10, 1)) - 1), d(2025, 9, 30));
}

/// Day-by-day reference for `add_working_ms`, without the week skip.
fn naive_add(cal: &WorkCalendar, start: i64, ms: i64) -> i64 {
    let (mut t, mut left) = (start, ms);
    loop {
        let day = date_of(t);
        let end = start_of(day.succ());
        if cal.is_workday(day) {
            if left <= end - t {
                return t + left;
            }
            left -= end - t;
        }
        t = end;
    }
}

proptest! {
    /// From 0000-01-01 00:00 to 9999-12-31 23:59:59.999 CST.
    #[test]
    fn jiff_and_the_day_count_agree(ms in -62_167_248_000_000i64..=253_402_271_999_999) {
        let day = cst_day(ms);
        prop_assert_eq!(date_of(ms).days(), day);
        prop_assert_eq!(start_of(date_of(ms)), cst_day_start(day));
        prop_assert_eq!(time_of_day(ms), ms - cst_day_start(day));
    }

    #[test]
    fn add_is_the_earliest_instant_with_that_much_working_time(
        start_min in 0i64..(3 * 366 * 24 * 60),
        ms in 0i64..(60 * DAY_MS),
    ) {
        let cal = WorkCalendar::official();
        let start = start_of(d(2025, 1, 1)) + start_min * 60_000;
        let due = cal.add_working_ms(start, ms);
        prop_assert_eq!(due, naive_add(&cal, start, ms));
        prop_assert!(due >= start);
        prop_assert_eq!(cal.working_ms_between(start, due), ms);
        if ms > 0 {
            prop_assert!(cal.working_ms_between(start, due - 1) < ms);
        }
    }

    #[test]
    fn working_days_equal_24_working_hours(
        start_min in 0i64..(2 * 366 * 24 * 60),
        n in 0u32..40,
    ) {
        let cal = WorkCalendar::official();
        let start = start_of(d(2025, 1, 1)) + start_min * 60_000;
        let due = cal.add(start, Duration::WorkingDays(n));
        prop_assert_eq!(due, cal.add(start, Duration::WorkingHours(24 * n)));
        // Started mid-workday, it lands on the same clock time of a workday.
        if cal.is_workday(date_of(start)) && time_of_day(start) > 0 && n > 0 {
            prop_assert_eq!(time_of_day(due), time_of_day(start));
            prop_assert!(cal.is_workday(date_of(due)));
        }
    }
}

/// A made-up 2027 schedule in the official file's format (the State Council has not been
/// quoted here): 元旦 on Friday 1 January.
const TEST_2027: &str = "date,kind,name\n2027-01-01,holiday,元旦\n";

#[test]
fn covers_span_names_every_year_the_span_touches() {
    let cal = WorkCalendar::official();
    assert!(cal.covers_span(at(d(2025, 3, 3), 9, 0), at(d(2026, 12, 31), 9, 0)));
    assert!(!cal.covers_span(at(d(2026, 12, 21), 9, 0), at(d(2027, 1, 11), 9, 0)));
    assert!(!cal.covers_span(at(d(2024, 12, 30), 9, 0), at(d(2025, 1, 2), 9, 0)));
    let mut cal = cal;
    cal.extend(WorkCalendar::parse_csv(TEST_2027).unwrap());
    assert!(cal.covers_span(at(d(2026, 12, 21), 9, 0), at(d(2027, 1, 12), 9, 0)));
    // 31 December 2027 23:00 UTC is already 2028 in Beijing.
    assert!(!cal.covers_span(at(d(2027, 6, 1), 9, 0), at(d(2028, 1, 1), 7, 0)));
}

#[test]
fn a_loaded_2027_moves_a_deadline_across_new_year() {
    let mut cal = WorkCalendar::official();
    let start = at(d(2026, 12, 21), 9, 0);
    let monday_fridays = cal.add(start, Duration::WorkingDays(15));
    assert_eq!(monday_fridays, at(d(2027, 1, 11), 9, 0));
    cal.extend(WorkCalendar::parse_csv(TEST_2027).unwrap());
    assert_eq!(
        cal.add(start, Duration::WorkingDays(15)),
        at(d(2027, 1, 12), 9, 0)
    );
}

#[test]
fn next_year_is_missing_from_1_november() {
    let mut cal = WorkCalendar::official();
    assert_eq!(cal.missing_next_year(d(2026, 10, 31)), None);
    assert_eq!(cal.missing_next_year(d(2026, 11, 1)), Some(2027));
    assert_eq!(cal.missing_next_year(d(2026, 12, 31)), Some(2027));
    assert_eq!(cal.missing_next_year(d(2025, 11, 1)), None);
    cal.extend(WorkCalendar::parse_csv(TEST_2027).unwrap());
    assert_eq!(cal.missing_next_year(d(2026, 11, 1)), None);
}
