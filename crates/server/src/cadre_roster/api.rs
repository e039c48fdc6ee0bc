//! `/api/v1/cadre-roster…`, `/api/v1/imports/cadres` and `/api/v1/reports/cadre-structure…`.

use super::import::{COLS, Imported, Importer, NAME_COLS, import_cadres};
use super::report::{self, ReportQuery, StructureReport};
use crate::auth::{ApiUser, User};
use crate::cases::import_table::{sheet_error, xlsx_attachment};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gongzhi_domain::access::{Action, Target};
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_store::{CadreFilter, CadreRow, now_millis};
use serde::Deserialize;

pub fn today() -> Date {
    date_of(now_millis())
}

/// The roster list's query: an area, and whether to include those no longer in post.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct RosterQuery {
    pub area: Option<String>,
    /// `1` / `true`: also cadres who have left.
    pub all: Option<String>,
}

impl RosterQuery {
    pub fn everyone(&self) -> bool {
        matches!(self.all.as_deref().map(str::trim), Some("1" | "true"))
    }
}

/// The roster the caller may see under `q`.
pub async fn roster(st: &AppState, user: &User, q: &RosterQuery) -> ApiResult<Vec<CadreRow>> {
    let area = report::area_of(user, q.area.as_deref())?;
    Ok(st
        .store
        .cadre_roster(&CadreFilter {
            area,
            serving_on: (!q.everyone()).then(today),
        })
        .await?)
}

pub async fn list(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<RosterQuery>,
) -> ApiResult<Json<Vec<CadreRow>>> {
    Ok(Json(roster(&st, &user, &q).await?))
}

/// The roster's cells as the import reads them, plus the names people read.
fn cells(r: &CadreRow) -> Vec<String> {
    let c = &r.cadre;
    vec![
        c.name.clone(),
        c.gender.zh().to_string(),
        c.birth_date.to_string(),
        c.education.zh().to_string(),
        c.post.zh().to_string(),
        c.community.to_string(),
        c.start_date.to_string(),
        r.community_name.clone().unwrap_or_default(),
        r.left_on.map(|d| d.to_string()).unwrap_or_default(),
    ]
}

pub async fn export(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<RosterQuery>,
) -> ApiResult<Response> {
    let rows: Vec<Vec<String>> = roster(&st, &user, &q).await?.iter().map(cells).collect();
    let headers: Vec<&str> = COLS.iter().map(|c| c.zh).chain(NAME_COLS).collect();
    let bytes =
        gongzhi_sheets::write_table("社区干部名册", &headers, &rows).map_err(sheet_error)?;
    crate::http::api_io::audit_export(
        &st,
        &user,
        "cadre_roster",
        q.area.as_deref().unwrap_or("as listed"),
        "xlsx",
        rows.len(),
    )
    .await?;
    Ok(xlsx_attachment(bytes, "cadre-roster.xlsx"))
}

pub async fn template(ApiUser(_user): ApiUser) -> ApiResult<Response> {
    let headers: Vec<&str> = COLS.iter().map(|c| c.zh).collect();
    let example = vec![vec![
        "张丽".to_string(),
        "女".into(),
        "1986-04-12".into(),
        "本科".into(),
        "书记".into(),
        "320508019044".into(),
        "2021-01-15".into(),
    ]];
    let bytes =
        gongzhi_sheets::write_table("社区干部名册", &headers, &example).map_err(sheet_error)?;
    Ok(xlsx_attachment(bytes, "cadre-roster-template.xlsx"))
}

#[derive(Deserialize)]
pub struct LeaveBody {
    /// The first day no longer in post; `null` puts the cadre back in post.
    pub left_on: Option<String>,
}

/// Marks a cadre of a community the caller keeps as no longer in post.
pub async fn set_left(
    st: &AppState,
    user: &User,
    id: i64,
    left_on: Option<&str>,
) -> ApiResult<CadreRow> {
    let not_found = || ApiError::not_found(format!("社区干部 {id}"), format!("cadre {id}"));
    let row = st
        .store
        .cadre(id)
        .await?
        .filter(|r| {
            user.may(Action::ManageCadreRoster, &Target::Area(r.cadre.community))
                .is_ok()
        })
        .ok_or_else(not_found)?;
    let left_on = match left_on.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => {
            let d = Date::parse(s).ok_or_else(|| {
                ApiError::bad_request(
                    "left_on",
                    format!("日期应为 YYYY-MM-DD：{s}"),
                    format!("a date must be YYYY-MM-DD: {s}"),
                )
            })?;
            row.cadre
                .check_left(d)
                .map_err(|e| ApiError::invalid("left_on", &e))?;
            Some(d)
        }
    };
    st.store.set_cadre_left(id, left_on, &user.actor()).await?;
    st.store.cadre(id).await?.ok_or_else(not_found)
}

pub async fn leave(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<LeaveBody>,
) -> ApiResult<Json<CadreRow>> {
    Ok(Json(set_left(&st, &user, id, b.left_on.as_deref()).await?))
}

pub async fn import(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Imported>)> {
    let done = import_cadres(&st.store, Importer::Account(&user), &body, today()).await?;
    Ok((StatusCode::CREATED, Json(done)))
}

pub async fn report(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ReportQuery>,
) -> ApiResult<Json<StructureReport>> {
    Ok(Json(report::report(&st, &user, &q).await?))
}

pub async fn report_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ReportQuery>,
) -> ApiResult<Response> {
    report::report_xlsx(&st, &user, &q).await
}
