//! What someone asks a case to do.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{DeadlineClass, Satisfaction, Summons};
use crate::calendar::Duration;

/// A request to move a case; [`super::decide`] answers with events or a refusal.
/// Serialised as `{"command": "dispatch", "department": "CG", "is_override": false}`.
/// Not `Eq`: the whistle's commands carry map coordinates in degrees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// 立案: accept the report, confirming or correcting its category and urgency.
    Register {
        category: String,
        deadline_class: DeadlineClass,
        emergency: bool,
    },
    /// 注销: not a valid case (out of scope, no such problem, prank).
    Cancel { reason: String },
    /// Fold a duplicate into the case `case_id`.
    MergeInto { case_id: i64 },
    /// 派遣: send to a department, or to the locality (属地) when `department` is `None`.
    /// `is_override` records that the dispatcher overrode the dispatch rule's suggestion.
    Dispatch {
        department: Option<String>,
        is_override: bool,
    },
    /// 改派: the dispatcher sends a dispatched case on to another department (the first was
    /// the wrong one); the new handler's clock starts afresh.
    Redirect { department: String, reason: String },
    /// The handler starts work.
    Start,
    /// 处理反馈: the handler says it is done.
    ReportBack { note: String },
    /// 核查: on-site check; failing sends the case back to the handler (返工).
    Verify { passed: bool, note: String },
    /// 结案.
    Close,
    /// 评价 / 回访: the three questions of a valid follow-up.
    Rate {
        contacted: bool,
        resolved: bool,
        satisfaction: Satisfaction,
    },
    /// 延期申请 by the handler.
    RequestExtension { by: Duration, reason: String },
    /// The dispatcher approves (moving the deadline) or rejects the pending extension.
    DecideExtension { approve: bool },
    /// 缓办: postpone handling and stop the clock.
    Defer { reason: String },
    /// End a deferral; the deadline moves by the time the clock stood still.
    Resume,
    /// 回退: the handler says the dispatch was wrong; back to the dispatcher.
    Return { reason: String },
    /// 重办申请 after an unsatisfied rating; possible once per case.
    RequestReopen { reason: String },
    /// The dispatcher approves (back to the handler with a fresh deadline) or rejects.
    DecideReopen { approve: bool },
    /// 升级: hand the case to the next level of the chain.
    Escalate { reason: String },
    /// Follow this case instead of filing a duplicate (counted as a supporter).
    Support,
    /// The deadline job: 80% of the time is used up.
    WarnDeadline,
    /// The deadline job: the deadline has passed.
    MarkOverdue,
    /// 吹哨: the street summons departments to the case, to meet at a map point and check in
    /// within the window (urgent: 30 minutes, normal: 24 hours by default).
    BlowWhistle {
        departments: Vec<Summons>,
        reason: String,
        lon: f64,
        lat: f64,
        #[serde(default)]
        address: String,
        #[serde(default)]
        urgent: bool,
    },
    /// Summon more departments to the case's latest whistle.
    SummonDepartments { departments: Vec<Summons> },
    /// 接哨: a summoned department acknowledges, naming who answers for it.
    AcknowledgeWhistle {
        department: String,
        #[serde(default)]
        officer: String,
    },
    /// 到场报到: a summoned department is at the meeting place (checked against the radius).
    ArriveWhistle {
        department: String,
        lon: f64,
        lat: f64,
    },
    /// A summoned department reports its part done, with notes and photos (the case's photo ids).
    FinishWhistlePart {
        department: String,
        note: String,
        #[serde(default)]
        photos: Vec<i64>,
    },
    /// The street sends a part reported done back: not done yet (事不完，人不走).
    ReopenWhistlePart { department: String, reason: String },
    /// 街乡考核部门: the street scores a summoned department whose part is done.
    RateWhistleDepartment {
        department: String,
        response: u8,
        arrival: u8,
        cooperation: u8,
        result: u8,
        #[serde(default)]
        note: String,
    },
    /// 部门评价街乡: a summoned department scores the street's coordination.
    RateWhistleCoordination {
        department: String,
        score: u8,
        #[serde(default)]
        note: String,
    },
    /// The check-in clock: remind a department that has not arrived.
    RemindCheckIn { department: String },
    /// The check-in clock: the department's check-in deadline passed before it arrived.
    MarkCheckInOverdue { department: String },
}

/// The name of a [`Command`] without its data, for messages and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommandKind {
    /// Filing a new case through [`super::report`]; not a [`Command`], since there is no case
    /// yet to send one to, but refusable all the same.
    Report,
    Register,
    Cancel,
    MergeInto,
    Dispatch,
    Redirect,
    Start,
    ReportBack,
    Verify,
    Close,
    Rate,
    RequestExtension,
    DecideExtension,
    Defer,
    Resume,
    Return,
    RequestReopen,
    DecideReopen,
    Escalate,
    Support,
    WarnDeadline,
    MarkOverdue,
    BlowWhistle,
    SummonDepartments,
    AcknowledgeWhistle,
    ArriveWhistle,
    FinishWhistlePart,
    ReopenWhistlePart,
    RateWhistleDepartment,
    RateWhistleCoordination,
    RemindCheckIn,
    MarkCheckInOverdue,
}

impl Command {
    pub fn kind(&self) -> CommandKind {
        match self {
            Command::Register { .. } => CommandKind::Register,
            Command::Cancel { .. } => CommandKind::Cancel,
            Command::MergeInto { .. } => CommandKind::MergeInto,
            Command::Dispatch { .. } => CommandKind::Dispatch,
            Command::Redirect { .. } => CommandKind::Redirect,
            Command::Start => CommandKind::Start,
            Command::ReportBack { .. } => CommandKind::ReportBack,
            Command::Verify { .. } => CommandKind::Verify,
            Command::Close => CommandKind::Close,
            Command::Rate { .. } => CommandKind::Rate,
            Command::RequestExtension { .. } => CommandKind::RequestExtension,
            Command::DecideExtension { .. } => CommandKind::DecideExtension,
            Command::Defer { .. } => CommandKind::Defer,
            Command::Resume => CommandKind::Resume,
            Command::Return { .. } => CommandKind::Return,
            Command::RequestReopen { .. } => CommandKind::RequestReopen,
            Command::DecideReopen { .. } => CommandKind::DecideReopen,
            Command::Escalate { .. } => CommandKind::Escalate,
            Command::Support => CommandKind::Support,
            Command::WarnDeadline => CommandKind::WarnDeadline,
            Command::MarkOverdue => CommandKind::MarkOverdue,
            Command::BlowWhistle { .. } => CommandKind::BlowWhistle,
            Command::SummonDepartments { .. } => CommandKind::SummonDepartments,
            Command::AcknowledgeWhistle { .. } => CommandKind::AcknowledgeWhistle,
            Command::ArriveWhistle { .. } => CommandKind::ArriveWhistle,
            Command::FinishWhistlePart { .. } => CommandKind::FinishWhistlePart,
            Command::ReopenWhistlePart { .. } => CommandKind::ReopenWhistlePart,
            Command::RateWhistleDepartment { .. } => CommandKind::RateWhistleDepartment,
            Command::RateWhistleCoordination { .. } => CommandKind::RateWhistleCoordination,
            Command::RemindCheckIn { .. } => CommandKind::RemindCheckIn,
            Command::MarkCheckInOverdue { .. } => CommandKind::MarkCheckInOverdue,
        }
    }

    /// The summoned department a whistle command is about, if it names one.
    pub fn whistle_department(&self) -> Option<&str> {
        match self {
            Command::AcknowledgeWhistle { department, .. }
            | Command::ArriveWhistle { department, .. }
            | Command::FinishWhistlePart { department, .. }
            | Command::ReopenWhistlePart { department, .. }
            | Command::RateWhistleDepartment { department, .. }
            | Command::RateWhistleCoordination { department, .. }
            | Command::RemindCheckIn { department }
            | Command::MarkCheckInOverdue { department } => Some(department),
            _ => None,
        }
    }
}

impl CommandKind {
    pub const ALL: [CommandKind; 32] = [
        CommandKind::Report,
        CommandKind::Register,
        CommandKind::Cancel,
        CommandKind::MergeInto,
        CommandKind::Dispatch,
        CommandKind::Redirect,
        CommandKind::Start,
        CommandKind::ReportBack,
        CommandKind::Verify,
        CommandKind::Close,
        CommandKind::Rate,
        CommandKind::RequestExtension,
        CommandKind::DecideExtension,
        CommandKind::Defer,
        CommandKind::Resume,
        CommandKind::Return,
        CommandKind::RequestReopen,
        CommandKind::DecideReopen,
        CommandKind::Escalate,
        CommandKind::Support,
        CommandKind::WarnDeadline,
        CommandKind::MarkOverdue,
        CommandKind::BlowWhistle,
        CommandKind::SummonDepartments,
        CommandKind::AcknowledgeWhistle,
        CommandKind::ArriveWhistle,
        CommandKind::FinishWhistlePart,
        CommandKind::ReopenWhistlePart,
        CommandKind::RateWhistleDepartment,
        CommandKind::RateWhistleCoordination,
        CommandKind::RemindCheckIn,
        CommandKind::MarkCheckInOverdue,
    ];

    /// The commands of 吹哨报到.
    pub fn is_whistle(self) -> bool {
        matches!(
            self,
            CommandKind::BlowWhistle
                | CommandKind::SummonDepartments
                | CommandKind::AcknowledgeWhistle
                | CommandKind::ArriveWhistle
                | CommandKind::FinishWhistlePart
                | CommandKind::ReopenWhistlePart
                | CommandKind::RateWhistleDepartment
                | CommandKind::RateWhistleCoordination
                | CommandKind::RemindCheckIn
                | CommandKind::MarkCheckInOverdue
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CommandKind::Report => "report",
            CommandKind::Register => "register",
            CommandKind::Cancel => "cancel",
            CommandKind::MergeInto => "merge_into",
            CommandKind::Dispatch => "dispatch",
            CommandKind::Redirect => "redirect",
            CommandKind::Start => "start",
            CommandKind::ReportBack => "report_back",
            CommandKind::Verify => "verify",
            CommandKind::Close => "close",
            CommandKind::Rate => "rate",
            CommandKind::RequestExtension => "request_extension",
            CommandKind::DecideExtension => "decide_extension",
            CommandKind::Defer => "defer",
            CommandKind::Resume => "resume",
            CommandKind::Return => "return",
            CommandKind::RequestReopen => "request_reopen",
            CommandKind::DecideReopen => "decide_reopen",
            CommandKind::Escalate => "escalate",
            CommandKind::Support => "support",
            CommandKind::WarnDeadline => "warn_deadline",
            CommandKind::MarkOverdue => "mark_overdue",
            CommandKind::BlowWhistle => "blow_whistle",
            CommandKind::SummonDepartments => "summon_departments",
            CommandKind::AcknowledgeWhistle => "acknowledge_whistle",
            CommandKind::ArriveWhistle => "arrive_whistle",
            CommandKind::FinishWhistlePart => "finish_whistle_part",
            CommandKind::ReopenWhistlePart => "reopen_whistle_part",
            CommandKind::RateWhistleDepartment => "rate_whistle_department",
            CommandKind::RateWhistleCoordination => "rate_whistle_coordination",
            CommandKind::RemindCheckIn => "remind_check_in",
            CommandKind::MarkCheckInOverdue => "mark_check_in_overdue",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            CommandKind::Report => "上报",
            CommandKind::Register => "立案",
            CommandKind::Cancel => "注销",
            CommandKind::MergeInto => "合并",
            CommandKind::Dispatch => "派遣",
            CommandKind::Redirect => "改派",
            CommandKind::Start => "开始处置",
            CommandKind::ReportBack => "处理反馈",
            CommandKind::Verify => "核查",
            CommandKind::Close => "结案",
            CommandKind::Rate => "评价",
            CommandKind::RequestExtension => "申请延期",
            CommandKind::DecideExtension => "审批延期",
            CommandKind::Defer => "缓办",
            CommandKind::Resume => "恢复办理",
            CommandKind::Return => "回退",
            CommandKind::RequestReopen => "申请重办",
            CommandKind::DecideReopen => "审批重办",
            CommandKind::Escalate => "升级",
            CommandKind::Support => "关注",
            CommandKind::WarnDeadline => "临期预警",
            CommandKind::MarkOverdue => "超期标记",
            CommandKind::BlowWhistle => "吹哨",
            CommandKind::SummonDepartments => "增派报到部门",
            CommandKind::AcknowledgeWhistle => "接哨",
            CommandKind::ArriveWhistle => "到场报到",
            CommandKind::FinishWhistlePart => "报告办结",
            CommandKind::ReopenWhistlePart => "退回报到事项",
            CommandKind::RateWhistleDepartment => "考核报到部门",
            CommandKind::RateWhistleCoordination => "评价街乡统筹",
            CommandKind::RemindCheckIn => "报到提醒",
            CommandKind::MarkCheckInOverdue => "报到超时标记",
        }
    }

    /// English phrase for messages ("cannot … a case that is …").
    pub fn en(self) -> &'static str {
        match self {
            CommandKind::Report => "report",
            CommandKind::Register => "register",
            CommandKind::Cancel => "cancel",
            CommandKind::MergeInto => "merge",
            CommandKind::Dispatch => "dispatch",
            CommandKind::Redirect => "redirect",
            CommandKind::Start => "start handling",
            CommandKind::ReportBack => "report back on",
            CommandKind::Verify => "verify",
            CommandKind::Close => "close",
            CommandKind::Rate => "rate",
            CommandKind::RequestExtension => "request an extension for",
            CommandKind::DecideExtension => "decide an extension for",
            CommandKind::Defer => "defer",
            CommandKind::Resume => "resume",
            CommandKind::Return => "return",
            CommandKind::RequestReopen => "request reopening",
            CommandKind::DecideReopen => "decide reopening",
            CommandKind::Escalate => "escalate",
            CommandKind::Support => "support",
            CommandKind::WarnDeadline => "warn about the deadline of",
            CommandKind::MarkOverdue => "mark overdue",
            CommandKind::BlowWhistle => "blow the whistle on",
            CommandKind::SummonDepartments => "summon more departments to",
            CommandKind::AcknowledgeWhistle => "acknowledge the summons on",
            CommandKind::ArriveWhistle => "check in on site for",
            CommandKind::FinishWhistlePart => "report a summoned part done on",
            CommandKind::ReopenWhistlePart => "send back a summoned part of",
            CommandKind::RateWhistleDepartment => "rate a summoned department on",
            CommandKind::RateWhistleCoordination => "rate the street's coordination of",
            CommandKind::RemindCheckIn => "remind a summoned department on",
            CommandKind::MarkCheckInOverdue => "mark a check-in overdue on",
        }
    }
    /// English label for buttons and headings; [`Self::en`] is the phrase inside messages.
    pub fn label_en(self) -> &'static str {
        match self {
            CommandKind::Report => "Report",
            CommandKind::Register => "Register",
            CommandKind::Cancel => "Cancel the case",
            CommandKind::MergeInto => "Merge",
            CommandKind::Dispatch => "Dispatch",
            CommandKind::Redirect => "Redirect to another department",
            CommandKind::Start => "Start handling",
            CommandKind::ReportBack => "Report back",
            CommandKind::Verify => "Verify",
            CommandKind::Close => "Close the case",
            CommandKind::Rate => "Rate",
            CommandKind::RequestExtension => "Request an extension",
            CommandKind::DecideExtension => "Decide the extension",
            CommandKind::Defer => "Defer",
            CommandKind::Resume => "Resume",
            CommandKind::Return => "Return the dispatch",
            CommandKind::RequestReopen => "Request reopening",
            CommandKind::DecideReopen => "Decide reopening",
            CommandKind::Escalate => "Escalate",
            CommandKind::Support => "Follow",
            CommandKind::WarnDeadline => "Deadline warning",
            CommandKind::MarkOverdue => "Mark overdue",
            CommandKind::BlowWhistle => "Blow the whistle",
            CommandKind::SummonDepartments => "Summon more departments",
            CommandKind::AcknowledgeWhistle => "Acknowledge",
            CommandKind::ArriveWhistle => "Check in on site",
            CommandKind::FinishWhistlePart => "Report done",
            CommandKind::ReopenWhistlePart => "Send back",
            CommandKind::RateWhistleDepartment => "Rate department",
            CommandKind::RateWhistleCoordination => "Rate coordination",
            CommandKind::RemindCheckIn => "Check-in reminder",
            CommandKind::MarkCheckInOverdue => "Mark check-in overdue",
        }
    }

    /// The steps of the loop that a case waits on someone for (立案, 派遣, 处置, 反馈, 核查,
    /// 结案, and the dispatcher's pending decisions). Side paths (escalate, defer, redirect,
    /// follow …) are open on almost every case, so they do not put a case in an inbox.
    pub fn is_waiting_step(self) -> bool {
        matches!(
            self,
            CommandKind::Register
                | CommandKind::Dispatch
                | CommandKind::Start
                | CommandKind::ReportBack
                | CommandKind::Verify
                | CommandKind::Close
                | CommandKind::DecideExtension
                | CommandKind::DecideReopen
        )
    }

    /// What a case waiting for this step is waiting for, as an inbox row says it: 待核查 …
    pub fn waiting_zh(self) -> String {
        match self {
            CommandKind::Start => "待处置".into(),
            CommandKind::ReportBack => "待反馈".into(),
            k => format!("待{}", k.zh()),
        }
    }

    /// [`Self::waiting_zh`] in English.
    pub fn waiting_en(self) -> String {
        match self {
            CommandKind::Register => "To register".into(),
            CommandKind::Dispatch => "To dispatch".into(),
            CommandKind::Start => "To handle".into(),
            CommandKind::ReportBack => "To report back".into(),
            CommandKind::Verify => "To verify".into(),
            CommandKind::Close => "To close".into(),
            k => format!("To do: {}", k.label_en()),
        }
    }

    /// Accepts the snake_case code, as forms and redirects carry it.
    pub fn parse(s: &str) -> Option<CommandKind> {
        CommandKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Undoes work or ends the case for good (注销, 合并, 回退, 退回报到事项): pages show it as
    /// a secondary button and ask for confirmation, so it is never the first thing one taps.
    pub fn is_destructive(self) -> bool {
        matches!(
            self,
            CommandKind::Cancel
                | CommandKind::MergeInto
                | CommandKind::Return
                | CommandKind::ReopenWhistlePart
        )
    }
}

impl fmt::Display for CommandKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
