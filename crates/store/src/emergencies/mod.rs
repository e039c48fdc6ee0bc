//! 应急 kept (decision 038): emergencies (an emergency case's, or a drill's), every alert per
//! level with its instant, acknowledgements and check-ins, and the city's escalation minutes.
//! An emergency case's row and its first alerts are written by the case's own transaction
//! (`sync`, called from the case write path); the rest here, one transaction each.

mod reads;
pub(crate) mod sync;
mod writes;

use crate::Millis;
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_domain::emergency::{Place, Tier};
use serde::Serialize;

/// One emergency as lists and the board show it.
#[derive(Clone, Debug, Serialize)]
pub struct EmergencyRow {
    pub id: i64,
    pub case_id: Option<i64>,
    pub ticket: Option<String>,
    pub drill: bool,
    pub title: String,
    pub community: Option<AreaCode>,
    pub community_name: Option<String>,
    pub grid: Option<GridCode>,
    pub department: Option<String>,
    pub department_name: Option<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub reported_at: Millis,
    #[serde(serialize_with = "tier_str")]
    pub stage: Tier,
    pub stage_at: Millis,
    pub next_at: Option<Millis>,
    pub closed_at: Option<Millis>,
    pub started_by: String,
}

fn tier_str<S: serde::Serializer>(t: &Tier, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(t.as_str())
}

fn opt_tier_str<S: serde::Serializer>(t: &Option<Tier>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(t.as_str()),
        None => s.serialize_none(),
    }
}

impl EmergencyRow {
    pub fn place(&self) -> Place {
        Place {
            community: self.community,
            grid: self.grid,
            department: self.department.clone(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct AlertRow {
    #[serde(serialize_with = "tier_str")]
    pub tier: Tier,
    pub recipient: String,
    /// `alert` (the first, to every level at once) or `escalated`.
    pub kind: String,
    pub at: Millis,
}

#[derive(Clone, Debug, Serialize)]
pub struct ResponseRow {
    /// `ack` or `check_in`.
    pub kind: String,
    #[serde(serialize_with = "opt_tier_str")]
    pub tier: Option<Tier>,
    pub account_id: Option<i64>,
    pub name: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub at: Millis,
}

/// An emergency with everything its live board shows.
#[derive(Clone, Debug, Serialize)]
pub struct EmergencyBoard {
    pub emergency: EmergencyRow,
    pub alerts: Vec<AlertRow>,
    pub responses: Vec<ResponseRow>,
}

impl EmergencyBoard {
    /// The levels that acknowledged, with when.
    pub fn acks(&self) -> Vec<(Tier, Millis)> {
        self.responses
            .iter()
            .filter(|r| r.kind == "ack")
            .filter_map(|r| r.tier.map(|t| (t, r.at)))
            .collect()
    }
}

/// Which emergencies a list shows: the policy's listing as columns, and the page's filters.
#[derive(Clone, Debug, Default)]
pub struct EmergencyFilter {
    pub area: Option<AreaCode>,
    pub grid: Option<GridCode>,
    pub department: Option<String>,
    pub drill: Option<bool>,
    pub open: bool,
}

/// A drill to start: its made-up event and where it happens.
#[derive(Clone, Debug)]
pub struct NewDrill {
    pub title: String,
    pub community: Option<AreaCode>,
    pub grid: Option<GridCode>,
    pub department: Option<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
}
