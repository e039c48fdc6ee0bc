//! Where a case stands in the closed loop.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// Filed, not yet checked (上报).
    Reported,
    /// Accepted as a valid case (立案).
    Registered,
    /// Sent to a department or the locality; the clock runs (派遣).
    Dispatched,
    /// The handler has started (处置中).
    InProgress,
    /// The handler says it is done (处理反馈).
    ReportedBack,
    /// Checked on site and found done (核查通过).
    Verified,
    Closed,
    /// Closed and rated by the resident or at the hotline follow-up (评价).
    Rated,
    /// Invalid or not a matter for the platform (注销).
    Cancelled,
    /// A duplicate, folded into another case.
    Merged,
    /// Handling postponed with a reason; the clock is stopped (缓办).
    Deferred,
}

impl CaseState {
    pub const ALL: [CaseState; 11] = [
        CaseState::Reported,
        CaseState::Registered,
        CaseState::Dispatched,
        CaseState::InProgress,
        CaseState::ReportedBack,
        CaseState::Verified,
        CaseState::Closed,
        CaseState::Rated,
        CaseState::Cancelled,
        CaseState::Merged,
        CaseState::Deferred,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::Reported => "reported",
            CaseState::Registered => "registered",
            CaseState::Dispatched => "dispatched",
            CaseState::InProgress => "in_progress",
            CaseState::ReportedBack => "reported_back",
            CaseState::Verified => "verified",
            CaseState::Closed => "closed",
            CaseState::Rated => "rated",
            CaseState::Cancelled => "cancelled",
            CaseState::Merged => "merged",
            CaseState::Deferred => "deferred",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            CaseState::Reported => "已上报",
            CaseState::Registered => "已立案",
            CaseState::Dispatched => "已派遣",
            CaseState::InProgress => "处置中",
            CaseState::ReportedBack => "已反馈",
            CaseState::Verified => "已核查",
            CaseState::Closed => "已结案",
            CaseState::Rated => "已评价",
            CaseState::Cancelled => "已注销",
            CaseState::Merged => "已合并",
            CaseState::Deferred => "缓办",
        }
    }

    /// English words for messages ("in progress").
    pub fn en(self) -> &'static str {
        match self {
            CaseState::InProgress => "in progress",
            CaseState::ReportedBack => "reported back",
            other => other.as_str(),
        }
    }

    /// English label for pages; [`Self::en`] is the phrase inside messages.
    pub fn label_en(self) -> &'static str {
        match self {
            CaseState::Reported => "Reported",
            CaseState::Registered => "Registered",
            CaseState::Dispatched => "Dispatched",
            CaseState::InProgress => "In progress",
            CaseState::ReportedBack => "Reported back",
            CaseState::Verified => "Verified",
            CaseState::Closed => "Closed",
            CaseState::Rated => "Rated",
            CaseState::Cancelled => "Cancelled",
            CaseState::Merged => "Merged",
            CaseState::Deferred => "Deferred",
        }
    }

    pub fn parse(s: &str) -> Option<CaseState> {
        let s = s.trim();
        CaseState::ALL
            .into_iter()
            .find(|c| s.eq_ignore_ascii_case(c.as_str()) || s == c.zh())
    }

    /// Cancelled and merged cases are finished for good: they accept no command at all.
    pub fn is_final(self) -> bool {
        matches!(self, CaseState::Cancelled | CaseState::Merged)
    }

    /// Still waiting for someone to act: neither closed, rated, cancelled nor merged. Open
    /// cases are what inboxes and duplicate suggestions show.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            CaseState::Closed | CaseState::Rated | CaseState::Cancelled | CaseState::Merged
        )
    }

    /// The deadline clock runs: a handler holds the case and has not reported back.
    pub fn clock_runs(self) -> bool {
        matches!(self, CaseState::Dispatched | CaseState::InProgress)
    }

    /// Open311's two statuses.
    pub fn open311_status(self) -> &'static str {
        if self.is_open() { "open" } else { "closed" }
    }
}
