//! A notice's life: draft → published (changed any number of times, each a new version) →
//! withdrawn. What the public sees of it on a day follows from its state and its period.

use super::NoticeError;
use crate::access::{Action, Principal, Target, decide};
use crate::calendar::Date;
use crate::codes::AreaCode;
use crate::labelled_enum;

/// Days before its period ends from which a published notice is "expiring soon" on the
/// publisher's home page.
pub const EXPIRING_DAYS: i64 = 7;

labelled_enum! {
    pub enum NoticeState {
        Draft = ("draft", "草稿", "Draft"),
        Published = ("published", "已发布", "Published"),
        Withdrawn = ("withdrawn", "已撤回", "Withdrawn"),
    }
}

impl NoticeState {
    /// Publishing a draft.
    pub fn publish(self) -> Result<NoticeState, NoticeError> {
        match self {
            NoticeState::Draft => Ok(NoticeState::Published),
            s => Err(NoticeError::WrongState {
                state: s,
                action: "published",
            }),
        }
    }

    /// Changing the text: a draft in place, a published notice as a new version.
    pub fn change(self) -> Result<NoticeState, NoticeError> {
        match self {
            NoticeState::Withdrawn => Err(NoticeError::WrongState {
                state: self,
                action: "changed",
            }),
            s => Ok(s),
        }
    }

    /// Withdrawing a published notice (a draft is simply never published).
    pub fn withdraw(self) -> Result<NoticeState, NoticeError> {
        match self {
            NoticeState::Published => Ok(NoticeState::Withdrawn),
            s => Err(NoticeError::WrongState {
                state: s,
                action: "withdrawn",
            }),
        }
    }
}

labelled_enum! {
    /// What a visitor sees of a notice on a day.
    pub enum PublicStatus {
        /// Published, its period includes the day: on the board, body shown.
        Current = ("current", "公示中", "On notice"),
        /// Published, period not begun: not shown yet.
        Upcoming = ("upcoming", "未开始", "Not yet"),
        /// Published, period over: its page still reads, the board no longer lists it.
        Expired = ("expired", "已结束", "Ended"),
        /// Withdrawn: title, dates and reason, never the body.
        Withdrawn = ("withdrawn", "已撤回", "Withdrawn"),
    }
}

/// What the public sees of a notice in `state` with period `from`–`until` on `today`; `None`
/// for a draft (not public at all).
pub fn public_status(
    state: NoticeState,
    from: Date,
    until: Date,
    today: Date,
) -> Option<PublicStatus> {
    match state {
        NoticeState::Draft => None,
        NoticeState::Withdrawn => Some(PublicStatus::Withdrawn),
        NoticeState::Published if today < from => Some(PublicStatus::Upcoming),
        NoticeState::Published if today > until => Some(PublicStatus::Expired),
        NoticeState::Published => Some(PublicStatus::Current),
    }
}

/// Who writes a notice to `audience`: staff of an area covering it, its party organisation,
/// or the publishing `department` itself — asked of the one policy.
pub fn may_publish(p: &Principal, audience: &AreaCode, department: Option<&str>) -> bool {
    decide(p, Action::PublishNotice, &Target::Area(*audience)).is_ok()
        || department.is_some_and(|d| {
            decide(p, Action::PublishNotice, &Target::Department(d.to_string())).is_ok()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u8) -> Date {
        Date::new(2026, 10, day).unwrap()
    }

    #[test]
    fn a_notice_is_public_once_published_and_withdrawn_stays_visible() {
        let s = NoticeState::Draft;
        assert_eq!(public_status(s, d(1), d(31), d(5)), None);
        let p = s.publish().unwrap();
        assert_eq!(
            public_status(p, d(10), d(31), d(5)),
            Some(PublicStatus::Upcoming)
        );
        assert_eq!(
            public_status(p, d(1), d(31), d(31)),
            Some(PublicStatus::Current)
        );
        assert_eq!(
            public_status(p, d(1), d(4), d(5)),
            Some(PublicStatus::Expired)
        );
        let w = p.withdraw().unwrap();
        assert_eq!(
            public_status(w, d(1), d(31), d(5)),
            Some(PublicStatus::Withdrawn)
        );
        assert!(w.change().is_err());
        assert!(w.withdraw().is_err());
        assert!(p.publish().is_err());
        assert!(NoticeState::Draft.withdraw().is_err());
    }
}
