//! The living demo's power lists (权力清单), stored through the same store calls as the
//! screens: four departments' and the demo street's items with flowcharts and mixed risk
//! levels, one changed after publication (two versions), one draft. Written as the demo
//! accounts that keep those lists where there is one (the department, dept-mz, the street),
//! else as the administrator.

use gongzhi_demo::power_list::{PlanOwner, PowerFate, plan};
use gongzhi_domain::access::Scope;
use gongzhi_domain::calendar::{HOUR_MS, date_of, start_of};
use gongzhi_domain::power_list::{Flowchart, PowerItemDraft, PowerOwner, RiskFactors};
use gongzhi_store::{EventActor, PowerFilter, Store, now_millis};
use std::collections::HashMap;

/// Ten in the morning `days_ago` days before today, or now if that is still to come.
fn morning(days_ago: i64) -> i64 {
    let day = date_of(now_millis()).add_days(-days_ago);
    (start_of(day) + 10 * HOUR_MS).min(now_millis())
}

async fn actor(store: &Store, username: &str) -> anyhow::Result<Option<(EventActor, Scope)>> {
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

/// Seeds the lists unless the database holds power items already (or the demo street's
/// account is missing).
pub async fn seed(store: &Store) -> anyhow::Result<()> {
    if !store
        .power_items(&PowerFilter::default(), 1)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let Some((street_by, Scope::Area(street))) = actor(store, "street").await? else {
        return Ok(());
    };
    let admin = actor(store, "admin")
        .await?
        .map(|(a, _)| a)
        .unwrap_or(street_by.clone());
    // Who writes each department's list: its demo account if it has one.
    let mut writers: HashMap<String, EventActor> = HashMap::new();
    for username in ["department", "dept-mz"] {
        if let Some((by, Scope::Department(d))) = actor(store, username).await? {
            writers.insert(d, by);
        }
    }
    let known: Vec<String> = store
        .departments()
        .await?
        .into_iter()
        .map(|d| d.code)
        .collect();
    let mut numbers: HashMap<String, i64> = HashMap::new();
    let mut stored = 0;
    for p in plan() {
        let (owner, by) = match p.owner {
            PlanOwner::Department(code) if known.iter().any(|k| k == code) => (
                PowerOwner::Department(code.into()),
                writers.get(code).cloned().unwrap_or(admin.clone()),
            ),
            PlanOwner::Department(_) => continue,
            PlanOwner::Street => (PowerOwner::Area(street), street_by.clone()),
        };
        let number = numbers.entry(owner.code()).or_insert(0);
        *number += 1;
        let [importance, discretion, likelihood, harm] = p.factors;
        let draft = |legal_basis: &str, flow: &str| {
            PowerItemDraft {
                owner: owner.clone(),
                number: *number,
                name: p.name.into(),
                power_type: p.power_type,
                legal_basis: legal_basis.into(),
                discretion: p.discretion.into(),
                post: p.post.into(),
                factors: RiskFactors {
                    importance,
                    discretion,
                    likelihood,
                    harm,
                },
                measures: p.measures.iter().map(|m| m.to_string()).collect(),
                flowchart: Flowchart::parse(flow)
                    .map_err(|e| anyhow::anyhow!("demo flowchart of {}: {e:?}", p.name))?,
            }
            .checked()
            .map_err(|e| anyhow::anyhow!("demo power item {}: {e:?}", p.name))
        };
        let first = draft(p.legal_basis, p.flowchart)?;
        match p.fate {
            PowerFate::Draft => {
                store
                    .create_power_item(&first, false, &by, morning(3))
                    .await?;
            }
            PowerFate::Published { days_ago } => {
                store
                    .create_power_item(&first, true, &by, morning(days_ago))
                    .await?;
            }
            PowerFate::Changed {
                days_ago,
                changed_days_ago,
                legal_basis,
                flowchart,
            } => {
                let id = store
                    .create_power_item(&first, true, &by, morning(days_ago))
                    .await?;
                store
                    .change_power_item(
                        id,
                        &draft(legal_basis, flowchart)?,
                        &by,
                        morning(changed_days_ago),
                    )
                    .await
                    .map_err(|e| anyhow::anyhow!("demo power item change: {e}"))?;
            }
        }
        stored += 1;
    }
    eprintln!("演示权力清单已写入 / demo power items stored: {stored}");
    Ok(())
}
