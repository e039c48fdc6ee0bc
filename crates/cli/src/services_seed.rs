//! The living demo's 一有七中心, once the population is stored: every community's seven
//! centres with their menu, household tags, providers and their confirmed hours, the demo
//! `resident` account linked to an elder of the demo community, and that community's orders
//! in every state (planned by `gongzhi_demo::services`), written through the same store calls
//! as the API's, each on the log.

use gongzhi_demo::services::{Fate, PlanCommunity, PlanResident, plan};
use gongzhi_domain::access::Scope;
use gongzhi_domain::calendar::{HOUR_MS, date_of, start_of};
use gongzhi_domain::codes::{AreaCode, AreaLevel};
use gongzhi_store::{
    CentrePlace, EventActor, NewCentre, NewMenuItem, NewOrder, OrderChannel, Page, ResidentFilter,
    ServicesWriteError, Store, now_millis,
};
use std::time::Instant;

/// Seeds the services unless the database has centres already.
pub async fn seed(store: &Store) -> anyhow::Result<()> {
    if !store.centres(&CentrePlace::default()).await?.is_empty() {
        return Ok(());
    }
    let started = Instant::now();
    // The demo community is the `centre` account's.
    let Some(centre) = store.account_by_username("centre").await? else {
        return Ok(());
    };
    let Scope::Area(demo) = centre.scope else {
        return Ok(());
    };
    let areas = store.areas().await?;
    let mut communities = Vec::new();
    for a in areas.iter().filter(|a| a.level == AreaLevel::Community) {
        let Some(b) = store.buildings(Some(&a.code)).await?.into_iter().next() else {
            continue;
        };
        let c = PlanCommunity {
            code: a.code.to_string(),
            name: a.name.clone(),
            address: b.address.clone(),
            lon: b.lon,
            lat: b.lat,
        };
        if a.code == demo {
            communities.insert(0, c);
        } else {
            communities.push(c);
        }
    }
    if communities.first().map(|c| c.code.as_str()) != Some(demo.as_str()) {
        return Ok(());
    }
    let residents: Vec<PlanResident> = store
        .residents(&ResidentFilter {
            area: Some(demo),
            page: Page {
                offset: 0,
                limit: 20_000,
            },
            ..Default::default()
        })
        .await?
        .into_iter()
        .map(|r| PlanResident {
            id: r.id,
            household: r.household_id,
            birth_year: i32::try_from(r.birth_year).unwrap_or(1970),
        })
        .collect();
    let now = now_millis();
    let today = date_of(now);
    let settings = store.centre_settings().await?;
    let p = plan(
        &communities,
        &residents,
        &settings,
        today,
        gongzhi_demo::DEFAULT_SEED,
    );
    let by = EventActor {
        account_id: None,
        name: "演示数据".into(),
    };
    let staff = EventActor {
        account_id: Some(centre.id),
        name: centre.display_name.clone(),
    };
    let mut centre_ids = Vec::new();
    for c in &p.centres {
        let community = AreaCode::parse(&communities[c.community].code)?;
        let id = store
            .create_centre(
                &NewCentre {
                    community,
                    kind: c.kind,
                    name: c.name.clone(),
                    lead_department: c.lead_department.clone(),
                    address: c.address.clone(),
                    lon: c.lon,
                    lat: c.lat,
                    opening_hours: c.opening_hours.clone(),
                },
                &by,
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo centre {}: {e}", c.name))?;
        centre_ids.push(id);
    }
    let mut item_ids = Vec::new();
    for i in &p.items {
        let id = store
            .create_menu_item(
                &NewMenuItem {
                    centre_id: centre_ids[i.centre],
                    name: i.name.into(),
                    description: i.description.into(),
                    eligibility: i.eligibility.clone(),
                    schedule: i.schedule.clone(),
                },
                &by,
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo menu item {}: {e}", i.name))?;
        item_ids.push(id);
    }
    for a in &p.assessment {
        store
            .add_assessment_item(&a.lead_department, a.kind, a.name, a.points, a.measure, &by)
            .await
            .map_err(|e| anyhow::anyhow!("demo assessment item: {e}"))?;
    }
    for (household, tags) in &p.tags {
        store
            .set_household_tags(*household, tags, &by)
            .await
            .map_err(|e| anyhow::anyhow!("demo tags: {e}"))?;
    }
    for pr in &p.providers {
        let kind = if pr.volunteer {
            "volunteer"
        } else {
            "organisation"
        };
        let id = store
            .create_provider(centre_ids[pr.centre], kind, pr.name, pr.offer, &by)
            .await
            .map_err(|e| anyhow::anyhow!("demo provider: {e}"))?;
        // The month's hours, confirmed day by day in sessions of at most three hours.
        let mut left = pr.minutes;
        let mut day = 1;
        while left > 0 {
            let m = left.min(180);
            store
                .confirm_provider_hours(id, today.add_days(-day), m, "服务时长确认", &staff)
                .await
                .map_err(|e| anyhow::anyhow!("demo hours: {e}"))?;
            left -= m;
            day += 1;
        }
    }
    let resident_account = store.account_by_username("resident").await?;
    if let (Some(me), Some(a)) = (p.demo_resident, &resident_account) {
        store
            .link_resident_account(a.id, me, &by)
            .await
            .map_err(|e| anyhow::anyhow!("demo resident link: {e}"))?;
    }
    let (mut placed, mut skipped) = (0usize, 0usize);
    for o in &p.orders {
        // Booked a day or two before its day (today's and future ones: now).
        let booked_at = (start_of(o.day) - 2 * 24 * HOUR_MS).min(now);
        let booked_on = date_of(booked_at);
        let own = o.own.then_some(resident_account.as_ref()).flatten();
        let new = NewOrder {
            item_id: item_ids[o.item],
            resident_id: o.resident,
            service_date: o.day,
            slot: o.slot.clone(),
            channel: if own.is_some() {
                OrderChannel::Account
            } else {
                OrderChannel::Staff
            },
            placed_by: Some(own.map_or(centre.id, |a| a.id)),
            lookup_code: None,
        };
        let id = match store.place_order(&new, booked_on, booked_at, &staff).await {
            Ok((id, gongzhi_domain::services::Placement::InSlot)) => id,
            Ok(_) => {
                placed += 1;
                continue;
            }
            Err(ServicesWriteError::Refused(_)) => {
                skipped += 1;
                continue;
            }
            Err(e) => return Err(anyhow::anyhow!("demo order: {e}")),
        };
        placed += 1;
        let service_at = (start_of(o.day) + 9 * HOUR_MS).min(now);
        let follow = async {
            match o.fate {
                Fate::AsOrdered => Ok(()),
                Fate::Cancelled => store
                    .cancel_order(id, booked_at.max(service_at - HOUR_MS), &staff)
                    .await
                    .map(|_| ()),
                Fate::Assigned => {
                    store
                        .assign_order(id, "社工李敏", None, &o.slot.to_string(), booked_at, &staff)
                        .await
                }
                Fate::Completed { late, rating } => {
                    store
                        .assign_order(
                            id,
                            "志愿者王建国",
                            None,
                            &o.slot.to_string(),
                            booked_at,
                            &staff,
                        )
                        .await?;
                    let done_at =
                        (service_at + if late { 26 * HOUR_MS } else { 3 * HOUR_MS }).min(now);
                    store
                        .complete_order(id, "已按时上门服务，老人状态良好", None, done_at, &staff)
                        .await?;
                    match rating {
                        Some(r) => {
                            store
                                .rate_order(id, r, (done_at + 2 * HOUR_MS).min(now), &by)
                                .await
                        }
                        None => Ok(()),
                    }
                }
            }
        };
        follow
            .await
            .map_err(|e| anyhow::anyhow!("demo order {id}: {e}"))?;
    }
    eprintln!(
        "演示服务中心已写入 / demo service centres stored: {} centres, {} menu items, {} orders ({} skipped) in {:.1}s",
        p.centres.len(),
        p.items.len(),
        placed,
        skipped,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
