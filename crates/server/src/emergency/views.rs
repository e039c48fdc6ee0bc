//! The live board as data: one line per responsible level (alerted when, acknowledged by whom
//! and when, responsible now), the check-ins with their positions, the next escalation, and a
//! drill's times to acknowledge. The page renders it; the API returns it for polling.

use gongzhi_domain::emergency::{Tier, time_to_acknowledge};
use gongzhi_store::{EmergencyBoard, EmergencyRow, Lookups, ResponseRow};
use serde::Serialize;

#[derive(Serialize, Debug, Clone)]
pub struct LevelLine {
    pub tier: &'static str,
    pub name: String,
    pub name_en: String,
    pub alerted_at: Option<i64>,
    /// Alerted again by an escalation.
    pub escalated_at: Option<i64>,
    pub acknowledged_at: Option<i64>,
    pub acknowledged_by: Option<String>,
    /// The level responsible now.
    pub responsible: bool,
}

#[derive(Serialize, Debug, Clone)]
pub struct BoardView {
    pub emergency: EmergencyRow,
    pub levels: Vec<LevelLine>,
    pub check_ins: Vec<ResponseRow>,
    /// When the job escalates next unless the responsible level acknowledges.
    pub next_escalation_at: Option<i64>,
    /// Milliseconds from the report to each alerted level's acknowledgement (`None`: none).
    pub time_to_acknowledge: Vec<(&'static str, Option<i64>)>,
    pub now: i64,
}

pub fn board(b: &EmergencyBoard, lookups: &Lookups, now: i64) -> BoardView {
    let e = &b.emergency;
    let alerted: Vec<Tier> = Tier::ALL
        .into_iter()
        .filter(|t| b.alerts.iter().any(|a| a.tier == *t))
        .collect();
    let acks = b.acks();
    let levels = alerted
        .iter()
        .map(|t| {
            let first = b.alerts.iter().find(|a| a.tier == *t && a.kind == "alert");
            let again = b
                .alerts
                .iter()
                .rev()
                .find(|a| a.tier == *t && a.kind == "escalated");
            let ack = b
                .responses
                .iter()
                .find(|r| r.kind == "ack" && r.tier == Some(*t));
            let (name, name_en) = match (t, &e.department) {
                (Tier::Department, Some(d)) => {
                    let n = lookups
                        .departments
                        .get(d)
                        .map(|x| x.name.clone())
                        .unwrap_or_else(|| d.clone());
                    (n.clone(), n)
                }
                _ => (t.zh().to_string(), t.en().to_string()),
            };
            LevelLine {
                tier: t.as_str(),
                name,
                name_en,
                alerted_at: first.or(again).map(|a| a.at),
                escalated_at: again.map(|a| a.at),
                acknowledged_at: ack.map(|a| a.at),
                acknowledged_by: ack.map(|a| a.name.clone()),
                responsible: *t == e.stage && e.closed_at.is_none(),
            }
        })
        .collect();
    BoardView {
        levels,
        check_ins: b
            .responses
            .iter()
            .filter(|r| r.kind == "check_in")
            .cloned()
            .collect(),
        next_escalation_at: e.next_at.filter(|_| e.closed_at.is_none()),
        time_to_acknowledge: time_to_acknowledge(e.reported_at, &alerted, &acks)
            .into_iter()
            .map(|(t, ms)| (t.as_str(), ms))
            .collect(),
        emergency: e.clone(),
        now,
    }
}

/// `12:05` minutes and seconds from `from` to `to` (negative spans read as 0).
pub fn mm_ss(from: i64, to: i64) -> String {
    let s = (to - from).max(0) / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}
