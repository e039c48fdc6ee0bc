//! 有事好商量 in the store, on SQLite and PostgreSQL: the support that reaches the community's
//! threshold tables the topic in its own transaction (and no supporter counts twice, even at
//! once); a vote whose quorum is not met does not pass; a household votes once; only a passed
//! motion resolves; every write is a record event on the log.

use gongzhi_domain::access::{Role, Scope};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_domain::deliberation::{
    DeliberationError, ItemDraft, ItemKind, ItemState, Majority, MeetingDraft, MeetingKind,
    MotionDraft, MotionRule, MotionStatus, Party, RaiserKind, ResolutionDraft, TopicCategory,
    TopicDraft, TopicStatus, VoteChoice, VotingBasis,
};
use gongzhi_domain::population::HouseholdKind;
use gongzhi_store::pii::{MasterKey, PiiCipher};
use gongzhi_store::records::*;
use gongzhi_store::{AccountDraft, Actor};
use gongzhi_store::{
    DeliberationFilter, DeliberationWriteError, EventActor, NewTopic, Store, Supporter, Voter,
    now_millis,
};
use gongzhi_testkit::{TestDb, backends};

const GRID: &str = "320508019044001";
const COMMUNITY: &str = "320508019044";

fn community() -> AreaCode {
    AreaCode::parse(COMMUNITY).unwrap()
}

fn grid() -> GridCode {
    GridCode::parse(GRID).unwrap()
}

fn by() -> EventActor {
    EventActor {
        account_id: None,
        name: "养育巷社区".into(),
    }
}

/// A store with the community, one grid and `n` households in it.
async fn seeded(db: &TestDb, n: usize) -> (Store, Vec<i64>) {
    let store = Store::open(&db.url, PiiCipher::new(&MasterKey::from_bytes([5; 32])))
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
    let households: Vec<HouseholdRecord> = (0..n)
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

/// `n` residents' accounts.
async fn residents(store: &Store, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        let draft = AccountDraft {
            username: format!("resident{i}"),
            display_name: format!("居民{i}"),
            role: Role::Resident,
            scope: Scope::SelfOnly,
            can_unmask: false,
            password: "test2026pass".into(),
            is_demo: false,
        };
        ids.push(store.create_account(&draft, &Actor::SYSTEM).await.unwrap());
    }
    ids
}

fn refused<T: std::fmt::Debug>(r: Result<T, DeliberationWriteError>) -> DeliberationError {
    match r {
        Err(DeliberationWriteError::Refused(e)) => e,
        other => panic!("not refused: {other:?}"),
    }
}

async fn raise(store: &Store, title: &str, lookup: Option<Vec<u8>>) -> i64 {
    let t = NewTopic {
        draft: TopicDraft {
            community: community(),
            category: TopicCategory::Parking,
            title: title.into(),
            description: "小区停车位不足，晚上车辆乱停堵住消防通道".into(),
        }
        .checked()
        .unwrap(),
        grid: None,
        raiser_kind: RaiserKind::Resident,
        raised_by: None,
        raiser_name: "张*".into(),
        lookup_hash: lookup,
    };
    store.raise_topic(&t, &by(), now_millis()).await.unwrap()
}

#[tokio::test]
async fn the_support_that_reaches_the_threshold_tables_the_topic() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let (store, _) = seeded(&db, 1).await;
        let r = residents(&store, 4).await;
        store
            .set_community_threshold(&community(), Some(3), &by())
            .await
            .unwrap();
        let code = "ABCD-EFGH-JKLM-NPQR";
        let digest = gongzhi_store::lookup_digest(store.pii(), code).unwrap();
        let id = raise(&store, "增加夜间停车位", Some(digest.clone())).await;
        let at = now_millis();

        let first = store
            .support_topic(id, &Supporter::Account(r[0]), &by(), at)
            .await
            .unwrap();
        assert_eq!((first.supports, first.tabled), (1, false));
        // The same account again, twice at once: neither counts.
        let (me, a1) = (by(), Supporter::Account(r[0]));
        let (x, y) = tokio::join!(
            store.support_topic(id, &a1, &me, at),
            store.support_topic(id, &a1, &me, at),
        );
        assert_eq!(
            refused(x),
            DeliberationError::AlreadySupported,
            "{backend:?}"
        );
        assert_eq!(refused(y), DeliberationError::AlreadySupported);
        // A code nobody was given does not support; the topic's own code does, once.
        let stranger = gongzhi_store::lookup_digest(store.pii(), "2345-6789-ABCD-EFGH").unwrap();
        assert_eq!(
            refused(
                store
                    .support_topic(id, &Supporter::Code(stranger), &by(), at)
                    .await
            ),
            DeliberationError::UnknownLookupCode
        );
        store
            .support_topic(id, &Supporter::Code(digest.clone()), &by(), at)
            .await
            .unwrap();
        assert_eq!(
            refused(
                store
                    .support_topic(id, &Supporter::Code(digest), &by(), at)
                    .await
            ),
            DeliberationError::AlreadySupported
        );
        assert_eq!(
            store.topic(id).await.unwrap().unwrap().status,
            TopicStatus::Open
        );

        // Two residents at once: the third and fourth supports; exactly one of them tables it.
        let (a2, a3) = (Supporter::Account(r[1]), Supporter::Account(r[2]));
        let (x, y) = tokio::join!(
            store.support_topic(id, &a2, &me, at),
            store.support_topic(id, &a3, &me, at),
        );
        let (x, y) = (x.unwrap(), y.unwrap());
        assert_eq!(
            [x.tabled, y.tabled].iter().filter(|t| **t).count(),
            1,
            "{backend:?} tabled once"
        );
        let t = store.topic(id).await.unwrap().unwrap();
        assert_eq!(
            (t.status, t.supports),
            (TopicStatus::Tabled, 4),
            "{backend:?}"
        );
        assert_eq!(t.tabled_by.as_deref(), Some("support"));
        let kinds: Vec<String> = store
            .record_events(&format!("topic/{id}"))
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                "raised",
                "supported",
                "supported",
                "supported",
                "tabled",
                "supported"
            ],
            "{backend:?}"
        );
        // A tabled topic is not tabled again by staff; declined, it takes no more support.
        assert!(matches!(
            refused(store.table_topic(id, &by()).await),
            DeliberationError::TopicNotOpen(TopicStatus::Tabled)
        ));
        let other = raise(&store, "车棚加装充电桩", None).await;
        store.table_topic(other, &by()).await.unwrap();
        store
            .decline_topic(other, "已列入街道统一改造计划", &by())
            .await
            .unwrap();
        assert!(matches!(
            refused(
                store
                    .support_topic(other, &Supporter::Account(r[3]), &by(), at)
                    .await
            ),
            DeliberationError::TopicClosed(TopicStatus::Declined)
        ));
        let tabled = store
            .topics(
                &DeliberationFilter {
                    area: Some(community()),
                    status: Some("tabled".into()),
                    ..Default::default()
                },
                50,
            )
            .await
            .unwrap();
        assert_eq!(tabled.len(), 1);
    }
}

fn day(offset: i64) -> Date {
    gongzhi_domain::calendar::date_of(now_millis()).add_days(offset)
}

async fn meeting(store: &Store) -> i64 {
    let d = MeetingDraft {
        community: community(),
        kind: MeetingKind::Temporary,
        title: "停车议事会".into(),
        held_on: day(0),
        place: "社区党群服务中心".into(),
        invited: vec![Party::Residents, Party::PropertyCompany],
        departments: vec![],
    }
    .checked(day(0))
    .unwrap();
    store.create_meeting(&d, &by()).await.unwrap()
}

fn motion(title: &str, quorum: u32) -> MotionDraft {
    MotionDraft {
        title: title.into(),
        rule: MotionRule {
            basis: VotingBasis::Household,
            quorum_pct: quorum,
            majority: Majority::Half,
        },
    }
    .checked()
    .unwrap()
}

#[tokio::test]
async fn a_vote_without_its_quorum_does_not_pass_and_a_household_votes_once() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let (store, h) = seeded(&db, 10).await;
        let m = meeting(&store).await;
        // 10 households, quorum 50%: four vote, all in favour — not passed.
        let short = store
            .put_motion(m, None, &motion("划定夜间临时停车区", 50), &by())
            .await
            .unwrap();
        for household in h.iter().take(4) {
            store
                .record_vote(short, Voter::Household(*household), VoteChoice::For, &by())
                .await
                .unwrap();
        }
        // A household votes once, even twice at once.
        let me = by();
        let (x, y) = tokio::join!(
            store.record_vote(short, Voter::Household(h[0]), VoteChoice::Against, &me),
            store.record_vote(short, Voter::Household(h[0]), VoteChoice::Against, &me),
        );
        assert_eq!(refused(x), DeliberationError::AlreadyVoted, "{backend:?}");
        assert_eq!(refused(y), DeliberationError::AlreadyVoted);
        assert_eq!(
            refused(
                store
                    .record_vote(short, Voter::Resident(1), VoteChoice::For, &by())
                    .await
            ),
            DeliberationError::NotAVoter
        );
        assert_eq!(
            refused(
                store
                    .record_vote(short, Voter::Household(999_999), VoteChoice::For, &by())
                    .await
            ),
            DeliberationError::NotAVoter
        );
        let r = store.close_motion(short, &by()).await.unwrap();
        assert_eq!(
            (r.cast, r.quorum_met, r.majority_met, r.passed),
            (4, false, true, false)
        );
        let row = store.motion(short).await.unwrap().unwrap();
        assert_eq!(row.status, MotionStatus::Failed, "{backend:?}");
        assert_eq!(row.tally.eligible, 10);
        assert_eq!(
            refused(
                store
                    .record_vote(short, Voter::Household(h[5]), VoteChoice::For, &by())
                    .await
            ),
            DeliberationError::MotionClosed(MotionStatus::Failed)
        );
        assert_eq!(
            refused(
                store
                    .create_resolution(
                        short,
                        &ResolutionDraft {
                            title: "不应形成".into()
                        },
                        &by()
                    )
                    .await
            ),
            DeliberationError::MotionNotPassed(MotionStatus::Failed)
        );

        // Six of ten vote, four in favour, two against: quorum met and passed.
        let full = store
            .put_motion(m, None, &motion("由物业统一施划停车位", 50), &by())
            .await
            .unwrap();
        for (i, household) in h.iter().take(6).enumerate() {
            let choice = if i < 4 {
                VoteChoice::For
            } else {
                VoteChoice::Against
            };
            store
                .record_vote(full, Voter::Household(*household), choice, &by())
                .await
                .unwrap();
        }
        let r = store.close_motion(full, &by()).await.unwrap();
        assert!(r.quorum_met && r.passed, "{backend:?} {r:?}");
        let res = store
            .create_resolution(
                full,
                &ResolutionDraft {
                    title: "施划停车位".into(),
                },
                &by(),
            )
            .await
            .unwrap();
        assert_eq!(
            refused(
                store
                    .create_resolution(
                        full,
                        &ResolutionDraft {
                            title: "again".into()
                        },
                        &by()
                    )
                    .await
            ),
            DeliberationError::AlreadyResolved
        );
        let task = ItemDraft {
            kind: ItemKind::Task,
            description: "物业公司出具施划方案".into(),
            owner: "物业公司".into(),
            due_on: Some(day(14)),
        }
        .checked(day(0))
        .unwrap();
        let item = store
            .add_resolution_item(res, &task, &by(), now_millis())
            .await
            .unwrap();
        store
            .record_progress(item, 60, "方案初稿已交", &by(), now_millis())
            .await
            .unwrap();
        assert_eq!(
            refused(
                store
                    .record_progress(item, 40, "", &by(), now_millis())
                    .await
            ),
            DeliberationError::ProgressBack {
                before: 60,
                now: 40
            }
        );
        let open = store.resolution(res, now_millis()).await.unwrap().unwrap();
        assert_eq!(
            (open.items[0].state, open.complete),
            (ItemState::InProgress, false)
        );
        store
            .record_progress(item, 100, "已施划完成", &by(), now_millis())
            .await
            .unwrap();
        let done = store.resolution(res, now_millis()).await.unwrap().unwrap();
        assert!(done.complete, "{backend:?}");
        let motion_events = store
            .record_events(&format!("motion/{full}"))
            .await
            .unwrap();
        assert_eq!(motion_events.len(), 1 + 6 + 1, "put, six votes, closed");
        let res_events = store
            .record_events(&format!("resolution/{res}"))
            .await
            .unwrap();
        let kinds: Vec<&str> = res_events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["resolved", "item_added", "progress", "progress"]);
    }
}
