//! 应急 (issue 16, item 4; decision 038): an emergency case, or a drill (演练), alerts every
//! responsible level at once — the grid, community, street, district and city, and the
//! handling department — and escalates in minutes, not days, along the chain of places while
//! the level responsible for it has not acknowledged. Pure: the application layer brings the
//! clock and the store.

mod error;
mod escalation;
mod respond;
#[cfg(test)]
mod tests;

pub use error::EmergencyError;
pub use escalation::{
    DEFAULT_MINUTES, MINUTE_FIELDS, MINUTE_MS, Minutes, Stop, first_stage, next_stage,
};
pub use respond::{Acknowledged, acknowledge, may, tier_of, time_to_acknowledge};

use crate::case::Recipient;
use crate::codes::{AreaCode, AreaLevel, GridCode};

/// A level that answers for an emergency (响应层级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    Grid,
    Community,
    Street,
    District,
    City,
    /// The handling department: alerted with the places, outside the escalation chain.
    Department,
}

impl Tier {
    pub const ALL: [Tier; 6] = [
        Tier::Grid,
        Tier::Community,
        Tier::Street,
        Tier::District,
        Tier::City,
        Tier::Department,
    ];
    /// The escalation chain, lowest first.
    pub const CHAIN: [Tier; 5] = [
        Tier::Grid,
        Tier::Community,
        Tier::Street,
        Tier::District,
        Tier::City,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Grid => "grid",
            Tier::Community => "community",
            Tier::Street => "street",
            Tier::District => "district",
            Tier::City => "city",
            Tier::Department => "department",
        }
    }

    pub fn parse(s: &str) -> Option<Tier> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Tier::Grid => "网格",
            Tier::Community => "社区",
            Tier::Street => "街道",
            Tier::District => "区",
            Tier::City => "市",
            Tier::Department => "职能部门",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Tier::Grid => "grid",
            Tier::Community => "community",
            Tier::Street => "street",
            Tier::District => "district",
            Tier::City => "city",
            Tier::Department => "department",
        }
    }

    fn chain_index(self) -> Option<usize> {
        Self::CHAIN.iter().position(|t| *t == self)
    }
}

/// Where an emergency is and who handles it: what decides whom it alerts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Place {
    pub community: Option<AreaCode>,
    pub grid: Option<GridCode>,
    pub department: Option<String>,
}

impl Place {
    /// The area answering at `tier` (`None` for the grid and the department, or when the
    /// place does not reach that far: a case located only at its street has no community).
    fn area(&self, tier: Tier) -> Option<AreaCode> {
        let want = match tier {
            Tier::Community => AreaLevel::Community,
            Tier::Street => AreaLevel::Street,
            Tier::District => AreaLevel::District,
            Tier::City => AreaLevel::City,
            Tier::Grid | Tier::Department => return None,
        };
        let mut a = self
            .community
            .or_else(|| self.grid.map(|g| g.community()))?;
        loop {
            if a.level() == want {
                return Some(a);
            }
            if a.level() < want {
                return None;
            }
            a = a.parent()?;
        }
    }

    /// Whose inbox hears for `tier`, if the place has that level.
    pub fn recipient(&self, tier: Tier) -> Option<Recipient> {
        match tier {
            Tier::Grid => self.grid.map(Recipient::Grid),
            Tier::Department => self.department.clone().map(Recipient::Department),
            // Every emergency reaches the city: one located nowhere reaches everyone.
            Tier::City => Some(
                self.area(Tier::City)
                    .map_or(Recipient::All, Recipient::Area),
            ),
            t => self.area(t).map(Recipient::Area),
        }
    }

    /// Every responsible level at once, lowest first, the department last: an emergency's
    /// first alert goes to all of them in the report's own transaction.
    pub fn responsible(&self) -> Vec<(Tier, Recipient)> {
        Tier::ALL
            .into_iter()
            .filter_map(|t| self.recipient(t).map(|r| (t, r)))
            .collect()
    }
}
