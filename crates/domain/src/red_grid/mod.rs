//! 红色网格 (Jinhua's red grid): the party organisation embedded in grid management. Each grid
//! has its roles (网格长, 网格指导员, 红色网格员); each red grid member serves 5–10 households
//! (联户, configurable), visits them and keeps a diary of what they did (民情日记), mediates
//! conflicts, and raises what it cannot settle as a case that runs the closed loop.
//!
//! Pure rules: the store keeps the records, the server asks these functions before writing.

mod access;
mod coverage;
mod error;
mod links;
mod mediation;
mod roles;
mod visits;

pub use access::{manages, may_set_settings, may_work_on};
pub use coverage::{CoverageTotals, GridCounts, GridCoverage, MemberLoad, coverage};
pub use error::RedGridError;
pub use links::{LinkSettings, LinkWarning, Load, MAX_KEY, MAX_LIMIT, MIN_KEY};
pub use mediation::{MAX_ISSUE, MediationDraft, MediationOutcome, mask_party, masked_parties};
pub use roles::{ActiveRole, GridRoleDraft, GridRoleKind, MAX_NAME, RoleHolder};
pub use visits::{MAX_NOTES, VisitDraft, VisitPurpose};
