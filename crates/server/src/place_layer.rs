//! The map's place layer: every held place name (roads, communities, compounds, landmarks) as
//! one public GeoJSON FeatureCollection, built once per load like the grid outlines and served
//! from memory.

use gongzhi_geo::places_io::{self, PlaceFeature};
use gongzhi_store::records::PlaceRecord;

/// A stored place as a serialised GeoJSON Feature; a geometry that no longer parses is skipped
/// and logged.
pub fn feature_of(p: &PlaceRecord) -> Option<String> {
    let file = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{},"geometry":{}}}]}}"#,
        serde_json::json!({"name": p.name, "kind": p.kind.as_str(), "area": p.area.as_str()}),
        p.geometry_geojson
    );
    match places_io::read_places(&file) {
        Ok(mut v) if v.len() == 1 => {
            let feature: PlaceFeature = v.remove(0);
            Some(places_io::write_feature(&feature))
        }
        other => {
            tracing::warn!(place = %p.name, result = ?other.err(), "stored place does not parse");
            None
        }
    }
}

/// The features of `places`, roads first (drawn under the points), then by kind and name.
pub fn features(places: &[PlaceRecord]) -> Vec<String> {
    let mut sorted: Vec<&PlaceRecord> = places.iter().collect();
    sorted.sort_by_key(|p| (!p.kind.is_line(), p.kind.as_str(), p.name.as_str()));
    sorted.into_iter().filter_map(feature_of).collect()
}
