//! Scorecard figures: the digital-urban-management counters with 结案率 and 按期结案率, and
//! the three 接诉即办 rates with their composite score.
//!
//! Counting is per case: each case contributes its [`CaseFacts`] to a [`Counters`], and which
//! cases belong to a period, area, department or grid is the store's query. Rates are
//! `None` when their denominator is zero, so an empty scorecard shows "—", not 0%.

mod counters;
mod rates;

pub use counters::{CaseFacts, Counters};
pub use rates::{FollowUps, Rates, Weights, percent};
