//! What the power-list reads return, and which items a list shows.

use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::power_list::{
    PowerItemDraft, PowerOwner, PowerState, PowerType, RiskFactors, RiskLevel,
};
use serde::Serialize;

/// Which items a list shows: filled by the server from the policy's listing (staff) or fixed
/// to published items (阳光示权), and the page's filters.
#[derive(Clone, Debug, Default)]
pub struct PowerFilter {
    /// Items of areas inside this one.
    pub area: Option<AreaCode>,
    /// One department's items.
    pub department: Option<String>,
    /// One owner's items (the public filter).
    pub owner: Option<PowerOwner>,
    pub power_type: Option<PowerType>,
    pub risk_level: Option<RiskLevel>,
    pub state: Option<PowerState>,
    /// Name or legal basis contains.
    pub q: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PowerItemRow {
    pub id: i64,
    pub owner: PowerOwner,
    /// The owner's Chinese name (a department's, a street's).
    pub owner_name: String,
    pub number: i64,
    pub name: String,
    pub power_type: PowerType,
    pub legal_basis: String,
    pub discretion: String,
    pub post: String,
    pub factors: RiskFactors,
    pub risk_score: i64,
    pub risk_level: RiskLevel,
    pub measures: Vec<String>,
    /// The flowchart in its text form.
    pub flowchart: String,
    pub state: PowerState,
    /// Published texts so far (0 for a draft never published).
    pub version: i64,
    pub published_at: Option<i64>,
    pub changed_at: Option<i64>,
    pub retired_at: Option<i64>,
    pub retire_reason: Option<String>,
    pub created_by_name: String,
    pub created_at: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct PowerVersionRow {
    pub version: i64,
    pub content: PowerItemDraft,
    pub risk_score: i64,
    pub risk_level: RiskLevel,
    pub content_sha256: String,
    pub by_name: String,
    pub at: i64,
}

/// An item whose level a change of the settings moved.
#[derive(Clone, Debug, Serialize)]
pub struct Relevelled {
    pub id: i64,
    pub name: String,
    pub score_before: i64,
    pub score: i64,
    pub before: RiskLevel,
    pub after: RiskLevel,
}
