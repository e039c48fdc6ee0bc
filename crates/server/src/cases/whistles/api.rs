//! `/api/v1/whistles`: the whistle board narrowed to the caller (a street its own whistles, a
//! department the whistles that summon it), the street's grants to its communities, and the
//! department rankings (JSON and .xlsx). The whistle's commands go through the case commands
//! endpoint like every other command.

use super::rankings::{self, RankingQuery};
use super::views::{BoardEntry, board_entry};
use crate::auth::{ApiUser, User};
use crate::cases::api::actor_of;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router, routing::get};
use gongzhi_domain::access::{Action, List, Listing, Target, grants_whistle};
use gongzhi_domain::case;
use gongzhi_domain::codes::{AreaCode, AreaLevel};
use gongzhi_store::WhistleFilter;
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/whistles", get(board))
        .route("/api/v1/whistles/grants", get(grants).post(set_grant))
        .route("/api/v1/whistles/rankings", get(ranking_json))
        .route("/api/v1/whistles/rankings.xlsx", get(ranking_xlsx))
}

fn forbidden(zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", zh, en)
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct BoardQuery {
    /// `open` (default): whistles with a part open; `all`: every whistle.
    pub show: Option<String>,
    /// Narrow an area's board to the whistles summoning one department.
    pub department: Option<String>,
    /// Narrow to an area inside the caller's own.
    pub area: Option<String>,
}

impl BoardQuery {
    pub fn open_only(&self) -> bool {
        self.show.as_deref() != Some("all")
    }
}

/// Whose whistles the caller sees, as the policy lists them: a street (or district, community,
/// area supervisor) those on cases in its area, a department those that summon it, the
/// city-wide accounts all.
pub fn board_filter(user: &User, q: &BoardQuery) -> ApiResult<WhistleFilter> {
    let mut f = WhistleFilter {
        open_only: q.open_only(),
        limit: 500,
        ..Default::default()
    };
    let listing = user.listing(List::WhistleBoard);
    match &listing {
        Listing::Everything => {}
        Listing::Area(a) => f.area = Some(*a),
        Listing::Department(d) => f.department = Some(d.clone()),
        Listing::Grid(_) | Listing::Reports(_) | Listing::Linked(_) | Listing::Nothing => {
            return Err(forbidden(
                "吹哨报到看板仅向街乡、部门和监督人员开放",
                "the whistle board is for streets, departments and supervisors",
            ));
        }
    }
    if let Some(d) = q
        .department
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        if f.department.as_deref().is_some_and(|own| own != d) {
            return Err(forbidden(
                "只能查看召集本部门的吹哨",
                "you can only see the whistles that summon your department",
            ));
        }
        f.department = Some(d.to_string());
    }
    if let Some(a) = q.area.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        let a = crate::http::api_geo::parse_area("area", a)?;
        match f.area {
            Some(own) if !own.contains(&a) => {
                return Err(forbidden(
                    "该区划不在您的管辖范围内",
                    "that area is outside your scope",
                ));
            }
            None if matches!(listing, Listing::Department(_)) => {
                return Err(forbidden(
                    "部门看板按部门查看，不按区划",
                    "a department's board is by department, not by area",
                ));
            }
            _ => f.area = Some(a),
        }
    }
    Ok(f)
}

/// The whistles on the caller's board, the most recently blown first: for a department, only
/// those that summon it (with its own part open, on the open board).
pub async fn board_of(st: &AppState, user: &User, q: &BoardQuery) -> ApiResult<Vec<BoardEntry>> {
    let f = board_filter(user, q)?;
    let (who, _) = actor_of(user);
    let mut out = Vec::new();
    for row in st.store.whistle_cases(&f).await? {
        if !case::may_view(&row.case, &who) {
            continue;
        }
        for w in row.case.whistles.iter().rev() {
            let shown = match &f.department {
                Some(d) => w.part(d).is_some_and(|p| !f.open_only || p.is_open()),
                None => !f.open_only || w.is_open(),
            };
            if shown {
                out.push(board_entry(st, &row, w).await);
            }
        }
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.whistle.blown_at));
    Ok(out)
}

async fn board(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<BoardQuery>,
) -> ApiResult<Json<Vec<BoardEntry>>> {
    Ok(Json(board_of(&st, &user, &q).await?))
}

#[derive(Clone, Debug, Serialize)]
pub struct Grant {
    pub area: String,
    pub name: String,
}

/// The grants inside the caller's area or above it (all for city-wide accounts): those the
/// policy lists on the whistle board's path.
pub async fn grants_of(st: &AppState, user: &User) -> ApiResult<Vec<Grant>> {
    let listing = user.listing(List::WhistleBoard);
    let mut out = Vec::new();
    for a in st.store.whistle_grants().await? {
        if listing.reaches(&a, None) {
            let name = st.store.area(&a).await?.map(|r| r.name).unwrap_or_default();
            out.push(Grant {
                area: a.to_string(),
                name,
            });
        }
    }
    Ok(out)
}

async fn grants(State(st): State<AppState>, ApiUser(user): ApiUser) -> ApiResult<Json<Vec<Grant>>> {
    Ok(Json(grants_of(&st, &user).await?))
}

#[derive(Deserialize)]
pub struct GrantBody {
    /// A community, or a street (all its communities).
    pub area: String,
    pub granted: bool,
}

/// A street (or district, or admin) grants or withdraws the whistle for a community of its own,
/// or for all communities of a street.
pub async fn grant(st: &AppState, user: &User, b: &GrantBody) -> ApiResult<()> {
    let area: AreaCode = crate::http::api_geo::parse_area("area", &b.area)?;
    if !matches!(area.level(), AreaLevel::Street | AreaLevel::Community) {
        return Err(ApiError::bad_request(
            "area",
            "只能授权社区，或授权某街道下的全部社区",
            "grant a community, or all communities of a street",
        ));
    }
    if !grants_whistle(&user.principal()) {
        return Err(forbidden(
            "只有街乡（及以上）可以授权社区吹哨",
            "only a street (or above) grants communities the whistle",
        ));
    }
    user.may(Action::BlowWhistle, &Target::Area(area))?;
    st.store
        .set_whistle_grant(&area, b.granted, Some(user.account.id))
        .await?;
    Ok(())
}

async fn set_grant(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<GrantBody>,
) -> ApiResult<Json<Vec<Grant>>> {
    grant(&st, &user, &b).await?;
    Ok(Json(grants_of(&st, &user).await?))
}

async fn ranking_json(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<RankingQuery>,
) -> ApiResult<Json<rankings::Ranking>> {
    Ok(Json(rankings::ranking(&st, &user, &q).await?))
}

async fn ranking_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<RankingQuery>,
) -> ApiResult<Response> {
    let r = rankings::ranking(&st, &user, &q).await?;
    let bytes = rankings::workbook(&r).map_err(|e| {
        tracing::error!(error = %e, "ranking workbook");
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
        "whistle_rankings",
        &format!("month={}", r.month),
        "xlsx",
        r.departments.len() + r.streets.len(),
    )
    .await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"whistle-ranking-{}.xlsx\"", r.month),
            ),
        ],
        bytes,
    )
        .into_response())
}
