//! Scorecard groups: summed from the store's rollup cube (decision 035) for every grouping
//! the cube holds — street, community, department, category and its major, channel, month,
//! week and day, with area, department, category and channel filters — and folded from the
//! caller's cases for the rest (grid, handler, a grid worker's own grid, a reporter's own
//! cases). Each case contributes its domain `CaseFacts` and rating; the counters, rates and
//! composite are the domain's formulas (`gongzhi_domain::metrics`), never recomputed here.

use super::params::{GroupBy, Params};
use crate::auth::User;
use crate::error::ApiResult;
use crate::i18n::Lang;
use crate::state::AppState;
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::case::Case;
use gongzhi_domain::case::Channel;
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_domain::metrics::{CaseFacts, Counters, FollowUps, Weights, percent};
use gongzhi_store::{CaseFilter, CaseRow, CubeQuery, EventActor, TallyGroup};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Cases read per query: bounded memory however many cases a district has.
const PAGE: i64 = 2_000;

/// A trend never spans more months than this (a typo'd year must not build 10,000 rows).
const MAX_MONTHS: usize = 240;

/// Nor more days (by day or week) than this.
const MAX_DAYS: i64 = 1_100;

/// What one group has counted so far.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tally {
    pub counters: Counters,
    pub follow_ups: FollowUps,
}

impl Tally {
    fn add(&mut self, case: &Case) {
        self.counters.add(&CaseFacts::of(case));
        // Only the current rating is a valid follow-up: a reopening clears the old one.
        if let Some(r) = &case.rating {
            self.follow_ups.add(r);
        }
    }

    fn merge(&mut self, o: &Tally) {
        self.counters.merge(&o.counters);
        self.follow_ups.merge(&o.follow_ups);
    }
}

/// The rates of one group as percentages rounded to two decimals (96.16), `None` ("—")
/// where the denominator is zero.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct RateRow {
    /// 结案率
    pub closing_rate: Option<f64>,
    /// 按期结案率
    pub on_time_closing_rate: Option<f64>,
    /// 准确派遣率
    pub accurate_dispatch_rate: Option<f64>,
    /// 按期处置率
    pub on_time_handling_rate: Option<f64>,
    /// 响应率
    pub response_rate: Option<f64>,
    /// 解决率
    pub resolution_rate: Option<f64>,
    /// 满意率
    pub satisfaction_rate: Option<f64>,
    /// 综合成绩
    pub composite: Option<f64>,
}

/// Chinese and English names of the rates, in `RateRow::values` order.
pub const RATE_NAMES: [(&str, &str); 8] = [
    ("结案率", "Closing rate"),
    ("按期结案率", "On-time closing rate"),
    ("准确派遣率", "Accurate dispatch rate"),
    ("按期处置率", "On-time handling rate"),
    ("响应率", "Response rate"),
    ("解决率", "Resolution rate"),
    ("满意率", "Satisfaction rate"),
    ("综合成绩", "Composite score"),
];

/// English names of the counters, in `Counters::rows` order (which carries the Chinese).
pub const COUNTER_EN: [&str; 13] = [
    "Reported",
    "Registered",
    "Dispatched",
    "Accurately dispatched",
    "Due handling",
    "Handled on time",
    "Handled late",
    "Due closing",
    "Closed",
    "Closed on time",
    "Reworked",
    "Extended",
    "Deferred",
];

impl RateRow {
    fn of(t: &Tally, w: &Weights) -> RateRow {
        let c = &t.counters;
        let r = t.follow_ups.rates(w);
        let p = |x: Option<f64>| x.map(percent);
        RateRow {
            closing_rate: p(c.closing_rate()),
            on_time_closing_rate: p(c.on_time_closing_rate()),
            accurate_dispatch_rate: p(c.accurate_dispatch_rate()),
            on_time_handling_rate: p(c.on_time_handling_rate()),
            response_rate: p(r.response_rate),
            resolution_rate: p(r.resolution_rate),
            satisfaction_rate: p(r.satisfaction_rate),
            composite: p(r.composite),
        }
    }

    pub fn values(&self) -> [Option<f64>; 8] {
        [
            self.closing_rate,
            self.on_time_closing_rate,
            self.accurate_dispatch_rate,
            self.on_time_handling_rate,
            self.response_rate,
            self.resolution_rate,
            self.satisfaction_rate,
            self.composite,
        ]
    }
}

/// One row of a scorecard.
#[derive(Clone, Debug, Serialize)]
pub struct GroupRow {
    /// Area or grid code, department or category code, `2026-11`, account id; `""` for cases
    /// without one (unlocated, handled by the locality, never reported back).
    pub key: String,
    pub label: String,
    pub counters: Counters,
    pub follow_ups: FollowUps,
    pub rates: RateRow,
}

impl GroupRow {
    fn new(key: String, label: String, t: &Tally, w: &Weights) -> GroupRow {
        GroupRow {
            key,
            label,
            counters: t.counters,
            follow_ups: t.follow_ups,
            rates: RateRow::of(t, w),
        }
    }
}

/// `GET /api/v1/metrics`.
#[derive(Clone, Debug, Serialize)]
pub struct Scorecard {
    pub by: GroupBy,
    pub from: String,
    pub to: String,
    pub weights: Weights,
    pub groups: Vec<GroupRow>,
    /// Every group together.
    pub total: GroupRow,
    /// 契约化共建 figures of each department (by department) or community (by community), as of
    /// the range's last day (today at the latest); beside the case figures, not in them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cobuild: Option<Vec<crate::cobuild::scorecard::CoBuildScore>>,
}

/// The tallies of one grouping, before labels are looked up.
pub struct Grouped {
    by: GroupBy,
    tallies: BTreeMap<String, Tally>,
    /// Worker names, known from the events while folding.
    names: HashMap<String, String>,
    /// Each minor category's major (by major).
    majors: HashMap<String, String>,
}

fn month_key(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// A week is keyed by its Monday.
fn week_key(d: Date) -> String {
    d.add_days(-(d.days() + 3).rem_euclid(7)).to_string()
}

impl Grouped {
    fn new(by: GroupBy, majors: &HashMap<String, String>) -> Grouped {
        Grouped {
            by,
            tallies: BTreeMap::new(),
            names: HashMap::new(),
            majors: if by == GroupBy::Major {
                majors.clone()
            } else {
                HashMap::new()
            },
        }
    }

    /// Adds a sum the cube keyed by day or category under this grouping's key.
    fn add_sum(&mut self, key: String, t: Tally) {
        let key = match self.by {
            GroupBy::Week => Date::parse(&key).map_or(key, week_key),
            GroupBy::Major => self.majors.get(&key).cloned().unwrap_or(key),
            _ => key,
        };
        self.tallies.entry(key).or_default().merge(&t);
    }

    fn add(&mut self, row: &CaseRow, workers: &HashMap<i64, EventActor>) {
        let c = &row.case;
        let key = match self.by {
            // A community's parent is its street (街道/乡镇).
            GroupBy::Street => c.community.and_then(|a| a.parent()).map(|a| a.to_string()),
            GroupBy::Community => c.community.map(|a| a.to_string()),
            GroupBy::Grid => c.grid.map(|g| g.to_string()),
            GroupBy::Department => c.department.clone(),
            GroupBy::Month => Some(month_key(date_of(row.reported_at))),
            GroupBy::Day => Some(date_of(row.reported_at).to_string()),
            GroupBy::Week => Some(week_key(date_of(row.reported_at))),
            GroupBy::Category => Some(c.category.clone()),
            GroupBy::Major => Some(
                self.majors
                    .get(&c.category)
                    .cloned()
                    .unwrap_or_else(|| c.category.clone()),
            ),
            GroupBy::Channel => Some(c.channel.as_str().to_string()),
            GroupBy::Worker => workers.get(&row.id).map(|a| {
                // Report-backs always come from an account; the name is the fallback key.
                let key = a
                    .account_id
                    .map_or_else(|| a.name.clone(), |id| id.to_string());
                self.names.insert(key.clone(), a.name.clone());
                key
            }),
        };
        self.tallies
            .entry(key.unwrap_or_default())
            .or_default()
            .add(c);
    }

    /// Periods without cases still appear in a trend, up to `to` or today.
    fn fill(&mut self, p: &Params, today: Date) {
        match self.by {
            GroupBy::Month => self.fill_months(p, today),
            GroupBy::Day | GroupBy::Week => {
                let last = p.to.min(today);
                let mut d = p.from;
                for _ in 0..MAX_DAYS {
                    if d > last {
                        break;
                    }
                    let key = if self.by == GroupBy::Day {
                        d.to_string()
                    } else {
                        week_key(d)
                    };
                    self.tallies.entry(key).or_default();
                    d = d.succ();
                }
            }
            _ => {}
        }
    }

    /// Months without cases still appear in a trend, up to `to` or this month.
    fn fill_months(&mut self, p: &Params, today: Date) {
        let last = p.to.min(today);
        let (mut y, mut m) = (p.from.year(), p.from.month());
        for _ in 0..MAX_MONTHS {
            let Some(first) = Date::new(y, m, 1) else {
                break;
            };
            if first > last {
                break;
            }
            self.tallies.entry(month_key(first)).or_default();
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
    }
}

/// Each minor category's major, from the category tree.
async fn majors(st: &AppState) -> ApiResult<HashMap<String, String>> {
    Ok(st
        .store
        .lookups()
        .await?
        .categories
        .values()
        .filter_map(|c| Some((c.code.clone(), c.parent.clone()?)))
        .collect())
}

/// The groupings of `bys` over the caller's cases under `p`: from the cube when it holds
/// them, else by reading the cases once and folding them into each.
pub async fn tally(
    st: &AppState,
    user: &User,
    p: &Params,
    bys: &[GroupBy],
    today: Date,
) -> ApiResult<Vec<Grouped>> {
    let majors = if bys.contains(&GroupBy::Major) {
        majors(st).await?
    } else {
        HashMap::new()
    };
    let f = p.filter(st, user).await?;
    // The cube answers what it holds; the rest is folded from the cases in one read.
    let (summed, folded): (Vec<GroupBy>, Vec<GroupBy>) = bys
        .iter()
        .copied()
        .partition(|b| cube_group(*b).is_some() && !narrowed(&f));
    let mut got = from_cube(st, &f, p, &summed, &majors).await?;
    if !folded.is_empty() {
        got.extend(fold(st, f, p, &folded, &majors).await?);
    }
    let mut out = Vec::with_capacity(bys.len());
    for by in bys {
        let i = got.iter().position(|g| g.by == *by).unwrap_or(0);
        let mut g = got.swap_remove(i);
        g.fill(p, today);
        out.push(g);
    }
    Ok(out)
}

/// Reads the cases in keyset pages and folds each into every grouping.
async fn fold(
    st: &AppState,
    mut f: CaseFilter,
    p: &Params,
    bys: &[GroupBy],
    majors: &HashMap<String, String>,
) -> ApiResult<Vec<Grouped>> {
    let workers = if bys.contains(&GroupBy::Worker) {
        st.store.report_back_actors(p.from_ms(), p.to_ms()).await?
    } else {
        HashMap::new()
    };
    let mut out: Vec<Grouped> = bys.iter().map(|b| Grouped::new(*b, majors)).collect();
    f.offset = 0;
    f.limit = PAGE;
    f.after_id = Some(0);
    // Pages in id order: each case is read exactly once, however the cases change meanwhile.
    loop {
        let rows = st.store.cases(&f).await?;
        for row in &rows {
            // The case filter has no channel: the fold applies it.
            if p.channel.is_some_and(|c| c != row.case.channel) {
                continue;
            }
            for g in &mut out {
                g.add(row, &workers);
            }
        }
        match rows.last() {
            Some(last) if rows.len() as i64 == PAGE => f.after_id = Some(last.id),
            _ => break,
        }
    }
    Ok(out)
}

/// The cube's grouping for a scorecard grouping; `None`: the cube does not hold it.
fn cube_group(by: GroupBy) -> Option<TallyGroup> {
    Some(match by {
        GroupBy::Street => TallyGroup::Street,
        GroupBy::Community => TallyGroup::Community,
        GroupBy::Department => TallyGroup::Department,
        GroupBy::Category | GroupBy::Major => TallyGroup::Category,
        GroupBy::Channel => TallyGroup::Channel,
        GroupBy::Month => TallyGroup::Month,
        GroupBy::Day | GroupBy::Week => TallyGroup::Day,
        GroupBy::Grid | GroupBy::Worker => return None,
    })
}

/// Whether the filter narrows the cases beyond the cube's keys (area, department,
/// categories, channel): grids, states and a reporter's own cases are not in it.
fn narrowed(f: &CaseFilter) -> bool {
    f.grid.is_some()
        || f.category.is_some()
        || !f.states.is_empty()
        || !f.ids.is_empty()
        || !f.tickets.is_empty()
        || f.overdue_only
        || f.due_soon_only
        || f.text.is_some()
        || f.reporter.is_some()
}

/// Sums the cube for each grouping of `bys` (every one a `cube_group`).
async fn from_cube(
    st: &AppState,
    f: &CaseFilter,
    p: &Params,
    bys: &[GroupBy],
    majors: &HashMap<String, String>,
) -> ApiResult<Vec<Grouped>> {
    let mut out = Vec::with_capacity(bys.len());
    for by in bys {
        let Some(group) = cube_group(*by) else {
            continue;
        };
        let q = CubeQuery {
            area: f.area,
            department: f.department.clone(),
            categories: f.categories.clone(),
            channel: p.channel.map(|c| c.as_str().to_string()),
            ..CubeQuery::new(group, p.from, p.to)
        };
        let mut g = Grouped::new(*by, majors);
        for (key, t) in st.store.cube(&q).await? {
            g.add_sum(
                key,
                Tally {
                    counters: t.counters,
                    follow_ups: t.follow_ups,
                },
            );
        }
        out.push(g);
    }
    Ok(out)
}

/// The label of a group without a key.
fn none_label(by: GroupBy, t: Lang) -> &'static str {
    match by {
        GroupBy::Street | GroupBy::Community => t.s("未定位", "Unlocated"),
        GroupBy::Grid => t.s("无网格", "No grid"),
        GroupBy::Department => t.s("属地", "Locality"),
        GroupBy::Worker => t.s("未反馈", "Not reported back"),
        GroupBy::Month | GroupBy::Category | GroupBy::Major | GroupBy::Day | GroupBy::Week => "—",
        GroupBy::Channel => "—",
    }
}

/// Names for the keys: area and grid names, department and category names.
async fn labels(st: &AppState, t: Lang, g: &Grouped) -> ApiResult<HashMap<String, String>> {
    let mut out = HashMap::new();
    match g.by {
        GroupBy::Street | GroupBy::Community => {
            let places = st.grids.places();
            for key in g.tallies.keys() {
                if let Ok(code) = AreaCode::parse(key) {
                    let name = match places.as_ref().and_then(|p| p.area(&code)) {
                        Some(a) => Some(a.name.clone()),
                        None => st.store.area(&code).await?.map(|a| a.name),
                    };
                    if let Some(name) = name {
                        out.insert(key.clone(), name);
                    }
                }
            }
        }
        GroupBy::Grid => {
            let places = st.grids.places();
            for key in g.tallies.keys() {
                if let Ok(code) = GridCode::parse(key) {
                    let name = match places.as_ref().and_then(|p| p.grid(&code)) {
                        Some(r) => Some(r.name.clone()),
                        None => st.store.grid(&code).await?.map(|r| r.name),
                    };
                    if let Some(name) = name {
                        out.insert(key.clone(), name);
                    }
                }
            }
        }
        GroupBy::Department => {
            for d in st.store.lookups().await?.departments.values() {
                out.insert(d.code.clone(), d.name.clone());
            }
        }
        GroupBy::Category | GroupBy::Major => {
            for c in st.store.lookups().await?.categories.values() {
                out.insert(c.code.clone(), c.name.clone());
            }
        }
        GroupBy::Channel => {
            for key in g.tallies.keys() {
                if let Some(c) = Channel::parse(key) {
                    out.insert(key.clone(), t.s(c.zh(), c.en()).to_string());
                }
            }
        }
        GroupBy::Week => {
            for key in g.tallies.keys() {
                out.insert(key.clone(), format!("{key} {}", t.s("起", "week")));
            }
        }
        GroupBy::Worker => out.clone_from(&g.names),
        GroupBy::Month | GroupBy::Day => {}
    }
    Ok(out)
}

/// Labels the groups, orders them (by code or month; workers by name; keyless last) and
/// computes every rate with `weights`.
pub async fn scorecard(st: &AppState, t: Lang, p: &Params, g: Grouped) -> ApiResult<Scorecard> {
    let names = labels(st, t, &g).await?;
    let mut total = Tally::default();
    let mut groups: Vec<GroupRow> = g
        .tallies
        .iter()
        .map(|(key, tally)| {
            total.merge(tally);
            let label = if key.is_empty() {
                none_label(g.by, t).to_string()
            } else {
                names.get(key).cloned().unwrap_or_else(|| key.clone())
            };
            GroupRow::new(key.clone(), label, tally, &p.weights)
        })
        .collect();
    groups.sort_by(|a, b| {
        let order = |r: &GroupRow| {
            let name = if g.by == GroupBy::Worker {
                &r.label
            } else {
                &r.key
            };
            (r.key.is_empty(), name.clone())
        };
        order(a).cmp(&order(b))
    });
    Ok(Scorecard {
        by: g.by,
        from: p.from.to_string(),
        to: p.to.to_string(),
        weights: p.weights,
        groups,
        total: GroupRow::new(
            String::new(),
            t.s("合计", "Total").to_string(),
            &total,
            &p.weights,
        ),
        cobuild: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_rates_come_out_as_the_api_shows_them() {
        let t = Tally {
            counters: Counters {
                due_closing: 24_932,
                closed: 23_974,
                closed_on_time: 22_345,
                ..Counters::default()
            },
            follow_ups: FollowUps::default(),
        };
        let r = RateRow::of(&t, &Weights::default());
        assert_eq!(r.closing_rate, Some(96.16));
        assert_eq!(r.on_time_closing_rate, Some(89.62));
        assert_eq!(r.accurate_dispatch_rate, None);
        assert_eq!(r.composite, None);
    }

    #[test]
    fn a_trend_lists_every_month_up_to_today() {
        let q = super::super::params::MetricsQuery {
            from: Some("2025-11-15".into()),
            to: Some("2026-12-31".into()),
            ..Default::default()
        };
        let today = Date::new(2026, 2, 3).unwrap();
        let p = Params::parse(&q, today).unwrap();
        let mut g = Grouped::new(GroupBy::Month, &HashMap::new());
        g.fill(&p, today);
        let keys: Vec<&str> = g.tallies.keys().map(String::as_str).collect();
        assert_eq!(keys, ["2025-11", "2025-12", "2026-01", "2026-02"]);
    }

    #[test]
    fn weeks_start_on_monday() {
        // 2026-12-07 is a Monday.
        for (day, monday) in [
            ("2026-12-07", "2026-12-07"),
            ("2026-12-13", "2026-12-07"),
            ("2026-12-06", "2026-11-30"),
            ("2026-01-01", "2025-12-29"),
        ] {
            assert_eq!(week_key(Date::parse(day).unwrap()), monday, "{day}");
        }
    }
}
