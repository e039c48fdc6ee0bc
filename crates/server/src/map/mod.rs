//! The dynamic map (动态地图, issue 16 item 5): grids coloured by a figure of a range of cases,
//! case clusters and points, a heat surface. Every answer is the caller's cases as the policy
//! lists them (`cases::search::filter`, the same as the case list), narrowed by the query; the
//! store groups and counts, the domain (`metrics::map`) decides classes, cell sizes and when
//! points replace clusters.

mod api;

use crate::state::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    api::router()
}
