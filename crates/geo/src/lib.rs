//! gongzhi-geo: unit grids (网格) as polygons in WGS84 longitude/latitude.
//!
//! - [`GridShape`]: one unit grid with its 15-digit code and boundary.
//! - [`GridIndex`]: point → grid through an R-tree over bounding boxes, then an exact
//!   point-in-polygon test; [`GridIndex::locate_linear`] is the naive baseline.
//! - [`geojson_io`]: GeoJSON FeatureCollection import/export with validation.
//! - [`topology`]: overlaps, grids outside their community and gaps, with areas in m².
//! - [`area_m2`]: geodesic area on the WGS84 ellipsoid.

mod area;
mod error;
pub mod geojson_io;
mod index;
pub mod places_io;
mod shape;
pub mod topology;

pub use area::area_m2;
pub use error::{FeatureProblem, GeoError};
pub use index::GridIndex;
pub use shape::GridShape;
