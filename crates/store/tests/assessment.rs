//! Member assessment in the store, on SQLite and PostgreSQL: the shipped rule sets are in the
//! database, deductions keep the year's balance and are refused below 0, revoking gives the
//! points back, each year starts full, ratings replace each other, and every write is on the
//! log in its own transaction.

use gongzhi_domain::assessment::{PointsRules, StarRules};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::party::{OrgKind, OrgLevel};
use gongzhi_domain::population::Gender;
use gongzhi_store::pii::{MasterKey, PiiCipher};
use gongzhi_store::records::AreaRecord;
use gongzhi_store::{Actor, AssessmentFilter, NewDeduction, NewRating, Store, StoreError};
use gongzhi_testkit::{TestDb, backends};
use std::collections::BTreeMap;

fn area(s: &str) -> AreaCode {
    AreaCode::parse(s).unwrap()
}

fn day(y: i32, m: u8, d: u8) -> Date {
    Date::new(y, m, d).unwrap()
}

const BY: Actor<'static> = Actor {
    id: None,
    name: "测试党委",
};

async fn store_with_member(db: &TestDb) -> (Store, i64) {
    let store = Store::open(&db.url, PiiCipher::new(&MasterKey::from_bytes([3; 32])))
        .await
        .unwrap();
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
    let org = store
        .fixture_party_org(
            "养育巷社区党委",
            OrgLevel::Committee,
            OrgKind::Community,
            &area("320508019044"),
            None,
        )
        .await
        .unwrap();
    let member = store
        .fixture_party_member(
            "李红",
            Gender::Female,
            &area("320508019044"),
            Some(org),
            day(2001, 7, 1),
        )
        .await
        .unwrap();
    (store, member)
}

fn deduction(member: i64, year: i32, item: &str) -> NewDeduction {
    NewDeduction {
        member_id: member,
        year,
        occurred_on: day(year, 3, 1),
        item: item.into(),
        reason: "季度支部党员大会未到会".into(),
        note: "支部书记核实".into(),
        photos: Vec::new(),
    }
}

async fn deducted(store: &Store, member: i64, year: i32) -> i64 {
    let f = AssessmentFilter {
        year,
        member: Some(member),
        ..Default::default()
    };
    store.assessment_years(&f).await.unwrap()[0].deducted
}

#[tokio::test]
async fn a_members_year_on_both_backends() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let (store, member) = store_with_member(&db).await;
        let points = store.points_rules().await.unwrap();
        let stars = store.star_rules().await.unwrap();
        assert_eq!(points.rules, PointsRules::shipped(), "{backend:?}");
        assert_eq!(stars.rules, StarRules::shipped(), "{backend:?}");

        // 6 + 2 + 2 deducted: 2 left; a 3-point item is refused and changes nothing.
        for item in ["gambling", "late_dues", "missed_meeting"] {
            store
                .deduct_points(&deduction(member, 2025, item), &points, &BY)
                .await
                .unwrap();
        }
        assert_eq!(deducted(&store, member, 2025).await, 10);
        let refused = store
            .deduct_points(&deduction(member, 2025, "public_morality"), &points, &BY)
            .await
            .unwrap_err();
        assert!(
            matches!(
                &refused,
                StoreError::Conflict {
                    code: "points_below_zero",
                    ..
                }
            ),
            "{backend:?} {refused:?}"
        );
        let unknown = store
            .deduct_points(&deduction(member, 2025, "jaywalking"), &points, &BY)
            .await
            .unwrap_err();
        assert!(matches!(
            &unknown,
            StoreError::Conflict {
                code: "unknown_deduction_item",
                ..
            }
        ));
        assert_eq!(deducted(&store, member, 2025).await, 10);
        assert_eq!(
            store.points_deductions(member, 2025).await.unwrap().len(),
            3
        );
        // The last 2 points may still go, to exactly 0.
        store
            .deduct_points(&deduction(member, 2025, "link_duty"), &points, &BY)
            .await
            .unwrap();
        assert_eq!(deducted(&store, member, 2025).await, 12);

        // Revoking gives the points back, once.
        let first = store.points_deductions(member, 2025).await.unwrap()[0].id;
        store
            .revoke_deduction(first, "经复核，该党员当时在外地执行任务", &BY)
            .await
            .unwrap();
        assert_eq!(deducted(&store, member, 2025).await, 6);
        let again = store
            .revoke_deduction(first, "重复", &BY)
            .await
            .unwrap_err();
        assert!(matches!(
            again,
            StoreError::Conflict {
                code: "already_revoked",
                ..
            }
        ));

        // A new year starts from the full budget.
        assert_eq!(deducted(&store, member, 2026).await, 0);
        store
            .deduct_points(&deduction(member, 2026, "missed_study"), &points, &BY)
            .await
            .unwrap();
        assert_eq!(deducted(&store, member, 2026).await, 1);
        assert_eq!(deducted(&store, member, 2025).await, 6);

        // A rating, then a re-rating of the same year, replace each other.
        let scores: BTreeMap<String, u32> = stars
            .rules
            .dimensions
            .iter()
            .map(|d| (d.code.clone(), 9))
            .collect();
        let result = stars.rules.rate(&scores).unwrap();
        let rating = NewRating {
            member_id: member,
            year: 2025,
            rules_id: stars.id,
            scores: scores.clone(),
            result,
            note: String::new(),
        };
        let id = store.rate_member(&rating, &BY).await.unwrap();
        let lower: BTreeMap<String, u32> = scores.keys().map(|k| (k.clone(), 5)).collect();
        let again = NewRating {
            result: stars.rules.rate(&lower).unwrap(),
            scores: lower,
            ..rating
        };
        assert_eq!(store.rate_member(&again, &BY).await.unwrap(), id);
        let row = store.star_rating(member, 2025).await.unwrap().unwrap();
        assert_eq!((row.stars, row.total), (1, 5000), "{backend:?}");

        // Every write is a record event on the log; the audit re-derives them all.
        let ded = store
            .record_events(&format!("points_deduction/{first}"))
            .await
            .unwrap();
        let kinds: Vec<&str> = ded.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["deducted", "revoked"], "{backend:?}");
        assert_eq!(ded[0].payload["member"], member);
        let rated = store
            .record_events(&format!("star_rating/{id}"))
            .await
            .unwrap();
        let kinds: Vec<&str> = rated.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["rated", "re_rated"]);
        store.ledger_integrate_pending(100).await.unwrap();
        let report = store.ledger_audit(&[]).await.unwrap();
        // The member and its organisation (two), and the assessment's own eight.
        assert_eq!(report.events, 10, "{backend:?}: {:?}", report.problems);
        assert!(
            report
                .problems
                .iter()
                .all(|p| p.kind == gongzhi_store::ledger::ProblemKind::NoCheckpoint),
            "{backend:?} {:?}",
            report.problems
        );
    }
}

#[tokio::test]
async fn rule_sets_are_versioned_and_checked() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let (store, _) = store_with_member(&db).await;
        let before = store.points_rules().await.unwrap();
        let mut rules = PointsRules::shipped();
        rules.budget = 10;
        rules.items.retain(|i| i.points <= 10);
        let id = store.set_points_rules(&rules, &BY).await.unwrap();
        let now = store.points_rules().await.unwrap();
        assert!(id > before.id);
        assert_eq!((now.id, now.rules.budget), (id, 10), "{backend:?}");
        let mut bad = StarRules::shipped();
        bad.thresholds = [90, 80, 70, 60];
        assert!(store.set_star_rules(&bad, &BY).await.is_err());
        assert_eq!(
            store.star_rules().await.unwrap().rules,
            StarRules::shipped()
        );
        let events = store
            .record_events(&format!("assessment_rules/{id}"))
            .await
            .unwrap();
        assert_eq!(events[0].kind, "rules_set");
        assert_eq!(events[0].payload["points"], 10);
    }
}

/// Two deductions at once for the last points of a year: one is recorded, the other refused
/// (below zero, or changed meanwhile on PostgreSQL), and the balance never goes below 0.
#[tokio::test]
async fn concurrent_deductions_never_overspend() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let (store, member) = store_with_member(&db).await;
        let points = store.points_rules().await.unwrap();
        store
            .deduct_points(&deduction(member, 2026, "gambling"), &points, &BY)
            .await
            .unwrap();
        store
            .deduct_points(&deduction(member, 2026, "public_morality"), &points, &BY)
            .await
            .unwrap();
        // 9 deducted, 3 left: two 2-point deductions race for them.
        let tasks: Vec<_> = (0..2)
            .map(|_| {
                let (store, points) = (store.clone(), points.clone());
                tokio::spawn(async move {
                    store
                        .deduct_points(&deduction(member, 2026, "late_dues"), &points, &BY)
                        .await
                })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => ok += 1,
                Err(StoreError::Conflict { code, .. }) => {
                    assert!(
                        matches!(code, "points_below_zero" | "points_changed"),
                        "{backend:?} {code}"
                    );
                }
                Err(e) => panic!("{backend:?}: {e}"),
            }
        }
        assert_eq!(ok, 1, "{backend:?}");
        assert_eq!(deducted(&store, member, 2026).await, 11, "{backend:?}");
    }
}
