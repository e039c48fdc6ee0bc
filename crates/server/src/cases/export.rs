//! `GET /api/v1/cases.xlsx`: the searched list as a workbook — every case the same query finds
//! (all pages, up to [`MAX_EXPORT_ROWS`]), with Chinese headers and names rather than codes.
//! The reporter's phone is not a column: an export leaves the system and is not logged per
//! reader, so it carries nothing that needs a reason to see.

use crate::auth::{ApiUser, PageUser, User, lang_of};
use crate::cases::api::CaseQuery;
use crate::cases::import_table::{sheet_error, xlsx_attachment};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use gongzhi_store::{CaseRow, Lookups};
use std::collections::HashMap;

/// More than this many cases is refused with a message, not cut short silently.
pub const MAX_EXPORT_ROWS: i64 = 50_000;

pub const HEADERS: [&str; 15] = [
    "编号",
    "上报时间",
    "大类",
    "小类",
    "地址",
    "问题描述",
    "网格",
    "社区",
    "状态",
    "承办部门",
    "处置层级",
    "期限",
    "是否超期",
    "满意度",
    "结案时间",
];

pub async fn export(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<CaseQuery>,
) -> ApiResult<Response> {
    workbook(&st, &user, &q).await
}

/// The list page's "导出 Excel": the same workbook, or the list again saying why not.
pub async fn page_export(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<CaseQuery>,
) -> Response {
    match workbook(&st, &user, &q).await {
        Ok(file) => file,
        Err(e) => crate::cases::pages::cases_page(&st, &user, lang_of(&headers), q, Some(e)).await,
    }
}

async fn workbook(st: &AppState, user: &User, q: &CaseQuery) -> ApiResult<Response> {
    let (rows, query) = workbook_rows(st, user, q).await?;
    let bytes = gongzhi_sheets::write_table("案件", &HEADERS, &rows).map_err(sheet_error)?;
    crate::http::api_io::audit_export(st, user, "cases", &query, "xlsx", rows.len()).await?;
    Ok(xlsx_attachment(bytes, "cases.xlsx"))
}

/// The export's rows, in the list's order, and the query they answer (for the audit log).
async fn workbook_rows(
    st: &AppState,
    user: &User,
    q: &CaseQuery,
) -> ApiResult<(Vec<Vec<String>>, String)> {
    let mut f = crate::cases::search::filter(st, user, q).await?;
    let total = st.store.count_cases(&f).await?;
    if total > MAX_EXPORT_ROWS {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "too_many_rows",
            format!(
                "查询结果共 {total} 件，超过导出上限 {MAX_EXPORT_ROWS} 件，请缩小查询条件（如上报日期）后再导出"
            ),
            format!(
                "the search finds {total} cases, more than the export limit of {MAX_EXPORT_ROWS}; narrow it (e.g. by reported dates) and export again"
            ),
        ));
    }
    f.offset = 0;
    f.limit = total.max(1);
    let cases = st.store.cases(&f).await?;
    let names = Names::load(st).await?;
    let cfg = st.loop_cfg.current();
    let rows = cases
        .iter()
        .map(|r| names.row(r, cfg.escalation.name(r.case.level)))
        .collect();
    Ok((rows, crate::cases::search::query_string(q)))
}

/// Codes to names, read once per export.
struct Names {
    lookups: std::sync::Arc<Lookups>,
    grids: HashMap<String, String>,
    areas: HashMap<String, String>,
}

impl Names {
    async fn load(st: &AppState) -> ApiResult<Names> {
        Ok(Names {
            lookups: st.store.lookups().await?,
            grids: st
                .store
                .grids()
                .await?
                .into_iter()
                .map(|g| (g.code.to_string(), g.name))
                .collect(),
            areas: st
                .store
                .areas()
                .await?
                .into_iter()
                .map(|a| (a.code.to_string(), a.name))
                .collect(),
        })
    }

    fn category(&self, code: &str) -> (String, String) {
        let Some(c) = self.lookups.categories.get(code) else {
            return (String::new(), code.to_string());
        };
        let major = c
            .parent
            .as_ref()
            .and_then(|p| self.lookups.categories.get(p))
            .map(|p| p.name.clone())
            .unwrap_or_default();
        (major, c.name.clone())
    }

    fn row(&self, r: &CaseRow, level: &str) -> Vec<String> {
        let c = &r.case;
        let (major, minor) = self.category(&c.category);
        let department = match &c.department {
            Some(d) => self
                .lookups
                .departments
                .get(d)
                .map_or_else(|| d.clone(), |x| x.name.clone()),
            None => "属地".to_string(),
        };
        vec![
            r.ticket.clone(),
            crate::time::local(r.reported_at),
            major,
            minor,
            r.address.clone(),
            r.description.clone(),
            c.grid
                .map(|g| {
                    self.grids
                        .get(&g.to_string())
                        .cloned()
                        .unwrap_or_else(|| g.to_string())
                })
                .unwrap_or_default(),
            c.community
                .map(|a| self.areas.get(&a.to_string()).cloned().unwrap_or_default())
                .unwrap_or_default(),
            c.state.zh().to_string(),
            department,
            level.to_string(),
            c.deadline.map(crate::time::local).unwrap_or_default(),
            if c.overdue { "是" } else { "否" }.to_string(),
            c.rating
                .as_ref()
                .map(|x| x.satisfaction.zh().to_string())
                .unwrap_or_default(),
            r.closed_at.map(crate::time::local).unwrap_or_default(),
        ]
    }
}
