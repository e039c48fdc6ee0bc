//! Why a command was refused. Every refusal names the command and the state in Chinese and
//! English, so that a user sees "已结案的案件不能申请延期" rather than a bare code.

use std::fmt;

use super::{CaseState, CommandKind, Level};
use crate::Bilingual;
use crate::access::Denied;

/// Who was turned away, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhoFault {
    /// The access policy said no.
    Denied(Denied),
    /// Only the deadline job issues this command.
    OnlySystem,
    /// Only the case's reporter or staff recording a follow-up may do this.
    NotReporter,
    /// Not signed in, and not the reporter either.
    SignInRequired,
    /// The system actor issues only the clock's commands.
    NotForSystem,
    /// Community staff blow the whistle only where their street has granted it.
    WhistleNotGranted,
    /// Marking a report an emergency (2-hour deadline, first in every queue) is for staff
    /// and the hotline, not for residents filing their own reports.
    EmergencyIsForStaff,
    /// The city has not given verification (核查) to those who do not dispatch the case.
    VerificationNotGranted,
    /// The handler of a case does not verify its own work.
    OwnWork,
}

/// Which state-dependent condition failed, beyond the state itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    ExtensionPending,
    NoExtensionPending,
    /// The deadline has passed (extensions are asked for before it; overdue is marked once).
    Overdue,
    /// A case reopens at most once.
    ReopenUsed,
    /// Reopening follows an unsatisfied rating only.
    NotUnsatisfied,
    ReopenPending,
    NoReopenPending,
    /// The case is at the top of the escalation chain.
    TopLevel(Level),
    /// The deadline job asked too early (below the warning share, or before the deadline).
    NotDue,
    AlreadyWarned,
    /// The case's latest whistle is still open; add departments to it instead.
    WhistleOpen,
    /// The case has no whistle yet.
    NoWhistle,
    /// The department is already summoned to the open whistle.
    AlreadySummoned,
    /// The department was not summoned to this case.
    NotSummoned,
    AlreadyAcknowledged,
    /// Arrival and the rest follow the acknowledgement.
    NotAcknowledged,
    AlreadyArrived,
    /// "事不完，人不走": a part is reported done on site, after arriving.
    NotArrived,
    /// The department's part is already done.
    PartDone,
    /// Rating and sending back follow a part reported done.
    PartNotDone,
    /// The arrival is too far from the meeting place.
    TooFar {
        distance_m: i64,
        radius_m: i64,
    },
    AlreadyRated,
    AlreadyReminded,
    /// The department has arrived or was marked overdue already.
    NotAwaitingCheckIn,
}

/// A value in the command that can never be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadInput {
    /// A reason, note or category was left blank.
    Blank,
    /// A department code of only whitespace (use `None` for the locality).
    BlankDepartment,
    /// An extension of zero time.
    ZeroExtension,
    /// A case cannot be merged into itself.
    MergeIntoItself,
    /// A whistle summons at least one department.
    NoDepartments,
    /// The same department named twice.
    DuplicateDepartment,
    /// Not a longitude/latitude pair in range.
    BadLocation,
    /// A redirect to the department already handling the case.
    SameDepartment,
    /// A score outside 1..=max.
    ScoreOutOfRange { max: u8 },
    /// More photos than a part may carry.
    TooManyPhotos { max: u8 },
}

/// How the server should answer a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// 403: the actor may not do this to this case.
    Forbidden,
    /// 409: not in the case's current state.
    Conflict,
    /// 422: the command itself is malformed.
    Invalid,
}

/// A refused command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Forbidden {
        command: CommandKind,
        fault: WhoFault,
    },
    /// The command does not apply in this state (cancelled and merged cases accept nothing).
    InvalidTransition {
        state: CaseState,
        command: CommandKind,
    },
    /// The state allows the command in general, but a condition does not hold.
    NotNow {
        state: CaseState,
        command: CommandKind,
        condition: Condition,
    },
    Invalid {
        command: CommandKind,
        field: &'static str,
        problem: BadInput,
    },
    /// The closure gate (事不完，人不走): summoned departments' parts are still open; names
    /// them as `(code, name)`.
    PartsOpen {
        state: CaseState,
        command: CommandKind,
        parts: Vec<(String, String)>,
    },
}

impl Refusal {
    pub fn kind(&self) -> RefusalKind {
        match self {
            Refusal::Forbidden { .. } => RefusalKind::Forbidden,
            Refusal::InvalidTransition { .. }
            | Refusal::NotNow { .. }
            | Refusal::PartsOpen { .. } => RefusalKind::Conflict,
            Refusal::Invalid { .. } => RefusalKind::Invalid,
        }
    }

    pub fn command(&self) -> CommandKind {
        match self {
            Refusal::Forbidden { command, .. }
            | Refusal::InvalidTransition { command, .. }
            | Refusal::NotNow { command, .. }
            | Refusal::Invalid { command, .. }
            | Refusal::PartsOpen { command, .. } => *command,
        }
    }
}

impl Condition {
    fn code(self) -> &'static str {
        match self {
            Condition::ExtensionPending => "extension_pending",
            Condition::NoExtensionPending => "no_extension_pending",
            Condition::Overdue => "overdue",
            Condition::ReopenUsed => "reopen_used",
            Condition::NotUnsatisfied => "not_unsatisfied",
            Condition::ReopenPending => "reopen_pending",
            Condition::NoReopenPending => "no_reopen_pending",
            Condition::TopLevel(_) => "top_level",
            Condition::NotDue => "not_due",
            Condition::AlreadyWarned => "already_warned",
            Condition::WhistleOpen => "whistle_open",
            Condition::NoWhistle => "no_whistle",
            Condition::AlreadySummoned => "already_summoned",
            Condition::NotSummoned => "not_summoned",
            Condition::AlreadyAcknowledged => "already_acknowledged",
            Condition::NotAcknowledged => "not_acknowledged",
            Condition::AlreadyArrived => "already_arrived",
            Condition::NotArrived => "not_arrived",
            Condition::PartDone => "part_done",
            Condition::PartNotDone => "part_not_done",
            Condition::TooFar { .. } => "too_far_from_meeting_place",
            Condition::AlreadyRated => "already_rated",
            Condition::AlreadyReminded => "already_reminded",
            Condition::NotAwaitingCheckIn => "not_awaiting_check_in",
        }
    }

    fn zh(self) -> String {
        match self {
            Condition::ExtensionPending => "已有延期申请待审批".into(),
            Condition::NoExtensionPending => "没有待审批的延期申请".into(),
            Condition::Overdue => "案件已超期".into(),
            Condition::ReopenUsed => "每个案件只能重办一次，本案已重办过".into(),
            Condition::NotUnsatisfied => "只有评价为不满意的案件才能申请重办".into(),
            Condition::ReopenPending => "已有重办申请待审批".into(),
            Condition::NoReopenPending => "没有待审批的重办申请".into(),
            Condition::TopLevel(l) => format!("案件已在最高层级（第 {l} 级），无法继续升级"),
            Condition::NotDue => "时限尚未到达".into(),
            Condition::AlreadyWarned => "已发出临期预警".into(),
            Condition::WhistleOpen => "本案的吹哨尚未办结，请在原哨上增派部门".into(),
            Condition::NoWhistle => "本案尚未吹哨".into(),
            Condition::AlreadySummoned => "该部门已被召集报到".into(),
            Condition::NotSummoned => "该部门未被召集到本案".into(),
            Condition::AlreadyAcknowledged => "该部门已接哨".into(),
            Condition::NotAcknowledged => "该部门尚未接哨".into(),
            Condition::AlreadyArrived => "该部门已到场报到".into(),
            Condition::NotArrived => "事不完，人不走：该部门尚未到场报到，不能报告办结".into(),
            Condition::PartDone => "该部门承担的事项已办结".into(),
            Condition::PartNotDone => "该部门承担的事项尚未办结".into(),
            Condition::TooFar {
                distance_m,
                radius_m,
            } => format!("报到位置距集合地点 {distance_m} 米，超出 {radius_m} 米范围"),
            Condition::AlreadyRated => "已评价过".into(),
            Condition::AlreadyReminded => "已发出报到提醒".into(),
            Condition::NotAwaitingCheckIn => "该部门已到场或已标记报到超时".into(),
        }
    }

    fn en(self) -> String {
        match self {
            Condition::ExtensionPending => "an extension request is already pending".into(),
            Condition::NoExtensionPending => "no extension request is pending".into(),
            Condition::Overdue => "the case is overdue".into(),
            Condition::ReopenUsed => "a case reopens only once and this one already has".into(),
            Condition::NotUnsatisfied => "only a case rated unsatisfied can be reopened".into(),
            Condition::ReopenPending => "a reopening request is already pending".into(),
            Condition::NoReopenPending => "no reopening request is pending".into(),
            Condition::TopLevel(l) => {
                format!("the case is already at the top level ({l}) and cannot rise further")
            }
            Condition::NotDue => "the time limit has not been reached".into(),
            Condition::AlreadyWarned => "the deadline warning has already been sent".into(),
            Condition::WhistleOpen => {
                "the case's whistle is still open; summon more departments to it instead".into()
            }
            Condition::NoWhistle => "no whistle has been blown on the case".into(),
            Condition::AlreadySummoned => "the department is already summoned".into(),
            Condition::NotSummoned => "the department was not summoned to this case".into(),
            Condition::AlreadyAcknowledged => "the department has already acknowledged".into(),
            Condition::NotAcknowledged => "the department has not acknowledged yet".into(),
            Condition::AlreadyArrived => "the department has already checked in on site".into(),
            Condition::NotArrived => "nobody leaves before the job is done: the department has not checked in on site, so it cannot report its part done".into(),
            Condition::PartDone => "the department's part is already done".into(),
            Condition::PartNotDone => "the department's part is not done yet".into(),
            Condition::TooFar {
                distance_m,
                radius_m,
            } => format!(
                "the check-in is {distance_m} m from the meeting place, beyond the {radius_m} m radius"
            ),
            Condition::AlreadyRated => "the rating has already been given".into(),
            Condition::AlreadyReminded => "the check-in reminder has already been sent".into(),
            Condition::NotAwaitingCheckIn => {
                "the department has checked in or was marked overdue already".into()
            }
        }
    }
}

impl BadInput {
    fn zh(self, field: &str) -> String {
        match self {
            BadInput::Blank => format!("“{field}”不能为空"),
            BadInput::BlankDepartment => "部门代码不能为空（属地处置请不填部门）".into(),
            BadInput::ZeroExtension => "延期时长必须大于零".into(),
            BadInput::MergeIntoItself => "案件不能并入自身".into(),
            BadInput::NoDepartments => "请至少召集一个部门".into(),
            BadInput::DuplicateDepartment => "同一部门不能重复召集".into(),
            BadInput::BadLocation => "经纬度无效或超出范围".into(),
            BadInput::SameDepartment => format!("“{field}”须为另一个部门，不能改派给当前处置部门"),
            BadInput::ScoreOutOfRange { max } => format!("“{field}”须为 1 至 {max} 分"),
            BadInput::TooManyPhotos { max } => format!("最多附 {max} 张照片"),
        }
    }

    fn en(self, field: &str) -> String {
        match self {
            BadInput::Blank => format!("'{field}' must not be blank"),
            BadInput::BlankDepartment => {
                "the department code is blank (leave it out to dispatch to the locality)".into()
            }
            BadInput::ZeroExtension => "an extension must be longer than zero".into(),
            BadInput::MergeIntoItself => "a case cannot be merged into itself".into(),
            BadInput::NoDepartments => "summon at least one department".into(),
            BadInput::DuplicateDepartment => "a department is named twice".into(),
            BadInput::BadLocation => "not a longitude/latitude in range".into(),
            BadInput::SameDepartment => {
                format!("'{field}' must be another department than the one handling the case")
            }
            BadInput::ScoreOutOfRange { max } => format!("'{field}' must be from 1 to {max}"),
            BadInput::TooManyPhotos { max } => format!("at most {max} photos"),
        }
    }
}

impl Bilingual for Refusal {
    fn code(&self) -> &'static str {
        match self {
            Refusal::Forbidden { .. } => "forbidden",
            Refusal::InvalidTransition { .. } => "invalid_transition",
            Refusal::NotNow { condition, .. } => condition.code(),
            Refusal::Invalid { .. } => "invalid_command",
            Refusal::PartsOpen { .. } => "whistle_parts_open",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            Refusal::Forbidden { command, fault } => match fault {
                WhoFault::Denied(d) => format!("无权{}：{}", command.zh(), d.message_zh()),
                WhoFault::OnlySystem => format!("“{}”只能由时限任务执行", command.zh()),
                WhoFault::NotReporter => {
                    format!("只有案件的上报人或回访人员可以{}", command.zh())
                }
                WhoFault::SignInRequired => format!("请先登录或输入查询码后再{}", command.zh()),
                WhoFault::NotForSystem => format!("系统任务不能执行“{}”", command.zh()),
                WhoFault::WhistleNotGranted => {
                    format!("街道未授权本社区吹哨，不能{}", command.zh())
                }
                WhoFault::EmergencyIsForStaff => {
                    "紧急案件由工作人员或热线标记，居民上报请勿勾选紧急（emergency）".to_string()
                }
                WhoFault::VerificationNotGranted => {
                    "本市设置未开放网格员核查，请由街道（乡镇）核查".to_string()
                }
                WhoFault::OwnWork => "处置人不能核查自己处置的案件".to_string(),
            },
            Refusal::InvalidTransition { state, command } => {
                format!("{}的案件不能{}", state.zh(), command.zh())
            }
            Refusal::NotNow {
                state,
                command,
                condition,
            } => format!(
                "{}的案件暂不能{}：{}",
                state.zh(),
                command.zh(),
                condition.zh()
            ),
            Refusal::Invalid {
                command,
                field,
                problem,
            } => format!("{}失败：{}", command.zh(), problem.zh(field)),
            Refusal::PartsOpen {
                state,
                command,
                parts,
            } => {
                let names: Vec<String> = parts
                    .iter()
                    .map(|(code, name)| super::department_label(code, name))
                    .collect();
                format!(
                    "{}的案件暂不能{}：事不完，人不走——{}承担的报到事项尚未办结",
                    state.zh(),
                    command.zh(),
                    names.join("、")
                )
            }
        }
    }

    fn message_en(&self) -> String {
        match self {
            Refusal::Forbidden { command, fault } => match fault {
                WhoFault::Denied(d) => format!("may not {}: {}", command.as_str(), d.message_en()),
                WhoFault::OnlySystem => {
                    format!("only the deadline job may {} a case", command.en())
                }
                WhoFault::NotReporter => format!(
                    "only the case's reporter or follow-up staff may {} a case",
                    command.en()
                ),
                WhoFault::SignInRequired => {
                    format!("sign in or give the lookup code to {} a case", command.en())
                }
                WhoFault::NotForSystem => {
                    format!("the system may not {} a case", command.en())
                }
                WhoFault::WhistleNotGranted => format!(
                    "the street has not granted this community the whistle, so it may not {} a case",
                    command.en()
                ),
                WhoFault::EmergencyIsForStaff => {
                    "only staff and the hotline mark a case as an emergency; a resident's report may not set emergency".to_string()
                }
                WhoFault::VerificationNotGranted => {
                    "the city has not given verification to grid workers; the street verifies".to_string()
                }
                WhoFault::OwnWork => "the handler of a case may not verify its own work".to_string(),
            },
            Refusal::InvalidTransition { state, command } => {
                format!("cannot {} a case that is {}", command.en(), state.en())
            }
            Refusal::NotNow {
                state,
                command,
                condition,
            } => format!(
                "cannot {} a case that is {} now: {}",
                command.en(),
                state.en(),
                condition.en()
            ),
            Refusal::Invalid {
                command,
                field,
                problem,
            } => format!("cannot {}: {}", command.as_str(), problem.en(field)),
            Refusal::PartsOpen {
                state,
                command,
                parts,
            } => {
                let names: Vec<String> = parts
                    .iter()
                    .map(|(code, name)| {
                        if name.trim().is_empty() || name == code {
                            code.clone()
                        } else {
                            format!("{name} ({code})")
                        }
                    })
                    .collect();
                format!(
                    "cannot {} a case that is {} now: nobody leaves before the job is done, and the parts of these summoned departments are still open: {}",
                    command.en(),
                    state.en(),
                    names.join(", ")
                )
            }
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            Refusal::Invalid { field, .. } => Some(field.to_string()),
            _ => None,
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for Refusal {}
