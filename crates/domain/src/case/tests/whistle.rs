//! 吹哨报到: a street summons three departments; one checks in late, one tries to leave early;
//! the case closes only when every part is done; both sides rate; the clock reminds and alerts.

use super::fixtures::*;
use crate::Bilingual;
use crate::access::{Principal, Role, Scope};
use crate::calendar::HOUR_MS;
use crate::case::*;
use crate::codes::AreaCode;
use crate::metrics::WhistleTally;

const LON: f64 = 120.6004;
const LAT: f64 = 31.3004;
const MIN: i64 = 60_000;

fn blow(departments: &[&str], urgent: bool) -> Command {
    Command::BlowWhistle {
        departments: departments
            .iter()
            .map(|d| Summons {
                code: d.to_string(),
                name: match *d {
                    "CG" => "城管局",
                    "ZJ" => "住建局",
                    "HB" => "生态环境局",
                    _ => "",
                }
                .to_string(),
            })
            .collect(),
        reason: "违建占道，需城管、住建、环保联合执法".into(),
        lon: LON,
        lat: LAT,
        address: "养育巷12号".into(),
        urgent,
    }
}

fn ack(d: &str) -> Command {
    Command::AcknowledgeWhistle {
        department: d.into(),
        officer: format!("{d}负责人"),
    }
}

fn arrive(d: &str) -> Command {
    // About 22 m north of the meeting place.
    Command::ArriveWhistle {
        department: d.into(),
        lon: LON,
        lat: LAT + 0.0002,
    }
}

fn finish(d: &str) -> Command {
    Command::FinishWhistlePart {
        department: d.into(),
        note: "已完成本部门事项".into(),
        photos: vec![3, 1, 3],
    }
}

fn rate_dept(d: &str, s: u8) -> Command {
    Command::RateWhistleDepartment {
        department: d.into(),
        response: s,
        arrival: s,
        cooperation: s,
        result: s,
        note: String::new(),
    }
}

fn part<'a>(d: &'a Driver, dept: &str) -> &'a CheckIn {
    d.case.whistle().unwrap().part(dept).unwrap()
}

/// Dispatched to the locality (the street's own case), then an urgent whistle on CG, ZJ, HB at
/// 10:30.
fn whistled() -> Driver {
    let mut d = Driver::dispatched_to(None);
    d.ok(&community(), Command::Start);
    d.now += 30 * MIN;
    d.ok(&street(), blow(&["CG", "ZJ", "HB"], true));
    d
}

#[test]
fn three_departments_one_late_one_leaving_early_and_the_closure_gate() {
    let mut d = whistled();
    let blown_at = d.now;
    let w = d.case.whistle().unwrap().clone();
    assert_eq!(w.no, 1);
    assert_eq!(w.street, Some(AreaCode::parse(STREET).unwrap()));
    assert_eq!(w.parts.len(), 3);
    assert!(w.parts.iter().all(|p| p.deadline == blown_at + 30 * MIN));
    assert_eq!(part(&d, "ZJ").name, "住建局");
    assert_eq!(part(&d, "CG").state(), PartState::Summoned);

    // CG and HB check in within 30 minutes.
    d.now += 10 * MIN;
    for dept in ["CG", "HB"] {
        d.ok(&department(dept), ack(dept));
        d.ok(&department(dept), arrive(dept));
    }
    assert!(!part(&d, "CG").is_late());
    assert_eq!(part(&d, "CG").arrived.as_ref().unwrap().distance_m, 22);

    // Leaving early: ZJ, not yet on site, cannot report its part done; no department may
    // close the case.
    let r = d.refused(&department("ZJ"), finish("ZJ"));
    assert_eq!(r.code(), "not_arrived");
    assert!(
        r.message_zh().contains("事不完，人不走"),
        "{}",
        r.message_zh()
    );
    let r = d.refused(&department("HB"), Command::Close);
    assert_eq!(r.kind(), RefusalKind::Forbidden);
    // A department cannot check in for another.
    assert_eq!(d.refused(&department("CG"), ack("ZJ")).code(), "forbidden");

    // ZJ checks in late: acknowledged at 45 minutes, arrived at 50.
    d.now = blown_at + 45 * MIN;
    let e = d.ok(&department("ZJ"), ack("ZJ"));
    assert!(matches!(
        e[0],
        Event::CheckInAcknowledged { on_time: false, .. }
    ));
    d.now += 5 * MIN;
    d.ok(&department("ZJ"), arrive("ZJ"));
    assert!(part(&d, "ZJ").is_late());
    assert_eq!(d.case.whistle().unwrap().open_parts().count(), 3);

    // CG finishes; the handler reports back; the gate holds verification and closing,
    // naming ZJ and HB in Chinese and English.
    d.ok(&department("CG"), finish("CG"));
    assert_eq!(part(&d, "CG").done.as_ref().unwrap().photos, [1, 3]);
    d.ok(&community(), report_back());
    let r = d.refused(&street(), verify(true));
    assert_eq!(r.code(), "whistle_parts_open");
    assert_eq!(r.kind(), RefusalKind::Conflict);
    assert_eq!(
        r.message_zh(),
        "已反馈的案件暂不能核查：事不完，人不走——住建局（ZJ）、生态环境局（HB）承担的报到事项尚未办结"
    );
    assert!(
        r.message_en()
            .ends_with("still open: 住建局 (ZJ), 生态环境局 (HB)"),
        "{}",
        r.message_en()
    );
    assert_eq!(
        d.refused(&street(), Command::Close).code(),
        "whistle_parts_open"
    );
    // A failed verification (rework) is not held.
    assert!(d.try_cmd(&street(), &verify(false)).is_ok());

    // HB reports done, but the street finds it is not: sent back, then done again.
    d.ok(&department("HB"), finish("HB"));
    d.ok(
        &street(),
        Command::ReopenWhistlePart {
            department: "HB".into(),
            reason: "渣土未清运完毕".into(),
        },
    );
    assert_eq!(part(&d, "HB").state(), PartState::OnSite);
    assert_eq!(part(&d, "HB").reopened, 1);
    assert_eq!(
        d.refused(&street(), verify(true)).message_en(),
        "cannot verify a case that is reported back now: nobody leaves before the job is done, and the parts of these summoned departments are still open: 住建局 (ZJ), 生态环境局 (HB)"
    );
    d.ok(&department("HB"), finish("HB"));
    d.ok(&department("ZJ"), finish("ZJ"));
    assert!(!d.case.whistle().unwrap().is_open());

    // Now the case verifies and closes.
    d.ok(&street(), verify(true));
    d.ok(&street(), Command::Close);

    // Two-way evaluation after closing.
    d.ok(&street(), rate_dept("CG", 5));
    d.ok(&street(), rate_dept("ZJ", 2));
    d.ok(&street(), rate_dept("HB", 4));
    assert_eq!(
        d.refused(&street(), rate_dept("CG", 5)).code(),
        "already_rated"
    );
    let r = d.refused(&street(), rate_dept("HB", 6));
    assert_eq!(r.code(), "invalid_command");
    assert_eq!(r.field().as_deref(), Some("response"));
    for (dept, s) in [("CG", 5), ("ZJ", 4), ("HB", 3)] {
        d.ok(
            &department(dept),
            Command::RateWhistleCoordination {
                department: dept.into(),
                score: s,
                note: String::new(),
            },
        );
    }
    // The street cannot rate its own coordination.
    assert_eq!(
        d.refused(
            &street(),
            Command::RateWhistleCoordination {
                department: "CG".into(),
                score: 5,
                note: String::new()
            }
        )
        .code(),
        "forbidden"
    );

    // The scorecard sees ZJ late and rated low.
    let mut zj = WhistleTally::default();
    zj.add(part(&d, "ZJ"));
    assert_eq!((zj.acknowledged_late, zj.arrived_late), (1, 1));
    assert_eq!(zj.on_time_rate(), Some(0.0));
    assert_eq!(zj.rating_share(5), Some(0.4));
    let mut cg = WhistleTally::default();
    cg.add(part(&d, "CG"));
    assert_eq!(cg.on_time_rate(), Some(1.0));
    assert_eq!(cg.coordination_mean(), Some(5.0));

    // The whistle's facts are on the timeline in order.
    let whistle_kinds: Vec<&str> = d
        .events
        .iter()
        .filter(|e| e.whistle().is_some())
        .map(Event::kind)
        .collect();
    assert_eq!(
        whistle_kinds[..8],
        [
            "whistle_blown",
            "department_summoned",
            "department_summoned",
            "department_summoned",
            "check_in_acknowledged",
            "check_in_arrived",
            "check_in_acknowledged",
            "check_in_arrived",
        ]
    );
    let lines: Vec<String> = d
        .events
        .iter()
        .filter(|e| e.whistle().is_some())
        .map(Event::zh)
        .collect();
    assert_eq!(
        lines[0],
        "吹哨（第 1 次，紧急）：违建占道，需城管、住建、环保联合执法；集合地点 养育巷12号"
    );
    assert_eq!(lines[1], "召集城管局（CG）报到，报到时限 2025-09-28 11:00");
    assert!(lines.contains(&"部门 ZJ 接哨（负责人 ZJ负责人），已超过报到时限".to_string()));
    assert!(lines.contains(&"部门 ZJ 到场报到，距集合地点 22 米（超时到场）".to_string()));
    assert!(lines.contains(&"部门 HB 的报到事项被退回：渣土未清运完毕".to_string()));
    assert_eq!(d.case.check(), Ok(()));
}

#[test]
fn arrivals_are_checked_against_the_meeting_place_and_follow_the_acknowledgement() {
    let mut d = whistled();
    let r = d.refused(&department("CG"), arrive("CG"));
    assert_eq!(r.code(), "not_acknowledged");
    d.ok(&department("CG"), ack("CG"));
    let far = Command::ArriveWhistle {
        department: "CG".into(),
        lon: LON,
        lat: LAT + 0.01,
    };
    let r = d.refused(&department("CG"), far);
    assert_eq!(r.code(), "too_far_from_meeting_place");
    assert_eq!(
        r.message_zh(),
        "处置中的案件暂不能到场报到：报到位置距集合地点 1112 米，超出 500 米范围"
    );
    // The radius is configurable.
    d.cfg.whistle.radius_m = 2_000;
    d.ok(
        &department("CG"),
        Command::ArriveWhistle {
            department: "CG".into(),
            lon: LON,
            lat: LAT + 0.01,
        },
    );
    assert_eq!(
        d.refused(&department("CG"), arrive("CG")).code(),
        "already_arrived"
    );
    let bad = Command::ArriveWhistle {
        department: "ZJ".into(),
        lon: 200.0,
        lat: 0.0,
    };
    assert_eq!(d.refused(&department("ZJ"), bad).code(), "invalid_command");
    assert_eq!(
        d.refused(&department("WJ"), ack("WJ")).code(),
        "not_summoned"
    );
    let blank = Command::AcknowledgeWhistle {
        department: "ZJ".into(),
        officer: " ".into(),
    };
    assert_eq!(
        d.refused(&department("ZJ"), blank).field().as_deref(),
        Some("officer")
    );
}

#[test]
fn whistles_add_departments_later_and_one_at_a_time() {
    let mut d = Driver::dispatched_to(Some("CG"));
    assert_eq!(
        d.refused(
            &street(),
            Command::SummonDepartments {
                departments: vec![Summons::code("ZJ")]
            }
        )
        .code(),
        "no_whistle"
    );
    d.ok(&street(), blow(&["ZJ"], false));
    // Normal whistles give 24 hours.
    assert_eq!(part(&d, "ZJ").deadline, d.now + 24 * HOUR_MS);
    assert_eq!(
        d.refused(&street(), blow(&["HB"], false)).code(),
        "whistle_open"
    );
    d.now += HOUR_MS;
    d.ok(
        &street(),
        Command::SummonDepartments {
            departments: vec![Summons::code("HB")],
        },
    );
    assert_eq!(part(&d, "HB").summoned_at, d.now);
    assert_eq!(part(&d, "HB").name, "HB");
    assert_eq!(
        d.refused(
            &street(),
            Command::SummonDepartments {
                departments: vec![Summons::code("HB")]
            }
        )
        .code(),
        "already_summoned"
    );
    for bad in [blow(&[], false), blow(&["ZJ", "ZJ"], false)] {
        assert_eq!(d.refused(&street(), bad).code(), "invalid_command");
    }
    // Summoned departments may see the case; others may not.
    assert!(may_view(&d.case, &department("HB")));
    assert!(!may_view(&d.case, &department("WJ")));
    // Both check in and finish; a second whistle may then be blown.
    for dept in ["ZJ", "HB"] {
        d.ok(&department(dept), ack(dept));
        d.ok(&department(dept), arrive(dept));
        d.ok(&department(dept), finish(dept));
    }
    d.ok(&street(), blow(&["ZJ"], true));
    assert_eq!(d.case.whistles.len(), 2);
    assert_eq!(d.case.whistle().unwrap().no, 2);
    // The department's commands go to its latest whistle; the first one's part stays done.
    d.ok(&department("ZJ"), ack("ZJ"));
    assert!(d.case.whistles[0].part("ZJ").unwrap().done.is_some());
    // The first whistle's parts can still be rated.
    d.ok(&street(), rate_dept("HB", 3));
    assert_eq!(d.case.check(), Ok(()));
}

#[test]
fn community_staff_blow_only_with_the_street_s_grant() {
    let mut d = Driver::dispatched_to(None);
    let r = d.refused(&community(), blow(&["CG"], true));
    assert_eq!(r.code(), "forbidden");
    assert_eq!(r.message_zh(), "街道未授权本社区吹哨，不能吹哨");
    // A grant for the whole street covers its communities.
    d.cfg.whistle.community_grants = vec![AreaCode::parse(STREET).unwrap()];
    d.ok(&community(), blow(&["CG"], true));
    // Grid workers, supervisors and residents never blow; other streets neither.
    for who in [grid_worker(), supervisor(), reporter(), department("CG")] {
        assert_eq!(
            d.refused(
                &who,
                Command::SummonDepartments {
                    departments: vec![Summons::code("ZJ")]
                }
            )
            .code(),
            "forbidden",
            "{who:?}"
        );
    }
    let other_street = Actor::account(Principal {
        account_id: 9,
        role: Role::Street,
        scope: Scope::Area(AreaCode::parse("320508020000").unwrap()),
        can_unmask: false,
    });
    assert_eq!(
        d.refused(
            &other_street,
            Command::SummonDepartments {
                departments: vec![Summons::code("ZJ")]
            }
        )
        .code(),
        "forbidden"
    );
    assert!(
        d.try_cmd(
            &street(),
            &Command::SummonDepartments {
                departments: vec![Summons::code("ZJ")]
            }
        )
        .is_ok()
    );
}

#[test]
fn the_check_in_clock_reminds_then_alerts_the_street() {
    let mut d = whistled();
    let blown_at = d.now;
    let remind = || Command::RemindCheckIn {
        department: "ZJ".into(),
    };
    let overdue = || Command::MarkCheckInOverdue {
        department: "ZJ".into(),
    };
    // Only the system's clock issues these.
    assert_eq!(d.refused(&street(), remind()).code(), "forbidden");
    assert_eq!(d.refused(&Actor::System, remind()).code(), "not_due");
    d.now = blown_at + 24 * MIN;
    assert_eq!(part(&d, "ZJ").due(d.now), Some(remind()));
    d.ok(&Actor::System, remind());
    assert_eq!(
        d.refused(&Actor::System, remind()).code(),
        "already_reminded"
    );
    assert_eq!(d.refused(&Actor::System, overdue()).code(), "not_due");
    d.now = blown_at + 30 * MIN + 1;
    assert_eq!(part(&d, "ZJ").due(d.now), Some(overdue()));
    let e = d.ok(&Actor::System, overdue());
    assert_eq!(
        e[0].zh(),
        "部门 ZJ 报到超时（时限 2025-09-28 11:00），已告知街乡"
    );
    assert!(part(&d, "ZJ").overdue && part(&d, "ZJ").is_late());
    assert_eq!(part(&d, "ZJ").clock_at(), None);
    // Arriving late afterwards is still recorded.
    d.ok(&department("ZJ"), ack("ZJ"));
    d.ok(&department("ZJ"), arrive("ZJ"));
    assert!(!part(&d, "ZJ").arrived.as_ref().unwrap().on_time);
    assert_eq!(
        d.refused(&Actor::System, remind()).code(),
        "not_awaiting_check_in"
    );
}

#[test]
fn a_whistle_holds_cancelling_and_is_blown_only_while_the_case_is_handled() {
    let mut d = Driver::reported();
    d.ok(&community(), register("E0102"));
    // Registered: the street may summon before dispatching.
    d.ok(&street(), blow(&["CG"], false));
    let r = d.refused(&street(), reason(|reason| Command::Cancel { reason }));
    assert_eq!(r.code(), "whistle_parts_open");
    assert_eq!(
        d.refused(&street(), Command::MergeInto { case_id: 7 })
            .code(),
        "whistle_parts_open"
    );
    let mut closed = Driver::dispatched_to(Some("CG"));
    closed.ok(&department("CG"), report_back());
    closed.ok(&community(), verify(true));
    assert_eq!(
        closed.refused(&street(), blow(&["ZJ"], false)).code(),
        "invalid_transition"
    );
}
