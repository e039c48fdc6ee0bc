//! Who may issue which command on which case.

use super::fixtures::*;
use crate::Bilingual;
use crate::access::DenyReason;
use crate::case::*;

fn fault(r: Refusal) -> WhoFault {
    match r {
        Refusal::Forbidden { fault, .. } => fault,
        other => panic!("not forbidden: {}", other.message_en()),
    }
}

#[test]
fn dispatchers_act_inside_their_area_only() {
    let mut d = Driver::reported();
    for who in [admin(), street(), community()] {
        assert!(d.try_cmd(&who, &register("E0102")).is_ok());
    }
    let r = d.refused(&other_community(), register("E0102"));
    assert_eq!(r.kind(), RefusalKind::Forbidden);
    assert!(matches!(
        fault(r.clone()),
        WhoFault::Denied(ref den) if den.reason == DenyReason::OutOfScope
    ));
    assert!(
        r.message_zh().starts_with("无权立案："),
        "{}",
        r.message_zh()
    );
    for who in [grid_worker(), department("CG"), supervisor(), reporter()] {
        let r = d.refused(&who, register("E0102"));
        assert_eq!(r.code(), "forbidden");
    }
    // The server registers and dispatches by the dispatch rules (智能派遣), but does nothing
    // else a dispatcher does.
    assert!(d.try_cmd(&Actor::System, &register("E0102")).is_ok());
    assert_eq!(
        fault(d.refused(&Actor::System, reason(|reason| Command::Cancel { reason }))),
        WhoFault::NotForSystem
    );
    assert_eq!(
        fault(d.refused(&stranger(), register("E0102"))),
        WhoFault::SignInRequired
    );
    d.ok(&community(), register("E0102"));
}

#[test]
fn only_the_case_s_department_handles_it() {
    let d = Driver::dispatched_to(Some("CG"));
    assert!(d.try_cmd(&department("CG"), &Command::Start).is_ok());
    assert!(d.try_cmd(&admin(), &Command::Start).is_ok());
    for who in [department("ZJ"), community(), grid_worker(), street()] {
        let r = d.refused(&who, Command::Start);
        assert_eq!(r.code(), "forbidden", "{who:?}");
    }
}

#[test]
fn the_locality_handles_undispatched_to_departments() {
    let mut d = Driver::dispatched_to(None);
    assert_eq!(d.case.department, None);
    assert_eq!(d.events[2].zh(), "派遣至属地，处置时限 2025-10-14 10:00");
    // Its grid worker and the community handle; a neighbour grid and departments do not.
    assert!(d.try_cmd(&community(), &Command::Start).is_ok());
    for who in [neighbour_grid_worker(), department("CG")] {
        assert_eq!(d.refused(&who, Command::Start).code(), "forbidden");
    }
    d.ok(&grid_worker(), Command::Start);
    d.ok(&grid_worker(), report_back());
    // The grid worker does not verify its own work.
    assert_eq!(d.refused(&grid_worker(), verify(true)).code(), "forbidden");
}

#[test]
fn rating_by_the_reporter_or_follow_up_staff() {
    let mut d = Driver::dispatched_to(Some("CG"));
    d.ok(&department("CG"), report_back());
    d.ok(&community(), verify(true));
    d.ok(&community(), Command::Close);
    let rate = || rate(crate::case::Satisfaction::Satisfied);
    for who in [reporter(), lookup_holder(), community(), admin()] {
        assert!(d.try_cmd(&who, &rate()).is_ok(), "{who:?}");
    }
    assert_eq!(
        fault(d.refused(&other_resident(), rate())),
        WhoFault::NotReporter
    );
    assert_eq!(
        fault(d.refused(&stranger(), rate())),
        WhoFault::SignInRequired
    );
    assert!(matches!(
        fault(d.refused(&grid_worker(), rate())),
        WhoFault::Denied(_)
    ));
    assert!(matches!(
        fault(d.refused(&department("CG"), rate())),
        WhoFault::Denied(_)
    ));
    // A resident flagged as reporter by the caller (lookup code while signed in).
    let flagged = match other_resident() {
        Actor::Account { principal, .. } => Actor::Account {
            principal,
            is_reporter: true,
        },
        other => other,
    };
    assert!(d.try_cmd(&flagged, &rate()).is_ok());
    // Staff who filed a case are not its "reporter" for rating purposes.
    let mut staff_case = d.case.clone();
    staff_case.reporter = Some(6);
    assert!(!grid_worker().is_reporter_of(&staff_case));
}

#[test]
fn clock_commands_belong_to_the_system() {
    let mut d = Driver::dispatched_to(Some("CG"));
    d.now = d.case.deadline.unwrap() + 1;
    for who in [admin(), community(), department("CG")] {
        assert_eq!(
            fault(d.refused(&who, Command::MarkOverdue)),
            WhoFault::OnlySystem
        );
        assert_eq!(
            fault(d.refused(&who, Command::WarnDeadline)),
            WhoFault::OnlySystem
        );
    }
    let r = d.refused(&community(), Command::MarkOverdue);
    assert_eq!(r.message_zh(), "“超期标记”只能由时限任务执行");
    assert_eq!(
        r.message_en(),
        "only the deadline job may mark overdue a case"
    );
    d.ok(&Actor::System, Command::MarkOverdue);
}

#[test]
fn unlocated_cases_are_for_city_wide_accounts() {
    let mut new = new_case("E0102", DeadlineClass::General);
    new.grid = None;
    new.community = None;
    let d = Driver::reported_with(new);
    assert_eq!(case_target(&d.case), crate::access::Target::Everything);
    assert!(d.try_cmd(&admin(), &register("E0102")).is_ok());
    assert_eq!(d.refused(&street(), register("E0102")).code(), "forbidden");
}

#[test]
fn who_may_report_and_view() {
    let cfg = LoopConfig::default();
    let new = || new_case("E0102", DeadlineClass::General);
    for who in [
        reporter(),
        grid_worker(),
        community(),
        admin(),
        Actor::System,
        stranger(),
    ] {
        assert!(report(new(), &who, &cfg).is_ok(), "{who:?}");
    }
    for who in [neighbour_grid_worker(), other_community(), department("CG")] {
        let r = report(new(), &who, &cfg).unwrap_err();
        assert_eq!(r.command(), CommandKind::Report);
        assert_eq!(r.code(), "forbidden");
    }
    let closed = LoopConfig {
        allow_anonymous_reports: false,
        ..LoopConfig::default()
    };
    assert_eq!(
        report(new(), &stranger(), &closed)
            .unwrap_err()
            .message_zh(),
        "请先登录或输入查询码后再上报"
    );

    let d = Driver::dispatched_to(Some("CG"));
    for who in [
        reporter(),
        lookup_holder(),
        community(),
        street(),
        grid_worker(),
        department("CG"),
        supervisor(),
        admin(),
        Actor::System,
    ] {
        assert!(may_view(&d.case, &who), "{who:?}");
    }
    for who in [
        other_resident(),
        stranger(),
        department("ZJ"),
        other_community(),
        neighbour_grid_worker(),
    ] {
        assert!(!may_view(&d.case, &who), "{who:?}");
    }
}

/// A red grid member follows the cases it reported, and only those: it sees nothing else of
/// the loop, and rating stays the resident's.
#[test]
fn a_red_grid_member_follows_its_own_reports() {
    let red = |id| {
        Actor::account(crate::access::Principal {
            account_id: id,
            role: crate::access::Role::RedMember,
            scope: crate::access::Scope::Grid(crate::codes::GridCode::parse(GRID).unwrap()),
            can_unmask: false,
        })
    };
    let mut d = Driver::dispatched_to(Some("CG"));
    assert!(!may_view(&d.case, &red(900)), "not its report");
    d.case.reporter = Some(900);
    assert!(may_view(&d.case, &red(900)));
    assert!(!may_view(&d.case, &red(901)));
    assert!(!red(900).is_reporter_of(&d.case), "it rates nothing");
}

/// Security finding 14: a resident filed `emergency: true` through the API and jumped every
/// queue with a 2-hour deadline. Only staff and the system mark emergencies.
#[test]
fn only_staff_and_the_hotline_mark_an_emergency() {
    let cfg = LoopConfig::default();
    let urgent = || NewCase {
        emergency: true,
        ..new_case("E0102", DeadlineClass::General)
    };
    for who in [reporter(), stranger()] {
        let r = report(urgent(), &who, &cfg).unwrap_err();
        assert_eq!(fault(r.clone()), WhoFault::EmergencyIsForStaff, "{who:?}");
        assert!(r.message_zh().contains("紧急"));
        assert!(r.message_en().contains("emergency"));
    }
    for who in [grid_worker(), community(), admin(), Actor::System] {
        let (case, _) = report(urgent(), &who, &cfg).unwrap();
        assert!(case.emergency, "{who:?}");
    }
}

#[test]
fn only_the_reporter_s_own_account_sees_the_reporter_s_phone() {
    let d = Driver::dispatched_to(Some("CG"));
    assert!(may_see_reporter_phone(&d.case, &reporter()));
    for who in [
        lookup_holder(),
        other_resident(),
        stranger(),
        community(),
        street(),
        grid_worker(),
        department("CG"),
        supervisor(),
        admin(),
        Actor::System,
    ] {
        assert!(!may_see_reporter_phone(&d.case, &who), "{who:?}");
    }
}

#[test]
fn those_who_dispatch_or_handle_may_reveal_the_reporter_s_phone_and_no_one_else() {
    let d = Driver::dispatched_to(Some("CG"));
    for who in [community(), street(), admin(), department("CG")] {
        assert!(may_reveal_reporter_phone(&d.case, &who), "{who:?}");
        // Revealing is a logged act; nobody on staff sees the number as a matter of course.
        assert!(!may_see_reporter_phone(&d.case, &who), "{who:?}");
    }
    for who in [
        supervisor(),
        other_community(),
        department("ZJ"),
        reporter(),
        other_resident(),
        lookup_holder(),
        stranger(),
        Actor::System,
    ] {
        assert!(!may_reveal_reporter_phone(&d.case, &who), "{who:?}");
    }
}

#[test]
fn only_steps_that_bring_their_own_photos_show_the_work_done() {
    assert!(
        Event::ReportedBack {
            note: "x".into(),
            on_time: true
        }
        .shows_handling()
    );
    assert!(!Event::Started.shows_handling());
    assert!(!Event::Supported.shows_handling());
}
