//! `/search` (查询), phone first: one box, filters folded under it, hits as cards by kind with
//! names and links, the words marked in the title and the passage, paging and the workbook.
//! A bad filter shows the reason above the form, not an error page.

use super::api::{KINDS, SearchQuery, SearchResult, search};
use crate::auth::{PageUser, lang_of};
use crate::http::chrome::{Chrome, render};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use gongzhi_domain::access::visible_region;
use gongzhi_domain::case::CaseState;

pub fn router() -> Router<AppState> {
    Router::new().route("/search", get(search_page))
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    c: Chrome,
    q: SearchQuery,
    /// A filter is set (an empty field from the form is none): the filters stay unfolded.
    filtered: bool,
    text: String,
    result: Option<SearchResult>,
    error: Option<String>,
    kinds: Vec<(&'static str, String)>,
    states: Vec<(&'static str, String)>,
    categories: Vec<(String, String)>,
    areas: Vec<(String, String)>,
    /// The query without the page, for paging links and the workbook.
    query: String,
    pages: usize,
    page: usize,
}

fn val(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

async fn search_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<SearchQuery>,
) -> Response {
    let t = lang_of(&headers);
    let asked = [
        &q.q,
        &q.kind,
        &q.area,
        &q.category,
        &q.state,
        &q.from,
        &q.to,
    ]
    .iter()
    .any(|v| v.as_deref().is_some_and(|s| !s.trim().is_empty()));
    let (result, error) = if asked {
        match search(&st, &user, &q, t.is_en()).await {
            Ok(r) => (Some(r), None),
            Err(e) => (None, Some(crate::cases::service::message(&e, t.is_en()))),
        }
    } else {
        (None, None)
    };
    let mut categories: Vec<(String, String)> = match st.store.lookups().await {
        Ok(l) => l
            .categories
            .values()
            .filter(|c| c.parent.is_none())
            .map(|c| (c.code.clone(), c.name.clone()))
            .collect(),
        Err(_) => Vec::new(),
    };
    categories.sort();
    let areas = crate::http::place_choices::place_choices(
        st.grids.places().as_deref(),
        &visible_region(&user.principal()),
    )
    .areas;
    let mut parts = Vec::new();
    for (k, v) in [
        ("q", &q.q),
        ("kind", &q.kind),
        ("area", &q.area),
        ("category", &q.category),
        ("state", &q.state),
        ("from", &q.from),
        ("to", &q.to),
    ] {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", crate::cobuild::encode(v)));
        }
    }
    let (pages, page) = result
        .as_ref()
        .map_or((0, 1), |r| (r.total.div_ceil(r.per_page).min(500), r.page));
    let filtered = [&q.kind, &q.area, &q.category, &q.state, &q.from, &q.to]
        .iter()
        .any(|v| v.as_deref().is_some_and(|v| !v.trim().is_empty()));
    render(&SearchPage {
        c: Chrome::new(t, &user, "/search", t.s("查询", "Search")),
        filtered,
        text: val(&q.q),
        q,
        result,
        error,
        kinds: KINDS
            .iter()
            .map(|k| (k.0, t.s(k.1, k.2).to_string()))
            .collect(),
        states: CaseState::ALL
            .iter()
            .map(|s| (s.as_str(), t.s(s.zh(), s.en()).to_string()))
            .collect(),
        categories,
        areas,
        query: parts.join("&"),
        pages,
        page,
    })
}
