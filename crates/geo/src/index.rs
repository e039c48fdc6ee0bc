use std::collections::HashMap;

use geo::{Coord, Intersects};
use gongzhi_domain::codes::GridCode;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::GridShape;

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Point → grid lookup.
///
/// An R-tree over the grids' bounding boxes yields the few candidates whose box holds the
/// point; an exact point-in-polygon test (boundary included) decides among them.
///
/// **Ties are deterministic:** a point on an edge or vertex shared by several grids (or inside
/// overlapping grids) resolves to the grid with the smallest code. The grids are kept sorted by
/// code, so "smallest code" is "smallest position".
#[derive(Debug)]
pub struct GridIndex {
    grids: Vec<GridShape>,
    tree: RTree<Entry>,
    by_code: HashMap<GridCode, usize>,
}

impl GridIndex {
    /// Builds the index. Grids are sorted by code; a grid with an empty geometry is kept (and
    /// reachable by [`GridIndex::get`]) but never located. If two grids share a code, `get`
    /// answers the first one after sorting.
    pub fn new(mut grids: Vec<GridShape>) -> Self {
        grids.sort_by_key(|g| g.code);
        let entries: Vec<Entry> = grids
            .iter()
            .enumerate()
            .filter_map(|(i, g)| {
                g.bbox().map(|r| {
                    let rect =
                        Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
                    GeomWithData::new(rect, i)
                })
            })
            .collect();
        let mut by_code = HashMap::with_capacity(grids.len());
        for (i, g) in grids.iter().enumerate() {
            by_code.entry(g.code).or_insert(i);
        }
        GridIndex {
            grids,
            tree: RTree::bulk_load(entries),
            by_code,
        }
    }

    /// The grid holding the point (longitude, latitude in degrees), through the R-tree.
    pub fn locate(&self, lon: f64, lat: f64) -> Option<&GridShape> {
        if !lon.is_finite() || !lat.is_finite() {
            return None;
        }
        let p = Coord { x: lon, y: lat };
        let envelope = AABB::from_point([lon, lat]);
        let mut best: Option<usize> = None;
        for entry in self.tree.locate_in_envelope_intersecting(envelope) {
            let i = entry.data;
            if best.is_some_and(|b| b <= i) {
                continue;
            }
            if self.grids[i].polygon.intersects(&p) {
                best = Some(i);
            }
        }
        best.map(|i| &self.grids[i])
    }

    /// The same answer as [`GridIndex::locate`] by testing every grid in code order (the naive
    /// baseline for benchmarks and cross-checks).
    pub fn locate_linear(&self, lon: f64, lat: f64) -> Option<&GridShape> {
        if !lon.is_finite() || !lat.is_finite() {
            return None;
        }
        let p = Coord { x: lon, y: lat };
        self.grids.iter().find(|g| g.polygon.intersects(&p))
    }

    /// The grid with this code.
    pub fn get(&self, code: &GridCode) -> Option<&GridShape> {
        self.by_code.get(code).map(|&i| &self.grids[i])
    }

    /// All grids, sorted by code.
    pub fn grids(&self) -> &[GridShape] {
        &self.grids
    }

    pub fn into_grids(self) -> Vec<GridShape> {
        self.grids
    }

    pub fn len(&self) -> usize {
        self.grids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.grids.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, MultiPolygon, Polygon};
    use gongzhi_domain::codes::AreaCode;

    fn square(x0: f64, y0: f64, size: f64) -> MultiPolygon<f64> {
        let ring = LineString::from(vec![
            (x0, y0),
            (x0 + size, y0),
            (x0 + size, y0 + size),
            (x0, y0 + size),
            (x0, y0),
        ]);
        MultiPolygon::new(vec![Polygon::new(ring, vec![])])
    }

    fn code(seq: u16) -> GridCode {
        GridCode::new(AreaCode::parse("320508019044").unwrap(), seq).unwrap()
    }

    /// A 3 × 3 block of 0.01° squares: seq 1..=9 west→east, north→south.
    fn block() -> Vec<GridShape> {
        let mut grids = Vec::new();
        for row in 0..3 {
            for col in 0..3 {
                let seq = (row * 3 + col + 1) as u16;
                let x0 = 120.60 + col as f64 * 0.01;
                let y0 = 31.33 - (row + 1) as f64 * 0.01;
                grids.push(GridShape::new(
                    code(seq),
                    format!("第{seq}网格"),
                    square(x0, y0, 0.01),
                ));
            }
        }
        grids.reverse(); // the index must not depend on input order
        grids
    }

    #[test]
    fn locates_interior_points() {
        let idx = GridIndex::new(block());
        assert_eq!(idx.len(), 9);
        let g = idx.locate(120.605, 31.325).unwrap();
        assert_eq!(g.code, code(1));
        let g = idx.locate(120.625, 31.305).unwrap();
        assert_eq!(g.code, code(9));
        assert!(idx.locate(120.0, 31.0).is_none());
        assert!(idx.locate(f64::NAN, 31.3).is_none());
        assert_eq!(idx.get(&code(5)).unwrap().name, "第5网格");
    }

    #[test]
    fn shared_edges_and_vertices_resolve_to_the_smallest_code() {
        let idx = GridIndex::new(block());
        // Edge between grid 1 and grid 2.
        assert_eq!(idx.locate(120.61, 31.325).unwrap().code, code(1));
        assert_eq!(idx.locate_linear(120.61, 31.325).unwrap().code, code(1));
        // Vertex shared by grids 5, 6, 8, 9.
        assert_eq!(idx.locate(120.62, 31.31).unwrap().code, code(5));
        assert_eq!(idx.locate_linear(120.62, 31.31).unwrap().code, code(5));
        // Outer corner belongs to its only grid.
        assert_eq!(idx.locate(120.63, 31.30).unwrap().code, code(9));
    }

    #[test]
    fn index_agrees_with_linear_scan() {
        let idx = GridIndex::new(block());
        let mut state = 7u64;
        for _ in 0..2000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let v = (state >> 11) as f64 / (1u64 << 53) as f64;
            // Snap to a 0.0025° lattice so that many points fall on edges and vertices.
            let lon = 120.595 + (u * 0.04 / 0.0025).round() * 0.0025;
            let lat = 31.295 + (v * 0.04 / 0.0025).round() * 0.0025;
            let a = idx.locate(lon, lat).map(|g| g.code);
            let b = idx.locate_linear(lon, lat).map(|g| g.code);
            assert_eq!(a, b, "at {lon},{lat}");
        }
    }

    #[test]
    fn empty_index() {
        let idx = GridIndex::new(Vec::new());
        assert!(idx.is_empty());
        assert!(idx.locate(120.6, 31.3).is_none());
    }
}
