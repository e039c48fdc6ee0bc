//! Which of the closed loop's commands someone could issue on a case now: asked of
//! [`decide`] itself, so that the case page's buttons and the inbox agree with the rules.

use super::{Actor, Case, CaseState, Command, CommandKind, LoopConfig, Satisfaction, decide};
use crate::calendar::Duration;

/// The loop's commands (not 吹哨报到's, which have their own panel) that `who` may issue on
/// `case` at `now`, in [`CommandKind::ALL`] order. Each is tried with values that pass its
/// own checks, so what remains is who may act and whether the state allows it.
pub fn available_commands(
    case: &Case,
    who: &Actor,
    cfg: &LoopConfig,
    now: i64,
) -> Vec<CommandKind> {
    samples(case)
        .iter()
        .filter(|cmd| decide(case, who, cmd, now, cfg).is_ok())
        .map(Command::kind)
        .collect()
}

/// The states in which a case may wait on someone's step: an inbox looks only at these.
/// (A rated case with a reopening pending waits too, but rated cases are the archive; the
/// reopening request tells its dispatcher on the case page.)
pub const WAITING_STATES: [CaseState; 6] = [
    CaseState::Reported,
    CaseState::Registered,
    CaseState::Dispatched,
    CaseState::InProgress,
    CaseState::ReportedBack,
    CaseState::Verified,
];

/// The steps `case` waits on `who` for (see [`CommandKind::is_waiting_step`]); empty when
/// the caller can do nothing on it but side paths.
pub fn waiting_steps(case: &Case, who: &Actor, cfg: &LoopConfig, now: i64) -> Vec<CommandKind> {
    available_commands(case, who, cfg, now)
        .into_iter()
        .filter(|k| k.is_waiting_step())
        .collect()
}

fn samples(case: &Case) -> Vec<Command> {
    let x = || "x".to_string();
    // Any department but the current one: the domain does not know the city's list, and the
    // rule only asks that a redirect change the handler.
    let elsewhere = match case.department.as_deref() {
        Some("x") => "y".to_string(),
        _ => x(),
    };
    vec![
        Command::Register {
            category: case.category.clone(),
            deadline_class: case.deadline_class,
            emergency: case.emergency,
        },
        Command::Cancel { reason: x() },
        Command::Dispatch {
            department: case.department.clone(),
            is_override: false,
        },
        Command::Redirect {
            department: elsewhere,
            reason: x(),
        },
        Command::Start,
        Command::ReportBack { note: x() },
        Command::Verify {
            passed: true,
            note: x(),
        },
        Command::Close,
        Command::Rate {
            contacted: true,
            resolved: true,
            satisfaction: Satisfaction::Satisfied,
        },
        Command::RequestExtension {
            by: Duration::WorkingDays(1),
            reason: x(),
        },
        Command::DecideExtension { approve: true },
        Command::Defer { reason: x() },
        Command::Resume,
        Command::Return { reason: x() },
        Command::RequestReopen { reason: x() },
        Command::DecideReopen { approve: true },
        Command::Escalate { reason: x() },
    ]
}
