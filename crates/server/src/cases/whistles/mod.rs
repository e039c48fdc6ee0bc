//! 吹哨报到 over HTTP (issue 4): the whistle board, the street's grants, rankings (JSON, .xlsx,
//! page), the case page's whistle panel and forms, notifications and the check-in clock. The
//! domain (`gongzhi_domain::case`, [`gongzhi_domain::case::Whistle`]) decides every step; the
//! commands themselves go through `/api/v1/cases/{id}/commands` like the rest of the loop.

pub mod api;
pub mod jobs;
pub mod pages;
pub mod rankings;
pub mod service;
pub mod views;

use crate::state::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    api::router().merge(pages::router())
}
