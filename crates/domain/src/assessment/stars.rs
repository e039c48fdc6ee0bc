//! 五星量化考核: a member's year scored on weighted dimensions; the weighted total out of 100
//! earns 1–5 stars by the rules' thresholds.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::AssessmentError;

/// One scored dimension: its code, names, weight in the total (the weights add up to 100) and
/// the highest score it takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dimension {
    pub code: String,
    pub zh: String,
    pub en: String,
    pub weight: u32,
    pub max: u32,
}

/// The five-star rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StarRules {
    pub dimensions: Vec<Dimension>,
    /// The lowest total (out of 100) earning 2, 3, 4 and 5 stars; below the first, 1 star.
    pub thresholds: [u32; 4],
    /// Members rated this many stars or fewer are flagged (0: none are).
    pub alert_at_or_below: u8,
}

/// A rating: the weighted total in hundredths of a point (0–10000) and the stars it earns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StarResult {
    pub total: u32,
    pub stars: u8,
}

/// At most this many dimensions.
pub const MAX_DIMENSIONS: usize = 10;

pub(super) fn check_code(code: &str) -> Result<(), AssessmentError> {
    let ok = (1..=32).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(AssessmentError::BadCode(code.chars().take(40).collect()))
    }
}

pub(super) fn check_name(code: &str, zh: &str) -> Result<(), AssessmentError> {
    let n = zh.trim().chars().count();
    if n == 0 || n > 20 {
        return Err(AssessmentError::BadName(code.to_string()));
    }
    Ok(())
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a.abs() } else { gcd(b, a % b) }
}

impl StarRules {
    /// The shipped defaults: five dimensions scored 0–10, weighted 20/20/25/20/15; 60, 70, 80
    /// and 90 points for 2–5 stars; members at 2 stars or fewer flagged.
    pub fn shipped() -> StarRules {
        let d = |code: &str, zh: &str, en: &str, weight| Dimension {
            code: code.into(),
            zh: zh.into(),
            en: en.into(),
            weight,
            max: 10,
        };
        StarRules {
            dimensions: vec![
                d("study", "政治学习", "Political study", 20),
                d("org_life", "组织生活", "Organisational life", 20),
                d("service", "联系服务群众", "Serving residents", 25),
                d("vanguard", "岗位履职", "Vanguard role", 20),
                d("discipline", "遵规守纪", "Discipline", 15),
            ],
            thresholds: [60, 70, 80, 90],
            alert_at_or_below: 2,
        }
    }

    /// Checks a rule set before it is saved: codes well-formed and distinct, names given,
    /// weights adding up to 100, thresholds rising within 1–100.
    pub fn check(&self) -> Result<(), AssessmentError> {
        if self.dimensions.is_empty() {
            return Err(AssessmentError::Empty("dimensions"));
        }
        if self.dimensions.len() > MAX_DIMENSIONS {
            return Err(AssessmentError::TooMany("dimensions", MAX_DIMENSIONS));
        }
        let mut seen = std::collections::BTreeSet::new();
        for d in &self.dimensions {
            check_code(&d.code)?;
            if !seen.insert(d.code.as_str()) {
                return Err(AssessmentError::DuplicateCode(d.code.clone()));
            }
            check_name(&d.code, &d.zh)?;
            if !(1..=100).contains(&d.weight) || !(1..=100).contains(&d.max) {
                return Err(AssessmentError::BadDimension(d.code.clone()));
            }
        }
        let sum: u32 = self.dimensions.iter().map(|d| d.weight).sum();
        if sum != 100 {
            return Err(AssessmentError::WeightsSum(sum));
        }
        let t = self.thresholds;
        if !(1..=100).contains(&t[0]) || t[3] > 100 || t.windows(2).any(|w| w[0] >= w[1]) {
            return Err(AssessmentError::Thresholds);
        }
        if self.alert_at_or_below > 4 {
            return Err(AssessmentError::AlertStars(self.alert_at_or_below));
        }
        Ok(())
    }

    /// Rates a member's scores (dimension code → score): every dimension scored, none above
    /// its maximum, no unknown dimension. The total is Σ score / max × weight, computed exactly
    /// (a total of exactly 90 is 5 stars, never 89.999…) and shown rounded half up to hundredths.
    pub fn rate(&self, scores: &BTreeMap<String, u32>) -> Result<StarResult, AssessmentError> {
        if let Some(code) = scores
            .keys()
            .find(|c| !self.dimensions.iter().any(|d| &d.code == *c))
        {
            return Err(AssessmentError::UnknownDimension(
                code.chars().take(40).collect(),
            ));
        }
        // The total as the exact fraction num / den.
        let (mut num, mut den) = (0i128, 1i128);
        for d in &self.dimensions {
            let s = *scores
                .get(&d.code)
                .ok_or_else(|| AssessmentError::MissingScore(d.zh.clone()))?;
            if s > d.max {
                return Err(AssessmentError::ScoreAboveMax {
                    dimension: d.zh.clone(),
                    max: d.max,
                });
            }
            let (n, m) = (i128::from(s) * i128::from(d.weight), i128::from(d.max));
            num = num * m + n * den;
            den *= m;
            let g = gcd(num, den).max(1);
            num /= g;
            den /= g;
        }
        let stars = 1 + self
            .thresholds
            .iter()
            .filter(|t| num >= i128::from(**t) * den)
            .count();
        let total = (num * 200 + den) / (2 * den);
        Ok(StarResult {
            total: u32::try_from(total).unwrap_or(u32::MAX),
            stars: stars as u8,
        })
    }

    /// The dimension named by `code`.
    pub fn dimension(&self, code: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores(v: &[(&str, u32)]) -> BTreeMap<String, u32> {
        v.iter().map(|(k, s)| (k.to_string(), *s)).collect()
    }

    fn all(s: u32) -> BTreeMap<String, u32> {
        StarRules::shipped()
            .dimensions
            .iter()
            .map(|d| (d.code.clone(), s))
            .collect()
    }

    #[test]
    fn shipped_rules_are_valid() {
        StarRules::shipped().check().unwrap();
    }

    #[test]
    fn stars_follow_the_weighted_total() {
        let r = StarRules::shipped();
        assert_eq!(
            r.rate(&all(10)).unwrap(),
            StarResult {
                total: 10000,
                stars: 5
            }
        );
        assert_eq!(
            r.rate(&all(9)).unwrap(),
            StarResult {
                total: 9000,
                stars: 5
            }
        );
        assert_eq!(r.rate(&all(0)).unwrap(), StarResult { total: 0, stars: 1 });
        // 2+2+2.5+2+1.5 per point: 8,8,7,9,6 → 16+16+17.5+18+9 = 76.5 → 3 stars.
        let s = scores(&[
            ("study", 8),
            ("org_life", 8),
            ("service", 7),
            ("vanguard", 9),
            ("discipline", 6),
        ]);
        assert_eq!(
            r.rate(&s).unwrap(),
            StarResult {
                total: 7650,
                stars: 3
            }
        );
        // Just below a threshold stays below it: 59.5 is 1 star.
        let s = scores(&[
            ("study", 7),
            ("org_life", 6),
            ("service", 5),
            ("vanguard", 6),
            ("discipline", 6),
        ]);
        assert_eq!(
            r.rate(&s).unwrap(),
            StarResult {
                total: 5950,
                stars: 1
            }
        );
    }

    #[test]
    fn thirds_are_exact_and_rounded_only_for_display() {
        let r = StarRules {
            dimensions: vec![
                Dimension {
                    code: "a".into(),
                    zh: "甲".into(),
                    en: "A".into(),
                    weight: 50,
                    max: 3,
                },
                Dimension {
                    code: "b".into(),
                    zh: "乙".into(),
                    en: "B".into(),
                    weight: 50,
                    max: 7,
                },
            ],
            thresholds: [50, 60, 70, 80],
            alert_at_or_below: 2,
        };
        r.check().unwrap();
        // 2/3·50 + 5/7·50 = 33.333… + 35.714… = 69.047… → 3 stars, shown 69.05.
        let res = r.rate(&scores(&[("a", 2), ("b", 5)])).unwrap();
        assert_eq!(
            res,
            StarResult {
                total: 6905,
                stars: 3
            }
        );
    }

    #[test]
    fn bad_scores_are_refused_naming_the_dimension() {
        let r = StarRules::shipped();
        let mut s = all(5);
        s.remove("service");
        assert_eq!(
            r.rate(&s),
            Err(AssessmentError::MissingScore("联系服务群众".into()))
        );
        let mut s = all(5);
        s.insert("study".into(), 11);
        assert!(matches!(
            r.rate(&s),
            Err(AssessmentError::ScoreAboveMax { max: 10, .. })
        ));
        let mut s = all(5);
        s.insert("luck".into(), 1);
        assert_eq!(
            r.rate(&s),
            Err(AssessmentError::UnknownDimension("luck".into()))
        );
    }

    #[test]
    fn rule_sets_are_checked() {
        let mut r = StarRules::shipped();
        r.dimensions[0].weight = 25;
        assert_eq!(r.check(), Err(AssessmentError::WeightsSum(105)));
        let mut r = StarRules::shipped();
        r.thresholds = [60, 60, 80, 90];
        assert_eq!(r.check(), Err(AssessmentError::Thresholds));
        let mut r = StarRules::shipped();
        r.dimensions[1].code = "study".into();
        assert_eq!(
            r.check(),
            Err(AssessmentError::DuplicateCode("study".into()))
        );
        let mut r = StarRules::shipped();
        r.dimensions[1].code = "Org Life".into();
        assert!(matches!(r.check(), Err(AssessmentError::BadCode(_))));
        let mut r = StarRules::shipped();
        r.dimensions[2].zh = " ".into();
        assert!(matches!(r.check(), Err(AssessmentError::BadName(_))));
        let mut r = StarRules::shipped();
        r.dimensions[2].max = 0;
        assert!(matches!(r.check(), Err(AssessmentError::BadDimension(_))));
        let mut r = StarRules::shipped();
        r.alert_at_or_below = 5;
        assert_eq!(r.check(), Err(AssessmentError::AlertStars(5)));
        let r = StarRules {
            dimensions: vec![],
            ..StarRules::shipped()
        };
        assert_eq!(r.check(), Err(AssessmentError::Empty("dimensions")));
    }
}
