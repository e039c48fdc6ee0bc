//! The cadre-structure report (`/api/v1/reports/cadre-structure`, its `.xlsx` and the page):
//! the cadres in post on a day inside an area, by age band, education, gender and post, for
//! each community and in total, percentages with two decimals adding up to 100.00.

use crate::auth::User;
use crate::cases::import_table::xlsx_attachment;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::http::StatusCode;
use axum::response::Response;
use gongzhi_domain::access::{Action, List, Listing, Target};
use gongzhi_domain::cadre_roster::{AgeBand, AgeBands, Structure, Tally, structure};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::{AreaCode, AreaLevel};
use gongzhi_store::CadreFilter;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ReportQuery {
    /// Any area; the caller's own by default.
    pub area: Option<String>,
    /// `YYYY-MM-DD`: ages on this day, cadres in post on it; today by default.
    pub on: Option<String>,
    /// Age bands by their lower bounds, e.g. `30,45` (the default).
    pub bands: Option<String>,
}

/// One category: its count and share in percent (two decimals; `None` for an empty group).
#[derive(Clone, Debug, Serialize)]
pub struct TallyOut {
    pub key: String,
    pub zh: String,
    pub en: String,
    pub count: u64,
    pub percent: Option<f64>,
}

/// One group (a community, or the total): how many cadres and their structure.
#[derive(Clone, Debug, Serialize)]
pub struct GroupReport {
    /// The community's code; `None` for the total.
    pub code: Option<String>,
    pub name: String,
    pub count: u64,
    pub age: Vec<TallyOut>,
    pub education: Vec<TallyOut>,
    pub gender: Vec<TallyOut>,
    pub post: Vec<TallyOut>,
}

#[derive(Clone, Debug, Serialize)]
pub struct StructureReport {
    /// The area reported on; `None`: the whole city.
    pub area: Option<String>,
    pub area_name: String,
    pub on: Date,
    pub bands: Vec<u32>,
    pub age_bands: Vec<AgeBand>,
    pub total: GroupReport,
    /// Every community of the area, in code order, with or without cadres.
    pub communities: Vec<GroupReport>,
}

fn tally(t: Tally) -> TallyOut {
    TallyOut {
        percent: t.percent.map(|p| f64::from(p) / 100.0),
        key: t.key,
        zh: t.zh,
        en: t.en,
        count: t.count,
    }
}

fn group(code: Option<String>, name: String, s: Structure) -> GroupReport {
    GroupReport {
        code,
        name,
        count: s.count,
        age: s.age.into_iter().map(tally).collect(),
        education: s.education.into_iter().map(tally).collect(),
        gender: s.gender.into_iter().map(tally).collect(),
        post: s.post.into_iter().map(tally).collect(),
    }
}

fn bad(field: &str, zh: String, en: String) -> ApiError {
    ApiError::bad_request(field, zh, en)
}

/// The area a report or list covers: the one asked for, which must be inside the caller's
/// listing, or the caller's own (`None`: the whole city, for a city-wide account).
pub fn area_of(user: &User, raw: Option<&str>) -> ApiResult<Option<AreaCode>> {
    let listed = match user.listing(List::CadreRoster) {
        Listing::Everything => None,
        Listing::Area(a) => Some(a),
        _ => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "您无权查看社区干部名册",
                "you may not see the community cadre roster",
            ));
        }
    };
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(listed),
        Some(s) => {
            let a = crate::http::api_geo::parse_area("area", s)?;
            user.may(Action::ManageCadreRoster, &Target::Area(a))?;
            Ok(Some(a))
        }
    }
}

/// Computes the report the query asks for.
pub async fn report(st: &AppState, user: &User, q: &ReportQuery) -> ApiResult<StructureReport> {
    let area = area_of(user, q.area.as_deref())?;
    let on = match q.on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => gongzhi_domain::calendar::date_of(gongzhi_store::now_millis()),
        Some(s) => Date::parse(s).ok_or_else(|| {
            bad(
                "on",
                format!("日期应为 YYYY-MM-DD：{s}"),
                format!("the date must be YYYY-MM-DD: {s}"),
            )
        })?,
    };
    let bands = match q.bands.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => AgeBands::shipped(),
        Some(s) => AgeBands::parse(s).ok_or_else(|| {
            bad(
                "bands",
                format!("年龄段分界应为逐个增大的 1–120 之间的整数，以逗号分隔（如 30,45）：{s}"),
                format!(
                    "age band bounds must be rising whole numbers in 1–120 separated by commas (e.g. 30,45): {s}"
                ),
            )
        })?,
    };
    let areas = st.store.areas().await?;
    let area_name = match &area {
        None => "全市".to_string(),
        Some(a) => areas
            .iter()
            .find(|x| x.code == *a)
            .map(|x| x.name.clone())
            .ok_or_else(|| ApiError::not_found(format!("区划 {a}"), format!("area {a}")))?,
    };
    let rows = st
        .store
        .cadre_roster(&CadreFilter {
            area,
            serving_on: Some(on),
        })
        .await?;
    let facts = |c: &gongzhi_store::CadreRow| {
        (
            c.cadre.birth_date,
            c.cadre.education,
            c.cadre.gender,
            c.cadre.post,
        )
    };
    let mut by_community: BTreeMap<AreaCode, Vec<_>> = areas
        .iter()
        .filter(|a| {
            a.code.level() == AreaLevel::Community && area.is_none_or(|x| x.contains(&a.code))
        })
        .map(|a| (a.code, Vec::new()))
        .collect();
    for r in &rows {
        by_community
            .entry(r.cadre.community)
            .or_default()
            .push(facts(r));
    }
    let names: BTreeMap<AreaCode, String> =
        areas.iter().map(|a| (a.code, a.name.clone())).collect();
    let all: Vec<_> = rows.iter().map(facts).collect();
    Ok(StructureReport {
        area: area.map(|a| a.to_string()),
        area_name,
        on,
        bands: bands.bounds().to_vec(),
        age_bands: bands.bands(),
        total: group(None, "合计".into(), structure(&all, on, &bands)),
        communities: by_community
            .into_iter()
            .map(|(code, cadres)| {
                let name = names
                    .get(&code)
                    .cloned()
                    .unwrap_or_else(|| code.to_string());
                group(Some(code.to_string()), name, structure(&cadres, on, &bands))
            })
            .collect(),
    })
}

/// The four tables a report has, each with its Chinese and English title.
pub const DIMENSIONS: [(&str, &str, &str); 4] = [
    ("age", "年龄结构", "Age"),
    ("education", "学历结构", "Education"),
    ("gender", "性别结构", "Gender"),
    ("post", "职务结构", "Post"),
];

impl GroupReport {
    pub fn dimension(&self, key: &str) -> &[TallyOut] {
        match key {
            "age" => &self.age,
            "education" => &self.education,
            "gender" => &self.gender,
            _ => &self.post,
        }
    }
}

fn workbook(r: &StructureReport) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let header = Format::new().set_bold().set_background_color(0xEEF1F4);
    let pct = Format::new().set_num_format("0.00");
    for (key, title, _) in DIMENSIONS {
        let ws = wb.add_worksheet();
        ws.set_name(title)?;
        let cats = r.total.dimension(key);
        ws.write_string_with_format(0, 0, "社区", &header)?;
        ws.write_string_with_format(0, 1, "代码", &header)?;
        ws.write_string_with_format(0, 2, "干部人数", &header)?;
        for (i, c) in cats.iter().enumerate() {
            let col = 3 + 2 * i as u16;
            ws.write_string_with_format(0, col, format!("{}（人）", c.zh), &header)?;
            ws.write_string_with_format(0, col + 1, format!("{}（%）", c.zh), &header)?;
        }
        ws.set_column_width(0, 16)?;
        ws.set_column_width(1, 14)?;
        ws.set_freeze_panes(1, 1)?;
        let groups = std::iter::once(&r.total).chain(&r.communities);
        for (row, g) in groups.enumerate() {
            let row = row as u32 + 1;
            ws.write_string(row, 0, &g.name)?;
            ws.write_string(row, 1, g.code.as_deref().unwrap_or(""))?;
            ws.write_number(row, 2, g.count as f64)?;
            for (i, c) in g.dimension(key).iter().enumerate() {
                let col = 3 + 2 * i as u16;
                ws.write_number(row, col, c.count as f64)?;
                if let Some(p) = c.percent {
                    ws.write_number_with_format(row, col + 1, p, &pct)?;
                }
            }
        }
    }
    let about = wb.add_worksheet();
    about.set_name("说明")?;
    about.write_string(0, 0, "区划")?;
    about.write_string(0, 1, &r.area_name)?;
    about.write_string(1, 0, "统计日期")?;
    about.write_string(1, 1, r.on.to_string())?;
    about.write_string(2, 0, "年龄段")?;
    about.write_string(
        2,
        1,
        r.age_bands
            .iter()
            .map(|b| b.zh.as_str())
            .collect::<Vec<_>>()
            .join("、"),
    )?;
    about.write_string(3, 0, "说明")?;
    about.write_string(
        3,
        1,
        "年龄按统计日期的周岁计算；仅统计当日在任的干部；占比保留两位小数，按最大余数法使各组合计为 100.00%",
    )?;
    about.set_column_width(1, 60)?;
    wb.save_to_buffer()
}

/// The report as a workbook: one sheet per dimension (total first, then each community).
pub async fn report_xlsx(st: &AppState, user: &User, q: &ReportQuery) -> ApiResult<Response> {
    let r = report(st, user, q).await?;
    let bytes = workbook(&r).map_err(|e| {
        tracing::error!(error = %e, "cadre-structure workbook");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "生成表格失败",
            "the workbook could not be written",
        )
    })?;
    crate::http::api_io::audit_export(
        st,
        user,
        "cadre_structure",
        r.area.as_deref().unwrap_or("all"),
        "xlsx",
        r.communities.len() + 1,
    )
    .await?;
    Ok(xlsx_attachment(
        bytes,
        &format!("cadre-structure-{}.xlsx", r.on),
    ))
}
