//! 五步工作法 (Chengdu): per residential compound, find party members, build an organisation,
//! improve the mechanisms, focus on services, cultivate culture. Each step's status is derived
//! from what the system holds about the compound, not ticked by hand; uploaded evidence moves a
//! step the data does not show yet to "in progress", never to "done".

use serde::{Deserialize, Serialize};

use crate::labelled_enum;

labelled_enum! {
    /// The five steps, in order.
    pub enum Step {
        /// 找: find the party members living in the compound (双找).
        Find = ("find", "找党员", "Find members"),
        /// 建: build an organisation on the compound.
        Build = ("build", "建组织", "Build the organisation"),
        /// 优: a joint-meeting mechanism (小区综合管理联席会议) that meets.
        Improve = ("improve", "优机制", "Improve mechanisms"),
        /// 抓: services delivered to the compound's residents.
        Serve = ("serve", "抓服务", "Focus on services"),
        /// 植: activities that cultivate the compound's culture.
        Cultivate = ("cultivate", "植文化", "Cultivate culture"),
    }
}

labelled_enum! {
    pub enum StepStatus {
        NotStarted = ("not_started", "未开始", "Not started"),
        InProgress = ("in_progress", "推进中", "In progress"),
        Done = ("done", "已完成", "Done"),
    }
}

labelled_enum! {
    /// What a compound activity record is: the evidence of steps 3 to 5.
    pub enum ActivityKind {
        /// 联席会议: a meeting of the compound's joint management meeting.
        JointMeeting = ("joint_meeting", "联席会议", "Joint meeting"),
        /// 服务: a service delivered to residents.
        Service = ("service", "服务活动", "Service"),
        /// 文化活动: a cultural or community activity.
        Culture = ("culture", "文化活动", "Cultural activity"),
    }
}

impl ActivityKind {
    /// The step this kind of activity is evidence of.
    pub fn step(self) -> Step {
        match self {
            ActivityKind::JointMeeting => Step::Improve,
            ActivityKind::Service => Step::Serve,
            ActivityKind::Culture => Step::Cultivate,
        }
    }
}

/// The thresholds of "done" (configurable; these are the shipped defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiveStepsRules {
    /// Full members needed to form a branch: finding this many completes step 1.
    pub branch_minimum: u32,
    /// A joint meeting within this many days keeps the mechanism alive.
    pub joint_meeting_days: u32,
    /// Services (activities and red-grid visits) in the past year for step 4.
    pub services_per_year: u32,
    /// Cultural activities in the past year for step 5.
    pub activities_per_year: u32,
}

impl Default for FiveStepsRules {
    fn default() -> Self {
        FiveStepsRules {
            branch_minimum: 3,
            joint_meeting_days: 90,
            services_per_year: 4,
            activities_per_year: 2,
        }
    }
}

/// What the system holds about one compound.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CompoundFacts {
    /// Party members living in the compound's households.
    pub members: u32,
    /// Of them, full members.
    pub full_members: u32,
    /// Live branches (or general branches, committees) built on the compound.
    pub branches: u32,
    /// Live groups (interest groups included) built on the compound.
    pub groups: u32,
    /// Joint meetings ever held, and within `joint_meeting_days`.
    pub joint_meetings: u32,
    pub recent_joint_meetings: u32,
    /// Services delivered in the past year: service activities and red-grid visits.
    pub services: u32,
    /// Cultural activities in the past year.
    pub activities: u32,
    /// Evidence uploaded per step, in [`Step::ALL`] order.
    pub evidence: [u32; 5],
}

/// One step's derived status and the facts behind it, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepView {
    pub step: Step,
    pub status: StepStatus,
    pub evidence: u32,
    pub zh: String,
    pub en: String,
}

fn count_status(have: u32, need: u32) -> StepStatus {
    match have {
        0 => StepStatus::NotStarted,
        n if n < need.max(1) => StepStatus::InProgress,
        _ => StepStatus::Done,
    }
}

/// The five steps of a compound.
pub fn derive(f: &CompoundFacts, rules: &FiveStepsRules) -> [StepView; 5] {
    let find = (
        count_status(f.full_members, rules.branch_minimum).max(if f.members > 0 {
            StepStatus::InProgress
        } else {
            StepStatus::NotStarted
        }),
        format!(
            "找到党员 {} 名（正式党员 {} 名）",
            f.members, f.full_members
        ),
        format!("members found: {} ({} full)", f.members, f.full_members),
    );
    let build = if f.branches > 0 {
        (
            StepStatus::Done,
            format!("已建党支部 {} 个、党小组 {} 个", f.branches, f.groups),
            format!("{} branches and {} groups built", f.branches, f.groups),
        )
    } else if f.groups > 0 {
        (
            StepStatus::InProgress,
            format!("已建党小组 {} 个，尚无党支部", f.groups),
            format!("{} groups, no branch yet", f.groups),
        )
    } else if f.full_members >= rules.branch_minimum {
        (
            StepStatus::NotStarted,
            format!("正式党员已达 {} 名，可以建立党支部", f.full_members),
            format!("{} full members: a branch can be formed", f.full_members),
        )
    } else {
        (
            StepStatus::NotStarted,
            "尚未建立党组织".to_string(),
            "no organisation yet".to_string(),
        )
    };
    let improve = match (f.joint_meetings, f.recent_joint_meetings) {
        (0, _) => (
            StepStatus::NotStarted,
            "尚未召开联席会议".to_string(),
            "no joint meeting held".to_string(),
        ),
        (n, 0) => (
            StepStatus::InProgress,
            format!(
                "联席会议共 {n} 次，近 {} 天未召开",
                rules.joint_meeting_days
            ),
            format!(
                "{n} joint meetings, none in the last {} days",
                rules.joint_meeting_days
            ),
        ),
        (n, r) => (
            StepStatus::Done,
            format!(
                "联席会议共 {n} 次，近 {} 天 {r} 次",
                rules.joint_meeting_days
            ),
            format!(
                "{n} joint meetings, {r} in the last {} days",
                rules.joint_meeting_days
            ),
        ),
    };
    let serve = (
        count_status(f.services, rules.services_per_year),
        format!(
            "近一年服务 {} 次（目标 {} 次）",
            f.services, rules.services_per_year
        ),
        format!(
            "{} services in the past year (target {})",
            f.services, rules.services_per_year
        ),
    );
    let cultivate = (
        count_status(f.activities, rules.activities_per_year),
        format!(
            "近一年文化活动 {} 次（目标 {} 次）",
            f.activities, rules.activities_per_year
        ),
        format!(
            "{} activities in the past year (target {})",
            f.activities, rules.activities_per_year
        ),
    );
    let derived = [find, build, improve, serve, cultivate];
    std::array::from_fn(|i| {
        let (status, zh, en) = derived[i].clone();
        let evidence = f.evidence[i];
        let status = if status == StepStatus::NotStarted && evidence > 0 {
            StepStatus::InProgress
        } else {
            status
        };
        StepView {
            step: Step::ALL[i],
            status,
            evidence,
            zh,
            en,
        }
    })
}

/// Steps done, for the progress board's ordering and totals.
pub fn steps_done(views: &[StepView; 5]) -> usize {
    views
        .iter()
        .filter(|v| v.status == StepStatus::Done)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statuses(f: &CompoundFacts) -> Vec<StepStatus> {
        derive(f, &FiveStepsRules::default())
            .iter()
            .map(|v| v.status)
            .collect()
    }

    #[test]
    fn an_empty_compound_has_started_nothing() {
        use StepStatus::*;
        assert_eq!(statuses(&CompoundFacts::default()), vec![NotStarted; 5]);
    }

    #[test]
    fn each_step_follows_its_facts() {
        use StepStatus::*;
        let f = CompoundFacts {
            members: 4,
            full_members: 2,
            groups: 1,
            joint_meetings: 3,
            recent_joint_meetings: 0,
            services: 6,
            activities: 1,
            ..Default::default()
        };
        assert_eq!(
            statuses(&f),
            vec![InProgress, InProgress, InProgress, Done, InProgress]
        );
        let f = CompoundFacts {
            members: 9,
            full_members: 8,
            branches: 1,
            joint_meetings: 5,
            recent_joint_meetings: 1,
            services: 4,
            activities: 2,
            ..Default::default()
        };
        let views = derive(&f, &FiveStepsRules::default());
        assert_eq!(steps_done(&views), 5);
        assert_eq!(views[0].zh, "找到党员 9 名（正式党员 8 名）");
    }

    #[test]
    fn enough_members_without_a_branch_says_one_can_be_formed() {
        let f = CompoundFacts {
            members: 3,
            full_members: 3,
            ..Default::default()
        };
        let v = derive(&f, &FiveStepsRules::default());
        assert_eq!(v[0].status, StepStatus::Done);
        assert_eq!(v[1].status, StepStatus::NotStarted);
        assert!(v[1].zh.contains("可以建立党支部"), "{}", v[1].zh);
    }

    #[test]
    fn evidence_alone_never_completes_a_step() {
        let f = CompoundFacts {
            evidence: [0, 0, 2, 0, 0],
            ..Default::default()
        };
        let v = derive(&f, &FiveStepsRules::default());
        assert_eq!(v[2].status, StepStatus::InProgress);
        assert_eq!(v[2].evidence, 2);
        assert_eq!(v[3].status, StepStatus::NotStarted);
    }
}
