//! The risk of a power's abuse (廉政风险等级): four factors scored 1–5 — importance (重要程度),
//! discretion (自由裁量权大小), likelihood (发生概率), harm (危害程度) — combined under the
//! city's weights into a score of 0–100 and a level (高/中/低) by two thresholds.
//!
//! The formula is a weighted geometric mean rescaled to 0–100:
//! `G = Π fᵢ^(wᵢ/Σw)` lies in [1, 5], and `score = round(100 × (G − 1) / 4)`.
//! A product (not a sum) because the appendix's factors compound: a power that matters but
//! leaves no discretion is not a high risk. A weight of 0 leaves a factor out. Level: `high`
//! when `score ≥ high_from`, `medium` when `score ≥ medium_from`, else `low`.

use super::PowerError;
use crate::access::{Principal, Role, Scope};
use crate::labelled_enum;
use serde::{Deserialize, Serialize};

labelled_enum! {
    pub enum RiskLevel {
        High = ("high", "高", "High"),
        Medium = ("medium", "中", "Medium"),
        Low = ("low", "低", "Low"),
    }
}

/// The four factors of an item, each 1–5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskFactors {
    pub importance: u8,
    pub discretion: u8,
    pub likelihood: u8,
    pub harm: u8,
}

/// The four factors' names, in the order of `RiskFactors::values`: (field, 中文, English).
pub const FACTORS: [(&str, &str, &str); 4] = [
    ("importance", "重要程度", "importance"),
    ("discretion_level", "自由裁量权大小", "discretion"),
    ("likelihood", "发生概率", "likelihood"),
    ("harm", "危害程度", "harm"),
];

impl RiskFactors {
    pub fn values(&self) -> [u8; 4] {
        [self.importance, self.discretion, self.likelihood, self.harm]
    }

    /// Each factor 1–5, else refused naming it.
    pub fn checked(self) -> Result<RiskFactors, PowerError> {
        for (v, (field, ..)) in self.values().iter().zip(FACTORS) {
            if !(1..=5).contains(v) {
                return Err(PowerError::FactorRange(field));
            }
        }
        Ok(self)
    }
}

/// The city's weights (0–10 each, not all 0) and thresholds (0 < medium_from < high_from ≤ 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskSettings {
    pub w_importance: u8,
    pub w_discretion: u8,
    pub w_likelihood: u8,
    pub w_harm: u8,
    pub high_from: u8,
    pub medium_from: u8,
}

impl Default for RiskSettings {
    /// Equal weights; a third of the range each (a score of 35 needs every factor about 2.4).
    fn default() -> Self {
        RiskSettings {
            w_importance: 1,
            w_discretion: 1,
            w_likelihood: 1,
            w_harm: 1,
            high_from: 60,
            medium_from: 35,
        }
    }
}

pub const MAX_WEIGHT: u8 = 10;

impl RiskSettings {
    pub fn weights(&self) -> [u8; 4] {
        [
            self.w_importance,
            self.w_discretion,
            self.w_likelihood,
            self.w_harm,
        ]
    }

    pub fn checked(self) -> Result<RiskSettings, PowerError> {
        for (w, (field, ..)) in self.weights().iter().zip(FACTORS) {
            if *w > MAX_WEIGHT {
                return Err(PowerError::WeightRange(field));
            }
        }
        if self.weights().iter().all(|w| *w == 0) {
            return Err(PowerError::WeightsAllZero);
        }
        if self.medium_from == 0 || self.medium_from >= self.high_from || self.high_from > 100 {
            return Err(PowerError::Thresholds);
        }
        Ok(self)
    }

    /// The score 0–100 of `f` under these weights (see the module's formula).
    pub fn score(&self, f: &RiskFactors) -> u8 {
        let total: f64 = self.weights().iter().map(|w| f64::from(*w)).sum();
        if total == 0.0 {
            return 0;
        }
        let log_g: f64 = f
            .values()
            .iter()
            .zip(self.weights())
            .map(|(v, w)| f64::from(w) / total * f64::from((*v).clamp(1, 5)).ln())
            .sum();
        let g = log_g.exp();
        // [1, 5] → [0, 100]; clamped against rounding at the ends.
        ((g - 1.0) / 4.0 * 100.0).round().clamp(0.0, 100.0) as u8
    }

    pub fn level_of(&self, score: u8) -> RiskLevel {
        if score >= self.high_from {
            RiskLevel::High
        } else if score >= self.medium_from {
            RiskLevel::Medium
        } else {
            RiskLevel::Low
        }
    }

    /// Score and level of `f`.
    pub fn assess(&self, f: &RiskFactors) -> (u8, RiskLevel) {
        let s = self.score(f);
        (s, self.level_of(s))
    }
}

/// Who sets the city's weights and thresholds: the administrator, or discipline supervision
/// for the whole city (a street's 纪工委 does not set the city's rule).
pub fn may_set_risk_settings(p: &Principal) -> bool {
    match p.role {
        Role::Admin => true,
        Role::Supervisor => p.scope == Scope::All,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(a: u8, b: u8, c: u8, d: u8) -> RiskFactors {
        RiskFactors {
            importance: a,
            discretion: b,
            likelihood: c,
            harm: d,
        }
    }

    #[test]
    fn the_score_spans_zero_to_a_hundred() {
        let s = RiskSettings::default();
        assert_eq!(s.score(&f(1, 1, 1, 1)), 0);
        assert_eq!(s.score(&f(5, 5, 5, 5)), 100);
        assert_eq!(s.score(&f(3, 3, 3, 3)), 50);
        assert_eq!(s.assess(&f(5, 5, 4, 4)).1, RiskLevel::High);
        assert_eq!(s.assess(&f(3, 3, 2, 3)).1, RiskLevel::Medium);
        assert_eq!(s.assess(&f(2, 1, 1, 2)).1, RiskLevel::Low);
    }

    #[test]
    fn the_weights_change_the_level() {
        // Important and discretionary, rarely abused and of little harm.
        let item = f(5, 5, 1, 1);
        let equal = RiskSettings::default();
        assert_eq!(equal.assess(&item), (31, RiskLevel::Low));
        let weighted = RiskSettings {
            w_importance: 3,
            w_discretion: 3,
            ..equal
        };
        assert_eq!(weighted.assess(&item), (59, RiskLevel::Medium));
        let lower = RiskSettings {
            high_from: 55,
            ..weighted
        };
        assert_eq!(lower.assess(&item).1, RiskLevel::High);
        // A weight of 0 leaves the factor out.
        let only_harm = RiskSettings {
            w_importance: 0,
            w_discretion: 0,
            w_likelihood: 0,
            ..equal
        };
        assert_eq!(only_harm.assess(&item), (0, RiskLevel::Low));
    }

    #[test]
    fn bad_settings_and_factors_are_refused_by_name() {
        let s = RiskSettings {
            w_harm: 11,
            ..Default::default()
        };
        assert_eq!(s.checked(), Err(PowerError::WeightRange("harm")));
        let s = RiskSettings {
            w_importance: 0,
            w_discretion: 0,
            w_likelihood: 0,
            w_harm: 0,
            ..Default::default()
        };
        assert_eq!(s.checked(), Err(PowerError::WeightsAllZero));
        let s = RiskSettings {
            medium_from: 70,
            ..Default::default()
        };
        assert_eq!(s.checked(), Err(PowerError::Thresholds));
        assert_eq!(
            f(0, 3, 3, 3).checked(),
            Err(PowerError::FactorRange("importance"))
        );
        assert_eq!(
            f(3, 6, 3, 3).checked(),
            Err(PowerError::FactorRange("discretion_level"))
        );
    }
}
