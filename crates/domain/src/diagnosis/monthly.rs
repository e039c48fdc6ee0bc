//! 每月一题 candidates: the month's problems worth a street's focus, one per category × street
//! with at least `topic_min_cases` cases in the period, scored 0–100 on four parts —
//! volume (40: its cases over the largest group's), recurrence (20: the share of its cases in
//! a recurrence finding), low satisfaction (20: 1 − 满意率 over its valid follow-ups, 0 when
//! none) and cross-department passing (20: the share of its cases passed around) — the top
//! `topic_count`, each with the counts behind its score.

use super::{CaseFact, Evidence, Finding, FindingKind, Settings};
use crate::calendar::{DAY_MS, date_of};
use crate::codes::AreaCode;
use crate::metrics::{FollowUps, Weights};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicEvidence {
    /// The month it is a candidate for (`2026-12`).
    pub month: String,
    pub period_days: u32,
    pub cases: u64,
    /// Of which in a recurrence finding, and passed around.
    pub recurring: u64,
    pub passed_around: u64,
    /// Valid follow-ups and the satisfaction rate over them (percent), when any.
    pub rated: u64,
    pub satisfaction_percent: Option<f64>,
    /// The four parts of the score (volume 40, recurrence 20, dissatisfaction 20, passing 20).
    pub parts: [f64; 4],
}

/// The weights of the four parts.
pub const WEIGHTS: [f64; 4] = [40.0, 20.0, 20.0, 20.0];

pub fn find(
    cases: &[CaseFact],
    recurrences: &[Finding],
    passed: &[Finding],
    s: &Settings,
    now: i64,
) -> Vec<Finding> {
    let from = now - i64::from(s.period_days) * DAY_MS;
    let recurring: HashSet<i64> = recurrences
        .iter()
        .flat_map(|f| f.cases.iter().copied())
        .collect();
    let passed_ids: HashSet<i64> = passed
        .iter()
        .flat_map(|f| f.cases.iter().copied())
        .collect();
    let mut groups: BTreeMap<(AreaCode, &str), Vec<&CaseFact>> = BTreeMap::new();
    for c in cases
        .iter()
        .filter(|c| c.reported_at >= from && c.reported_at <= now)
    {
        let Some(street) = c.community.and_then(|k| k.parent()) else {
            continue;
        };
        groups
            .entry((street, c.category.as_str()))
            .or_default()
            .push(c);
    }
    groups.retain(|_, v| v.len() >= s.topic_min_cases as usize);
    let largest = groups.values().map(Vec::len).max().unwrap_or(1) as f64;
    let d = date_of(now);
    let month = format!("{:04}-{:02}", d.year(), d.month());
    let w = Weights::default();
    let mut out: Vec<Finding> = groups
        .into_iter()
        .map(|((street, category), list)| {
            let n = list.len() as f64;
            let rec = list.iter().filter(|c| recurring.contains(&c.id)).count() as u64;
            let pas = list.iter().filter(|c| passed_ids.contains(&c.id)).count() as u64;
            let mut f = FollowUps::default();
            for r in list.iter().filter_map(|c| c.rating.as_ref()) {
                f.add(r);
            }
            let sat = f.satisfaction_rate(&w);
            let parts = [
                WEIGHTS[0] * n / largest,
                WEIGHTS[1] * rec as f64 / n,
                WEIGHTS[2] * sat.map_or(0.0, |r| 1.0 - r),
                WEIGHTS[3] * pas as f64 / n,
            ]
            .map(|p| (p * 100.0).round() / 100.0);
            Finding {
                kind: FindingKind::MonthlyTopic,
                key: format!("monthly_topic/{month}/{street}/{category}"),
                place: Some(street),
                grid: None,
                category: Some(category.to_string()),
                department: super::main_department(list.iter().copied()),
                score: parts.iter().sum(),
                evidence: Evidence::MonthlyTopic(TopicEvidence {
                    month: month.clone(),
                    period_days: s.period_days,
                    cases: list.len() as u64,
                    recurring: rec,
                    passed_around: pas,
                    rated: f.valid,
                    satisfaction_percent: sat.map(crate::metrics::percent),
                    parts,
                }),
                cases: super::newest_first(list),
            }
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.key.cmp(&b.key)));
    out.truncate(s.topic_count as usize);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Rating, Satisfaction};
    use crate::diagnosis::test_support::{NOW, case_at, grid};

    #[test]
    fn volume_recurrence_dissatisfaction_and_passing_raise_a_topic() {
        let s = Settings::default();
        let mut cases = Vec::new();
        // 10 road cases, 4 recurring, 2 passed around, 2 of 4 rated unsatisfied.
        for i in 0..10 {
            let mut c = case_at(i, "road", grid(1), NOW - DAY_MS);
            if i < 4 {
                c.rating = Some(Rating {
                    contacted: true,
                    resolved: i >= 2,
                    satisfaction: if i < 2 {
                        Satisfaction::Unsatisfied
                    } else {
                        Satisfaction::Satisfied
                    },
                });
            }
            cases.push(c);
        }
        // 10 quiet light cases: volume alone.
        for i in 0..10 {
            cases.push(case_at(100 + i, "light", grid(2), NOW - DAY_MS));
        }
        // 3 park cases: under the minimum.
        for i in 0..3 {
            cases.push(case_at(200 + i, "park", grid(2), NOW - DAY_MS));
        }
        let finding = |ids: &[i64]| Finding {
            kind: FindingKind::Recurrence,
            key: String::new(),
            place: None,
            grid: None,
            category: None,
            department: None,
            score: 0.0,
            evidence: Evidence::MonthlyTopic(TopicEvidence {
                month: String::new(),
                period_days: 0,
                cases: 0,
                recurring: 0,
                passed_around: 0,
                rated: 0,
                satisfaction_percent: None,
                parts: [0.0; 4],
            }),
            cases: ids.to_vec(),
        };
        let found = find(
            &cases,
            &[finding(&[0, 1, 2, 3])],
            &[finding(&[4]), finding(&[5])],
            &s,
            NOW,
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].category.as_deref(), Some("road"));
        let Evidence::MonthlyTopic(e) = &found[0].evidence else {
            panic!()
        };
        assert_eq!(
            (e.cases, e.recurring, e.passed_around, e.rated),
            (10, 4, 2, 4)
        );
        assert_eq!(e.satisfaction_percent, Some(50.0));
        assert_eq!(e.parts, [40.0, 8.0, 10.0, 4.0]);
        assert_eq!(found[0].score, 62.0);
        assert_eq!(found[1].score, 40.0);
        assert!(e.month.starts_with("2026-1"));
    }
}
