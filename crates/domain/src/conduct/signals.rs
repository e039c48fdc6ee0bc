//! Signals from the case data for a supervisor to review (数据线索), each with its evidence:
//! - a department's cases repeatedly overdue: at least `overdue_min` of its cases overdue in
//!   the period;
//! - a case passed around (推诿扯皮): returned (回退) or redirected (改派) `returns_min` times or
//!   more between departments;
//! - whistle check-ins missed: a summoned department that did not check in (报到) by the
//!   summons' deadline, one signal per department;
//! - satisfaction far below the peers: the department's satisfaction rate (满意率, satisfied +
//!   0.9 × basically satisfied over rated cases) at least `satisfaction_gap` points below the
//!   median of the departments with at least `satisfaction_min_rated` rated cases, itself with
//!   that many rated cases (so one bad rating is no signal).
//!
//! The store reads the rows in the supervisor's scope and period; this module decides. A
//! signal's key is stable (kind and subject): a dismissed signal stays away until its evidence
//! grows beyond what was dismissed.

use crate::labelled_enum;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

labelled_enum! {
    pub enum SignalKind {
        RepeatedOverdue = ("repeated_overdue", "部门案件多次超期", "A department's cases repeatedly overdue"),
        PassedAround = ("passed_around", "推诿扯皮：案件多次回退改派", "A case passed around between departments"),
        MissedCheckIn = ("missed_check_in", "吹哨未按时报到", "Whistle check-ins missed"),
        LowSatisfaction = ("low_satisfaction", "满意率明显低于其他部门", "Satisfaction far below the peers"),
    }
}

impl SignalKind {
    /// The category a report opened from the signal takes by default.
    pub fn category(self) -> &'static str {
        match self {
            SignalKind::RepeatedOverdue => "inefficiency",
            SignalKind::PassedAround => super::BUCK_PASSING,
            SignalKind::MissedCheckIn => "lax_discipline",
            SignalKind::LowSatisfaction => "aloofness",
        }
    }
}

/// The configurable thresholds (shipped defaults in `Default`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SignalThresholds {
    /// The period looked at, in days back from today.
    pub period_days: i64,
    pub overdue_min: usize,
    pub returns_min: usize,
    /// Percentage points below the peers' median.
    pub satisfaction_gap: f64,
    pub satisfaction_min_rated: i64,
}

impl Default for SignalThresholds {
    fn default() -> Self {
        SignalThresholds {
            period_days: 90,
            overdue_min: 3,
            returns_min: 2,
            satisfaction_gap: 15.0,
            satisfaction_min_rated: 20,
        }
    }
}

impl SignalThresholds {
    /// Bounded so that a typo cannot silence every signal or flood the page.
    pub fn checked(self) -> Result<SignalThresholds, super::ConductError> {
        let bad = |f: &'static str| Err(super::ConductError::BadThreshold(f));
        if !(1..=3660).contains(&self.period_days) {
            return bad("period_days");
        }
        if !(1..=1000).contains(&self.overdue_min) {
            return bad("overdue_min");
        }
        if !(1..=100).contains(&self.returns_min) {
            return bad("returns_min");
        }
        if !(self.satisfaction_gap > 0.0 && self.satisfaction_gap <= 100.0) {
            return bad("satisfaction_gap");
        }
        if !(1..=100_000).contains(&self.satisfaction_min_rated) {
            return bad("satisfaction_min_rated");
        }
        Ok(self)
    }
}

/// One return or redirection of a case: `department` is the one it was taken from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseMove {
    pub case_id: i64,
    pub ticket: String,
    pub department: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueCase {
    pub case_id: i64,
    pub ticket: String,
    pub department: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissedCheckIn {
    pub case_id: i64,
    pub ticket: String,
    pub department: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentRatings {
    pub department: String,
    pub rated: i64,
    pub satisfied: i64,
    pub basically_satisfied: i64,
}

impl DepartmentRatings {
    /// 满意率 in percent.
    pub fn rate(&self) -> f64 {
        if self.rated == 0 {
            return 0.0;
        }
        100.0 * (self.satisfied as f64 + 0.9 * self.basically_satisfied as f64) / self.rated as f64
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signal {
    pub kind: SignalKind,
    /// `kind:subject`, stable across reads.
    pub key: String,
    /// The department concerned, when one is.
    pub department: Option<String>,
    /// How much evidence: overdue cases, moves, missed check-ins, rated cases.
    pub count: usize,
    /// The cases it rests on: (id, ticket).
    pub cases: Vec<(i64, String)>,
    /// The test applied, in words (Chinese, English).
    pub test_zh: String,
    pub test_en: String,
}

/// The signals of one read, before the reviewed ones are taken out.
#[derive(Debug, Clone, Default)]
pub struct Signals(pub Vec<Signal>);

/// The median of `values` (0 for none).
pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

fn dedup_cases(mut v: Vec<(i64, String)>) -> Vec<(i64, String)> {
    v.sort();
    v.dedup();
    v
}

impl Signals {
    pub fn compute(
        t: &SignalThresholds,
        overdue: &[OverdueCase],
        moves: &[CaseMove],
        missed: &[MissedCheckIn],
        ratings: &[DepartmentRatings],
    ) -> Signals {
        let mut out = Vec::new();
        let mut by_dept: BTreeMap<&str, Vec<(i64, String)>> = BTreeMap::new();
        for o in overdue {
            by_dept
                .entry(o.department.as_str())
                .or_default()
                .push((o.case_id, o.ticket.clone()));
        }
        for (d, cases) in by_dept {
            let cases = dedup_cases(cases);
            if cases.len() >= t.overdue_min {
                out.push(Signal {
                    kind: SignalKind::RepeatedOverdue,
                    key: format!("repeated_overdue:{d}"),
                    department: Some(d.to_string()),
                    count: cases.len(),
                    cases,
                    test_zh: format!("近 {} 天超期案件不少于 {} 件", t.period_days, t.overdue_min),
                    test_en: format!(
                        "at least {} overdue cases in {} days",
                        t.overdue_min, t.period_days
                    ),
                });
            }
        }
        let mut by_case: BTreeMap<(i64, &str), Vec<Option<&str>>> = BTreeMap::new();
        for m in moves {
            by_case
                .entry((m.case_id, m.ticket.as_str()))
                .or_default()
                .push(m.department.as_deref());
        }
        for ((id, ticket), from) in by_case {
            if from.len() >= t.returns_min {
                out.push(Signal {
                    kind: SignalKind::PassedAround,
                    key: format!("passed_around:{ticket}"),
                    department: from.iter().flatten().next().map(|d| d.to_string()),
                    count: from.len(),
                    cases: vec![(id, ticket.to_string())],
                    test_zh: format!("同一案件回退或改派不少于 {} 次", t.returns_min),
                    test_en: format!("returned or redirected at least {} times", t.returns_min),
                });
            }
        }
        let mut by_dept: BTreeMap<&str, Vec<(i64, String)>> = BTreeMap::new();
        for m in missed {
            by_dept
                .entry(m.department.as_str())
                .or_default()
                .push((m.case_id, m.ticket.clone()));
        }
        for (d, cases) in by_dept {
            let count = cases.len();
            out.push(Signal {
                kind: SignalKind::MissedCheckIn,
                key: format!("missed_check_in:{d}"),
                department: Some(d.to_string()),
                count,
                cases: dedup_cases(cases),
                test_zh: "被吹哨后未在报到时限内报到".into(),
                test_en: "summoned and not checked in by the deadline".into(),
            });
        }
        let peers: Vec<&DepartmentRatings> = ratings
            .iter()
            .filter(|r| r.rated >= t.satisfaction_min_rated)
            .collect();
        let mut rates: Vec<f64> = peers.iter().map(|r| r.rate()).collect();
        let med = median(&mut rates);
        for r in peers {
            let rate = r.rate();
            if rate <= med - t.satisfaction_gap {
                out.push(Signal {
                    kind: SignalKind::LowSatisfaction,
                    key: format!("low_satisfaction:{}", r.department),
                    department: Some(r.department.clone()),
                    count: r.rated as usize,
                    cases: Vec::new(),
                    test_zh: format!(
                        "满意率 {rate:.1}%，比已评价不少于 {} 件的部门中位数 {med:.1}% 低 {:.1} 个百分点（阈值 {}）",
                        t.satisfaction_min_rated,
                        med - rate,
                        t.satisfaction_gap
                    ),
                    test_en: format!(
                        "satisfaction {rate:.1}%, {:.1} points below the median {med:.1}% of departments with at least {} rated cases (threshold {})",
                        med - rate,
                        t.satisfaction_min_rated,
                        t.satisfaction_gap
                    ),
                });
            }
        }
        Signals(out)
    }

    /// Without the signals already reviewed (key, evidence count at review) unless their
    /// evidence grew since.
    pub fn unreviewed(self, reviewed: &[(String, i64)]) -> Vec<Signal> {
        self.0
            .into_iter()
            .filter(|s| {
                !reviewed
                    .iter()
                    .any(|(k, n)| *k == s.key && s.count as i64 <= *n)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mv(id: i64, d: &str) -> CaseMove {
        CaseMove {
            case_id: id,
            ticket: format!("T{id}"),
            department: Some(d.into()),
        }
    }

    fn ratings(d: &str, rated: i64, satisfied: i64) -> DepartmentRatings {
        DepartmentRatings {
            department: d.into(),
            rated,
            satisfied,
            basically_satisfied: 0,
        }
    }

    #[test]
    fn a_case_returned_twice_is_passed_around() {
        let t = SignalThresholds::default();
        let once = Signals::compute(&t, &[], &[mv(1, "CG")], &[], &[]);
        assert!(once.0.is_empty());
        let twice = Signals::compute(&t, &[], &[mv(1, "CG"), mv(1, "ZJ"), mv(2, "CG")], &[], &[]);
        assert_eq!(twice.0.len(), 1);
        let s = &twice.0[0];
        assert_eq!(
            (s.kind, s.key.as_str(), s.count, s.department.as_deref()),
            (SignalKind::PassedAround, "passed_around:T1", 2, Some("CG"))
        );
        assert_eq!(s.kind.category(), "buck_passing");
        // Dismissed at two moves: gone; a third move brings it back.
        let reviewed = vec![("passed_around:T1".to_string(), 2)];
        assert!(twice.clone().unreviewed(&reviewed).is_empty());
        let thrice = Signals::compute(&t, &[], &[mv(1, "CG"), mv(1, "ZJ"), mv(1, "CG")], &[], &[]);
        assert_eq!(thrice.unreviewed(&reviewed).len(), 1);
    }

    #[test]
    fn overdue_missed_check_ins_and_low_satisfaction() {
        let t = SignalThresholds::default();
        let od = |id: i64, d: &str| OverdueCase {
            case_id: id,
            ticket: format!("T{id}"),
            department: d.into(),
        };
        let overdue = [
            od(1, "CG"),
            od(2, "CG"),
            od(3, "CG"),
            od(4, "ZJ"),
            od(5, "ZJ"),
        ];
        let missed = [MissedCheckIn {
            case_id: 9,
            ticket: "T9".into(),
            department: "ZJ".into(),
        }];
        // Median of CG 90, ZJ 85, HB 60 (≥ 20 rated each) is 85; HB is 25 below; XX has
        // too few rated cases to count or be flagged.
        let r = [
            ratings("CG", 20, 18),
            ratings("ZJ", 20, 17),
            ratings("HB", 20, 12),
            ratings("XX", 5, 0),
        ];
        let s = Signals::compute(&t, &overdue, &[], &missed, &r).0;
        let keys: Vec<&str> = s.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            vec![
                "repeated_overdue:CG",
                "missed_check_in:ZJ",
                "low_satisfaction:HB"
            ]
        );
        assert!(s[2].test_zh.contains("85.0%"), "{}", s[2].test_zh);
        assert_eq!(median(&mut [3.0, 1.0, 2.0, 4.0]), 2.5);
        assert!(
            SignalThresholds {
                returns_min: 0,
                ..t
            }
            .checked()
            .is_err()
        );
    }
}
