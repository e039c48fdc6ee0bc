//! Co-build on the home page of both sides (the community's staff and the department): the
//! commitments due soon and those overdue, as of today — tiles beside the cases'
//! (`cases::work`).

use super::api::{ListQuery, listed_commitments};
use super::sees_contracts;
use crate::auth::User;
use crate::cases::work::Tile;
use crate::error::ApiResult;
use crate::state::AppState;
use gongzhi_domain::cobuild::CommitmentStatus;

/// The caller's co-build tiles: none unless the policy lists contracts to it, and none while
/// it has no contract.
pub async fn tiles(st: &AppState, user: &User) -> ApiResult<Vec<Tile>> {
    if !sees_contracts(user) {
        return Ok(Vec::new());
    }
    let all = listed_commitments(st, user, &ListQuery::default()).await?;
    if all.is_empty() {
        return Ok(Vec::new());
    }
    let count = |s: CommitmentStatus| all.iter().filter(|c| c.status == s).count() as i64;
    let overdue = count(CommitmentStatus::Overdue);
    Ok(vec![
        Tile {
            key: "cobuild_due_soon",
            zh: "共建承诺即将到期",
            en: "Co-build commitments due soon",
            count: count(CommitmentStatus::DueSoon),
            href: "/cobuild?status=due_soon".into(),
            alert: false,
        },
        Tile {
            key: "cobuild_overdue",
            zh: "共建承诺逾期",
            en: "Co-build commitments overdue",
            count: overdue,
            href: "/cobuild?status=overdue".into(),
            alert: overdue > 0,
        },
    ])
}
