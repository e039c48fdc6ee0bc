//! The demo community's deliberation (有事好商量): topics in every state — gathering support,
//! tabled by residents' supports and by staff, declined with a reason, discussed — a held
//! meeting with its attendance, minutes and two motions (one short of its quorum, one passed),
//! the passed motion's resolution with a case closed on the loop and a task done, a second
//! resolution still in progress with an overdue task, and a meeting coming. Deterministic: the
//! same input and seed give the same plan.

use gongzhi_domain::deliberation::{Majority, MeetingKind, Party, TopicCategory, VoteChoice};

use crate::rng::Rng;

/// The demo community's own threshold: five supports table a topic.
pub const DEMO_THRESHOLD: u32 = 5;

/// Who raised a topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Raiser {
    /// The demo `resident` account.
    Resident,
    /// A resident without an account, with a lookup code.
    Anonymous,
    /// The demo `grid` worker.
    GridWorker,
    /// The demo `community` staff.
    Community,
}

/// Where a topic ends up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Gathering support.
    Open,
    /// Tabled by the support that reached the threshold; on a meeting's agenda when `Some`.
    Tabled(Option<usize>),
    /// Tabled by the community staff.
    TabledByStaff,
    Declined(&'static str),
}

#[derive(Clone, Debug)]
pub struct PlanTopic {
    pub title: &'static str,
    pub category: TopicCategory,
    pub description: &'static str,
    pub raiser: Raiser,
    /// Supports by residents' lookup codes (the demo resident's own support is `by_resident`).
    pub supports: u32,
    pub by_resident: bool,
    pub fate: Fate,
    pub days_ago: i64,
}

#[derive(Clone, Debug)]
pub enum PlanItem {
    /// A case filed through intake; closed on the loop when `close`.
    Case {
        category: &'static str,
        description: &'static str,
        close: bool,
    },
    /// A task: its owner, due `due_days` after the meeting, its progress.
    Task {
        owner: &'static str,
        description: &'static str,
        due_days: i64,
        progress: u32,
    },
}

#[derive(Clone, Debug)]
pub struct PlanResolution {
    pub title: &'static str,
    pub items: Vec<PlanItem>,
}

#[derive(Clone, Debug)]
pub struct PlanMotion {
    pub title: &'static str,
    /// The topic (index in [`DeliberationPlan::topics`]) the motion is on.
    pub topic: Option<usize>,
    pub quorum_pct: u32,
    pub majority: Majority,
    /// (household index in the community's households, choice).
    pub votes: Vec<(usize, VoteChoice)>,
    pub resolution: Option<PlanResolution>,
}

#[derive(Clone, Debug)]
pub struct PlanMeeting {
    pub kind: MeetingKind,
    pub title: &'static str,
    /// Days from today (negative: held in the past).
    pub day: i64,
    pub place: &'static str,
    pub invited: Vec<Party>,
    /// The demo department is invited (with `Party::Departments`).
    pub department: bool,
    pub attendance: Vec<(Party, u32, &'static str)>,
    pub minutes: Option<&'static str>,
    pub motions: Vec<PlanMotion>,
}

#[derive(Clone, Debug, Default)]
pub struct DeliberationPlan {
    pub topics: Vec<PlanTopic>,
    pub meetings: Vec<PlanMeeting>,
}

/// `k` distinct household indices below `n`, drawn from `rng`, in the drawn order.
fn voters(rng: &mut Rng, n: usize, k: usize) -> Vec<usize> {
    let mut all: Vec<usize> = (0..n).collect();
    for i in 0..k.min(n) {
        let j = i + rng.below((n - i) as u64) as usize;
        all.swap(i, j);
    }
    all.truncate(k.min(n));
    all
}

/// The plan for a community of `households` households.
pub fn plan(households: usize, seed: u64) -> DeliberationPlan {
    let mut rng = Rng::stream(seed, 0xde11_be7a);
    let topic =
        |title, category, description, raiser, supports, by_resident, fate, days_ago| PlanTopic {
            title,
            category,
            description,
            raiser,
            supports,
            by_resident,
            fate,
            days_ago,
        };
    let topics = vec![
        // 0: discussed at the held meeting, resolved.
        topic(
            "楼道堆物清理",
            TopicCategory::Environment,
            "多个楼道长期堆放旧家具和纸箱，堵塞消防通道，老人上下楼不便",
            Raiser::Resident,
            DEMO_THRESHOLD - 1,
            true,
            Fate::Tabled(Some(0)),
            40,
        ),
        // 1: discussed, its motion short of the quorum.
        topic(
            "小区夜间临时停车",
            TopicCategory::Parking,
            "晚上车位不够，车辆停在消防通道上，希望划定夜间临时停车区",
            Raiser::Anonymous,
            DEMO_THRESHOLD,
            false,
            Fate::Tabled(Some(0)),
            38,
        ),
        // 2: on the agenda of the meeting coming.
        topic(
            "加装电动自行车充电桩",
            TopicCategory::Facilities,
            "居民在楼道里给电瓶车充电，有火灾隐患，建议在车棚加装充电桩",
            Raiser::GridWorker,
            DEMO_THRESHOLD,
            false,
            Fate::Tabled(Some(1)),
            12,
        ),
        // 3: tabled by the community itself.
        topic(
            "老年助餐点增加送餐服务",
            TopicCategory::Elderly,
            "行动不便的独居老人去不了助餐点，希望能送餐上门",
            Raiser::Community,
            2,
            false,
            Fate::TabledByStaff,
            9,
        ),
        // 4: declined with its reason.
        topic(
            "小区大门改为刷脸进出",
            TopicCategory::Safety,
            "希望大门改成人脸识别，外来人员登记进出",
            Raiser::Anonymous,
            1,
            false,
            Fate::Declined("涉及居民人脸信息采集，需业主大会表决，已转业委会征求意见"),
            20,
        ),
        // 5–8: gathering support; the demo resident has not supported them yet.
        topic(
            "增设健身器材",
            TopicCategory::Facilities,
            "小区中心绿地旁空地可以增设几件健身器材，方便老人锻炼",
            Raiser::Anonymous,
            3,
            false,
            Fate::Open,
            6,
        ),
        topic(
            "垃圾分类亭延长开放时间",
            TopicCategory::Environment,
            "上班族早出晚归，分类亭开放时间太短，希望晚上延长到九点",
            Raiser::Anonymous,
            2,
            false,
            Fate::Open,
            4,
        ),
        topic(
            "楼下广场舞音量过大",
            TopicCategory::Neighbourhood,
            "晚上广场舞音响声音太大，影响学生学习和老人休息，希望商定时间和音量",
            Raiser::Anonymous,
            1,
            false,
            Fate::Open,
            3,
        ),
        topic(
            "物业费公示明细",
            TopicCategory::Property,
            "希望物业每季度在公示栏公开物业费收支明细",
            Raiser::Anonymous,
            0,
            false,
            Fate::Open,
            1,
        ),
    ];
    let n = households;
    // The held meeting's motions: 30% of the households vote on the first (short of its
    // quorum of 50%), 65% on the second, three in four of them in favour.
    let short = voters(&mut rng, n, n * 3 / 10)
        .into_iter()
        .map(|h| (h, VoteChoice::For))
        .collect();
    let full: Vec<(usize, VoteChoice)> = voters(&mut rng, n, n * 65 / 100)
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            let choice = match i % 8 {
                0 => VoteChoice::Against,
                1 => VoteChoice::Abstain,
                _ => VoteChoice::For,
            };
            (h, choice)
        })
        .collect();
    let half: Vec<(usize, VoteChoice)> = voters(&mut rng, n, n * 6 / 10)
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            (
                h,
                if i % 5 == 0 {
                    VoteChoice::Against
                } else {
                    VoteChoice::For
                },
            )
        })
        .collect();
    let held = PlanMeeting {
        kind: MeetingKind::Periodic,
        title: "十月居民议事会",
        day: -30,
        place: "社区党群服务中心二楼议事厅",
        invited: vec![
            Party::Residents,
            Party::PartyMembers,
            Party::PropertyCompany,
            Party::OwnersCommittee,
            Party::Departments,
        ],
        department: true,
        attendance: vec![
            (Party::Residents, 26, "各楼栋居民代表"),
            (Party::PartyMembers, 8, "社区党委委员、在职党员"),
            (Party::PropertyCompany, 2, "物业项目经理、保洁主管"),
            (Party::OwnersCommittee, 3, "业委会主任、委员"),
            (Party::Departments, 1, "受邀职能部门科员"),
        ],
        minutes: Some(
            "会议由社区党委书记主持。议题一：楼道堆物清理，与会各方同意由职能部门牵头清理、物业配合张贴通知，表决通过。议题二：夜间临时停车，参与表决户数未达半数，待扩大征求意见后再议。",
        ),
        motions: vec![
            PlanMotion {
                title: "划定夜间临时停车区",
                topic: Some(1),
                quorum_pct: 50,
                majority: Majority::Half,
                votes: short,
                resolution: None,
            },
            PlanMotion {
                title: "限期清理楼道堆物",
                topic: Some(0),
                quorum_pct: 50,
                majority: Majority::Half,
                votes: full,
                resolution: Some(PlanResolution {
                    title: "限期清理楼道堆物",
                    items: vec![
                        PlanItem::Case {
                            category: "E0102",
                            description: "清理各楼道堆放的旧家具和纸箱，恢复消防通道畅通",
                            close: true,
                        },
                        PlanItem::Task {
                            owner: "物业公司",
                            description: "在各单元张贴限期清理通知并逐户告知",
                            due_days: 5,
                            progress: 100,
                        },
                    ],
                }),
            },
            PlanMotion {
                title: "车棚加装充电桩前先行规范充电",
                topic: None,
                quorum_pct: 50,
                majority: Majority::TwoThirds,
                votes: half,
                resolution: Some(PlanResolution {
                    title: "规范电动自行车充电",
                    items: vec![
                        PlanItem::Case {
                            category: "E0102",
                            description: "清理楼道内飞线充电设施",
                            close: false,
                        },
                        PlanItem::Task {
                            owner: "社区居委会",
                            description: "联系供电企业勘察车棚充电桩安装条件",
                            due_days: 14,
                            progress: 40,
                        },
                    ],
                }),
            },
        ],
    };
    let coming = PlanMeeting {
        kind: MeetingKind::Temporary,
        title: "电动自行车充电桩专题议事会",
        day: 7,
        place: "社区居民活动室",
        invited: vec![
            Party::Residents,
            Party::PropertyCompany,
            Party::OwnersCommittee,
        ],
        department: false,
        attendance: Vec::new(),
        minutes: None,
        motions: Vec::new(),
    };
    DeliberationPlan {
        topics,
        meetings: vec![held, coming],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_is_planned_and_the_votes_fall_as_described() {
        let p = plan(120, 7);
        let fates: Vec<&Fate> = p.topics.iter().map(|t| &t.fate).collect();
        assert!(fates.contains(&&Fate::Open));
        assert!(fates.contains(&&Fate::TabledByStaff));
        assert!(fates.iter().any(|f| matches!(f, Fate::Declined(_))));
        assert!(fates.iter().any(|f| matches!(f, Fate::Tabled(Some(1)))));
        for t in &p.topics {
            let tabled_by_support = matches!(t.fate, Fate::Tabled(_));
            let total = t.supports + u32::from(t.by_resident);
            assert_eq!(total >= DEMO_THRESHOLD, tabled_by_support, "{}", t.title);
        }
        let open_unsupported = p
            .topics
            .iter()
            .filter(|t| t.fate == Fate::Open && !t.by_resident)
            .count();
        assert!(
            open_unsupported >= 3,
            "the demo resident has topics left to support"
        );
        let held = &p.meetings[0];
        let short = &held.motions[0];
        assert!(short.votes.len() * 100 < 120 * 50, "short of its quorum");
        let full = &held.motions[1];
        assert!(full.votes.len() * 100 >= 120 * 50);
        let mut seen: Vec<usize> = full.votes.iter().map(|(h, _)| *h).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), full.votes.len(), "a household votes once");
        assert!(seen.iter().all(|h| *h < 120));
        assert!(p.meetings[1].day > 0 && held.day < 0);
        let a = plan(120, 7);
        assert_eq!(
            format!("{:?}", a.meetings),
            format!("{:?}", p.meetings),
            "deterministic"
        );
        assert!(plan(3, 7).meetings[0].motions[1].votes.len() <= 3);
    }
}
