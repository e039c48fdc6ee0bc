//! The closed loop's rules: which command, by whom, in which state, produces which events.
//!
//! `decide` never changes the case; the caller stores the events and folds them in with
//! [`super::apply`]. Handlers cannot bypass it because it is the only producer of events.

use super::actor::{Need, need};
use super::refusal::{BadInput, Condition, WhoFault};
use super::whistle_rules::gate;
use super::{
    Actor, Case, CaseState, Command, CommandKind, Event, LoopConfig, NewCase, Refusal,
    Satisfaction, basis_of, case_target, warning_due,
};
use crate::access::{self, Action, Role};
use crate::calendar::TimeBasis;

/// Decides `cmd` issued by `who` against `case` at `now` (unix ms): the events to record, or
/// why not. Checks, in order: who may issue it (role, scope, reporter), that the case accepts
/// it in its state, the command's own values, then the state-dependent conditions. The closure
/// gate of 吹哨报到 (a summoned department's part still open) refuses verifying and closing
/// before the state is looked at, so that the refusal names the departments holding it up.
pub fn decide(
    case: &Case,
    who: &Actor,
    cmd: &Command,
    now: i64,
    cfg: &LoopConfig,
) -> Result<Vec<Event>, Refusal> {
    let command = cmd.kind();
    authorize(case, who, cmd)?;
    if command.is_whistle() {
        super::whistle_rules::authorize_community(who, command, case, cfg)?;
    }
    let state = case.state;
    let wrong_state = || Refusal::InvalidTransition { state, command };
    let not_now = |condition| Refusal::NotNow {
        state,
        command,
        condition,
    };
    let require = |ok: bool| if ok { Ok(()) } else { Err(wrong_state()) };
    if state.is_final() {
        return Err(wrong_state());
    }
    use CaseState::*;
    let events = match cmd {
        Command::Register {
            category,
            deadline_class,
            emergency,
        } => {
            require(state == Reported)?;
            vec![Event::Registered {
                category: text(command, "category", category)?,
                deadline_class: *deadline_class,
                emergency: *emergency,
            }]
        }
        Command::Cancel { reason } => {
            require(matches!(state, Reported | Registered))?;
            let reason = text(command, "reason", reason)?;
            gate(case, command)?;
            vec![Event::Cancelled { reason }]
        }
        Command::MergeInto { case_id } => {
            require(matches!(state, Reported | Registered))?;
            if *case_id == case.id {
                return Err(invalid(command, "case_id", BadInput::MergeIntoItself));
            }
            gate(case, command)?;
            vec![Event::Merged { into: *case_id }]
        }
        Command::Dispatch {
            department,
            is_override,
        } => {
            require(state == Registered)?;
            let department = match department {
                Some(d) if d.trim().is_empty() => {
                    return Err(invalid(command, "department", BadInput::BlankDepartment));
                }
                Some(d) => Some(d.trim().to_string()),
                None => None,
            };
            let (deadline, calendar_missing) = fresh_deadline(case, cfg, now);
            vec![Event::Dispatched {
                department,
                is_override: *is_override,
                at: now,
                deadline,
                calendar_missing,
                dispatched_by: who.account_id(),
            }]
        }
        Command::Redirect { department, reason } => {
            // A handler who has started may still be the wrong one (it finds out on site).
            require(matches!(state, Dispatched | InProgress))?;
            let to = department.trim();
            if to.is_empty() {
                return Err(invalid(command, "department", BadInput::Blank));
            }
            if case.department.as_deref() == Some(to) {
                return Err(invalid(command, "department", BadInput::SameDepartment));
            }
            let reason = text(command, "reason", reason)?;
            // 12345 practice: the new handler's time limit counts from the redirect.
            let (deadline, calendar_missing) = fresh_deadline(case, cfg, now);
            vec![Event::Redirected {
                from: case.department.clone(),
                to: to.to_string(),
                reason,
                at: now,
                deadline,
                calendar_missing,
                dispatched_by: who.account_id(),
            }]
        }
        Command::Start => {
            require(state == Dispatched)?;
            vec![Event::Started]
        }
        Command::ReportBack { note } => {
            require(state.clock_runs())?;
            vec![Event::ReportedBack {
                note: text(command, "note", note)?,
                on_time: case.deadline.is_some_and(|d| now <= d),
            }]
        }
        Command::Verify { passed, note } => {
            // 事不完，人不走: no verification passes while a summoned part is open (a failed
            // one, sending the handler back to work, may).
            if *passed {
                gate(case, command)?;
            }
            require(state == ReportedBack)?;
            verifier_granted(case, who, cfg)?;
            if *passed {
                vec![Event::Verified {
                    note: note.trim().to_string(),
                }]
            } else {
                // The handler must be told what is still wrong.
                vec![Event::Reworked {
                    note: text(command, "note", note)?,
                }]
            }
        }
        Command::Close => {
            gate(case, command)?;
            require(state == Verified)?;
            vec![Event::Closed {
                on_time: case.handled_on_time == Some(true),
            }]
        }
        Command::Rate {
            contacted,
            resolved,
            satisfaction,
        } => {
            require(state == Closed)?;
            vec![Event::Rated {
                contacted: *contacted,
                resolved: *resolved,
                satisfaction: *satisfaction,
            }]
        }
        Command::RequestExtension { by, reason } => {
            require(state.clock_runs())?;
            if by.is_zero() {
                return Err(invalid(command, "by", BadInput::ZeroExtension));
            }
            let reason = text(command, "reason", reason)?;
            if case.pending_extension.is_some() {
                return Err(not_now(Condition::ExtensionPending));
            }
            if case.overdue || case.deadline.is_some_and(|d| now > d) {
                return Err(not_now(Condition::Overdue));
            }
            vec![Event::ExtensionRequested { by: *by, reason }]
        }
        Command::DecideExtension { approve } => {
            require(state.clock_runs())?;
            let (Some(request), Some(deadline)) = (&case.pending_extension, case.deadline) else {
                return Err(not_now(Condition::NoExtensionPending));
            };
            if *approve {
                let moved = cfg.calendar.add(deadline, request.by);
                vec![Event::ExtensionApproved {
                    by: request.by,
                    deadline: moved,
                    calendar_missing: case.calendar_missing
                        || without_calendar(cfg, request.by.basis(), deadline, moved),
                }]
            } else {
                vec![Event::ExtensionRejected]
            }
        }
        Command::Defer { reason } => {
            require(matches!(state, Registered | Dispatched | InProgress))?;
            vec![Event::Deferred {
                reason: text(command, "reason", reason)?,
                from: state,
                at: now,
            }]
        }
        Command::Resume => {
            let Some(deferral) = case.deferral.filter(|_| state == Deferred) else {
                return Err(wrong_state());
            };
            // The clock stood still while deferred: the deadline moves by the paused time,
            // measured the way the deadline itself is measured.
            let basis = basis_of(case, cfg);
            let paused = cfg.calendar.elapsed(basis, deferral.at, now);
            let moved = case
                .deadline
                .map(|d| (d, cfg.calendar.shift(basis, d, paused)));
            vec![Event::Resumed {
                to: deferral.from,
                deadline: moved.map(|(_, to)| to),
                calendar_missing: case.calendar_missing
                    || moved.is_some_and(|(from, to)| without_calendar(cfg, basis, from, to)),
            }]
        }
        Command::Return { reason } => {
            require(state.clock_runs())?;
            vec![Event::Returned {
                reason: text(command, "reason", reason)?,
                department: case.department.clone(),
                dispatched_by: case.dispatched_by,
            }]
        }
        Command::RequestReopen { reason } => {
            require(state == Rated)?;
            let reason = text(command, "reason", reason)?;
            if case.reopened {
                return Err(not_now(Condition::ReopenUsed));
            }
            if case.rating.map(|r| r.satisfaction) != Some(Satisfaction::Unsatisfied) {
                return Err(not_now(Condition::NotUnsatisfied));
            }
            if case.pending_reopen.is_some() {
                return Err(not_now(Condition::ReopenPending));
            }
            vec![Event::ReopenRequested { reason }]
        }
        Command::DecideReopen { approve } => {
            require(state == Rated)?;
            if case.pending_reopen.is_none() {
                return Err(not_now(Condition::NoReopenPending));
            }
            if *approve {
                let (deadline, calendar_missing) = fresh_deadline(case, cfg, now);
                vec![Event::Reopened {
                    at: now,
                    deadline,
                    calendar_missing,
                }]
            } else {
                vec![Event::ReopenRejected]
            }
        }
        Command::Escalate { reason } => {
            require(state.is_open())?;
            let reason = text(command, "reason", reason)?;
            vec![escalation(case, cfg, reason).ok_or(not_now(Condition::TopLevel(case.level)))?]
        }
        Command::Support => {
            require(state.is_open())?;
            vec![Event::Supported]
        }
        Command::WarnDeadline => {
            require(state.clock_runs())?;
            let Some(deadline) = case.deadline else {
                return Err(wrong_state());
            };
            if case.warned || case.overdue {
                return Err(not_now(Condition::AlreadyWarned));
            }
            if !warning_due(case, now, cfg) {
                return Err(not_now(Condition::NotDue));
            }
            vec![Event::DeadlineWarned { deadline }]
        }
        Command::MarkOverdue => {
            require(state.clock_runs())?;
            let Some(deadline) = case.deadline else {
                return Err(wrong_state());
            };
            if case.overdue {
                return Err(not_now(Condition::Overdue));
            }
            if now <= deadline {
                return Err(not_now(Condition::NotDue));
            }
            let mut events = vec![Event::MarkedOverdue { deadline }];
            if cfg.escalate_when_overdue {
                events.extend(escalation(case, cfg, "超期未办结，自动升级".into()));
            }
            events
        }
        Command::BlowWhistle { .. }
        | Command::SummonDepartments { .. }
        | Command::AcknowledgeWhistle { .. }
        | Command::ArriveWhistle { .. }
        | Command::FinishWhistlePart { .. }
        | Command::ReopenWhistlePart { .. }
        | Command::RateWhistleDepartment { .. }
        | Command::RateWhistleCoordination { .. }
        | Command::RemindCheckIn { .. }
        | Command::MarkCheckInOverdue { .. } => {
            super::whistle_rules::decide(case, who, cmd, now, cfg)?
        }
    };
    Ok(events)
}

/// The deadline of a handling round started at `now`, and whether it was counted across a
/// year with no loaded schedule.
fn fresh_deadline(case: &Case, cfg: &LoopConfig, now: i64) -> (i64, bool) {
    let class = case.effective_class();
    let deadline = cfg.deadlines.deadline(&cfg.calendar, class, now);
    let basis = cfg.deadlines.duration(class).basis();
    (deadline, without_calendar(cfg, basis, now, deadline))
}

/// Working time counted over `[from, to]` through a year the calendar does not cover; the
/// wall clock needs no schedule.
fn without_calendar(cfg: &LoopConfig, basis: TimeBasis, from: i64, to: i64) -> bool {
    basis == TimeBasis::Working && !cfg.calendar.covers_span(from, to)
}

/// Files a new case: the case at version 1 and its `Reported` event. Residents may report
/// anywhere, staff inside their patch, anonymous people when the configuration allows, and
/// the system (Open311, imports) always.
pub fn report(new: NewCase, who: &Actor, cfg: &LoopConfig) -> Result<(Case, Event), Refusal> {
    let command = CommandKind::Report;
    let resident = match who {
        Actor::Public { .. } => true,
        Actor::Account { principal, .. } => principal.role == Role::Resident,
        Actor::System => false,
    };
    if new.emergency && resident {
        return Err(Refusal::Forbidden {
            command,
            fault: WhoFault::EmergencyIsForStaff,
        });
    }
    let category = text(command, "category", &new.category)?;
    let ticket = text(command, "ticket", &new.ticket)?;
    let event = Event::Reported {
        ticket: ticket.clone(),
        channel: new.channel,
        category,
        deadline_class: new.deadline_class,
        emergency: new.emergency,
        level: cfg.escalation.lowest(),
        community: new.community,
        grid: new.grid,
        reporter: new.reporter,
    };
    let mut case = Case {
        id: new.id,
        ticket,
        channel: new.channel,
        state: CaseState::Reported,
        version: 0,
        category: String::new(),
        deadline_class: new.deadline_class,
        emergency: new.emergency,
        level: cfg.escalation.lowest(),
        community: new.community,
        grid: new.grid,
        department: None,
        dispatched_at: None,
        dispatched_by: None,
        deadline: None,
        calendar_missing: false,
        warned: false,
        overdue: false,
        handled_on_time: None,
        counters: Default::default(),
        reopened: false,
        verified: false,
        pending_extension: None,
        pending_reopen: None,
        deferral: None,
        rating: None,
        reporter: new.reporter,
        merged_into: None,
        supporters: 0,
        whistles: Vec::new(),
    };
    match who {
        Actor::Public { .. } if !cfg.allow_anonymous_reports => {
            return Err(Refusal::Forbidden {
                command,
                fault: WhoFault::SignInRequired,
            });
        }
        Actor::Account { principal, .. } => {
            access::decide(principal, Action::ReportCase, &case_target(&case)).map_err(|d| {
                Refusal::Forbidden {
                    command,
                    fault: WhoFault::Denied(d),
                }
            })?;
        }
        Actor::Public { .. } | Actor::System => {}
    }
    super::apply(&mut case, &event);
    Ok((case, event))
}

fn authorize(case: &Case, who: &Actor, cmd: &Command) -> Result<(), Refusal> {
    let command = cmd.kind();
    let forbid = |fault| Refusal::Forbidden { command, fault };
    let need = need(case, cmd);
    let (action, target) = match (need, who) {
        (Need::System | Need::SystemOr(..), Actor::System) => return Ok(()),
        (Need::System, _) => return Err(forbid(WhoFault::OnlySystem)),
        (_, Actor::System) => return Err(forbid(WhoFault::NotForSystem)),
        (Need::ReporterOr(..), w) if w.is_reporter_of(case) => return Ok(()),
        (Need::AnyoneOr(..), Actor::Public { .. }) => return Ok(()),
        (_, Actor::Public { .. }) => return Err(forbid(WhoFault::SignInRequired)),
        (Need::ReporterOr(..), Actor::Account { principal, .. })
            if principal.role == Role::Resident =>
        {
            return Err(forbid(WhoFault::NotReporter));
        }
        (
            Need::Access(a, t)
            | Need::ReporterOr(a, t)
            | Need::AnyoneOr(a, t)
            | Need::SystemOr(a, t),
            _,
        ) => (a, t),
    };
    let principal = who.principal().expect("only accounts remain");
    access::decide(principal, action, &target).map_err(|d| forbid(WhoFault::Denied(d)))
}

/// Verification by those who do not dispatch (the grid worker's 核查) is the city's choice
/// (`LoopConfig::verification_by_grid`); whoever may dispatch the case always verifies it.
fn verifier_granted(case: &Case, who: &Actor, cfg: &LoopConfig) -> Result<(), Refusal> {
    let Some(p) = who.principal() else {
        return Ok(());
    };
    if access::decide(p, Action::DispatchCase, &case_target(case)).is_ok() {
        return Ok(());
    }
    let forbid = |fault| {
        Err(Refusal::Forbidden {
            command: CommandKind::Verify,
            fault,
        })
    };
    if !cfg.verification_by_grid {
        return forbid(WhoFault::VerificationNotGranted);
    }
    // The check is a second pair of eyes: the grid worker does not verify what it handled
    // itself (a case left to the locality).
    if access::decide(p, Action::HandleCase, &super::handler_target(case)).is_ok() {
        return forbid(WhoFault::OwnWork);
    }
    Ok(())
}

/// The escalation to the next level, or `None` at the top of the chain.
fn escalation(case: &Case, cfg: &LoopConfig, reason: String) -> Option<Event> {
    let to = cfg.escalation.next(case.level)?;
    Some(Event::Escalated {
        from: case.level,
        to,
        to_name: cfg.escalation.name(to).to_string(),
        reason,
    })
}

/// A required free text, trimmed; blank is refused naming the field.
fn text(command: CommandKind, field: &'static str, value: &str) -> Result<String, Refusal> {
    let v = value.trim();
    if v.is_empty() {
        Err(invalid(command, field, BadInput::Blank))
    } else {
        Ok(v.to_string())
    }
}

fn invalid(command: CommandKind, field: &'static str, problem: BadInput) -> Refusal {
    Refusal::Invalid {
        command,
        field,
        problem,
    }
}
