//! The city's deliberation settings (and a community's own support threshold): how many
//! supports table a topic, and the defaults a new motion starts from — its voting basis, quorum
//! and majority. Kept as key → value pairs like the red grid's; a key absent keeps the default.

use super::{DeliberationError, Majority, VotingBasis};

pub const THRESHOLD_KEY: &str = "support_threshold";
pub const QUORUM_KEY: &str = "quorum_pct";
pub const MAJORITY_KEY: &str = "majority";
pub const BASIS_KEY: &str = "voting_basis";

/// The most supports a threshold may ask for.
pub const MAX_THRESHOLD: u32 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeliberationSettings {
    /// Supports that table a topic (列入议程) automatically.
    pub support_threshold: u32,
    /// Share of eligible voters who must vote, in percent.
    pub quorum_pct: u32,
    pub majority: Majority,
    pub voting_basis: VotingBasis,
}

impl Default for DeliberationSettings {
    /// Shipped: 10 supports table a topic; a motion is voted one household one vote, needs half
    /// the households to vote and more than half of the votes cast in favour.
    fn default() -> Self {
        DeliberationSettings {
            support_threshold: 10,
            quorum_pct: 50,
            majority: Majority::Half,
            voting_basis: VotingBasis::Household,
        }
    }
}

impl DeliberationSettings {
    /// The city's pairs, then the community's (only its threshold overrides the city's).
    pub fn from_pairs(city: &[(String, String)], community: &[(String, String)]) -> Self {
        let mut s = DeliberationSettings::default();
        for (k, v) in city {
            s.apply(k, v);
        }
        for (k, v) in community {
            if k == THRESHOLD_KEY {
                s.apply(k, v);
            }
        }
        s
    }

    fn apply(&mut self, key: &str, value: &str) {
        match key {
            THRESHOLD_KEY => {
                if let Some(n) = value.parse().ok().filter(|n| valid_threshold(*n)) {
                    self.support_threshold = n;
                }
            }
            QUORUM_KEY => {
                if let Some(n) = value.parse().ok().filter(|n| (1..=100).contains(n)) {
                    self.quorum_pct = n;
                }
            }
            MAJORITY_KEY => {
                if let Some(m) = Majority::parse(value) {
                    self.majority = m;
                }
            }
            BASIS_KEY => {
                if let Some(b) = VotingBasis::parse(value) {
                    self.voting_basis = b;
                }
            }
            _ => {}
        }
    }

    /// The settings as they are stored.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            (THRESHOLD_KEY, self.support_threshold.to_string()),
            (QUORUM_KEY, self.quorum_pct.to_string()),
            (MAJORITY_KEY, self.majority.as_str().to_string()),
            (BASIS_KEY, self.voting_basis.as_str().to_string()),
        ]
    }

    /// Checks settings as typed.
    pub fn checked(self) -> Result<Self, DeliberationError> {
        check_threshold(self.support_threshold)?;
        super::vote::check_quorum(self.quorum_pct)?;
        Ok(self)
    }
}

fn valid_threshold(n: u32) -> bool {
    (1..=MAX_THRESHOLD).contains(&n)
}

/// A support threshold between 1 and [`MAX_THRESHOLD`].
pub(crate) fn check_threshold(n: u32) -> Result<u32, DeliberationError> {
    if valid_threshold(n) {
        Ok(n)
    } else {
        Err(DeliberationError::Threshold(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(k: &str, v: &str) -> (String, String) {
        (k.into(), v.into())
    }

    #[test]
    fn a_community_sets_only_its_threshold_over_the_city() {
        let city = [
            pair(THRESHOLD_KEY, "20"),
            pair(QUORUM_KEY, "60"),
            pair(MAJORITY_KEY, "two_thirds"),
            pair(BASIS_KEY, "resident"),
        ];
        let community = [pair(THRESHOLD_KEY, "5"), pair(QUORUM_KEY, "10")];
        let s = DeliberationSettings::from_pairs(&city, &community);
        assert_eq!(s.support_threshold, 5);
        assert_eq!(s.quorum_pct, 60, "the quorum is the city's");
        assert_eq!(s.majority, Majority::TwoThirds);
        assert_eq!(s.voting_basis, VotingBasis::Resident);
        let junk = DeliberationSettings::from_pairs(&[pair(THRESHOLD_KEY, "0")], &[]);
        assert_eq!(junk.support_threshold, 10, "a bad value keeps the default");
        assert_eq!(
            DeliberationSettings {
                support_threshold: 0,
                ..Default::default()
            }
            .checked(),
            Err(DeliberationError::Threshold(0))
        );
        let back = DeliberationSettings::from_pairs(
            &s.pairs()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<Vec<_>>(),
            &[],
        );
        assert_eq!(back, s);
    }
}
