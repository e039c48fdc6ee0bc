//! The services as staff manage them (`/services/manage`): counts per centre (a lead
//! department's per community too), the centres, a new menu item and provider for who manages
//! the community, providers with their confirmed hours, and a lead department's assessment
//! items with a form for a new one.

use super::api::{CountRow, count_rows, narrowed};
use super::exports::{percent, provider_kind_zh};
use super::is_staff_view;
use super::ops::{self, AssessmentInput, MenuInput, ProviderInput};
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
use gongzhi_domain::access::{List, Listing};
use gongzhi_domain::services::{CentreKind, HouseholdTag};
use gongzhi_store::{AssessmentItemRow, CentreRow, ProviderRow};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/services/manage", get(manage_page))
        .route("/services/manage/menu", post(menu_submit))
        .route("/services/manage/centres/{id}", post(centre_submit))
        .route("/services/manage/providers", post(provider_submit))
        .route("/services/manage/assessment", post(assessment_submit))
}

struct CountLine {
    name: String,
    orders: u64,
    fulfilled: u64,
    waiting: u64,
    on_time: String,
    satisfaction: String,
}

impl From<&CountRow> for CountLine {
    fn from(r: &CountRow) -> Self {
        CountLine {
            name: r.name.clone(),
            orders: r.counts.orders,
            fulfilled: r.counts.fulfilled,
            waiting: r.counts.waiting,
            on_time: percent(r.on_time_rate),
            satisfaction: percent(r.satisfaction_rate),
        }
    }
}

#[derive(Template)]
#[template(path = "services_manage.html")]
struct ManagePage {
    c: Chrome,
    counts: Vec<CountLine>,
    by_community: Vec<CountLine>,
    by_department: Vec<CountLine>,
    centres: Vec<CentreRow>,
    /// Centres the caller may add menu items and providers to.
    managed: Vec<CentreRow>,
    providers: Vec<(ProviderRow, &'static str, String)>,
    department: Option<String>,
    items: Vec<AssessmentItemRow>,
    kinds: Vec<(&'static str, &'static str)>,
    tags: Vec<(&'static str, &'static str)>,
    done: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

fn done_text(t: Lang, what: &str) -> Option<String> {
    let (zh, en) = match what {
        "menu" => ("服务项目已发布", "The service is on the menu"),
        "centre" => ("服务中心信息已修改", "The centre is changed"),
        "provider" => ("服务提供者已登记", "The provider is registered"),
        "assessment" => ("考核项目已添加", "The assessment item is added"),
        _ => return None,
    };
    Some(t.s(zh, en).to_string())
}

async fn manage_body(
    st: &AppState,
    user: &User,
    t: Lang,
    done: Option<String>,
    error: Option<String>,
) -> ApiResult<Response> {
    if !is_staff_view(user) {
        return Err(super::forbidden(
            "您的账号无权管理服务中心",
            "your account may not manage the service centres",
        ));
    }
    let s = narrowed(user, None)?;
    let counts = count_rows(st, user, None, Some("centre")).await?;
    let department = match user.listing(List::ServiceCentres) {
        Listing::Department(d) => Some(d),
        _ => None,
    };
    let by_community = if department.is_some()
        || s.place
            .area
            .is_none_or(|a| a.level() != gongzhi_domain::codes::AreaLevel::Community)
    {
        count_rows(st, user, None, Some("community"))
            .await?
            .iter()
            .map(CountLine::from)
            .collect()
    } else {
        Vec::new()
    };
    let by_department = if by_community.is_empty() {
        Vec::new()
    } else {
        count_rows(st, user, None, Some("lead_department"))
            .await?
            .iter()
            .map(CountLine::from)
            .collect()
    };
    let centres = st.store.centres(&s.place).await?;
    let managed = centres
        .iter()
        .filter(|c| ops::manages(user, &c.community))
        .cloned()
        .collect();
    let providers = st
        .store
        .service_providers(&s.place, None)
        .await?
        .into_iter()
        .map(|p| {
            let hours = format!("{:.1}", p.confirmed_minutes as f64 / 60.0);
            let kind = provider_kind_zh(&p.kind);
            (p, kind, hours)
        })
        .collect();
    let items = match &department {
        Some(d) => st.store.assessment_items(Some(d)).await?,
        None => Vec::new(),
    };
    Ok(render(&ManagePage {
        c: Chrome::new(t, user, "/services/manage", t.s("服务管理", "Services")),
        counts: counts.iter().map(CountLine::from).collect(),
        by_community,
        by_department,
        centres,
        managed,
        providers,
        department,
        items,
        kinds: CentreKind::ALL
            .iter()
            .map(|k| (k.as_str(), t.s(k.zh(), k.en())))
            .collect(),
        tags: HouseholdTag::ALL
            .iter()
            .map(|k| (k.as_str(), t.s(k.zh(), k.en())))
            .collect(),
        done: done.as_deref().and_then(|d| done_text(t, d)),
        error,
    }))
}

async fn manage_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<DoneQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = manage_body(&st, &user, t, q.done, None).await;
    page(t, &user, body)
}

async fn after(st: &AppState, user: &User, t: Lang, r: ApiResult<i64>, done: &str) -> Response {
    match r {
        Ok(_) => Redirect::to(&format!("/services/manage?done={done}")).into_response(),
        Err(e) => {
            let msg = t.s(&e.body.message, &e.body.message_en).to_string();
            let body = manage_body(st, user, t, None, Some(msg)).await;
            let mut r = page(t, user, body);
            *r.status_mut() = e.status;
            r
        }
    }
}

#[derive(Deserialize)]
struct CentreForm {
    csrf: String,
    name: String,
    address: String,
    opening_hours: String,
}

async fn centre_submit(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<CentreForm>,
) -> Response {
    let t = lang_of(&headers);
    let r = async {
        user.check_csrf(&f.csrf)?;
        let change = ops::CentreChange {
            name: f.name,
            address: f.address,
            opening_hours: f.opening_hours,
            lon: None,
            lat: None,
        };
        ops::update_centre(&st, &user, id, change)
            .await
            .map(|c| c.id)
    }
    .await;
    after(&st, &user, t, r, "centre").await
}

#[derive(Deserialize)]
struct MenuForm {
    csrf: String,
    centre_id: i64,
    name: String,
    description: String,
    #[serde(default)]
    min_age: String,
    #[serde(default)]
    max_age: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    weekdays: String,
    slots: String,
    capacity: String,
}

fn number(field: &str, raw: &str) -> ApiResult<Option<u32>> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse().map(Some).map_err(|_| {
        ApiError::bad_request(
            field,
            format!("“{t}”不是整数"),
            format!("'{t}' is not a whole number"),
        )
    })
}

async fn menu_submit(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Form(f): Form<MenuForm>,
) -> Response {
    let t = lang_of(&headers);
    let r = async {
        user.check_csrf(&f.csrf)?;
        // Weekdays typed as 1-7 separated by commas or spaces (blank: every day).
        let weekdays: Vec<u8> = if f.weekdays.trim().is_empty() {
            (1..=7).collect()
        } else {
            f.weekdays
                .split([',', '，', ' ', '、'])
                .filter(|s| !s.trim().is_empty())
                .map(|s| s.trim().parse::<u8>().unwrap_or(0))
                .collect()
        };
        let input = MenuInput {
            centre_id: f.centre_id,
            name: f.name,
            description: f.description,
            min_age: number("min_age", &f.min_age)?,
            max_age: number("max_age", &f.max_age)?,
            tags: vec![f.tag].into_iter().filter(|t| !t.is_empty()).collect(),
            weekdays,
            slots: f
                .slots
                .split([',', '，', ' ', '、'])
                .filter(|s| !s.trim().is_empty())
                .map(str::to_string)
                .collect(),
            capacity: number("capacity", &f.capacity)?.unwrap_or(0),
        };
        ops::create_menu_item(&st, &user, input).await
    }
    .await;
    after(&st, &user, t, r, "menu").await
}

#[derive(Deserialize)]
struct ProviderForm {
    csrf: String,
    centre_id: i64,
    kind: String,
    name: String,
    offer: String,
}

async fn provider_submit(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Form(f): Form<ProviderForm>,
) -> Response {
    let t = lang_of(&headers);
    let r = async {
        user.check_csrf(&f.csrf)?;
        ops::create_provider(
            &st,
            &user,
            ProviderInput {
                centre_id: f.centre_id,
                kind: f.kind,
                name: f.name,
                offer: f.offer,
            },
        )
        .await
    }
    .await;
    after(&st, &user, t, r, "provider").await
}

#[derive(Deserialize)]
struct AssessmentForm {
    csrf: String,
    kind: String,
    name: String,
    points: String,
    measure: String,
}

async fn assessment_submit(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Form(f): Form<AssessmentForm>,
) -> Response {
    let t = lang_of(&headers);
    let r = async {
        user.check_csrf(&f.csrf)?;
        let Listing::Department(d) = user.listing(List::ServiceCentres) else {
            return Err(super::forbidden(
                "考核项目由牵头部门设置",
                "assessment items are set by the lead department",
            ));
        };
        let points = i64::from(number("points", &f.points)?.unwrap_or(0));
        ops::add_assessment_item(
            &st,
            &user,
            AssessmentInput {
                lead_department: d,
                kind: f.kind,
                name: f.name,
                points,
                measure: f.measure,
            },
        )
        .await
    }
    .await;
    after(&st, &user, t, r, "assessment").await
}

/// 住户标签: the tags of a household, set by who keeps its population base.
pub fn tags_router() -> Router<AppState> {
    Router::new().route(
        "/services/households/{id}/tags",
        get(tags_page).post(tags_submit),
    )
}

#[derive(Template)]
#[template(path = "service_tags.html")]
struct TagsPage {
    c: Chrome,
    household: i64,
    place: String,
    /// (code, label, set)
    tags: Vec<(&'static str, &'static str, bool)>,
    may_edit: bool,
    done: bool,
    error: Option<String>,
}

async fn tags_body(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    done: bool,
    error: Option<String>,
) -> ApiResult<Response> {
    let h = st
        .store
        .household(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("住户 {id}"), format!("household {id}")))?;
    user.may(
        gongzhi_domain::access::Action::ViewHousehold,
        &gongzhi_domain::access::Target::Grid(h.grid),
    )?;
    let set = st.store.household_tags(id).await?;
    let may_edit = user
        .may(
            gongzhi_domain::access::Action::EditPopulation,
            &gongzhi_domain::access::Target::Grid(h.grid),
        )
        .is_ok();
    Ok(render(&TagsPage {
        c: Chrome::new(
            t,
            user,
            "/services/orders",
            t.s("住户标签", "Household tags"),
        ),
        household: id,
        place: format!("{} {} {}", h.address, h.building_name, h.room),
        tags: HouseholdTag::ALL
            .iter()
            .map(|k| (k.as_str(), t.s(k.zh(), k.en()), set.contains(k)))
            .collect(),
        may_edit,
        done,
        error,
    }))
}

#[derive(Deserialize, Default)]
struct TagsQuery {
    done: Option<String>,
}

async fn tags_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<i64>,
    Query(q): Query<TagsQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = tags_body(&st, &user, t, id, q.done.is_some(), None).await;
    page(t, &user, body)
}

async fn tags_submit(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let t = lang_of(&headers);
    let r = async {
        let csrf = f
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        user.check_csrf(csrf)?;
        let tags: Vec<String> = f
            .iter()
            .filter(|(k, _)| k == "tag")
            .map(|(_, v)| v.clone())
            .collect();
        ops::set_tags(&st, &user, id, &tags).await
    }
    .await;
    match r {
        Ok(_) => Redirect::to(&format!("/services/households/{id}/tags?done=1")).into_response(),
        Err(e) => {
            let msg = t.s(&e.body.message, &e.body.message_en).to_string();
            let body = tags_body(&st, &user, t, id, false, Some(msg)).await;
            let mut r = page(t, &user, body);
            *r.status_mut() = e.status;
            r
        }
    }
}
