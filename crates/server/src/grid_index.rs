//! The places every map and scorecard request names — grids (with the point → grid index and
//! their GeoJSON), areas and the place names drawn on the map — held in memory, built from the store and rebuilt after an import
//! (and every minute, for another server's imports). Map requests join prepared features and
//! never touch the database.

use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_geo::{GridIndex, GridShape, geojson_io};
use gongzhi_store::{AreaRow, GridRow, Store, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

/// One consistent picture of the grids and areas.
pub struct Places {
    index: Arc<GridIndex>,
    /// The GeoJSON Feature of each grid, in the index's (code) order.
    features: Vec<String>,
    /// Each grid's stored row without its geometry text (the shape is in the index).
    rows: HashMap<GridCode, GridRow>,
    areas: HashMap<AreaCode, AreaRow>,
    /// The whole city's outlines, built on first request.
    public: OnceLock<axum::body::Bytes>,
    /// The place names (roads, labels, landmarks) as GeoJSON Features.
    place_features: Vec<String>,
    /// All of them as one collection, built on first request.
    public_places: OnceLock<axum::body::Bytes>,
}

impl Places {
    fn build(
        grids: Vec<GridRow>,
        areas: Vec<AreaRow>,
        places: Vec<gongzhi_store::records::PlaceRecord>,
    ) -> Places {
        let shapes = grids.iter().filter_map(shape_of).collect::<Vec<_>>();
        let index = GridIndex::new(shapes);
        let features = index
            .grids()
            .iter()
            .map(geojson_io::write_feature)
            .collect();
        let rows = grids
            .into_iter()
            .map(|mut g| {
                g.geometry_geojson = String::new();
                (g.code, g)
            })
            .collect();
        Places {
            index: Arc::new(index),
            features,
            rows,
            areas: areas.into_iter().map(|a| (a.code, a)).collect(),
            public: OnceLock::new(),
            place_features: crate::place_layer::features(&places),
            public_places: OnceLock::new(),
        }
    }

    pub fn index(&self) -> &Arc<GridIndex> {
        &self.index
    }

    pub fn grid(&self, code: &GridCode) -> Option<&GridRow> {
        self.rows.get(code)
    }

    pub fn area(&self, code: &AreaCode) -> Option<&AreaRow> {
        self.areas.get(code)
    }

    pub fn areas(&self) -> impl Iterator<Item = &AreaRow> {
        self.areas.values()
    }

    pub fn grids(&self) -> impl Iterator<Item = &GridRow> {
        self.rows.values()
    }

    /// The streets, by code: where a report given by an address alone may be sent.
    pub fn streets(&self) -> Vec<&AreaRow> {
        let mut v: Vec<&AreaRow> = self
            .areas
            .values()
            .filter(|a| a.level == gongzhi_domain::codes::AreaLevel::Street)
            .collect();
        v.sort_by_key(|a| a.code);
        v
    }

    /// Every held place name as one FeatureCollection (nothing personal): the map's roads,
    /// labels and landmarks.
    pub fn public_places_geojson(&self) -> axum::body::Bytes {
        self.public_places
            .get_or_init(|| {
                geojson_io::collection_of(self.place_features.iter().map(String::as_str)).into()
            })
            .clone()
    }

    /// The GeoJSON FeatureCollection of the grids within `area` that `keep` accepts.
    pub fn geojson(&self, area: Option<&AreaCode>, keep: impl Fn(&GridCode) -> bool) -> String {
        geojson_io::collection_of(
            self.index
                .grids()
                .iter()
                .zip(&self.features)
                .filter(|(g, _)| area.is_none_or(|a| a.contains(&g.code.community())))
                .filter(|(g, _)| keep(&g.code))
                .map(|(_, f)| f.as_str()),
        )
    }

    /// Every grid's outline, code and name (nothing personal): the public report map.
    pub fn public_geojson(&self) -> axum::body::Bytes {
        self.public
            .get_or_init(|| self.geojson(None, |_| true).into())
            .clone()
    }
}

#[derive(Clone, Default)]
pub struct SharedGridIndex(Arc<RwLock<Option<Arc<Places>>>>);

impl SharedGridIndex {
    /// The point → grid index, once loaded.
    pub fn current(&self) -> Option<Arc<GridIndex>> {
        self.places().map(|p| p.index.clone())
    }

    /// The grids and areas, once loaded.
    pub fn places(&self) -> Option<Arc<Places>> {
        self.0.read().expect("grid index lock").clone()
    }

    pub async fn reload(&self, store: &Store) -> Result<usize, StoreError> {
        let grids = store.grids().await?;
        let areas = store.areas().await?;
        let named = store.places().await?;
        let places = tokio::task::spawn_blocking(move || Places::build(grids, areas, named))
            .await
            .map_err(|e| StoreError::Corrupt(format!("grid index build: {e}")))?;
        let n = places.index.len();
        *self.0.write().expect("grid index lock") = Some(Arc::new(places));
        Ok(n)
    }
}

/// A stored grid as a shape; a geometry that no longer parses is skipped and logged.
pub fn shape_of(row: &GridRow) -> Option<GridShape> {
    match gongzhi_geo::geojson_io::read_geometry(&row.geometry_geojson) {
        Ok(polygon) => Some(GridShape {
            code: row.code,
            name: row.name.clone(),
            polygon,
        }),
        Err(e) => {
            tracing::warn!(grid = %row.code, error = ?e, "stored grid geometry does not parse");
            None
        }
    }
}
