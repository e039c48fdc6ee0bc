//! The board's workbook: Chinese headers and names; written to the audit log.

use crate::auth::User;
use crate::cases::import_table::{sheet_error, xlsx_attachment};
use crate::error::ApiResult;
use crate::state::AppState;
use axum::response::Response;
use gongzhi_store::SupervisionRow;

pub async fn orders_xlsx(
    st: &AppState,
    user: &User,
    rows: &[SupervisionRow],
    now: i64,
) -> ApiResult<Response> {
    let at = |ms: Option<i64>| ms.map(crate::time::local).unwrap_or_default();
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|o| {
            vec![
                o.id.to_string(),
                o.kind.zh().to_string(),
                o.subject_label.clone(),
                o.place_name.clone(),
                o.unit_name.clone(),
                o.demand.clone(),
                super::days_text(o.days, o.working, false),
                crate::time::local(o.issued_at),
                crate::time::local(o.due_at),
                o.stage_at(now).zh().to_string(),
                o.status.zh().to_string(),
                at(o.answered_at),
                at(o.closed_at),
                o.issued_by_name.clone(),
            ]
        })
        .collect();
    let bytes = gongzhi_sheets::write_table(
        "督办",
        &[
            "编号",
            "督办事项类别",
            "督办事项",
            "所在区域",
            "被督办单位",
            "督办要求",
            "时限",
            "督办时间",
            "到期时间",
            "阶段",
            "状态",
            "答复时间",
            "办结时间",
            "督办人",
        ],
        &table,
    )
    .map_err(sheet_error)?;
    crate::http::api_io::audit_export(st, user, "supervisions", "supervision", "xlsx", table.len())
        .await?;
    Ok(xlsx_attachment(bytes, "supervisions.xlsx"))
}
