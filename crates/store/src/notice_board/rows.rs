//! What the notice reads return, and which notices a staff list shows.

use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::notice_board::{NoticeKind, NoticeState};
use serde::Serialize;

/// Which notices a staff list shows: those to an audience inside an area, or one department's;
/// filled by the server from the policy's listing and the page's filters.
#[derive(Clone, Debug, Default)]
pub struct NoticeFilter {
    pub area: Option<AreaCode>,
    pub department: Option<String>,
    pub kind: Option<NoticeKind>,
    pub state: Option<NoticeState>,
    /// Title contains.
    pub q: Option<String>,
    /// Published notices whose period ends on or before this day (expiring soon).
    pub ends_by: Option<Date>,
    /// … and on or after this one.
    pub ends_from: Option<Date>,
}

#[derive(Clone, Debug, Serialize)]
pub struct NoticeAttachmentRow {
    pub id: i64,
    pub notice_id: i64,
    pub name: String,
    pub path: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct NoticeRow {
    pub id: i64,
    pub kind: NoticeKind,
    pub title: String,
    pub body: String,
    pub from: Date,
    pub until: Date,
    pub audience: AreaCode,
    pub audience_name: String,
    pub department: Option<String>,
    pub subject_text: String,
    pub subject_url: String,
    pub state: NoticeState,
    /// Published texts so far (0 for a draft never published).
    pub version: i64,
    pub published_at: Option<i64>,
    /// The last change after publication (已更新).
    pub changed_at: Option<i64>,
    pub withdrawn_at: Option<i64>,
    pub withdraw_reason: Option<String>,
    pub created_by_id: Option<i64>,
    pub created_by_name: String,
    pub created_at: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct NoticeVersionRow {
    pub version: i64,
    pub title: String,
    pub body: String,
    pub at: i64,
}
