//! What the deadline job and the case page need from the clock: which command is due, when
//! the warning falls due, and how much time is left.

use super::{Case, CaseState, Command, LoopConfig};
use crate::calendar::TimeBasis;

/// How this case's deadline is measured: on the wall clock for classes timed in natural
/// hours (emergencies, utilities by default), otherwise in working time.
pub fn basis_of(case: &Case, cfg: &LoopConfig) -> TimeBasis {
    cfg.deadlines.duration(case.effective_class()).basis()
}

/// The instant from which the 80% warning is due, while the clock runs and no warning or
/// overdue mark has been given. The store may keep it in a column so the job's query is an
/// index range scan.
pub fn warning_at(case: &Case, cfg: &LoopConfig) -> Option<i64> {
    if !case.state.clock_runs() || case.warned || case.overdue {
        return None;
    }
    let (start, deadline) = (case.dispatched_at?, case.deadline?);
    let basis = basis_of(case, cfg);
    let total = cfg.calendar.elapsed(basis, start, deadline);
    // Rounded up so that at the returned instant the share is reached, never just short.
    let share = ((i128::from(total) * i128::from(cfg.warn_percent) + 99) / 100) as i64;
    Some(match basis {
        TimeBasis::Natural => start + share,
        TimeBasis::Working if total == 0 => deadline,
        TimeBasis::Working => cfg.calendar.add_working_ms(start, share),
    })
}

/// When the deadline job must look at the case next: the warning point until warned, then
/// the deadline until overdue; `None` when no clock runs.
pub fn next_clock_point(case: &Case, cfg: &LoopConfig) -> Option<i64> {
    if !case.state.clock_runs() || case.overdue {
        return None;
    }
    if !case.warned {
        warning_at(case, cfg).or(case.deadline)
    } else {
        case.deadline
    }
}

/// True when the warning share of the time limit is used up at `now` (exact integer maths,
/// so the job and `decide` never disagree at the boundary).
pub fn warning_due(case: &Case, now: i64, cfg: &LoopConfig) -> bool {
    let (Some(start), Some(deadline)) = (case.dispatched_at, case.deadline) else {
        return false;
    };
    let basis = basis_of(case, cfg);
    let total = cfg.calendar.elapsed(basis, start, deadline);
    if total == 0 {
        return now >= deadline;
    }
    let used = cfg.calendar.elapsed(basis, start, now);
    i128::from(used) * 100 >= i128::from(total) * i128::from(cfg.warn_percent)
}

/// The clock command the deadline job should issue for `case` at `now`, if any: overdue
/// first (it implies the warning), then the warning.
pub fn due_clock_command(case: &Case, now: i64, cfg: &LoopConfig) -> Option<Command> {
    if !case.state.clock_runs() {
        return None;
    }
    let deadline = case.deadline?;
    if !case.overdue && now > deadline {
        Some(Command::MarkOverdue)
    } else if !case.warned && !case.overdue && warning_due(case, now, cfg) {
        Some(Command::WarnDeadline)
    } else {
        None
    }
}

/// Milliseconds left until the deadline (in the deadline's own basis), negative and on the
/// wall clock once overdue; frozen at the moment of deferral while deferred; `None` when no
/// clock applies (not dispatched, or reported back and beyond).
pub fn time_left(case: &Case, now: i64, cfg: &LoopConfig) -> Option<i64> {
    let deadline = case.deadline?;
    let at = match (case.state, case.deferral) {
        (CaseState::Deferred, Some(d)) => d.at,
        (s, _) if s.clock_runs() => now,
        _ => return None,
    };
    Some(cfg.calendar.time_left(basis_of(case, cfg), deadline, at))
}
