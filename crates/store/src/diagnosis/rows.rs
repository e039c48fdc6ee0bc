//! What the diagnosis reads return, and which findings a list shows.

use crate::EventActor;
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_domain::diagnosis::{ActedKind, Evidence, FindingKind};
use serde::Serialize;

/// A stored finding with the names of its place, grid, category and department.
#[derive(Clone, Debug, Serialize)]
pub struct FindingRow {
    pub id: i64,
    pub run_id: i64,
    pub kind: FindingKind,
    pub key: String,
    pub place: Option<AreaCode>,
    pub place_name: Option<String>,
    pub grid: Option<GridCode>,
    pub grid_name: Option<String>,
    pub category: Option<String>,
    pub category_name: Option<String>,
    pub department: Option<String>,
    pub department_name: Option<String>,
    pub score: f64,
    pub evidence: Evidence,
    /// The cases behind it (at most 500), newest first; `case_count` counts them all.
    pub case_ids: Vec<i64>,
    pub case_count: i64,
    pub found_at: i64,
    pub acted_kind: Option<ActedKind>,
    /// The supervision order's or the case's id.
    pub acted_ref: Option<i64>,
    pub acted_by_name: Option<String>,
    pub acted_at: Option<i64>,
}

/// Which findings a list shows: the caller's scope (an area, a grid, a department) and filters.
#[derive(Clone, Debug, Default)]
pub struct FindingFilter {
    pub area: Option<AreaCode>,
    pub grid: Option<GridCode>,
    pub department: Option<String>,
    pub kind: Option<FindingKind>,
    /// Only those not acted on yet.
    pub open_only: bool,
}

/// A run: when, what it read and found, who started it (the job, or staff with "run now").
#[derive(Clone, Debug, Serialize)]
pub struct RunRow {
    pub id: i64,
    pub started_at: i64,
    pub finished_at: i64,
    pub cases_from: i64,
    pub cases_read: i64,
    pub baseline_cells: i64,
    pub moves_read: i64,
    pub findings: i64,
    pub by_name: String,
}

/// What a run read, stored with it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RunCounts {
    pub cases_from: i64,
    pub cases_read: i64,
    pub baseline_cells: i64,
    pub moves_read: i64,
}

/// A finding to mark as acted on in the transaction that opens a case for it.
#[derive(Clone, Debug)]
pub struct FindingAct {
    pub finding_id: i64,
    pub by: EventActor,
}
