//! 吹哨报到双考核 rankings by month: each department's check-in punctuality and the streets'
//! scores for it, with the closed loop's three rates on the cases it handled, combined into one
//! score under configurable weights (`gongzhi_domain::metrics::department_score`); and each
//! street's coordination as the departments rated it. As JSON, a page and an .xlsx workbook.

use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::http::StatusCode;
use gongzhi_domain::access::{List, Listing};
use gongzhi_domain::calendar::{Date, date_of, start_of};
use gongzhi_domain::case::WhistleScores;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::metrics::{
    DepartmentWeights, FollowUps, Weights, WhistleTally, department_score, percent,
};
use gongzhi_store::{CaseFilter, WhistleFilter};
use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The query of `/api/v1/whistles/rankings(.xlsx)` and `/whistles/rankings`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct RankingQuery {
    /// `YYYY-MM`; this month by default.
    pub month: Option<String>,
    pub w_loop: Option<String>,
    pub w_rating: Option<String>,
    pub w_punctuality: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DepartmentRank {
    pub rank: usize,
    pub department: String,
    pub name: String,
    /// Times summoned in the month.
    pub summons: u64,
    pub acknowledged_late: u64,
    pub arrived_late: u64,
    /// Deadlines passed before arrival.
    pub missed_deadline: u64,
    /// Late check-ins of all kinds, over `check_ins_due` settled check-ins.
    pub late_check_ins: u64,
    pub check_ins_due: u64,
    /// 按时报到率, percent.
    pub on_time_rate: Option<f64>,
    pub done: u64,
    /// Parts the street sent back at least once.
    pub reopened: u64,
    /// Parts the street rated, and its mean scores (response, arrival, cooperation, result).
    pub rated: u64,
    pub scores: Option<[f64; 4]>,
    /// The street's rating as a percentage of the top score.
    pub rating_share: Option<f64>,
    /// The closed loop on the cases it handled (reported in the month): valid follow-ups and
    /// the three rates with 综合成绩, percent.
    pub follow_ups: u64,
    pub response_rate: Option<f64>,
    pub resolution_rate: Option<f64>,
    pub satisfaction_rate: Option<f64>,
    pub closed_loop: Option<f64>,
    /// The combined score, percent.
    pub score: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct StreetRank {
    pub rank: usize,
    pub street: String,
    pub name: String,
    pub whistles: u64,
    pub summons: u64,
    /// The departments' scores for the street's coordination.
    pub coordination_rated: u64,
    pub coordination_mean: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Ranking {
    pub month: String,
    pub weights: DepartmentWeights,
    pub rating_scale: u8,
    pub departments: Vec<DepartmentRank>,
    pub streets: Vec<StreetRank>,
}

fn bad(field: &str, zh: String, en: String) -> ApiError {
    ApiError::bad_request(field, zh, en)
}

/// `YYYY-MM` → the month's first day and the next month's first day.
pub fn month_range(raw: Option<&str>, today: Date) -> ApiResult<(Date, Date)> {
    let first = match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Date::new(today.year(), today.month(), 1),
        Some(s) => s
            .split_once('-')
            .and_then(|(y, m)| Date::new(y.parse().ok()?, m.parse().ok()?, 1)),
    }
    .ok_or_else(|| {
        bad(
            "month",
            format!("月份应为 YYYY-MM：{}", raw.unwrap_or("")),
            format!("a month must be YYYY-MM: {}", raw.unwrap_or("")),
        )
    })?;
    let (y, m) = (first.year(), first.month());
    let next = if m == 12 {
        Date::new(y + 1, 1, 1)
    } else {
        Date::new(y, m + 1, 1)
    }
    .ok_or_else(|| bad("month", "月份超出范围".into(), "month out of range".into()))?;
    Ok((first, next))
}

fn weight(field: &str, raw: &Option<String>, default: f64) -> ApiResult<f64> {
    match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => match s.parse::<f64>() {
            Ok(w) if w.is_finite() && (0.0..=1.0).contains(&w) => Ok(w),
            _ => Err(bad(
                field,
                format!("权重应为 0 到 1 之间的数：{s}"),
                format!("a weight must be a number from 0 to 1: {s}"),
            )),
        },
    }
}

pub fn weights(q: &RankingQuery) -> ApiResult<DepartmentWeights> {
    let d = DepartmentWeights::default();
    let w = DepartmentWeights {
        closed_loop: weight("w_loop", &q.w_loop, d.closed_loop)?,
        street_rating: weight("w_rating", &q.w_rating, d.street_rating)?,
        punctuality: weight("w_punctuality", &q.w_punctuality, d.punctuality)?,
    };
    if w.closed_loop + w.street_rating + w.punctuality <= 0.0 {
        return Err(bad(
            "w_loop",
            "三项权重不能全为 0".into(),
            "the three weights cannot all be 0".into(),
        ));
    }
    Ok(w)
}

/// The part of the city the caller's rankings cover, as the policy lists it: its area, or the
/// whole city for city-wide and department accounts (a ranking compares departments across the
/// city).
fn region(user: &User) -> ApiResult<Option<AreaCode>> {
    match user.listing(List::Rankings) {
        Listing::Everything => Ok(None),
        Listing::Area(a) => Ok(Some(a)),
        Listing::Grid(_)
        | Listing::Department(_)
        | Listing::Reports(_)
        | Listing::Linked(_)
        | Listing::Nothing => {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "考核排名仅向街乡、部门和监督人员开放",
                "rankings are for streets, departments and supervisors",
            ))
        }
    }
}

fn pct(x: Option<f64>) -> Option<f64> {
    x.map(percent)
}

fn two(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The month's ranking for the caller.
pub async fn ranking(st: &AppState, user: &User, q: &RankingQuery) -> ApiResult<Ranking> {
    let area = region(user)?;
    let today = date_of(gongzhi_store::now_millis());
    let (first, next) = month_range(q.month.as_deref(), today)?;
    let w = weights(q)?;
    let (from, to) = (start_of(first), start_of(next));
    let scale = st.loop_cfg.current().whistle.rating_scale;

    // The parts summoned in the month, by department and by street.
    let mut by_dept: BTreeMap<String, WhistleTally> = BTreeMap::new();
    let mut by_street: BTreeMap<String, (WhistleTally, BTreeSet<(i64, u32)>)> = BTreeMap::new();
    let rows = st
        .store
        .whistle_cases(&WhistleFilter {
            area,
            summoned_from: Some(from),
            summoned_to: Some(to),
            limit: 100_000,
            ..Default::default()
        })
        .await?;
    for row in &rows {
        for wh in &row.case.whistles {
            for p in wh
                .parts
                .iter()
                .filter(|p| (from..to).contains(&p.summoned_at))
            {
                by_dept.entry(p.department.clone()).or_default().add(p);
                let street = wh.street.map(|s| s.to_string()).unwrap_or_default();
                let e = by_street.entry(street).or_default();
                e.0.add(p);
                e.1.insert((row.id, wh.no));
            }
        }
    }

    // The closed loop on the cases each department handled, reported in the month.
    let mut loops: HashMap<String, FollowUps> = HashMap::new();
    let mut f = CaseFilter {
        area,
        reported_from: Some(from),
        reported_to: Some(to - 1),
        limit: 2_000,
        ..Default::default()
    };
    loop {
        let page = st.store.cases(&f).await?;
        for row in &page {
            if let (Some(d), Some(r)) = (&row.case.department, &row.case.rating) {
                loops.entry(d.clone()).or_default().add(r);
            }
        }
        if (page.len() as i64) < f.limit {
            break;
        }
        f.offset += f.limit;
    }

    let names: HashMap<String, String> = st
        .store
        .departments()
        .await?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    let codes: BTreeSet<String> = by_dept.keys().chain(loops.keys()).cloned().collect();
    let loop_weights = Weights::default();
    let mut departments: Vec<DepartmentRank> = codes
        .into_iter()
        .map(|code| {
            let t = by_dept.get(&code).copied().unwrap_or_default();
            let fu = loops.get(&code).copied().unwrap_or_default();
            let rates = fu.rates(&loop_weights);
            let score =
                department_score(rates.composite, t.rating_share(scale), t.on_time_rate(), &w);
            DepartmentRank {
                rank: 0,
                name: names.get(&code).cloned().unwrap_or_else(|| code.clone()),
                department: code,
                summons: t.summons,
                acknowledged_late: t.acknowledged_late,
                arrived_late: t.arrived_late,
                missed_deadline: t.missed_deadline,
                late_check_ins: t.late_check_ins(),
                check_ins_due: t.check_ins_due,
                on_time_rate: pct(t.on_time_rate()),
                done: t.done,
                reopened: t.reopened,
                rated: t.rated,
                scores: t.mean_scores().map(|s| s.map(two)),
                rating_share: pct(t.rating_share(scale)),
                follow_ups: fu.valid,
                response_rate: pct(rates.response_rate),
                resolution_rate: pct(rates.resolution_rate),
                satisfaction_rate: pct(rates.satisfaction_rate),
                closed_loop: pct(rates.composite),
                score: pct(score),
            }
        })
        .collect();
    departments.sort_by(|a, b| {
        b.score
            .unwrap_or(-1.0)
            .total_cmp(&a.score.unwrap_or(-1.0))
            .then_with(|| a.department.cmp(&b.department))
    });
    for (i, d) in departments.iter_mut().enumerate() {
        d.rank = i + 1;
    }

    let mut streets = Vec::new();
    for (code, (t, whistles)) in by_street {
        let name = match AreaCode::parse(&code) {
            Ok(a) => st.store.area(&a).await?.map(|r| r.name).unwrap_or_default(),
            Err(_) => "—".to_string(),
        };
        streets.push(StreetRank {
            rank: 0,
            street: code,
            name,
            whistles: whistles.len() as u64,
            summons: t.summons,
            coordination_rated: t.coordination_rated,
            coordination_mean: t.coordination_mean().map(two),
        });
    }
    streets.sort_by(|a, b| {
        b.coordination_mean
            .unwrap_or(-1.0)
            .total_cmp(&a.coordination_mean.unwrap_or(-1.0))
            .then_with(|| a.street.cmp(&b.street))
    });
    for (i, s) in streets.iter_mut().enumerate() {
        s.rank = i + 1;
    }
    Ok(Ranking {
        month: format!("{:04}-{:02}", first.year(), first.month()),
        weights: w,
        rating_scale: scale,
        departments,
        streets,
    })
}

/// The ranking as a workbook: departments, streets, and the notes on how each figure is made.
pub fn workbook(r: &Ranking) -> Result<Vec<u8>, XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_border_bottom(FormatBorder::Thin);
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.00%");
    let mut wb = Workbook::new();

    let sheet = wb.add_worksheet();
    sheet.set_name("部门排名")?;
    let mut heads: Vec<&str> = vec![
        "名次",
        "部门",
        "代码",
        "被召集",
        "接哨超时",
        "到场超时",
        "报到超时未到",
        "迟报到合计",
        "应报到",
        "按时报到率",
        "已办结",
        "被退回",
        "街乡评价数",
    ];
    heads.extend(WhistleScores::NAMES.map(|(zh, _)| zh));
    heads.extend([
        "街乡评价得分率",
        "有效回访",
        "响应率",
        "解决率",
        "满意率",
        "综合成绩",
        "考核得分",
    ]);
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &header)?;
        sheet.set_column_width(c as u16, if c == 1 { 16 } else { 10 })?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (i, d) in r.departments.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_number(row, 0, d.rank as f64)?;
        sheet.write_string(row, 1, &d.name)?;
        sheet.write_string(row, 2, &d.department)?;
        let mut c = 3u16;
        for v in [
            d.summons,
            d.acknowledged_late,
            d.arrived_late,
            d.missed_deadline,
            d.late_check_ins,
            d.check_ins_due,
        ] {
            sheet.write_number(row, c, v as f64)?;
            c += 1;
        }
        let rate = |sheet: &mut rust_xlsxwriter::Worksheet,
                    c: &mut u16,
                    v: Option<f64>|
         -> Result<(), XlsxError> {
            match v {
                Some(p) => sheet.write_number_with_format(row, *c, p / 100.0, &pct)?,
                None => sheet.write_string(row, *c, "—")?,
            };
            *c += 1;
            Ok(())
        };
        rate(sheet, &mut c, d.on_time_rate)?;
        for v in [d.done, d.reopened, d.rated] {
            sheet.write_number(row, c, v as f64)?;
            c += 1;
        }
        for i in 0..4 {
            match d.scores {
                Some(s) => sheet.write_number(row, c, s[i])?,
                None => sheet.write_string(row, c, "—")?,
            };
            c += 1;
        }
        rate(sheet, &mut c, d.rating_share)?;
        sheet.write_number(row, c, d.follow_ups as f64)?;
        c += 1;
        for v in [
            d.response_rate,
            d.resolution_rate,
            d.satisfaction_rate,
            d.closed_loop,
            d.score,
        ] {
            rate(sheet, &mut c, v)?;
        }
    }

    let streets = wb.add_worksheet();
    streets.set_name("街乡统筹评价")?;
    for (c, h) in [
        "名次",
        "街乡",
        "代码",
        "吹哨次数",
        "召集部门次数",
        "部门评价数",
        "统筹平均分",
    ]
    .iter()
    .enumerate()
    {
        streets.write_string_with_format(0, c as u16, *h, &header)?;
        streets.set_column_width(c as u16, if c == 1 { 16 } else { 12 })?;
    }
    for (i, s) in r.streets.iter().enumerate() {
        let row = i as u32 + 1;
        streets.write_number(row, 0, s.rank as f64)?;
        streets.write_string(row, 1, &s.name)?;
        streets.write_string(row, 2, &s.street)?;
        streets.write_number(row, 3, s.whistles as f64)?;
        streets.write_number(row, 4, s.summons as f64)?;
        streets.write_number(row, 5, s.coordination_rated as f64)?;
        match s.coordination_mean {
            Some(m) => streets.write_number(row, 6, m)?,
            None => streets.write_string(row, 6, "—")?,
        };
    }

    let notes = wb.add_worksheet();
    notes.set_name("口径")?;
    notes.set_column_width(0, 16)?;
    notes.set_column_width(1, 80)?;
    let w = &r.weights;
    let lines = [
        (
            "统计月份",
            format!("{}（按召集时间、案件上报时间，北京时间）", r.month),
        ),
        (
            "按时报到率",
            "按时接哨且按时到场的报到 ÷ 应报到（已到场或已超时）".to_string(),
        ),
        (
            "街乡评价得分率",
            format!(
                "街乡对响应、到场、配合、成效四项评分之和 ÷（评价数 × 4 × {}）",
                r.rating_scale
            ),
        ),
        (
            "综合成绩",
            "0.1 × 响应率 + 0.5 × 解决率 + 0.4 × 满意率（该部门处置、当月上报的案件）".to_string(),
        ),
        (
            "考核得分",
            format!(
                "{} × 综合成绩 + {} × 街乡评价得分率 + {} × 按时报到率；缺项不计，其余权重按比例折算",
                w.closed_loop, w.street_rating, w.punctuality
            ),
        ),
        (
            "统筹平均分",
            format!(
                "被召集部门对街乡统筹协调的评分平均值（1–{}）",
                r.rating_scale
            ),
        ),
        ("—", "没有可计算的数据".to_string()),
    ];
    for (i, (k, v)) in lines.iter().enumerate() {
        notes.write_string_with_format(i as u32, 0, *k, &bold)?;
        notes.write_string(i as u32, 1, v)?;
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_weights_are_checked() {
        let today = Date::new(2026, 12, 5).unwrap();
        let (a, b) = month_range(None, today).unwrap();
        assert_eq!(
            (a.to_string(), b.to_string()),
            ("2026-12-01".into(), "2027-01-01".into())
        );
        let (a, b) = month_range(Some("2026-02"), today).unwrap();
        assert_eq!(
            (a.to_string(), b.to_string()),
            ("2026-02-01".into(), "2026-03-01".into())
        );
        assert!(month_range(Some("2026-13"), today).is_err());
        assert!(month_range(Some("x"), today).is_err());
        let q = RankingQuery {
            w_loop: Some("0".into()),
            w_rating: Some("0".into()),
            w_punctuality: Some("0".into()),
            ..Default::default()
        };
        assert_eq!(
            weights(&q).unwrap_err().body.field.as_deref(),
            Some("w_loop")
        );
        let q = RankingQuery {
            w_rating: Some("1.5".into()),
            ..Default::default()
        };
        assert_eq!(
            weights(&q).unwrap_err().body.field.as_deref(),
            Some("w_rating")
        );
        assert_eq!(
            weights(&RankingQuery::default()).unwrap(),
            DepartmentWeights::default()
        );
    }
}
