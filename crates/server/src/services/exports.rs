//! The services' workbooks: centres, menu, orders, providers and counts, with Chinese headers
//! and names rather than codes; each export is written to the audit log.

use crate::auth::User;
use crate::cases::import_table::{sheet_error, xlsx_attachment};
use crate::error::ApiResult;
use crate::state::AppState;
use axum::response::Response;
use gongzhi_domain::red_grid::mask_party;
use gongzhi_domain::services::{OrderCounts, satisfaction_rate};
use gongzhi_store::{CentreRow, MenuItemRow, OrderRow, ProviderRow};

async fn workbook(
    st: &AppState,
    user: &User,
    what: &str,
    sheet: &str,
    headers: &[&str],
    rows: Vec<Vec<String>>,
) -> ApiResult<Response> {
    let bytes = gongzhi_sheets::write_table(sheet, headers, &rows).map_err(sheet_error)?;
    crate::http::api_io::audit_export(st, user, what, "services", "xlsx", rows.len()).await?;
    Ok(xlsx_attachment(bytes, &format!("{what}.xlsx")))
}

pub async fn centres(st: &AppState, user: &User, rows: &[CentreRow]) -> ApiResult<Response> {
    let body = rows
        .iter()
        .map(|c| {
            vec![
                c.community_name.clone(),
                c.kind.zh().to_string(),
                c.name.clone(),
                c.lead_department_name.clone(),
                c.address.clone(),
                c.opening_hours.clone(),
                c.items.to_string(),
                c.open_orders.to_string(),
            ]
        })
        .collect();
    let h = [
        "社区",
        "中心类型",
        "名称",
        "牵头部门",
        "地址",
        "开放时间",
        "服务项目",
        "在办订单",
    ];
    workbook(st, user, "service-centres", "服务中心", &h, body).await
}

pub async fn menu(st: &AppState, user: &User, rows: &[MenuItemRow]) -> ApiResult<Response> {
    let body = rows
        .iter()
        .map(|m| {
            vec![
                m.centre_name.clone(),
                m.name.clone(),
                m.description.clone(),
                m.eligibility.zh(),
                m.schedule.weekdays_zh(),
                m.schedule
                    .slots
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
                    .join("、"),
                m.schedule.capacity.to_string(),
                if m.active { "在售" } else { "已下架" }.to_string(),
            ]
        })
        .collect();
    let h = [
        "服务中心",
        "服务项目",
        "服务内容",
        "服务对象",
        "服务日",
        "时段",
        "每时段名额",
        "状态",
    ];
    workbook(st, user, "service-menu", "服务清单", &h, body).await
}

pub async fn orders(st: &AppState, user: &User, rows: &[OrderRow]) -> ApiResult<Response> {
    let body = rows
        .iter()
        .map(|o| {
            vec![
                o.id.to_string(),
                o.centre_name.clone(),
                o.item_name.clone(),
                mask_party(&o.resident_name),
                o.service_date.to_string(),
                o.slot.clone(),
                o.state.zh().to_string(),
                o.waiting_position
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                o.assignee_name.clone().unwrap_or_default(),
                o.notes.clone().unwrap_or_default(),
                o.rating.map(|r| r.zh().to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    let h = [
        "订单号",
        "服务中心",
        "服务项目",
        "服务对象",
        "服务日期",
        "时段",
        "状态",
        "候补位次",
        "服务人员",
        "服务记录",
        "评价",
    ];
    workbook(st, user, "service-orders", "服务订单", &h, body).await
}

pub async fn providers(st: &AppState, user: &User, rows: &[ProviderRow]) -> ApiResult<Response> {
    let body = rows
        .iter()
        .map(|p| {
            vec![
                p.centre_name.clone(),
                provider_kind_zh(&p.kind).to_string(),
                p.name.clone(),
                p.offer.clone(),
                format!("{:.1}", p.confirmed_minutes as f64 / 60.0),
            ]
        })
        .collect();
    let h = [
        "服务中心",
        "类型",
        "名称",
        "服务内容",
        "已确认服务时长（小时）",
    ];
    workbook(st, user, "service-providers", "服务提供者", &h, body).await
}

pub fn provider_kind_zh(kind: &str) -> &'static str {
    match kind {
        "organisation" => "社区社会组织",
        "volunteer" => "志愿者",
        _ => "其他",
    }
}

/// A rate as a percentage with one decimal, blank when there is nothing to divide by.
pub fn percent(r: Option<f64>) -> String {
    r.map(|r| format!("{:.1}%", r * 100.0))
        .unwrap_or_else(|| "—".into())
}

pub const COUNT_HEADERS: [&str; 9] = [
    "名称",
    "订单",
    "候补",
    "在办",
    "已完成",
    "按时完成",
    "已取消",
    "按时完成率",
    "满意率",
];

pub fn count_cells(name: &str, c: &OrderCounts) -> Vec<String> {
    vec![
        name.to_string(),
        c.orders.to_string(),
        c.waiting.to_string(),
        c.open.to_string(),
        c.fulfilled.to_string(),
        c.on_time.to_string(),
        c.cancelled.to_string(),
        percent(c.on_time_rate()),
        percent(satisfaction_rate(c, 0.9)),
    ]
}

pub async fn counts(
    st: &AppState,
    user: &User,
    rows: &[(String, OrderCounts)],
) -> ApiResult<Response> {
    let body = rows.iter().map(|(n, c)| count_cells(n, c)).collect();
    workbook(st, user, "service-counts", "服务统计", &COUNT_HEADERS, body).await
}
