//! Plain records that enter and leave the store. Validation happens before a record is built
//! (codes are parsed types), so a record in hand is always storable.

use gongzhi_domain::codes::{AreaCode, GridCode, IdNumber, Phone, UrbanRural};
use gongzhi_domain::population::{HouseholdKind, PoliticalStatus, Relation};
use serde::{Deserialize, Serialize};

/// An administrative area (province … community). Level and parent follow from the code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AreaRecord {
    pub code: AreaCode,
    pub name: String,
    /// 城乡分类代码, when the table gives one (communities and villages).
    pub urban_rural: Option<UrbanRural>,
}

/// A unit grid with its boundary as a GeoJSON geometry (Polygon or MultiPolygon, WGS84).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GridRecord {
    pub code: GridCode,
    pub name: String,
    pub geometry_geojson: String,
    /// Geodesic area in m², computed by the geo crate when the grid is imported.
    pub area_m2: f64,
}

/// A functional department (职能部门) of the district.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepartmentRecord {
    /// Short stable code, e.g. "CG" for 城管.
    pub code: String,
    pub name: String,
}

/// A building (楼栋) in a grid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BuildingRecord {
    /// Unique code, conventionally the grid code + "-" + a 3-digit number.
    pub code: String,
    pub grid: GridCode,
    pub name: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub floors: u16,
}

/// A household (户) living in a building.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HouseholdRecord {
    /// Unique code, conventionally the building code + "-" + the room number.
    pub code: String,
    pub building_code: String,
    pub room: String,
    pub kind: HouseholdKind,
}

/// A resident (居民). `id_number` and `phone` are encrypted at rest by the store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResidentRecord {
    pub id_number: IdNumber,
    pub name: String,
    pub phone: Option<Phone>,
    pub household_code: String,
    pub relation: Relation,
    pub political_status: PoliticalStatus,
}

/// A named place (地名): a road (a line), a community, a compound or a landmark (a point),
/// in an area (its community, or a street or district for a road crossing several).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceRecord {
    pub kind: gongzhi_domain::place::PlaceKind,
    pub name: String,
    pub area: AreaCode,
    /// A point on the place, for the search's answer (a road's middle vertex).
    pub lon: f64,
    pub lat: f64,
    /// GeoJSON geometry, WGS84: a Point, or a LineString for a road.
    pub geometry_geojson: String,
}
