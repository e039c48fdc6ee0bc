//! The deliberation's work on the home page: for who runs it, the topics waiting to be tabled
//! or put on an agenda, the meetings coming, and resolution items overdue; for a resident, the
//! topics it raised (tiles beside the cases', `cases::work`).

use super::scope;
use crate::auth::User;
use crate::cases::work::Tile;
use crate::error::ApiResult;
use crate::state::AppState;
use gongzhi_domain::access::{Action, List, Listing, Target};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::deliberation::{ItemState, TopicStatus};
use gongzhi_store::now_millis;

pub async fn tiles(st: &AppState, user: &User, today: Date) -> ApiResult<Vec<Tile>> {
    let listing = user.listing(List::Deliberations);
    if let Listing::Reports(_) = listing {
        let f = scope(user, None, true)?;
        let mine = st
            .store
            .topic_counts(&f)
            .await?
            .iter()
            .map(|(_, n)| n)
            .sum();
        return Ok(vec![Tile {
            key: "topics_mine",
            zh: "我提出的议题",
            en: "My topics",
            count: mine,
            href: "/deliberation".into(),
            alert: false,
        }]);
    }
    // Tiles are work: only for who runs deliberation somewhere.
    let runs = match &listing {
        Listing::Everything => true,
        Listing::Area(a) => user.may(Action::RunDeliberation, &Target::Area(*a)).is_ok(),
        _ => false,
    };
    if !runs {
        return Ok(Vec::new());
    }
    let f = scope(user, None, false)?;
    let counts = st.store.topic_counts(&f).await?;
    let n = |s: TopicStatus| counts.iter().find(|(x, _)| *x == s).map_or(0, |(_, n)| *n);
    let waiting = n(TopicStatus::Open) + n(TopicStatus::Tabled);
    let coming = st.store.count_meetings_coming(&f, today).await?;
    let overdue = st
        .store
        .resolutions(&f, super::api::MAX_ROWS, now_millis())
        .await?
        .iter()
        .flat_map(|r| &r.items)
        .filter(|i| i.state == ItemState::Overdue)
        .count() as i64;
    Ok(vec![
        Tile {
            key: "topics_waiting",
            zh: "待议议题",
            en: "Topics waiting",
            count: waiting,
            href: "/deliberation?status=tabled".into(),
            alert: n(TopicStatus::Tabled) > 0,
        },
        Tile {
            key: "meetings_coming",
            zh: "待召开议事会",
            en: "Meetings coming",
            count: coming,
            href: "/deliberation/meetings?status=scheduled".into(),
            alert: false,
        },
        Tile {
            key: "resolution_items_overdue",
            zh: "决议事项逾期",
            en: "Resolution items overdue",
            count: overdue,
            href: "/deliberation/resolutions".into(),
            alert: overdue > 0,
        },
    ])
}
