//! The demo's community cadre roster and a year of member assessment, written through the
//! same store calls as the import and the assessment pages (every deduction and rating decided
//! by the domain and logged). The party members are whoever the demo has when this runs: with
//! none, no assessment is seeded.

use anyhow::Context;
use gongzhi_demo::{DemoCity, assessment_plan, cadre_roster};
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::codes::{AreaCode, AreaLevel};
use gongzhi_store::{Actor, AssessmentFilter, NewDeduction, NewRating, Store};
use std::collections::{BTreeMap, BTreeSet};

/// At most this many members are assessed, taken in turn from every community, so that the
/// demo starts quickly however many members it has.
const MAX_ASSESSED: usize = 2_000;

const BY: Actor<'static> = Actor {
    id: None,
    name: "党组织考核（演示）",
};

fn today() -> Date {
    date_of(gongzhi_store::now_millis())
}

/// Four to seven cadres for every community of the demo city.
pub async fn seed_cadre_roster(store: &Store, city: &DemoCity) -> anyhow::Result<()> {
    let communities: Vec<AreaCode> = city
        .areas
        .iter()
        .filter(|a| a.code.level() == AreaLevel::Community)
        .map(|a| a.code)
        .collect();
    let roster = cadre_roster(&communities, today(), gongzhi_demo::DEFAULT_SEED);
    let n = store.import_cadres(&roster, &Actor::SYSTEM).await?;
    eprintln!("社区干部名册已写入 / cadre roster stored: {n} cadres");
    Ok(())
}

/// Members in turn from each community, up to `max`.
fn spread(mut by_community: BTreeMap<AreaCode, Vec<i64>>, max: usize) -> Vec<i64> {
    let mut out = Vec::new();
    while out.len() < max && by_community.values().any(|v| !v.is_empty()) {
        for v in by_community.values_mut() {
            if out.len() < max && !v.is_empty() {
                out.push(v.remove(0));
            }
        }
    }
    out
}

/// A year of deductions and ratings for the party members the demo has now.
pub async fn seed_assessments(store: &Store) -> anyhow::Result<()> {
    let day = today();
    let year_members = |year| async move {
        let f = AssessmentFilter {
            year,
            ..Default::default()
        };
        anyhow::Ok(store.assessment_years(&f).await?)
    };
    let this_year = year_members(day.year()).await?;
    if this_year.is_empty() {
        eprintln!("没有党员，跳过党员考核演示数据 / no party members; no assessment seeded");
        return Ok(());
    }
    let last_year: BTreeSet<i64> = year_members(day.year() - 1)
        .await?
        .into_iter()
        .map(|r| r.member.id)
        .collect();
    let mut by_community: BTreeMap<AreaCode, Vec<i64>> = BTreeMap::new();
    for r in &this_year {
        by_community
            .entry(r.member.community)
            .or_default()
            .push(r.member.id);
    }
    let members = spread(by_community, MAX_ASSESSED);
    let (points, stars) = (store.points_rules().await?, store.star_rules().await?);
    let plan = assessment_plan(
        &members,
        &points.rules,
        &stars.rules,
        day,
        gongzhi_demo::DEFAULT_SEED,
    );
    let belongs = |member: i64, year: i32| year == day.year() || last_year.contains(&member);
    let mut written = (0, 0);
    for d in plan
        .deductions
        .iter()
        .filter(|d| belongs(d.member, d.occurred_on.year()))
    {
        let new = NewDeduction {
            member_id: d.member,
            year: d.occurred_on.year(),
            occurred_on: d.occurred_on,
            item: d.item.clone(),
            reason: d.reason.clone(),
            note: d.note.clone(),
            photos: Vec::new(),
        };
        store
            .deduct_points(&new, &points, &BY)
            .await
            .with_context(|| format!("demo deduction for member {}", d.member))?;
        written.0 += 1;
    }
    for r in plan.ratings.iter().filter(|r| belongs(r.member, r.year)) {
        let result = stars.rules.rate(&r.scores).context("demo rating")?;
        let rating = NewRating {
            member_id: r.member,
            year: r.year,
            rules_id: stars.id,
            scores: r.scores.clone(),
            result,
            note: r.note.clone(),
        };
        store.rate_member(&rating, &BY).await?;
        written.1 += 1;
    }
    eprintln!(
        "党员考核演示数据已写入 / member assessment stored: {} members, {} deductions, {} ratings",
        members.len(),
        written.0,
        written.1
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{seed_assessments, spread};
    use gongzhi_domain::calendar::Date;
    use gongzhi_domain::codes::AreaCode;
    use gongzhi_domain::party::{OrgKind, OrgLevel};
    use gongzhi_domain::population::Gender;
    use gongzhi_store::pii::{MasterKey, PiiCipher};
    use gongzhi_store::records::AreaRecord;
    use gongzhi_store::{AssessmentFilter, Store};
    use gongzhi_testkit::{TestDb, backends};
    use std::collections::BTreeMap;

    /// With no members nothing is seeded; with members, a year of deductions and ratings is
    /// written through the store, every one of them on the log.
    #[tokio::test]
    async fn a_year_of_assessment_for_the_members_there_are() {
        for backend in backends() {
            let db = TestDb::new(backend).await;
            let store = Store::open(&db.url, PiiCipher::new(&MasterKey::from_bytes([4; 32])))
                .await
                .unwrap();
            let c = AreaCode::parse("320508019044").unwrap();
            store
                .upsert_areas(&[
                    AreaRecord {
                        code: AreaCode::parse("320508").unwrap(),
                        name: "姑苏区".into(),
                        urban_rural: None,
                    },
                    AreaRecord {
                        code: AreaCode::parse("320508019000").unwrap(),
                        name: "金阊街道".into(),
                        urban_rural: None,
                    },
                    AreaRecord {
                        code: c,
                        name: "养育巷社区".into(),
                        urban_rural: None,
                    },
                ])
                .await
                .unwrap();
            seed_assessments(&store).await.unwrap();
            assert_eq!(store.ledger_integrate_pending(10).await.unwrap().size, 0);
            let org = store
                .fixture_party_org(
                    "养育巷社区党委",
                    OrgLevel::Committee,
                    OrgKind::Community,
                    &c,
                    None,
                )
                .await
                .unwrap();
            for i in 0..40 {
                store
                    .fixture_party_member(
                        &format!("党员{}", ["甲", "乙", "丙", "丁"][i % 4]),
                        Gender::Male,
                        &c,
                        Some(org),
                        Date::new(2000, 1, 1).unwrap(),
                    )
                    .await
                    .unwrap();
            }
            seed_assessments(&store).await.unwrap();
            let year = super::today().year();
            let f = AssessmentFilter {
                year: year - 1,
                ..Default::default()
            };
            let last = store.assessment_years(&f).await.unwrap();
            assert!(last.iter().all(|m| m.stars.is_some()), "{backend:?}");
            let logged = store.ledger_integrate_pending(100_000).await.unwrap().size;
            assert!(logged >= 40, "{backend:?}: {logged}");
            let report = store.ledger_audit(&[]).await.unwrap();
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

    #[test]
    fn members_are_taken_in_turn_from_every_community() {
        let a = AreaCode::parse("320508019044").unwrap();
        let b = AreaCode::parse("320508020001").unwrap();
        let m = BTreeMap::from([(a, vec![1, 2, 3]), (b, vec![7])]);
        assert_eq!(spread(m.clone(), 3), [1, 7, 2]);
        assert_eq!(spread(m, 10), [1, 7, 2, 3]);
    }
}
