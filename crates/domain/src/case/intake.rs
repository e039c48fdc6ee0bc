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
