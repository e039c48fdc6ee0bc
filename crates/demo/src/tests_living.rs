//! The living demo: 90 days of cases ending now, with every state and every side road.

use std::collections::{BTreeMap, BTreeSet};

use gongzhi_domain::calendar::{DAY_MS, HOUR_MS, date_of, start_of};
use gongzhi_domain::case::{CaseState, Event};
use gongzhi_store::CaseHistory;

use super::*;

/// 90 days ending at 15:00 on the last day, `total` cases, as `gongzhi serve --demo` makes them.
fn ninety_days(total: u64) -> Vec<CaseHistory> {
    let city = generate(500, 3);
    let mut year = crate::tests_city::year(&city);
    let first = year.first_day;
    year.horizon = start_of(first) + 89 * DAY_MS + 15 * HOUR_MS;
    let year = year.window(90).reported_by(7);
    let mut out = Vec::new();
    for p in year.plan(total, 1) {
        let times = year.report_times(&p);
        for i in 0..p.count {
            out.push(year.case(p.first_id + i64::from(i), i + 1, times[i as usize]));
        }
    }
    out
}

#[test]
fn ninety_days_of_cases_have_every_state_and_every_side_road() {
    let cases = ninety_days(6_000);
    assert_eq!(cases.len(), 6_000);
    let horizon_day = date_of(cases.last().unwrap().reported_at);
    let mut states: BTreeMap<&str, usize> = BTreeMap::new();
    for h in &cases {
        h.case
            .check()
            .unwrap_or_else(|e| panic!("case {}: {e}", h.case.id));
        *states.entry(h.case.state.as_str()).or_default() += 1;
    }
    for s in CaseState::ALL {
        if s != CaseState::Merged {
            assert!(states.contains_key(s.as_str()), "no {s:?}: {states:?}");
        }
    }
    let count = |f: &dyn Fn(&CaseHistory) -> bool| cases.iter().filter(|h| f(h)).count();
    let has = |h: &CaseHistory, f: fn(&Event) -> bool| h.events.iter().any(|e| f(&e.0));
    let open_overdue = count(&|h| h.case.state.is_open() && h.case.overdue);
    let escalated = count(&|h| has(h, |e| matches!(e, Event::Escalated { .. })));
    let reworked = count(&|h| has(h, |e| matches!(e, Event::Reworked { .. })));
    let returned = count(&|h| has(h, |e| matches!(e, Event::Returned { .. })));
    let deferred = count(&|h| has(h, |e| matches!(e, Event::Deferred { .. })));
    let whistled = count(&|h| !h.case.whistles.is_empty());
    let today = count(&|h| date_of(h.reported_at) == horizon_day);
    let own = count(&|h| h.case.reporter == Some(7));
    for (what, n) in [
        ("open and overdue", open_overdue),
        ("escalated", escalated),
        ("reworked", reworked),
        ("returned", returned),
        ("deferred", deferred),
        ("whistled", whistled),
        ("reported today", today),
        ("reported by the demo resident", own),
    ] {
        assert!(n > 0, "no case {what}: {states:?}");
    }
    // Whistles in every stage: parts still waiting, checked in, and done.
    let parts: Vec<_> = cases
        .iter()
        .flat_map(|h| h.case.whistles.iter().flat_map(|w| w.parts.iter()))
        .collect();
    assert!(parts.iter().any(|p| p.arrived.is_some() && p.is_open()));
    assert!(parts.iter().any(|p| !p.is_open()));
    assert!(
        parts.iter().any(|p| p.acknowledged.is_none()) || parts.iter().any(|p| p.arrived.is_none())
    );
    // A mix of satisfaction among the rated.
    let satisfactions: BTreeSet<_> = cases
        .iter()
        .filter_map(|h| h.case.rating.map(|r| format!("{:?}", r.satisfaction)))
        .collect();
    assert_eq!(satisfactions.len(), 3, "{satisfactions:?}");
    // Nothing happens at or after the horizon.
    let horizon = start_of(horizon_day) + 15 * HOUR_MS;
    assert!(cases.iter().all(|h| h.events.iter().all(|e| e.2 < horizon)));
}

#[test]
fn the_living_demo_is_deterministic() {
    let a = ninety_days(600);
    let b = ninety_days(600);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.case, y.case);
        assert_eq!(x.events.len(), y.events.len());
    }
}
