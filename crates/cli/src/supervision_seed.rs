//! The living demo's 七天督办 and "1234" 民生监督, stored through the same store calls as the
//! screens: the demo community's livelihood projects with progress, supervision and
//! investigation records and their disclosures on its notice board, the handbook's
//! responsibilities, and supervision orders issued days ago on real demo cases, commitments
//! and projects; the clock job then records their warnings, notices and suggestions as of now.

use gongzhi_demo::supervision::{Holder, On, orders, projects, responsibilities};
use gongzhi_domain::access::Scope;
use gongzhi_domain::calendar::{DAY_MS, Date, HOUR_MS, date_of, start_of};
use gongzhi_domain::livelihood::{
    InspectionDraft, InvestigationDraft, ProgressDraft, ProjectDraft, Rectification,
    ResponsibilityDraft,
};
use gongzhi_domain::notice_board::NoticeKind;
use gongzhi_domain::supervision::{ReplyKind, SupervisedKind};
use gongzhi_server::AppState;
use gongzhi_store::{
    CoBuildFilter, EventActor, LivelihoodFilter, Store, SupervisionFilter, now_millis,
};

async fn demo_account(
    store: &Store,
    username: &str,
) -> anyhow::Result<Option<(EventActor, Scope)>> {
    Ok(store.account_by_username(username).await?.map(|a| {
        (
            EventActor {
                account_id: Some(a.id),
                name: a.display_name.clone(),
            },
            a.scope,
        )
    }))
}

/// A plan the domain refuses is a bug in the plan.
fn refused(e: impl gongzhi_domain::Bilingual) -> anyhow::Error {
    anyhow::anyhow!(e.message_en())
}

/// Ten in the morning `days` days ago.
fn morning(today: Date, days: i64) -> i64 {
    (start_of(today.add_days(-days)) + 10 * HOUR_MS).min(now_millis())
}

/// Seeds both unless the database holds projects or orders already (or the demo accounts
/// are missing).
pub async fn seed(st: &AppState) -> anyhow::Result<()> {
    let store = &st.store;
    if !store
        .livelihood_projects(&LivelihoodFilter::default(), 1)
        .await?
        .is_empty()
        || store
            .count_supervisions(&SupervisionFilter::default())
            .await?
            > 0
    {
        return Ok(());
    }
    let (
        Some((community_by, Scope::Area(community))),
        Some((dept_by, Scope::Department(dept))),
        Some((supervisor_by, _)),
        Some((inspector_by, Scope::Area(street))),
    ) = (
        demo_account(store, "community").await?,
        demo_account(store, "department").await?,
        demo_account(store, "supervisor").await?,
        demo_account(store, "inspector").await?,
    )
    else {
        return Ok(());
    };
    let today = date_of(now_millis());
    let mut project_ids = Vec::new();
    for p in projects() {
        let (department, by) = match p.holder {
            Holder::Department => (Some(dept.clone()), &dept_by),
            Holder::Community => (None, &community_by),
        };
        let id = store
            .create_livelihood_project(
                &ProjectDraft {
                    name: p.name.into(),
                    area: community,
                    department,
                    budget_fen: p.budget * 100,
                    allocated_fen: p.allocated * 100,
                    disbursed_fen: 0,
                    beneficiaries: p.beneficiaries,
                    progress: 0,
                }
                .checked()
                .map_err(refused)?,
                by,
                morning(today, 60),
            )
            .await?;
        for (days, pct, paid, note) in &p.updates {
            store
                .add_livelihood_progress(
                    id,
                    ProgressDraft {
                        on: today.add_days(-days),
                        progress: *pct,
                        disbursed_fen: paid * 100,
                        note: (*note).into(),
                    },
                    by,
                    morning(today, *days),
                )
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        }
        for (days, post, findings, rect) in &p.inspections {
            store
                .add_livelihood_inspection(
                    id,
                    &InspectionDraft {
                        on: today.add_days(-days),
                        by_post: (*post).into(),
                        findings: (*findings).into(),
                        rectification: Rectification::parse_or(rect).map_err(refused)?,
                    }
                    .checked()
                    .map_err(refused)?,
                    None,
                    &inspector_by,
                    morning(today, *days),
                )
                .await?;
        }
        for (matter, handling, result) in &p.investigations {
            store
                .add_livelihood_investigation(
                    id,
                    &InvestigationDraft {
                        matter: (*matter).into(),
                        handling: (*handling).into(),
                        result: (*result).into(),
                        report_ref: None,
                    }
                    .checked()
                    .map_err(refused)?,
                    &inspector_by,
                    morning(today, 5),
                )
                .await?;
        }
        if let Some(kind) = p.disclose.and_then(NoticeKind::parse) {
            store
                .disclose_livelihood_project(id, kind, today, by, now_millis())
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        }
        project_ids.push(id);
    }
    for (policy_area, post, duties, holder) in responsibilities() {
        let (department, by) = match holder {
            Holder::Department => (Some(dept.clone()), &dept_by),
            Holder::Community => (None, &community_by),
        };
        store
            .add_livelihood_responsibility(
                &ResponsibilityDraft {
                    area: community,
                    department,
                    post: post.into(),
                    policy_area: policy_area.into(),
                    duties: duties.into(),
                }
                .checked()
                .map_err(refused)?,
                by,
                morning(today, 60),
            )
            .await?;
    }

    // The orders, each on a real item of the demo, issued days ago on the city's clock.
    let cases = store.supervisable_cases(&street, 4).await?;
    let commitments: Vec<i64> = store
        .commitments(&CoBuildFilter {
            area: Some(community),
            ..Default::default()
        })
        .await?
        .into_iter()
        .filter(|c| c.delivered_on.is_none())
        .map(|c| c.id)
        .collect();
    let settings = gongzhi_server::supervision::settings::current(st).await?;
    let calendar = st.loop_cfg.fresh(store).await?.calendar.clone();
    for o in orders() {
        let (kind, id) = match o.on {
            On::Case(n) => (SupervisedKind::Case, cases.get(n).copied()),
            On::Commitment(n) => (SupervisedKind::Commitment, commitments.get(n).copied()),
            On::Project(n) => (SupervisedKind::Project, project_ids.get(n).copied()),
        };
        let Some(id) = id else { continue };
        let Some(item) = store.supervised_item(kind, id).await? else {
            continue;
        };
        let at = now_millis() - o.days_ago * DAY_MS;
        let points = settings.points(&calendar, at);
        let order = store
            .issue_supervision(&item, o.demand, &settings, &points, &supervisor_by, at)
            .await?;
        if o.acknowledged {
            let by = if item.department.is_some() {
                &dept_by
            } else {
                &community_by
            };
            for (kind, note, after) in [
                (ReplyKind::Acknowledge, "已签收，正在组织办理", 2 * HOUR_MS),
                (ReplyKind::Progress, "已制定整改方案，正在逐项落实", DAY_MS),
            ] {
                store
                    .reply_supervision(order, kind, note, by, at + after)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            }
        }
    }
    // The clock as of now: warnings, overdue, notices and suggestions recorded like the job does.
    gongzhi_server::supervision::jobs::tick(st, now_millis()).await?;
    Ok(())
}
