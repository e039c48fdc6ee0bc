//! `GET /api/v1/assessments/export.xlsx`: the list as the page shows it — the same query,
//! ranked, with names rather than codes.

use super::service::{self, ListQuery, MemberEntry};
use crate::auth::ApiUser;
use crate::cases::import_table::{sheet_error, xlsx_attachment};
use crate::error::ApiResult;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::Response;

pub const HEADERS: [&str; 12] = [
    "名次",
    "姓名",
    "党员类别",
    "党组织",
    "社区",
    "年度",
    "已扣分",
    "剩余积分",
    "扣分次数",
    "星级",
    "考核得分",
    "预警",
];

fn cells(m: &MemberEntry) -> Vec<String> {
    let r = &m.row;
    vec![
        m.rank.to_string(),
        r.member.name.clone(),
        r.member.status.zh().to_string(),
        r.member.org_name.clone().unwrap_or_default(),
        r.member
            .community_name
            .clone()
            .unwrap_or_else(|| r.member.community.to_string()),
        r.year.to_string(),
        r.deducted.to_string(),
        m.points_left.to_string(),
        r.deductions.to_string(),
        r.stars
            .map(|s| format!("{s}星"))
            .unwrap_or_else(|| "未评定".into()),
        m.score.map(|s| format!("{s:.2}")).unwrap_or_default(),
        m.alerts
            .iter()
            .map(|a| a.zh())
            .collect::<Vec<_>>()
            .join("、"),
    ]
}

pub async fn export(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    let list = service::year_list(&st, &user, &q).await?;
    let rows: Vec<Vec<String>> = list.members.iter().map(cells).collect();
    let bytes = gongzhi_sheets::write_table(&format!("{}年度党员考核", list.year), &HEADERS, &rows)
        .map_err(sheet_error)?;
    crate::http::api_io::audit_export(
        &st,
        &user,
        "assessments",
        &q.to_query(list.year),
        "xlsx",
        rows.len(),
    )
    .await?;
    Ok(xlsx_attachment(
        bytes,
        &format!("assessments-{}.xlsx", list.year),
    ))
}
