//! What the services store takes and hands back.

use crate::Millis;
use gongzhi_domain::calendar::Date;
use gongzhi_domain::case::Satisfaction;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::services::{CentreKind, Eligibility, OrderState, Schedule};
use serde::Serialize;

/// A centre as created (the seven are created with the community's defaults).
#[derive(Clone, Debug)]
pub struct NewCentre {
    pub community: AreaCode,
    pub kind: CentreKind,
    pub name: String,
    pub lead_department: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub opening_hours: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct CentreRow {
    pub id: i64,
    pub community: AreaCode,
    pub community_name: String,
    pub kind: CentreKind,
    pub name: String,
    pub lead_department: String,
    pub lead_department_name: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub opening_hours: String,
    /// Menu items on offer now.
    pub items: i64,
    /// Orders not yet completed or cancelled.
    pub open_orders: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct StaffRow {
    pub id: i64,
    pub centre_id: i64,
    pub name: String,
    pub phone: String,
    pub account_id: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AssessmentItemRow {
    pub id: i64,
    pub lead_department: String,
    pub kind: CentreKind,
    pub name: String,
    pub points: i64,
    pub measure: String,
}

#[derive(Clone, Debug)]
pub struct NewMenuItem {
    pub centre_id: i64,
    pub name: String,
    pub description: String,
    pub eligibility: Eligibility,
    pub schedule: Schedule,
}

#[derive(Clone, Debug, Serialize)]
pub struct MenuItemRow {
    pub id: i64,
    pub centre_id: i64,
    pub centre_name: String,
    pub centre_kind: CentreKind,
    pub community: AreaCode,
    pub name: String,
    pub description: String,
    pub eligibility: Eligibility,
    pub schedule: Schedule,
    pub active: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProviderRow {
    pub id: i64,
    pub centre_id: i64,
    pub centre_name: String,
    pub community: AreaCode,
    /// `organisation` (社区社会组织) or `volunteer` (志愿者).
    pub kind: String,
    pub name: String,
    pub offer: String,
    pub confirmed_minutes: i64,
}

/// An order with what the lists show: the item, the centre, the resident (name as stored;
/// the server masks it where the viewer may not see it).
#[derive(Clone, Debug, Serialize)]
pub struct OrderRow {
    pub id: i64,
    pub item_id: i64,
    pub item_name: String,
    pub centre_id: i64,
    pub centre_name: String,
    pub community: AreaCode,
    pub lead_department: String,
    pub resident_id: i64,
    pub resident_name: String,
    pub household_id: i64,
    pub service_date: Date,
    pub slot: String,
    pub state: OrderState,
    /// Position on the waiting list (1 = next), when waiting.
    pub waiting_position: Option<i64>,
    pub channel: String,
    pub placed_by: Option<i64>,
    pub assignee_name: Option<String>,
    pub provider_id: Option<i64>,
    pub scheduled_at: Option<String>,
    pub completed_at: Option<Millis>,
    pub notes: Option<String>,
    pub has_photo: bool,
    #[serde(skip)]
    pub photo: Option<(String, String)>,
    pub rating: Option<Satisfaction>,
    pub created_at: Millis,
}
