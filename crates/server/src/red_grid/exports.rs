//! The red grid's workbooks: coverage, the visit diary and the mediation records, with Chinese
//! headers and names rather than codes; each export is written to the audit log.

use super::{Names, coverage};
use crate::auth::User;
use crate::cases::import_table::{sheet_error, xlsx_attachment};
use crate::error::ApiResult;
use crate::state::AppState;
use axum::response::Response;
use gongzhi_domain::case::CaseState;
use gongzhi_store::{MediationRow, VisitRow};

/// Most rows a list or workbook of visits or mediations holds.
pub const MAX_ROWS: i64 = 50_000;

async fn workbook(
    st: &AppState,
    user: &User,
    what: &str,
    sheet: &str,
    headers: &[&str],
    rows: Vec<Vec<String>>,
) -> ApiResult<Response> {
    let bytes = gongzhi_sheets::write_table(sheet, headers, &rows).map_err(sheet_error)?;
    crate::http::api_io::audit_export(st, user, what, "red_grid", "xlsx", rows.len()).await?;
    Ok(xlsx_attachment(bytes, &format!("{what}.xlsx")))
}

pub async fn coverage_xlsx(
    st: &AppState,
    user: &User,
    r: &coverage::CoverageReport,
) -> ApiResult<Response> {
    workbook(
        st,
        user,
        "red-grid-coverage",
        "联户覆盖",
        &coverage::HEADERS,
        coverage::rows(r),
    )
    .await
}

pub const VISIT_HEADERS: [&str; 9] = [
    "走访日期",
    "网格",
    "住户编码",
    "地址",
    "走访人",
    "走访事项",
    "走访记录",
    "上报案件",
    "案件状态",
];

pub async fn visits_xlsx(st: &AppState, user: &User, visits: &[VisitRow]) -> ApiResult<Response> {
    let names = Names::of(st);
    let rows = visits
        .iter()
        .map(|v| {
            vec![
                v.visited_on.to_string(),
                names.grid(&v.grid),
                v.household_code.clone(),
                v.address.clone(),
                v.visitor_name.clone(),
                v.purpose.zh().to_string(),
                v.notes.clone(),
                v.ticket.clone().unwrap_or_default(),
                state_name(v.case_state.as_deref()),
            ]
        })
        .collect();
    workbook(
        st,
        user,
        "red-grid-visits",
        "民情日记",
        &VISIT_HEADERS,
        rows,
    )
    .await
}

/// A case state's Chinese name (blank without a case).
pub fn state_name(code: Option<&str>) -> String {
    code.map(|c| CaseState::parse(c).map_or(c, |s| s.zh()).to_string())
        .unwrap_or_default()
}

pub const MEDIATION_HEADERS: [&str; 8] = [
    "调解日期",
    "网格",
    "住户编码",
    "调解人",
    "当事人（已脱敏）",
    "矛盾事项",
    "调解结果",
    "回访日期",
];

pub async fn mediations_xlsx(
    st: &AppState,
    user: &User,
    mediations: &[MediationRow],
) -> ApiResult<Response> {
    let names = Names::of(st);
    let rows = mediations
        .iter()
        .map(|m| {
            vec![
                m.mediated_on.to_string(),
                names.grid(&m.grid),
                m.household_code.clone(),
                m.mediator_name.clone(),
                m.parties.clone(),
                m.issue.clone(),
                m.outcome.zh().to_string(),
                m.follow_up_on.map(|d| d.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    workbook(
        st,
        user,
        "red-grid-mediations",
        "矛盾调解",
        &MEDIATION_HEADERS,
        rows,
    )
    .await
}
