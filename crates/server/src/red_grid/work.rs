//! A red grid member's work on its home page: the households it serves that wait for a visit,
//! and this month's visits — tiles beside its own reports' (`cases::work`).

use super::member_pages::is_due;
use super::today;
use crate::auth::User;
use crate::cases::work::Tile;
use crate::error::ApiResult;
use crate::state::AppState;
use gongzhi_domain::access::{List, Listing};
use gongzhi_domain::calendar::Date;
use gongzhi_store::RedGridFilter;

/// The caller's red grid tiles: none unless it is a red grid member (its list is its links).
pub async fn tiles(st: &AppState, user: &User) -> ApiResult<Vec<Tile>> {
    let Listing::Linked(account) = user.listing(List::RedGrid) else {
        return Ok(Vec::new());
    };
    let f = RedGridFilter {
        account: Some(account),
        ..Default::default()
    };
    let households = st
        .store
        .red_grid_households(&f, super::api::MAX_HOUSEHOLDS)
        .await?;
    let due = households.iter().filter(|h| is_due(h)).count() as i64;
    let day = today();
    let month = RedGridFilter {
        from: Date::new(day.year(), day.month(), 1),
        ..f
    };
    Ok(vec![
        Tile {
            key: "visits_due",
            zh: "待走访",
            en: "Due for a visit",
            count: due,
            href: "/red-grid/households?due=1".into(),
            alert: due > 0,
        },
        Tile {
            key: "households",
            zh: "我的联户",
            en: "My households",
            count: households.len() as i64,
            href: "/red-grid/households".into(),
            alert: false,
        },
        Tile {
            key: "visits_month",
            zh: "本月走访",
            en: "Visits this month",
            count: st.store.count_visits(&month).await?,
            href: "/red-grid/visits".into(),
            alert: false,
        },
    ])
}
