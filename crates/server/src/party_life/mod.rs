//! 三会一课 (the meetings each party organisation owes, with cadence warnings) and 五步工作法
//! (each compound's five steps derived from the data, the district's progress board), over
//! HTTP and on the `/party/meetings` and `/five-steps` pages.

pub mod five_steps;
pub mod meetings;
mod rules;

use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Router;
use axum::http::StatusCode;
use gongzhi_domain::access::{List, Listing, Region};
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::codes::AreaCode;
use std::collections::HashMap;

pub use rules::{cadence_rules, five_steps_rules};

/// The home page's party tiles: organisations that missed a meeting this year, compounds whose
/// five steps are not all done. None for a caller who keeps no party organisation.
pub async fn work_tiles(
    st: &AppState,
    user: &User,
    today: Date,
) -> ApiResult<Vec<crate::cases::work::Tile>> {
    let Ok(area) = region(user) else {
        return Ok(Vec::new());
    };
    let since = Date::new(today.year(), 1, 1).expect("first of January");
    let missed = meetings::cadence(st, area.as_ref(), since, today)
        .await?
        .iter()
        .filter(|o| o.warnings.iter().any(|w| w.missed))
        .count() as i64;
    let board = five_steps::board(st, area.as_ref()).await?;
    let behind = board.compounds.iter().filter(|c| c.done < 5).count() as i64;
    Ok(vec![
        crate::cases::work::Tile {
            key: "meetings_missed",
            zh: "未按期开会的党组织",
            en: "Organisations behind on meetings",
            count: missed,
            href: "/party/meetings".into(),
            alert: missed > 0,
        },
        crate::cases::work::Tile {
            key: "five_steps_behind",
            zh: "五步未完成的小区",
            en: "Compounds with steps to do",
            count: behind,
            href: "/five-steps".into(),
            alert: false,
        },
    ])
}

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(meetings::router())
        .merge(five_steps::router())
        .merge(rules::router())
}

/// The part of the city the caller's party lists cover: `None` for all of it.
pub(crate) fn region(user: &User) -> ApiResult<Option<AreaCode>> {
    match user.listing(List::PartyOrgs) {
        Listing::Everything => Ok(None),
        Listing::Area(a) => Ok(Some(a)),
        _ => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "您的账号无权查看党组织工作",
            "your account may not see party organisation work",
        )),
    }
}

/// The region for the place pickers of a page.
pub(crate) fn place_region(area: Option<&AreaCode>) -> Region {
    match area {
        None => Region::Everything,
        Some(a) => Region::Area(*a),
    }
}

/// An area filter chosen on a page or in a query: it must lie inside the caller's region.
pub(crate) fn narrowed(
    region: Option<AreaCode>,
    chosen: Option<&str>,
) -> ApiResult<Option<AreaCode>> {
    let Some(raw) = chosen.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(region);
    };
    let a = AreaCode::parse(raw).map_err(|e| {
        let mut err = ApiError::from_bilingual(StatusCode::BAD_REQUEST, &e);
        err.body.field = Some("area".into());
        err
    })?;
    match region {
        Some(own) if !own.contains(&a) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("区划 {a} 不在您的管辖范围内"),
            format!("area {a} is outside your scope"),
        )),
        _ => Ok(Some(a)),
    }
}

pub(crate) fn today() -> Date {
    date_of(gongzhi_store::now_millis())
}

/// A date field: `YYYY-MM-DD`, not after today.
pub(crate) fn past_date(field: &str, raw: &str) -> ApiResult<Date> {
    let d = Date::parse(raw.trim()).ok_or_else(|| {
        ApiError::bad_request(
            field,
            format!("日期应为 YYYY-MM-DD：{}", raw.trim()),
            format!("a date must be YYYY-MM-DD: {}", raw.trim()),
        )
    })?;
    if d > today() {
        return Err(ApiError::bad_request(
            field,
            format!("日期 {d} 晚于今天，只能记录已发生的事"),
            format!("{d} is after today: only what happened can be recorded"),
        ));
    }
    Ok(d)
}

/// Required free text, trimmed, at most `max` characters.
pub(crate) fn text(field: &str, zh_name: &str, raw: &str, max: usize) -> ApiResult<String> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(ApiError::bad_request(
            field,
            format!("请填写{zh_name}"),
            format!("{field} is required"),
        ));
    }
    if t.chars().count() > max {
        return Err(ApiError::bad_request(
            field,
            format!("{zh_name}不能超过 {max} 个字"),
            format!("{field} must be at most {max} characters"),
        ));
    }
    Ok(t.to_string())
}

/// Area names by code, for pages and exports.
pub(crate) fn area_names(st: &AppState) -> HashMap<String, String> {
    st.grids
        .places()
        .map(|p| {
            p.areas()
                .map(|a| (a.code.to_string(), a.name.clone()))
                .collect()
        })
        .unwrap_or_default()
}
