//! The services on the home page: centre staff's day (today's orders, to assign, the waiting
//! list, overdue), a resident's own orders (open, to rate) — tiles beside the cases' ones.

use super::ops::fulfils;
use crate::auth::User;
use crate::cases::work::Tile;
use crate::error::ApiResult;
use crate::state::AppState;
use gongzhi_domain::access::{List, Listing};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::services::OrderState;
use gongzhi_store::OrderFilter;

async fn count(st: &AppState, f: OrderFilter) -> ApiResult<i64> {
    Ok(st
        .store
        .service_orders(&OrderFilter {
            limit: 100_000,
            ..f
        })
        .await?
        .len() as i64)
}

pub async fn tiles(st: &AppState, user: &User, today: Date) -> ApiResult<Vec<Tile>> {
    match user.listing(List::ServiceCentres) {
        Listing::Reports(account) => {
            let mine = OrderFilter {
                mine: Some(account),
                ..Default::default()
            };
            let mut open = 0;
            for s in [
                OrderState::Waiting,
                OrderState::Placed,
                OrderState::Assigned,
            ] {
                open += count(
                    st,
                    OrderFilter {
                        state: Some(s),
                        ..mine.clone()
                    },
                )
                .await?;
            }
            let to_rate = count(
                st,
                OrderFilter {
                    unrated: true,
                    ..mine
                },
            )
            .await?;
            Ok(vec![
                Tile {
                    key: "service_orders_open",
                    zh: "预约中的服务",
                    en: "Services booked",
                    count: open,
                    href: "/services/orders".into(),
                    alert: false,
                },
                Tile {
                    key: "service_orders_to_rate",
                    zh: "待评价的服务",
                    en: "Services to rate",
                    count: to_rate,
                    href: "/services/orders?unrated=1".into(),
                    alert: to_rate > 0,
                },
            ])
        }
        // Who fulfils orders in one community: its day's work.
        Listing::Area(a)
            if fulfils(user, &a) && a.level() == gongzhi_domain::codes::AreaLevel::Community =>
        {
            let place = gongzhi_store::CentrePlace {
                area: Some(a),
                lead_department: None,
            };
            let base = OrderFilter {
                place,
                ..Default::default()
            };
            let mut today_n = 0;
            for s in [
                OrderState::Placed,
                OrderState::Assigned,
                OrderState::Completed,
            ] {
                today_n += count(
                    st,
                    OrderFilter {
                        state: Some(s),
                        from: Some(today),
                        to: Some(today),
                        ..base.clone()
                    },
                )
                .await?;
            }
            let to_assign = count(
                st,
                OrderFilter {
                    state: Some(OrderState::Placed),
                    ..base.clone()
                },
            )
            .await?;
            let waiting = count(
                st,
                OrderFilter {
                    state: Some(OrderState::Waiting),
                    ..base.clone()
                },
            )
            .await?;
            let overdue = count(
                st,
                OrderFilter {
                    open_before: Some(today),
                    ..base
                },
            )
            .await?;
            Ok(vec![
                Tile {
                    key: "service_today",
                    zh: "今日服务",
                    en: "Today's services",
                    count: today_n,
                    href: format!("/services/orders?from={today}&to={today}"),
                    alert: false,
                },
                Tile {
                    key: "service_to_assign",
                    zh: "待派单",
                    en: "To assign",
                    count: to_assign,
                    href: "/services/orders?state=placed".into(),
                    alert: false,
                },
                Tile {
                    key: "service_waiting",
                    zh: "候补名单",
                    en: "Waiting list",
                    count: waiting,
                    href: "/services/orders?state=waiting".into(),
                    alert: false,
                },
                Tile {
                    key: "service_overdue",
                    zh: "逾期未完成",
                    en: "Overdue",
                    count: overdue,
                    href: "/services/orders?overdue=1".into(),
                    alert: overdue > 0,
                },
            ])
        }
        _ => Ok(Vec::new()),
    }
}
