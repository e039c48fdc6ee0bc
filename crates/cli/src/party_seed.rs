//! The demo city's party organisation (`gongzhi_demo::plan_party`) written through the store's
//! party transactions — each record with its event on the log — after the population, whose
//! residents the members are. The red grid, meetings, five steps and assessment seeds hang off
//! the organisations and members written here.

use anyhow::Context;
use gongzhi_demo::DemoCity;
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::party::{PartyMember, PartyOrg, Transfer, Unit};
use gongzhi_store::party::{CompoundUpsert, OrgFilter, PartyResidentFilter};
use gongzhi_store::{Actor, Page, Store};
use std::collections::HashMap;
use std::time::Instant;

/// Members written per transaction, so that a server already serving never waits long.
const MEMBER_SLICE: usize = 1_000;

/// Who the demo's records are logged as.
const DEMO_ACTOR: Actor<'static> = Actor {
    id: None,
    name: "演示数据",
};

/// Seeds the party organisation unless one is stored already.
pub async fn store_party(store: &Store, city: &DemoCity) -> anyhow::Result<()> {
    if !store.orgs(&OrgFilter::default()).await?.is_empty() {
        return Ok(());
    }
    let started = Instant::now();
    let today: Date = date_of(gongzhi_store::now_millis());
    let plan = {
        let city = city.clone();
        tokio::task::spawn_blocking(move || {
            gongzhi_demo::plan_party(&city, gongzhi_demo::DEFAULT_SEED, today)
        })
        .await?
    };
    // The members' resident records, by household and name.
    let residents: HashMap<(String, String), (i64, i64)> = store
        .party_residents(&PartyResidentFilter {
            page: Page {
                offset: 0,
                limit: i64::MAX,
            },
            ..Default::default()
        })
        .await?
        .into_iter()
        .map(|r| ((r.household_code, r.name), (r.resident_id, r.household_id)))
        .collect();

    let mut tx = store.party_tx(&DEMO_ACTOR).await?;
    let mut compound_ids = Vec::with_capacity(plan.compounds.len());
    for c in &plan.compounds {
        let upsert = CompoundUpsert {
            compound: c.compound.clone(),
            buildings: c.buildings.clone(),
        };
        compound_ids.push(
            tx.upsert_compound(&upsert)
                .await
                .context("demo compound")?
                .0,
        );
    }
    let mut org_ids: Vec<i64> = Vec::with_capacity(plan.orgs.len());
    for o in &plan.orgs {
        let org = PartyOrg {
            parent: o.parent.map(|p| org_ids[p]),
            compound: o.compound.map(|c| compound_ids[c]),
            ..o.org.clone()
        };
        org_ids.push(
            tx.create_org(&org)
                .await
                .with_context(|| format!("demo organisation {}", org.name))?,
        );
    }
    for u in &plan.units {
        let unit = Unit {
            org: u.org.map(|o| org_ids[o]),
            ..u.unit.clone()
        };
        tx.create_unit(&unit).await.context("demo unit")?;
    }
    tx.commit().await?;

    let mut member_ids: Vec<Option<i64>> = Vec::with_capacity(plan.members.len());
    for slice in plan.members.chunks(MEMBER_SLICE) {
        let mut tx = store.party_tx(&DEMO_ACTOR).await?;
        for m in slice {
            let Some(&(resident, household)) =
                residents.get(&(m.household_code.clone(), m.member.name.clone()))
            else {
                member_ids.push(None);
                continue;
            };
            let member = PartyMember {
                org: Some(org_ids[m.org]),
                resident: Some(resident),
                household: Some(household),
                ..m.member.clone()
            };
            let id = tx
                .create_member(&member)
                .await
                .with_context(|| format!("demo member {}", member.name))?;
            if let Some((unit, department, on)) = &m.checkin {
                tx.add_member_checkin(id, unit, department.as_deref(), *on)
                    .await
                    .context("demo check-in")?;
            }
            member_ids.push(Some(id));
        }
        tx.commit().await?;
    }

    let mut tx = store.party_tx(&DEMO_ACTOR).await?;
    for t in &plan.transfers {
        let Some(member) = member_ids[t.member] else {
            continue;
        };
        tx.transfer_member(&Transfer {
            member,
            from: None,
            to: org_ids[t.to],
            on: t.on,
            reason: t.reason.clone(),
        })
        .await
        .context("demo transfer")?;
    }
    for (m, id) in plan.members.iter().zip(&member_ids) {
        if let (Some(on), Some(id)) = (m.left_on, id) {
            tx.member_leaves(*id, on)
                .await
                .context("demo member leaving")?;
        }
    }
    for r in &plan.registrations {
        let id = tx
            .create_registration(&r.registration, None, today)
            .await
            .context("demo registration")?;
        let resident = r
            .household_code
            .as_ref()
            .and_then(|h| residents.get(&(h.clone(), r.registration.name.clone())))
            .map(|(id, _)| *id);
        if let Some(org) = r.confirm_in {
            tx.confirm_registration(id, resident, Some(org_ids[org]))
                .await
                .context("demo registration confirmed")?;
        }
    }
    tx.commit().await?;
    eprintln!(
        "演示党组织已写入 / demo party organisation stored: {} compounds, {} organisations, {} units, {} members, {} transfers, {} registrations in {:.1}s",
        plan.compounds.len(),
        plan.orgs.len(),
        plan.units.len(),
        member_ids.iter().flatten().count(),
        plan.transfers.len(),
        plan.registrations.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
