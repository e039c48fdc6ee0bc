//! The four databases' workbooks: Chinese headers and names, yuan with two decimals; each
//! written to the audit log.

use crate::auth::User;
use crate::cases::import_table::{sheet_error, xlsx_attachment};
use crate::error::ApiResult;
use crate::state::AppState;
use axum::response::Response;
use gongzhi_domain::livelihood::fen_to_yuan;
use gongzhi_store::{InspectionRow, InvestigationRow, ProjectRow, ResponsibilityRow};

async fn workbook(
    st: &AppState,
    user: &User,
    sheet: &str,
    file: &str,
    headers: &[&str],
    table: Vec<Vec<String>>,
) -> ApiResult<Response> {
    let bytes = gongzhi_sheets::write_table(sheet, headers, &table).map_err(sheet_error)?;
    crate::http::api_io::audit_export(st, user, file, "livelihood", "xlsx", table.len()).await?;
    Ok(xlsx_attachment(bytes, &format!("{file}.xlsx")))
}

pub async fn projects_xlsx(st: &AppState, user: &User, rows: &[ProjectRow]) -> ApiResult<Response> {
    let table = rows
        .iter()
        .map(|p| {
            vec![
                p.id.to_string(),
                p.name.clone(),
                p.area_name.clone(),
                p.department_name.clone().unwrap_or_default(),
                fen_to_yuan(p.budget_fen),
                fen_to_yuan(p.allocated_fen),
                fen_to_yuan(p.disbursed_fen),
                p.beneficiaries.to_string(),
                format!("{}%", p.progress),
                p.open_rectifications.to_string(),
            ]
        })
        .collect();
    workbook(
        st,
        user,
        "民生项目",
        "livelihood_projects",
        &[
            "编号",
            "项目名称",
            "所在区域",
            "责任部门",
            "预算资金（元）",
            "已拨付（元）",
            "已发放（元）",
            "受益人数",
            "进度",
            "待整改",
        ],
        table,
    )
    .await
}

pub async fn responsibilities_xlsx(
    st: &AppState,
    user: &User,
    rows: &[ResponsibilityRow],
) -> ApiResult<Response> {
    let table = rows
        .iter()
        .map(|r| {
            vec![
                r.policy_area.clone(),
                r.department_name
                    .clone()
                    .unwrap_or_else(|| r.area_name.clone()),
                r.post.clone(),
                r.duties.clone(),
            ]
        })
        .collect();
    workbook(
        st,
        user,
        "民生责任",
        "livelihood_responsibilities",
        &["政策/资金领域", "责任单位", "岗位", "职责"],
        table,
    )
    .await
}

pub async fn inspections_xlsx(
    st: &AppState,
    user: &User,
    rows: &[InspectionRow],
) -> ApiResult<Response> {
    let table = rows
        .iter()
        .map(|i| {
            vec![
                i.on.to_string(),
                i.project_name.clone(),
                i.by_post.clone(),
                i.findings.clone(),
                i.rectification.zh().to_string(),
                i.order_id.map(|o| o.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    workbook(
        st,
        user,
        "监督记录",
        "livelihood_inspections",
        &["日期", "项目", "监督人岗位", "发现问题", "整改", "督办编号"],
        table,
    )
    .await
}

pub async fn investigations_xlsx(
    st: &AppState,
    user: &User,
    rows: &[InvestigationRow],
) -> ApiResult<Response> {
    let table = rows
        .iter()
        .map(|v| {
            vec![
                crate::time::local(v.at),
                v.project_name.clone(),
                v.matter.clone(),
                v.handling.clone(),
                v.result.clone(),
                v.report_ref.map(|r| r.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    workbook(
        st,
        user,
        "查处记录",
        "livelihood_investigations",
        &[
            "时间",
            "项目",
            "问题线索",
            "处置方式",
            "处理结果",
            "举报编号",
        ],
        table,
    )
    .await
}
