//! 诊断 kept: each run's findings with their evidence and cases, what was done about them, and
//! the run itself (what it read). The store reads for a run only what its windows need — the
//! cases reported since the start of the longest window (by `cases_reported`), the baseline as
//! grid × category counts (one GROUP BY over the same index), and the department moves of the
//! window's cases — and the domain (`gongzhi_domain::diagnosis`) decides the findings.

mod reads;
mod rows;
mod writes;

pub use rows::{FindingAct, FindingFilter, FindingRow, RunCounts, RunRow};
pub(crate) use writes::mark_case_opened;
