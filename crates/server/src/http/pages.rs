//! HTML pages for staff: login, dashboard, areas and grids, map, households and residents.

use crate::auth::{
    LANG_COOKIE, PageUser, User, clear_session_cookie, lang_of, session_cookie, session_token,
};
use crate::error::ApiResult;
use crate::http::api_geo::{GridDetail, grid_detail, parse_area, parse_grid};
use crate::http::api_population::{
    ListQuery, Listing, list_households, list_residents, load_household, load_resident,
    unmask_resident,
};
use crate::http::api_session::log_in;
use crate::http::chrome::{Chrome, error_page, home_target, render};
use crate::http::place_choices::{PlaceChoices, place_choices};
use crate::http::resident_search::{NumberSearch, may_search_numbers, search_residents};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::throttle::ClientIp;
use crate::views::{HouseholdView, ResidentView};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongzhi_domain::access::{Action, Region, Target, visible_region};
use gongzhi_store::{BuildingRow, HouseholdFilter, Page, ResidentFilter};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login_submit))
        .route("/logout", post(logout))
        .route("/lang/{tag}", get(switch_lang))
        .route("/", get(home))
        .route("/areas", get(areas))
        .route("/areas/{code}", get(area))
        .route("/map", get(map))
        .route("/grids/{code}", get(grid))
        .route("/households", get(households))
        .route("/households/{id}", get(household))
        .route("/residents", get(residents))
        .route("/residents/search", post(residents_search))
        .route("/residents/{id}", get(resident))
        .route("/residents/{id}/unmask", post(unmask))
}

/// Runs a page body; an error becomes an error page in the user's language.
pub fn page(t: Lang, user: &User, r: ApiResult<Response>) -> Response {
    r.unwrap_or_else(|e| error_page(t, user, e))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    t: Lang,
    error: Option<String>,
    username: String,
}

async fn login_page(headers: HeaderMap) -> Response {
    render(&LoginPage {
        t: lang_of(&headers),
        error: None,
        username: String::new(),
    })
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
}

async fn login_submit(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let t = lang_of(&headers);
    match log_in(&st, ip, &f.username, &f.password).await {
        Ok((token, _)) => (
            [(
                header::SET_COOKIE,
                session_cookie(&token, st.secure_cookies),
            )],
            Redirect::to("/"),
        )
            .into_response(),
        Err(e) => {
            let msg = if t.is_en() {
                e.body.message_en.clone()
            } else {
                e.body.message.clone()
            };
            e.mark(render(&LoginPage {
                t,
                error: Some(msg),
                username: f.username,
            }))
        }
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    pub csrf: String,
}

async fn logout(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Response {
    let t = lang_of(&headers);
    if let Err(e) = user.check_csrf(&f.csrf) {
        return error_page(t, &user, e);
    }
    if let Some(token) = session_token(&headers, st.secure_cookies)
        && let Err(e) = st.store.delete_session(token).await
    {
        return error_page(t, &user, e.into());
    }
    (
        [(header::SET_COOKIE, clear_session_cookie(st.secure_cookies))],
        Redirect::to("/login"),
    )
        .into_response()
}

async fn switch_lang(Path(tag): Path<String>, headers: HeaderMap) -> Response {
    let lang = Lang::from_tag(&tag).unwrap_or_default();
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(local_path)
        .unwrap_or_else(|| "/".into());
    (
        [(
            header::SET_COOKIE,
            format!(
                "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
                lang.tag()
            ),
        )],
        Redirect::to(&back),
    )
        .into_response()
}

/// The path (and query) of a Referer, to go back to on this site — only when it is a plain
/// local path. `//host/…` and `/\host/…` are another site to a browser (security finding 11:
/// `/lang/en` with such a Referer redirected anywhere).
fn local_path(referer: &str) -> Option<String> {
    let after_scheme = &referer[referer.find("://")? + 3..];
    let path = &after_scheme[after_scheme.find('/')?..];
    let second = path.as_bytes().get(1).copied();
    let local =
        !matches!(second, Some(b'/' | b'\\')) && path.chars().all(|c| !c.is_control() && c != '\\');
    local.then(|| path.to_string())
}

#[cfg(test)]
mod local_path_tests {
    use super::local_path;

    #[test]
    fn lang_switch_goes_back_only_to_a_local_path() {
        assert_eq!(
            local_path("http://127.0.0.1:8080/cases?state=open").as_deref(),
            Some("/cases?state=open")
        );
        assert_eq!(local_path("https://x.cn/").as_deref(), Some("/"));
        for evil in [
            "http://127.0.0.1:8080//evil.example/",
            "http://127.0.0.1:8080/\\evil.example/",
            "http://127.0.0.1:8080/a\\b",
            "http://127.0.0.1:8080/\tx",
            "http://127.0.0.1:8080",
            "evil.example/x",
        ] {
            assert_eq!(local_path(evil), None, "{evil}");
        }
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    scope_label: String,
    /// The caller's work: counts linking into the case list, this month's rates.
    work: crate::cases::work::Work,
    /// The one primary action of the page: 我要上报 for a resident, 我的联户 for a red grid
    /// member, 巡查上报 in a grid.
    action: Option<(&'static str, &'static str)>,
    /// The tiles are only the caller's own reports (a resident's), not its work.
    reports_only: bool,
    /// Next year's working-day calendar is missing (administrators, from 1 November).
    calendar_warning: Option<String>,
}

async fn home(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let today = gongzhi_domain::calendar::date_of(gongzhi_store::now_millis());
        let work = crate::cases::work::work_of(&st, &user, today, t).await?;
        let region = visible_region(&user.principal());
        let linked = matches!(
            user.listing(gongzhi_domain::access::List::RedGrid),
            gongzhi_domain::access::Listing::Linked(_)
        );
        let action = if linked {
            Some(("/red-grid/households", t.s("我的联户", "My households")))
        } else if work.own_reports {
            Some(("/report", t.s("我要上报", "Report a problem")))
        } else if matches!(region, Region::Grid(_)) {
            Some(("/patrol", t.s("巡查上报", "Patrol report")))
        } else {
            None
        };
        let scope_label = match region {
            Region::Area(a) => st
                .store
                .area(&a)
                .await?
                .map(|r| format!("{} {}", r.name, r.code))
                .unwrap_or_else(|| a.to_string()),
            Region::Grid(g) => st
                .store
                .grid(&g)
                .await?
                .map(|r| format!("{} {}", r.name, r.code))
                .unwrap_or_else(|| g.to_string()),
            _ => match user.listing(gongzhi_domain::access::List::Cases) {
                gongzhi_domain::access::Listing::Department(d) => {
                    st.store.department(&d).await?.map(|r| r.name).unwrap_or(d)
                }
                gongzhi_domain::access::Listing::Reports(_) => t.s("本人", "yourself").to_string(),
                _ => t.s("全市", "the whole city").to_string(),
            },
        };
        Ok(render(&HomePage {
            c: Chrome::new(t, &user, "/", t.s("工作台", "Dashboard")),
            scope_label,
            reports_only: work.own_reports && !linked,
            work,
            action,
            calendar_warning: crate::http::calendar_api::home_warning(&st, &user, t, today).await,
        }))
    }
    .await;
    page(t, &user, body)
}

struct TreeRow {
    depth: usize,
    code: String,
    name: String,
    level: &'static str,
    grids: usize,
    href: String,
}

#[derive(Template)]
#[template(path = "areas.html")]
struct AreasPage {
    c: Chrome,
    rows: Vec<TreeRow>,
}

async fn areas(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let areas = st.store.areas().await?;
        let grids = st.store.grids().await?;
        let visible_grids: Vec<_> = grids
            .iter()
            .filter(|g| user.may(Action::ViewGrid, &Target::Grid(g.code)).is_ok())
            .collect();
        let mut rows = Vec::new();
        // Areas from the district down, each followed by its children; grids under communities.
        for a in areas
            .iter()
            .filter(|a| a.level as u8 >= gongzhi_domain::codes::AreaLevel::District as u8)
        {
            let depth = a.level as usize - gongzhi_domain::codes::AreaLevel::District as usize;
            let own: Vec<_> = visible_grids
                .iter()
                .filter(|g| a.code.contains(&g.community))
                .collect();
            if own.is_empty() && user.may(Action::ViewArea, &Target::Area(a.code)).is_err() {
                continue;
            }
            rows.push(TreeRow {
                depth,
                code: a.code.to_string(),
                name: a.name.clone(),
                level: {
                    let (zh, en) = a.code.kind_names();
                    t.s(zh, en)
                },
                grids: own.len(),
                href: format!("/areas/{}", a.code),
            });
            if a.level == gongzhi_domain::codes::AreaLevel::Community {
                for g in own {
                    rows.push(TreeRow {
                        depth: depth + 1,
                        code: g.code.to_string(),
                        name: g.name.clone(),
                        level: t.s("网格", "grid"),
                        grids: 1,
                        href: format!("/grids/{}", g.code),
                    });
                }
            }
        }
        rows.sort_by(|x, y| x.code.cmp(&y.code));
        Ok(render(&AreasPage {
            c: Chrome::new(t, &user, "/areas", t.s("区划网格", "Areas")),
            rows,
        }))
    }
    .await;
    page(t, &user, body)
}

#[derive(Template)]
#[template(path = "area.html")]
struct AreaPage {
    c: Chrome,
    code: String,
    name: String,
    level: &'static str,
    kind: &'static str,
    urban_rural: Option<&'static str>,
    grid_count: usize,
    household_count: Option<i64>,
    children: Vec<(String, String, &'static str)>,
    grids: Vec<(String, String, String)>,
}

async fn area(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let code = parse_area("code", &code)?;
        user.may(Action::ViewArea, &Target::Area(code))?;
        let a = st.store.area(&code).await?.ok_or_else(|| {
            crate::error::ApiError::not_found(format!("区划 {code}"), format!("area {code}"))
        })?;
        let grids = st.store.grids_in(&code).await?;
        let household_count = if user.may(Action::ViewHousehold, &Target::Area(code)).is_ok() {
            Some(
                st.store
                    .count_households(&HouseholdFilter {
                        area: Some(code),
                        ..Default::default()
                    })
                    .await?,
            )
        } else {
            None
        };
        let children = st
            .store
            .area_children(&code)
            .await?
            .into_iter()
            .map(|c| {
                let (zh, en) = c.code.kind_names();
                (c.code.to_string(), c.name, t.s(zh, en))
            })
            .collect();
        let grid_rows = if code.level() == gongzhi_domain::codes::AreaLevel::Community {
            grids
                .iter()
                .map(|g| {
                    (
                        g.code.to_string(),
                        g.name.clone(),
                        format!("{:.0}", g.area_m2),
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(render(&AreaPage {
            c: Chrome::new(t, &user, "/areas", &a.name),
            code: code.to_string(),
            level: t.s(a.level.zh(), a.level.as_str()),
            kind: {
                let (zh, en) = code.kind_names();
                t.s(zh, en)
            },
            urban_rural: a.urban_rural.map(|u| t.s(u.zh(), u.code())),
            name: a.name,
            grid_count: grids.len(),
            household_count,
            children,
            grids: grid_rows,
        }))
    }
    .await;
    page(t, &user, body)
}

#[derive(Deserialize)]
struct MapQuery {
    area: Option<String>,
    /// `red_grid`: open with the red grid's coverage layer on.
    layer: Option<String>,
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage {
    c: Chrome,
    area: String,
    tiles: Option<std::sync::Arc<crate::tiles::TileLayer>>,
    /// The red grid's coverage layer is offered (the caller sees coverage), and shown at once.
    red_grid: Option<bool>,
    /// The caller lists cases: the metric colouring, clusters, heat and time slider are shown.
    cases: bool,
    /// The metrics grids can be coloured by, code and name.
    metrics: Vec<(&'static str, &'static str)>,
    /// Case states to filter by, code and name.
    states: Vec<(&'static str, &'static str)>,
    /// The range shown first: the last 90 days to today (Beijing time).
    from: String,
    to: String,
}

async fn map(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<MapQuery>,
) -> Response {
    let t = lang_of(&headers);
    let area = q.area.unwrap_or_default();
    let today = gongzhi_domain::calendar::date_of(gongzhi_store::now_millis());
    let body = (|| {
        if !area.is_empty() {
            let code = parse_area("area", &area)?;
            user.may(Action::ViewArea, &Target::Area(code))?;
        }
        Ok(render(&MapPage {
            c: Chrome::new(t, &user, "/map", t.s("网格地图", "Map")),
            area: area.clone(),
            tiles: st.tiles.clone(),
            red_grid: crate::red_grid::sees_coverage(&user)
                .then(|| q.layer.as_deref() == Some("red_grid")),
            cases: !user
                .listing(gongzhi_domain::access::List::Cases)
                .is_nothing(),
            metrics: gongzhi_domain::metrics::map::MapMetric::ALL
                .iter()
                .map(|m| (m.as_str(), t.s(m.zh(), m.en())))
                .collect(),
            states: gongzhi_domain::case::CaseState::ALL
                .iter()
                .filter(|s| **s != gongzhi_domain::case::CaseState::Merged)
                .map(|s| (s.as_str(), t.s(s.zh(), s.label_en())))
                .collect(),
            from: today.add_days(-89).to_string(),
            to: today.to_string(),
        }))
    })();
    page(t, &user, body)
}

#[derive(Template)]
#[template(path = "grid.html")]
struct GridPage {
    c: Chrome,
    d: GridDetail,
    area_text: String,
    buildings: Vec<BuildingRow>,
}

async fn grid(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let code = parse_grid("code", &code)?;
        let d = grid_detail(&st, &user, code).await?;
        let buildings = if user.may(Action::ViewHousehold, &Target::Grid(code)).is_ok() {
            st.store.buildings_in_grid(&code).await?
        } else {
            Vec::new()
        };
        let area_text = format!("{:.0} {}", d.grid.area_m2, t.s("平方米", "m²"));
        Ok(render(&GridPage {
            c: Chrome::new(t, &user, "/areas", &d.grid.name),
            area_text,
            d,
            buildings,
        }))
    }
    .await;
    page(t, &user, body)
}

fn pager_links(base: &str, q: &ListQuery, total: i64) -> (Option<String>, Option<String>) {
    let p = q.page();
    let current = p.offset / p.limit + 1;
    let mut params: Vec<(String, String)> = Vec::new();
    // Never full ID or phone numbers: those are searched for by POST, out of the URL.
    for (k, v) in [("grid", &q.grid), ("area", &q.area), ("name", &q.name)] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            params.push((k.to_string(), v.to_string()));
        }
    }
    let link = |page: i64| {
        let mut s = format!("{base}?page={page}");
        for (k, v) in &params {
            s.push_str(&format!("&{k}={}", url_escape(v)));
        }
        s
    };
    let prev = (current > 1).then(|| link(current - 1));
    let next = (p.offset + p.limit < total).then(|| link(current + 1));
    (prev, next)
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A household as the list shows it.
struct HouseholdLine {
    h: HouseholdView,
    grid_name: String,
}

#[derive(Template)]
#[template(path = "households.html")]
struct HouseholdsPage {
    c: Chrome,
    list: Listing<HouseholdView>,
    /// Each household with its grid's name.
    items: Vec<HouseholdLine>,
    places: PlaceChoices,
    grid: String,
    area: String,
    export_query: String,
    prev: Option<String>,
    next: Option<String>,
}

async fn households(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let mut list = list_households(&st, &user, &q).await?;
        let (prev, next) = pager_links("/households", &q, list.total);
        let known = st.grids.places();
        let items = std::mem::take(&mut list.items)
            .into_iter()
            .map(|h| HouseholdLine {
                grid_name: known
                    .as_deref()
                    .and_then(|p| p.grid(&h.household.grid))
                    .map_or_else(|| h.household.grid.to_string(), |g| g.name.clone()),
                h,
            })
            .collect();
        let places = place_choices(known.as_deref(), &visible_region(&user.principal()));
        let grid = q.grid.clone().unwrap_or_default();
        let area = q.area.clone().unwrap_or_default();
        let mut export_query = String::new();
        if !grid.is_empty() {
            export_query.push_str(&format!("&grid={}", url_escape(&grid)));
        }
        if !area.is_empty() {
            export_query.push_str(&format!("&area={}", url_escape(&area)));
        }
        Ok(render(&HouseholdsPage {
            c: Chrome::new(t, &user, "/households", t.s("住户", "Households")),
            list,
            items,
            places,
            grid,
            area,
            export_query,
            prev,
            next,
        }))
    }
    .await;
    page(t, &user, body)
}

#[derive(Template)]
#[template(path = "household.html")]
struct HouseholdPage {
    c: Chrome,
    h: HouseholdView,
    residents: Vec<ResidentView>,
}

async fn household(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let h = load_household(&st, &user, id).await?;
        user.may(Action::ViewResident, &Target::Grid(h.household.grid))?;
        let filter = ResidentFilter {
            household_id: Some(id),
            page: Page {
                offset: 0,
                limit: 100,
            },
            ..Default::default()
        };
        let residents = st
            .store
            .residents(&filter)
            .await?
            .iter()
            .map(ResidentView::masked)
            .collect();
        Ok(render(&HouseholdPage {
            c: Chrome::new(t, &user, "/households", &h.household.code),
            h,
            residents,
        }))
    }
    .await;
    page(t, &user, body)
}

#[derive(Template)]
#[template(path = "residents.html")]
struct ResidentsPage {
    c: Chrome,
    list: Listing<ResidentView>,
    q: ListQuery,
    /// The caller may search by full number here (the policy lets them unmask here).
    can_search_numbers: bool,
    /// The list is the answer to a search by number (logged).
    searched: bool,
    error: Option<String>,
    prev: Option<String>,
    next: Option<String>,
    places: PlaceChoices,
    area: String,
    grid: String,
}

impl ResidentsPage {
    fn new(c: Chrome, st: &AppState, user: &User, q: ListQuery) -> ResidentsPage {
        ResidentsPage {
            c,
            places: place_choices(
                st.grids.places().as_deref(),
                &visible_region(&user.principal()),
            ),
            area: q.area.clone().unwrap_or_default(),
            grid: q.grid.clone().unwrap_or_default(),
            list: Listing {
                total: 0,
                page: 1,
                per_page: 50,
                items: Vec::new(),
            },
            can_search_numbers: may_search_numbers(user, &home_target(user)).is_ok(),
            q,
            searched: false,
            error: None,
            prev: None,
            next: None,
        }
    }

    /// A refusal the form can fix is shown above an empty list, with its status.
    fn refused(mut self, t: Lang, e: crate::error::ApiError) -> Response {
        self.error = Some(if t.is_en() {
            e.body.message_en.clone()
        } else {
            e.body.message.clone()
        });
        let mut resp = render(&self);
        *resp.status_mut() = e.status;
        resp
    }
}

async fn residents(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let t = lang_of(&headers);
    let c = Chrome::new(t, &user, "/residents", t.s("居民", "Residents"));
    let mut page = ResidentsPage::new(c, &st, &user, q);
    match list_residents(&st, &user, &page.q).await {
        Ok(list) => {
            (page.prev, page.next) = pager_links("/residents", &page.q, list.total);
            page.list = list;
            render(&page)
        }
        // A malformed filter or a number in the URL: said above an empty list.
        Err(e) if matches!(e.status.as_u16(), 400 | 422) => page.refused(t, e),
        Err(e) => error_page(t, &user, e),
    }
}

#[derive(Deserialize)]
struct NumberSearchForm {
    csrf: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    reason: String,
}

/// 按号码查找: the numbers and the reason come in the form body, so that they stay out of
/// the address bar, history, server logs and `Referer`.
async fn residents_search(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Form(f): Form<NumberSearchForm>,
) -> Response {
    let t = lang_of(&headers);
    let c = Chrome::new(t, &user, "/residents", t.s("居民", "Residents"));
    let mut page = ResidentsPage::new(c, &st, &user, ListQuery::default());
    if let Err(e) = user.check_csrf(&f.csrf) {
        return error_page(t, &user, e);
    }
    let search = NumberSearch {
        id_number: Some(f.id_number),
        phone: Some(f.phone),
        reason: Some(f.reason),
        ..Default::default()
    };
    match search_residents(&st, &user, &search).await {
        Ok(list) => {
            page.list = list;
            page.searched = true;
            render(&page)
        }
        // A malformed number, no reason, or no right to search by number: said on the page.
        Err(e) if matches!(e.status.as_u16(), 400 | 403 | 422) => page.refused(t, e),
        Err(e) => error_page(t, &user, e),
    }
}

#[derive(Template)]
#[template(path = "resident.html")]
struct ResidentPage {
    c: Chrome,
    r: ResidentView,
    can_unmask: bool,
    error: Option<String>,
}

async fn resident(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let r = load_resident(&st, &user, id).await?;
        let can_unmask = user
            .may(Action::UnmaskPersonalData, &Target::Grid(r.grid))
            .is_ok();
        Ok(render(&ResidentPage {
            c: Chrome::new(t, &user, "/residents", &r.name),
            r: ResidentView::masked(&r),
            can_unmask,
            error: None,
        }))
    }
    .await;
    page(t, &user, body)
}

#[derive(Deserialize)]
struct UnmaskForm {
    csrf: String,
    reason: String,
}

async fn unmask(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<UnmaskForm>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        user.check_csrf(&f.csrf)?;
        let r = unmask_resident(&st, &user, id, Some(&f.reason)).await?;
        Ok(render(&ResidentPage {
            c: Chrome::new(t, &user, "/residents", &r.name),
            r,
            can_unmask: true,
            error: None,
        }))
    }
    .await;
    page(t, &user, body)
}
