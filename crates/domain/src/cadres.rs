//! People sent down to the grassroots: cadres sent down (干部下沉 — law-enforcement staff,
//! task forces, cadres stationed in villages and communities), and in-service party members
//! reporting to their residential community (在职党员到社区报到), with the tasks they take and
//! the service hours the community confirms.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Bilingual;
use crate::calendar::Date;
use crate::codes::{AreaCode, AreaLevel};

/// What kind of cadre was sent down (`Secondment`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecondmentKind {
    /// 执法力量下沉: law-enforcement staff placed under the street.
    LawEnforcement,
    /// 工作专班: a task force on a matter.
    TaskForce,
    /// 驻村（社区）干部: a cadre stationed in a village or community.
    StationedCadre,
}

impl SecondmentKind {
    pub const ALL: [SecondmentKind; 3] = [
        SecondmentKind::LawEnforcement,
        SecondmentKind::TaskForce,
        SecondmentKind::StationedCadre,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SecondmentKind::LawEnforcement => "law_enforcement",
            SecondmentKind::TaskForce => "task_force",
            SecondmentKind::StationedCadre => "stationed_cadre",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            SecondmentKind::LawEnforcement => "执法力量下沉",
            SecondmentKind::TaskForce => "工作专班",
            SecondmentKind::StationedCadre => "驻村（社区）干部",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            SecondmentKind::LawEnforcement => "Law-enforcement staff",
            SecondmentKind::TaskForce => "Task force",
            SecondmentKind::StationedCadre => "Stationed cadre",
        }
    }

    /// The code or the Chinese name.
    pub fn parse(s: &str) -> Result<SecondmentKind, CadreError> {
        let t = s.trim();
        SecondmentKind::ALL
            .into_iter()
            .find(|k| t.eq_ignore_ascii_case(k.as_str()) || t == k.zh())
            .ok_or_else(|| CadreError::UnknownKind(t.chars().take(40).collect()))
    }
}

/// A cadre sent down (`Secondment`): who, from which department, to which street or community,
/// for which period, doing what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Secondment {
    pub person: String,
    /// The home department's code.
    pub home_department: String,
    /// The host street or community.
    pub host_area: AreaCode,
    pub kind: SecondmentKind,
    pub start: Date,
    /// `None` while open-ended.
    pub end: Option<Date>,
    /// What the cadre does there.
    pub duty: String,
}

/// Longest name or unit accepted, in characters.
pub const MAX_NAME: usize = 50;
/// Longest duty, task or note, in characters.
pub const MAX_TEXT: usize = 500;

fn required(field: &'static str, v: &str, max: usize) -> Result<String, CadreError> {
    let t = v.trim();
    if t.is_empty() {
        Err(CadreError::Blank(field))
    } else if t.chars().count() > max {
        Err(CadreError::TooLong(field, max))
    } else {
        Ok(t.to_string())
    }
}

impl Secondment {
    /// Checks and trims a record: names given, the host a street or community, the period in
    /// order.
    pub fn checked(self) -> Result<Secondment, CadreError> {
        if !matches!(
            self.host_area.level(),
            AreaLevel::Street | AreaLevel::Community
        ) {
            return Err(CadreError::HostLevel);
        }
        if self.end.is_some_and(|e| e < self.start) {
            return Err(CadreError::PeriodReversed);
        }
        Ok(Secondment {
            person: required("person", &self.person, MAX_NAME)?,
            home_department: required("home_department", &self.home_department, MAX_NAME)?,
            duty: self.duty.trim().chars().take(MAX_TEXT).collect(),
            ..self
        })
    }

    /// Serving on `day`.
    pub fn active_on(&self, day: Date) -> bool {
        self.start <= day && self.end.is_none_or(|e| day <= e)
    }
}

/// An in-service party member registered with their residential community (`CommunityCheckIn`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityCheckIn {
    pub member: String,
    /// Where the member works (a department name or any unit).
    pub work_unit: String,
    /// The member's department code, when the unit is one of the city's departments.
    pub department: Option<String>,
    /// The residential community.
    pub community: AreaCode,
    pub registered_on: Date,
}

impl CommunityCheckIn {
    pub fn checked(self) -> Result<CommunityCheckIn, CadreError> {
        if self.community.level() != AreaLevel::Community {
            return Err(CadreError::CommunityLevel);
        }
        Ok(CommunityCheckIn {
            member: required("member", &self.member, MAX_NAME)?,
            work_unit: required("work_unit", &self.work_unit, MAX_NAME)?,
            department: self
                .department
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty()),
            ..self
        })
    }
}

/// Where a task a member took stands: only confirmed hours count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceState {
    /// 已认领.
    Taken,
    /// 已完成: the hours are reported, awaiting the community.
    Completed,
    /// 社区已确认.
    Confirmed,
}

impl ServiceState {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceState::Taken => "taken",
            ServiceState::Completed => "completed",
            ServiceState::Confirmed => "confirmed",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            ServiceState::Taken => "已认领",
            ServiceState::Completed => "待社区确认",
            ServiceState::Confirmed => "社区已确认",
        }
    }

    pub fn parse(s: &str) -> Option<ServiceState> {
        [
            ServiceState::Taken,
            ServiceState::Completed,
            ServiceState::Confirmed,
        ]
        .into_iter()
        .find(|x| x.as_str() == s.trim())
    }

    /// The state after reporting `minutes` of service; only a taken task completes.
    pub fn complete(self) -> Result<ServiceState, CadreError> {
        match self {
            ServiceState::Taken => Ok(ServiceState::Completed),
            _ => Err(CadreError::NotTaken),
        }
    }

    /// The state after the community confirms; only a completed task is confirmed.
    pub fn confirm(self) -> Result<ServiceState, CadreError> {
        match self {
            ServiceState::Completed => Ok(ServiceState::Confirmed),
            ServiceState::Taken => Err(CadreError::NotCompleted),
            ServiceState::Confirmed => Err(CadreError::AlreadyConfirmed),
        }
    }
}

/// A task title, checked.
pub fn task_title(title: &str) -> Result<String, CadreError> {
    required("title", title, MAX_TEXT)
}

/// Service hours (more than 0, at most 24 per task) as whole minutes.
pub fn service_minutes(hours: f64) -> Result<i64, CadreError> {
    if hours.is_finite() && hours > 0.0 && hours <= 24.0 {
        Ok((hours * 60.0).round() as i64)
    } else {
        Err(CadreError::Hours)
    }
}

/// A record about cadres or in-service members that cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CadreError {
    Blank(&'static str),
    TooLong(&'static str, usize),
    /// A cadre is sent down to a street or a community.
    HostLevel,
    /// A member reports to a community.
    CommunityLevel,
    PeriodReversed,
    Hours,
    UnknownKind(String),
    NotTaken,
    NotCompleted,
    AlreadyConfirmed,
}

impl Bilingual for CadreError {
    fn code(&self) -> &'static str {
        match self {
            CadreError::Blank(_) => "blank",
            CadreError::TooLong(..) => "too_long",
            CadreError::HostLevel => "host_not_street_or_community",
            CadreError::CommunityLevel => "not_a_community",
            CadreError::PeriodReversed => "period_reversed",
            CadreError::Hours => "invalid_hours",
            CadreError::UnknownKind(_) => "unknown_secondment_kind",
            CadreError::NotTaken => "task_not_taken",
            CadreError::NotCompleted => "task_not_completed",
            CadreError::AlreadyConfirmed => "task_already_confirmed",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            CadreError::Blank(f) => format!("“{f}”不能为空"),
            CadreError::TooLong(f, n) => format!("“{f}”不能超过 {n} 个字"),
            CadreError::HostLevel => "下沉地点须为街道/乡镇或社区/村".into(),
            CadreError::CommunityLevel => "报到社区须为社区/村一级的区划".into(),
            CadreError::PeriodReversed => "结束日期不能早于开始日期".into(),
            CadreError::Hours => "服务时长须大于 0 且不超过 24 小时".into(),
            CadreError::UnknownKind(k) => format!(
                "“{k}”不是有效的下沉类型，可选：{}",
                SecondmentKind::ALL.map(|k| k.zh()).join("、")
            ),
            CadreError::NotTaken => "只有已认领的任务才能填报服务时长".into(),
            CadreError::NotCompleted => "任务尚未填报完成，社区无法确认".into(),
            CadreError::AlreadyConfirmed => "社区已确认过该任务".into(),
        }
    }

    fn message_en(&self) -> String {
        match self {
            CadreError::Blank(f) => format!("'{f}' must not be blank"),
            CadreError::TooLong(f, n) => format!("'{f}' must be at most {n} characters"),
            CadreError::HostLevel => "a cadre is sent down to a street or a community".into(),
            CadreError::CommunityLevel => "members report to a community-level area".into(),
            CadreError::PeriodReversed => "the end date is before the start date".into(),
            CadreError::Hours => "service hours must be more than 0 and at most 24".into(),
            CadreError::UnknownKind(k) => format!(
                "'{k}' is not a secondment kind; expected one of: {}",
                SecondmentKind::ALL.map(|k| k.as_str()).join(", ")
            ),
            CadreError::NotTaken => "only a taken task can report service hours".into(),
            CadreError::NotCompleted => {
                "the task has not been reported complete, so the community cannot confirm it".into()
            }
            CadreError::AlreadyConfirmed => "the community has already confirmed this task".into(),
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            CadreError::Blank(f) | CadreError::TooLong(f, _) => Some(f.to_string()),
            CadreError::HostLevel => Some("host_area".into()),
            CadreError::CommunityLevel => Some("community".into()),
            CadreError::PeriodReversed => Some("end".into()),
            CadreError::Hours => Some("hours".into()),
            CadreError::UnknownKind(_) => Some("kind".into()),
            _ => None,
        }
    }
}

impl fmt::Display for CadreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for CadreError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u8, d: u8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    fn secondment() -> Secondment {
        Secondment {
            person: " 李四 ".into(),
            home_department: "CG".into(),
            host_area: AreaCode::parse("320508019000").unwrap(),
            kind: SecondmentKind::LawEnforcement,
            start: date(2026, 1, 1),
            end: Some(date(2026, 6, 30)),
            duty: "街面秩序执法".into(),
        }
    }

    #[test]
    fn secondments_are_checked() {
        let s = secondment().checked().unwrap();
        assert_eq!(s.person, "李四");
        assert!(s.active_on(date(2026, 3, 1)));
        assert!(!s.active_on(date(2026, 7, 1)));
        let reversed = Secondment {
            end: Some(date(2025, 12, 31)),
            ..secondment()
        };
        assert_eq!(reversed.checked(), Err(CadreError::PeriodReversed));
        let district = Secondment {
            host_area: AreaCode::parse("320508").unwrap(),
            ..secondment()
        };
        assert_eq!(district.checked(), Err(CadreError::HostLevel));
        let blank = Secondment {
            person: "  ".into(),
            ..secondment()
        };
        let e = blank.checked().unwrap_err();
        assert_eq!(e.field().as_deref(), Some("person"));
        assert_eq!(
            SecondmentKind::parse("驻村（社区）干部"),
            Ok(SecondmentKind::StationedCadre)
        );
        assert!(
            SecondmentKind::parse("x")
                .unwrap_err()
                .message_zh()
                .contains("工作专班")
        );
    }

    #[test]
    fn members_report_to_a_community_and_hours_need_confirming() {
        let c = CommunityCheckIn {
            member: "王五".into(),
            work_unit: "城管局".into(),
            department: Some(" CG ".into()),
            community: AreaCode::parse("320508019044").unwrap(),
            registered_on: date(2026, 3, 1),
        }
        .checked()
        .unwrap();
        assert_eq!(c.department.as_deref(), Some("CG"));
        let street = CommunityCheckIn {
            community: AreaCode::parse("320508019000").unwrap(),
            ..c
        };
        assert_eq!(street.checked(), Err(CadreError::CommunityLevel));
        assert_eq!(service_minutes(2.5), Ok(150));
        assert_eq!(service_minutes(0.0), Err(CadreError::Hours));
        assert_eq!(service_minutes(25.0), Err(CadreError::Hours));
        let s = ServiceState::Taken;
        assert_eq!(s.confirm(), Err(CadreError::NotCompleted));
        let s = s.complete().unwrap();
        let s = s.confirm().unwrap();
        assert_eq!(s, ServiceState::Confirmed);
        assert_eq!(s.confirm(), Err(CadreError::AlreadyConfirmed));
        assert_eq!(s.complete(), Err(CadreError::NotTaken));
    }
}
