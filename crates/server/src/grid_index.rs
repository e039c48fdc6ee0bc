//! The in-memory point → grid index, built from the grids in the store and rebuilt after an import.

use gongzhi_geo::{GridIndex, GridShape};
use gongzhi_store::{GridRow, Store, StoreError};
use std::sync::{Arc, RwLock};

#[derive(Clone, Default)]
pub struct SharedGridIndex(Arc<RwLock<Option<Arc<GridIndex>>>>);

impl SharedGridIndex {
    pub fn current(&self) -> Option<Arc<GridIndex>> {
        self.0.read().expect("grid index lock").clone()
    }

    pub async fn reload(&self, store: &Store) -> Result<usize, StoreError> {
        let rows = store.grids().await?;
        let shapes = rows.iter().filter_map(shape_of).collect::<Vec<_>>();
        let n = shapes.len();
        let index = tokio::task::spawn_blocking(move || GridIndex::new(shapes))
            .await
            .map_err(|e| StoreError::Corrupt(format!("grid index build: {e}")))?;
        *self.0.write().expect("grid index lock") = Some(Arc::new(index));
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
