//! The emergency pages: the list (`/emergencies`: filters, workbook, starting a drill for those
//! who run them), the live board (`/emergencies/{id}`, phone first: acknowledge and check in,
//! the levels with their timers, the map of check-ins; `/emergencies/{id}/live` is its live
//! part, fetched every few seconds), the escalation settings (`/emergencies/settings`). Every
//! form posts to `/emergencies/act` and ends in a success message on the page one expects.

use super::api::{ListQuery, listed, view};
use super::ops::{self, DrillInput};
use super::views::{BoardView, mm_ss};
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
use gongzhi_domain::access::Action;
use gongzhi_domain::emergency::{self as rules, Tier};
use gongzhi_store::EmergencyRow;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/emergencies", get(list_page))
        .route("/emergencies/settings", get(settings_page))
        .route("/emergencies/act", post(act))
        .route("/emergencies/{id}", get(board_page))
        .route("/emergencies/{id}/live", get(live_part))
}

fn done_text(t: Lang, what: &str) -> Option<String> {
    let (zh, en) = match what {
        "acknowledged" => ("已签收，计时已记录", "Acknowledged; the time is recorded"),
        "checked_in" => (
            "已到场报到，位置已上图",
            "Checked in; your position is on the map",
        ),
        "drill" => (
            "演练已开始，各级已收到演练警报",
            "The drill has started; every level got its drill alert",
        ),
        "ended" => (
            "演练已结束，总结见下方",
            "The drill is over; see its summary below",
        ),
        "settings" => ("应急升级时限已保存", "The escalation minutes are saved"),
        _ => return None,
    };
    Some(t.s(zh, en).to_string())
}

/// One level's line, as the board shows it.
pub struct LineText {
    pub tier: &'static str,
    pub name: String,
    pub alerted: String,
    pub acknowledged: String,
    pub by: String,
    /// Unix ms of the acknowledgement, for the live timer since it.
    pub ack_at: Option<i64>,
    pub responsible: bool,
    pub escalated: bool,
}

pub struct CheckInText {
    pub name: String,
    pub at: String,
    pub lon: f64,
    pub lat: f64,
}

/// The live part of the board, already in words.
pub struct Live {
    pub reported_at: i64,
    pub now: i64,
    pub since_report: String,
    pub next_at: Option<i64>,
    pub to_next: String,
    pub stage: String,
    pub closed: bool,
    pub lines: Vec<LineText>,
    pub check_ins: Vec<CheckInText>,
    pub summary: Vec<(String, String)>,
}

fn live(t: Lang, v: &BoardView) -> Live {
    let at = |ms: i64| crate::time::local(ms);
    let e = &v.emergency;
    let end = e.closed_at.unwrap_or(v.now);
    Live {
        reported_at: e.reported_at,
        now: v.now,
        since_report: mm_ss(e.reported_at, end),
        next_at: v.next_escalation_at,
        to_next: v
            .next_escalation_at
            .map(|n| mm_ss(v.now, n))
            .unwrap_or_default(),
        stage: t.s(e.stage.zh(), e.stage.en()).to_string(),
        closed: e.closed_at.is_some(),
        lines: v
            .levels
            .iter()
            .map(|l| LineText {
                tier: l.tier,
                name: t.s(&l.name, &l.name_en).to_string(),
                alerted: l.alerted_at.map(at).unwrap_or_default(),
                acknowledged: l.acknowledged_at.map(at).unwrap_or_default(),
                by: l.acknowledged_by.clone().unwrap_or_default(),
                ack_at: l.acknowledged_at,
                responsible: l.responsible,
                escalated: l.escalated_at.is_some(),
            })
            .collect(),
        check_ins: v
            .check_ins
            .iter()
            .filter_map(|c| {
                Some(CheckInText {
                    name: c.name.clone(),
                    at: at(c.at),
                    lon: c.lon?,
                    lat: c.lat?,
                })
            })
            .collect(),
        summary: v
            .time_to_acknowledge
            .iter()
            .map(|(tier, ms)| {
                let name = Tier::parse(tier)
                    .map(|x| t.s(x.zh(), x.en()).to_string())
                    .unwrap_or_default();
                let took = match ms {
                    Some(ms) => mm_ss(0, *ms),
                    None => t.s("未签收", "not acknowledged").to_string(),
                };
                (name, took)
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "emergencies.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<(EmergencyRow, String)>,
    drill: String,
    all: bool,
    query: String,
    may_drill: bool,
    may_set: bool,
    done: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct ListParams {
    drill: Option<String>,
    all: Option<String>,
    done: Option<String>,
}

/// Whether the caller runs drills somewhere (a district or street, or the city).
fn may_drill(user: &User) -> bool {
    user.may(
        Action::ManageEmergencies,
        &crate::http::chrome::home_target(user),
    )
    .is_ok()
}

async fn list_body(
    st: &AppState,
    user: &User,
    t: Lang,
    p: &ListParams,
    error: Option<String>,
) -> ApiResult<Response> {
    let q = ListQuery {
        drill: p.drill.clone(),
        all: p.all.clone(),
    };
    let rows = listed(st, user, &q).await?;
    let mut parts = Vec::new();
    if let Some(d) = p.drill.as_deref().filter(|d| !d.is_empty()) {
        parts.push(format!("drill={d}"));
    }
    if p.all.as_deref() == Some("1") {
        parts.push("all=1".to_string());
    }
    Ok(render(&ListPage {
        c: Chrome::new(t, user, "/emergencies", t.s("应急指挥", "Emergencies")),
        rows: rows
            .into_iter()
            .map(|e| {
                let at = crate::time::local(e.reported_at);
                (e, at)
            })
            .collect(),
        drill: p.drill.clone().unwrap_or_default(),
        all: p.all.as_deref() == Some("1"),
        query: if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        },
        may_drill: may_drill(user),
        may_set: ops::may_set(user),
        done: p.done.as_deref().and_then(|d| done_text(t, d)),
        error,
    }))
}

async fn list_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(p): Query<ListParams>,
) -> Response {
    let t = lang_of(&headers);
    let body = list_body(&st, &user, t, &p, None).await;
    page(t, &user, body)
}

#[derive(Template)]
#[template(path = "emergency.html")]
struct BoardPage {
    c: Chrome,
    e: EmergencyRow,
    l: Live,
    place: String,
    may_ack: bool,
    may_check_in: bool,
    may_end: bool,
    done: Option<String>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "emergency_live.html")]
struct LivePart {
    c: LiveLang,
    l: Live,
}

/// The language alone, for the live part (it has no menu).
struct LiveLang {
    t: Lang,
}

#[derive(Deserialize, Default)]
struct BoardParams {
    done: Option<String>,
}

async fn board_body(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    done: Option<String>,
    error: Option<String>,
) -> ApiResult<Response> {
    let v = view(st, user, id).await?;
    let e = v.emergency.clone();
    let p = user.principal();
    let place = e.place();
    let tier = rules::tier_of(&p, &place);
    let acked = v
        .levels
        .iter()
        .any(|l| Some(l.tier) == tier.map(|x| x.as_str()) && l.acknowledged_at.is_some());
    let open = e.closed_at.is_none();
    let place_name = [
        e.community_name.clone(),
        e.grid.map(|g| format!("{} {g}", t.s("网格", "grid"))),
        e.department_name.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    Ok(render(&BoardPage {
        c: Chrome::new(t, user, "/emergencies", t.s("应急指挥", "Emergencies")),
        l: live(t, &v),
        place: place_name,
        may_ack: open && tier.is_some() && !acked,
        may_check_in: open && rules::may(&p, Action::RespondEmergency, &place).is_ok(),
        may_end: open && e.drill && rules::may(&p, Action::ManageEmergencies, &place).is_ok(),
        e,
        done: done.as_deref().and_then(|d| done_text(t, d)),
        error,
    }))
}

async fn board_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(p): Query<BoardParams>,
) -> Response {
    let t = lang_of(&headers);
    let body = board_body(&st, &user, t, id, p.done, None).await;
    page(t, &user, body)
}

async fn live_part(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let v = view(&st, &user, id).await?;
        Ok(render(&LivePart {
            c: LiveLang { t },
            l: live(t, &v),
        }))
    }
    .await;
    page(t, &user, body)
}

#[derive(Template)]
#[template(path = "emergency_settings.html")]
struct SettingsPage {
    c: Chrome,
    m: [u32; 4],
    done: Option<String>,
    error: Option<String>,
}

async fn settings_body(
    st: &AppState,
    user: &User,
    t: Lang,
    done: Option<String>,
    error: Option<String>,
) -> ApiResult<Response> {
    if !ops::may_set(user) {
        return Err(ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            "forbidden",
            "只有市级管理员可以设置应急升级时限",
            "only city-wide administrators set the escalation minutes",
        ));
    }
    Ok(render(&SettingsPage {
        c: Chrome::new(
            t,
            user,
            "/emergencies",
            t.s("应急升级时限", "Escalation minutes"),
        ),
        m: st.store.emergency_minutes().await?.0,
        done: done.as_deref().and_then(|d| done_text(t, d)),
        error,
    }))
}

async fn settings_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(p): Query<BoardParams>,
) -> Response {
    let t = lang_of(&headers);
    let body = settings_body(&st, &user, t, p.done, None).await;
    page(t, &user, body)
}

#[derive(Deserialize, Default)]
struct ActForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    what: String,
    id: Option<i64>,
    #[serde(default)]
    lon: String,
    #[serde(default)]
    lat: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    community: String,
    #[serde(default)]
    grid: String,
    #[serde(default)]
    department: String,
    grid_minutes: Option<u32>,
    community_minutes: Option<u32>,
    street_minutes: Option<u32>,
    district_minutes: Option<u32>,
}

fn number(s: &str) -> Option<f64> {
    s.trim().parse().ok()
}

async fn act(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Form(f): Form<ActForm>,
) -> Response {
    let t = lang_of(&headers);
    let need = || {
        f.id.ok_or_else(|| ApiError::bad_request("id", "缺少编号", "missing id"))
    };
    let result: ApiResult<String> = async {
        user.check_csrf(&f.csrf)?;
        match f.what.as_str() {
            "acknowledge" => {
                let id = need()?;
                ops::acknowledge(&st, &user, id).await?;
                Ok(format!("/emergencies/{id}?done=acknowledged"))
            }
            "check_in" => {
                let id = need()?;
                ops::check_in(&st, &user, id, number(&f.lon), number(&f.lat)).await?;
                Ok(format!("/emergencies/{id}?done=checked_in"))
            }
            "drill" => {
                let id = ops::start_drill(
                    &st,
                    &user,
                    &DrillInput {
                        title: f.title.clone(),
                        community: f.community.clone(),
                        grid: f.grid.clone(),
                        department: f.department.clone(),
                        lon: number(&f.lon),
                        lat: number(&f.lat),
                    },
                )
                .await?;
                Ok(format!("/emergencies/{id}?done=drill"))
            }
            "end" => {
                let id = need()?;
                ops::end_drill(&st, &user, id).await?;
                Ok(format!("/emergencies/{id}?done=ended"))
            }
            "settings" => {
                ops::set_minutes(
                    &st,
                    &user,
                    [
                        f.grid_minutes,
                        f.community_minutes,
                        f.street_minutes,
                        f.district_minutes,
                    ],
                )
                .await?;
                Ok("/emergencies/settings?done=settings".to_string())
            }
            _ => Err(ApiError::bad_request(
                "what",
                "未知的操作",
                "unknown action",
            )),
        }
    }
    .await;
    match result {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(e) => {
            let msg = t.s(&e.body.message, &e.body.message_en).to_string();
            let status = e.status;
            let body = match (f.what.as_str(), f.id) {
                ("settings", _) => settings_body(&st, &user, t, None, Some(msg)).await,
                (_, Some(id)) if f.what != "drill" => {
                    board_body(&st, &user, t, id, None, Some(msg)).await
                }
                _ => list_body(&st, &user, t, &ListParams::default(), Some(msg)).await,
            };
            let mut resp = page(t, &user, body);
            *resp.status_mut() = status;
            resp
        }
    }
}
