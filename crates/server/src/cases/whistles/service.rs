//! The server's part in a 吹哨报到 command: complete it from what the server knows, pick the
//! rules in force, and say who hears about each of its events.

use crate::cases::service::locality;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use gongzhi_domain::access::needs_whistle_grant;
use gongzhi_domain::case::{Actor, Command, Event, LoopConfig, Summons};
use gongzhi_store::{CaseRow, DepartmentRow, EventActor, WebhookEvent};
use std::collections::HashMap;
use std::sync::Arc;

/// Summoned departments must exist; they carry their names so that the timeline and the closure
/// gate's refusal name them.
fn name_all(
    list: Vec<Summons>,
    departments: &HashMap<String, DepartmentRow>,
) -> ApiResult<Vec<Summons>> {
    list.into_iter()
        .map(|s| {
            let code = s.code.trim().to_string();
            match departments.get(&code) {
                Some(d) => Ok(Summons {
                    code,
                    name: d.name.clone(),
                }),
                // A blank code is the domain's to refuse, naming the field.
                None if code.is_empty() => Ok(Summons {
                    code,
                    name: String::new(),
                }),
                None => Err(ApiError::bad_request(
                    "departments",
                    format!("没有代码为 {code} 的职能部门"),
                    format!("no department with code {code}"),
                )),
            }
        })
        .collect()
}

/// Completes a 吹哨报到 command: departments named, an acknowledgement without an officer
/// answered by the signed-in person, photos of a part checked to be this case's own. Other
/// commands pass through.
pub async fn prepare(
    st: &AppState,
    case_id: i64,
    label: &EventActor,
    cmd: Command,
) -> ApiResult<Command> {
    Ok(match cmd {
        Command::BlowWhistle {
            departments,
            reason,
            lon,
            lat,
            address,
            urgent,
        } => Command::BlowWhistle {
            departments: name_all(departments, &st.store.lookups().await?.departments)?,
            reason,
            lon,
            lat,
            address,
            urgent,
        },
        Command::SummonDepartments { departments } => Command::SummonDepartments {
            departments: name_all(departments, &st.store.lookups().await?.departments)?,
        },
        Command::AcknowledgeWhistle {
            department,
            officer,
        } if officer.trim().is_empty() => Command::AcknowledgeWhistle {
            department,
            officer: label.name.clone(),
        },
        Command::FinishWhistlePart {
            department,
            note,
            photos,
        } => {
            for p in &photos {
                let ours = st
                    .store
                    .case_photo(*p)
                    .await?
                    .is_some_and(|row| row.case_id == case_id);
                if !ours {
                    return Err(ApiError::bad_request(
                        "photos",
                        format!("照片 {p} 不是本案件的照片，请先上传到本案件"),
                        format!("photo {p} is not this case's; upload it to the case first"),
                    ));
                }
            }
            Command::FinishWhistlePart {
                department,
                note,
                photos,
            }
        }
        other => other,
    })
}

/// The rules for this command: the configuration in force, with the street's current grants
/// to communities when community staff act on a whistle.
pub async fn command_config(
    st: &AppState,
    who: &Actor,
    cmd: &Command,
) -> ApiResult<Arc<LoopConfig>> {
    if cmd.kind().is_whistle() {
        config_for(st, who).await
    } else {
        Ok(st.loop_cfg.clone())
    }
}

/// The configuration in force for `who` on a whistle: with the street's grants for community
/// staff (the only ones they matter to).
pub async fn config_for(st: &AppState, who: &Actor) -> ApiResult<Arc<LoopConfig>> {
    if who.principal().is_some_and(needs_whistle_grant) {
        let mut cfg = (*st.loop_cfg).clone();
        cfg.whistle.community_grants = st.store.whistle_grants().await?;
        Ok(Arc::new(cfg))
    } else {
        Ok(st.loop_cfg.clone())
    }
}

/// The street a whistle belongs to, as a notification recipient.
fn street_of(row: &CaseRow, whistle: u32) -> String {
    row.case
        .whistles
        .iter()
        .find(|w| w.no == whistle)
        .and_then(|w| w.street)
        .map(|s| format!("area:{s}"))
        .unwrap_or_else(|| locality(row))
}

/// Who hears about a 吹哨报到 event, as (inbox kind, recipient, webhook event): each summoned
/// department at once and when reminded (inbox and the `summoned` webhook), the street when a
/// check-in deadline passes (inbox and `overdue`) and when a part is reported done (inbox), a
/// department when its part is sent back (inbox).
pub fn notice(
    row: &CaseRow,
    event: &Event,
) -> Option<(&'static str, String, Option<WebhookEvent>)> {
    match event {
        Event::DepartmentSummoned { department, .. } => Some((
            "summoned",
            format!("department:{department}"),
            Some(WebhookEvent::Summoned),
        )),
        Event::CheckInReminded { department, .. } => Some((
            "check_in_reminder",
            format!("department:{department}"),
            Some(WebhookEvent::Summoned),
        )),
        Event::CheckInOverdue { whistle, .. } => Some((
            "check_in_overdue",
            street_of(row, *whistle),
            Some(WebhookEvent::Overdue),
        )),
        Event::WhistlePartDone { whistle, .. } => {
            Some(("part_done", street_of(row, *whistle), None))
        }
        Event::WhistlePartReopened { department, .. } => {
            Some(("part_reopened", format!("department:{department}"), None))
        }
        _ => None,
    }
}
