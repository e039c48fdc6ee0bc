//! 有事好商量 (Wujiang's standing deliberation platform): residents, party members and staff
//! raise topics (议题) in a community; residents support them until a threshold tables them
//! (列入议程); a meeting (协商议事会) of the invited parties takes tabled topics on its agenda,
//! records who came and its minutes, and votes motions (表决事项) one household or one
//! resident one vote under a quorum and a majority; a passed motion becomes a resolution (决议)
//! whose items are cases on the closed loop or tasks with an owner and a due date, tracked until
//! every item is done, and shown on the community's public results page.
//!
//! Pure rules: the store keeps the records, the server asks these functions before writing.

mod access;
mod error;
mod meeting;
mod resolution;
mod settings;
mod topic;
mod vote;

pub use access::{may_run, may_support, raise_target};
pub use error::DeliberationError;
pub use meeting::{
    AttendanceDraft, MAX_MINUTES, MeetingDraft, MeetingKind, MeetingStatus, Party, check_minutes,
};
pub use resolution::{
    ItemDraft, ItemKind, ItemState, MAX_ITEM, ResolutionDraft, check_progress, item_state,
    resolution_complete,
};
pub use settings::{
    BASIS_KEY, DeliberationSettings, MAJORITY_KEY, MAX_THRESHOLD, QUORUM_KEY, THRESHOLD_KEY,
};
pub use topic::{
    MAX_DESCRIPTION, MAX_TITLE, RaiserKind, SupportOutcome, TopicCategory, TopicDraft, TopicStatus,
    mask_name,
};
pub use vote::{
    Majority, MotionDraft, MotionResult, MotionRule, MotionStatus, Tally, VoteChoice, VotingBasis,
};

/// A required text, trimmed, at most `max` characters.
pub(crate) fn required(
    field: &'static str,
    v: &str,
    max: usize,
) -> Result<String, DeliberationError> {
    let t = v.trim();
    if t.is_empty() {
        Err(DeliberationError::Blank(field))
    } else if t.chars().count() > max {
        Err(DeliberationError::TooLong(field, max))
    } else {
        Ok(t.to_string())
    }
}

/// What was typed, cut short for a message.
pub(crate) fn clip(s: &str) -> String {
    s.trim().chars().take(40).collect()
}
