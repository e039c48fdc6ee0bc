//! Which part of the city a principal's lists are narrowed to, and whom a grid is served by.
//! `decide` answers "may I see this one?"; `visible_region` answers "what should a list show?"
//! so that a list never returns a row `decide` would refuse.

use super::{Principal, Scope, scope_fits};
use crate::codes::{AreaCode, GridCode};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Region {
    Everything,
    Area(AreaCode),
    Grid(GridCode),
    Nothing,
}

/// The spatial part of the principal's scope. A scope that does not fit the role yields
/// [`Region::Nothing`], matching `decide`, which refuses such a principal everything.
pub fn visible_region(p: &Principal) -> Region {
    if !scope_fits(p.role, &p.scope) {
        return Region::Nothing;
    }
    match &p.scope {
        Scope::All => Region::Everything,
        Scope::Area(a) => Region::Area(*a),
        Scope::Grid(g) => Region::Grid(*g),
        Scope::Department(_) | Scope::SelfOnly => Region::Nothing,
    }
}

/// True when an account with this scope works in the grid (shown as the grid's staff): the
/// grid's own worker and the staff of its community.
pub fn serves_grid(scope: &Scope, grid: &GridCode) -> bool {
    match scope {
        Scope::Grid(g) => g == grid,
        Scope::Area(a) => *a == grid.community(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;

    fn p(role: Role, scope: Scope) -> Principal {
        Principal {
            account_id: 1,
            role,
            scope,
            can_unmask: false,
        }
    }

    #[test]
    fn lists_follow_the_scope() {
        let g = GridCode::parse("320508019044001").unwrap();
        let street = AreaCode::parse("320508019000").unwrap();
        assert_eq!(
            visible_region(&p(Role::GridWorker, Scope::Grid(g))),
            Region::Grid(g)
        );
        assert_eq!(
            visible_region(&p(Role::Street, Scope::Area(street))),
            Region::Area(street)
        );
        assert_eq!(
            visible_region(&p(Role::Admin, Scope::All)),
            Region::Everything
        );
        assert_eq!(
            visible_region(&p(Role::Department, Scope::Department("CG".into()))),
            Region::Nothing
        );
        assert_eq!(
            visible_region(&p(Role::Resident, Scope::SelfOnly)),
            Region::Nothing
        );
    }

    #[test]
    fn a_misfitting_scope_shows_nothing() {
        let g = GridCode::parse("320508019044001").unwrap();
        let district = AreaCode::parse("320508").unwrap();
        assert_eq!(
            visible_region(&p(Role::Street, Scope::All)),
            Region::Nothing
        );
        assert_eq!(
            visible_region(&p(Role::Street, Scope::Area(district))),
            Region::Nothing
        );
        assert_eq!(
            visible_region(&p(Role::Community, Scope::Grid(g))),
            Region::Nothing
        );
    }

    #[test]
    fn community_staff_serve_their_grids() {
        let g = GridCode::parse("320508019044001").unwrap();
        assert!(serves_grid(
            &Scope::Area(AreaCode::parse("320508019044").unwrap()),
            &g
        ));
        assert!(!serves_grid(
            &Scope::Area(AreaCode::parse("320508019000").unwrap()),
            &g
        ));
        assert!(serves_grid(&Scope::Grid(g), &g));
        assert!(!serves_grid(
            &Scope::Grid(GridCode::parse("320508019044002").unwrap()),
            &g
        ));
        assert!(!serves_grid(&Scope::All, &g));
    }
}
