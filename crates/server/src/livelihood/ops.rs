//! The livelihood operations, without HTTP: each parses what was typed, asks the policy and
//! the domain, and writes through one store call (whose transaction also logs the record).

use super::{forbidden, invalid, may_manage, visible_project, write_error};
use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::livelihood::{
    InspectionDraft, InvestigationDraft, ProgressDraft, ProjectDraft, Rectification,
    ResponsibilityDraft, yuan,
};
use gongzhi_domain::notice_board::NoticeKind;
use gongzhi_store::{EventActor, now_millis};
use serde::Deserialize;
use serde_json::Value;

fn by(user: &User) -> EventActor {
    EventActor {
        account_id: Some(user.account.id),
        name: user.account.display_name.clone(),
    }
}

/// An amount as sent: a JSON string ("12,000.50") or number; `null` or absent is blank.
fn amount_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

fn date(field: &str, raw: Option<&str>) -> ApiResult<Date> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(date_of(now_millis())),
        Some(s) => Date::parse(s).ok_or_else(|| {
            ApiError::bad_request(
                field,
                format!("日期应为 YYYY-MM-DD：{s}"),
                format!("a date must be YYYY-MM-DD: {s}"),
            )
        }),
    }
}

async fn area(st: &AppState, raw: &str) -> ApiResult<gongzhi_domain::codes::AreaCode> {
    let a = crate::http::api_geo::parse_area("area", raw.trim())?;
    if st.store.area(&a).await?.is_none() {
        return Err(ApiError::bad_request(
            "area",
            format!("没有编码为 {a} 的区划"),
            format!("no area {a}"),
        ));
    }
    Ok(a)
}

async fn department(st: &AppState, d: &Option<String>) -> ApiResult<Option<String>> {
    let d = d
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_string);
    if let Some(code) = &d
        && st.store.department(code).await?.is_none()
    {
        return Err(ApiError::bad_request(
            "department",
            format!("没有编码为“{code}”的部门"),
            format!("no department '{code}'"),
        ));
    }
    Ok(d)
}

#[derive(Deserialize, Default, Clone, Debug)]
pub struct ResponsibilityInput {
    #[serde(default)]
    pub area: String,
    pub department: Option<String>,
    #[serde(default)]
    pub post: String,
    #[serde(default)]
    pub policy_area: String,
    #[serde(default)]
    pub duties: String,
}

pub async fn add_responsibility(
    st: &AppState,
    user: &User,
    b: &ResponsibilityInput,
) -> ApiResult<i64> {
    let r = ResponsibilityDraft {
        area: area(st, &b.area).await?,
        department: department(st, &b.department).await?,
        post: b.post.clone(),
        policy_area: b.policy_area.clone(),
        duties: b.duties.clone(),
    }
    .checked()
    .map_err(invalid)?;
    if !may_manage(user, &r.area, r.department.as_deref()) {
        return Err(forbidden(
            "您不能登记该区域的民生责任",
            "you may not keep livelihood records here",
        ));
    }
    Ok(st
        .store
        .add_livelihood_responsibility(&r, &by(user), now_millis())
        .await?)
}

#[derive(Deserialize, Default, Clone, Debug)]
pub struct ProjectInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub area: String,
    pub department: Option<String>,
    /// Yuan.
    #[serde(default)]
    pub budget: Value,
    #[serde(default)]
    pub allocated: Value,
    #[serde(default)]
    pub disbursed: Value,
    pub beneficiaries: Option<i64>,
    pub progress: Option<i64>,
}

pub async fn create_project(st: &AppState, user: &User, b: &ProjectInput) -> ApiResult<i64> {
    let p = ProjectDraft {
        name: b.name.clone(),
        area: area(st, &b.area).await?,
        department: department(st, &b.department).await?,
        budget_fen: yuan("budget", &amount_text(&b.budget)).map_err(invalid)?,
        allocated_fen: yuan("allocated", &amount_text(&b.allocated)).map_err(invalid)?,
        disbursed_fen: yuan("disbursed", &amount_text(&b.disbursed)).map_err(invalid)?,
        beneficiaries: b.beneficiaries.unwrap_or(0),
        progress: b.progress.unwrap_or(0),
    }
    .checked()
    .map_err(invalid)?;
    if !may_manage(user, &p.area, p.department.as_deref()) {
        return Err(forbidden(
            "您不能登记该区域的民生项目",
            "you may not keep livelihood projects here",
        ));
    }
    Ok(st
        .store
        .create_livelihood_project(&p, &by(user), now_millis())
        .await?)
}

/// The project `id` if the caller keeps its records.
async fn own(st: &AppState, user: &User, id: i64) -> ApiResult<gongzhi_store::ProjectRow> {
    let p = visible_project(st, user, id).await?;
    if !may_manage(user, &p.area, p.department.as_deref()) {
        return Err(forbidden(
            "您不能修改该项目的记录",
            "you may not keep this project's records",
        ));
    }
    Ok(p)
}

#[derive(Deserialize, Default, Clone, Debug)]
pub struct ProgressInput {
    pub on: Option<String>,
    pub progress: Option<i64>,
    #[serde(default)]
    pub disbursed: Value,
    #[serde(default)]
    pub note: String,
}

pub async fn add_progress(
    st: &AppState,
    user: &User,
    id: i64,
    b: &ProgressInput,
) -> ApiResult<i64> {
    let p = own(st, user, id).await?;
    let typed = amount_text(&b.disbursed);
    let u = ProgressDraft {
        on: date("on", b.on.as_deref())?,
        progress: b.progress.unwrap_or(p.progress),
        disbursed_fen: if typed.trim().is_empty() {
            p.disbursed_fen
        } else {
            yuan("disbursed", &typed).map_err(invalid)?
        },
        note: b.note.clone(),
    };
    st.store
        .add_livelihood_progress(id, u, &by(user), now_millis())
        .await
        .map_err(write_error)
}

#[derive(Deserialize, Default, Clone, Debug)]
pub struct InspectionInput {
    pub on: Option<String>,
    #[serde(default)]
    pub by_post: String,
    #[serde(default)]
    pub findings: String,
    #[serde(default)]
    pub rectification: String,
    /// Open a 督办 order on the project with `demand`.
    #[serde(default)]
    pub supervise: bool,
    #[serde(default)]
    pub demand: String,
}

/// A supervision record; with `supervise`, the 督办 order it opens on the project (issued
/// first, through the supervision rules, so a refused order records nothing).
pub async fn add_inspection(
    st: &AppState,
    user: &User,
    id: i64,
    b: &InspectionInput,
) -> ApiResult<(i64, Option<i64>)> {
    own(st, user, id).await?;
    let i = InspectionDraft {
        on: date("on", b.on.as_deref())?,
        by_post: b.by_post.clone(),
        findings: b.findings.clone(),
        rectification: Rectification::parse_or(&b.rectification).map_err(invalid)?,
    }
    .checked()
    .map_err(invalid)?;
    let order = if b.supervise {
        Some(
            crate::supervision::ops::issue(
                st,
                user,
                &crate::supervision::ops::IssueInput {
                    kind: "project".into(),
                    subject_id: Some(id),
                    demand: b.demand.clone(),
                },
            )
            .await?,
        )
    } else {
        None
    };
    let rid = st
        .store
        .add_livelihood_inspection(id, &i, order, &by(user), now_millis())
        .await?;
    Ok((rid, order))
}

#[derive(Deserialize, Default, Clone, Debug)]
pub struct InvestigationInput {
    #[serde(default)]
    pub matter: String,
    #[serde(default)]
    pub handling: String,
    #[serde(default)]
    pub result: String,
    pub report_ref: Option<i64>,
}

pub async fn add_investigation(
    st: &AppState,
    user: &User,
    id: i64,
    b: &InvestigationInput,
) -> ApiResult<i64> {
    own(st, user, id).await?;
    let v = InvestigationDraft {
        matter: b.matter.clone(),
        handling: b.handling.clone(),
        result: b.result.clone(),
        report_ref: b.report_ref,
    }
    .checked()
    .map_err(invalid)?;
    Ok(st
        .store
        .add_livelihood_investigation(id, &v, &by(user), now_millis())
        .await?)
}

/// Publishes the project's disclosure on platform `kind` to its area's notice board.
pub async fn disclose(st: &AppState, user: &User, id: i64, kind: &str) -> ApiResult<i64> {
    own(st, user, id).await?;
    let kind = NoticeKind::parse(kind).ok_or_else(|| {
        invalid(gongzhi_domain::livelihood::LivelihoodError::DisclosureKind(
            kind.trim().chars().take(20).collect(),
        ))
    })?;
    st.store
        .disclose_livelihood_project(id, kind, date_of(now_millis()), &by(user), now_millis())
        .await
        .map_err(write_error)
}

/// Marks an inspection's rectification done (or required again).
pub async fn set_rectification(
    st: &AppState,
    user: &User,
    project: i64,
    inspection: i64,
    state: &str,
) -> ApiResult<()> {
    own(st, user, project).await?;
    let state = Rectification::parse_or(state).map_err(invalid)?;
    let of = st
        .store
        .livelihood_inspections(&Default::default(), Some(project))
        .await?;
    if !of.iter().any(|i| i.id == inspection) {
        return Err(ApiError::not_found(
            format!("监督记录 {inspection}"),
            format!("inspection {inspection}"),
        ));
    }
    st.store
        .set_livelihood_rectification(inspection, state, &by(user), now_millis())
        .await?;
    Ok(())
}
