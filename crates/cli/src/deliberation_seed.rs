//! The living demo's deliberation (有事好商量), once the red grid is stored: the demo
//! community's topics in every state (supported by its residents with the lookup codes of the
//! problems they reported, and by the demo resident's account), a meeting held a month ago with
//! its attendance, motions voted household by household, minutes and resolutions — one case
//! filed through intake and closed on the loop, one still in progress beside an overdue task —
//! and a meeting coming next week. The plan is `gongzhi_demo::deliberation`.

use gongzhi_demo::deliberation::{DEMO_THRESHOLD, Fate, PlanItem, Raiser, plan};
use gongzhi_domain::access::Scope;
use gongzhi_domain::calendar::{DAY_MS, date_of};
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::deliberation::{
    AttendanceDraft, ItemKind, MeetingDraft, MotionDraft, MotionRule, RaiserKind, ResolutionDraft,
    TopicDraft, VotingBasis, mask_name,
};
use gongzhi_server::AppState;
use gongzhi_server::auth::{User, Via};
use gongzhi_server::deliberation::ops::{ItemInput, add_item};
use gongzhi_store::{DeliberationFilter, EventActor, NewTopic, Supporter, Voter, now_millis};
use std::time::Instant;

/// Seeds the demo community's deliberation unless the database has topics already.
pub async fn seed(st: &AppState) -> anyhow::Result<()> {
    let store = &st.store;
    if !store
        .topics(&DeliberationFilter::default(), 1)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let Some(staff) = store.account_by_username("community").await? else {
        return Ok(());
    };
    let Scope::Area(community) = staff.scope.clone() else {
        return Ok(());
    };
    let started = Instant::now();
    let households: Vec<i64> = {
        let mut ids: Vec<i64> = store
            .household_ids_by_grid()
            .await?
            .iter()
            .filter(|(g, _)| g.community() == community)
            .flat_map(|(_, h)| h.iter().map(|(id, _)| *id))
            .collect();
        ids.sort();
        ids
    };
    if households.is_empty() {
        return Ok(());
    }
    let p = plan(households.len(), gongzhi_demo::DEFAULT_SEED);
    let now = now_millis();
    let today = date_of(now);
    let by = |name: &str, id: Option<i64>| EventActor {
        account_id: id,
        name: name.into(),
    };
    let staff_by = by(&staff.display_name, Some(staff.id));
    store
        .set_community_threshold(&community, Some(DEMO_THRESHOLD), &staff_by)
        .await?;
    let resident = store.account_by_username("resident").await?;
    let grid = store.account_by_username("grid").await?;
    let mut codes = store
        .case_lookup_digests_in(&community, 200)
        .await?
        .into_iter();
    let mut topic_ids = Vec::new();
    for t in &p.topics {
        let at = now - t.days_ago * DAY_MS;
        let draft = TopicDraft {
            community,
            category: t.category,
            title: t.title.into(),
            description: t.description.into(),
        }
        .checked()?;
        let (kind, account) = match t.raiser {
            Raiser::Resident => (RaiserKind::Resident, resident.as_ref()),
            Raiser::Anonymous => (RaiserKind::Resident, None),
            Raiser::GridWorker => (RaiserKind::Staff, grid.as_ref()),
            Raiser::Community => (RaiserKind::Staff, Some(&staff)),
        };
        let lookup = match account {
            Some(_) => None,
            None => codes.next(),
        };
        let new = NewTopic {
            draft,
            grid: match (t.raiser, &grid) {
                (Raiser::GridWorker, Some(g)) => match g.scope {
                    Scope::Grid(code) => Some(code),
                    _ => None,
                },
                _ => None,
            },
            raiser_kind: kind,
            raised_by: account.map(|a| a.id),
            raiser_name: account.map_or_else(|| "居民".into(), |a| mask_name(&a.display_name)),
            lookup_hash: lookup,
        };
        let actor = by(
            account.map_or("居民（查询码）", |a| a.display_name.as_str()),
            account.map(|a| a.id),
        );
        let id = store.raise_topic(&new, &actor, at).await?;
        topic_ids.push(id);
        let mut support_at = at;
        if let (true, Some(r)) = (t.by_resident, resident.as_ref()) {
            support_at += 3_600_000;
            store
                .support_topic(
                    id,
                    &Supporter::Account(r.id),
                    &by(&r.display_name, Some(r.id)),
                    support_at,
                )
                .await?;
        }
        for _ in 0..t.supports {
            let Some(code) = codes.next() else { break };
            support_at += 5 * 3_600_000;
            // A support the store refuses (a code already used here) is skipped, not fatal.
            let _ = store
                .support_topic(
                    id,
                    &Supporter::Code(code),
                    &by("居民（查询码）", None),
                    support_at,
                )
                .await;
        }
        match t.fate {
            Fate::TabledByStaff => store.table_topic(id, &staff_by).await?,
            Fate::Declined(reason) => store.decline_topic(id, reason, &staff_by).await?,
            // Too few reporters to reach the threshold: the community tables it itself.
            Fate::Tabled(_) => {
                if store
                    .topic(id)
                    .await?
                    .is_some_and(|t| t.status == gongzhi_domain::deliberation::TopicStatus::Open)
                {
                    store.table_topic(id, &staff_by).await?;
                }
            }
            Fate::Open => {}
        }
    }
    let user = User {
        account: staff.clone(),
        via: Via::Token,
        csrf: None,
        token_id: None,
        unread: 0,
    };
    let department = store.liveliest_department().await?;
    let mut cases = 0;
    for (mi, m) in p.meetings.iter().enumerate() {
        let day = today.add_days(m.day);
        let departments: Vec<String> = if m.department {
            department.iter().cloned().collect()
        } else {
            Vec::new()
        };
        let invited = m
            .invited
            .iter()
            .copied()
            .filter(|p| {
                *p != gongzhi_domain::deliberation::Party::Departments || !departments.is_empty()
            })
            .collect();
        let draft = MeetingDraft {
            community,
            kind: m.kind,
            title: m.title.into(),
            held_on: day,
            place: m.place.into(),
            invited,
            departments,
        }
        .checked(today)?;
        let meeting = store.create_meeting(&draft, &staff_by).await?;
        for (ti, t) in p.topics.iter().enumerate() {
            if t.fate == Fate::Tabled(Some(mi)) {
                store
                    .add_to_agenda(meeting, topic_ids[ti], &staff_by)
                    .await?;
            }
        }
        for (party, count, note) in &m.attendance {
            if draft.invited.contains(party) {
                let a = AttendanceDraft {
                    party: *party,
                    count: *count,
                    note: (*note).into(),
                };
                store.record_attendance(meeting, &a, &staff_by).await?;
            }
        }
        for v in &m.motions {
            let rule = MotionRule {
                basis: VotingBasis::Household,
                quorum_pct: v.quorum_pct,
                majority: v.majority,
            };
            let d = MotionDraft {
                title: v.title.into(),
                rule,
            }
            .checked()?;
            let motion = store
                .put_motion(meeting, v.topic.map(|t| topic_ids[t]), &d, &staff_by)
                .await?;
            for (h, choice) in &v.votes {
                store
                    .record_vote(motion, Voter::Household(households[*h]), *choice, &staff_by)
                    .await?;
            }
            let result = store.close_motion(motion, &staff_by).await?;
            let Some(res) = v.resolution.as_ref().filter(|_| result.passed) else {
                continue;
            };
            let status = gongzhi_domain::deliberation::MotionStatus::of(&result);
            let rd = ResolutionDraft {
                title: res.title.into(),
            }
            .checked(status)?;
            let resolution = store.create_resolution(motion, &rd, &staff_by).await?;
            let at = now + (m.day + 1) * DAY_MS;
            for item in &res.items {
                let input = match item {
                    PlanItem::Case {
                        category,
                        description,
                        ..
                    } => ItemInput {
                        kind: ItemKind::Case.as_str().into(),
                        description: (*description).into(),
                        category: Some((*category).into()),
                        ..Default::default()
                    },
                    PlanItem::Task {
                        owner,
                        description,
                        due_days,
                        ..
                    } => ItemInput {
                        kind: ItemKind::Task.as_str().into(),
                        description: (*description).into(),
                        owner: Some((*owner).into()),
                        due_on: Some(day.add_days(*due_days).to_string()),
                        ..Default::default()
                    },
                };
                let added = match add_item(st, &user, resolution, input, at).await {
                    Ok(a) => a,
                    Err(e) => {
                        tracing::warn!(error = %e.body.message_en, "demo resolution item not added");
                        continue;
                    }
                };
                match item {
                    PlanItem::Case { close, .. } => {
                        if let Some(filed) = &added.case {
                            cases += 1;
                            if *close {
                                crate::red_grid::handle(st, &filed.case, at).await;
                            }
                        }
                    }
                    PlanItem::Task { progress, .. } => {
                        for step in [*progress / 2, *progress] {
                            if step > 0 {
                                store
                                    .record_progress(
                                        added.item,
                                        step,
                                        "按决议推进",
                                        &staff_by,
                                        at + DAY_MS,
                                    )
                                    .await?;
                            }
                        }
                    }
                }
            }
        }
        if let Some(minutes) = m.minutes {
            store
                .record_minutes(meeting, minutes, today, &staff_by)
                .await?;
        }
    }
    eprintln!(
        "演示议事协商已写入 / demo deliberation stored: {} topics, {} meetings, {} resolution cases in {:.1}s ({})",
        p.topics.len(),
        p.meetings.len(),
        cases,
        started.elapsed().as_secs_f64(),
        AreaCode::to_string(&community)
    );
    Ok(())
}
