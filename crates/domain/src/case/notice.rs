//! Who hears about what just happened to a case: the inbox notices (and the webhook topics)
//! that a change's events cause, with typed recipients. The application layer writes them in
//! the change's transaction.

use super::{Case, Event};
use crate::codes::{AreaCode, AreaLevel, GridCode};
use std::fmt;

/// Whose inbox a notice lands in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recipient {
    Department(String),
    Grid(GridCode),
    Area(AreaCode),
    /// One account: the dispatcher of a case that was returned.
    Account(i64),
    /// The whole city (a case located nowhere).
    All,
}

impl fmt::Display for Recipient {
    /// The inbox's stored key: `department:CG`, `grid:…`, `area:…`, `account:7`, `all`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Recipient::Department(d) => write!(f, "department:{d}"),
            Recipient::Grid(g) => write!(f, "grid:{g}"),
            Recipient::Area(a) => write!(f, "area:{a}"),
            Recipient::Account(id) => write!(f, "account:{id}"),
            Recipient::All => f.write_str("all"),
        }
    }
}

/// What a notice is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotificationKind {
    Dispatched,
    Warned,
    Overdue,
    Escalated,
    Summoned,
    CheckInReminder,
    CheckInOverdue,
    PartDone,
    PartReopened,
    /// The handler lost the case to another department (改派).
    RedirectedAway,
    /// The handler returned the dispatch (回退): its dispatcher is told.
    Returned,
}

impl NotificationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Dispatched => "dispatched",
            NotificationKind::Warned => "warned",
            NotificationKind::Overdue => "overdue",
            NotificationKind::Escalated => "escalated",
            NotificationKind::Summoned => "summoned",
            NotificationKind::CheckInReminder => "check_in_reminder",
            NotificationKind::CheckInOverdue => "check_in_overdue",
            NotificationKind::PartDone => "part_done",
            NotificationKind::PartReopened => "part_reopened",
            NotificationKind::RedirectedAway => "redirected_away",
            NotificationKind::Returned => "returned",
        }
    }

    /// The webhook topic the notice is also delivered under, if any: a reminder is another
    /// summons, a missed check-in another overdue; a part done or sent back is the street's
    /// and the department's own business.
    pub fn webhook_topic(self) -> Option<&'static str> {
        match self {
            NotificationKind::Dispatched => Some("dispatched"),
            NotificationKind::Warned => Some("warned"),
            NotificationKind::Overdue | NotificationKind::CheckInOverdue => Some("overdue"),
            NotificationKind::Escalated => Some("escalated"),
            NotificationKind::Summoned | NotificationKind::CheckInReminder => Some("summoned"),
            NotificationKind::PartDone
            | NotificationKind::PartReopened
            | NotificationKind::RedirectedAway
            | NotificationKind::Returned => None,
        }
    }
}

/// One notice a change causes.
#[derive(Clone, Debug, PartialEq)]
pub struct Notification<'e> {
    pub kind: NotificationKind,
    pub recipient: Recipient,
    /// The event it tells of.
    pub event: &'e Event,
    /// The department the notice names: a whistle event's summoned department, else the case's.
    pub department: Option<String>,
}

/// The notices `events` cause, on `case` as it is after them: a dispatch tells the department
/// (or the locality), a redirect the new department and the one that lost the case, a return
/// whoever made the dispatch, a warning or overdue mark whoever handles the case, an
/// escalation the level it reached; 吹哨报到 tells each summoned department, and the street
/// when a check-in is missed or a part is done.
pub fn notices<'e>(case: &Case, events: &'e [Event]) -> Vec<Notification<'e>> {
    events
        .iter()
        .flat_map(|event| {
            let told: Vec<(NotificationKind, Recipient)> = match event {
                Event::Dispatched {
                    department: Some(d),
                    ..
                } => vec![(NotificationKind::Dispatched, Recipient::Department(d.clone()))],
                Event::Dispatched {
                    department: None, ..
                } => vec![(NotificationKind::Dispatched, locality(case))],
                Event::Redirected { from, to, .. } => vec![
                    (NotificationKind::Dispatched, Recipient::Department(to.clone())),
                    (
                        NotificationKind::RedirectedAway,
                        match from {
                            Some(d) => Recipient::Department(d.clone()),
                            None => locality(case),
                        },
                    ),
                ],
                Event::Returned {
                    dispatched_by: Some(account),
                    ..
                } => vec![(NotificationKind::Returned, Recipient::Account(*account))],
                Event::Returned {
                    dispatched_by: None,
                    ..
                } => dispatchers_of_place(case)
                    .into_iter()
                    .map(|r| (NotificationKind::Returned, r))
                    .collect(),
                Event::DeadlineWarned { .. } => vec![(NotificationKind::Warned, handler(case))],
                Event::MarkedOverdue { .. } => vec![(NotificationKind::Overdue, handler(case))],
                Event::Escalated { .. } => vec![(NotificationKind::Escalated, level_recipient(case))],
                Event::DepartmentSummoned { department, .. } => vec![(
                    NotificationKind::Summoned,
                    Recipient::Department(department.clone()),
                )],
                Event::CheckInReminded { department, .. } => vec![(
                    NotificationKind::CheckInReminder,
                    Recipient::Department(department.clone()),
                )],
                Event::CheckInOverdue { whistle, .. } => {
                    vec![(NotificationKind::CheckInOverdue, street_of(case, *whistle))]
                }
                Event::WhistlePartDone { whistle, .. } => {
                    vec![(NotificationKind::PartDone, street_of(case, *whistle))]
                }
                Event::WhistlePartReopened { department, .. } => vec![(
                    NotificationKind::PartReopened,
                    Recipient::Department(department.clone()),
                )],
                _ => Vec::new(),
            };
            let department = match (event.whistle(), event) {
                (Some((_, Some(d))), _) => Some(d.to_string()),
                // The department that returned the case is no longer the case's.
                (_, Event::Returned { department, .. }) => department.clone(),
                _ => case.department.clone(),
            };
            told.into_iter().map(move |(kind, recipient)| Notification {
                kind,
                recipient,
                event,
                department: department.clone(),
            })
        })
        .collect()
}

/// Who dispatches on the case's place when no account did (the dispatch rules did): its
/// street and its district, else the whole city for a case located nowhere.
fn dispatchers_of_place(case: &Case) -> Vec<Recipient> {
    let community = case.community.or(case.grid.map(|g| g.community()));
    let street = community.and_then(|c| c.parent());
    let district = street.and_then(|s| s.parent());
    let found: Vec<Recipient> = [street, district]
        .into_iter()
        .flatten()
        .map(Recipient::Area)
        .collect();
    if found.is_empty() {
        vec![Recipient::All]
    } else {
        found
    }
}

/// The place a case belongs to: its grid, else its community, else the city.
pub fn locality(case: &Case) -> Recipient {
    match (case.grid, case.community) {
        (Some(g), _) => Recipient::Grid(g),
        (None, Some(c)) => Recipient::Area(c),
        _ => Recipient::All,
    }
}

/// Whoever handles the case: its department, else its locality.
fn handler(case: &Case) -> Recipient {
    match &case.department {
        Some(d) => Recipient::Department(d.clone()),
        None => locality(case),
    }
}

/// The case's area at `level` — or its own area, when it is placed only to a level above
/// (a report sent to a street has no community).
fn area_at(case: &Case, level: AreaLevel) -> Option<AreaCode> {
    let mut a = case.community?;
    while a.level().significant_digits() > level.significant_digits() {
        a = a.parent()?;
    }
    Some(a)
}

/// The escalation chain's levels map onto areas: 网格 → the grid, 社区 → the community,
/// 街道 → the street, 区 → the district, 市 → the city.
fn level_recipient(case: &Case) -> Recipient {
    let area = |a: Option<AreaCode>| a.map(Recipient::Area).unwrap_or(Recipient::All);
    match case.level.get() {
        0..=2 => case
            .grid
            .map(Recipient::Grid)
            .unwrap_or_else(|| locality(case)),
        3 => area(area_at(case, AreaLevel::Community)),
        4 => area(area_at(case, AreaLevel::Street)),
        5 => area(area_at(case, AreaLevel::District)),
        _ => Recipient::All,
    }
}

/// The street a whistle belongs to.
fn street_of(case: &Case, whistle: u32) -> Recipient {
    case.whistles
        .iter()
        .find(|w| w.no == whistle)
        .and_then(|w| w.street)
        .map(Recipient::Area)
        .unwrap_or_else(|| locality(case))
}

#[cfg(test)]
mod street_placed {
    use super::*;
    use crate::case::DeadlineClass;
    use crate::case::Level;
    use crate::case::tests::fixtures::{Driver, new_case};

    fn area(s: &str) -> AreaCode {
        AreaCode::parse(s).unwrap()
    }

    #[test]
    fn a_case_placed_only_in_a_street_escalates_to_that_street_then_its_district() {
        let mut new = new_case("E0102", DeadlineClass::General);
        new.grid = None;
        new.community = Some(area("320508019000"));
        let mut case = Driver::reported_with(new).case;
        let at = |case: &mut Case, n: u8| {
            case.level = Level::new(n).unwrap();
            level_recipient(case)
        };
        assert_eq!(at(&mut case, 3), Recipient::Area(area("320508019000")));
        assert_eq!(at(&mut case, 4), Recipient::Area(area("320508019000")));
        assert_eq!(at(&mut case, 5), Recipient::Area(area("320508000000")));
        // A case in a community climbs one level at a time.
        case.community = Some(area("320508019044"));
        assert_eq!(at(&mut case, 4), Recipient::Area(area("320508019000")));
    }
}
