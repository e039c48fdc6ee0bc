//! `/scorecards` (数据分析): filters (range, area, department, category, channel, weights), the
//! totals with the three rates, a trend (by month, or by day or week when asked), rates by
//! street and by department, volumes by major category and by channel, and beside each chart
//! a table of the same numbers (charts are drawn by `scorecards.js` from the JSON API; the
//! tables are rendered here, so the page reads without scripts too).

use super::params::{GroupBy, MetricsQuery, Params};
use super::rollup::{self, COUNTER_EN, GroupRow, RATE_NAMES, Scorecard};
use super::{scorecards_listed, today};
use crate::auth::{PageUser, User, lang_of};
use crate::error::ApiResult;
use crate::http::chrome::{Chrome, render};
use crate::http::pages::page;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use gongzhi_domain::case::Channel;
use gongzhi_domain::metrics::Counters;

/// A table as strings: header, rows, and an optional total row.
pub struct Table {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub foot: Option<Vec<String>>,
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |p| format!("{p:.2}%"))
}

fn name(t: Lang, pair: (&str, &str)) -> String {
    t.s(pair.0, pair.1).to_string()
}

fn trend_table(t: Lang, card: &Scorecard) -> Table {
    let row = |g: &GroupRow| {
        vec![
            g.label.clone(),
            g.counters.reported.to_string(),
            g.counters.closed.to_string(),
            pct(g.rates.on_time_closing_rate),
            pct(g.rates.response_rate),
            pct(g.rates.resolution_rate),
            pct(g.rates.satisfaction_rate),
        ]
    };
    Table {
        head: vec![
            t.s(card.by.zh(), card.by.en()).to_string(),
            name(t, ("上报", "Reported")),
            name(t, ("结案", "Closed")),
            name(t, RATE_NAMES[1]),
            name(t, RATE_NAMES[4]),
            name(t, RATE_NAMES[5]),
            name(t, RATE_NAMES[6]),
        ],
        rows: card.groups.iter().map(row).collect(),
        foot: Some(row(&card.total)),
    }
}

/// Volumes of a grouping: reported, closed, valid follow-ups and the three rates.
fn volume_table(t: Lang, card: &Scorecard) -> Table {
    let row = |g: &GroupRow| {
        vec![
            g.label.clone(),
            g.counters.reported.to_string(),
            g.counters.closed.to_string(),
            g.follow_ups.valid.to_string(),
            pct(g.rates.response_rate),
            pct(g.rates.resolution_rate),
            pct(g.rates.satisfaction_rate),
        ]
    };
    Table {
        head: vec![
            t.s(card.by.zh(), card.by.en()).to_string(),
            name(t, ("上报", "Reported")),
            name(t, ("结案", "Closed")),
            name(t, ("有效回访", "Follow-ups")),
            name(t, RATE_NAMES[4]),
            name(t, RATE_NAMES[5]),
            name(t, RATE_NAMES[6]),
        ],
        rows: card.groups.iter().map(row).collect(),
        foot: Some(row(&card.total)),
    }
}

/// The headline figures: cases reported and closed, and the three rates.
fn kpis(t: Lang, card: &Scorecard) -> Vec<(String, String)> {
    let g = &card.total;
    vec![
        (
            name(t, ("上报", "Reported")),
            g.counters.reported.to_string(),
        ),
        (name(t, ("结案", "Closed")), g.counters.closed.to_string()),
        (name(t, RATE_NAMES[4]), pct(g.rates.response_rate)),
        (name(t, RATE_NAMES[5]), pct(g.rates.resolution_rate)),
        (name(t, RATE_NAMES[6]), pct(g.rates.satisfaction_rate)),
    ]
}

fn rates_table(t: Lang, by: GroupBy, card: &Scorecard) -> Table {
    let row = |g: &GroupRow| {
        let mut cells = vec![g.label.clone()];
        cells.extend(g.rates.values().map(pct));
        cells
    };
    let mut head = vec![t.s(by.zh(), by.en()).to_string()];
    head.extend(RATE_NAMES.map(|p| name(t, p)));
    Table {
        head,
        rows: card.groups.iter().map(row).collect(),
        foot: Some(row(&card.total)),
    }
}

fn detail_table(t: Lang, card: &Scorecard) -> Table {
    let row = |g: &GroupRow| {
        let mut cells = vec![g.label.clone()];
        cells.extend(g.counters.rows().map(|(_, n)| n.to_string()));
        cells.push(g.follow_ups.valid.to_string());
        cells.extend(g.rates.values().map(pct));
        cells
    };
    let mut head = vec![t.s(card.by.zh(), card.by.en()).to_string()];
    head.extend(
        Counters::default()
            .rows()
            .iter()
            .zip(COUNTER_EN)
            .map(|((zh, _), en)| t.s(zh, en).to_string()),
    );
    head.push(name(t, ("有效回访", "Follow-ups")));
    head.extend(RATE_NAMES.map(|p| name(t, p)));
    Table {
        head,
        rows: card.groups.iter().map(row).collect(),
        foot: Some(row(&card.total)),
    }
}

#[derive(Template)]
#[template(path = "scorecards.html")]
struct ScorecardsPage {
    c: Chrome,
    by: &'static str,
    from: String,
    to: String,
    w_response: String,
    w_resolution: String,
    w_satisfaction: String,
    /// (value, label) of each grouping.
    groupings: Vec<(&'static str, String)>,
    by_label: String,
    trend_label: String,
    export_href: String,
    trend_src: String,
    streets_src: String,
    departments_src: String,
    majors_src: String,
    channels_src: String,
    trend: Table,
    streets: Table,
    departments: Table,
    majors: Table,
    channels_table: Table,
    detail: Table,
    kpis: Vec<(String, String)>,
    choices: crate::cases::search::Choices,
    /// (code, name) of every channel.
    channels: Vec<(&'static str, String)>,
    area: Option<String>,
    department: Option<String>,
    category: Option<String>,
    channel: Option<String>,
    /// 契约化共建 by department and by community: (heading, table).
    cobuild: Vec<(String, Table)>,
}

/// The co-build tables of the page, as of the range's last day (today at the latest).
async fn cobuild_tables(
    st: &AppState,
    user: &User,
    t: Lang,
    p: &Params,
) -> ApiResult<Vec<(String, Table)>> {
    use crate::cobuild::scorecard::{FiguresBy, TABLE_HEAD, figures, table_rows};
    let as_of = p.to.min(today());
    let mut out = Vec::new();
    for (by, zh, en) in [
        (
            FiguresBy::Department,
            "契约化共建：各部门",
            "Co-build by department",
        ),
        (
            FiguresBy::Community,
            "契约化共建：各社区",
            "Co-build by community",
        ),
    ] {
        let Some(scores) = figures(st, user, by, as_of).await? else {
            continue;
        };
        let first = match by {
            FiguresBy::Department => t.s("部门", "Department"),
            FiguresBy::Community => t.s("社区", "Community"),
        };
        let mut head = vec![first.to_string()];
        head.extend(TABLE_HEAD.map(|p| name(t, p)));
        out.push((
            format!("{}（{} {as_of}）", t.s(zh, en), t.s("截至", "as of")),
            Table {
                head,
                rows: table_rows(&scores),
                foot: None,
            },
        ));
    }
    Ok(out)
}

async fn build(st: &AppState, user: &User, t: Lang, q: &MetricsQuery) -> ApiResult<Response> {
    scorecards_listed(user)?;
    let p = Params::parse(q, today())?;
    // The trend is by month unless a day or week trend is asked for.
    let trend_by = match p.by {
        GroupBy::Day | GroupBy::Week => p.by,
        _ => GroupBy::Month,
    };
    let mut bys = vec![
        trend_by,
        GroupBy::Street,
        GroupBy::Department,
        GroupBy::Major,
        GroupBy::Channel,
    ];
    if !bys.contains(&p.by) {
        bys.push(p.by);
    }
    // The cube answers each grouping; those it does not hold share one read of the cases.
    let mut cards = Vec::new();
    for g in rollup::tally(st, user, &p, &bys, today()).await? {
        cards.push(rollup::scorecard(st, t, &p, g).await?);
    }
    let card = |by: GroupBy| &cards[bys.iter().position(|b| *b == by).unwrap_or(0)];
    let api = |by: GroupBy| format!("/api/v1/metrics?{}", p.query_string(by));
    let w = p.weights;
    Ok(render(&ScorecardsPage {
        c: Chrome::new(
            t,
            user,
            "/scorecards",
            t.s("数据分析与考核", "Analysis and scorecards"),
        ),
        by: p.by.as_str(),
        from: p.from.to_string(),
        to: p.to.to_string(),
        w_response: w.response.to_string(),
        w_resolution: w.resolution.to_string(),
        w_satisfaction: w.satisfaction.to_string(),
        groupings: GroupBy::ALL
            .iter()
            .map(|b| (b.as_str(), t.s(b.zh(), b.en()).to_string()))
            .collect(),
        by_label: t.s(p.by.zh(), p.by.en()).to_string(),
        trend_label: t.s(trend_by.zh(), trend_by.en()).to_string(),
        export_href: format!("/api/v1/metrics.xlsx?{}", p.query_string(p.by)),
        trend_src: api(trend_by),
        streets_src: api(GroupBy::Street),
        departments_src: api(GroupBy::Department),
        majors_src: api(GroupBy::Major),
        channels_src: api(GroupBy::Channel),
        trend: trend_table(t, card(trend_by)),
        streets: rates_table(t, GroupBy::Street, card(GroupBy::Street)),
        departments: rates_table(t, GroupBy::Department, card(GroupBy::Department)),
        majors: volume_table(t, card(GroupBy::Major)),
        channels_table: volume_table(t, card(GroupBy::Channel)),
        kpis: kpis(t, card(GroupBy::Street)),
        detail: detail_table(t, card(p.by)),
        choices: crate::cases::search::choices(st, user).await?,
        channels: Channel::ALL
            .iter()
            .map(|c| (c.as_str(), t.s(c.zh(), c.en()).to_string()))
            .collect(),
        area: p.area.clone(),
        department: p.department.clone(),
        category: p.category.clone(),
        channel: p.channel.map(|c| c.as_str().to_string()),
        cobuild: cobuild_tables(st, user, t, &p).await?,
    }))
}

impl ScorecardsPage {
    fn selected(v: &Option<String>, code: &str) -> bool {
        v.as_deref() == Some(code)
    }

    fn is_community(a: &gongzhi_store::AreaRow) -> bool {
        a.level == gongzhi_domain::codes::AreaLevel::Community
    }
}

pub async fn scorecards(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<MetricsQuery>,
) -> Response {
    let t = lang_of(&headers);
    let r = build(&st, &user, t, &q).await;
    page(t, &user, r)
}
