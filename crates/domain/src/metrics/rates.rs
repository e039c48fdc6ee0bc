//! The three 接诉即办 rates over valid follow-ups (有效回访) and the composite score.

use serde::{Deserialize, Serialize};

use crate::case::{Case, Rating, Satisfaction};

/// Weights of the composite score, and of 基本满意 within 满意率. Defaults: 0.1 响应率 +
/// 0.5 解决率 + 0.4 满意率, with 基本满意 counting 0.9 of 满意.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    pub response: f64,
    pub resolution: f64,
    pub satisfaction: f64,
    pub basically_satisfied: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            response: 0.1,
            resolution: 0.5,
            satisfaction: 0.4,
            basically_satisfied: 0.9,
        }
    }
}

/// Tallies of valid follow-ups.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUps {
    pub valid: u64,
    pub contacted: u64,
    pub resolved: u64,
    pub satisfied: u64,
    pub basically_satisfied: u64,
    pub unsatisfied: u64,
}

/// The rates as fractions (0.0–1.0); `None` without valid follow-ups.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rates {
    /// 响应率.
    pub response_rate: Option<f64>,
    /// 解决率.
    pub resolution_rate: Option<f64>,
    /// 满意率.
    pub satisfaction_rate: Option<f64>,
    /// 综合成绩.
    pub composite: Option<f64>,
}

impl FollowUps {
    /// Adds one valid follow-up.
    pub fn add(&mut self, r: &Rating) {
        self.valid += 1;
        self.contacted += u64::from(r.contacted);
        self.resolved += u64::from(r.resolved);
        match r.satisfaction {
            Satisfaction::Satisfied => self.satisfied += 1,
            Satisfaction::BasicallySatisfied => self.basically_satisfied += 1,
            Satisfaction::Unsatisfied => self.unsatisfied += 1,
        }
    }

    /// Tallies the current ratings of `cases`; unrated cases are not valid follow-ups.
    pub fn from_cases<'a>(cases: impl IntoIterator<Item = &'a Case>) -> FollowUps {
        let mut f = FollowUps::default();
        for r in cases.into_iter().filter_map(|c| c.rating.as_ref()) {
            f.add(r);
        }
        f
    }

    pub fn merge(&mut self, o: &FollowUps) {
        self.valid += o.valid;
        self.contacted += o.contacted;
        self.resolved += o.resolved;
        self.satisfied += o.satisfied;
        self.basically_satisfied += o.basically_satisfied;
        self.unsatisfied += o.unsatisfied;
    }

    fn share(&self, n: f64) -> Option<f64> {
        (self.valid > 0).then(|| n / self.valid as f64)
    }

    /// 响应率 = contacted / valid.
    pub fn response_rate(&self) -> Option<f64> {
        self.share(self.contacted as f64)
    }

    /// 解决率 = resolved / valid.
    pub fn resolution_rate(&self) -> Option<f64> {
        self.share(self.resolved as f64)
    }

    /// 满意率 = (satisfied + w × basically satisfied) / valid, w = 0.9 by default.
    pub fn satisfaction_rate(&self, w: &Weights) -> Option<f64> {
        self.share(self.satisfied as f64 + w.basically_satisfied * self.basically_satisfied as f64)
    }

    /// All three rates and 综合成绩 = 0.1·响应率 + 0.5·解决率 + 0.4·满意率 (by default).
    pub fn rates(&self, w: &Weights) -> Rates {
        let (response, resolution, satisfaction) = (
            self.response_rate(),
            self.resolution_rate(),
            self.satisfaction_rate(w),
        );
        let composite = match (response, resolution, satisfaction) {
            (Some(a), Some(b), Some(c)) => {
                Some(w.response * a + w.resolution * b + w.satisfaction * c)
            }
            _ => None,
        };
        Rates {
            response_rate: response,
            resolution_rate: resolution,
            satisfaction_rate: satisfaction,
            composite,
        }
    }
}

/// A fraction as a percentage rounded to two decimals: 0.961575… → 96.16.
pub fn percent(fraction: f64) -> f64 {
    (fraction * 10_000.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rating(contacted: bool, resolved: bool, satisfaction: Satisfaction) -> Rating {
        Rating {
            contacted,
            resolved,
            satisfaction,
        }
    }

    #[test]
    fn three_rates_and_composite() {
        use Satisfaction::*;
        let mut f = FollowUps::default();
        for r in [
            rating(true, true, Satisfied),
            rating(true, true, Satisfied),
            rating(true, false, BasicallySatisfied),
            rating(false, false, Unsatisfied),
        ] {
            f.add(&r);
        }
        let w = Weights::default();
        let r = f.rates(&w);
        assert_eq!(r.response_rate, Some(0.75));
        assert_eq!(r.resolution_rate, Some(0.5));
        // (2 + 0.9) / 4
        assert!((r.satisfaction_rate.unwrap() - 0.725).abs() < 1e-12);
        // 0.1·0.75 + 0.5·0.5 + 0.4·0.725 = 0.075 + 0.25 + 0.29
        assert!((r.composite.unwrap() - 0.615).abs() < 1e-12);
        assert_eq!(percent(r.composite.unwrap()), 61.5);
    }

    #[test]
    fn weights_are_configurable() {
        let mut f = FollowUps::default();
        f.add(&rating(true, false, Satisfaction::BasicallySatisfied));
        let w = Weights {
            response: 0.2,
            resolution: 0.4,
            satisfaction: 0.4,
            basically_satisfied: 0.8,
        };
        let r = f.rates(&w);
        assert_eq!(r.satisfaction_rate, Some(0.8));
        assert!((r.composite.unwrap() - (0.2 + 0.32)).abs() < 1e-12);
    }

    #[test]
    fn no_follow_ups_no_rates() {
        let r = FollowUps::default().rates(&Weights::default());
        assert_eq!(
            r,
            Rates {
                response_rate: None,
                resolution_rate: None,
                satisfaction_rate: None,
                composite: None
            }
        );
    }
}
