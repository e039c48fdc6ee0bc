//! The caller's work, for the home page and `GET /api/v1/work`: what waits in the caller's
//! part of the loop (待办, the inbox's query), what is about to run out of time (即将超期), what has (已超期), what came in today
//! (今日新增), and this month's three rates — each a count in SQL over the cases the policy
//! lists for the caller, each with the link to the same cases on the case list. A resident
//! sees their own reports instead.

use crate::auth::{ApiUser, User};
use crate::cases::api::CaseQuery;
use crate::cases::metrics::params::{MetricsQuery, Params};
use crate::cases::metrics::{scorecard_for, scorecards_listed};
use crate::error::ApiResult;
use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use gongzhi_domain::access::{List, Listing};
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::case::{CaseState, WAITING_STATES};
use gongzhi_store::now_millis;
use serde::Serialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/work", get(work_route))
}

/// One count and where its cases are listed.
#[derive(Clone, Debug, Serialize)]
pub struct Tile {
    /// `waiting`, `due_soon`, `overdue`, `new_today`, `mine_open`, `mine_done`;
    /// `party_registrations`, `party_warnings` (a party organisation's, which lists no cases).
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub count: i64,
    /// The case list filtered to exactly the counted cases.
    pub href: String,
    /// Something is late: shown as a warning.
    pub alert: bool,
}

/// One of this month's rates, as a percentage with two decimals (`None`: nothing to rate yet).
#[derive(Clone, Debug, Serialize)]
pub struct RateTile {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub percent: Option<f64>,
    pub href: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Work {
    pub tiles: Vec<Tile>,
    pub rates: Vec<RateTile>,
    /// The caller lists only their own reports (a resident).
    pub own_reports: bool,
    /// Unread notifications addressed to the caller.
    pub unread: i64,
}

fn states_param(states: &[CaseState]) -> String {
    states
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Open states: where a case still needs someone.
fn open_states() -> Vec<CaseState> {
    CaseState::ALL.into_iter().filter(|s| s.is_open()).collect()
}

/// The states in which the clock runs (the only ones a warning is still news in).
const CLOCK_STATES: [CaseState; 2] = [CaseState::Dispatched, CaseState::InProgress];

/// The caller's work on `today` (Beijing date): its cases' tiles, then each module's.
pub async fn work_of(st: &AppState, user: &User, today: Date, t: Lang) -> ApiResult<Work> {
    let mut work = case_work(st, user, today, t).await?;
    work.tiles
        .extend(crate::party::view::work_tiles(st, user).await?);
    work.tiles
        .extend(crate::party_life::work_tiles(st, user, today).await?);
    work.tiles
        .extend(crate::assessment::work::tiles(st, user, today.year()).await?);
    work.tiles
        .extend(crate::services::work::tiles(st, user, today).await?);
    work.tiles
        .extend(crate::cobuild::work::tiles(st, user).await?);
    work.tiles
        .extend(crate::notice_board::work::tiles(st, user, today).await?);
    work.tiles
        .extend(crate::power_list::work::tiles(st, user).await?);
    work.tiles
        .extend(crate::deliberation::work::tiles(st, user, today).await?);
    work.tiles
        .extend(crate::supervision::work::tiles(st, user, gongzhi_store::now_millis()).await?);
    work.tiles
        .extend(crate::conduct::work::tiles(st, user).await?);
    work.tiles
        .extend(crate::emergency::work::tiles(st, user).await?);
    work.tiles
        .extend(crate::diagnosis::work::tiles(st, user).await?);
    Ok(work)
}

/// The tiles of the caller's cases; empty when the policy lists no cases to it.
async fn case_work(st: &AppState, user: &User, today: Date, t: Lang) -> ApiResult<Work> {
    let listing = user.listing(List::Cases);
    if listing.is_nothing() {
        return Ok(Work::default());
    }
    let open = states_param(&open_states());
    // Each count is the case list's own filter for the tile's link.
    let count = |q: CaseQuery| async move {
        let f = crate::cases::search::filter(st, user, &q).await?;
        ApiResult::Ok(st.store.count_cases(&f).await?)
    };
    if let Listing::Reports(_) = listing {
        let done = states_param(&[CaseState::Closed, CaseState::Rated]);
        // A red grid member's visits come first, then its own reports.
        let mut tiles = crate::red_grid::work::tiles(st, user).await?;
        tiles.extend([
            Tile {
                key: "mine_open",
                zh: "办理中",
                en: "Being handled",
                count: count(query(Some(&open), false, false)).await?,
                href: format!("/cases?state={open}"),
                alert: false,
            },
            Tile {
                key: "mine_done",
                zh: "已办结",
                en: "Done",
                count: count(query(Some(&done), false, false)).await?,
                href: format!("/cases?state={done}"),
                alert: false,
            },
        ]);
        return Ok(Work {
            tiles,
            rates: Vec::new(),
            own_reports: true,
            unread: 0,
        });
    }
    // The inbox's own query: its candidates in SQL (the inbox then shows those on which the
    // domain allows the caller a step now, which only loading each case can tell).
    let waiting = states_param(&WAITING_STATES);
    let clock = states_param(&CLOCK_STATES);
    let overdue = count(query(Some(&open), true, false)).await?;
    let new_count = count(CaseQuery {
        from: Some(today.to_string()),
        ..query(None, false, false)
    })
    .await?;
    let tiles = vec![
        Tile {
            key: "waiting",
            zh: "待办",
            en: "To do",
            count: count(query(Some(&waiting), false, false)).await?,
            href: format!("/cases?state={waiting}"),
            alert: false,
        },
        Tile {
            key: "due_soon",
            zh: "即将超期",
            en: "Due soon",
            count: count(query(Some(&clock), false, true)).await?,
            href: format!("/cases?state={clock}&due_soon=1"),
            alert: false,
        },
        Tile {
            key: "overdue",
            zh: "已超期",
            en: "Overdue",
            count: overdue,
            href: format!("/cases?state={open}&overdue=1"),
            alert: overdue > 0,
        },
        Tile {
            key: "new_today",
            zh: "今日新增",
            en: "New today",
            count: new_count,
            href: format!("/cases?from={today}"),
            alert: false,
        },
    ];
    Ok(Work {
        tiles,
        rates: month_rates(st, user, today, t).await?,
        own_reports: false,
        unread: 0,
    })
}

fn query(states: Option<&str>, overdue: bool, due_soon: bool) -> CaseQuery {
    CaseQuery {
        state: states.map(str::to_string),
        overdue: overdue.then_some(true),
        due_soon: due_soon.then_some(true),
        per_page: Some(1),
        ..Default::default()
    }
}

/// This month's 按期处置率, 结案率 and 满意率 from the scorecard (its tallies and formulas),
/// over what the caller's scorecards cover; none for those who have no scorecards.
async fn month_rates(st: &AppState, user: &User, today: Date, t: Lang) -> ApiResult<Vec<RateTile>> {
    if scorecards_listed(user).is_err() {
        return Ok(Vec::new());
    }
    let first = Date::new(today.year(), today.month(), 1).unwrap_or(today);
    let q = MetricsQuery {
        by: Some("month".into()),
        from: Some(first.to_string()),
        to: Some(today.to_string()),
        ..Default::default()
    };
    let p = Params::parse(&q, today)?;
    let card = scorecard_for(st, user, &p, t).await?;
    let r = card.total.rates;
    let href = format!("/scorecards?by=month&from={first}&to={today}");
    Ok(vec![
        RateTile {
            key: "on_time_handling_rate",
            zh: "按期处置率",
            en: "On-time handling",
            percent: r.on_time_handling_rate,
            href: href.clone(),
        },
        RateTile {
            key: "closing_rate",
            zh: "结案率",
            en: "Closing rate",
            percent: r.closing_rate,
            href: href.clone(),
        },
        RateTile {
            key: "satisfaction_rate",
            zh: "满意率",
            en: "Satisfaction",
            percent: r.satisfaction_rate,
            href,
        },
    ])
}

async fn work_route(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    headers: axum::http::HeaderMap,
) -> ApiResult<Json<Work>> {
    let t = crate::auth::lang_of(&headers);
    let mut work = work_of(&st, &user, date_of(now_millis()), t).await?;
    work.unread = st
        .store
        .unread_notifications(&crate::cases::api::recipients(&user))
        .await?;
    Ok(Json(work))
}
