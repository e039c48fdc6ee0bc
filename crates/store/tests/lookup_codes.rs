//! A lookup code opens one case only: filing a case with a code another case has is refused
//! with `lookup_code_taken` and writes nothing (the server draws another code), on SQLite and
//! PostgreSQL.

use gongzhi_domain::case::{self, Actor, Channel, DeadlineClass, NewCase};
use gongzhi_store::pii::{MasterKey, PiiCipher};
use gongzhi_store::{
    CaseChange, CaseDetails, CaseFilter, CaseRow, CaseWriteError, EventActor, LOOKUP_CODE_TAKEN,
    Store, StoreError,
};
use gongzhi_testkit::{TestDb, backends};

async fn file(store: &Store, lookup: &str) -> Result<CaseRow, CaseWriteError<String>> {
    let details = CaseDetails {
        address: "养育巷1号".into(),
        description: "路灯不亮".into(),
        ..Default::default()
    };
    let actor = EventActor {
        account_id: None,
        name: "12345热线".into(),
    };
    store
        .create_case(
            "20260501",
            &details,
            lookup,
            &actor,
            1_777_600_000_000,
            |id, seq| {
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
                Ok(CaseChange::new(c, vec![e], None))
            },
        )
        .await
}

#[tokio::test]
async fn a_taken_lookup_code_is_refused_and_nothing_is_written() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = Store::open(&db.url, PiiCipher::new(&MasterKey::from_bytes([6; 32])))
            .await
            .expect("open store");
        let first = file(&store, "K7M2-Q9XA").await.expect("first case");
        let again = file(&store, "k7m2 q9xa").await;
        assert!(
            matches!(
                again,
                Err(CaseWriteError::Store(StoreError::Conflict {
                    code: LOOKUP_CODE_TAKEN,
                    ..
                }))
            ),
            "{backend:?}: {again:?}"
        );
        let all = store
            .cases(&CaseFilter {
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(all.len(), 1, "{backend:?}");
        let other = file(&store, "K7M2-Q9XB").await.expect("another code");
        assert_eq!(
            other.ticket, "2026050100002",
            "the refused filing used no ticket number"
        );
        assert_eq!(
            store.case_by_lookup("K7M2Q9XA").await.unwrap().unwrap().id,
            first.id
        );
    }
}
