//! The supervision pages: the board (`/supervision`: counts, filters, workbook, the open
//! accountability suggestions, the clock settings for those who set them), an order's page
//! with its history and the forms of the unit and of the issuer (`/supervision/{id}`), the
//! issuing form for an item (`/supervision/new?kind=…&id=…`). Every form posts to
//! `/supervision/act` and ends in a success message on the order's (or the board's) page.

use super::api::{BoardQuery, Counts, OrderDetail, counts, detail, listed, open_suggestions};
use super::ops::{self, IssueInput};
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
use gongzhi_domain::supervision::{ClockSettings, Stage, SupervisedKind};
use gongzhi_store::{SuggestionRow, SupervisedItem, SupervisionRow, now_millis};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/supervision", get(board_page))
        .route("/supervision/new", get(new_page))
        .route("/supervision/{id}", get(order_page))
        .route("/supervision/act", post(act))
        .route(
            "/supervision/suggestions/{id}/report",
            post(report_suggestion),
        )
}

fn done_text(t: Lang, what: &str) -> Option<String> {
    let (zh, en) = match what {
        "issued" => ("督办已发出", "The supervision order is issued"),
        "acknowledge" => ("已签收督办", "The order is acknowledged"),
        "progress" => ("进展已报告", "The progress is reported"),
        "done" => (
            "已答复办结，等待督办方审核",
            "Answered as done; awaiting review",
        ),
        "accepted" => ("督办已办结", "The order is closed"),
        "returned" => ("答复已退回", "The answer is sent back"),
        "settings" => ("督办时限设置已保存", "The supervision clock is saved"),
        _ => return None,
    };
    Some(t.s(zh, en).to_string())
}

/// A row of the board: the order and its stage as of now.
pub struct BoardRow {
    pub o: SupervisionRow,
    pub stage: Stage,
    pub due: String,
}

#[derive(Template)]
#[template(path = "supervision.html")]
struct BoardPage {
    c: Chrome,
    counts: Counts,
    rows: Vec<BoardRow>,
    /// The open suggestions, and whether the caller may make each a misconduct report.
    suggestions: Vec<(SuggestionRow, bool)>,
    stages: Vec<(&'static str, String)>,
    kinds: Vec<(&'static str, String)>,
    units: Vec<(String, String)>,
    stage: String,
    kind: String,
    unit: String,
    overdue: bool,
    query: String,
    settings: Option<ClockSettings>,
    done: Option<String>,
    error: Option<String>,
}

impl BoardPage {
    fn at(&self, ms: &i64) -> String {
        crate::time::local(*ms)
    }
}

#[derive(Deserialize, Default)]
struct BoardParams {
    stage: Option<String>,
    kind: Option<String>,
    unit: Option<String>,
    overdue: Option<String>,
    mine: Option<String>,
    done: Option<String>,
}

async fn board_body(
    st: &AppState,
    user: &User,
    t: Lang,
    p: &BoardParams,
    error: Option<String>,
) -> ApiResult<Response> {
    let now = now_millis();
    let q = BoardQuery {
        stage: p.stage.clone(),
        kind: p.kind.clone(),
        unit: p.unit.clone(),
        overdue: p.overdue.clone(),
        all: None,
        mine: p.mine.clone(),
    };
    let orders = listed(st, user, &q, now).await?;
    // The units to filter by: those of the orders the caller lists at all.
    let mut units: Vec<(String, String)> = listed(st, user, &BoardQuery::default(), now)
        .await?
        .into_iter()
        .map(|o| (o.unit_code, o.unit_name))
        .collect();
    units.sort();
    units.dedup();
    let mut parts = Vec::new();
    for (k, v) in [
        ("stage", &p.stage),
        ("kind", &p.kind),
        ("unit", &p.unit),
        ("overdue", &p.overdue),
        ("mine", &p.mine),
    ] {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", crate::cobuild::encode(v)));
        }
    }
    let settings = if super::settings::may_set(user) {
        Some(super::settings::current(st).await?)
    } else {
        None
    };
    Ok(render(&BoardPage {
        c: Chrome::new(t, user, "/supervision", t.s("督办", "Supervision")),
        counts: counts(&orders, now),
        rows: orders
            .into_iter()
            .map(|o| BoardRow {
                stage: o.stage_at(now),
                due: crate::time::local(o.due_at),
                o,
            })
            .collect(),
        suggestions: open_suggestions(st, user)
            .await?
            .into_iter()
            .map(|s| {
                let may = ops::may_report_suggestion(user, &s);
                (s, may)
            })
            .collect(),
        stages: Stage::ALL
            .iter()
            .map(|s| (s.as_str(), t.s(s.zh(), s.en()).to_string()))
            .collect(),
        kinds: SupervisedKind::ALL
            .iter()
            .map(|k| (k.as_str(), t.s(k.zh(), k.en()).to_string()))
            .collect(),
        units,
        stage: p.stage.clone().unwrap_or_default(),
        kind: p.kind.clone().unwrap_or_default(),
        unit: p.unit.clone().unwrap_or_default(),
        overdue: p.overdue.as_deref().is_some_and(|v| !v.is_empty()),
        query: if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        },
        settings,
        done: p.done.as_deref().and_then(|d| done_text(t, d)),
        error,
    }))
}

async fn board_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(p): Query<BoardParams>,
) -> Response {
    let t = lang_of(&headers);
    let body = board_body(&st, &user, t, &p, None).await;
    page(t, &user, body)
}

#[derive(Template)]
#[template(path = "supervision_order.html")]
struct OrderPage {
    c: Chrome,
    d: OrderDetail,
    days: String,
    subject_href: String,
    done: Option<String>,
    error: Option<String>,
}

impl OrderPage {
    fn at(&self, ms: &i64) -> String {
        crate::time::local(*ms)
    }

    fn history_zh(&self, kind: &str) -> String {
        let zh = match kind {
            "issued" => "发出督办",
            "warned" => "即将到期提醒",
            "overdue" => "已逾期",
            "noticed" => "发出督办通知",
            "suggested" => "建议问责",
            "acknowledge" => "签收",
            "progress" => "进展报告",
            "done" => "答复办结",
            "accepted" => "审核通过，督办办结",
            "returned" => "退回重办",
            _ => "其他",
        };
        let en = match kind {
            "issued" => "Issued",
            "warned" => "Reminder: due soon",
            "overdue" => "Overdue",
            "noticed" => "Supervision notice",
            "suggested" => "Accountability suggested",
            "acknowledge" => "Acknowledged",
            "progress" => "Progress report",
            "done" => "Answered as done",
            "accepted" => "Accepted and closed",
            "returned" => "Sent back",
            _ => "Other",
        };
        self.c.t.s(zh, en).to_string()
    }
}

/// Where the supervised item's own page is.
fn subject_href(o: &SupervisionRow) -> String {
    match o.kind {
        SupervisedKind::Case => format!("/cases/{}", o.subject_id),
        SupervisedKind::Task => "/deliberation/resolutions".into(),
        SupervisedKind::Commitment => "/cobuild".into(),
        SupervisedKind::Project => format!("/livelihood/projects/{}", o.subject_id),
    }
}

async fn order_body(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    done: Option<String>,
    error: Option<String>,
) -> ApiResult<Response> {
    let d = detail(st, user, id).await?;
    Ok(render(&OrderPage {
        c: Chrome::new(
            t,
            user,
            "/supervision",
            &format!("{} {}", t.s("督办", "Supervision order"), d.order.id),
        ),
        days: super::days_text(d.order.days, d.order.working, t.is_en()),
        subject_href: subject_href(&d.order),
        d,
        done: done.as_deref().and_then(|w| done_text(t, w)),
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

#[derive(Template)]
#[template(path = "supervision_new.html")]
struct NewPage {
    c: Chrome,
    item: SupervisedItem,
    kind_label: String,
    unit_name: String,
    clock: String,
    demand: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct NewQuery {
    #[serde(default)]
    kind: String,
    id: Option<i64>,
}

async fn new_body(
    st: &AppState,
    user: &User,
    t: Lang,
    kind: &str,
    id: Option<i64>,
    demand: String,
    error: Option<String>,
) -> ApiResult<Response> {
    let kind = SupervisedKind::parse_or(kind).map_err(super::invalid)?;
    let item = ops::item(st, kind, id).await?;
    if !ops::may_issue(user, &item) {
        return Err(super::forbidden(
            "您不能督办该事项",
            "you may not issue a supervision order on this item",
        ));
    }
    let unit = item.unit();
    let unit_name = match &unit {
        gongzhi_domain::supervision::Unit::Department(d) => st
            .store
            .department(d)
            .await?
            .map(|r| r.name)
            .unwrap_or_else(|| d.clone()),
        gongzhi_domain::supervision::Unit::Area(a) => st
            .store
            .area(a)
            .await?
            .map(|r| r.name)
            .unwrap_or_else(|| a.to_string()),
    };
    let s = super::settings::current(st).await?;
    let clock = format!(
        "{}{}",
        super::days_text(i64::from(s.days), s.working, t.is_en()),
        t.s(
            &format!(
                "，到期前 {} 天提醒，逾期 {} 天发督办通知，逾期 {} 天建议问责",
                s.warn_days, s.notice_after_days, s.suggest_after_days
            ),
            &format!(
                "; reminded {} days before, notice {} days and accountability {} days after the due time",
                s.warn_days, s.notice_after_days, s.suggest_after_days
            ),
        )
    );
    Ok(render(&NewPage {
        c: Chrome::new(
            t,
            user,
            "/supervision",
            t.s("发出督办", "Issue a supervision order"),
        ),
        kind_label: t.s(kind.zh(), kind.en()).to_string(),
        item,
        unit_name,
        clock,
        demand,
        error,
    }))
}

async fn new_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<NewQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = new_body(&st, &user, t, &q.kind, q.id, String::new(), None).await;
    page(t, &user, body)
}

#[derive(Deserialize, Default)]
struct ActForm {
    #[serde(default)]
    csrf: String,
    /// `issue`, `reply`, `review`, `settings`.
    #[serde(default)]
    what: String,
    id: Option<i64>,
    #[serde(default)]
    kind: String,
    subject_id: Option<i64>,
    #[serde(default)]
    demand: String,
    #[serde(default)]
    note: String,
    /// On `review`: "accept" or "return".
    #[serde(default)]
    decision: String,
    days: Option<u32>,
    working: Option<String>,
    warn_days: Option<u32>,
    notice_after_days: Option<u32>,
    suggest_after_days: Option<u32>,
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

/// 转为消极怠政问题: the report's page, with its success message; or the board with the reason.
async fn report_suggestion(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Response {
    let t = lang_of(&headers);
    let r = async {
        user.check_csrf(&f.csrf)?;
        ops::report_suggestion(&st, &user, id).await
    }
    .await;
    match r {
        Ok(report) => {
            Redirect::to(&format!("/conduct/reports/{report}?done=filed")).into_response()
        }
        Err(e) => page(t, &user, Err(e)),
    }
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
            "issue" => {
                let id = ops::issue(
                    &st,
                    &user,
                    &IssueInput {
                        kind: f.kind.clone(),
                        subject_id: f.subject_id,
                        demand: f.demand.clone(),
                    },
                )
                .await?;
                Ok(format!("/supervision/{id}?done=issued"))
            }
            "reply" => {
                let id = need()?;
                ops::reply(&st, &user, id, &f.kind, &f.note).await?;
                Ok(format!("/supervision/{id}?done={}", f.kind.trim()))
            }
            "review" => {
                let id = need()?;
                let accept = f.decision == "accept";
                ops::review(&st, &user, id, accept, &f.note).await?;
                Ok(format!(
                    "/supervision/{id}?done={}",
                    if accept { "accepted" } else { "returned" }
                ))
            }
            "settings" => {
                let d = ClockSettings::default();
                super::settings::set(
                    &st,
                    &user,
                    ClockSettings {
                        days: f.days.unwrap_or(d.days),
                        working: f.working.as_deref() == Some("true"),
                        warn_days: f.warn_days.unwrap_or(d.warn_days),
                        notice_after_days: f.notice_after_days.unwrap_or(d.notice_after_days),
                        suggest_after_days: f.suggest_after_days.unwrap_or(d.suggest_after_days),
                    },
                )
                .await?;
                Ok("/supervision?done=settings".into())
            }
            other => Err(ApiError::bad_request(
                "what",
                format!("未知的操作：{other}"),
                format!("unknown form: {other}"),
            )),
        }
    }
    .await;
    match result {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(e) => {
            let msg = crate::cases::service::message(&e, t.is_en());
            // The page the form was on comes back with the message naming the field.
            let again = match (f.what.as_str(), f.id) {
                ("issue", _) => {
                    new_body(
                        &st,
                        &user,
                        t,
                        &f.kind,
                        f.subject_id,
                        f.demand.clone(),
                        Some(msg),
                    )
                    .await
                }
                (_, Some(id)) => order_body(&st, &user, t, id, None, Some(msg)).await,
                _ => board_body(&st, &user, t, &BoardParams::default(), Some(msg)).await,
            };
            match again {
                Ok(p) => e.mark(p),
                Err(_) => page(t, &user, Err(e)),
            }
        }
    }
}
