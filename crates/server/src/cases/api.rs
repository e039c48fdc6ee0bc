//! `/api/v1` cases: categories, intake, lists narrowed to the caller, one case, its timeline,
//! commands, the inbox, and the resident's lookup-code routes.

use crate::auth::{ApiUser, User};
use crate::cases::public_view::{PublicCase, case_by_code, public_case};
use crate::cases::service::{self, Report};
use crate::cases::views::{CaseView, TimelineEntry, case_view, timeline};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::throttle::ClientIp;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_domain::access::{List, Listing, is_staff};
use gongzhi_domain::case::{self, Actor, Channel, Command, CommandKind, Recipient};
use gongzhi_domain::codes::Phone;
use gongzhi_store::{CaseFilter, CategoryRow, EventActor, Notification, now_millis};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/categories", get(categories))
        .route("/api/v1/cases", get(list).post(create))
        .route("/api/v1/cases.xlsx", get(crate::cases::export::export))
        .route("/api/v1/cases/{id}", get(one))
        .route("/api/v1/cases/{id}/timeline", get(case_timeline))
        .route("/api/v1/cases/{id}/commands", post(command))
        .route(
            "/api/v1/cases/{id}/reporter-phone",
            post(crate::cases::reporter_phone::reveal_api),
        )
        .route("/api/v1/inbox", get(inbox))
        .route("/api/v1/public/cases/{code}", get(public_case_route))
        .route("/api/v1/public/cases/{code}/commands", post(public_command))
}

pub fn actor_of(user: &User) -> (Actor, EventActor) {
    (
        Actor::account(user.principal()),
        EventActor {
            account_id: Some(user.account.id),
            name: user.account.display_name.clone(),
        },
    )
}

async fn categories(State(st): State<AppState>) -> ApiResult<Json<Vec<CategoryRow>>> {
    Ok(Json(
        st.store
            .categories()
            .await?
            .into_iter()
            .filter(|c| c.active)
            .collect(),
    ))
}

#[derive(Deserialize)]
pub struct NewCaseBody {
    pub category: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    #[serde(default)]
    pub address: String,
    pub description: String,
    #[serde(default)]
    pub emergency: bool,
    pub channel: Option<String>,
    pub reporter_phone: Option<String>,
    /// The street (its 12-digit code) an address-only report goes to when the address names
    /// no place the city holds.
    pub street: Option<String>,
}

#[derive(Serialize)]
pub struct Created {
    pub case: CaseView,
    pub lookup_code: String,
}

pub fn parse_report(b: NewCaseBody) -> ApiResult<Report> {
    let channel = match b.channel.as_deref() {
        None | Some("") => None,
        Some(c) => Some(Channel::parse(c).ok_or_else(|| {
            ApiError::bad_request(
                "channel",
                format!("未知的来源渠道：{c}"),
                format!("unknown channel: {c}"),
            )
        })?),
    };
    let reporter_phone = match b
        .reporter_phone
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        Some(p) => Some(Phone::parse(p).map_err(|e| ApiError::invalid("reporter_phone", &e))?),
        None => None,
    };
    let street = match b.street.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(
            gongzhi_domain::codes::AreaCode::parse(s)
                .map_err(|e| ApiError::invalid("street", &e))?,
        ),
        None => None,
    };
    Ok(Report {
        category: b.category,
        lon: b.lon,
        lat: b.lat,
        address: b.address,
        description: b.description,
        emergency: b.emergency,
        channel,
        reporter_phone,
        street,
        // The API takes photos after filing, through POST /cases/{id}/photos.
        photos: Vec::new(),
    })
}

async fn create(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<NewCaseBody>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let mut report = parse_report(b)?;
    // Residents report through the resident channel; only staff record where a report came from
    // (patrol, hotline, video …), so the channel statistics stay honest.
    if !is_staff(&user.principal()) {
        report.channel = Some(Channel::ResidentWeb);
    }
    let (who, label) = actor_of(&user);
    let now = now_millis();
    let filed = service::file(&st, &who, &label, report, now).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            case: case_view(&st, &filed.case, now).await,
            lookup_code: filed.lookup_code,
        }),
    ))
}

#[derive(Deserialize, Default, Clone)]
pub struct CaseQuery {
    /// Part of the ticket number.
    pub ticket: Option<String>,
    /// A resident's lookup code, as read out on the phone.
    pub lookup: Option<String>,
    /// Words in the address or the description.
    pub q: Option<String>,
    /// A category code; a major category finds its minor ones too.
    pub category: Option<String>,
    /// Reported on or after this day (`YYYY-MM-DD`, Beijing time).
    pub from: Option<String>,
    /// Reported on or before this day.
    pub to: Option<String>,
    pub state: Option<String>,
    pub grid: Option<String>,
    pub area: Option<String>,
    pub department: Option<String>,
    #[serde(default, deserialize_with = "flag")]
    pub overdue: Option<bool>,
    /// Only cases whose deadline warning has been given and that are not overdue yet.
    #[serde(default, deserialize_with = "flag")]
    pub due_soon: Option<bool>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// A yes/no filter as links and forms write it: `1`/`true`, `0`/`false`, or empty (not set).
fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let raw: Option<String> = Option::deserialize(d)?;
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some("1" | "true" | "on") => Ok(Some(true)),
        Some("0" | "false" | "off") => Ok(Some(false)),
        Some(other) => Err(serde::de::Error::custom(format!(
            "expected 1 or 0, true or false: {other}"
        ))),
    }
}

/// The refusal of a list the policy grants the caller nothing of (a party organisation's
/// cases): a 403, not an empty list, so that the caller learns why.
pub fn not_listed(zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", zh, en)
}

/// The caller's cases: what the policy lists for it (its region, department or own reports),
/// narrowed further by the query.
pub fn case_filter(user: &User, q: &CaseQuery) -> ApiResult<CaseFilter> {
    listed_cases(user, List::Cases, q)
}

/// [`case_filter`] for another list of cases (the scorecards count them).
pub fn listed_cases(user: &User, list: List, q: &CaseQuery) -> ApiResult<CaseFilter> {
    let per_page = q.per_page.unwrap_or(50).clamp(1, 500);
    let page = q.page.unwrap_or(1).clamp(1, 10_000_000);
    let mut f = CaseFilter {
        offset: (page - 1) * per_page,
        limit: per_page,
        overdue_only: q.overdue.unwrap_or(false),
        due_soon_only: q.due_soon.unwrap_or(false),
        ..Default::default()
    };
    match user.listing(list) {
        Listing::Everything => {}
        Listing::Area(a) => f.area = Some(a),
        Listing::Grid(g) => f.grid = Some(g),
        Listing::Department(d) => f.department = Some(d),
        Listing::Reports(account) => f.reporter = Some(account),
        Listing::Linked(_) | Listing::Nothing => {
            return Err(not_listed(
                "您的账号无权查看案件",
                "your account may not see cases",
            ));
        }
    }
    if let Some(s) = q.state.as_deref().filter(|s| !s.is_empty()) {
        f.states = s.split(',').map(|x| x.trim().to_string()).collect();
    }
    if let Some(g) = q.grid.as_deref().filter(|s| !s.is_empty()) {
        let g = crate::http::api_geo::parse_grid("grid", g)?;
        if f.grid.is_some_and(|own| own != g) || f.area.is_some_and(|a| !a.contains(&g.community()))
        {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "该网格不在您的管辖范围内",
                "that grid is outside your scope",
            ));
        }
        f.grid = Some(g);
    }
    if let Some(a) = q.area.as_deref().filter(|s| !s.is_empty()) {
        let a = crate::http::api_geo::parse_area("area", a)?;
        let outside = || {
            ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "该区划不在您的管辖范围内",
                "that area is outside your scope",
            )
        };
        match (f.grid, f.area) {
            // A grid (the caller's own or asked for) is already narrower than any area holding it.
            (Some(g), _) if a.contains(&g.community()) => {}
            (Some(_), _) => {
                return Err(ApiError::bad_request(
                    "area",
                    "所选网格不在该区划内",
                    "the grid asked for is not inside that area",
                ));
            }
            (None, Some(own)) if own.contains(&a) => f.area = Some(a),
            // Asking for an area around one's own patch shows the patch.
            (None, Some(own)) if a.contains(&own) => {}
            (None, Some(_)) => return Err(outside()),
            (None, None) => f.area = Some(a),
        }
    }
    if let Some(d) = q.department.as_deref().filter(|s| !s.is_empty()) {
        if f.department.as_deref().is_some_and(|own| own != d) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "只能查看本部门的案件",
                "you can only list your own department's cases",
            ));
        }
        f.department = Some(d.to_string());
    }
    Ok(f)
}

#[derive(Serialize)]
pub struct CaseList {
    pub total: i64,
    pub items: Vec<CaseView>,
}

pub async fn list_cases(st: &AppState, user: &User, q: &CaseQuery) -> ApiResult<CaseList> {
    let f = crate::cases::search::filter(st, user, q).await?;
    let now = now_millis();
    let total = st.store.count_cases(&f).await?;
    let mut items = Vec::new();
    for row in st.store.cases(&f).await? {
        items.push(case_view(st, &row, now).await);
    }
    Ok(CaseList { total, items })
}

async fn list(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<CaseQuery>,
) -> ApiResult<Json<CaseList>> {
    Ok(Json(list_cases(&st, &user, &q).await?))
}

/// One case the caller may see, else 404 (whether it exists is not the caller's business).
pub async fn load_case(st: &AppState, user: &User, id: i64) -> ApiResult<gongzhi_store::CaseRow> {
    let row = st.store.case(id).await?;
    let (who, _) = actor_of(user);
    match row {
        Some(r) if case::may_view(&r.case, &who) => Ok(r),
        _ => Err(ApiError::not_found(
            format!("案件 {id}"),
            format!("case {id}"),
        )),
    }
}

async fn one(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<CaseView>> {
    let row = load_case(&st, &user, id).await?;
    Ok(Json(case_view(&st, &row, now_millis()).await))
}

async fn case_timeline(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<TimelineEntry>>> {
    let row = load_case(&st, &user, id).await?;
    let mut tl = timeline(&st, &st.store.case_events(id).await?).await;
    crate::ledger::timeline::annotate(&st, id, &mut tl).await;
    crate::cases::whistles::views::name_timeline(&row.case, &mut tl);
    Ok(Json(tl))
}

#[derive(Deserialize)]
pub struct CommandBody {
    /// The version the caller saw; a newer case refuses with 409 stale_version.
    pub version: Option<i64>,
    #[serde(flatten)]
    pub command: Command,
}

async fn command(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<CommandBody>,
) -> ApiResult<Json<CaseView>> {
    load_case(&st, &user, id).await?;
    let (who, label) = actor_of(&user);
    let now = now_millis();
    let row = service::run(&st, id, b.version, &who, &label, b.command, now).await?;
    Ok(Json(case_view(&st, &row, now).await))
}

/// Where the caller's notifications are addressed: where the cases it lists are (none for
/// those who list no cases), and for staff their own account (a dispatch they made came back).
pub fn recipients(user: &User) -> Vec<String> {
    let mut to: Vec<String> = user
        .listing(List::Cases)
        .recipients()
        .iter()
        .map(ToString::to_string)
        .collect();
    if is_staff(&user.principal()) {
        to.push(Recipient::Account(user.account.id).to_string());
    }
    to
}

/// An open case waiting on the caller, and for what.
#[derive(Serialize)]
pub struct WaitingCase {
    #[serde(flatten)]
    pub case: CaseView,
    /// The steps the caller may take now (`verify`, `dispatch` …), the first one the row's.
    pub waiting: Vec<CommandKind>,
    /// The first step in words: 待核查, 待派遣, 待处置 …
    pub waiting_zh: String,
    pub waiting_en: String,
}

#[derive(Serialize)]
pub struct Inbox {
    /// Open cases on which the caller can take a step now, overdue first, then by deadline.
    pub waiting: Vec<WaitingCase>,
    pub notifications: Vec<Notification>,
}

/// How many listed cases the inbox looks at, and how many rows it shows.
const INBOX_SCAN: i64 = 500;
const INBOX_ROWS: usize = 100;

/// The caller's inbox: of the cases it lists in a state that can wait on someone, those on
/// which the domain allows the caller a step of the loop now (a grid worker's cases sent to a
/// department are not its to wait on; its 核查 are).
pub async fn inbox_of(st: &AppState, user: &User) -> ApiResult<Inbox> {
    let mut waiting = Vec::new();
    if !user.listing(List::Cases).is_nothing() {
        let states: Vec<&str> = case::WAITING_STATES.iter().map(|s| s.as_str()).collect();
        let q = CaseQuery {
            state: Some(states.join(",")),
            per_page: Some(INBOX_SCAN),
            ..Default::default()
        };
        let f = case_filter(user, &q)?;
        let (who, _) = actor_of(user);
        let cfg = st.loop_cfg.current();
        let now = now_millis();
        for row in st.store.cases(&f).await? {
            let steps = case::waiting_steps(&row.case, &who, &cfg, now);
            let Some(first) = steps.first().copied() else {
                continue;
            };
            waiting.push(WaitingCase {
                case: case_view(st, &row, now).await,
                waiting: steps,
                waiting_zh: first.waiting_zh(),
                waiting_en: first.waiting_en(),
            });
            if waiting.len() == INBOX_ROWS {
                break;
            }
        }
    }
    let notifications = st.store.notifications(&recipients(user), 50).await?;
    Ok(Inbox {
        waiting,
        notifications,
    })
}

async fn inbox(State(st): State<AppState>, ApiUser(user): ApiUser) -> ApiResult<Json<Inbox>> {
    Ok(Json(inbox_of(&st, &user).await?))
}

/// What the reporter sees with the lookup code: the minimal public view.
pub async fn public_case_of(st: &AppState, ip: IpAddr, code: &str) -> ApiResult<PublicCase> {
    let row = case_by_code(st, ip, code).await?;
    public_case(st, &row).await
}

async fn public_case_route(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
) -> ApiResult<Json<PublicCase>> {
    Ok(Json(public_case_of(&st, ip, &code).await?))
}

/// The reporter's own commands by lookup code: rate, ask to reopen.
pub async fn public_run(
    st: &AppState,
    ip: IpAddr,
    code: &str,
    cmd: Command,
) -> ApiResult<PublicCase> {
    let row = case_by_code(st, ip, code).await?;
    if !matches!(cmd, Command::Rate { .. } | Command::RequestReopen { .. }) {
        // Following a case goes through /report/follow, which counts each person once.
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "凭查询码只能评价或申请重办",
            "with a lookup code you can only rate or ask to reopen",
        ));
    }
    let who = Actor::Public { is_reporter: true };
    let label = EventActor {
        account_id: None,
        name: "反映人".into(),
    };
    service::run(st, row.id, None, &who, &label, cmd, now_millis()).await?;
    let after = st.store.case(row.id).await?.unwrap_or(row);
    public_case(st, &after).await
}

async fn public_command(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    Json(cmd): Json<Command>,
) -> ApiResult<Json<PublicCase>> {
    Ok(Json(public_run(&st, ip, &code, cmd).await?))
}
