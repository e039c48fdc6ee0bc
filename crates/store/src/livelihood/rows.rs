//! What the livelihood reads return, and which records a list shows.

use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::livelihood::Rectification;
use gongzhi_domain::notice_board::NoticeKind;
use serde::Serialize;

/// Records inside an area, or one department's; filled from the policy's listing.
#[derive(Clone, Debug, Default)]
pub struct LivelihoodFilter {
    pub area: Option<AreaCode>,
    pub department: Option<String>,
    /// Name contains (projects) or policy area / post contains (responsibilities).
    pub q: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ResponsibilityRow {
    pub id: i64,
    pub area: AreaCode,
    pub area_name: String,
    pub department: Option<String>,
    pub department_name: Option<String>,
    pub post: String,
    pub policy_area: String,
    pub duties: String,
    pub created_at: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProjectRow {
    pub id: i64,
    pub name: String,
    pub area: AreaCode,
    pub area_name: String,
    pub department: Option<String>,
    pub department_name: Option<String>,
    pub budget_fen: i64,
    pub allocated_fen: i64,
    pub disbursed_fen: i64,
    pub beneficiaries: i64,
    pub progress: i64,
    pub created_by_name: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// Supervision records with rectification still required.
    pub open_rectifications: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProgressRow {
    pub id: i64,
    pub on: Date,
    pub progress: i64,
    pub disbursed_fen: i64,
    pub note: String,
    pub by_name: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct InspectionRow {
    pub id: i64,
    pub project_id: i64,
    pub project_name: String,
    pub on: Date,
    pub by_post: String,
    pub findings: String,
    pub rectification: Rectification,
    pub order_id: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct InvestigationRow {
    pub id: i64,
    pub project_id: i64,
    pub project_name: String,
    pub matter: String,
    pub handling: String,
    pub result: String,
    pub report_ref: Option<i64>,
    pub at: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct DisclosureRow {
    pub id: i64,
    pub project_id: i64,
    pub notice_id: i64,
    pub kind: NoticeKind,
    pub at: i64,
}
