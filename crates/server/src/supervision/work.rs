//! Supervision on the home page: the unit's orders to answer, due soon and overdue; the issuing
//! side's overdue orders and accountability suggestions — tiles beside the cases'.

use super::scope;
use crate::auth::User;
use crate::cases::work::Tile;
use crate::error::ApiResult;
use crate::state::AppState;
use gongzhi_domain::access::{Action, List, Listing, Target};
use gongzhi_domain::supervision::{OrderStatus, Stage};
use gongzhi_store::SupervisionFilter;

/// None unless the policy lists orders to the caller and it has any.
pub async fn tiles(st: &AppState, user: &User, now: i64) -> ApiResult<Vec<Tile>> {
    let Ok(f) = scope(user) else {
        return Ok(Vec::new());
    };
    let open = SupervisionFilter {
        open: true,
        ..f.clone()
    };
    if st.store.count_supervisions(&open).await? == 0 {
        return Ok(Vec::new());
    }
    let home = match user.listing(List::Supervisions) {
        Listing::Area(a) => Target::Area(a),
        Listing::Department(d) => Target::Department(d),
        _ => Target::Everything,
    };
    let mut tiles = Vec::new();
    if user.may(Action::AnswerSupervision, &home).is_ok() {
        // The unit's own: a department answers orders on its work, an area's office the
        // orders no department holds.
        let mine = SupervisionFilter {
            status: Some(OrderStatus::Open),
            unit_kind: Some(if matches!(home, Target::Department(_)) {
                "department"
            } else {
                "area"
            }),
            ..f.clone()
        };
        tiles.push(Tile {
            key: "supervision_waiting",
            zh: "待答复督办",
            en: "Orders to answer",
            count: st.store.count_supervisions(&mine).await?,
            href: "/supervision?mine=1".into(),
            alert: false,
        });
        tiles.push(Tile {
            key: "supervision_due_soon",
            zh: "督办即将到期",
            en: "Orders due soon",
            count: st
                .store
                .count_supervisions(&SupervisionFilter {
                    stage: Some(Stage::Warned),
                    ..mine.clone()
                })
                .await?,
            href: "/supervision?mine=1&stage=warned".into(),
            alert: false,
        });
        tiles.push(Tile {
            key: "supervision_overdue_mine",
            zh: "督办已逾期",
            en: "My overdue orders",
            count: st
                .store
                .count_supervisions(&SupervisionFilter {
                    overdue_at: Some(now),
                    ..mine
                })
                .await?,
            href: "/supervision?mine=1&overdue=1".into(),
            alert: true,
        });
    }
    if user.may(Action::IssueSupervision, &home).is_ok() {
        tiles.push(Tile {
            key: "supervision_overdue",
            zh: "逾期督办",
            en: "Overdue orders",
            count: st
                .store
                .count_supervisions(&SupervisionFilter {
                    overdue_at: Some(now),
                    ..f
                })
                .await?,
            href: "/supervision?overdue=1".into(),
            alert: true,
        });
        tiles.push(Tile {
            key: "supervision_suggested",
            zh: "建议问责",
            en: "Accountability suggested",
            count: super::api::open_suggestions(st, user).await?.len() as i64,
            href: "/supervision?stage=suggested".into(),
            alert: true,
        });
    }
    Ok(tiles)
}
