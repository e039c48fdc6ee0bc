//! The demo city's red grid (红色网格): every grid's leader, instructor and red grid members,
//! each member serving 5–10 of the grid's households (fewer where the grid has fewer), weeks of
//! visit diaries with mediations, and the visits that raise cases. The demo community is served
//! whole but for one grid left with gaps, and one of the demo grid's members serves too few,
//! so that coverage shows both. Deterministic: the same input and seed give the same plan.

use std::collections::BTreeMap;

use gongzhi_domain::calendar::{Date, HOUR_MS, start_of};
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_domain::red_grid::{
    GridRoleKind, LinkSettings, MediationDraft, MediationOutcome, VisitDraft, VisitPurpose,
    masked_parties,
};
use gongzhi_store::{NewVisit, SeedAccount, SeedLink, SeedRole, SeedVisit};

use crate::names::NamePool;
use crate::rng::Rng;

/// The red grid member's login that the demo lists (in the demo grid): easy to find.
pub const DEMO_RED_MEMBER: &str = "red";

/// Days of visit diaries, ending today.
pub const VISIT_DAYS: i64 = 42;

/// One grid as the plan needs it: its households (id, code) in code order.
#[derive(Clone, Debug)]
pub struct PlanGrid {
    pub code: GridCode,
    pub name: String,
    pub households: Vec<i64>,
}

/// A visit that raises a case: the index of the visit in [`RedGridPlan::visits`], the category.
#[derive(Clone, Debug)]
pub struct PlannedCase {
    pub visit: usize,
    pub category: &'static str,
}

/// What the store writes (`Store::seed_red_grid`), and the cases raised afterwards.
#[derive(Clone, Debug, Default)]
pub struct RedGridPlan {
    pub accounts: Vec<SeedAccount>,
    pub roles: Vec<SeedRole>,
    pub links: Vec<SeedLink>,
    pub visits: Vec<SeedVisit>,
    pub cases: Vec<PlannedCase>,
}

/// (purpose, weight, notes to draw from, category a case from it is raised in).
const PURPOSES: [(VisitPurpose, f64, &[&str], &str); 5] = [
    (
        VisitPurpose::PolicyOutreach,
        0.25,
        &[
            "宣传垃圾分类新规，发放分类指南",
            "讲解城乡居民医保缴费政策，提醒年底前缴费",
            "宣传防范电信诈骗，帮助老人安装反诈软件",
            "告知社区老年人助餐服务点开放时间",
        ],
        "E0102",
    ),
    (
        VisitPurpose::InformationCollection,
        0.25,
        &[
            "登记家庭成员变动，子女已外出务工",
            "了解独居老人身体状况，血压偏高需关注",
            "核实出租房屋租客信息",
            "收集居民对小区停车改造的意见",
        ],
        "E0604",
    ),
    (
        VisitPurpose::ConflictMediation,
        0.12,
        &[
            "楼上装修噪音影响休息，双方当面沟通",
            "楼道堆放杂物引起邻里争执",
            "空调外机滴水到楼下阳台",
            "宠物狗夜间吠叫引发邻里矛盾",
        ],
        "E0601",
    ),
    (
        VisitPurpose::Liaison,
        0.2,
        &[
            "节前走访慰问，转达社区问候",
            "通知下周社区议事会时间，邀请参加",
            "联系子女，约定每周电话关心老人",
        ],
        "E0603",
    ),
    (
        VisitPurpose::ProblemSolving,
        0.18,
        &[
            "楼道灯损坏，老人夜间出行不便",
            "单元门禁损坏，外来人员随意进出",
            "屋顶渗水，雨天楼道积水",
            "小区路面破损，轮椅通行困难",
        ],
        "E0602",
    ),
];

const ISSUES: [&str; 4] = ["装修噪音", "楼道堆物", "空调滴水", "宠物扰民"];

/// How many households each red grid member of `g` serves. The demo community is served
/// whole, evenly (8 or so each, never past the maximum), but for its gap grid, which has one
/// member; the demo grid has one member serving only 3. Elsewhere one to three members serve
/// 7–10 each, as a city starting its red grid does, and the rest wait.
fn shares(
    rng: &mut Rng,
    g: &PlanGrid,
    demo_grid: GridCode,
    demo_community: AreaCode,
    gap_grid: Option<GridCode>,
    s: &LinkSettings,
) -> Vec<usize> {
    let total = g.households.len();
    let even = |n: usize| -> Vec<usize> {
        let members = n.div_ceil(8).max(1);
        (0..members)
            .map(|i| n / members + usize::from(i < n % members))
            .collect()
    };
    if g.code == demo_grid {
        let few = if total >= 8 { 3 } else { total / 3 };
        let mut out = even(total - few);
        out.insert(1, few);
        return out;
    }
    if Some(g.code) == gap_grid {
        // Half its households wait for a member.
        return vec![(total / 2).min(s.max as usize)];
    }
    if g.code.community() == demo_community {
        return even(total);
    }
    // However small the grid, some of its households wait: about a third.
    // Every grid has at least one red grid member, even one with no household yet.
    let mut room = total - (total * 3).div_ceil(10);
    let mut out: Vec<usize> = (0..rng.int(1, 3))
        .map(|_| {
            let k = (rng.int(i64::from(s.min + 2), i64::from(s.max)) as usize).min(room);
            room -= k;
            k
        })
        .filter(|k| *k > 0)
        .collect();
    if out.is_empty() {
        out.push(0);
    }
    out
}

fn person(names: &NamePool, rng: &mut Rng) -> String {
    let male = rng.chance(0.5);
    let year = rng.int(1955, 1995) as i32;
    format!("{}{}", names.surname(rng), names.given(rng, male, year))
}

/// The plan for `grids` (every grid of the city, in code order): `demo_grid` holds the demo's
/// red grid member `red`, its community is served whole but for one grid; `members` are the
/// party members living in each grid (id, name); `today` ends the weeks of visits.
pub fn plan(
    grids: &[PlanGrid],
    members: &BTreeMap<GridCode, Vec<(i64, String)>>,
    demo_grid: GridCode,
    today: Date,
    seed: u64,
) -> RedGridPlan {
    let mut rng = Rng::stream(seed, 13);
    let names = NamePool::new();
    let s = LinkSettings::default();
    let demo_community: AreaCode = demo_grid.community();
    // The community's grid left with gaps: its last one other than the demo grid.
    let gap_grid = grids
        .iter()
        .filter(|g| g.code.community() == demo_community && g.code != demo_grid)
        .map(|g| g.code)
        .next_back();
    let demo_street = demo_community.parent();
    let mut p = RedGridPlan::default();
    let started_on = today.add_days(-180);
    for g in grids {
        let mut party = members
            .get(&g.code)
            .cloned()
            .unwrap_or_default()
            .into_iter();
        for kind in [GridRoleKind::Leader, GridRoleKind::Instructor] {
            let member = party.next();
            p.roles.push(SeedRole {
                grid: g.code,
                kind,
                account: None,
                person_name: member
                    .as_ref()
                    .map_or_else(|| person(&names, &mut rng), |m| m.1.clone()),
                member_id: member.map(|m| m.0),
                started_on,
            });
        }
        let in_demo_street = Some(g.code.community().parent()) == Some(demo_street);
        let mut left: &[i64] = &g.households;
        for (n, k) in shares(&mut rng, g, demo_grid, demo_community, gap_grid, &s)
            .into_iter()
            .enumerate()
        {
            let username = if g.code == demo_grid && n == 0 {
                DEMO_RED_MEMBER.to_string()
            } else {
                format!("red-{}-{}", g.code, n + 1)
            };
            let member = party.next();
            let name = member
                .as_ref()
                .map_or_else(|| person(&names, &mut rng), |m| m.1.clone());
            let account = p.accounts.len();
            p.accounts.push((username, name.clone(), g.code));
            let role = p.roles.len();
            p.roles.push(SeedRole {
                grid: g.code,
                kind: GridRoleKind::RedMember,
                account: Some(account),
                person_name: name.clone(),
                member_id: member.map(|m| m.0),
                started_on,
            });
            let (served, rest) = left.split_at(k.min(left.len()));
            left = rest;
            for h in served {
                p.links.push(SeedLink {
                    role,
                    household_id: *h,
                    linked_on: started_on.add_days(rng.int(0, 60)),
                });
                let who = Visitor {
                    account,
                    name: &name,
                };
                visits(&mut p, &mut rng, &names, g, *h, &who, today, in_demo_street);
            }
        }
    }
    p
}

/// The red grid member who visits: its account's index and its name.
struct Visitor<'a> {
    account: usize,
    name: &'a str,
}

/// A household's visits over the last [`VISIT_DAYS`]: none for some (they are due), one to
/// three for the others; a few raise a case (in the demo street, so the demo stays quick).
#[allow(clippy::too_many_arguments)]
fn visits(
    p: &mut RedGridPlan,
    rng: &mut Rng,
    names: &NamePool,
    g: &PlanGrid,
    household: i64,
    who: &Visitor<'_>,
    today: Date,
    raise_here: bool,
) {
    let n = rng.weighted(&[0.2, 0.45, 0.25, 0.1]);
    let weights: Vec<f64> = PURPOSES.iter().map(|x| x.1).collect();
    for _ in 0..n {
        let (purpose, _, notes, category) = PURPOSES[rng.weighted(&weights)];
        // Up to yesterday: a diary is written up after the visit.
        let day = today.add_days(-rng.int(1, VISIT_DAYS));
        let at = start_of(day) + rng.int(9, 18) * HOUR_MS;
        let mediation = (purpose == VisitPurpose::ConflictMediation).then(|| {
            let outcome = match rng.weighted(&[0.7, 0.15, 0.1, 0.05]) {
                0 => MediationOutcome::Resolved,
                1 => MediationOutcome::PartlyResolved,
                2 => MediationOutcome::Unresolved,
                _ => MediationOutcome::Referred,
            };
            MediationDraft {
                // Stored masked, as the domain masks what a member types.
                parties: masked_parties(&format!("{}、{}", person(names, rng), person(names, rng)))
                    .unwrap_or_default(),
                issue: rng.pick(&ISSUES).to_string(),
                outcome,
                mediated_on: day,
                follow_up_on: outcome
                    .needs_follow_up()
                    .then(|| day.add_days(rng.int(3, 14))),
            }
        });
        let referred = mediation
            .as_ref()
            .is_some_and(|m| m.outcome == MediationOutcome::Referred);
        let index = p.visits.len();
        p.visits.push(SeedVisit {
            visitor: who.account,
            visit: NewVisit {
                household_id: household,
                grid: g.code,
                visitor_id: 0,
                visitor_name: who.name.to_string(),
                visit: VisitDraft {
                    purpose,
                    visited_on: day,
                    notes: rng.pick(notes).to_string(),
                },
                photo: None,
                mediation,
            },
            at,
        });
        let raise = referred
            || (purpose == VisitPurpose::ProblemSolving && rng.chance(0.5))
            || rng.chance(0.03);
        if raise_here && raise {
            p.cases.push(PlannedCase {
                visit: index,
                category,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(s: &str) -> GridCode {
        GridCode::parse(s).unwrap()
    }

    fn grids() -> Vec<PlanGrid> {
        let mut next = 0i64;
        [
            "320508001001001",
            "320508001001002",
            "320508001001003",
            "320508001002001",
        ]
        .iter()
        .map(|c| {
            let households = (0..40).map(|_| {
                next += 1;
                next
            });
            PlanGrid {
                code: grid(c),
                name: format!("网格{c}"),
                households: households.collect(),
            }
        })
        .collect()
    }

    #[test]
    fn every_grid_has_its_roles_and_members_serve_within_the_bounds() {
        let today = Date::new(2026, 11, 30).unwrap();
        let members = BTreeMap::from([(grid("320508001002001"), vec![(7, "党员甲".to_string())])]);
        let p = plan(&grids(), &members, grid("320508001001001"), today, 1);
        assert_eq!(p.accounts[0].0, DEMO_RED_MEMBER);
        assert_eq!(p.accounts[0].2, grid("320508001001001"));
        for g in grids() {
            let kinds: Vec<_> = p
                .roles
                .iter()
                .filter(|r| r.grid == g.code)
                .map(|r| r.kind)
                .collect();
            assert!(
                kinds.contains(&GridRoleKind::Leader) && kinds.contains(&GridRoleKind::Instructor)
            );
            assert!(kinds.contains(&GridRoleKind::RedMember), "{}", g.code);
        }
        let s = LinkSettings::default();
        let mut per_role: BTreeMap<usize, u32> = BTreeMap::new();
        for l in &p.links {
            *per_role.entry(l.role).or_default() += 1;
        }
        assert!(per_role.values().all(|n| *n <= s.max), "{per_role:?}");
        let below = per_role.values().filter(|n| **n < s.min).count();
        assert_eq!(
            below, 1,
            "the demo grid's one member serving too few: {per_role:?}"
        );
        // The demo grid is served whole, the community's gap grid is not.
        let linked = |code: &str| {
            p.links
                .iter()
                .filter(|l| p.roles[l.role].grid == grid(code))
                .count()
        };
        assert_eq!(linked("320508001001001"), 40);
        assert!(linked("320508001001003") < 40);
        // A household has one member; a party member living there holds the leader's role.
        let mut households: Vec<i64> = p.links.iter().map(|l| l.household_id).collect();
        households.sort();
        households.dedup();
        assert_eq!(households.len(), p.links.len());
        assert!(p.roles.iter().any(|r| r.member_id == Some(7)));
        // Weeks of visits, mediations among them, some raising cases; all within the rules.
        assert!(p.visits.len() > 100);
        assert!(p.visits.iter().any(|v| v.visit.mediation.is_some()));
        assert!(!p.cases.is_empty());
        for v in &p.visits {
            v.visit.visit.clone().checked(today).unwrap();
            if let Some(m) = &v.visit.mediation {
                m.clone().checked(today).unwrap();
            }
        }
        let again = plan(&grids(), &members, grid("320508001001001"), today, 1);
        assert_eq!(again.visits.len(), p.visits.len(), "deterministic");
    }
}
