//! The planted findings (decision 037): the diagnosis, run by the domain over 90 days of demo
//! cases ending now, finds every planted hotspot and recurrence; what else it finds is counted.

use std::collections::{BTreeMap, BTreeSet};

use gongzhi_domain::calendar::{DAY_MS, HOUR_MS, start_of};
use gongzhi_domain::case::Event;
use gongzhi_domain::diagnosis::{
    self, CaseFact, CaseMoves, CellCount, FindingKind, Inputs, Move, MoveKind, Settings,
};
use gongzhi_domain::metrics::CaseFacts;
use gongzhi_store::CaseHistory;

use super::*;

fn ninety_days(total: u64) -> (Vec<CaseHistory>, Plants, i64) {
    let city = generate(500, 3);
    let mut year = crate::tests_city::year(&city);
    let first = year.first_day;
    year.horizon = start_of(first) + 89 * DAY_MS + 15 * HOUR_MS;
    let mut year = year.window(90);
    let plans = year.plan(total, 1);
    let plants = year.plant(&plans);
    let mut out = Vec::new();
    for p in &plans {
        let times = year.report_times(p);
        for i in 0..p.count {
            out.push(year.case(p.first_id + i64::from(i), i + 1, times[i as usize]));
        }
    }
    (out, plants, year.horizon)
}

/// What the store reads for a run, built from the histories instead.
fn inputs(cases: &[CaseHistory], s: &Settings, now: i64) -> Inputs {
    let from = diagnosis::cases_from(s, now);
    let (b_from, b_to) = (
        diagnosis::baseline_from(s, now),
        now - i64::from(s.hotspot_window_days) * DAY_MS,
    );
    let mut baseline: BTreeMap<(GridCode, String), u64> = BTreeMap::new();
    let mut out = Inputs::default();
    for h in cases {
        if h.reported_at >= b_from
            && h.reported_at < b_to
            && let Some(g) = h.case.grid
        {
            *baseline.entry((g, h.case.category.clone())).or_default() += 1;
        }
        if h.reported_at < from {
            continue;
        }
        out.cases.push(CaseFact {
            id: h.case.id,
            category: h.case.category.clone(),
            community: h.case.community,
            grid: h.case.grid,
            department: h.case.department.clone(),
            lon: h.details.lon,
            lat: h.details.lat,
            reported_at: h.reported_at,
            facts: CaseFacts::of(&h.case),
            rating: h.case.rating,
        });
        let moves: Vec<Move> = h
            .events
            .iter()
            .filter_map(|(e, _, at)| {
                let (kind, department) = match e {
                    Event::Dispatched { department, .. } => {
                        (MoveKind::Dispatched, department.clone())
                    }
                    Event::Returned { department, .. } => (MoveKind::Returned, department.clone()),
                    Event::Redirected { to, .. } => (MoveKind::Redirected, Some(to.clone())),
                    _ => return None,
                };
                Some(Move {
                    kind,
                    department,
                    at: *at,
                })
            })
            .collect();
        if !moves.is_empty() {
            out.moves.push(CaseMoves {
                case_id: h.case.id,
                moves,
            });
        }
    }
    out.baseline = baseline
        .into_iter()
        .map(|((grid, category), count)| CellCount {
            grid,
            category,
            count,
        })
        .collect();
    out
}

#[test]
fn the_diagnosis_finds_every_planted_hotspot_and_recurrence() {
    let (cases, plants, horizon) = ninety_days(4_000);
    assert_eq!(plants.hotspots.len(), crate::plants::HOTSPOTS);
    assert_eq!(plants.recurrences.len(), crate::plants::RECURRENCES);
    // The planted cases are reported as planted.
    let by_id: BTreeMap<i64, &CaseHistory> = cases.iter().map(|h| (h.case.id, h)).collect();
    for p in &plants.hotspots {
        assert_eq!(p.cases.len(), crate::plants::HOTSPOT_CASES);
        for id in &p.cases {
            let h = by_id[id];
            assert_eq!(h.case.category, p.category);
            assert_eq!(h.case.grid.unwrap().as_str(), p.grid);
        }
    }
    let s = Settings::default();
    let now = horizon + 60_000;
    let findings = diagnosis::diagnose(&inputs(&cases, &s, now), &s, now);
    let of = |k: FindingKind| findings.iter().filter(move |f| f.kind == k);
    let found_h = plants
        .hotspots
        .iter()
        .filter(|p| {
            of(FindingKind::Hotspot).any(|f| {
                f.grid.map(|g| g.as_str().to_string()) == Some(p.grid.clone())
                    && f.category.as_deref() == Some(p.category.as_str())
            })
        })
        .count();
    let unplanted_h = of(FindingKind::Hotspot).count() - found_h;
    let found_r = plants
        .recurrences
        .iter()
        .filter(|p| {
            let mine: BTreeSet<i64> = p.cases.iter().copied().collect();
            of(FindingKind::Recurrence)
                .any(|f| f.cases.iter().filter(|c| mine.contains(c)).count() >= 3)
        })
        .count();
    let planted: BTreeSet<i64> = plants
        .hotspots
        .iter()
        .flat_map(|p| p.cases.iter().copied())
        .chain(
            plants
                .recurrences
                .iter()
                .flat_map(|p| p.cases.iter().copied()),
        )
        .collect();
    let unplanted_r = of(FindingKind::Recurrence)
        .filter(|f| f.cases.iter().filter(|c| planted.contains(c)).count() < 3)
        .count();
    println!(
        "hotspots found {found_h}/{} ({unplanted_h} unplanted); recurrences found {found_r}/{} \
         ({unplanted_r} from unplanted cases)",
        plants.hotspots.len(),
        plants.recurrences.len()
    );
    assert_eq!(found_h, plants.hotspots.len());
    assert_eq!(found_r, plants.recurrences.len());
    assert!(unplanted_h <= 1, "{unplanted_h} unplanted hotspots");
    assert!(of(FindingKind::MonthlyTopic).count() > 0);
}
