//! `/scorecards`: filters, a monthly trend chart, rate charts by street and by department, and
//! beside each chart a table of the same numbers (charts are drawn by `scorecards.js` from the
//! JSON API; the tables are rendered here, so the page reads without scripts too).

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
    Table {
        head: vec![
            name(t, ("月份", "Month")),
            name(t, ("上报", "Reported")),
            name(t, ("结案", "Closed")),
            name(t, RATE_NAMES[1]),
        ],
        rows: card
            .groups
            .iter()
            .map(|g| {
                vec![
                    g.label.clone(),
                    g.counters.reported.to_string(),
                    g.counters.closed.to_string(),
                    pct(g.rates.on_time_closing_rate),
                ]
            })
            .collect(),
        foot: None,
    }
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
    export_href: String,
    trend_src: String,
    streets_src: String,
    departments_src: String,
    trend: Table,
    streets: Table,
    departments: Table,
    detail: Table,
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
    let mut bys = vec![GroupBy::Month, GroupBy::Street, GroupBy::Department];
    if !bys.contains(&p.by) {
        bys.push(p.by);
    }
    // One read of the cases for all four tables.
    let mut cards = Vec::new();
    for g in rollup::tally(st, user, &p, &bys, today()).await? {
        cards.push(rollup::scorecard(st, t, &p, g).await?);
    }
    let card = |by: GroupBy| &cards[bys.iter().position(|b| *b == by).unwrap_or(0)];
    let api = |by: GroupBy| format!("/api/v1/metrics?{}", p.query_string(by));
    let w = p.weights;
    Ok(render(&ScorecardsPage {
        c: Chrome::new(t, user, "/scorecards", t.s("考核", "Scorecards")),
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
        export_href: format!("/api/v1/metrics.xlsx?{}", p.query_string(p.by)),
        trend_src: api(GroupBy::Month),
        streets_src: api(GroupBy::Street),
        departments_src: api(GroupBy::Department),
        trend: trend_table(t, card(GroupBy::Month)),
        streets: rates_table(t, GroupBy::Street, card(GroupBy::Street)),
        departments: rates_table(t, GroupBy::Department, card(GroupBy::Department)),
        detail: detail_table(t, card(p.by)),
        cobuild: cobuild_tables(st, user, t, &p).await?,
    }))
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
