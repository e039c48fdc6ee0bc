//! 表决: a motion put to a meeting, voted one household one vote (一户一票) or one resident one
//! vote (一人一票). The quorum is the share of eligible voters who voted; the majority the share
//! of votes cast in favour (more than half, or at least two thirds). A motion whose quorum is
//! not met does not pass, however the votes fell. Integers only: shares are compared by
//! cross-multiplying, never in floating point.

use super::{DeliberationError, clip, required};
use crate::labelled_enum;

labelled_enum! {
    /// Who votes on a motion.
    pub enum VotingBasis {
        Household = ("household", "一户一票", "One household, one vote"),
        Resident = ("resident", "一人一票", "One resident, one vote"),
    }
}

labelled_enum! {
    /// The share of votes cast in favour a motion needs.
    pub enum Majority {
        /// More than half.
        Half = ("half", "过半数（>1/2）", "More than half"),
        /// At least two thirds.
        TwoThirds = ("two_thirds", "三分之二以上（≥2/3）", "At least two thirds"),
    }
}

labelled_enum! {
    pub enum VoteChoice {
        For = ("for", "赞成", "For"),
        Against = ("against", "反对", "Against"),
        Abstain = ("abstain", "弃权", "Abstain"),
    }
}

labelled_enum! {
    pub enum MotionStatus {
        Voting = ("voting", "表决中", "Voting"),
        Passed = ("passed", "通过", "Passed"),
        Failed = ("failed", "未通过", "Not passed"),
    }
}

impl VotingBasis {
    pub fn parse_or(s: &str) -> Result<VotingBasis, DeliberationError> {
        VotingBasis::parse(s).ok_or_else(|| DeliberationError::UnknownBasis(clip(s)))
    }
}

impl Majority {
    pub fn parse_or(s: &str) -> Result<Majority, DeliberationError> {
        Majority::parse(s).ok_or_else(|| DeliberationError::UnknownMajority(clip(s)))
    }

    /// Does `in_favour` of `cast` make this majority?
    pub fn met(self, in_favour: u64, cast: u64) -> bool {
        cast > 0
            && match self {
                Majority::Half => in_favour * 2 > cast,
                Majority::TwoThirds => in_favour * 3 >= cast * 2,
            }
    }
}

impl VoteChoice {
    pub fn parse_or(s: &str) -> Result<VoteChoice, DeliberationError> {
        VoteChoice::parse(s).ok_or_else(|| DeliberationError::UnknownChoice(clip(s)))
    }
}

/// How a motion is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MotionRule {
    pub basis: VotingBasis,
    /// Percent of eligible voters who must vote (1–100).
    pub quorum_pct: u32,
    pub majority: Majority,
}

pub(crate) fn check_quorum(q: u32) -> Result<u32, DeliberationError> {
    if (1..=100).contains(&q) {
        Ok(q)
    } else {
        Err(DeliberationError::Quorum(q))
    }
}

/// A motion as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MotionDraft {
    pub title: String,
    pub rule: MotionRule,
}

impl MotionDraft {
    pub fn checked(self) -> Result<MotionDraft, DeliberationError> {
        check_quorum(self.rule.quorum_pct)?;
        Ok(MotionDraft {
            title: required("title", &self.title, super::MAX_TITLE * 2)?,
            ..self
        })
    }
}

/// The votes on a motion, with the number who could vote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    pub eligible: u64,
    pub in_favour: u64,
    pub against: u64,
    pub abstain: u64,
}

/// What the votes decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MotionResult {
    pub cast: u64,
    pub quorum_met: bool,
    pub majority_met: bool,
    pub passed: bool,
}

impl Tally {
    pub fn cast(&self) -> u64 {
        self.in_favour + self.against + self.abstain
    }

    /// One more vote.
    pub fn add(&mut self, choice: VoteChoice) {
        match choice {
            VoteChoice::For => self.in_favour += 1,
            VoteChoice::Against => self.against += 1,
            VoteChoice::Abstain => self.abstain += 1,
        }
    }

    /// The result under `rule`: the quorum met when cast/eligible ≥ quorum%, passed only when
    /// the quorum is met and the majority of the votes cast is in favour.
    pub fn result(&self, rule: &MotionRule) -> MotionResult {
        let cast = self.cast();
        let quorum_met =
            self.eligible > 0 && cast * 100 >= u64::from(rule.quorum_pct) * self.eligible;
        let majority_met = rule.majority.met(self.in_favour, cast);
        MotionResult {
            cast,
            quorum_met,
            majority_met,
            passed: quorum_met && majority_met,
        }
    }

    /// Another vote is possible: fewer cast than may vote.
    pub fn check_room(&self) -> Result<(), DeliberationError> {
        if self.cast() >= self.eligible {
            Err(DeliberationError::AllVoted)
        } else {
            Ok(())
        }
    }
}

impl MotionStatus {
    /// Votes are recorded and the motion is closed only while it is being voted.
    pub fn check_voting(self) -> Result<(), DeliberationError> {
        match self {
            MotionStatus::Voting => Ok(()),
            other => Err(DeliberationError::MotionClosed(other)),
        }
    }

    pub fn of(result: &MotionResult) -> MotionStatus {
        if result.passed {
            MotionStatus::Passed
        } else {
            MotionStatus::Failed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(q: u32, m: Majority) -> MotionRule {
        MotionRule {
            basis: VotingBasis::Household,
            quorum_pct: q,
            majority: m,
        }
    }

    fn tally(eligible: u64, f: u64, a: u64, x: u64) -> Tally {
        Tally {
            eligible,
            in_favour: f,
            against: a,
            abstain: x,
        }
    }

    #[test]
    fn a_vote_without_its_quorum_does_not_pass() {
        // 40 households, 19 voted (47.5% < 50%), all in favour.
        let r = tally(40, 19, 0, 0).result(&rule(50, Majority::Half));
        assert_eq!(
            (r.cast, r.quorum_met, r.majority_met, r.passed),
            (19, false, true, false)
        );
        assert_eq!(MotionStatus::of(&r), MotionStatus::Failed);
        // Exactly half voted: the quorum of 50% is met.
        let r = tally(40, 15, 4, 1).result(&rule(50, Majority::Half));
        assert!(r.quorum_met && r.passed);
        assert!(
            !tally(0, 0, 0, 0)
                .result(&rule(1, Majority::Half))
                .quorum_met
        );
    }

    #[test]
    fn majorities_compare_in_integers() {
        assert!(!Majority::Half.met(5, 10), "half is not more than half");
        assert!(Majority::Half.met(6, 10));
        assert!(Majority::TwoThirds.met(2, 3), "two thirds exactly");
        assert!(!Majority::TwoThirds.met(6, 10));
        assert!(!Majority::Half.met(0, 0));
        let r = tally(10, 6, 3, 1).result(&rule(60, Majority::TwoThirds));
        assert!(r.quorum_met && !r.passed, "6 of 10 cast is short of 2/3");
    }

    #[test]
    fn votes_while_voting_and_while_voters_remain() {
        let mut t = tally(2, 0, 0, 0);
        t.add(VoteChoice::For);
        t.add(VoteChoice::Abstain);
        assert_eq!(t.check_room(), Err(DeliberationError::AllVoted));
        assert!(MotionStatus::Voting.check_voting().is_ok());
        assert!(MotionStatus::Passed.check_voting().is_err());
        let bad = MotionDraft {
            title: "安装充电桩".into(),
            rule: rule(0, Majority::Half),
        };
        assert_eq!(bad.checked(), Err(DeliberationError::Quorum(0)));
        assert_eq!(VoteChoice::parse_or("赞成"), Ok(VoteChoice::For));
    }
}
