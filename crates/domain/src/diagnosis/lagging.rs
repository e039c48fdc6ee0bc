//! Lagging departments (落后部门): over the period's cases, each department's 按期处置率
//! (按期处置 / 应处置), 解决率 and 满意率 (over valid follow-ups, 基本满意 counting 0.9) by the
//! domain's formulas (`metrics`), against the same rates of the whole city. A department lags
//! on a rate when it is at least `lagging_gap_points` below the city's with at least
//! `lagging_min_cases` cases in its denominator; one finding per department, listing every
//! rate it lags on with the counts behind it, and the cases that pulled it down (handled late,
//! unresolved or unsatisfied).

use super::{CaseFact, Evidence, Finding, FindingKind, Settings};
use crate::calendar::DAY_MS;
use crate::case::Satisfaction;
use crate::labelled_enum;
use crate::metrics::{Counters, FollowUps, Weights};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

labelled_enum! {
    pub enum Rate {
        OnTimeHandling = ("on_time_handling", "按期处置率", "On-time handling rate"),
        Resolution = ("resolution", "解决率", "Resolution rate"),
        Satisfaction = ("satisfaction", "满意率", "Satisfaction rate"),
    }
}

/// One rate a department lags on: its numerator and denominator, and the city's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaggingRate {
    pub rate: Rate,
    pub numerator: f64,
    pub denominator: u64,
    pub city_numerator: f64,
    pub city_denominator: u64,
    /// Percent, two decimals.
    pub percent: f64,
    pub city_percent: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaggingEvidence {
    pub period_days: u32,
    pub gap_points: f64,
    pub min_cases: u32,
    pub cases: u64,
    pub rates: Vec<LaggingRate>,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    counters: Counters,
    follow_ups: FollowUps,
}

impl Tally {
    fn add(&mut self, c: &CaseFact) {
        self.counters.add(&c.facts);
        if let Some(r) = &c.rating {
            self.follow_ups.add(r);
        }
    }

    /// (numerator, denominator) of each rate.
    fn parts(&self, rate: Rate, w: &Weights) -> (f64, u64) {
        let f = &self.follow_ups;
        match rate {
            Rate::OnTimeHandling => (
                self.counters.handled_on_time as f64,
                self.counters.due_handling,
            ),
            Rate::Resolution => (f.resolved as f64, f.valid),
            Rate::Satisfaction => (
                // 满意率's numerator by the domain's formula: rate × valid follow-ups.
                f.satisfaction_rate(w).unwrap_or(0.0) * f.valid as f64,
                f.valid,
            ),
        }
    }
}

fn pulled_down(c: &CaseFact, rate: Rate) -> bool {
    match rate {
        Rate::OnTimeHandling => c.facts.handled_late,
        Rate::Resolution => c.rating.as_ref().is_some_and(|r| !r.resolved),
        Rate::Satisfaction => c
            .rating
            .as_ref()
            .is_some_and(|r| r.satisfaction == Satisfaction::Unsatisfied),
    }
}

fn pct(num: f64, den: u64) -> f64 {
    crate::metrics::percent(num / den as f64)
}

pub fn find(cases: &[CaseFact], s: &Settings, now: i64) -> Vec<Finding> {
    let from = now - i64::from(s.period_days) * DAY_MS;
    let w = Weights::default();
    let window: Vec<&CaseFact> = cases
        .iter()
        .filter(|c| c.reported_at >= from && c.reported_at <= now)
        .collect();
    let mut city = Tally::default();
    let mut by_dept: BTreeMap<&str, (Tally, Vec<&CaseFact>)> = BTreeMap::new();
    for c in &window {
        city.add(c);
        if let Some(d) = c.department.as_deref() {
            let e = by_dept.entry(d).or_default();
            e.0.add(c);
            e.1.push(c);
        }
    }
    let mut out = Vec::new();
    for (dept, (t, list)) in by_dept {
        let mut rates = Vec::new();
        for rate in Rate::ALL.iter().copied() {
            let (num, den) = t.parts(rate, &w);
            let (cnum, cden) = city.parts(rate, &w);
            if den < u64::from(s.lagging_min_cases) || cden == 0 {
                continue;
            }
            let (p, cp) = (pct(num, den), pct(cnum, cden));
            if cp - p >= s.lagging_gap_points {
                rates.push(LaggingRate {
                    rate,
                    numerator: num,
                    denominator: den,
                    city_numerator: cnum,
                    city_denominator: cden,
                    percent: p,
                    city_percent: cp,
                });
            }
        }
        if rates.is_empty() {
            continue;
        }
        let score = rates.iter().map(|r| r.city_percent - r.percent).sum();
        let behind: Vec<&CaseFact> = list
            .iter()
            .copied()
            .filter(|c| rates.iter().any(|r| pulled_down(c, r.rate)))
            .collect();
        out.push(Finding {
            kind: FindingKind::Lagging,
            key: format!("lagging/{dept}"),
            place: None,
            grid: None,
            category: None,
            department: Some(dept.to_string()),
            score,
            evidence: Evidence::Lagging(LaggingEvidence {
                period_days: s.period_days,
                gap_points: s.lagging_gap_points,
                min_cases: s.lagging_min_cases,
                cases: list.len() as u64,
                rates,
            }),
            cases: super::newest_first(behind),
        });
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.key.cmp(&b.key)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Rating;
    use crate::diagnosis::test_support::{NOW, case_at, grid};

    fn rated(id: i64, dept: &str, resolved: bool, sat: Satisfaction, on_time: bool) -> CaseFact {
        let mut c = case_at(id, "road", grid(1), NOW - DAY_MS);
        c.department = Some(dept.into());
        c.facts.due_handling = true;
        c.facts.handled_on_time = on_time;
        c.facts.handled_late = !on_time;
        c.rating = Some(Rating {
            contacted: true,
            resolved,
            satisfaction: sat,
        });
        c
    }

    #[test]
    fn a_department_well_below_the_city_lags_with_its_counts() {
        let s = Settings::default();
        let mut cases = Vec::new();
        // Three good departments of 30 cases each, all resolved, satisfied, on time.
        for (k, d) in ["A", "B", "C"].iter().enumerate() {
            for i in 0..30 {
                cases.push(rated(
                    (k * 100 + i) as i64,
                    d,
                    true,
                    Satisfaction::Satisfied,
                    true,
                ));
            }
        }
        // D: 30 cases, half unresolved and unsatisfied, all on time.
        for i in 0..30 {
            let bad = i % 2 == 0;
            let sat = if bad {
                Satisfaction::Unsatisfied
            } else {
                Satisfaction::Satisfied
            };
            cases.push(rated(1000 + i, "D", !bad, sat, true));
        }
        let found = find(&cases, &s, NOW);
        assert_eq!(found.len(), 1, "{found:?}");
        let f = &found[0];
        assert_eq!(f.department.as_deref(), Some("D"));
        let Evidence::Lagging(e) = &f.evidence else {
            panic!()
        };
        let rates: Vec<Rate> = e.rates.iter().map(|r| r.rate).collect();
        assert_eq!(rates, vec![Rate::Resolution, Rate::Satisfaction]);
        let r = &e.rates[0];
        assert_eq!((r.numerator, r.denominator), (15.0, 30));
        assert_eq!((r.city_numerator, r.city_denominator), (105.0, 120));
        assert_eq!((r.percent, r.city_percent), (50.0, 87.5));
        assert_eq!(f.cases.len(), 15);
        // With fewer cases than the minimum, no finding.
        let s2 = Settings {
            lagging_min_cases: 31,
            ..s
        };
        assert!(find(&cases, &s2, NOW).is_empty());
    }
}
