//! Discipline supervision's desk: `/conduct` (work first — new reports, signals waiting, my
//! investigations — then the reports it lists with filters and the workbook) and a report's
//! page (`/conduct/reports/{id}`) with the steps its state allows; every form posts to
//! `/conduct/act` and ends in a success message on the report's page. A resident or staff
//! member who filed reports sees only those, with their state and the public answer.

use super::ops::{self, ActionInput, ConcludeInput, ListQuery, ReportDetail};
use super::{encode, supervises};
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
use gongzhi_domain::access::{Action, Target};
use gongzhi_domain::conduct::{
    AccountabilityAction, Conclusion, GovernmentSanction, PartyDiscipline, ReportChannel,
    ReportState,
};
use gongzhi_store::MisconductReportRow;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/conduct", get(desk_page))
        .route("/conduct/reports/{id}", get(report_page))
        .route("/conduct/act", post(act))
}

fn done_text(t: Lang, what: &str) -> Option<String> {
    let (zh, en) = match what {
        "filed" => ("举报已登记", "The report is filed"),
        "accepted" => ("已受理", "The report is accepted"),
        "dismissed" => (
            "已作不予受理处理，理由将告知举报人",
            "The report is dismissed; the reporter sees the reason",
        ),
        "assigned" => (
            "承办人已指定，进入核查",
            "Investigators assigned: the investigation is open",
        ),
        "evidence" => ("证据已补充", "The evidence is added"),
        "concluded" => (
            "已办结，结论已向举报人公开",
            "Concluded; the reporter sees the answer",
        ),
        "action" => ("问责已登记", "The accountability action is recorded"),
        "signal" => ("已根据线索立项", "A report is opened from the signal"),
        _ => return None,
    };
    Some(t.s(zh, en).to_string())
}

/// One count on the desk and where its reports are listed.
pub struct DeskTile {
    pub key: &'static str,
    pub label: String,
    pub count: i64,
    pub href: String,
    pub alert: bool,
}

#[derive(Template)]
#[template(path = "conduct.html")]
struct DeskPage {
    c: Chrome,
    tiles: Vec<DeskTile>,
    reports: Vec<MisconductReportRow>,
    supervises: bool,
    states: Vec<(&'static str, String)>,
    categories: Vec<(String, String)>,
    channels: Vec<(&'static str, String)>,
    q: ListQuery,
    query: String,
}

impl DeskPage {
    fn day(&self, ms: &i64) -> String {
        gongzhi_domain::calendar::date_of(*ms).to_string()
    }
    fn sel(&self, v: &Option<String>, code: &str) -> bool {
        v.as_deref() == Some(code)
    }
}

async fn desk_body(st: &AppState, user: &User, t: Lang, q: ListQuery) -> ApiResult<Response> {
    let reports = ops::listed(st, user, &q).await?;
    let sup = supervises(user);
    let tiles = if sup {
        super::work::desk_tiles(st, user, t).await?
    } else {
        Vec::new()
    };
    let mut parts = Vec::new();
    for (k, v) in [
        ("state", &q.state),
        ("category", &q.category),
        ("channel", &q.channel),
        ("q", &q.q),
        ("mine", &q.mine),
    ] {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", encode(v)));
        }
    }
    Ok(render(&DeskPage {
        c: Chrome::new(
            t,
            user,
            "/conduct",
            t.s("消极怠政举报", "Misconduct reports"),
        ),
        tiles,
        reports,
        supervises: sup,
        states: ReportState::ALL
            .iter()
            .map(|s| (s.as_str(), t.s(s.zh(), s.en()).to_string()))
            .collect(),
        categories: st
            .store
            .misconduct_categories(true)
            .await?
            .into_iter()
            .map(|c| {
                let l = c.label(t.is_en()).to_string();
                (c.code, l)
            })
            .collect(),
        channels: ReportChannel::ALL
            .iter()
            .map(|c| (c.as_str(), t.s(c.zh(), c.en()).to_string()))
            .collect(),
        query: if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        },
        q,
    }))
}

async fn desk_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = desk_body(&st, &user, t, q).await;
    page(t, &user, body)
}

#[derive(Template)]
#[template(path = "conduct_case.html")]
struct ReportPage {
    c: Chrome,
    d: ReportDetail,
    done: Option<String>,
    error: Option<String>,
    /// Supervision accounts that may be assigned: (username, name).
    investigators: Vec<(String, String)>,
    actions: Vec<(&'static str, String)>,
    government: Vec<(&'static str, String)>,
    party: Vec<(&'static str, String)>,
    conclusions: Vec<(&'static str, String)>,
    today: String,
}

impl ReportPage {
    fn at(&self, ms: &i64) -> String {
        crate::time::local(*ms)
    }
    fn state_is(&self, s: &str) -> bool {
        self.d.report.state.as_str() == s
    }
    fn may_act(&self) -> bool {
        self.d.may_investigate
            && (self.d.report.state == ReportState::Investigating
                || self.d.report.conclusion == Some(Conclusion::Substantiated))
    }
}

async fn report_body(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    done: Option<String>,
    error: Option<String>,
) -> ApiResult<Response> {
    let d = ops::detail(st, user, id).await?;
    let mut investigators = Vec::new();
    if d.may_investigate {
        for a in st.store.accounts().await? {
            let ok = !a.disabled
                && gongzhi_domain::access::decide(
                    &a.principal(),
                    Action::InvestigateMisconduct,
                    &Target::Area(d.report.area),
                )
                .is_ok()
                && a.role == gongzhi_domain::access::Role::Supervisor;
            if ok {
                investigators.push((a.username.clone(), a.display_name.clone()));
            }
        }
    }
    let title = format!("{} · {}", t.s("举报", "Report"), d.report.category_name);
    Ok(render(&ReportPage {
        c: Chrome::new(t, user, "/conduct", &title),
        d,
        done: done.as_deref().and_then(|w| done_text(t, w)),
        error,
        investigators,
        actions: AccountabilityAction::ALL
            .iter()
            .map(|a| (a.as_str(), t.s(a.zh(), a.en()).to_string()))
            .collect(),
        government: GovernmentSanction::ALL
            .iter()
            .map(|a| (a.as_str(), t.s(a.zh(), a.en()).to_string()))
            .collect(),
        party: PartyDiscipline::ALL
            .iter()
            .map(|a| (a.as_str(), t.s(a.zh(), a.en()).to_string()))
            .collect(),
        conclusions: Conclusion::ALL
            .iter()
            .map(|a| (a.as_str(), t.s(a.zh(), a.en()).to_string()))
            .collect(),
        today: super::today().to_string(),
    }))
}

/// The report's page with a message, for a refused upload.
pub(super) async fn report_page_with(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    error: String,
) -> ApiResult<Response> {
    report_body(st, user, t, id, None, Some(error)).await
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

async fn report_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = report_body(&st, &user, t, id, q.done, None).await;
    page(t, &user, body)
}

#[derive(Deserialize, Default)]
struct ActForm {
    #[serde(default)]
    csrf: String,
    /// `accept`, `dismiss`, `assign`, `evidence`, `conclude`, `action`.
    #[serde(default)]
    what: String,
    id: i64,
    #[serde(default)]
    reason: String,
    /// `assign`: one username (the form's select).
    #[serde(default)]
    investigator: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    conclusion: String,
    #[serde(default)]
    findings: String,
    #[serde(default)]
    public_text: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    sanction: String,
    #[serde(default)]
    official_post: String,
    decided_on: Option<String>,
    #[serde(default)]
    basis: String,
}

async fn act(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Form(f): Form<ActForm>,
) -> Response {
    let t = lang_of(&headers);
    let result: ApiResult<&'static str> = async {
        user.check_csrf(&f.csrf)?;
        match f.what.as_str() {
            "accept" => ops::accept(&st, &user, f.id).await.map(|_| "accepted"),
            "dismiss" => ops::dismiss(&st, &user, f.id, &f.reason)
                .await
                .map(|_| "dismissed"),
            "assign" => ops::assign(&st, &user, f.id, std::slice::from_ref(&f.investigator))
                .await
                .map(|_| "assigned"),
            "evidence" => ops::add_evidence(&st, &user, f.id, &f.note)
                .await
                .map(|_| "evidence"),
            "conclude" => ops::conclude(
                &st,
                &user,
                f.id,
                &ConcludeInput {
                    conclusion: f.conclusion.clone(),
                    findings: f.findings.clone(),
                    public_text: f.public_text.clone(),
                },
            )
            .await
            .map(|_| "concluded"),
            "action" => ops::hold_accountable(
                &st,
                &user,
                f.id,
                &ActionInput {
                    action: f.action.clone(),
                    sanction: f.sanction.clone(),
                    official_post: f.official_post.clone(),
                    unit_kind: String::new(),
                    unit_code: String::new(),
                    decided_on: f.decided_on.clone(),
                    basis: f.basis.clone(),
                },
            )
            .await
            .map(|_| "action"),
            other => Err(ApiError::bad_request(
                "what",
                format!("未知的操作：{other}"),
                format!("unknown form: {other}"),
            )),
        }
    }
    .await;
    match result {
        Ok(what) => Redirect::to(&format!("/conduct/reports/{}?done={what}", f.id)).into_response(),
        Err(e) => {
            let msg = crate::cases::service::message(&e, t.is_en());
            match report_body(&st, &user, t, f.id, None, Some(msg)).await {
                Ok(p) => e.mark(p),
                Err(_) => page(t, &user, Err(e)),
            }
        }
    }
}
