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
}

impl Refusal {
    pub fn kind(&self) -> RefusalKind {
        match self {
            Refusal::Forbidden { .. } => RefusalKind::Forbidden,
            Refusal::InvalidTransition { .. } | Refusal::NotNow { .. } => RefusalKind::Conflict,
            Refusal::Invalid { .. } => RefusalKind::Invalid,
        }
    }

    pub fn command(&self) -> CommandKind {
        match self {
            Refusal::Forbidden { command, .. }
            | Refusal::InvalidTransition { command, .. }
            | Refusal::NotNow { command, .. }
            | Refusal::Invalid { command, .. } => *command,
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
