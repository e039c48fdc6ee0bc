//! Hotspots (热点): for each grid × category, the count `k` in the recent window against its
//! own baseline — the count `b` in the `baseline_weeks` before the window. Expected count
//! λ = (b + 0.5) × window / baseline days (the half case keeps a cell never seen before from
//! having λ = 0, so that one report there is no "infinitely" significant burst). The cell is
//! tested when k ≥ `hotspot_min_count`; it is a hotspot when k ≥ `hotspot_min_ratio` × λ and
//! the Poisson upper tail P(X ≥ k | λ) ≤ α / m, m the number of cells tested (Bonferroni: the
//! chance of any false hotspot among them is at most α).

use super::{CaseFact, CellCount, Evidence, Finding, FindingKind, Settings};
use crate::calendar::DAY_MS;
use crate::codes::GridCode;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HotspotEvidence {
    /// Cases in the recent window.
    pub count: u64,
    pub window_days: u32,
    /// Cases in the baseline weeks before it.
    pub baseline: u64,
    pub baseline_days: u32,
    /// λ: the count the baseline leads one to expect in the window.
    pub expected: f64,
    /// P(X ≥ count | λ).
    pub p_value: f64,
    /// α / m: what the p-value had to be at most.
    pub threshold: f64,
    pub alpha: f64,
    /// m: the cells tested in this run.
    pub cells_tested: u64,
}

pub fn find(cases: &[CaseFact], baseline: &[CellCount], s: &Settings, now: i64) -> Vec<Finding> {
    let from = now - i64::from(s.hotspot_window_days) * DAY_MS;
    let mut recent: BTreeMap<(GridCode, &str), Vec<&CaseFact>> = BTreeMap::new();
    for c in cases
        .iter()
        .filter(|c| c.reported_at >= from && c.reported_at <= now)
    {
        if let Some(g) = c.grid {
            recent.entry((g, c.category.as_str())).or_default().push(c);
        }
    }
    let base: HashMap<(GridCode, &str), u64> = baseline
        .iter()
        .map(|b| ((b.grid, b.category.as_str()), b.count))
        .collect();
    let baseline_days = 7 * s.baseline_weeks;
    let scale = f64::from(s.hotspot_window_days) / f64::from(baseline_days);
    let tested: Vec<_> = recent
        .into_iter()
        .filter(|(_, v)| v.len() as u64 >= u64::from(s.hotspot_min_count))
        .collect();
    let m = tested.len() as u64;
    let threshold = s.alpha / m.max(1) as f64;
    let mut out = Vec::new();
    for ((grid, category), list) in tested {
        let k = list.len() as u64;
        let b = base.get(&(grid, category)).copied().unwrap_or(0);
        let expected = (b as f64 + 0.5) * scale;
        if (k as f64) < s.hotspot_min_ratio * expected {
            continue;
        }
        let p = super::poisson::upper_tail(k, expected);
        if p > threshold {
            continue;
        }
        out.push(Finding {
            kind: FindingKind::Hotspot,
            key: format!("hotspot/{grid}/{category}"),
            place: Some(grid.community()),
            grid: Some(grid),
            category: Some(category.to_string()),
            department: super::main_department(list.iter().copied()),
            // −log10 p: the stronger the evidence, the higher.
            score: -p.max(f64::MIN_POSITIVE).log10(),
            evidence: Evidence::Hotspot(HotspotEvidence {
                count: k,
                window_days: s.hotspot_window_days,
                baseline: b,
                baseline_days,
                expected,
                p_value: p,
                threshold,
                alpha: s.alpha,
                cells_tested: m,
            }),
            cases: super::newest_first(list),
        });
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.key.cmp(&b.key)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::test_support::{NOW, case_at, grid};

    #[test]
    fn a_burst_over_a_quiet_baseline_is_a_hotspot_and_steady_cells_are_not() {
        let s = Settings::default();
        let mut cases = Vec::new();
        // 9 road cases in grid 1 over the last week, where the baseline saw 1 in 8 weeks.
        for i in 0..9 {
            cases.push(case_at(i, "road", grid(1), NOW - (i + 1) * DAY_MS / 2));
        }
        // Grid 2: 6 in the window, steady at 24 in the baseline (expected 6.1): no hotspot.
        for i in 0..6 {
            cases.push(case_at(100 + i, "road", grid(2), NOW - (i + 1) * DAY_MS));
        }
        // Grid 3: 3 in the window, under the minimum count: not even tested.
        for i in 0..3 {
            cases.push(case_at(200 + i, "light", grid(3), NOW - DAY_MS));
        }
        let baseline = vec![
            CellCount {
                grid: grid(1),
                category: "road".into(),
                count: 1,
            },
            CellCount {
                grid: grid(2),
                category: "road".into(),
                count: 24,
            },
        ];
        let found = find(&cases, &baseline, &s, NOW);
        assert_eq!(found.len(), 1, "{found:?}");
        let f = &found[0];
        assert_eq!(f.grid, Some(grid(1)));
        assert_eq!(f.cases.len(), 9);
        assert_eq!(f.cases[0], 0, "newest first");
        let Evidence::Hotspot(e) = &f.evidence else {
            panic!("hotspot evidence")
        };
        assert_eq!((e.count, e.baseline, e.cells_tested), (9, 1, 2));
        assert!((e.expected - 1.5 * 14.0 / 56.0).abs() < 1e-12);
        assert!(e.p_value < e.threshold && (e.threshold - 0.005).abs() < 1e-12);
    }

    #[test]
    fn cases_outside_the_window_do_not_count() {
        let s = Settings::default();
        let cases: Vec<_> = (0..9)
            .map(|i| case_at(i, "road", grid(1), NOW - 20 * DAY_MS))
            .collect();
        assert!(find(&cases, &[], &s, NOW).is_empty());
    }
}
