//! Gender as recorded from the citizen ID number.

use super::labels::labelled_enum;
use super::{LabelKind, PopulationError};
use crate::codes::IdNumber;

labelled_enum! {
    /// Gender (性别). Derived from the ID number rather than entered, so the two never disagree.
    Gender, LabelKind::Gender, {
        Male => "male", "男";
        Female => "female", "女";
    }
}

impl Gender {
    pub fn from_id_number(id: &IdNumber) -> Gender {
        if id.is_male() {
            Gender::Male
        } else {
            Gender::Female
        }
    }
}

impl From<&IdNumber> for Gender {
    fn from(id: &IdNumber) -> Gender {
        Gender::from_id_number(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_seventeenth_digit_is_male() {
        let female = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(Gender::from_id_number(&female), Gender::Female);
        for seq in [1, 3, 999] {
            let id = IdNumber::from_parts("320508", 1990, 1, 1, seq);
            assert_eq!(Gender::from(&id), Gender::Male, "{seq}");
        }
        for seq in [0, 2, 998] {
            let id = IdNumber::from_parts("320508", 1990, 1, 1, seq);
            assert_eq!(Gender::from(&id), Gender::Female, "{seq}");
        }
    }

    #[test]
    fn labels() {
        assert_eq!(Gender::parse("男"), Ok(Gender::Male));
        assert_eq!(Gender::parse("female"), Ok(Gender::Female));
        assert_eq!(Gender::Female.zh(), "女");
        assert!(Gender::parse("M").is_err());
    }
}
