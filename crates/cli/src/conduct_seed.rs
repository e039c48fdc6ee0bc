//! The living demo's misconduct reports (消极怠政), once the cases exist: one case in the demo
//! street passed between two departments twice through the real loop (so 推诿扯皮 shows among
//! the signals), then the reports of `gongzhi_demo::conduct::plan` filed through the app
//! layer's one create function and carried through their fates by the store calls the screens
//! use — an investigation assigned to the demo `supervisor` ends in accountability actions, so
//! the statistics are not empty. Each write is on the log like any other.

use gongzhi_demo::conduct::{Fate, plan};
use gongzhi_domain::access::{Principal, Role, Scope};
use gongzhi_domain::calendar::{DAY_MS, HOUR_MS, date_of};
use gongzhi_domain::case::{Actor, Command};
use gongzhi_domain::codes::Phone;
use gongzhi_domain::conduct::{
    AccountabilityAction, AccountabilityDraft, Conclusion, ReportChannel, ReportDraft,
    ReportedUnit, Reporter,
};
use gongzhi_server::AppState;
use gongzhi_store::{CaseFilter, EventActor, MisconductFilter, now_millis};

fn actor_of(a: &gongzhi_store::AccountRow) -> EventActor {
    EventActor {
        account_id: Some(a.id),
        name: a.display_name.clone(),
    }
}

/// Seeds unless the database holds reports already (or the demo accounts are missing).
pub async fn seed(st: &AppState) -> anyhow::Result<()> {
    let store = &st.store;
    if store
        .count_misconduct_reports(&MisconductFilter::default())
        .await?
        > 0
    {
        return Ok(());
    }
    let (Some(sup), Some(insp), Some(community), Some(dept), Some(street)) = (
        store.account_by_username("supervisor").await?,
        store.account_by_username("inspector").await?,
        store.account_by_username("community").await?,
        store.account_by_username("department").await?,
        store.account_by_username("street").await?,
    ) else {
        return Ok(());
    };
    let (Scope::Area(area), Scope::Department(dept_code)) =
        (community.scope.clone(), dept.scope.clone())
    else {
        return Ok(());
    };
    pass_a_case_around(st, &dept, &street, &dept_code).await;

    let now = now_millis();
    let (sup_by, insp_by) = (actor_of(&sup), actor_of(&insp));
    for p in plan() {
        let at = now - p.days_ago * DAY_MS - 2 * HOUR_MS;
        let channel = ReportChannel::parse(p.channel).unwrap_or(ReportChannel::Web);
        let draft = ReportDraft {
            category: p.category.into(),
            area,
            unit: if p.department {
                ReportedUnit::Department(dept_code.clone())
            } else {
                ReportedUnit::Area(area)
            },
            official: p.official.into(),
            description: p.description.into(),
            occurred_on: Some(date_of(at - DAY_MS)),
            reporter: p.reporter.map(|(name, phone)| Reporter {
                name: name.into(),
                phone: Phone::parse(phone).ok(),
            }),
        };
        let (filed_by, label) = match channel {
            ReportChannel::Hotline => (Some(sup.id), sup_by.clone()),
            ReportChannel::Referral => (Some(street.id), actor_of(&street)),
            _ => (
                None,
                EventActor {
                    account_id: None,
                    name: "举报人".into(),
                },
            ),
        };
        let filed = gongzhi_server::app::file_misconduct_report(
            st, draft, channel, filed_by, None, &label, at,
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo report: {e}"))?;
        let id = filed.id;
        let step = |n: i64| at + n * HOUR_MS * 20;
        let fail = |e: gongzhi_store::ConductWriteError| anyhow::anyhow!("demo report {id}: {e}");
        match &p.fate {
            Fate::Received => {}
            Fate::Accepted => store
                .accept_misconduct_report(id, &sup_by, step(1))
                .await
                .map_err(fail)?,
            Fate::Dismissed(reason) => store
                .dismiss_misconduct_report(id, reason, &sup_by, step(1))
                .await
                .map_err(fail)?,
            Fate::Investigating(_) | Fate::Substantiated(_) | Fate::Unsubstantiated => {
                let investigator = match &p.fate {
                    Fate::Investigating("inspector") => (&insp, &insp_by),
                    _ => (&sup, &sup_by),
                };
                store
                    .accept_misconduct_report(id, &sup_by, step(1))
                    .await
                    .map_err(fail)?;
                store
                    .assign_misconduct_investigators(
                        id,
                        &[(investigator.0.id, investigator.0.display_name.clone())],
                        &sup_by,
                        step(2),
                    )
                    .await
                    .map_err(fail)?;
                store
                    .add_misconduct_evidence(
                        id,
                        "调阅办理记录，约谈相关人员并制作谈话笔录",
                        None,
                        investigator.1,
                        step(3),
                    )
                    .await
                    .map_err(fail)?;
                conclude(st, id, &p.fate, &dept_code, investigator.1, step(4)).await?;
            }
        }
    }
    Ok(())
}

/// Carries a report under investigation to its end: actions recorded, then concluded.
async fn conclude(
    st: &AppState,
    id: i64,
    fate: &Fate,
    dept: &str,
    by: &EventActor,
    at: i64,
) -> anyhow::Result<()> {
    let store = &st.store;
    let fail = |e: gongzhi_store::ConductWriteError| anyhow::anyhow!("demo report {id}: {e}");
    match fate {
        Fate::Substantiated(actions) => {
            let report = store.misconduct_report(id).await?;
            let unit = report
                .map(|r| r.unit)
                .unwrap_or(ReportedUnit::Department(dept.to_string()));
            for (i, (action, grade, post)) in actions.iter().enumerate() {
                let action = AccountabilityAction::parse(action)
                    .unwrap_or(AccountabilityAction::ReminderTalk);
                let draft = AccountabilityDraft {
                    action,
                    sanction: action.sanction(grade).ok().flatten(),
                    official_post: (*post).into(),
                    unit: unit.clone(),
                    decided_on: date_of(at),
                    basis: "《中国共产党问责条例》及县治理消极怠政问题暂行办法".into(),
                }
                .checked(date_of(now_millis()))
                .map_err(|e| anyhow::anyhow!("demo action: {e:?}"))?;
                store
                    .add_accountability_action(id, &draft, by, at + i as i64 * HOUR_MS)
                    .await
                    .map_err(fail)?;
            }
            store
                .conclude_misconduct_report(
                    id,
                    Conclusion::Substantiated,
                    "经调阅记录和谈话核实，反映问题属实。",
                    "经核查，反映问题属实，已对相关责任人作出处理。感谢您的监督。",
                    by,
                    at + 6 * HOUR_MS,
                )
                .await
                .map_err(fail)?;
        }
        Fate::Unsubstantiated => {
            store
                .conclude_misconduct_report(
                    id,
                    Conclusion::Unsubstantiated,
                    "经核查，相关干部当日在外入户走访，有工作记录为证。",
                    "经核查，反映问题不属实：相关人员当日在外开展入户走访。感谢您的监督。",
                    by,
                    at + 6 * HOUR_MS,
                )
                .await
                .map_err(fail)?;
        }
        _ => {}
    }
    Ok(())
}

/// One dispatched case of the demo department in the demo street, returned by it, dispatched
/// by the street to another department and returned again: 推诿扯皮 in the case data.
async fn pass_a_case_around(
    st: &AppState,
    dept: &gongzhi_store::AccountRow,
    street: &gongzhi_store::AccountRow,
    dept_code: &str,
) {
    let Scope::Area(street_area) = street.scope.clone() else {
        return;
    };
    let found = st
        .store
        .cases(&CaseFilter {
            area: Some(street_area),
            department: Some(dept_code.to_string()),
            states: vec!["dispatched".into()],
            limit: 1,
            ..Default::default()
        })
        .await;
    let Some(id) = found.ok().and_then(|c| c.first().map(|c| c.id)) else {
        tracing::warn!("no dispatched case of the demo department to pass around");
        return;
    };
    let Ok(departments) = st.store.departments().await else {
        return;
    };
    let Some(other) = departments.iter().find(|d| d.code != dept_code) else {
        return;
    };
    let other_principal = Principal {
        account_id: 0,
        role: Role::Department,
        scope: Scope::Department(other.code.clone()),
        can_unmask: false,
    };
    let as_account = |p: Principal| Actor::Account {
        principal: p,
        is_reporter: false,
    };
    let label = |name: &str| EventActor {
        account_id: None,
        name: name.into(),
    };
    let now = now_millis();
    let steps = [
        (
            as_account(dept.principal()),
            dept.display_name.clone(),
            Command::Return {
                reason: "不属于本部门职责，请重新派遣".into(),
            },
        ),
        (
            as_account(street.principal()),
            street.display_name.clone(),
            Command::Dispatch {
                department: Some(other.code.clone()),
                is_override: true,
            },
        ),
        (
            as_account(other_principal),
            format!("{}科员", other.name),
            Command::Return {
                reason: "也不归我部门，请协调".into(),
            },
        ),
    ];
    for (i, (who, name, cmd)) in steps.into_iter().enumerate() {
        let at = now - (3 - i as i64) * HOUR_MS;
        if let Err(e) =
            gongzhi_server::app::command(st, id, None, &who, &label(&name), cmd, at).await
        {
            tracing::warn!(case = id, error = ?e, "demo case not passed around");
            return;
        }
    }
}
