//! The demo city's 三会一课 and five-step records: a year of meetings for every organisation
//! (most held on time, some skipped so that the cadence warnings have something to say) and
//! compound activities spread so that the five-step board shows every status.

use crate::rng::Rng;
use gongzhi_domain::calendar::Date;
use gongzhi_domain::party::OrgLevel;
use gongzhi_domain::party::five_steps::{ActivityKind, Step};
use gongzhi_domain::party::meetings::{CadenceRules, MeetingKind, Period, required_meetings};

/// An organisation as the meeting plan needs it.
#[derive(Clone, Debug)]
pub struct OrgForMeetings {
    pub id: i64,
    pub level: OrgLevel,
    pub has_committee: bool,
    pub founded_on: Date,
    pub members: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlannedMeeting {
    pub org_id: i64,
    pub kind: MeetingKind,
    pub held_on: Date,
    pub topic: String,
    pub minutes: String,
    pub attendees: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlannedActivity {
    pub compound_id: i64,
    pub kind: ActivityKind,
    pub held_on: Date,
    pub title: String,
    pub participants: i64,
    pub notes: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlannedEvidence {
    pub compound_id: i64,
    pub step: Step,
    pub note: String,
}

const ASSEMBLY: &[&str] = &[
    "学习贯彻党的二十届三中全会精神",
    "民主评议党员",
    "讨论发展对象和预备党员转正",
    "通报支部工作并征求意见",
];
const COMMITTEE: &[&str] = &[
    "研究本月支部工作安排",
    "讨论小区加装电梯协调事宜",
    "研究困难党员走访慰问名单",
    "部署网格联户走访工作",
];
const GROUP: &[&str] = &["学习党章和党内法规", "交流联系群众情况", "讨论楼道环境整治"];
const LECTURE: &[&str] = &[
    "专题党课：新时代基层治理",
    "专题党课：密切联系群众",
    "书记讲党课：党建引领小区治理",
];
const JOINT: &[&str] = &[
    "小区综合管理联席会议：停车秩序",
    "联席会议：物业服务质量评议",
    "联席会议：垃圾分类推进",
];
const SERVICE: &[&str] = &[
    "义诊进小区",
    "为独居老人上门理发",
    "家电义务维修",
    "政策宣讲和法律咨询",
    "助餐送餐",
];
const CULTURE: &[&str] = &["邻里节", "红色电影放映", "书法和剪纸兴趣班", "广场舞展演"];

fn topics(kind: MeetingKind) -> &'static [&'static str] {
    match kind {
        MeetingKind::MembersAssembly => ASSEMBLY,
        MeetingKind::Committee => COMMITTEE,
        MeetingKind::Group => GROUP,
        MeetingKind::Lecture => LECTURE,
    }
}

fn day_in(rng: &mut Rng, from: Date, until: Date) -> Date {
    let span = (until.days() - from.days()).max(0);
    from.add_days(rng.int(0, span))
}

/// A year of meetings up to `today`: each owed meeting held with probability `held`, on a
/// day of its period, attended by most members.
pub fn plan_meetings(orgs: &[OrgForMeetings], today: Date, seed: u64) -> Vec<PlannedMeeting> {
    let mut rng = Rng::stream(seed, 0x3_4u64);
    let rules = CadenceRules::default();
    let since = today.add_days(-365);
    let mut out = Vec::new();
    for org in orgs {
        // A few organisations are lax, most are diligent.
        let held = if rng.chance(0.2) { 0.6 } else { 0.95 };
        for kind in required_meetings(org.level, org.has_committee) {
            let mut p = Period::of(since.max(org.founded_on), rules.months(kind));
            while p.start() <= today {
                let from = p.start().max(org.founded_on);
                let until = p.end().add_days(-1).min(today);
                if from <= until && rng.chance(held) {
                    let attendees: Vec<i64> = org
                        .members
                        .iter()
                        .copied()
                        .filter(|_| rng.chance(0.85))
                        .collect();
                    let topic = rng.pick(topics(kind)).to_string();
                    out.push(PlannedMeeting {
                        org_id: org.id,
                        kind,
                        held_on: day_in(&mut rng, from, until),
                        minutes: format!(
                            "会议围绕“{topic}”进行，应到 {} 人，实到 {} 人，形成会议记录存档。",
                            org.members.len(),
                            attendees.len()
                        ),
                        topic,
                        attendees,
                    });
                }
                p = p.next();
            }
        }
    }
    out
}

/// Activities and evidence for the compounds: a quarter with none, the rest with joint
/// meetings (some lapsed), services and cultural activities in varying numbers.
pub fn plan_compound_activities(
    compounds: &[i64],
    today: Date,
    seed: u64,
) -> (Vec<PlannedActivity>, Vec<PlannedEvidence>) {
    let mut rng = Rng::stream(seed, 0x5_5u64);
    let mut acts = Vec::new();
    let mut evidence = Vec::new();
    for &c in compounds {
        let tier = rng.below(4);
        if tier == 0 {
            if rng.chance(0.5) {
                evidence.push(PlannedEvidence {
                    compound_id: c,
                    step: Step::Improve,
                    note: "联席会议章程草案已起草，待业主委员会讨论".into(),
                });
            }
            continue;
        }
        let mut add = |rng: &mut Rng, kind: ActivityKind, titles: &[&str], from: i64, to: i64| {
            let title = rng.pick(titles).to_string();
            acts.push(PlannedActivity {
                compound_id: c,
                kind,
                held_on: today.add_days(-rng.int(from, to)),
                participants: rng.int(8, 120),
                notes: format!("{title}，居民反响良好。"),
                title,
            });
        };
        // Joint meetings: tier 1 only long ago (lapsed), tiers 2–3 also recently.
        for _ in 0..rng.int(1, 3) {
            add(&mut rng, ActivityKind::JointMeeting, JOINT, 120, 360);
        }
        if tier >= 2 {
            add(&mut rng, ActivityKind::JointMeeting, JOINT, 1, 80);
        }
        for _ in 0..rng.int(tier as i64, 2 * tier as i64 + 1) {
            add(&mut rng, ActivityKind::Service, SERVICE, 1, 360);
        }
        for _ in 0..rng.int(0, tier as i64) {
            add(&mut rng, ActivityKind::Culture, CULTURE, 1, 360);
        }
        if tier == 3 {
            evidence.push(PlannedEvidence {
                compound_id: c,
                step: Step::Cultivate,
                note: "邻里节活动照片和签到表".into(),
            });
        }
    }
    (acts, evidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn meetings_fall_inside_their_organisations_lifetime_and_up_to_today() {
        let orgs = vec![OrgForMeetings {
            id: 1,
            level: OrgLevel::Branch,
            has_committee: true,
            founded_on: d("2026-03-15"),
            members: (1..=9).collect(),
        }];
        let today = d("2026-12-06");
        let plan = plan_meetings(&orgs, today, 7);
        assert!(!plan.is_empty());
        assert!(
            plan.iter()
                .all(|m| m.held_on >= d("2026-03-15") && m.held_on <= today)
        );
        assert!(
            plan.iter()
                .all(|m| m.attendees.iter().all(|a| (1..=9).contains(a)))
        );
        assert_eq!(plan, plan_meetings(&orgs, today, 7));
    }

    #[test]
    fn compounds_get_every_kind_of_activity_somewhere() {
        let ids: Vec<i64> = (1..=40).collect();
        let (acts, _) = plan_compound_activities(&ids, d("2026-12-06"), 3);
        for kind in ActivityKind::ALL {
            assert!(acts.iter().any(|a| a.kind == *kind), "{kind}");
        }
        assert!(ids.iter().any(|c| acts.iter().all(|a| a.compound_id != *c)));
    }
}
