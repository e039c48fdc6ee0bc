//! The notices a change causes (the domain says who hears of what), made into inbox lines and
//! webhook payloads to be written in the change's transaction.

use gongzhi_domain::case::{self, Case, Event, LoopConfig};
use gongzhi_store::{CaseNotice, Lookups, WebhookEvent};

pub(crate) fn build(
    case: &Case,
    events: &[Event],
    lookups: &Lookups,
    cfg: &LoopConfig,
    at: i64,
) -> Vec<CaseNotice> {
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
                    let notice = crate::webhooks::Notice {
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
            CaseNotice {
                recipient: n.recipient.to_string(),
                kind: n.kind.as_str().to_string(),
                message: format!("{} {summary}", case.ticket),
                webhook,
            }
        })
        .collect()
}
