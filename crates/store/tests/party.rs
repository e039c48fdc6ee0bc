//! The party organisation in the store, on SQLite and PostgreSQL: compounds with their
//! buildings, the organisation tree and its rules (refusals where impossible, size warnings
//! from the stored counts), members and their transfers, units, 双找 — each write logged.

use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::{AreaCode, GridCode, IdNumber, Phone};
use gongzhi_domain::party::find::{MatchStrength, Registration, RegistrationState};
use gongzhi_domain::party::org::{OrgRules, size_warnings, subtree_sizes};
use gongzhi_domain::party::{
    Compound, MemberStatus, OrgKind, OrgLevel, PartyMember, PartyOrg, Transfer, Unit, UnitKind,
};
use gongzhi_domain::population::{HouseholdKind, PoliticalStatus, Relation};
use gongzhi_store::party::{
    CompoundFilter, CompoundUpsert, MemberFilter, OrgFilter, PartyResidentFilter,
    RegistrationFilter, UnitFilter,
};
use gongzhi_store::pii::{MasterKey, PiiCipher};
use gongzhi_store::records::*;
use gongzhi_store::{Actor, Page, Store, StoreError};
use gongzhi_testkit::{TestDb, backends};

const ACTOR: Actor<'static> = Actor {
    id: Some(1),
    name: "社区党委",
};
const COMMUNITY: &str = "320508019044";
const OTHER: &str = "320508019045";

fn area(s: &str) -> AreaCode {
    AreaCode::parse(s).unwrap()
}

fn grid(s: &str) -> GridCode {
    GridCode::parse(s).unwrap()
}

fn d(y: i32, m: u8, day: u8) -> Date {
    Date::new(y, m, day).unwrap()
}

fn square(lon: f64, lat: f64) -> String {
    let e = 0.001;
    format!(
        r#"{{"type":"Polygon","coordinates":[[[{lon},{lat}],[{},{lat}],[{},{}],[{lon},{}],[{lon},{lat}]]]}}"#,
        lon + e,
        lon + e,
        lat + e,
        lat + e
    )
}

/// Residents 0–7 in households H0–H3 (B1, B1, B2, B3): 0–4 party members (3 probationary),
/// 5–7 masses; 李明 (6) lives in community 044 too.
fn people() -> Vec<ResidentRecord> {
    let status = |i: usize| match i {
        3 => "中共预备党员",
        0..=4 => "中共党员",
        _ => "群众",
    };
    (0..8)
        .map(|i| ResidentRecord {
            id_number: IdNumber::from_parts(
                "320508",
                1960 + i as i32,
                3,
                14,
                100 + i as u16 * 2 + 1,
            ),
            name: if i == 6 {
                "李明".into()
            } else {
                format!("党员{i}")
            },
            phone: Some(Phone::parse(&format!("1390000{:04}", 1000 + i)).unwrap()),
            household_code: format!("H{}", i % 4),
            relation: Relation::parse(if i < 4 { "户主" } else { "子女" }).unwrap(),
            political_status: PoliticalStatus::parse(status(i)).unwrap(),
        })
        .collect()
}

async fn open(db: &TestDb) -> Store {
    let store = Store::open(&db.url, PiiCipher::new(&MasterKey::from_bytes([7; 32])))
        .await
        .expect("open store");
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
                code: area(COMMUNITY),
                name: "养育巷社区".into(),
                urban_rural: None,
            },
            AreaRecord {
                code: area(OTHER),
                name: "彩香社区".into(),
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
                code: grid("320508019045001"),
                name: "彩香第一网格".into(),
                geometry_geojson: square(120.61, 31.30),
                area_m2: 10_000.0,
            },
        ])
        .await
        .unwrap();
    let building = |code: &str, g: &str| BuildingRecord {
        code: code.into(),
        grid: grid(g),
        name: format!("{code}幢"),
        address: format!("养育巷{code}号"),
        lon: 120.6005,
        lat: 31.3005,
        floors: 6,
    };
    store
        .import_buildings(&[
            building("B1", "320508019044001"),
            building("B2", "320508019044001"),
            building("B3", "320508019044001"),
            building("C1", "320508019045001"),
        ])
        .await
        .unwrap();
    let kind = HouseholdKind::parse("户籍").unwrap();
    let households: Vec<HouseholdRecord> = [("H0", "B1"), ("H1", "B1"), ("H2", "B2"), ("H3", "B3")]
        .iter()
        .map(|(c, b)| HouseholdRecord {
            code: (*c).into(),
            building_code: (*b).into(),
            room: "101".into(),
            kind,
        })
        .collect();
    store.import_households(&households).await.unwrap();
    store.import_residents(&people()).await.unwrap();
    store
}

fn compound(code: &str, community: &str) -> Compound {
    Compound {
        code: code.into(),
        name: "养育巷小区".into(),
        community: area(community),
        address: "养育巷 1 号".into(),
        lon: Some(120.6),
        lat: Some(31.3),
        property_company: None,
    }
}

fn org(name: &str, level: OrgLevel, parent: Option<i64>) -> PartyOrg {
    PartyOrg {
        name: name.into(),
        level,
        kind: if level == OrgLevel::Committee {
            OrgKind::Community
        } else {
            OrgKind::Interest
        },
        parent,
        area: area(COMMUNITY),
        grid: None,
        compound: None,
        has_committee: false,
        founded_on: d(2015, 7, 1),
        dissolved_on: None,
    }
}

fn member(name: &str, status: MemberStatus, org: Option<i64>) -> PartyMember {
    PartyMember {
        name: name.into(),
        gender: "男".into(),
        birth_date: Some(d(1970, 1, 1)),
        status,
        joined_on: d(2000, 7, 1),
        full_on: (status == MemberStatus::Full).then(|| d(2001, 7, 1)),
        org,
        resident: None,
        household: None,
        community: area(COMMUNITY),
        workplace: None,
        phone: None,
        left_on: None,
    }
}

fn code_of(e: StoreError) -> &'static str {
    match e {
        StoreError::Conflict { code, .. } => code,
        StoreError::NotFound { .. } => "not_found",
        StoreError::Rows(_) => "rows",
        other => panic!("unexpected {other:?}"),
    }
}

async fn resident_id(store: &Store, name: &str) -> (i64, i64) {
    let rows = store
        .party_residents(&PartyResidentFilter {
            name: Some(name.into()),
            page: Page::default(),
            ..Default::default()
        })
        .await
        .unwrap();
    (rows[0].resident_id, rows[0].household_id)
}

#[tokio::test]
async fn compounds_hold_their_buildings_and_import_all_or_nothing() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = open(&db).await;
        let (id, created) = store
            .upsert_compound(
                &CompoundUpsert {
                    compound: compound("C-1", COMMUNITY),
                    buildings: vec!["B1".into(), "B2".into()],
                },
                &ACTOR,
            )
            .await
            .unwrap();
        assert!(created);
        assert_eq!(store.compound_buildings(id).await.unwrap(), ["B1", "B2"]);
        let row = store.compound(id).await.unwrap().unwrap();
        // H0, H1 (B1) and H2 (B2); residents 0–2, 4–6 live there, of whom 0, 1, 2, 4 are 党员.
        assert_eq!(
            (row.buildings, row.households, row.party_residents),
            (2, 3, 4),
            "{backend:?}"
        );
        let other_community = CompoundUpsert {
            compound: compound("C-2", COMMUNITY),
            buildings: vec!["C1".into()],
        };
        assert_eq!(
            code_of(
                store
                    .upsert_compound(&other_community, &ACTOR)
                    .await
                    .unwrap_err()
            ),
            "building_not_in_community"
        );
        // An import with one bad row writes nothing.
        let rows = vec![
            CompoundUpsert {
                compound: compound("C-3", COMMUNITY),
                buildings: vec!["B3".into()],
            },
            CompoundUpsert {
                compound: Compound {
                    name: " ".into(),
                    ..compound("C-4", COMMUNITY)
                },
                buildings: vec!["NOPE".into()],
            },
        ];
        match store.import_compounds(&rows, &ACTOR).await {
            Err(StoreError::Rows(p)) => {
                assert_eq!(p.len(), 1, "{p:?}");
                assert_eq!((p[0].index, p[0].column), (1, "小区名称"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            store
                .compounds(&CompoundFilter::default())
                .await
                .unwrap()
                .len(),
            1
        );
        let rows = vec![
            rows[0].clone(),
            CompoundUpsert {
                compound: compound("C-1", COMMUNITY),
                buildings: vec![],
            },
        ];
        assert_eq!(store.import_compounds(&rows, &ACTOR).await.unwrap(), (1, 1));
        let events = store
            .record_events(&format!("compound/{id}"))
            .await
            .unwrap();
        assert_eq!(
            events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
            ["created", "modified"]
        );
    }
}

#[tokio::test]
async fn the_tree_refuses_the_impossible_and_warns_by_size() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = open(&db).await;
        let committee = store
            .create_org(&org("养育巷社区党委", OrgLevel::Committee, None), &ACTOR)
            .await
            .unwrap();
        // A group needs a branch above it.
        let orphan = store
            .create_org(&org("书画党小组", OrgLevel::Group, None), &ACTOR)
            .await;
        assert_eq!(code_of(orphan.unwrap_err()), "group_without_branch");
        let under_committee = store
            .create_org(&org("书画党小组", OrgLevel::Group, Some(committee)), &ACTOR)
            .await;
        assert_eq!(
            code_of(under_committee.unwrap_err()),
            "group_without_branch"
        );
        let branch = store
            .create_org(
                &org("第一网格党支部", OrgLevel::Branch, Some(committee)),
                &ACTOR,
            )
            .await
            .unwrap();
        // A branch under a branch is impossible.
        let nested = store
            .create_org(
                &org("第二网格党支部", OrgLevel::Branch, Some(branch)),
                &ACTOR,
            )
            .await;
        assert_eq!(code_of(nested.unwrap_err()), "parent_level");
        let group = store
            .create_org(&org("书画党小组", OrgLevel::Group, Some(branch)), &ACTOR)
            .await
            .unwrap();
        // No cycle: the committee cannot move under its own branch's … anything below it.
        let street = store
            .create_org(
                &PartyOrg {
                    area: area("320508019000"),
                    ..org("金阊街道党工委", OrgLevel::Committee, None)
                },
                &ACTOR,
            )
            .await
            .unwrap();
        let cycle = store
            .update_org(
                street,
                &PartyOrg {
                    area: area("320508019000"),
                    ..org("金阊街道党工委", OrgLevel::Committee, Some(committee))
                },
                &ACTOR,
            )
            .await;
        assert!(
            cycle.is_ok(),
            "a committee under a committee is fine: {cycle:?}"
        );
        let cycle = store
            .update_org(
                committee,
                &org("养育巷社区党委", OrgLevel::Committee, Some(street)),
                &ACTOR,
            )
            .await;
        assert_eq!(code_of(cycle.unwrap_err()), "org_cycle");
        // A branch with a group under it cannot become a group itself.
        let demote = store
            .update_org(
                branch,
                &org("第一网格党支部", OrgLevel::GeneralBranch, Some(committee)),
                &ACTOR,
            )
            .await;
        assert_eq!(
            code_of(demote.unwrap_err()),
            "group_without_branch",
            "a group sits under a branch only"
        );

        // Size warnings from the stored counts: 2 full + 1 probationary in the branch.
        let rules = OrgRules::default();
        let warnings = async |store: &Store| {
            let orgs = store.orgs(&OrgFilter::default()).await.unwrap();
            let direct: Vec<_> = orgs
                .iter()
                .map(|o| (o.id, o.record.parent, o.direct))
                .collect();
            let sizes = subtree_sizes(&direct);
            let b = orgs.iter().find(|o| o.id == branch).unwrap();
            size_warnings(
                b.record.level,
                b.record.has_committee,
                sizes[&branch],
                &rules,
            )
            .iter()
            .map(|w| w.code())
            .collect::<Vec<_>>()
        };
        let (r0, _) = resident_id(&store, "党员0").await;
        let mut first = member("党员0", MemberStatus::Full, Some(branch));
        first.resident = Some(r0);
        store.create_member(&first, &ACTOR).await.unwrap();
        store
            .create_member(&member("外来党员", MemberStatus::Full, Some(group)), &ACTOR)
            .await
            .unwrap();
        store
            .create_member(
                &member("预备党员", MemberStatus::Probationary, Some(branch)),
                &ACTOR,
            )
            .await
            .unwrap();
        assert_eq!(
            warnings(&store).await,
            ["branch_under_minimum"],
            "{backend:?}"
        );
        for i in 0..4 {
            store
                .create_member(
                    &member(&format!("新党员{i}"), MemberStatus::Full, Some(branch)),
                    &ACTOR,
                )
                .await
                .unwrap();
        }
        // 6 full + 1 probationary = 7 members: a branch committee is due.
        assert_eq!(warnings(&store).await, ["branch_needs_committee"]);
        store
            .update_org(
                branch,
                &PartyOrg {
                    has_committee: true,
                    ..org("第一网格党支部", OrgLevel::Branch, Some(committee))
                },
                &ACTOR,
            )
            .await
            .unwrap();
        assert!(warnings(&store).await.is_empty());

        // Dissolving: refused with members; a dissolved organisation takes no one.
        assert_eq!(
            code_of(
                store
                    .dissolve_org(branch, d(2026, 1, 1), &ACTOR)
                    .await
                    .unwrap_err()
            ),
            "org_not_empty"
        );
        let empty = store
            .create_org(
                &org("第二网格党支部", OrgLevel::Branch, Some(committee)),
                &ACTOR,
            )
            .await
            .unwrap();
        store
            .dissolve_org(empty, d(2026, 1, 1), &ACTOR)
            .await
            .unwrap();
        let into_dissolved = store
            .create_member(&member("迟到党员", MemberStatus::Full, Some(empty)), &ACTOR)
            .await;
        assert_eq!(code_of(into_dissolved.unwrap_err()), "org_dissolved");
        let under_dissolved = store
            .create_org(&org("小组", OrgLevel::Group, Some(empty)), &ACTOR)
            .await;
        assert_eq!(code_of(under_dissolved.unwrap_err()), "org_dissolved");
        assert!(
            !store
                .orgs(&OrgFilter::default())
                .await
                .unwrap()
                .iter()
                .any(|o| o.id == empty)
        );

        // Every change is on the log, refusals are not.
        let kinds: Vec<String> = store
            .record_events(&format!("party_org/{branch}"))
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(kinds, ["created", "modified"]);
        let kinds: Vec<String> = store
            .record_events(&format!("party_org/{empty}"))
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(kinds, ["created", "dissolved"]);
    }
}

#[tokio::test]
async fn members_move_with_their_history_and_check_in() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = open(&db).await;
        let committee = store
            .create_org(&org("养育巷社区党委", OrgLevel::Committee, None), &ACTOR)
            .await
            .unwrap();
        let a = store
            .create_org(
                &org("第一网格党支部", OrgLevel::Branch, Some(committee)),
                &ACTOR,
            )
            .await
            .unwrap();
        let b = store
            .create_org(
                &org("养育巷小区党支部", OrgLevel::Branch, Some(committee)),
                &ACTOR,
            )
            .await
            .unwrap();
        let (r, h) = resident_id(&store, "党员3").await;
        let mut m = member("党员3", MemberStatus::Probationary, Some(a));
        m.resident = Some(r);
        m.phone = Some(Phone::parse("13912345678").unwrap());
        m.workplace = Some("姑苏区城市管理局".into());
        let id = store.create_member(&m, &ACTOR).await.unwrap();
        let row = store.member(id).await.unwrap().unwrap();
        assert_eq!(
            row.record.household,
            Some(h),
            "the household comes from the resident"
        );
        assert!(row.has_phone && row.record.phone.is_none());
        assert_eq!(
            store.member_phone(id).await.unwrap().unwrap().as_str(),
            "13912345678"
        );
        // One record per resident.
        assert_eq!(
            code_of(store.create_member(&m, &ACTOR).await.unwrap_err()),
            "resident_already_member"
        );
        // A resident of another community cannot be this community's member.
        let t = Transfer {
            member: id,
            from: None,
            to: b,
            on: d(2025, 3, 1),
            reason: "小区党支部成立".into(),
        };
        store.transfer_member(&t, &ACTOR).await.unwrap();
        assert_eq!(
            code_of(store.transfer_member(&t, &ACTOR).await.unwrap_err()),
            "same_org"
        );
        store
            .transfer_member(
                &Transfer {
                    to: a,
                    on: d(2025, 9, 1),
                    reason: "搬回原网格".into(),
                    ..t.clone()
                },
                &ACTOR,
            )
            .await
            .unwrap();
        let history = store.member_transfers(id).await.unwrap();
        assert_eq!(
            history
                .iter()
                .map(|t| (t.from_name.clone().unwrap(), t.to_name.clone()))
                .collect::<Vec<_>>(),
            [
                ("第一网格党支部".to_string(), "养育巷小区党支部".to_string()),
                ("养育巷小区党支部".to_string(), "第一网格党支部".to_string())
            ]
        );
        store
            .make_member_full(id, d(2025, 7, 1), &ACTOR)
            .await
            .unwrap();
        assert_eq!(
            code_of(
                store
                    .make_member_full(id, d(2025, 8, 1), &ACTOR)
                    .await
                    .unwrap_err()
            ),
            "already_full"
        );
        let mut tx = store.party_tx(&ACTOR).await.unwrap();
        let checkin = tx
            .add_member_checkin(id, "姑苏区城市管理局", None, d(2025, 10, 1))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let checkins = store.member_checkins(id).await.unwrap();
        assert_eq!(
            (checkins.len(), checkins[0].id, checkins[0].member_id),
            (1, checkin, Some(id))
        );
        store
            .member_leaves(id, d(2026, 1, 1), &ACTOR)
            .await
            .unwrap();
        assert_eq!(
            code_of(
                store
                    .transfer_member(&Transfer { to: b, ..t }, &ACTOR)
                    .await
                    .unwrap_err()
            ),
            "member_left"
        );
        let listed = store
            .members(&MemberFilter {
                area: Some(area(COMMUNITY)),
                page: Page::default(),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(
            listed.is_empty(),
            "a member who left is not listed by default"
        );
        let kinds: Vec<String> = store
            .record_events(&format!("party_member/{id}"))
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                "created",
                "transferred",
                "transferred",
                "made_full",
                "checked_in",
                "left"
            ]
        );
        // Names are hashed on the log, ids in clear.
        let pending = store.ledger_integrate_pending(1000).await.unwrap();
        assert!(pending.size > 0);
    }
}

#[tokio::test]
async fn the_community_and_its_members_find_each_other() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = open(&db).await;
        let (c, _) = store
            .upsert_compound(
                &CompoundUpsert {
                    compound: compound("C-1", COMMUNITY),
                    buildings: vec!["B1".into(), "B2".into(), "B3".into()],
                },
                &ACTOR,
            )
            .await
            .unwrap();
        let branch = store
            .create_org(&org("第一网格党支部", OrgLevel::Branch, None), &ACTOR)
            .await
            .unwrap();
        // 找党员: 5 residents say 党员, none on record.
        let counts = store
            .compound_find_counts(Some(&area(COMMUNITY)))
            .await
            .unwrap();
        assert_eq!(
            (counts[0].compound_id, counts[0].members, counts[0].to_find),
            (c, 0, 5)
        );
        let (r1, _) = resident_id(&store, "党员1").await;
        let m1 = store
            .confirm_found(r1, Some(branch), d(1999, 7, 1), &ACTOR)
            .await
            .unwrap();
        let r5 = store
            .residents(&gongzhi_store::ResidentFilter {
                name: Some("党员5".into()),
                ..Default::default()
            })
            .await
            .unwrap()[0]
            .id;
        assert_eq!(
            code_of(
                store
                    .confirm_found(r5, Some(branch), d(1999, 7, 1), &ACTOR)
                    .await
                    .unwrap_err()
            ),
            "not_a_party_member"
        );
        let (r3, _) = resident_id(&store, "党员3").await;
        let m3 = store
            .confirm_found(r3, Some(branch), d(2025, 7, 1), &ACTOR)
            .await
            .unwrap();
        assert_eq!(
            store.member(m3).await.unwrap().unwrap().record.status,
            MemberStatus::Probationary
        );
        let counts = store
            .compound_find_counts(Some(&area(COMMUNITY)))
            .await
            .unwrap();
        assert_eq!(
            (counts[0].members, counts[0].full_members, counts[0].to_find),
            (2, 1, 3)
        );
        assert_eq!(m1, store.member(m1).await.unwrap().unwrap().id);

        // 找组织: 李明 registers; the community matches him (a resident, not recorded as 党员).
        let reg = Registration {
            name: "李明".into(),
            gender: "男".into(),
            birth_date: None,
            phone: Some(Phone::parse("13800001111").unwrap()),
            community: area(COMMUNITY),
            address: "B3 幢 101".into(),
            member_status: MemberStatus::Full,
            joined_on: d(1995, 7, 1),
            prior_org: "苏州某公司党支部".into(),
            workplace: Some("苏州某公司".into()),
        };
        let id = store
            .create_registration(&reg, Some(9), d(2026, 5, 1), &ACTOR)
            .await
            .unwrap();
        let pending = store
            .registrations(&RegistrationFilter {
                area: Some(area(COMMUNITY)),
                state: Some(RegistrationState::Pending),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(pending.len(), 1);
        let matches = store
            .registration_matches(&pending[0].record)
            .await
            .unwrap();
        assert_eq!(matches.len(), 1);
        assert_eq!(matches[0].strength, MatchStrength::Possible);
        let resident = matches[0].resident.resident_id;
        let member = store
            .confirm_registration(id, Some(resident), Some(branch), &ACTOR)
            .await
            .unwrap();
        let row = store.member(member).await.unwrap().unwrap();
        assert_eq!(
            (row.record.resident, row.record.org),
            (Some(resident), Some(branch))
        );
        assert_eq!(
            store.member_phone(member).await.unwrap().unwrap().as_str(),
            "13800001111"
        );
        assert_eq!(
            code_of(
                store
                    .confirm_registration(id, None, None, &ACTOR)
                    .await
                    .unwrap_err()
            ),
            "already_decided"
        );
        // A second registration of the same person links the existing record.
        let again = store
            .create_registration(&reg, None, d(2026, 5, 1), &ACTOR)
            .await
            .unwrap();
        assert_eq!(
            store
                .confirm_registration(again, Some(resident), Some(branch), &ACTOR)
                .await
                .unwrap(),
            member
        );
        let declined = store
            .create_registration(&reg, None, d(2026, 5, 1), &ACTOR)
            .await
            .unwrap();
        store.decline_registration(declined, &ACTOR).await.unwrap();
        assert_eq!(
            store.registration(declined).await.unwrap().unwrap().state,
            RegistrationState::Declined
        );
        let counts = store
            .compound_find_counts(Some(&area(COMMUNITY)))
            .await
            .unwrap();
        assert_eq!((counts[0].members, counts[0].to_find), (3, 3));
    }
}

#[tokio::test]
async fn units_record_their_organisation_or_its_absence() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = open(&db).await;
        let branch = store
            .create_org(
                &PartyOrg {
                    kind: OrgKind::Enterprise,
                    ..org("苏州桃坞科技有限公司党支部", OrgLevel::Branch, None)
                },
                &ACTOR,
            )
            .await
            .unwrap();
        let unit = |name: &str, org: Option<i64>| Unit {
            name: name.into(),
            kind: UnitKind::Enterprise,
            community: area(COMMUNITY),
            grid: Some(grid("320508019044001")),
            address: "养育巷 9 号".into(),
            employees: 40,
            org,
        };
        let covered = store
            .create_unit(&unit("苏州桃坞科技有限公司", Some(branch)), &ACTOR)
            .await
            .unwrap();
        store
            .create_unit(&unit("苏州养育巷餐饮管理有限公司", None), &ACTOR)
            .await
            .unwrap();
        let wrong_grid = Unit {
            grid: Some(grid("320508019045001")),
            ..unit("别处公司", None)
        };
        assert_eq!(
            code_of(store.create_unit(&wrong_grid, &ACTOR).await.unwrap_err()),
            "outside_area"
        );
        let all = store.units(&UnitFilter::default()).await.unwrap();
        assert_eq!(all.len(), 2);
        let with = store
            .units(&UnitFilter {
                covered: Some(true),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            (with.len(), with[0].id, with[0].org_members),
            (1, covered, 0)
        );
        // Meetings are counted per organisation from 三会一课's records.
        assert_eq!(
            store.meetings_held_since(d(2025, 1, 1)).await.unwrap(),
            Some(Default::default())
        );
        store
            .add_party_meeting(
                &gongzhi_store::NewMeeting {
                    org_id: branch,
                    kind: gongzhi_domain::party::meetings::MeetingKind::MembersAssembly,
                    held_on: d(2025, 6, 1),
                    topic: "学习会".into(),
                    minutes: String::new(),
                    attendees: Vec::new(),
                    attended: Some(0),
                },
                &ACTOR,
                0,
            )
            .await
            .unwrap();
        let held = store
            .meetings_held_since(d(2025, 1, 1))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(held.get(&branch), Some(&1));
        store
            .dissolve_org(branch, d(2026, 1, 1), &ACTOR)
            .await
            .unwrap();
        let u = store.unit(covered).await.unwrap().unwrap();
        assert!(u.org_dissolved);
        assert_eq!(
            code_of(
                store
                    .update_unit(covered, &unit("苏州桃坞科技有限公司", Some(branch)), &ACTOR)
                    .await
                    .unwrap_err()
            ),
            "org_dissolved"
        );
    }
}
