//! A city-scale demo: the ten districts and county-level cities of 苏州市, with as many
//! streets as the requested grid count needs, each street 16 communities of 9 unit grids, and
//! millions of households — for benchmarks and load tests. Same `(grids, households, seed)`
//! → identical output.

use std::collections::HashMap;

use gongzhi_domain::codes::{GridCode, UrbanRural};
use gongzhi_geo::GridShape;
use gongzhi_store::records::{AreaRecord, DepartmentRecord};

use crate::lattice::Lattice;
use crate::places::{self, COMPOUND_STEMS};
use crate::rng::Rng;
use crate::roads::RoadNet;
use crate::{DemoCity, GridPlace, ROAD_SPACING, area, populate, road_places};

/// Grids of `gongzhi demo --scale city` by default.
pub const CITY_GRIDS: usize = 30_000;
/// Households of `gongzhi demo --scale city` by default.
pub const CITY_HOUSEHOLDS: usize = 2_000_000;

/// GB/T 2260 codes and names of 苏州市's districts and county-level cities.
const DISTRICTS: [(&str, &str); 10] = [
    ("320505", "虎丘区"),
    ("320506", "吴中区"),
    ("320507", "相城区"),
    ("320508", "姑苏区"),
    ("320509", "吴江区"),
    ("320571", "苏州工业园区"),
    ("320581", "常熟市"),
    ("320582", "张家港市"),
    ("320583", "昆山市"),
    ("320585", "太仓市"),
];

/// A community is 3 × 3 cells (one grid each); a street is 4 × 4 communities.
const COMMUNITY_CELLS: usize = 3;
const STREET_COMMUNITIES: usize = 4;
const STREET_CELLS: usize = COMMUNITY_CELLS * STREET_COMMUNITIES;
const GRIDS_PER_STREET: usize = STREET_CELLS * STREET_CELLS;

const ROAD_SUFFIXES: [&str; 7] = ["路", "街", "大道", "东路", "西路", "南路", "北路"];
const STREET_SUFFIXES: [&str; 3] = ["街道", "街道", "镇"];
const COMMUNITY_SUFFIXES: [&str; 4] = ["社区", "社区", "新村社区", "花园社区"];

/// At least `grids` unit grids (rounded up to whole streets of 144) and `households`
/// households over the city's districts.
pub fn generate_city(grids: usize, households: usize, seed: u64) -> DemoCity {
    let streets = grids.div_ceil(GRIDS_PER_STREET).max(1);
    assert!(
        streets <= DISTRICTS.len() * 999,
        "generate_city: at most {} grids",
        DISTRICTS.len() * 999 * GRIDS_PER_STREET
    );
    let street_cols = (streets as f64).sqrt().ceil() as usize;
    let street_rows = streets.div_ceil(street_cols);
    let mut geo_rng = Rng::stream(seed, 11);
    let lattice = Lattice::new(
        street_cols * STREET_CELLS,
        street_rows * STREET_CELLS,
        120.20,
        31.90,
        0.0035,
        0.003,
        &mut geo_rng,
    );
    let mut names = Rng::stream(seed, 12);
    let mut road_names = Rng::stream(seed, 13);
    let (rows, cols) = (street_rows * STREET_CELLS, street_cols * STREET_CELLS);
    let mut road_name = |_| {
        let n = (road_names.next_u64() as usize) % (COMPOUND_STEMS.len() * ROAD_SUFFIXES.len());
        format!(
            "{}{}",
            COMPOUND_STEMS[n / ROAD_SUFFIXES.len()],
            ROAD_SUFFIXES[n % ROAD_SUFFIXES.len()]
        )
    };
    let east_west: Vec<String> = (0..=rows / ROAD_SPACING).map(&mut road_name).collect();
    let north_south: Vec<String> = (0..=cols / ROAD_SPACING).map(&mut road_name).collect();
    let roads = RoadNet::new(&lattice, rows, cols, ROAD_SPACING, east_west, north_south);

    let mut areas = vec![
        AreaRecord {
            code: area(places::PROVINCE.0),
            name: places::PROVINCE.1.into(),
            urban_rural: None,
        },
        AreaRecord {
            code: area(places::CITY.0),
            name: places::CITY.1.into(),
            urban_rural: None,
        },
    ];
    areas.extend(DISTRICTS.iter().map(|(code, name)| AreaRecord {
        code: area(code),
        name: (*name).into(),
        urban_rural: None,
    }));
    let mut street_areas = Vec::new();
    let mut community_areas = Vec::new();
    let mut community_boundaries = HashMap::new();
    let mut shapes = Vec::with_capacity(streets * GRIDS_PER_STREET);
    let mut places_of_grids = Vec::with_capacity(streets * GRIDS_PER_STREET);
    let mut in_district = [0usize; DISTRICTS.len()];

    for s in 0..streets {
        let d = s * DISTRICTS.len() / streets;
        in_district[d] += 1;
        let (district_code, district_name) = DISTRICTS[d];
        let street_code = area(&format!("{district_code}{:03}000", in_district[d]));
        let street_name = format!(
            "{}{}",
            names.pick(&COMPOUND_STEMS),
            names.pick(&STREET_SUFFIXES)
        );
        street_areas.push(AreaRecord {
            code: street_code,
            name: street_name,
            urban_rural: None,
        });
        let (r_start, c_start) = (
            (s / street_cols) * STREET_CELLS,
            (s % street_cols) * STREET_CELLS,
        );
        for k in 0..STREET_COMMUNITIES * STREET_COMMUNITIES {
            let code = area(&format!("{district_code}{:03}{:03}", in_district[d], k + 1));
            let name = format!(
                "{}{}",
                names.pick(&COMPOUND_STEMS),
                names.pick(&COMMUNITY_SUFFIXES)
            );
            let r0 = r_start + (k / STREET_COMMUNITIES) * COMMUNITY_CELLS;
            let c0 = c_start + (k % STREET_COMMUNITIES) * COMMUNITY_CELLS;
            let (r1, c1) = (r0 + COMMUNITY_CELLS, c0 + COMMUNITY_CELLS);
            community_boundaries.insert(code, lattice.block(r0, r1, c0, c1));
            for row in r0..r1 {
                for col in c0..c1 {
                    let seq = ((row - r0) * COMMUNITY_CELLS + (col - c0) + 1) as u16;
                    let grid_code = GridCode::new(code, seq).expect("grid sequence within 1–9");
                    shapes.push(GridShape::new(
                        grid_code,
                        format!("{name}第{seq}网格"),
                        lattice.cell(row, col),
                    ));
                    places_of_grids.push(GridPlace {
                        row,
                        col,
                        district: district_name,
                    });
                }
            }
            community_areas.push(AreaRecord {
                code,
                name,
                urban_rural: Some(UrbanRural::MainUrban),
            });
        }
    }
    areas.extend(street_areas);
    areas.extend(community_areas);

    let departments = places::DEPARTMENTS
        .iter()
        .map(|(code, name)| DepartmentRecord {
            code: (*code).into(),
            name: name.replace(places::DISTRICT.1, places::CITY.1),
        })
        .collect();
    let population = populate(
        households,
        seed,
        &lattice,
        &roads,
        &shapes,
        &places_of_grids,
    );
    // Roads cross districts: they are the city's. Compounds and landmarks are left out: this
    // map serves benchmarks, not residents.
    let places = road_places(&roads, area(places::CITY.0));
    DemoCity {
        areas,
        community_boundaries,
        grids: shapes,
        departments,
        buildings: population.buildings,
        households: population.households,
        residents: population.residents,
        places,
    }
}
