//! GeoJSON import and export of place names (地名地址): a `FeatureCollection` whose features
//! have the properties `name`, `kind` (`road`, `compound`, `school` … or their Chinese names)
//! and `area` (the 12-digit code of the area the place lies in), and a `Point` geometry, or a
//! `LineString` for a road, in WGS84 longitude/latitude. Reading stops at the first wrong
//! feature and names it (position and name) and the reason.

use geo::Coord;
use geojson::{Geometry, GeometryValue, JsonValue, Position};
use gongzhi_domain::Bilingual;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::place::PlaceKind;

use crate::error::{CHINA_LAT, CHINA_LON};

/// A place's shape: a point, or the vertices of a road.
#[derive(Clone, Debug, PartialEq)]
pub enum PlaceGeometry {
    Point(Coord<f64>),
    Line(Vec<Coord<f64>>),
}

impl PlaceGeometry {
    /// A point on the place: the point itself, or a road's middle vertex.
    pub fn anchor(&self) -> Coord<f64> {
        match self {
            PlaceGeometry::Point(c) => *c,
            PlaceGeometry::Line(v) => v[v.len() / 2],
        }
    }

    /// The GeoJSON geometry as text.
    pub fn to_geojson(&self) -> String {
        let pos = |c: &Coord<f64>| Position::from([c.x, c.y]);
        let value = match self {
            PlaceGeometry::Point(c) => GeometryValue::Point {
                coordinates: pos(c),
            },
            PlaceGeometry::Line(v) => GeometryValue::LineString {
                coordinates: v.iter().map(pos).collect(),
            },
        };
        serde_json::to_string(&Geometry::new(value)).expect("a geometry always serialises")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlaceFeature {
    pub kind: PlaceKind,
    pub name: String,
    pub area: AreaCode,
    pub geometry: PlaceGeometry,
}

/// Why a place file was refused.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacesError {
    /// 0-based position of the wrong feature, when one is at fault.
    pub index: Option<usize>,
    pub name: Option<String>,
    zh: String,
    en: String,
}

impl Bilingual for PlacesError {
    fn code(&self) -> &'static str {
        "invalid_places"
    }
    fn message_zh(&self) -> String {
        match (self.index, &self.name) {
            (Some(i), Some(n)) => format!("第{}个地名（{n}）：{}", i + 1, self.zh),
            (Some(i), None) => format!("第{}个地名：{}", i + 1, self.zh),
            _ => self.zh.clone(),
        }
    }
    fn message_en(&self) -> String {
        match (self.index, &self.name) {
            (Some(i), Some(n)) => format!("place {} ({n}): {}", i + 1, self.en),
            (Some(i), None) => format!("place {}: {}", i + 1, self.en),
            _ => self.en.clone(),
        }
    }
}

fn refuse(zh: impl Into<String>, en: impl Into<String>) -> PlacesError {
    PlacesError {
        index: None,
        name: None,
        zh: zh.into(),
        en: en.into(),
    }
}

/// Parses a GeoJSON FeatureCollection of places.
pub fn read_places(text: &str) -> Result<Vec<PlaceFeature>, PlacesError> {
    let root: JsonValue = serde_json::from_str(text).map_err(|e| {
        refuse(
            format!("不是有效的 JSON：{e}"),
            format!("not valid JSON: {e}"),
        )
    })?;
    let features = match (
        root.get("type").and_then(JsonValue::as_str),
        root.get("features").and_then(JsonValue::as_array),
    ) {
        (Some("FeatureCollection"), Some(f)) => f,
        _ => {
            return Err(refuse(
                "文件须为 GeoJSON FeatureCollection",
                "the file must be a GeoJSON FeatureCollection",
            ));
        }
    };
    features
        .iter()
        .enumerate()
        .map(|(i, f)| {
            read_feature(f).map_err(|mut e| {
                e.index = Some(i);
                e
            })
        })
        .collect()
}

fn read_feature(feature: &JsonValue) -> Result<PlaceFeature, PlacesError> {
    let props = feature.get("properties").and_then(JsonValue::as_object);
    let text = |key: &str| {
        props
            .and_then(|p| p.get(key))
            .and_then(JsonValue::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let name = text("name")
        .ok_or_else(|| refuse("缺少名称 name", "the name property is missing"))?
        .to_string();
    let named = |mut e: PlacesError| {
        e.name = Some(name.clone());
        e
    };
    if name.chars().count() > 100 {
        return Err(named(refuse(
            "名称超过100字",
            "the name is longer than 100 characters",
        )));
    }
    let kind = text("kind")
        .and_then(PlaceKind::parse)
        .filter(|k| *k != PlaceKind::Building)
        .ok_or_else(|| {
            named(refuse(
                "类型 kind 须为 道路、社区、小区、街道办事处、学校、医院、公园、地铁站 或 菜市场",
                "kind must be one of road, community, compound, street_office, school, hospital, park, metro, market",
            ))
        })?;
    let area = text("area")
        .ok_or_else(|| named(refuse("缺少所属区划 area", "the area property is missing")))
        .and_then(|a| {
            AreaCode::parse(a).map_err(|e| {
                named(refuse(
                    format!("所属区划 area：{}", e.message_zh()),
                    format!("area: {}", e.message_en()),
                ))
            })
        })?;
    let geometry: Geometry = feature
        .get("geometry")
        .filter(|g| !g.is_null())
        .ok_or_else(|| named(refuse("缺少几何 geometry", "the geometry is missing")))
        .and_then(|g| {
            serde_json::from_value(g.clone()).map_err(|e| {
                named(refuse(
                    format!("几何无效：{e}"),
                    format!("invalid geometry: {e}"),
                ))
            })
        })?;
    let coord = |p: &Position| -> Result<Coord<f64>, PlacesError> {
        let (lon, lat) = (p[0], p[1]);
        if (CHINA_LON.0..=CHINA_LON.1).contains(&lon) && (CHINA_LAT.0..=CHINA_LAT.1).contains(&lat)
        {
            Ok(Coord { x: lon, y: lat })
        } else {
            Err(named(refuse(
                format!("坐标 ({lon}, {lat}) 不在中国境内"),
                format!("position ({lon}, {lat}) is outside China"),
            )))
        }
    };
    let geometry = match (&geometry.value, kind.is_line()) {
        (GeometryValue::Point { coordinates }, false) if coordinates.len() >= 2 => {
            PlaceGeometry::Point(coord(coordinates)?)
        }
        (GeometryValue::LineString { coordinates }, true)
            if coordinates.len() >= 2 && coordinates.iter().all(|p| p.len() >= 2) =>
        {
            PlaceGeometry::Line(coordinates.iter().map(coord).collect::<Result<_, _>>()?)
        }
        (_, true) => {
            return Err(named(refuse(
                "道路的几何须为至少两个点的 LineString",
                "a road's geometry must be a LineString of at least two positions",
            )));
        }
        (_, false) => {
            return Err(named(refuse(
                "该类地名的几何须为 Point",
                "this kind of place must have a Point geometry",
            )));
        }
    };
    Ok(PlaceFeature {
        kind,
        name,
        area,
        geometry,
    })
}

/// One place as a GeoJSON Feature, serialised, with its kind's names for the map's labels.
pub fn write_feature(p: &PlaceFeature) -> String {
    serde_json::json!({
        "type": "Feature",
        "properties": {
            "name": p.name,
            "kind": p.kind.as_str(),
            "kind_name": p.kind.zh(),
            "kind_name_en": p.kind.en(),
            "area": p.area.as_str(),
        },
        "geometry": serde_json::from_str::<JsonValue>(&p.geometry.to_geojson())
            .expect("our own geometry text"),
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(features: &str) -> String {
        format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#)
    }

    #[test]
    fn reads_roads_and_landmarks_and_writes_them_back() {
        let text = file(
            r#"{"type":"Feature","properties":{"name":"干将路","kind":"road","area":"320508000000"},
               "geometry":{"type":"LineString","coordinates":[[120.60,31.30],[120.62,31.30],[120.64,31.31]]}},
              {"type":"Feature","properties":{"name":"苏州中学","kind":"学校","area":"320508014001"},
               "geometry":{"type":"Point","coordinates":[120.63,31.29]}}"#,
        );
        let places = read_places(&text).unwrap();
        assert_eq!(places.len(), 2);
        assert_eq!(places[0].kind, PlaceKind::Road);
        assert_eq!(
            places[0].geometry.anchor(),
            Coord {
                x: 120.62,
                y: 31.30
            }
        );
        assert_eq!(places[1].kind, PlaceKind::School);
        let again = read_places(&file(&write_feature(&places[1]))).unwrap();
        assert_eq!(again[0], places[1]);
    }

    #[test]
    fn names_the_wrong_feature_and_the_reason() {
        let text = file(
            r#"{"type":"Feature","properties":{"name":"干将路","kind":"road","area":"320508000000"},
               "geometry":{"type":"Point","coordinates":[120.60,31.30]}}"#,
        );
        let e = read_places(&text).unwrap_err();
        assert!(
            e.message_zh().contains("第1个地名（干将路）"),
            "{}",
            e.message_zh()
        );
        assert!(e.message_en().contains("LineString"));
        let text = file(
            r#"{"type":"Feature","properties":{"name":"某医院","kind":"castle","area":"320508000000"},
               "geometry":{"type":"Point","coordinates":[120.60,31.30]}}"#,
        );
        assert!(
            read_places(&text)
                .unwrap_err()
                .message_en()
                .contains("kind")
        );
        let text = file(
            r#"{"type":"Feature","properties":{"name":"某医院","kind":"hospital","area":"320508000000"},
               "geometry":{"type":"Point","coordinates":[2.35,48.85]}}"#,
        );
        assert!(
            read_places(&text)
                .unwrap_err()
                .message_zh()
                .contains("中国")
        );
        assert!(read_places("[]").is_err());
    }
}
