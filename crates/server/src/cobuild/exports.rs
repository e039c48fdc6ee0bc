//! The co-build workbooks: contracts and commitments with Chinese headers and names rather
//! than codes; each export is written to the audit log.

use super::api::CommitmentView;
use crate::auth::User;
use crate::cases::import_table::{sheet_error, xlsx_attachment};
use crate::error::ApiResult;
use crate::state::AppState;
use axum::response::Response;
use gongzhi_store::ContractRow;

async fn workbook(
    st: &AppState,
    user: &User,
    what: &str,
    sheet: &str,
    headers: &[&str],
    rows: Vec<Vec<String>>,
) -> ApiResult<Response> {
    let bytes = gongzhi_sheets::write_table(sheet, headers, &rows).map_err(sheet_error)?;
    crate::http::api_io::audit_export(st, user, what, "cobuild", "xlsx", rows.len()).await?;
    Ok(xlsx_attachment(bytes, &format!("{what}.xlsx")))
}

pub async fn contracts_xlsx(
    st: &AppState,
    user: &User,
    contracts: &[ContractRow],
) -> ApiResult<Response> {
    let rows = contracts
        .iter()
        .map(|k| {
            vec![
                k.title.clone(),
                k.department_name.clone(),
                k.community_name.clone(),
                k.starts_on.to_string(),
                k.ends_on.to_string(),
                k.signed_on.to_string(),
                k.commitments.to_string(),
                k.created_by_name.clone(),
            ]
        })
        .collect();
    workbook(
        st,
        user,
        "cobuild-contracts",
        "共建契约",
        &[
            "契约名称",
            "共建部门",
            "社区",
            "开始日期",
            "结束日期",
            "签约日期",
            "承诺事项数",
            "登记人",
        ],
        rows,
    )
    .await
}

pub async fn commitments_xlsx(
    st: &AppState,
    user: &User,
    items: &[CommitmentView],
) -> ApiResult<Response> {
    let rows = items
        .iter()
        .map(|c| {
            vec![
                c.row.contract_title.clone(),
                c.row.department_name.clone(),
                c.row.community_name.clone(),
                c.row.title.clone(),
                c.row.deliverable.clone(),
                c.row.due_on.to_string(),
                c.row
                    .delivered_on
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                c.status.zh().to_string(),
                c.row.deliveries.to_string(),
                c.row.rating.map(|r| r.zh().to_string()).unwrap_or_default(),
                c.row.rating_note.clone(),
            ]
        })
        .collect();
    workbook(
        st,
        user,
        "cobuild-commitments",
        "承诺事项",
        &[
            "契约",
            "共建部门",
            "社区",
            "承诺事项",
            "交付内容",
            "到期日",
            "履约完成日",
            "状态",
            "履约记录数",
            "社区评价",
            "评价说明",
        ],
        rows,
    )
    .await
}
