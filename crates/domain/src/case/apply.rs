//! Folding an event into a case. Total: any event applies to any case without failing, so
//! that replaying a stored timeline never stops halfway; `decide` is what keeps the sequence
//! meaningful.

use super::{Case, CaseState, Deferral, Event, ExtensionRequest, Rating};

/// Applies `event` to `case` and bumps its version.
pub fn apply(case: &mut Case, event: &Event) {
    match event {
        Event::Reported {
            ticket,
            channel,
            category,
            deadline_class,
            emergency,
            level,
            community,
            grid,
            reporter,
        } => {
            case.ticket = ticket.clone();
            case.channel = *channel;
            case.category = category.clone();
            case.deadline_class = *deadline_class;
            case.emergency = *emergency;
            case.level = *level;
            case.community = *community;
            case.grid = *grid;
            case.reporter = *reporter;
            case.state = CaseState::Reported;
        }
        Event::Registered {
            category,
            deadline_class,
            emergency,
        } => {
            case.category = category.clone();
            case.deadline_class = *deadline_class;
            case.emergency = *emergency;
            case.state = CaseState::Registered;
        }
        Event::Cancelled { .. } => leave_to(case, CaseState::Cancelled),
        Event::Merged { into } => {
            leave_to(case, CaseState::Merged);
            case.merged_into = Some(*into);
        }
        Event::Dispatched {
            department,
            at,
            deadline,
            calendar_missing,
            dispatched_by,
            ..
        } => {
            case.department = department.clone();
            case.dispatched_by = *dispatched_by;
            case.counters.dispatches += 1;
            start_clock(case, *at, *deadline, *calendar_missing);
        }
        Event::Redirected {
            to,
            at,
            deadline,
            calendar_missing,
            dispatched_by,
            ..
        } => {
            case.department = Some(to.clone());
            case.dispatched_by = *dispatched_by;
            // A redirect is a dispatch that the first one got wrong.
            case.counters.dispatches += 1;
            case.counters.redirects += 1;
            case.pending_extension = None;
            start_clock(case, *at, *deadline, *calendar_missing);
        }
        Event::Started => case.state = CaseState::InProgress,
        Event::ReportedBack { on_time, .. } => {
            case.handled_on_time = Some(*on_time);
            leave_to(case, CaseState::ReportedBack);
        }
        Event::Verified { .. } => {
            case.verified = true;
            case.state = CaseState::Verified;
        }
        Event::Reworked { .. } => {
            case.verified = false;
            case.counters.reworks += 1;
            case.state = CaseState::InProgress;
        }
        Event::Closed { .. } => case.state = CaseState::Closed,
        Event::Rated {
            contacted,
            resolved,
            satisfaction,
        } => {
            case.rating = Some(Rating {
                contacted: *contacted,
                resolved: *resolved,
                satisfaction: *satisfaction,
            });
            case.state = CaseState::Rated;
        }
        Event::ExtensionRequested { by, reason } => {
            case.pending_extension = Some(ExtensionRequest {
                by: *by,
                reason: reason.clone(),
            });
        }
        Event::ExtensionApproved {
            deadline,
            calendar_missing,
            ..
        } => {
            case.pending_extension = None;
            case.counters.extensions += 1;
            move_deadline(case, Some(*deadline), *calendar_missing);
        }
        Event::ExtensionRejected => case.pending_extension = None,
        Event::Deferred { from, at, .. } => {
            leave_to(case, CaseState::Deferred);
            case.counters.deferrals += 1;
            case.deferral = Some(Deferral {
                from: *from,
                at: *at,
            });
        }
        Event::Resumed {
            to,
            deadline,
            calendar_missing,
        } => {
            case.deferral = None;
            case.state = *to;
            move_deadline(case, *deadline, *calendar_missing);
        }
        Event::Returned { .. } => {
            leave_to(case, CaseState::Registered);
            case.counters.returns += 1;
            case.department = None;
            case.dispatched_at = None;
            case.deadline = None;
            case.calendar_missing = false;
            case.warned = false;
            case.overdue = false;
            case.handled_on_time = None;
            case.verified = false;
        }
        Event::ReopenRequested { reason } => case.pending_reopen = Some(reason.clone()),
        Event::Reopened {
            at,
            deadline,
            calendar_missing,
        } => {
            case.reopened = true;
            case.pending_reopen = None;
            case.rating = None;
            start_clock(case, *at, *deadline, *calendar_missing);
        }
        Event::ReopenRejected => case.pending_reopen = None,
        Event::Escalated { to, .. } => {
            case.level = *to;
            case.counters.escalations += 1;
        }
        Event::Supported => case.supporters += 1,
        Event::DeadlineWarned { .. } => case.warned = true,
        Event::MarkedOverdue { .. } => case.overdue = true,
        Event::WhistleBlown { .. }
        | Event::DepartmentSummoned { .. }
        | Event::CheckInAcknowledged { .. }
        | Event::CheckInArrived { .. }
        | Event::WhistlePartDone { .. }
        | Event::WhistlePartReopened { .. }
        | Event::WhistleDepartmentRated { .. }
        | Event::WhistleCoordinationRated { .. }
        | Event::CheckInReminded { .. }
        | Event::CheckInOverdue { .. } => super::whistle_rules::apply(case, event),
    }
    case.version += 1;
}

/// A fresh handling round: dispatched, clock started, nothing verified or late yet.
fn start_clock(case: &mut Case, at: i64, deadline: i64, calendar_missing: bool) {
    leave_to(case, CaseState::Dispatched);
    case.dispatched_at = Some(at);
    case.deadline = Some(deadline);
    case.calendar_missing = calendar_missing;
    case.warned = false;
    case.overdue = false;
    case.verified = false;
    case.handled_on_time = None;
}

/// A moved deadline deserves its own warning.
fn move_deadline(case: &mut Case, deadline: Option<i64>, calendar_missing: bool) {
    if case.deadline != deadline {
        case.warned = false;
    }
    case.deadline = deadline;
    case.calendar_missing = calendar_missing;
}

/// Moves to `state`; a pending extension lapses once the handler no longer holds the case.
fn leave_to(case: &mut Case, state: CaseState) {
    case.state = state;
    if !state.clock_runs() {
        case.pending_extension = None;
    }
}
