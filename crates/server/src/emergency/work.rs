//! 应急 on the home page: the live emergencies and drills the caller's level answers, first
//! among the tiles' warnings while any is open.

use super::scope;
use crate::auth::User;
use crate::cases::work::Tile;
use crate::error::ApiResult;
use crate::state::AppState;

/// None unless the policy lists emergencies to the caller and one is live.
pub async fn tiles(st: &AppState, user: &User) -> ApiResult<Vec<Tile>> {
    let Ok(mut f) = scope(user) else {
        return Ok(Vec::new());
    };
    f.open = true;
    let live = st.store.emergencies(&f, 100).await?;
    if live.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![Tile {
        key: "emergencies_live",
        zh: "进行中的紧急事件",
        en: "Live emergencies",
        count: live.len() as i64,
        href: "/emergencies".into(),
        alert: true,
    }])
}
