//! Why a red grid record cannot be accepted, in Chinese and English.

use std::fmt;

use super::{GridRoleKind, MediationOutcome, VisitPurpose};
use crate::Bilingual;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedGridError {
    Blank(&'static str),
    TooLong(&'static str, usize),
    /// The red grid member already serves the configured maximum.
    TooManyHouseholds {
        holder: String,
        max: u32,
    },
    /// The household is served by a red grid member already (one at a time).
    HouseholdTaken {
        holder: String,
    },
    /// The household lies outside the grid of the role.
    HouseholdOutsideGrid,
    /// Only a red grid member's role serves households.
    NotRedMember,
    /// The role has ended: it links and records nothing more.
    RoleEnded,
    /// A red grid member's role names the account they log in with.
    AccountRequired,
    /// A red grid member's account must be a red grid member's account of this grid.
    AccountNotRedMember,
    /// A resident's account holds no grid role.
    ResidentAccount,
    /// The grid already has its one leader or instructor.
    RoleTaken {
        kind: GridRoleKind,
        holder: String,
    },
    /// The account already serves the grid in this role.
    AccountHoldsRole,
    /// Minimum and maximum households out of order or beyond [`super::MAX_LIMIT`].
    Settings {
        min: u32,
        max: u32,
    },
    /// A visit or mediation dated in the future or more than a year back.
    DateOutOfRange(&'static str),
    /// The follow-up before the mediation.
    FollowUpBeforeMediation,
    /// A conflict not settled needs a follow-up date.
    FollowUpRequired,
    UnknownPurpose(String),
    UnknownOutcome(String),
    UnknownRole(String),
    /// A case was raised from this visit already.
    CaseAlreadyRaised {
        ticket: String,
    },
    /// The end of a role or link before its start.
    EndBeforeStart,
}

impl Bilingual for RedGridError {
    fn code(&self) -> &'static str {
        match self {
            RedGridError::Blank(_) => "blank",
            RedGridError::TooLong(..) => "too_long",
            RedGridError::TooManyHouseholds { .. } => "too_many_households",
            RedGridError::HouseholdTaken { .. } => "household_taken",
            RedGridError::HouseholdOutsideGrid => "household_outside_grid",
            RedGridError::NotRedMember => "not_a_red_member_role",
            RedGridError::RoleEnded => "role_ended",
            RedGridError::AccountRequired => "account_required",
            RedGridError::AccountNotRedMember => "account_not_red_member",
            RedGridError::ResidentAccount => "resident_account",
            RedGridError::RoleTaken { .. } => "grid_role_taken",
            RedGridError::AccountHoldsRole => "account_holds_role",
            RedGridError::Settings { .. } => "invalid_link_settings",
            RedGridError::DateOutOfRange(_) => "date_out_of_range",
            RedGridError::FollowUpBeforeMediation => "follow_up_before_mediation",
            RedGridError::FollowUpRequired => "follow_up_required",
            RedGridError::UnknownPurpose(_) => "unknown_visit_purpose",
            RedGridError::UnknownOutcome(_) => "unknown_mediation_outcome",
            RedGridError::UnknownRole(_) => "unknown_grid_role",
            RedGridError::CaseAlreadyRaised { .. } => "case_already_raised",
            RedGridError::EndBeforeStart => "end_before_start",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            RedGridError::Blank(f) => format!("“{}”不能为空", field_zh(f)),
            RedGridError::TooLong(f, n) => format!("“{}”不能超过 {n} 个字", field_zh(f)),
            RedGridError::TooManyHouseholds { holder, max } => format!(
                "每名红色网格员最多联系 {max} 户：{holder}已联系 {max} 户，不能再增加（上限可在红色网格设置中调整）"
            ),
            RedGridError::HouseholdTaken { holder } => {
                format!("该户已由红色网格员{holder}联系，一户只由一名红色网格员联系")
            }
            RedGridError::HouseholdOutsideGrid => "该户不在这名红色网格员所在的网格内".into(),
            RedGridError::NotRedMember => "只有红色网格员联系住户，网格长和网格指导员不联户".into(),
            RedGridError::RoleEnded => "该网格职务已结束，不能再联户或记录".into(),
            RedGridError::AccountRequired => "红色网格员须对应一个可登录的账号".into(),
            RedGridError::AccountNotRedMember => {
                "所选账号不是本网格的红色网格员账号（角色须为红色网格员，范围为本网格）".into()
            }
            RedGridError::ResidentAccount => "居民账号不能担任网格职务".into(),
            RedGridError::RoleTaken { kind, holder } => {
                format!("本网格已有{}：{holder}；请先结束其任职", kind.zh())
            }
            RedGridError::AccountHoldsRole => "该账号已在本网格担任此职务".into(),
            RedGridError::Settings { min, max } => format!(
                "联户数设置无效（最少 {min} 户，最多 {max} 户）：须 1 ≤ 最少 ≤ 最多 ≤ {}",
                super::MAX_LIMIT
            ),
            RedGridError::DateOutOfRange(f) => {
                format!("“{}”不能晚于今天，也不能早于一年前", field_zh(f))
            }
            RedGridError::FollowUpBeforeMediation => "回访日期不能早于调解日期".into(),
            RedGridError::FollowUpRequired => "矛盾未完全化解，须填写回访日期".into(),
            RedGridError::UnknownPurpose(p) => format!(
                "“{p}”不是走访事项，可选：{}",
                VisitPurpose::ALL
                    .iter()
                    .map(|p| p.zh())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            RedGridError::UnknownOutcome(o) => format!(
                "“{o}”不是调解结果，可选：{}",
                MediationOutcome::ALL
                    .iter()
                    .map(|o| o.zh())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            RedGridError::UnknownRole(r) => format!(
                "“{r}”不是网格职务，可选：{}",
                GridRoleKind::ALL
                    .iter()
                    .map(|k| k.zh())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            RedGridError::CaseAlreadyRaised { ticket } => {
                format!("这次走访已上报过问题（案件 {ticket}）")
            }
            RedGridError::EndBeforeStart => "结束日期不能早于开始日期".into(),
        }
    }

    fn message_en(&self) -> String {
        match self {
            RedGridError::Blank(f) => format!("'{f}' must not be blank"),
            RedGridError::TooLong(f, n) => format!("'{f}' must be at most {n} characters"),
            RedGridError::TooManyHouseholds { holder, max } => format!(
                "a red grid member serves at most {max} households: {holder} already serves {max} (the maximum is set in the red grid settings)"
            ),
            RedGridError::HouseholdTaken { holder } => format!(
                "the household is served by red grid member {holder} already; one member serves a household"
            ),
            RedGridError::HouseholdOutsideGrid => {
                "the household is not in this red grid member's grid".into()
            }
            RedGridError::NotRedMember => {
                "only red grid members serve households; grid leaders and instructors do not".into()
            }
            RedGridError::RoleEnded => "the grid role has ended".into(),
            RedGridError::AccountRequired => {
                "a red grid member's role names the account they log in with".into()
            }
            RedGridError::AccountNotRedMember => {
                "the account is not a red grid member's account of this grid".into()
            }
            RedGridError::ResidentAccount => "a resident's account holds no grid role".into(),
            RedGridError::RoleTaken { kind, holder } => format!(
                "the grid has a {} already: {holder}; end that role first",
                kind.en().to_lowercase()
            ),
            RedGridError::AccountHoldsRole => {
                "the account holds this role in the grid already".into()
            }
            RedGridError::Settings { min, max } => format!(
                "invalid household settings (min {min}, max {max}): need 1 ≤ min ≤ max ≤ {}",
                super::MAX_LIMIT
            ),
            RedGridError::DateOutOfRange(f) => {
                format!("'{f}' must be today or earlier, and within the last year")
            }
            RedGridError::FollowUpBeforeMediation => {
                "the follow-up date is before the mediation".into()
            }
            RedGridError::FollowUpRequired => {
                "a conflict not fully settled needs a follow-up date".into()
            }
            RedGridError::UnknownPurpose(p) => format!(
                "'{p}' is not a visit purpose; expected one of: {}",
                VisitPurpose::ALL
                    .iter()
                    .map(|p| p.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            RedGridError::UnknownOutcome(o) => format!(
                "'{o}' is not a mediation outcome; expected one of: {}",
                MediationOutcome::ALL
                    .iter()
                    .map(|o| o.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            RedGridError::UnknownRole(r) => format!(
                "'{r}' is not a grid role; expected one of: {}",
                GridRoleKind::ALL
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            RedGridError::CaseAlreadyRaised { ticket } => {
                format!("a case was raised from this visit already ({ticket})")
            }
            RedGridError::EndBeforeStart => "the end date is before the start".into(),
        }
    }

    fn field(&self) -> Option<String> {
        let f = match self {
            RedGridError::Blank(f) | RedGridError::TooLong(f, _) => f,
            RedGridError::DateOutOfRange(f) => f,
            RedGridError::TooManyHouseholds { .. }
            | RedGridError::HouseholdTaken { .. }
            | RedGridError::HouseholdOutsideGrid => "household",
            RedGridError::NotRedMember | RedGridError::RoleEnded => "role",
            RedGridError::AccountRequired
            | RedGridError::AccountNotRedMember
            | RedGridError::ResidentAccount
            | RedGridError::AccountHoldsRole => "account",
            RedGridError::RoleTaken { .. } | RedGridError::UnknownRole(_) => "role",
            RedGridError::Settings { .. } => "max_households",
            RedGridError::FollowUpBeforeMediation | RedGridError::FollowUpRequired => {
                "follow_up_on"
            }
            RedGridError::UnknownPurpose(_) => "purpose",
            RedGridError::UnknownOutcome(_) => "outcome",
            RedGridError::CaseAlreadyRaised { .. } => "visit",
            RedGridError::EndBeforeStart => "ended_on",
        };
        Some(f.to_string())
    }
}

/// The Chinese name of a form field, for messages.
fn field_zh(f: &str) -> &str {
    match f {
        "notes" => "走访记录",
        "person_name" => "姓名",
        "parties" => "当事人",
        "issue" => "矛盾事项",
        "visited_on" => "走访日期",
        "mediated_on" => "调解日期",
        "description" => "问题描述",
        other => other,
    }
}

impl fmt::Display for RedGridError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for RedGridError {}
