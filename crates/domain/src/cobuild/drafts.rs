//! A contract, its commitments, delivery records and ratings as entered, checked before the
//! store writes them.

use super::CoBuildError;
use crate::calendar::Date;
use crate::codes::{AreaCode, AreaLevel};
use crate::labelled_enum;

/// Longest title of a contract or a commitment, in characters.
pub const MAX_TITLE: usize = 100;
/// Longest deliverable, delivery note or rating note, in characters.
pub const MAX_NOTES: usize = 2000;

labelled_enum! {
    /// The community's rating of a commitment (the same three words residents rate cases with).
    pub enum Rating {
        Satisfied = ("satisfied", "满意", "Satisfied"),
        BasicallySatisfied = ("basically_satisfied", "基本满意", "Basically satisfied"),
        Unsatisfied = ("unsatisfied", "不满意", "Unsatisfied"),
    }
}

impl Rating {
    pub fn parse_or(s: &str) -> Result<Rating, CoBuildError> {
        Rating::parse(s).ok_or_else(|| CoBuildError::UnknownRating(clip(s)))
    }

    /// Counted as satisfied in the satisfaction rate (满意 and 基本满意, as for cases).
    pub fn is_satisfied(self) -> bool {
        self != Rating::Unsatisfied
    }
}

fn clip(s: &str) -> String {
    s.trim().chars().take(20).collect()
}

pub(super) fn required(field: &'static str, v: &str, max: usize) -> Result<String, CoBuildError> {
    let t = v.trim();
    if t.is_empty() {
        Err(CoBuildError::Blank(field))
    } else if t.chars().count() > max {
        Err(CoBuildError::TooLong(field, max))
    } else {
        Ok(t.to_string())
    }
}

fn optional(field: &'static str, v: &str, max: usize) -> Result<String, CoBuildError> {
    let t = v.trim();
    if t.chars().count() > max {
        Err(CoBuildError::TooLong(field, max))
    } else {
        Ok(t.to_string())
    }
}

/// A contract between `department` and `community` for a period, signed on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractDraft {
    pub title: String,
    pub department: String,
    pub community: AreaCode,
    pub starts_on: Date,
    pub ends_on: Date,
    pub signed_on: Date,
}

impl ContractDraft {
    /// Checks the title, the community's level and the dates; `department_known` says whether
    /// the department code names a department (the caller looked it up).
    pub fn checked(self, department_known: bool) -> Result<ContractDraft, CoBuildError> {
        let title = required("title", &self.title, MAX_TITLE)?;
        let department = self.department.trim().to_string();
        if department.is_empty() {
            return Err(CoBuildError::Blank("department"));
        }
        if !department_known {
            return Err(CoBuildError::UnknownDepartment(clip(&department)));
        }
        if self.community.level() != AreaLevel::Community {
            return Err(CoBuildError::NotACommunity);
        }
        if self.ends_on < self.starts_on {
            return Err(CoBuildError::EndBeforeStart);
        }
        if self.signed_on > self.ends_on {
            return Err(CoBuildError::SignedAfterEnd);
        }
        Ok(ContractDraft {
            title,
            department,
            ..self
        })
    }
}

/// 承诺事项: what the department commits to deliver, by when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitmentDraft {
    pub title: String,
    pub deliverable: String,
    pub due_on: Date,
}

impl CommitmentDraft {
    /// Checks the texts and that the due date lies in the contract's period.
    pub fn checked(self, starts_on: Date, ends_on: Date) -> Result<CommitmentDraft, CoBuildError> {
        if self.due_on < starts_on || self.due_on > ends_on {
            return Err(CoBuildError::DueOutsidePeriod);
        }
        Ok(CommitmentDraft {
            title: required("title", &self.title, MAX_TITLE)?,
            deliverable: required("deliverable", &self.deliverable, MAX_NOTES)?,
            ..self
        })
    }
}

/// 履约记录: what the department delivered on a day; `completes` marks the commitment
/// delivered in full (its delivery date is then this record's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryDraft {
    pub delivered_on: Date,
    pub notes: String,
    pub completes: bool,
}

impl DeliveryDraft {
    /// Checks the note and the day: not after `today`, not before the contract started; and
    /// that the commitment is still open (`delivered` is its completing delivery's day).
    pub fn checked(
        self,
        contract_starts: Date,
        delivered: Option<Date>,
        today: Date,
    ) -> Result<DeliveryDraft, CoBuildError> {
        if delivered.is_some() {
            return Err(CoBuildError::AlreadyDelivered);
        }
        if self.delivered_on > today || self.delivered_on < contract_starts {
            return Err(CoBuildError::DeliveryDateOutOfRange);
        }
        Ok(DeliveryDraft {
            notes: required("notes", &self.notes, MAX_NOTES)?,
            ..self
        })
    }
}

/// The community's rating of a commitment, with an optional note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingDraft {
    pub rating: Rating,
    pub note: String,
}

impl RatingDraft {
    /// A commitment is rated once something was delivered (`deliveries` records).
    pub fn checked(self, deliveries: i64) -> Result<RatingDraft, CoBuildError> {
        if deliveries == 0 {
            return Err(CoBuildError::NothingToRate);
        }
        Ok(RatingDraft {
            note: optional("note", &self.note, MAX_NOTES)?,
            ..self
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Bilingual;

    fn d(m: u8, day: u8) -> Date {
        Date::new(2026, m, day).unwrap()
    }

    fn contract() -> ContractDraft {
        ContractDraft {
            title: " 城管进社区共建 ".into(),
            department: "CG".into(),
            community: AreaCode::parse("320508019044").unwrap(),
            starts_on: d(1, 1),
            ends_on: d(12, 31),
            signed_on: d(1, 5),
        }
    }

    #[test]
    fn a_contract_binds_a_known_department_and_a_community_for_a_period() {
        let c = contract().checked(true).unwrap();
        assert_eq!(c.title, "城管进社区共建");
        assert_eq!(
            contract().checked(false),
            Err(CoBuildError::UnknownDepartment("CG".into()))
        );
        let street = ContractDraft {
            community: AreaCode::parse("320508019000").unwrap(),
            ..contract()
        };
        assert_eq!(street.checked(true), Err(CoBuildError::NotACommunity));
        let back = ContractDraft {
            ends_on: d(1, 1).add_days(-1),
            ..contract()
        };
        let e = back.checked(true).unwrap_err();
        assert_eq!(e.field().as_deref(), Some("ends_on"));
        assert!(e.message_zh().contains("结束日期"));
        let late = ContractDraft {
            signed_on: Date::new(2027, 1, 2).unwrap(),
            ..contract()
        };
        assert_eq!(late.checked(true), Err(CoBuildError::SignedAfterEnd));
    }

    #[test]
    fn a_commitment_is_due_inside_the_period_and_delivered_once() {
        let c = CommitmentDraft {
            title: "修缮健身步道".into(),
            deliverable: "步道 300 米".into(),
            due_on: d(6, 30),
        };
        assert!(c.clone().checked(d(1, 1), d(12, 31)).is_ok());
        assert_eq!(
            c.clone().checked(d(7, 1), d(12, 31)),
            Err(CoBuildError::DueOutsidePeriod)
        );
        let blank = CommitmentDraft {
            deliverable: " ".into(),
            ..c
        };
        assert_eq!(
            blank.checked(d(1, 1), d(12, 31)),
            Err(CoBuildError::Blank("deliverable"))
        );
        let del = DeliveryDraft {
            delivered_on: d(6, 1),
            notes: "已完工".into(),
            completes: true,
        };
        assert!(del.clone().checked(d(1, 1), None, d(6, 2)).is_ok());
        assert_eq!(
            del.clone().checked(d(1, 1), None, d(5, 31)),
            Err(CoBuildError::DeliveryDateOutOfRange)
        );
        assert_eq!(
            del.checked(d(1, 1), Some(d(5, 1)), d(6, 2)),
            Err(CoBuildError::AlreadyDelivered)
        );
    }

    #[test]
    fn a_rating_needs_a_delivery_and_reads_by_name() {
        assert_eq!(Rating::parse_or("基本满意"), Ok(Rating::BasicallySatisfied));
        let e = Rating::parse_or("很好").unwrap_err();
        assert!(e.message_zh().contains("满意"));
        let r = RatingDraft {
            rating: Rating::Satisfied,
            note: String::new(),
        };
        assert_eq!(r.clone().checked(0), Err(CoBuildError::NothingToRate));
        assert!(r.checked(1).is_ok());
    }
}
