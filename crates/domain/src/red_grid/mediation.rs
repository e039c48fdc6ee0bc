//! 矛盾调解: a conflict a red grid member mediated — the parties (masked: a name leaves only its
//! first character), the issue, the outcome and, while it is not settled, the day to follow it
//! up. Conflicts resolved are counted (Jinhua's "20,000+").

use crate::calendar::Date;
use crate::labelled_enum;

use super::RedGridError;
use super::roles::{clip, required};
use super::visits::recent;

labelled_enum! {
    /// How a mediation ended (so far).
    pub enum MediationOutcome {
        /// 已化解: counted as a conflict resolved.
        Resolved = ("resolved", "已化解", "Resolved"),
        /// 部分化解: follow up.
        PartlyResolved = ("partly_resolved", "部分化解", "Partly resolved"),
        /// 未化解: follow up.
        Unresolved = ("unresolved", "未化解", "Unresolved"),
        /// 已上报: raised as a case for the closed loop.
        Referred = ("referred", "已上报立案", "Raised as a case"),
    }
}

impl MediationOutcome {
    pub fn parse_or(s: &str) -> Result<MediationOutcome, RedGridError> {
        MediationOutcome::parse(s).ok_or_else(|| RedGridError::UnknownOutcome(clip(s)))
    }

    /// The follow-up day a mediation of `mediated_on` may have with this outcome: required
    /// while the conflict is not settled, never before the mediation.
    pub fn check_follow_up(
        self,
        mediated_on: Date,
        follow_up_on: Option<Date>,
    ) -> Result<(), RedGridError> {
        if follow_up_on.is_some_and(|f| f < mediated_on) {
            return Err(RedGridError::FollowUpBeforeMediation);
        }
        if self.needs_follow_up() && follow_up_on.is_none() {
            return Err(RedGridError::FollowUpRequired);
        }
        Ok(())
    }

    /// Still the member's to follow up.
    pub fn needs_follow_up(self) -> bool {
        matches!(
            self,
            MediationOutcome::PartlyResolved | MediationOutcome::Unresolved
        )
    }
}

/// Longest issue accepted.
pub const MAX_ISSUE: usize = 500;
/// At most this many parties to one conflict.
pub const MAX_PARTIES: usize = 10;

/// One party's name masked: its first character kept, every other one a `*`.
pub fn mask_party(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        None => String::new(),
        Some(first) => std::iter::once(first)
            .chain(chars.map(|_| '*'))
            .collect::<String>(),
    }
}

/// The parties as typed (separated by 、 , ， ; ； or spaces), each masked, joined by 、.
pub fn masked_parties(raw: &str) -> Result<String, RedGridError> {
    let parties: Vec<String> = raw
        .split(['、', ',', '，', ';', '；', ' ', '\u{3000}'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(mask_party)
        .collect();
    if parties.is_empty() {
        return Err(RedGridError::Blank("parties"));
    }
    if parties.len() > MAX_PARTIES {
        return Err(RedGridError::TooLong("parties", MAX_PARTIES));
    }
    Ok(parties.join("、"))
}

/// A mediation as entered; `parties` as typed (masked by [`MediationDraft::checked`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediationDraft {
    pub parties: String,
    pub issue: String,
    pub outcome: MediationOutcome,
    pub mediated_on: Date,
    pub follow_up_on: Option<Date>,
}

impl MediationDraft {
    /// Masks the parties and checks the issue and the days: a conflict not settled has a
    /// follow-up day, never before the mediation.
    pub fn checked(self, today: Date) -> Result<MediationDraft, RedGridError> {
        let mediated_on = recent("mediated_on", self.mediated_on, today)?;
        self.outcome
            .check_follow_up(mediated_on, self.follow_up_on)?;
        Ok(MediationDraft {
            parties: masked_parties(&self.parties)?,
            issue: required("issue", &self.issue, MAX_ISSUE)?,
            mediated_on,
            ..self
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u8) -> Date {
        Date::new(2026, 3, d).unwrap()
    }

    fn draft() -> MediationDraft {
        MediationDraft {
            parties: "张三、李四光，Wang".into(),
            issue: "楼上漏水，楼下天花板受损".into(),
            outcome: MediationOutcome::Resolved,
            mediated_on: day(10),
            follow_up_on: None,
        }
    }

    #[test]
    fn parties_are_kept_only_masked() {
        let m = draft().checked(day(12)).unwrap();
        assert_eq!(m.parties, "张*、李**、W***");
        assert_eq!(mask_party(" 欧阳娜娜 "), "欧***");
        assert_eq!(mask_party("王"), "王");
        assert_eq!(masked_parties(" 、 ,"), Err(RedGridError::Blank("parties")));
    }

    #[test]
    fn an_unsettled_conflict_needs_a_follow_up_after_the_mediation() {
        let open = MediationDraft {
            outcome: MediationOutcome::PartlyResolved,
            ..draft()
        };
        assert_eq!(
            open.clone().checked(day(12)),
            Err(RedGridError::FollowUpRequired)
        );
        let before = MediationDraft {
            follow_up_on: Some(day(9)),
            ..open.clone()
        };
        assert_eq!(
            before.checked(day(12)),
            Err(RedGridError::FollowUpBeforeMediation)
        );
        let ok = MediationDraft {
            follow_up_on: Some(day(20)),
            ..open
        };
        assert!(ok.checked(day(12)).is_ok(), "a follow-up may lie ahead");
        assert!(MediationOutcome::Unresolved.needs_follow_up());
        assert!(!MediationOutcome::Referred.needs_follow_up());
        let blank = MediationDraft {
            issue: "".into(),
            ..draft()
        };
        assert_eq!(blank.checked(day(12)), Err(RedGridError::Blank("issue")));
    }
}
