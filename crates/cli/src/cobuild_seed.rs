//! The living demo's co-build contracts and notice board, stored through the same store calls
//! as the screens: the demo community's contracts with the demo department (and a second
//! one), commitments in every standing with deliveries and ratings; notices of every kind to
//! the community, its street and district — one changed, one withdrawn, one expired, a draft.
//! Each write is on the log like any other. Written as the demo accounts that would make them.

use gongzhi_demo::cobuild::plan as contract_plan;
use gongzhi_demo::notice_board::{Audience, Fate, plan as notice_plan};
use gongzhi_domain::access::Scope;
use gongzhi_domain::calendar::{Date, HOUR_MS, date_of, start_of};
use gongzhi_domain::cobuild::{CommitmentDraft, ContractDraft, DeliveryDraft, Rating, RatingDraft};
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::notice_board::NoticeDraft;
use gongzhi_store::{CoBuildFilter, EventActor, NewDelivery, NoticeFilter, Store, now_millis};

/// The account's id, display name and scope.
async fn demo_account(
    store: &Store,
    username: &str,
) -> anyhow::Result<Option<(EventActor, Scope)>> {
    Ok(store.account_by_username(username).await?.map(|a| {
        (
            EventActor {
                account_id: Some(a.id),
                name: a.display_name.clone(),
            },
            a.scope,
        )
    }))
}

/// Ten in the morning of `day`, or now if that is still to come.
fn morning(day: Date) -> i64 {
    (start_of(day) + 10 * HOUR_MS).min(now_millis())
}

/// Seeds both unless the database holds contracts or notices already (or the demo accounts
/// are missing).
pub async fn seed(store: &Store) -> anyhow::Result<()> {
    let Some((community_by, Scope::Area(community))) = demo_account(store, "community").await?
    else {
        return Ok(());
    };
    let today = date_of(now_millis());
    if store.contracts(&CoBuildFilter::default()).await?.is_empty() {
        seed_contracts(store, &community_by, community, today).await?;
    }
    if store.count_notices(&NoticeFilter::default()).await? == 0 {
        seed_notices(store, &community_by, community, today).await?;
    }
    Ok(())
}

async fn seed_contracts(
    store: &Store,
    community_by: &EventActor,
    community: AreaCode,
    today: Date,
) -> anyhow::Result<()> {
    let Some((dept_by, Scope::Department(dept))) = demo_account(store, "department").await? else {
        return Ok(());
    };
    // The demo department first, then another department of the city.
    let all = store.departments().await?;
    let mut departments: Vec<(String, String)> = all
        .iter()
        .filter(|d| d.code == dept)
        .chain(all.iter().filter(|d| d.code != dept).take(1))
        .map(|d| (d.code.clone(), d.name.clone()))
        .collect();
    if departments.is_empty() {
        departments.push((dept.clone(), dept.clone()));
    }
    let name = store
        .area(&community)
        .await?
        .map(|a| a.name)
        .unwrap_or_else(|| community.to_string());
    let names: Vec<&str> = departments.iter().map(|(_, n)| n.as_str()).collect();
    let mut commitments = 0;
    for k in contract_plan(today, &name, &names) {
        let (code, dname) = &departments[k.department];
        let department_by = if *code == dept {
            dept_by.clone()
        } else {
            EventActor {
                account_id: None,
                name: format!("{dname}科员"),
            }
        };
        let draft = ContractDraft {
            title: k.title.clone(),
            department: code.clone(),
            community,
            starts_on: k.starts_on,
            ends_on: k.ends_on,
            signed_on: k.signed_on,
        }
        .checked(true)
        .map_err(|e| anyhow::anyhow!("demo contract: {e:?}"))?;
        let kid = store
            .add_contract(&draft, community_by, morning(k.signed_on))
            .await?;
        for c in k.commitments {
            let draft = CommitmentDraft {
                title: c.title.into(),
                deliverable: c.deliverable.into(),
                due_on: c.due_on,
            }
            .checked(k.starts_on, k.ends_on)
            .map_err(|e| anyhow::anyhow!("demo commitment: {e:?}"))?;
            let cid = store
                .add_commitment(kid, &draft, community_by, morning(k.signed_on))
                .await?;
            commitments += 1;
            for d in &c.deliveries {
                store
                    .add_delivery(
                        &NewDelivery {
                            commitment_id: cid,
                            draft: DeliveryDraft {
                                delivered_on: d.on,
                                notes: d.notes.into(),
                                completes: d.completes,
                            },
                            photo: None,
                            today,
                        },
                        &department_by,
                        morning(d.on),
                    )
                    .await
                    .map_err(|e| anyhow::anyhow!("demo delivery: {e}"))?;
            }
            if let Some(r) = c.rating.and_then(Rating::parse) {
                let on = c
                    .deliveries
                    .last()
                    .map_or(today, |d| d.on.add_days(3).min(today));
                store
                    .rate_commitment(
                        cid,
                        &RatingDraft {
                            rating: r,
                            note: String::new(),
                        },
                        community_by,
                        morning(on),
                    )
                    .await
                    .map_err(|e| anyhow::anyhow!("demo rating: {e}"))?;
            }
        }
    }
    eprintln!("演示共建契约已写入 / demo co-build contracts stored: {commitments} commitments");
    Ok(())
}

async fn seed_notices(
    store: &Store,
    community_by: &EventActor,
    community: AreaCode,
    today: Date,
) -> anyhow::Result<()> {
    let street = community.parent().unwrap_or(community);
    let district = street.parent().unwrap_or(street);
    let street_by = demo_account(store, "street").await?.map(|(b, _)| b);
    let district_by = demo_account(store, "district").await?.map(|(b, _)| b);
    let plan = notice_plan(today);
    let n = plan.len();
    for p in plan {
        let (audience, by) = match p.audience {
            Audience::Community => (community, community_by.clone()),
            Audience::Street => (street, street_by.clone().unwrap_or(community_by.clone())),
            Audience::District => (
                district,
                district_by.clone().unwrap_or(community_by.clone()),
            ),
        };
        let draft = |title: &str, body: &str| {
            NoticeDraft {
                kind: p.kind,
                title: title.into(),
                body: body.into(),
                from: p.from,
                until: p.until,
                audience,
                department: None,
                subject_text: p.subject_text.into(),
                subject_url: String::new(),
            }
            .checked()
            .map_err(|e| anyhow::anyhow!("demo notice: {e:?}"))
        };
        let publish = p.fate != Fate::Draft;
        let at = morning(p.from.min(today));
        let id = store
            .create_notice(&draft(p.title, p.body)?, publish, &by, at)
            .await?;
        match p.fate {
            Fate::Changed { days, title, body } => {
                store
                    .change_notice(
                        id,
                        &draft(title, body)?,
                        &by,
                        morning(p.from.add_days(days)),
                    )
                    .await
                    .map_err(|e| anyhow::anyhow!("demo notice change: {e}"))?;
            }
            Fate::Withdrawn { days, reason } => {
                store
                    .withdraw_notice(id, reason, &by, morning(p.from.add_days(days)))
                    .await
                    .map_err(|e| anyhow::anyhow!("demo notice withdrawal: {e}"))?;
            }
            Fate::Draft | Fate::Published => {}
        }
    }
    eprintln!("演示公示已写入 / demo notices stored: {n}");
    Ok(())
}
