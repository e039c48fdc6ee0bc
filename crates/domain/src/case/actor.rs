//! Who acts on a case, and which access action each command needs.

use serde::{Deserialize, Serialize};

use super::{Case, Command, CommandKind};
use crate::access::{Action, Principal, Role, Target};

/// Who issues a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Actor {
    /// A signed-in account. `is_reporter` is true when the caller knows this account filed the
    /// case or it gave the case's lookup code; an account whose id is the case's `reporter`
    /// counts as the reporter either way.
    Account {
        principal: Principal,
        is_reporter: bool,
    },
    /// Someone not signed in: a resident on the public pages. `is_reporter` is true when they
    /// gave the case's lookup code.
    Public { is_reporter: bool },
    /// The server itself: the deadline job, Open311 intake behind an API key, imports.
    System,
}

impl Actor {
    /// A signed-in account that is not (known to be) the reporter.
    pub fn account(principal: Principal) -> Actor {
        Actor::Account {
            principal,
            is_reporter: false,
        }
    }

    pub fn principal(&self) -> Option<&Principal> {
        match self {
            Actor::Account { principal, .. } => Some(principal),
            _ => None,
        }
    }

    /// The account id to record on the timeline, if any.
    pub fn account_id(&self) -> Option<i64> {
        self.principal().map(|p| p.account_id)
    }

    /// The resident who filed `case`. Staff who filed a case on patrol are not its reporter
    /// in this sense: their rating would be the platform grading itself.
    pub fn is_reporter_of(&self, case: &Case) -> bool {
        match self {
            Actor::Account {
                principal,
                is_reporter,
            } => {
                principal.role == Role::Resident
                    && (*is_reporter || case.reporter == Some(principal.account_id))
            }
            Actor::Public { is_reporter } => *is_reporter,
            Actor::System => false,
        }
    }
}

/// May `who` see the phone number `case` was reported with, as a matter of course? Only the
/// reporter's own signed-in account, which typed it. Those who call the reporter back see it
/// only by revealing it, one case at a time, with a reason that is logged
/// ([`may_reveal_reporter_phone`]) — never on a list, an export or a receipt. A lookup code
/// proves that its holder heard the code (it is read out on the hotline), not that the number
/// is theirs. Whoever may not see the number may not have what opens its hash on the ledger.
pub fn may_see_reporter_phone(case: &Case, who: &Actor) -> bool {
    matches!(
        who,
        Actor::Account { principal, .. }
            if principal.role == Role::Resident && case.reporter == Some(principal.account_id)
    )
}

/// May `who` reveal the reporter's number (given "便于回访", so that someone calls back)? Those
/// who dispatch the case or handle it: they are the ones who call back. Each reveal needs a
/// reason and is logged; the page shows the number masked until then. Seeing a case is not
/// enough: a supervisor, a party organisation or another resident never reveals it.
pub fn may_reveal_reporter_phone(case: &Case, who: &Actor) -> bool {
    let Some(p) = who.principal() else {
        return false;
    };
    let allowed = |a: Action, t: &Target| crate::access::decide(p, a, t).is_ok();
    allowed(Action::DispatchCase, &case_target(case))
        || allowed(Action::HandleCase, &handler_target(case))
}

/// Who may issue a command, before the state is looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Need {
    /// The access policy must allow this action on this target.
    Access(Action, Target),
    /// The reporter, or the access policy (for staff recording a follow-up).
    ReporterOr(Action, Target),
    /// Anyone who may report here, signed in or not.
    AnyoneOr(Action, Target),
    /// Only the server's own jobs.
    System,
    /// The access policy, or the server itself: automatic registration and dispatch by the
    /// dispatch rules (智能派遣) when the configuration turns it on.
    SystemOr(Action, Target),
}

/// The target a case is seen under: its grid, else its community, else (not yet located)
/// the whole city, which only city-wide accounts cover.
pub fn case_target(case: &Case) -> Target {
    match (case.grid, case.community) {
        (Some(g), _) => Target::Grid(g),
        (None, Some(c)) => Target::Area(c),
        (None, None) => Target::Everything,
    }
}

/// The target of the handler's work: the department the case was sent to, or the case's own
/// place when the locality handles it.
pub fn handler_target(case: &Case) -> Target {
    match &case.department {
        Some(d) => Target::Department(d.clone()),
        None => case_target(case),
    }
}

pub(super) fn need(case: &Case, cmd: &Command) -> Need {
    use CommandKind::*;
    let summoned = || Target::Department(cmd.whistle_department().unwrap_or("").to_string());
    match cmd.kind() {
        Register | Dispatch => Need::SystemOr(Action::DispatchCase, case_target(case)),
        Cancel | MergeInto | Redirect | Close | DecideExtension | Defer | Resume | DecideReopen
        | Escalate => Need::Access(Action::DispatchCase, case_target(case)),
        // The grid worker checks results in its grid too, when the city says so (`decide`).
        Verify => Need::Access(Action::VerifyCase, case_target(case)),
        Start | ReportBack | RequestExtension | Return => {
            Need::Access(Action::HandleCase, handler_target(case))
        }
        Rate | RequestReopen => Need::ReporterOr(Action::FollowUpCase, case_target(case)),
        Report | Support => Need::AnyoneOr(Action::ReportCase, case_target(case)),
        WarnDeadline | MarkOverdue | RemindCheckIn | MarkCheckInOverdue => Need::System,
        // The street's side of 吹哨报到 targets the case's place; the department's side its own
        // department, which only that department's scope covers.
        BlowWhistle | SummonDepartments | ReopenWhistlePart => {
            Need::Access(Action::BlowWhistle, case_target(case))
        }
        AcknowledgeWhistle | ArriveWhistle | FinishWhistlePart => {
            Need::Access(Action::CheckInWhistle, summoned())
        }
        RateWhistleDepartment => Need::Access(Action::RateWhistle, case_target(case)),
        RateWhistleCoordination => Need::Access(Action::RateWhistle, summoned()),
    }
}

/// May `who` see `case`? Staff by the policy's ViewCase (a department also on the cases whose
/// whistle summoned it); residents only as its reporter.
pub fn may_view(case: &Case, who: &Actor) -> bool {
    if who.is_reporter_of(case) || *who == Actor::System {
        return true;
    }
    // Staff follow what they reported themselves (a red grid member lists its own reports and
    // sees nothing else of the loop); only a resident reporter rates or asks to reopen.
    if let Actor::Account { principal, .. } = who
        && case.reporter == Some(principal.account_id)
    {
        return true;
    }
    let Some(p) = who.principal() else {
        return false;
    };
    let allowed = |t: &Target| crate::access::decide(p, Action::ViewCase, t).is_ok();
    allowed(&case_target(case))
        || case
            .department
            .as_ref()
            .is_some_and(|d| allowed(&Target::Department(d.clone())))
        || case
            .whistles
            .iter()
            .flat_map(|w| &w.parts)
            .any(|p| allowed(&Target::Department(p.department.clone())))
}

/// May `who` add photos to `case`? Those with a part in it: its reporter, whoever dispatches
/// it, its handler, and a department its whistle summoned. Seeing a case (a supervisor, a
/// party organisation) is not enough: evidence is part of the record.
pub fn may_attach_evidence(case: &Case, who: &Actor) -> bool {
    if who.is_reporter_of(case) || *who == Actor::System {
        return true;
    }
    let Some(p) = who.principal() else {
        return false;
    };
    let allowed = |a: Action, t: &Target| crate::access::decide(p, a, t).is_ok();
    allowed(Action::DispatchCase, &case_target(case))
        || allowed(Action::HandleCase, &handler_target(case))
        || case.whistles.iter().flat_map(|w| &w.parts).any(|part| {
            allowed(
                Action::CheckInWhistle,
                &Target::Department(part.department.clone()),
            )
        })
}
