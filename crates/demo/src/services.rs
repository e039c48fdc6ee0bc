//! The demo city's 一有七中心: every community's seven centres (lead departments from the
//! shipped settings), each with a service on its menu and the demo community's with a fuller
//! menu; household tags (独居老人 from who lives alone at 65 and over, a few 困难户, 残疾,
//! 优抚对象, 留守儿童); providers; and in the demo community orders in every state — waiting
//! behind a full slot, booked, assigned, completed and rated (满意 mostly), completed late,
//! cancelled — over the last three weeks and the days ahead. Deterministic: the same input
//! and seed give the same plan. Only eligible residents order: the plan asks the domain.

use gongzhi_domain::calendar::Date;
use gongzhi_domain::case::Satisfaction;
use gongzhi_domain::services::{
    Applicant, CentreKind, CentreSettings, Eligibility, HouseholdTag, Schedule, TimeSlot, age_in,
};

use crate::rng::Rng;

/// A community as the plan needs it: code, name, and a point and address to place its centres.
#[derive(Clone, Debug)]
pub struct PlanCommunity {
    pub code: String,
    pub name: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
}

/// A resident of the demo community: id, household, birth year.
#[derive(Clone, Copy, Debug)]
pub struct PlanResident {
    pub id: i64,
    pub household: i64,
    pub birth_year: i32,
}

#[derive(Clone, Debug)]
pub struct PlannedCentre {
    pub community: usize,
    pub kind: CentreKind,
    pub name: String,
    pub lead_department: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub opening_hours: String,
}

#[derive(Clone, Debug)]
pub struct PlannedItem {
    /// Index in [`ServicesPlan::centres`].
    pub centre: usize,
    pub name: &'static str,
    pub description: &'static str,
    pub eligibility: Eligibility,
    pub schedule: Schedule,
}

/// How a demo order ends up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Left as ordered: placed or, behind a full slot, waiting.
    AsOrdered,
    Assigned,
    /// Completed on its day (or `late` the day after) and rated (or not yet).
    Completed {
        late: bool,
        rating: Option<Satisfaction>,
    },
    Cancelled,
}

#[derive(Clone, Debug)]
pub struct PlannedOrder {
    /// Index in [`ServicesPlan::items`].
    pub item: usize,
    pub resident: i64,
    pub day: Date,
    pub slot: TimeSlot,
    pub fate: Fate,
    /// Placed by the demo resident's own account.
    pub own: bool,
}

#[derive(Clone, Debug)]
pub struct PlannedProvider {
    pub centre: usize,
    pub volunteer: bool,
    pub name: &'static str,
    pub offer: &'static str,
    pub minutes: i64,
}

#[derive(Clone, Debug, Default)]
pub struct ServicesPlan {
    pub centres: Vec<PlannedCentre>,
    pub items: Vec<PlannedItem>,
    pub tags: Vec<(i64, Vec<HouseholdTag>)>,
    pub providers: Vec<PlannedProvider>,
    pub orders: Vec<PlannedOrder>,
    /// The elder the demo resident's account is.
    pub demo_resident: Option<i64>,
    /// Each lead department's assessment items (考核项目) for its kind of centre.
    pub assessment: Vec<PlannedAssessmentItem>,
}

#[derive(Clone, Debug)]
pub struct PlannedAssessmentItem {
    pub lead_department: String,
    pub kind: CentreKind,
    pub name: &'static str,
    pub points: i64,
    pub measure: &'static str,
}

/// What every lead department assesses its centres on: (name, points, how measured).
const ASSESSMENT: [(&str, i64, &str); 3] = [
    (
        "服务清单公开",
        20,
        "服务项目、服务对象和时间在公示栏和平台公开，每缺一项扣 5 分",
    ),
    (
        "订单按时完成率",
        40,
        "当月按时完成的订单占已完成订单的比例 × 40",
    ),
    (
        "居民满意率",
        40,
        "当月满意率（满意 + 0.9 × 基本满意）/ 已评价订单 × 40",
    ),
];

fn slot(s: &str) -> TimeSlot {
    TimeSlot::parse(s).expect("a slot of the catalogue")
}

fn elig(min: Option<u32>, max: Option<u32>, tags: &[HouseholdTag]) -> Eligibility {
    Eligibility {
        min_age: min,
        max_age: max,
        any_tags: tags.to_vec(),
    }
}

/// The menu of each kind: (name, description, eligibility, weekdays, slots, capacity).
type Entry = (
    &'static str,
    &'static str,
    Eligibility,
    Vec<u8>,
    Vec<TimeSlot>,
    u32,
);

fn catalogue(kind: CentreKind) -> Vec<Entry> {
    use HouseholdTag::*;
    let weekdays: Vec<u8> = (1..=5).collect();
    let every: Vec<u8> = (1..=7).collect();
    match kind {
        CentreKind::ElderCare => vec![
            (
                "老年助餐",
                "中午到中心就餐，行动不便的送餐上门",
                elig(Some(60), None, &[]),
                every,
                vec![slot("11:00-12:00")],
                2,
            ),
            (
                "上门探访",
                "社工每周上门看望独居和空巢老人",
                elig(None, None, &[LivingAlone, EmptyNest]),
                weekdays,
                vec![slot("09:00-11:00"), slot("14:00-16:00")],
                3,
            ),
        ],
        CentreKind::Health => vec![
            (
                "健康体检",
                "量血压、测血糖，建立健康档案",
                elig(Some(60), None, &[]),
                weekdays.clone(),
                vec![slot("08:30-10:00")],
                6,
            ),
            (
                "家庭医生上门",
                "行动不便者由家庭医生上门问诊",
                elig(None, None, &[Disabled, LivingAlone]),
                weekdays,
                vec![slot("14:00-16:00")],
                2,
            ),
        ],
        CentreKind::Convenience => vec![(
            "代办证明",
            "代办居住证明、社保认证等事项",
            elig(None, None, &[]),
            weekdays,
            vec![slot("09:00-11:30"), slot("14:00-17:00")],
            8,
        )],
        CentreKind::Safety => vec![(
            "法律咨询",
            "律师坐班，调解邻里纠纷",
            elig(None, None, &[]),
            vec![2, 4],
            vec![slot("14:00-16:00")],
            4,
        )],
        CentreKind::Culture => vec![(
            "书法班",
            "老年书法兴趣班",
            elig(Some(50), None, &[]),
            vec![3, 6],
            vec![slot("09:00-10:30")],
            12,
        )],
        CentreKind::Children => vec![(
            "四点半课堂",
            "放学后作业辅导",
            elig(Some(6), Some(14), &[]),
            weekdays,
            vec![slot("16:30-18:00")],
            15,
        )],
        CentreKind::Volunteer => vec![(
            "助老理发",
            "志愿者上门理发",
            elig(Some(70), None, &[]),
            vec![6],
            vec![slot("09:00-11:00")],
            5,
        )],
    }
}

/// The plan for `communities` (the demo community first) and the residents of the demo
/// community, as of `today`.
pub fn plan(
    communities: &[PlanCommunity],
    residents: &[PlanResident],
    settings: &CentreSettings,
    today: Date,
    seed: u64,
) -> ServicesPlan {
    let mut rng = Rng::stream(seed, 0x5e7_c1ce);
    let mut p = ServicesPlan::default();
    for kind in CentreKind::ALL {
        if let Some(lead) = settings.lead_of(*kind) {
            for (name, points, measure) in ASSESSMENT {
                p.assessment.push(PlannedAssessmentItem {
                    lead_department: lead.to_string(),
                    kind: *kind,
                    name,
                    points,
                    measure,
                });
            }
        }
    }
    for (ci, c) in communities.iter().enumerate() {
        for (k, kind) in CentreKind::ALL.iter().enumerate() {
            let Some(lead) = settings.lead_of(*kind) else {
                continue;
            };
            let centre = p.centres.len();
            p.centres.push(PlannedCentre {
                community: ci,
                kind: *kind,
                name: format!("{}{}", c.name, kind.zh()),
                lead_department: lead.to_string(),
                address: c.address.clone(),
                lon: c.lon + 0.0003 * k as f64,
                lat: c.lat,
                opening_hours: if *kind == CentreKind::ElderCare {
                    "每天 7:30-18:00".into()
                } else {
                    "周一至周五 8:30-17:00".into()
                },
            });
            // The demo community offers the whole catalogue, the others its first service.
            let entries = catalogue(*kind);
            let n = if ci == 0 { entries.len() } else { 1 };
            for (name, description, eligibility, weekdays, slots, capacity) in
                entries.into_iter().take(n)
            {
                p.items.push(PlannedItem {
                    centre,
                    name,
                    description,
                    eligibility,
                    schedule: Schedule {
                        weekdays,
                        slots,
                        capacity,
                    },
                });
            }
        }
    }
    // Household tags from who lives there: alone at 65 and over, two elders alone (空巢),
    // and a few 困难户, 残疾, 优抚对象; children under 14 left with grandparents.
    let mut by_household: std::collections::BTreeMap<i64, Vec<u32>> = Default::default();
    for r in residents {
        by_household
            .entry(r.household)
            .or_default()
            .push(age_in(today.year(), r.birth_year));
    }
    for (h, ages) in &by_household {
        let mut tags = Vec::new();
        if ages.len() == 1 && ages[0] >= 65 {
            tags.push(HouseholdTag::LivingAlone);
        } else if ages.len() == 2 && ages.iter().all(|a| *a >= 60) {
            tags.push(HouseholdTag::EmptyNest);
        }
        if rng.chance(0.04) {
            tags.push(HouseholdTag::LowIncome);
        }
        if rng.chance(0.03) {
            tags.push(HouseholdTag::Disabled);
        }
        if rng.chance(0.01) {
            tags.push(HouseholdTag::Entitled);
        }
        if ages.iter().any(|a| *a < 14) && ages.iter().all(|a| *a < 14 || *a >= 55) {
            tags.push(HouseholdTag::LeftBehindChild);
        }
        if !tags.is_empty() {
            p.tags.push((*h, tags));
        }
    }
    let tags_of = |h: i64| -> Vec<HouseholdTag> {
        p.tags
            .iter()
            .find(|(x, _)| *x == h)
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    };
    let applicant = |r: &PlanResident| Applicant {
        age: age_in(today.year(), r.birth_year),
        tags: tags_of(r.household),
    };
    // The demo resident: an elder of 65–85, eligible for the elder services.
    p.demo_resident = residents
        .iter()
        .find(|r| (65..=85).contains(&age_in(today.year(), r.birth_year)))
        .map(|r| r.id);
    // Providers of the demo community's centres.
    let demo_centre = |kind: CentreKind| {
        p.centres
            .iter()
            .position(|c| c.community == 0 && c.kind == kind)
    };
    for (kind, volunteer, name, offer, minutes) in [
        (
            CentreKind::Volunteer,
            true,
            "王建国",
            "助老理发、陪同就医",
            1_860,
        ),
        (
            CentreKind::Volunteer,
            true,
            "李秀英",
            "读报聊天、代购药品",
            960,
        ),
        (
            CentreKind::ElderCare,
            false,
            "夕阳红互助会",
            "老年助餐配送、上门探访",
            4_200,
        ),
        (
            CentreKind::Culture,
            false,
            "墨香书法社",
            "老年书法班教学",
            1_440,
        ),
        (
            CentreKind::Children,
            false,
            "启航青少年服务社",
            "四点半课堂作业辅导",
            2_700,
        ),
    ] {
        if let Some(centre) = demo_centre(kind) {
            p.providers.push(PlannedProvider {
                centre,
                volunteer,
                name,
                offer,
                minutes,
            });
        }
    }
    // Orders of the demo community's menu over the last three weeks and the next three days.
    let demo_items: Vec<usize> = (0..p.items.len())
        .filter(|i| p.centres[p.items[*i].centre].community == 0)
        .collect();
    let mut taken: std::collections::BTreeMap<(usize, Date, TimeSlot), u32> = Default::default();
    let mut booked: std::collections::BTreeSet<(usize, i64, Date)> = Default::default();
    for offset in -21..=3i64 {
        let day = today.add_days(offset);
        for &i in &demo_items {
            let item = &p.items[i];
            if item.schedule.offers(day, &item.schedule.slots[0]).is_err() {
                continue;
            }
            let wanted = rng.int(0, i64::from(item.schedule.capacity)) as usize;
            // The lunch ahead fills up: two more than its places wait in line.
            let count = if offset == 1 && item.name == "老年助餐" {
                item.schedule.capacity as usize + 2
            } else {
                wanted
            };
            let eligible: Vec<&PlanResident> = residents
                .iter()
                .filter(|r| item.eligibility.check(&applicant(r)).is_ok())
                .filter(|r| Some(r.id) != p.demo_resident)
                .collect();
            if eligible.is_empty() {
                continue;
            }
            for _ in 0..count {
                let r = *rng.pick(&eligible);
                if !booked.insert((i, r.id, day)) {
                    continue;
                }
                let s = rng.pick(&item.schedule.slots).clone();
                let n = taken.entry((i, day, s.clone())).or_default();
                *n += 1;
                let fate = fate_of(&mut rng, offset);
                p.orders.push(PlannedOrder {
                    item: i,
                    resident: r.id,
                    day,
                    slot: s,
                    fate,
                    own: false,
                });
            }
        }
    }
    // The demo resident's own: a lunch last week, rated; a health check ahead, booked.
    if let Some(me) = p.demo_resident {
        for (name, offset, fate) in [
            (
                "老年助餐",
                -7,
                Fate::Completed {
                    late: false,
                    rating: Some(Satisfaction::Satisfied),
                },
            ),
            (
                "老年助餐",
                -2,
                Fate::Completed {
                    late: false,
                    rating: None,
                },
            ),
            ("健康体检", 2, Fate::AsOrdered),
        ] {
            let Some(i) = demo_items
                .iter()
                .copied()
                .find(|i| p.items[*i].name == name)
            else {
                continue;
            };
            let item = &p.items[i];
            let Some(day) = item
                .schedule
                .next_days(today.add_days(offset), 1)
                .first()
                .copied()
            else {
                continue;
            };
            if !booked.insert((i, me, day)) {
                continue;
            }
            p.orders.push(PlannedOrder {
                item: i,
                resident: me,
                day,
                slot: item.schedule.slots[0].clone(),
                fate,
                own: true,
            });
        }
    }
    p
}

/// What became of an order `offset` days from today: past ones mostly completed (some late,
/// some cancelled), today's assigned or booked, future ones booked.
fn fate_of(rng: &mut Rng, offset: i64) -> Fate {
    if offset < 0 {
        let roll = rng.f64();
        if roll < 0.08 {
            return Fate::Cancelled;
        }
        if offset == -1 && roll < 0.25 {
            // Yesterday's, still not done: overdue on the centre's home page.
            return Fate::Assigned;
        }
        let rating = match rng.weighted(&[0.62, 0.2, 0.06, 0.12]) {
            0 => Some(Satisfaction::Satisfied),
            1 => Some(Satisfaction::BasicallySatisfied),
            2 => Some(Satisfaction::Unsatisfied),
            _ => None,
        };
        Fate::Completed {
            late: rng.chance(0.1),
            rating,
        }
    } else if offset == 0 {
        if rng.chance(0.5) {
            Fate::Assigned
        } else {
            Fate::AsOrdered
        }
    } else if rng.chance(0.06) {
        Fate::Cancelled
    } else {
        Fate::AsOrdered
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn communities() -> Vec<PlanCommunity> {
        (0..3)
            .map(|i| PlanCommunity {
                code: format!("32050801904{i}"),
                name: format!("第{i}社区"),
                address: format!("测试路{i}号"),
                lon: 120.6,
                lat: 31.3,
            })
            .collect()
    }

    fn residents() -> Vec<PlanResident> {
        (0..300)
            .map(|i| PlanResident {
                id: i + 1,
                household: i / 2 + 1,
                birth_year: 1930 + (i as i32 * 7) % 90,
            })
            .collect()
    }

    #[test]
    fn every_community_has_seven_centres_and_the_demo_orders_are_in_every_state() {
        let today = Date::new(2026, 11, 4).unwrap();
        let p = plan(
            &communities(),
            &residents(),
            &CentreSettings::default(),
            today,
            7,
        );
        assert_eq!(p.centres.len(), 21);
        assert!(p.items.len() > 21, "the demo community's fuller menu");
        let fates = |f: fn(&Fate) -> bool| p.orders.iter().filter(|o| f(&o.fate)).count();
        assert!(fates(|f| *f == Fate::AsOrdered) > 0);
        assert!(fates(|f| *f == Fate::Assigned) > 0);
        assert!(fates(|f| *f == Fate::Cancelled) > 0);
        assert!(
            fates(|f| matches!(
                f,
                Fate::Completed {
                    rating: Some(_),
                    ..
                }
            )) > 0
        );
        assert!(fates(|f| matches!(f, Fate::Completed { rating: None, .. })) > 0);
        assert!(!p.tags.is_empty());
        assert_eq!(
            p.assessment.len(),
            21,
            "three items for each kind's lead department"
        );
        // Every order is of someone the item serves.
        let rs = residents();
        for o in &p.orders {
            let r = rs.iter().find(|r| r.id == o.resident).unwrap();
            let tags = p
                .tags
                .iter()
                .find(|(h, _)| *h == r.household)
                .map(|(_, t)| t.clone())
                .unwrap_or_default();
            let a = Applicant {
                age: age_in(today.year(), r.birth_year),
                tags,
            };
            assert!(p.items[o.item].eligibility.check(&a).is_ok(), "{o:?}");
        }
        // The lunch ahead has more orders than places: a waiting list.
        let tomorrow = today.succ();
        let lunch = p.items.iter().position(|i| i.name == "老年助餐").unwrap();
        let ahead = p
            .orders
            .iter()
            .filter(|o| o.item == lunch && o.day == tomorrow)
            .count();
        assert!(ahead > 2, "{ahead}");
        assert!(p.demo_resident.is_some());
        assert!(p.orders.iter().any(|o| o.own));
        // The same input, the same plan.
        let again = plan(
            &communities(),
            &residents(),
            &CentreSettings::default(),
            today,
            7,
        );
        assert_eq!(again.orders.len(), p.orders.len());
    }
}
