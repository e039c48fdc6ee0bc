//! What the deliberation store hands back.

use crate::Millis;
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_domain::deliberation::{
    ItemKind, ItemState, Majority, MeetingKind, MeetingStatus, MotionResult, MotionStatus, Party,
    RaiserKind, Tally, TopicCategory, TopicStatus, VotingBasis,
};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct TopicRow {
    pub id: i64,
    pub community: AreaCode,
    pub grid: Option<GridCode>,
    pub category: TopicCategory,
    pub title: String,
    pub description: String,
    pub raiser_kind: RaiserKind,
    /// The raiser's account (none for a resident who raised it with a lookup code).
    #[serde(skip)]
    pub raised_by: Option<i64>,
    /// Masked: the first character only.
    pub raiser_name: String,
    pub status: TopicStatus,
    pub supports: i64,
    /// `support` (the threshold was reached) or `staff`.
    pub tabled_by: Option<String>,
    pub tabled_at: Option<Millis>,
    pub decline_reason: Option<String>,
    pub meeting_id: Option<i64>,
    pub created_at: Millis,
}

#[derive(Clone, Debug, Serialize)]
pub struct AttendanceRow {
    pub party: Party,
    pub attendees: i64,
    pub note: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct DeliberationMeetingRow {
    pub id: i64,
    pub community: AreaCode,
    pub kind: MeetingKind,
    pub title: String,
    pub held_on: Date,
    pub place: String,
    pub invited: Vec<Party>,
    pub departments: Vec<String>,
    pub status: MeetingStatus,
    pub minutes: Option<String>,
    pub created_at: Millis,
}

#[derive(Clone, Debug, Serialize)]
pub struct MotionRow {
    pub id: i64,
    pub meeting_id: i64,
    pub topic_id: Option<i64>,
    pub title: String,
    pub basis: VotingBasis,
    pub quorum_pct: i64,
    pub majority: Majority,
    pub tally: Tally,
    pub status: MotionStatus,
    /// The result of the votes so far (final once closed).
    pub result: MotionResult,
    pub resolution_id: Option<i64>,
    pub closed_at: Option<Millis>,
}

/// A vote's voter: a household (一户一票) or a resident (一人一票) of the community.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Voter {
    Household(i64),
    Resident(i64),
}

#[derive(Clone, Debug, Serialize)]
pub struct ItemRow {
    pub id: i64,
    pub resolution_id: i64,
    pub kind: ItemKind,
    pub description: String,
    pub case_id: Option<i64>,
    pub ticket: Option<String>,
    /// The case's state code (`closed`, `in_progress` …), for a case item.
    pub case_state: Option<String>,
    pub owner: String,
    pub due_on: Option<Date>,
    pub progress: i64,
    pub state: ItemState,
}

#[derive(Clone, Debug, Serialize)]
pub struct ResolutionRow {
    pub id: i64,
    pub motion_id: i64,
    pub meeting_id: i64,
    pub community: AreaCode,
    pub title: String,
    pub created_at: Millis,
    pub items: Vec<ItemRow>,
    pub complete: bool,
}
