//! The demo's party organisation: every record passes the domain's checks, the tree obeys the
//! placement rules, and every kind of record the screens show is there.

use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::AreaLevel;
use gongzhi_domain::party::org::{ParentView, check_parent};
use gongzhi_domain::party::{MemberStatus, OrgKind, OrgLevel};
use gongzhi_domain::population::PoliticalStatus;

use super::*;

fn today() -> Date {
    Date::new(2026, 5, 20).unwrap()
}

#[test]
fn the_party_plan_is_valid_and_has_every_kind_of_record() {
    let city = generate(6_000, 11);
    let plan = plan_party(&city, 11, today());
    assert_eq!(plan, plan_party(&city, 11, today()), "deterministic");

    let communities = city
        .areas
        .iter()
        .filter(|a| a.code.level() == AreaLevel::Community)
        .count();
    let count = |k: OrgKind| plan.orgs.iter().filter(|o| o.org.kind == k).count();
    assert_eq!(count(OrgKind::Community), communities);
    assert!(count(OrgKind::Grid) >= city.grids.len());
    assert!(count(OrgKind::Compound) > 0);
    assert!(count(OrgKind::Interest) > 0);
    assert!(
        plan.orgs
            .iter()
            .any(|o| o.org.level == OrgLevel::Group && o.org.kind == OrgKind::Grid)
    );

    for (i, o) in plan.orgs.iter().enumerate() {
        let mut org = o.org.clone();
        org.compound = o.compound.map(|c| c as i64);
        org.checked()
            .unwrap_or_else(|e| panic!("org {}: {e}", o.org.name));
        let parent = o.parent.map(|p| {
            assert!(p < i, "parents come first");
            ParentView {
                id: p as i64,
                name: plan.orgs[p].org.name.clone(),
                level: plan.orgs[p].org.level,
                dissolved: false,
                ancestors: Vec::new(),
            }
        });
        check_parent(None, o.org.level, parent.as_ref())
            .unwrap_or_else(|e| panic!("org {}: {e}", o.org.name));
    }
    for c in &plan.compounds {
        c.compound.clone().checked().unwrap();
        assert!(!c.buildings.is_empty());
    }
    assert!(plan.units.iter().any(|u| u.org.is_some()));
    assert!(plan.units.iter().any(|u| u.org.is_none()));
    for u in &plan.units {
        u.unit.clone().checked().unwrap();
    }

    let party_residents = city
        .residents
        .iter()
        .filter(|r| {
            matches!(
                r.political_status,
                PoliticalStatus::PartyMember | PoliticalStatus::ProbationaryPartyMember
            )
        })
        .count();
    assert!(
        plan.members.len() < party_residents,
        "some are left for 双找 to find"
    );
    assert!(plan.members.len() * 3 > party_residents);
    for m in &plan.members {
        m.member
            .clone()
            .checked()
            .unwrap_or_else(|e| panic!("{}: {e}", m.member.name));
        let r = &city.residents[m.resident];
        assert_eq!(r.name, m.member.name);
        assert_eq!(
            m.member.status == MemberStatus::Full,
            r.political_status == PoliticalStatus::PartyMember
        );
    }
    assert!(
        plan.members
            .iter()
            .any(|m| m.member.status == MemberStatus::Probationary)
    );
    assert!(
        plan.members
            .iter()
            .any(|m| m.member.workplace.is_some() && m.checkin.is_some())
    );
    assert!(plan.members.iter().any(|m| m.left_on.is_some()));
    assert!(!plan.transfers.is_empty());
    assert!(
        plan.registrations
            .iter()
            .any(|r| r.confirm_in.is_none() && r.resident.is_some())
    );
    assert!(plan.registrations.iter().any(|r| r.resident.is_none()));
    for r in &plan.registrations {
        r.registration.clone().checked(today()).unwrap();
        if let Some(ri) = r.resident {
            assert!(
                plan.members.iter().all(|m| m.resident != ri),
                "registers once"
            );
        }
    }
    for t in &plan.transfers {
        assert_ne!(plan.members[t.member].org, t.to);
        assert!(t.on >= plan.members[t.member].member.joined_on);
    }
    // Compound branches stand where three full members live.
    for o in plan.orgs.iter().filter(|o| o.org.kind == OrgKind::Compound) {
        let ci = o.compound.unwrap();
        let full = plan
            .members
            .iter()
            .filter(|m| m.member.status == MemberStatus::Full)
            .filter(|m| {
                let h = &city
                    .households
                    .iter()
                    .find(|h| h.code == m.household_code)
                    .unwrap();
                plan.compounds[ci].buildings.contains(&h.building_code)
            })
            .count();
        assert!(full >= 3, "{}: {full}", o.org.name);
    }
}
