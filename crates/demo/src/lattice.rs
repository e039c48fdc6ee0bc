//! A jittered lattice: cells whose corners (and edge midpoints) are shared with their
//! neighbours, so any set of cells tiles its region exactly — no overlaps, no gaps.
//!
//! Rows run north → south, columns west → east. Interior vertices are moved by a seeded jitter
//! (corners by up to 20 % of a cell, edge midpoints by up to 8 % across the edge), which keeps
//! every cell a simple polygon. Each vertex is computed and rounded once (to 1e-7°, ≈ 1 cm) and
//! then reused by every cell that touches it, so shared edges are bit-for-bit identical.

use geo::{Coord, LineString, MultiPolygon, Polygon};

use crate::rng::Rng;

pub(crate) struct Lattice {
    cols: usize,
    /// (rows + 1) × (cols + 1)
    corners: Vec<Coord<f64>>,
    /// midpoints of horizontal edges: (rows + 1) × cols
    hmid: Vec<Coord<f64>>,
    /// midpoints of vertical edges: rows × (cols + 1)
    vmid: Vec<Coord<f64>>,
}

fn round7(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}

impl Lattice {
    /// `west`/`north` is the lattice's north-west corner; `dx`/`dy` a cell's size in degrees.
    pub fn new(
        cols: usize,
        rows: usize,
        west: f64,
        north: f64,
        dx: f64,
        dy: f64,
        rng: &mut Rng,
    ) -> Lattice {
        let mut corners = Vec::with_capacity((rows + 1) * (cols + 1));
        for r in 0..=rows {
            for c in 0..=cols {
                let mut x = west + c as f64 * dx;
                let mut y = north - r as f64 * dy;
                // Jitter only along the outer edge, never off it, so the outline stays straight.
                if c > 0 && c < cols {
                    x += rng.range_f64(-0.2, 0.2) * dx;
                }
                if r > 0 && r < rows {
                    y += rng.range_f64(-0.2, 0.2) * dy;
                }
                corners.push(Coord {
                    x: round7(x),
                    y: round7(y),
                });
            }
        }
        let mut lattice = Lattice {
            cols,
            corners,
            hmid: Vec::with_capacity((rows + 1) * cols),
            vmid: Vec::with_capacity(rows * (cols + 1)),
        };
        for r in 0..=rows {
            for c in 0..cols {
                let (a, b) = (lattice.corner(r, c), lattice.corner(r, c + 1));
                let bend = if r > 0 && r < rows {
                    rng.range_f64(-0.08, 0.08) * dy
                } else {
                    0.0
                };
                let m = Coord {
                    x: round7((a.x + b.x) / 2.0),
                    y: round7((a.y + b.y) / 2.0 + bend),
                };
                lattice.hmid.push(m);
            }
        }
        for r in 0..rows {
            for c in 0..=cols {
                let (a, b) = (lattice.corner(r, c), lattice.corner(r + 1, c));
                let bend = if c > 0 && c < cols {
                    rng.range_f64(-0.08, 0.08) * dx
                } else {
                    0.0
                };
                let m = Coord {
                    x: round7((a.x + b.x) / 2.0 + bend),
                    y: round7((a.y + b.y) / 2.0),
                };
                lattice.vmid.push(m);
            }
        }
        lattice
    }

    pub fn corner(&self, r: usize, c: usize) -> Coord<f64> {
        self.corners[r * (self.cols + 1) + c]
    }

    fn hmid(&self, r: usize, c: usize) -> Coord<f64> {
        self.hmid[r * self.cols + c]
    }

    fn vmid(&self, r: usize, c: usize) -> Coord<f64> {
        self.vmid[r * (self.cols + 1) + c]
    }

    /// The cell in row `r`, column `c` as one counter-clockwise polygon of 8 vertices.
    pub fn cell(&self, r: usize, c: usize) -> MultiPolygon<f64> {
        self.block(r, r + 1, c, c + 1)
    }

    /// The union of the cells in rows `r0..r1` and columns `c0..c1`, built directly from the
    /// shared vertices along its outline (counter-clockwise, starting at the south-west corner).
    pub fn block(&self, r0: usize, r1: usize, c0: usize, c1: usize) -> MultiPolygon<f64> {
        let mut ring = Vec::with_capacity(4 * ((r1 - r0) + (c1 - c0)) + 1);
        for c in c0..c1 {
            ring.push(self.corner(r1, c));
            ring.push(self.hmid(r1, c));
        }
        for r in (r0..r1).rev() {
            ring.push(self.corner(r + 1, c1));
            ring.push(self.vmid(r, c1));
        }
        for c in (c0..c1).rev() {
            ring.push(self.corner(r0, c + 1));
            ring.push(self.hmid(r0, c));
        }
        for r in r0..r1 {
            ring.push(self.corner(r, c0));
            ring.push(self.vmid(r, c0));
        }
        ring.push(ring[0]);
        MultiPolygon::new(vec![Polygon::new(LineString::new(ring), vec![])])
    }

    /// The lattice line along row `r` of corners, west → east, through the edge midpoints:
    /// where an east–west road runs.
    pub fn row_line(&self, r: usize) -> Vec<Coord<f64>> {
        let mut v = Vec::with_capacity(2 * self.cols + 1);
        for c in 0..self.cols {
            v.push(self.corner(r, c));
            v.push(self.hmid(r, c));
        }
        v.push(self.corner(r, self.cols));
        v
    }

    /// The lattice line along column `c` of corners, north → south: a north–south road.
    pub fn col_line(&self, c: usize) -> Vec<Coord<f64>> {
        let rows = self.vmid.len() / (self.cols + 1);
        let mut v = Vec::with_capacity(2 * rows + 1);
        for r in 0..rows {
            v.push(self.corner(r, c));
            v.push(self.vmid(r, c));
        }
        v.push(self.corner(rows, c));
        v
    }

    /// A point inside cell (r, c) at bilinear position (u, v) ∈ [0, 1]² between its corners
    /// (u west → east, v north → south).
    pub fn point_in_cell(&self, r: usize, c: usize, u: f64, v: f64) -> Coord<f64> {
        let nw = self.corner(r, c);
        let ne = self.corner(r, c + 1);
        let sw = self.corner(r + 1, c);
        let se = self.corner(r + 1, c + 1);
        let top = Coord {
            x: nw.x + (ne.x - nw.x) * u,
            y: nw.y + (ne.y - nw.y) * u,
        };
        let bottom = Coord {
            x: sw.x + (se.x - sw.x) * u,
            y: sw.y + (se.y - sw.y) * u,
        };
        Coord {
            x: round7(top.x + (bottom.x - top.x) * v),
            y: round7(top.y + (bottom.y - top.y) * v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, BooleanOps, Winding};

    #[test]
    fn cells_tile_the_block_exactly() {
        let mut rng = Rng::new(3);
        let lattice = Lattice::new(4, 3, 120.6, 31.33, 0.003, 0.003, &mut rng);
        let block = lattice.block(0, 3, 0, 4);
        let mut sum = 0.0;
        for r in 0..3 {
            for c in 0..4 {
                let cell = lattice.cell(r, c);
                assert!(cell.0[0].exterior().is_ccw());
                assert_eq!(cell.0[0].exterior().0.len(), 9);
                sum += cell.unsigned_area();
                for r2 in 0..3 {
                    for c2 in 0..4 {
                        if (r2, c2) > (r, c) {
                            let overlap = cell.intersection(&lattice.cell(r2, c2)).unsigned_area();
                            assert!(
                                overlap < 1e-14,
                                "cells ({r},{c}) and ({r2},{c2}) overlap {overlap}"
                            );
                        }
                    }
                }
            }
        }
        assert!((sum - block.unsigned_area()).abs() < 1e-12);
        // The outline is straight: the block is exactly the 0.012° × 0.009° rectangle.
        assert!((block.unsigned_area() - 0.012 * 0.009).abs() < 1e-12);
    }
}
