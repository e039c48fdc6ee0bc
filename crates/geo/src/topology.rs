//! Topology checks of unit grids against each other and against their community boundaries.
//!
//! - **Overlap**: two grids whose interiors intersect by more than [`MIN_AREA_M2`] (shared edges
//!   and float slivers along them are ignored).
//! - **Outside**: a grid whose part outside its community's boundary exceeds [`MIN_AREA_M2`].
//!   A grid's community is the first 12 digits of its code.
//! - **Gap**: the part of a community's boundary not covered by the union of its grids; only
//!   pieces larger than [`MIN_AREA_M2`] count.
//!
//! Communities without a boundary in the map cannot be checked for "outside" or gaps; they are
//! listed in [`TopologyReport::unchecked_communities`] (informational, not a refusal).
//! Geometry work uses geo's `BooleanOps`; areas are geodesic (WGS84) in m².

use std::collections::{BTreeMap, BTreeSet, HashMap};

use geo::orient::Direction;
use geo::{BooleanOps, MultiPolygon, Orient, unary_union};
use gongzhi_domain::Bilingual;
use gongzhi_domain::codes::{AreaCode, GridCode};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, RTreeObject};

use crate::{GridShape, area_m2};

/// Findings at or below this area (m²) are float noise, not topology errors.
pub const MIN_AREA_M2: f64 = 1.0;

/// Two grids overlapping. `a < b`.
#[derive(Clone, Debug, PartialEq)]
pub struct Overlap {
    pub a: GridCode,
    pub b: GridCode,
    pub area_m2: f64,
}

/// A grid (partly) outside its community's boundary.
#[derive(Clone, Debug, PartialEq)]
pub struct Outside {
    pub grid: GridCode,
    pub community: AreaCode,
    /// Area of the grid lying outside the boundary.
    pub area_m2: f64,
}

/// Area of a community not covered by any of its grids.
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    pub community: AreaCode,
    /// Total area of the uncovered pieces larger than [`MIN_AREA_M2`].
    pub area_m2: f64,
    /// Number of such pieces.
    pub pieces: usize,
}

/// Result of [`check`]. Every list is sorted by code.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TopologyReport {
    pub overlaps: Vec<Overlap>,
    pub outside: Vec<Outside>,
    pub gaps: Vec<Gap>,
    /// Communities of the checked grids that have no boundary in the map.
    pub unchecked_communities: Vec<AreaCode>,
}

impl TopologyReport {
    /// Whether the grids may be accepted: overlaps and grids outside their community always
    /// refuse; gaps refuse unless `allow_gaps`.
    pub fn is_ok(&self, allow_gaps: bool) -> bool {
        self.overlaps.is_empty() && self.outside.is_empty() && (allow_gaps || self.gaps.is_empty())
    }

    /// The refusal to return to the user, or `None` when [`TopologyReport::is_ok`].
    pub fn refusal(&self, allow_gaps: bool) -> Option<TopologyError> {
        if self.is_ok(allow_gaps) {
            return None;
        }
        let mut report = self.clone();
        if allow_gaps {
            report.gaps.clear();
        }
        Some(TopologyError { report })
    }

    /// One line per finding, Chinese.
    pub fn lines_zh(&self) -> Vec<String> {
        let mut out = Vec::new();
        for o in &self.overlaps {
            out.push(format!(
                "网格 {} 与网格 {} 重叠 {:.1} 平方米",
                o.a, o.b, o.area_m2
            ));
        }
        for o in &self.outside {
            out.push(format!(
                "网格 {} 有 {:.1} 平方米超出所属社区 {} 的边界",
                o.grid, o.area_m2, o.community
            ));
        }
        for g in &self.gaps {
            out.push(format!(
                "社区 {} 有 {:.1} 平方米（{} 处）未被网格覆盖",
                g.community, g.area_m2, g.pieces
            ));
        }
        out
    }

    /// One line per finding, English.
    pub fn lines_en(&self) -> Vec<String> {
        let mut out = Vec::new();
        for o in &self.overlaps {
            out.push(format!(
                "grids {} and {} overlap by {:.1} m²",
                o.a, o.b, o.area_m2
            ));
        }
        for o in &self.outside {
            out.push(format!(
                "grid {} lies {:.1} m² outside the boundary of its community {}",
                o.grid, o.area_m2, o.community
            ));
        }
        for g in &self.gaps {
            out.push(format!(
                "community {} has {:.1} m² ({} pieces) not covered by any grid",
                g.community, g.area_m2, g.pieces
            ));
        }
        out
    }
}

/// Grids refused for their topology; the message lists every refusing finding.
#[derive(Clone, Debug, PartialEq)]
pub struct TopologyError {
    pub report: TopologyReport,
}

impl Bilingual for TopologyError {
    fn code(&self) -> &'static str {
        if !self.report.overlaps.is_empty() {
            "grid_overlap"
        } else if !self.report.outside.is_empty() {
            "grid_outside_community"
        } else {
            "grid_gap"
        }
    }

    fn message_zh(&self) -> String {
        format!("网格拓扑检查未通过：{}", self.report.lines_zh().join("；"))
    }

    fn message_en(&self) -> String {
        format!(
            "grid topology check failed: {}",
            self.report.lines_en().join("; ")
        )
    }
}

impl std::fmt::Display for TopologyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for TopologyError {}

/// Checks the grids against each other and against `communities` (boundaries by community code).
pub fn check(
    grids: &[GridShape],
    communities: &HashMap<AreaCode, MultiPolygon<f64>>,
) -> TopologyReport {
    // Boolean ops and unions expect consistent winding: exterior counter-clockwise.
    let shapes: Vec<MultiPolygon<f64>> = grids
        .iter()
        .map(|g| g.polygon.orient(Direction::Default))
        .collect();
    let boundaries: HashMap<AreaCode, MultiPolygon<f64>> = communities
        .iter()
        .map(|(code, b)| (*code, b.orient(Direction::Default)))
        .collect();

    let mut report = TopologyReport {
        overlaps: overlaps(grids, &shapes),
        ..TopologyReport::default()
    };

    let mut by_community: BTreeMap<AreaCode, Vec<usize>> = BTreeMap::new();
    for (i, g) in grids.iter().enumerate() {
        by_community.entry(g.code.community()).or_default().push(i);
    }
    let mut unchecked = BTreeSet::new();
    for (community, members) in &by_community {
        let Some(boundary) = boundaries.get(community) else {
            unchecked.insert(*community);
            continue;
        };
        for &i in members {
            let outside = area_m2(&shapes[i].difference(boundary));
            if outside > MIN_AREA_M2 {
                report.outside.push(Outside {
                    grid: grids[i].code,
                    community: *community,
                    area_m2: outside,
                });
            }
        }
    }
    report.unchecked_communities = unchecked.into_iter().collect();

    let mut communities_sorted: Vec<&AreaCode> = boundaries.keys().collect();
    communities_sorted.sort();
    for community in communities_sorted {
        let boundary = &boundaries[community];
        let members = by_community
            .get(community)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let uncovered = if members.is_empty() {
            boundary.clone()
        } else {
            let union = unary_union(members.iter().map(|&i| &shapes[i]));
            boundary.difference(&union)
        };
        let mut area = 0.0;
        let mut pieces = 0;
        for piece in uncovered {
            let a = area_m2(&MultiPolygon::new(vec![piece]));
            if a > MIN_AREA_M2 {
                area += a;
                pieces += 1;
            }
        }
        if pieces > 0 {
            report.gaps.push(Gap {
                community: *community,
                area_m2: area,
                pieces,
            });
        }
    }

    report.outside.sort_by_key(|x| x.grid);
    report
}

fn overlaps(grids: &[GridShape], shapes: &[MultiPolygon<f64>]) -> Vec<Overlap> {
    let entries: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = grids
        .iter()
        .enumerate()
        .filter_map(|(i, g)| {
            g.bbox().map(|r| {
                GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i,
                )
            })
        })
        .collect();
    let tree = RTree::bulk_load(entries.clone());
    let mut out = Vec::new();
    for entry in &entries {
        let i = entry.data;
        for other in tree.locate_in_envelope_intersecting(entry.geom().envelope()) {
            let j = other.data;
            if j <= i {
                continue;
            }
            let area = area_m2(&shapes[i].intersection(&shapes[j]));
            if area > MIN_AREA_M2 {
                let (a, b) = if grids[i].code <= grids[j].code {
                    (grids[i].code, grids[j].code)
                } else {
                    (grids[j].code, grids[i].code)
                };
                out.push(Overlap {
                    a,
                    b,
                    area_m2: area,
                });
            }
        }
    }
    out.sort_by_key(|x| (x.a, x.b));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon};

    const COMMUNITY: &str = "320508019044";

    fn community() -> AreaCode {
        AreaCode::parse(COMMUNITY).unwrap()
    }

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
        let ring = LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]);
        MultiPolygon::new(vec![Polygon::new(ring, vec![])])
    }

    fn grid(seq: u16, shape: MultiPolygon<f64>) -> GridShape {
        GridShape::new(
            GridCode::new(community(), seq).unwrap(),
            format!("第{seq}网格"),
            shape,
        )
    }

    /// Two 0.01° × 0.01° grids side by side, exactly tiling the community.
    fn tiled() -> (Vec<GridShape>, HashMap<AreaCode, MultiPolygon<f64>>) {
        let grids = vec![
            grid(1, rect(120.60, 31.30, 120.61, 31.31)),
            grid(2, rect(120.61, 31.30, 120.62, 31.31)),
        ];
        let mut map = HashMap::new();
        map.insert(community(), rect(120.60, 31.30, 120.62, 31.31));
        (grids, map)
    }

    #[test]
    fn exact_tiling_is_clean() {
        let (grids, map) = tiled();
        let report = check(&grids, &map);
        assert_eq!(report, TopologyReport::default());
        assert!(report.is_ok(false));
        assert!(report.refusal(false).is_none());
    }

    #[test]
    fn clockwise_rings_are_handled() {
        let (mut grids, map) = tiled();
        grids[1].polygon = grids[1].polygon.orient(Direction::Reversed);
        let report = check(&grids, &map);
        assert!(report.is_ok(false), "{report:?}");
    }

    #[test]
    fn overlap_is_reported_with_both_codes_and_area() {
        let (mut grids, map) = tiled();
        // Grid 2 starts 0.001° further west: a 0.001° × 0.01° overlap ≈ 95 m × 1109 m.
        grids[1] = grid(2, rect(120.609, 31.30, 120.62, 31.31));
        let report = check(&grids, &map);
        assert_eq!(report.overlaps.len(), 1);
        let o = &report.overlaps[0];
        assert_eq!(o.a.as_str(), "320508019044001");
        assert_eq!(o.b.as_str(), "320508019044002");
        assert!((o.area_m2 - 105_500.0).abs() < 1_500.0, "{}", o.area_m2);
        assert!(report.outside.is_empty() && report.gaps.is_empty());
        assert!(!report.is_ok(true));
        let err = report.refusal(true).unwrap();
        assert_eq!(err.code(), "grid_overlap");
        assert!(
            err.message_zh().contains("320508019044001")
                && err.message_zh().contains("320508019044002")
        );
        assert!(err.message_en().contains("overlap"));
    }

    #[test]
    fn outside_and_gap_are_reported() {
        let (mut grids, map) = tiled();
        // Grid 2 shifted north by 0.001°: sticks out at the top, leaves a gap at the bottom.
        grids[1] = grid(2, rect(120.61, 31.301, 120.62, 31.311));
        let report = check(&grids, &map);
        assert!(report.overlaps.is_empty(), "{report:?}");
        assert_eq!(report.outside.len(), 1);
        assert_eq!(report.outside[0].grid.as_str(), "320508019044002");
        assert_eq!(report.outside[0].community, community());
        assert!((report.outside[0].area_m2 - 105_500.0).abs() < 1_500.0);
        assert_eq!(report.gaps.len(), 1);
        assert_eq!(report.gaps[0].pieces, 1);
        assert!((report.gaps[0].area_m2 - 105_500.0).abs() < 1_500.0);
        assert!(!report.is_ok(true));
    }

    #[test]
    fn gaps_alone_may_be_allowed() {
        let (mut grids, map) = tiled();
        grids.pop();
        let report = check(&grids, &map);
        assert_eq!(report.gaps.len(), 1);
        assert!(!report.is_ok(false));
        assert!(report.is_ok(true));
        assert_eq!(report.refusal(false).unwrap().code(), "grid_gap");
        assert!(report.lines_en()[0].contains(COMMUNITY));
    }

    #[test]
    fn community_without_grids_is_one_big_gap_and_missing_boundary_is_unchecked() {
        let (grids, mut map) = tiled();
        let other = AreaCode::parse("320508019045").unwrap();
        map.insert(other, rect(120.62, 31.30, 120.63, 31.31));
        let report = check(&grids, &map);
        assert_eq!(report.gaps.len(), 1);
        assert_eq!(report.gaps[0].community, other);

        let report = check(&grids, &HashMap::new());
        assert_eq!(report.unchecked_communities, vec![community()]);
        assert!(report.is_ok(false));
    }

    #[test]
    fn slivers_below_one_square_metre_are_ignored() {
        let (mut grids, map) = tiled();
        // 1e-10° ≈ 0.01 mm of overlap along a 1.1 km edge: ≈ 0.01 m².
        grids[1] = grid(2, rect(120.61 - 1e-10, 31.30, 120.62, 31.31));
        let report = check(&grids, &map);
        assert!(report.overlaps.is_empty(), "{report:?}");
        assert!(report.is_ok(false));
    }
}
