//! 一有七中心 in the store, on SQLite and PostgreSQL: an ineligible order refused naming the
//! rule with nothing written; a full slot sends an order to the waiting list and a cancellation
//! promotes it in the same transaction; concurrent orders never overfill a slot; fulfilment,
//! rating and the counts; every write on the log.

use gongzhi_domain::Bilingual;
use gongzhi_domain::calendar::{Date, start_of};
use gongzhi_domain::case::Satisfaction;
use gongzhi_domain::codes::{AreaCode, GridCode, IdNumber, Phone};
use gongzhi_domain::population::{HouseholdKind, PoliticalStatus, Relation};
use gongzhi_domain::services::{
    CentreKind, Eligibility, HouseholdTag, OrderState, Placement, Schedule, ServicesError, TimeSlot,
};
use gongzhi_store::pii::{MasterKey, PiiCipher};
use gongzhi_store::records::*;
use gongzhi_store::{
    CentrePlace, CountBy, EventActor, NewCentre, NewMenuItem, NewOrder, OrderChannel, OrderFilter,
    ServicesWriteError, Store,
};
use gongzhi_testkit::{TestDb, backends};

const GRID: &str = "320508019044001";
const COMMUNITY: &str = "320508019044";

fn day() -> Date {
    Date::new(2026, 11, 2).unwrap()
}

fn slot() -> TimeSlot {
    TimeSlot::parse("09:00-10:00").unwrap()
}

fn by() -> EventActor {
    EventActor {
        account_id: None,
        name: "养育巷社区".into(),
    }
}

/// A store with one community, a building, `n` households each with one resident (the
/// first born 1950, the others 1981), the departments and an elder-care centre with a lunch
/// for those 60 and over, `capacity` places a slot. Returns the store, resident ids, item id.
async fn seeded(db: &TestDb, n: usize, capacity: u32) -> (Store, Vec<i64>, i64) {
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
            area(COMMUNITY, "养育巷社区"),
        ])
        .await
        .unwrap();
    store
        .import_grids(&[GridRecord {
            code: GridCode::parse(GRID).unwrap(),
            name: "第一网格".into(),
            geometry_geojson: r#"{"type":"Polygon","coordinates":[[[120.6,31.3],[120.601,31.3],[120.601,31.301],[120.6,31.301],[120.6,31.3]]]}"#.into(),
            area_m2: 10_000.0,
        }])
        .await
        .unwrap();
    store
        .upsert_departments(&[DepartmentRecord {
            code: "MZ".into(),
            name: "姑苏区民政局".into(),
        }])
        .await
        .unwrap();
    store
        .import_buildings(&[BuildingRecord {
            code: "B1".into(),
            grid: GridCode::parse(GRID).unwrap(),
            name: "1幢".into(),
            address: "养育巷1号".into(),
            lon: 120.6005,
            lat: 31.3005,
            floors: 6,
        }])
        .await
        .unwrap();
    let kind = HouseholdKind::parse("户籍").unwrap();
    let households: Vec<HouseholdRecord> = (0..n)
        .map(|i| HouseholdRecord {
            code: format!("H{i:02}"),
            building_code: "B1".into(),
            room: format!("{}", 101 + i),
            kind,
        })
        .collect();
    store.import_households(&households).await.unwrap();
    let residents: Vec<ResidentRecord> = (0..n)
        .map(|i| ResidentRecord {
            id_number: IdNumber::from_parts(
                "320508",
                if i == 0 { 1950 } else { 1981 },
                5,
                20,
                200 + i as u16,
            ),
            name: format!("居民{i}"),
            phone: Some(Phone::parse(&format!("1380000{:04}", 3000 + i)).unwrap()),
            household_code: format!("H{i:02}"),
            relation: Relation::parse("户主").unwrap(),
            political_status: PoliticalStatus::parse("群众").unwrap(),
        })
        .collect();
    store.import_residents(&residents).await.unwrap();
    let mut ids = Vec::new();
    for i in 0..n {
        let phone = Phone::parse(&format!("1380000{:04}", 3000 + i)).unwrap();
        let id = store
            .resident_by_name_phone(
                &AreaCode::parse(COMMUNITY).unwrap(),
                &format!("居民{i}"),
                &phone,
            )
            .await
            .unwrap()
            .expect("the resident by name and phone");
        ids.push(id);
    }
    let centre = store
        .create_centre(
            &NewCentre {
                community: AreaCode::parse(COMMUNITY).unwrap(),
                kind: CentreKind::ElderCare,
                name: "养育巷社区老年人日间照料中心".into(),
                lead_department: "MZ".into(),
                address: "养育巷1号".into(),
                lon: 120.6005,
                lat: 31.3005,
                opening_hours: "周一至周五 8:30-17:00".into(),
            },
            &by(),
        )
        .await
        .unwrap();
    let item = store
        .create_menu_item(
            &NewMenuItem {
                centre_id: centre,
                name: "助餐（午餐）".into(),
                description: "中午送餐上门或到中心就餐".into(),
                eligibility: Eligibility {
                    min_age: Some(60),
                    max_age: None,
                    any_tags: vec![],
                },
                schedule: Schedule {
                    weekdays: vec![1, 2, 3, 4, 5, 6, 7],
                    slots: vec![slot()],
                    capacity,
                },
            },
            &by(),
        )
        .await
        .unwrap();
    (store, ids, item)
}

fn order(item: i64, resident: i64) -> NewOrder {
    NewOrder {
        item_id: item,
        resident_id: resident,
        service_date: day(),
        slot: slot(),
        channel: OrderChannel::Staff,
        placed_by: None,
        lookup_code: None,
    }
}

async fn place(
    store: &Store,
    item: i64,
    resident: i64,
) -> Result<(i64, Placement), ServicesWriteError> {
    store
        .place_order(&order(item, resident), day(), start_of(day()), &by())
        .await
}

async fn record_events(store: &Store) -> i64 {
    use sqlx::Row;
    sqlx::query("SELECT COUNT(*) AS n FROM record_events")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

#[tokio::test]
async fn an_ineligible_order_is_refused_naming_the_rule_and_nothing_is_written() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let (store, residents, item) = seeded(&db, 2, 2).await;
        let events = record_events(&store).await;
        let e = match place(&store, item, residents[1]).await {
            Err(ServicesWriteError::Refused(e)) => e,
            other => panic!("{backend:?}: not refused: {other:?}"),
        };
        assert_eq!(e.code(), "not_eligible");
        assert_eq!(e.field().as_deref(), Some("resident"));
        assert_eq!(
            e.message_zh(),
            "本服务仅限 60 岁及以上老年人（申请人 45 岁）",
            "{backend:?}"
        );
        assert!(!e.is_conflict(), "eligibility is a 422, not a conflict");
        assert!(
            store
                .service_orders(&OrderFilter::default())
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(record_events(&store).await, events, "nothing logged");

        // A household tag rule: the elder is eligible only once the household is tagged.
        let centre = store.menu_item(item).await.unwrap().unwrap().centre_id;
        let tagged = store
            .create_menu_item(
                &NewMenuItem {
                    centre_id: centre,
                    name: "居家探访".into(),
                    description: "每周上门探访".into(),
                    eligibility: Eligibility {
                        min_age: None,
                        max_age: None,
                        any_tags: vec![HouseholdTag::LivingAlone],
                    },
                    schedule: Schedule {
                        weekdays: vec![1],
                        slots: vec![slot()],
                        capacity: 5,
                    },
                },
                &by(),
            )
            .await
            .unwrap();
        let refused = place(&store, tagged, residents[0]).await;
        assert!(
            matches!(
                refused,
                Err(ServicesWriteError::Refused(
                    ServicesError::TagRequired { .. }
                ))
            ),
            "{refused:?}"
        );
        let household = store.service_orders(&OrderFilter::default()).await.unwrap();
        assert!(household.is_empty());
        let hid = {
            use sqlx::Row;
            sqlx::query("SELECT household_id FROM residents WHERE id = $1")
                .bind(residents[0])
                .fetch_one(store.pool())
                .await
                .unwrap()
                .try_get::<i64, _>("household_id")
                .unwrap()
        };
        store
            .set_household_tags(hid, &[HouseholdTag::LivingAlone], &by())
            .await
            .unwrap();
        let (_, p) = place(&store, tagged, residents[0]).await.unwrap();
        assert_eq!(p, Placement::InSlot, "{backend:?}");
    }
}

#[tokio::test]
async fn a_full_slot_puts_the_order_on_the_waiting_list_and_a_cancellation_promotes_it() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let (store, residents, item) = seeded(&db, 1, 1).await;
        // Three elders of the community: the first household's resident and two more there.
        let mut elders = vec![residents[0]];
        for (i, name) in ["王奶奶", "李爷爷"].iter().enumerate() {
            store
                .import_residents(&[ResidentRecord {
                    id_number: IdNumber::from_parts("320508", 1948, 3, 2, 300 + i as u16),
                    name: name.to_string(),
                    phone: Some(Phone::parse(&format!("1390000{:04}", i)).unwrap()),
                    household_code: "H00".into(),
                    relation: Relation::parse("配偶").unwrap_or(Relation::parse("户主").unwrap()),
                    political_status: PoliticalStatus::parse("群众").unwrap(),
                }])
                .await
                .unwrap();
            let id = store
                .resident_by_name_phone(
                    &AreaCode::parse(COMMUNITY).unwrap(),
                    name,
                    &Phone::parse(&format!("1390000{:04}", i)).unwrap(),
                )
                .await
                .unwrap()
                .unwrap();
            elders.push(id);
        }
        let (first, p) = place(&store, item, elders[0]).await.unwrap();
        assert_eq!(p, Placement::InSlot, "{backend:?}");
        let (second, p) = place(&store, item, elders[1]).await.unwrap();
        assert_eq!(p, Placement::Waiting(1), "{backend:?}: the slot is full");
        let (third, p) = place(&store, item, elders[2]).await.unwrap();
        assert_eq!(p, Placement::Waiting(2));
        let again = place(&store, item, elders[1]).await;
        assert!(matches!(
            again,
            Err(ServicesWriteError::Refused(ServicesError::AlreadyOrdered))
        ));
        let waiting = store.service_order(second).await.unwrap().unwrap();
        assert_eq!(waiting.state, OrderState::Waiting);
        assert_eq!(waiting.waiting_position, Some(1));

        let promoted = store
            .cancel_order(first, start_of(day()), &by())
            .await
            .unwrap();
        assert_eq!(promoted, Some(second), "{backend:?}: the first in line");
        let s = store.service_order(second).await.unwrap().unwrap();
        assert_eq!(s.state, OrderState::Placed);
        assert_eq!(s.waiting_position, None);
        let t = store.service_order(third).await.unwrap().unwrap();
        assert_eq!(t.state, OrderState::Waiting);
        assert_eq!(t.waiting_position, Some(1), "moved up the line");
        assert_eq!(
            store.service_order(first).await.unwrap().unwrap().state,
            OrderState::Cancelled
        );
        // Cancelling a waiting order frees no place: nobody is promoted.
        assert_eq!(
            store
                .cancel_order(third, start_of(day()), &by())
                .await
                .unwrap(),
            None
        );
        // Every change is on the log: the promotion with the cancellation.
        use sqlx::Row;
        let kinds: Vec<String> =
            sqlx::query("SELECT kind FROM record_events WHERE subject = $1 ORDER BY id")
                .bind(format!("order/{second}"))
                .fetch_all(store.pool())
                .await
                .unwrap()
                .iter()
                .map(|r| r.try_get("kind").unwrap())
                .collect();
        assert_eq!(kinds, ["created", "promoted"], "{backend:?}");
    }
}

#[tokio::test]
async fn concurrent_orders_never_overfill_a_slot() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let (store, _, item) = seeded(&db, 1, 2).await;
        let mut ids = Vec::new();
        for i in 0..6u16 {
            let name = format!("长者{i}");
            let phone = Phone::parse(&format!("1370000{:04}", i)).unwrap();
            store
                .import_residents(&[ResidentRecord {
                    id_number: IdNumber::from_parts("320508", 1940, 1, 9, 400 + i),
                    name: name.clone(),
                    phone: Some(phone.clone()),
                    household_code: "H00".into(),
                    relation: Relation::parse("户主").unwrap(),
                    political_status: PoliticalStatus::parse("群众").unwrap(),
                }])
                .await
                .unwrap();
            ids.push(
                store
                    .resident_by_name_phone(&AreaCode::parse(COMMUNITY).unwrap(), &name, &phone)
                    .await
                    .unwrap()
                    .unwrap(),
            );
        }
        let tasks: Vec<_> = ids
            .iter()
            .map(|r| {
                let store = store.clone();
                let r = *r;
                tokio::spawn(async move { place(&store, item, r).await.unwrap().1 })
            })
            .collect();
        let mut placed = 0;
        for t in tasks {
            if t.await.unwrap() == Placement::InSlot {
                placed += 1;
            }
        }
        assert_eq!(placed, 2, "{backend:?}: two places, two placed");
        let orders = store.service_orders(&OrderFilter::default()).await.unwrap();
        assert_eq!(
            orders
                .iter()
                .filter(|o| o.state == OrderState::Placed)
                .count(),
            2
        );
        assert_eq!(
            orders
                .iter()
                .filter(|o| o.state == OrderState::Waiting)
                .count(),
            4
        );
    }
}

#[tokio::test]
async fn an_order_is_fulfilled_rated_once_and_counted() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let (store, residents, item) = seeded(&db, 1, 3).await;
        let (id, _) = place(&store, item, residents[0]).await.unwrap();
        let early = store
            .complete_order(id, "送餐到家", None, start_of(day()), &by())
            .await;
        assert!(matches!(
            early,
            Err(ServicesWriteError::Refused(
                ServicesError::WrongState { .. }
            ))
        ));
        store
            .assign_order(id, "志愿者小陈", None, "11:30", start_of(day()), &by())
            .await
            .unwrap();
        let at = start_of(day()) + 12 * 3_600_000;
        store
            .complete_order(
                id,
                "午餐已送到，老人身体状况良好",
                Some(("photos/x.png", "image/png", "ab")),
                at,
                &by(),
            )
            .await
            .unwrap();
        store
            .rate_order(id, Satisfaction::BasicallySatisfied, at, &by())
            .await
            .unwrap();
        let twice = store
            .rate_order(id, Satisfaction::Satisfied, at, &by())
            .await;
        assert!(matches!(
            twice,
            Err(ServicesWriteError::Refused(ServicesError::AlreadyRated))
        ));
        let o = store.service_order(id).await.unwrap().unwrap();
        assert_eq!(o.state, OrderState::Completed);
        assert_eq!(o.rating, Some(Satisfaction::BasicallySatisfied));
        assert!(o.has_photo);
        for by_what in [CountBy::Centre, CountBy::Community, CountBy::LeadDepartment] {
            let counts = store
                .service_counts(&CentrePlace::default(), by_what)
                .await
                .unwrap();
            assert_eq!(counts.len(), 1, "{backend:?}");
            let c = counts[0].1;
            assert_eq!(
                (c.orders, c.fulfilled, c.on_time, c.basically_satisfied),
                (1, 1, 1, 1)
            );
        }
        let dept = store
            .service_counts(&CentrePlace::default(), CountBy::LeadDepartment)
            .await
            .unwrap();
        assert_eq!(dept[0].0, "MZ");
    }
}
