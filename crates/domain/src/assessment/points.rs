//! 十二分制: a member holds a yearly budget of points (12 by default); each failing from the
//! catalogue deducts its points, with a reason and evidence. The balance never goes below 0: a
//! deduction that would take it there is refused. Each calendar year starts from the budget.

use serde::{Deserialize, Serialize};

use super::AssessmentError;
use super::stars::{check_code, check_name};
use crate::calendar::Date;

/// One failing in the catalogue and the points it deducts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeductionItem {
    pub code: String,
    pub zh: String,
    pub en: String,
    pub points: u32,
}

/// The twelve-point rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsRules {
    /// Points each member holds at the start of each year.
    pub budget: u32,
    /// Members with this many points left or fewer are flagged.
    pub alert_at_or_below: u32,
    pub items: Vec<DeductionItem>,
}

/// At most this many items in the catalogue.
pub const MAX_ITEMS: usize = 50;
/// Longest reason, in characters.
pub const MAX_REASON: usize = 200;
/// Longest evidence note, in characters.
pub const MAX_NOTE: usize = 500;

impl PointsRules {
    /// The shipped defaults: 12 points a year, members with 6 or fewer flagged, and a catalogue
    /// of the failings the twelve-point practice names, from 1 to 12 points.
    pub fn shipped() -> PointsRules {
        let i = |code: &str, zh: &str, en: &str, points| DeductionItem {
            code: code.into(),
            zh: zh.into(),
            en: en.into(),
            points,
        };
        PointsRules {
            budget: 12,
            alert_at_or_below: 6,
            items: vec![
                i(
                    "missed_meeting",
                    "无故不参加组织生活",
                    "Missed party meetings without reason",
                    2,
                ),
                i(
                    "late_dues",
                    "未按时足额交纳党费",
                    "Dues not paid in full on time",
                    2,
                ),
                i(
                    "missed_study",
                    "未完成学习教育任务",
                    "Study tasks not done",
                    1,
                ),
                i(
                    "link_duty",
                    "未履行联户走访职责",
                    "Linked households not visited",
                    2,
                ),
                i(
                    "no_service",
                    "未到社区报到或参加志愿服务",
                    "No community check-in or volunteering",
                    1,
                ),
                i(
                    "public_morality",
                    "违反社会公德、家庭美德",
                    "Breach of public or family ethics",
                    3,
                ),
                i(
                    "gambling",
                    "参与赌博、封建迷信活动",
                    "Gambling or superstition",
                    6,
                ),
                i("discipline_warning", "受到党内警告处分", "Party warning", 6),
                i(
                    "serious_violation",
                    "受到严重警告以上处分或违法犯罪",
                    "Serious party sanction or crime",
                    12,
                ),
            ],
        }
    }

    /// Checks a rule set before it is saved.
    pub fn check(&self) -> Result<(), AssessmentError> {
        if !(1..=100).contains(&self.budget) {
            return Err(AssessmentError::Budget(self.budget));
        }
        if self.alert_at_or_below >= self.budget {
            return Err(AssessmentError::AlertPoints(self.alert_at_or_below));
        }
        if self.items.is_empty() {
            return Err(AssessmentError::Empty("items"));
        }
        if self.items.len() > MAX_ITEMS {
            return Err(AssessmentError::TooMany("items", MAX_ITEMS));
        }
        let mut seen = std::collections::BTreeSet::new();
        for i in &self.items {
            check_code(&i.code)?;
            if !seen.insert(i.code.as_str()) {
                return Err(AssessmentError::DuplicateCode(i.code.clone()));
            }
            check_name(&i.code, &i.zh)?;
            if i.points == 0 || i.points > self.budget {
                return Err(AssessmentError::ItemPoints(i.code.clone()));
            }
        }
        Ok(())
    }

    /// The catalogue item `code` (its code or its Chinese name).
    pub fn item(&self, code: &str) -> Result<&DeductionItem, AssessmentError> {
        let c = code.trim();
        self.items
            .iter()
            .find(|i| i.code == c || i.zh == c)
            .ok_or_else(|| AssessmentError::UnknownItem(c.chars().take(40).collect()))
    }

    /// Points left in a year from which `deducted` points were deducted (negative only when a
    /// later rule set lowered the budget).
    pub fn left(&self, deducted: u32) -> i64 {
        i64::from(self.budget) - i64::from(deducted)
    }

    /// Decides a deduction of `item` from a year with `deducted` points deducted so far: the
    /// item, or a refusal when it is unknown or the balance would fall below 0.
    pub fn deduct(&self, deducted: u32, item: &str) -> Result<&DeductionItem, AssessmentError> {
        let it = self.item(item)?;
        let left = self.left(deducted);
        if left < i64::from(it.points) {
            return Err(AssessmentError::BelowZero {
                item: it.zh.clone(),
                points: it.points,
                left,
            });
        }
        Ok(it)
    }
}

/// What a deduction rests on: its reason, a note and the number of photos attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub reason: String,
    pub note: String,
    pub photos: usize,
}

impl Evidence {
    /// Trims and checks: a reason is given, and a photo or a note backs it.
    pub fn checked(self) -> Result<Evidence, AssessmentError> {
        let reason = self.reason.trim().to_string();
        let note = self.note.trim().to_string();
        if reason.is_empty() {
            return Err(AssessmentError::Blank("reason"));
        }
        if reason.chars().count() > MAX_REASON {
            return Err(AssessmentError::TooLong("reason", MAX_REASON));
        }
        if note.chars().count() > MAX_NOTE {
            return Err(AssessmentError::TooLong("note", MAX_NOTE));
        }
        if note.is_empty() && self.photos == 0 {
            return Err(AssessmentError::NoEvidence);
        }
        Ok(Evidence {
            reason,
            note,
            photos: self.photos,
        })
    }
}

/// The ledger year a failing on `occurred_on` counts in: its calendar year, which must be this
/// year or the last (last year's ledger stays open for what happened in its final days), and
/// never after `today`.
pub fn deduction_year(occurred_on: Date, today: Date) -> Result<i32, AssessmentError> {
    if occurred_on > today {
        return Err(AssessmentError::FutureDate);
    }
    let year = occurred_on.year();
    if year < today.year() - 1 {
        return Err(AssessmentError::YearClosed(year));
    }
    Ok(year)
}

/// A year whose ratings can still be recorded on `today`: this year or the last (a year is
/// rated as it ends or early in the next).
pub fn open_year(year: i32, today: Date) -> Result<i32, AssessmentError> {
    if !(2000..=2100).contains(&year) || year > today.year() {
        return Err(AssessmentError::BadYear(year));
    }
    if year < today.year() - 1 {
        return Err(AssessmentError::YearClosed(year));
    }
    Ok(year)
}

/// The balance after each deduction of a year, in order: `(points, revoked)`; a revoked
/// deduction leaves the balance as it was.
pub fn running_balances(budget: u32, deductions: &[(u32, bool)]) -> Vec<i64> {
    let mut left = i64::from(budget);
    deductions
        .iter()
        .map(|(points, revoked)| {
            if !revoked {
                left -= i64::from(*points);
            }
            left
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u8, d: u8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn shipped_rules_are_valid_and_twelve_points() {
        let r = PointsRules::shipped();
        r.check().unwrap();
        assert_eq!((r.budget, r.alert_at_or_below), (12, 6));
        assert_eq!(r.item("无故不参加组织生活").unwrap().points, 2);
    }

    #[test]
    fn deductions_stop_at_zero() {
        let r = PointsRules::shipped();
        assert_eq!(r.deduct(0, "gambling").unwrap().points, 6);
        assert_eq!(r.deduct(6, "gambling").unwrap().points, 6);
        // 12 deducted: nothing is left, even a 1-point item is refused.
        assert_eq!(
            r.deduct(12, "missed_study"),
            Err(AssessmentError::BelowZero {
                item: "未完成学习教育任务".into(),
                points: 1,
                left: 0
            })
        );
        // 10 deducted: a 2-point item brings the balance to exactly 0, a 3-point one is refused.
        assert!(r.deduct(10, "late_dues").is_ok());
        assert!(matches!(
            r.deduct(10, "public_morality"),
            Err(AssessmentError::BelowZero {
                left: 2,
                points: 3,
                ..
            })
        ));
        assert_eq!(
            r.deduct(0, "bad_luck"),
            Err(AssessmentError::UnknownItem("bad_luck".into()))
        );
    }

    #[test]
    fn running_balance_skips_revoked_deductions() {
        assert_eq!(
            running_balances(12, &[(2, false), (6, true), (3, false), (1, false)]),
            vec![10, 10, 7, 6]
        );
    }

    #[test]
    fn the_year_is_the_failings_and_old_years_are_closed() {
        let today = date(2026, 1, 10);
        assert_eq!(deduction_year(date(2025, 12, 30), today), Ok(2025));
        assert_eq!(deduction_year(date(2026, 1, 2), today), Ok(2026));
        assert_eq!(
            deduction_year(date(2024, 12, 31), today),
            Err(AssessmentError::YearClosed(2024))
        );
        assert_eq!(
            deduction_year(date(2026, 1, 11), today),
            Err(AssessmentError::FutureDate)
        );
    }

    #[test]
    fn ratings_are_for_this_year_or_the_last() {
        let today = date(2026, 1, 10);
        assert_eq!(open_year(2025, today), Ok(2025));
        assert_eq!(open_year(2026, today), Ok(2026));
        assert_eq!(open_year(2027, today), Err(AssessmentError::BadYear(2027)));
        assert_eq!(
            open_year(2024, today),
            Err(AssessmentError::YearClosed(2024))
        );
    }

    #[test]
    fn evidence_is_a_photo_or_a_note() {
        let e = |reason: &str, note: &str, photos| Evidence {
            reason: reason.into(),
            note: note.into(),
            photos,
        };
        assert_eq!(
            e("  三月支部大会缺席 ", "", 1).checked().unwrap().reason,
            "三月支部大会缺席"
        );
        assert!(e("缺席", "支部书记电话核实", 0).checked().is_ok());
        assert_eq!(
            e("缺席", "  ", 0).checked(),
            Err(AssessmentError::NoEvidence)
        );
        assert_eq!(
            e(" ", "说明", 0).checked(),
            Err(AssessmentError::Blank("reason"))
        );
        assert_eq!(
            e(&"长".repeat(201), "说明", 0).checked(),
            Err(AssessmentError::TooLong("reason", 200))
        );
    }

    #[test]
    fn rule_sets_are_checked() {
        let mut r = PointsRules::shipped();
        r.alert_at_or_below = 12;
        assert_eq!(r.check(), Err(AssessmentError::AlertPoints(12)));
        let mut r = PointsRules::shipped();
        r.items[0].points = 13;
        assert_eq!(
            r.check(),
            Err(AssessmentError::ItemPoints("missed_meeting".into()))
        );
        let mut r = PointsRules::shipped();
        r.budget = 0;
        assert_eq!(r.check(), Err(AssessmentError::Budget(0)));
        let mut r = PointsRules::shipped();
        r.items.clear();
        assert_eq!(r.check(), Err(AssessmentError::Empty("items")));
    }
}
