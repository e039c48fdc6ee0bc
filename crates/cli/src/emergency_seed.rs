//! The living demo's 应急: one live emergency filed by the demo community a few minutes ago in
//! the demo grid (through intake, so every level was alerted in its transaction), where the
//! grid worker has checked in but no level has acknowledged yet (the running server's job
//! escalates it as the minutes pass); and one finished drill from yesterday with the
//! times each level took to acknowledge.

use gongzhi_domain::access::Scope;
use gongzhi_domain::calendar::{DAY_MS, HOUR_MS};
use gongzhi_domain::case::Actor;
use gongzhi_domain::emergency::{MINUTE_MS, Place, Tier, first_stage};
use gongzhi_server::AppState;
use gongzhi_server::emergency::alerts::{self, About};
use gongzhi_store::{AccountRow, CaseFilter, EmergencyFilter, EventActor, NewDrill, now_millis};

fn label(a: &AccountRow) -> EventActor {
    EventActor {
        account_id: Some(a.id),
        name: a.display_name.clone(),
    }
}

/// Seeds both unless the database holds emergencies already (or the demo accounts are missing).
pub async fn seed(st: &AppState) -> anyhow::Result<()> {
    let store = &st.store;
    let any = EmergencyFilter::default();
    if !store.emergencies(&any, 1).await?.is_empty() {
        return Ok(());
    }
    let (Some(grid), Some(community), Some(street)) = (
        store.account_by_username("grid").await?,
        store.account_by_username("community").await?,
        store.account_by_username("street").await?,
    ) else {
        return Ok(());
    };
    let Scope::Grid(g) = grid.scope else {
        return Ok(());
    };
    // A point in the demo grid: where one of its cases was reported.
    let near = store
        .cases(&CaseFilter {
            grid: Some(g),
            limit: 1,
            ..Default::default()
        })
        .await?;
    let Some((lon, lat)) = near.first().and_then(|c| c.lon.zip(c.lat)) else {
        return Ok(());
    };
    let now = now_millis();

    // The live one: a gas smell reported four minutes ago.
    let reported = now - 4 * MINUTE_MS;
    let filed = gongzhi_server::app::intake(
        st,
        &Actor::Account {
            principal: community.principal(),
            is_reporter: true,
        },
        &label(&community),
        gongzhi_server::app::Report {
            category: "E0102".into(),
            lon: Some(lon),
            lat: Some(lat),
            address: String::new(),
            description: "居民楼道内闻到强烈燃气味，疑似管道泄漏，已组织疏散".into(),
            emergency: true,
            ..Default::default()
        },
        gongzhi_server::app::Routing::ByRules,
        reported,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    // Nobody has acknowledged yet: the board counts down to the escalation to the community.
    if let Some(id) = store.emergency_of_case(filed.case.id).await? {
        store
            .check_in_emergency(
                id,
                Some(Tier::Grid),
                lon + 0.0002,
                lat + 0.0001,
                &label(&grid),
                reported + 3 * MINUTE_MS,
            )
            .await?;
    }

    // The finished drill: yesterday at ten.
    let started = (now - DAY_MS).div_euclid(DAY_MS) * DAY_MS + 2 * HOUR_MS;
    let place = Place {
        community: Some(g.community()),
        grid: Some(g),
        department: None,
    };
    let lookups = store.lookups().await?;
    let title = "燃气泄漏应急演练";
    let notices = alerts::first(
        &About {
            title,
            detail: "",
            ticket: "",
            case_id: 0,
            drill: true,
            place: &place,
            lookups: &lookups,
            at: started,
        },
        first_stage(&place),
    );
    let drill = store
        .start_drill(
            &NewDrill {
                title: title.into(),
                community: place.community,
                grid: place.grid,
                department: None,
                lon: Some(lon),
                lat: Some(lat),
            },
            &notices,
            &label(&street),
            started,
        )
        .await?;
    for (who, tier, after) in [
        (&grid, Tier::Grid, 95_000),
        (&community, Tier::Community, 3 * MINUTE_MS + 20_000),
        (&street, Tier::Street, 6 * MINUTE_MS),
    ] {
        store
            .acknowledge_emergency(
                drill,
                tier,
                tier == Tier::Grid,
                &label(who),
                started + after,
            )
            .await?;
    }
    store
        .check_in_emergency(
            drill,
            Some(Tier::Grid),
            lon - 0.0001,
            lat + 0.0002,
            &label(&grid),
            started + 7 * MINUTE_MS,
        )
        .await?;
    store.end_drill(drill, started + 25 * MINUTE_MS).await?;
    Ok(())
}
