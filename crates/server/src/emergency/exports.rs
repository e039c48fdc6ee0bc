//! The list's workbook: Chinese headers and names, drills labelled 演练; written to the audit
//! log like every export.

use crate::auth::User;
use crate::cases::import_table::{sheet_error, xlsx_attachment};
use crate::error::ApiResult;
use crate::state::AppState;
use axum::response::Response;
use gongzhi_store::EmergencyRow;

pub async fn emergencies_xlsx(
    st: &AppState,
    user: &User,
    rows: &[EmergencyRow],
) -> ApiResult<Response> {
    let at = |ms: Option<i64>| ms.map(crate::time::local).unwrap_or_default();
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|e| {
            vec![
                e.id.to_string(),
                if e.drill { "演练" } else { "真实事件" }.to_string(),
                e.ticket.clone().unwrap_or_default(),
                e.title.clone(),
                e.community_name.clone().unwrap_or_default(),
                e.grid.map(|g| g.as_str().to_string()).unwrap_or_default(),
                e.department_name
                    .clone()
                    .or_else(|| e.department.clone())
                    .unwrap_or_default(),
                crate::time::local(e.reported_at),
                e.stage.zh().to_string(),
                at(e.next_at),
                at(e.closed_at),
            ]
        })
        .collect();
    let bytes = gongzhi_sheets::write_table(
        "紧急事件",
        &[
            "编号",
            "类型",
            "案件编号",
            "事件",
            "社区",
            "网格编码",
            "处置部门",
            "报告时间",
            "当前责任层级",
            "下次升级时间",
            "结束时间",
        ],
        &table,
    )
    .map_err(sheet_error)?;
    crate::http::api_io::audit_export(st, user, "emergencies", "emergency", "xlsx", table.len())
        .await?;
    Ok(xlsx_attachment(bytes, "emergencies.xlsx"))
}
