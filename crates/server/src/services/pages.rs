//! The services on a phone: a community's centres and menu (a resident's own community first,
//! any selectable), one service with its order form, the orders (a resident's own; a
//! centre's), and one order with the next step its viewer may take — cancel, assign,
//! complete with notes and photo, rate.

use super::ops::{self, AssignInput, OrderInput};
use super::{is_staff_view, seen, today};
use crate::auth::{PageUser, User, lang_of};
use crate::error::{ApiError, ApiResult};
use crate::http::chrome::{Chrome, render};
use crate::http::pages::page;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongzhi_domain::access::Role;
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::red_grid::mask_party;
use gongzhi_domain::services::OrderState;
use gongzhi_store::{CentrePlace, CentreRow, MenuFilter, MenuItemRow, OrderRow};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/services", get(centres_page))
        .route("/services/items/{id}", get(item_page))
        .route("/services/items/{id}/order", post(order_submit))
        .route("/services/orders", get(orders_page))
        .route("/services/orders/{id}", get(order_page))
        .route("/services/orders/{id}/photo", get(photo))
        .route("/services/orders/{id}/cancel", post(cancel_submit))
        .route("/services/orders/{id}/assign", post(assign_submit))
        .route("/services/orders/{id}/complete", post(complete_submit))
        .route("/services/orders/{id}/rate", post(rate_submit))
}

fn message(t: Lang, e: &ApiError) -> String {
    t.s(&e.body.message, &e.body.message_en).to_string()
}

#[derive(Deserialize, Default)]
struct CommunityQuery {
    community: Option<String>,
}

/// A centre with its menu, for the page.
struct CentreCard {
    centre: CentreRow,
    items: Vec<MenuItemRow>,
}

#[derive(Template)]
#[template(path = "services.html")]
struct CentresPage {
    c: Chrome,
    communities: Vec<(String, String)>,
    chosen: String,
    centres: Vec<CentreCard>,
    staff: bool,
}

/// The communities that have centres and which one the page shows: the asked one, else the
/// caller's own (a resident's linked resident's, a staff member's scope), else the first.
async fn community_of(
    st: &AppState,
    user: &User,
    asked: Option<&str>,
) -> ApiResult<(Vec<(String, String)>, Option<AreaCode>)> {
    let s = seen(user)?;
    let all = st.store.centres(&s.place).await?;
    let mut communities: Vec<(String, String)> = Vec::new();
    for c in &all {
        if !communities
            .iter()
            .any(|(code, _)| code == c.community.as_str())
        {
            communities.push((c.community.to_string(), c.community_name.clone()));
        }
    }
    if let Some(a) = asked.map(str::trim).filter(|a| !a.is_empty()) {
        return Ok((
            communities,
            Some(crate::http::api_geo::parse_area("community", a)?),
        ));
    }
    let own = match user.account.role {
        Role::Resident => st
            .store
            .linked_resident(user.account.id)
            .await?
            .map(|(_, c)| c),
        _ => s
            .place
            .area
            .filter(|a| a.level() == gongzhi_domain::codes::AreaLevel::Community),
    };
    let first = communities
        .first()
        .and_then(|(c, _)| AreaCode::parse(c).ok());
    Ok((communities, own.or(first)))
}

async fn centres_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<CommunityQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let (communities, chosen) = community_of(&st, &user, q.community.as_deref()).await?;
        let mut centres = Vec::new();
        if let Some(c) = chosen {
            let s = super::api::narrowed(&user, Some(c.as_str()))?;
            let place = CentrePlace {
                area: Some(c),
                ..s.place
            };
            for centre in st.store.centres(&place).await? {
                let items = st
                    .store
                    .menu_items(&MenuFilter {
                        centre: Some(centre.id),
                        active_only: true,
                        ..Default::default()
                    })
                    .await?;
                centres.push(CentreCard { centre, items });
            }
        }
        Ok(render(&CentresPage {
            c: Chrome::new(t, &user, "/services", t.s("服务中心", "Service centres")),
            communities,
            chosen: chosen.map(|c| c.to_string()).unwrap_or_default(),
            centres,
            staff: is_staff_view(&user),
        }))
    }
    .await;
    page(t, &user, body)
}

#[derive(Template)]
#[template(path = "service_item.html")]
struct ItemPage {
    c: Chrome,
    item: MenuItemRow,
    centre: CentreRow,
    days: Vec<(String, String)>,
    /// Orders for someone else: staff type the resident's name and phone.
    on_behalf: bool,
    /// Who the resident's own order serves (masked), when its account is linked.
    me: Option<String>,
    error: Option<String>,
}

fn day_label(d: Date) -> String {
    format!("{}（{}）", d, d.weekday().zh())
}

async fn item_body(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    error: Option<String>,
) -> ApiResult<Response> {
    seen(user)?;
    let item = ops::item(st, id).await?;
    let centre = ops::centre(st, item.centre_id).await?;
    let days = item
        .schedule
        .next_days(today(), 7)
        .into_iter()
        .map(|d| (d.to_string(), day_label(d)))
        .collect();
    let resident = user.account.role == Role::Resident;
    let me = if resident {
        match st.store.linked_resident(user.account.id).await? {
            Some((r, _)) => st.store.resident(r).await?.map(|r| mask_party(&r.name)),
            None => None,
        }
    } else {
        None
    };
    Ok(render(&ItemPage {
        c: Chrome::new(t, user, "/services", &item.name),
        item,
        centre,
        days,
        on_behalf: !resident,
        me,
        error,
    }))
}

async fn item_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let t = lang_of(&headers);
    let body = item_body(&st, &user, t, id, None).await;
    page(t, &user, body)
}

#[derive(Deserialize)]
struct OrderForm {
    csrf: String,
    service_date: String,
    slot: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
}

async fn order_submit(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<OrderForm>,
) -> Response {
    let t = lang_of(&headers);
    let placed = async {
        user.check_csrf(&f.csrf)?;
        let input = OrderInput {
            item_id: id,
            service_date: f.service_date.clone(),
            slot: f.slot.clone(),
            resident_id: None,
            name: Some(f.name.clone()).filter(|n| !n.trim().is_empty()),
            phone: Some(f.phone.clone()).filter(|p| !p.trim().is_empty()),
        };
        ops::place_order(&st, Some(&user), input).await
    }
    .await;
    match placed {
        Ok(p) => {
            let done = if p.waiting_position.is_some() {
                "waiting"
            } else {
                "placed"
            };
            Redirect::to(&format!("/services/orders/{}?done={done}", p.order.id)).into_response()
        }
        Err(e) => {
            let body = item_body(&st, &user, t, id, Some(message(t, &e))).await;
            let mut r = page(t, &user, body);
            *r.status_mut() = e.status;
            r
        }
    }
}

#[derive(Deserialize, Default)]
struct OrdersQuery {
    state: Option<String>,
    from: Option<String>,
    to: Option<String>,
    overdue: Option<String>,
    unrated: Option<String>,
    centre: Option<i64>,
}

#[derive(Template)]
#[template(path = "service_orders.html")]
struct OrdersPage {
    c: Chrome,
    orders: Vec<OrderRow>,
    states: Vec<(&'static str, &'static str, bool)>,
    from: String,
    to: String,
    own: bool,
    export: String,
}

async fn orders_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<OrdersQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let pq = super::api::PlaceQuery {
            centre: q.centre,
            state: q.state.clone(),
            from: q.from.clone(),
            to: q.to.clone(),
            overdue: q.overdue.clone(),
            unrated: q.unrated.clone(),
            ..Default::default()
        };
        let f = super::api::order_filter(&user, &pq)?;
        let own = f.mine.is_some();
        let orders = st
            .store
            .service_orders(&f)
            .await?
            .into_iter()
            .map(|mut o| {
                o.resident_name = mask_party(&o.resident_name);
                o
            })
            .collect();
        let chosen = q.state.clone().unwrap_or_default();
        let states = OrderState::ALL
            .iter()
            .map(|s| (s.as_str(), t.s(s.zh(), s.en()), s.as_str() == chosen))
            .collect();
        let mut export = String::from("/api/v1/services/orders.xlsx?");
        for (k, v) in [("state", &q.state), ("from", &q.from), ("to", &q.to)] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                export.push_str(&format!("{k}={v}&"));
            }
        }
        let title = if own {
            t.s("我的服务", "My services")
        } else {
            t.s("服务订单", "Service orders")
        };
        Ok(render(&OrdersPage {
            c: Chrome::new(t, &user, "/services/orders", title),
            orders,
            states,
            from: q.from.clone().unwrap_or_default(),
            to: q.to.clone().unwrap_or_default(),
            own,
            export: export.trim_end_matches(['&', '?']).to_string(),
        }))
    }
    .await;
    page(t, &user, body)
}

#[derive(Template)]
#[template(path = "service_order.html")]
struct OrderPage {
    c: Chrome,
    o: OrderRow,
    done: Option<String>,
    error: Option<String>,
    may_cancel: bool,
    may_fulfil: bool,
    may_rate: bool,
    ratings: Vec<(&'static str, &'static str)>,
}

fn done_text(t: Lang, what: &str) -> Option<String> {
    let (zh, en) = match what {
        "placed" => ("预约成功，已为您保留名额", "Booked: your place is held"),
        "waiting" => (
            "该时段已满，已为您登记候补，有名额空出时自动递补",
            "The slot is full: you are on the waiting list and move up when a place frees",
        ),
        "cancelled" => ("订单已取消", "The order is cancelled"),
        "assigned" => ("已派单", "The order is assigned"),
        "completed" => ("服务已完成", "The service is completed"),
        "rated" => ("感谢您的评价", "Thank you for your rating"),
        _ => return None,
    };
    Some(t.s(zh, en).to_string())
}

async fn order_body(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    done: Option<String>,
    error: Option<String>,
) -> ApiResult<Response> {
    let mut o = ops::visible_order(st, user, id).await?;
    let own = ops::is_own(st, user, &o).await?;
    let fulfil = ops::fulfils(user, &o.community);
    o.resident_name = mask_party(&o.resident_name);
    Ok(render(&OrderPage {
        c: Chrome::new(t, user, "/services/orders", &o.item_name),
        may_cancel: o.state.is_open() && (own || fulfil),
        may_fulfil: fulfil,
        may_rate: own && o.state == OrderState::Completed && o.rating.is_none(),
        ratings: gongzhi_domain::case::Satisfaction::ALL
            .iter()
            .map(|s| (s.as_str(), t.s(s.zh(), s.en())))
            .collect(),
        o,
        done: done.as_deref().and_then(|d| done_text(t, d)),
        error,
    }))
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

async fn order_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = order_body(&st, &user, t, id, q.done, None).await;
    page(t, &user, body)
}

async fn photo(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    match ops::order_photo(&st, &user, id).await {
        Ok((mime, bytes)) => (
            [
                (header::CONTENT_TYPE, mime),
                (header::CACHE_CONTROL, "private, max-age=3600".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => page(lang_of(&headers), &user, Err(e)),
    }
}

/// After an action on an order: to the order with its success message, or back with the error.
async fn after(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    r: ApiResult<()>,
    done: &str,
) -> Response {
    match r {
        Ok(()) => Redirect::to(&format!("/services/orders/{id}?done={done}")).into_response(),
        Err(e) => {
            let body = order_body(st, user, t, id, None, Some(message(t, &e))).await;
            let mut r = page(t, user, body);
            *r.status_mut() = e.status;
            r
        }
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn cancel_submit(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Response {
    let t = lang_of(&headers);
    let r = async {
        user.check_csrf(&f.csrf)?;
        ops::cancel(&st, &user, id).await.map(|_| ())
    }
    .await;
    after(&st, &user, t, id, r, "cancelled").await
}

#[derive(Deserialize)]
struct AssignForm {
    csrf: String,
    assignee_name: String,
    scheduled_at: String,
}

async fn assign_submit(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<AssignForm>,
) -> Response {
    let t = lang_of(&headers);
    let r = async {
        user.check_csrf(&f.csrf)?;
        ops::assign(
            &st,
            &user,
            id,
            AssignInput {
                assignee_name: f.assignee_name,
                provider_id: None,
                scheduled_at: f.scheduled_at,
            },
        )
        .await
    }
    .await;
    after(&st, &user, t, id, r, "assigned").await
}

async fn complete_submit(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> Response {
    let t = lang_of(&headers);
    let r = async {
        let bad = |e: axum::extract::multipart::MultipartError| {
            ApiError::bad_request(
                "form",
                format!("表单提交失败：{e}"),
                format!("the form could not be read: {e}"),
            )
        };
        let (mut csrf, mut notes, mut photo) = (String::new(), String::new(), None);
        while let Some(field) = form.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or("").to_string();
            if name == "photo" {
                let bytes = crate::cases::photos::read_field(field, 1).await?;
                if !bytes.is_empty() {
                    photo = Some(bytes);
                }
                continue;
            }
            let text = field.text().await.map_err(bad)?;
            match name.as_str() {
                "csrf" => csrf = text,
                "notes" => notes = text,
                _ => {}
            }
        }
        user.check_csrf(&csrf)?;
        ops::complete(&st, &user, id, &notes, photo.as_deref()).await
    }
    .await;
    after(&st, &user, t, id, r, "completed").await
}

#[derive(Deserialize)]
struct RateForm {
    csrf: String,
    rating: String,
}

async fn rate_submit(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<RateForm>,
) -> Response {
    let t = lang_of(&headers);
    let r = async {
        user.check_csrf(&f.csrf)?;
        ops::rate(&st, &user, id, &f.rating).await
    }
    .await;
    after(&st, &user, t, id, r, "rated").await
}
