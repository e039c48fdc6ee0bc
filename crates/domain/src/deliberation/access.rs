//! Who raises, supports and runs deliberation, from the one policy (`access::decide`): a topic
//! is targeted by its community, or by the caller's own grid when its scope is a grid (a grid
//! worker or red grid member raises topics there); a resident supports (staff do not add to a
//! residents' count); the community, street, district and party organisation run meetings.

use crate::access::{Action, Principal, Scope, Target, decide, is_staff};
use crate::codes::AreaCode;

/// The target a topic of `community` raised by `p` is checked against: the caller's grid when
/// it is scoped to one grid of that community, else the community.
pub fn raise_target(p: &Principal, community: &AreaCode) -> Target {
    match &p.scope {
        Scope::Grid(g) if g.community() == *community => Target::Grid(*g),
        _ => Target::Area(*community),
    }
}

/// May `p` support a topic of `community`? Residents only (one support each), where the
/// policy lets them raise topics.
pub fn may_support(p: &Principal, community: &AreaCode) -> bool {
    !is_staff(p) && decide(p, Action::RaiseTopic, &Target::Area(*community)).is_ok()
}

/// May `p` table or decline topics, hold meetings, record votes and resolutions in
/// `community`?
pub fn may_run(p: &Principal, community: &AreaCode) -> bool {
    decide(p, Action::RunDeliberation, &Target::Area(*community)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;
    use crate::codes::GridCode;

    fn p(role: Role, scope: Scope) -> Principal {
        Principal {
            account_id: 3,
            role,
            scope,
            can_unmask: false,
        }
    }

    #[test]
    fn residents_support_staff_run_a_grid_raises_in_its_grid() {
        let own = AreaCode::parse("320508019044").unwrap();
        let far = AreaCode::parse("320508020001").unwrap();
        let grid = GridCode::parse("320508019044001").unwrap();
        let resident = p(Role::Resident, Scope::SelfOnly);
        let community = p(Role::Community, Scope::Area(own));
        let party = p(Role::PartyOrg, Scope::Area(own));
        let worker = p(Role::GridWorker, Scope::Grid(grid));
        assert!(may_support(&resident, &own));
        assert!(!may_support(&community, &own));
        assert!(may_run(&community, &own) && may_run(&party, &own));
        assert!(!may_run(&community, &far));
        assert!(!may_run(&worker, &own));
        assert!(!may_run(&resident, &own));
        assert_eq!(raise_target(&worker, &own), Target::Grid(grid));
        assert!(decide(&worker, Action::RaiseTopic, &raise_target(&worker, &own)).is_ok());
        assert!(decide(&worker, Action::RaiseTopic, &raise_target(&worker, &far)).is_err());
        assert_eq!(raise_target(&community, &own), Target::Area(own));
    }
}
