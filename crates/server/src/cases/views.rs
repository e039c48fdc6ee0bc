//! A case as screens and the API show it: the rule state in words, times in Beijing time.

use crate::state::AppState;
use gongzhi_domain::case::{self, CaseState};
use gongzhi_store::{CaseEventRow, CaseRow};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct CaseView {
    pub id: i64,
    pub ticket: String,
    pub version: i64,
    pub state: CaseState,
    pub state_label: String,
    pub open: bool,
    pub channel: String,
    pub channel_label: String,
    pub channel_label_en: String,
    pub category: String,
    pub category_name: String,
    pub emergency: bool,
    pub address: String,
    pub description: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub grid: Option<String>,
    pub grid_name: Option<String>,
    pub community: Option<String>,
    pub community_name: Option<String>,
    pub department: Option<String>,
    pub department_name: Option<String>,
    pub level: u8,
    pub level_name: String,
    pub reported_at: i64,
    pub reported_at_text: String,
    pub deadline: Option<i64>,
    pub deadline_text: Option<String>,
    /// The deadline was counted Monday–Friday through a year with no loaded official
    /// schedule (按周一至周五计算，未载入官方日历).
    pub calendar_missing: bool,
    /// Milliseconds of (working or natural) time left; negative when overdue.
    pub time_left_ms: Option<i64>,
    pub time_left_text: Option<String>,
    pub warned: bool,
    pub overdue: bool,
    pub supporters: i64,
    pub rating: Option<String>,
    /// 吹哨报到: the case's whistles, latest first.
    pub whistles: Vec<crate::cases::whistles::views::WhistleView>,
}

fn duration_text(ms: i64) -> String {
    let neg = ms < 0;
    let m = ms.abs() / 60_000;
    let (d, h, min) = (m / 1440, m % 1440 / 60, m % 60);
    let body = if d > 0 {
        format!("{d}天{h}小时")
    } else if h > 0 {
        format!("{h}小时{min}分")
    } else {
        format!("{min}分钟")
    };
    if neg {
        format!("已超时{body}")
    } else {
        format!("剩余{body}")
    }
}

pub async fn case_view(st: &AppState, row: &CaseRow, now: i64) -> CaseView {
    let c = &row.case;
    let cfg = st.loop_cfg.current();
    let lookups = st.store.lookups().await.ok();
    let places = st.grids.places();
    let category_name = lookups
        .as_ref()
        .and_then(|l| l.categories.get(&c.category).map(|x| x.name.clone()))
        .unwrap_or_else(|| c.category.clone());
    let department_name = c.department.as_ref().and_then(|d| {
        lookups
            .as_ref()
            .and_then(|l| l.departments.get(d).map(|x| x.name.clone()))
    });
    let time_left = if c.state.is_open() {
        case::time_left(c, now, &cfg)
    } else {
        None
    };
    CaseView {
        id: row.id,
        ticket: row.ticket.clone(),
        version: c.version,
        state: c.state,
        state_label: c.state.zh().to_string(),
        open: c.state.is_open(),
        channel: c.channel.as_str().to_string(),
        channel_label: c.channel.zh().to_string(),
        channel_label_en: c.channel.en().to_string(),
        category: c.category.clone(),
        category_name,
        emergency: c.emergency,
        address: row.address.clone(),
        description: row.description.clone(),
        lon: row.lon,
        lat: row.lat,
        grid: c.grid.map(|g| g.to_string()),
        grid_name: c
            .grid
            .and_then(|g| places.as_deref()?.grid(&g).map(|r| r.name.clone())),
        community: c.community.map(|a| a.to_string()),
        community_name: c
            .community
            .and_then(|a| places.as_deref()?.area(&a).map(|r| r.name.clone())),
        department: c.department.clone(),
        department_name,
        level: c.level.get(),
        level_name: cfg.escalation.name(c.level).to_string(),
        reported_at: row.reported_at,
        reported_at_text: crate::time::local(row.reported_at),
        deadline: c.deadline,
        deadline_text: c.deadline.map(crate::time::local),
        calendar_missing: c.deadline.is_some() && c.calendar_missing,
        time_left_ms: time_left,
        time_left_text: time_left.map(duration_text),
        warned: c.warned,
        overdue: c.overdue,
        supporters: row.supporters,
        rating: c.rating.as_ref().map(|r| r.satisfaction.zh().to_string()),
        whistles: c
            .whistles
            .iter()
            .rev()
            .map(|w| crate::cases::whistles::views::whistle_view_in(c, w))
            .collect(),
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct TimelineEntry {
    pub seq: i64,
    pub kind: String,
    pub summary: String,
    pub actor: String,
    pub at: i64,
    pub at_text: String,
    pub event: gongzhi_domain::case::Event,
    /// The event's index in the public ledger (`None` until the sequencer integrates it).
    pub ledger_index: Option<u64>,
    /// An inclusion proof from the event's entry to the current signed checkpoint verified,
    /// and the stored event still re-derives that entry.
    pub ledger_verified: bool,
}

/// The store's names for the codes events carry.
struct LookupNames(Option<std::sync::Arc<gongzhi_store::Lookups>>);

impl case::CodeNames for LookupNames {
    fn department(&self, code: &str) -> Option<String> {
        self.0.as_ref()?.department(code)
    }
    fn category(&self, code: &str) -> Option<String> {
        self.0.as_ref()?.category(code)
    }
}

/// The case's events as timeline lines, departments and categories by name.
pub async fn timeline(st: &AppState, events: &[CaseEventRow]) -> Vec<TimelineEntry> {
    let names = LookupNames(st.store.lookups().await.ok());
    events
        .iter()
        .map(|e| TimelineEntry {
            seq: e.seq,
            kind: e.kind.clone(),
            summary: e.event.zh_named(&names),
            actor: e.actor_name.clone(),
            at: e.at,
            at_text: crate::time::local(e.at),
            event: e.event.clone(),
            ledger_index: None,
            ledger_verified: false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::duration_text;

    #[test]
    fn time_left_reads_naturally() {
        assert_eq!(duration_text(90 * 60_000), "剩余1小时30分");
        assert_eq!(duration_text(-(26 * 3_600_000)), "已超时1天2小时");
        assert_eq!(duration_text(5 * 60_000), "剩余5分钟");
    }
}
