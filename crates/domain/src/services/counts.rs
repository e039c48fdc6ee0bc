//! Counts and rates of a centre, a community or a lead department's centres: orders,
//! fulfilled, on time (completed on the day booked), waiting, and 满意率 as DOMAIN.md defines
//! it over the rated orders: (满意 + 0.9 × 基本满意) / rated.

use serde::Serialize;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OrderCounts {
    pub orders: u64,
    pub waiting: u64,
    pub open: u64,
    pub fulfilled: u64,
    pub on_time: u64,
    pub cancelled: u64,
    pub satisfied: u64,
    pub basically_satisfied: u64,
    pub unsatisfied: u64,
}

/// 满意率 over rated orders; `None` when none is rated. `w` weighs 基本满意 (0.9 by default).
pub fn satisfaction_rate(c: &OrderCounts, w: f64) -> Option<f64> {
    let rated = c.satisfied + c.basically_satisfied + c.unsatisfied;
    (rated > 0).then(|| (c.satisfied as f64 + w * c.basically_satisfied as f64) / rated as f64)
}

impl OrderCounts {
    /// 按时完成率 over fulfilled orders.
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.fulfilled > 0).then(|| self.on_time as f64 / self.fulfilled as f64)
    }

    pub fn add(&mut self, o: &OrderCounts) {
        self.orders += o.orders;
        self.waiting += o.waiting;
        self.open += o.open;
        self.fulfilled += o.fulfilled;
        self.on_time += o.on_time;
        self.cancelled += o.cancelled;
        self.satisfied += o.satisfied;
        self.basically_satisfied += o.basically_satisfied;
        self.unsatisfied += o.unsatisfied;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn satisfaction_rate_counts_basically_satisfied_at_nine_tenths() {
        let c = OrderCounts {
            satisfied: 8,
            basically_satisfied: 1,
            unsatisfied: 1,
            fulfilled: 10,
            on_time: 9,
            ..Default::default()
        };
        let r = satisfaction_rate(&c, 0.9).unwrap();
        assert!((r - 0.89).abs() < 1e-9, "{r}");
        assert_eq!(c.on_time_rate(), Some(0.9));
        assert_eq!(satisfaction_rate(&OrderCounts::default(), 0.9), None);
    }
}
