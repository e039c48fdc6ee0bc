//! The deadline job's view: warning at 80%, overdue, escalation on overdue.

use super::fixtures::*;
use crate::Bilingual;
use crate::calendar::{HOUR_MS, TimeBasis};
use crate::case::*;
use crate::metrics::CaseFacts;

#[test]
fn warning_at_eighty_percent_of_working_time() {
    let mut d = Driver::dispatched_to(Some("CG"));
    // 168 working hours from 09-28 10:00; 80% = 134.4 h = 10-13 00:24 (National Day skipped).
    let warn = warning_at(&d.case, &d.cfg).unwrap();
    assert_eq!(warn, at(date(2025, 10, 13), 0, 24));
    assert!(warning_due(&d.case, warn, &d.cfg));
    assert!(!warning_due(&d.case, warn - 1, &d.cfg));
    d.now = warn - 1;
    assert_eq!(due_clock_command(&d.case, d.now, &d.cfg), None);
    let r = d.refused(&Actor::System, Command::WarnDeadline);
    assert_eq!(r.code(), "not_due");
    d.now = warn;
    assert_eq!(
        due_clock_command(&d.case, d.now, &d.cfg),
        Some(Command::WarnDeadline)
    );
    d.ok(&Actor::System, Command::WarnDeadline);
    assert!(d.case.warned);
    assert_eq!(warning_at(&d.case, &d.cfg), None);
    assert_eq!(due_clock_command(&d.case, d.now, &d.cfg), None);
    assert_eq!(
        d.refused(&Actor::System, Command::WarnDeadline).code(),
        "already_warned"
    );
    // 33.6 working hours remain.
    assert_eq!(
        time_left(&d.case, d.now, &d.cfg),
        Some(33 * HOUR_MS + 36 * 60_000)
    );
    assert_eq!(
        d.events.last().unwrap().zh(),
        "临期预警：时限 2025-10-14 10:00"
    );
}

#[test]
fn overdue_marks_once_and_escalates() {
    let mut d = Driver::dispatched_to(Some("CG"));
    let deadline = d.case.deadline.unwrap();
    d.now = deadline;
    assert_eq!(
        d.refused(&Actor::System, Command::MarkOverdue).code(),
        "not_due"
    );
    d.now = deadline + 1;
    assert_eq!(
        due_clock_command(&d.case, d.now, &d.cfg),
        Some(Command::MarkOverdue)
    );
    let events = d.ok(&Actor::System, Command::MarkOverdue);
    assert_eq!(events[0], Event::MarkedOverdue { deadline });
    assert!(matches!(
        &events[1],
        Event::Escalated { to_name, reason, .. } if to_name == "网格" && reason == "超期未办结，自动升级"
    ));
    assert!(d.case.overdue);
    assert_eq!(d.case.level.get(), 2);
    assert_eq!(due_clock_command(&d.case, d.now + HOUR_MS, &d.cfg), None);
    assert_eq!(
        d.refused(&Actor::System, Command::MarkOverdue).code(),
        "overdue"
    );
    assert_eq!(
        d.refused(&Actor::System, Command::WarnDeadline).code(),
        "already_warned"
    );
    // Late handling is recorded as such all the way to closing.
    assert!(time_left(&d.case, d.now + HOUR_MS, &d.cfg).unwrap() < 0);
    d.ok(&department("CG"), report_back());
    assert_eq!(time_left(&d.case, d.now, &d.cfg), None);
    d.ok(&community(), verify(true));
    assert_eq!(
        d.ok(&community(), Command::Close),
        [Event::Closed { on_time: false }]
    );
    let facts = CaseFacts::of(&d.case);
    assert!(facts.handled_late && facts.closed && !facts.closed_on_time);
}

#[test]
fn overdue_without_escalation_when_configured_or_at_the_top() {
    let mut d = Driver::dispatched_to(Some("CG"));
    d.cfg.escalate_when_overdue = false;
    d.now = d.case.deadline.unwrap() + 1;
    assert_eq!(d.ok(&Actor::System, Command::MarkOverdue).len(), 1);

    let mut d = Driver::dispatched_to(Some("CG"));
    d.cfg.escalation = EscalationChain::new(vec!["社区".into()]).unwrap();
    d.now = d.case.deadline.unwrap() + 1;
    assert_eq!(d.ok(&Actor::System, Command::MarkOverdue).len(), 1);
}

#[test]
fn emergencies_warn_on_the_wall_clock() {
    // The resident reports; the community marks the emergency when it registers the case.
    let new = new_case("E0401", DeadlineClass::Emergency);
    let mut d = Driver::reported_with(new);
    d.ok(
        &community(),
        Command::Register {
            category: "E0401".into(),
            deadline_class: DeadlineClass::Emergency,
            emergency: true,
        },
    );
    d.now = at(date(2025, 10, 4), 12, 0);
    d.ok(&community(), dispatch("ZJ"));
    assert_eq!(basis_of(&d.case, &d.cfg), TimeBasis::Natural);
    // 80% of two hours: 96 minutes, even on a holiday.
    assert_eq!(
        warning_at(&d.case, &d.cfg),
        Some(at(date(2025, 10, 4), 13, 36))
    );
    assert_eq!(time_left(&d.case, d.now, &d.cfg), Some(2 * HOUR_MS));
}

#[test]
fn the_refusal_for_a_closed_case_names_state_and_command() {
    let mut d = Driver::dispatched_to(Some("CG"));
    d.ok(&department("CG"), report_back());
    d.ok(&community(), verify(true));
    d.ok(&community(), Command::Close);
    let r = d.refused(
        &department("CG"),
        Command::RequestExtension {
            by: crate::calendar::Duration::WorkingDays(1),
            reason: "x".into(),
        },
    );
    assert_eq!(r.message_zh(), "已结案的案件不能申请延期");
    assert_eq!(
        r.message_en(),
        "cannot request an extension for a case that is closed"
    );
    assert_eq!(r.kind(), RefusalKind::Conflict);
    assert_eq!(
        d.refused(&Actor::System, Command::MarkOverdue).code(),
        "invalid_transition"
    );
}
