//! Diagnosis on the home page: the findings not acted on yet in the caller's scope, for staff
//! who may act on them (issue supervision orders).

use super::scope;
use crate::auth::User;
use crate::cases::work::Tile;
use crate::error::ApiResult;
use crate::state::AppState;
use gongzhi_domain::access::{Action, List, Listing, Target};

/// None unless the caller sees findings, may supervise in its scope, and has open ones.
pub async fn tiles(st: &AppState, user: &User) -> ApiResult<Vec<Tile>> {
    let Ok(mut f) = scope(user) else {
        return Ok(Vec::new());
    };
    let home = match user.listing(List::Scorecards) {
        Listing::Area(a) => Target::Area(a),
        Listing::Department(d) => Target::Department(d),
        Listing::Grid(g) => Target::Grid(g),
        _ => Target::Everything,
    };
    if user.may(Action::IssueSupervision, &home).is_err() {
        return Ok(Vec::new());
    }
    f.open_only = true;
    let count: i64 = st
        .store
        .count_diagnosis_findings(&f)
        .await?
        .iter()
        .map(|(_, n)| n)
        .sum();
    if count == 0 {
        return Ok(Vec::new());
    }
    Ok(vec![Tile {
        key: "diagnosis_open",
        zh: "待处置诊断发现",
        en: "Findings to act on",
        count,
        href: "/diagnosis?open=1".into(),
        alert: false,
    }])
}
