//! 驻区单位 and 两新组织: the units in a community (enterprises, social organisations, organs,
//! institutions) with their party organisation or its absence. The text says coverage of the
//! 两新组织 is "basically full" but often hollow: the coverage rate is counted beside the signs
//! of a hollow organisation (few members, no meetings held).

use serde::{Deserialize, Serialize};

use super::error::{PartyError, required};
use crate::codes::{AreaCode, AreaLevel, GridCode};
use crate::labelled_enum;

labelled_enum! {
    /// What a unit in the area is.
    pub enum UnitKind {
        /// 非公有制企业 (a 两新组织).
        Enterprise = ("enterprise", "非公企业", "Private enterprise"),
        /// 社会组织 (a 两新组织).
        SocialOrganisation = ("social_organisation", "社会组织", "Social organisation"),
        StateEnterprise = ("state_enterprise", "国有企业", "State-owned enterprise"),
        Institution = ("institution", "事业单位", "Public institution"),
        Organ = ("organ", "机关单位", "Government organ"),
    }
}

impl UnitKind {
    /// 两新组织: new economic and new social organisations.
    pub fn is_two_new(self) -> bool {
        matches!(self, UnitKind::Enterprise | UnitKind::SocialOrganisation)
    }
}

/// Longest unit name or address, in characters.
pub const MAX_NAME: usize = 80;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    pub name: String,
    pub kind: UnitKind,
    pub community: AreaCode,
    pub grid: Option<GridCode>,
    pub address: String,
    pub employees: i64,
    /// The unit's party organisation, if it has one.
    pub org: Option<i64>,
}

impl Unit {
    pub fn checked(self) -> Result<Unit, PartyError> {
        if self.community.level() != AreaLevel::Community {
            return Err(PartyError::AreaLevel("community"));
        }
        if self.grid.is_some_and(|g| g.community() != self.community) {
            return Err(PartyError::OutsideArea("grid"));
        }
        if !(0..=1_000_000).contains(&self.employees) {
            return Err(PartyError::Coordinate("employees"));
        }
        Ok(Unit {
            name: required("name", &self.name, MAX_NAME)?,
            address: required("address", &self.address, 200)?,
            ..self
        })
    }
}

/// Members below which a unit's organisation counts as hollow-looking (fewer than a branch's
/// three full members) and the meetings a year below which it does (a branch meets at least
/// quarterly: four members' meetings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HollowRules {
    pub min_members: i64,
    pub min_meetings_a_year: i64,
}

impl Default for HollowRules {
    fn default() -> Self {
        HollowRules {
            min_members: 3,
            min_meetings_a_year: 4,
        }
    }
}

labelled_enum! {
    /// A sign that a unit's organisation exists on paper only.
    pub enum HollowSign {
        FewMembers = ("few_members", "党员人数不足", "Too few members"),
        FewMeetings = ("few_meetings", "组织生活不足", "Too few meetings held"),
        Dissolved = ("dissolved", "组织已撤销", "Organisation dissolved"),
    }
}

/// The hollow signs of a unit's organisation with `members` and `meetings` held in the last
/// twelve months (`None` when meetings are not recorded at all: no sign either way).
pub fn hollow_signs(
    members: i64,
    meetings: Option<i64>,
    dissolved: bool,
    rules: &HollowRules,
) -> Vec<HollowSign> {
    let mut out = Vec::new();
    if dissolved {
        out.push(HollowSign::Dissolved);
        return out;
    }
    if members < rules.min_members {
        out.push(HollowSign::FewMembers);
    }
    if meetings.is_some_and(|m| m < rules.min_meetings_a_year) {
        out.push(HollowSign::FewMeetings);
    }
    out
}

/// Coverage of units by party organisations: covered / all, in percent with two decimals
/// (`None` when there are no units).
pub fn coverage_percent(covered: i64, all: i64) -> Option<f64> {
    (all > 0).then(|| (covered as f64 * 10_000.0 / all as f64).round() / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hollow_signs_count_members_and_meetings() {
        let r = HollowRules::default();
        assert_eq!(
            hollow_signs(2, Some(1), false, &r),
            [HollowSign::FewMembers, HollowSign::FewMeetings]
        );
        assert!(hollow_signs(5, None, false, &r).is_empty());
        assert!(hollow_signs(5, Some(4), false, &r).is_empty());
        assert_eq!(hollow_signs(9, Some(9), true, &r), [HollowSign::Dissolved]);
    }

    #[test]
    fn coverage_in_percent() {
        assert_eq!(coverage_percent(2, 3), Some(66.67));
        assert_eq!(coverage_percent(0, 0), None);
        assert_eq!(coverage_percent(5, 5), Some(100.0));
    }

    #[test]
    fn units_lie_in_their_community() {
        let u = Unit {
            name: " 苏州桃坞科技有限公司 ".into(),
            kind: UnitKind::Enterprise,
            community: AreaCode::parse("320508019044").unwrap(),
            grid: Some(GridCode::parse("320508019045001").unwrap()),
            address: "桃花坞大街 1 号".into(),
            employees: 30,
            org: None,
        };
        assert_eq!(u.clone().checked(), Err(PartyError::OutsideArea("grid")));
        let u = Unit { grid: None, ..u }.checked().unwrap();
        assert_eq!(u.name, "苏州桃坞科技有限公司");
        assert!(u.kind.is_two_new());
        assert_eq!(
            UnitKind::parse("社会组织"),
            Some(UnitKind::SocialOrganisation)
        );
    }
}

/// Coverage of one community (or of all, `community` = `None`): units, units with a live
/// organisation, and the same for the 两新组织 alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub community: Option<AreaCode>,
    pub units: i64,
    pub covered: i64,
    pub two_new: i64,
    pub two_new_covered: i64,
    /// Covered units whose organisation shows a hollow sign.
    pub hollow: i64,
    pub percent: Option<f64>,
    pub two_new_percent: Option<f64>,
}

/// One unit as coverage counts it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnitTally {
    pub community: AreaCode,
    pub kind: UnitKind,
    /// Has a live (not dissolved) organisation.
    pub covered: bool,
    pub hollow: bool,
}

/// Coverage per community in code order, then the total (`community` = `None`).
pub fn coverage(units: &[UnitTally]) -> Vec<Coverage> {
    use std::collections::BTreeMap;
    let mut by: BTreeMap<Option<AreaCode>, Coverage> = BTreeMap::new();
    for u in units {
        for key in [Some(u.community), None] {
            let c = by.entry(key).or_insert_with(|| Coverage {
                community: key,
                units: 0,
                covered: 0,
                two_new: 0,
                two_new_covered: 0,
                hollow: 0,
                percent: None,
                two_new_percent: None,
            });
            c.units += 1;
            c.covered += i64::from(u.covered);
            c.hollow += i64::from(u.covered && u.hollow);
            if u.kind.is_two_new() {
                c.two_new += 1;
                c.two_new_covered += i64::from(u.covered);
            }
        }
    }
    let mut out: Vec<Coverage> = by
        .into_values()
        .map(|mut c| {
            c.percent = coverage_percent(c.covered, c.units);
            c.two_new_percent = coverage_percent(c.two_new_covered, c.two_new);
            c
        })
        .collect();
    // `None` sorts first in the map: the total goes last.
    if !out.is_empty() {
        let total = out.remove(0);
        out.push(total);
    }
    out
}

#[cfg(test)]
mod coverage_tests {
    use super::*;

    #[test]
    fn coverage_counts_per_community_and_in_total() {
        let a = AreaCode::parse("320508019044").unwrap();
        let b = AreaCode::parse("320508019045").unwrap();
        let t = |community, kind, covered, hollow| UnitTally {
            community,
            kind,
            covered,
            hollow,
        };
        let rows = coverage(&[
            t(a, UnitKind::Enterprise, true, true),
            t(a, UnitKind::SocialOrganisation, false, false),
            t(a, UnitKind::Organ, true, false),
            t(b, UnitKind::Enterprise, true, false),
        ]);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].community, Some(a));
        assert_eq!((rows[0].units, rows[0].covered, rows[0].hollow), (3, 2, 1));
        assert_eq!(rows[0].percent, Some(66.67));
        assert_eq!(rows[0].two_new_percent, Some(50.0));
        assert_eq!(rows[2].community, None);
        assert_eq!(
            (rows[2].units, rows[2].covered, rows[2].percent),
            (4, 3, Some(75.0))
        );
        assert!(coverage(&[]).is_empty());
    }
}
