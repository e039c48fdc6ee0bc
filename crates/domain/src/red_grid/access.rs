//! Who works on what in the red grid, from the one policy (`access::decide` and `listing`):
//! the area's staff and party organisation manage roles and links; a red grid member works only
//! on the households linked to them; the city's settings are set by who answers for the city.

use crate::access::{Action, List, Listing, Principal, Target, decide, listing};
use crate::codes::GridCode;

/// May `p` give grid roles and link households in `grid`? Staff and party organisations whose
/// area covers it (their red grid list is an area's or the city's), not a grid's own accounts.
pub fn manages(p: &Principal, grid: &GridCode) -> bool {
    matches!(
        listing(p, List::RedGrid),
        Listing::Everything | Listing::Area(_)
    ) && decide(p, Action::RecordVisit, &Target::Grid(*grid)).is_ok()
}

/// May `p` open, visit and raise cases for a household of `grid` whose current red grid member
/// logs in as `linked_account`? A red grid member: only its own linked households; anyone else
/// the policy lets record visits there.
pub fn may_work_on(p: &Principal, grid: &GridCode, linked_account: Option<i64>) -> bool {
    let in_grid = decide(p, Action::RecordVisit, &Target::Grid(*grid)).is_ok();
    match listing(p, List::RedGrid) {
        Listing::Linked(own) => in_grid && linked_account == Some(own),
        Listing::Nothing => false,
        _ => in_grid,
    }
}

/// May `p` set the city's household bounds? Only who manages the red grid everywhere.
pub fn may_set_settings(p: &Principal) -> bool {
    matches!(listing(p, List::RedGrid), Listing::Everything)
        && decide(p, Action::RecordVisit, &Target::Everything).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{Role, Scope};
    use crate::codes::AreaCode;

    const OWN: &str = "320508019044001";
    const FAR: &str = "320508020001001";

    fn p(role: Role, scope: Scope) -> Principal {
        Principal {
            account_id: 7,
            role,
            scope,
            can_unmask: false,
        }
    }

    fn grid(s: &str) -> GridCode {
        GridCode::parse(s).unwrap()
    }

    fn area(s: &str) -> Scope {
        Scope::Area(AreaCode::parse(s).unwrap())
    }

    #[test]
    fn staff_of_the_area_manage_a_grid_member_works_its_own_households() {
        let own = grid(OWN);
        let far = grid(FAR);
        let community = p(Role::Community, area("320508019044"));
        let street = p(Role::Street, area("320508019000"));
        let party = p(Role::PartyOrg, area("320508019000"));
        let red = p(Role::RedMember, Scope::Grid(own));
        let worker = p(Role::GridWorker, Scope::Grid(own));
        let admin = p(Role::Admin, Scope::All);
        for who in [&community, &street, &party, &admin] {
            assert!(manages(who, &own), "{:?}", who.role);
        }
        assert!(!manages(&community, &far));
        assert!(!manages(&red, &own));
        assert!(!manages(&worker, &own));
        assert!(!manages(&p(Role::Supervisor, Scope::All), &own));

        assert!(may_work_on(&red, &own, Some(7)), "its own household");
        assert!(!may_work_on(&red, &own, Some(8)), "another member's");
        assert!(!may_work_on(&red, &own, None), "nobody's");
        assert!(!may_work_on(&red, &far, Some(7)), "outside its grid");
        assert!(may_work_on(&worker, &own, None));
        assert!(may_work_on(&community, &own, Some(8)));
        assert!(!may_work_on(
            &p(Role::Resident, Scope::SelfOnly),
            &own,
            Some(7)
        ));
        assert!(!may_work_on(
            &p(Role::Department, Scope::Department("CG".into())),
            &own,
            None
        ));

        assert!(may_set_settings(&admin));
        assert!(!may_set_settings(&street));
        assert!(!may_set_settings(&red));
    }
}
