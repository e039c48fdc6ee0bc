//! 契约化共建 and 公示栏 in the store, on SQLite and PostgreSQL: a commitment goes overdue as of
//! the day after its due date (computed, no job), a delivered commitment takes no more
//! deliveries, a rating needs a delivery; a notice published, changed and withdrawn leaves three
//! log entries the audit accepts under a signed checkpoint, the board shows it withdrawn and
//! never shows a draft.

use gongzhi_domain::calendar::Date;
use gongzhi_domain::cobuild::{
    CoBuildError, CommitmentDraft, CommitmentStatus, ContractDraft, DeliveryDraft, FigureInput,
    Rating, RatingDraft, status, tally,
};
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::notice_board::{NoticeDraft, NoticeError, NoticeKind, NoticeState};
use gongzhi_ledger::{Checkpoint, Signer};
use gongzhi_store::pii::{MasterKey, PiiCipher};
use gongzhi_store::records::*;
use gongzhi_store::{
    CoBuildFilter, CoBuildWriteError, EventActor, NewDelivery, NoticeFilter, NoticeWriteError,
    Store,
};
use gongzhi_testkit::{TestDb, backends};

const AT: i64 = 1_777_600_000_000;

fn d(m: u8, day: u8) -> Date {
    Date::new(2026, m, day).unwrap()
}

fn community() -> AreaCode {
    AreaCode::parse("320508019044").unwrap()
}

fn by(name: &str) -> EventActor {
    EventActor {
        account_id: None,
        name: name.into(),
    }
}

async fn seeded(db: &TestDb) -> Store {
    let store = Store::open(&db.url, PiiCipher::new(&MasterKey::from_bytes([4; 32])))
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
            area("320508019045", "彩香社区"),
        ])
        .await
        .unwrap();
    store
        .upsert_departments(&[DepartmentRecord {
            code: "CG".into(),
            name: "城管局".into(),
        }])
        .await
        .unwrap();
    store
}

#[tokio::test]
async fn a_commitment_goes_overdue_and_a_delivered_one_takes_no_more() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = seeded(&db).await;
        let contract = ContractDraft {
            title: "城管进社区".into(),
            department: "CG".into(),
            community: community(),
            starts_on: d(1, 1),
            ends_on: d(12, 31),
            signed_on: d(1, 5),
        }
        .checked(true)
        .unwrap();
        let k = store
            .add_contract(&contract, &by("养育巷社区"), AT)
            .await
            .unwrap();
        let commit = |title: &str, due: Date| CommitmentDraft {
            title: title.into(),
            deliverable: format!("{title}交付"),
            due_on: due,
        };
        let on_time = store
            .add_commitment(k, &commit("清理楼道堆物", d(3, 31)), &by("社区"), AT)
            .await
            .unwrap();
        let late = store
            .add_commitment(k, &commit("规范停车", d(5, 31)), &by("社区"), AT)
            .await
            .unwrap();
        let delivery = |id: i64, on: Date, completes: bool| NewDelivery {
            commitment_id: id,
            draft: DeliveryDraft {
                delivered_on: on,
                notes: "已完成".into(),
                completes,
            },
            photo: None,
            today: d(6, 10),
        };
        // Rating before anything was delivered is refused.
        let r = RatingDraft {
            rating: Rating::Satisfied,
            note: String::new(),
        };
        assert!(matches!(
            store.rate_commitment(on_time, &r, &by("社区"), AT).await,
            Err(CoBuildWriteError::Refused(CoBuildError::NothingToRate))
        ));
        store
            .add_delivery(&delivery(on_time, d(3, 20), true), &by("城管局"), AT)
            .await
            .unwrap();
        assert!(matches!(
            store
                .add_delivery(&delivery(on_time, d(3, 25), false), &by("城管局"), AT)
                .await,
            Err(CoBuildWriteError::Refused(CoBuildError::AlreadyDelivered))
        ));
        store
            .rate_commitment(on_time, &r, &by("社区"), AT)
            .await
            .unwrap();
        // A partial delivery does not deliver the second one: it goes overdue after 31 May.
        store
            .add_delivery(&delivery(late, d(5, 10), false), &by("城管局"), AT)
            .await
            .unwrap();
        let rows = store
            .commitments(&CoBuildFilter {
                department: Some("CG".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(rows.len(), 2, "{backend:?}");
        let as_of = |day: Date| {
            tally(
                rows.iter().map(|c| FigureInput {
                    due_on: c.due_on,
                    delivered_on: c.delivered_on,
                    rating: c.rating,
                }),
                day,
            )
        };
        assert_eq!(as_of(d(5, 31)).overdue, 0);
        let f = as_of(d(6, 1));
        assert_eq!(
            (f.due, f.delivered_on_time, f.overdue, f.rated, f.satisfied),
            (2, 1, 1, 1, 1),
            "{backend:?}"
        );
        assert_eq!(
            status(rows[1].due_on, rows[1].delivered_on, d(6, 1)),
            CommitmentStatus::Overdue
        );
        assert_eq!(rows[1].deliveries, 1);
        assert_eq!(rows[0].community_name, "养育巷社区");
        assert_eq!(rows[0].department_name, "城管局");
        // The community's side lists the same; another community's none.
        let other = CoBuildFilter {
            area: Some(AreaCode::parse("320508019045").unwrap()),
            ..Default::default()
        };
        assert!(store.commitments(&other).await.unwrap().is_empty());
        let street = CoBuildFilter {
            area: Some(AreaCode::parse("320508019000").unwrap()),
            ..Default::default()
        };
        assert_eq!(store.contracts(&street).await.unwrap()[0].commitments, 2);
        // Each write is on the log.
        assert_eq!(
            store
                .record_events(&format!("cobuild_commitment/{on_time}"))
                .await
                .unwrap()
                .iter()
                .map(|e| e.kind.as_str())
                .collect::<Vec<_>>(),
            ["created", "delivered", "rated"]
        );
    }
}

fn notice(title: &str, body: &str) -> NoticeDraft {
    NoticeDraft {
        kind: NoticeKind::Finance,
        title: title.into(),
        body: body.into(),
        from: d(10, 1),
        until: d(10, 31),
        audience: community(),
        department: None,
        subject_text: String::new(),
        subject_url: String::new(),
    }
    .checked()
    .unwrap()
}

#[tokio::test]
async fn a_withdrawn_notice_stays_provably_published_and_the_audit_accepts_it() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = seeded(&db).await;
        let me = by("养育巷社区");
        let id = store
            .create_notice(&notice("三季度收支", "收入一万二千元"), true, &me, AT)
            .await
            .unwrap();
        let version = store
            .change_notice(
                id,
                &notice("三季度收支（更正）", "收入一万二千五百元"),
                &me,
                AT + 1,
            )
            .await
            .unwrap();
        assert_eq!(version, 2);
        let draft = store
            .create_notice(&notice("草稿", "未发布的内容"), false, &me, AT)
            .await
            .unwrap();
        // A draft is never withdrawn: it is simply not published.
        assert!(matches!(
            store.withdraw_notice(draft, "不发了", &me, AT).await,
            Err(NoticeWriteError::Refused(NoticeError::WrongState { .. }))
        ));
        assert!(matches!(
            store.withdraw_notice(id, " ", &me, AT).await,
            Err(NoticeWriteError::Refused(NoticeError::Blank("reason")))
        ));
        store
            .withdraw_notice(id, "数据有误，核对后重新公示", &me, AT + 2)
            .await
            .unwrap();
        assert!(matches!(
            store
                .change_notice(id, &notice("再改", "再改"), &me, AT + 3)
                .await,
            Err(NoticeWriteError::Refused(NoticeError::WrongState {
                state: NoticeState::Withdrawn,
                ..
            }))
        ));

        // The board of the community on a day in the period: the withdrawn notice (as
        // withdrawn), not the draft; another community's board has neither.
        let board = store.public_notices(&community(), d(10, 15)).await.unwrap();
        assert_eq!(board.len(), 1, "{backend:?}");
        assert_eq!(board[0].state, NoticeState::Withdrawn);
        assert_eq!(
            board[0].withdraw_reason.as_deref(),
            Some("数据有误，核对后重新公示")
        );
        assert!(
            store
                .public_notices(&AreaCode::parse("320508019045").unwrap(), d(10, 15))
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .public_notices(&community(), d(11, 1))
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.notice_versions(id).await.unwrap().len(), 2);
        let drafts = NoticeFilter {
            area: Some(community()),
            state: Some(NoticeState::Draft),
            ..Default::default()
        };
        assert_eq!(store.count_notices(&drafts).await.unwrap(), 1);

        // Published, changed, withdrawn: three entries, the texts hashed, accepted by the audit
        // under a signed checkpoint.
        let events = store.record_events(&format!("notice/{id}")).await.unwrap();
        assert_eq!(
            events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
            ["published", "changed", "withdrawn"]
        );
        store.ledger_integrate_pending(1000).await.unwrap();
        let signer = Signer::from_seed("gongzhi.test/ledger", [1; 32]).unwrap();
        let (size, root) = store.ledger_checkpoint_candidate().await.unwrap().unwrap();
        let signed = Checkpoint::new("gongzhi.test/ledger", size, root)
            .sign(&signer)
            .unwrap();
        store
            .ledger_store_checkpoint(size, root, &signed)
            .await
            .unwrap();
        for e in &store.record_events(&format!("notice/{id}")).await.unwrap() {
            let (idx, bytes) = store
                .ledger_entry_index_for(0, e.id)
                .await
                .unwrap()
                .unwrap();
            assert!(idx.is_some());
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.contains(&format!(r#""case":"notice/{id}""#)), "{text}");
            assert!(
                !text.contains("收入") && !text.contains("数据有误"),
                "{text}"
            );
        }
        let report = store.ledger_audit(&[signer.verifier()]).await.unwrap();
        assert!(report.is_ok(), "{backend:?} {:?}", report.problems);
        // Published, changed, withdrawn and the draft's own.
        assert_eq!(report.events, 4, "{backend:?}");

        // Tampering with the withdrawal is found.
        sqlx::query("UPDATE record_events SET payload = $1 WHERE id = $2")
            .bind(r#"{"reason":"别的理由","status":"withdrawn","version":2}"#)
            .bind(events[2].id)
            .execute(store.pool())
            .await
            .unwrap();
        assert!(
            !store
                .ledger_audit(&[signer.verifier()])
                .await
                .unwrap()
                .is_ok()
        );
    }
}
