//! The conduct workbooks: reports, signals, statistics — Chinese headers and names, never
//! codes; each export on the audit log. No reporter identity is ever exported.

use super::ops::StatsView;
use crate::auth::User;
use crate::cases::import_table::{sheet_error, xlsx_attachment};
use crate::error::ApiResult;
use crate::state::AppState;
use axum::response::Response;
use gongzhi_domain::calendar::date_of;
use gongzhi_domain::conduct::{AccountabilityAction, Signal};
use gongzhi_store::MisconductReportRow;

pub async fn reports_xlsx(
    st: &AppState,
    user: &User,
    rows: &[MisconductReportRow],
) -> ApiResult<Response> {
    let day = |ms: Option<i64>| ms.map(|m| date_of(m).to_string()).unwrap_or_default();
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                day(Some(r.received_at)),
                r.category_name.clone(),
                r.channel.zh().to_string(),
                r.area_name.clone(),
                r.unit_name.clone(),
                r.official.clone(),
                r.state.zh().to_string(),
                r.conclusion.map(|c| c.zh().to_string()).unwrap_or_default(),
                day(r.concluded_at),
                if r.has_reporter { "实名" } else { "匿名" }.to_string(),
            ]
        })
        .collect();
    let bytes = gongzhi_sheets::write_table(
        "消极怠政举报",
        &[
            "编号",
            "接收日期",
            "问题类别",
            "举报渠道",
            "所在区域",
            "被反映单位",
            "被反映人",
            "状态",
            "核查结论",
            "办结日期",
            "举报方式",
        ],
        &table,
    )
    .map_err(sheet_error)?;
    crate::http::api_io::audit_export(
        st,
        user,
        "misconduct_reports",
        "conduct",
        "xlsx",
        table.len(),
    )
    .await?;
    Ok(xlsx_attachment(bytes, "misconduct-reports.xlsx"))
}

pub async fn signals_xlsx(st: &AppState, user: &User, signals: &[Signal]) -> ApiResult<Response> {
    let mut table = Vec::new();
    for s in signals {
        let dept = match &s.department {
            Some(d) => st
                .store
                .department(d)
                .await?
                .map(|d| d.name)
                .unwrap_or_else(|| d.clone()),
            None => String::new(),
        };
        table.push(vec![
            s.kind.zh().to_string(),
            dept,
            s.count.to_string(),
            s.test_zh.clone(),
            s.cases
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        ]);
    }
    let bytes = gongzhi_sheets::write_table(
        "待复核线索",
        &["线索类型", "涉及部门", "依据数量", "判定标准", "涉及案件"],
        &table,
    )
    .map_err(sheet_error)?;
    crate::http::api_io::audit_export(
        st,
        user,
        "misconduct_signals",
        "conduct",
        "xlsx",
        table.len(),
    )
    .await?;
    Ok(xlsx_attachment(bytes, "misconduct-signals.xlsx"))
}

/// One sheet in three blocks: by category, by action, by unit — each with its total row.
pub async fn stats_xlsx(st: &AppState, user: &User, v: &StatsView) -> ApiResult<Response> {
    let t = &v.table;
    let mut headers: Vec<String> = vec![
        "分组".into(),
        "名称".into(),
        "受理问题数".into(),
        "查实问题数".into(),
        "处理人数".into(),
    ];
    headers.extend(AccountabilityAction::ALL.iter().map(|a| a.zh().to_string()));
    let blank = |n: usize| vec![String::new(); n];
    let mut table: Vec<Vec<String>> = Vec::new();
    for c in &t.categories {
        let mut row = vec![
            "问题类别".into(),
            v.category_name(&c.category),
            c.received.to_string(),
            c.substantiated.to_string(),
            String::new(),
        ];
        row.extend(blank(AccountabilityAction::ALL.len()));
        table.push(row);
    }
    for a in &t.actions {
        let mut row = vec![
            "问责方式".into(),
            a.action.zh().to_string(),
            String::new(),
            String::new(),
            a.people.to_string(),
        ];
        row.extend(blank(AccountabilityAction::ALL.len()));
        table.push(row);
    }
    for u in &t.units {
        let mut row = vec![
            "单位".into(),
            v.unit_name(&u.unit),
            u.received.to_string(),
            u.substantiated.to_string(),
            u.people.to_string(),
        ];
        row.extend(u.by_action.iter().map(|n| n.to_string()));
        table.push(row);
    }
    let mut total = vec![
        "合计".into(),
        String::new(),
        t.received.to_string(),
        t.substantiated.to_string(),
        t.people.to_string(),
    ];
    total.extend(t.actions.iter().map(|a| a.people.to_string()));
    table.push(total);
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let bytes = gongzhi_sheets::write_table("消极怠政统计", &refs, &table).map_err(sheet_error)?;
    crate::http::api_io::audit_export(st, user, "misconduct_stats", "conduct", "xlsx", table.len())
        .await?;
    Ok(xlsx_attachment(bytes, "misconduct-statistics.xlsx"))
}
