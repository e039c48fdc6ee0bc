//! The digital-urban-management counters (上报, 立案, 派遣, 准确派遣, 应处置, 按期处置, 超期处置,
//! 应结案, 结案, 按期结案, 返工, 延期, 缓办), counted in cases.

use serde::{Deserialize, Serialize};

use crate::case::{Case, CaseState};

/// What one case contributes to each counter. Fields are public so the store may also build
/// facts straight from its columns; [`CaseFacts::of`] is the reference definition.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFacts {
    /// 上报: every case.
    pub reported: bool,
    /// 立案: registered and still standing (not cancelled 注销 or merged as a duplicate).
    pub registered: bool,
    /// 派遣: dispatched at least once.
    pub dispatched: bool,
    /// 准确派遣: dispatched and never returned as a wrong dispatch (回退).
    pub dispatched_accurately: bool,
    /// 应处置: dispatched and not deferred (a deferral excuses handling for now).
    pub due_handling: bool,
    /// 按期处置: the latest report-back came by the deadline.
    pub handled_on_time: bool,
    /// 超期处置: the latest report-back came after the deadline.
    pub handled_late: bool,
    /// 应结案: registered and not deferred.
    pub due_closing: bool,
    /// 结案: closed (rated cases included).
    pub closed: bool,
    /// 按期结案: closed, and handled by the deadline.
    pub closed_on_time: bool,
    /// 返工: failed verification at least once.
    pub reworked: bool,
    /// 延期: at least one approved extension.
    pub extended: bool,
    /// 缓办: deferred at least once.
    pub deferred: bool,
}

impl CaseFacts {
    pub fn of(case: &Case) -> CaseFacts {
        use CaseState::*;
        let s = case.state;
        let registered = !matches!(s, Reported | Cancelled | Merged);
        let dispatched = case.counters.dispatches > 0;
        let closed = matches!(s, Closed | Rated);
        CaseFacts {
            reported: true,
            registered,
            dispatched,
            // A dispatch returned (回退) or corrected (改派) was not accurate.
            dispatched_accurately: dispatched
                && case.counters.returns == 0
                && case.counters.redirects == 0,
            due_handling: dispatched && s != Deferred,
            handled_on_time: case.handled_on_time == Some(true),
            handled_late: case.handled_on_time == Some(false),
            due_closing: registered && s != Deferred,
            closed,
            closed_on_time: closed && case.handled_on_time == Some(true),
            reworked: case.counters.reworks > 0,
            extended: case.counters.extensions > 0,
            deferred: case.counters.deferrals > 0,
        }
    }
}

/// Case counts for one scope (an area, department, grid, worker or month).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    pub reported: u64,
    pub registered: u64,
    pub dispatched: u64,
    pub dispatched_accurately: u64,
    pub due_handling: u64,
    pub handled_on_time: u64,
    pub handled_late: u64,
    pub due_closing: u64,
    pub closed: u64,
    pub closed_on_time: u64,
    pub reworked: u64,
    pub extended: u64,
    pub deferred: u64,
}

fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

impl Counters {
    pub fn from_facts<'a>(facts: impl IntoIterator<Item = &'a CaseFacts>) -> Counters {
        let mut c = Counters::default();
        for f in facts {
            c.add(f);
        }
        c
    }

    pub fn from_cases<'a>(cases: impl IntoIterator<Item = &'a Case>) -> Counters {
        let mut c = Counters::default();
        for case in cases {
            c.add(&CaseFacts::of(case));
        }
        c
    }

    pub fn add(&mut self, f: &CaseFacts) {
        let n = |b: bool| u64::from(b);
        self.reported += n(f.reported);
        self.registered += n(f.registered);
        self.dispatched += n(f.dispatched);
        self.dispatched_accurately += n(f.dispatched_accurately);
        self.due_handling += n(f.due_handling);
        self.handled_on_time += n(f.handled_on_time);
        self.handled_late += n(f.handled_late);
        self.due_closing += n(f.due_closing);
        self.closed += n(f.closed);
        self.closed_on_time += n(f.closed_on_time);
        self.reworked += n(f.reworked);
        self.extended += n(f.extended);
        self.deferred += n(f.deferred);
    }

    /// Adds another scope's counts (e.g. streets into their district).
    pub fn merge(&mut self, o: &Counters) {
        for (mine, theirs) in self.values_mut().into_iter().zip(o.values()) {
            *mine += theirs;
        }
    }

    /// 结案率 = 结案 / 应结案.
    pub fn closing_rate(&self) -> Option<f64> {
        ratio(self.closed, self.due_closing)
    }

    /// 按期结案率 = 按期结案 / 应结案.
    pub fn on_time_closing_rate(&self) -> Option<f64> {
        ratio(self.closed_on_time, self.due_closing)
    }

    /// 准确派遣率 = 准确派遣 / 派遣.
    pub fn accurate_dispatch_rate(&self) -> Option<f64> {
        ratio(self.dispatched_accurately, self.dispatched)
    }

    /// 按期处置率 = 按期处置 / 应处置.
    pub fn on_time_handling_rate(&self) -> Option<f64> {
        ratio(self.handled_on_time, self.due_handling)
    }

    /// The counters in display order with their Chinese names, for tables and exports.
    pub fn rows(&self) -> [(&'static str, u64); 13] {
        let v = self.values();
        [
            ("上报", v[0]),
            ("立案", v[1]),
            ("派遣", v[2]),
            ("准确派遣", v[3]),
            ("应处置", v[4]),
            ("按期处置", v[5]),
            ("超期处置", v[6]),
            ("应结案", v[7]),
            ("结案", v[8]),
            ("按期结案", v[9]),
            ("返工", v[10]),
            ("延期", v[11]),
            ("缓办", v[12]),
        ]
    }

    fn values(&self) -> [u64; 13] {
        [
            self.reported,
            self.registered,
            self.dispatched,
            self.dispatched_accurately,
            self.due_handling,
            self.handled_on_time,
            self.handled_late,
            self.due_closing,
            self.closed,
            self.closed_on_time,
            self.reworked,
            self.extended,
            self.deferred,
        ]
    }

    fn values_mut(&mut self) -> [&mut u64; 13] {
        [
            &mut self.reported,
            &mut self.registered,
            &mut self.dispatched,
            &mut self.dispatched_accurately,
            &mut self.due_handling,
            &mut self.handled_on_time,
            &mut self.handled_late,
            &mut self.due_closing,
            &mut self.closed,
            &mut self.closed_on_time,
            &mut self.reworked,
            &mut self.extended,
            &mut self.deferred,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::super::percent;
    use super::*;

    #[test]
    fn the_published_rates_reproduce() {
        let c = Counters {
            due_closing: 24_932,
            closed: 23_974,
            closed_on_time: 22_345,
            ..Counters::default()
        };
        assert_eq!(percent(c.closing_rate().unwrap()), 96.16);
        assert_eq!(percent(c.on_time_closing_rate().unwrap()), 89.62);
        assert_eq!(format!("{:.2}", 100.0 * c.closing_rate().unwrap()), "96.16");
        assert_eq!(
            format!("{:.2}", 100.0 * c.on_time_closing_rate().unwrap()),
            "89.62"
        );
    }

    #[test]
    fn empty_scopes_have_no_rates() {
        let c = Counters::default();
        assert_eq!(c.closing_rate(), None);
        assert_eq!(c.on_time_closing_rate(), None);
        assert_eq!(c.accurate_dispatch_rate(), None);
        assert_eq!(c.on_time_handling_rate(), None);
    }

    #[test]
    fn facts_add_and_merge() {
        let f = CaseFacts {
            reported: true,
            registered: true,
            dispatched: true,
            closed: true,
            ..CaseFacts::default()
        };
        let mut a = Counters::from_facts([&f, &f, &CaseFacts::default()]);
        assert_eq!(
            (a.reported, a.registered, a.closed, a.deferred),
            (2, 2, 2, 0)
        );
        let b = a;
        a.merge(&b);
        assert_eq!(a.rows()[0], ("上报", 4));
        assert_eq!(a.rows()[8], ("结案", 4));
        assert_eq!(a.rows().map(|r| r.0).len(), 13);
    }
}
