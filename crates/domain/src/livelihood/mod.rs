//! "1234" 民生监督 (the appendix): four databases — responsibilities (责任), livelihood projects
//! (项目: funds, beneficiaries, progress), supervision records (监督: inspections and the
//! rectification they require) and investigation records (查处) — one handbook generated from
//! the responsibilities, two online boxes (report and petition, the conduct module's public
//! form) and three disclosure platforms on the notice board (政务公示, 村务/居务公示, 惠民政策).
//!
//! Pure rules: amounts are fen (integers), parsed from yuan as typed; a project's funds must
//! add up (disbursed ≤ allocated ≤ budgeted); a disclosure's text follows from the project.

mod error;
mod money;
mod records;

pub use error::LivelihoodError;
pub use money::{fen_to_yuan, parse_yuan};
pub use records::{
    DISCLOSURE_KINDS, InspectionDraft, InvestigationDraft, ProgressDraft, ProjectDraft,
    Rectification, ResponsibilityDraft, disclosure, yuan,
};
