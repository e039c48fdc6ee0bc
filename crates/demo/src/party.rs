//! The demo city's party organisation, planned from the generated city: its compounds (小区)
//! with their buildings, a party committee (or general branch) per community, a branch per
//! grid, a branch per compound where three or more full members live and the compound has
//! set one up, party groups inside the larger grid branches, an interest group per street,
//! units in the area (驻区单位, 两新组织) with and without an organisation, and the members —
//! drawn from the residents whose political status says 党员, part of them only (the rest are
//! still to be found: 双找) — some probationary, some in service with a workplace and a
//! check-in at their residential community, some moved to their compound's new branch, a few
//! gone.
//!
//! Plain data with indices between its lists: the CLI writes it through the store's party
//! transaction, parents before children. Same city, seed and day → the same plan.

use std::collections::{BTreeMap, HashMap};

use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::{AreaCode, AreaLevel, GridCode};
use gongzhi_domain::party::find::Registration;
use gongzhi_domain::party::{
    Compound, MemberStatus, OrgKind, OrgLevel, PartyMember, PartyOrg, Unit, UnitKind,
};
use gongzhi_domain::population::PoliticalStatus;

use crate::DemoCity;
use crate::places::{COMPOUND_STEMS, DEPARTMENTS};
use crate::rng::Rng;

/// A compound with the codes of its buildings and the grid of its first building.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedCompound {
    pub compound: Compound,
    pub buildings: Vec<String>,
    pub grid: GridCode,
}

/// An organisation; `org.parent` and `org.compound` are left `None`: `parent` and `compound`
/// are indices into the plan's lists.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedOrg {
    pub org: PartyOrg,
    pub parent: Option<usize>,
    pub compound: Option<usize>,
}

/// A unit in the area; `org` indexes the plan's organisations.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedUnit {
    pub unit: Unit,
    pub org: Option<usize>,
}

/// A member drawn from `city.residents[resident]`; `member.org`, `resident` and `household`
/// are left `None`: `org` indexes the plan's organisations (the first one: a member moved
/// later is in `transfers`).
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedMember {
    pub resident: usize,
    pub household_code: String,
    pub member: PartyMember,
    pub org: usize,
    /// 在职党员到社区报到: (work unit, department code, registered on).
    pub checkin: Option<(String, Option<String>, Date)>,
    /// Left the community on this day.
    pub left_on: Option<Date>,
}

/// A move of `members[member]` to `orgs[to]`.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedTransfer {
    pub member: usize,
    pub to: usize,
    pub on: Date,
    pub reason: String,
}

/// 找组织: a member's registration with their community; `resident` indexes `city.residents`
/// (a party resident not yet on record; `None`: someone not in the population base), and
/// `confirm_in` the organisation the community places them in once confirmed (`None`: still
/// pending).
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedRegistration {
    pub registration: Registration,
    pub resident: Option<usize>,
    pub household_code: Option<String>,
    pub confirm_in: Option<usize>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PartyPlan {
    pub compounds: Vec<PlannedCompound>,
    pub orgs: Vec<PlannedOrg>,
    pub units: Vec<PlannedUnit>,
    pub members: Vec<PlannedMember>,
    pub transfers: Vec<PlannedTransfer>,
    pub registrations: Vec<PlannedRegistration>,
}

const PROPERTY_COMPANIES: [&str; 8] = [
    "苏州姑苏物业管理有限公司",
    "苏州金阊物业服务有限公司",
    "苏州平江物业管理有限公司",
    "苏州沧浪物业服务有限公司",
    "苏州园区物业管理有限公司",
    "苏州吴门物业服务有限公司",
    "苏州嘉业物业管理有限公司",
    "苏州锦华物业服务有限公司",
];

const INDUSTRIES: [&str; 10] = [
    "科技",
    "电子商务",
    "文化传媒",
    "餐饮管理",
    "物流",
    "建筑装饰",
    "信息技术",
    "丝绸",
    "医药",
    "旅游",
];

const SOCIAL_ORGS: [&str; 5] = [
    "社会工作服务社",
    "志愿者协会",
    "养老服务中心",
    "青少年发展服务中心",
    "社区文化促进会",
];

const INTEREST_GROUPS: [&str; 4] = [
    "书画兴趣党小组",
    "银发志愿兴趣党小组",
    "楼道治理兴趣党小组",
    "文体活动兴趣党小组",
];

const GROUP_ORDINALS: [&str; 3] = ["第一", "第二", "第三"];

/// A compound's name from its building's (`彩香新村3幢` → `彩香新村`).
fn compound_of_building(name: &str) -> &str {
    name.strip_suffix('幢')
        .map(|s| s.trim_end_matches(|c: char| c.is_ascii_digit()))
        .unwrap_or(name)
}

fn date(y: i32, m: u8, d: u8) -> Date {
    Date::new(y, m, d).unwrap_or_else(|| panic!("demo date {y}-{m}-{d}"))
}

/// A day drawn between `from` and `to` (inclusive).
fn day_between(rng: &mut Rng, from: Date, to: Date) -> Date {
    if to <= from {
        return from;
    }
    from.add_days(rng.int(0, to.days() - from.days()))
}

/// The organisation's name for a level (党委, 党总支, 党支部).
fn level_suffix(level: OrgLevel) -> &'static str {
    match level {
        OrgLevel::Committee => "党委",
        OrgLevel::GeneralBranch => "党总支",
        OrgLevel::Branch => "党支部",
        OrgLevel::Group => "党小组",
    }
}

/// Plans the party organisation of `city` as of `today`.
pub fn plan_party(city: &DemoCity, seed: u64, today: Date) -> PartyPlan {
    let mut rng = Rng::stream(seed, 7);
    let mut plan = PartyPlan::default();
    let names: HashMap<AreaCode, &str> = city
        .areas
        .iter()
        .map(|a| (a.code, a.name.as_str()))
        .collect();

    // Compounds, in building order, numbered within their community.
    let mut compound_index: HashMap<(AreaCode, String), usize> = HashMap::new();
    let mut building_compound: HashMap<&str, usize> = HashMap::new();
    let mut sums: Vec<(f64, f64, f64)> = Vec::new();
    let mut per_community: HashMap<AreaCode, usize> = HashMap::new();
    for b in &city.buildings {
        let community = b.grid.community();
        let name = compound_of_building(&b.name).to_string();
        let idx = *compound_index
            .entry((community, name.clone()))
            .or_insert_with(|| {
                let seq = per_community.entry(community).or_default();
                *seq += 1;
                let address = b
                    .address
                    .strip_suffix(b.name.as_str())
                    .map(|a| format!("{a}{name}"))
                    .unwrap_or_else(|| b.address.clone());
                let property_company = rng
                    .chance(0.7)
                    .then(|| rng.pick(&PROPERTY_COMPANIES).to_string());
                plan.compounds.push(PlannedCompound {
                    compound: Compound {
                        code: format!("{community}-X{seq:02}"),
                        name: name.clone(),
                        community,
                        address,
                        lon: None,
                        lat: None,
                        property_company,
                    },
                    buildings: Vec::new(),
                    grid: b.grid,
                });
                sums.push((0.0, 0.0, 0.0));
                plan.compounds.len() - 1
            });
        plan.compounds[idx].buildings.push(b.code.clone());
        let s = &mut sums[idx];
        *s = (s.0 + b.lon, s.1 + b.lat, s.2 + 1.0);
        building_compound.insert(b.code.as_str(), idx);
    }
    for (c, (x, y, n)) in plan.compounds.iter_mut().zip(&sums) {
        c.compound.lon = Some((x / n * 1e6).round() / 1e6);
        c.compound.lat = Some((y / n * 1e6).round() / 1e6);
    }
    let household_building: HashMap<&str, &str> = city
        .households
        .iter()
        .map(|h| (h.code.as_str(), h.building_code.as_str()))
        .collect();

    // Who is on record: each community has found a share of its members (双找 finds the rest).
    let mut share: BTreeMap<AreaCode, f64> = BTreeMap::new();
    struct Found {
        resident: usize,
        compound: usize,
        grid: GridCode,
        full: bool,
        birth: Date,
    }
    let mut found: Vec<Found> = Vec::new();
    let mut unfound: Vec<(usize, usize, GridCode, bool)> = Vec::new();
    for (i, r) in city.residents.iter().enumerate() {
        let full = match r.political_status {
            PoliticalStatus::PartyMember => true,
            PoliticalStatus::ProbationaryPartyMember => false,
            _ => continue,
        };
        let Some(building) = household_building.get(r.household_code.as_str()) else {
            continue;
        };
        let compound = building_compound[building];
        let grid = plan.compounds[compound].grid;
        let community = grid.community();
        let s = *share
            .entry(community)
            .or_insert_with(|| rng.range_f64(0.45, 0.85));
        if !rng.chance(s) {
            unfound.push((i, compound, grid, full));
            continue;
        }
        let (y, m, d) = r.id_number.birth_date();
        found.push(Found {
            resident: i,
            compound,
            grid,
            full,
            birth: date(y, m, d),
        });
    }

    // A committee (or general branch) per community, sized by the members living there.
    let mut community_org: BTreeMap<AreaCode, usize> = BTreeMap::new();
    let mut living: BTreeMap<AreaCode, i64> = BTreeMap::new();
    for f in &found {
        *living.entry(f.grid.community()).or_default() += 1;
    }
    for a in city
        .areas
        .iter()
        .filter(|a| a.code.level() == AreaLevel::Community)
    {
        let members = living.get(&a.code).copied().unwrap_or(0);
        let level = if members >= 100 {
            OrgLevel::Committee
        } else {
            OrgLevel::GeneralBranch
        };
        plan.orgs.push(PlannedOrg {
            org: PartyOrg {
                name: format!("{}{}", a.name, level_suffix(level)),
                level,
                kind: OrgKind::Community,
                parent: None,
                area: a.code,
                grid: None,
                compound: None,
                has_committee: true,
                founded_on: day_between(&mut rng, date(1998, 1, 1), date(2012, 12, 31)),
                dissolved_on: None,
            },
            parent: None,
            compound: None,
        });
        community_org.insert(a.code, plan.orgs.len() - 1);
    }

    // A branch per grid.
    let mut grid_org: HashMap<GridCode, usize> = HashMap::new();
    for g in &city.grids {
        let Some(&parent) = community_org.get(&g.code.community()) else {
            continue;
        };
        plan.orgs.push(PlannedOrg {
            org: PartyOrg {
                name: format!("{}党支部", g.name),
                level: OrgLevel::Branch,
                kind: OrgKind::Grid,
                parent: None,
                area: g.code.community(),
                grid: Some(g.code),
                compound: None,
                has_committee: false,
                founded_on: day_between(&mut rng, date(2016, 3, 1), date(2021, 6, 30)),
                dissolved_on: None,
            },
            parent: Some(parent),
            compound: None,
        });
        grid_org.insert(g.code, plan.orgs.len() - 1);
    }

    // A branch per compound where three or more full members live and one was set up; a
    // recent one took its members over from the grid branches (transfers on its founding).
    let mut full_in: HashMap<usize, i64> = HashMap::new();
    for f in found.iter().filter(|f| f.full) {
        *full_in.entry(f.compound).or_default() += 1;
    }
    let recent = today.add_days(-700);
    let mut compound_org: HashMap<usize, usize> = HashMap::new();
    for (ci, c) in plan.compounds.iter().enumerate() {
        if full_in.get(&ci).copied().unwrap_or(0) < 3 || !rng.chance(0.55) {
            continue;
        }
        let Some(&parent) = community_org.get(&c.compound.community) else {
            continue;
        };
        plan.orgs.push(PlannedOrg {
            org: PartyOrg {
                name: format!("{}党支部", c.compound.name),
                level: OrgLevel::Branch,
                kind: OrgKind::Compound,
                parent: None,
                area: c.compound.community,
                grid: Some(c.grid),
                compound: None,
                has_committee: false,
                founded_on: day_between(&mut rng, date(2019, 1, 1), today.add_days(-60)),
                dissolved_on: None,
            },
            parent: Some(parent),
            compound: Some(ci),
        });
        compound_org.insert(ci, plan.orgs.len() - 1);
    }

    // Units in the area, about three in five with an organisation of their own.
    let mut unit_orgs_by_street: BTreeMap<AreaCode, Vec<(usize, String)>> = BTreeMap::new();
    for (&community, &parent) in &community_org {
        let grids: Vec<GridCode> = city
            .grids
            .iter()
            .filter(|g| g.code.community() == community)
            .map(|g| g.code)
            .collect();
        let community_name = names.get(&community).copied().unwrap_or("社区");
        for _ in 0..rng.int(2, 5) {
            let kind = [
                UnitKind::Enterprise,
                UnitKind::SocialOrganisation,
                UnitKind::StateEnterprise,
                UnitKind::Institution,
                UnitKind::Organ,
            ][rng.weighted(&[0.5, 0.25, 0.1, 0.1, 0.05])];
            let stem = rng.pick(&COMPOUND_STEMS);
            let name = match kind {
                UnitKind::Enterprise => {
                    format!("苏州{stem}{}有限公司", rng.pick(&INDUSTRIES))
                }
                UnitKind::SocialOrganisation => {
                    format!("姑苏区{community_name}{}", rng.pick(&SOCIAL_ORGS))
                }
                UnitKind::StateEnterprise => format!("苏州{stem}城市建设投资有限公司"),
                UnitKind::Institution => format!("姑苏区{stem}实验小学"),
                UnitKind::Organ => format!("姑苏区{stem}街道市场监管所"),
            };
            let grid = grids
                .get(rng.below(grids.len().max(1) as u64) as usize)
                .copied();
            let employees = match kind {
                UnitKind::SocialOrganisation => rng.int(3, 30),
                UnitKind::Enterprise => rng.int(8, 400),
                _ => rng.int(20, 200),
            };
            let covered = rng.chance(if kind.is_two_new() { 0.55 } else { 0.9 });
            let org = covered.then(|| {
                plan.orgs.push(PlannedOrg {
                    org: PartyOrg {
                        name: format!("{name}党支部"),
                        level: OrgLevel::Branch,
                        kind: if kind.is_two_new() {
                            OrgKind::Enterprise
                        } else {
                            OrgKind::Organ
                        },
                        parent: None,
                        area: community,
                        grid,
                        compound: None,
                        has_committee: false,
                        founded_on: day_between(&mut rng, date(2008, 1, 1), date(2023, 12, 31)),
                        dissolved_on: None,
                    },
                    parent: Some(parent),
                    compound: None,
                });
                let idx = plan.orgs.len() - 1;
                if let Some(street) = community.parent() {
                    unit_orgs_by_street
                        .entry(street)
                        .or_default()
                        .push((idx, name.clone()));
                }
                idx
            });
            let address = grid
                .and_then(|g| {
                    city.buildings.iter().find(|b| b.grid == g).map(|b| {
                        b.address
                            .strip_suffix(b.name.as_str())
                            .unwrap_or(&b.address)
                            .to_string()
                    })
                })
                .unwrap_or_else(|| format!("苏州市姑苏区{community_name}"));
            plan.units.push(PlannedUnit {
                unit: Unit {
                    name,
                    kind,
                    community,
                    grid,
                    address,
                    employees,
                    org: None,
                },
                org,
            });
        }
    }

    // The members: in their compound's branch, else their grid's; some in service at a unit
    // of their street (and a member of its organisation) or at a department.
    let mut members_of: HashMap<usize, Vec<usize>> = HashMap::new();
    for f in &found {
        let r = &city.residents[f.resident];
        let (status, joined_on, full_on) = if f.full {
            let earliest = f.birth.add_days(18 * 366);
            let latest = today.add_days(-400);
            let joined = day_between(&mut rng, earliest.min(latest), latest);
            (MemberStatus::Full, joined, Some(joined.add_days(365)))
        } else {
            (
                MemberStatus::Probationary,
                today.add_days(-rng.int(30, 350)),
                None,
            )
        };
        let age = today.year() - f.birth.year();
        let street = f.grid.community().parent();
        let mut org = compound_org
            .get(&f.compound)
            .or_else(|| grid_org.get(&f.grid))
            .copied()
            .expect("every grid has a branch");
        let mut workplace = None;
        let mut checkin = None;
        if (23..=58).contains(&age) && rng.chance(0.3) {
            let unit_orgs = street.and_then(|s| unit_orgs_by_street.get(&s));
            match unit_orgs {
                Some(list) if !list.is_empty() && rng.chance(0.35) => {
                    let (unit_org, unit_name) = &list[rng.below(list.len() as u64) as usize];
                    org = *unit_org;
                    workplace = Some(unit_name.clone());
                    checkin = Some((
                        unit_name.clone(),
                        None,
                        day_between(&mut rng, joined_on, today),
                    ));
                }
                _ => {
                    let (code, name) = rng.pick(&DEPARTMENTS);
                    workplace = Some(name.to_string());
                    checkin = rng.chance(0.6).then(|| {
                        (
                            name.to_string(),
                            Some(code.to_string()),
                            day_between(&mut rng, joined_on.max(today.add_days(-720)), today),
                        )
                    });
                }
            }
        }
        let left_on = rng
            .chance(0.01)
            .then(|| day_between(&mut rng, joined_on.max(today.add_days(-300)), today));
        plan.members.push(PlannedMember {
            resident: f.resident,
            household_code: r.household_code.clone(),
            member: PartyMember {
                name: r.name.clone(),
                gender: if r.id_number.is_male() { "男" } else { "女" }.into(),
                birth_date: Some(f.birth),
                status,
                joined_on,
                full_on,
                org: None,
                resident: None,
                household: None,
                community: f.grid.community(),
                workplace,
                phone: r.phone.clone(),
                left_on: None,
            },
            org,
            checkin,
            left_on,
        });
        members_of
            .entry(org)
            .or_default()
            .push(plan.members.len() - 1);
    }

    // A recent compound branch took its members over from their grid branch on its founding.
    for (&ci, &oi) in &compound_org {
        let founded = plan.orgs[oi].org.founded_on;
        if founded < recent {
            continue;
        }
        let grid = plan.compounds[ci].grid;
        let Some(&from) = grid_org.get(&grid) else {
            continue;
        };
        for &mi in members_of.get(&oi).map(Vec::as_slice).unwrap_or(&[]) {
            let m = &mut plan.members[mi];
            if m.member.joined_on >= founded || m.left_on.is_some() {
                continue;
            }
            m.org = from;
            plan.transfers.push(PlannedTransfer {
                member: mi,
                to: oi,
                on: founded,
                reason: "小区党支部成立，组织关系转入".into(),
            });
        }
    }
    plan.transfers.sort_by_key(|t| (t.on, t.member));

    // Party groups inside the larger grid branches; an interest group per street.
    let mut grid_orgs: Vec<(GridCode, usize)> = grid_org.iter().map(|(g, o)| (*g, *o)).collect();
    grid_orgs.sort();
    let own_of = |plan: &PartyPlan, oi: usize| -> Vec<usize> {
        members_of
            .get(&oi)
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|&mi| plan.members[mi].org == oi)
                    .collect()
            })
            .unwrap_or_default()
    };
    // Each community's largest grid branch has its groups, and about half the other large ones.
    let mut largest: BTreeMap<AreaCode, (usize, usize)> = BTreeMap::new();
    for &(grid, oi) in &grid_orgs {
        let n = own_of(&plan, oi).len();
        let e = largest.entry(grid.community()).or_insert((oi, n));
        if n > e.1 {
            *e = (oi, n);
        }
    }
    for (grid, oi) in grid_orgs {
        let own = own_of(&plan, oi);
        let is_largest = largest.get(&grid.community()).is_some_and(|l| l.0 == oi);
        if own.len() >= 4 && (is_largest || (own.len() >= 10 && rng.chance(0.5))) {
            let groups = if own.len() >= 16 { 2 } else { 1 };
            for (gi, ordinal) in GROUP_ORDINALS.iter().take(groups).enumerate() {
                plan.orgs.push(PlannedOrg {
                    org: PartyOrg {
                        name: format!("{}{ordinal}党小组", plan.orgs[oi].org.name),
                        level: OrgLevel::Group,
                        kind: OrgKind::Grid,
                        parent: None,
                        area: grid.community(),
                        grid: Some(grid),
                        compound: None,
                        has_committee: false,
                        founded_on: plan.orgs[oi].org.founded_on,
                        dissolved_on: None,
                    },
                    parent: Some(oi),
                    compound: None,
                });
                let group = plan.orgs.len() - 1;
                for &mi in own.iter().skip(gi).step_by(groups + 1) {
                    plan.members[mi].org = group;
                }
            }
        }
    }
    interest_groups(&mut plan, &mut rng, today);
    registrations(&mut plan, city, &unfound, &grid_org, &mut rng, today);
    set_committees(&mut plan, &mut rng);
    plan
}

const PRIOR_ORGS: [&str; 6] = [
    "苏州工业园区某科技公司党支部",
    "吴中区某街道社区党委",
    "南京市某高校机关党委",
    "无锡市某企业党总支",
    "安徽省某县某镇党委",
    "上海市某区某社区党总支",
];

/// 找组织: about three registrations a street — members who came to live here and register
/// with their community: most still pending, some already confirmed into their grid's branch,
/// one a street from someone the population base does not hold yet.
fn registrations(
    plan: &mut PartyPlan,
    city: &DemoCity,
    unfound: &[(usize, usize, GridCode, bool)],
    grid_org: &HashMap<GridCode, usize>,
    rng: &mut Rng,
    today: Date,
) {
    let mut per_street: BTreeMap<AreaCode, usize> = BTreeMap::new();
    for &(ri, ci, grid, full) in unfound {
        let Some(street) = grid.community().parent() else {
            continue;
        };
        let n = per_street.entry(street).or_default();
        if *n >= 3 || !rng.chance(0.2) {
            continue;
        }
        *n += 1;
        let r = &city.residents[ri];
        let (y, m, d) = r.id_number.birth_date();
        let birth = date(y, m, d);
        let joined = day_between(
            rng,
            birth.add_days(20 * 366).min(today.add_days(-400)),
            today.add_days(-400),
        );
        let compound = &plan.compounds[ci].compound;
        let room = r.household_code.rsplit('-').next().unwrap_or("");
        plan.registrations.push(PlannedRegistration {
            registration: Registration {
                name: r.name.clone(),
                gender: if r.id_number.is_male() { "男" } else { "女" }.into(),
                birth_date: Some(birth),
                phone: r.phone.clone(),
                community: grid.community(),
                address: format!("{}{room}室", compound.name),
                member_status: if full {
                    MemberStatus::Full
                } else {
                    MemberStatus::Probationary
                },
                joined_on: if full {
                    joined
                } else {
                    today.add_days(-rng.int(30, 300))
                },
                prior_org: rng.pick(&PRIOR_ORGS).to_string(),
                workplace: None,
            },
            resident: Some(ri),
            household_code: Some(r.household_code.clone()),
            confirm_in: (*n == 1 && rng.chance(0.5))
                .then(|| grid_org.get(&grid).copied())
                .flatten(),
        });
        if *n == 2 {
            // Someone who lives here but is not in the population base yet.
            plan.registrations.push(PlannedRegistration {
                registration: Registration {
                    name: format!(
                        "{}{}",
                        &r.name.chars().next().map(String::from).unwrap_or_default(),
                        ["新", "来", "安"][rng.below(3) as usize]
                    ),
                    gender: "女".into(),
                    birth_date: Some(date(1990, 5, 12)),
                    phone: None,
                    community: grid.community(),
                    address: format!("{}（租住）", compound.name),
                    member_status: MemberStatus::Full,
                    joined_on: date(2015, 7, 1),
                    prior_org: rng.pick(&PRIOR_ORGS).to_string(),
                    workplace: Some("苏州某互联网公司".into()),
                },
                resident: None,
                household_code: None,
                confirm_in: None,
            });
        }
    }
}

/// An interest group (兴趣型党小组) per street, in the branch with the most members of its
/// own, gathering up to five of them (the older first: retirees run most of them).
fn interest_groups(plan: &mut PartyPlan, rng: &mut Rng, today: Date) {
    let moved: std::collections::HashSet<usize> = plan.transfers.iter().map(|t| t.member).collect();
    let mut own: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (mi, m) in plan.members.iter().enumerate() {
        if m.left_on.is_none() && !moved.contains(&mi) {
            own.entry(m.org).or_default().push(mi);
        }
    }
    let mut best: BTreeMap<AreaCode, (usize, usize)> = BTreeMap::new();
    for (&oi, ms) in &own {
        let o = &plan.orgs[oi].org;
        if o.level != OrgLevel::Branch
            || !matches!(o.kind, OrgKind::Grid | OrgKind::Compound)
            || ms.len() < 3
        {
            continue;
        }
        let Some(street) = o.area.parent() else {
            continue;
        };
        let e = best.entry(street).or_insert((oi, ms.len()));
        if ms.len() > e.1 {
            *e = (oi, ms.len());
        }
    }
    for (n, (oi, _)) in best.into_values().enumerate() {
        let parent = plan.orgs[oi].org.clone();
        plan.orgs.push(PlannedOrg {
            org: PartyOrg {
                name: format!(
                    "{}{}",
                    parent.name.trim_end_matches("党支部"),
                    INTEREST_GROUPS[n % INTEREST_GROUPS.len()]
                ),
                level: OrgLevel::Group,
                kind: OrgKind::Interest,
                parent: None,
                area: parent.area,
                grid: parent.grid,
                compound: None,
                has_committee: false,
                founded_on: today.add_days(-rng.int(60, 500)).max(parent.founded_on),
                dissolved_on: None,
            },
            parent: Some(oi),
            compound: None,
        });
        let group = plan.orgs.len() - 1;
        let mut ms = own[&oi].clone();
        ms.sort_by_key(|&mi| plan.members[mi].member.birth_date);
        for mi in ms.into_iter().take(5) {
            plan.members[mi].org = group;
        }
    }
}

/// A branch of seven or more members (its own and its groups') has set up its committee,
/// mostly: the ones that have not show the rule's warning.
fn set_committees(plan: &mut PartyPlan, rng: &mut Rng) {
    let mut last_org: Vec<usize> = plan.members.iter().map(|m| m.org).collect();
    for t in &plan.transfers {
        last_org[t.member] = t.to;
    }
    let mut count = vec![0usize; plan.orgs.len()];
    for (m, &o) in plan.members.iter().zip(&last_org) {
        if m.left_on.is_some() {
            continue;
        }
        count[o] += 1;
        if let Some(p) = plan.orgs[o]
            .parent
            .filter(|_| plan.orgs[o].org.level == OrgLevel::Group)
        {
            count[p] += 1;
        }
    }
    for (o, n) in plan.orgs.iter_mut().zip(count) {
        if o.org.level == OrgLevel::Branch {
            o.org.has_committee = n >= 7 && rng.chance(0.8);
        }
    }
}
