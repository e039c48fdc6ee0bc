//! One story of the store, run on SQLite and on PostgreSQL: the map, the population, personal
//! data at rest, accounts and their lockout, sessions, tokens and the audit logs.

use gongzhi_domain::access::{LoginPolicy, Role, Scope};
use gongzhi_domain::codes::{AreaCode, GridCode, IdNumber, Phone};
use gongzhi_domain::population::{HouseholdKind, PoliticalStatus, Relation};
use gongzhi_store::pii::{MasterKey, PiiCipher};
use gongzhi_store::records::*;
use gongzhi_store::{
    AccountDraft, Actor, HouseholdFilter, LoginOutcome, ResidentFilter, Store, StoreError,
};
use gongzhi_testkit::{Backend, TestDb, backends};

fn area(s: &str) -> AreaCode {
    AreaCode::parse(s).unwrap()
}

fn grid(s: &str) -> GridCode {
    GridCode::parse(s).unwrap()
}

fn square(lon: f64, lat: f64) -> String {
    let d = 0.001;
    format!(
        r#"{{"type":"Polygon","coordinates":[[[{lon},{lat}],[{},{lat}],[{},{}],[{lon},{}],[{lon},{lat}]]]}}"#,
        lon + d,
        lon + d,
        lat + d,
        lat + d
    )
}

fn people() -> Vec<ResidentRecord> {
    (0..6)
        .map(|i| ResidentRecord {
            id_number: IdNumber::from_parts("320508", 1950 + i, 3, 14, 100 + i as u16),
            name: format!("测试居民{i}"),
            phone: Some(Phone::parse(&format!("1390000{:04}", 1000 + i)).unwrap()),
            household_code: format!("H{}", i % 3),
            relation: if i < 3 {
                Relation::parse("户主").unwrap()
            } else {
                Relation::parse("子女").unwrap()
            },
            political_status: PoliticalStatus::parse("群众").unwrap(),
        })
        .collect()
}

async fn seed_map(store: &Store) {
    store
        .upsert_areas(&[
            AreaRecord {
                code: area("320508"),
                name: "姑苏区".into(),
                urban_rural: None,
            },
            AreaRecord {
                code: area("320508019000"),
                name: "金阊街道".into(),
                urban_rural: None,
            },
            AreaRecord {
                code: area("320508019044"),
                name: "养育巷社区".into(),
                urban_rural: None,
            },
        ])
        .await
        .unwrap();
    store
        .import_grids(&[
            GridRecord {
                code: grid("320508019044001"),
                name: "第一网格".into(),
                geometry_geojson: square(120.60, 31.30),
                area_m2: 10_000.0,
            },
            GridRecord {
                code: grid("320508019044002"),
                name: "第二网格".into(),
                geometry_geojson: square(120.601, 31.30),
                area_m2: 10_000.0,
            },
        ])
        .await
        .unwrap();
    store
        .import_buildings(&[
            BuildingRecord {
                code: "B1".into(),
                grid: grid("320508019044001"),
                name: "1幢".into(),
                address: "养育巷1号".into(),
                lon: 120.6005,
                lat: 31.3005,
                floors: 6,
            },
            BuildingRecord {
                code: "B2".into(),
                grid: grid("320508019044002"),
                name: "2幢".into(),
                address: "养育巷2号".into(),
                lon: 120.6015,
                lat: 31.3005,
                floors: 6,
            },
        ])
        .await
        .unwrap();
    let kind = HouseholdKind::parse("户籍").unwrap();
    store
        .import_households(&[
            HouseholdRecord {
                code: "H0".into(),
                building_code: "B1".into(),
                room: "101".into(),
                kind,
            },
            HouseholdRecord {
                code: "H1".into(),
                building_code: "B1".into(),
                room: "102".into(),
                kind,
            },
            HouseholdRecord {
                code: "H2".into(),
                building_code: "B2".into(),
                room: "201".into(),
                kind,
            },
        ])
        .await
        .unwrap();
    store.import_residents(&people()).await.unwrap();
}

async fn open(db: &TestDb) -> Store {
    Store::open(&db.url, PiiCipher::new(&MasterKey::from_bytes([42; 32])))
        .await
        .expect("open store")
}

#[tokio::test]
async fn store_story_on_every_backend() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = open(&db).await;
        population_story(&store).await;
        accounts_story(&store).await;
        store.close().await;
        // Reopening runs no migration twice and finds everything.
        let again = open(&db).await;
        assert_eq!(
            again
                .count_residents(&ResidentFilter::default())
                .await
                .unwrap(),
            6,
            "{backend:?}"
        );
        // Storage by table: the residents' rows are counted and take bytes.
        let storage = again.storage().await.unwrap();
        let residents = storage
            .tables
            .iter()
            .find(|t| t.name == "residents")
            .unwrap_or_else(|| panic!("{backend:?} {storage:?}"));
        assert_eq!(residents.rows, 6, "{backend:?}");
        assert!(residents.bytes > 0 && storage.database_bytes >= residents.bytes);
        assert_eq!((storage.cases, storage.per_case()), (0, None));
        again.close().await;
    }
}

async fn population_story(store: &Store) {
    seed_map(store).await;
    assert_eq!(
        store.grids_in(&area("320508019000")).await.unwrap().len(),
        2
    );
    assert_eq!(
        store.area_children(&area("320508019000")).await.unwrap()[0].name,
        "养育巷社区"
    );

    // A batch with one bad reference writes nothing and names the record.
    let bad = vec![
        BuildingRecord {
            code: "B3".into(),
            grid: grid("320508019044001"),
            name: "3幢".into(),
            address: "x".into(),
            lon: 120.6,
            lat: 31.3,
            floors: 3,
        },
        BuildingRecord {
            code: "B4".into(),
            grid: grid("320508019044009"),
            name: "4幢".into(),
            address: "x".into(),
            lon: 120.6,
            lat: 31.3,
            floors: 3,
        },
    ];
    match store.import_buildings(&bad).await {
        Err(StoreError::Rows(rows)) => {
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].index, 1);
            assert!(rows[0].message_zh.contains("320508019044009"));
        }
        other => panic!("expected a row refusal, got {other:?}"),
    }
    assert_eq!(
        store.buildings(None).await.unwrap().len(),
        2,
        "nothing of the refused batch was written"
    );

    // Narrowing by grid and area.
    let g1 = HouseholdFilter {
        grid: Some(grid("320508019044001")),
        ..Default::default()
    };
    assert_eq!(store.count_households(&g1).await.unwrap(), 2);
    let hh = store.households(&g1).await.unwrap();
    assert_eq!(hh[0].member_count, 2);
    let street = ResidentFilter {
        area: Some(area("320508019000")),
        ..Default::default()
    };
    assert_eq!(store.count_residents(&street).await.unwrap(), 6);

    // Exact search through the blind index; decrypted on read.
    let someone = &people()[4];
    let by_id = ResidentFilter {
        id_number: Some(someone.id_number),
        ..Default::default()
    };
    let found = store.residents(&by_id).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].name, someone.name);
    assert_eq!(found[0].id_number, someone.id_number);
    assert_eq!(found[0].phone, someone.phone);
    let by_phone = ResidentFilter {
        phone: someone.phone.clone(),
        ..Default::default()
    };
    assert_eq!(store.residents(&by_phone).await.unwrap()[0].id, found[0].id);

    // Re-importing the same person updates instead of duplicating.
    let mut moved = people();
    moved[4].household_code = "H2".into();
    store.import_residents(&moved[4..5]).await.unwrap();
    assert_eq!(
        store
            .count_residents(&ResidentFilter::default())
            .await
            .unwrap(),
        6
    );
    assert_eq!(
        store
            .resident(found[0].id)
            .await
            .unwrap()
            .unwrap()
            .household_code,
        "H2"
    );

    store
        .record_pii_access(1, "tester", found[0].id, "id_number", "核实身份")
        .await
        .unwrap();
    let log = store
        .pii_access_entries(Some(found[0].id), 10)
        .await
        .unwrap();
    assert_eq!(log[0].reason, "核实身份");
}

async fn accounts_story(store: &Store) {
    let actor = Actor::SYSTEM;
    let draft = AccountDraft {
        username: "wangge".into(),
        display_name: "网格员王".into(),
        role: Role::GridWorker,
        scope: Scope::Grid(grid("320508019044001")),
        can_unmask: false,
        password: "secret2026".into(),
        is_demo: false,
    };
    let id = store.create_account(&draft, &actor).await.unwrap();
    match store.create_account(&draft, &actor).await {
        Err(StoreError::Conflict { code, .. }) => assert_eq!(code, "username_taken"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let policy = LoginPolicy::default();
    assert!(matches!(
        store.login("wangge", "secret2026", &policy).await.unwrap(),
        LoginOutcome::Success(_)
    ));
    assert!(matches!(
        store.login("nobody", "secret2026", &policy).await.unwrap(),
        LoginOutcome::BadCredentials
    ));
    for _ in 0..4 {
        assert!(matches!(
            store.login("wangge", "wrong", &policy).await.unwrap(),
            LoginOutcome::BadCredentials
        ));
    }
    assert!(matches!(
        store.login("wangge", "wrong", &policy).await.unwrap(),
        LoginOutcome::Locked { .. }
    ));
    // Locked: even the right password is refused until the lock passes or an admin resets it.
    assert!(matches!(
        store.login("wangge", "secret2026", &policy).await.unwrap(),
        LoginOutcome::Locked { .. }
    ));
    store
        .reset_password(id, "newsecret2026", &actor, None)
        .await
        .unwrap();
    assert!(matches!(
        store
            .login("wangge", "newsecret2026", &policy)
            .await
            .unwrap(),
        LoginOutcome::Success(_)
    ));

    let token = store.create_session(id, 60_000).await.unwrap();
    let session = store.session(&token).await.unwrap().expect("live session");
    assert_eq!(session.account.scope, Scope::Grid(grid("320508019044001")));
    assert!(!session.csrf_token.is_empty());
    let api = store
        .create_api_token(
            id,
            "test",
            gongzhi_domain::access::Lifetime::API_TOKEN_DEFAULT,
            &actor,
        )
        .await
        .unwrap();
    assert_eq!(
        store.account_by_api_token(&api).await.unwrap().unwrap().id,
        id
    );

    store.set_account_disabled(id, true, &actor).await.unwrap();
    assert!(store.session(&token).await.unwrap().is_none());
    assert!(store.account_by_api_token(&api).await.unwrap().is_none());
    assert!(matches!(
        store
            .login("wangge", "newsecret2026", &policy)
            .await
            .unwrap(),
        LoginOutcome::Disabled
    ));

    let actions: Vec<String> = store
        .audit_entries(50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in [
        "account.create",
        "account.reset_password",
        "token.create",
        "account.disable",
    ] {
        assert!(
            actions.iter().any(|x| x == a),
            "audit log lacks {a}: {actions:?}"
        );
    }
}

/// The SQLite file (and its WAL) must not contain any 身份证号 or phone number in plain text.
#[tokio::test]
async fn sqlite_file_holds_no_plaintext_personal_numbers() {
    let db = TestDb::new(Backend::Sqlite).await;
    let store = open(&db).await;
    seed_map(&store).await;
    store.close().await;
    let dir = db.dir.path();
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    assert!(bytes.len() > 10_000);
    assert!(
        bytes
            .windows(4)
            .any(|w| w == "测试居民".as_bytes()[..4].as_ref()),
        "sanity: names are stored in clear"
    );
    for p in people() {
        for needle in [
            p.id_number.as_str().to_string(),
            p.phone.unwrap().as_str().to_string(),
            p.id_number.as_str()[6..14].to_string(),
        ] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "found {needle} in the database file"
            );
        }
    }
}
