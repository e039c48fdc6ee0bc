//! 改派 by the dispatcher, the dispatcher told of a return, and 核查 by the grid worker.

use super::fixtures::*;
use crate::Bilingual;
use crate::case::*;

fn redirect(department: &str, reason: &str) -> Command {
    Command::Redirect {
        department: department.into(),
        reason: reason.into(),
    }
}

#[test]
fn a_redirect_hands_the_case_to_another_department_with_a_fresh_clock() {
    let mut d = Driver::dispatched_to(Some("ZJ"));
    let first_deadline = d.case.deadline.unwrap();
    d.now = at(date(2025, 9, 30), 15, 0);
    let events = d.ok(&street(), redirect("CG", "占道经营归城管"));
    assert_eq!(d.case.state, CaseState::Dispatched);
    assert_eq!(d.case.department.as_deref(), Some("CG"));
    assert_eq!(d.case.dispatched_at, Some(d.now));
    assert_eq!(d.case.dispatched_by, Some(3));
    assert!(d.case.deadline.unwrap() > first_deadline);
    assert_eq!(d.case.counters.redirects, 1);
    assert_eq!(d.case.counters.dispatches, 2);
    let Event::Redirected {
        from,
        to,
        reason,
        deadline,
        ..
    } = &events[0]
    else {
        panic!("{events:?}")
    };
    assert_eq!((from.as_deref(), to.as_str()), (Some("ZJ"), "CG"));
    assert_eq!(reason, "占道经营归城管");
    assert_eq!(Some(*deadline), d.case.deadline);
    assert!(
        events[0].zh().starts_with("由部门 ZJ改派至部门 CG"),
        "{}",
        events[0].zh()
    );
    // The new department handles it; the old one no longer may.
    assert_eq!(
        d.refused(&department("ZJ"), Command::Start).code(),
        "forbidden"
    );
    d.ok(&department("CG"), Command::Start);
    // A started case may still be redirected: the handler found out on site.
    d.ok(&community(), redirect("SW", "实为供水管网问题"));
    assert_eq!(d.case.state, CaseState::Dispatched);
}

#[test]
fn a_redirect_needs_a_reason_and_another_department() {
    let d = Driver::dispatched_to(Some("ZJ"));
    let r = d.refused(&street(), redirect("CG", "  "));
    assert_eq!(r.kind(), RefusalKind::Invalid);
    assert!(r.message_zh().contains("reason"), "{}", r.message_zh());
    let r = d.refused(&street(), redirect("ZJ", "再派一次"));
    assert_eq!(r.kind(), RefusalKind::Invalid);
    assert!(
        r.message_zh().contains("不能改派给当前处置部门"),
        "{}",
        r.message_zh()
    );
    assert!(r.message_en().contains("department"), "{}", r.message_en());
    let r = d.refused(&street(), redirect(" ", "理由"));
    assert_eq!(r.kind(), RefusalKind::Invalid);
}

#[test]
fn only_the_dispatcher_redirects_and_only_a_dispatched_case() {
    let d = Driver::dispatched_to(Some("ZJ"));
    for who in [
        department("ZJ"),
        department("CG"),
        grid_worker(),
        other_community(),
    ] {
        assert_eq!(
            d.refused(&who, redirect("CG", "理由")).code(),
            "forbidden",
            "{who:?}"
        );
    }
    let mut registered = Driver::reported();
    registered.ok(&community(), register("E0102"));
    assert_eq!(
        registered.refused(&street(), redirect("CG", "理由")).kind(),
        RefusalKind::Conflict
    );
    let mut reported_back = Driver::dispatched_to(Some("ZJ"));
    reported_back.ok(&department("ZJ"), report_back());
    assert_eq!(
        reported_back
            .refused(&street(), redirect("CG", "理由"))
            .kind(),
        RefusalKind::Conflict
    );
}

#[test]
fn the_old_department_hears_it_lost_the_case_and_the_new_one_gets_it() {
    let mut d = Driver::dispatched_to(Some("ZJ"));
    let events = d.ok(&street(), redirect("CG", "理由"));
    let told: Vec<_> = notices(&d.case, &events)
        .into_iter()
        .map(|n| (n.kind, n.recipient.to_string()))
        .collect();
    assert_eq!(
        told,
        [
            (NotificationKind::Dispatched, "department:CG".to_string()),
            (NotificationKind::RedirectedAway, "department:ZJ".to_string()),
        ]
    );
}

#[test]
fn a_return_tells_whoever_dispatched_or_the_street_and_district_after_the_rules() {
    let mut d = Driver::dispatched_to(Some("ZJ"));
    let events = d.ok(
        &department("ZJ"),
        reason(|reason| Command::Return { reason }),
    );
    let told: Vec<_> = notices(&d.case, &events)
        .into_iter()
        .map(|n| (n.kind, n.recipient.to_string(), n.department))
        .collect();
    // The community account (id 2) dispatched it.
    assert_eq!(
        told,
        [(
            NotificationKind::Returned,
            "account:2".to_string(),
            Some("ZJ".into())
        )]
    );

    let mut auto = Driver::reported();
    auto.ok(&Actor::System, register("E0102"));
    auto.ok(&Actor::System, dispatch("ZJ"));
    assert_eq!(auto.case.dispatched_by, None);
    let events = auto.ok(
        &department("ZJ"),
        reason(|reason| Command::Return { reason }),
    );
    let told: Vec<_> = notices(&auto.case, &events)
        .into_iter()
        .map(|n| n.recipient.to_string())
        .collect();
    assert_eq!(told, ["area:320508019000", "area:320508000000"]);
}

#[test]
fn the_grid_worker_verifies_in_its_grid_when_the_city_says_so() {
    let mut d = Driver::dispatched_to(Some("CG"));
    d.ok(&department("CG"), report_back());
    assert_eq!(
        d.refused(&neighbour_grid_worker(), verify(true)).code(),
        "forbidden"
    );
    let mut off = Driver::dispatched_to(Some("CG"));
    off.ok(&department("CG"), report_back());
    off.cfg.verification_by_grid = false;
    let r = off.refused(&grid_worker(), verify(true));
    assert!(matches!(
        r,
        Refusal::Forbidden {
            fault: WhoFault::VerificationNotGranted,
            ..
        }
    ));
    // The street still verifies with the setting off.
    off.ok(&street(), verify(true));
    // A failed check sends it back with the note; a passed one verifies.
    d.ok(&grid_worker(), verify(false));
    assert_eq!(d.case.state, CaseState::InProgress);
    d.ok(&department("CG"), report_back());
    d.ok(&grid_worker(), verify(true));
    assert_eq!(d.case.state, CaseState::Verified);
    // Verified is as far as the grid worker goes: closing is the dispatcher's.
    assert_eq!(
        d.refused(&grid_worker(), Command::Close).code(),
        "forbidden"
    );
}

#[test]
fn the_grid_worker_waits_only_on_what_it_can_do() {
    let mut d = Driver::dispatched_to(Some("CG"));
    let cfg = d.cfg.clone();
    // Dispatched to a department: nothing for the grid worker, handling for the department,
    // redirecting (a side path, not a wait) for the street.
    assert!(waiting_steps(&d.case, &grid_worker(), &cfg, d.now).is_empty());
    assert_eq!(
        waiting_steps(&d.case, &department("CG"), &cfg, d.now),
        [CommandKind::Start, CommandKind::ReportBack]
    );
    assert!(available_commands(&d.case, &street(), &cfg, d.now).contains(&CommandKind::Redirect));
    assert!(waiting_steps(&d.case, &street(), &cfg, d.now).is_empty());
    d.ok(&department("CG"), report_back());
    assert_eq!(
        waiting_steps(&d.case, &grid_worker(), &cfg, d.now),
        [CommandKind::Verify]
    );
    assert_eq!(CommandKind::Verify.waiting_zh(), "待核查");
    assert!(waiting_steps(&d.case, &neighbour_grid_worker(), &cfg, d.now).is_empty());
    let mut off = cfg.clone();
    off.verification_by_grid = false;
    assert!(waiting_steps(&d.case, &grid_worker(), &off, d.now).is_empty());
}

#[test]
fn a_redirected_case_was_not_dispatched_accurately() {
    use crate::metrics::CaseFacts;
    let mut d = Driver::dispatched_to(Some("ZJ"));
    assert!(CaseFacts::of(&d.case).dispatched_accurately);
    d.ok(&street(), redirect("CG", "理由"));
    let facts = CaseFacts::of(&d.case);
    assert!(facts.dispatched && !facts.dispatched_accurately);
}
