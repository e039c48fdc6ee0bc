use geo::{BoundingRect, MultiPolygon, Rect};
use gongzhi_domain::codes::GridCode;

/// One unit grid (网格): its 15-digit code, display name and boundary in WGS84 lon/lat.
#[derive(Clone, Debug, PartialEq)]
pub struct GridShape {
    pub code: GridCode,
    pub name: String,
    pub polygon: MultiPolygon<f64>,
}

impl GridShape {
    pub fn new(code: GridCode, name: impl Into<String>, polygon: MultiPolygon<f64>) -> Self {
        GridShape {
            code,
            name: name.into(),
            polygon,
        }
    }

    /// Bounding box of the boundary; `None` for an empty geometry.
    pub fn bbox(&self) -> Option<Rect<f64>> {
        self.polygon.bounding_rect()
    }

    /// Geodesic area in m² (see [`crate::area_m2`]).
    pub fn area_m2(&self) -> f64 {
        crate::area_m2(&self.polygon)
    }
}
