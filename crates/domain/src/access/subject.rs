//! Who acts (a [`Principal`] with a [`Scope`]) and on what (a [`Target`]).

use serde::{Deserialize, Serialize};

use super::Role;
use crate::codes::{AreaCode, GridCode};

/// The part of the city an account answers for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    All,
    /// An area and everything below it.
    Area(AreaCode),
    /// One grid.
    Grid(GridCode),
    /// A department, by its code.
    Department(String),
    /// Only the account holder's own records.
    SelfOnly,
}

impl Scope {
    /// True when `target` lies within this scope: an area inside an area scope, a grid whose
    /// community is inside it, the very grid of a grid scope, the very department of a
    /// department scope; everything for [`Scope::All`].
    pub fn covers(&self, target: &Target) -> bool {
        match (self, target) {
            (Scope::All, _) => true,
            (Scope::Area(scope), Target::Area(area)) => scope.contains(area),
            (Scope::Area(scope), Target::Grid(grid)) => scope.contains(&grid.community()),
            (Scope::Grid(scope), Target::Grid(grid)) => scope == grid,
            (Scope::Department(scope), Target::Department(dept)) => scope == dept,
            _ => false,
        }
    }

    /// True when `target` is an area enclosing (or equal to) the scope's own area or grid:
    /// those areas are drawn as the tree path above the account's patch.
    pub fn lies_under(&self, target: &Target) -> bool {
        match (self, target) {
            (Scope::Area(scope), Target::Area(area)) => area.contains(scope),
            (Scope::Grid(grid), Target::Area(area)) => area.contains(&grid.community()),
            _ => false,
        }
    }
}

/// An authenticated account as the policy sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub account_id: i64,
    pub role: Role,
    pub scope: Scope,
    /// Granted per account, not per role: seeing full ID and phone numbers is exceptional.
    pub can_unmask: bool,
}

/// What an action is applied to. A household, resident or building is targeted by its grid,
/// so that access follows where people live.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// The whole city, e.g. an unfiltered list.
    Everything,
    Area(AreaCode),
    Grid(GridCode),
    Department(String),
}

impl Target {
    /// Areas, grids and the whole map: what the public map shows.
    pub fn is_map(&self) -> bool {
        matches!(self, Target::Everything | Target::Area(_) | Target::Grid(_))
    }

    pub fn zh(&self) -> String {
        match self {
            Target::Everything => "全部数据".into(),
            Target::Area(a) => format!("行政区划 {a}"),
            Target::Grid(g) => format!("网格 {g}"),
            Target::Department(d) => format!("部门 {d}"),
        }
    }

    pub fn en(&self) -> String {
        match self {
            Target::Everything => "everything".into(),
            Target::Area(a) => format!("area {a}"),
            Target::Grid(g) => format!("grid {g}"),
            Target::Department(d) => format!("department {d}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(s: &str) -> AreaCode {
        AreaCode::parse(s).unwrap()
    }

    fn grid(s: &str) -> GridCode {
        GridCode::parse(s).unwrap()
    }

    #[test]
    fn area_scope_covers_its_subtree() {
        let street = Scope::Area(area("320508019000"));
        assert!(street.covers(&Target::Area(area("320508019000"))));
        assert!(street.covers(&Target::Area(area("320508019044"))));
        assert!(street.covers(&Target::Grid(grid("320508019044001"))));
        assert!(!street.covers(&Target::Area(area("320508"))));
        assert!(!street.covers(&Target::Grid(grid("320508020001001"))));
        assert!(!street.covers(&Target::Everything));
        assert!(!street.covers(&Target::Department("cgj".into())));
    }

    #[test]
    fn grid_scope_covers_only_itself() {
        let own = Scope::Grid(grid("320508019044001"));
        assert!(own.covers(&Target::Grid(grid("320508019044001"))));
        assert!(!own.covers(&Target::Grid(grid("320508019044002"))));
        assert!(!own.covers(&Target::Area(area("320508019044"))));
    }

    #[test]
    fn lies_under_enclosing_areas() {
        let own = Scope::Grid(grid("320508019044001"));
        for a in ["320508019044", "320508019000", "320508", "320500", "320000"] {
            assert!(own.lies_under(&Target::Area(area(a))), "{a}");
        }
        assert!(!own.lies_under(&Target::Area(area("320508019045"))));
        let street = Scope::Area(area("320508019000"));
        assert!(street.lies_under(&Target::Area(area("320000"))));
        assert!(!street.lies_under(&Target::Area(area("320508019044"))));
        assert!(!street.lies_under(&Target::Grid(grid("320508019044001"))));
    }

    #[test]
    fn all_covers_everything() {
        assert!(Scope::All.covers(&Target::Everything));
        assert!(Scope::All.covers(&Target::Department("x".into())));
        assert!(!Scope::SelfOnly.covers(&Target::Everything));
    }

    #[test]
    fn target_descriptions() {
        let t = Target::Grid(grid("320508019044001"));
        assert_eq!(t.zh(), "网格 320508019044001");
        assert_eq!(t.en(), "grid 320508019044001");
        assert!(t.is_map());
        assert!(!Target::Department("cgj".into()).is_map());
    }
}
