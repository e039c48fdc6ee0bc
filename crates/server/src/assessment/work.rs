//! The party organisation's home page tiles: members whose year is flagged — few points left
//! (十二分制) or a low star rating (五星) — each linking to the list narrowed to them.

use super::service::{self, ListQuery};
use crate::auth::User;
use crate::cases::work::Tile;
use crate::error::ApiResult;
use crate::state::AppState;
use gongzhi_domain::access::List;
use gongzhi_domain::assessment::Alert;

/// The assessment tiles of `year` for a caller who lists assessments; none otherwise.
pub async fn tiles(st: &AppState, user: &User, year: i32) -> ApiResult<Vec<Tile>> {
    if user.listing(List::Assessments).is_nothing() {
        return Ok(Vec::new());
    }
    let q = ListQuery {
        year: Some(year.to_string()),
        alert: Some("1".into()),
        ..Default::default()
    };
    let list = service::year_list(st, user, &q).await?;
    let count = |a: Alert| list.members.iter().filter(|m| m.has(&a)).count() as i64;
    let (points, stars) = (count(Alert::LowPoints), count(Alert::LowStars));
    let href = format!("/assessment?{}", q.to_query(year));
    Ok(vec![
        Tile {
            key: "assessment_low_points",
            zh: "十二分制积分预警",
            en: "Members low on points",
            count: points,
            href: href.clone(),
            alert: points > 0,
        },
        Tile {
            key: "assessment_low_stars",
            zh: "五星考核星级预警",
            en: "Members with a low star rating",
            count: stars,
            href,
            alert: stars > 0,
        },
    ])
}
