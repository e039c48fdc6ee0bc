//! 红色网格 in the store, on SQLite and PostgreSQL: links counted under a lock, so that two
//! links for one member at once cannot pass the maximum and two members cannot take one
//! household; every write logged in its own transaction; ending a role ends its links.

use gongzhi_domain::access::{Role, Scope};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_domain::population::HouseholdKind;
use gongzhi_domain::red_grid::{
    GridRoleDraft, GridRoleKind, LinkSettings, RedGridError, RoleHolder,
};
use gongzhi_store::pii::{MasterKey, PiiCipher};
use gongzhi_store::records::*;
use gongzhi_store::{AccountDraft, Actor, EventActor, RedGridFilter, RedGridWriteError, Store};
use gongzhi_testkit::{TestDb, backends};

const GRID: &str = "320508019044001";

fn grid() -> GridCode {
    GridCode::parse(GRID).unwrap()
}

fn day() -> Date {
    Date::new(2026, 11, 2).unwrap()
}

async fn seeded(db: &TestDb) -> (Store, Vec<i64>) {
    let store = Store::open(&db.url, PiiCipher::new(&MasterKey::from_bytes([3; 32])))
        .await
        .unwrap();
    let area = |s: &str, n: &str| AreaRecord {
        code: AreaCode::parse(s).unwrap(),
        name: n.into(),
        urban_rural: None,
    };
    store
        .upsert_areas(&[
            area("320508", "姑苏区"),
            area("320508019000", "金阊街道"),
            area("320508019044", "养育巷社区"),
        ])
        .await
        .unwrap();
    store
        .import_grids(&[GridRecord {
            code: grid(),
            name: "第一网格".into(),
            geometry_geojson: r#"{"type":"Polygon","coordinates":[[[120.6,31.3],[120.601,31.3],[120.601,31.301],[120.6,31.301],[120.6,31.3]]]}"#.into(),
            area_m2: 10_000.0,
        }])
        .await
        .unwrap();
    store
        .import_buildings(&[BuildingRecord {
            code: "B1".into(),
            grid: grid(),
            name: "1幢".into(),
            address: "养育巷1号".into(),
            lon: 120.6005,
            lat: 31.3005,
            floors: 6,
        }])
        .await
        .unwrap();
    let kind = HouseholdKind::parse("户籍").unwrap();
    let households: Vec<HouseholdRecord> = (0..13)
        .map(|i| HouseholdRecord {
            code: format!("H{i:02}"),
            building_code: "B1".into(),
            room: format!("{}", 101 + i),
            kind,
        })
        .collect();
    store.import_households(&households).await.unwrap();
    let ids = store.household_ids_by_grid().await.unwrap()[&grid()]
        .iter()
        .map(|(id, _)| *id)
        .collect();
    (store, ids)
}

async fn red_member(store: &Store, username: &str) -> i64 {
    let scope = Scope::Grid(grid());
    let id = store
        .create_account(
            &AccountDraft {
                username: username.into(),
                display_name: format!("网格员{username}"),
                role: Role::RedMember,
                scope: scope.clone(),
                can_unmask: false,
                password: "test2026pass".into(),
                is_demo: false,
            },
            &Actor::SYSTEM,
        )
        .await
        .unwrap();
    let draft = GridRoleDraft {
        grid: grid(),
        kind: GridRoleKind::RedMember,
        account: Some(RoleHolder {
            account_id: id,
            role: Role::RedMember,
            scope,
            display_name: format!("网格员{username}"),
        }),
        person_name: String::new(),
        member: None,
        started_on: day(),
    };
    store.add_grid_role(&draft, &by()).await.unwrap()
}

fn by() -> EventActor {
    EventActor {
        account_id: None,
        name: "养育巷社区".into(),
    }
}

fn refused(
    r: Result<(i64, Option<gongzhi_domain::red_grid::LinkWarning>), RedGridWriteError>,
) -> RedGridError {
    match r {
        Err(RedGridWriteError::Refused(e)) => e,
        other => panic!("not refused: {other:?}"),
    }
}

#[tokio::test]
async fn links_race_neither_past_the_maximum_nor_onto_a_taken_household() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let (store, h) = seeded(&db).await;
        let s = LinkSettings::default();
        let me = by();
        let a = red_member(&store, "a").await;
        let b = red_member(&store, "b").await;
        for (i, household) in h.iter().take(9).enumerate() {
            let (_, warning) = store
                .link_household(a, *household, day(), &s, &by())
                .await
                .unwrap();
            assert_eq!(warning.is_some(), i < 4, "{backend:?} link {}", i + 1);
        }
        // The tenth and an eleventh at once: one of them is refused with the maximum.
        let (x, y) = tokio::join!(
            store.link_household(a, h[9], day(), &s, &me),
            store.link_household(a, h[10], day(), &s, &me),
        );
        let refusals: Vec<RedGridError> = [x, y]
            .into_iter()
            .filter(|r| r.is_err())
            .map(refused)
            .collect();
        assert_eq!(
            refusals,
            [RedGridError::TooManyHouseholds {
                holder: "网格员a".into(),
                max: 10
            }],
            "{backend:?}"
        );
        // Two members taking one household at once: one of them has it.
        let (x, y) = tokio::join!(
            store.link_household(b, h[11], day(), &s, &me),
            store.link_household(b, h[11], day(), &s, &me),
        );
        assert_eq!(
            [&x, &y].iter().filter(|r| r.is_ok()).count(),
            1,
            "{backend:?}"
        );
        let current = store
            .household_links(&RedGridFilter::default(), true)
            .await
            .unwrap();
        assert_eq!(current.len(), 11);
        let mut events = 0;
        for l in &current {
            events += store
                .record_events(&format!("household_link/{}", l.id))
                .await
                .unwrap()
                .len();
        }
        assert_eq!(events, 11, "each link logged once");

        // Ending a's role ends its ten links; its households wait for a member again.
        store
            .end_grid_role(a, day().add_days(30), &by())
            .await
            .unwrap();
        let left = store
            .household_links(&RedGridFilter::default(), true)
            .await
            .unwrap();
        assert_eq!(left.len(), 1, "{backend:?}");
        assert!(matches!(
            store.link_household(a, h[12], day(), &s, &by()).await,
            Err(RedGridWriteError::Refused(RedGridError::RoleEnded))
        ));
        let counts = store
            .red_grid_counts(&RedGridFilter::default())
            .await
            .unwrap();
        assert_eq!((counts[0].0.households, counts[0].0.linked), (13, 1));
    }
}
