//! Coverage (联户覆盖): per grid, how many households a red grid member serves and how many have
//! none, and how many members serve fewer or more households than the bounds; summed per
//! community and in total. The table, the workbook and the map layer all read these numbers.

use serde::Serialize;

use super::{LinkSettings, Load};
use crate::codes::{AreaCode, GridCode};

/// One red grid member and the households it serves now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberLoad {
    pub role_id: i64,
    pub name: String,
    pub households: u32,
}

/// What the store counts for one grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridCounts {
    pub grid: GridCode,
    pub households: u32,
    /// Households with a red grid member now (each counted once).
    pub linked: u32,
    pub members: Vec<MemberLoad>,
}

/// Sums of any set of grids.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct CoverageTotals {
    pub households: u32,
    pub linked: u32,
    /// Households with no red grid member.
    pub unlinked: u32,
    pub red_members: u32,
    /// Members serving fewer households than the minimum.
    pub below_min: u32,
    /// Members serving more than the maximum (after the maximum was lowered).
    pub above_max: u32,
    /// linked / households in percent, two decimals; `None` without households.
    pub percent: Option<f64>,
}

impl CoverageTotals {
    pub fn out_of_range(&self) -> u32 {
        self.below_min + self.above_max
    }

    fn add(&mut self, o: &CoverageTotals) {
        self.households += o.households;
        self.linked += o.linked;
        self.unlinked += o.unlinked;
        self.red_members += o.red_members;
        self.below_min += o.below_min;
        self.above_max += o.above_max;
        self.percent = percent(self.linked, self.households);
    }

    /// The sums of `rows`.
    pub fn of<'a>(rows: impl IntoIterator<Item = &'a CoverageTotals>) -> CoverageTotals {
        let mut t = CoverageTotals::default();
        for r in rows {
            t.add(r);
        }
        t
    }
}

/// One grid's coverage, with each member's load.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridCoverage {
    pub grid: GridCode,
    pub community: AreaCode,
    #[serde(flatten)]
    pub totals: CoverageTotals,
    pub members: Vec<(MemberLoad, Load)>,
}

fn percent(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| (f64::from(part) * 10_000.0 / f64::from(whole)).round() / 100.0)
}

/// Each grid's coverage under the bounds `s`, in the order given.
pub fn coverage(grids: &[GridCounts], s: &LinkSettings) -> Vec<GridCoverage> {
    grids
        .iter()
        .map(|g| {
            let members: Vec<(MemberLoad, Load)> = g
                .members
                .iter()
                .map(|m| (m.clone(), s.load(m.households)))
                .collect();
            let count = |l: Load| members.iter().filter(|(_, x)| *x == l).count() as u32;
            let linked = g.linked.min(g.households);
            GridCoverage {
                grid: g.grid,
                community: g.grid.community(),
                totals: CoverageTotals {
                    households: g.households,
                    linked,
                    unlinked: g.households - linked,
                    red_members: members.len() as u32,
                    below_min: count(Load::Below),
                    above_max: count(Load::Above),
                    percent: percent(linked, g.households),
                },
                members,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(code: &str, households: u32, loads: &[u32]) -> GridCounts {
        GridCounts {
            grid: GridCode::parse(code).unwrap(),
            households,
            linked: loads.iter().sum(),
            members: loads
                .iter()
                .enumerate()
                .map(|(i, n)| MemberLoad {
                    role_id: i as i64,
                    name: format!("网格员{i}"),
                    households: *n,
                })
                .collect(),
        }
    }

    #[test]
    fn gaps_and_members_out_of_range_per_grid_and_in_total() {
        let s = LinkSettings::default();
        let rows = coverage(
            &[
                counts("320508019044001", 20, &[10, 10]),
                counts("320508019044002", 30, &[8, 3]),
                counts("320508019045001", 12, &[]),
            ],
            &s,
        );
        assert_eq!(rows[0].totals.unlinked, 0);
        assert_eq!(rows[0].totals.percent, Some(100.0));
        assert_eq!(rows[1].totals.unlinked, 19);
        assert_eq!(rows[1].totals.below_min, 1);
        assert_eq!(rows[1].totals.percent, Some(36.67));
        assert_eq!(rows[1].members[1].1, Load::Below);
        assert_eq!(rows[2].totals.red_members, 0);
        assert_eq!(rows[2].totals.percent, Some(0.0));
        let community: Vec<_> = rows
            .iter()
            .filter(|r| r.community.as_str() == "320508019044")
            .map(|r| &r.totals)
            .collect();
        let c = CoverageTotals::of(community);
        assert_eq!(
            (c.households, c.linked, c.unlinked, c.red_members),
            (50, 31, 19, 4)
        );
        assert_eq!(c.percent, Some(62.0));
        let all = CoverageTotals::of(rows.iter().map(|r| &r.totals));
        assert_eq!(
            (all.households, all.unlinked, all.out_of_range()),
            (62, 31, 1)
        );
        let lowered = coverage(
            &[counts("320508019044001", 20, &[10, 10])],
            &LinkSettings::checked(5, 8).unwrap(),
        );
        assert_eq!(lowered[0].totals.above_max, 2);
        assert_eq!(
            coverage(&[counts("320508019044001", 0, &[])], &s)[0]
                .totals
                .percent,
            None
        );
    }
}
