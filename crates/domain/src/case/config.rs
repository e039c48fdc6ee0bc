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
    /// 核查 by the grid worker (数字城管: the 监督员 on patrol checks the result): those who
    /// may `VerifyCase` on a case's place but not dispatch it verify only when this is on.
    pub verification_by_grid: bool,
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
            verification_by_grid: true,
            whistle: WhistleConfig::default(),
        }
    }
}
