//! 党组织 (`PartyOrg`): the tree of committees, general branches, branches and groups, and the
//! organisation rules of the text. What is impossible is refused (a group without a branch
//! above it, a branch under a branch, a cycle, anything under a dissolved organisation); what
//! the rules allow as a transition — a branch still short of three full members, a branch of
//! seven without its committee, a branch grown to a general branch's or committee's size — is
//! a warning shown beside the organisation.

use serde::{Deserialize, Serialize};

use super::error::{PartyError, required};
use super::{OrgKind, OrgLevel};
use crate::Bilingual;
use crate::calendar::Date;
use crate::codes::{AreaCode, AreaLevel, GridCode};

/// Longest organisation name, in characters.
pub const MAX_NAME: usize = 60;

/// An organisation as written: `parent`, `compound` and `unit` are row ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyOrg {
    pub name: String,
    pub level: OrgLevel,
    pub kind: OrgKind,
    pub parent: Option<i64>,
    /// The community (or street) it serves.
    pub area: AreaCode,
    pub grid: Option<GridCode>,
    pub compound: Option<i64>,
    /// 支部委员会 set up (a branch of seven or more needs one).
    pub has_committee: bool,
    pub founded_on: Date,
    pub dissolved_on: Option<Date>,
}

/// What the placement rules need to know about a would-be parent.
#[derive(Debug, Clone, PartialEq)]
pub struct ParentView {
    pub id: i64,
    pub name: String,
    pub level: OrgLevel,
    pub dissolved: bool,
    /// The parent's own ancestors' ids, nearest first.
    pub ancestors: Vec<i64>,
}

/// How high a level stands: a parent must stand higher than its child (a committee may also
/// sit under a committee: a community committee under the street's working committee).
fn rank(level: OrgLevel) -> u8 {
    match level {
        OrgLevel::Committee => 3,
        OrgLevel::GeneralBranch => 2,
        OrgLevel::Branch => 1,
        OrgLevel::Group => 0,
    }
}

impl PartyOrg {
    /// Checks and trims the organisation's own fields: a name, an area of street or community
    /// level, a grid inside that community, the kind's anchor (a grid organisation names its
    /// grid, a compound organisation its compound), dates in order.
    pub fn checked(self) -> Result<PartyOrg, PartyError> {
        if !matches!(self.area.level(), AreaLevel::Community | AreaLevel::Street) {
            return Err(PartyError::AreaLevel("area"));
        }
        if let Some(g) = &self.grid
            && g.community() != self.area
        {
            return Err(PartyError::OutsideArea("grid"));
        }
        match self.kind {
            OrgKind::Grid if self.grid.is_none() => return Err(PartyError::Blank("grid")),
            OrgKind::Compound if self.compound.is_none() => {
                return Err(PartyError::Blank("compound"));
            }
            _ => {}
        }
        if self.dissolved_on.is_some_and(|d| d < self.founded_on) {
            return Err(PartyError::DateOrder("dissolved_on"));
        }
        Ok(PartyOrg {
            name: required("name", &self.name, MAX_NAME)?,
            ..self
        })
    }
}

/// May an organisation of `level` (with id `own` when it exists already) sit under `parent`?
/// A group needs a branch; a parent stands higher than its child, or is a committee under a
/// committee; a dissolved parent takes nothing new; an organisation cannot sit under itself or
/// one of its own descendants.
pub fn check_parent(
    own: Option<i64>,
    level: OrgLevel,
    parent: Option<&ParentView>,
) -> Result<(), PartyError> {
    let Some(p) = parent else {
        return match level {
            OrgLevel::Group => Err(PartyError::GroupWithoutBranch),
            _ => Ok(()),
        };
    };
    if p.dissolved {
        return Err(PartyError::Dissolved(p.name.clone()));
    }
    if let Some(id) = own
        && (p.id == id || p.ancestors.contains(&id))
    {
        return Err(PartyError::Cycle);
    }
    let fits = match level {
        OrgLevel::Group => p.level == OrgLevel::Branch,
        OrgLevel::Committee => p.level == OrgLevel::Committee,
        _ => rank(p.level) > rank(level),
    };
    if !fits {
        if level == OrgLevel::Group {
            return Err(PartyError::GroupWithoutBranch);
        }
        return Err(PartyError::ParentLevel {
            parent: p.level.zh(),
            child: level.zh(),
        });
    }
    Ok(())
}

/// The thresholds of the organisation rules (shipped defaults from the text; configurable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgRules {
    /// Full members a branch needs (3).
    pub branch_min_full: i64,
    /// Members from which a branch sets up a committee (7).
    pub branch_committee_from: i64,
    /// Members from which a general branch is the fitting level (50).
    pub general_branch_from: i64,
    /// Members from which a primary committee is the fitting level (100).
    pub committee_from: i64,
}

impl Default for OrgRules {
    fn default() -> Self {
        OrgRules {
            branch_min_full: 3,
            branch_committee_from: 7,
            general_branch_from: 50,
            committee_from: 100,
        }
    }
}

/// The members an organisation counts: its own and those of every organisation under it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgSize {
    pub full: i64,
    pub probationary: i64,
}

impl OrgSize {
    pub fn total(self) -> i64 {
        self.full + self.probationary
    }
}

/// A rule the organisation does not meet yet: shown, never refused — the text allows the
/// transition (a branch is founded as members are found, grows into a general branch …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum OrgWarning {
    /// A branch with fewer than three full members.
    BranchUnderMinimum { full: i64, minimum: i64 },
    /// A branch of seven or more members without a branch committee.
    BranchNeedsCommittee { members: i64, from: i64 },
    /// A branch of 50–99 members: the text sets up a general branch.
    BranchFitsGeneralBranch { members: i64, from: i64 },
    /// 100 members or more under a branch or general branch: the text sets up a committee.
    FitsCommittee { members: i64, from: i64 },
    /// A general branch of fewer than 50 members.
    GeneralBranchUnderSize { members: i64, from: i64 },
    /// A committee of fewer than 100 members.
    CommitteeUnderSize { members: i64, from: i64 },
}

impl OrgWarning {
    pub fn code(self) -> &'static str {
        match self {
            OrgWarning::BranchUnderMinimum { .. } => "branch_under_minimum",
            OrgWarning::BranchNeedsCommittee { .. } => "branch_needs_committee",
            OrgWarning::BranchFitsGeneralBranch { .. } => "branch_fits_general_branch",
            OrgWarning::FitsCommittee { .. } => "fits_committee",
            OrgWarning::GeneralBranchUnderSize { .. } => "general_branch_under_size",
            OrgWarning::CommitteeUnderSize { .. } => "committee_under_size",
        }
    }

    pub fn zh(self) -> String {
        match self {
            OrgWarning::BranchUnderMinimum { full, minimum } => {
                format!(
                    "正式党员 {full} 名，不足 {minimum} 名（成立党支部须有 {minimum} 名以上正式党员）"
                )
            }
            OrgWarning::BranchNeedsCommittee { members, from } => {
                format!("党员 {members} 名，达到 {from} 名应设立支部委员会")
            }
            OrgWarning::BranchFitsGeneralBranch { members, from } => {
                format!("党员 {members} 名，达到 {from} 名可设立党总支")
            }
            OrgWarning::FitsCommittee { members, from } => {
                format!("党员 {members} 名，达到 {from} 名可设立党委")
            }
            OrgWarning::GeneralBranchUnderSize { members, from } => {
                format!("党员 {members} 名，不足设立党总支的 {from} 名")
            }
            OrgWarning::CommitteeUnderSize { members, from } => {
                format!("党员 {members} 名，不足设立党委的 {from} 名")
            }
        }
    }

    pub fn en(self) -> String {
        match self {
            OrgWarning::BranchUnderMinimum { full, minimum } => {
                format!("{full} full members, fewer than the {minimum} a branch needs")
            }
            OrgWarning::BranchNeedsCommittee { members, from } => {
                format!("{members} members: from {from} a branch sets up a branch committee")
            }
            OrgWarning::BranchFitsGeneralBranch { members, from } => {
                format!("{members} members: from {from} a general branch may be set up")
            }
            OrgWarning::FitsCommittee { members, from } => {
                format!("{members} members: from {from} a party committee may be set up")
            }
            OrgWarning::GeneralBranchUnderSize { members, from } => {
                format!("{members} members, fewer than the {from} of a general branch")
            }
            OrgWarning::CommitteeUnderSize { members, from } => {
                format!("{members} members, fewer than the {from} of a party committee")
            }
        }
    }
}

/// The warnings for an organisation of `level` with `size` members (its own and those below
/// it). Groups carry none: they are parts of a branch. A dissolved organisation carries none.
pub fn size_warnings(
    level: OrgLevel,
    has_committee: bool,
    size: OrgSize,
    rules: &OrgRules,
) -> Vec<OrgWarning> {
    let members = size.total();
    let mut out = Vec::new();
    match level {
        OrgLevel::Group => {}
        OrgLevel::Branch => {
            if size.full < rules.branch_min_full {
                out.push(OrgWarning::BranchUnderMinimum {
                    full: size.full,
                    minimum: rules.branch_min_full,
                });
            }
            if members >= rules.branch_committee_from && !has_committee {
                out.push(OrgWarning::BranchNeedsCommittee {
                    members,
                    from: rules.branch_committee_from,
                });
            }
            if members >= rules.committee_from {
                out.push(OrgWarning::FitsCommittee {
                    members,
                    from: rules.committee_from,
                });
            } else if members >= rules.general_branch_from {
                out.push(OrgWarning::BranchFitsGeneralBranch {
                    members,
                    from: rules.general_branch_from,
                });
            }
        }
        OrgLevel::GeneralBranch => {
            if members >= rules.committee_from {
                out.push(OrgWarning::FitsCommittee {
                    members,
                    from: rules.committee_from,
                });
            } else if members < rules.general_branch_from {
                out.push(OrgWarning::GeneralBranchUnderSize {
                    members,
                    from: rules.general_branch_from,
                });
            }
        }
        OrgLevel::Committee => {
            if members < rules.committee_from {
                out.push(OrgWarning::CommitteeUnderSize {
                    members,
                    from: rules.committee_from,
                });
            }
        }
    }
    out
}

/// The level the rules give an organisation of `size` members (a branch below 50, a general
/// branch for 50–99, a committee from 100): what the demo and the 双找 page propose.
pub fn fitting_level(size: OrgSize, rules: &OrgRules) -> OrgLevel {
    let members = size.total();
    if members >= rules.committee_from {
        OrgLevel::Committee
    } else if members >= rules.general_branch_from {
        OrgLevel::GeneralBranch
    } else {
        OrgLevel::Branch
    }
}

/// May the organisation be dissolved? Not while members or live organisations are under it.
pub fn check_dissolve(members: i64, live_children: i64) -> Result<(), PartyError> {
    if members > 0 || live_children > 0 {
        Err(PartyError::NotEmpty {
            members,
            children: live_children,
        })
    } else {
        Ok(())
    }
}

/// A warning as a `(code, zh, en)` triple, for the API and the pages.
pub fn warning_text(w: OrgWarning) -> (&'static str, String, String) {
    (w.code(), w.zh(), w.en())
}

impl Bilingual for OrgWarning {
    fn code(&self) -> &'static str {
        OrgWarning::code(*self)
    }
    fn message_zh(&self) -> String {
        self.zh()
    }
    fn message_en(&self) -> String {
        self.en()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(full: i64, probationary: i64) -> OrgSize {
        OrgSize { full, probationary }
    }

    fn codes(ws: &[OrgWarning]) -> Vec<&'static str> {
        ws.iter().map(|w| w.code()).collect()
    }

    fn parent(id: i64, level: OrgLevel) -> ParentView {
        ParentView {
            id,
            name: "桃花坞社区党委".into(),
            level,
            dissolved: false,
            ancestors: vec![1],
        }
    }

    #[test]
    fn a_branch_under_three_full_members_is_warned_probationary_members_do_not_count() {
        let r = OrgRules::default();
        let w = size_warnings(OrgLevel::Branch, false, size(2, 4), &r);
        assert_eq!(codes(&w), ["branch_under_minimum"]);
        assert!(w[0].zh().contains("正式党员 2 名"), "{}", w[0].zh());
        assert!(size_warnings(OrgLevel::Branch, false, size(3, 3), &r).is_empty());
    }

    #[test]
    fn seven_members_need_a_branch_committee() {
        let r = OrgRules::default();
        assert_eq!(
            codes(&size_warnings(OrgLevel::Branch, false, size(6, 1), &r)),
            ["branch_needs_committee"]
        );
        assert!(size_warnings(OrgLevel::Branch, true, size(6, 1), &r).is_empty());
        assert!(size_warnings(OrgLevel::Branch, false, size(6, 0), &r).is_empty());
    }

    #[test]
    fn fifty_to_a_hundred_fits_a_general_branch_a_hundred_a_committee() {
        let r = OrgRules::default();
        assert_eq!(
            codes(&size_warnings(OrgLevel::Branch, true, size(50, 0), &r)),
            ["branch_fits_general_branch"]
        );
        assert_eq!(
            codes(&size_warnings(OrgLevel::Branch, true, size(99, 0), &r)),
            ["branch_fits_general_branch"]
        );
        assert_eq!(
            codes(&size_warnings(OrgLevel::Branch, true, size(100, 0), &r)),
            ["fits_committee"]
        );
        assert!(size_warnings(OrgLevel::GeneralBranch, true, size(50, 0), &r).is_empty());
        assert_eq!(
            codes(&size_warnings(
                OrgLevel::GeneralBranch,
                true,
                size(49, 0),
                &r
            )),
            ["general_branch_under_size"]
        );
        assert_eq!(
            codes(&size_warnings(
                OrgLevel::GeneralBranch,
                true,
                size(90, 10),
                &r
            )),
            ["fits_committee"]
        );
        assert!(size_warnings(OrgLevel::Committee, true, size(100, 0), &r).is_empty());
        assert_eq!(
            codes(&size_warnings(OrgLevel::Committee, true, size(60, 0), &r)),
            ["committee_under_size"]
        );
        assert!(size_warnings(OrgLevel::Group, false, size(0, 0), &r).is_empty());
        assert_eq!(fitting_level(size(49, 0), &r), OrgLevel::Branch);
        assert_eq!(fitting_level(size(40, 10), &r), OrgLevel::GeneralBranch);
        assert_eq!(fitting_level(size(100, 0), &r), OrgLevel::Committee);
    }

    #[test]
    fn thresholds_are_configurable() {
        let r = OrgRules {
            branch_min_full: 5,
            ..OrgRules::default()
        };
        assert_eq!(
            codes(&size_warnings(OrgLevel::Branch, false, size(4, 0), &r)),
            ["branch_under_minimum"]
        );
    }

    #[test]
    fn a_group_needs_a_branch_above_it() {
        assert_eq!(
            check_parent(None, OrgLevel::Group, None),
            Err(PartyError::GroupWithoutBranch)
        );
        assert_eq!(
            check_parent(None, OrgLevel::Group, Some(&parent(2, OrgLevel::Committee))),
            Err(PartyError::GroupWithoutBranch)
        );
        assert_eq!(
            check_parent(None, OrgLevel::Group, Some(&parent(2, OrgLevel::Branch))),
            Ok(())
        );
        assert_eq!(check_parent(None, OrgLevel::Branch, None), Ok(()));
    }

    #[test]
    fn a_parent_stands_higher_than_its_child() {
        let e = check_parent(None, OrgLevel::Branch, Some(&parent(2, OrgLevel::Branch)));
        assert!(matches!(e, Err(PartyError::ParentLevel { .. })), "{e:?}");
        assert_eq!(
            check_parent(
                None,
                OrgLevel::Committee,
                Some(&parent(2, OrgLevel::Committee))
            ),
            Ok(())
        );
        assert!(
            check_parent(
                None,
                OrgLevel::GeneralBranch,
                Some(&parent(2, OrgLevel::Branch))
            )
            .is_err()
        );
        assert_eq!(
            check_parent(
                None,
                OrgLevel::Branch,
                Some(&parent(2, OrgLevel::GeneralBranch))
            ),
            Ok(())
        );
    }

    #[test]
    fn no_cycles_and_nothing_under_a_dissolved_organisation() {
        // Moving org 1 under org 2, whose ancestors include 1.
        assert_eq!(
            check_parent(
                Some(1),
                OrgLevel::Committee,
                Some(&parent(2, OrgLevel::Committee))
            ),
            Err(PartyError::Cycle)
        );
        assert_eq!(
            check_parent(
                Some(2),
                OrgLevel::Committee,
                Some(&parent(2, OrgLevel::Committee))
            ),
            Err(PartyError::Cycle)
        );
        let gone = ParentView {
            dissolved: true,
            ..parent(2, OrgLevel::Committee)
        };
        assert!(matches!(
            check_parent(None, OrgLevel::Branch, Some(&gone)),
            Err(PartyError::Dissolved(_))
        ));
        assert!(check_dissolve(1, 0).is_err());
        assert!(check_dissolve(0, 1).is_err());
        assert_eq!(check_dissolve(0, 0), Ok(()));
    }

    #[test]
    fn an_organisation_names_its_anchor_inside_its_area() {
        let org = PartyOrg {
            name: " 第1网格党支部 ".into(),
            level: OrgLevel::Branch,
            kind: OrgKind::Grid,
            parent: Some(1),
            area: AreaCode::parse("320508019044").unwrap(),
            grid: Some(GridCode::parse("320508019044001").unwrap()),
            compound: None,
            has_committee: false,
            founded_on: Date::new(2020, 7, 1).unwrap(),
            dissolved_on: None,
        };
        assert_eq!(org.clone().checked().unwrap().name, "第1网格党支部");
        let elsewhere = PartyOrg {
            grid: Some(GridCode::parse("320508019045001").unwrap()),
            ..org.clone()
        };
        assert_eq!(elsewhere.checked(), Err(PartyError::OutsideArea("grid")));
        let no_grid = PartyOrg {
            grid: None,
            ..org.clone()
        };
        assert_eq!(no_grid.checked(), Err(PartyError::Blank("grid")));
        let reversed = PartyOrg {
            dissolved_on: Some(Date::new(2019, 1, 1).unwrap()),
            ..org
        };
        assert_eq!(
            reversed.checked(),
            Err(PartyError::DateOrder("dissolved_on"))
        );
    }
}

/// Each organisation's size counted over its subtree: its own members and those of every
/// organisation below it. `direct` gives (id, parent, own members); a parent missing from the
/// list (outside the caller's view) ends the climb; a cycle in stored data is climbed once.
pub fn subtree_sizes(
    direct: &[(i64, Option<i64>, OrgSize)],
) -> std::collections::HashMap<i64, OrgSize> {
    use std::collections::{HashMap, HashSet};
    let parents: HashMap<i64, Option<i64>> = direct.iter().map(|(id, p, _)| (*id, *p)).collect();
    let mut out: HashMap<i64, OrgSize> = direct
        .iter()
        .map(|(id, ..)| (*id, OrgSize::default()))
        .collect();
    for (id, _, own) in direct {
        let mut seen = HashSet::new();
        let mut at = Some(*id);
        while let Some(cur) = at {
            if !seen.insert(cur) {
                break;
            }
            let Some(s) = out.get_mut(&cur) else { break };
            s.full += own.full;
            s.probationary += own.probationary;
            at = parents.get(&cur).copied().flatten();
        }
    }
    out
}

#[cfg(test)]
mod subtree_tests {
    use super::*;

    #[test]
    fn sizes_add_up_the_subtree() {
        let s = |full, probationary| OrgSize { full, probationary };
        let sizes = subtree_sizes(&[
            (1, None, s(1, 0)),
            (2, Some(1), s(3, 1)),
            (3, Some(2), s(2, 0)),
            (4, Some(1), s(0, 2)),
            (5, Some(99), s(4, 0)),
        ]);
        assert_eq!(sizes[&1], s(6, 3));
        assert_eq!(sizes[&2], s(5, 1));
        assert_eq!(sizes[&3], s(2, 0));
        assert_eq!(sizes[&5], s(4, 0));
    }
}

/// The tree in reading order: each organisation after its parent, children in the order
/// given, as (index into `nodes`, depth). An organisation whose parent is not in the list is
/// a root (the caller's view may start below the top); a stored cycle is cut where it closes.
pub fn tree_order(nodes: &[(i64, Option<i64>)]) -> Vec<(usize, usize)> {
    use std::collections::{HashMap, HashSet};
    let index: HashMap<i64, usize> = nodes.iter().enumerate().map(|(i, n)| (n.0, i)).collect();
    let mut children: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut roots = Vec::new();
    for (i, (_, parent)) in nodes.iter().enumerate() {
        match parent.and_then(|p| index.get(&p)) {
            Some(&p) if p != i => children.entry(p).or_default().push(i),
            _ => roots.push(i),
        }
    }
    let mut out = Vec::with_capacity(nodes.len());
    let mut seen = HashSet::new();
    let mut stack: Vec<(usize, usize)> = roots.into_iter().rev().map(|r| (r, 0)).collect();
    while let Some((i, depth)) = stack.pop() {
        if !seen.insert(i) {
            continue;
        }
        out.push((i, depth));
        if let Some(cs) = children.get(&i) {
            stack.extend(cs.iter().rev().map(|&c| (c, depth + 1)));
        }
    }
    // Members of a cycle with no way in from a root: listed flat at the end.
    for i in 0..nodes.len() {
        if seen.insert(i) {
            out.push((i, 0));
        }
    }
    out
}

/// Settings keys of the organisation rules (in the city's settings; absent keys keep the
/// text's defaults).
pub const RULE_KEYS: [&str; 4] = [
    "party.branch_min_full",
    "party.branch_committee_from",
    "party.general_branch_from",
    "party.committee_from",
];

impl OrgRules {
    /// The rules from `(key, value)` settings; a missing or unreadable value keeps its default.
    pub fn from_settings(settings: &[(String, String)]) -> OrgRules {
        let mut r = OrgRules::default();
        for (k, v) in settings {
            let Ok(n) = v.trim().parse::<i64>() else {
                continue;
            };
            if n < 1 {
                continue;
            }
            match k.as_str() {
                "party.branch_min_full" => r.branch_min_full = n,
                "party.branch_committee_from" => r.branch_committee_from = n,
                "party.general_branch_from" => r.general_branch_from = n,
                "party.committee_from" => r.committee_from = n,
                _ => {}
            }
        }
        r
    }
}

#[cfg(test)]
mod tree_tests {
    use super::*;

    #[test]
    fn children_follow_their_parent() {
        let order = tree_order(&[
            (1, None),
            (5, Some(1)),
            (2, Some(1)),
            (7, Some(5)),
            (9, Some(42)),
        ]);
        let ids: Vec<(i64, usize)> = order
            .iter()
            .map(|&(i, d)| ([1, 5, 2, 7, 9][i], d))
            .collect();
        assert_eq!(ids, [(1, 0), (5, 1), (7, 2), (2, 1), (9, 0)]);
        let cycle = tree_order(&[(1, Some(2)), (2, Some(1))]);
        assert_eq!(cycle.len(), 2);
    }

    #[test]
    fn rules_come_from_settings() {
        let r = OrgRules::from_settings(&[
            ("party.branch_min_full".into(), "4".into()),
            ("party.committee_from".into(), "x".into()),
        ]);
        assert_eq!(r.branch_min_full, 4);
        assert_eq!(r.committee_from, 100);
    }
}
