//! Deadlines counted across a year with no loaded official schedule carry a flag.

use super::fixtures::*;
use crate::calendar::{Duration, WorkCalendar};
use crate::case::*;

/// A made-up 2027 schedule in the official file's format: 元旦 on Friday 1 January.
const TEST_2027: &str = "date,kind,name\n2027-01-01,holiday,元旦\n";

/// A complex (15 working days) case dispatched by the community at 2026-12-21 09:00.
fn complex_dispatched_late_2026(cfg: LoopConfig) -> Driver {
    let mut d = Driver::reported_with(new_case("E0102", DeadlineClass::Complex));
    d.cfg = cfg;
    d.now = at(date(2026, 12, 21), 8, 0);
    d.ok(
        &community(),
        Command::Register {
            category: "E0102".into(),
            deadline_class: DeadlineClass::Complex,
            emergency: false,
        },
    );
    d.now = at(date(2026, 12, 21), 9, 0);
    d.ok(&community(), dispatch("CG"));
    d
}

#[test]
fn a_deadline_into_an_unloaded_year_is_flagged() {
    let d = complex_dispatched_late_2026(LoopConfig::default());
    // Monday–Friday: 元旦 2027 counted as a workday.
    assert_eq!(d.case.deadline, Some(at(date(2027, 1, 11), 9, 0)));
    assert!(d.case.calendar_missing);
    assert!(
        d.events
            .last()
            .unwrap()
            .zh()
            .ends_with("（按周一至周五计算，未载入官方日历）")
    );
}

#[test]
fn with_the_year_loaded_the_holiday_moves_the_deadline() {
    let mut cfg = LoopConfig::default();
    cfg.calendar
        .extend(WorkCalendar::parse_csv(TEST_2027).unwrap());
    let d = complex_dispatched_late_2026(cfg);
    assert_eq!(d.case.deadline, Some(at(date(2027, 1, 12), 9, 0)));
    assert!(!d.case.calendar_missing);
}

#[test]
fn inside_loaded_years_and_on_the_wall_clock_nothing_is_flagged() {
    let d = Driver::dispatched_to(Some("CG"));
    assert!(d.case.deadline.is_some() && !d.case.calendar_missing);

    let mut emergency = new_case("E0102", DeadlineClass::Emergency);
    emergency.emergency = false;
    let mut d = Driver::reported_with(emergency);
    d.now = at(date(2026, 12, 31), 23, 0);
    d.ok(
        &community(),
        Command::Register {
            category: "E0102".into(),
            deadline_class: DeadlineClass::Emergency,
            emergency: false,
        },
    );
    d.ok(&community(), dispatch("CG"));
    // Two natural hours run into 2027 without needing its schedule.
    assert_eq!(d.case.deadline, Some(at(date(2027, 1, 1), 1, 0)));
    assert!(!d.case.calendar_missing);
}

#[test]
fn an_extension_into_an_unloaded_year_flags_and_a_new_round_clears() {
    let mut d = Driver::dispatched_to(Some("CG"));
    d.now = at(date(2025, 10, 10), 9, 0);
    d.ok(
        &department("CG"),
        Command::RequestExtension {
            by: Duration::WorkingDays(400),
            reason: "需要招标".into(),
        },
    );
    d.ok(&community(), Command::DecideExtension { approve: true });
    assert!(d.case.calendar_missing);
    d.ok(
        &department("CG"),
        Command::Return {
            reason: "不属于本部门".into(),
        },
    );
    assert!(!d.case.calendar_missing);
    d.ok(&community(), dispatch("CG"));
    assert!(!d.case.calendar_missing);
}
