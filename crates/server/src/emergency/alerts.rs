//! The alerts of an emergency as inbox lines and robot/webhook payloads: the first to every
//! responsible level at once (the domain's `Place::responsible`), then one per escalation.
//! Written in the transaction that causes them (the case's intake or command, the drill's
//! start, the escalation); the webhook worker delivers them from the outbox.

use crate::webhooks::WebhookMessage;
use gongzhi_domain::emergency::{Place, Tier};
use gongzhi_store::{CaseNotification, Lookups, WebhookEvent};

/// What the alerts say about the emergency.
pub struct About<'a> {
    pub title: &'a str,
    /// What was reported (empty when not at hand: a drill, an escalation).
    pub detail: &'a str,
    /// The case's ticket; empty for a drill.
    pub ticket: &'a str,
    pub case_id: i64,
    pub drill: bool,
    pub place: &'a Place,
    pub lookups: &'a Lookups,
    pub at: i64,
}

impl About<'_> {
    fn label(&self) -> &'static str {
        if self.drill {
            "【演练】"
        } else {
            "【紧急】"
        }
    }

    fn department_name(&self) -> Option<String> {
        self.place.department.as_ref().map(|d| {
            self.lookups
                .departments
                .get(d)
                .map(|x| x.name.clone())
                .unwrap_or_else(|| d.clone())
        })
    }

    fn tier_name(&self, t: Tier) -> String {
        match t {
            Tier::Department => self.department_name().unwrap_or_else(|| t.zh().to_string()),
            t => t.zh().to_string(),
        }
    }

    fn payload(&self, summary: String, stage: Tier) -> (WebhookEvent, String) {
        let title = match self.drill {
            true => format!("演练 {}", self.title),
            false => self.title.to_string(),
        };
        let m = WebhookMessage {
            event: WebhookEvent::Emergency,
            ticket: self.ticket.to_string(),
            title_zh: title,
            summary_zh: summary,
            url: None,
            at_ms: self.at,
            case_id: self.case_id,
            department: self.department_name(),
            level: u8::try_from(stage as usize + 1).unwrap_or(6),
            level_name: Some(stage.zh().to_string()),
            deadline_ms: None,
        };
        (
            WebhookEvent::Emergency,
            serde_json::to_string(&m).expect("a notice always serialises"),
        )
    }
}

/// The first alert: one inbox line per responsible level, and one robot message naming them
/// all (a group robot is one chat, not one per level).
pub fn first(a: &About<'_>, stage: Tier) -> Vec<CaseNotification> {
    let levels = a.place.responsible();
    let names: Vec<String> = levels.iter().map(|(t, _)| a.tier_name(*t)).collect();
    let detail = match a.detail.trim() {
        "" => String::new(),
        d => format!("（{d}）"),
    };
    let summary = format!(
        "{}{}{detail}：已同时通知{}，请{}立即签收并到场处置。",
        a.label(),
        a.title,
        names.join("、"),
        stage.zh()
    );
    levels
        .into_iter()
        .enumerate()
        .map(|(i, (t, r))| CaseNotification {
            recipient: r.to_string(),
            kind: "emergency".into(),
            message: format!(
                "{}{} {}：请{}立即签收",
                a.label(),
                a.ticket,
                a.title,
                a.tier_name(t)
            ),
            webhook: (i == 0).then(|| a.payload(summary.clone(), stage)),
        })
        .collect()
}

/// The alert of an escalation to `to`, the level now responsible.
pub fn escalated(a: &About<'_>, from: Tier, to: Tier) -> Option<CaseNotification> {
    let r = a.place.recipient(to)?;
    let summary = format!(
        "{}{}：{}未在规定时间内签收，已升级至{}，请立即签收并到场处置。",
        a.label(),
        a.title,
        from.zh(),
        to.zh()
    );
    Some(CaseNotification {
        recipient: r.to_string(),
        kind: "emergency_escalated".into(),
        message: format!(
            "{}{} {}：{}未签收，已升级至{}，请立即签收",
            a.label(),
            a.ticket,
            a.title,
            from.zh(),
            to.zh()
        ),
        webhook: Some(a.payload(summary, to)),
    })
}
