//! 公示栏: what the district, a street, a community, its party organisation or a department
//! discloses to residents — 政务公示, 村务/居务公示, 党务公开, 惠民政策, 财务公开, deliberation
//! resolutions and their results, service results — for a publication period, to an audience
//! area. Published, changed (a new version) and withdrawn (with a reason) on the public log, so
//! a withdrawn notice is still provably once published; a draft is nobody's business but its
//! author's.
//!
//! Pure rules: the store keeps the notices, the server asks these functions before writing.

mod draft;
mod error;
mod state;

pub use draft::{
    MAX_BODY, MAX_REASON, MAX_TITLE, NoticeDraft, NoticeKind, paragraphs, withdraw_reason,
};
pub use error::NoticeError;
pub use state::{EXPIRING_DAYS, NoticeState, PublicStatus, may_publish, public_status};
