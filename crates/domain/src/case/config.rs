//! The rules' settings, all with the shipped defaults.

use super::{DeadlineRules, EscalationChain, WhistleConfig};
use crate::calendar::WorkCalendar;

/// Everything `decide` needs besides the case, the actor, the command and the time.
#[derive(Debug, Clone, PartialEq)]
pub struct LoopConfig {
    pub calendar: WorkCalendar,
    pub deadlines: DeadlineRules,
    pub escalation: EscalationChain,
    /// Share of the time limit, in percent, after which the deadline job warns (80).
    pub warn_percent: u8,
    /// Rise one level when a case goes overdue (六级闭环: "逐级上报").
    pub escalate_when_overdue: bool,
    /// Accept reports from people who are not signed in (the public report page).
    pub allow_anonymous_reports: bool,
    /// 吹哨报到: check-in windows, arrival radius, rating scale, community grants.
    pub whistle: WhistleConfig,
}

impl Default for LoopConfig {
    fn default() -> Self {
        LoopConfig {
            calendar: WorkCalendar::official(),
            deadlines: DeadlineRules::default(),
            escalation: EscalationChain::default(),
            warn_percent: 80,
            escalate_when_overdue: true,
            allow_anonymous_reports: true,
            whistle: WhistleConfig::default(),
        }
    }
}
