//! 契约化共建: a department and a community sign a contract of co-construction; the department
//! commits to deliverables with due dates (承诺事项), records what it delivered with evidence
//! (履约记录), and the community rates each commitment. A commitment not delivered by its due
//! date is overdue — computed from the data as of a day, never by a background job — and both
//! sides see it and the department's scorecard counts it.
//!
//! Pure rules: the store keeps the records, the server asks these functions before writing.

mod access;
mod drafts;
mod error;
mod status;

pub use access::{may_deliver, may_manage, may_rate};
pub use drafts::{
    CommitmentDraft, ContractDraft, DeliveryDraft, MAX_NOTES, MAX_TITLE, Rating, RatingDraft,
};
pub use error::CoBuildError;
pub use status::{CoBuildFigures, CommitmentStatus, DUE_SOON_DAYS, FigureInput, status, tally};
