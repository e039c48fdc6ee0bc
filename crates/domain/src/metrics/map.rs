//! The dynamic map's rules (动态地图): which figure colours a grid, how the figures fall into
//! the legend's classes, and how finely cases are gathered into clusters at each zoom level.
//! The store counts; these functions decide what the counts mean on the map.

use super::{FollowUps, Weights, percent};

crate::labelled_enum! {
    /// The figure that colours each grid.
    pub enum MapMetric {
        /// Cases reported in the range (案件量).
        Volume = ("volume", "案件量", "Volume"),
        /// Cases reported in the range that are still open past their deadline (超期未办结).
        Overdue = ("overdue", "超期未办结", "Overdue"),
        /// 满意率 of the range's valid follow-ups.
        Satisfaction = ("satisfaction", "满意率", "Satisfaction"),
    }
}

/// What one grid's cases in the range add up to (the store's one aggregate query).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GridTally {
    pub cases: u64,
    /// Open (not closed) and past the current deadline.
    pub overdue_open: u64,
    pub follow_ups: FollowUps,
}

impl MapMetric {
    /// The grid's figure: a count, or 满意率 as a percentage (`None` without valid follow-ups,
    /// drawn grey: no figure is not a bad figure).
    pub fn value(self, t: &GridTally, w: &Weights) -> Option<f64> {
        match self {
            MapMetric::Volume => Some(t.cases as f64),
            MapMetric::Overdue => Some(t.overdue_open as f64),
            MapMetric::Satisfaction => t.follow_ups.satisfaction_rate(w).map(percent),
        }
    }

    /// Whether a larger figure is worse (counts of problems) or better (satisfaction): the
    /// legend's darkest red is always the worst class.
    pub fn higher_is_worse(self) -> bool {
        !matches!(self, MapMetric::Satisfaction)
    }
}

/// How many classes the legend has.
pub const CLASSES: usize = 5;

/// The legend: `CLASSES - 1` ascending breaks; a figure's class is how many breaks it reaches.
#[derive(Debug, Clone, PartialEq)]
pub struct Legend {
    pub breaks: Vec<f64>,
}

impl Legend {
    /// Breaks at the quantiles of the figures present (grids without a figure are left out), so
    /// that the colours separate the grids whatever the range: a quiet week and a busy quarter
    /// both use every class. Equal breaks collapse, leaving fewer classes.
    pub fn of(values: &[f64]) -> Legend {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        v.sort_by(f64::total_cmp);
        let mut breaks: Vec<f64> = Vec::new();
        if v.is_empty() {
            return Legend { breaks };
        }
        for k in 1..CLASSES {
            let b = v[(v.len() * k / CLASSES).min(v.len() - 1)];
            if breaks.last().is_none_or(|last| b > *last) && b > v[0] {
                breaks.push(b);
            }
        }
        Legend { breaks }
    }

    /// The class of a figure, 0 (lowest) to the number of breaks.
    pub fn class(&self, value: f64) -> usize {
        self.breaks.iter().filter(|b| value >= **b).count()
    }

    /// The class on the red scale (0 = best … `CLASSES - 1` = worst) for the metric: a low
    /// satisfaction is as red as a high volume. With fewer breaks the classes spread over the
    /// scale's ends.
    pub fn shade(&self, metric: MapMetric, value: f64) -> usize {
        let n = self.breaks.len();
        let c = self.class(value);
        let up = (c * (CLASSES - 1)).checked_div(n).unwrap_or(0);
        if metric.higher_is_worse() {
            up
        } else {
            CLASSES - 1 - up
        }
    }
}

/// Below this zoom level cases are gathered into clusters; from it on they are single points
/// (a street or a few blocks on a phone screen: a few hundred cases at most).
pub const POINTS_FROM_ZOOM: u8 = 16;

/// At most this many single points in one answer; more come back as clusters however far the
/// map is zoomed in, so that no answer carries millions of cases.
pub const MAX_POINTS: usize = 2_000;

/// Whether a box of `count` cases at `zoom` is drawn as single points (zoomed in and few
/// enough) or as clusters.
pub fn shows_points(zoom: u8, count: i64) -> bool {
    zoom >= POINTS_FROM_ZOOM && count <= MAX_POINTS as i64
}

/// The side of a cluster cell in degrees at a zoom level: about 60 screen pixels (a web
/// mercator tile is 256 px and 360°/2^z wide), so that clusters do not overlap on screen.
pub fn cluster_cell(zoom: u8) -> f64 {
    let z = zoom.min(22);
    360.0 / f64::from(1u32 << z) / 256.0 * 60.0
}

/// The heat map's cells are finer than the clusters: a smooth surface needs many samples, and
/// each sample is one row of a grouped query, not one case.
pub fn heat_cell(zoom: u8) -> f64 {
    cluster_cell(zoom) / 4.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Rating, Satisfaction};

    #[test]
    fn satisfaction_is_the_rate_of_the_grid_s_follow_ups() {
        let mut f = FollowUps::default();
        for s in [Satisfaction::Satisfied, Satisfaction::BasicallySatisfied] {
            f.add(&Rating {
                contacted: true,
                resolved: true,
                satisfaction: s,
            });
        }
        let t = GridTally {
            cases: 7,
            overdue_open: 2,
            follow_ups: f,
        };
        let w = Weights::default();
        assert_eq!(MapMetric::Volume.value(&t, &w), Some(7.0));
        assert_eq!(MapMetric::Overdue.value(&t, &w), Some(2.0));
        assert_eq!(MapMetric::Satisfaction.value(&t, &w), Some(95.0));
        assert_eq!(
            MapMetric::Satisfaction.value(&GridTally::default(), &w),
            None
        );
    }

    #[test]
    fn the_legend_spreads_the_grids_over_its_classes() {
        let values: Vec<f64> = (0..100).map(f64::from).collect();
        let l = Legend::of(&values);
        assert_eq!(l.breaks, vec![20.0, 40.0, 60.0, 80.0]);
        assert_eq!(l.class(0.0), 0);
        assert_eq!(l.class(99.0), 4);
        assert_eq!(l.shade(MapMetric::Volume, 99.0), 4);
        // A high satisfaction is the best (palest) class.
        assert_eq!(l.shade(MapMetric::Satisfaction, 99.0), 0);
        assert_eq!(l.shade(MapMetric::Satisfaction, 0.0), 4);
    }

    #[test]
    fn equal_figures_make_no_breaks_and_one_class() {
        let l = Legend::of(&[3.0, 3.0, 3.0]);
        assert!(l.breaks.is_empty());
        assert_eq!(l.shade(MapMetric::Volume, 3.0), 0);
        let l = Legend::of(&[0.0, 0.0, 0.0, 0.0, 9.0]);
        assert_eq!(l.breaks, vec![9.0]);
        assert_eq!(l.shade(MapMetric::Overdue, 9.0), 4);
        assert_eq!(l.shade(MapMetric::Overdue, 0.0), 0);
    }

    #[test]
    fn clusters_shrink_as_the_map_zooms_in() {
        assert!(cluster_cell(10) > cluster_cell(11));
        assert!((cluster_cell(11) / cluster_cell(12) - 2.0).abs() < 1e-9);
        // About a city block at zoom 15 (Suzhou: 0.001° ≈ 100 m).
        assert!((0.001..0.003).contains(&cluster_cell(15)));
        assert!(heat_cell(12) < cluster_cell(12));
    }

    #[test]
    fn points_only_when_zoomed_in_and_few() {
        assert!(!shows_points(POINTS_FROM_ZOOM - 1, 3));
        assert!(shows_points(POINTS_FROM_ZOOM, 3));
        assert!(!shows_points(18, MAX_POINTS as i64 + 1));
    }

    #[test]
    fn metrics_are_named() {
        assert_eq!(MapMetric::parse("满意率"), Some(MapMetric::Satisfaction));
        assert_eq!(MapMetric::parse("overdue"), Some(MapMetric::Overdue));
        assert_eq!(MapMetric::parse("x"), None);
    }
}
