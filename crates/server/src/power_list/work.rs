//! The power-list keeper's home tiles: drafts waiting to be published.

use super::scope;
use crate::auth::User;
use crate::cases::work::Tile;
use crate::error::ApiResult;
use crate::state::AppState;
use gongzhi_domain::power_list::PowerState;
use gongzhi_store::PowerFilter;

/// None unless the caller keeps a power list (a department, a street, a district) with drafts.
pub async fn tiles(st: &AppState, user: &User) -> ApiResult<Vec<Tile>> {
    if super::ops::own_owner(user).is_none() {
        return Ok(Vec::new());
    }
    let Ok(f) = scope(user) else {
        return Ok(Vec::new());
    };
    let drafts = PowerFilter {
        state: Some(PowerState::Draft),
        ..f
    };
    let count = st.store.power_items(&drafts, 1000).await?.len() as i64;
    if count == 0 {
        return Ok(Vec::new());
    }
    Ok(vec![Tile {
        key: "power_drafts",
        zh: "权力事项待公布",
        en: "Power items to publish",
        count,
        href: "/power/manage?state=draft".into(),
        alert: false,
    }])
}
