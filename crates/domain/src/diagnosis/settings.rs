//! The settings of a run (the city may change them; shipped defaults in `Default`).

use super::DiagnosisError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Hotspots: the recent window, in days back from now.
    pub hotspot_window_days: u32,
    /// Hotspots: the baseline is this many weeks before the window.
    pub baseline_weeks: u32,
    /// Hotspots: the family-wise significance level (Bonferroni over the cells tested).
    pub alpha: f64,
    /// Hotspots: a cell is tested only with at least this many cases in the window.
    pub hotspot_min_count: u32,
    /// Hotspots: and only when its count is at least this many times the expected count.
    pub hotspot_min_ratio: f64,
    /// Recurrence: at least this many cases (N) …
    pub recurrence_min: u32,
    /// … of one category within this many metres …
    pub recurrence_radius_m: f64,
    /// … within this many days.
    pub recurrence_days: u32,
    /// Lagging departments, 推诿扯皮 and 每月一题: the period looked at, in days.
    pub period_days: u32,
    /// Lagging: a rate at least this many percentage points below the city's …
    pub lagging_gap_points: f64,
    /// … over at least this many cases in its denominator.
    pub lagging_min_cases: u32,
    /// 推诿扯皮: a case passed across at least this many departments.
    pub passed_min_departments: u32,
    /// 每月一题: at most this many candidates, each with at least `topic_min_cases` cases.
    pub topic_count: u32,
    pub topic_min_cases: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            hotspot_window_days: 14,
            baseline_weeks: 8,
            alpha: 0.01,
            hotspot_min_count: 5,
            hotspot_min_ratio: 3.0,
            recurrence_min: 3,
            recurrence_radius_m: 50.0,
            recurrence_days: 30,
            period_days: 30,
            lagging_gap_points: 10.0,
            lagging_min_cases: 20,
            passed_min_departments: 2,
            topic_count: 10,
            topic_min_cases: 5,
        }
    }
}

impl Settings {
    /// Bounded so that a typo cannot silence every finding or flood the pages.
    pub fn checked(self) -> Result<Settings, DiagnosisError> {
        let bad = |f: &'static str| Err(DiagnosisError::BadSetting(f));
        if !(1..=90).contains(&self.hotspot_window_days) {
            return bad("hotspot_window_days");
        }
        if !(1..=52).contains(&self.baseline_weeks) {
            return bad("baseline_weeks");
        }
        if !(self.alpha > 0.0 && self.alpha <= 0.2) {
            return bad("alpha");
        }
        if !(2..=1000).contains(&self.hotspot_min_count) {
            return bad("hotspot_min_count");
        }
        if !(self.hotspot_min_ratio >= 1.0 && self.hotspot_min_ratio <= 100.0) {
            return bad("hotspot_min_ratio");
        }
        if !(2..=100).contains(&self.recurrence_min) {
            return bad("recurrence_min");
        }
        if !(self.recurrence_radius_m >= 5.0 && self.recurrence_radius_m <= 1000.0) {
            return bad("recurrence_radius_m");
        }
        if !(1..=90).contains(&self.recurrence_days) {
            return bad("recurrence_days");
        }
        if !(7..=366).contains(&self.period_days) {
            return bad("period_days");
        }
        if !(self.lagging_gap_points > 0.0 && self.lagging_gap_points <= 100.0) {
            return bad("lagging_gap_points");
        }
        if !(1..=100_000).contains(&self.lagging_min_cases) {
            return bad("lagging_min_cases");
        }
        if !(2..=10).contains(&self.passed_min_departments) {
            return bad("passed_min_departments");
        }
        if !(1..=100).contains(&self.topic_count) {
            return bad("topic_count");
        }
        if !(1..=10_000).contains(&self.topic_min_cases) {
            return bad("topic_min_cases");
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Bilingual;

    #[test]
    fn defaults_pass_and_a_typo_is_refused_naming_its_field() {
        assert!(Settings::default().checked().is_ok());
        let e = Settings {
            recurrence_min: 1,
            ..Settings::default()
        }
        .checked()
        .unwrap_err();
        assert_eq!(e.field().as_deref(), Some("recurrence_min"));
        assert!(e.message_zh().contains("重复发生"));
        let e = Settings {
            alpha: 0.0,
            ..Settings::default()
        }
        .checked()
        .unwrap_err();
        assert_eq!(e.field().as_deref(), Some("alpha"));
    }
}
