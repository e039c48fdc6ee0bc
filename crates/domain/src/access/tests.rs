//! The policy, checked against outcomes written out by hand rather than recomputed.

use super::*;
use crate::codes::{AreaCode, GridCode};
use Action::*;

const Y: bool = true;
const N: bool = false;

fn area(s: &str) -> AreaCode {
    AreaCode::parse(s).unwrap()
}

fn grid(s: &str) -> GridCode {
    GridCode::parse(s).unwrap()
}

/// 姑苏区 / 金阊街道 / 养育巷社区, grid 001.
const OWN_GRID: &str = "320508019044001";
/// A grid in 吴中区: outside every area scope used below.
const FAR_GRID: &str = "320506001001001";

fn principal(role: Role, can_unmask: bool) -> Principal {
    let scope = match role {
        Role::Admin => Scope::All,
        Role::District => Scope::Area(area("320508")),
        Role::Street => Scope::Area(area("320508019000")),
        Role::Community | Role::CentreStaff => Scope::Area(area("320508019044")),
        Role::GridWorker | Role::RedMember => Scope::Grid(grid(OWN_GRID)),
        Role::Department => Scope::Department("cgj".into()),
        Role::PartyOrg => Scope::Area(area("320508019000")),
        Role::Supervisor => Scope::Area(area("320508")),
        Role::Resident => Scope::SelfOnly,
    };
    Principal {
        account_id: 7,
        role,
        scope,
        can_unmask,
    }
}

fn allowed(p: &Principal, action: Action, target: &Target) -> bool {
    decide(p, action, target).is_ok()
}

/// (role, action, allowed on OWN_GRID, allowed on FAR_GRID), with `can_unmask = false`.
#[rustfmt::skip]
const MATRIX: &[(Role, Action, bool, bool)] = &[
    (Role::Admin, ViewArea, Y, Y),
    (Role::Admin, ViewGrid, Y, Y),
    (Role::Admin, ViewHousehold, Y, Y),
    (Role::Admin, ViewResident, Y, Y),
    (Role::Admin, EditPopulation, Y, Y),
    (Role::Admin, ImportPopulation, Y, Y),
    (Role::Admin, ImportGeo, Y, Y),
    (Role::Admin, ExportData, Y, Y),
    (Role::Admin, UnmaskPersonalData, Y, Y),
    (Role::Admin, ManageAccounts, Y, Y),
    (Role::Admin, ViewAuditLog, Y, Y),
    (Role::Admin, ViewDepartment, Y, Y),
    (Role::Admin, ReportCase, Y, Y),
    (Role::Admin, ViewCase, Y, Y),
    (Role::Admin, DispatchCase, Y, Y),
    (Role::Admin, VerifyCase, Y, Y),
    (Role::Admin, HandleCase, Y, Y),
    (Role::Admin, FollowUpCase, Y, Y),
    (Role::Admin, BlowWhistle, Y, Y),
    (Role::Admin, CheckInWhistle, Y, Y),
    (Role::Admin, RateWhistle, Y, Y),
    (Role::Admin, RecordSecondment, Y, Y),
    (Role::Admin, RecordCommunityCheckIn, Y, Y),
    (Role::Admin, ManagePartyOrg, Y, Y),
    (Role::Admin, RecordVisit, Y, Y),
    (Role::Admin, AssessMembers, Y, Y),
    (Role::Admin, ManageCadreRoster, Y, Y),
    (Role::Admin, ManageServiceCentres, Y, Y),
    (Role::Admin, FulfilServiceOrders, Y, Y),
    (Role::Admin, OrderService, Y, Y),
    (Role::Admin, ManageCoBuildContracts, Y, Y),
    (Role::Admin, RaiseTopic, Y, Y),
    (Role::Admin, RunDeliberation, Y, Y),
    (Role::Admin, PublishNotice, Y, Y),
    (Role::Admin, ManagePowerList, Y, Y),
    (Role::Admin, ReportMisconduct, Y, Y),
    (Role::Admin, InvestigateMisconduct, Y, Y),
    (Role::Admin, IssueSupervision, Y, Y),
    (Role::Admin, AnswerSupervision, Y, Y),
    (Role::Admin, ManageLivelihood, Y, Y),
    (Role::Admin, RespondEmergency, Y, Y),
    (Role::Admin, ManageEmergencies, Y, Y),

    (Role::District, ViewArea, Y, N),
    (Role::District, ViewGrid, Y, N),
    (Role::District, ViewHousehold, Y, N),
    (Role::District, ViewResident, Y, N),
    (Role::District, EditPopulation, Y, N),
    (Role::District, ImportPopulation, Y, N),
    (Role::District, ImportGeo, Y, N),
    (Role::District, ExportData, Y, N),
    (Role::District, UnmaskPersonalData, N, N),
    (Role::District, ManageAccounts, N, N),
    (Role::District, ViewAuditLog, N, N),
    (Role::District, ViewDepartment, Y, Y),
    (Role::District, ReportCase, Y, N),
    (Role::District, ViewCase, Y, N),
    (Role::District, DispatchCase, Y, N),
    (Role::District, VerifyCase, Y, N),
    (Role::District, HandleCase, Y, N),
    (Role::District, FollowUpCase, Y, N),
    (Role::District, BlowWhistle, Y, N),
    (Role::District, CheckInWhistle, N, N),
    (Role::District, RateWhistle, Y, N),
    (Role::District, RecordSecondment, Y, N),
    (Role::District, RecordCommunityCheckIn, Y, N),
    (Role::District, ManagePartyOrg, Y, N),
    (Role::District, RecordVisit, Y, N),
    (Role::District, AssessMembers, Y, N),
    (Role::District, ManageCadreRoster, Y, N),
    (Role::District, ManageServiceCentres, Y, N),
    (Role::District, FulfilServiceOrders, Y, N),
    (Role::District, OrderService, Y, N),
    (Role::District, ManageCoBuildContracts, Y, N),
    (Role::District, RaiseTopic, Y, N),
    (Role::District, RunDeliberation, Y, N),
    (Role::District, PublishNotice, Y, N),
    (Role::District, ManagePowerList, Y, N),
    (Role::District, ReportMisconduct, Y, Y),
    (Role::District, InvestigateMisconduct, N, N),
    (Role::District, IssueSupervision, Y, N),
    (Role::District, AnswerSupervision, Y, N),
    (Role::District, ManageLivelihood, Y, N),
    (Role::District, RespondEmergency, Y, N),
    (Role::District, ManageEmergencies, Y, N),

    (Role::Street, ViewArea, Y, N),
    (Role::Street, ViewGrid, Y, N),
    (Role::Street, ViewHousehold, Y, N),
    (Role::Street, ViewResident, Y, N),
    (Role::Street, EditPopulation, Y, N),
    (Role::Street, ImportPopulation, Y, N),
    (Role::Street, ImportGeo, N, N),
    (Role::Street, ExportData, Y, N),
    (Role::Street, UnmaskPersonalData, N, N),
    (Role::Street, ManageAccounts, N, N),
    (Role::Street, ViewAuditLog, N, N),
    (Role::Street, ViewDepartment, Y, Y),
    (Role::Street, ReportCase, Y, N),
    (Role::Street, ViewCase, Y, N),
    (Role::Street, DispatchCase, Y, N),
    (Role::Street, VerifyCase, Y, N),
    (Role::Street, HandleCase, Y, N),
    (Role::Street, FollowUpCase, Y, N),
    (Role::Street, BlowWhistle, Y, N),
    (Role::Street, CheckInWhistle, N, N),
    (Role::Street, RateWhistle, Y, N),
    (Role::Street, RecordSecondment, Y, N),
    (Role::Street, RecordCommunityCheckIn, Y, N),
    (Role::Street, ManagePartyOrg, Y, N),
    (Role::Street, RecordVisit, Y, N),
    (Role::Street, AssessMembers, Y, N),
    (Role::Street, ManageCadreRoster, Y, N),
    (Role::Street, ManageServiceCentres, Y, N),
    (Role::Street, FulfilServiceOrders, Y, N),
    (Role::Street, OrderService, Y, N),
    (Role::Street, ManageCoBuildContracts, Y, N),
    (Role::Street, RaiseTopic, Y, N),
    (Role::Street, RunDeliberation, Y, N),
    (Role::Street, PublishNotice, Y, N),
    (Role::Street, ManagePowerList, Y, N),
    (Role::Street, ReportMisconduct, Y, Y),
    (Role::Street, InvestigateMisconduct, N, N),
    (Role::Street, IssueSupervision, Y, N),
    (Role::Street, AnswerSupervision, Y, N),
    (Role::Street, ManageLivelihood, Y, N),
    (Role::Street, RespondEmergency, Y, N),
    (Role::Street, ManageEmergencies, Y, N),

    (Role::Community, ViewArea, Y, N),
    (Role::Community, ViewGrid, Y, N),
    (Role::Community, ViewHousehold, Y, N),
    (Role::Community, ViewResident, Y, N),
    (Role::Community, EditPopulation, Y, N),
    (Role::Community, ImportPopulation, Y, N),
    (Role::Community, ImportGeo, N, N),
    (Role::Community, ExportData, Y, N),
    (Role::Community, UnmaskPersonalData, N, N),
    (Role::Community, ManageAccounts, N, N),
    (Role::Community, ViewAuditLog, N, N),
    (Role::Community, ViewDepartment, Y, Y),
    (Role::Community, ReportCase, Y, N),
    (Role::Community, ViewCase, Y, N),
    (Role::Community, DispatchCase, Y, N),
    (Role::Community, VerifyCase, Y, N),
    (Role::Community, HandleCase, Y, N),
    (Role::Community, FollowUpCase, Y, N),
    (Role::Community, BlowWhistle, Y, N),
    (Role::Community, CheckInWhistle, N, N),
    (Role::Community, RateWhistle, Y, N),
    (Role::Community, RecordSecondment, Y, N),
    (Role::Community, RecordCommunityCheckIn, Y, N),
    (Role::Community, ManagePartyOrg, Y, N),
    (Role::Community, RecordVisit, Y, N),
    (Role::Community, AssessMembers, Y, N),
    (Role::Community, ManageCadreRoster, Y, N),
    (Role::Community, ManageServiceCentres, Y, N),
    (Role::Community, FulfilServiceOrders, Y, N),
    (Role::Community, OrderService, Y, N),
    (Role::Community, ManageCoBuildContracts, Y, N),
    (Role::Community, RaiseTopic, Y, N),
    (Role::Community, RunDeliberation, Y, N),
    (Role::Community, PublishNotice, Y, N),
    (Role::Community, ManagePowerList, N, N),
    (Role::Community, ReportMisconduct, Y, Y),
    (Role::Community, InvestigateMisconduct, N, N),
    (Role::Community, IssueSupervision, N, N),
    (Role::Community, AnswerSupervision, Y, N),
    (Role::Community, ManageLivelihood, Y, N),
    (Role::Community, RespondEmergency, Y, N),
    (Role::Community, ManageEmergencies, N, N),

    (Role::GridWorker, ViewArea, Y, N),
    (Role::GridWorker, ViewGrid, Y, N),
    (Role::GridWorker, ViewHousehold, Y, N),
    (Role::GridWorker, ViewResident, Y, N),
    (Role::GridWorker, EditPopulation, Y, N),
    (Role::GridWorker, ImportPopulation, N, N),
    (Role::GridWorker, ImportGeo, N, N),
    (Role::GridWorker, ExportData, Y, N),
    (Role::GridWorker, UnmaskPersonalData, N, N),
    (Role::GridWorker, ManageAccounts, N, N),
    (Role::GridWorker, ViewAuditLog, N, N),
    (Role::GridWorker, ViewDepartment, Y, Y),
    (Role::GridWorker, ReportCase, Y, N),
    (Role::GridWorker, ViewCase, Y, N),
    (Role::GridWorker, DispatchCase, N, N),
    (Role::GridWorker, VerifyCase, Y, N),
    (Role::GridWorker, HandleCase, Y, N),
    (Role::GridWorker, FollowUpCase, N, N),
    (Role::GridWorker, BlowWhistle, N, N),
    (Role::GridWorker, CheckInWhistle, N, N),
    (Role::GridWorker, RateWhistle, N, N),
    (Role::GridWorker, RecordSecondment, N, N),
    (Role::GridWorker, RecordCommunityCheckIn, N, N),
    (Role::GridWorker, ManagePartyOrg, N, N),
    (Role::GridWorker, RecordVisit, Y, N),
    (Role::GridWorker, AssessMembers, N, N),
    (Role::GridWorker, ManageCadreRoster, N, N),
    (Role::GridWorker, ManageServiceCentres, N, N),
    (Role::GridWorker, FulfilServiceOrders, N, N),
    (Role::GridWorker, OrderService, Y, N),
    (Role::GridWorker, ManageCoBuildContracts, N, N),
    (Role::GridWorker, RaiseTopic, Y, N),
    (Role::GridWorker, RunDeliberation, N, N),
    (Role::GridWorker, PublishNotice, N, N),
    (Role::GridWorker, ManagePowerList, N, N),
    (Role::GridWorker, ReportMisconduct, Y, Y),
    (Role::GridWorker, InvestigateMisconduct, N, N),
    (Role::GridWorker, IssueSupervision, N, N),
    (Role::GridWorker, AnswerSupervision, N, N),
    (Role::GridWorker, ManageLivelihood, N, N),
    (Role::GridWorker, RespondEmergency, Y, N),
    (Role::GridWorker, ManageEmergencies, N, N),

    (Role::RedMember, ViewArea, Y, N),
    (Role::RedMember, ViewGrid, Y, N),
    (Role::RedMember, ViewHousehold, N, N),
    (Role::RedMember, ViewResident, N, N),
    (Role::RedMember, EditPopulation, N, N),
    (Role::RedMember, ImportPopulation, N, N),
    (Role::RedMember, ImportGeo, N, N),
    (Role::RedMember, ExportData, N, N),
    (Role::RedMember, UnmaskPersonalData, N, N),
    (Role::RedMember, ManageAccounts, N, N),
    (Role::RedMember, ViewAuditLog, N, N),
    (Role::RedMember, ViewDepartment, Y, Y),
    (Role::RedMember, ReportCase, Y, N),
    (Role::RedMember, ViewCase, N, N),
    (Role::RedMember, DispatchCase, N, N),
    (Role::RedMember, VerifyCase, N, N),
    (Role::RedMember, HandleCase, N, N),
    (Role::RedMember, FollowUpCase, N, N),
    (Role::RedMember, BlowWhistle, N, N),
    (Role::RedMember, CheckInWhistle, N, N),
    (Role::RedMember, RateWhistle, N, N),
    (Role::RedMember, RecordSecondment, N, N),
    (Role::RedMember, RecordCommunityCheckIn, N, N),
    (Role::RedMember, ManagePartyOrg, N, N),
    (Role::RedMember, RecordVisit, Y, N),
    (Role::RedMember, AssessMembers, N, N),
    (Role::RedMember, ManageCadreRoster, N, N),
    (Role::RedMember, ManageServiceCentres, N, N),
    (Role::RedMember, FulfilServiceOrders, N, N),
    (Role::RedMember, OrderService, N, N),
    (Role::RedMember, ManageCoBuildContracts, N, N),
    (Role::RedMember, RaiseTopic, Y, N),
    (Role::RedMember, RunDeliberation, N, N),
    (Role::RedMember, PublishNotice, N, N),
    (Role::RedMember, ManagePowerList, N, N),
    (Role::RedMember, ReportMisconduct, Y, Y),
    (Role::RedMember, InvestigateMisconduct, N, N),
    (Role::RedMember, IssueSupervision, N, N),
    (Role::RedMember, AnswerSupervision, N, N),
    (Role::RedMember, ManageLivelihood, N, N),
    (Role::RedMember, RespondEmergency, N, N),
    (Role::RedMember, ManageEmergencies, N, N),
    (Role::Department, ViewArea, Y, Y),
    (Role::Department, ViewGrid, Y, Y),
    (Role::Department, ViewHousehold, N, N),
    (Role::Department, ViewResident, N, N),
    (Role::Department, EditPopulation, N, N),
    (Role::Department, ImportPopulation, N, N),
    (Role::Department, ImportGeo, N, N),
    (Role::Department, ExportData, N, N),
    (Role::Department, UnmaskPersonalData, N, N),
    (Role::Department, ManageAccounts, N, N),
    (Role::Department, ViewAuditLog, N, N),
    (Role::Department, ViewDepartment, Y, Y),
    (Role::Department, ReportCase, N, N),
    (Role::Department, ViewCase, N, N),
    (Role::Department, DispatchCase, N, N),
    (Role::Department, VerifyCase, N, N),
    (Role::Department, HandleCase, N, N),
    (Role::Department, FollowUpCase, N, N),
    (Role::Department, BlowWhistle, N, N),
    (Role::Department, CheckInWhistle, N, N),
    (Role::Department, RateWhistle, N, N),
    (Role::Department, RecordSecondment, N, N),
    (Role::Department, RecordCommunityCheckIn, N, N),
    (Role::Department, ManagePartyOrg, N, N),
    (Role::Department, RecordVisit, N, N),
    (Role::Department, AssessMembers, N, N),
    (Role::Department, ManageCadreRoster, N, N),
    (Role::Department, ManageServiceCentres, N, N),
    (Role::Department, FulfilServiceOrders, N, N),
    (Role::Department, OrderService, N, N),
    (Role::Department, ManageCoBuildContracts, N, N),
    (Role::Department, RaiseTopic, N, N),
    (Role::Department, RunDeliberation, N, N),
    (Role::Department, PublishNotice, N, N),
    (Role::Department, ManagePowerList, N, N),
    (Role::Department, ReportMisconduct, Y, Y),
    (Role::Department, InvestigateMisconduct, N, N),
    (Role::Department, IssueSupervision, N, N),
    (Role::Department, AnswerSupervision, N, N),
    (Role::Department, ManageLivelihood, N, N),
    (Role::Department, RespondEmergency, N, N),
    (Role::Department, ManageEmergencies, N, N),

    (Role::PartyOrg, ViewArea, Y, N),
    (Role::PartyOrg, ViewGrid, Y, N),
    (Role::PartyOrg, ViewHousehold, N, N),
    (Role::PartyOrg, ViewResident, N, N),
    (Role::PartyOrg, EditPopulation, N, N),
    (Role::PartyOrg, ImportPopulation, N, N),
    (Role::PartyOrg, ImportGeo, N, N),
    (Role::PartyOrg, ExportData, N, N),
    (Role::PartyOrg, UnmaskPersonalData, N, N),
    (Role::PartyOrg, ManageAccounts, N, N),
    (Role::PartyOrg, ViewAuditLog, N, N),
    (Role::PartyOrg, ViewDepartment, Y, Y),
    (Role::PartyOrg, ReportCase, N, N),
    (Role::PartyOrg, ViewCase, N, N),
    (Role::PartyOrg, DispatchCase, N, N),
    (Role::PartyOrg, VerifyCase, N, N),
    (Role::PartyOrg, HandleCase, N, N),
    (Role::PartyOrg, FollowUpCase, N, N),
    (Role::PartyOrg, BlowWhistle, N, N),
    (Role::PartyOrg, CheckInWhistle, N, N),
    (Role::PartyOrg, RateWhistle, N, N),
    (Role::PartyOrg, RecordSecondment, Y, N),
    (Role::PartyOrg, RecordCommunityCheckIn, Y, N),
    (Role::PartyOrg, ManagePartyOrg, Y, N),
    (Role::PartyOrg, RecordVisit, Y, N),
    (Role::PartyOrg, AssessMembers, Y, N),
    (Role::PartyOrg, ManageCadreRoster, Y, N),
    (Role::PartyOrg, ManageServiceCentres, N, N),
    (Role::PartyOrg, FulfilServiceOrders, N, N),
    (Role::PartyOrg, OrderService, N, N),
    (Role::PartyOrg, ManageCoBuildContracts, N, N),
    (Role::PartyOrg, RaiseTopic, Y, N),
    (Role::PartyOrg, RunDeliberation, Y, N),
    (Role::PartyOrg, PublishNotice, Y, N),
    (Role::PartyOrg, ManagePowerList, N, N),
    (Role::PartyOrg, ReportMisconduct, Y, Y),
    (Role::PartyOrg, InvestigateMisconduct, N, N),
    (Role::PartyOrg, IssueSupervision, N, N),
    (Role::PartyOrg, AnswerSupervision, N, N),
    (Role::PartyOrg, ManageLivelihood, N, N),
    (Role::PartyOrg, RespondEmergency, N, N),
    (Role::PartyOrg, ManageEmergencies, N, N),

    (Role::Supervisor, ViewArea, Y, N),
    (Role::Supervisor, ViewGrid, Y, N),
    (Role::Supervisor, ViewHousehold, N, N),
    (Role::Supervisor, ViewResident, N, N),
    (Role::Supervisor, EditPopulation, N, N),
    (Role::Supervisor, ImportPopulation, N, N),
    (Role::Supervisor, ImportGeo, N, N),
    (Role::Supervisor, ExportData, N, N),
    (Role::Supervisor, UnmaskPersonalData, N, N),
    (Role::Supervisor, ManageAccounts, N, N),
    (Role::Supervisor, ViewAuditLog, Y, N),
    (Role::Supervisor, ViewDepartment, Y, Y),
    (Role::Supervisor, ReportCase, N, N),
    (Role::Supervisor, ViewCase, Y, N),
    (Role::Supervisor, DispatchCase, N, N),
    (Role::Supervisor, VerifyCase, N, N),
    (Role::Supervisor, HandleCase, N, N),
    (Role::Supervisor, FollowUpCase, N, N),
    (Role::Supervisor, BlowWhistle, N, N),
    (Role::Supervisor, CheckInWhistle, N, N),
    (Role::Supervisor, RateWhistle, N, N),
    (Role::Supervisor, RecordSecondment, N, N),
    (Role::Supervisor, RecordCommunityCheckIn, N, N),
    (Role::Supervisor, ManagePartyOrg, N, N),
    (Role::Supervisor, RecordVisit, N, N),
    (Role::Supervisor, AssessMembers, N, N),
    (Role::Supervisor, ManageCadreRoster, N, N),
    (Role::Supervisor, ManageServiceCentres, N, N),
    (Role::Supervisor, FulfilServiceOrders, N, N),
    (Role::Supervisor, OrderService, N, N),
    (Role::Supervisor, ManageCoBuildContracts, N, N),
    (Role::Supervisor, RaiseTopic, N, N),
    (Role::Supervisor, RunDeliberation, N, N),
    (Role::Supervisor, PublishNotice, N, N),
    (Role::Supervisor, ManagePowerList, N, N),
    (Role::Supervisor, ReportMisconduct, Y, N),
    (Role::Supervisor, InvestigateMisconduct, Y, N),
    (Role::Supervisor, IssueSupervision, Y, N),
    (Role::Supervisor, AnswerSupervision, N, N),
    (Role::Supervisor, ManageLivelihood, Y, N),
    (Role::Supervisor, RespondEmergency, N, N),
    (Role::Supervisor, ManageEmergencies, N, N),

    (Role::Resident, ViewArea, Y, Y),
    (Role::Resident, ViewGrid, Y, Y),
    (Role::Resident, ViewHousehold, N, N),
    (Role::Resident, ViewResident, N, N),
    (Role::Resident, EditPopulation, N, N),
    (Role::Resident, ImportPopulation, N, N),
    (Role::Resident, ImportGeo, N, N),
    (Role::Resident, ExportData, N, N),
    (Role::Resident, UnmaskPersonalData, N, N),
    (Role::Resident, ManageAccounts, N, N),
    (Role::Resident, ViewAuditLog, N, N),
    (Role::Resident, ViewDepartment, Y, Y),
    (Role::Resident, ReportCase, Y, Y),
    (Role::Resident, ViewCase, N, N),
    (Role::Resident, DispatchCase, N, N),
    (Role::Resident, VerifyCase, N, N),
    (Role::Resident, HandleCase, N, N),
    (Role::Resident, FollowUpCase, N, N),
    (Role::Resident, BlowWhistle, N, N),
    (Role::Resident, CheckInWhistle, N, N),
    (Role::Resident, RateWhistle, N, N),
    (Role::Resident, RecordSecondment, N, N),
    (Role::Resident, RecordCommunityCheckIn, N, N),
    (Role::Resident, ManagePartyOrg, N, N),
    (Role::Resident, RecordVisit, N, N),
    (Role::Resident, AssessMembers, N, N),
    (Role::Resident, ManageCadreRoster, N, N),
    (Role::Resident, ManageServiceCentres, N, N),
    (Role::Resident, FulfilServiceOrders, N, N),
    (Role::Resident, OrderService, Y, Y),
    (Role::Resident, ManageCoBuildContracts, N, N),
    (Role::Resident, RaiseTopic, Y, Y),
    (Role::Resident, RunDeliberation, N, N),
    (Role::Resident, PublishNotice, N, N),
    (Role::Resident, ManagePowerList, N, N),
    (Role::Resident, ReportMisconduct, Y, Y),
    (Role::Resident, InvestigateMisconduct, N, N),
    (Role::Resident, IssueSupervision, N, N),
    (Role::Resident, AnswerSupervision, N, N),
    (Role::Resident, ManageLivelihood, N, N),
    (Role::Resident, RespondEmergency, N, N),
    (Role::Resident, ManageEmergencies, N, N),

    (Role::CentreStaff, ViewArea, Y, N),
    (Role::CentreStaff, ViewGrid, Y, N),
    (Role::CentreStaff, ViewHousehold, Y, N),
    (Role::CentreStaff, ViewResident, Y, N),
    (Role::CentreStaff, EditPopulation, N, N),
    (Role::CentreStaff, ImportPopulation, N, N),
    (Role::CentreStaff, ImportGeo, N, N),
    (Role::CentreStaff, ExportData, N, N),
    (Role::CentreStaff, UnmaskPersonalData, N, N),
    (Role::CentreStaff, ManageAccounts, N, N),
    (Role::CentreStaff, ViewAuditLog, N, N),
    (Role::CentreStaff, ViewDepartment, Y, Y),
    (Role::CentreStaff, ReportCase, N, N),
    (Role::CentreStaff, ViewCase, N, N),
    (Role::CentreStaff, DispatchCase, N, N),
    (Role::CentreStaff, VerifyCase, N, N),
    (Role::CentreStaff, HandleCase, N, N),
    (Role::CentreStaff, FollowUpCase, N, N),
    (Role::CentreStaff, BlowWhistle, N, N),
    (Role::CentreStaff, CheckInWhistle, N, N),
    (Role::CentreStaff, RateWhistle, N, N),
    (Role::CentreStaff, RecordSecondment, N, N),
    (Role::CentreStaff, RecordCommunityCheckIn, N, N),
    (Role::CentreStaff, ManagePartyOrg, N, N),
    (Role::CentreStaff, RecordVisit, N, N),
    (Role::CentreStaff, AssessMembers, N, N),
    (Role::CentreStaff, ManageCadreRoster, N, N),
    (Role::CentreStaff, ManageServiceCentres, N, N),
    (Role::CentreStaff, FulfilServiceOrders, Y, N),
    (Role::CentreStaff, OrderService, Y, N),
    (Role::CentreStaff, ManageCoBuildContracts, N, N),
    (Role::CentreStaff, RaiseTopic, Y, N),
    (Role::CentreStaff, RunDeliberation, N, N),
    (Role::CentreStaff, PublishNotice, N, N),
    (Role::CentreStaff, ManagePowerList, N, N),
    (Role::CentreStaff, ReportMisconduct, Y, Y),
    (Role::CentreStaff, InvestigateMisconduct, N, N),
    (Role::CentreStaff, IssueSupervision, N, N),
    (Role::CentreStaff, AnswerSupervision, N, N),
    (Role::CentreStaff, ManageLivelihood, N, N),
    (Role::CentreStaff, RespondEmergency, N, N),
    (Role::CentreStaff, ManageEmergencies, N, N),
];

/// UnmaskPersonalData with `can_unmask = true`: (role, on OWN_GRID, on FAR_GRID).
#[rustfmt::skip]
const UNMASK_GRANTED: &[(Role, bool, bool)] = &[
    (Role::Admin, Y, Y),
    (Role::District, Y, N),
    (Role::Street, Y, N),
    (Role::Community, Y, N),
    (Role::GridWorker, Y, N),
    (Role::RedMember, N, N),
    (Role::CentreStaff, N, N),
    (Role::Department, N, N),
    (Role::PartyOrg, N, N),
    (Role::Supervisor, N, N),
    (Role::Resident, N, N),
];

#[test]
fn matrix_covers_every_role_and_action_once() {
    for role in Role::ALL {
        for action in Action::ALL {
            let n = MATRIX
                .iter()
                .filter(|(r, a, _, _)| *r == role && *a == action)
                .count();
            assert_eq!(n, 1, "{role} × {action}");
        }
        assert_eq!(
            UNMASK_GRANTED.iter().filter(|(r, _, _)| *r == role).count(),
            1
        );
    }
}

#[test]
fn matrix_in_and_out_of_scope() {
    let (own, far) = (Target::Grid(grid(OWN_GRID)), Target::Grid(grid(FAR_GRID)));
    for &(role, action, inside, outside) in MATRIX {
        for can_unmask in [false, true] {
            if can_unmask && action == UnmaskPersonalData {
                continue; // covered by UNMASK_GRANTED
            }
            let p = principal(role, can_unmask);
            assert_eq!(allowed(&p, action, &own), inside, "{role} {action} own");
            assert_eq!(allowed(&p, action, &far), outside, "{role} {action} far");
        }
    }
}

#[test]
fn unmask_needs_the_grant() {
    let (own, far) = (Target::Grid(grid(OWN_GRID)), Target::Grid(grid(FAR_GRID)));
    for &(role, inside, outside) in UNMASK_GRANTED {
        let p = principal(role, true);
        assert_eq!(allowed(&p, UnmaskPersonalData, &own), inside, "{role} own");
        assert_eq!(allowed(&p, UnmaskPersonalData, &far), outside, "{role} far");
    }
    let d = decide(
        &principal(Role::GridWorker, false),
        UnmaskPersonalData,
        &own,
    )
    .unwrap_err();
    assert_eq!(d.reason, DenyReason::UnmaskNotGranted);
    let d = decide(&principal(Role::GridWorker, true), UnmaskPersonalData, &far).unwrap_err();
    assert_eq!(d.reason, DenyReason::OutOfScope);
    let d = decide(&principal(Role::Resident, true), UnmaskPersonalData, &own).unwrap_err();
    assert_eq!(d.reason, DenyReason::NotPermitted);
}

#[test]
fn enclosing_areas_are_viewable_but_only_as_areas() {
    let enclosing = ["320508019044", "320508019000", "320508", "320500", "320000"];
    for role in [Role::Community, Role::GridWorker] {
        let p = principal(role, true);
        for a in enclosing {
            let t = Target::Area(area(a));
            assert!(allowed(&p, ViewArea, &t), "{role} {a}");
            if a != "320508019044" {
                for action in [ViewGrid, ViewHousehold, ExportData, UnmaskPersonalData] {
                    assert!(!allowed(&p, action, &t), "{role} {action} {a}");
                }
            }
        }
    }
    // The enclosing community of a grid worker is not inside a grid scope.
    let gw = principal(Role::GridWorker, true);
    assert!(!allowed(&gw, ViewGrid, &Target::Area(area("320508019044"))));
    for role in [
        Role::PartyOrg,
        Role::Supervisor,
        Role::District,
        Role::Street,
    ] {
        let p = principal(role, false);
        assert!(
            allowed(&p, ViewArea, &Target::Area(area("320000"))),
            "{role}"
        );
        assert!(
            !allowed(&p, ViewGrid, &Target::Area(area("320000"))),
            "{role}"
        );
    }
}

#[test]
fn neighbours_are_out_of_scope() {
    let cases: &[(Role, &str)] = &[
        (Role::GridWorker, "320508019044002"),
        (Role::Community, "320508019045001"),
        (Role::Street, "320508020001001"),
        (Role::PartyOrg, "320508020001001"),
    ];
    for &(role, g) in cases {
        let p = principal(role, true);
        let t = Target::Grid(grid(g));
        for action in [ViewGrid, ViewHousehold, ExportData, UnmaskPersonalData] {
            let d = decide(&p, action, &t);
            if role == Role::PartyOrg && action != ViewGrid {
                assert_eq!(d.unwrap_err().reason, DenyReason::NotPermitted);
            } else {
                assert_eq!(
                    d.unwrap_err().reason,
                    DenyReason::OutOfScope,
                    "{role} {action}"
                );
            }
        }
        // A grid worker's neighbour grid shares its community, which it may view.
        let neighbour_community = Target::Area(area(&g[..12]));
        assert_eq!(
            allowed(&p, ViewArea, &neighbour_community),
            role == Role::GridWorker
        );
    }
    // The neighbour street is still inside the district.
    let district = principal(Role::District, false);
    assert!(allowed(
        &district,
        ViewHousehold,
        &Target::Grid(grid("320508020001001"))
    ));
}

#[test]
fn area_targets_inside_scope() {
    let street = principal(Role::Street, false);
    let community = Target::Area(area("320508019044"));
    assert!(allowed(&street, ViewHousehold, &community));
    assert!(allowed(&street, ImportPopulation, &community));
    assert!(allowed(
        &street,
        ViewArea,
        &Target::Area(area("320508019000"))
    ));
    assert!(!allowed(
        &street,
        ViewHousehold,
        &Target::Area(area("320508"))
    ));
    let district = principal(Role::District, false);
    assert!(allowed(&district, ImportGeo, &Target::Area(area("320508"))));
    assert!(!allowed(
        &district,
        ImportGeo,
        &Target::Area(area("320500"))
    ));
}

#[test]
fn everything_target() {
    let all = Target::Everything;
    assert!(allowed(
        &principal(Role::Admin, false),
        ManageAccounts,
        &all
    ));
    assert!(allowed(&principal(Role::Department, false), ViewArea, &all));
    assert!(allowed(&principal(Role::Resident, false), ViewGrid, &all));
    assert!(allowed(
        &principal(Role::District, false),
        ViewDepartment,
        &all
    ));
    for role in [
        Role::District,
        Role::Street,
        Role::Community,
        Role::GridWorker,
        Role::PartyOrg,
    ] {
        let p = principal(role, true);
        for action in [ViewArea, ViewGrid, ViewHousehold, ExportData] {
            assert!(!allowed(&p, action, &all), "{role} {action}");
        }
    }
    let city_supervisor = Principal {
        scope: Scope::All,
        ..principal(Role::Supervisor, true)
    };
    assert!(allowed(&city_supervisor, ViewAuditLog, &all));
    assert!(allowed(
        &city_supervisor,
        ViewGrid,
        &Target::Grid(grid(FAR_GRID))
    ));
    let d = decide(&city_supervisor, ViewResident, &all).unwrap_err();
    assert_eq!(d.reason, DenyReason::NotPermitted);
}

#[test]
fn cases_sent_to_a_department_are_that_department_s() {
    let own = Target::Department("cgj".into());
    let other = Target::Department("zjj".into());
    let dept = principal(Role::Department, false);
    for action in [ViewCase, HandleCase] {
        assert!(allowed(&dept, action, &own), "{action}");
        let d = decide(&dept, action, &other).unwrap_err();
        assert_eq!(d.reason, DenyReason::OutOfScope, "{action}");
    }
    for action in [ReportCase, DispatchCase, FollowUpCase] {
        let d = decide(&dept, action, &own).unwrap_err();
        assert_eq!(d.reason, DenyReason::NotPermitted, "{action}");
    }
    // Nobody scoped to an area or a grid handles a department's case.
    for role in [
        Role::District,
        Role::Street,
        Role::Community,
        Role::GridWorker,
    ] {
        assert!(!allowed(&principal(role, true), HandleCase, &own), "{role}");
    }
    assert!(allowed(&principal(Role::Admin, false), HandleCase, &own));
}

#[test]
fn summoned_departments_check_in_and_rate_as_their_own_department() {
    let own = Target::Department("cgj".into());
    let other = Target::Department("zjj".into());
    let dept = principal(Role::Department, false);
    for action in [
        CheckInWhistle,
        RateWhistle,
        RecordSecondment,
        RecordCommunityCheckIn,
    ] {
        assert!(allowed(&dept, action, &own), "{action}");
        let d = decide(&dept, action, &other).unwrap_err();
        assert_eq!(d.reason, DenyReason::OutOfScope, "{action}");
    }
    assert_eq!(
        decide(&dept, BlowWhistle, &own).unwrap_err().reason,
        DenyReason::NotPermitted
    );
    // Streets summon and rate; they never check in for a department.
    for role in [Role::District, Role::Street, Role::Community] {
        let p = principal(role, false);
        assert!(!allowed(&p, CheckInWhistle, &own), "{role}");
        assert!(!allowed(&p, RateWhistle, &own), "{role}");
        assert!(allowed(
            &p,
            BlowWhistle,
            &Target::Area(area("320508019044"))
        ));
    }
    assert!(allowed(
        &principal(Role::Admin, false),
        CheckInWhistle,
        &own
    ));
}

#[test]
fn residents_report_anywhere_on_the_map_but_not_off_it() {
    let resident = principal(Role::Resident, false);
    assert!(allowed(&resident, ReportCase, &Target::Everything));
    assert!(allowed(
        &resident,
        ReportCase,
        &Target::Area(area("320508019044"))
    ));
    assert!(!allowed(
        &resident,
        ReportCase,
        &Target::Department("cgj".into())
    ));
}

#[test]
fn department_targets() {
    let other = Target::Department("zjj".into());
    let own = Target::Department("cgj".into());
    for role in Role::ALL {
        let p = principal(role, false);
        assert!(allowed(&p, ViewDepartment, &other), "{role}");
    }
    let dept = principal(Role::Department, false);
    assert!(allowed(&dept, ViewDepartment, &own));
    assert!(!allowed(&dept, ViewArea, &own));
    assert!(!allowed(
        &principal(Role::District, false),
        ViewArea,
        &other
    ));
}

#[test]
fn a_scope_that_does_not_fit_the_role_denies_everything() {
    let misfits: Vec<(Role, Scope)> = vec![
        (Role::Admin, Scope::Area(area("320508"))),
        (Role::Admin, Scope::SelfOnly),
        (Role::District, Scope::Area(area("320508019000"))),
        (Role::District, Scope::Area(area("320500"))),
        (Role::District, Scope::Grid(grid(OWN_GRID))),
        (Role::Street, Scope::Area(area("320508"))),
        (Role::Street, Scope::All),
        (Role::Community, Scope::Area(area("320508019000"))),
        (Role::Community, Scope::Grid(grid(OWN_GRID))),
        (Role::GridWorker, Scope::Area(area("320508019044"))),
        (Role::GridWorker, Scope::All),
        (Role::RedMember, Scope::Area(area("320508019044"))),
        (Role::Department, Scope::Area(area("320508"))),
        (Role::Department, Scope::Department("  ".into())),
        (Role::PartyOrg, Scope::Grid(grid(OWN_GRID))),
        (Role::PartyOrg, Scope::All),
        (Role::Supervisor, Scope::SelfOnly),
        (Role::Supervisor, Scope::Department("cgj".into())),
        (Role::Resident, Scope::All),
        (Role::Resident, Scope::Area(area("320508"))),
    ];
    let targets = [
        Target::Everything,
        Target::Area(area("320508019044")),
        Target::Grid(grid(OWN_GRID)),
        Target::Department("cgj".into()),
    ];
    for (role, scope) in misfits {
        let p = Principal {
            account_id: 1,
            role,
            scope: scope.clone(),
            can_unmask: true,
        };
        for action in Action::ALL {
            for t in &targets {
                let d = decide(&p, action, t).unwrap_err();
                assert_eq!(
                    d.reason,
                    DenyReason::ScopeMismatch,
                    "{role} {scope:?} {action}"
                );
            }
        }
    }
}

#[test]
fn party_org_and_supervisor_fit_any_area_level() {
    for a in ["320000", "320508", "320508019044"] {
        for role in [Role::PartyOrg, Role::Supervisor] {
            let p = Principal {
                account_id: 1,
                role,
                scope: Scope::Area(area(a)),
                can_unmask: false,
            };
            assert!(
                allowed(&p, ViewGrid, &Target::Grid(grid(OWN_GRID))),
                "{role} {a}"
            );
        }
    }
}

#[test]
fn denial_says_who_what_where() {
    use crate::Bilingual;
    let d = decide(
        &principal(Role::Community, false),
        ViewHousehold,
        &Target::Grid(grid(FAR_GRID)),
    )
    .unwrap_err();
    assert_eq!(d.code(), "forbidden");
    assert_eq!(
        d.message_zh(),
        "角色“社区”无权对“网格 320506001001001”执行“查看住户”：对象不在账号的管辖范围内"
    );
    assert_eq!(
        d.message_en(),
        "role community may not view households on grid 320506001001001: the target is outside the account's scope"
    );
}
