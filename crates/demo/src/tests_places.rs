//! The demo district's geography: named roads, addresses that name them, labels and
//! landmarks where they belong.

use std::collections::HashSet;
use std::sync::OnceLock;

use geo::{Distance, Euclidean, Intersects, LineString, Point};
use gongzhi_domain::place::PlaceKind;

use super::*;

fn city() -> &'static DemoCity {
    static CITY: OnceLock<DemoCity> = OnceLock::new();
    CITY.get_or_init(|| generate(5_000, DEFAULT_SEED))
}

fn of_kind(kind: PlaceKind) -> impl Iterator<Item = &'static PlaceRecord> {
    city().places.iter().filter(move |p| p.kind == kind)
}

/// A road's vertices from its stored GeoJSON geometry.
fn road_line(p: &PlaceRecord) -> LineString<f64> {
    let places = gongzhi_geo::places_io::read_places(&format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"name":"{}","kind":"road","area":"{}"}},"geometry":{}}}]}}"#,
        p.name, p.area, p.geometry_geojson
    ))
    .expect("a stored road reads back");
    match &places[0].geometry {
        PlaceGeometry::Line(v) => LineString::new(v.clone()),
        other => panic!("{} is not a line: {other:?}", p.name),
    }
}

#[test]
fn roads_are_named_lines_crossing_the_district() {
    let roads: Vec<_> = of_kind(PlaceKind::Road).collect();
    assert_eq!(roads.len(), ROADS_EAST_WEST.len() + ROADS_NORTH_SOUTH.len());
    let names: HashSet<&str> = roads.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names.len(), roads.len(), "road names are unique");
    let (west, east, south, north) = DISTRICT_BOX;
    for r in roads {
        assert!(
            ["路", "街", "大道"].iter().any(|s| r.name.ends_with(s)),
            "{} is named like a road",
            r.name
        );
        let line = road_line(r);
        assert!(
            line.0.len() >= 13,
            "{} has {} vertices",
            r.name,
            line.0.len()
        );
        let (a, b) = (line.0[0], *line.0.last().unwrap());
        let spans_ew = (a.x - west).abs() < 1e-9 && (b.x - east).abs() < 1e-9;
        let spans_ns = (a.y - north).abs() < 1e-9 && (b.y - south).abs() < 1e-9;
        assert!(spans_ew || spans_ns, "{} crosses the district", r.name);
    }
}

#[test]
fn every_address_names_a_road_near_its_building() {
    let city = city();
    let roads: Vec<(&str, LineString<f64>)> = of_kind(PlaceKind::Road)
        .map(|r| (r.name.as_str(), road_line(r)))
        .collect();
    let mut named = HashSet::new();
    for b in &city.buildings {
        let rest = b
            .address
            .strip_prefix("苏州市姑苏区")
            .expect("district prefix");
        let (road, line) = roads
            .iter()
            .filter(|(name, _)| rest.starts_with(name))
            .max_by_key(|(name, _)| name.len())
            .unwrap_or_else(|| panic!("{} names no road on the map", b.address));
        let number = &rest[road.len()..];
        let digits: String = number.chars().take_while(char::is_ascii_digit).collect();
        assert!(!digits.is_empty(), "{}: a house number", b.address);
        assert_eq!(
            &number[digits.len()..],
            format!("号{}", b.name),
            "{}",
            b.address
        );
        // The road runs along the building's block: within two cells (≈ 0.0067°, 700 m).
        let d = Euclidean.distance(&Point::new(b.lon, b.lat), line);
        assert!(d < 0.0067, "{} is {d}° from {road}", b.address);
        named.insert(*road);
    }
    assert!(named.len() >= 12, "addresses name most roads: {named:?}");
}

#[test]
fn landmarks_stand_in_their_community_inside_the_district() {
    let city = city();
    let (west, east, south, north) = DISTRICT_BOX;
    let mut kinds = HashSet::new();
    for p in city.places.iter().filter(|p| p.kind.is_landmark()) {
        kinds.insert(p.kind);
        assert!(
            (west..=east).contains(&p.lon) && (south..=north).contains(&p.lat),
            "{} outside the district",
            p.name
        );
        let boundary = &city.community_boundaries[&p.area];
        assert!(
            boundary.intersects(&Point::new(p.lon, p.lat)),
            "{} not in its community {}",
            p.name,
            p.area
        );
    }
    for k in [
        PlaceKind::StreetOffice,
        PlaceKind::School,
        PlaceKind::Hospital,
        PlaceKind::Park,
        PlaceKind::Metro,
        PlaceKind::Market,
    ] {
        assert!(kinds.contains(&k), "{k:?} missing");
    }
    assert_eq!(of_kind(PlaceKind::StreetOffice).count(), STREETS.len());
    assert!(of_kind(PlaceKind::Metro).count() >= 10);
}

#[test]
fn compounds_and_communities_are_labelled_once_where_their_buildings_are() {
    let city = city();
    let communities: Vec<_> = of_kind(PlaceKind::Community).collect();
    assert_eq!(communities.len(), 48);
    let mut seen = HashSet::new();
    for c in of_kind(PlaceKind::Compound) {
        assert!(seen.insert((c.area, c.name.as_str())), "{} twice", c.name);
        assert!(
            city.buildings
                .iter()
                .any(|b| b.grid.community() == c.area && b.name.starts_with(&c.name)),
            "{} has buildings",
            c.name
        );
    }
    for b in &city.buildings {
        assert!(
            of_kind(PlaceKind::Compound)
                .any(|c| c.area == b.grid.community() && b.name.starts_with(&c.name)),
            "{} belongs to a labelled compound",
            b.name
        );
    }
}
