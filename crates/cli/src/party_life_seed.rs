//! The demo city's 三会一课 and five-step records (`gongzhi_demo::plan_meetings`,
//! `plan_compound_activities`), written through the store after the party organisation: a
//! year of meetings per organisation and activities per compound, each with its log entry.

use gongzhi_demo::{OrgForMeetings, plan_compound_activities, plan_meetings};
use gongzhi_domain::calendar::date_of;
use gongzhi_store::{Actor, NewActivity, NewMeeting, Store};
use std::time::Instant;

const DEMO_ACTOR: Actor<'static> = Actor {
    id: None,
    name: "演示数据",
};

/// Records written per transaction.
const SLICE: usize = 500;

/// Seeds meetings and compound activities unless meetings are stored already.
pub async fn store_party_life(store: &Store) -> anyhow::Result<()> {
    if !store.party_meetings(None, None, 1).await?.is_empty() {
        return Ok(());
    }
    let started = Instant::now();
    let now = gongzhi_store::now_millis();
    let today = date_of(now);
    let mut orgs = Vec::new();
    for o in store.party_org_refs(None).await? {
        if o.dissolved_on.is_some() {
            continue;
        }
        let members = store
            .party_org_member_names(o.id)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        orgs.push(OrgForMeetings {
            id: o.id,
            level: o.level,
            has_committee: o.has_committee,
            founded_on: o.founded_on,
            members,
        });
    }
    let meetings: Vec<NewMeeting> = plan_meetings(&orgs, today, gongzhi_demo::DEFAULT_SEED)
        .into_iter()
        .map(|m| NewMeeting {
            org_id: m.org_id,
            kind: m.kind,
            held_on: m.held_on,
            topic: m.topic,
            minutes: m.minutes,
            attended: Some(m.attendees.len() as i64),
            attendees: m.attendees,
        })
        .collect();
    for slice in meetings.chunks(SLICE) {
        store.add_party_meetings(slice, &DEMO_ACTOR, now).await?;
    }
    let compounds: Vec<i64> = store
        .compound_step_facts(None, None, today, 90)
        .await?
        .iter()
        .map(|c| c.id)
        .collect();
    let (planned, evidence) =
        plan_compound_activities(&compounds, today, gongzhi_demo::DEFAULT_SEED);
    let activities: Vec<NewActivity> = planned
        .into_iter()
        .map(|a| NewActivity {
            compound_id: a.compound_id,
            kind: a.kind,
            held_on: a.held_on,
            title: a.title,
            participants: a.participants,
            notes: a.notes,
        })
        .collect();
    for slice in activities.chunks(SLICE) {
        store
            .add_compound_activities(slice, &DEMO_ACTOR, now)
            .await?;
    }
    for e in &evidence {
        store
            .add_step_evidence(e.compound_id, e.step, &e.note, None, &DEMO_ACTOR, now)
            .await?;
    }
    eprintln!(
        "演示三会一课和五步工作法已写入 / demo party meetings and five-step records stored: {} meetings, {} activities, {} evidence in {:.1}s",
        meetings.len(),
        activities.len(),
        evidence.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
