//! 网格长 / 网格指导员 / 红色网格员: the roles a grid has. A grid has one leader and one
//! instructor at a time, and as many red grid members as its households need; a red grid member
//! logs in with an account of their own (role 红色网格员, scoped to the grid), and may also be
//! a party member on the roll.

use crate::access::{Role, Scope};
use crate::calendar::Date;
use crate::codes::GridCode;
use crate::labelled_enum;

use super::RedGridError;

labelled_enum! {
    /// A role in a grid (`GridRole`).
    pub enum GridRoleKind {
        /// 网格长: leads the grid's work.
        Leader = ("leader", "网格长", "Grid leader"),
        /// 网格指导员: a cadre who guides the grid.
        Instructor = ("instructor", "网格指导员", "Grid instructor"),
        /// 红色网格员: serves 5–10 households.
        RedMember = ("red_member", "红色网格员", "Red grid member"),
    }
}

impl GridRoleKind {
    /// The code or the Chinese name, or why not.
    pub fn parse_or(s: &str) -> Result<GridRoleKind, RedGridError> {
        GridRoleKind::parse(s).ok_or_else(|| RedGridError::UnknownRole(clip(s)))
    }

    /// A grid has one of this role at a time.
    pub fn is_single(self) -> bool {
        self != GridRoleKind::RedMember
    }
}

/// The account a role names, as the accounts table holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleHolder {
    pub account_id: i64,
    pub role: Role,
    pub scope: Scope,
    pub display_name: String,
}

/// A role held now in the grid, for the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveRole {
    pub kind: GridRoleKind,
    pub account_id: Option<i64>,
    pub person_name: String,
}

/// A role to give, before it is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridRoleDraft {
    pub grid: GridCode,
    pub kind: GridRoleKind,
    pub account: Option<RoleHolder>,
    /// The holder's name as shown; blank takes the account's display name.
    pub person_name: String,
    /// `party_members.id`, when the holder is a party member on the roll.
    pub member: Option<i64>,
    pub started_on: Date,
}

/// Longest name accepted.
pub const MAX_NAME: usize = 50;

pub(super) fn clip(s: &str) -> String {
    s.trim().chars().take(40).collect()
}

pub(super) fn required(field: &'static str, v: &str, max: usize) -> Result<String, RedGridError> {
    let t = v.trim();
    if t.is_empty() {
        Err(RedGridError::Blank(field))
    } else if t.chars().count() > max {
        Err(RedGridError::TooLong(field, max))
    } else {
        Ok(t.to_string())
    }
}

impl GridRoleDraft {
    /// Checks the role against the roles the grid holds now (`active`): a red grid member's
    /// own account of this grid, one leader and one instructor, no role twice.
    pub fn checked(self, active: &[ActiveRole]) -> Result<GridRoleDraft, RedGridError> {
        if let Some(a) = &self.account {
            if a.role == Role::Resident {
                return Err(RedGridError::ResidentAccount);
            }
            if self.kind == GridRoleKind::RedMember
                && (a.role != Role::RedMember || a.scope != Scope::Grid(self.grid))
            {
                return Err(RedGridError::AccountNotRedMember);
            }
        } else if self.kind == GridRoleKind::RedMember {
            return Err(RedGridError::AccountRequired);
        }
        let account_id = self.account.as_ref().map(|a| a.account_id);
        for r in active.iter().filter(|r| r.kind == self.kind) {
            if self.kind.is_single() {
                return Err(RedGridError::RoleTaken {
                    kind: self.kind,
                    holder: r.person_name.clone(),
                });
            }
            if account_id.is_some() && r.account_id == account_id {
                return Err(RedGridError::AccountHoldsRole);
            }
        }
        let name = match (self.person_name.trim(), &self.account) {
            ("", Some(a)) => a.display_name.clone(),
            (n, _) => n.to_string(),
        };
        Ok(GridRoleDraft {
            person_name: required("person_name", &name, MAX_NAME)?,
            ..self
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GRID: &str = "320508019044001";

    fn grid(s: &str) -> GridCode {
        GridCode::parse(s).unwrap()
    }

    fn account(id: i64, role: Role, scope: Scope) -> RoleHolder {
        RoleHolder {
            account_id: id,
            role,
            scope,
            display_name: format!("账号{id}"),
        }
    }

    fn draft(kind: GridRoleKind, holder: Option<RoleHolder>) -> GridRoleDraft {
        GridRoleDraft {
            grid: grid(GRID),
            kind,
            account: holder,
            person_name: String::new(),
            member: None,
            started_on: Date::new(2026, 3, 1).unwrap(),
        }
    }

    #[test]
    fn a_red_member_logs_in_with_its_own_account_of_the_grid() {
        let own = account(7, Role::RedMember, Scope::Grid(grid(GRID)));
        let ok = draft(GridRoleKind::RedMember, Some(own.clone()))
            .checked(&[])
            .unwrap();
        assert_eq!(ok.person_name, "账号7", "the account's name by default");
        assert_eq!(
            draft(GridRoleKind::RedMember, None).checked(&[]),
            Err(RedGridError::AccountRequired)
        );
        let elsewhere = account(8, Role::RedMember, Scope::Grid(grid("320508019044002")));
        assert_eq!(
            draft(GridRoleKind::RedMember, Some(elsewhere)).checked(&[]),
            Err(RedGridError::AccountNotRedMember)
        );
        let worker = account(9, Role::GridWorker, Scope::Grid(grid(GRID)));
        assert_eq!(
            draft(GridRoleKind::RedMember, Some(worker)).checked(&[]),
            Err(RedGridError::AccountNotRedMember)
        );
        let held = [ActiveRole {
            kind: GridRoleKind::RedMember,
            account_id: Some(7),
            person_name: "账号7".into(),
        }];
        assert_eq!(
            draft(GridRoleKind::RedMember, Some(own)).checked(&held),
            Err(RedGridError::AccountHoldsRole)
        );
    }

    #[test]
    fn one_leader_and_one_instructor_per_grid() {
        let mut leader = draft(GridRoleKind::Leader, None);
        leader.person_name = " 王书记 ".into();
        let leader = leader.checked(&[]).unwrap();
        assert_eq!(leader.person_name, "王书记");
        let held = [ActiveRole {
            kind: GridRoleKind::Leader,
            account_id: None,
            person_name: "王书记".into(),
        }];
        let e = draft(GridRoleKind::Leader, None)
            .checked(&held)
            .unwrap_err();
        assert!(matches!(e, RedGridError::RoleTaken { .. }));
        assert!(crate::Bilingual::message_zh(&e).contains("网格长：王书记"));
        assert_eq!(
            draft(GridRoleKind::Instructor, None).checked(&held),
            Err(RedGridError::Blank("person_name")),
            "an instructor without an account needs a name"
        );
        let resident = account(3, Role::Resident, Scope::SelfOnly);
        assert_eq!(
            draft(GridRoleKind::Instructor, Some(resident)).checked(&[]),
            Err(RedGridError::ResidentAccount)
        );
        assert_eq!(
            GridRoleKind::parse("网格指导员"),
            Some(GridRoleKind::Instructor)
        );
        assert!(GridRoleKind::parse_or("组长").is_err());
    }
}
