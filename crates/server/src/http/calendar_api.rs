//! `/api/v1/calendar`: the working-day calendar the deadlines are counted on — which years
//! have an official schedule, and loading a year's schedule file.
//!
//! Who: the calendar is the whole city's, like its departments, so loading needs the
//! geo-import permission city-wide (the administrator); reading it, any signed-in account.

use crate::app::{CalendarLoaded, load_calendar};
use crate::auth::{ApiUser, User};
use crate::error::{ApiError, ApiResult};
use crate::i18n::Lang;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use gongzhi_domain::access::{Action, Target};
use gongzhi_domain::calendar::{Date, date_of};
use serde::Serialize;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/v1/calendar",
        get(show)
            .post(load)
            .layer(crate::http::body_limit(crate::http::IMPORT_BODY_LIMIT)),
    )
}

/// May `user` load schedules? The one check of the page, the API and (by being the console)
/// the CLI.
pub fn load_allowed(user: &User) -> ApiResult<()> {
    user.may(Action::ImportGeo, &Target::Everything)
}

/// Loads a schedule and puts it in force on this server at once (others within seconds).
pub async fn load_and_apply(
    st: &AppState,
    user: &User,
    bytes: &[u8],
    source: &str,
) -> ApiResult<CalendarLoaded> {
    load_allowed(user)?;
    if bytes.is_empty() {
        return Err(ApiError::bad_request(
            "file",
            "上传的节假日安排文件为空",
            "the uploaded holiday schedule is empty",
        ));
    }
    let loaded = load_calendar(&st.store, &user.actor(), bytes, source).await?;
    st.loop_cfg.reload(&st.store).await?;
    Ok(loaded)
}

/// The admin home's warning, from 1 November while next year's schedule is missing, for the
/// accounts that can load it.
pub async fn home_warning(st: &AppState, user: &User, t: Lang, today: Date) -> Option<String> {
    load_allowed(user).ok()?;
    // Fresh, not the copy: a server that serves no commands would otherwise warn on after
    // another server loaded the year.
    let cfg = match st.loop_cfg.fresh(&st.store).await {
        Ok(cfg) => cfg,
        Err(_) => st.loop_cfg.current(),
    };
    let year = cfg.calendar.missing_next_year(today)?;
    Some(warning_text(t, year))
}

fn warning_text(t: Lang, year: i32) -> String {
    if t.is_en() {
        format!(
            "The official {year} holiday schedule is not loaded: deadlines reaching into {year} are counted Monday–Friday. Load it under Import → Working-day calendar once the State Council publishes it."
        )
    } else {
        format!(
            "尚未载入{year}年官方节假日安排：延伸到{year}年的时限将按周一至周五计算。国务院办公厅公布后，请在“数据导入 → 工作日历”载入。"
        )
    }
}

#[derive(Serialize)]
struct CalendarView {
    /// Years with an official schedule, ascending.
    years: Vec<i32>,
    /// Next year, from 1 November while its schedule is missing.
    missing_next_year: Option<i32>,
}

async fn show(State(st): State<AppState>, ApiUser(_): ApiUser) -> ApiResult<Json<CalendarView>> {
    let cfg = st.loop_cfg.fresh(&st.store).await?;
    let today = date_of(gongzhi_store::now_millis());
    Ok(Json(CalendarView {
        years: cfg.calendar.years(),
        missing_next_year: cfg.calendar.missing_next_year(today),
    }))
}

async fn load(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<CalendarLoaded>)> {
    let loaded = load_and_apply(&st, &user, &body, "api").await?;
    Ok((StatusCode::CREATED, Json(loaded)))
}
