//! Which rows of the cube cover a range of report days (decision 041). Rows come at several
//! grains — days, 8- and 16-day blocks within a month (days 1–8, 9–16, 17–24, 25–end; 1–16,
//! 17–end), months and quarters — and a range is cut greedily into the coarsest rows that fit:
//! a year that cuts two months is eleven rows per key instead of forty-five. The same
//! functions say which rows a write adds to, so the two always agree.

use gongzhi_domain::calendar::Date;

/// A row's time grain, as stored in `case_slices.grain`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Grain {
    Day,
    Block8,
    Block16,
    Month,
    Quarter,
}

impl Grain {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Grain::Day => "d",
            Grain::Block8 => "b8",
            Grain::Block16 => "b16",
            Grain::Month => "m",
            Grain::Quarter => "q",
        }
    }

    /// The period of the row of this grain that holds day `d`: the day itself or the block's
    /// first day (`yyyy-mm-dd`), the month or the quarter's first month (`yyyy-mm`).
    pub(crate) fn period_of(self, d: Date) -> String {
        match self {
            Grain::Day => d.to_string(),
            Grain::Block8 => block_start(d, 8).to_string(),
            Grain::Block16 => block_start(d, 16).to_string(),
            Grain::Month => month_of(d),
            Grain::Quarter => month_of(first_of_quarter(d)),
        }
    }
}

/// The grains a set of rows holds besides days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Grains {
    pub months: bool,
    pub blocks: bool,
    pub quarters: bool,
}

impl Grains {
    /// Day rows only (a day or week trend).
    pub(crate) const DAYS: Grains = Grains {
        months: false,
        blocks: false,
        quarters: false,
    };
    /// Days and months: the community rows.
    pub(crate) const MONTHS: Grains = Grains {
        months: true,
        blocks: false,
        quarters: false,
    };
    /// Every grain: the slices with many keys.
    pub(crate) const ALL: Grains = Grains {
        months: true,
        blocks: true,
        quarters: true,
    };

    /// The grains a write adds a day's sums to (on every counter-changing write: no
    /// allocation).
    pub(crate) fn list(self) -> impl Iterator<Item = Grain> {
        [
            Grain::Day,
            Grain::Block8,
            Grain::Block16,
            Grain::Month,
            Grain::Quarter,
        ]
        .into_iter()
        .filter(move |g| match g {
            Grain::Day => true,
            Grain::Block8 | Grain::Block16 => self.blocks,
            Grain::Month => self.months,
            Grain::Quarter => self.quarters,
        })
    }
}

/// Rows of one grain with periods from `from` to `to` (inclusive): one contiguous stretch of
/// the range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Part {
    pub grain: Grain,
    pub from: String,
    pub to: String,
}

impl Part {
    /// How many periods (rows per key) the part spans: what splitting the parts between two
    /// readers balances.
    pub(crate) fn periods(&self) -> usize {
        let months = |p: &str| -> i64 {
            let y: i64 = p.get(..4).and_then(|v| v.parse().ok()).unwrap_or(0);
            let m: i64 = p.get(5..7).and_then(|v| v.parse().ok()).unwrap_or(0);
            y * 12 + m
        };
        let span = match self.grain {
            Grain::Day => match (Date::parse(&self.from), Date::parse(&self.to)) {
                (Some(a), Some(b)) => b.days() - a.days(),
                _ => 0,
            },
            Grain::Month => months(&self.to) - months(&self.from),
            Grain::Quarter => (months(&self.to) - months(&self.from)) / 3,
            Grain::Block8 | Grain::Block16 => i64::from(self.from != self.to),
        };
        usize::try_from(span).unwrap_or(0) + 1
    }
}

/// The parts in two halves of about as many periods each (greedily, largest first).
pub(crate) fn halves(parts: &[Part]) -> (Vec<&Part>, Vec<&Part>) {
    let mut sorted: Vec<&Part> = parts.iter().collect();
    sorted.sort_by_key(|p| std::cmp::Reverse(p.periods()));
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let (mut wa, mut wb) = (0, 0);
    for p in sorted {
        if wa <= wb {
            wa += p.periods();
            a.push(p);
        } else {
            wb += p.periods();
            b.push(p);
        }
    }
    (a, b)
}

fn last_of_month(d: Date) -> Date {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    Date::new(y, m, 1).map_or(d, |n| n.add_days(-1))
}

fn first_of_quarter(d: Date) -> Date {
    Date::new(d.year(), (d.month() - 1) / 3 * 3 + 1, 1).unwrap_or(d)
}

fn last_of_quarter(d: Date) -> Date {
    let first = first_of_quarter(d);
    last_of_month(Date::new(first.year(), first.month() + 2, 1).unwrap_or(first))
}

fn month_of(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn block_start(d: Date, size: u8) -> Date {
    Date::new(d.year(), d.month(), (d.day() - 1) / size * size + 1).unwrap_or(d)
}

/// The last day of the block of `size` days starting at `start` (the month's end at most).
fn block_end(start: Date, size: u8) -> Date {
    start
        .add_days(i64::from(size) - 1)
        .min(last_of_month(start))
}

/// The coarsest rows of the given grains that together hold exactly the days `from..=to`,
/// each day once; consecutive rows of one grain come as one part.
pub(crate) fn parts(from: Date, to: Date, g: Grains) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::new();
    let mut cur = from;
    while cur <= to {
        let block = |size: u8| {
            let end = block_end(cur, size);
            ((cur.day() - 1).is_multiple_of(size) && end <= to).then_some(end)
        };
        let (grain, end) =
            if g.quarters && cur == first_of_quarter(cur) && last_of_quarter(cur) <= to {
                (Grain::Quarter, last_of_quarter(cur))
            } else if g.months && cur.day() == 1 && last_of_month(cur) <= to {
                (Grain::Month, last_of_month(cur))
            } else if let Some(end) = g.blocks.then(|| block(16)).flatten() {
                (Grain::Block16, end)
            } else if let Some(end) = g.blocks.then(|| block(8)).flatten() {
                (Grain::Block8, end)
            } else {
                (Grain::Day, cur)
            };
        let period = grain.period_of(cur);
        match out.last_mut() {
            Some(p) if p.grain == grain => p.to = period,
            _ => out.push(Part {
                grain,
                from: period.clone(),
                to: period,
            }),
        }
        cur = end.succ();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn part(grain: Grain, from: &str, to: &str) -> Part {
        Part {
            grain,
            from: from.into(),
            to: to.into(),
        }
    }

    /// The days the rows of `parts` hold, as a write would have added them.
    fn days_held(parts: &[Part], g: Grains, around: (Date, Date)) -> Vec<Date> {
        let mut out = Vec::new();
        let mut day = around.0;
        while day <= around.1 {
            let n = g
                .list()
                .filter(|gr| {
                    parts.iter().any(|p| {
                        p.grain == *gr && {
                            let period = gr.period_of(day);
                            // A stretch of one grain holds only its rows' own periods.
                            period >= p.from && period <= p.to
                        }
                    })
                })
                .count();
            for _ in 0..n {
                out.push(day);
            }
            day = day.succ();
        }
        out
    }

    #[test]
    fn a_year_that_cuts_two_months_is_eleven_rows_per_key() {
        let p = parts(d("2025-12-06"), d("2026-12-08"), Grains::ALL);
        assert_eq!(
            p,
            [
                part(Grain::Day, "2025-12-06", "2025-12-08"),
                part(Grain::Block8, "2025-12-09", "2025-12-09"),
                part(Grain::Block16, "2025-12-17", "2025-12-17"),
                part(Grain::Quarter, "2026-01", "2026-07"),
                part(Grain::Month, "2026-10", "2026-11"),
                part(Grain::Block8, "2026-12-01", "2026-12-01"),
            ]
        );
        let m = parts(d("2025-12-06"), d("2026-12-08"), Grains::MONTHS);
        assert_eq!(
            m,
            [
                part(Grain::Day, "2025-12-06", "2025-12-31"),
                part(Grain::Month, "2026-01", "2026-11"),
                part(Grain::Day, "2026-12-01", "2026-12-08"),
            ]
        );
        assert_eq!(
            parts(d("2026-01-01"), d("2026-12-31"), Grains::DAYS),
            [part(Grain::Day, "2026-01-01", "2026-12-31")]
        );
        assert!(parts(d("2026-02-02"), d("2026-02-01"), Grains::ALL).is_empty());
    }

    #[test]
    fn the_halves_hold_every_part_and_about_as_many_rows() {
        let p = parts(d("2025-12-06"), d("2026-12-08"), Grains::ALL);
        assert_eq!(
            p.iter().map(Part::periods).collect::<Vec<_>>(),
            [3, 1, 1, 3, 2, 1]
        );
        let (a, b) = halves(&p);
        assert_eq!(a.len() + b.len(), p.len());
        let w = |h: &[&Part]| h.iter().map(|p| p.periods()).sum::<usize>();
        assert!(w(&a).abs_diff(w(&b)) <= 1, "{a:?} {b:?}");
        let one = parts(d("2026-01-01"), d("2026-12-31"), Grains::DAYS);
        assert_eq!(one[0].periods(), 365);
        assert_eq!(halves(&one).1.len(), 0);
    }

    #[test]
    fn every_range_holds_each_of_its_days_exactly_once() {
        // Every range within two years that include a leap February, at every set of grains.
        let start = d("2027-11-20");
        let end = d("2028-04-10");
        for g in [Grains::DAYS, Grains::MONTHS, Grains::ALL] {
            let mut from = start;
            while from <= end {
                let mut to = from;
                while to <= end {
                    let p = parts(from, to, g);
                    let held = days_held(&p, g, (start, end));
                    let mut want = Vec::new();
                    let mut x = from;
                    while x <= to {
                        want.push(x);
                        x = x.succ();
                    }
                    assert_eq!(held, want, "{from}..{to} with {g:?}: {p:?}");
                    to = to.add_days(if to.day() < 3 || to.day() > 26 { 1 } else { 5 });
                }
                from = from.add_days(if from.day() < 3 || from.day() > 26 {
                    1
                } else {
                    3
                });
            }
        }
    }
}
