//! Which days are workdays, and deadline arithmetic in working time.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{
    CalendarError, DAY_MS, Date, Duration, TimeBasis, Weekday, cst_day, cst_day_start, csv,
};

/// The shipped official schedules (国务院办公厅 holiday notices for 2025 and 2026).
const OFFICIAL_CSV: &str = include_str!("../../data/cn-calendar-2025-2026.csv");

/// How the schedule marks a day that differs from an ordinary Monday–Friday week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A public holiday (法定节假日 or its bridging rest days): no work even on a weekday.
    Holiday,
    /// A make-up workday (调休上班): work even on a weekend.
    Workday,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            DayKind::Holiday => "休",
            DayKind::Workday => "班",
        }
    }

    /// Accepts `holiday`/`workday` (any ASCII case) or 休/班 as printed on Chinese calendars.
    pub fn parse(s: &str) -> Option<DayKind> {
        let s = s.trim();
        [DayKind::Holiday, DayKind::Workday]
            .into_iter()
            .find(|k| s.eq_ignore_ascii_case(k.as_str()) || s == k.zh())
    }
}

/// One listed day of a schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub date: Date,
    pub kind: DayKind,
    /// The holiday it belongs to, e.g. 国庆节; make-up workdays carry their holiday's name.
    pub name: String,
}

/// The working-day calendar: the listed exceptions over a Monday–Friday week.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorkCalendar {
    days: BTreeMap<Date, (DayKind, String)>,
}

impl WorkCalendar {
    /// A calendar from listed days; a later row for the same date replaces an earlier one.
    pub fn new(rows: impl IntoIterator<Item = (Date, DayKind, String)>) -> WorkCalendar {
        WorkCalendar {
            days: rows
                .into_iter()
                .map(|(date, kind, name)| (date, (kind, name)))
                .collect(),
        }
    }

    /// The official 2025 and 2026 schedules shipped with gongzhi.
    pub fn official() -> WorkCalendar {
        WorkCalendar::parse_csv(OFFICIAL_CSV).expect("the shipped schedule is valid")
    }

    /// Parses a schedule file: `date,kind,name` per line (`2025-10-01,holiday,国庆节`), an
    /// optional `date,kind,name` header, blank lines and `#` comments ignored. Kinds are
    /// `holiday`/`workday` or 休/班. A repeated date is an error, naming both lines.
    pub fn parse_csv(text: &str) -> Result<WorkCalendar, CalendarError> {
        let days = csv::parse(text)?;
        Ok(WorkCalendar::new(
            days.into_iter().map(|d| (d.date, d.kind, d.name)),
        ))
    }

    /// Adds (or replaces) the days of `other`, e.g. next year's schedule loaded by an admin.
    pub fn extend(&mut self, other: WorkCalendar) {
        self.days.extend(other.days);
    }

    /// Listed days in date order.
    pub fn days(&self) -> impl Iterator<Item = CalendarDay> + '_ {
        self.days.iter().map(|(date, (kind, name))| CalendarDay {
            date: *date,
            kind: *kind,
            name: name.clone(),
        })
    }

    /// Years with at least one listed day. A year missing here is counted Monday–Friday, which
    /// is wrong around its holidays: the UI should warn when a deadline falls in such a year.
    pub fn years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self.days.keys().map(|d| d.year()).collect();
        years.dedup();
        years
    }

    /// True when `date`'s year has a loaded schedule.
    pub fn covers(&self, date: Date) -> bool {
        self.days
            .range(Date::new(date.year(), 1, 1).expect("1 January exists")..)
            .next()
            .is_some_and(|(d, _)| d.year() == date.year())
    }

    /// True when every year touched by `[from_ms, to_ms]` (CST dates) has a loaded schedule:
    /// a working-time deadline counted across an unloaded year ignored its holidays.
    pub fn covers_span(&self, from_ms: i64, to_ms: i64) -> bool {
        let (first, last) = (super::date_of(from_ms).year(), super::date_of(to_ms).year());
        (first..=last.max(first)).all(|y| Date::new(y, 1, 1).is_some_and(|d| self.covers(d)))
    }

    /// The year whose schedule the administrator should load now: next year, from 1 November
    /// (the State Council publishes it in the autumn) for as long as it is missing.
    pub fn missing_next_year(&self, today: Date) -> Option<i32> {
        let next = today.year() + 1;
        let due = today.month() >= 11;
        let loaded = Date::new(next, 1, 1).is_some_and(|d| self.covers(d));
        (due && !loaded).then_some(next)
    }

    /// The listed kind and name of `date`, if the schedule mentions it.
    pub fn listed(&self, date: Date) -> Option<(DayKind, &str)> {
        self.days.get(&date).map(|(k, n)| (*k, n.as_str()))
    }

    /// A listed holiday is a rest day, a listed make-up workday is a workday, and any other
    /// day is a workday from Monday to Friday.
    pub fn is_workday(&self, date: Date) -> bool {
        match self.days.get(&date) {
            Some((DayKind::Holiday, _)) => false,
            Some((DayKind::Workday, _)) => true,
            None => !date.weekday().is_weekend(),
        }
    }

    /// The first workday on or after `date`.
    pub fn next_workday(&self, mut date: Date) -> Date {
        while !self.is_workday(date) {
            date = date.succ();
        }
        date
    }

    /// The deadline for `duration` started at `start_ms`.
    ///
    /// - `NaturalHours(h)`: `start + h` hours on the wall clock.
    /// - `WorkingHours(h)`: the earliest instant by which `h` hours of working time have passed.
    ///   Working time runs 00:00–24:00 CST on workdays only, so a start on a rest day begins
    ///   counting at the next workday's 00:00, and a count that ends exactly at a workday's
    ///   end returns that day's 24:00 (the next day's 00:00 instant), not the next workday.
    /// - `WorkingDays(n)`: exactly `WorkingHours(24 × n)`. Started on a workday at clock time
    ///   T, it is T on the n-th following workday; started on a rest day, it is 24:00 of the
    ///   n-th workday counting the first workday after the start as day one.
    pub fn add(&self, start_ms: i64, duration: Duration) -> i64 {
        match duration.basis() {
            TimeBasis::Natural => start_ms + duration.millis(),
            TimeBasis::Working => self.add_working_ms(start_ms, duration.millis()),
        }
    }

    /// Adds `ms` of working time to `start_ms` (see [`WorkCalendar::add`]).
    pub fn add_working_ms(&self, start_ms: i64, ms: i64) -> i64 {
        let mut t = start_ms;
        let mut left = ms.max(0);
        let last_listed = self.days.keys().next_back().map(|d| d.days());
        loop {
            let day = cst_day(t);
            // Past the last listed day every week has exactly five workdays: skip whole weeks
            // so that absurdly long durations do not walk day by day. One millisecond is kept
            // back so that the final day is still found by the walk below.
            if plain_week_starts(t, last_listed) && left > 5 * DAY_MS {
                let weeks = (left - 1) / (5 * DAY_MS);
                t += weeks * 7 * DAY_MS;
                left -= weeks * 5 * DAY_MS;
                continue;
            }
            let day_end = cst_day_start(day + 1);
            if self.is_work_day_number(day) {
                let available = day_end - t;
                if left <= available {
                    return t + left;
                }
                left -= available;
            }
            t = day_end;
        }
    }

    /// [`WorkCalendar::is_workday`] for a CST day number, which may lie beyond the years a
    /// [`Date`] holds; nothing is listed there, so those days are Monday to Friday.
    fn is_work_day_number(&self, day: i64) -> bool {
        match Date::checked_from_days(day) {
            Some(date) => self.is_workday(date),
            None => !Weekday::of_day(day).is_weekend(),
        }
    }

    /// Working milliseconds in `[from_ms, to_ms)`; zero when `to_ms <= from_ms`.
    pub fn working_ms_between(&self, from_ms: i64, to_ms: i64) -> i64 {
        let mut total = 0;
        let mut t = from_ms;
        let last_listed = self.days.keys().next_back().map(|d| d.days());
        while t < to_ms {
            let day = cst_day(t);
            // Past the schedule, a whole week holds exactly five working days.
            if plain_week_starts(t, last_listed) && to_ms - t >= 7 * DAY_MS {
                let weeks = (to_ms - t) / (7 * DAY_MS);
                t += weeks * 7 * DAY_MS;
                total += weeks * 5 * DAY_MS;
                continue;
            }
            let day_end = cst_day_start(day + 1).min(to_ms);
            if self.is_work_day_number(day) {
                total += day_end - t;
            }
            t = day_end;
        }
        total
    }

    /// Time elapsed in `[from_ms, to_ms)` measured on `basis`.
    pub fn elapsed(&self, basis: TimeBasis, from_ms: i64, to_ms: i64) -> i64 {
        match basis {
            TimeBasis::Natural => (to_ms - from_ms).max(0),
            TimeBasis::Working => self.working_ms_between(from_ms, to_ms),
        }
    }

    /// Shifts `deadline_ms` later by `ms` measured on `basis` (used when a deferral ends).
    pub fn shift(&self, basis: TimeBasis, deadline_ms: i64, ms: i64) -> i64 {
        match basis {
            TimeBasis::Natural => deadline_ms + ms.max(0),
            TimeBasis::Working if ms <= 0 => deadline_ms,
            TimeBasis::Working => self.add_working_ms(deadline_ms, ms),
        }
    }

    /// The share of the working time from `start_ms` to `deadline_ms` used up at `now_ms`:
    /// 0.0 at the start, 1.0 at the deadline, above 1.0 after it. The deadline job warns at
    /// 0.8. When the span holds no working time at all the answer is 0.0 before the deadline
    /// and 1.0 from it on.
    pub fn elapsed_fraction(&self, start_ms: i64, deadline_ms: i64, now_ms: i64) -> f64 {
        self.fraction(TimeBasis::Working, start_ms, deadline_ms, now_ms)
    }

    /// [`WorkCalendar::elapsed_fraction`] on either basis (natural time for emergencies).
    pub fn fraction(&self, basis: TimeBasis, start_ms: i64, deadline_ms: i64, now_ms: i64) -> f64 {
        let total = self.elapsed(basis, start_ms, deadline_ms);
        if total <= 0 {
            return if now_ms >= deadline_ms { 1.0 } else { 0.0 };
        }
        self.elapsed(basis, start_ms, now_ms) as f64 / total as f64
    }

    /// Milliseconds of `basis` time left until `deadline_ms` at `now_ms`; negative when
    /// overdue, and then measured on the wall clock, because lateness counts every hour.
    pub fn time_left(&self, basis: TimeBasis, deadline_ms: i64, now_ms: i64) -> i64 {
        if now_ms >= deadline_ms {
            deadline_ms - now_ms
        } else {
            self.elapsed(basis, now_ms, deadline_ms)
        }
    }
}

/// True when `t` is a Monday 00:00 CST after the last listed day (a CST day number): from there
/// on every week is Monday–Friday, which lets long spans skip whole weeks instead of walking
/// day by day.
fn plain_week_starts(t: i64, last_listed: Option<i64>) -> bool {
    let day = cst_day(t);
    t == cst_day_start(day)
        && Weekday::of_day(day) == Weekday::Mon
        && last_listed.is_none_or(|last| day > last)
}
