//! The livelihood pages: the four databases with the boxes and the handbook's link
//! (`/livelihood?tab=projects|responsibilities|inspections|investigations`), a project's page
//! (`/livelihood/projects/{id}`) and the printable handbook (`/livelihood/handbook`). Every
//! form posts to `/livelihood/act` and ends in a success message on the page one expects next.

use super::api::{ListQuery, ProjectDetail, detail, listed_projects, listed_responsibilities};
use super::ops::{
    self, InspectionInput, InvestigationInput, ProgressInput, ProjectInput, ResponsibilityInput,
};
use super::{may_manage, scope};
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
use gongzhi_domain::access::{List, Listing, visible_region};
use gongzhi_domain::livelihood::{DISCLOSURE_KINDS, Rectification, fen_to_yuan};
use gongzhi_store::{InspectionRow, InvestigationRow, ProjectRow, ResponsibilityRow};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/livelihood", get(home_page))
        .route("/livelihood/handbook", get(handbook_page))
        .route("/livelihood/projects/{id}", get(project_page))
        .route("/livelihood/act", post(act))
}

fn done_text(t: Lang, what: &str) -> Option<String> {
    let (zh, en) = match what {
        "project" => ("民生项目已登记", "The project is recorded"),
        "responsibility" => ("责任已登记", "The responsibility is recorded"),
        "progress" => ("进度已更新", "The progress is recorded"),
        "inspection" => ("监督记录已登记", "The inspection is recorded"),
        "inspection_order" => (
            "监督记录已登记，督办已发出",
            "The inspection is recorded and a supervision order issued",
        ),
        "investigation" => ("查处记录已登记", "The investigation is recorded"),
        "disclosed" => ("已在公示栏公开", "Published on the notice board"),
        "rectified" => ("整改状态已更新", "The rectification is updated"),
        _ => return None,
    };
    Some(t.s(zh, en).to_string())
}

/// The areas the caller keeps records in, and the department it acts as, if it is one.
struct Choices {
    areas: Vec<(String, String)>,
    department: String,
}

fn choices(st: &AppState, user: &User) -> Choices {
    let department = match user.listing(List::Livelihood) {
        Listing::Department(d) => d,
        _ => String::new(),
    };
    let dept = (!department.is_empty()).then_some(department.as_str());
    let areas = crate::http::place_choices::place_choices(
        st.grids.places().as_deref(),
        &visible_region(&user.principal()),
    )
    .areas
    .into_iter()
    .filter(|(code, _)| {
        gongzhi_domain::codes::AreaCode::parse(code).is_ok_and(|a| may_manage(user, &a, dept))
    })
    .collect();
    Choices { areas, department }
}

#[derive(Template)]
#[template(path = "livelihood.html")]
struct HomePage {
    c: Chrome,
    tab: String,
    q: String,
    projects: Vec<ProjectRow>,
    responsibilities: Vec<ResponsibilityRow>,
    inspections: Vec<InspectionRow>,
    investigations: Vec<InvestigationRow>,
    ch: Choices,
    done: Option<String>,
    error: Option<String>,
}

impl HomePage {
    fn yuan(&self, fen: &i64) -> String {
        fen_to_yuan(*fen)
    }

    fn at(&self, ms: &i64) -> String {
        crate::time::local(*ms)
    }
}

#[derive(Deserialize, Default)]
struct HomeQuery {
    tab: Option<String>,
    q: Option<String>,
    done: Option<String>,
}

async fn home_body(
    st: &AppState,
    user: &User,
    t: Lang,
    hq: &HomeQuery,
    error: Option<String>,
) -> ApiResult<Response> {
    let tab = match hq.tab.as_deref() {
        Some(t @ ("responsibilities" | "inspections" | "investigations")) => t.to_string(),
        _ => "projects".to_string(),
    };
    let q = ListQuery { q: hq.q.clone() };
    let f = scope(user)?;
    let (mut projects, mut responsibilities, mut inspections, mut investigations) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    match tab.as_str() {
        "responsibilities" => responsibilities = listed_responsibilities(st, user, &q).await?,
        "inspections" => inspections = st.store.livelihood_inspections(&f, None).await?,
        "investigations" => investigations = st.store.livelihood_investigations(&f, None).await?,
        _ => projects = listed_projects(st, user, &q).await?,
    }
    Ok(render(&HomePage {
        c: Chrome::new(
            t,
            user,
            "/livelihood",
            t.s("民生监督", "Livelihood supervision"),
        ),
        tab,
        q: hq.q.clone().unwrap_or_default(),
        projects,
        responsibilities,
        inspections,
        investigations,
        ch: choices(st, user),
        done: hq.done.as_deref().and_then(|d| done_text(t, d)),
        error,
    }))
}

async fn home_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<HomeQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = home_body(&st, &user, t, &q, None).await;
    page(t, &user, body)
}

#[derive(Template)]
#[template(path = "livelihood_project.html")]
struct ProjectPage {
    c: Chrome,
    d: ProjectDetail,
    may_edit: bool,
    may_supervise: bool,
    kinds: Vec<(&'static str, String)>,
    rectifications: Vec<(&'static str, String)>,
    today: String,
    done: Option<String>,
    error: Option<String>,
}

impl ProjectPage {
    fn yuan(&self, fen: &i64) -> String {
        fen_to_yuan(*fen)
    }

    fn at(&self, ms: &i64) -> String {
        crate::time::local(*ms)
    }
}

async fn project_body(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    done: Option<String>,
    error: Option<String>,
) -> ApiResult<Response> {
    let d = detail(st, user, id).await?;
    let may_supervise = user
        .may(
            gongzhi_domain::access::Action::IssueSupervision,
            &gongzhi_domain::access::Target::Area(d.project.area),
        )
        .is_ok();
    Ok(render(&ProjectPage {
        c: Chrome::new(t, user, "/livelihood", &d.project.name),
        may_edit: may_manage(user, &d.project.area, d.project.department.as_deref()),
        may_supervise,
        kinds: DISCLOSURE_KINDS
            .iter()
            .map(|k| (k.as_str(), t.s(k.zh(), k.en()).to_string()))
            .collect(),
        rectifications: Rectification::ALL
            .iter()
            .map(|r| (r.as_str(), t.s(r.zh(), r.en()).to_string()))
            .collect(),
        today: gongzhi_domain::calendar::date_of(gongzhi_store::now_millis()).to_string(),
        d,
        done: done.as_deref().and_then(|w| done_text(t, w)),
        error,
    }))
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

async fn project_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = project_body(&st, &user, t, id, q.done, None).await;
    page(t, &user, body)
}

/// One policy or fund area of the handbook with its responsible units and posts.
pub struct HandbookSection {
    pub policy_area: String,
    pub rows: Vec<ResponsibilityRow>,
}

#[derive(Template)]
#[template(path = "livelihood_handbook.html")]
struct HandbookPage {
    c: Chrome,
    sections: Vec<HandbookSection>,
    platforms: Vec<String>,
}

async fn handbook_body(st: &AppState, user: &User, t: Lang) -> ApiResult<Response> {
    let rows = listed_responsibilities(st, user, &ListQuery::default()).await?;
    let mut sections: Vec<HandbookSection> = Vec::new();
    for r in rows {
        match sections.iter_mut().find(|s| s.policy_area == r.policy_area) {
            Some(s) => s.rows.push(r),
            None => sections.push(HandbookSection {
                policy_area: r.policy_area.clone(),
                rows: vec![r],
            }),
        }
    }
    Ok(render(&HandbookPage {
        c: Chrome::new(
            t,
            user,
            "/livelihood",
            t.s("民生监督工作手册", "Livelihood supervision handbook"),
        ),
        sections,
        platforms: DISCLOSURE_KINDS
            .iter()
            .map(|k| t.s(k.zh(), k.en()).to_string())
            .collect(),
    }))
}

async fn handbook_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
) -> Response {
    let t = lang_of(&headers);
    let body = handbook_body(&st, &user, t).await;
    page(t, &user, body)
}

#[derive(Deserialize, Default)]
struct ActForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    what: String,
    id: Option<i64>,
    inspection: Option<i64>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    area: String,
    department: Option<String>,
    #[serde(default)]
    budget: String,
    #[serde(default)]
    allocated: String,
    #[serde(default)]
    disbursed: String,
    beneficiaries: Option<String>,
    progress: Option<String>,
    #[serde(default)]
    post: String,
    #[serde(default)]
    policy_area: String,
    #[serde(default)]
    duties: String,
    on: Option<String>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    by_post: String,
    #[serde(default)]
    findings: String,
    #[serde(default)]
    rectification: String,
    supervise: Option<String>,
    #[serde(default)]
    demand: String,
    #[serde(default)]
    matter: String,
    #[serde(default)]
    handling: String,
    #[serde(default)]
    result: String,
    report_ref: Option<String>,
    #[serde(default)]
    kind: String,
}

/// A whole number typed in `field`; blank is `None`.
fn number(field: &str, v: &Option<String>) -> ApiResult<Option<i64>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| {
            ApiError::bad_request(
                field,
                format!("请填写整数：{s}"),
                format!("a whole number is required: {s}"),
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
    let need = || {
        f.id.ok_or_else(|| ApiError::bad_request("id", "缺少编号", "missing id"))
    };
    let text = |s: &str| serde_json::Value::String(s.to_string());
    let result: ApiResult<String> = async {
        user.check_csrf(&f.csrf)?;
        match f.what.as_str() {
            "project" => {
                let id = ops::create_project(
                    &st,
                    &user,
                    &ProjectInput {
                        name: f.name.clone(),
                        area: f.area.clone(),
                        department: f.department.clone(),
                        budget: text(&f.budget),
                        allocated: text(&f.allocated),
                        disbursed: text(&f.disbursed),
                        beneficiaries: number("beneficiaries", &f.beneficiaries)?,
                        progress: number("progress", &f.progress)?,
                    },
                )
                .await?;
                Ok(format!("/livelihood/projects/{id}?done=project"))
            }
            "responsibility" => {
                ops::add_responsibility(
                    &st,
                    &user,
                    &ResponsibilityInput {
                        area: f.area.clone(),
                        department: f.department.clone(),
                        post: f.post.clone(),
                        policy_area: f.policy_area.clone(),
                        duties: f.duties.clone(),
                    },
                )
                .await?;
                Ok("/livelihood?tab=responsibilities&done=responsibility".into())
            }
            "progress" => {
                let id = need()?;
                ops::add_progress(
                    &st,
                    &user,
                    id,
                    &ProgressInput {
                        on: f.on.clone(),
                        progress: number("progress", &f.progress)?,
                        disbursed: text(&f.disbursed),
                        note: f.note.clone(),
                    },
                )
                .await?;
                Ok(format!("/livelihood/projects/{id}?done=progress"))
            }
            "inspection" => {
                let id = need()?;
                let (_, order) = ops::add_inspection(
                    &st,
                    &user,
                    id,
                    &InspectionInput {
                        on: f.on.clone(),
                        by_post: f.by_post.clone(),
                        findings: f.findings.clone(),
                        rectification: f.rectification.clone(),
                        supervise: f.supervise.as_deref().is_some_and(|s| !s.is_empty()),
                        demand: f.demand.clone(),
                    },
                )
                .await?;
                Ok(match order {
                    Some(o) => format!("/supervision/{o}?done=issued"),
                    None => format!("/livelihood/projects/{id}?done=inspection"),
                })
            }
            "investigation" => {
                let id = need()?;
                ops::add_investigation(
                    &st,
                    &user,
                    id,
                    &InvestigationInput {
                        matter: f.matter.clone(),
                        handling: f.handling.clone(),
                        result: f.result.clone(),
                        report_ref: number("report_ref", &f.report_ref)?,
                    },
                )
                .await?;
                Ok(format!("/livelihood/projects/{id}?done=investigation"))
            }
            "disclose" => {
                let id = need()?;
                ops::disclose(&st, &user, id, &f.kind).await?;
                Ok(format!("/livelihood/projects/{id}?done=disclosed"))
            }
            "rectified" => {
                let id = need()?;
                let inspection = f.inspection.ok_or_else(|| {
                    ApiError::bad_request("inspection", "缺少监督记录编号", "missing inspection")
                })?;
                ops::set_rectification(&st, &user, id, inspection, &f.rectification).await?;
                Ok(format!("/livelihood/projects/{id}?done=rectified"))
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
            let again = match (f.what.as_str(), f.id) {
                ("project", _) => home_body(&st, &user, t, &HomeQuery::default(), Some(msg)).await,
                ("responsibility", _) => {
                    let q = HomeQuery {
                        tab: Some("responsibilities".into()),
                        ..Default::default()
                    };
                    home_body(&st, &user, t, &q, Some(msg)).await
                }
                (_, Some(id)) => project_body(&st, &user, t, id, None, Some(msg)).await,
                _ => home_body(&st, &user, t, &HomeQuery::default(), Some(msg)).await,
            };
            match again {
                Ok(p) => e.mark(p),
                Err(_) => page(t, &user, Err(e)),
            }
        }
    }
}
