//! Scorecard figures: the digital-urban-management counters with 结案率 and 按期结案率, and
//! the three 接诉即办 rates with their composite score.
//!
//! Counting is per case: each case contributes its [`CaseFacts`] to a [`Counters`], and which
//! cases belong to a period, area, department or grid is the store's query. Rates are
//! `None` when their denominator is zero, so an empty scorecard shows "—", not 0%.
//!
//! 吹哨报到双考核 adds [`WhistleTally`] (check-in punctuality and the street's scores per
//! department, the departments' scores for a street's coordination) and [`department_score`],
//! which weighs them with the closed loop's composite.

mod counters;
pub mod map;
mod rates;
mod whistle;

pub use counters::{CaseFacts, Counters};
pub use rates::{FollowUps, Rates, Weights, percent};
pub use whistle::{DepartmentWeights, WhistleTally, department_score};
