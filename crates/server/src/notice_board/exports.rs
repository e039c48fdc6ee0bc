//! The notices' workbook: Chinese headers and names; written to the audit log.

use crate::auth::User;
use crate::cases::import_table::{sheet_error, xlsx_attachment};
use crate::error::ApiResult;
use crate::state::AppState;
use axum::response::Response;
use gongzhi_domain::calendar::date_of;
use gongzhi_store::NoticeRow;

pub async fn notices_xlsx(st: &AppState, user: &User, rows: &[NoticeRow]) -> ApiResult<Response> {
    let day = |ms: Option<i64>| ms.map(|m| date_of(m).to_string()).unwrap_or_default();
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|n| {
            vec![
                n.kind.zh().to_string(),
                n.title.clone(),
                n.audience_name.clone(),
                n.from.to_string(),
                n.until.to_string(),
                n.state.zh().to_string(),
                n.version.to_string(),
                day(n.published_at),
                day(n.changed_at),
                day(n.withdrawn_at),
                n.withdraw_reason.clone().unwrap_or_default(),
                n.created_by_name.clone(),
            ]
        })
        .collect();
    let bytes = gongzhi_sheets::write_table(
        "公示",
        &[
            "类别",
            "标题",
            "公示范围",
            "公示开始",
            "公示截止",
            "状态",
            "版本",
            "发布日期",
            "更新日期",
            "撤回日期",
            "撤回理由",
            "发布人",
        ],
        &table,
    )
    .map_err(sheet_error)?;
    crate::http::api_io::audit_export(st, user, "notices", "notice_board", "xlsx", table.len())
        .await?;
    Ok(xlsx_attachment(bytes, "notices.xlsx"))
}
