//! Deadline classes and their time limits (处置时限).

use serde::{Deserialize, Serialize};

use crate::calendar::{Duration, WorkCalendar};

/// How urgent a category is; decides the time limit once a case is dispatched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineClass {
    /// Danger to people or property (紧急).
    Emergency,
    /// Water, power, gas or heating failures (水电气暖).
    Utilities,
    General,
    /// Needs several departments or works (复杂).
    Complex,
}

impl DeadlineClass {
    pub const ALL: [DeadlineClass; 4] = [
        DeadlineClass::Emergency,
        DeadlineClass::Utilities,
        DeadlineClass::General,
        DeadlineClass::Complex,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineClass::Emergency => "emergency",
            DeadlineClass::Utilities => "utilities",
            DeadlineClass::General => "general",
            DeadlineClass::Complex => "complex",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            DeadlineClass::Emergency => "紧急",
            DeadlineClass::Utilities => "水电气暖",
            DeadlineClass::General => "一般",
            DeadlineClass::Complex => "复杂",
        }
    }

    /// Accepts the snake_case code or the Chinese name.
    pub fn parse(s: &str) -> Option<DeadlineClass> {
        let s = s.trim();
        DeadlineClass::ALL
            .into_iter()
            .find(|c| s.eq_ignore_ascii_case(c.as_str()) || s == c.zh())
    }
}

/// The time limit of each class. The shipped defaults follow common 数字城管/接诉即办
/// practice: emergency 2 hours, utilities 24 hours (both on the wall clock, since neither
/// waits for a workday), general 7 working days, complex 15 working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineRules {
    pub emergency: Duration,
    pub utilities: Duration,
    pub general: Duration,
    pub complex: Duration,
}

impl Default for DeadlineRules {
    fn default() -> Self {
        DeadlineRules {
            emergency: Duration::NaturalHours(2),
            utilities: Duration::NaturalHours(24),
            general: Duration::WorkingDays(7),
            complex: Duration::WorkingDays(15),
        }
    }
}

impl DeadlineRules {
    pub fn duration(&self, class: DeadlineClass) -> Duration {
        match class {
            DeadlineClass::Emergency => self.emergency,
            DeadlineClass::Utilities => self.utilities,
            DeadlineClass::General => self.general,
            DeadlineClass::Complex => self.complex,
        }
    }

    /// The deadline of a case of `class` dispatched at `dispatched_ms`.
    pub fn deadline(
        &self,
        calendar: &WorkCalendar,
        class: DeadlineClass,
        dispatched_ms: i64,
    ) -> i64 {
        calendar.add(dispatched_ms, self.duration(class))
    }
}
