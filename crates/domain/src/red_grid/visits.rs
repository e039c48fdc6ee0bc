//! 走访 / 民情日记: a red grid member's contact with a household it serves, what it was for and
//! what was found. What the member cannot settle becomes a case (立案 through the same intake as
//! any report) and runs the closed loop.

use crate::calendar::Date;
use crate::labelled_enum;

use super::RedGridError;
use super::roles::{clip, required};

labelled_enum! {
    /// What a visit was for: the five kinds of work the text names.
    pub enum VisitPurpose {
        /// 政策宣传.
        PolicyOutreach = ("policy_outreach", "政策宣传", "Policy outreach"),
        /// 信息收集 (民情收集).
        InformationCollection = ("information_collection", "信息收集", "Information collection"),
        /// 矛盾调解: a mediation record goes with it.
        ConflictMediation = ("conflict_mediation", "矛盾调解", "Conflict mediation"),
        /// 联络沟通.
        Liaison = ("liaison", "联络沟通", "Liaison"),
        /// 排忧解难.
        ProblemSolving = ("problem_solving", "排忧解难", "Problem solving"),
    }
}

impl VisitPurpose {
    pub fn parse_or(s: &str) -> Result<VisitPurpose, RedGridError> {
        VisitPurpose::parse(s).ok_or_else(|| RedGridError::UnknownPurpose(clip(s)))
    }

    /// A conflict mediation visit is recorded with its mediation (parties, issue, outcome).
    pub fn has_mediation(self) -> bool {
        self == VisitPurpose::ConflictMediation
    }
}

/// Longest diary note accepted, in characters.
pub const MAX_NOTES: usize = 2000;

/// How far back a visit may be entered: a diary written up within the year.
const MAX_DAYS_BACK: i64 = 366;

/// A visit as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitDraft {
    pub purpose: VisitPurpose,
    pub visited_on: Date,
    pub notes: String,
}

/// A day of a record: not after `today`, not more than a year before it.
pub(super) fn recent(field: &'static str, day: Date, today: Date) -> Result<Date, RedGridError> {
    if day > today || day < today.add_days(-MAX_DAYS_BACK) {
        Err(RedGridError::DateOutOfRange(field))
    } else {
        Ok(day)
    }
}

impl VisitDraft {
    /// Checks the notes and the day against `today`.
    pub fn checked(self, today: Date) -> Result<VisitDraft, RedGridError> {
        Ok(VisitDraft {
            notes: required("notes", &self.notes, MAX_NOTES)?,
            visited_on: recent("visited_on", self.visited_on, today)?,
            ..self
        })
    }

    /// The case description a visit raises by default: what the diary says, with its purpose.
    pub fn case_description(&self) -> String {
        format!("【走访发现·{}】{}", self.purpose.zh(), self.notes)
            .chars()
            .take(MAX_NOTES)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u8) -> Date {
        Date::new(2026, 3, d).unwrap()
    }

    #[test]
    fn a_visit_has_notes_and_a_recent_day() {
        let v = VisitDraft {
            purpose: VisitPurpose::Liaison,
            visited_on: day(10),
            notes: "  了解到楼道灯坏了  ".into(),
        }
        .checked(day(12))
        .unwrap();
        assert_eq!(v.notes, "了解到楼道灯坏了");
        assert_eq!(
            v.case_description(),
            "【走访发现·联络沟通】了解到楼道灯坏了"
        );
        let future = VisitDraft {
            visited_on: day(13),
            ..v.clone()
        };
        assert_eq!(
            future.checked(day(12)),
            Err(RedGridError::DateOutOfRange("visited_on"))
        );
        let old = VisitDraft {
            visited_on: Date::new(2025, 3, 1).unwrap(),
            ..v.clone()
        };
        assert!(old.checked(day(12)).is_err());
        let blank = VisitDraft {
            notes: " ".into(),
            ..v.clone()
        };
        assert_eq!(blank.checked(day(12)), Err(RedGridError::Blank("notes")));
        let long = VisitDraft {
            notes: "字".repeat(MAX_NOTES + 1),
            ..v
        };
        assert_eq!(
            long.checked(day(12)),
            Err(RedGridError::TooLong("notes", MAX_NOTES))
        );
    }

    #[test]
    fn purposes_read_by_code_or_name() {
        assert_eq!(
            VisitPurpose::parse("矛盾调解"),
            Some(VisitPurpose::ConflictMediation)
        );
        assert_eq!(
            VisitPurpose::parse_or("POLICY_OUTREACH"),
            Ok(VisitPurpose::PolicyOutreach)
        );
        let e = VisitPurpose::parse_or("闲聊").unwrap_err();
        assert!(crate::Bilingual::message_zh(&e).contains("政策宣传"));
    }
}
