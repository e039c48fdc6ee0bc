//! Recurrence (重复发生): cases of one category at the same place — within
//! `recurrence_radius_m` (50 m) of a seed case — at least `recurrence_min` (N) times within
//! `recurrence_days` (30). Greedy from the newest case: each case belongs to at most one
//! finding, so one place with twelve reports is one finding of twelve, not ten of three.
//! Neighbours are found through a grid of cells one radius wide, so a run costs about the
//! number of cases, not its square.

use super::{CaseFact, Evidence, Finding, FindingKind, Settings};
use crate::calendar::DAY_MS;
use crate::case::distance_m;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecurrenceEvidence {
    pub count: u64,
    pub radius_m: f64,
    pub days: u32,
    pub min: u32,
    /// The seed case's point: the place it recurs at.
    pub lon: f64,
    pub lat: f64,
    pub first_at: i64,
    pub last_at: i64,
}

/// Metres per degree of latitude (and of longitude at the equator).
const M_PER_DEG: f64 = 111_320.0;

fn cell(lon: f64, lat: f64, r: f64) -> (i64, i64) {
    let dlat = r / M_PER_DEG;
    // Cells one radius wide at this latitude; a cell of longitude is wider nearer the poles.
    let dlon = r / (M_PER_DEG * lat.to_radians().cos().max(0.01));
    ((lon / dlon).floor() as i64, (lat / dlat).floor() as i64)
}

pub fn find(cases: &[CaseFact], s: &Settings, now: i64) -> Vec<Finding> {
    let from = now - i64::from(s.recurrence_days) * DAY_MS;
    let r = s.recurrence_radius_m;
    let mut by_category: BTreeMap<&str, Vec<(&CaseFact, f64, f64)>> = BTreeMap::new();
    for c in cases
        .iter()
        .filter(|c| c.reported_at >= from && c.reported_at <= now)
    {
        if let (Some(lon), Some(lat)) = (c.lon, c.lat) {
            by_category
                .entry(c.category.as_str())
                .or_default()
                .push((c, lon, lat));
        }
    }
    let mut out = Vec::new();
    for (category, mut list) in by_category {
        if list.len() < s.recurrence_min as usize {
            continue;
        }
        list.sort_by(|a, b| {
            b.0.reported_at
                .cmp(&a.0.reported_at)
                .then(b.0.id.cmp(&a.0.id))
        });
        let mut cells: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        for (i, (_, lon, lat)) in list.iter().enumerate() {
            cells.entry(cell(*lon, *lat, r)).or_default().push(i);
        }
        let mut taken = vec![false; list.len()];
        for seed in 0..list.len() {
            if taken[seed] {
                continue;
            }
            let (_, slon, slat) = list[seed];
            let (cx, cy) = cell(slon, slat, r);
            let mut near = Vec::new();
            for dx in -1..=1 {
                for dy in -1..=1 {
                    for &j in cells.get(&(cx + dx, cy + dy)).into_iter().flatten() {
                        let (_, lon, lat) = list[j];
                        if !taken[j] && distance_m(slon, slat, lon, lat) <= r {
                            near.push(j);
                        }
                    }
                }
            }
            if near.len() < s.recurrence_min as usize {
                continue;
            }
            for &j in &near {
                taken[j] = true;
            }
            let members: Vec<&CaseFact> = near.iter().map(|&j| list[j].0).collect();
            let first_at = members.iter().map(|c| c.reported_at).min().unwrap_or(now);
            let last_at = members.iter().map(|c| c.reported_at).max().unwrap_or(now);
            let seed_case = list[seed].0;
            out.push(Finding {
                kind: FindingKind::Recurrence,
                key: format!("recurrence/{category}/{}", seed_case.id),
                place: seed_case.community,
                grid: seed_case.grid,
                category: Some(category.to_string()),
                department: super::main_department(members.iter().copied()),
                score: members.len() as f64,
                evidence: Evidence::Recurrence(RecurrenceEvidence {
                    count: members.len() as u64,
                    radius_m: r,
                    days: s.recurrence_days,
                    min: s.recurrence_min,
                    lon: slon,
                    lat: slat,
                    first_at,
                    last_at,
                }),
                cases: super::newest_first(members),
            });
        }
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.key.cmp(&b.key)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::test_support::{NOW, case_at, grid};

    fn at(id: i64, category: &str, lon: f64, lat: f64, days_ago: i64) -> CaseFact {
        CaseFact {
            lon: Some(lon),
            lat: Some(lat),
            ..case_at(id, category, grid(1), NOW - days_ago * DAY_MS)
        }
    }

    #[test]
    fn three_reports_within_fifty_metres_recur_and_further_ones_do_not() {
        let s = Settings::default();
        // ~0.0001° of latitude is 11 m.
        let cases = vec![
            at(1, "road", 120.6, 31.3, 1),
            at(2, "road", 120.6, 31.3002, 5),
            at(3, "road", 120.6002, 31.3, 20),
            // The same place, another category: no.
            at(4, "light", 120.6, 31.3, 2),
            at(5, "light", 120.6, 31.3001, 3),
            // Three more road reports 300 m away, one of them 40 days ago: no.
            at(6, "road", 120.6, 31.3027, 1),
            at(7, "road", 120.6, 31.3027, 2),
            at(8, "road", 120.6, 31.3027, 40),
        ];
        let found = find(&cases, &s, NOW);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].cases, vec![1, 2, 3]);
        let Evidence::Recurrence(e) = &found[0].evidence else {
            panic!()
        };
        assert_eq!(e.count, 3);
        // N is a setting.
        let s2 = Settings {
            recurrence_min: 2,
            ..s
        };
        assert_eq!(find(&cases, &s2, NOW).len(), 3);
    }

    #[test]
    fn one_place_with_many_reports_is_one_finding() {
        let s = Settings::default();
        let cases: Vec<_> = (0..12)
            .map(|i| at(i, "road", 120.6 + i as f64 * 0.00001, 31.3, i))
            .collect();
        let found = find(&cases, &s, NOW);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].cases.len(), 12);
    }
}
