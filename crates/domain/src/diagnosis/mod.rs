//! 诊断 (the D of IDEA): findings from the case data, each with the evidence behind it and the
//! cases it rests on —
//! - **hotspots** (热点): a grid × category whose count in the recent window is far above its
//!   own baseline (the weeks before), by a Poisson upper-tail test with a Bonferroni correction
//!   for the number of cells tested and a minimum count ([`hotspot`]);
//! - **recurrence** (重复发生): the same category at the same place (within 50 m) at least N
//!   times in 30 days ([`recurrence`]);
//! - **lagging departments** (落后部门): a department's 按期处置率, 解决率 or 满意率 well below
//!   the city's, with the counts behind both ([`lagging`]);
//! - **推诿扯皮**: cases passed between departments (dispatched, returned, redirected across at
//!   least two departments), with the chain ([`passed`]);
//! - **每月一题 candidates**: category × street problems scored on volume, recurrence, low
//!   satisfaction and cross-department passing ([`monthly`]).
//!
//! Pure functions over case facts the store reads for the window; a run's findings are stored
//! and the pages read them.

mod error;
pub mod hotspot;
pub mod lagging;
pub mod monthly;
pub mod passed;
pub mod poisson;
pub mod recurrence;
mod settings;

pub use error::DiagnosisError;
pub use settings::Settings;

use crate::calendar::DAY_MS;
use crate::case::Rating;
use crate::codes::{AreaCode, GridCode};
use crate::labelled_enum;
use crate::metrics::CaseFacts;
use serde::{Deserialize, Serialize};

labelled_enum! {
    /// What a finding is about.
    pub enum FindingKind {
        Hotspot = ("hotspot", "热点", "Hotspots"),
        Recurrence = ("recurrence", "重复发生", "Recurrence"),
        Lagging = ("lagging", "落后部门", "Lagging departments"),
        PassedAround = ("passed_around", "推诿扯皮", "Passed around"),
        MonthlyTopic = ("monthly_topic", "每月一题候选", "Problem of the month candidates"),
    }
}

labelled_enum! {
    /// What was done about a finding.
    pub enum ActedKind {
        Supervision = ("supervision", "已督办", "Supervision order opened"),
        Case = ("case", "已立案交办", "Case opened"),
    }
}

/// One case as diagnosis sees it: where, what, who holds it, and its counters and rating (the
/// domain's `CaseFacts::of` and current rating, computed by the store from the case).
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFact {
    pub id: i64,
    pub category: String,
    pub community: Option<AreaCode>,
    pub grid: Option<GridCode>,
    pub department: Option<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub reported_at: i64,
    pub facts: CaseFacts,
    pub rating: Option<Rating>,
}

/// A grid × category count in the baseline weeks (the store counts them with one GROUP BY).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellCount {
    pub grid: GridCode,
    pub category: String,
    pub count: u64,
}

labelled_enum! {
    /// A step of a case between departments.
    pub enum MoveKind {
        Dispatched = ("dispatched", "派遣", "Dispatched"),
        Returned = ("returned", "回退", "Returned"),
        Redirected = ("redirected", "改派", "Redirected"),
    }
}

/// One step of a case's passage: dispatched to, returned by, or redirected to `department`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    pub kind: MoveKind,
    pub department: Option<String>,
    pub at: i64,
}

/// The moves of one case in the window, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseMoves {
    pub case_id: i64,
    pub moves: Vec<Move>,
}

/// What a run looks at: the window's cases, the baseline counts, the moves.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Cases reported from `now − window_days` on (the longest window any finding uses).
    pub cases: Vec<CaseFact>,
    /// Grid × category counts reported in the baseline weeks before the hotspot window.
    pub baseline: Vec<CellCount>,
    /// Department moves of the window's cases.
    pub moves: Vec<CaseMoves>,
}

/// The evidence behind a finding, kept with it (JSON) and shown on its page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Evidence {
    Hotspot(hotspot::HotspotEvidence),
    Recurrence(recurrence::RecurrenceEvidence),
    Lagging(lagging::LaggingEvidence),
    PassedAround(passed::PassedEvidence),
    MonthlyTopic(monthly::TopicEvidence),
}

/// A finding: its kind, a stable key (kind and subject, so that a finding acted on is not
/// raised again by the next run), where and what it is about, its score for ordering, the
/// evidence, and the cases behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub key: String,
    /// The community (hotspot, recurrence, passed around) or street (monthly topic) it is in;
    /// `None` for a department city-wide.
    pub place: Option<AreaCode>,
    pub grid: Option<GridCode>,
    pub category: Option<String>,
    /// The department it concerns (lagging, passed around) or most of its cases are with.
    pub department: Option<String>,
    pub score: f64,
    pub evidence: Evidence,
    /// The cases behind it, newest first.
    pub cases: Vec<i64>,
}

/// Every finding of one run at `now`, each kind ordered by score (highest first).
pub fn diagnose(inputs: &Inputs, s: &Settings, now: i64) -> Vec<Finding> {
    let mut out = hotspot::find(&inputs.cases, &inputs.baseline, s, now);
    let recurrences = recurrence::find(&inputs.cases, s, now);
    out.extend(recurrences.iter().cloned());
    out.extend(lagging::find(&inputs.cases, s, now));
    let passed = passed::find(&inputs.cases, &inputs.moves, s);
    out.extend(passed.iter().cloned());
    out.extend(monthly::find(&inputs.cases, &recurrences, &passed, s, now));
    out
}

/// The earliest report time a run reads: the baseline weeks before the hotspot window, or the
/// longest other window.
pub fn baseline_from(s: &Settings, now: i64) -> i64 {
    now - i64::from(s.hotspot_window_days + 7 * s.baseline_weeks) * DAY_MS
}

/// Where a run's case rows start: the longest of the windows that read cases one by one.
pub fn cases_from(s: &Settings, now: i64) -> i64 {
    let days = s
        .hotspot_window_days
        .max(s.recurrence_days)
        .max(s.period_days);
    now - i64::from(days) * DAY_MS
}

/// The department most of `cases` are with (ties: the smallest code), if any has one.
pub(crate) fn main_department<'a>(cases: impl Iterator<Item = &'a CaseFact>) -> Option<String> {
    let mut n: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for c in cases {
        if let Some(d) = c.department.as_deref() {
            *n.entry(d).or_default() += 1;
        }
    }
    let best = n.values().copied().max()?;
    n.into_iter()
        .find(|(_, k)| *k == best)
        .map(|(d, _)| d.to_string())
}

/// Newest first: how a finding lists its cases.
pub(crate) fn newest_first(mut cases: Vec<&CaseFact>) -> Vec<i64> {
    cases.sort_by(|a, b| b.reported_at.cmp(&a.reported_at).then(b.id.cmp(&a.id)));
    cases.into_iter().map(|c| c.id).collect()
}

#[cfg(test)]
pub(crate) mod test_support;
