//! `.xlsx` exports of the party organisation's lists, with Chinese headers and names, on the
//! audit log before they leave. Phones are never a column.

use super::api::{
    AreaQuery, CompoundQuery, MemberQuery, UnitQuery, compound_filter, member_filter, unit_filter,
};
use super::narrowed;
use super::view;
use crate::auth::{ApiUser, User};
use crate::cases::import_table::{sheet_error, xlsx_attachment};
use crate::error::ApiResult;
use crate::http::api_io::audit_export;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::Response;
use gongzhi_store::Page;
use std::collections::HashMap;

pub const ORG_HEADERS: [&str; 12] = [
    "编号",
    "名称",
    "层级",
    "类型",
    "上级党组织",
    "所属区划",
    "网格",
    "小区",
    "支部委员会",
    "成立日期",
    "党员数（含下级）",
    "提示",
];

pub const MEMBER_HEADERS: [&str; 12] = [
    "编号",
    "姓名",
    "性别",
    "出生日期",
    "党员类别",
    "入党日期",
    "转正日期",
    "所在党组织",
    "居住社区",
    "小区",
    "工作单位",
    "离开日期",
];

pub const UNIT_HEADERS: [&str; 10] = [
    "编号",
    "单位名称",
    "单位类型",
    "所属社区",
    "网格",
    "地址",
    "职工人数",
    "党组织",
    "党员数",
    "空壳迹象",
];

/// The compound import's columns, in order: an export comes back as an import.
pub const COMPOUND_HEADERS: [&str; 8] = [
    "小区编号",
    "小区名称",
    "所属社区",
    "地址",
    "经度",
    "纬度",
    "物业公司",
    "楼栋编号",
];

async fn area_names(st: &AppState) -> HashMap<String, String> {
    st.grids
        .places()
        .as_deref()
        .map(|p| {
            p.areas()
                .map(|a| (a.code.to_string(), a.name.clone()))
                .collect()
        })
        .unwrap_or_default()
}

fn yes(b: bool) -> String {
    if b { "是" } else { "否" }.to_string()
}

async fn send(
    st: &AppState,
    user: &User,
    what: &str,
    region: &str,
    sheet: &str,
    headers: &[&str],
    rows: Vec<Vec<String>>,
) -> ApiResult<Response> {
    let bytes = gongzhi_sheets::write_table(sheet, headers, &rows).map_err(sheet_error)?;
    audit_export(st, user, what, region, "xlsx", rows.len()).await?;
    Ok(xlsx_attachment(bytes, &format!("{what}.xlsx")))
}

fn region(area: Option<gongzhi_domain::codes::AreaCode>) -> String {
    area.map_or("all".into(), |a| format!("area:{a}"))
}

pub async fn orgs(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<AreaQuery>,
) -> ApiResult<Response> {
    let area = narrowed(&user, q.area.as_deref())?;
    let nodes = view::tree(&st, area, q.include_dissolved).await?;
    let names = area_names(&st).await;
    let org_names: HashMap<i64, String> = nodes
        .iter()
        .map(|n| (n.row.id, n.row.record.name.clone()))
        .collect();
    let rows = nodes
        .iter()
        .map(|n| {
            let o = &n.row.record;
            vec![
                n.row.id.to_string(),
                format!("{}{}", "　".repeat(n.depth), o.name),
                o.level.zh().into(),
                o.kind.zh().into(),
                o.parent
                    .and_then(|p| org_names.get(&p).cloned())
                    .unwrap_or_default(),
                names
                    .get(o.area.as_str())
                    .cloned()
                    .unwrap_or_else(|| o.area.to_string()),
                o.grid.map(|g| g.to_string()).unwrap_or_default(),
                n.row.compound_name.clone().unwrap_or_default(),
                yes(o.has_committee),
                o.founded_on.to_string(),
                n.size.total().to_string(),
                n.warnings
                    .iter()
                    .map(|w| w.message.clone())
                    .collect::<Vec<_>>()
                    .join("；"),
            ]
        })
        .collect();
    send(
        &st,
        &user,
        "party_orgs",
        &region(area),
        "党组织",
        &ORG_HEADERS,
        rows,
    )
    .await
}

pub async fn members(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<MemberQuery>,
) -> ApiResult<Response> {
    let mut f = member_filter(&user, &q)?;
    f.page = Page {
        offset: 0,
        limit: 200_000,
    };
    let names = area_names(&st).await;
    let rows = st
        .store
        .members(&f)
        .await?
        .into_iter()
        .map(|m| {
            let r = m.record;
            vec![
                m.id.to_string(),
                r.name,
                r.gender,
                r.birth_date.map(|d| d.to_string()).unwrap_or_default(),
                r.status.zh().into(),
                r.joined_on.to_string(),
                r.full_on.map(|d| d.to_string()).unwrap_or_default(),
                m.org_name.unwrap_or_default(),
                names
                    .get(r.community.as_str())
                    .cloned()
                    .unwrap_or_else(|| r.community.to_string()),
                m.compound_name.unwrap_or_default(),
                r.workplace.unwrap_or_default(),
                r.left_on.map(|d| d.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    send(
        &st,
        &user,
        "party_members",
        &region(f.area),
        "党员",
        &MEMBER_HEADERS,
        rows,
    )
    .await
}

pub async fn units(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<UnitQuery>,
) -> ApiResult<Response> {
    let f = unit_filter(&user, &q)?;
    let (units, _) = view::units(&st, &f).await?;
    let names = area_names(&st).await;
    let rows = units
        .into_iter()
        .map(|u| {
            let r = u.row.record;
            vec![
                u.row.id.to_string(),
                r.name,
                r.kind.zh().into(),
                names
                    .get(r.community.as_str())
                    .cloned()
                    .unwrap_or_else(|| r.community.to_string()),
                r.grid.map(|g| g.to_string()).unwrap_or_default(),
                r.address,
                r.employees.to_string(),
                u.row.org_name.unwrap_or_else(|| "未建立".into()),
                u.row.org_members.to_string(),
                u.hollow
                    .iter()
                    .map(|h| h.message.clone())
                    .collect::<Vec<_>>()
                    .join("；"),
            ]
        })
        .collect();
    send(
        &st,
        &user,
        "party_units",
        &region(f.area),
        "驻区单位",
        &UNIT_HEADERS,
        rows,
    )
    .await
}

/// A compound as a row of [`COMPOUND_HEADERS`].
pub fn compound_cells(c: &gongzhi_store::party::CompoundRow, buildings: &[String]) -> Vec<String> {
    let r = &c.record;
    vec![
        r.code.clone(),
        r.name.clone(),
        r.community.to_string(),
        r.address.clone(),
        r.lon.map(|x| x.to_string()).unwrap_or_default(),
        r.lat.map(|y| y.to_string()).unwrap_or_default(),
        r.property_company.clone().unwrap_or_default(),
        buildings.join("、"),
    ]
}

pub async fn compounds(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<CompoundQuery>,
) -> ApiResult<Response> {
    let f = compound_filter(&user, &q)?;
    let mut rows = Vec::new();
    for c in st.store.compounds(&f).await? {
        let b = st.store.compound_buildings(c.id).await?;
        rows.push(compound_cells(&c, &b));
    }
    send(
        &st,
        &user,
        "compounds",
        &region(f.area),
        "小区",
        &COMPOUND_HEADERS,
        rows,
    )
    .await
}
