//! The staff's red grid pages: coverage of their area by grid and community (`/red-grid`, with
//! the workbook and the map layer) and one grid's roles and household links
//! (`/red-grid/grids/{code}`), with the forms that give roles and link households.

use super::coverage::{self, CommunityRow, CoverageReport, GridRow};
use super::ops::{self, RoleInput};
use super::{Names, today};
use crate::auth::{PageUser, User, lang_of};
use crate::error::{ApiError, ApiResult};
use crate::http::chrome::{Chrome, render};
use crate::http::pages::page;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongzhi_domain::access::{Action, Role, Target, decide, visible_region};
use gongzhi_domain::codes::GridCode;
use gongzhi_domain::red_grid::{GridRoleKind, LinkSettings, Load, manages, may_set_settings};
use gongzhi_store::{GridRoleRow, LinkedHouseholdRow};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/red-grid", get(coverage_page))
        .route("/red-grid/grids/{code}", get(grid_page))
        .route("/red-grid/act", post(act))
}

#[derive(Deserialize, Default)]
struct CoverageQuery {
    area: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "red_grid.html")]
struct CoveragePage {
    c: Chrome,
    report: CoverageReport,
    groups: Vec<(CommunityRow, Vec<GridRow>)>,
    places: crate::http::place_choices::PlaceChoices,
    area: String,
    grid: String,
    settings: LinkSettings,
    may_set: bool,
    /// The caller gives roles and links (an area's staff): each grid links to its page.
    manages: bool,
    done: Option<String>,
    error: Option<String>,
    query: String,
}

impl CoveragePage {
    fn pct(&self, p: &Option<f64>) -> String {
        coverage::percent_text(*p)
    }
}

/// What a page says after a form succeeded (`?done=<what>`).
fn done_text(t: Lang, what: &str) -> Option<String> {
    let (zh, en) = match what {
        "settings" => ("联户户数已保存", "The households per member are saved"),
        "role" => ("网格职务已设置", "The grid role is given"),
        "end_role" => (
            "任职已结束，所联住户已解除",
            "The role has ended with its links",
        ),
        "link" => ("已联户", "The household is linked"),
        "end_link" => ("联户已解除", "The link has ended"),
        _ => return None,
    };
    Some(t.s(zh, en).to_string())
}

async fn coverage_body(
    st: &AppState,
    user: &User,
    t: Lang,
    q: &CoverageQuery,
    error: Option<String>,
) -> ApiResult<Response> {
    let report = coverage::report(st, user, q.area.as_deref(), None).await?;
    let groups = report
        .communities
        .iter()
        .map(|c| {
            let grids = report
                .grids
                .iter()
                .filter(|g| g.community == c.community)
                .cloned()
                .collect();
            (c.clone(), grids)
        })
        .collect();
    let area = q.area.clone().unwrap_or_default();
    Ok(render(&CoveragePage {
        c: Chrome::new(t, user, "/red-grid", t.s("红色网格", "Red grid")),
        places: crate::http::place_choices::place_choices(
            st.grids.places().as_deref(),
            &visible_region(&user.principal()),
        ),
        query: if area.is_empty() {
            String::new()
        } else {
            format!("?area={area}")
        },
        area,
        grid: String::new(),
        settings: report.settings,
        may_set: may_set_settings(&user.principal()),
        manages: matches!(
            user.listing(gongzhi_domain::access::List::RedGrid),
            gongzhi_domain::access::Listing::Everything | gongzhi_domain::access::Listing::Area(_)
        ),
        done: q.done.as_deref().and_then(|d| done_text(t, d)),
        error,
        groups,
        report,
    }))
}

async fn coverage_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<CoverageQuery>,
) -> Response {
    let t = lang_of(&headers);
    // A red grid member's red grid is its own households.
    if matches!(
        user.listing(gongzhi_domain::access::List::RedGrid),
        gongzhi_domain::access::Listing::Linked(_)
    ) {
        return Redirect::to("/red-grid/households").into_response();
    }
    let body = coverage_body(&st, &user, t, &q, None).await;
    page(t, &user, body)
}

struct RoleView {
    row: GridRoleRow,
    /// 联户不足 / 正常 / 超出, for red grid members.
    load: Option<(&'static str, bool)>,
}

#[derive(Template)]
#[template(path = "red_grid_grid.html")]
struct GridPage {
    c: Chrome,
    code: String,
    name: String,
    community: String,
    roles: Vec<RoleView>,
    households: Vec<LinkedHouseholdRow>,
    /// Red grid members that may take one more household: (role id, name, households).
    open_members: Vec<(i64, String, i64)>,
    accounts: Vec<(i64, String)>,
    members: Vec<(i64, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    warnings: Vec<String>,
    settings: LinkSettings,
    today: String,
    done: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct GridQuery {
    done: Option<String>,
}

async fn grid_body(
    st: &AppState,
    user: &User,
    t: Lang,
    code: &str,
    done: Option<String>,
    error: Option<String>,
) -> ApiResult<Response> {
    let grid = crate::http::api_geo::parse_grid("grid", code)?;
    let row = st
        .store
        .grid(&grid)
        .await?
        .filter(|_| manages(&user.principal(), &grid))
        .ok_or_else(|| ApiError::not_found(format!("网格 {grid}"), format!("grid {grid}")))?;
    let f = gongzhi_store::RedGridFilter {
        grid: Some(grid),
        ..Default::default()
    };
    let settings = st.store.red_grid_settings().await?;
    let roles = st.store.grid_roles(&f, true).await?;
    let mut warnings = Vec::new();
    let roles: Vec<RoleView> = roles
        .into_iter()
        .map(|r| {
            let load = (r.kind == GridRoleKind::RedMember).then(|| {
                let n = u32::try_from(r.households).unwrap_or(u32::MAX);
                match settings.load(n) {
                    Load::Below => {
                        if let Some(w) = settings.warning(&r.person_name, n) {
                            warnings.push(t.s(&w.zh(), &w.en()).to_string());
                        }
                        (t.s("联户不足", "Too few"), true)
                    }
                    Load::InRange => (t.s("正常", "In range"), false),
                    Load::Above => (t.s("超出上限", "Too many"), true),
                }
            });
            RoleView { row: r, load }
        })
        .collect();
    let open_members = roles
        .iter()
        .filter(|r| r.row.kind == GridRoleKind::RedMember)
        .filter(|r| r.row.households < i64::from(settings.max))
        .map(|r| (r.row.id, r.row.person_name.clone(), r.row.households))
        .collect();
    let households = st
        .store
        .red_grid_households(&f, super::api::MAX_HOUSEHOLDS)
        .await?;
    let accounts = account_choices(st, &grid, &roles).await?;
    let members = st.store.party_members_in_grid(&grid).await?;
    let names = Names::of(st);
    Ok(render(&GridPage {
        c: Chrome::new(t, user, "/red-grid", &row.name),
        code: grid.to_string(),
        name: row.name,
        community: names.area(&grid.community()),
        roles,
        households,
        open_members,
        accounts,
        members,
        kinds: GridRoleKind::ALL
            .iter()
            .map(|k| (k.as_str(), t.s(k.zh(), k.en())))
            .collect(),
        warnings,
        settings,
        today: today().to_string(),
        done: done.as_deref().and_then(|d| done_text(t, d)),
        error,
    }))
}

/// The accounts a role in `grid` may name: the grid's red grid members without a role yet,
/// and staff who may record visits there (grid workers, community and street staff).
async fn account_choices(
    st: &AppState,
    grid: &GridCode,
    roles: &[RoleView],
) -> ApiResult<Vec<(i64, String)>> {
    let held: Vec<i64> = roles.iter().filter_map(|r| r.row.account_id).collect();
    let mut out: Vec<(i64, String)> = st
        .store
        .accounts()
        .await?
        .into_iter()
        .filter(|a| !a.disabled && !held.contains(&a.id) && a.role != Role::Resident)
        .filter(|a| decide(&a.principal(), Action::RecordVisit, &Target::Grid(*grid)).is_ok())
        .filter(|a| a.role != Role::Admin)
        .map(|a| (a.id, format!("{}（{}）", a.display_name, a.role.zh())))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

async fn grid_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<GridQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = grid_body(&st, &user, t, &code, q.done, None).await;
    page(t, &user, body)
}

/// The pages' forms, one handler: `what` says which.
#[derive(Deserialize, Default)]
struct ActForm {
    #[serde(default)]
    csrf: String,
    what: String,
    grid: Option<String>,
    min_households: Option<String>,
    max_households: Option<String>,
    role: Option<String>,
    account_id: Option<String>,
    person_name: Option<String>,
    member_id: Option<String>,
    started_on: Option<String>,
    role_id: Option<i64>,
    household_id: Option<i64>,
    link_id: Option<i64>,
}

fn number<T: std::str::FromStr>(field: &str, v: &Option<String>) -> ApiResult<Option<T>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| {
            ApiError::bad_request(
                field,
                format!("“{s}”不是数字"),
                format!("'{s}' is not a number"),
            )
        }),
    }
}

async fn act(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Form(f): Form<ActForm>,
) -> Response {
    let t = lang_of(&headers);
    let need = |v: Option<i64>, field: &str| {
        v.ok_or_else(|| ApiError::bad_request(field, "缺少编号", "missing id"))
    };
    let grid = f.grid.clone().unwrap_or_default();
    let result: ApiResult<()> = async {
        user.check_csrf(&f.csrf)?;
        match f.what.as_str() {
            "settings" => {
                let min = number("min_households", &f.min_households)?.unwrap_or(0);
                let max = number("max_households", &f.max_households)?.unwrap_or(0);
                ops::set_settings(&st, &user, min, max).await?;
            }
            "role" => {
                let b = RoleInput {
                    grid: grid.clone(),
                    role: f.role.clone().unwrap_or_default(),
                    account_id: number("account_id", &f.account_id)?,
                    person_name: f.person_name.clone().unwrap_or_default(),
                    member_id: number("member_id", &f.member_id)?,
                    started_on: f.started_on.clone(),
                };
                ops::add_role(&st, &user, b).await?;
            }
            "end_role" => ops::end_role(&st, &user, need(f.role_id, "role_id")?, None).await?,
            "link" => {
                ops::link(
                    &st,
                    &user,
                    need(f.role_id, "role_id")?,
                    need(f.household_id, "household_id")?,
                    None,
                )
                .await?;
            }
            "end_link" => {
                ops::end_link(&st, &user, need(f.link_id, "link_id")?, None).await?;
            }
            other => {
                return Err(ApiError::bad_request(
                    "what",
                    format!("未知的操作：{other}"),
                    format!("unknown form: {other}"),
                ));
            }
        }
        Ok(())
    }
    .await;
    let back = if f.what == "settings" || grid.is_empty() {
        "/red-grid".to_string()
    } else {
        format!("/red-grid/grids/{grid}")
    };
    match result {
        Ok(()) => Redirect::to(&format!("{back}?done={}", f.what)).into_response(),
        Err(e) => {
            let msg = crate::cases::service::message(&e, t.is_en());
            let body = if back == "/red-grid" {
                coverage_body(&st, &user, t, &CoverageQuery::default(), Some(msg)).await
            } else {
                grid_body(&st, &user, t, &grid, None, Some(msg)).await
            };
            match body {
                Ok(p) => e.mark(p),
                Err(_) => page(t, &user, Err(e)),
            }
        }
    }
}
