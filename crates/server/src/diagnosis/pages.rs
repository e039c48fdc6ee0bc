//! The diagnosis pages: the findings (`/diagnosis`: a tab per kind with the test or rule
//! stated, the workbook, "run now" for staff), a finding's page with its evidence, its cases
//! and the two actions (`/diagnosis/findings/{id}`). Every form posts to `/diagnosis/act` and
//! ends in a success message on the page one expects next (the new order, the new case, the
//! refreshed findings).

use super::api::{ListQuery, detail, listed, names};
use super::{describe, ops, scope};
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
use gongzhi_domain::diagnosis::FindingKind;
use gongzhi_store::CaseRow;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/diagnosis", get(list_page))
        .route("/diagnosis/findings/{id}", get(finding_page))
        .route("/diagnosis/act", post(act))
}

fn done_text(t: Lang, what: &str) -> Option<String> {
    let (zh, en) = match what {
        "run" => (
            "诊断已完成，发现已更新",
            "The diagnosis ran; the findings are updated",
        ),
        _ => return None,
    };
    Some(t.s(zh, en).to_string())
}

pub struct Tab {
    pub code: &'static str,
    pub label: String,
    pub count: i64,
    pub active: bool,
}

pub struct Row {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub cases: i64,
    pub score: String,
    pub acted: Option<String>,
}

#[derive(Template)]
#[template(path = "diagnosis.html")]
struct ListPage {
    c: Chrome,
    tabs: Vec<Tab>,
    kind: &'static str,
    method: String,
    rows: Vec<Row>,
    last_run: Option<String>,
    may_run: bool,
    open: bool,
    done: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct ListParams {
    kind: Option<String>,
    open: Option<String>,
    done: Option<String>,
}

async fn list_body(
    st: &AppState,
    user: &User,
    t: Lang,
    p: &ListParams,
    error: Option<String>,
) -> ApiResult<Response> {
    let kind = p
        .kind
        .as_deref()
        .and_then(FindingKind::parse)
        .unwrap_or(FindingKind::Hotspot);
    let open = p.open.as_deref().is_some_and(|v| !v.is_empty());
    let mut f = scope(user)?;
    f.open_only = open;
    let counts = st.store.count_diagnosis_findings(&f).await?;
    let q = ListQuery {
        kind: Some(kind.as_str().into()),
        open: p.open.clone(),
    };
    let rows = listed(st, user, &q).await?;
    let names = names(st).await?;
    let settings = ops::settings(&st.store).await?;
    let last_run = st.store.last_diagnosis_run().await?.map(|r| match t {
        Lang::Zh => format!(
            "最近一次诊断：{}（{}），读取案件 {} 件、基线格 {} 个、流转记录 {} 条，发现 {} 条",
            crate::time::local(r.finished_at),
            r.by_name,
            r.cases_read,
            r.baseline_cells,
            r.moves_read,
            r.findings
        ),
        Lang::En => format!(
            "Last run: {} ({}), {} cases, {} baseline cells and {} moves read, {} findings",
            crate::time::local(r.finished_at),
            r.by_name,
            r.cases_read,
            r.baseline_cells,
            r.moves_read,
            r.findings
        ),
    });
    Ok(render(&ListPage {
        c: Chrome::new(t, user, "/diagnosis", t.s("诊断发现", "Diagnosis")),
        tabs: FindingKind::ALL
            .iter()
            .map(|k| Tab {
                code: k.as_str(),
                label: t.s(k.zh(), k.en()).to_string(),
                count: counts.iter().find(|(x, _)| x == k).map_or(0, |(_, n)| *n),
                active: *k == kind,
            })
            .collect(),
        kind: kind.as_str(),
        method: describe::method(t, kind, &settings),
        rows: rows
            .iter()
            .map(|f| Row {
                id: f.id,
                title: describe::title(t, f),
                summary: describe::evidence(t, f, &names),
                cases: f.case_count,
                score: format!("{:.1}", f.score),
                acted: f.acted_kind.map(|k| t.s(k.zh(), k.en()).to_string()),
            })
            .collect(),
        last_run,
        may_run: super::may_run(user),
        open,
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

/// What was done about a finding: its name, the order's or case's page, when and by whom.
struct Acted {
    what: String,
    href: String,
    when: String,
}

#[derive(Template)]
#[template(path = "diagnosis_finding.html")]
struct FindingPage {
    c: Chrome,
    id: i64,
    kind: &'static str,
    kind_label: String,
    summary: String,
    method: String,
    place: String,
    department: String,
    case_count: i64,
    acted: Option<Acted>,
    cases: Vec<CaseRow>,
    may_supervise: bool,
    may_open_case: bool,
    demand: String,
    description: String,
    error: Option<String>,
}

impl FindingPage {
    fn at(&self, ms: &i64) -> String {
        crate::time::local(*ms)
    }

    fn state(&self, c: &CaseRow) -> String {
        let s = c.case.state;
        self.c.t.s(s.zh(), s.en()).to_string()
    }
}

async fn finding_body(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    typed: (String, String),
    error: Option<String>,
) -> ApiResult<Response> {
    let d = detail(st, user, id).await?;
    let f = &d.finding.finding;
    let settings = ops::settings(&st.store).await?;
    let acted = f.acted_kind.map(|k| {
        let href = match k {
            gongzhi_domain::diagnosis::ActedKind::Supervision => {
                format!("/supervision/{}", f.acted_ref.unwrap_or_default())
            }
            gongzhi_domain::diagnosis::ActedKind::Case => {
                format!("/cases/{}", f.acted_ref.unwrap_or_default())
            }
        };
        Acted {
            what: t.s(k.zh(), k.en()).to_string(),
            href,
            when: format!(
                "{} · {}",
                f.acted_at.map(crate::time::local).unwrap_or_default(),
                f.acted_by_name.clone().unwrap_or_default()
            ),
        }
    });
    let names = names(st).await?;
    Ok(render(&FindingPage {
        c: Chrome::new(t, user, "/diagnosis", &describe::title(t, f)),
        id: f.id,
        kind: f.kind.as_str(),
        kind_label: t.s(f.kind.zh(), f.kind.en()).to_string(),
        summary: describe::evidence(t, f, &names),
        method: describe::method(t, f.kind, &settings),
        place: [f.place_name.clone(), f.grid_name.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · "),
        department: f.department_name.clone().unwrap_or_default(),
        case_count: f.case_count,
        acted,
        cases: d.cases,
        may_supervise: d.may_supervise,
        may_open_case: d.may_open_case,
        demand: typed.0,
        description: typed.1,
        error,
    }))
}

async fn finding_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let t = lang_of(&headers);
    let body = finding_body(&st, &user, t, id, Default::default(), None).await;
    page(t, &user, body)
}

#[derive(Deserialize, Default)]
struct ActForm {
    #[serde(default)]
    csrf: String,
    /// `run`, `supervise`, `case`.
    #[serde(default)]
    what: String,
    id: Option<i64>,
    #[serde(default)]
    demand: String,
    #[serde(default)]
    description: String,
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
            "run" => {
                ops::run_now(&st, &user).await?;
                Ok("/diagnosis?done=run".into())
            }
            "supervise" => {
                let order = ops::supervise(&st, &user, need()?, &f.demand).await?;
                Ok(format!("/supervision/{order}?done=issued"))
            }
            "case" => {
                let case = ops::open_case(&st, &user, need()?, &f.description).await?;
                Ok(format!(
                    "/cases/{case}?done={}",
                    gongzhi_domain::case::CommandKind::Report.as_str()
                ))
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
            let again = match f.id {
                Some(id) => {
                    finding_body(
                        &st,
                        &user,
                        t,
                        id,
                        (f.demand.clone(), f.description.clone()),
                        Some(msg),
                    )
                    .await
                }
                None => list_body(&st, &user, t, &ListParams::default(), Some(msg)).await,
            };
            match again {
                Ok(p) => e.mark(p),
                Err(_) => page(t, &user, Err(e)),
            }
        }
    }
}
