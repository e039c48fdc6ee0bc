//! 查询 (Inquiry): one search over cases, places, organisations, notices and power items
//! (`/search`, `/api/v1/search`, `/api/v1/search.xlsx`). The index is `gongzhi-search`'s; what
//! a caller may find is the domain's (`access::inquiry::search_grants`, read off the same
//! listings as the list pages); the index follows the case events and the record log
//! (`feed`), so it is current within a second without adding work to the write path.
//! People are not indexed: residents are found by the resident search's masked fields and
//! blind index only.

mod api;
mod docs;
mod feed;
mod page;

pub use api::{SearchQuery, SearchResult, search};
pub use feed::Inquiry;

use crate::state::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new().merge(api::router()).merge(page::router())
}
