//! What happened to a case: one event per fact, carrying what changed, so that the timeline,
//! the metrics and the store's row all follow from the events alone.

use serde::{Deserialize, Serialize};

use super::{CaseState, Channel, DeadlineClass, GeoPoint, Level, Satisfaction, WhistleScores};
use crate::calendar::{Duration, format_cst};
use crate::codes::{AreaCode, GridCode};

/// The names of the codes an event carries, as the store knows them.
pub trait CodeNames {
    fn department(&self, code: &str) -> Option<String>;
    fn category(&self, code: &str) -> Option<String>;
}

/// Knows no names: codes stay codes.
pub struct NoNames;

impl CodeNames for NoNames {
    fn department(&self, _: &str) -> Option<String> {
        None
    }
    fn category(&self, _: &str) -> Option<String> {
        None
    }
}

/// Serialised as `{"type": "dispatched", "department": "CG", …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The case was filed; always its first event.
    Reported {
        ticket: String,
        channel: Channel,
        category: String,
        deadline_class: DeadlineClass,
        emergency: bool,
        level: Level,
        community: Option<AreaCode>,
        grid: Option<GridCode>,
        reporter: Option<i64>,
    },
    Registered {
        category: String,
        deadline_class: DeadlineClass,
        emergency: bool,
    },
    Cancelled {
        reason: String,
    },
    Merged {
        into: i64,
    },
    /// Sent to `department` (`None`: the locality) at `at`, due at `deadline`.
    Dispatched {
        department: Option<String>,
        is_override: bool,
        at: i64,
        deadline: i64,
        /// Counted Monday–Friday across a year with no loaded official schedule.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        calendar_missing: bool,
        /// The account that dispatched it; `None` when the dispatch rules did (智能派遣).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dispatched_by: Option<i64>,
    },
    /// 改派: taken from `from` (`None`: the locality) and sent to `to` at `at`; the new
    /// handler's clock starts at `at`, due at `deadline`.
    Redirected {
        from: Option<String>,
        to: String,
        reason: String,
        at: i64,
        deadline: i64,
        /// Counted Monday–Friday across a year with no loaded official schedule.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        calendar_missing: bool,
        /// The account that redirected it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dispatched_by: Option<i64>,
    },
    Started,
    ReportedBack {
        note: String,
        /// Reported back by the deadline.
        on_time: bool,
    },
    Verified {
        note: String,
    },
    /// Verification failed: back to the handler (返工).
    Reworked {
        note: String,
    },
    Closed {
        /// The handling was reported back by its deadline (按期结案).
        on_time: bool,
    },
    Rated {
        contacted: bool,
        resolved: bool,
        satisfaction: Satisfaction,
    },
    ExtensionRequested {
        by: Duration,
        reason: String,
    },
    ExtensionApproved {
        by: Duration,
        deadline: i64,
        /// Counted Monday–Friday across a year with no loaded official schedule.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        calendar_missing: bool,
    },
    ExtensionRejected,
    /// Handling postponed; `from` is the state it resumes to.
    Deferred {
        reason: String,
        from: CaseState,
        at: i64,
    },
    /// Back to `to`; the deadline moved by the time the clock stood still.
    Resumed {
        to: CaseState,
        deadline: Option<i64>,
        /// Counted Monday–Friday across a year with no loaded official schedule.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        calendar_missing: bool,
    },
    /// The handler sent the dispatch back (回退).
    Returned {
        reason: String,
        department: Option<String>,
        /// The account that made the dispatch returned, who is told; `None` when the dispatch
        /// rules made it, and then the street and district of the case's place are told.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dispatched_by: Option<i64>,
    },
    ReopenRequested {
        reason: String,
    },
    /// Reopened (重办): back to the same handler, clock restarted at `at`.
    Reopened {
        at: i64,
        deadline: i64,
        /// Counted Monday–Friday across a year with no loaded official schedule.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        calendar_missing: bool,
    },
    ReopenRejected,
    Escalated {
        from: Level,
        to: Level,
        /// The new level's name in the chain at the time, e.g. 街道.
        to_name: String,
        reason: String,
    },
    Supported,
    DeadlineWarned {
        deadline: i64,
    },
    MarkedOverdue {
        deadline: i64,
    },
    /// 吹哨: whistle number `whistle` on the case; its departments follow as
    /// [`Event::DepartmentSummoned`]. Locations are in integer micro-degrees.
    WhistleBlown {
        whistle: u32,
        reason: String,
        meeting_place: GeoPoint,
        address: String,
        urgent: bool,
        street: Option<AreaCode>,
        blown_by: Option<i64>,
        at: i64,
    },
    /// A department summoned to the whistle, to check in by `deadline`.
    DepartmentSummoned {
        whistle: u32,
        department: String,
        name: String,
        at: i64,
        deadline: i64,
        /// When it is reminded if it has not arrived.
        remind_at: i64,
    },
    /// 接哨: the department acknowledged; `on_time` is false when after the deadline.
    CheckInAcknowledged {
        whistle: u32,
        department: String,
        officer: String,
        account: Option<i64>,
        at: i64,
        on_time: bool,
    },
    /// 到场报到, `distance_m` metres from the meeting place.
    CheckInArrived {
        whistle: u32,
        department: String,
        location: GeoPoint,
        distance_m: i64,
        at: i64,
        on_time: bool,
    },
    /// The department's part is done.
    WhistlePartDone {
        whistle: u32,
        department: String,
        note: String,
        photos: Vec<i64>,
        at: i64,
    },
    /// The street sent the part back: not done yet.
    WhistlePartReopened {
        whistle: u32,
        department: String,
        reason: String,
    },
    /// The street's scores for the department.
    WhistleDepartmentRated {
        whistle: u32,
        department: String,
        scores: WhistleScores,
        note: String,
    },
    /// The department's score for the street's coordination.
    WhistleCoordinationRated {
        whistle: u32,
        department: String,
        score: u8,
        note: String,
    },
    /// The check-in clock reminded a department that has not arrived.
    CheckInReminded {
        whistle: u32,
        department: String,
        deadline: i64,
    },
    /// The check-in deadline passed before the department arrived.
    CheckInOverdue {
        whistle: u32,
        department: String,
        deadline: i64,
    },
}

impl Event {
    /// What a reporter holding the lookup code is told of this event: its kind in a few
    /// words, none of its notes, names, places or reasons (those are for staff).
    pub fn public_zh(&self) -> &'static str {
        match self {
            Event::Reported { .. } => "已受理",
            Event::Registered { .. } => "已立案",
            Event::Cancelled { .. } => "已注销",
            Event::Merged { .. } => "作为重复案件合并办理",
            Event::Dispatched { .. } => "已派遣",
            Event::Redirected { .. } => "已改派",
            Event::Started => "开始处置",
            Event::ReportedBack { .. } => "处置结果已反馈",
            Event::Verified { .. } => "核查通过",
            Event::Reworked { .. } => "核查未通过，返工",
            Event::Closed { .. } => "已结案",
            Event::Rated { .. } => "已评价",
            Event::ExtensionRequested { .. }
            | Event::ExtensionApproved { .. }
            | Event::ExtensionRejected => "办理时限调整",
            Event::Deferred { .. } => "缓办",
            Event::Resumed { .. } => "恢复办理",
            Event::Returned { .. } => "重新派遣中",
            Event::ReopenRequested { .. } => "已申请重办",
            Event::Reopened { .. } => "已重办",
            Event::ReopenRejected => "重办申请未获批准",
            Event::Escalated { .. } => "已升级督办",
            Event::Supported => "又一位居民关注此案件",
            Event::DeadlineWarned { .. } | Event::MarkedOverdue { .. } => "督办提醒",
            Event::WhistleBlown { .. }
            | Event::DepartmentSummoned { .. }
            | Event::CheckInAcknowledged { .. }
            | Event::CheckInArrived { .. }
            | Event::WhistlePartDone { .. }
            | Event::WhistlePartReopened { .. }
            | Event::WhistleDepartmentRated { .. }
            | Event::WhistleCoordinationRated { .. }
            | Event::CheckInReminded { .. }
            | Event::CheckInOverdue { .. } => "街道吹哨，部门报到协同处置",
        }
    }

    /// The serde tag, e.g. `"dispatched"`; stored beside the event and used by webhooks.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Reported { .. } => "reported",
            Event::Registered { .. } => "registered",
            Event::Cancelled { .. } => "cancelled",
            Event::Merged { .. } => "merged",
            Event::Dispatched { .. } => "dispatched",
            Event::Redirected { .. } => "redirected",
            Event::Started => "started",
            Event::ReportedBack { .. } => "reported_back",
            Event::Verified { .. } => "verified",
            Event::Reworked { .. } => "reworked",
            Event::Closed { .. } => "closed",
            Event::Rated { .. } => "rated",
            Event::ExtensionRequested { .. } => "extension_requested",
            Event::ExtensionApproved { .. } => "extension_approved",
            Event::ExtensionRejected => "extension_rejected",
            Event::Deferred { .. } => "deferred",
            Event::Resumed { .. } => "resumed",
            Event::Returned { .. } => "returned",
            Event::ReopenRequested { .. } => "reopen_requested",
            Event::Reopened { .. } => "reopened",
            Event::ReopenRejected => "reopen_rejected",
            Event::Escalated { .. } => "escalated",
            Event::Supported => "supported",
            Event::DeadlineWarned { .. } => "deadline_warned",
            Event::MarkedOverdue { .. } => "marked_overdue",
            Event::WhistleBlown { .. } => "whistle_blown",
            Event::DepartmentSummoned { .. } => "department_summoned",
            Event::CheckInAcknowledged { .. } => "check_in_acknowledged",
            Event::CheckInArrived { .. } => "check_in_arrived",
            Event::WhistlePartDone { .. } => "whistle_part_done",
            Event::WhistlePartReopened { .. } => "whistle_part_reopened",
            Event::WhistleDepartmentRated { .. } => "whistle_department_rated",
            Event::WhistleCoordinationRated { .. } => "whistle_coordination_rated",
            Event::CheckInReminded { .. } => "check_in_reminded",
            Event::CheckInOverdue { .. } => "check_in_overdue",
        }
    }

    /// Photos recorded with this step show the work done (处置后照片), not the problem as
    /// reported: the handler's report-back, a summoned department's check-in on site and its
    /// part done — the steps that bring their own photos. Photos added on their own belong to
    /// whatever step came last and count as the problem's. The case page shows the two apart.
    pub fn shows_handling(&self) -> bool {
        matches!(
            self,
            Event::ReportedBack { .. }
                | Event::CheckInArrived { .. }
                | Event::WhistlePartDone { .. }
        )
    }

    /// The whistle number and summoned department of a 吹哨报到 event (the department is
    /// `None` for the whistle itself); `None` for the closed loop's own events.
    pub fn whistle(&self) -> Option<(u32, Option<&str>)> {
        match self {
            Event::WhistleBlown { whistle, .. } => Some((*whistle, None)),
            Event::DepartmentSummoned {
                whistle,
                department,
                ..
            }
            | Event::CheckInAcknowledged {
                whistle,
                department,
                ..
            }
            | Event::CheckInArrived {
                whistle,
                department,
                ..
            }
            | Event::WhistlePartDone {
                whistle,
                department,
                ..
            }
            | Event::WhistlePartReopened {
                whistle,
                department,
                ..
            }
            | Event::WhistleDepartmentRated {
                whistle,
                department,
                ..
            }
            | Event::WhistleCoordinationRated {
                whistle,
                department,
                ..
            }
            | Event::CheckInReminded {
                whistle,
                department,
                ..
            }
            | Event::CheckInOverdue {
                whistle,
                department,
                ..
            } => Some((*whistle, Some(department.as_str()))),
            _ => None,
        }
    }

    /// One line for the timeline in Chinese, department and category codes shown as codes.
    pub fn zh(&self) -> String {
        self.zh_named(&NoNames)
    }

    /// One line for the timeline in Chinese, with the names `names` knows in place of codes
    /// (users read "派遣至城管局", not "派遣至部门 CG").
    pub fn zh_named(&self, names: &dyn CodeNames) -> String {
        let place = |d: &Option<String>| match d {
            Some(d) => names.department(d).unwrap_or_else(|| format!("部门 {d}")),
            None => "属地".to_string(),
        };
        let note = |prefix: &str, n: &str| {
            if n.trim().is_empty() {
                prefix.to_string()
            } else {
                format!("{prefix}：{n}")
            }
        };
        match self {
            Event::Reported {
                ticket, channel, ..
            } => format!("经{}上报，编号 {ticket}", channel.zh()),
            Event::Registered {
                category,
                deadline_class,
                emergency,
            } => format!(
                "立案，类别 {}，{}时限{}",
                names.category(category).unwrap_or_else(|| category.clone()),
                deadline_class.zh(),
                if *emergency { "（紧急）" } else { "" }
            ),
            Event::Cancelled { reason } => note("注销", reason),
            Event::Merged { into } => format!("作为重复案件并入案件 {into}"),
            Event::Dispatched {
                department,
                is_override,
                deadline,
                calendar_missing,
                ..
            } => format!(
                "派遣至{}{}，处置时限 {}{}",
                place(department),
                if *is_override {
                    "（人工改派）"
                } else {
                    ""
                },
                format_cst(*deadline),
                without_calendar_note(*calendar_missing)
            ),
            Event::Redirected {
                from,
                to,
                reason,
                deadline,
                calendar_missing,
                ..
            } => note(
                &format!(
                    "由{}改派至{}，处置时限重新计算至 {}{}",
                    place(from),
                    place(&Some(to.clone())),
                    format_cst(*deadline),
                    without_calendar_note(*calendar_missing)
                ),
                reason,
            ),
            Event::Started => "开始处置".into(),
            Event::ReportedBack { note: n, on_time } => note(
                if *on_time {
                    "按期反馈"
                } else {
                    "超期反馈"
                },
                n,
            ),
            Event::Verified { note: n } => note("核查通过", n),
            Event::Reworked { note: n } => note("核查未通过，返工", n),
            Event::Closed { on_time } => if *on_time {
                "按期结案"
            } else {
                "超期结案"
            }
            .into(),
            Event::Rated {
                contacted,
                resolved,
                satisfaction,
            } => format!(
                "评价：{}联系，{}解决，{}",
                if *contacted { "已" } else { "未" },
                if *resolved { "已" } else { "未" },
                satisfaction.zh()
            ),
            Event::ExtensionRequested { by, reason } => {
                note(&format!("申请延期 {}", by.zh()), reason)
            }
            Event::ExtensionApproved {
                by,
                deadline,
                calendar_missing,
            } => format!(
                "批准延期 {}，新时限 {}{}",
                by.zh(),
                format_cst(*deadline),
                without_calendar_note(*calendar_missing)
            ),
            Event::ExtensionRejected => "驳回延期申请".into(),
            Event::Deferred { reason, .. } => note("缓办", reason),
            Event::Resumed { deadline, .. } => match deadline {
                Some(d) => format!("恢复办理，时限顺延至 {}", format_cst(*d)),
                None => "恢复办理".into(),
            },
            Event::Returned {
                reason, department, ..
            } => note(&format!("{}回退派遣", place(department)), reason),
            Event::ReopenRequested { reason } => note("申请重办", reason),
            Event::Reopened {
                deadline,
                calendar_missing,
                ..
            } => format!(
                "批准重办，处置时限 {}{}",
                format_cst(*deadline),
                without_calendar_note(*calendar_missing)
            ),
            Event::ReopenRejected => "驳回重办申请".into(),
            Event::Escalated {
                from,
                to,
                to_name,
                reason,
            } => note(
                &format!("由第 {from} 级升级至第 {to} 级（{to_name}）"),
                reason,
            ),
            Event::Supported => "又一位居民关注此案件".into(),
            Event::DeadlineWarned { deadline } => {
                format!("临期预警：时限 {}", format_cst(*deadline))
            }
            Event::MarkedOverdue { deadline } => {
                format!("已超期（时限 {}）", format_cst(*deadline))
            }
            Event::WhistleBlown {
                whistle,
                reason,
                meeting_place,
                address,
                urgent,
                ..
            } => {
                let place = if address.trim().is_empty() {
                    format!("{:.6},{:.6}", meeting_place.lon(), meeting_place.lat())
                } else {
                    address.clone()
                };
                format!(
                    "吹哨（第 {whistle} 次，{}）：{reason}；集合地点 {place}",
                    if *urgent { "紧急" } else { "一般" }
                )
            }
            Event::DepartmentSummoned {
                department,
                name,
                deadline,
                ..
            } => format!(
                "召集{}报到，报到时限 {}",
                super::whistle::label(department, name),
                format_cst(*deadline)
            ),
            Event::CheckInAcknowledged {
                department,
                officer,
                on_time,
                ..
            } => format!(
                "部门 {department} 接哨（负责人 {officer}）{}",
                if *on_time {
                    ""
                } else {
                    "，已超过报到时限"
                }
            ),
            Event::CheckInArrived {
                department,
                distance_m,
                on_time,
                ..
            } => format!(
                "部门 {department} 到场报到，距集合地点 {distance_m} 米{}",
                if *on_time { "" } else { "（超时到场）" }
            ),
            Event::WhistlePartDone {
                department,
                note: n,
                photos,
                ..
            } => {
                let mut line = note(&format!("部门 {department} 报告所承担事项办结"), n);
                if !photos.is_empty() {
                    line.push_str(&format!("（附照片 {} 张）", photos.len()));
                }
                line
            }
            Event::WhistlePartReopened {
                department, reason, ..
            } => note(&format!("部门 {department} 的报到事项被退回"), reason),
            Event::WhistleDepartmentRated {
                department,
                scores,
                note: n,
                ..
            } => note(
                &format!(
                    "街乡考核部门 {department}：响应 {}，到场 {}，配合 {}，成效 {}",
                    scores.response, scores.arrival, scores.cooperation, scores.result
                ),
                n,
            ),
            Event::WhistleCoordinationRated {
                department,
                score,
                note: n,
                ..
            } => note(&format!("部门 {department} 评价街乡统筹：{score} 分"), n),
            Event::CheckInReminded {
                department,
                deadline,
                ..
            } => format!(
                "报到提醒：部门 {department} 尚未到场，时限 {}",
                format_cst(*deadline)
            ),
            Event::CheckInOverdue {
                department,
                deadline,
                ..
            } => format!(
                "部门 {department} 报到超时（时限 {}），已告知街乡",
                format_cst(*deadline)
            ),
        }
    }
}

/// The timeline's mark on a deadline counted without the official schedule.
fn without_calendar_note(calendar_missing: bool) -> &'static str {
    if calendar_missing {
        "（按周一至周五计算，未载入官方日历）"
    } else {
        ""
    }
}
