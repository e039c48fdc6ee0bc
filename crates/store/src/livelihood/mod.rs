//! "1234" 民生监督 kept: responsibilities, livelihood projects with their dated progress,
//! inspections (supervision records) and investigation records, and each project's
//! disclosures on the notice board. Every write is one transaction with its log event
//! (`livelihood_project/ID`, `livelihood_responsibility/ID`): codes, ids and amounts in fen in
//! clear, texts hashed, never a person's name. A disclosure publishes the notice through the
//! notice board's own insert in the same transaction.

mod reads;
mod rows;
mod writes;

pub use rows::{
    DisclosureRow, InspectionRow, InvestigationRow, LivelihoodFilter, ProgressRow, ProjectRow,
    ResponsibilityRow,
};
pub use writes::LivelihoodWriteError;
