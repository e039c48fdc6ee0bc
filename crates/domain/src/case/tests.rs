//! The closed loop driven through its paths.

use super::*;

#[test]
fn new_cases_start_reported_at_the_lowest_level() {
    let cfg = LoopConfig::default();
    let new = NewCase {
        id: 1,
        ticket: "2025092800001".into(),
        channel: Channel::Hotline,
        category: "E0102".into(),
        deadline_class: DeadlineClass::General,
        emergency: false,
        community: None,
        grid: None,
        reporter: None,
    };
    let (case, event) = report(new, &Actor::System, &cfg).unwrap();
    assert_eq!(case.state, CaseState::Reported);
    assert_eq!(case.version, 1);
    assert_eq!(case.level, Level::LOWEST);
    assert_eq!(event.kind(), "reported");
    assert_eq!(case.check(), Ok(()));
}
