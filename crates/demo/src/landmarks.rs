//! Landmarks of the demo district, the points a resident finds their way by: each street's
//! office (街道办事处), schools, its community health centre, a park and a market, and the
//! metro stations where line 1 (under 干将路, as in the real city) and line 4 (under 人民路)
//! cross the other roads.

use std::collections::HashMap;

use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::place::PlaceKind;
use gongzhi_geo::places_io::PlaceGeometry;
use gongzhi_store::records::PlaceRecord;

use crate::lattice::Lattice;
use crate::places::{STREET_COLS, STREETS};
use crate::rng::Rng;
use crate::roads::RoadNet;
use crate::{CELL_COLS, CELL_ROWS, ROAD_SPACING, STREET_CELL_COLS, STREET_CELL_ROWS, place};

/// Index of the east–west road line 1 runs under, and of the north–south road of line 4.
const LINE_1_ROAD: usize = 3;
const LINE_4_ROAD: usize = 4;

/// Every landmark, each in the community of the cell it stands in (`cells`: cell → community).
pub(crate) fn landmarks(
    lattice: &Lattice,
    roads: &RoadNet,
    cells: &HashMap<(usize, usize), AreaCode>,
    rng: &mut Rng,
) -> Vec<PlaceRecord> {
    let mut out = Vec::new();
    let at_cell = |out: &mut Vec<PlaceRecord>, kind, name: String, r, c, u, v| {
        let community = cells[&(r, c)];
        let p = lattice.point_in_cell(r, c, u, v);
        out.push(place(kind, name, community, PlaceGeometry::Point(p)));
    };
    for (s, street) in STREETS.iter().enumerate() {
        let r0 = (s / STREET_COLS) * STREET_CELL_ROWS;
        let c0 = (s % STREET_COLS) * STREET_CELL_COLS;
        let stem = street.name.trim_end_matches("街道");
        at_cell(
            &mut out,
            PlaceKind::StreetOffice,
            format!("{}办事处", street.name),
            r0 + STREET_CELL_ROWS / 2,
            c0 + STREET_CELL_COLS / 2,
            0.4,
            0.4,
        );
        for (kind, name) in [
            (PlaceKind::School, format!("{stem}实验小学")),
            (PlaceKind::School, format!("{stem}中学")),
            (PlaceKind::Hospital, format!("{stem}社区卫生服务中心")),
            (PlaceKind::Park, format!("{stem}公园")),
            (PlaceKind::Market, format!("{stem}菜市场")),
        ] {
            let r = r0 + rng.below(STREET_CELL_ROWS as u64) as usize;
            let c = c0 + rng.below(STREET_CELL_COLS as u64) as usize;
            let (u, v) = (rng.range_f64(0.25, 0.75), rng.range_f64(0.25, 0.75));
            at_cell(&mut out, kind, name, r, c, u, v);
        }
    }
    // Stations at the crossings inside the district (not on its edge).
    let station = |out: &mut Vec<PlaceRecord>, name: String, r: usize, c: usize| {
        let community = cells[&(r.min(CELL_ROWS - 1), c.min(CELL_COLS - 1))];
        let p = lattice.corner(r, c);
        out.push(place(
            PlaceKind::Metro,
            name,
            community,
            PlaceGeometry::Point(p),
        ));
    };
    let inner = |n: usize| 1..n - 1;
    for k in inner(roads.north_south.len()) {
        let name = format!("{}站", roads.north_south[k].name);
        station(&mut out, name, LINE_1_ROAD * ROAD_SPACING, k * ROAD_SPACING);
    }
    for k in inner(roads.east_west.len()).filter(|k| *k != LINE_1_ROAD) {
        let name = format!("{}站", roads.east_west[k].name);
        station(&mut out, name, k * ROAD_SPACING, LINE_4_ROAD * ROAD_SPACING);
    }
    out
}
