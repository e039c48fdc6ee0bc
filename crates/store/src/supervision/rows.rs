//! What the supervision reads return, and which orders a list shows.

use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::supervision::{ClockPoints, OrderStatus, Stage, SupervisedKind, Unit};
use serde::Serialize;

/// The item an order is on, as the store finds it: a label to show (a ticket, a task's or a
/// commitment's title, a project's name), its place and the department it is with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupervisedItem {
    pub kind: SupervisedKind,
    pub id: i64,
    pub label: String,
    pub place: AreaCode,
    pub department: Option<String>,
}

impl SupervisedItem {
    pub fn unit(&self) -> Unit {
        Unit::of_item(self.department.as_deref(), self.place)
    }
}

/// Which orders a list shows: filled by the server from the policy's listing and the filters.
#[derive(Clone, Debug, Default)]
pub struct SupervisionFilter {
    /// Orders on items inside this area.
    pub area: Option<AreaCode>,
    /// Orders this department answers.
    pub department: Option<String>,
    pub kind: Option<SupervisedKind>,
    pub stage: Option<Stage>,
    pub status: Option<OrderStatus>,
    /// Not closed.
    pub open: bool,
    /// The answering unit's code (a department's code or an area's).
    pub unit: Option<String>,
    /// Only orders an area's office answers (`area`) or a department (`department`).
    pub unit_kind: Option<&'static str>,
    /// Open and past its due time at this instant.
    pub overdue_at: Option<i64>,
    /// Orders on this item.
    pub subject: Option<(SupervisedKind, i64)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SupervisionRow {
    pub id: i64,
    pub kind: SupervisedKind,
    pub subject_id: i64,
    pub subject_label: String,
    pub place: AreaCode,
    pub place_name: String,
    pub unit_kind: String,
    pub unit_code: String,
    pub unit_name: String,
    pub demand: String,
    pub working: bool,
    pub days: i64,
    pub issued_at: i64,
    pub warn_at: i64,
    pub due_at: i64,
    pub notice_at: i64,
    pub suggest_at: i64,
    /// The last stage the clock recorded.
    pub stage: Stage,
    pub status: OrderStatus,
    pub acknowledged_at: Option<i64>,
    pub answered_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub issued_by_id: Option<i64>,
    pub issued_by_name: String,
}

impl SupervisionRow {
    pub fn unit(&self) -> Option<Unit> {
        Unit::parse(&self.unit_kind, &self.unit_code)
    }

    pub fn points(&self) -> ClockPoints {
        ClockPoints {
            warn_at: self.warn_at,
            due_at: self.due_at,
            notice_at: self.notice_at,
            suggest_at: self.suggest_at,
        }
    }

    /// The stage at `now`: the clock's own while the unit owes an answer (the job may not
    /// have recorded it yet), the recorded one once it stopped.
    pub fn stage_at(&self, now: i64) -> Stage {
        if self.status.clock_runs() {
            self.stage.max(self.points().stage_at(now))
        } else {
            self.stage
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct SupervisionHistoryRow {
    pub id: i64,
    pub kind: String,
    pub note: String,
    pub by_name: String,
    pub at: i64,
}

/// 建议问责: an order whose clock reached the suggestion, for the supervisor: which unit, on
/// which order, since when, with the evidence (the order's demand and history in short).
#[derive(Clone, Debug, Serialize)]
pub struct SuggestionRow {
    pub id: i64,
    pub order_id: i64,
    pub unit_kind: String,
    pub unit_code: String,
    pub unit_name: String,
    pub place: AreaCode,
    pub subject_kind: SupervisedKind,
    pub subject_label: String,
    pub evidence: String,
    pub since: i64,
    pub report_id: Option<i64>,
    pub closed_at: Option<i64>,
}
