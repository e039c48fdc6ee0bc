//! Which part of the city a principal's lists are narrowed to, and whom a grid is served by.
//! `decide` answers "may I see this one?"; `visible_region` answers "what should a list show?"
//! so that a list never returns a row `decide` would refuse.

use super::{Principal, Scope};
use crate::codes::{AreaCode, GridCode};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Region {
    Everything,
    Area(AreaCode),
    Grid(GridCode),
    Nothing,
}

pub fn visible_region(p: &Principal) -> Region {
    match &p.scope {
        Scope::All => Region::Everything,
        Scope::Area(a) => Region::Area(*a),
        Scope::Grid(g) => Region::Grid(*g),
        Scope::Department(_) | Scope::SelfOnly => Region::Nothing,
    }
}

/// True when an account with this scope works in the grid (shown as the grid's staff).
pub fn serves_grid(scope: &Scope, grid: &GridCode) -> bool {
    match scope {
        Scope::Grid(g) => g == grid,
        Scope::Area(a) => a.as_str() == grid.community().as_str(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;

    fn p(scope: Scope) -> Principal {
        Principal { account_id: 1, role: Role::Street, scope, can_unmask: false }
    }

    #[test]
    fn lists_follow_the_scope() {
        let g = GridCode::parse("320508019044001").unwrap();
        assert_eq!(visible_region(&p(Scope::Grid(g))), Region::Grid(g));
        assert_eq!(visible_region(&p(Scope::All)), Region::Everything);
        assert_eq!(visible_region(&p(Scope::Department("CG".into()))), Region::Nothing);
    }

    #[test]
    fn community_staff_serve_their_grids() {
        let g = GridCode::parse("320508019044001").unwrap();
        assert!(serves_grid(&Scope::Area(AreaCode::parse("320508019044").unwrap()), &g));
        assert!(!serves_grid(&Scope::Area(AreaCode::parse("320508019000").unwrap()), &g));
        assert!(serves_grid(&Scope::Grid(g), &g));
    }
}

/// Passwords: at least 8 characters with a letter and a digit. Returns the reason when weak.
pub fn password_weakness(password: &str) -> Option<(&'static str, &'static str)> {
    if password.chars().count() < 8 {
        return Some(("密码至少8个字符", "a password needs at least 8 characters"));
    }
    let letter = password.chars().any(|c| c.is_alphabetic());
    let digit = password.chars().any(|c| c.is_ascii_digit());
    if !(letter && digit) {
        return Some(("密码须同时包含字母和数字", "a password needs both letters and digits"));
    }
    None
}

#[cfg(test)]
mod password_tests {
    use super::*;

    #[test]
    fn weak_passwords_are_named() {
        assert!(password_weakness("short1").is_some());
        assert!(password_weakness("onlyletters").is_some());
        assert!(password_weakness("gongzhi2026").is_none());
    }
}
