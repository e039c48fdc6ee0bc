//! What an account asks to do.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    ViewArea,
    ViewGrid,
    ViewHousehold,
    ViewResident,
    EditPopulation,
    ImportPopulation,
    /// Import area and grid boundaries.
    ImportGeo,
    ExportData,
    /// See ID and phone numbers in full instead of masked; also find residents by a full number,
    /// since the answer (whose number it is) tells as much as an unmask.
    UnmaskPersonalData,
    ManageAccounts,
    ViewAuditLog,
    ViewDepartment,
    /// File a case (上报): residents anywhere, staff inside their patch.
    ReportCase,
    /// See a case and its timeline.
    ViewCase,
    /// The dispatcher's part of the closed loop: register, cancel, merge, dispatch, verify,
    /// close, decide extensions and reopenings, defer, resume, escalate.
    DispatchCase,
    /// 核查: check the handler's result on site. Whoever dispatches, and the grid worker in its
    /// grid (when the city's loop configuration gives it verification).
    VerifyCase,
    /// The handler's part: start, report back, request an extension, return a wrong dispatch.
    /// Targeted at the case's department, or at its grid/community when the locality handles it.
    HandleCase,
    /// Record a follow-up (回访) and the rating on someone else's behalf, e.g. after a hotline call.
    FollowUpCase,
    /// 吹哨: summon departments to a case, add more, send a part reported done back.
    /// Targeted at the case's place; community staff need their street's grant besides.
    BlowWhistle,
    /// 报到: acknowledge a summons, check in on site, report the part done. Targeted at the
    /// summoned department.
    CheckInWhistle,
    /// 双考核: the street rates a summoned department (targeted at the case's place), the
    /// department rates the street's coordination (targeted at the department).
    RateWhistle,
    /// 干部下沉: record and list cadres sent down, targeted at the host area or at the home
    /// department.
    RecordSecondment,
    /// 在职党员到社区报到: register in-service party members, their tasks and service hours,
    /// targeted at the residential community or at the member's own department.
    RecordCommunityCheckIn,
    /// 党组织: keep the party organisation tree, its members (transfers, 双找), units in the
    /// area, compounds' five steps and 三会一课, targeted at the organisation's area or grid.
    ManagePartyOrg,
    /// 红色网格: grid roles and household links, visits (民情日记) and mediation, targeted at
    /// the household's grid; a red grid member only on the households linked to them.
    RecordVisit,
    /// 党员考核: five-star assessment and the twelve-point ledger, targeted at the member's
    /// organisation's area.
    AssessMembers,
    /// 社区干部: the community cadre roster and its structure report, targeted at the community.
    ManageCadreRoster,
    /// 一有七中心: the seven centres, their staff, hours and assessment items, the service menu
    /// (报菜) and the providers' registry, targeted at the centre's community; the lead
    /// department's assessment items target that department.
    ManageServiceCentres,
    /// 配菜: take orders (also on a resident's behalf), assign, schedule and complete them,
    /// targeted at the centre's community.
    FulfilServiceOrders,
    /// 点菜: a resident orders a service from a menu anywhere in the city (the eligibility rules
    /// decide the rest).
    OrderService,
    /// 契约化共建: commitments and the community's rating target the community; the
    /// department's delivery records target the department.
    ManageCoBuildContracts,
    /// 有事好商量: raise a topic and support one, targeted at the topic's community (residents
    /// anywhere on the map).
    RaiseTopic,
    /// 有事好商量: table topics, convene meetings, record attendance, minutes and votes, and turn
    /// resolutions into cases, targeted at the topic's community.
    RunDeliberation,
    /// 公示: publish, change and withdraw notices on the board, targeted at the audience area
    /// (a department's own notices at the department).
    PublishNotice,
    /// 权力清单: keep a department's or a street's power items, their risk scores and
    /// flowcharts, targeted at the owner (the department, or the street's area).
    ManagePowerList,
    /// 举报 / 移交: file a passive-governance report as an account holder (a resident, or staff
    /// referring a matter to discipline supervision), targeted at the area the report concerns.
    ReportMisconduct,
    /// 受理、核查、问责: review reports and the signals from the case data, assign
    /// investigators, record findings and accountability actions, targeted at the report's area.
    InvestigateMisconduct,
    /// 督办: open a supervision order on a case, task, resolution or commitment, remind, issue
    /// the supervision notice and close it, targeted at the supervised item's place.
    IssueSupervision,
    /// 答复督办: acknowledge an order on one's own work and report progress, targeted at the
    /// answering unit (its department, or its area).
    AnswerSupervision,
    /// "1234" 民生监督: responsibilities, livelihood projects, supervision and investigation
    /// records, targeted at the project's area (a department's own at the department).
    ManageLivelihood,
    /// 应急响应: acknowledge an emergency (签收) for one's level and check in on site, targeted
    /// at the emergency's place or at its handling department.
    RespondEmergency,
    /// 应急管理: the escalation minutes and the robots' message settings, and drills (演练),
    /// targeted at the drill's place (the settings are the city's: `Everything`).
    ManageEmergencies,
}

impl Action {
    pub const ALL: [Action; 42] = [
        Action::ViewArea,
        Action::ViewGrid,
        Action::ViewHousehold,
        Action::ViewResident,
        Action::EditPopulation,
        Action::ImportPopulation,
        Action::ImportGeo,
        Action::ExportData,
        Action::UnmaskPersonalData,
        Action::ManageAccounts,
        Action::ViewAuditLog,
        Action::ViewDepartment,
        Action::ReportCase,
        Action::ViewCase,
        Action::DispatchCase,
        Action::VerifyCase,
        Action::HandleCase,
        Action::FollowUpCase,
        Action::BlowWhistle,
        Action::CheckInWhistle,
        Action::RateWhistle,
        Action::RecordSecondment,
        Action::RecordCommunityCheckIn,
        Action::ManagePartyOrg,
        Action::RecordVisit,
        Action::AssessMembers,
        Action::ManageCadreRoster,
        Action::ManageServiceCentres,
        Action::FulfilServiceOrders,
        Action::OrderService,
        Action::ManageCoBuildContracts,
        Action::RaiseTopic,
        Action::RunDeliberation,
        Action::PublishNotice,
        Action::ManagePowerList,
        Action::ReportMisconduct,
        Action::InvestigateMisconduct,
        Action::IssueSupervision,
        Action::AnswerSupervision,
        Action::ManageLivelihood,
        Action::RespondEmergency,
        Action::ManageEmergencies,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::ViewArea => "view_area",
            Action::ViewGrid => "view_grid",
            Action::ViewHousehold => "view_household",
            Action::ViewResident => "view_resident",
            Action::EditPopulation => "edit_population",
            Action::ImportPopulation => "import_population",
            Action::ImportGeo => "import_geo",
            Action::ExportData => "export_data",
            Action::UnmaskPersonalData => "unmask_personal_data",
            Action::ManageAccounts => "manage_accounts",
            Action::ViewAuditLog => "view_audit_log",
            Action::ViewDepartment => "view_department",
            Action::ReportCase => "report_case",
            Action::ViewCase => "view_case",
            Action::DispatchCase => "dispatch_case",
            Action::VerifyCase => "verify_case",
            Action::HandleCase => "handle_case",
            Action::FollowUpCase => "follow_up_case",
            Action::BlowWhistle => "blow_whistle",
            Action::CheckInWhistle => "check_in_whistle",
            Action::RateWhistle => "rate_whistle",
            Action::RecordSecondment => "record_secondment",
            Action::RecordCommunityCheckIn => "record_community_check_in",
            Action::ManagePartyOrg => "manage_party_org",
            Action::RecordVisit => "record_visit",
            Action::AssessMembers => "assess_members",
            Action::ManageCadreRoster => "manage_cadre_roster",
            Action::ManageServiceCentres => "manage_service_centres",
            Action::FulfilServiceOrders => "fulfil_service_orders",
            Action::OrderService => "order_service",
            Action::ManageCoBuildContracts => "manage_co_build_contracts",
            Action::RaiseTopic => "raise_topic",
            Action::RunDeliberation => "run_deliberation",
            Action::PublishNotice => "publish_notice",
            Action::ManagePowerList => "manage_power_list",
            Action::ReportMisconduct => "report_misconduct",
            Action::InvestigateMisconduct => "investigate_misconduct",
            Action::IssueSupervision => "issue_supervision",
            Action::AnswerSupervision => "answer_supervision",
            Action::ManageLivelihood => "manage_livelihood",
            Action::RespondEmergency => "respond_emergency",
            Action::ManageEmergencies => "manage_emergencies",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Action::ViewArea => "查看行政区划",
            Action::ViewGrid => "查看网格",
            Action::ViewHousehold => "查看住户",
            Action::ViewResident => "查看居民",
            Action::EditPopulation => "编辑人口信息",
            Action::ImportPopulation => "导入人口信息",
            Action::ImportGeo => "导入地理数据",
            Action::ExportData => "导出数据",
            Action::UnmaskPersonalData => "查看未脱敏个人信息",
            Action::ManageAccounts => "管理账号",
            Action::ViewAuditLog => "查看审计日志",
            Action::ViewDepartment => "查看职能部门",
            Action::ReportCase => "上报案件",
            Action::ViewCase => "查看案件",
            Action::DispatchCase => "立案派遣与核查结案",
            Action::VerifyCase => "核查案件",
            Action::HandleCase => "处置案件",
            Action::FollowUpCase => "回访评价",
            Action::BlowWhistle => "吹哨",
            Action::CheckInWhistle => "报到",
            Action::RateWhistle => "吹哨报到考核评价",
            Action::RecordSecondment => "登记下沉干部",
            Action::RecordCommunityCheckIn => "登记在职党员到社区报到",
            Action::ManagePartyOrg => "管理党组织和党员",
            Action::RecordVisit => "联户走访",
            Action::AssessMembers => "党员考核",
            Action::ManageCadreRoster => "管理社区干部名册",
            Action::ManageServiceCentres => "设置服务中心与服务菜单",
            Action::FulfilServiceOrders => "受理和配送服务",
            Action::OrderService => "点菜预约服务",
            Action::ManageCoBuildContracts => "契约化共建",
            Action::RaiseTopic => "提出和支持议题",
            Action::RunDeliberation => "组织协商议事",
            Action::PublishNotice => "发布公示",
            Action::ManagePowerList => "管理权力清单",
            Action::ReportMisconduct => "举报消极怠政问题",
            Action::InvestigateMisconduct => "核查问责",
            Action::IssueSupervision => "督办",
            Action::AnswerSupervision => "答复督办",
            Action::ManageLivelihood => "民生监督",
            Action::RespondEmergency => "应急响应",
            Action::ManageEmergencies => "应急设置与演练",
        }
    }

    /// English phrase for messages ("may not …").
    pub fn en(self) -> &'static str {
        match self {
            Action::ViewArea => "view areas",
            Action::ViewGrid => "view grids",
            Action::ViewHousehold => "view households",
            Action::ViewResident => "view residents",
            Action::EditPopulation => "edit population data",
            Action::ImportPopulation => "import population data",
            Action::ImportGeo => "import geographic data",
            Action::ExportData => "export data",
            Action::UnmaskPersonalData => "see unmasked personal data",
            Action::ManageAccounts => "manage accounts",
            Action::ViewAuditLog => "view the audit log",
            Action::ViewDepartment => "view departments",
            Action::ReportCase => "report cases",
            Action::ViewCase => "view cases",
            Action::DispatchCase => "register, dispatch, verify and close cases",
            Action::VerifyCase => "verify cases on site",
            Action::HandleCase => "handle cases",
            Action::FollowUpCase => "record follow-ups and ratings",
            Action::BlowWhistle => "blow the whistle (summon departments)",
            Action::CheckInWhistle => "check in to a summons",
            Action::RateWhistle => "rate in the whistle's two-way evaluation",
            Action::RecordSecondment => "record cadres sent down",
            Action::RecordCommunityCheckIn => {
                "record in-service party members reporting to their community"
            }
            Action::ManagePartyOrg => "keep party organisations and members",
            Action::RecordVisit => "record household visits",
            Action::AssessMembers => "assess party members",
            Action::ManageCadreRoster => "keep the community cadre roster",
            Action::ManageServiceCentres => "keep service centres, menus and providers",
            Action::FulfilServiceOrders => "take and fulfil service orders",
            Action::OrderService => "order services",
            Action::ManageCoBuildContracts => "keep co-build contracts",
            Action::RaiseTopic => "raise and support deliberation topics",
            Action::RunDeliberation => "run deliberation meetings and resolutions",
            Action::PublishNotice => "publish and withdraw notices",
            Action::ManagePowerList => "keep power lists",
            Action::ReportMisconduct => "report passive governance",
            Action::InvestigateMisconduct => "investigate and hold officials accountable",
            Action::IssueSupervision => "issue supervision orders",
            Action::AnswerSupervision => "answer supervision orders",
            Action::ManageLivelihood => "keep livelihood supervision records",
            Action::RespondEmergency => "acknowledge and check in at emergencies",
            Action::ManageEmergencies => "keep emergency settings and run drills",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_snake_case() {
        let mut codes: Vec<_> = Action::ALL.iter().map(|a| a.as_str()).collect();
        assert!(
            codes
                .iter()
                .all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'))
        );
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), Action::ALL.len());
        assert_eq!(Action::UnmaskPersonalData.zh(), "查看未脱敏个人信息");
    }
}
