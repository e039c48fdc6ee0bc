//! Scorecards (考核): the digital-urban-management counters and rates and the 接诉即办 rates
//! with their composite score, for the cases in the caller's scope grouped by street,
//! community, grid, department, month, category or handler.
//!
//! - `GET /api/v1/metrics?by=&from=&to=&w_response=&w_resolution=&w_satisfaction=` → JSON
//! - `GET /api/v1/metrics.xlsx?…` → the same as a workbook
//! - `GET /scorecards` → the page: filters, charts (drawn by `assets/scorecards.js` from the
//!   JSON above) and the same numbers as tables.

mod page;
pub mod params;
pub mod rollup;
pub mod xlsx;

use crate::auth::{ApiUser, User, lang_of};
use crate::error::{ApiError, ApiResult};
use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use gongzhi_domain::access::List;
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_store::now_millis;
use params::{MetricsQuery, Params};
use rollup::Scorecard;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/metrics", get(json))
        .route("/api/v1/metrics.xlsx", get(workbook))
        .route("/scorecards", get(page::scorecards))
}

/// Scorecards grade staff and departments over the cases they may see; the policy lists none
/// for a resident (their own reports are no scorecard) nor for a party organisation (it never
/// views cases).
pub fn scorecards_listed(user: &User) -> ApiResult<()> {
    if user.listing(List::Scorecards).is_nothing() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "考核数据仅向查看案件的工作人员开放",
            "scorecards are for staff who see cases",
        ));
    }
    Ok(())
}

/// Today in Beijing: the default range is its calendar year.
pub fn today() -> Date {
    date_of(now_millis())
}

/// One scorecard for the caller under `p`.
pub async fn scorecard_for(
    st: &AppState,
    user: &User,
    p: &Params,
    t: Lang,
) -> ApiResult<Scorecard> {
    let mut grouped = rollup::tally(st, user, p, &[p.by], today()).await?;
    let g = grouped
        .pop()
        .ok_or_else(|| ApiError::not_found("分组", "grouping"))?;
    let mut card = rollup::scorecard(st, t, p, g).await?;
    card.cobuild = cobuild_figures(st, user, p).await?;
    Ok(card)
}

/// The co-build figures of a scorecard grouped by department or community, as of the range's
/// last day (today at the latest); none for the other groupings.
pub async fn cobuild_figures(
    st: &AppState,
    user: &User,
    p: &Params,
) -> ApiResult<Option<Vec<crate::cobuild::scorecard::CoBuildScore>>> {
    use crate::cobuild::scorecard::{FiguresBy, figures};
    let by = match p.by {
        params::GroupBy::Department => FiguresBy::Department,
        params::GroupBy::Community => FiguresBy::Community,
        _ => return Ok(None),
    };
    figures(st, user, by, p.to.min(today())).await
}

async fn json(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    Query(q): Query<MetricsQuery>,
) -> ApiResult<Json<Scorecard>> {
    scorecards_listed(&user)?;
    let p = Params::parse(&q, today())?;
    Ok(Json(
        scorecard_for(&st, &user, &p, lang_of(&headers)).await?,
    ))
}

async fn workbook(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<MetricsQuery>,
) -> ApiResult<Response> {
    scorecards_listed(&user)?;
    let p = Params::parse(&q, today())?;
    // The workbook is Chinese throughout, whatever the page language.
    let card = scorecard_for(&st, &user, &p, Lang::Zh).await?;
    let bytes = xlsx::workbook(&card).map_err(|e| {
        tracing::error!(error = %e, "scorecard workbook");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "export_failed",
            "生成 Excel 文件失败",
            "could not write the workbook",
        )
    })?;
    crate::http::api_io::audit_export(
        &st,
        &user,
        "scorecards",
        &format!("by={} {}..{}", p.by.as_str(), p.from, p.to),
        "xlsx",
        card.groups.len(),
    )
    .await?;
    let name = format!("scorecard-{}-{}-{}.xlsx", p.by.as_str(), p.from, p.to);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
