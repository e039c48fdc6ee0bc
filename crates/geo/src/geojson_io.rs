//! GeoJSON import and export of unit grids.
//!
//! The format is a `FeatureCollection`; each feature has the properties `code` (the 15-digit
//! grid code) and `name`, and a `Polygon` or `MultiPolygon` geometry in WGS84 longitude/latitude.
//! Reading validates everything and stops at the first wrong feature with an error that names
//! the feature (position and code) and the reason. Coordinates are kept exactly as written
//! (ring orientation included), so `read_grids(&write_grids(g)) == g`.

use std::collections::HashMap;

use geo::{Coord, LineString, MultiPolygon, Polygon};
use geojson::{
    Feature, FeatureCollection, Geometry, GeometryValue, JsonObject, JsonValue, Position,
};
use gongzhi_domain::Bilingual;
use gongzhi_domain::codes::GridCode;

use crate::error::{CHINA_LAT, CHINA_LON};
use crate::{FeatureProblem, GeoError, GridShape};

/// Parses a GeoJSON FeatureCollection of grids.
pub fn read_grids(text: &str) -> Result<Vec<GridShape>, GeoError> {
    let root: JsonValue = serde_json::from_str(text).map_err(|e| GeoError::InvalidJson {
        detail: e.to_string(),
    })?;
    let kind = root.get("type").and_then(JsonValue::as_str);
    let features = match (kind, root.get("features").and_then(JsonValue::as_array)) {
        (Some("FeatureCollection"), Some(features)) => features,
        _ => {
            return Err(GeoError::NotFeatureCollection {
                found: kind.unwrap_or("(no type)").to_string(),
            });
        }
    };

    let mut grids = Vec::with_capacity(features.len());
    let mut seen: HashMap<GridCode, usize> = HashMap::with_capacity(features.len());
    for (index, feature) in features.iter().enumerate() {
        let grid = read_feature(index, feature)?;
        if let Some(&first_index) = seen.get(&grid.code) {
            return Err(GeoError::Feature {
                index,
                code: Some(grid.code.as_str().to_string()),
                problem: FeatureProblem::DuplicateCode { first_index },
            });
        }
        seen.insert(grid.code, index);
        grids.push(grid);
    }
    Ok(grids)
}

fn read_feature(index: usize, feature: &JsonValue) -> Result<GridShape, GeoError> {
    let fail = |code: Option<String>, problem| GeoError::Feature {
        index,
        code,
        problem,
    };
    let Some(obj) = feature.as_object() else {
        return Err(fail(None, FeatureProblem::NotAnObject));
    };
    if obj.get("type").and_then(JsonValue::as_str) != Some("Feature") {
        return Err(fail(None, FeatureProblem::NotAnObject));
    }
    let props = obj.get("properties").and_then(JsonValue::as_object);

    let raw_code = match props.and_then(|p| p.get("code")) {
        None | Some(JsonValue::Null) => return Err(fail(None, FeatureProblem::MissingCode)),
        Some(JsonValue::String(s)) => s.trim().to_string(),
        Some(JsonValue::Number(n)) if n.is_u64() => n.to_string(),
        Some(other) => return Err(fail(Some(other.to_string()), FeatureProblem::CodeNotText)),
    };
    let code = GridCode::parse(&raw_code).map_err(|e| {
        fail(
            Some(raw_code.clone()),
            FeatureProblem::InvalidCode {
                reason_zh: e.message_zh(),
                reason_en: e.message_en(),
            },
        )
    })?;
    let with_code = |problem| fail(Some(raw_code.clone()), problem);

    let name = match props.and_then(|p| p.get("name")) {
        Some(JsonValue::String(s)) => s.clone(),
        _ => return Err(with_code(FeatureProblem::MissingName)),
    };

    let geometry = match obj.get("geometry") {
        None | Some(JsonValue::Null) => return Err(with_code(FeatureProblem::MissingGeometry)),
        Some(g) => serde_json::from_value::<Geometry>(g.clone()).map_err(|e| {
            with_code(FeatureProblem::InvalidGeometry {
                detail: e.to_string(),
            })
        })?,
    };
    let polygons = match geometry.value {
        GeometryValue::Polygon { coordinates } => vec![coordinates],
        GeometryValue::MultiPolygon { coordinates } => coordinates,
        other => {
            return Err(with_code(FeatureProblem::UnsupportedGeometry {
                kind: other.type_name().to_string(),
            }));
        }
    };
    let polygon = convert_polygons(&polygons).map_err(with_code)?;
    Ok(GridShape {
        code,
        name,
        polygon,
    })
}

fn convert_polygons(polygons: &[Vec<Vec<Position>>]) -> Result<MultiPolygon<f64>, FeatureProblem> {
    if polygons.is_empty() {
        return Err(FeatureProblem::EmptyGeometry);
    }
    let mut out = Vec::with_capacity(polygons.len());
    for (pi, rings) in polygons.iter().enumerate() {
        if rings.is_empty() {
            return Err(FeatureProblem::EmptyGeometry);
        }
        let mut converted = Vec::with_capacity(rings.len());
        for (ri, ring) in rings.iter().enumerate() {
            converted.push(convert_ring(pi, ri, ring)?);
        }
        let exterior = converted.remove(0);
        out.push(Polygon::new(exterior, converted));
    }
    Ok(MultiPolygon::new(out))
}

fn convert_ring(
    polygon: usize,
    ring: usize,
    positions: &[Position],
) -> Result<LineString<f64>, FeatureProblem> {
    if positions.len() < 4 {
        return Err(FeatureProblem::RingTooShort {
            polygon,
            ring,
            positions: positions.len(),
        });
    }
    let mut coords = Vec::with_capacity(positions.len());
    for (position, p) in positions.iter().enumerate() {
        if p.len() < 2 {
            return Err(FeatureProblem::BadPosition {
                polygon,
                ring,
                position,
            });
        }
        let (lon, lat) = (p[0], p[1]);
        if !(CHINA_LON.0..=CHINA_LON.1).contains(&lon)
            || !(CHINA_LAT.0..=CHINA_LAT.1).contains(&lat)
        {
            return Err(FeatureProblem::OutOfRange { lon, lat });
        }
        coords.push(Coord { x: lon, y: lat });
    }
    if coords.first() != coords.last() {
        return Err(FeatureProblem::RingNotClosed { polygon, ring });
    }
    Ok(LineString::new(coords))
}

/// Writes grids as a GeoJSON FeatureCollection (one feature per grid, in the given order). A
/// grid of one polygon is written as `Polygon`, otherwise as `MultiPolygon`.
pub fn write_grids(grids: &[GridShape]) -> String {
    let features = grids.iter().map(grid_feature);
    let collection = FeatureCollection::new(features);
    serde_json::to_string(&collection).expect("a FeatureCollection always serialises")
}

/// One grid as a GeoJSON Feature, serialised: a server keeps these to answer map requests by
/// joining them ([`collection_of`]) instead of serialising polygons per request.
pub fn write_feature(grid: &GridShape) -> String {
    serde_json::to_string(&grid_feature(grid)).expect("a Feature always serialises")
}

/// A FeatureCollection of already serialised features; the same text as [`write_grids`] of
/// the grids they were written from.
pub fn collection_of<'a>(features: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::from(r#"{"type":"FeatureCollection","features":["#);
    for (i, f) in features.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(f);
    }
    out.push_str("]}");
    out
}

/// The GeoJSON geometry of a (multi)polygon: `Polygon` when it has exactly one polygon.
pub fn geometry_of(shape: &MultiPolygon<f64>) -> Geometry {
    let polygon_coords = |p: &Polygon<f64>| -> Vec<Vec<Position>> {
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(|ring| ring.coords().map(|c| Position::from([c.x, c.y])).collect())
            .collect()
    };
    let value = if shape.0.len() == 1 {
        GeometryValue::Polygon {
            coordinates: polygon_coords(&shape.0[0]),
        }
    } else {
        GeometryValue::MultiPolygon {
            coordinates: shape.0.iter().map(polygon_coords).collect(),
        }
    };
    Geometry::new(value)
}

fn grid_feature(grid: &GridShape) -> Feature {
    let mut properties = JsonObject::new();
    properties.insert(
        "code".into(),
        JsonValue::String(grid.code.as_str().to_string()),
    );
    properties.insert("name".into(), JsonValue::String(grid.name.clone()));
    Feature {
        bbox: None,
        geometry: Some(geometry_of(&grid.polygon)),
        id: None,
        properties: Some(properties),
        foreign_members: None,
    }
}

/// Reads one stored GeoJSON geometry (Polygon or MultiPolygon), e.g. a grid's or a community's
/// boundary kept in the database, with the same ring checks as an import.
pub fn read_geometry(text: &str) -> Result<MultiPolygon<f64>, FeatureProblem> {
    let geometry: Geometry =
        serde_json::from_str(text).map_err(|e| FeatureProblem::InvalidGeometry {
            detail: e.to_string(),
        })?;
    let polygons = match geometry.value {
        GeometryValue::Polygon { coordinates } => vec![coordinates],
        GeometryValue::MultiPolygon { coordinates } => coordinates,
        other => {
            return Err(FeatureProblem::UnsupportedGeometry {
                kind: other.type_name().to_string(),
            });
        }
    };
    convert_polygons(&polygons)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongzhi_domain::codes::AreaCode;

    fn code(seq: u16) -> GridCode {
        GridCode::new(AreaCode::parse("320508019044").unwrap(), seq).unwrap()
    }

    fn ring(points: &[(f64, f64)]) -> LineString<f64> {
        LineString::from(points.to_vec())
    }

    #[test]
    fn joined_features_are_the_collection() {
        let grids = sample();
        let features: Vec<String> = grids.iter().map(write_feature).collect();
        let joined = collection_of(features.iter().map(String::as_str));
        let a: serde_json::Value = serde_json::from_str(&joined).unwrap();
        let b: serde_json::Value = serde_json::from_str(&write_grids(&grids)).unwrap();
        assert_eq!(a, b);
        assert_eq!(read_grids(&joined).unwrap(), grids);
        let empty: serde_json::Value = serde_json::from_str(&collection_of([])).unwrap();
        assert_eq!(empty["features"].as_array().map(Vec::len), Some(0));
    }

    fn sample() -> Vec<GridShape> {
        let a = Polygon::new(
            ring(&[
                (120.6012345678901, 31.3),
                (120.61, 31.3000000000001),
                (120.61, 31.31),
                (120.6012345678901, 31.3),
            ]),
            vec![],
        );
        let holed = Polygon::new(
            ring(&[
                (120.62, 31.30),
                (120.63, 31.30),
                (120.63, 31.31),
                (120.62, 31.31),
                (120.62, 31.30),
            ]),
            vec![ring(&[
                (120.624, 31.304),
                (120.624, 31.306),
                (120.626, 31.306),
                (120.624, 31.304),
            ])],
        );
        let island = Polygon::new(
            ring(&[
                (120.64, 31.30),
                (120.65, 31.30),
                (120.65, 31.31),
                (120.64, 31.30),
            ]),
            vec![],
        );
        vec![
            GridShape::new(code(1), "养育巷社区第1网格", MultiPolygon::new(vec![a])),
            GridShape::new(
                code(2),
                "第2网格 \"quoted\"",
                MultiPolygon::new(vec![holed, island]),
            ),
        ]
    }

    #[test]
    fn round_trip_is_exact() {
        let grids = sample();
        let text = write_grids(&grids);
        assert!(text.contains("\"type\":\"FeatureCollection\""));
        assert!(text.contains("\"Polygon\"") && text.contains("\"MultiPolygon\""));
        let back = read_grids(&text).unwrap();
        assert_eq!(back, grids);
        assert_eq!(write_grids(&back), text);
    }

    /// Found by fuzzing (fuzz/ geojson): serde_json, without `float_roundtrip`, read
    /// `120.65555555555555` (the shortest form of that f64, as written) one ulp off, so a grid
    /// written out read back different.
    #[test]
    fn round_trip_is_exact_for_seventeen_digit_coordinates() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"320508019044001","name":"a"},"geometry":{"type":"Polygon","coordinates":[[[120.65,31.31],[120.66,31.31],[120.655555555555555555555555555556,31.32],[120.65,31.31]]]}}]}"#;
        let grids = read_grids(text).unwrap();
        assert_eq!(grids[0].polygon.0[0].exterior().0[2].x, 120.65555555555555);
        let written = write_grids(&grids);
        assert!(written.contains("120.65555555555555,"), "{written}");
        assert_eq!(read_grids(&written).unwrap(), grids);
        let shape = &grids[0].polygon;
        let geometry = geometry_of(shape).to_string();
        assert_eq!(&read_geometry(&geometry).unwrap(), shape);
    }

    fn feature(code: &str, geometry: &str) -> String {
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"code":"320508019044001","name":"a"}},"geometry":{{"type":"Polygon","coordinates":[[[120.6,31.3],[120.61,31.3],[120.61,31.31],[120.6,31.3]]]}}}},{{"type":"Feature","properties":{{"code":"{code}","name":"b"}},"geometry":{geometry}}}]}}"#
        )
    }

    const GOOD: &str = r#"{"type":"Polygon","coordinates":[[[120.6,31.3],[120.61,31.3],[120.61,31.31],[120.6,31.3]]]}"#;

    fn err(text: &str) -> GeoError {
        read_grids(text).unwrap_err()
    }

    #[test]
    fn accepts_two_good_features() {
        let grids = read_grids(&feature("320508019044002", GOOD)).unwrap();
        assert_eq!(grids.len(), 2);
        assert_eq!(grids[1].code, code(2));
        assert_eq!(grids[1].name, "b");
    }

    #[test]
    fn invalid_code_names_feature_and_code_in_both_languages() {
        let e = err(&feature("32050801904400X", GOOD));
        assert_eq!(e.code(), "invalid_grid_code");
        let zh = e.message_zh();
        let en = e.message_en();
        assert!(
            zh.contains("第 2 个要素") && zh.contains("32050801904400X"),
            "{zh}"
        );
        assert!(
            en.contains("feature 2") && en.contains("32050801904400X"),
            "{en}"
        );
        assert_eq!(e.field().as_deref(), Some("features[1].properties.code"));
        let e = err(&feature("3205080190440011", GOOD));
        assert_eq!(e.code(), "invalid_grid_code");
    }

    #[test]
    fn duplicate_code_is_refused() {
        let e = err(&feature("320508019044001", GOOD));
        assert_eq!(e.code(), "duplicate_grid_code");
        assert!(e.message_en().contains("feature 1"), "{}", e.message_en());
    }

    #[test]
    fn ring_rules() {
        let open = r#"{"type":"Polygon","coordinates":[[[120.6,31.3],[120.61,31.3],[120.61,31.31],[120.6,31.31]]]}"#;
        let e = err(&feature("320508019044002", open));
        assert_eq!(e.code(), "ring_not_closed");
        assert!(e.message_zh().contains("320508019044002"));
        assert!(e.message_zh().contains("未闭合"));

        let short =
            r#"{"type":"Polygon","coordinates":[[[120.6,31.3],[120.61,31.3],[120.6,31.3]]]}"#;
        let e = err(&feature("320508019044002", short));
        assert_eq!(e.code(), "ring_too_short");
        assert!(e.message_en().contains("3 positions"), "{}", e.message_en());

        let bad_hole = r#"{"type":"MultiPolygon","coordinates":[[[[120.6,31.3],[120.61,31.3],[120.61,31.31],[120.6,31.3]],[[120.605,31.302],[120.606,31.302],[120.605,31.302]]]]}"#;
        let e = err(&feature("320508019044002", bad_hole));
        assert_eq!(e.code(), "ring_too_short");
        assert!(
            e.message_en().contains("interior ring 1 of polygon 1"),
            "{}",
            e.message_en()
        );
    }

    #[test]
    fn coordinates_must_be_in_china() {
        let paris =
            r#"{"type":"Polygon","coordinates":[[[2.3,48.8],[2.4,48.8],[2.4,48.9],[2.3,48.8]]]}"#;
        let e = err(&feature("320508019044002", paris));
        assert_eq!(e.code(), "coordinate_out_of_range");
        // Swapped lat/lon is the classic mistake.
        let swapped = r#"{"type":"Polygon","coordinates":[[[31.3,120.6],[31.3,120.61],[31.31,120.61],[31.3,120.6]]]}"#;
        assert_eq!(
            err(&feature("320508019044002", swapped)).code(),
            "coordinate_out_of_range"
        );
    }

    #[test]
    fn geometry_rules() {
        let point = r#"{"type":"Point","coordinates":[120.6,31.3]}"#;
        let e = err(&feature("320508019044002", point));
        assert_eq!(e.code(), "unsupported_geometry");
        assert!(e.message_en().contains("Point"));
        assert_eq!(
            err(&feature("320508019044002", "null")).code(),
            "missing_geometry"
        );
        let garbage = r#"{"type":"Polygon","coordinates":"x"}"#;
        assert_eq!(
            err(&feature("320508019044002", garbage)).code(),
            "invalid_geometry"
        );
        let empty = r#"{"type":"MultiPolygon","coordinates":[]}"#;
        assert_eq!(
            err(&feature("320508019044002", empty)).code(),
            "empty_geometry"
        );
    }

    #[test]
    fn document_level_errors() {
        assert_eq!(err("{not json").code(), "invalid_geojson");
        assert_eq!(err(GOOD).code(), "not_feature_collection");
        let no_code = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},"geometry":null}]}"#;
        let e = err(no_code);
        assert_eq!(e.code(), "missing_grid_code");
        assert!(e.message_zh().contains("第 1 个要素"));
        let no_name = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"320508019044001"},"geometry":null}]}"#;
        assert_eq!(err(no_name).code(), "missing_grid_name");
        let numeric = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":320508019044001,"name":"n"},"geometry":{"type":"Polygon","coordinates":[[[120.6,31.3],[120.61,31.3],[120.61,31.31],[120.6,31.3]]]}}]}"#;
        assert_eq!(read_grids(numeric).unwrap()[0].code, code(1));
        assert!(
            read_grids(r#"{"type":"FeatureCollection","features":[]}"#)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn read_geometry_reads_what_geometry_of_writes() {
        let grids = sample();
        for g in &grids {
            let text = serde_json::to_string(&geometry_of(&g.polygon)).unwrap();
            assert_eq!(read_geometry(&text).unwrap(), g.polygon);
        }
        let line = r#"{"type":"LineString","coordinates":[[120.6,31.3],[120.61,31.3]]}"#;
        assert!(matches!(
            read_geometry(line),
            Err(FeatureProblem::UnsupportedGeometry { .. })
        ));
        assert!(matches!(
            read_geometry("{"),
            Err(FeatureProblem::InvalidGeometry { .. })
        ));
    }
}
