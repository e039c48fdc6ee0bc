//! A year of cases for the demo city: how many are reported each day (seasons, weekdays,
//! Spring Festival), and each case's life — reported through a channel, registered and
//! dispatched by the rules, started, reported back on time or late, verified (sometimes
//! reworked), closed and rated — every step decided by the domain exactly as the workflow
//! decides it, the deadline job's warnings and overdue marks included.
//!
//! Besides the main road, the sides every city sees: hotline repeats cancelled, dispatches
//! returned, deferrals (缓办), escalations (升级) and whistles (吹哨报到) — see `year_sides.rs`.
//! A window shorter than a year (`Year::window`) makes the living demo's last 90 days.
//!
//! Deterministic: a case's life depends only on the seed and its id.

use gongzhi_domain::access::{Principal, Role, Scope};
use gongzhi_domain::calendar::{DAY_MS, Date, Duration, HOUR_MS, date_of, start_of};
use gongzhi_domain::case::{
    self, Actor, Case, Channel, Command, DeadlineClass, DispatchRule, Event, LoopConfig, NewCase,
    Satisfaction, suggest_department,
};
use gongzhi_domain::codes::{AreaCode, GridCode, Phone};
use gongzhi_store::{CaseDetails, CaseHistory, EventActor};

use crate::rng::Rng;

/// A category cases can be reported in.
#[derive(Clone, Debug)]
pub struct YearCategory {
    pub code: String,
    pub name: String,
    pub deadline_class: DeadlineClass,
    pub default_department: Option<String>,
}

/// A place cases are reported at: a point inside a grid and its address.
#[derive(Clone, Debug)]
pub struct YearPlace {
    pub grid: GridCode,
    pub lon: f64,
    pub lat: f64,
    pub address: String,
}

/// Everything a year of cases is drawn from.
pub struct Year {
    pub cfg: LoopConfig,
    pub categories: Vec<YearCategory>,
    pub rules: Vec<DispatchRule>,
    pub departments: std::collections::HashSet<String>,
    pub places: Vec<YearPlace>,
    /// The first day of the year of cases.
    pub first_day: Date,
    /// Nothing happens at or after this instant: later steps are still to come.
    pub horizon: i64,
    pub seed: u64,
    /// Days the cases are spread over, from `first_day` (365 unless [`Year::window`]).
    pub days: u32,
    /// The departments in code order, for drawing whom a whistle summons.
    pub(crate) department_list: Vec<String>,
    /// Department names by code, for the summons (users see names, never codes).
    pub(crate) department_names: std::collections::HashMap<String, String>,
    /// A resident account that files one web report in [`OWN_REPORT_EVERY`] as itself.
    pub(crate) resident: Option<i64>,
    category_weights: Vec<f64>,
    /// Planted cases (diagnosis): their category and place instead of the drawn ones.
    pub(crate) planted: std::collections::HashMap<i64, crate::plants::Override>,
}

/// The cases reported on one day: their ids are `first_id..first_id + count`.
#[derive(Clone, Copy, Debug)]
pub struct DayPlan {
    pub day: Date,
    pub first_id: i64,
    pub count: u32,
}

const CHANNELS: [(Channel, f64); 5] = [
    (Channel::Hotline, 0.45),
    (Channel::ResidentWeb, 0.25),
    (Channel::GridPatrol, 0.22),
    (Channel::Open311, 0.05),
    (Channel::Video, 0.03),
];

/// One web report in this many (by id) is filed by the demo resident's own account.
pub const OWN_REPORT_EVERY: i64 = 40;

/// Relative report volume per month (January first): summer storms and heat, the Spring
/// Festival lull.
const MONTH_FACTORS: [f64; 12] = [
    0.80, 0.70, 0.95, 1.00, 1.05, 1.20, 1.35, 1.30, 1.10, 0.95, 0.90, 0.85,
];

/// What residents add after the category's name (the search bench reuses them).
pub const DESCRIPTIONS: [&str; 8] = [
    "现场情况如照片所示，影响居民出行，请尽快处理。",
    "已持续数日，多位居民反映，希望相关部门尽快处理。",
    "夜间尤为明显，影响附近居民休息。",
    "存在安全隐患，老人和孩子经过时很危险。",
    "之前反映过一次，目前仍未解决。",
    "位置在小区门口东侧约二十米处。",
    "雨后情况更加严重，请派人查看。",
    "希望处理后能回复处理结果。",
];

impl Year {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        cfg: LoopConfig,
        categories: Vec<YearCategory>,
        rules: Vec<DispatchRule>,
        departments: std::collections::HashSet<String>,
        places: Vec<YearPlace>,
        first_day: Date,
        horizon: i64,
        seed: u64,
    ) -> Year {
        // A few categories make most reports (Zipf-like), as in every city's hotline data.
        let category_weights = (0..categories.len())
            .map(|i| 1.0 / ((i + 1) as f64).powf(0.9))
            .collect();
        let mut department_list: Vec<String> = departments.iter().cloned().collect();
        department_list.sort();
        Year {
            days: 365,
            department_list,
            department_names: std::collections::HashMap::new(),
            resident: None,
            cfg,
            categories,
            rules,
            departments,
            places,
            first_day,
            horizon,
            seed,
            category_weights,
            planted: std::collections::HashMap::new(),
        }
    }

    /// The same year spread over `days` days from `first_day` instead of 365.
    pub fn window(mut self, days: u32) -> Year {
        self.days = days;
        self
    }

    /// Names the departments a whistle summons (code → name).
    pub fn department_names(mut self, names: std::collections::HashMap<String, String>) -> Year {
        self.department_names = names;
        self
    }

    /// Some web reports filed by the resident account `account` (signed in), so that its
    /// home page lists reports of its own.
    pub fn reported_by(mut self, account: i64) -> Year {
        self.resident = Some(account);
        self
    }

    /// Splits `total` reports over the window's days, ids from `first_id` on, in report order.
    pub fn plan(&self, total: u64, first_id: i64) -> Vec<DayPlan> {
        let start = start_of(self.first_day);
        let days: Vec<Date> = (0..i64::from(self.days))
            .map(|k| date_of(start + k * DAY_MS))
            .collect();
        let weights: Vec<f64> = days
            .iter()
            .map(|d| {
                let weekday_factor = if self.cfg.calendar.is_workday(*d) {
                    1.0
                } else {
                    0.75
                };
                MONTH_FACTORS[usize::from(d.month()) - 1] * weekday_factor
            })
            .collect();
        let sum: f64 = weights.iter().sum();
        let mut counts: Vec<u64> = weights
            .iter()
            .map(|w| (total as f64 * w / sum) as u64)
            .collect();
        let assigned: u64 = counts.iter().sum();
        for c in counts.iter_mut().take((total - assigned) as usize) {
            *c += 1;
        }
        let mut next = first_id;
        days.into_iter()
            .zip(counts)
            .map(|(day, count)| {
                let plan = DayPlan {
                    day,
                    first_id: next,
                    count: count as u32,
                };
                next += count as i64;
                plan
            })
            .collect()
    }

    /// The report instants of one day's cases, in order (most between 7:00 and 22:00). On the
    /// horizon's own day the same shape is squeezed into the hours before the horizon, so that
    /// a window ending now has today's reports too.
    pub fn report_times(&self, plan: &DayPlan) -> Vec<i64> {
        let mut rng = Rng::stream(self.seed, 0x1000_0000 + plan.first_id as u64);
        let start = start_of(plan.day);
        let squeeze = (self.horizon - start) as f64 / DAY_MS as f64;
        let squeeze = if squeeze < 1.0 { squeeze.max(0.0) } else { 1.0 };
        let mut times: Vec<i64> = (0..plan.count)
            .map(|_| {
                let hour = if rng.chance(0.9) {
                    7.0 + rng.f64() * 15.0
                } else {
                    rng.f64() * 24.0
                };
                start + (hour * squeeze * HOUR_MS as f64) as i64
            })
            .map(|t| t.min(self.horizon - 1))
            .collect();
        times.sort_unstable();
        times
    }

    /// The life of case `id`, the `seq`-th report of its day, reported at `at`.
    pub fn case(&self, id: i64, seq: u32, at: i64) -> CaseHistory {
        // `at` is shadowed below by each step's instant; the report keeps its own.
        let reported_at = at;
        let mut rng = Rng::stream(self.seed, 0x2000_0000 + id as u64);
        let channel = CHANNELS[rng.weighted(&CHANNELS.map(|c| c.1))].0;
        let category = &self.categories[rng.weighted(&self.category_weights)];
        let place = rng.pick(&self.places);
        // A planted case keeps every other draw (the stream stays the same for the rest).
        let (category, place) = match self.planted.get(&id) {
            Some(o) => (&self.categories[o.category], &o.place),
            None => (category, place),
        };
        let community = place.grid.community();
        let emergency = rng.chance(0.02);
        let phone =
            matches!(channel, Channel::Hotline | Channel::ResidentWeb).then(|| phone(&mut rng));
        let mut life = Life {
            year: self,
            case: None,
            events: Vec::with_capacity(12),
        };
        let reporter = match channel {
            Channel::GridPatrol => (
                staff(Role::GridWorker, Scope::Grid(place.grid)),
                "网格员巡查上报".to_string(),
            ),
            Channel::Hotline => (Actor::System, "12345热线".to_string()),
            Channel::Open311 => (Actor::System, "Open311 客户端".to_string()),
            Channel::Video => (Actor::System, "视频巡查".to_string()),
            Channel::ResidentWeb => match self.resident.filter(|_| id % OWN_REPORT_EVERY == 0) {
                Some(account) => (
                    Actor::account(Principal {
                        account_id: account,
                        role: Role::Resident,
                        scope: Scope::SelfOnly,
                        can_unmask: false,
                    }),
                    "居民".to_string(),
                ),
                None => (Actor::Public { is_reporter: true }, "居民".to_string()),
            },
            _ => (Actor::Public { is_reporter: true }, "居民".to_string()),
        };
        let own = match &reporter.0 {
            Actor::Account { principal, .. } if principal.role == Role::Resident => {
                Some(principal.account_id)
            }
            _ => None,
        };
        let new = NewCase {
            id,
            ticket: case::ticket(date_of(at), seq),
            channel,
            category: category.code.clone(),
            deadline_class: category.deadline_class,
            // A resident's report is never filed as an emergency: the community marks it when
            // it registers the case (below), as the domain requires.
            emergency: emergency && own.is_none() && !matches!(reporter.0, Actor::Public { .. }),
            community: Some(community),
            grid: Some(place.grid),
            reporter: own,
        };
        let (c, e) = case::report(new, &reporter.0, &self.cfg).expect("a located report");
        life.case = Some(c);
        life.events.push((e, actor(&reporter.1), at));

        let locality = staff(Role::Community, Scope::Area(community));
        let community_name = "社区工作站";
        // Hotline calls go past a registration desk first, which turns away a few (repeats,
        // not the city's business) before anything is dispatched.
        if channel == Channel::Hotline && rng.chance(0.04) {
            let t = at + rng.int(10, 90) * 60_000;
            life.run(
                &locality,
                community_name,
                &Command::Cancel {
                    reason: "经核实为重复反映，已并案处理".into(),
                },
                t,
            );
            return life.finish(place, phone, category, reported_at, &mut rng);
        }

        // Registration and dispatch by the rules, one step for the system.
        let mut department = suggest_department(
            &self.rules,
            &category.code,
            Some(community),
            category.default_department.as_deref(),
        )
        .filter(|d| self.departments.contains(d));
        let register = Command::Register {
            category: category.code.clone(),
            deadline_class: category.deadline_class,
            emergency,
        };
        // Web and Open311 reports wait for the community's desk, some over a weekend.
        let at = match channel {
            Channel::ResidentWeb | Channel::Open311 if rng.chance(0.15) => {
                at + rng.int(12, 60) * HOUR_MS
            }
            Channel::ResidentWeb | Channel::Open311 => at + rng.int(5, 120) * 60_000,
            _ => at,
        };
        life.run(&Actor::System, "智能派遣", &register, at);
        // A few reports match no rule well and wait for the dispatcher's own judgement.
        let at = if rng.chance(0.06) {
            at + rng.int(2, 30) * HOUR_MS
        } else {
            at
        };
        life.run(
            &Actor::System,
            "智能派遣",
            &Command::Dispatch {
                department: department.clone(),
                is_override: false,
            },
            at,
        );
        // Most handlers start within hours; some only the next day or later.
        let mut t = if rng.chance(0.1) {
            at + rng.int(12, 48) * HOUR_MS
        } else {
            at + rng.int(10, 240) * 60_000
        };
        if department.is_some() && rng.chance(0.03) {
            // The department says it is not theirs; the community takes it on.
            life.run(
                &handler(&department, community),
                "职能部门",
                &Command::Return {
                    reason: "不属于本部门职责范围".into(),
                },
                t,
            );
            t += rng.int(1, 4) * HOUR_MS;
            department = None;
            life.run(
                &locality,
                community_name,
                &Command::Dispatch {
                    department: None,
                    is_override: true,
                },
                t,
            );
            t += rng.int(10, 120) * 60_000;
        }
        let who = handler(&department, community);
        let who_name = if department.is_some() {
            "部门办理人"
        } else {
            "社区办理人"
        };
        let t = life.defer(&locality, community_name, t, &mut rng);
        life.run(&who, who_name, &Command::Start, t);
        let t = life.escalate(&locality, community_name, t, &mut rng);
        let t = life.whistle(place, department.as_deref(), t, &mut rng);
        if rng.chance(0.03) {
            life.run(
                &who,
                who_name,
                &Command::RequestExtension {
                    by: Duration::WorkingDays(3),
                    reason: "需协调施工单位，申请延期".into(),
                },
                t + HOUR_MS,
            );
            let street = staff(
                Role::Street,
                Scope::Area(community.parent().unwrap_or(community)),
            );
            life.run(
                &street,
                "街道指挥中心",
                &Command::DecideExtension { approve: true },
                t + 3 * HOUR_MS,
            );
        }
        let (dispatched, deadline) = life
            .state()
            .and_then(|c| Some((c.dispatched_at?, c.deadline?)))
            .unwrap_or((at, at + 5 * DAY_MS));
        // Most are handled in time; a few run late by up to 60% of the time limit (reworks and
        // short emergency limits make more of them late in the end).
        let share = if rng.chance(0.94) {
            rng.range_f64(0.15, 0.95)
        } else {
            rng.range_f64(1.02, 1.6)
        };
        let span = (deadline - dispatched).max(HOUR_MS) as f64;
        let mut t = (dispatched as f64 + share * span) as i64;
        t = t.max(life.last_at() + 60_000);
        life.run(
            &who,
            who_name,
            &Command::ReportBack {
                note: "已按要求处理完毕，现场已恢复".into(),
            },
            t,
        );
        let mut t = t + rng.int(30, 24 * 60) * 60_000;
        if rng.chance(0.06) {
            life.run(
                &locality,
                community_name,
                &Command::Verify {
                    passed: false,
                    note: "现场核查未处理到位，请返工".into(),
                },
                t,
            );
            t += rng.int(4, 48) * HOUR_MS;
            life.run(
                &who,
                who_name,
                &Command::ReportBack {
                    note: "已返工处理".into(),
                },
                t,
            );
            t += rng.int(30, 12 * 60) * 60_000;
        }
        life.run(
            &locality,
            community_name,
            &Command::Verify {
                passed: true,
                note: "现场核查通过".into(),
            },
            t,
        );
        // Closing is quick, except for a few files that wait for the next day's review.
        let t = if rng.chance(0.08) {
            t + rng.int(12, 36) * HOUR_MS
        } else {
            t + rng.int(5, 120) * 60_000
        };
        life.run(&locality, community_name, &Command::Close, t);
        if phone.is_some() && rng.chance(0.85) {
            let satisfaction = match rng.weighted(&[0.84, 0.11, 0.05]) {
                0 => Satisfaction::Satisfied,
                1 => Satisfaction::BasicallySatisfied,
                _ => Satisfaction::Unsatisfied,
            };
            life.run(
                &Actor::Public { is_reporter: true },
                "回访",
                &Command::Rate {
                    contacted: rng.chance(0.98),
                    resolved: rng.chance(0.9),
                    satisfaction,
                },
                t + rng.int(2, 72) * HOUR_MS,
            );
        }
        life.finish(place, phone, category, reported_at, &mut rng)
    }
}

/// One case being lived: each command is decided by the domain at its instant, after the
/// deadline job's own commands that fell due before it; nothing at or after the horizon.
pub(crate) struct Life<'a> {
    pub(crate) year: &'a Year,
    pub(crate) case: Option<Case>,
    pub(crate) events: Vec<(Event, EventActor, i64)>,
}

impl Life<'_> {
    pub(crate) fn state(&self) -> Option<&Case> {
        self.case.as_ref()
    }

    pub(crate) fn last_at(&self) -> i64 {
        self.events.last().map_or(0, |e| e.2)
    }

    pub(crate) fn run(&mut self, who: &Actor, name: &str, cmd: &Command, at: i64) {
        let at = at.max(self.last_at());
        self.clock_until(at);
        if at >= self.year.horizon {
            return;
        }
        let Some(c) = self.case.as_mut() else { return };
        // A command the domain refuses (say, after the clock moved the case) is simply not
        // part of this life, as a refused request leaves no trace in the workflow.
        if let Ok(events) = case::decide(c, who, cmd, at, &self.year.cfg) {
            for e in events {
                case::apply(c, &e);
                self.events.push((e, actor(name), at));
            }
        }
    }

    /// The deadline job's warnings and overdue marks due before `until`, a minute after
    /// each point (the job's tick).
    fn clock_until(&mut self, until: i64) {
        let cfg = &self.year.cfg;
        loop {
            let last = self.last_at();
            let Some(c) = self.case.as_mut() else { return };
            let Some(point) = case::next_clock_point(c, cfg) else {
                return;
            };
            // The job's next tick: a minute after the point, never before the last event (a
            // rework can restart a clock whose deadline has already passed).
            let at = (point + 60_000).max(last);
            if at > until || at >= self.year.horizon {
                return;
            }
            let Some(cmd) = case::due_clock_command(c, at, cfg) else {
                return;
            };
            let Ok(events) = case::decide(c, &Actor::System, &cmd, at, cfg) else {
                return;
            };
            for e in events {
                case::apply(c, &e);
                self.events.push((e, actor("时限监控"), at));
            }
        }
    }

    fn finish(
        mut self,
        place: &YearPlace,
        phone: Option<Phone>,
        category: &YearCategory,
        at: i64,
        rng: &mut Rng,
    ) -> CaseHistory {
        self.clock_until(self.year.horizon);
        let c = self.case.take().expect("a reported case");
        let closed_at = if c.state.is_open() {
            None
        } else {
            self.events
                .iter()
                .find(|(e, _, _)| {
                    matches!(
                        e,
                        Event::Closed { .. } | Event::Cancelled { .. } | Event::Merged { .. }
                    )
                })
                .map(|e| e.2)
        };
        let clock_at = case::next_clock_point(&c, &self.year.cfg);
        let code = lookup_bytes(c.id, self.year.seed);
        CaseHistory {
            details: CaseDetails {
                lon: Some(place.lon),
                lat: Some(place.lat),
                address: place.address.clone(),
                description: format!("{}：{}", category.name, rng.pick(&DESCRIPTIONS)),
                reporter_phone: phone,
            },
            lookup_code: case::lookup_code_from_bytes(code),
            reported_at: at,
            closed_at,
            clock_at,
            events: self.events,
            case: c,
        }
    }
}

/// A case's lookup code bits: a keyed permutation of its id (a four-round Feistel network on
/// 40 bits), so that no two of millions of cases share a code, as random bits might, followed
/// by 40 more bits drawn from the seed and the id.
pub(crate) fn lookup_bytes(id: i64, seed: u64) -> [u8; case::LOOKUP_CODE_BYTES] {
    const HALF: u64 = (1 << 20) - 1;
    let x = id as u64 & ((1 << 40) - 1);
    let (mut l, mut r) = (x >> 20, x & HALF);
    for round in 0..4u64 {
        let f = Rng::stream(seed ^ (round << 56), r).next_u64() & HALF;
        (l, r) = (r, l ^ f);
    }
    let v = (l << 20) | r;
    let b = v.to_be_bytes();
    let tail = Rng::stream(seed ^ (5 << 56), id as u64)
        .next_u64()
        .to_be_bytes();
    [
        b[3], b[4], b[5], b[6], b[7], tail[3], tail[4], tail[5], tail[6], tail[7],
    ]
}

pub(crate) fn actor(name: &str) -> EventActor {
    EventActor {
        account_id: None,
        name: name.to_string(),
    }
}

pub(crate) fn staff(role: Role, scope: Scope) -> Actor {
    Actor::account(Principal {
        account_id: 0,
        role,
        scope,
        can_unmask: false,
    })
}

fn handler(department: &Option<String>, community: AreaCode) -> Actor {
    match department {
        Some(d) => staff(Role::Department, Scope::Department(d.clone())),
        // The locality handles it: the community's own staff.
        None => staff(Role::Community, Scope::Area(community)),
    }
}

fn phone(rng: &mut Rng) -> Phone {
    let prefixes = [
        "135", "136", "137", "138", "139", "150", "151", "152", "186", "187", "188",
    ];
    let text = format!("{}{:08}", rng.pick(&prefixes), rng.below(100_000_000));
    Phone::parse(&text).expect("a mobile number")
}
