//! The rules of 吹哨报到 inside [`super::decide`] and [`super::apply`]: who summons, who checks
//! in, in which order, by when, and what each fact records.

use super::refusal::{BadInput, Condition, WhoFault};
use super::{
    Acknowledgement, Actor, Arrival, Case, CaseState, CheckIn, Command, CommandKind, Event,
    GeoPoint, LoopConfig, PartDone, Refusal, Summons, Whistle, WhistleScores,
};
use crate::access::{Role, Scope};
use crate::codes::{AreaCode, AreaLevel};

/// At most this many photos on one part reported done (the case's own limit).
pub const MAX_PART_PHOTOS: u8 = 9;

/// The street's commands that community staff may issue only where their street granted the
/// whistle (街道授权社区吹哨).
fn street_side(command: CommandKind) -> bool {
    matches!(
        command,
        CommandKind::BlowWhistle
            | CommandKind::SummonDepartments
            | CommandKind::ReopenWhistlePart
            | CommandKind::RateWhistleDepartment
    )
}

/// Community staff act on the street's side of a whistle only with the street's grant
/// ([`super::WhistleConfig::community_grants`]); the access policy has already placed the case
/// inside their community.
pub(super) fn authorize_community(
    who: &Actor,
    command: CommandKind,
    _case: &Case,
    cfg: &LoopConfig,
) -> Result<(), Refusal> {
    let Some(p) = who.principal() else {
        return Ok(());
    };
    if p.role != Role::Community || !street_side(command) {
        return Ok(());
    }
    match &p.scope {
        Scope::Area(c) if cfg.whistle.community_may_blow(c) => Ok(()),
        _ => Err(Refusal::Forbidden {
            command,
            fault: WhoFault::WhistleNotGranted,
        }),
    }
}

/// The closure gate: verifying, closing, cancelling or merging a case waits until every
/// summoned department's part is done.
pub(super) fn gate(case: &Case, command: CommandKind) -> Result<(), Refusal> {
    let parts = case.open_whistle_parts();
    if parts.is_empty() {
        Ok(())
    } else {
        Err(Refusal::PartsOpen {
            state: case.state,
            command,
            parts,
        })
    }
}

/// The street whose board shows a whistle: the case's community's street, else the street of
/// whoever blows it.
fn street_of(case: &Case, who: &Actor) -> Option<AreaCode> {
    let from_scope = || match who.principal().map(|p| &p.scope) {
        Some(Scope::Area(a)) => match a.level() {
            AreaLevel::Street => Some(*a),
            AreaLevel::Community => a.parent(),
            _ => None,
        },
        _ => None,
    };
    case.community.and_then(|c| c.parent()).or_else(from_scope)
}

fn invalid(command: CommandKind, field: &'static str, problem: BadInput) -> Refusal {
    Refusal::Invalid {
        command,
        field,
        problem,
    }
}

fn text(command: CommandKind, field: &'static str, value: &str) -> Result<String, Refusal> {
    let v = value.trim();
    if v.is_empty() {
        Err(invalid(command, field, BadInput::Blank))
    } else {
        Ok(v.to_string())
    }
}

/// The departments of a summons: trimmed, at least one, none twice, names defaulting to codes.
fn summons_list(command: CommandKind, list: &[Summons]) -> Result<Vec<Summons>, Refusal> {
    let mut out: Vec<Summons> = Vec::new();
    for s in list {
        let code = s.code.trim();
        if code.is_empty() {
            return Err(invalid(command, "departments", BadInput::BlankDepartment));
        }
        if out.iter().any(|o| o.code == code) {
            return Err(invalid(
                command,
                "departments",
                BadInput::DuplicateDepartment,
            ));
        }
        let name = s.name.trim();
        out.push(Summons {
            code: code.to_string(),
            name: if name.is_empty() { code } else { name }.to_string(),
        });
    }
    if out.is_empty() {
        return Err(invalid(command, "departments", BadInput::NoDepartments));
    }
    Ok(out)
}

fn score(command: CommandKind, field: &'static str, v: u8, max: u8) -> Result<u8, Refusal> {
    if (1..=max).contains(&v) {
        Ok(v)
    } else {
        Err(invalid(command, field, BadInput::ScoreOutOfRange { max }))
    }
}

fn summoned(
    cfg: &LoopConfig,
    at: i64,
    whistle: u32,
    urgent: bool,
    list: Vec<Summons>,
) -> Vec<Event> {
    let deadline = at + cfg.whistle.window_ms(urgent);
    let remind_at = cfg.whistle.remind_at(at, deadline);
    list.into_iter()
        .map(|s| Event::DepartmentSummoned {
            whistle,
            department: s.code,
            name: s.name,
            at,
            deadline,
            remind_at,
        })
        .collect()
}

/// Decides a 吹哨报到 command (after [`super::decide`] has checked who may issue it).
pub(super) fn decide(
    case: &Case,
    who: &Actor,
    cmd: &Command,
    now: i64,
    cfg: &LoopConfig,
) -> Result<Vec<Event>, Refusal> {
    use CaseState::*;
    let state = case.state;
    let command = cmd.kind();
    let wrong_state = || Refusal::InvalidTransition { state, command };
    let not_now = |condition| Refusal::NotNow {
        state,
        command,
        condition,
    };
    // The street summons while the case is being handled; never once it is verified or closed.
    let street_may_act = matches!(
        state,
        Registered | Dispatched | InProgress | ReportedBack | Deferred
    );
    // The latest whistle that summoned the department named in the command, and its part.
    let part = |department: &str| -> Result<(&Whistle, &CheckIn), Refusal> {
        let department = department.trim();
        case.whistle_of(department)
            .and_then(|w| w.part(department).map(|p| (w, p)))
            .ok_or_else(|| not_now(Condition::NotSummoned))
    };
    let events = match cmd {
        Command::BlowWhistle {
            departments,
            reason,
            lon,
            lat,
            address,
            urgent,
        } => {
            if !street_may_act {
                return Err(wrong_state());
            }
            let reason = text(command, "reason", reason)?;
            let place = GeoPoint::from_degrees(*lon, *lat)
                .ok_or_else(|| invalid(command, "lon", BadInput::BadLocation))?;
            let list = summons_list(command, departments)?;
            if case.whistle().is_some_and(Whistle::is_open) {
                return Err(not_now(Condition::WhistleOpen));
            }
            let no = case.whistles.len() as u32 + 1;
            let mut events = vec![Event::WhistleBlown {
                whistle: no,
                reason,
                meeting_place: place,
                address: address.trim().to_string(),
                urgent: *urgent,
                street: street_of(case, who),
                blown_by: who.account_id(),
                at: now,
            }];
            events.extend(summoned(cfg, now, no, *urgent, list));
            events
        }
        Command::SummonDepartments { departments } => {
            if !street_may_act {
                return Err(wrong_state());
            }
            let list = summons_list(command, departments)?;
            let w = case
                .whistle()
                .ok_or_else(|| not_now(Condition::NoWhistle))?;
            if list.iter().any(|s| w.part(&s.code).is_some()) {
                return Err(not_now(Condition::AlreadySummoned));
            }
            summoned(cfg, now, w.no, w.urgent, list)
        }
        Command::AcknowledgeWhistle {
            department,
            officer,
        } => {
            if !state.is_open() {
                return Err(wrong_state());
            }
            let officer = text(command, "officer", officer)?;
            let (w, p) = part(department)?;
            if !p.is_open() {
                return Err(not_now(Condition::PartDone));
            }
            if p.acknowledged.is_some() {
                return Err(not_now(Condition::AlreadyAcknowledged));
            }
            vec![Event::CheckInAcknowledged {
                whistle: w.no,
                department: p.department.clone(),
                officer,
                account: who.account_id(),
                at: now,
                on_time: now <= p.deadline,
            }]
        }
        Command::ArriveWhistle {
            department,
            lon,
            lat,
        } => {
            if !state.is_open() {
                return Err(wrong_state());
            }
            let location = GeoPoint::from_degrees(*lon, *lat)
                .ok_or_else(|| invalid(command, "lon", BadInput::BadLocation))?;
            let (w, p) = part(department)?;
            if !p.is_open() {
                return Err(not_now(Condition::PartDone));
            }
            if p.arrived.is_some() {
                return Err(not_now(Condition::AlreadyArrived));
            }
            if p.acknowledged.is_none() {
                return Err(not_now(Condition::NotAcknowledged));
            }
            let distance_m = w.meeting_place.distance_m(location);
            if distance_m > cfg.whistle.radius_m {
                return Err(not_now(Condition::TooFar {
                    distance_m,
                    radius_m: cfg.whistle.radius_m,
                }));
            }
            vec![Event::CheckInArrived {
                whistle: w.no,
                department: p.department.clone(),
                location,
                distance_m,
                at: now,
                on_time: now <= p.deadline,
            }]
        }
        Command::FinishWhistlePart {
            department,
            note,
            photos,
        } => {
            if !state.is_open() {
                return Err(wrong_state());
            }
            let note = text(command, "note", note)?;
            let mut photos = photos.clone();
            photos.sort_unstable();
            photos.dedup();
            if photos.len() > usize::from(MAX_PART_PHOTOS) {
                return Err(invalid(
                    command,
                    "photos",
                    BadInput::TooManyPhotos {
                        max: MAX_PART_PHOTOS,
                    },
                ));
            }
            let (w, p) = part(department)?;
            if !p.is_open() {
                return Err(not_now(Condition::PartDone));
            }
            if p.arrived.is_none() {
                return Err(not_now(Condition::NotArrived));
            }
            vec![Event::WhistlePartDone {
                whistle: w.no,
                department: p.department.clone(),
                note,
                photos,
                at: now,
            }]
        }
        Command::ReopenWhistlePart { department, reason } => {
            if !street_may_act {
                return Err(wrong_state());
            }
            let reason = text(command, "reason", reason)?;
            // Only the latest whistle may be open, so only its parts are sent back.
            let w = case
                .whistle()
                .ok_or_else(|| not_now(Condition::NoWhistle))?;
            let p = w
                .part(department.trim())
                .ok_or_else(|| not_now(Condition::NotSummoned))?;
            if p.is_open() {
                return Err(not_now(Condition::PartNotDone));
            }
            vec![Event::WhistlePartReopened {
                whistle: w.no,
                department: p.department.clone(),
                reason,
            }]
        }
        Command::RateWhistleDepartment {
            department,
            response,
            arrival,
            cooperation,
            result,
            note,
        } => {
            let max = cfg.whistle.rating_scale;
            let scores = WhistleScores {
                response: score(command, "response", *response, max)?,
                arrival: score(command, "arrival", *arrival, max)?,
                cooperation: score(command, "cooperation", *cooperation, max)?,
                result: score(command, "result", *result, max)?,
            };
            let (w, p) = part(department)?;
            if p.is_open() {
                return Err(not_now(Condition::PartNotDone));
            }
            if p.rating.is_some() {
                return Err(not_now(Condition::AlreadyRated));
            }
            vec![Event::WhistleDepartmentRated {
                whistle: w.no,
                department: p.department.clone(),
                scores,
                note: note.trim().to_string(),
            }]
        }
        Command::RateWhistleCoordination {
            department,
            score: s,
            note,
        } => {
            let s = score(command, "score", *s, cfg.whistle.rating_scale)?;
            let (w, p) = part(department)?;
            if p.is_open() {
                return Err(not_now(Condition::PartNotDone));
            }
            if p.coordination.is_some() {
                return Err(not_now(Condition::AlreadyRated));
            }
            vec![Event::WhistleCoordinationRated {
                whistle: w.no,
                department: p.department.clone(),
                score: s,
                note: note.trim().to_string(),
            }]
        }
        Command::RemindCheckIn { department } => {
            let (w, p) = part(department)?;
            if !p.awaiting_check_in() || p.overdue {
                return Err(not_now(Condition::NotAwaitingCheckIn));
            }
            if p.reminded {
                return Err(not_now(Condition::AlreadyReminded));
            }
            if now < p.remind_at {
                return Err(not_now(Condition::NotDue));
            }
            vec![Event::CheckInReminded {
                whistle: w.no,
                department: p.department.clone(),
                deadline: p.deadline,
            }]
        }
        Command::MarkCheckInOverdue { department } => {
            let (w, p) = part(department)?;
            if !p.awaiting_check_in() || p.overdue {
                return Err(not_now(Condition::NotAwaitingCheckIn));
            }
            if now <= p.deadline {
                return Err(not_now(Condition::NotDue));
            }
            vec![Event::CheckInOverdue {
                whistle: w.no,
                department: p.department.clone(),
                deadline: p.deadline,
            }]
        }
        _ => return Err(wrong_state()),
    };
    Ok(events)
}

fn part_mut<'a>(case: &'a mut Case, whistle: u32, department: &str) -> Option<&'a mut CheckIn> {
    case.whistles
        .iter_mut()
        .find(|w| w.no == whistle)
        .and_then(|w| w.part_mut(department))
}

/// Folds a 吹哨报到 event into the case (total: an event naming a whistle or part the case does
/// not have changes nothing but the version).
pub(super) fn apply(case: &mut Case, event: &Event) {
    match event {
        Event::WhistleBlown {
            whistle,
            reason,
            meeting_place,
            address,
            urgent,
            street,
            blown_by,
            at,
        } => case.whistles.push(Whistle {
            no: *whistle,
            reason: reason.clone(),
            meeting_place: *meeting_place,
            address: address.clone(),
            urgent: *urgent,
            street: *street,
            blown_at: *at,
            blown_by: *blown_by,
            parts: Vec::new(),
        }),
        Event::DepartmentSummoned {
            whistle,
            department,
            name,
            at,
            deadline,
            remind_at,
        } => {
            if let Some(w) = case.whistles.iter_mut().find(|w| w.no == *whistle) {
                w.parts.push(CheckIn {
                    department: department.clone(),
                    name: name.clone(),
                    summoned_at: *at,
                    deadline: *deadline,
                    remind_at: *remind_at,
                    acknowledged: None,
                    arrived: None,
                    done: None,
                    reopened: 0,
                    reminded: false,
                    overdue: false,
                    rating: None,
                    coordination: None,
                });
            }
        }
        Event::CheckInAcknowledged {
            whistle,
            department,
            officer,
            account,
            at,
            on_time,
        } => {
            if let Some(p) = part_mut(case, *whistle, department) {
                p.acknowledged = Some(Acknowledgement {
                    at: *at,
                    officer: officer.clone(),
                    account: *account,
                    on_time: *on_time,
                });
            }
        }
        Event::CheckInArrived {
            whistle,
            department,
            location,
            distance_m,
            at,
            on_time,
        } => {
            if let Some(p) = part_mut(case, *whistle, department) {
                p.arrived = Some(Arrival {
                    at: *at,
                    location: *location,
                    distance_m: *distance_m,
                    on_time: *on_time,
                });
            }
        }
        Event::WhistlePartDone {
            whistle,
            department,
            note,
            photos,
            at,
        } => {
            if let Some(p) = part_mut(case, *whistle, department) {
                p.done = Some(PartDone {
                    at: *at,
                    note: note.clone(),
                    photos: photos.clone(),
                });
            }
        }
        Event::WhistlePartReopened {
            whistle,
            department,
            ..
        } => {
            if let Some(p) = part_mut(case, *whistle, department) {
                p.done = None;
                p.reopened += 1;
            }
        }
        Event::WhistleDepartmentRated {
            whistle,
            department,
            scores,
            ..
        } => {
            if let Some(p) = part_mut(case, *whistle, department) {
                p.rating = Some(*scores);
            }
        }
        Event::WhistleCoordinationRated {
            whistle,
            department,
            score,
            ..
        } => {
            if let Some(p) = part_mut(case, *whistle, department) {
                p.coordination = Some(*score);
            }
        }
        Event::CheckInReminded {
            whistle,
            department,
            ..
        } => {
            if let Some(p) = part_mut(case, *whistle, department) {
                p.reminded = true;
            }
        }
        Event::CheckInOverdue {
            whistle,
            department,
            ..
        } => {
            if let Some(p) = part_mut(case, *whistle, department) {
                p.reminded = true;
                p.overdue = true;
            }
        }
        _ => {}
    }
}
