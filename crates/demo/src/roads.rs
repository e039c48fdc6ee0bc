//! The road network of a demo map: east–west and north–south roads along every
//! `spacing`-th lattice line (so along community and street edges), and the address a
//! building takes from the road nearest to it — odd numbers on the north (west) side, even on
//! the south (east), rising eastward (southward) as house numbers do along a real road.

use geo::Coord;

use crate::lattice::Lattice;

pub(crate) struct Road {
    pub name: String,
    /// Vertices along the lattice line, west → east or north → south.
    pub line: Vec<Coord<f64>>,
}

pub(crate) struct RoadNet {
    spacing: usize,
    /// East–west roads, north → south: along lattice rows 0, spacing, 2·spacing …
    pub east_west: Vec<Road>,
    /// North–south roads, west → east.
    pub north_south: Vec<Road>,
    /// The lattice's box (west, east, south, north), for numbering along a road.
    bounds: (f64, f64, f64, f64),
}

/// House numbers per side of a road across the whole map.
const NUMBERS_PER_SIDE: f64 = 300.0;

/// Degrees of longitude are shorter than degrees of latitude at Suzhou's latitude (≈ 31°).
const LON_SCALE: f64 = 0.855;

impl RoadNet {
    /// Roads along every `spacing`-th line of a `rows` × `cols` lattice, named in order from
    /// `east_west` (north → south) and `north_south` (west → east).
    pub fn new(
        lattice: &Lattice,
        rows: usize,
        cols: usize,
        spacing: usize,
        east_west: impl IntoIterator<Item = String>,
        north_south: impl IntoIterator<Item = String>,
    ) -> RoadNet {
        let mut ew: Vec<Road> = east_west
            .into_iter()
            .zip((0..=rows).step_by(spacing))
            .map(|(name, r)| Road {
                name,
                line: lattice.row_line(r),
            })
            .collect();
        let ns: Vec<Road> = north_south
            .into_iter()
            .zip((0..=cols).step_by(spacing))
            .map(|(name, c)| Road {
                name,
                line: lattice.col_line(c),
            })
            .collect();
        assert_eq!(
            ew.len(),
            rows / spacing + 1,
            "a name for every east–west road"
        );
        assert_eq!(
            ns.len(),
            cols / spacing + 1,
            "a name for every north–south road"
        );
        let (nw, se) = (lattice.corner(0, 0), lattice.corner(rows, cols));
        ew.shrink_to_fit();
        RoadNet {
            spacing,
            east_west: ew,
            north_south: ns,
            bounds: (nw.x, se.x, se.y, nw.y),
        }
    }

    /// The road an address at `p` (inside cell `row`, `col`) names — the nearest of the four
    /// roads around its block — and the house number.
    pub fn address(&self, lattice: &Lattice, row: usize, col: usize, p: Coord<f64>) -> (&str, u32) {
        let (west, east, south, north) = self.bounds;
        // (distance, road, house number) of each road around the block.
        let mut around: Vec<(f64, &str, u32)> = Vec::with_capacity(4);
        let k = row / self.spacing;
        for road in [k, k + 1] {
            let Some(r) = self.east_west.get(road) else {
                continue;
            };
            // The road's latitude at p, between the corners of p's column on that line.
            let (a, b) = (
                lattice.corner(road * self.spacing, col),
                lattice.corner(road * self.spacing, col + 1),
            );
            let y = a.y + (b.y - a.y) * ((p.x - a.x) / (b.x - a.x)).clamp(0.0, 1.0);
            let along = ((p.x - west) / (east - west)).clamp(0.0, 1.0);
            let side = if p.y > y { 1 } else { 2 };
            around.push((
                (p.y - y).abs(),
                &r.name,
                2 * (along * NUMBERS_PER_SIDE) as u32 + side,
            ));
        }
        let k = col / self.spacing;
        for road in [k, k + 1] {
            let Some(r) = self.north_south.get(road) else {
                continue;
            };
            let (a, b) = (
                lattice.corner(row, road * self.spacing),
                lattice.corner(row + 1, road * self.spacing),
            );
            let x = a.x + (b.x - a.x) * ((p.y - a.y) / (b.y - a.y)).clamp(0.0, 1.0);
            let along = ((north - p.y) / (north - south)).clamp(0.0, 1.0);
            let side = if p.x < x { 1 } else { 2 };
            around.push((
                (p.x - x).abs() * LON_SCALE,
                &r.name,
                2 * (along * NUMBERS_PER_SIDE) as u32 + side,
            ));
        }
        let (_, name, number) = around
            .into_iter()
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .expect("every cell has a road on some side");
        (name, number)
    }

    pub fn all(&self) -> impl Iterator<Item = &Road> {
        self.east_west.iter().chain(&self.north_south)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    fn an_address_names_a_road_of_its_block_and_numbers_rise_along_it() {
        let mut rng = Rng::new(5);
        let lattice = Lattice::new(6, 6, 120.6, 31.33, 0.003, 0.003, &mut rng);
        let names = |p: &'static str, n: usize| (0..n).map(move |i| format!("{p}{i}路"));
        let net = RoadNet::new(&lattice, 6, 6, 3, names("东西", 3), names("南北", 3));
        assert_eq!(net.all().count(), 6);
        // Just south of the middle east–west road, in the block's middle column.
        let near = lattice.point_in_cell(3, 1, 0.5, 0.05);
        assert_eq!(net.address(&lattice, 3, 1, near).0, "东西1路");
        let (_, west_no) = net.address(&lattice, 3, 0, lattice.point_in_cell(3, 0, 0.6, 0.05));
        let (_, east_no) = net.address(&lattice, 3, 2, lattice.point_in_cell(3, 2, 0.4, 0.05));
        assert!(west_no < east_no, "{west_no} < {east_no}");
        assert_eq!(west_no % 2, 0, "the south side is even");
        // Just east of the middle north–south road.
        let near = lattice.point_in_cell(1, 3, 0.05, 0.5);
        let (road, n) = net.address(&lattice, 1, 3, near);
        assert_eq!(road, "南北1路");
        assert_eq!(n % 2, 0, "the east side is even");
    }
}
