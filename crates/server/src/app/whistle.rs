//! The server's part in a 吹哨报到 command: complete it from what the server knows and pick the
//! rules in force.

use super::AppError;
use crate::state::AppState;
use gongzhi_domain::access::needs_whistle_grant;
use gongzhi_domain::case::{Actor, Command, LoopConfig, Summons};
use gongzhi_store::{EventActor, Lookups};
use std::sync::Arc;

/// Summoned departments must exist; they carry their names so that the timeline and the closure
/// gate's refusal name them.
fn name_all(list: Vec<Summons>, lookups: &Lookups) -> Result<Vec<Summons>, AppError> {
    list.into_iter()
        .map(|s| {
            let code = s.code.trim().to_string();
            // A blank code is the domain's to refuse, naming the field.
            if code.is_empty() {
                return Ok(Summons {
                    code,
                    name: String::new(),
                });
            }
            let d = super::codes::department(lookups, &code, "departments")?;
            Ok(Summons {
                code,
                name: d.name.clone(),
            })
        })
        .collect()
}

/// Completes a 吹哨报到 command: departments named, an acknowledgement without an officer
/// answered by the signed-in person, photos of a part checked to be this case's own. Other
/// commands pass through.
pub(super) async fn prepare(
    st: &AppState,
    case_id: i64,
    label: &EventActor,
    cmd: Command,
) -> Result<Command, AppError> {
    Ok(match cmd {
        Command::BlowWhistle {
            departments,
            reason,
            lon,
            lat,
            address,
            urgent,
        } => Command::BlowWhistle {
            departments: name_all(departments, &*st.store.lookups().await?)?,
            reason,
            lon,
            lat,
            address,
            urgent,
        },
        Command::SummonDepartments { departments } => Command::SummonDepartments {
            departments: name_all(departments, &*st.store.lookups().await?)?,
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
                    return Err(AppError::bad_input(
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
pub(super) async fn command_config(
    st: &AppState,
    who: &Actor,
    cmd: &Command,
) -> Result<Arc<LoopConfig>, AppError> {
    if cmd.kind().is_whistle() {
        config_for(st, who).await
    } else {
        Ok(st.loop_cfg.fresh(&st.store).await?)
    }
}

/// The configuration in force for `who` on a whistle: with the street's grants for community
/// staff (the only ones they matter to).
pub async fn config_for(st: &AppState, who: &Actor) -> Result<Arc<LoopConfig>, AppError> {
    if who.principal().is_some_and(needs_whistle_grant) {
        let mut cfg = (*st.loop_cfg.fresh(&st.store).await?).clone();
        cfg.whistle.community_grants = st.store.whistle_grants().await?;
        Ok(Arc::new(cfg))
    } else {
        Ok(st.loop_cfg.fresh(&st.store).await?)
    }
}
