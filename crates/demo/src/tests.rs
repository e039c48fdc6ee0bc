use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use geo::{Contains, Point};
use gongzhi_domain::codes::{AreaLevel, IdNumber, Phone};
use gongzhi_geo::{GridIndex, topology};

use super::*;
use gongzhi_domain::population::{PoliticalStatus, Relation};

/// The full default city, generated once for all tests (it takes about a second in release,
/// a few in debug).
fn city() -> &'static DemoCity {
    static CITY: OnceLock<DemoCity> = OnceLock::new();
    CITY.get_or_init(|| generate(DEFAULT_HOUSEHOLDS, DEFAULT_SEED))
}

#[test]
fn same_seed_same_city_other_seed_other_city() {
    let a = generate(2_000, 7);
    let b = generate(2_000, 7);
    assert_eq!(a, b);
    let c = generate(2_000, 8);
    assert_ne!(a.grids, c.grids);
    assert_ne!(a.residents, c.residents);
    // The map does not depend on the number of households.
    assert_eq!(generate(0, 7).grids, a.grids);
}

#[test]
fn counts_meet_the_minima() {
    let city = city();
    let level_count = |level| {
        city.areas
            .iter()
            .filter(|a| a.code.level() == level)
            .count()
    };
    assert_eq!(level_count(AreaLevel::District), 1);
    assert!(level_count(AreaLevel::Street) >= 8);
    assert!(level_count(AreaLevel::Community) >= 40);
    assert!(city.grids.len() >= 400, "{} grids", city.grids.len());
    assert_eq!(
        city.community_boundaries.len(),
        level_count(AreaLevel::Community)
    );
    assert_eq!(city.households.len(), DEFAULT_HOUSEHOLDS);
    assert!(
        city.residents.len() >= 120_000,
        "{} residents",
        city.residents.len()
    );
    assert!((35..=45).contains(&city.departments.len()));
    assert!(!city.buildings.is_empty());
}

#[test]
fn areas_are_real_and_well_formed() {
    let city = city();
    let district = city
        .areas
        .iter()
        .find(|a| a.code.level() == AreaLevel::District)
        .unwrap();
    assert_eq!(district.code.as_str(), "320508000000");
    assert_eq!(district.name, "姑苏区");
    let codes: HashSet<_> = city.areas.iter().map(|a| a.code).collect();
    assert_eq!(codes.len(), city.areas.len(), "area codes unique");
    // Parents come before children.
    let mut seen = HashSet::new();
    for a in &city.areas {
        if let Some(parent) = a.code.parent() {
            assert!(seen.contains(&parent), "{} before its parent", a.code);
        }
        seen.insert(a.code);
        if a.code.level() == AreaLevel::Street {
            assert!(a.name.ends_with("街道"));
            assert!((1..=99).contains(&a.code.as_str()[6..9].parse::<u32>().unwrap()));
        }
        if a.code.level() == AreaLevel::Community {
            assert!(a.name.ends_with("社区"));
        }
    }
    let yangyuxiang = city
        .areas
        .iter()
        .find(|a| a.code.as_str() == "320508019044")
        .unwrap();
    assert_eq!(yangyuxiang.name, "养育巷社区");
    let dept_codes: HashSet<_> = city.departments.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(dept_codes.len(), city.departments.len());
    for needed in [
        "城市管理",
        "住房和城乡建设",
        "民政",
        "卫生健康",
        "派出所",
        "市场监督",
        "生态环境",
        "水务",
        "交通",
        "园林",
        "消防",
        "教育",
        "旅游",
    ] {
        assert!(
            city.departments.iter().any(|d| d.name.contains(needed)),
            "no department for {needed}"
        );
    }
}

#[test]
fn grid_codes_valid_unique_and_numbered_west_east_north_south() {
    let city = city();
    let mut seen = HashSet::new();
    let mut by_community: HashMap<AreaCode, Vec<&GridShape>> = HashMap::new();
    for g in &city.grids {
        assert_eq!(GridCode::parse(g.code.as_str()).unwrap(), g.code);
        assert!(seen.insert(g.code), "duplicate grid {}", g.code);
        assert!(city.community_boundaries.contains_key(&g.code.community()));
        by_community.entry(g.code.community()).or_default().push(g);
    }
    for (community, grids) in by_community {
        let mut grids = grids;
        grids.sort_by_key(|g| g.code.seq());
        let seqs: Vec<u16> = grids.iter().map(|g| g.code.seq()).collect();
        assert_eq!(
            seqs,
            (1..=grids.len() as u16).collect::<Vec<_>>(),
            "{community}"
        );
        // Numbering order: a later grid lies further south, or on the same row further east.
        let centre = |g: &GridShape| {
            let r = g.bbox().unwrap();
            ((r.min().x + r.max().x) / 2.0, (r.min().y + r.max().y) / 2.0)
        };
        for pair in grids.windows(2) {
            let (a, b) = (centre(pair[0]), centre(pair[1]));
            let same_row = (a.1 - b.1).abs() < 0.0015;
            assert!(
                if same_row { b.0 > a.0 } else { b.1 < a.1 },
                "{} → {}",
                pair[0].code,
                pair[1].code
            );
        }
    }
}

#[test]
fn grids_are_at_the_real_location() {
    for g in &city().grids {
        let r = g.bbox().unwrap();
        assert!(r.min().x >= 120.58 && r.max().x <= 120.66, "{}", g.code);
        assert!(r.min().y >= 31.28 && r.max().y <= 31.34, "{}", g.code);
        let a = g.area_m2();
        assert!((40_000.0..250_000.0).contains(&a), "{} has {a} m²", g.code);
    }
}

#[test]
fn topology_is_clean() {
    let city = city();
    let report = topology::check(&city.grids, &city.community_boundaries);
    assert!(report.overlaps.is_empty(), "{:?}", report.lines_en());
    assert!(report.outside.is_empty(), "{:?}", report.lines_en());
    assert!(report.gaps.is_empty(), "{:?}", report.lines_en());
    assert!(report.unchecked_communities.is_empty());
    assert!(report.is_ok(false));
}

#[test]
fn buildings_lie_inside_their_grid() {
    let city = city();
    let grids: HashMap<GridCode, &GridShape> = city.grids.iter().map(|g| (g.code, g)).collect();
    let index = GridIndex::new(city.grids.clone());
    let mut codes = HashSet::new();
    for b in &city.buildings {
        assert!(
            codes.insert(b.code.as_str()),
            "duplicate building {}",
            b.code
        );
        assert!(b.code.starts_with(b.grid.as_str()));
        let grid = grids[&b.grid];
        assert!(
            grid.polygon.contains(&Point::new(b.lon, b.lat)),
            "building {} outside its grid",
            b.code
        );
        assert_eq!(index.locate(b.lon, b.lat).unwrap().code, b.grid);
        assert!(b.floors >= 1);
        assert!(b.address.starts_with("苏州市姑苏区"));
    }
    let per_grid: HashSet<GridCode> = city.buildings.iter().map(|b| b.grid).collect();
    assert_eq!(per_grid.len(), city.grids.len(), "every grid has buildings");
}

#[test]
fn households_belong_to_buildings() {
    let city = city();
    let buildings: HashMap<&str, &BuildingRecord> = city
        .buildings
        .iter()
        .map(|b| (b.code.as_str(), b))
        .collect();
    let mut codes = HashSet::new();
    for h in &city.households {
        assert!(
            codes.insert(h.code.as_str()),
            "duplicate household {}",
            h.code
        );
        let b = buildings[h.building_code.as_str()];
        assert_eq!(h.code, format!("{}-{}", b.code, h.room));
        let floor: u16 = h.room[..h.room.len() - 2].parse().unwrap();
        assert!((1..=b.floors).contains(&floor));
    }
}

#[test]
fn residents_are_plausible() {
    let city = city();
    let head = Relation::parse("户主").unwrap();
    let member = PoliticalStatus::parse("中共党员").unwrap();
    let mut by_household: HashMap<&str, Vec<&ResidentRecord>> = HashMap::new();
    let mut ids = HashSet::new();
    let mut ages = Vec::with_capacity(city.residents.len());
    let mut members = 0usize;
    let mut surnames: HashMap<char, usize> = HashMap::new();
    for r in &city.residents {
        assert_eq!(IdNumber::parse(r.id_number.as_str()).unwrap(), r.id_number);
        assert!(ids.insert(r.id_number), "duplicate ID number");
        if let Some(p) = &r.phone {
            assert_eq!(&Phone::parse(p.as_str()).unwrap(), p);
            assert!(p.is_mobile());
        }
        let chars = r.name.chars().count();
        assert!((2..=3).contains(&chars), "name {}", r.name);
        *surnames.entry(r.name.chars().next().unwrap()).or_default() += 1;
        let age = age_on_reference_date(r.id_number.birth_date());
        assert!((0..=100).contains(&age));
        if r.political_status == member {
            members += 1;
            assert!(age >= 18);
        }
        ages.push(age);
        by_household
            .entry(r.household_code.as_str())
            .or_default()
            .push(r);
    }
    assert_eq!(by_household.len(), city.households.len());
    for (code, rs) in &by_household {
        assert!((2..=4).contains(&rs.len()), "{code} has {}", rs.len());
        assert_eq!(rs[0].relation, head, "{code}: 户主 first");
        assert_eq!(rs.iter().filter(|r| r.relation == head).count(), 1);
        assert!(age_on_reference_date(rs[0].id_number.birth_date()) >= 18);
    }
    let n = city.residents.len() as f64;
    let share = |f: &dyn Fn(i32) -> bool| ages.iter().filter(|&&a| f(a)).count() as f64 / n;
    let children = share(&|a| a < 18);
    let elderly = share(&|a| a >= 60);
    let working = share(&|a| (18..60).contains(&a));
    let bands: Vec<String> = (0..10)
        .map(|d| format!("{}0s {:.1}%", d, 100.0 * share(&|a| a / 10 == d)))
        .collect();
    let pyramid = bands.join(", ");
    assert!(
        (0.08..0.25).contains(&children),
        "under 18: {children}; {pyramid}"
    );
    assert!(
        (0.18..0.40).contains(&elderly),
        "60 and over: {elderly}; {pyramid}"
    );
    assert!(working > 0.40, "18–59: {working}; {pyramid}");
    let party = members as f64 / n;
    assert!((0.055..0.085).contains(&party), "party members {party}");
    // The most common surnames lead.
    let mut top: Vec<(char, usize)> = surnames.into_iter().collect();
    top.sort_by_key(|t| std::cmp::Reverse(t.1));
    let top5: String = top.iter().take(5).map(|t| t.0).collect();
    assert!(
        top5.contains('王') && top5.contains('李') && top5.contains('张'),
        "{top5}"
    );
    // Most IDs are registered in 姑苏区 itself.
    let local = city
        .residents
        .iter()
        .filter(|r| r.id_number.as_str().starts_with("320508"))
        .count() as f64
        / n;
    assert!((0.4..0.8).contains(&local), "{local}");
}

#[test]
fn lattice_grids_tile_and_are_numbered() {
    let grids = lattice_grids(257, 1);
    assert_eq!(grids.len(), 257);
    let codes: HashSet<_> = grids.iter().map(|g| g.code).collect();
    assert_eq!(codes.len(), 257);
    assert_eq!(lattice_grids(257, 1), grids);
    let report = topology::check(&grids, &HashMap::new());
    assert!(report.overlaps.is_empty(), "{:?}", report.lines_en());
    // Every community has a whole number of cells, sequence from 1.
    let first = &grids[0];
    assert_eq!(first.code.as_str(), "320508001001001");
    assert!(lattice_grids(0, 1).is_empty());
    let big = lattice_grids(30_000, 9);
    assert_eq!(big.len(), 30_000);
    assert_eq!(
        big.iter().map(|g| g.code).collect::<HashSet<_>>().len(),
        30_000
    );
}
