//! The deliberation's workbooks: topics, meetings and resolutions (one row per item), with
//! Chinese headers and names rather than codes; each export is written to the audit log.

use super::area_name;
use crate::auth::User;
use crate::cases::import_table::{sheet_error, xlsx_attachment};
use crate::error::ApiResult;
use crate::state::AppState;
use axum::response::Response;
use gongzhi_store::{DeliberationMeetingRow, ResolutionRow, TopicRow};

async fn workbook(
    st: &AppState,
    user: &User,
    what: &str,
    sheet: &str,
    headers: &[&str],
    rows: Vec<Vec<String>>,
) -> ApiResult<Response> {
    let bytes = gongzhi_sheets::write_table(sheet, headers, &rows).map_err(sheet_error)?;
    crate::http::api_io::audit_export(st, user, what, "deliberation", "xlsx", rows.len()).await?;
    Ok(xlsx_attachment(bytes, &format!("{what}.xlsx")))
}

pub const TOPIC_HEADERS: [&str; 8] = [
    "编号",
    "社区",
    "类别",
    "议题",
    "提出人",
    "状态",
    "支持人数",
    "未采纳理由",
];

pub async fn topics_xlsx(st: &AppState, user: &User, topics: &[TopicRow]) -> ApiResult<Response> {
    let rows = topics
        .iter()
        .map(|t| {
            vec![
                t.id.to_string(),
                area_name(st, &t.community),
                t.category.zh().into(),
                t.title.clone(),
                format!("{}（{}）", t.raiser_name, t.raiser_kind.zh()),
                t.status.zh().into(),
                t.supports.to_string(),
                t.decline_reason.clone().unwrap_or_default(),
            ]
        })
        .collect();
    workbook(
        st,
        user,
        "deliberation-topics",
        "议题",
        &TOPIC_HEADERS,
        rows,
    )
    .await
}

pub const MEETING_HEADERS: [&str; 7] = ["日期", "社区", "类型", "议事会", "地点", "参会方", "状态"];

pub async fn meetings_xlsx(
    st: &AppState,
    user: &User,
    meetings: &[DeliberationMeetingRow],
) -> ApiResult<Response> {
    let rows = meetings
        .iter()
        .map(|m| {
            vec![
                m.held_on.to_string(),
                area_name(st, &m.community),
                m.kind.zh().into(),
                m.title.clone(),
                m.place.clone(),
                m.invited
                    .iter()
                    .map(|p| p.zh())
                    .collect::<Vec<_>>()
                    .join("、"),
                m.status.zh().into(),
            ]
        })
        .collect();
    workbook(
        st,
        user,
        "deliberation-meetings",
        "议事会",
        &MEETING_HEADERS,
        rows,
    )
    .await
}

pub const RESOLUTION_HEADERS: [&str; 9] = [
    "决议",
    "社区",
    "事项类型",
    "事项",
    "案件",
    "责任人",
    "期限",
    "进度",
    "状态",
];

pub async fn resolutions_xlsx(
    st: &AppState,
    user: &User,
    resolutions: &[ResolutionRow],
) -> ApiResult<Response> {
    let rows = resolutions
        .iter()
        .flat_map(|r| {
            r.items.iter().map(move |i| {
                vec![
                    r.title.clone(),
                    area_name(st, &r.community),
                    i.kind.zh().into(),
                    i.description.clone(),
                    i.ticket.clone().unwrap_or_default(),
                    i.owner.clone(),
                    i.due_on.map(|d| d.to_string()).unwrap_or_default(),
                    format!("{}%", i.progress),
                    i.state.zh().into(),
                ]
            })
        })
        .collect();
    workbook(
        st,
        user,
        "deliberation-resolutions",
        "决议事项",
        &RESOLUTION_HEADERS,
        rows,
    )
    .await
}
