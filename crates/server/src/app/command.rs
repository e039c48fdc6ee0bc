//! A command on a case (a step of the closed loop, 吹哨报到, the clock's own marks): checked
//! against what the server knows, decided by the domain, written with its notices in one
//! transaction.

use super::AppError;
use super::codes;
use super::notices;
use super::whistle;
use crate::state::AppState;
use gongzhi_domain::case::{self, Actor, Command};
use gongzhi_store::{CaseChange, CaseRow, EventActor, NewPhoto};

/// Runs one command on a case. `version`, when given, must match (optimistic concurrency).
pub async fn command(
    st: &AppState,
    id: i64,
    version: Option<i64>,
    who: &Actor,
    label: &EventActor,
    cmd: Command,
    now: i64,
) -> Result<CaseRow, AppError> {
    command_with_evidence(st, id, version, who, label, cmd, Vec::new(), now).await
}

/// [`command`] with photos (already on disk) recorded as evidence of the step it writes, in the
/// same transaction: a refused step records none of them, and only those with a part in the
/// case (`case::may_attach_evidence`) may bring any.
#[allow(clippy::too_many_arguments)]
pub async fn command_with_evidence(
    st: &AppState,
    id: i64,
    version: Option<i64>,
    who: &Actor,
    label: &EventActor,
    cmd: Command,
    photos: Vec<NewPhoto>,
    now: i64,
) -> Result<CaseRow, AppError> {
    let lookups = st.store.lookups().await?;
    if let Command::Dispatch {
        department: Some(d),
        ..
    } = &cmd
    {
        codes::department(&lookups, d, "department")?;
    }
    if let Command::Redirect { department, .. } = &cmd
        && !department.trim().is_empty()
    {
        codes::department(&lookups, department, "department")?;
    }
    if let Command::Register { category, .. } = &cmd {
        codes::reportable(&lookups, category)?;
    }
    if let Command::MergeInto { case_id } = &cmd {
        let target = st.store.case(*case_id).await?;
        let visible = target
            .as_ref()
            .is_some_and(|t| t.id != id && t.case.state.is_open() && case::may_view(&t.case, who));
        if !visible {
            return Err(AppError::bad_input(
                "case_id",
                format!("只能并入另一件未办结、您可查看的案件（{case_id}）"),
                format!("a case can only be merged into another open case you can see ({case_id})"),
            ));
        }
    }
    let cmd = whistle::prepare(st, id, label, cmd).await?;
    let cfg = whistle::command_config(st, who, &cmd).await?;
    let who = who.clone();
    let row = st
        .store
        .update_case(id, version, label, now, move |before| {
            let events = case::decide(before, &who, &cmd, now, &cfg)?;
            if !photos.is_empty() && !case::may_attach_evidence(before, &who) {
                return Err(AppError::EvidenceNotAllowed);
            }
            let mut after = before.clone();
            for e in &events {
                case::apply(&mut after, e);
            }
            let mut notices = notices::build(&after, &events, &lookups, &cfg, now);
            // Marked an emergency later by staff: every responsible level is alerted now.
            if !before.emergency {
                notices.extend(crate::emergency::ops::case_alerts(
                    &after, "", &lookups, now,
                ));
            }
            Ok::<_, AppError>(CaseChange {
                clock_at: case::next_clock_point(&after, &cfg),
                after,
                events,
                notices,
                actors: Vec::new(),
                photos,
                acts_on: None,
            })
        })
        .await?;
    Ok(row)
}
