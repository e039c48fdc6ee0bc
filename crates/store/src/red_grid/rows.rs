//! What the red grid store hands back.

use crate::Millis;
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::GridCode;
use gongzhi_domain::red_grid::{GridRoleKind, MediationOutcome, VisitPurpose};
use serde::Serialize;

/// A role in a grid, with the households it serves now (red grid members).
#[derive(Clone, Debug, Serialize)]
pub struct GridRoleRow {
    pub id: i64,
    pub grid: GridCode,
    pub kind: GridRoleKind,
    pub account_id: Option<i64>,
    /// The account's login name, when the role names one.
    pub username: Option<String>,
    pub member_id: Option<i64>,
    /// The party member's name, when the holder is on the roll.
    pub member_name: Option<String>,
    pub person_name: String,
    pub started_on: Date,
    pub ended_on: Option<Date>,
    /// Households linked now.
    pub households: i64,
}

/// A household served by a red grid member.
#[derive(Clone, Debug, Serialize)]
pub struct HouseholdLinkRow {
    pub id: i64,
    pub role_id: i64,
    pub account_id: i64,
    /// The red grid member's name.
    pub holder: String,
    pub household_id: i64,
    pub household_code: String,
    pub grid: GridCode,
    pub linked_on: Date,
    pub ended_on: Option<Date>,
}

/// A household as its red grid member sees it: where, who serves it, when it was last visited.
#[derive(Clone, Debug, Serialize)]
pub struct LinkedHouseholdRow {
    pub household_id: i64,
    pub household_code: String,
    pub grid: GridCode,
    /// The building's address.
    pub address: String,
    pub building_name: String,
    pub room: String,
    /// Address, building and room, as one finds the household.
    pub place: String,
    pub lon: f64,
    pub lat: f64,
    pub member_count: i64,
    /// The current link, when the household has a red grid member.
    pub link_id: Option<i64>,
    pub role_id: Option<i64>,
    pub account_id: Option<i64>,
    pub holder: Option<String>,
    pub linked_on: Option<Date>,
    pub visits: i64,
    pub last_visit: Option<Date>,
}

/// A visit's photo as stored under the data dir.
#[derive(Clone, Debug, Serialize)]
pub struct VisitPhoto {
    #[serde(skip)]
    pub path: String,
    pub mime: String,
    pub sha256: String,
}

/// A visit (民情日记), with its household's address and the case raised from it.
#[derive(Clone, Debug, Serialize)]
pub struct VisitRow {
    pub id: i64,
    pub household_id: i64,
    pub household_code: String,
    pub address: String,
    pub grid: GridCode,
    pub visitor_id: i64,
    pub visitor_name: String,
    pub purpose: VisitPurpose,
    pub visited_on: Date,
    pub notes: String,
    pub photo: Option<VisitPhoto>,
    pub case_id: Option<i64>,
    pub ticket: Option<String>,
    /// The raised case's state code.
    pub case_state: Option<String>,
    pub mediation_id: Option<i64>,
    pub created_at: Millis,
}

/// A mediation record; `parties` are masked.
#[derive(Clone, Debug, Serialize)]
pub struct MediationRow {
    pub id: i64,
    pub visit_id: i64,
    pub household_id: i64,
    pub household_code: String,
    pub grid: GridCode,
    pub mediator_id: i64,
    pub mediator_name: String,
    pub parties: String,
    pub issue: String,
    pub outcome: MediationOutcome,
    pub mediated_on: Date,
    pub follow_up_on: Option<Date>,
    pub created_at: Millis,
}
