//! Every path of the loop, one story each.

use super::fixtures::*;
use crate::Bilingual;
use crate::calendar::{Duration, HOUR_MS};
use crate::case::*;
use crate::metrics::{CaseFacts, FollowUps, Weights};

#[test]
fn the_main_loop_from_report_to_rating() {
    let mut d = Driver::dispatched_to(Some("CG"));
    assert_eq!(d.case.state, CaseState::Dispatched);
    assert_eq!(d.case.department.as_deref(), Some("CG"));
    // 7 working days from the make-up Sunday 10:00, across National Day: 10-14 10:00.
    assert_eq!(d.case.deadline, Some(at(date(2025, 10, 14), 10, 0)));
    assert_eq!(d.case.dispatched_at, Some(at(date(2025, 9, 28), 10, 0)));
    d.now = at(date(2025, 9, 29), 9, 0);
    d.ok(&department("CG"), Command::Start);
    d.now = at(date(2025, 9, 30), 16, 0);
    let events = d.ok(&department("CG"), report_back());
    assert_eq!(
        events,
        [Event::ReportedBack {
            note: "已清运".into(),
            on_time: true
        }]
    );
    d.ok(&community(), verify(true));
    assert_eq!(
        d.ok(&community(), Command::Close),
        [Event::Closed { on_time: true }]
    );
    d.ok(&reporter(), rate(Satisfaction::Satisfied));
    assert_eq!(d.case.state, CaseState::Rated);
    assert_eq!(
        d.kinds(),
        [
            "reported",
            "registered",
            "dispatched",
            "started",
            "reported_back",
            "verified",
            "closed",
            "rated"
        ]
    );
    assert_eq!(d.case.version, 8);
    let facts = CaseFacts::of(&d.case);
    assert!(facts.registered && facts.dispatched_accurately && facts.closed_on_time);
    assert!(!facts.reworked && !facts.handled_late);
    let rates = FollowUps::from_cases([&d.case]).rates(&Weights::default());
    assert_eq!(rates.composite, Some(1.0));
    // Timeline lines.
    assert_eq!(d.events[0].zh(), "经公众举报上报，编号 2025092800001");
    assert_eq!(d.events[2].zh(), "派遣至部门 CG，处置时限 2025-10-14 10:00");
    assert_eq!(d.events[7].zh(), "评价：已联系，已解决，满意");
}

#[test]
fn report_back_may_skip_the_explicit_start() {
    let mut d = Driver::dispatched_to(Some("CG"));
    d.ok(&department("CG"), report_back());
    assert_eq!(d.case.state, CaseState::ReportedBack);
}

#[test]
fn failed_verification_is_rework() {
    let mut d = Driver::dispatched_to(Some("CG"));
    d.ok(&department("CG"), report_back());
    // A failed check must say what is wrong.
    let r = d.refused(
        &community(),
        Command::Verify {
            passed: false,
            note: " ".into(),
        },
    );
    assert_eq!(r.code(), "invalid_command");
    assert_eq!(r.field().as_deref(), Some("note"));
    d.ok(&community(), verify(false));
    assert_eq!(d.case.state, CaseState::InProgress);
    assert_eq!(d.case.counters.reworks, 1);
    assert!(!d.case.verified);
    // Cannot close an unverified case.
    let r = d.refused(&community(), Command::Close);
    assert_eq!(r.code(), "invalid_transition");
    assert_eq!(r.message_zh(), "处置中的案件不能结案");
    assert_eq!(r.message_en(), "cannot close a case that is in progress");
    d.ok(&department("CG"), report_back());
    d.ok(&community(), verify(true));
    d.ok(&community(), Command::Close);
    assert!(CaseFacts::of(&d.case).reworked);
    assert_eq!(d.events[4].zh(), "核查未通过，返工：仍有残留");
}

#[test]
fn cancel_and_merge_end_a_case_for_good() {
    let mut d = Driver::reported();
    let r = d.refused(&community(), Command::Cancel { reason: "".into() });
    assert_eq!(r.field().as_deref(), Some("reason"));
    d.ok(&community(), reason(|reason| Command::Cancel { reason }));
    assert_eq!(d.case.state, CaseState::Cancelled);
    for cmd in [
        register("E0102"),
        dispatch("CG"),
        Command::Support,
        reason(|reason| Command::Escalate { reason }),
        Command::Resume,
    ] {
        let r = d.refused(&admin(), cmd);
        assert_eq!(r.code(), "invalid_transition");
    }
    assert_eq!(
        d.refused(&Actor::System, Command::MarkOverdue).code(),
        "invalid_transition"
    );

    let mut d = Driver::reported();
    d.ok(&community(), register("E0102"));
    let r = d.refused(&community(), Command::MergeInto { case_id: 42 });
    assert_eq!(r.message_zh(), "合并失败：案件不能并入自身");
    d.ok(&community(), Command::MergeInto { case_id: 7 });
    assert_eq!(
        (d.case.state, d.case.merged_into),
        (CaseState::Merged, Some(7))
    );
    let r = d.refused(&community(), Command::Cancel { reason: "x".into() });
    assert_eq!(r.message_zh(), "已合并的案件不能注销");
    let facts = CaseFacts::of(&d.case);
    assert!(facts.reported && !facts.registered && !facts.due_closing);
}

#[test]
fn return_sends_a_wrong_dispatch_back() {
    let mut d = Driver::dispatched_to(Some("ZJ"));
    d.ok(
        &department("ZJ"),
        reason(|reason| Command::Return { reason }),
    );
    assert_eq!(d.case.state, CaseState::Registered);
    assert_eq!((d.case.department.clone(), d.case.deadline), (None, None));
    assert_eq!(d.case.counters.returns, 1);
    assert_eq!(d.events.last().unwrap().zh(), "部门 ZJ回退派遣：理由");
    d.now += HOUR_MS;
    d.ok(
        &community(),
        Command::Dispatch {
            department: Some("CG".into()),
            is_override: true,
        },
    );
    assert_eq!(d.case.counters.dispatches, 2);
    // The new deadline counts from the re-dispatch.
    assert_eq!(d.case.deadline, Some(at(date(2025, 10, 14), 11, 0)));
    let facts = CaseFacts::of(&d.case);
    assert!(facts.dispatched && !facts.dispatched_accurately);
}

#[test]
fn extensions_move_the_deadline_forward() {
    let mut d = Driver::dispatched_to(Some("CG"));
    let before = d.case.deadline.unwrap();
    let request = |by| Command::RequestExtension {
        by,
        reason: "需协调产权单位".into(),
    };
    let r = d.refused(&department("CG"), request(Duration::WorkingDays(0)));
    assert_eq!(r.field().as_deref(), Some("by"));
    // Only the handler asks, only the dispatcher decides.
    assert_eq!(
        d.refused(&community(), request(Duration::WorkingDays(3)))
            .code(),
        "forbidden"
    );
    d.ok(&department("CG"), request(Duration::WorkingDays(3)));
    let r = d.refused(&department("CG"), request(Duration::WorkingDays(1)));
    assert_eq!(r.code(), "extension_pending");
    assert_eq!(
        d.refused(
            &department("CG"),
            Command::DecideExtension { approve: true }
        )
        .code(),
        "forbidden"
    );
    let events = d.ok(&street(), Command::DecideExtension { approve: true });
    // 10-14 10:00 plus three working days: 10-15, 10-16, 10-17.
    let after = at(date(2025, 10, 17), 10, 0);
    assert_eq!(
        events,
        [Event::ExtensionApproved {
            by: Duration::WorkingDays(3),
            deadline: after,
            calendar_missing: false,
        }]
    );
    assert!(after > before);
    assert_eq!(d.case.counters.extensions, 1);
    assert_eq!(d.case.pending_extension, None);
    // A rejection leaves the deadline.
    d.ok(&department("CG"), request(Duration::WorkingHours(4)));
    d.ok(&community(), Command::DecideExtension { approve: false });
    assert_eq!(d.case.deadline, Some(after));
    let r = d.refused(&community(), Command::DecideExtension { approve: true });
    assert_eq!(r.code(), "no_extension_pending");
    // Too late once the deadline has passed.
    d.now = after + 1;
    let r = d.refused(&department("CG"), request(Duration::WorkingDays(1)));
    assert_eq!(r.code(), "overdue");
    assert_eq!(r.message_zh(), "已派遣的案件暂不能申请延期：案件已超期");
    assert!(CaseFacts::of(&d.case).extended);
}

#[test]
fn a_pending_extension_lapses_when_the_handler_reports_back() {
    let mut d = Driver::dispatched_to(Some("CG"));
    d.ok(
        &department("CG"),
        Command::RequestExtension {
            by: Duration::WorkingDays(1),
            reason: "x".into(),
        },
    );
    d.ok(&department("CG"), report_back());
    assert_eq!(d.case.pending_extension, None);
    let r = d.refused(&community(), Command::DecideExtension { approve: true });
    assert_eq!(r.code(), "invalid_transition");
}

#[test]
fn deferral_stops_the_clock() {
    let mut d = Driver::dispatched_to(Some("CG"));
    d.ok(&department("CG"), Command::Start);
    d.now = at(date(2025, 9, 29), 10, 0);
    d.ok(&community(), reason(|reason| Command::Defer { reason }));
    assert_eq!(d.case.state, CaseState::Deferred);
    // While deferred, the handler can do nothing and the clock shows the frozen time left.
    assert_eq!(
        d.refused(&department("CG"), report_back()).code(),
        "invalid_transition"
    );
    let frozen = time_left(&d.case, d.now, &d.cfg);
    d.now = at(date(2025, 9, 30), 10, 0);
    assert_eq!(time_left(&d.case, d.now, &d.cfg), frozen);
    assert_eq!(
        due_clock_command(&d.case, at(date(2025, 11, 1), 0, 0), &d.cfg),
        None
    );
    let events = d.ok(&community(), Command::Resume);
    // 24 working hours paused: 10-14 10:00 becomes 10-15 10:00.
    assert_eq!(
        events,
        [Event::Resumed {
            to: CaseState::InProgress,
            deadline: Some(at(date(2025, 10, 15), 10, 0)),
            calendar_missing: false,
        }]
    );
    assert_eq!(time_left(&d.case, d.now, &d.cfg), frozen);
    assert_eq!(d.case.counters.deferrals, 1);
    assert_eq!(
        d.refused(&community(), Command::Resume).code(),
        "invalid_transition"
    );
    // A registered case may be deferred before dispatch and resumes undispatched.
    let mut d = Driver::reported();
    d.ok(&community(), register("E0102"));
    d.ok(&community(), reason(|reason| Command::Defer { reason }));
    assert!(!CaseFacts::of(&d.case).due_closing);
    d.ok(&community(), Command::Resume);
    assert_eq!(
        (d.case.state, d.case.deadline),
        (CaseState::Registered, None)
    );
}

#[test]
fn reopen_once_after_an_unsatisfied_rating() {
    let mut d = Driver::dispatched_to(Some("CG"));
    d.ok(&department("CG"), report_back());
    d.ok(&community(), verify(true));
    d.ok(&community(), Command::Close);
    d.ok(&lookup_holder(), rate(Satisfaction::Unsatisfied));
    let ask = || reason(|reason| Command::RequestReopen { reason });
    assert_eq!(d.refused(&stranger(), ask()).code(), "forbidden");
    assert_eq!(d.refused(&other_resident(), ask()).code(), "forbidden");
    d.ok(&reporter(), ask());
    assert_eq!(d.refused(&reporter(), ask()).code(), "reopen_pending");
    d.now = at(date(2025, 10, 9), 9, 0);
    let events = d.ok(&community(), Command::DecideReopen { approve: true });
    assert_eq!(
        events,
        [Event::Reopened {
            at: d.now,
            deadline: at(date(2025, 10, 17), 9, 0),
            calendar_missing: false,
        }]
    );
    assert_eq!(d.case.state, CaseState::Dispatched);
    assert_eq!(d.case.department.as_deref(), Some("CG"));
    assert!(d.case.reopened && d.case.rating.is_none());
    // Second round, still unsatisfied: no second reopening.
    d.ok(&department("CG"), report_back());
    d.ok(&community(), verify(true));
    d.ok(&community(), Command::Close);
    d.ok(&community(), rate(Satisfaction::Unsatisfied));
    let r = d.refused(&reporter(), ask());
    assert_eq!(r.code(), "reopen_used");
    assert_eq!(
        r.message_zh(),
        "已评价的案件暂不能申请重办：每个案件只能重办一次，本案已重办过"
    );
    assert_eq!(
        r.message_en(),
        "cannot request reopening a case that is rated now: a case reopens only once and this one already has"
    );
}

#[test]
fn reopen_needs_unsatisfied_and_can_be_rejected() {
    let mut d = Driver::dispatched_to(None);
    d.ok(&grid_worker(), report_back());
    d.ok(&community(), verify(true));
    d.ok(&community(), Command::Close);
    d.ok(&community(), rate(Satisfaction::BasicallySatisfied));
    let ask = || reason(|reason| Command::RequestReopen { reason });
    assert_eq!(d.refused(&reporter(), ask()).code(), "not_unsatisfied");
    let mut d = Driver::dispatched_to(None);
    d.ok(&grid_worker(), report_back());
    d.ok(&community(), verify(true));
    d.ok(&community(), Command::Close);
    d.ok(&reporter(), rate(Satisfaction::Unsatisfied));
    d.ok(&reporter(), ask());
    d.ok(&community(), Command::DecideReopen { approve: false });
    assert_eq!(
        (d.case.state, d.case.pending_reopen.clone()),
        (CaseState::Rated, None)
    );
    assert!(!d.case.reopened);
    assert_eq!(
        d.refused(&community(), Command::DecideReopen { approve: true })
            .code(),
        "no_reopen_pending"
    );
}

#[test]
fn escalation_rises_to_the_top_of_the_chain() {
    let mut d = Driver::dispatched_to(Some("CG"));
    let up = || reason(|reason| Command::Escalate { reason });
    for expected in ["网格", "社区", "街道", "区", "市"] {
        let events = d.ok(&community(), up());
        let Event::Escalated { to, to_name, .. } = &events[0] else {
            panic!("{events:?}")
        };
        assert_eq!(to_name, expected);
        assert_eq!(d.case.level, *to);
    }
    let r = d.refused(&community(), up());
    assert_eq!(r.code(), "top_level");
    assert_eq!(
        r.message_zh(),
        "已派遣的案件暂不能升级：案件已在最高层级（第 6 级），无法继续升级"
    );
    assert_eq!(d.case.counters.escalations, 5);
    assert_eq!(d.events[3].zh(), "由第 1 级升级至第 2 级（网格）：理由");
}

#[test]
fn emergencies_run_on_the_wall_clock() {
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
    // Dispatched on a holiday night: two natural hours, no waiting for a workday.
    d.now = at(date(2025, 10, 2), 23, 0);
    d.ok(&community(), dispatch("ZJ"));
    assert_eq!(d.case.deadline, Some(at(date(2025, 10, 3), 1, 0)));
    // The emergency flag overrides a general class.
    let mut d = Driver::reported();
    d.ok(
        &community(),
        Command::Register {
            category: "E0102".into(),
            deadline_class: DeadlineClass::General,
            emergency: true,
        },
    );
    d.ok(&community(), dispatch("CG"));
    assert_eq!(d.case.deadline, Some(d.now + 2 * HOUR_MS));
    // Utilities: 24 natural hours.
    let mut d = Driver::reported_with(new_case("E0607", DeadlineClass::Utilities));
    d.ok(
        &community(),
        Command::Register {
            category: "E0607".into(),
            deadline_class: DeadlineClass::Utilities,
            emergency: false,
        },
    );
    d.ok(&community(), dispatch("GD"));
    assert_eq!(d.case.deadline, Some(d.now + 24 * HOUR_MS));
}

#[test]
fn support_counts_followers() {
    let mut d = Driver::dispatched_to(Some("CG"));
    d.ok(&stranger(), Command::Support);
    d.ok(&other_resident(), Command::Support);
    assert_eq!(d.case.supporters, 2);
    assert_eq!(
        d.refused(&Actor::System, Command::Support).code(),
        "forbidden"
    );
}

#[test]
fn blank_inputs_name_their_field() {
    let mut d = Driver::reported();
    let r = d.refused(&community(), register(" "));
    assert_eq!(
        (r.code(), r.field().as_deref()),
        ("invalid_command", Some("category"))
    );
    assert_eq!(r.message_zh(), "立案失败：“category”不能为空");
    assert_eq!(r.kind(), RefusalKind::Invalid);
    d.ok(&community(), register(" E0103 "));
    assert_eq!(d.case.category, "E0103");
    let r = d.refused(
        &community(),
        Command::Dispatch {
            department: Some("  ".into()),
            is_override: false,
        },
    );
    assert_eq!(r.field().as_deref(), Some("department"));
    let r = report(
        NewCase {
            ticket: "".into(),
            ..new_case("E0102", DeadlineClass::General)
        },
        &reporter(),
        &d.cfg,
    )
    .unwrap_err();
    assert_eq!(r.field().as_deref(), Some("ticket"));
}
