use super::*;
use crate::access::{Principal, Role, Scope};
use crate::case::Recipient;
use crate::codes::{AreaCode, GridCode};

fn area(s: &str) -> AreaCode {
    AreaCode::parse(s).unwrap()
}

fn place() -> Place {
    Place {
        community: Some(area("320508019044")),
        grid: Some(GridCode::parse("320508019044001").unwrap()),
        department: Some("cgj".into()),
    }
}

fn principal(role: Role, scope: Scope) -> Principal {
    Principal {
        account_id: 1,
        role,
        scope,
        can_unmask: false,
    }
}

#[test]
fn every_responsible_level_is_alerted_at_once() {
    let r: Vec<String> = place()
        .responsible()
        .into_iter()
        .map(|(t, r)| format!("{}={r}", t.as_str()))
        .collect();
    assert_eq!(
        r,
        [
            "grid=grid:320508019044001",
            "community=area:320508019044",
            "street=area:320508019000",
            "district=area:320508000000",
            "city=area:320500000000",
            "department=department:cgj",
        ]
    );
    // A case located only at its street: no grid or community to alert, and nowhere at all
    // still reaches the city.
    let street_only = Place {
        community: Some(area("320508019000")),
        ..Place::default()
    };
    let tiers: Vec<Tier> = street_only
        .responsible()
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    assert_eq!(tiers, [Tier::Street, Tier::District, Tier::City]);
    assert_eq!(first_stage(&street_only), Tier::Street);
    assert_eq!(
        Place::default().responsible(),
        [(Tier::City, Recipient::All)]
    );
}

#[test]
fn escalates_after_the_configured_minutes_until_acknowledged() {
    let m = Minutes::new([2, 3, 4, 5]).unwrap();
    let p = place();
    assert_eq!(
        next_stage(&p, Tier::Grid, 1000, &[], m),
        Ok((1000 + 2 * MINUTE_MS, Tier::Community))
    );
    assert_eq!(
        next_stage(&p, Tier::District, 0, &[], m),
        Ok((5 * MINUTE_MS, Tier::City))
    );
    assert_eq!(next_stage(&p, Tier::City, 0, &[], m), Err(Stop::Top));
    assert_eq!(
        next_stage(&p, Tier::Street, 0, &[Tier::Street], m),
        Err(Stop::Acknowledged)
    );
    // The department's acknowledgement does not stop the places' chain.
    assert!(next_stage(&p, Tier::Grid, 0, &[Tier::Department], m).is_ok());
}

#[test]
fn minutes_are_checked_and_stored_as_text() {
    assert_eq!(
        Minutes::new([0, 1, 1, 1]),
        Err(EmergencyError::Setting("grid_minutes", 1, 240))
    );
    assert!(Minutes::new([1, 1, 1, 241]).is_err());
    let m = Minutes::new([1, 2, 3, 4]).unwrap();
    assert_eq!(Minutes::from_text(&m.to_text()), Some(m));
    assert_eq!(Minutes::from_text("1,2"), None);
}

#[test]
fn each_account_answers_for_its_own_level() {
    let p = place();
    let grid = GridCode::parse("320508019044001").unwrap();
    let cases = [
        (
            principal(Role::GridWorker, Scope::Grid(grid)),
            Some(Tier::Grid),
        ),
        (
            principal(Role::Community, Scope::Area(area("320508019044"))),
            Some(Tier::Community),
        ),
        (
            principal(Role::Street, Scope::Area(area("320508019000"))),
            Some(Tier::Street),
        ),
        (
            principal(Role::District, Scope::Area(area("320508"))),
            Some(Tier::District),
        ),
        (principal(Role::Admin, Scope::All), Some(Tier::City)),
        (
            principal(Role::Department, Scope::Department("cgj".into())),
            Some(Tier::Department),
        ),
        (
            principal(Role::Department, Scope::Department("zjj".into())),
            None,
        ),
        (
            principal(Role::Street, Scope::Area(area("320506001000"))),
            None,
        ),
        (
            principal(Role::Supervisor, Scope::Area(area("320508"))),
            None,
        ),
        (principal(Role::Resident, Scope::SelfOnly), None),
    ];
    for (who, want) in cases {
        assert_eq!(tier_of(&who, &p), want, "{who:?}");
    }
}

#[test]
fn acknowledging_stops_escalation_only_at_or_above_the_responsible_level() {
    let a = acknowledge(Some(Tier::Grid), Tier::Grid, &[], true).unwrap();
    assert!(a.stops_escalation);
    let a = acknowledge(Some(Tier::Grid), Tier::Street, &[], true).unwrap();
    assert!(!a.stops_escalation);
    let a = acknowledge(Some(Tier::District), Tier::Community, &[], true).unwrap();
    assert!(a.stops_escalation);
    let a = acknowledge(Some(Tier::Department), Tier::Grid, &[], true).unwrap();
    assert!(!a.stops_escalation);
    assert_eq!(
        acknowledge(Some(Tier::Grid), Tier::Grid, &[Tier::Grid], true),
        Err(EmergencyError::AlreadyAcknowledged(Tier::Grid))
    );
    assert_eq!(
        acknowledge(None, Tier::Grid, &[], true),
        Err(EmergencyError::NoLevel)
    );
    assert_eq!(
        acknowledge(Some(Tier::Grid), Tier::Grid, &[], false),
        Err(EmergencyError::Closed)
    );
}

#[test]
fn a_drill_summary_gives_each_alerted_level_its_time() {
    let s = time_to_acknowledge(
        1000,
        &[Tier::Grid, Tier::Community, Tier::Street],
        &[(Tier::Grid, 61_000), (Tier::Street, 181_000)],
    );
    assert_eq!(
        s,
        [
            (Tier::Grid, Some(60_000)),
            (Tier::Community, None),
            (Tier::Street, Some(180_000)),
        ]
    );
}
