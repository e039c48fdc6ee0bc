//! Who answers for which level of an emergency, and what an acknowledgement changes.

use super::{EmergencyError, Place, Tier};
use crate::access::{Action, Denied, Principal, Role, Scope, Target, decide};

/// The targets an emergency is acted on under: its place (grid, else community), and its
/// department when one handles it.
fn targets(place: &Place) -> Vec<Target> {
    let mut t = vec![match (place.grid, place.community) {
        (Some(g), _) => Target::Grid(g),
        (None, Some(c)) => Target::Area(c),
        (None, None) => Target::Everything,
    }];
    if let Some(d) = &place.department {
        t.push(Target::Department(d.clone()));
    }
    t
}

/// May `p` do `action` on an emergency at `place`? Granted when the policy allows it on any
/// of the emergency's targets: the street sees an emergency a department handles.
pub fn may(p: &Principal, action: Action, place: &Place) -> Result<(), Denied> {
    let mut first = None;
    for t in targets(place) {
        match decide(p, action, &t) {
            Ok(()) => return Ok(()),
            Err(d) => {
                first.get_or_insert(d);
            }
        }
    }
    Err(first.expect("an emergency has at least one target"))
}

/// The level `p` answers for at `place`: a grid worker its grid, an area's staff their area's
/// level, the department its own, a city-wide account the city. `None` when the account
/// answers for none (supervision watches; others are outside).
pub fn tier_of(p: &Principal, place: &Place) -> Option<Tier> {
    may(p, Action::RespondEmergency, place).ok()?;
    match (p.role, &p.scope) {
        (Role::GridWorker, Scope::Grid(g)) if place.grid == Some(*g) => Some(Tier::Grid),
        (Role::Community, _) => Some(Tier::Community),
        (Role::Street, _) => Some(Tier::Street),
        (Role::District, _) => Some(Tier::District),
        (Role::Department, Scope::Department(d)) if place.department.as_deref() == Some(d) => {
            Some(Tier::Department)
        }
        (_, Scope::All) => Some(Tier::City),
        _ => None,
    }
}

/// What an acknowledgement does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acknowledged {
    pub tier: Tier,
    /// The responsible level acknowledged: escalation stops.
    pub stops_escalation: bool,
}

/// `tier` acknowledges an open emergency whose responsible level is `stage`.
pub fn acknowledge(
    tier: Option<Tier>,
    stage: Tier,
    already: &[Tier],
    open: bool,
) -> Result<Acknowledged, EmergencyError> {
    if !open {
        return Err(EmergencyError::Closed);
    }
    let tier = tier.ok_or(EmergencyError::NoLevel)?;
    if already.contains(&tier) {
        return Err(EmergencyError::AlreadyAcknowledged(tier));
    }
    // A higher level taking the emergency on stops the clock as the responsible one would.
    let stops_escalation =
        tier == stage || (tier != Tier::Department && stage != Tier::Department && tier > stage);
    Ok(Acknowledged {
        tier,
        stops_escalation,
    })
}

/// A drill's summary: minutes from the report to each level's acknowledgement (`None`: never).
pub fn time_to_acknowledge(
    reported_at: i64,
    alerted: &[Tier],
    acks: &[(Tier, i64)],
) -> Vec<(Tier, Option<i64>)> {
    alerted
        .iter()
        .map(|t| {
            let at = acks
                .iter()
                .find(|(a, _)| a == t)
                .map(|(_, at)| at - reported_at);
            (*t, at)
        })
        .collect()
}
