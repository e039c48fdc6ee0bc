//! What the store hands back: records plus the ids and derived facts the screens need.

use gongzhi_domain::codes::{AreaCode, AreaLevel, GridCode, UrbanRural};
use gongzhi_domain::population::{HouseholdKind, PoliticalStatus, Relation};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct AreaRow {
    pub code: AreaCode,
    pub name: String,
    pub level: AreaLevel,
    pub parent: Option<AreaCode>,
    pub urban_rural: Option<UrbanRural>,
}

#[derive(Clone, Debug, Serialize)]
pub struct GridRow {
    pub code: GridCode,
    pub name: String,
    pub community: AreaCode,
    pub area_m2: f64,
    #[serde(skip)]
    pub geometry_geojson: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct DepartmentRow {
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct BuildingRow {
    pub id: i64,
    pub code: String,
    pub grid: GridCode,
    pub name: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub floors: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct HouseholdRow {
    pub id: i64,
    pub code: String,
    pub building_code: String,
    pub building_name: String,
    pub address: String,
    pub grid: GridCode,
    pub room: String,
    pub kind: HouseholdKind,
    pub member_count: i64,
}

/// A resident as read: personal numbers decrypted. Callers mask them unless the reader may see
/// them (see `gongzhi_domain::access`), and log every unmasked read.
#[derive(Clone, Debug)]
pub struct ResidentRow {
    pub id: i64,
    pub household_id: i64,
    pub household_code: String,
    pub grid: GridCode,
    pub name: String,
    pub gender: String,
    pub birth_year: i64,
    pub id_number: gongzhi_domain::codes::IdNumber,
    pub phone: Option<gongzhi_domain::codes::Phone>,
    pub relation: Relation,
    pub political_status: PoliticalStatus,
}
