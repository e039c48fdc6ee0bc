//! What the ledger tests share: a store on a test database, cases filed through the domain's
//! intake as the server files them, checkpoints signed by a test key, and raw SQL for tampering.
// Each test crate uses its own part of this module.
#![allow(dead_code)]

use gongzhi_domain::case::{self, Actor, Channel, DeadlineClass, NewCase};
use gongzhi_domain::codes::Phone;
use gongzhi_ledger::{Checkpoint, Signer};
use gongzhi_store::pii::{MasterKey, PiiCipher};
use gongzhi_store::{CaseChange, CaseDetails, CaseRow, EventActor, Store};
use gongzhi_testkit::TestDb;

pub const NOW: i64 = 1_777_600_000_000;

pub async fn open(db: &TestDb) -> Store {
    Store::open(&db.url, PiiCipher::new(&MasterKey::from_bytes([5; 32])))
        .await
        .expect("open store")
}

pub fn staff() -> EventActor {
    EventActor {
        account_id: Some(3),
        name: "王网格员".into(),
    }
}

/// Files one case through the domain's intake, as the server does.
pub async fn file(store: &Store, description: &str, phone: Option<Phone>) -> CaseRow {
    let details = CaseDetails {
        lon: Some(120.6004),
        lat: Some(31.3004),
        address: "养育巷1号".into(),
        description: description.into(),
        reporter_phone: phone,
    };
    let mut code = [0u8; case::LOOKUP_CODE_BYTES];
    getrandom::fill(&mut code).unwrap();
    let lookup = case::lookup_code_from_bytes(code);
    store
        .create_case("20260501", &details, &lookup, &staff(), NOW, |id, seq| {
            let new = NewCase {
                id,
                ticket: format!("20260501{seq:05}"),
                channel: Channel::Hotline,
                category: "E0102".into(),
                deadline_class: DeadlineClass::General,
                emergency: false,
                community: None,
                grid: None,
                reporter: None,
            };
            let (c, e) = case::report(new, &Actor::System, &Default::default())
                .map_err(|r| r.to_string())?;
            Ok::<_, String>(CaseChange::new(c, vec![e], None))
        })
        .await
        .unwrap_or_else(|e| panic!("file: {e:?}"))
}

/// Signs the next checkpoint, if the tree grew.
pub async fn sign_next(store: &Store, signer: &Signer) -> Option<Checkpoint> {
    let (size, root) = store.ledger_checkpoint_candidate().await.unwrap()?;
    let c = Checkpoint::new("gongzhi.test/ledger", size, root);
    let signed = c.sign(signer).unwrap();
    store
        .ledger_store_checkpoint(size, root, &signed)
        .await
        .unwrap();
    Some(c)
}

pub async fn exec(store: &Store, sql: &str) {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}
