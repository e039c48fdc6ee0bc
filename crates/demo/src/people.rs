//! Households and their members: composition, ages (a realistic pyramid for an old-town
//! district), names, 身份证号, mobile numbers and political status.

use std::collections::HashSet;

use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::{IdNumber, Phone};
use gongzhi_domain::population::{HouseholdKind, PoliticalStatus, Relation};
use gongzhi_store::records::ResidentRecord;

use crate::names::NamePool;
use crate::rng::Rng;

/// Ages are counted on this date (year, month, day): the demo city is "as of" mid-2025.
pub const REFERENCE_DATE: (i32, u8, u8) = (2025, 7, 1);

/// Counties of 苏州市 other than 姑苏区 (registered residence of some local households).
const SUZHOU_COUNTIES: [&str; 8] = [
    "320505", "320506", "320507", "320509", "320581", "320582", "320583", "320585",
];

/// Home counties of migrant (流动) households: real GB/T 2260 codes of common origins.
const MIGRANT_COUNTIES: [&str; 13] = [
    "321322", "341221", "341222", "413026", "511321", "500235", "430524", "360121", "370102",
    "340104", "321302", "320382", "320981",
];

/// Mobile number prefixes in use in mainland China.
const MOBILE_PREFIXES: [&str; 24] = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "157", "158", "159", "166", "177", "180", "181", "186", "187", "189",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Rel {
    Head,
    Spouse,
    Child,
    Parent,
    Grandchild,
}

impl Rel {
    fn label(self) -> &'static str {
        match self {
            Rel::Head => "户主",
            Rel::Spouse => "配偶",
            Rel::Child => "子女",
            Rel::Parent => "父母",
            Rel::Grandchild => "孙子女",
        }
    }
}

/// Domain values, parsed once from their Chinese labels.
pub(crate) struct Labels {
    relations: [(Rel, Relation); 5],
    masses: PoliticalStatus,
    member: PoliticalStatus,
    probationary: PoliticalStatus,
    league: PoliticalStatus,
    democratic: PoliticalStatus,
    pub registered: HouseholdKind,
    pub migrant: HouseholdKind,
    pub lodger: HouseholdKind,
}

fn parse<T, E: std::fmt::Debug>(label: &str, f: impl Fn(&str) -> Result<T, E>) -> T {
    f(label).unwrap_or_else(|e| panic!("domain label {label:?} does not parse: {e:?}"))
}

impl Labels {
    pub fn new() -> Labels {
        let rel = |r: Rel| (r, parse(r.label(), Relation::parse));
        Labels {
            relations: [
                rel(Rel::Head),
                rel(Rel::Spouse),
                rel(Rel::Child),
                rel(Rel::Parent),
                rel(Rel::Grandchild),
            ],
            masses: parse("群众", PoliticalStatus::parse),
            member: parse("中共党员", PoliticalStatus::parse),
            probationary: parse("中共预备党员", PoliticalStatus::parse),
            league: parse("共青团员", PoliticalStatus::parse),
            democratic: parse("民主党派", PoliticalStatus::parse),
            registered: parse("户籍", HouseholdKind::parse),
            migrant: parse("流动", HouseholdKind::parse),
            lodger: parse("寄住", HouseholdKind::parse),
        }
    }

    fn relation(&self, r: Rel) -> Relation {
        self.relations
            .iter()
            .find(|(k, _)| *k == r)
            .map(|(_, v)| *v)
            .expect("every Rel has a label")
    }
}

struct Member {
    rel: Rel,
    male: bool,
    age: i32,
    surname: &'static str,
    area6: &'static str,
}

/// Draws an age from (lowest, highest, weight) bands, uniform within a band.
fn age_from(rng: &mut Rng, bands: &[(i32, i32, f64)]) -> i32 {
    let weights: Vec<f64> = bands.iter().map(|b| b.2).collect();
    let (lo, hi, _) = bands[rng.weighted(&weights)];
    rng.int(i64::from(lo), i64::from(hi)) as i32
}

/// The generator of residents: keeps every 身份证号 and phone number unique.
pub(crate) struct PeopleGen {
    names: NamePool,
    labels: Labels,
    ids: HashSet<IdNumber>,
    phones: HashSet<String>,
}

fn days_in_month(y: i32, m: u8) -> u8 {
    Date::new(y, m, 1)
        .expect("generated birth months are real months")
        .to_jiff()
        .days_in_month()
        .unsigned_abs()
}

/// Age in completed years on [`REFERENCE_DATE`] of someone born on (y, m, d).
pub fn age_on_reference_date(birth: (i32, u8, u8)) -> i32 {
    let (ry, rm, rd) = REFERENCE_DATE;
    let (y, m, d) = birth;
    ry - y - i32::from((m, d) > (rm, rd))
}

impl PeopleGen {
    pub fn new(expected_residents: usize) -> PeopleGen {
        PeopleGen {
            names: NamePool::new(),
            labels: Labels::new(),
            ids: HashSet::with_capacity(expected_residents),
            phones: HashSet::with_capacity(expected_residents),
        }
    }

    pub fn labels(&self) -> &Labels {
        &self.labels
    }

    /// Members of one household, 户主 first.
    pub fn household(
        &mut self,
        rng: &mut Rng,
        household_code: &str,
        migrant: bool,
    ) -> Vec<ResidentRecord> {
        let area = if migrant {
            *rng.pick(&MIGRANT_COUNTIES)
        } else if rng.chance(0.8) {
            "320508"
        } else {
            *rng.pick(&SUZHOU_COUNTIES)
        };
        let members = self.compose(rng, area);
        members
            .into_iter()
            .map(|m| self.resident(rng, m, household_code))
            .collect()
    }

    fn compose(&self, rng: &mut Rng, area: &'static str) -> Vec<Member> {
        let size = 2 + rng.weighted(&[0.40, 0.38, 0.22]);
        let head_male = rng.chance(0.72);
        let mut head = Member {
            rel: Rel::Head,
            male: head_male,
            age: 0,
            surname: self.names.surname(rng),
            area6: area,
        };
        let other_area = |rng: &mut Rng| {
            if rng.chance(0.7) {
                area
            } else {
                *rng.pick(&SUZHOU_COUNTIES)
            }
        };
        let spouse = |rng: &mut Rng, head: &Member| Member {
            rel: Rel::Spouse,
            male: !head.male,
            age: (head.age + rng.int(-3, 4) as i32 * if head.male { -1 } else { 1 }).max(20),
            surname: self.names.surname(rng),
            area6: other_area(rng),
        };
        let father_surname = |head: &Member, spouse: Option<&Member>| match spouse {
            Some(s) if s.male => s.surname,
            _ => head.surname,
        };
        let child = |rng: &mut Rng, parent_age: i32, surname: &'static str, gap: (i64, i64)| {
            let mut age = parent_age - rng.int(gap.0, gap.1) as i32;
            if age < 0 {
                age = rng.int(0, 3) as i32;
            }
            Member {
                rel: Rel::Child,
                male: rng.chance(0.51),
                age,
                surname,
                area6: area,
            }
        };
        let parent = |rng: &mut Rng, head: &Member| {
            let male = rng.chance(0.45);
            Member {
                rel: Rel::Parent,
                male,
                age: (head.age + rng.int(22, 32) as i32).min(99),
                surname: if male {
                    head.surname
                } else {
                    self.names.surname(rng)
                },
                area6: area,
            }
        };

        let mut out = Vec::with_capacity(size);
        match size {
            2 => match rng.weighted(&[0.62, 0.20, 0.18]) {
                0 => {
                    head.age = age_from(
                        rng,
                        &[
                            (22, 34, 20.0),
                            (35, 54, 25.0),
                            (55, 69, 35.0),
                            (70, 90, 20.0),
                        ],
                    );
                    let s = spouse(rng, &head);
                    out.push(head);
                    out.push(s);
                }
                1 => {
                    head.age = age_from(rng, &[(28, 40, 25.0), (41, 55, 40.0), (56, 78, 35.0)]);
                    let c = child(rng, head.age, head.surname, (22, 34));
                    out.push(head);
                    out.push(c);
                }
                _ => {
                    head.age = age_from(rng, &[(24, 45, 60.0), (46, 62, 40.0)]);
                    let p = parent(rng, &head);
                    out.push(head);
                    out.push(p);
                }
            },
            3 => {
                if rng.chance(0.72) {
                    head.age = age_from(rng, &[(26, 35, 25.0), (36, 45, 35.0), (46, 60, 40.0)]);
                    let s = spouse(rng, &head);
                    let c = child(rng, head.age, father_surname(&head, Some(&s)), (23, 33));
                    out.extend([head, s, c]);
                } else {
                    head.age = age_from(rng, &[(30, 42, 40.0), (43, 60, 60.0)]);
                    let s = spouse(rng, &head);
                    let p = parent(rng, &head);
                    out.extend([head, s, p]);
                }
            }
            _ => match rng.weighted(&[0.40, 0.32, 0.28]) {
                0 => {
                    head.age = age_from(rng, &[(30, 38, 45.0), (39, 50, 55.0)]);
                    let s = spouse(rng, &head);
                    let surname = father_surname(&head, Some(&s));
                    let c1 = child(rng, head.age, surname, (23, 32));
                    let c2 = child(rng, c1.age, surname, (1, 8));
                    out.extend([head, s, c1, c2]);
                }
                1 => {
                    head.age = age_from(rng, &[(28, 38, 50.0), (39, 50, 50.0)]);
                    let s = spouse(rng, &head);
                    let c = child(rng, head.age, father_surname(&head, Some(&s)), (23, 32));
                    let p = parent(rng, &head);
                    out.extend([head, s, c, p]);
                }
                _ => {
                    head.age = age_from(rng, &[(55, 68, 70.0), (69, 80, 30.0)]);
                    let s = spouse(rng, &head);
                    let c = child(rng, head.age, father_surname(&head, Some(&s)), (24, 32));
                    let grandchild_surname = if c.male {
                        c.surname
                    } else {
                        self.names.surname(rng)
                    };
                    let mut g = child(rng, c.age, grandchild_surname, (24, 32));
                    g.rel = Rel::Grandchild;
                    out.extend([head, s, c, g]);
                }
            },
        }
        out
    }

    fn resident(&mut self, rng: &mut Rng, m: Member, household_code: &str) -> ResidentRecord {
        let month = rng.int(1, 12) as u8;
        let (rm, rd) = (REFERENCE_DATE.1, REFERENCE_DATE.2);
        // Pick the day first within a provisional year, then fix the year so the age holds.
        let provisional_year = REFERENCE_DATE.0 - m.age;
        let day = rng.int(1, i64::from(days_in_month(provisional_year, month))) as u8;
        let year = REFERENCE_DATE.0 - m.age - i32::from((month, day) > (rm, rd));
        let day = day.min(days_in_month(year, month));
        let id_number = self.unique_id(rng, m.area6, year, month, day, m.male);

        let given = self.names.given(rng, m.male, year);
        let name = format!("{}{given}", m.surname);

        let phone = if m.age >= 12 && rng.chance(if m.age >= 80 { 0.6 } else { 0.95 }) {
            Some(self.unique_phone(rng))
        } else {
            None
        };

        let l = &self.labels;
        let political_status = if m.age >= 18 && rng.chance(0.086) {
            l.member
        } else if (18..=40).contains(&m.age) && rng.chance(0.005) {
            l.probationary
        } else if (14..=28).contains(&m.age) && rng.chance(0.35) {
            l.league
        } else if m.age >= 30 && rng.chance(0.002) {
            l.democratic
        } else {
            l.masses
        };

        ResidentRecord {
            id_number,
            name,
            phone,
            household_code: household_code.to_string(),
            relation: self.labels.relation(m.rel),
            political_status,
        }
    }

    fn unique_id(
        &mut self,
        rng: &mut Rng,
        area6: &str,
        y: i32,
        m: u8,
        d: u8,
        male: bool,
    ) -> IdNumber {
        // Sequence: odd for men, even for women (GB 11643).
        let mut seq = rng.below(500) as u16 * 2 + u16::from(male);
        for _ in 0..500 {
            let id = IdNumber::from_parts(area6, y, m, d, seq);
            if self.ids.insert(id) {
                return id;
            }
            seq = (seq + 2) % 1000;
        }
        panic!("more than 500 people of one sex born on {y}-{m}-{d} in {area6}");
    }

    fn unique_phone(&mut self, rng: &mut Rng) -> Phone {
        loop {
            let number = format!(
                "{}{:08}",
                rng.pick(&MOBILE_PREFIXES),
                rng.below(100_000_000)
            );
            if self.phones.insert(number.clone()) {
                return Phone::parse(&number)
                    .unwrap_or_else(|e| panic!("generated phone {number}: {e}"));
            }
        }
    }
}
