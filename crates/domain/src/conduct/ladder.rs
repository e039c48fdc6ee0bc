//! 问责: the ordered ladder of accountability actions, mild to severe (DOMAIN.md, "Discipline
//! scales"), with the two sanctions' own sub-scales. The declaration order is the ladder's
//! order (`Ord`), so statistics and the severest action follow from it.

use super::{ConductError, ReportedUnit, required_text};
use crate::calendar::Date;
use crate::labelled_enum;

labelled_enum! {
    pub enum AccountabilityAction {
        ReminderTalk = ("reminder_talk", "提醒谈话", "Reminder talk"),
        Interview = ("interview", "约谈", "Interview"),
        Admonition = ("admonition", "诫勉谈话", "Admonition"),
        Criticism = ("criticism", "通报批评", "Public criticism"),
        Suspension = ("suspension", "待岗", "Suspended from post"),
        Removal = ("removal", "调整/免职", "Reassigned or removed"),
        OrderedResignation = ("ordered_resignation", "责令辞职", "Ordered to resign"),
        Dismissal = ("dismissal", "辞退", "Dismissed"),
        GovernmentSanction = ("government_sanction", "政纪处分", "Government sanction"),
        PartyDiscipline = ("party_discipline", "党纪处分", "Party discipline"),
    }
}

labelled_enum! {
    /// 政务处分 grades, mild to severe.
    pub enum GovernmentSanction {
        Warning = ("warning", "警告", "Warning"),
        Demerit = ("demerit", "记过", "Demerit"),
        MajorDemerit = ("major_demerit", "记大过", "Major demerit"),
        Demotion = ("demotion", "降级", "Demotion"),
        Removal = ("removal_from_office", "撤职", "Removal from office"),
        Expulsion = ("expulsion", "开除", "Expulsion"),
    }
}

labelled_enum! {
    /// 党纪处分 grades, mild to severe.
    pub enum PartyDiscipline {
        Warning = ("party_warning", "警告", "Warning"),
        SeriousWarning = ("serious_warning", "严重警告", "Serious warning"),
        RemovalFromPost = ("removal_from_party_post", "撤销党内职务", "Removal from party posts"),
        Probation = ("probation", "留党察看", "Probation"),
        Expulsion = ("expulsion_from_party", "开除党籍", "Expulsion from the party"),
    }
}

/// The grade of a sanction on its own scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Sanction {
    Government(GovernmentSanction),
    Party(PartyDiscipline),
}

impl Sanction {
    pub fn as_str(self) -> &'static str {
        match self {
            Sanction::Government(g) => g.as_str(),
            Sanction::Party(p) => p.as_str(),
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Sanction::Government(g) => g.zh(),
            Sanction::Party(p) => p.zh(),
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Sanction::Government(g) => g.en(),
            Sanction::Party(p) => p.en(),
        }
    }
}

impl AccountabilityAction {
    pub fn parse_or(s: &str) -> Result<AccountabilityAction, ConductError> {
        AccountabilityAction::parse(s)
            .ok_or_else(|| ConductError::UnknownAction(s.trim().chars().take(30).collect()))
    }

    /// The grade that goes with the action: required for the two sanctions (on their own
    /// scale), refused for any other step of the ladder. Blank means none.
    pub fn sanction(self, grade: &str) -> Result<Option<Sanction>, ConductError> {
        let g = grade.trim();
        match self {
            AccountabilityAction::GovernmentSanction if g.is_empty() => {
                Err(ConductError::SanctionGrade(self))
            }
            AccountabilityAction::PartyDiscipline if g.is_empty() => {
                Err(ConductError::SanctionGrade(self))
            }
            AccountabilityAction::GovernmentSanction => GovernmentSanction::parse(g)
                .map(|s| Some(Sanction::Government(s)))
                .ok_or_else(|| ConductError::UnknownSanction(g.chars().take(30).collect())),
            AccountabilityAction::PartyDiscipline => PartyDiscipline::parse(g)
                .map(|s| Some(Sanction::Party(s)))
                .ok_or_else(|| ConductError::UnknownSanction(g.chars().take(30).collect())),
            _ if g.is_empty() => Ok(None),
            _ => Err(ConductError::SanctionGrade(self)),
        }
    }

    /// The step on the ladder, 1 (提醒谈话) to 10 (党纪处分).
    pub fn step(self) -> usize {
        AccountabilityAction::ALL
            .iter()
            .position(|a| *a == self)
            .map_or(0, |i| i + 1)
    }
}

/// An action on one official, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountabilityDraft {
    pub action: AccountabilityAction,
    pub sanction: Option<Sanction>,
    /// The official's post (and name), never on the log.
    pub official_post: String,
    pub unit: ReportedUnit,
    pub decided_on: Date,
    /// The rule or finding the action rests on.
    pub basis: String,
}

impl AccountabilityDraft {
    pub fn checked(self, today: Date) -> Result<AccountabilityDraft, ConductError> {
        let official_post = required_text("official_post", &self.official_post, super::MAX_TEXT)?;
        let basis = required_text("basis", &self.basis, 2_000)?;
        if self.decided_on > today {
            return Err(ConductError::FutureDate("decided_on"));
        }
        Ok(AccountabilityDraft {
            official_post,
            basis,
            ..self
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ladder_is_ordered_and_sanctions_carry_their_grade() {
        use AccountabilityAction as A;
        assert!(A::ReminderTalk < A::Interview && A::Interview < A::Admonition);
        assert!(A::Dismissal < A::GovernmentSanction && A::GovernmentSanction < A::PartyDiscipline);
        assert_eq!((A::ReminderTalk.step(), A::PartyDiscipline.step()), (1, 10));
        assert_eq!(A::ALL.len(), 10);
        assert!(GovernmentSanction::Warning < GovernmentSanction::Expulsion);
        assert!(PartyDiscipline::SeriousWarning < PartyDiscipline::Probation);
        assert_eq!(
            A::PartyDiscipline.sanction("留党察看"),
            Ok(Some(Sanction::Party(PartyDiscipline::Probation)))
        );
        assert_eq!(
            A::GovernmentSanction.sanction("记大过"),
            Ok(Some(Sanction::Government(GovernmentSanction::MajorDemerit)))
        );
        assert_eq!(
            A::PartyDiscipline.sanction(""),
            Err(ConductError::SanctionGrade(A::PartyDiscipline))
        );
        // A party grade is no government grade.
        assert!(A::GovernmentSanction.sanction("留党察看").is_err());
        assert_eq!(A::Interview.sanction(" "), Ok(None));
        assert!(A::Interview.sanction("警告").is_err());
        assert_eq!(A::parse_or("诫勉谈话"), Ok(A::Admonition));
    }

    #[test]
    fn an_action_names_the_post_and_its_basis() {
        let d = AccountabilityDraft {
            action: AccountabilityAction::Interview,
            sanction: None,
            official_post: " 城管局某中队长 ".into(),
            unit: ReportedUnit::Department("CG".into()),
            decided_on: Date::new(2026, 10, 1).unwrap(),
            basis: " ".into(),
        };
        assert_eq!(
            d.clone().checked(Date::new(2026, 10, 2).unwrap()),
            Err(ConductError::Blank("basis"))
        );
        let ok = AccountabilityDraft {
            basis: "《问责条例》第七条".into(),
            ..d
        }
        .checked(Date::new(2026, 10, 2).unwrap())
        .unwrap();
        assert_eq!(ok.official_post, "城管局某中队长");
    }
}
