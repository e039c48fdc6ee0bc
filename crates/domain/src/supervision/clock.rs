//! The supervision clock. The city sets how many days an order gives (7 by default), whether
//! they are working days on the official calendar (the one case deadlines use) or calendar
//! days, how many days before the due time the unit is reminded, and how many days after it the
//! supervision notice goes out and accountability is suggested. The points are computed once,
//! when the order is issued, and kept with it: a later change of the settings does not move
//! the clock of an order already running.

use super::SupervisionError;
use crate::calendar::{DAY_MS, Duration, WorkCalendar};
use crate::labelled_enum;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockSettings {
    pub days: u32,
    /// Working days on the official calendar; calendar days when false.
    pub working: bool,
    /// Days before the due time the unit is reminded (即将到期).
    pub warn_days: u32,
    /// Days after the due time the supervision notice (督办通知) goes out.
    pub notice_after_days: u32,
    /// Days after the due time accountability is suggested (建议问责).
    pub suggest_after_days: u32,
}

impl Default for ClockSettings {
    fn default() -> Self {
        ClockSettings {
            days: 7,
            working: true,
            warn_days: 2,
            notice_after_days: 1,
            suggest_after_days: 3,
        }
    }
}

impl ClockSettings {
    pub fn checked(self) -> Result<ClockSettings, SupervisionError> {
        let range = |f: &'static str, v: u32, lo: u32, hi: u32| {
            if (lo..=hi).contains(&v) {
                Ok(())
            } else {
                Err(SupervisionError::Setting(f, lo, hi))
            }
        };
        range("days", self.days, 1, 60)?;
        range("warn_days", self.warn_days, 0, self.days.saturating_sub(1))?;
        range("notice_after_days", self.notice_after_days, 0, 30)?;
        range("suggest_after_days", self.suggest_after_days, 0, 60)?;
        if self.suggest_after_days < self.notice_after_days {
            return Err(SupervisionError::SuggestBeforeNotice);
        }
        Ok(self)
    }

    /// `n` days after `from_ms` on the settings' basis.
    fn after(&self, cal: &WorkCalendar, from_ms: i64, n: u32) -> i64 {
        if self.working {
            cal.add(from_ms, Duration::WorkingDays(n))
        } else {
            from_ms + i64::from(n) * DAY_MS
        }
    }

    /// The clock of an order issued at `issued_ms`.
    pub fn points(&self, cal: &WorkCalendar, issued_ms: i64) -> ClockPoints {
        ClockPoints {
            warn_at: self.after(cal, issued_ms, self.days - self.warn_days.min(self.days)),
            due_at: self.after(cal, issued_ms, self.days),
            notice_at: self.after(cal, issued_ms, self.days + self.notice_after_days),
            suggest_at: self.after(cal, issued_ms, self.days + self.suggest_after_days),
        }
    }
}

/// The instants at which an order changes stage (unix milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockPoints {
    pub warn_at: i64,
    pub due_at: i64,
    pub notice_at: i64,
    pub suggest_at: i64,
}

labelled_enum! {
    /// Where an order's clock stands.
    pub enum Stage {
        Issued = ("issued", "已督办", "Issued"),
        Warned = ("warned", "即将到期", "Due soon"),
        Overdue = ("overdue", "已逾期", "Overdue"),
        Noticed = ("noticed", "已发督办通知", "Supervision notice issued"),
        Suggested = ("suggested", "建议问责", "Accountability suggested"),
    }
}

impl ClockPoints {
    /// The stage at `now_ms`: a pure function of the points and now.
    pub fn stage_at(&self, now_ms: i64) -> Stage {
        if now_ms >= self.suggest_at {
            Stage::Suggested
        } else if now_ms >= self.notice_at {
            Stage::Noticed
        } else if now_ms >= self.due_at {
            Stage::Overdue
        } else if now_ms >= self.warn_at {
            Stage::Warned
        } else {
            Stage::Issued
        }
    }

    /// When the stage after `stage` begins; `None` after the last.
    pub fn next_at(&self, stage: Stage) -> Option<i64> {
        match stage {
            Stage::Issued => Some(self.warn_at),
            Stage::Warned => Some(self.due_at),
            Stage::Overdue => Some(self.notice_at),
            Stage::Noticed => Some(self.suggest_at),
            Stage::Suggested => None,
        }
    }
}

/// The stages an order passes through from the recorded `from` to `to`, each to be recorded
/// (a job that slept through two points records both, in order).
pub fn transitions(from: Stage, to: Stage) -> Vec<Stage> {
    Stage::ALL
        .iter()
        .copied()
        .filter(|s| *s > from && *s <= to)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{Date, start_of};

    const HOUR: i64 = 3_600_000;

    fn at(y: i32, m: u8, d: u8, h: i64) -> i64 {
        start_of(Date::new(y, m, d).unwrap()) + h * HOUR
    }

    #[test]
    fn seven_working_days_skip_weekends_and_the_national_day_holiday() {
        let cal = WorkCalendar::official();
        let s = ClockSettings::default();
        // Wednesday 2026-09-23, 10:00, a workday. The Mid-Autumn festival (09-25) and the
        // National Day holiday (10-01..07) are rest days on the official calendar; make-up
        // workdays count.
        let issued = at(2026, 9, 23, 10);
        assert!(cal.is_workday(Date::new(2026, 9, 23).unwrap()));
        let p = s.points(&cal, issued);
        let natural = ClockSettings {
            working: false,
            ..s
        }
        .points(&cal, issued);
        assert_eq!(natural.due_at, at(2026, 9, 30, 10));
        assert!(p.due_at > at(2026, 10, 8, 0), "{}", p.due_at);
        // Seven working days counted on the calendar, whatever it says about the holiday.
        let mut d = Date::new(2026, 9, 23).unwrap();
        let mut n = 0;
        while n < 7 {
            d = d.succ();
            if cal.is_workday(d) {
                n += 1;
            }
        }
        assert_eq!(p.due_at, start_of(d) + 10 * HOUR);
    }

    #[test]
    fn an_order_warns_goes_overdue_then_notice_then_suggestion() {
        let cal = WorkCalendar::official();
        let s = ClockSettings {
            working: false,
            ..ClockSettings::default()
        };
        let issued = at(2026, 11, 2, 9);
        let p = s.points(&cal, issued);
        assert_eq!(p.stage_at(issued), Stage::Issued);
        assert_eq!(p.stage_at(at(2026, 11, 7, 9)), Stage::Warned);
        assert_eq!(p.stage_at(at(2026, 11, 9, 8)), Stage::Warned);
        assert_eq!(p.stage_at(at(2026, 11, 9, 9)), Stage::Overdue);
        assert_eq!(p.stage_at(at(2026, 11, 10, 9)), Stage::Noticed);
        assert_eq!(p.stage_at(at(2026, 11, 12, 9)), Stage::Suggested);
        assert_eq!(p.next_at(Stage::Issued), Some(p.warn_at));
        assert_eq!(p.next_at(Stage::Suggested), None);
        assert_eq!(
            transitions(Stage::Issued, Stage::Noticed),
            vec![Stage::Warned, Stage::Overdue, Stage::Noticed]
        );
        assert!(transitions(Stage::Noticed, Stage::Noticed).is_empty());
    }

    #[test]
    fn settings_are_checked() {
        let ok = ClockSettings::default().checked().unwrap();
        assert_eq!(ok.days, 7);
        let bad = ClockSettings { days: 0, ..ok };
        assert_eq!(bad.checked(), Err(SupervisionError::Setting("days", 1, 60)));
        let bad = ClockSettings { warn_days: 7, ..ok };
        assert!(bad.checked().is_err());
        let bad = ClockSettings {
            notice_after_days: 5,
            suggest_after_days: 2,
            ..ok
        };
        assert_eq!(bad.checked(), Err(SupervisionError::SuggestBeforeNotice));
    }
}
