//! The notices a change causes (the domain says who hears of what), made into inbox lines and
//! webhook payloads to be written in the change's transaction.

use gongzhi_domain::case::{self, Case, CodeNames, Event, LoopConfig, NotificationKind};
use gongzhi_store::{CaseNotification, Lookups, WebhookEvent};

/// The inbox line: the event in words, departments by name; a return says who sent the case
/// back to whom it is addressed ("案件 X 被 Y 回退：理由").
fn message(case: &Case, kind: NotificationKind, event: &Event, lookups: &Lookups) -> String {
    let names = lookups;
    let department = |d: &Option<String>| match d {
        Some(d) => names.department(d).unwrap_or_else(|| d.clone()),
        None => "属地".to_string(),
    };
    match (kind, event) {
        (
            NotificationKind::Returned,
            Event::Returned {
                reason,
                department: d,
                ..
            },
        ) => format!("案件 {} 被{}回退：{reason}", case.ticket, department(d)),
        (NotificationKind::RedirectedAway, Event::Redirected { to, reason, .. }) => format!(
            "案件 {} 已改派至{}，不再由您处置：{reason}",
            case.ticket,
            department(&Some(to.clone()))
        ),
        _ if event.whistle().is_some() => format!(
            "{} {}",
            case.ticket,
            crate::cases::whistles::views::name_departments(case, event)
        ),
        _ => format!("{} {}", case.ticket, event.zh_named(names)),
    }
}

pub(crate) fn build(
    case: &Case,
    events: &[Event],
    lookups: &Lookups,
    cfg: &LoopConfig,
    at: i64,
) -> Vec<CaseNotification> {
    case::notices(case, events)
        .into_iter()
        .map(|n| {
            let summary = crate::cases::whistles::views::name_departments(case, n.event);
            let webhook = n
                .kind
                .webhook_topic()
                .and_then(WebhookEvent::parse)
                .map(|event| {
                    let title_zh = lookups
                        .categories
                        .get(&case.category)
                        .map(|c| c.name.clone())
                        .unwrap_or_else(|| case.category.clone());
                    let notice = crate::webhooks::WebhookMessage {
                        event,
                        ticket: case.ticket.clone(),
                        title_zh,
                        summary_zh: summary.clone(),
                        url: None,
                        at_ms: at,
                        case_id: case.id,
                        department: n.department.clone(),
                        level: case.level.get(),
                        level_name: Some(cfg.escalation.name(case.level).to_string()),
                        deadline_ms: case.deadline,
                    };
                    let json = serde_json::to_string(&notice).expect("a notice always serialises");
                    (event, json)
                });
            CaseNotification {
                recipient: n.recipient.to_string(),
                kind: n.kind.as_str().to_string(),
                message: message(case, n.kind, n.event, lookups),
                webhook,
            }
        })
        .collect()
}
