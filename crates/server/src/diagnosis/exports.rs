//! The findings' workbook: Chinese headers, names and the evidence in words; written to the
//! audit log.

use super::describe;
use crate::auth::User;
use crate::cases::import_table::{sheet_error, xlsx_attachment};
use crate::error::ApiResult;
use crate::i18n::Lang;
use crate::state::AppState;
use axum::response::Response;
use gongzhi_store::FindingRow;

pub async fn findings_xlsx(st: &AppState, user: &User, rows: &[FindingRow]) -> ApiResult<Response> {
    let names = super::api::names(st).await?;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|f| {
            vec![
                f.id.to_string(),
                f.kind.zh().to_string(),
                describe::title(Lang::Zh, f),
                opt(&f.place_name),
                opt(&f.grid_name),
                opt(&f.category_name),
                opt(&f.department_name),
                format!("{:.2}", f.score),
                describe::evidence(Lang::Zh, f, &names),
                f.case_count.to_string(),
                crate::time::local(f.found_at),
                f.acted_kind
                    .map(|k| k.zh().to_string())
                    .unwrap_or_else(|| "待处置".into()),
                f.acted_at.map(crate::time::local).unwrap_or_default(),
            ]
        })
        .collect();
    let bytes = gongzhi_sheets::write_table(
        "诊断发现",
        &[
            "编号",
            "类别",
            "发现",
            "所在区域",
            "网格",
            "问题类别",
            "部门",
            "得分",
            "依据",
            "案件数",
            "发现时间",
            "处置",
            "处置时间",
        ],
        &table,
    )
    .map_err(sheet_error)?;
    crate::http::api_io::audit_export(st, user, "diagnosis", "diagnosis", "xlsx", table.len())
        .await?;
    Ok(xlsx_attachment(bytes, "diagnosis.xlsx"))
}
