//! The scorecard query: how to group, which reported dates (Beijing calendar days), the
//! composite weights, and optional narrowing within the caller's scope. Every value arrives as
//! text so that a bad one is refused naming its field, not with axum's generic message.

use crate::auth::User;
use crate::cases::api::{CaseQuery, listed_cases};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use gongzhi_domain::access::List;
use gongzhi_domain::calendar::{Date, start_of};
use gongzhi_domain::case::Channel;
use gongzhi_domain::metrics::Weights;
use gongzhi_store::CaseFilter;
use serde::{Deserialize, Serialize};

/// How cases are grouped on a scorecard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Street,
    Community,
    Grid,
    Department,
    Month,
    Category,
    /// The account whose report-back is the case's latest (处置人).
    Worker,
    /// The major category (大类) of the case's category.
    Major,
    /// The channel the case came in by (来源渠道).
    Channel,
    /// The report day (日趋势).
    Day,
    /// The week of the report day, Monday to Sunday (周趋势).
    Week,
}

impl GroupBy {
    pub const ALL: [GroupBy; 11] = [
        GroupBy::Street,
        GroupBy::Community,
        GroupBy::Grid,
        GroupBy::Department,
        GroupBy::Month,
        GroupBy::Category,
        GroupBy::Worker,
        GroupBy::Major,
        GroupBy::Channel,
        GroupBy::Day,
        GroupBy::Week,
    ];

    /// A trend over time: its groups are periods, filled where no case was reported.
    pub fn is_time(self) -> bool {
        matches!(self, GroupBy::Month | GroupBy::Day | GroupBy::Week)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Street => "street",
            GroupBy::Community => "community",
            GroupBy::Grid => "grid",
            GroupBy::Department => "department",
            GroupBy::Month => "month",
            GroupBy::Category => "category",
            GroupBy::Worker => "worker",
            GroupBy::Major => "major",
            GroupBy::Channel => "channel",
            GroupBy::Day => "day",
            GroupBy::Week => "week",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            GroupBy::Street => "街道",
            GroupBy::Community => "社区",
            GroupBy::Grid => "网格",
            GroupBy::Department => "部门",
            GroupBy::Month => "月份",
            GroupBy::Category => "类别",
            GroupBy::Worker => "处置人",
            GroupBy::Major => "大类",
            GroupBy::Channel => "渠道",
            GroupBy::Day => "日期",
            GroupBy::Week => "周",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            GroupBy::Street => "Street",
            GroupBy::Community => "Community",
            GroupBy::Grid => "Grid",
            GroupBy::Department => "Department",
            GroupBy::Month => "Month",
            GroupBy::Category => "Category",
            GroupBy::Worker => "Handler",
            GroupBy::Major => "Major category",
            GroupBy::Channel => "Channel",
            GroupBy::Day => "Day",
            GroupBy::Week => "Week",
        }
    }

    /// The English key or the Chinese label.
    pub fn parse(s: &str) -> Option<GroupBy> {
        let s = s.trim();
        GroupBy::ALL
            .into_iter()
            .find(|b| s.eq_ignore_ascii_case(b.as_str()) || s == b.zh())
    }
}

/// The query string of `/api/v1/metrics`, `/api/v1/metrics.xlsx` and `/scorecards`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct MetricsQuery {
    pub by: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub w_response: Option<String>,
    pub w_resolution: Option<String>,
    pub w_satisfaction: Option<String>,
    pub area: Option<String>,
    pub grid: Option<String>,
    pub department: Option<String>,
    /// A category code (a major one stands for its minor ones).
    pub category: Option<String>,
    /// A channel code or its Chinese name.
    pub channel: Option<String>,
}

/// A checked query.
#[derive(Clone, Debug)]
pub struct Params {
    pub by: GroupBy,
    pub from: Date,
    pub to: Date,
    pub weights: Weights,
    pub area: Option<String>,
    pub grid: Option<String>,
    pub department: Option<String>,
    /// As given: a minor or major category code.
    pub category: Option<String>,
    pub channel: Option<Channel>,
}

/// How far the three weights may miss 1 (they are typed by hand as 0.1 / 0.5 / 0.4).
const WEIGHT_TOLERANCE: f64 = 0.001;

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn date(field: &str, raw: Option<&str>, default: Date) -> ApiResult<Date> {
    match raw {
        None => Ok(default),
        Some(s) => Date::parse(s).ok_or_else(|| {
            ApiError::bad_request(
                field,
                format!("日期应为 YYYY-MM-DD：{s}"),
                format!("a date must be YYYY-MM-DD: {s}"),
            )
        }),
    }
}

fn weight(field: &str, raw: Option<&str>, default: f64) -> ApiResult<f64> {
    let Some(s) = raw else {
        return Ok(default);
    };
    match s.parse::<f64>() {
        Ok(w) if w.is_finite() && (0.0..=1.0).contains(&w) => Ok(w),
        _ => Err(ApiError::bad_request(
            field,
            format!("权重应为 0 到 1 之间的数：{s}"),
            format!("a weight must be a number from 0 to 1: {s}"),
        )),
    }
}

impl Params {
    /// Checks a query; `today` (Beijing date) gives the default range, this calendar year.
    pub fn parse(q: &MetricsQuery, today: Date) -> ApiResult<Params> {
        let by = match given(&q.by) {
            None => GroupBy::Street,
            Some(s) => GroupBy::parse(s).ok_or_else(|| {
                ApiError::bad_request(
                    "by",
                    format!("未知的分组方式：{s}（可用 street、community、grid、department、month、category、worker、major、channel、day、week）"),
                    format!("unknown grouping: {s} (use street, community, grid, department, month, category, worker, major, channel, day or week)"),
                )
            })?,
        };
        let year = today.year();
        let jan1 = Date::new(year, 1, 1).unwrap_or(today);
        let dec31 = Date::new(year, 12, 31).unwrap_or(today);
        let from = date("from", given(&q.from), jan1)?;
        let to = date("to", given(&q.to), dec31)?;
        if from > to {
            return Err(ApiError::bad_request(
                "to",
                format!("结束日期 {to} 早于开始日期 {from}"),
                format!("the end date {to} is before the start date {from}"),
            ));
        }
        let d = Weights::default();
        let raw = [
            ("w_response", given(&q.w_response)),
            ("w_resolution", given(&q.w_resolution)),
            ("w_satisfaction", given(&q.w_satisfaction)),
        ];
        let weights = Weights {
            response: weight(raw[0].0, raw[0].1, d.response)?,
            resolution: weight(raw[1].0, raw[1].1, d.resolution)?,
            satisfaction: weight(raw[2].0, raw[2].1, d.satisfaction)?,
            basically_satisfied: d.basically_satisfied,
        };
        let sum = weights.response + weights.resolution + weights.satisfaction;
        if (sum - 1.0).abs() > WEIGHT_TOLERANCE {
            // Blame the first weight the caller changed: the defaults alone always add up.
            let field = raw
                .iter()
                .find(|(_, v)| v.is_some())
                .map_or("w_response", |(f, _)| *f);
            return Err(ApiError::bad_request(
                field,
                format!("响应率、解决率、满意率的权重之和应为 1，现为 {sum:.3}"),
                format!(
                    "the weights of response, resolution and satisfaction must add up to 1, not {sum:.3}"
                ),
            ));
        }
        let channel = match given(&q.channel) {
            None => None,
            Some(s) => Some(Channel::parse(s).ok_or_else(|| {
                ApiError::bad_request(
                    "channel",
                    format!("未知的渠道：{s}"),
                    format!("unknown channel: {s}"),
                )
            })?),
        };
        Ok(Params {
            by,
            from,
            to,
            weights,
            area: given(&q.area).map(str::to_string),
            grid: given(&q.grid).map(str::to_string),
            department: given(&q.department).map(str::to_string),
            category: given(&q.category).map(str::to_string),
            channel,
        })
    }

    /// First instant of `from`, CST.
    pub fn from_ms(&self) -> i64 {
        start_of(self.from)
    }

    /// Last millisecond of `to`, CST: the range is inclusive of whole days.
    pub fn to_ms(&self) -> i64 {
        start_of(self.to.succ()) - 1
    }

    /// The caller's cases reported in the range: `listed_cases` applies what the policy lists
    /// for scorecards and refuses narrowing outside it, exactly as the case list does.
    /// The category filter is checked against the category tree here: an unknown one is a 400,
    /// a major one becomes its minor ones (as in the case search).
    pub async fn filter(&self, st: &AppState, user: &User) -> ApiResult<CaseFilter> {
        let q = CaseQuery {
            area: self.area.clone(),
            grid: self.grid.clone(),
            department: self.department.clone(),
            ..Default::default()
        };
        let mut f = listed_cases(user, List::Scorecards, &q)?;
        f.reported_from = Some(self.from_ms());
        f.reported_to = Some(self.to_ms());
        if let Some(c) = &self.category {
            f.categories = crate::cases::search::category_codes(st, c).await?;
        }
        Ok(f)
    }

    /// This query as a URL query string with another grouping (chart sources, export link).
    pub fn query_string(&self, by: GroupBy) -> String {
        let w = &self.weights;
        let mut s = format!(
            "by={}&from={}&to={}&w_response={}&w_resolution={}&w_satisfaction={}",
            by.as_str(),
            self.from,
            self.to,
            w.response,
            w.resolution,
            w.satisfaction
        );
        let channel = self.channel.map(|c| c.as_str().to_string());
        for (k, v) in [
            ("area", &self.area),
            ("grid", &self.grid),
            ("department", &self.department),
            ("category", &self.category),
            ("channel", &channel),
        ] {
            if let Some(v) = v {
                s.push_str(&format!("&{k}={}", encode(v)));
            }
        }
        s
    }
}

/// Percent-encodes a query value (department codes are free text).
fn encode(v: &str) -> String {
    let mut out = String::new();
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 27).unwrap()
    }

    fn q(pairs: &[(&str, &str)]) -> MetricsQuery {
        let mut q = MetricsQuery::default();
        for (k, v) in pairs {
            let v = Some(v.to_string());
            match *k {
                "by" => q.by = v,
                "from" => q.from = v,
                "to" => q.to = v,
                "w_response" => q.w_response = v,
                "w_resolution" => q.w_resolution = v,
                "w_satisfaction" => q.w_satisfaction = v,
                "department" => q.department = v,
                "channel" => q.channel = v,
                _ => unreachable!(),
            }
        }
        q
    }

    fn field(r: ApiResult<Params>) -> String {
        r.unwrap_err().body.field.unwrap_or_default()
    }

    #[test]
    fn defaults_are_this_year_by_street_with_the_published_weights() {
        let p = Params::parse(&q(&[]), today()).unwrap();
        assert_eq!(p.by, GroupBy::Street);
        assert_eq!(
            (p.from.to_string(), p.to.to_string()),
            ("2026-01-01".into(), "2026-12-31".into())
        );
        assert_eq!(p.weights, Weights::default());
        assert_eq!(p.to_ms() - p.from_ms() + 1, 365 * 86_400_000);
    }

    #[test]
    fn bad_values_name_their_field() {
        assert_eq!(
            field(Params::parse(&q(&[("by", "district")]), today())),
            "by"
        );
        assert_eq!(
            field(Params::parse(&q(&[("from", "2026-13-01")]), today())),
            "from"
        );
        assert_eq!(
            field(Params::parse(
                &q(&[("from", "2026-05-01"), ("to", "2026-04-30")]),
                today()
            )),
            "to"
        );
        assert_eq!(
            field(Params::parse(&q(&[("w_resolution", "x")]), today())),
            "w_resolution"
        );
        assert_eq!(
            field(Params::parse(&q(&[("w_response", "0.2")]), today())),
            "w_response"
        );
        assert_eq!(
            field(Params::parse(&q(&[("w_satisfaction", "0.5")]), today())),
            "w_satisfaction"
        );
    }

    #[test]
    fn weights_within_tolerance_pass() {
        let p = Params::parse(
            &q(&[
                ("w_response", "0.2"),
                ("w_resolution", "0.4"),
                ("w_satisfaction", "0.4005"),
                ("by", "部门"),
            ]),
            today(),
        )
        .unwrap();
        assert_eq!(p.by, GroupBy::Department);
        assert_eq!(p.weights.response, 0.2);
    }

    #[test]
    fn query_string_round_trips_and_encodes() {
        let p = Params::parse(&q(&[("department", "城管 CG")]), today()).unwrap();
        assert_eq!(
            p.query_string(GroupBy::Month),
            "by=month&from=2026-01-01&to=2026-12-31&w_response=0.1&w_resolution=0.5&w_satisfaction=0.4&department=%E5%9F%8E%E7%AE%A1%20CG"
        );
    }
}
