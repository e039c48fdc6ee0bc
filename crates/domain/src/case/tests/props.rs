//! Random command sequences from random actors: whatever is accepted keeps the case valid.

use proptest::prelude::*;

use super::fixtures::*;
use crate::calendar::{DAY_MS, Duration, HOUR_MS};
use crate::case::*;
use crate::metrics::CaseFacts;

/// Everyone who might try something.
fn actors() -> Vec<Actor> {
    vec![
        admin(),
        community(),
        street(),
        other_community(),
        department("CG"),
        department("ZJ"),
        grid_worker(),
        neighbour_grid_worker(),
        supervisor(),
        reporter(),
        other_resident(),
        lookup_holder(),
        stranger(),
        Actor::System,
    ]
}

/// Someone the rules would normally accept for `cmd` on `case`, so that sequences get deep
/// into the loop instead of being refused at the door.
fn fitting_actor(case: &Case, cmd: &Command, pick: usize) -> Actor {
    use CommandKind::*;
    let choose = |v: Vec<Actor>| v[pick % v.len()].clone();
    match cmd.kind() {
        Start | ReportBack | RequestExtension | Return => match &case.department {
            Some(d) => choose(vec![department(d), admin()]),
            None => choose(vec![grid_worker(), community()]),
        },
        Rate | RequestReopen => choose(vec![reporter(), lookup_holder(), community()]),
        WarnDeadline | MarkOverdue | RemindCheckIn | MarkCheckInOverdue => Actor::System,
        AcknowledgeWhistle | ArriveWhistle | FinishWhistlePart | RateWhistleCoordination => {
            let d = cmd.whistle_department().unwrap_or("CG").to_string();
            choose(vec![department(&d), admin()])
        }
        BlowWhistle | SummonDepartments | ReopenWhistlePart | RateWhistleDepartment => {
            choose(vec![street(), admin()])
        }
        Support => choose(vec![stranger(), other_resident()]),
        _ => choose(vec![community(), street(), admin()]),
    }
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![3 => Just("理由".to_string()), 1 => Just(" ".to_string())]
}

fn duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        (0u32..4).prop_map(Duration::WorkingDays),
        (0u32..30).prop_map(Duration::WorkingHours),
        (0u32..30).prop_map(Duration::NaturalHours),
    ]
}

fn satisfaction() -> impl Strategy<Value = Satisfaction> {
    prop_oneof![
        Just(Satisfaction::Satisfied),
        Just(Satisfaction::BasicallySatisfied),
        Just(Satisfaction::Unsatisfied),
    ]
}

fn class() -> impl Strategy<Value = DeadlineClass> {
    prop::sample::select(DeadlineClass::ALL.to_vec())
}

fn command() -> impl Strategy<Value = Command> {
    let department = prop_oneof![
        Just(Some("CG".to_string())),
        Just(Some("ZJ".to_string())),
        Just(None),
        Just(Some(" ".to_string())),
    ];
    prop_oneof![
        1 => (class(), any::<bool>()).prop_map(|(deadline_class, emergency)| Command::Register {
            category: "E0102".into(),
            deadline_class,
            emergency,
        }),
        1 => text().prop_map(|reason| Command::Cancel { reason }),
        1 => (40i64..44).prop_map(|case_id| Command::MergeInto { case_id }),
        3 => (department, any::<bool>()).prop_map(|(department, is_override)| Command::Dispatch {
            department,
            is_override,
        }),
        3 => Just(Command::Start),
        3 => text().prop_map(|note| Command::ReportBack { note }),
        3 => (prop::bool::weighted(0.7), text()).prop_map(|(passed, note)| Command::Verify { passed, note }),
        3 => Just(Command::Close),
        3 => (any::<bool>(), any::<bool>(), satisfaction()).prop_map(
            |(contacted, resolved, satisfaction)| Command::Rate {
                contacted,
                resolved,
                satisfaction,
            }
        ),
        2 => (duration(), text()).prop_map(|(by, reason)| Command::RequestExtension { by, reason }),
        2 => any::<bool>().prop_map(|approve| Command::DecideExtension { approve }),
        1 => text().prop_map(|reason| Command::Defer { reason }),
        2 => Just(Command::Resume),
        1 => text().prop_map(|reason| Command::Return { reason }),
        1 => (prop::sample::select(vec!["CG", "ZJ", " "]), text()).prop_map(|(d, reason)| {
            Command::Redirect {
                department: d.to_string(),
                reason,
            }
        }),
        2 => text().prop_map(|reason| Command::RequestReopen { reason }),
        2 => any::<bool>().prop_map(|approve| Command::DecideReopen { approve }),
        1 => text().prop_map(|reason| Command::Escalate { reason }),
        1 => Just(Command::Support),
        2 => Just(Command::WarnDeadline),
        2 => Just(Command::MarkOverdue),
        2 => whistle_command(),
    ]
}

/// The departments a whistle may summon.
fn summoned() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["CG".to_string(), "ZJ".to_string(), "HB".to_string()])
}

/// 吹哨报到's commands, arriving near the meeting place or, now and then, far from it.
fn whistle_command() -> impl Strategy<Value = Command> {
    let departments = || {
        prop::collection::vec(summoned(), 0..3)
            .prop_map(|v| v.into_iter().map(|c| Summons::code(&c)).collect::<Vec<_>>())
    };
    prop_oneof![
        (departments(), any::<bool>(), text()).prop_map(|(departments, urgent, reason)| {
            Command::BlowWhistle {
                departments,
                reason,
                lon: 120.6,
                lat: 31.3,
                address: String::new(),
                urgent,
            }
        }),
        departments().prop_map(|departments| Command::SummonDepartments { departments }),
        (summoned(), text()).prop_map(|(department, officer)| Command::AcknowledgeWhistle {
            department,
            officer
        }),
        (summoned(), prop::bool::weighted(0.8)).prop_map(|(department, near)| {
            Command::ArriveWhistle {
                department,
                lon: 120.6,
                lat: if near { 31.3001 } else { 31.31 },
            }
        }),
        (summoned(), text()).prop_map(|(department, note)| Command::FinishWhistlePart {
            department,
            note,
            photos: vec![1],
        }),
        (summoned(), text())
            .prop_map(|(department, reason)| Command::ReopenWhistlePart { department, reason }),
        (summoned(), 0u8..7).prop_map(|(department, s)| Command::RateWhistleDepartment {
            department,
            response: s,
            arrival: 5,
            cooperation: 4,
            result: 3,
            note: String::new(),
        }),
        (summoned(), 0u8..7).prop_map(|(department, score)| {
            Command::RateWhistleCoordination {
                department,
                score,
                note: String::new(),
            }
        }),
        summoned().prop_map(|department| Command::RemindCheckIn { department }),
        summoned().prop_map(|department| Command::MarkCheckInOverdue { department }),
    ]
}

/// Commands that make sense in the case's state, repeated by how often they should come up,
/// so that random sequences reach reworks, extensions, deferrals, returns and reopenings
/// instead of ending early in a cancellation.
fn likely(case: &Case) -> Vec<Command> {
    use CaseState::*;
    let r = || "理由".to_string();
    let register = |deadline_class, emergency| Command::Register {
        category: "E0102".into(),
        deadline_class,
        emergency,
    };
    let dispatch = |d: Option<&str>| Command::Dispatch {
        department: d.map(String::from),
        is_override: false,
    };
    let extend = |by| Command::RequestExtension { by, reason: r() };
    let rate = |satisfaction| Command::Rate {
        contacted: true,
        resolved: satisfaction != Satisfaction::Unsatisfied,
        satisfaction,
    };
    let mut v = match case.state {
        Reported => vec![
            register(DeadlineClass::General, false),
            register(DeadlineClass::General, false),
            register(DeadlineClass::Complex, false),
            register(DeadlineClass::Utilities, true),
            Command::Cancel { reason: r() },
            Command::MergeInto { case_id: 7 },
        ],
        Registered => vec![
            dispatch(Some("CG")),
            dispatch(Some("CG")),
            dispatch(Some("ZJ")),
            dispatch(None),
            dispatch(None),
            Command::Defer { reason: r() },
            Command::Cancel { reason: r() },
        ],
        Dispatched | InProgress => vec![
            Command::Start,
            Command::ReportBack { note: r() },
            Command::ReportBack { note: r() },
            Command::ReportBack { note: r() },
            extend(Duration::WorkingDays(2)),
            extend(Duration::NaturalHours(5)),
            Command::DecideExtension { approve: true },
            Command::DecideExtension { approve: true },
            Command::DecideExtension { approve: false },
            Command::Defer { reason: r() },
            Command::Return { reason: r() },
            Command::Redirect {
                department: if case.department.as_deref() == Some("CG") {
                    "ZJ"
                } else {
                    "CG"
                }
                .into(),
                reason: r(),
            },
            Command::WarnDeadline,
            Command::WarnDeadline,
            Command::MarkOverdue,
            Command::MarkOverdue,
        ],
        ReportedBack => vec![
            Command::Verify {
                passed: true,
                note: r(),
            },
            Command::Verify {
                passed: true,
                note: r(),
            },
            Command::Verify {
                passed: false,
                note: r(),
            },
        ],
        Verified => vec![Command::Close],
        Closed => vec![
            rate(Satisfaction::Unsatisfied),
            rate(Satisfaction::Unsatisfied),
            rate(Satisfaction::Satisfied),
            rate(Satisfaction::BasicallySatisfied),
        ],
        Rated => vec![
            Command::RequestReopen { reason: r() },
            Command::RequestReopen { reason: r() },
            Command::DecideReopen { approve: true },
            Command::DecideReopen { approve: true },
            Command::DecideReopen { approve: false },
        ],
        Deferred => vec![Command::Resume, Command::Resume],
        Cancelled | Merged => vec![Command::Resume, Command::Support, dispatch(Some("CG"))],
    };
    v.extend([Command::Escalate { reason: r() }, Command::Support]);
    // With a whistle open, its departments work their parts, so that the gate opens again.
    if let Some(w) = case.whistle().filter(|w| w.is_open()) {
        for p in w.open_parts() {
            let department = p.department.clone();
            v.push(match p.state() {
                PartState::Summoned => Command::AcknowledgeWhistle {
                    department,
                    officer: r(),
                },
                PartState::Acknowledged => Command::ArriveWhistle {
                    department,
                    lon: 120.6,
                    lat: 31.3001,
                },
                _ => Command::FinishWhistlePart {
                    department,
                    note: r(),
                    photos: Vec::new(),
                },
            });
        }
    } else if matches!(case.state, Dispatched | InProgress) {
        v.push(Command::BlowWhistle {
            departments: vec![Summons::code("ZJ"), Summons::code("HB")],
            reason: r(),
            lon: 120.6,
            lat: 31.3,
            address: String::new(),
            urgent: true,
        });
    }
    v
}

/// One step: a random command or a likely one, who issues it (fitting or anyone), and how
/// much time passes first.
fn step() -> impl Strategy<Value = (Command, bool, bool, usize, i64)> {
    (
        command(),
        prop::bool::weighted(0.8),
        prop::bool::weighted(0.85),
        0usize..720,
        prop_oneof![
            2 => Just(0i64),
            2 => 0i64..(6 * HOUR_MS),
            1 => 0i64..(5 * DAY_MS),
        ],
    )
}

fn start_time() -> impl Strategy<Value = i64> {
    // Any minute of 2025–2026, holidays and make-up days included.
    (0i64..(730 * 24 * 60)).prop_map(|m| at(date(2025, 1, 1), 0, 0) + m * 60_000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn accepted_commands_keep_every_case_valid(
        start in start_time(),
        steps in prop::collection::vec(step(), 1..120),
    ) {
        let all = actors();
        let mut d = Driver::reported();
        d.now = start;
        let mut reopenings = 0;
        // True from a dispatch, rework or reopening until the next passed verification.
        let mut needs_verification = false;
        let mut final_since: Option<CaseState> = None;
        for (random, guided, fitting, pick, wait) in steps {
            d.now += wait;
            let cmd = if guided {
                let options = likely(&d.case);
                options[pick % options.len()].clone()
            } else {
                random
            };
            let who = if fitting {
                fitting_actor(&d.case, &cmd, pick)
            } else {
                all[pick % all.len()].clone()
            };
            let before = d.case.clone();
            let result = decide(&d.case, &who, &cmd, d.now, &d.cfg);
            if let Some(state) = final_since {
                prop_assert!(result.is_err(), "{state:?} accepted {cmd:?}");
                continue;
            }
            let Ok(events) = result else { continue };
            prop_assert!(!events.is_empty());
            for e in &events {
                let old = d.case.clone();
                apply(&mut d.case, e);
                let new = &d.case;
                prop_assert_eq!(new.version, old.version + 1);
                // The deadline moves only forward, and only by an approved extension or the
                // end of a deferral; a new handling round (dispatch, reopening) sets a fresh
                // one and a return clears it.
                match e {
                    Event::ExtensionApproved { .. } => {
                        prop_assert!(new.deadline > old.deadline, "{e:?}");
                    }
                    Event::Resumed { .. } => prop_assert!(new.deadline >= old.deadline),
                    Event::Dispatched { at, .. }
                    | Event::Reopened { at, .. }
                    | Event::Redirected { at, .. } => {
                        prop_assert!(new.deadline >= Some(*at));
                    }
                    Event::Returned { .. } => prop_assert_eq!(new.deadline, None),
                    _ => prop_assert_eq!(new.deadline, old.deadline, "{:?}", e),
                }
                match e {
                    Event::Dispatched { .. } | Event::Reworked { .. } | Event::Redirected { .. } => {
                        needs_verification = true
                    }
                    Event::Reopened { .. } => {
                        reopenings += 1;
                        needs_verification = true;
                    }
                    Event::Verified { .. } => needs_verification = false,
                    _ => {}
                }
                prop_assert!(new.level >= old.level && new.level <= d.cfg.escalation.top());
                let (o, n) = (old.counters, new.counters);
                prop_assert!(
                    n.dispatches >= o.dispatches && n.reworks >= o.reworks
                        && n.extensions >= o.extensions && n.deferrals >= o.deferrals
                        && n.returns >= o.returns && n.escalations >= o.escalations
                        && n.redirects >= o.redirects
                );
                prop_assert!(new.supporters >= old.supporters);
            }
            prop_assert_eq!(d.case.version, before.version + events.len() as i64);
            if let Err(broken) = d.case.check() {
                prop_assert!(false, "{} after {:?} by {:?}: {:?}", broken, cmd, who, d.case);
            }
            if matches!(d.case.state, CaseState::Closed | CaseState::Rated | CaseState::Verified) {
                prop_assert!(!needs_verification, "closed without verification after rework");
                prop_assert!(d.case.verified);
            }
            // 事不完，人不走: never verified, closed or cancelled with a summoned part open.
            if matches!(d.case.state, CaseState::Verified | CaseState::Closed | CaseState::Rated | CaseState::Cancelled | CaseState::Merged) {
                prop_assert!(d.case.open_whistle_parts().is_empty());
            }
            for w in &d.case.whistles {
                for p in &w.parts {
                    prop_assert!(p.arrived.is_none() || p.acknowledged.is_some());
                    prop_assert!(p.done.is_none() || p.arrived.is_some());
                    prop_assert!(p.rating.is_none() || p.arrived.is_some());
                    if let Some(a) = &p.arrived {
                        prop_assert!(a.distance_m <= d.cfg.whistle.radius_m);
                    }
                }
            }
            prop_assert!(reopenings <= 1);
            prop_assert_eq!(d.case.reopened, reopenings == 1);
            if d.case.state.is_final() {
                final_since = Some(d.case.state);
            }
            let f = CaseFacts::of(&d.case);
            prop_assert!(!f.closed_on_time || f.closed);
            prop_assert!(!f.dispatched_accurately || f.dispatched);
            prop_assert!(!(f.handled_on_time && f.handled_late));
            d.events.extend(events);
        }
        // Replaying the whole timeline onto the reported case gives the same case.
        let (mut replay, _) = report(new_case("E0102", DeadlineClass::General), &reporter(), &d.cfg).unwrap();
        for e in &d.events[1..] {
            apply(&mut replay, e);
        }
        prop_assert_eq!(replay, d.case);
    }
}
