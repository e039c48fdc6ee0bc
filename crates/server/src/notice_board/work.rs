//! The publisher's notices on its home page: drafts waiting to be published and published
//! notices whose period ends within a week — tiles beside the cases' (`cases::work`).

use super::scope;
use crate::auth::User;
use crate::cases::work::Tile;
use crate::error::ApiResult;
use crate::state::AppState;
use gongzhi_domain::calendar::Date;
use gongzhi_domain::notice_board::{EXPIRING_DAYS, NoticeState};
use gongzhi_store::NoticeFilter;

/// None unless the policy lists notices to the caller and it has any.
pub async fn tiles(st: &AppState, user: &User, today: Date) -> ApiResult<Vec<Tile>> {
    let Ok(f) = scope(user) else {
        return Ok(Vec::new());
    };
    if st.store.count_notices(&f).await? == 0 {
        return Ok(Vec::new());
    }
    let drafts = NoticeFilter {
        state: Some(NoticeState::Draft),
        ..f.clone()
    };
    let expiring = NoticeFilter {
        state: Some(NoticeState::Published),
        ends_from: Some(today),
        ends_by: Some(today.add_days(EXPIRING_DAYS)),
        ..f
    };
    Ok(vec![
        Tile {
            key: "notice_drafts",
            zh: "公示草稿",
            en: "Notice drafts",
            count: st.store.count_notices(&drafts).await?,
            href: "/notices?state=draft".into(),
            alert: false,
        },
        Tile {
            key: "notices_expiring",
            zh: "公示即将到期",
            en: "Notices ending soon",
            count: st.store.count_notices(&expiring).await?,
            href: "/notices?state=published&ending=1".into(),
            alert: false,
        },
    ])
}
