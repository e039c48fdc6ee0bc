//! A report arriving: the case it opens and every event of its intake at once.

use super::{Actor, Case, Command, Event, LoopConfig, NewCase, Refusal, apply, decide, report};

/// The steps that follow a new report at once: register it under the category it was filed
/// under and send it to `department` (`None`: the locality handles it) — by the dispatch rules,
/// or as an override when whoever takes the report has already decided (the 12345 centre).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AutoDispatch {
    pub department: Option<String>,
    pub is_override: bool,
}

/// Files `new`: the case as it stands after its intake and the intake's events — `Reported` by
/// `who`, then, with `auto`, `Registered` and `Dispatched` by `router`. The rules route by
/// community, so a report located nowhere — or only in the street its reporter chose — waits
/// for a dispatcher (that street's staff) unless routed by override.
pub fn intake(
    new: NewCase,
    who: &Actor,
    router: &Actor,
    auto: Option<AutoDispatch>,
    now: i64,
    cfg: &LoopConfig,
) -> Result<(Case, Vec<Event>), Refusal> {
    let (mut case, reported) = report(new, who, cfg)?;
    let mut events = vec![reported];
    if let Some(auto) = auto
        && (auto.is_override
            || case
                .community
                .is_some_and(|c| c.level() == crate::codes::AreaLevel::Community))
    {
        let register = Command::Register {
            category: case.category.clone(),
            deadline_class: case.deadline_class,
            emergency: case.emergency,
        };
        let dispatch = Command::Dispatch {
            department: auto.department,
            is_override: auto.is_override,
        };
        for cmd in [register, dispatch] {
            let more = decide(&case, router, &cmd, now, cfg)?;
            for e in &more {
                apply(&mut case, e);
            }
            events.extend(more);
        }
    }
    Ok((case, events))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::tests::fixtures::{new_case, reporter};
    use crate::case::{CaseState, DeadlineClass};
    use crate::codes::AreaCode;

    #[test]
    fn a_report_placed_only_in_a_street_waits_for_that_street_to_register_it() {
        let cfg = LoopConfig::default();
        let auto = || {
            Some(AutoDispatch {
                department: None,
                is_override: false,
            })
        };
        let mut new = new_case("E0102", DeadlineClass::General);
        new.grid = None;
        new.community = Some(AreaCode::parse("320508019000").unwrap());
        let (case, events) =
            intake(new.clone(), &reporter(), &Actor::System, auto(), 0, &cfg).unwrap();
        assert_eq!(case.state, CaseState::Reported);
        assert_eq!(events.len(), 1);
        // The same report in a community is dispatched by the rules at once.
        new.community = Some(AreaCode::parse("320508019044").unwrap());
        let (case, _) = intake(new, &reporter(), &Actor::System, auto(), 0, &cfg).unwrap();
        assert_eq!(case.state, CaseState::Dispatched);
    }
}
