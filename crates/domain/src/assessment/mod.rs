//! Party member assessment (党员考核): the five-star quantitative assessment (五星量化考核,
//! [`StarRules`]) and the twelve-point system (十二分制, [`PointsRules`]), each a rule set the
//! city configures, with the shipped defaults; alerts below the thresholds and rankings.
//!
//! - Five stars: each member is scored once a year on weighted dimensions; the weighted total
//!   (out of 100) meets the thresholds for 2–5 stars, or earns 1 star.
//! - Twelve points: each member holds 12 points a year; a failing from the catalogue deducts
//!   its points, with a reason and evidence; a deduction that would take the year's balance
//!   below 0 is refused; each calendar year starts again from the full budget.

mod error;
mod points;
mod ranking;
mod stars;

pub use error::AssessmentError;
pub use points::{
    DeductionItem, Evidence, MAX_REASON, PointsRules, deduction_year, open_year, running_balances,
};
pub use ranking::{GroupStanding, MemberStanding, group_standings, rank_members};
pub use stars::{Dimension, StarResult, StarRules};

use crate::labelled_enum;

labelled_enum! {
    /// Why a member is flagged on the party organisation's home page and list.
    pub enum Alert {
        /// 积分预警: the year's balance is at or below the rules' alert line.
        LowPoints = ("low_points", "积分预警", "Few points left"),
        /// 星级预警: rated at or below the rules' alert line of stars.
        LowStars = ("low_stars", "星级预警", "Low star rating"),
    }
}

/// A member's alerts for the year: points left at or below the points rules' line, stars (when
/// rated) at or below the star rules' line.
pub fn alerts(
    points_left: i64,
    stars: Option<u8>,
    points: &PointsRules,
    star_rules: &StarRules,
) -> Vec<Alert> {
    let mut out = Vec::new();
    if points_left <= i64::from(points.alert_at_or_below) {
        out.push(Alert::LowPoints);
    }
    if stars.is_some_and(|s| s <= star_rules.alert_at_or_below) {
        out.push(Alert::LowStars);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alerts_at_the_shipped_lines() {
        let (p, s) = (PointsRules::shipped(), StarRules::shipped());
        assert_eq!(alerts(7, Some(3), &p, &s), vec![]);
        assert_eq!(alerts(6, Some(3), &p, &s), vec![Alert::LowPoints]);
        assert_eq!(alerts(12, Some(2), &p, &s), vec![Alert::LowStars]);
        assert_eq!(
            alerts(0, Some(1), &p, &s),
            vec![Alert::LowPoints, Alert::LowStars]
        );
        // Not yet rated: no star alert.
        assert_eq!(alerts(12, None, &p, &s), vec![]);
    }
}
