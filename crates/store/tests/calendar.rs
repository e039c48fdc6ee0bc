//! Loading a year's schedule replaces that year only, with its audit entry, on SQLite and
//! PostgreSQL.

use gongzhi_domain::calendar::WorkCalendar;
use gongzhi_store::pii::{MasterKey, PiiCipher};
use gongzhi_store::{Actor, Store};
use gongzhi_testkit::{TestDb, backends};

fn days(csv: &str) -> Vec<gongzhi_domain::calendar::CalendarDay> {
    WorkCalendar::parse_csv(csv)
        .expect("valid schedule")
        .days()
        .collect()
}

#[tokio::test]
async fn a_loaded_year_replaces_that_year_only() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = Store::open(&db.url, PiiCipher::new(&MasterKey::from_bytes([7; 32])))
            .await
            .expect("open store");
        let shipped: Vec<_> = WorkCalendar::official().days().collect();
        store
            .replace_calendar_years(&Actor::SYSTEM, &shipped, "shipped")
            .await
            .expect("shipped years");
        let before = store.holidays().await.unwrap();

        let first = "2027-01-01,holiday,元旦\n2027-02-06,workday,春节\n";
        let years = store
            .replace_calendar_years(&Actor::SYSTEM, &days(first), "first.csv")
            .await
            .unwrap();
        assert_eq!(years, [2027]);
        assert_eq!(store.holidays().await.unwrap().len(), before.len() + 2);

        // A corrected notice drops the make-up day it no longer lists.
        let corrected = "2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n";
        store
            .replace_calendar_years(&Actor::SYSTEM, &days(corrected), "corrected.csv")
            .await
            .unwrap();
        let after = store.holidays().await.unwrap();
        let of_2027: Vec<_> = after.iter().filter(|r| r.0.starts_with("2027")).collect();
        assert_eq!(of_2027.len(), 2, "{backend:?}: {of_2027:?}");
        assert!(of_2027.iter().all(|r| r.1 == "holiday" && r.2 == "元旦"));
        assert_eq!(
            after
                .iter()
                .filter(|r| !r.0.starts_with("2027"))
                .cloned()
                .collect::<Vec<_>>(),
            before
        );
        let audit = store.audit_entries(10).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|a| a.action == "calendar.import" && a.detail.contains("corrected.csv")),
            "{audit:?}"
        );
    }
}
