//! What the conduct reads return and take.

use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::conduct::{
    AccountabilityAction, Conclusion, ReportChannel, ReportDraft, ReportState, ReportedUnit,
    Sanction, SignalKind,
};
use gongzhi_domain::conduct::{CaseMove, DepartmentRatings, MissedCheckIn, OverdueCase};
use serde::Serialize;

/// A report to store: the checked draft, its channel, who filed it (an account, or nobody for
/// the public form and the system), the public reporter's lookup code, and the signal it was
/// opened from (key, kind, evidence count).
#[derive(Clone, Debug)]
pub struct NewReport {
    pub draft: ReportDraft,
    pub channel: ReportChannel,
    pub filed_by: Option<i64>,
    pub lookup_code: Option<String>,
    pub signal: Option<(String, SignalKind, i64)>,
    /// The supervision module's accountability suggestion it was made of (七天督办逾期), closed
    /// in the same transaction.
    pub suggestion: Option<i64>,
}

/// Which reports a list shows: those concerning an area, those one account filed, and the
/// page's filters.
#[derive(Clone, Debug, Default)]
pub struct MisconductFilter {
    pub area: Option<AreaCode>,
    pub filed_by: Option<i64>,
    pub investigator: Option<i64>,
    pub state: Option<ReportState>,
    pub category: Option<String>,
    pub channel: Option<ReportChannel>,
    /// Description or official contains.
    pub q: Option<String>,
    /// Received on or after / before (Beijing dates, inclusive).
    pub from: Option<Date>,
    pub until: Option<Date>,
}

#[derive(Clone, Debug, Serialize)]
pub struct MisconductReportRow {
    pub id: i64,
    pub category: String,
    pub category_name: String,
    pub area: AreaCode,
    pub area_name: String,
    pub unit: ReportedUnit,
    pub unit_name: String,
    pub official: String,
    pub description: String,
    pub occurred_on: Option<Date>,
    pub channel: ReportChannel,
    pub state: ReportState,
    pub conclusion: Option<Conclusion>,
    pub dismiss_reason: Option<String>,
    pub findings: Option<String>,
    pub public_text: Option<String>,
    /// The reporter gave a name or phone (never the values themselves here).
    pub has_reporter: bool,
    pub signal_key: Option<String>,
    pub filed_by_id: Option<i64>,
    pub filed_by_name: String,
    pub received_at: i64,
    pub updated_at: i64,
    pub concluded_at: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct InvestigatorRow {
    pub account_id: i64,
    pub name: String,
    pub assigned_at: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct MisconductEvidenceRow {
    pub id: i64,
    pub note: String,
    pub file_name: Option<String>,
    pub file_mime: Option<String>,
    pub file_size: Option<i64>,
    pub file_sha256: Option<String>,
    #[serde(skip)]
    pub file_path: Option<String>,
    pub by_name: String,
    pub at: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct ActionRecord {
    pub id: i64,
    pub report_id: i64,
    pub action: AccountabilityAction,
    pub sanction: Option<String>,
    pub official_post: String,
    pub unit: ReportedUnit,
    pub unit_name: String,
    pub decided_on: Date,
    pub basis: String,
    pub category: String,
    pub by_name: String,
    pub at: i64,
}

impl ActionRecord {
    /// The sanction's grade label, for the two sanctions.
    pub fn sanction_label(&self) -> Option<&'static str> {
        let s = self.sanction.as_deref()?;
        self.action.sanction(s).ok().flatten().map(Sanction::zh)
    }
}

/// A reporter's identity as decrypted for an assigned investigator.
#[derive(Clone, Debug, Serialize)]
pub struct ReporterIdentity {
    pub name: String,
    pub phone: Option<String>,
}

/// What the signals are computed from, read in a scope and period.
#[derive(Clone, Debug, Default)]
pub struct SignalData {
    pub overdue: Vec<OverdueCase>,
    pub moves: Vec<CaseMove>,
    pub missed: Vec<MissedCheckIn>,
    pub ratings: Vec<DepartmentRatings>,
}
