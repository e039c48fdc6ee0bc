//! 吹哨报到双考核: what summoned parts add to a department's scorecard (punctuality of check-ins,
//! the street's four scores) and to a street's (the departments' scores for its coordination),
//! and the department score that combines them with the closed loop's composite.

use serde::{Deserialize, Serialize};

use crate::case::CheckIn;

/// Tallies of summoned parts, for one department (or one street) over some period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhistleTally {
    /// 被召集: parts summoned.
    pub summons: u64,
    pub acknowledged: u64,
    /// Acknowledged after the check-in deadline.
    pub acknowledged_late: u64,
    pub arrived: u64,
    /// Arrived after the check-in deadline.
    pub arrived_late: u64,
    /// The deadline passed before the department arrived (the street was alerted).
    pub missed_deadline: u64,
    /// Check-ins settled: arrived, or the deadline passed without arrival.
    pub check_ins_due: u64,
    /// Of those, acknowledged and arrived by the deadline.
    pub check_ins_on_time: u64,
    /// Parts reported done (and not sent back since).
    pub done: u64,
    /// Parts the street sent back at least once (事不完，人不走).
    pub reopened: u64,
    /// Parts the street rated, and the sums of its four scores.
    pub rated: u64,
    pub response_sum: u64,
    pub arrival_sum: u64,
    pub cooperation_sum: u64,
    pub result_sum: u64,
    /// Parts whose department rated the street's coordination, and the sum of those scores.
    pub coordination_rated: u64,
    pub coordination_sum: u64,
}

fn ratio(num: f64, den: u64) -> Option<f64> {
    (den > 0).then(|| num / den as f64)
}

impl WhistleTally {
    /// Adds one summoned part.
    pub fn add(&mut self, p: &CheckIn) {
        let n = |b: bool| u64::from(b);
        self.summons += 1;
        self.acknowledged += n(p.acknowledged.is_some());
        self.acknowledged_late += n(p.acknowledged.as_ref().is_some_and(|a| !a.on_time));
        self.arrived += n(p.arrived.is_some());
        self.arrived_late += n(p.arrived.as_ref().is_some_and(|a| !a.on_time));
        self.missed_deadline += n(p.overdue);
        let due = p.arrived.is_some() || p.overdue;
        self.check_ins_due += n(due);
        self.check_ins_on_time += n(due && !p.is_late());
        self.done += n(p.done.is_some());
        self.reopened += n(p.reopened > 0);
        if let Some(s) = p.rating {
            self.rated += 1;
            self.response_sum += u64::from(s.response);
            self.arrival_sum += u64::from(s.arrival);
            self.cooperation_sum += u64::from(s.cooperation);
            self.result_sum += u64::from(s.result);
        }
        if let Some(c) = p.coordination {
            self.coordination_rated += 1;
            self.coordination_sum += u64::from(c);
        }
    }

    pub fn merge(&mut self, o: &WhistleTally) {
        self.summons += o.summons;
        self.acknowledged += o.acknowledged;
        self.acknowledged_late += o.acknowledged_late;
        self.arrived += o.arrived;
        self.arrived_late += o.arrived_late;
        self.missed_deadline += o.missed_deadline;
        self.check_ins_due += o.check_ins_due;
        self.check_ins_on_time += o.check_ins_on_time;
        self.done += o.done;
        self.reopened += o.reopened;
        self.rated += o.rated;
        self.response_sum += o.response_sum;
        self.arrival_sum += o.arrival_sum;
        self.cooperation_sum += o.cooperation_sum;
        self.result_sum += o.result_sum;
        self.coordination_rated += o.coordination_rated;
        self.coordination_sum += o.coordination_sum;
    }

    /// Late check-ins: acknowledged or arrived after the deadline, or not there when it passed.
    pub fn late_check_ins(&self) -> u64 {
        self.check_ins_due - self.check_ins_on_time
    }

    /// 按时报到率: settled check-ins made by the deadline.
    pub fn on_time_rate(&self) -> Option<f64> {
        ratio(self.check_ins_on_time as f64, self.check_ins_due)
    }

    /// The street's mean scores: response, arrival, cooperation, result.
    pub fn mean_scores(&self) -> Option<[f64; 4]> {
        let m = |sum: u64| sum as f64 / self.rated as f64;
        (self.rated > 0).then(|| {
            [
                m(self.response_sum),
                m(self.arrival_sum),
                m(self.cooperation_sum),
                m(self.result_sum),
            ]
        })
    }

    /// The street's rating as a share of the top score (all four scores equally).
    pub fn rating_share(&self, scale: u8) -> Option<f64> {
        let sum = self.response_sum + self.arrival_sum + self.cooperation_sum + self.result_sum;
        ratio(sum as f64, self.rated * 4 * u64::from(scale.max(1)))
    }

    /// The departments' mean score for the street's coordination.
    pub fn coordination_mean(&self) -> Option<f64> {
        ratio(self.coordination_sum as f64, self.coordination_rated)
    }
}

/// Weights of the department score. Defaults: 0.4 the closed loop's 综合成绩, 0.4 the street's
/// rating, 0.2 punctuality of check-ins.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DepartmentWeights {
    pub closed_loop: f64,
    pub street_rating: f64,
    pub punctuality: f64,
}

impl Default for DepartmentWeights {
    fn default() -> Self {
        DepartmentWeights {
            closed_loop: 0.4,
            street_rating: 0.4,
            punctuality: 0.2,
        }
    }
}

/// A department's score (0–1): the weighted mean of the parts it has — the closed loop's
/// composite (综合成绩), the street's rating share and the on-time check-in rate. A part
/// without data is left out and the others' weights are renormalised; `None` when no part
/// has data (or all weights present are zero).
pub fn department_score(
    closed_loop: Option<f64>,
    street_rating: Option<f64>,
    punctuality: Option<f64>,
    w: &DepartmentWeights,
) -> Option<f64> {
    let parts = [
        (closed_loop, w.closed_loop),
        (street_rating, w.street_rating),
        (punctuality, w.punctuality),
    ];
    let (sum, weight) = parts
        .iter()
        .filter_map(|(v, w)| v.map(|v| (v * w, *w)))
        .fold((0.0, 0.0), |(s, t), (v, w)| (s + v, t + w));
    (weight > 0.0).then(|| sum / weight)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Acknowledgement, Arrival, GeoPoint, PartDone, WhistleScores};

    fn part(ack_on_time: Option<bool>, arrive_on_time: Option<bool>, overdue: bool) -> CheckIn {
        CheckIn {
            department: "CG".into(),
            name: "城管局".into(),
            summoned_at: 0,
            deadline: 100,
            remind_at: 80,
            acknowledged: ack_on_time.map(|on_time| Acknowledgement {
                at: 1,
                officer: "张三".into(),
                account: None,
                on_time,
            }),
            arrived: arrive_on_time.map(|on_time| Arrival {
                at: 2,
                location: GeoPoint {
                    lon_e6: 0,
                    lat_e6: 0,
                },
                distance_m: 0,
                on_time,
            }),
            done: None,
            reopened: 0,
            reminded: false,
            overdue,
            rating: None,
            coordination: None,
        }
    }

    #[test]
    fn late_check_ins_lower_punctuality_and_ratings_average() {
        let mut t = WhistleTally::default();
        let mut good = part(Some(true), Some(true), false);
        good.done = Some(PartDone {
            at: 3,
            note: "ok".into(),
            photos: vec![],
        });
        good.rating = Some(WhistleScores {
            response: 5,
            arrival: 5,
            cooperation: 4,
            result: 4,
        });
        good.coordination = Some(4);
        t.add(&good);
        let mut late = part(Some(false), Some(false), true);
        late.rating = Some(WhistleScores {
            response: 2,
            arrival: 1,
            cooperation: 3,
            result: 4,
        });
        t.add(&late);
        // Summoned, not yet due: counts as a summons only.
        t.add(&part(None, None, false));
        assert_eq!(t.summons, 3);
        assert_eq!(
            (t.acknowledged_late, t.arrived_late, t.missed_deadline),
            (1, 1, 1)
        );
        assert_eq!((t.check_ins_due, t.late_check_ins()), (2, 1));
        assert_eq!(t.on_time_rate(), Some(0.5));
        assert_eq!(t.mean_scores(), Some([3.5, 3.0, 3.5, 4.0]));
        // (18 + 10) / (2 × 4 × 5)
        assert_eq!(t.rating_share(5), Some(0.7));
        assert_eq!(t.coordination_mean(), Some(4.0));
        let mut all = WhistleTally::default();
        all.merge(&t);
        all.merge(&t);
        assert_eq!(all.summons, 6);
        assert_eq!(all.on_time_rate(), Some(0.5));
    }

    #[test]
    fn the_department_score_renormalises_missing_parts() {
        let w = DepartmentWeights::default();
        let s = department_score(Some(0.9), Some(0.7), Some(0.5), &w).unwrap();
        assert!((s - (0.36 + 0.28 + 0.1)).abs() < 1e-12);
        // No closed-loop follow-ups: rating 0.4 and punctuality 0.2 share the whole weight.
        let s = department_score(None, Some(0.7), Some(0.4), &w).unwrap();
        assert!((s - (0.28 + 0.08) / 0.6).abs() < 1e-12);
        assert_eq!(department_score(None, None, None, &w), None);
        let only_loop = DepartmentWeights {
            closed_loop: 1.0,
            street_rating: 0.0,
            punctuality: 0.0,
        };
        assert_eq!(
            department_score(Some(0.8), Some(0.1), None, &only_loop),
            Some(0.8)
        );
    }
}
