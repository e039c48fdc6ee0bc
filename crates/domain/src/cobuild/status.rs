//! Where a commitment stands as of a day, and the figures of many: computed from the stored
//! dates on every read, so "overdue" needs no background job and any past day can be asked.

use super::Rating;
use crate::calendar::Date;
use crate::labelled_enum;
use serde::Serialize;

/// Days before its due date from which an open commitment is "due soon" (calendar days: a
/// contract's dates are calendar dates).
pub const DUE_SOON_DAYS: i64 = 14;

labelled_enum! {
    /// A commitment's standing as of a day.
    pub enum CommitmentStatus {
        /// Not delivered, due later than [`DUE_SOON_DAYS`] from now.
        Open = ("in_progress", "履约中", "In progress"),
        DueSoon = ("due_soon", "即将到期", "Due soon"),
        /// Not delivered and its due date has passed.
        Overdue = ("overdue", "已逾期", "Overdue"),
        DeliveredOnTime = ("delivered_on_time", "按期履约", "Delivered on time"),
        DeliveredLate = ("delivered_late", "逾期履约", "Delivered late"),
    }
}

impl CommitmentStatus {
    pub fn is_alert(self) -> bool {
        matches!(
            self,
            CommitmentStatus::Overdue | CommitmentStatus::DeliveredLate
        )
    }
}

/// The standing as of `today` of a commitment due on `due_on`, delivered in full on
/// `delivered_on` (a delivery after `today` is not known yet on `today`).
pub fn status(due_on: Date, delivered_on: Option<Date>, today: Date) -> CommitmentStatus {
    match delivered_on.filter(|d| *d <= today) {
        Some(d) if d <= due_on => CommitmentStatus::DeliveredOnTime,
        Some(_) => CommitmentStatus::DeliveredLate,
        None if today > due_on => CommitmentStatus::Overdue,
        None if due_on.days() - today.days() <= DUE_SOON_DAYS => CommitmentStatus::DueSoon,
        None => CommitmentStatus::Open,
    }
}

/// What the figures need of one commitment.
#[derive(Clone, Copy, Debug)]
pub struct FigureInput {
    pub due_on: Date,
    pub delivered_on: Option<Date>,
    pub rating: Option<Rating>,
}

/// A department's or a community's co-build figures as of a day, for its scorecard.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CoBuildFigures {
    /// Commitments in the contracts counted.
    pub commitments: i64,
    /// Of those, due on or before the day.
    pub due: i64,
    pub delivered_on_time: i64,
    pub delivered_late: i64,
    /// Due, not delivered.
    pub overdue: i64,
    pub due_soon: i64,
    pub rated: i64,
    pub satisfied: i64,
    pub basically_satisfied: i64,
    pub unsatisfied: i64,
    /// Delivered on time / due, in percent (none when nothing was due).
    pub on_time_rate: Option<f64>,
    /// (满意 + 基本满意) / rated, in percent (none when nothing was rated).
    pub satisfaction_rate: Option<f64>,
}

fn percent(n: i64, of: i64) -> Option<f64> {
    (of > 0).then(|| (n as f64 * 10_000.0 / of as f64).round() / 100.0)
}

/// The figures of `items` as of `today`.
pub fn tally(items: impl IntoIterator<Item = FigureInput>, today: Date) -> CoBuildFigures {
    let mut f = CoBuildFigures::default();
    for i in items {
        f.commitments += 1;
        if i.due_on <= today {
            f.due += 1;
        }
        match status(i.due_on, i.delivered_on, today) {
            CommitmentStatus::DeliveredOnTime => f.delivered_on_time += 1,
            CommitmentStatus::DeliveredLate => f.delivered_late += 1,
            CommitmentStatus::Overdue => f.overdue += 1,
            CommitmentStatus::DueSoon => f.due_soon += 1,
            CommitmentStatus::Open => {}
        }
        if let Some(r) = i.rating {
            f.rated += 1;
            match r {
                Rating::Satisfied => f.satisfied += 1,
                Rating::BasicallySatisfied => f.basically_satisfied += 1,
                Rating::Unsatisfied => f.unsatisfied += 1,
            }
        }
    }
    // On time among those due: a commitment delivered early but due later is not yet "due".
    let on_time_due = f.delivered_on_time.min(f.due);
    f.on_time_rate = percent(on_time_due, f.due);
    f.satisfaction_rate = percent(f.satisfied + f.basically_satisfied, f.rated);
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u8, day: u8) -> Date {
        Date::new(2026, m, day).unwrap()
    }

    #[test]
    fn a_commitment_goes_overdue_the_day_after_its_due_date() {
        let due = d(6, 30);
        assert_eq!(status(due, None, d(5, 1)), CommitmentStatus::Open);
        assert_eq!(status(due, None, d(6, 20)), CommitmentStatus::DueSoon);
        assert_eq!(status(due, None, d(6, 30)), CommitmentStatus::DueSoon);
        assert_eq!(status(due, None, d(7, 1)), CommitmentStatus::Overdue);
        assert_eq!(
            status(due, Some(d(6, 30)), d(7, 1)),
            CommitmentStatus::DeliveredOnTime
        );
        assert_eq!(
            status(due, Some(d(7, 2)), d(7, 3)),
            CommitmentStatus::DeliveredLate
        );
        // As of a day before the delivery, it was still overdue.
        assert_eq!(
            status(due, Some(d(7, 2)), d(7, 1)),
            CommitmentStatus::Overdue
        );
    }

    #[test]
    fn figures_count_due_on_time_overdue_and_ratings() {
        let items = [
            FigureInput {
                due_on: d(3, 1),
                delivered_on: Some(d(2, 20)),
                rating: Some(Rating::Satisfied),
            },
            FigureInput {
                due_on: d(4, 1),
                delivered_on: Some(d(4, 9)),
                rating: Some(Rating::Unsatisfied),
            },
            FigureInput {
                due_on: d(5, 1),
                delivered_on: None,
                rating: None,
            },
            FigureInput {
                due_on: d(5, 20),
                delivered_on: None,
                rating: None,
            },
        ];
        let f = tally(items, d(5, 10));
        assert_eq!(
            (f.commitments, f.due, f.delivered_on_time, f.delivered_late),
            (4, 3, 1, 1)
        );
        assert_eq!((f.overdue, f.due_soon, f.rated), (1, 1, 2));
        assert_eq!(f.on_time_rate, Some(33.33));
        assert_eq!(f.satisfaction_rate, Some(50.0));
        assert_eq!(tally([], d(5, 10)).on_time_rate, None);
    }
}
