//! The rules of the table in the `access` module docs, as code.

use super::{Action, Denied, DenyReason, Principal, Role, Scope, Target};
use crate::codes::AreaLevel;

/// How a (role, action) pair is granted; one value per cell of the table above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
    Always,
    Never,
    Inside,
    InsideOrEnclosing,
    Map,
    InsideWithUnmask,
}

pub(super) fn rule(role: Role, action: Action) -> Rule {
    use Action::*;
    use Rule::*;
    match role {
        Role::Admin => Always,
        Role::District | Role::Street | Role::Community => match action {
            ViewArea => InsideOrEnclosing,
            ViewGrid | ViewHousehold | ViewResident | EditPopulation | ImportPopulation
            | ExportData => Inside,
            ImportGeo if role == Role::District => Inside,
            ImportGeo => Never,
            UnmaskPersonalData => InsideWithUnmask,
            ManageAccounts | ViewAuditLog => Never,
            ViewDepartment => Always,
            ReportCase | ViewCase | DispatchCase | VerifyCase | HandleCase | FollowUpCase => Inside,
            // Community staff blow the whistle only where their street granted it: the case
            // rules check the grant (`WhistleConfig::community_grants`).
            BlowWhistle | RateWhistle | RecordSecondment | RecordCommunityCheckIn => Inside,
            ManagePartyOrg | RecordVisit | AssessMembers | ManageCadreRoster => Inside,
            ManageServiceCentres | FulfilServiceOrders | OrderService | ManageCoBuildContracts => {
                Inside
            }
            RaiseTopic | RunDeliberation | PublishNotice => Inside,
            // A street or a district (乡镇、县直) keeps its own power list; a community is no
            // administrative organ and has none.
            ManagePowerList if role == Role::Community => Never,
            ManagePowerList => Inside,
            // Anyone may report passive governance anywhere; investigating is supervision's.
            ReportMisconduct => Map,
            InvestigateMisconduct => Never,
            // A district or street supervises the work below it (督办); every level answers
            // the orders on its own work and keeps its livelihood records.
            IssueSupervision if role == Role::Community => Never,
            IssueSupervision | AnswerSupervision | ManageLivelihood => Inside,
            // Checking in is the summoned department's own act.
            CheckInWhistle => Never,
            // Every level answers an emergency in its area; a district or street sets the
            // minutes and runs drills, a community takes part.
            RespondEmergency => Inside,
            ManageEmergencies if role == Role::Community => Never,
            ManageEmergencies => Inside,
        },
        Role::GridWorker => match action {
            ViewArea => InsideOrEnclosing,
            ViewGrid | ViewHousehold | ViewResident | EditPopulation | ExportData => Inside,
            UnmaskPersonalData => InsideWithUnmask,
            ImportPopulation | ImportGeo | ManageAccounts | ViewAuditLog => Never,
            ViewDepartment => Always,
            // Inside a grid scope means the worker's own grid; a case sent to a department
            // targets the department, which a grid scope never covers.
            // 核查 in its own grid (数字城管's 监督员); the city may turn it off.
            ReportCase | ViewCase | HandleCase | VerifyCase => Inside,
            DispatchCase | FollowUpCase => Never,
            BlowWhistle
            | CheckInWhistle
            | RateWhistle
            | RecordSecondment
            | RecordCommunityCheckIn => Never,
            // A grid worker visits the households of its grid like a red grid member does, and
            // is the first to answer an emergency there.
            RecordVisit | RespondEmergency => Inside,
            ManagePartyOrg | AssessMembers | ManageCadreRoster => Never,
            // It orders services for the households it looks after and raises their topics.
            OrderService | RaiseTopic => Inside,
            ReportMisconduct => Map,
            ManageServiceCentres
            | FulfilServiceOrders
            | ManageCoBuildContracts
            | RunDeliberation
            | PublishNotice
            | ManagePowerList
            | InvestigateMisconduct
            | IssueSupervision
            | AnswerSupervision
            | ManageLivelihood
            | ManageEmergencies => Never,
        },
        // A red grid member works on the households linked to them (the visit rules check the
        // link) and reports what it finds in its grid; it follows its own reports as reporter.
        Role::RedMember => match action {
            ViewArea => InsideOrEnclosing,
            ViewGrid | ReportCase | RecordVisit | RaiseTopic => Inside,
            ViewDepartment => Always,
            ReportMisconduct => Map,
            _ => Never,
        },
        // Centre staff serve the residents of their community: they see who may be served
        // (masked), take orders on a resident's behalf and fulfil them.
        Role::CentreStaff => match action {
            ViewArea => InsideOrEnclosing,
            ViewGrid | ViewHousehold | ViewResident => Inside,
            ViewDepartment => Always,
            FulfilServiceOrders | OrderService | RaiseTopic => Inside,
            ReportMisconduct => Map,
            _ => Never,
        },
        // A department sees and handles the cases sent to it: its scope covers only its own
        // department target.
        Role::Department => match action {
            ViewArea | ViewGrid => Map,
            ViewDepartment => Always,
            ViewCase | HandleCase => Inside,
            // Summoned by a whistle it checks in and rates the street, as its own department;
            // it records its own cadres sent down and in-service members.
            CheckInWhistle | RateWhistle | RecordSecondment | RecordCommunityCheckIn => Inside,
            // As a centre's lead department it sets the assessment items; it delivers its
            // co-build commitments and publishes its own notices (政务公示).
            ManageServiceCentres | ManageCoBuildContracts | PublishNotice => Inside,
            // It keeps its own power list, answers the supervision orders on its own work and
            // keeps the livelihood projects it is responsible for; like anyone it may report.
            ManagePowerList | AnswerSupervision | ManageLivelihood => Inside,
            // The handling department is alerted with the places and acknowledges as itself.
            RespondEmergency => Inside,
            ReportMisconduct => Map,
            _ => Never,
        },
        // A resident may report anywhere in the city; rating and reopening their own case is
        // decided by the case rules (they are its reporter), not by a scope.
        Role::Resident => match action {
            ViewArea | ViewGrid | ReportCase | OrderService | RaiseTopic | ReportMisconduct => Map,
            ViewDepartment => Always,
            _ => Never,
        },
        Role::PartyOrg => match action {
            ViewArea => InsideOrEnclosing,
            ViewGrid => Inside,
            ViewDepartment => Always,
            // Party organisations follow cadres sent down and in-service members in their area,
            // keep their own tree and members, the red grid's links and visits, the members'
            // assessment and the community cadre roster. The population lists stay the
            // community's: a link shows its household only as the red grid's list does.
            RecordSecondment | RecordCommunityCheckIn => Inside,
            ManagePartyOrg | RecordVisit | AssessMembers | ManageCadreRoster => Inside,
            // 一有: the community's party organisation leads its deliberation and publishes
            // party affairs (党务公开).
            RaiseTopic | RunDeliberation | PublishNotice => Inside,
            ReportMisconduct => Map,
            _ => Never,
        },
        // Discipline supervision watches how cases are handled (消极怠政) but never acts on them:
        // it takes reports, investigates and holds officials accountable, issues supervision
        // orders and keeps the livelihood supervision and investigation records in its area.
        Role::Supervisor => match action {
            ViewArea => InsideOrEnclosing,
            ViewGrid | ViewAuditLog | ViewCase => Inside,
            ViewDepartment => Always,
            ReportMisconduct | InvestigateMisconduct | IssueSupervision | ManageLivelihood => {
                Inside
            }
            _ => Never,
        },
    }
}

/// Whether `scope` is a kind of scope `role` can hold (see the table's notes). Account
/// administration checks this before saving so that no account is created that `decide`
/// would refuse everything.
pub fn scope_fits(role: Role, scope: &Scope) -> bool {
    match (role, scope) {
        (Role::Admin, Scope::All) => true,
        (Role::District, Scope::Area(a)) => a.level() == AreaLevel::District,
        (Role::Street, Scope::Area(a)) => a.level() == AreaLevel::Street,
        (Role::Community | Role::CentreStaff, Scope::Area(a)) => a.level() == AreaLevel::Community,
        (Role::GridWorker | Role::RedMember, Scope::Grid(_)) => true,
        (Role::Department, Scope::Department(code)) => !code.trim().is_empty(),
        (Role::PartyOrg, Scope::Area(_)) => true,
        (Role::Supervisor, Scope::Area(_) | Scope::All) => true,
        (Role::Resident, Scope::SelfOnly) => true,
        _ => false,
    }
}

/// May `principal` perform `action` on `target`? `Err` says who may not do what, and why.
pub fn decide(principal: &Principal, action: Action, target: &Target) -> Result<(), Denied> {
    let scope = &principal.scope;
    let verdict = if !scope_fits(principal.role, scope) {
        Err(DenyReason::ScopeMismatch)
    } else {
        let inside = || scope.covers(target);
        match rule(principal.role, action) {
            Rule::Always => Ok(()),
            Rule::Never => Err(DenyReason::NotPermitted),
            Rule::Inside if inside() => Ok(()),
            Rule::InsideOrEnclosing if inside() || scope.lies_under(target) => Ok(()),
            Rule::Map if target.is_map() => Ok(()),
            Rule::InsideWithUnmask if inside() && !principal.can_unmask => {
                Err(DenyReason::UnmaskNotGranted)
            }
            Rule::InsideWithUnmask if inside() => Ok(()),
            _ => Err(DenyReason::OutOfScope),
        }
    };
    verdict.map_err(|reason| Denied {
        role: principal.role,
        action,
        target: target.clone(),
        reason,
    })
}
