//! 消极怠政 (the appendix): passive-governance reports (`MisconductReport`) in configurable
//! categories (`MisconductCategory`, seeded with the twelve), their channels and lookup codes,
//! the signals a supervisor reviews from the case data, investigations, and accountability
//! (`Accountability`) on the ordered ladder of `AccountabilityAction`, with the statistics of
//! the county report.
//!
//! Pure rules: the store keeps reports, the server asks these functions before writing. Who
//! may see a reporter's identity is decided here (`may_see_reporter`), from the assignment.

mod category;
mod error;
mod ladder;
mod report;
mod signals;
mod state;
mod stats;

pub use category::{BUCK_PASSING, CategoryDraft, DEFAULT_CATEGORIES, MisconductCategory};
pub use error::ConductError;
pub use ladder::{
    AccountabilityAction, AccountabilityDraft, GovernmentSanction, PartyDiscipline, Sanction,
};
pub use report::{
    MAX_DESCRIPTION, MAX_TEXT, ReportChannel, ReportDraft, ReportedUnit, Reporter,
    may_see_reporter, required_text,
};
pub use signals::{
    CaseMove, DepartmentRatings, MissedCheckIn, OverdueCase, Signal, SignalKind, SignalThresholds,
    Signals, median,
};
pub use state::{Conclusion, ReportState};
pub use stats::{ActionRow, CategoryRow, HandledAction, ReportFact, Statistics, UnitRow, tabulate};
