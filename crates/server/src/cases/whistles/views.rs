//! A whistle as boards, the case page and the API show it: each summoned department's part in
//! words, times in Beijing time, late check-ins flagged.

use crate::state::AppState;
use gongzhi_domain::case::{
    self, Actor, Case, CheckIn, Command, Event, PartState, Whistle, WhistleScores,
};
use gongzhi_store::CaseRow;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct PartView {
    pub department: String,
    pub name: String,
    pub state: PartState,
    pub state_label: &'static str,
    pub summoned_at: i64,
    pub summoned_at_text: String,
    pub deadline: i64,
    pub deadline_text: String,
    /// Has not arrived yet and its part is open (未报到).
    pub awaiting_check_in: bool,
    /// Acknowledged or arrived after the deadline, or not there when it passed.
    pub late: bool,
    /// The deadline passed before it arrived (the street was alerted).
    pub overdue: bool,
    pub officer: Option<String>,
    pub acknowledged_at_text: Option<String>,
    pub acknowledged_late: bool,
    pub arrived_at_text: Option<String>,
    pub arrived_late: bool,
    pub distance_m: Option<i64>,
    pub done_at_text: Option<String>,
    pub note: Option<String>,
    pub photos: Vec<i64>,
    pub reopened: u32,
    pub rating: Option<WhistleScores>,
    pub coordination: Option<u8>,
}

#[derive(Clone, Debug, Serialize)]
pub struct WhistleView {
    pub no: u32,
    pub reason: String,
    pub address: String,
    pub urgent: bool,
    pub urgent_label: &'static str,
    pub lon: f64,
    pub lat: f64,
    pub street: Option<String>,
    pub blown_at: i64,
    pub blown_at_text: String,
    pub open: bool,
    /// Departments that have not checked in on site yet.
    pub waiting: usize,
    /// Parts with a late check-in.
    pub late: usize,
    /// The case's latest whistle (the one that may still be open).
    pub latest: bool,
    pub parts: Vec<PartView>,
}

fn part_view(p: &CheckIn) -> PartView {
    let local = crate::time::local;
    PartView {
        department: p.department.clone(),
        name: p.name.clone(),
        state: p.state(),
        state_label: p.state().zh(),
        summoned_at: p.summoned_at,
        summoned_at_text: local(p.summoned_at),
        deadline: p.deadline,
        deadline_text: local(p.deadline),
        awaiting_check_in: p.awaiting_check_in(),
        late: p.is_late(),
        overdue: p.overdue,
        officer: p.acknowledged.as_ref().map(|a| a.officer.clone()),
        acknowledged_at_text: p.acknowledged.as_ref().map(|a| local(a.at)),
        acknowledged_late: p.acknowledged.as_ref().is_some_and(|a| !a.on_time),
        arrived_at_text: p.arrived.as_ref().map(|a| local(a.at)),
        arrived_late: p.arrived.as_ref().is_some_and(|a| !a.on_time),
        distance_m: p.arrived.as_ref().map(|a| a.distance_m),
        done_at_text: p.done.as_ref().map(|d| local(d.at)),
        note: p.done.as_ref().map(|d| d.note.clone()),
        photos: p
            .done
            .as_ref()
            .map(|d| d.photos.clone())
            .unwrap_or_default(),
        reopened: p.reopened,
        rating: p.rating,
        coordination: p.coordination,
    }
}

/// The view of a whistle of `case`, marking whether it is the latest.
pub fn whistle_view_in(case: &Case, w: &Whistle) -> WhistleView {
    WhistleView {
        latest: case.whistle().is_some_and(|l| l.no == w.no),
        ..whistle_view(w)
    }
}

pub fn whistle_view(w: &Whistle) -> WhistleView {
    WhistleView {
        no: w.no,
        reason: w.reason.clone(),
        address: w.address.clone(),
        urgent: w.urgent,
        urgent_label: if w.urgent { "紧急" } else { "一般" },
        lon: w.meeting_place.lon(),
        lat: w.meeting_place.lat(),
        street: w.street.map(|s| s.to_string()),
        blown_at: w.blown_at,
        blown_at_text: crate::time::local(w.blown_at),
        open: w.is_open(),
        waiting: w.parts.iter().filter(|p| p.awaiting_check_in()).count(),
        late: w.parts.iter().filter(|p| p.is_late()).count(),
        latest: false,
        parts: w.parts.iter().map(part_view).collect(),
    }
}

/// A timeline line with the summoned department's name instead of its code ("部门 ZJ" →
/// "住建局"), from the names the whistle recorded.
pub fn name_departments(case: &Case, event: &Event) -> String {
    let line = event.zh();
    let Some((no, Some(code))) = event.whistle() else {
        return line;
    };
    let name = case
        .whistles
        .iter()
        .find(|w| w.no == no)
        .and_then(|w| w.part(code))
        .map(|p| p.name.clone())
        .filter(|n| !n.is_empty() && n != code);
    match name {
        Some(n) => line.replace(&format!("部门 {code}"), &n),
        None => line,
    }
}

/// Names the summoned departments on a timeline's whistle lines.
pub fn name_timeline(case: &Case, timeline: &mut [crate::cases::views::TimelineEntry]) {
    for e in timeline.iter_mut().filter(|e| e.event.whistle().is_some()) {
        e.summary = name_departments(case, &e.event);
    }
}

/// One whistle on a board, with its case.
#[derive(Clone, Debug, Serialize)]
pub struct BoardEntry {
    pub case_id: i64,
    pub ticket: String,
    pub case_state: String,
    pub case_state_label: String,
    pub case_state_label_en: String,
    pub category: String,
    pub category_name: String,
    pub address: String,
    pub whistle: WhistleView,
}

pub async fn board_entry(st: &AppState, row: &CaseRow, w: &Whistle) -> BoardEntry {
    let category_name = st
        .store
        .lookups()
        .await
        .ok()
        .and_then(|l| l.categories.get(&row.case.category).map(|c| c.name.clone()))
        .unwrap_or_else(|| row.case.category.clone());
    BoardEntry {
        case_id: row.id,
        ticket: row.ticket.clone(),
        case_state: row.case.state.as_str().to_string(),
        case_state_label: row.case.state.zh().to_string(),
        case_state_label_en: row.case.state.label_en().to_string(),
        category: row.case.category.clone(),
        category_name,
        address: row.address.clone(),
        whistle: whistle_view_in(&row.case, w),
    }
}

/// What the caller may do about the case's whistles now, asked of the domain with sample
/// commands: blow a whistle, summon more, and per part the department's and the street's acts.
#[derive(Clone, Debug, Default, Serialize)]
pub struct WhistlePanel {
    pub whistles: Vec<WhistleView>,
    pub can_blow: bool,
    pub can_summon: bool,
    /// (department, command) pairs the caller may issue.
    pub part_actions: Vec<(String, &'static str)>,
    pub rating_scale: u8,
}

impl WhistlePanel {
    pub fn may(&self, department: &str, command: &str) -> bool {
        self.part_actions
            .iter()
            .any(|(d, c)| d == department && *c == command)
    }
}

pub fn panel(case: &Case, who: &Actor, cfg: &case::LoopConfig) -> WhistlePanel {
    let now = gongzhi_store::now_millis();
    let ok = |cmd: &Command| case::decide(case, who, cmd, now, cfg).is_ok();
    let sample = gongzhi_domain::case::Summons::code("__sample__");
    let can_blow = ok(&Command::BlowWhistle {
        departments: vec![sample.clone()],
        reason: "x".into(),
        lon: 120.0,
        lat: 30.0,
        address: String::new(),
        urgent: false,
    });
    let can_summon = ok(&Command::SummonDepartments {
        departments: vec![sample],
    });
    let mut part_actions = Vec::new();
    let top = cfg.whistle.rating_scale;
    for w in &case.whistles {
        for p in &w.parts {
            let d = p.department.clone();
            let place = w.meeting_place;
            let samples = [
                Command::AcknowledgeWhistle {
                    department: d.clone(),
                    officer: "x".into(),
                },
                Command::ArriveWhistle {
                    department: d.clone(),
                    lon: place.lon(),
                    lat: place.lat(),
                },
                Command::FinishWhistlePart {
                    department: d.clone(),
                    note: "x".into(),
                    photos: Vec::new(),
                },
                Command::ReopenWhistlePart {
                    department: d.clone(),
                    reason: "x".into(),
                },
                Command::RateWhistleDepartment {
                    department: d.clone(),
                    response: top,
                    arrival: top,
                    cooperation: top,
                    result: top,
                    note: String::new(),
                },
                Command::RateWhistleCoordination {
                    department: d.clone(),
                    score: top,
                    note: String::new(),
                },
            ];
            for cmd in samples {
                let kind = cmd.kind().as_str();
                if ok(&cmd) && !part_actions.iter().any(|(x, k)| *x == d && *k == kind) {
                    part_actions.push((d.clone(), kind));
                }
            }
        }
    }
    WhistlePanel {
        whistles: case
            .whistles
            .iter()
            .rev()
            .map(|w| whistle_view_in(case, w))
            .collect(),
        can_blow,
        can_summon,
        part_actions,
        rating_scale: top,
    }
}
