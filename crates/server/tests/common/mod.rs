//! The one `TestApp` the server's tests share (the HTTP tests in `tests/api` and the unit tests
//! in `src/` that need a served instance): a fresh database on either backend, the real server
//! on 127.0.0.1:0, accounts with bearer tokens. `spawn_app` adds a small map and population and
//! one account per role; `TestApp::bare` starts with an empty database.
//!
//! Included by `tests/api/main.rs` and, for unit tests, by `src/lib.rs` (`test_app`), where
//! `gongzhi_server` names the crate itself.
// Each test binary uses its own part of the helper.
#![allow(dead_code)]

use gongzhi_domain::access::{Role, Scope};
use gongzhi_domain::codes::{AreaCode, GridCode, IdNumber, Phone};
use gongzhi_domain::population::{HouseholdKind, PoliticalStatus, Relation};
use gongzhi_server::ServerConfig;
use gongzhi_store::pii::{MasterKey, PiiCipher};
use gongzhi_store::records::*;
use gongzhi_store::{AccountDraft, Actor, Store};
use gongzhi_testkit::{Backend, TestDb};
use std::collections::HashMap;
use std::net::SocketAddr;

pub const PASSWORD: &str = "test2026pass";
pub const OWN_GRID: &str = "320508019044001";
pub const OTHER_GRID: &str = "320508019044002";
pub const FAR_GRID: &str = "320508020001001";

pub struct TestApp {
    pub addr: SocketAddr,
    pub state: gongzhi_server::AppState,
    pub store: Store,
    pub tokens: HashMap<&'static str, String>,
    pub client: reqwest::Client,
    pub _db: TestDb,
}

/// The personal-data key every test store uses.
pub const MASTER_KEY: [u8; 32] = [9; 32];

/// A store on `db`, opened as the server opens it.
pub async fn open_store(db: &TestDb) -> Store {
    Store::open(&db.url, PiiCipher::new(&MasterKey::from_bytes(MASTER_KEY)))
        .await
        .expect("open store")
}

impl TestApp {
    /// The real server on an empty database (no map, no accounts).
    pub async fn bare(backend: Backend) -> TestApp {
        let db = TestDb::new(backend).await;
        let store = open_store(&db).await;
        serve(db, store).await
    }

    /// Creates an account and returns its bearer token, also kept under `username`.
    pub async fn add_account(
        &mut self,
        username: &'static str,
        role: Role,
        scope: Scope,
        can_unmask: bool,
    ) -> String {
        let token = create_account(&self.store, username, role, scope, can_unmask).await;
        self.tokens.insert(username, token.clone());
        token
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// POST `body` as JSON as the named demo account: the status and the JSON answer (null
    /// when the answer is not JSON).
    pub async fn post_json_as(
        &self,
        who: &str,
        path: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let r = self
            .client
            .post(self.url(path))
            .bearer_auth(&self.tokens[who])
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// GET as the named demo account, which must succeed: the JSON answer.
    pub async fn get_json_as(&self, who: &str, path: &str) -> serde_json::Value {
        let r = self.get_as(who, path).await;
        assert_eq!(r.status(), 200, "{who} GET {path}");
        r.json().await.expect("JSON")
    }

    /// How many files the server keeps under its data dir's `photos/`.
    pub fn photo_files(&self) -> usize {
        fn count(dir: &std::path::Path) -> usize {
            std::fs::read_dir(dir).map_or(0, |entries| {
                entries
                    .flatten()
                    .map(|e| {
                        let p = e.path();
                        if p.is_dir() { count(&p) } else { 1 }
                    })
                    .sum()
            })
        }
        count(&self.state.data_dir.join("photos"))
    }

    /// GET as the named demo account (bearer token).
    pub async fn get_as(&self, who: &str, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(&self.tokens[who])
            .send()
            .await
            .expect("request")
    }

    pub async fn household_id(&self, code: &str) -> i64 {
        self.store
            .households(&gongzhi_store::HouseholdFilter {
                page: gongzhi_store::Page {
                    offset: 0,
                    limit: 1000,
                },
                ..Default::default()
            })
            .await
            .unwrap()
            .into_iter()
            .find(|h| h.code == code)
            .unwrap_or_else(|| panic!("household {code}"))
            .id
    }
}

fn area(s: &str) -> AreaCode {
    AreaCode::parse(s).unwrap()
}

fn grid(s: &str) -> GridCode {
    GridCode::parse(s).unwrap()
}

/// A closed square ring as GeoJSON coordinates text.
pub fn square_coords(lon: f64, lat: f64, d: f64) -> String {
    format!(
        "[[[{lon},{lat}],[{},{lat}],[{},{}],[{lon},{}],[{lon},{lat}]]]",
        lon + d,
        lon + d,
        lat + d,
        lat + d
    )
}

fn square(lon: f64, lat: f64, d: f64) -> String {
    format!(
        r#"{{"type":"Polygon","coordinates":{}}}"#,
        square_coords(lon, lat, d)
    )
}

/// Origins of the three grids; each is 0.001° square.
pub const GRID_ORIGINS: [(&str, f64, f64); 3] = [
    (OWN_GRID, 120.600, 31.300),
    (OTHER_GRID, 120.601, 31.300),
    (FAR_GRID, 120.610, 31.300),
];

pub fn resident(i: u16, household: &str) -> ResidentRecord {
    ResidentRecord {
        id_number: IdNumber::from_parts("320508", 1960 + i32::from(i), 5, 20, 200 + i),
        name: format!("居民{i}"),
        phone: Some(Phone::parse(&format!("1380000{:04}", 2000 + i)).unwrap()),
        household_code: household.into(),
        relation: Relation::parse("户主").unwrap(),
        political_status: PoliticalStatus::parse("群众").unwrap(),
    }
}

async fn seed(store: &Store) {
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
            AreaRecord {
                code: area("320508020000"),
                name: "平江街道".into(),
                urban_rural: None,
            },
            AreaRecord {
                code: area("320508020001"),
                name: "平江社区".into(),
                urban_rural: None,
            },
        ])
        .await
        .unwrap();
    store.set_area_geometry(&area("320508019044"), r#"{"type":"Polygon","coordinates":[[[120.6,31.3],[120.602,31.3],[120.602,31.301],[120.6,31.301],[120.6,31.3]]]}"#).await.unwrap();
    store
        .set_area_geometry(&area("320508020001"), &square(120.610, 31.300, 0.001))
        .await
        .unwrap();
    let grids: Vec<GridRecord> = GRID_ORIGINS
        .iter()
        .enumerate()
        .map(|(i, (code, lon, lat))| GridRecord {
            code: grid(code),
            name: format!("第{}网格", i + 1),
            geometry_geojson: square(*lon, *lat, 0.001),
            area_m2: 10_000.0,
        })
        .collect();
    store.import_grids(&grids).await.unwrap();
    store
        .upsert_departments(&[
            DepartmentRecord {
                code: "CG".into(),
                name: "城管局".into(),
            },
            DepartmentRecord {
                code: "ZJ".into(),
                name: "住建局".into(),
            },
        ])
        .await
        .unwrap();
    let buildings: Vec<BuildingRecord> = GRID_ORIGINS
        .iter()
        .map(|(code, lon, lat)| BuildingRecord {
            code: format!("{code}-001"),
            grid: grid(code),
            name: "1幢".into(),
            address: "测试路1号".into(),
            lon: lon + 0.0005,
            lat: lat + 0.0005,
            floors: 6,
        })
        .collect();
    store.import_buildings(&buildings).await.unwrap();
    let kind = HouseholdKind::parse("户籍").unwrap();
    let households: Vec<HouseholdRecord> = GRID_ORIGINS
        .iter()
        .map(|(code, _, _)| HouseholdRecord {
            code: format!("{code}-001-101"),
            building_code: format!("{code}-001"),
            room: "101".into(),
            kind,
        })
        .collect();
    store.import_households(&households).await.unwrap();
    let residents: Vec<ResidentRecord> = GRID_ORIGINS
        .iter()
        .enumerate()
        .map(|(i, (code, _, _))| resident(i as u16, &format!("{code}-001-101")))
        .collect();
    store.import_residents(&residents).await.unwrap();
}

/// One account per role: (username, role, scope, can_unmask).
pub fn accounts() -> Vec<(&'static str, Role, Scope, bool)> {
    vec![
        ("admin", Role::Admin, Scope::All, true),
        (
            "district",
            Role::District,
            Scope::Area(area("320508")),
            true,
        ),
        (
            "street",
            Role::Street,
            Scope::Area(area("320508019000")),
            false,
        ),
        (
            "community",
            Role::Community,
            Scope::Area(area("320508019044")),
            true,
        ),
        ("grid", Role::GridWorker, Scope::Grid(grid(OWN_GRID)), false),
        (
            "department",
            Role::Department,
            Scope::Department("CG".into()),
            false,
        ),
        (
            "party",
            Role::PartyOrg,
            Scope::Area(area("320508019000")),
            false,
        ),
        ("supervisor", Role::Supervisor, Scope::All, false),
        (
            "inspector",
            Role::Supervisor,
            Scope::Area(area("320508019000")),
            false,
        ),
        ("resident", Role::Resident, Scope::SelfOnly, false),
    ]
}

async fn create_account(
    store: &Store,
    username: &str,
    role: Role,
    scope: Scope,
    can_unmask: bool,
) -> String {
    let draft = AccountDraft {
        username: username.into(),
        display_name: format!("测试{username}"),
        role,
        scope,
        can_unmask,
        password: PASSWORD.into(),
        is_demo: false,
    };
    let id = store.create_account(&draft, &Actor::SYSTEM).await.unwrap();
    store
        .create_api_token(
            id,
            "test",
            gongzhi_domain::access::Lifetime::API_TOKEN_DEFAULT,
            &Actor::SYSTEM,
        )
        .await
        .unwrap()
}

/// A fresh database with the small map and population and one account per role, served.
pub async fn spawn_app(backend: Backend) -> TestApp {
    let db = TestDb::new(backend).await;
    let store = open_store(&db).await;
    seed(&store).await;
    let mut app = serve(db, store).await;
    for (username, role, scope, can_unmask) in accounts() {
        app.add_account(username, role, scope, can_unmask).await;
    }
    app
}

/// The real server on `store`, on 127.0.0.1:0.
async fn serve(db: TestDb, store: Store) -> TestApp {
    serve_with(db, store, |_| {}, |_| {}).await
}

/// `spawn_app` with the server's configuration and state adjusted before it serves (the
/// security tests: secure cookies, a short lockout, other limits).
pub async fn spawn_app_with(
    backend: Backend,
    configure: impl FnOnce(&mut ServerConfig),
    tune: impl FnOnce(&mut gongzhi_server::AppState),
) -> TestApp {
    let db = TestDb::new(backend).await;
    let store = open_store(&db).await;
    seed(&store).await;
    let mut app = serve_with(db, store, configure, tune).await;
    for (username, role, scope, can_unmask) in accounts() {
        app.add_account(username, role, scope, can_unmask).await;
    }
    app
}

/// A client whose connections come from `ip` (any 127.x.y.z reaches the server): the server
/// limits anonymous attempts per address.
pub fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .local_address(ip.parse::<std::net::IpAddr>().expect("an IP address"))
        .build()
        .unwrap()
}

async fn serve_with(
    db: TestDb,
    store: Store,
    configure: impl FnOnce(&mut ServerConfig),
    tune: impl FnOnce(&mut gongzhi_server::AppState),
) -> TestApp {
    let mut config = ServerConfig {
        data_dir: db.dir.path().to_path_buf(),
        ..Default::default()
    };
    configure(&mut config);
    let mut state = gongzhi_server::state(store.clone(), &config)
        .await
        .expect("state");
    tune(&mut state);
    let served = state.clone();
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let state = served;
        gongzhi_server::serve(state, "127.0.0.1:0".parse().unwrap(), move |addr| {
            let _ = tx.send(addr);
        })
        .await
        .expect("serve");
    });
    let addr = rx.await.expect("bound address");
    let client = client_from("127.0.0.1");
    TestApp {
        addr,
        state,
        store,
        tokens: HashMap::new(),
        client,
        _db: db,
    }
}
