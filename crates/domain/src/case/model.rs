//! The state of one case, as far as the rules need it. Description, address, photos and the
//! timeline live in the store; they never change what a command may do.

use serde::{Deserialize, Serialize};

use super::{CaseState, Channel, DeadlineClass, Level, Rating, Whistle};
use crate::calendar::Duration;
use crate::codes::{AreaCode, GridCode};

/// How often each side path was taken; every counter only grows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseCounters {
    /// Dispatches, including re-dispatches after a return (a reopening is not a dispatch).
    pub dispatches: u32,
    /// Failed verifications sent back to the handler (返工).
    pub reworks: u32,
    /// Approved extensions (延期).
    pub extensions: u32,
    /// Deferrals (缓办).
    pub deferrals: u32,
    /// Dispatches returned by the handler as wrong (回退).
    pub returns: u32,
    /// Dispatches corrected by the dispatcher (改派).
    #[serde(default)]
    pub redirects: u32,
    /// Rises to a higher level, by hand or on overdue.
    pub escalations: u32,
}

/// A handler's request for more time, waiting for the dispatcher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionRequest {
    pub by: Duration,
    pub reason: String,
}

/// A deferral in force: where the case was and when its clock stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deferral {
    pub from: CaseState,
    pub at: i64,
}

/// What intake knows about a new case; [`super::report`] turns it into a [`Case`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCase {
    pub id: i64,
    /// See [`super::ticket`].
    pub ticket: String,
    pub channel: Channel,
    pub category: String,
    pub deadline_class: DeadlineClass,
    pub emergency: bool,
    pub community: Option<AreaCode>,
    pub grid: Option<GridCode>,
    /// The reporting account; `None` for anonymous reports and hotline callers.
    pub reporter: Option<i64>,
}

/// One case (诉求/事件/案卷).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: i64,
    pub ticket: String,
    pub channel: Channel,
    pub state: CaseState,
    /// Bumped by every applied event; the store compares it for optimistic concurrency.
    pub version: i64,
    /// A category code from the category tree, e.g. `E0101`.
    pub category: String,
    pub deadline_class: DeadlineClass,
    /// An emergency is always timed as [`DeadlineClass::Emergency`], whatever its category.
    pub emergency: bool,
    pub level: Level,
    /// The case's community — or only its street, for a report given by an address the city
    /// does not hold and the street its reporter chose; `None` while located nowhere.
    pub community: Option<AreaCode>,
    pub grid: Option<GridCode>,
    /// The department handling it, by code; `None` while undispatched or when the locality
    /// (属地) handles it.
    pub department: Option<String>,
    pub dispatched_at: Option<i64>,
    /// The account that made the current dispatch or redirect (told when it is returned);
    /// `None` before dispatch or when the dispatch rules made it.
    #[serde(default)]
    pub dispatched_by: Option<i64>,
    pub deadline: Option<i64>,
    /// The deadline was counted Monday–Friday across a year with no loaded official schedule
    /// (按周一至周五计算，未载入官方日历): shown beside it until the case is dispatched again.
    #[serde(default)]
    pub calendar_missing: bool,
    /// The 80% warning has gone out for the current deadline.
    pub warned: bool,
    /// The current deadline passed before the handler reported back.
    pub overdue: bool,
    /// Whether the latest report-back came by the deadline; `None` before any report-back.
    pub handled_on_time: Option<bool>,
    pub counters: CaseCounters,
    /// Reopened (重办) once already; a case reopens at most once.
    pub reopened: bool,
    /// Passed verification since its last dispatch, rework or reopening.
    pub verified: bool,
    pub pending_extension: Option<ExtensionRequest>,
    /// A reopening asked for and not yet decided, with its reason.
    pub pending_reopen: Option<String>,
    pub deferral: Option<Deferral>,
    /// The latest rating; cleared when the case reopens (the old one stays in the timeline).
    pub rating: Option<Rating>,
    pub reporter: Option<i64>,
    pub merged_into: Option<i64>,
    /// Residents who followed this case instead of filing a duplicate.
    pub supporters: u32,
    /// The street's summons on this case (吹哨), oldest first; only the latest may be open.
    #[serde(default)]
    pub whistles: Vec<Whistle>,
}

impl Case {
    /// The latest whistle, if the case has one.
    pub fn whistle(&self) -> Option<&Whistle> {
        self.whistles.last()
    }

    /// The latest whistle that summoned `department`.
    pub fn whistle_of(&self, department: &str) -> Option<&Whistle> {
        self.whistles
            .iter()
            .rev()
            .find(|w| w.part(department).is_some())
    }

    /// Summoned departments whose part is still open (事不完，人不走), as `(code, name)`.
    pub fn open_whistle_parts(&self) -> Vec<(String, String)> {
        self.whistles
            .iter()
            .flat_map(|w| w.open_parts())
            .map(|p| (p.department.clone(), p.name.clone()))
            .collect()
    }

    /// The class the deadline is computed from: emergencies override the category's class.
    pub fn effective_class(&self) -> DeadlineClass {
        if self.emergency {
            DeadlineClass::Emergency
        } else {
            self.deadline_class
        }
    }

    /// Checks the invariants that tie the state to the other fields; `Err` names the first
    /// one broken. Every sequence of events produced by `decide` keeps them, which the
    /// property test checks; the store may call this before saving as a last line of defence.
    pub fn check(&self) -> Result<(), &'static str> {
        use CaseState::*;
        let s = self.state;
        let handled = matches!(
            s,
            Dispatched | InProgress | ReportedBack | Verified | Closed | Rated
        );
        let whistles_numbered = self
            .whistles
            .iter()
            .enumerate()
            .all(|(i, w)| w.no as usize == i + 1 && !w.parts.is_empty());
        let only_latest_open = self.whistles.iter().rev().skip(1).all(|w| !w.is_open());
        let rules: [(bool, &'static str); 17] = [
            (
                (s == Merged) == self.merged_into.is_some(),
                "merged_into is set exactly when the case is merged",
            ),
            (
                !handled || (self.deadline.is_some() && self.dispatched_at.is_some()),
                "a dispatched case has a dispatch time and a deadline",
            ),
            (
                !matches!(s, Reported | Registered) || self.deadline.is_none(),
                "an undispatched case has no deadline",
            ),
            (
                self.deadline.is_some() == self.dispatched_at.is_some(),
                "deadline and dispatch time come together",
            ),
            (
                !matches!(s, Verified | Closed | Rated) || self.verified,
                "a verified, closed or rated case passed verification after its last rework",
            ),
            (
                !matches!(s, Dispatched | InProgress | ReportedBack) || !self.verified,
                "a case in handling has not passed verification yet",
            ),
            (
                !matches!(s, Verified | Closed | Rated) || self.handled_on_time.is_some(),
                "a verified case was reported back",
            ),
            (
                self.rating.is_some() == (s == Rated),
                "a rating is present exactly when the case is rated",
            ),
            (
                self.pending_extension.is_none() || s.clock_runs(),
                "an extension request waits only while the clock runs",
            ),
            (
                self.pending_reopen.is_none()
                    || (s == Rated
                        && !self.reopened
                        && self
                            .rating
                            .is_some_and(|r| r.satisfaction == super::Satisfaction::Unsatisfied)),
                "a reopening waits only on an unsatisfied rating of a case never reopened",
            ),
            (
                self.deferral.is_some() == (s == Deferred),
                "a deferral is recorded exactly when the case is deferred",
            ),
            (
                (!self.overdue && !self.warned) || self.deadline.is_some(),
                "only a case with a deadline is warned or overdue",
            ),
            (
                self.counters.returns <= self.counters.dispatches
                    && (self.counters.dispatches > 0
                        || (self.counters.reworks == 0
                            && self.counters.extensions == 0
                            && !self.reopened)),
                "returns, reworks, extensions and reopenings follow a dispatch",
            ),
            (
                !(s == Reported && self.counters.dispatches > 0),
                "a dispatched case never goes back to reported",
            ),
            (
                !matches!(s, Verified | Closed | Rated | Cancelled | Merged)
                    || self.whistles.iter().all(|w| !w.is_open()),
                "a verified, closed, cancelled or merged case has no summoned part open",
            ),
            (
                whistles_numbered,
                "whistles are numbered 1, 2, … and each summoned a department",
            ),
            (only_latest_open, "only the latest whistle may be open"),
        ];
        match rules.into_iter().find(|(ok, _)| !ok) {
            Some((_, broken)) => Err(broken),
            None => Ok(()),
        }
    }
}
