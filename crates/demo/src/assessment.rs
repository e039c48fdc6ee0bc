//! A year of member assessment for the demo's party members: twelve-point deductions over the
//! last twelve months (most members keep all their points, a few fall to the alert line) and a
//! five-star rating of last year for everyone and of this year for most, the scores lower for
//! those with deductions. Plain data: the seeding writes it through the store, whose domain
//! checks refuse anything the rules would.

use gongzhi_domain::assessment::{PointsRules, StarRules};
use gongzhi_domain::calendar::Date;
use std::collections::BTreeMap;

use crate::rng::Rng;

const PURPOSE: u64 = 0xA55E_5500;

/// A deduction to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedDeduction {
    pub member: i64,
    pub occurred_on: Date,
    pub item: String,
    pub reason: String,
    pub note: String,
}

/// A year's rating to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedRating {
    pub member: i64,
    pub year: i32,
    pub scores: BTreeMap<String, u32>,
    pub note: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssessmentPlan {
    /// In date order.
    pub deductions: Vec<PlannedDeduction>,
    pub ratings: Vec<PlannedRating>,
}

/// What a deduction of each shipped item says; other items get a plain sentence.
fn reason(item: &str, rng: &mut Rng) -> (String, String) {
    let (reasons, note): (&[&str], &str) = match item {
        "missed_meeting" => (
            &[
                "无故缺席支部党员大会",
                "无故缺席主题党日活动",
                "两次未参加党小组会",
            ],
            "支部书记核对签到表",
        ),
        "late_dues" => (&["连续三个月未交纳党费", "党费未足额交纳"], "党费收缴台账"),
        "missed_study" => (
            &["未完成季度学习任务", "学习强国积分未达要求"],
            "学习台账记录",
        ),
        "link_duty" => (
            &["联系户本季度未走访", "未按要求记录民情日记"],
            "网格长核实",
        ),
        "no_service" => (
            &["未参加社区志愿服务", "未到居住地社区报到"],
            "社区报到记录",
        ),
        "public_morality" => (
            &["邻里纠纷中言行失当", "不文明养犬被多次投诉"],
            "居民投诉记录",
        ),
        _ => (&["经支委会研究认定"], "支委会会议记录"),
    };
    (rng.pick(reasons).to_string(), note.to_string())
}

/// The plan for `members` (their ids) on `today`, under the rules in force.
pub fn assessment_plan(
    members: &[i64],
    points: &PointsRules,
    stars: &StarRules,
    today: Date,
    seed: u64,
) -> AssessmentPlan {
    let mut rng = Rng::stream(seed, PURPOSE);
    // Light items for the many, the heavier ones for a few.
    let light: Vec<&str> = points
        .items
        .iter()
        .filter(|i| i.points <= 2)
        .map(|i| i.code.as_str())
        .collect();
    let heavy: Vec<&str> = points
        .items
        .iter()
        .filter(|i| (3..=6).contains(&i.points))
        .map(|i| i.code.as_str())
        .collect();
    let mut plan = AssessmentPlan::default();
    let year_start = Date::new(today.year(), 1, 1).expect("a year");
    for &member in members {
        let kind = rng.weighted(&[60.0, 25.0, 10.0, 5.0]);
        let mut items: Vec<&str> = Vec::new();
        match kind {
            1 if !light.is_empty() => items.push(*rng.pick(&light)),
            2 if !light.is_empty() => {
                for _ in 0..rng.int(2, 3) {
                    items.push(*rng.pick(&light));
                }
            }
            3 if !heavy.is_empty() => {
                items.push(*rng.pick(&heavy));
                if let Some(l) = light.first() {
                    items.push(*l);
                }
            }
            _ => {}
        }
        // A year's deductions per ledger year stay within the budget.
        let mut spent: BTreeMap<i32, u32> = BTreeMap::new();
        let mut lost_this_year = 0;
        for item in items {
            let on = today.add_days(-rng.int(0, 360));
            let cost = points.item(item).map(|i| i.points).unwrap_or(u32::MAX);
            let used = spent.entry(on.year()).or_default();
            if *used + cost > points.budget {
                continue;
            }
            *used += cost;
            if on >= year_start {
                lost_this_year += cost;
            }
            let (reason, note) = reason(item, &mut rng);
            plan.deductions.push(PlannedDeduction {
                member,
                occurred_on: on,
                item: item.to_string(),
                reason,
                note,
            });
        }
        // Ratings: good members score 7–10 a dimension; deductions pull the scores down.
        let penalty = (lost_this_year / 2).min(6);
        for (year, rated) in [(today.year() - 1, true), (today.year(), rng.chance(0.7))] {
            if !rated {
                continue;
            }
            let weak = year == today.year() && penalty > 0;
            let scores: BTreeMap<String, u32> = stars
                .dimensions
                .iter()
                .map(|d| {
                    let top = d.max as i64;
                    let base = rng.int(top * 6 / 10, top);
                    let s = if weak {
                        base - i64::from(penalty)
                    } else {
                        base
                    };
                    (d.code.clone(), s.clamp(0, top) as u32)
                })
                .collect();
            plan.ratings.push(PlannedRating {
                member,
                year,
                scores,
                note: if weak {
                    "年度内有扣分，酌情扣减"
                } else {
                    "年度民主评议"
                }
                .to_string(),
            });
        }
    }
    plan.deductions.sort_by_key(|d| (d.occurred_on, d.member));
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_the_rules_accept() {
        let (points, stars) = (PointsRules::shipped(), StarRules::shipped());
        let today = Date::new(2026, 11, 20).unwrap();
        let members: Vec<i64> = (1..=400).collect();
        let plan = assessment_plan(&members, &points, &stars, today, 3);
        assert_eq!(plan, assessment_plan(&members, &points, &stars, today, 3));
        let mut spent: BTreeMap<(i64, i32), u32> = BTreeMap::new();
        for d in &plan.deductions {
            assert!(d.occurred_on <= today);
            let left = points.budget
                - spent
                    .get(&(d.member, d.occurred_on.year()))
                    .copied()
                    .unwrap_or(0);
            let it = points.deduct(points.budget - left, &d.item).unwrap();
            *spent.entry((d.member, d.occurred_on.year())).or_default() += it.points;
        }
        let with = plan
            .deductions
            .iter()
            .map(|d| d.member)
            .collect::<std::collections::BTreeSet<_>>();
        assert!((100..220).contains(&with.len()), "{}", with.len());
        for r in &plan.ratings {
            stars.rate(&r.scores).unwrap();
        }
        let low = plan
            .ratings
            .iter()
            .filter(|r| stars.rate(&r.scores).unwrap().stars <= 2)
            .count();
        assert!(low > 0, "some members are flagged for their stars");
        assert!(plan.ratings.iter().filter(|r| r.year == 2025).count() == 400);
    }
}
