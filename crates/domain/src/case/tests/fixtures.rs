//! A located case, the people around it and a driver that records what happened.

use crate::Bilingual;
use crate::access::{Principal, Role, Scope};
use crate::calendar::{Date, HOUR_MS, start_of};
use crate::case::*;
use crate::codes::{AreaCode, GridCode};

/// 姑苏区 / 金阊街道 / 养育巷社区, grid 001.
pub const GRID: &str = "320508019044001";
pub const COMMUNITY: &str = "320508019044";
pub const STREET: &str = "320508019000";
/// The reporting resident's account.
pub const REPORTER: i64 = 500;

pub fn date(y: i32, m: u8, d: u8) -> Date {
    Date::new(y, m, d).unwrap()
}

/// `h:min` CST on a date.
pub fn at(d: Date, h: i64, min: i64) -> i64 {
    start_of(d) + h * HOUR_MS + min * 60_000
}

fn account(id: i64, role: Role, scope: Scope) -> Actor {
    Actor::account(Principal {
        account_id: id,
        role,
        scope,
        can_unmask: false,
    })
}

fn area(s: &str) -> AreaCode {
    AreaCode::parse(s).unwrap()
}

pub fn admin() -> Actor {
    account(1, Role::Admin, Scope::All)
}

pub fn community() -> Actor {
    account(2, Role::Community, Scope::Area(area(COMMUNITY)))
}

pub fn street() -> Actor {
    account(3, Role::Street, Scope::Area(area(STREET)))
}

pub fn other_community() -> Actor {
    account(4, Role::Community, Scope::Area(area("320508019045")))
}

pub fn department(code: &str) -> Actor {
    account(5, Role::Department, Scope::Department(code.into()))
}

pub fn grid_worker() -> Actor {
    account(
        6,
        Role::GridWorker,
        Scope::Grid(GridCode::parse(GRID).unwrap()),
    )
}

pub fn neighbour_grid_worker() -> Actor {
    account(
        7,
        Role::GridWorker,
        Scope::Grid(GridCode::parse("320508019044002").unwrap()),
    )
}

pub fn supervisor() -> Actor {
    account(8, Role::Supervisor, Scope::Area(area("320508")))
}

pub fn reporter() -> Actor {
    account(REPORTER, Role::Resident, Scope::SelfOnly)
}

pub fn other_resident() -> Actor {
    account(501, Role::Resident, Scope::SelfOnly)
}

pub fn lookup_holder() -> Actor {
    Actor::Public { is_reporter: true }
}

pub fn stranger() -> Actor {
    Actor::Public { is_reporter: false }
}

pub fn new_case(category: &str, class: DeadlineClass) -> NewCase {
    NewCase {
        id: 42,
        ticket: "2025092800001".into(),
        channel: Channel::ResidentWeb,
        category: category.into(),
        deadline_class: class,
        emergency: false,
        community: Some(area(COMMUNITY)),
        grid: Some(GridCode::parse(GRID).unwrap()),
        reporter: Some(REPORTER),
    }
}

/// Drives one case: every accepted command's events are applied and kept.
pub struct Driver {
    pub case: Case,
    pub events: Vec<Event>,
    pub cfg: LoopConfig,
    pub now: i64,
}

impl Driver {
    /// A general case reported by the resident at 2025-09-28 (make-up Sunday) 09:00.
    pub fn reported() -> Driver {
        Driver::reported_with(new_case("E0102", DeadlineClass::General))
    }

    pub fn reported_with(new: NewCase) -> Driver {
        let cfg = LoopConfig::default();
        let (case, event) = report(new, &reporter(), &cfg).unwrap();
        Driver {
            case,
            events: vec![event],
            cfg,
            now: at(date(2025, 9, 28), 9, 0),
        }
    }

    /// Registered by the community and dispatched to 城管 at 10:00 the same day.
    pub fn dispatched_to(department: Option<&str>) -> Driver {
        let mut d = Driver::reported();
        d.ok(&community(), register("E0102"));
        d.now = at(date(2025, 9, 28), 10, 0);
        d.ok(
            &community(),
            Command::Dispatch {
                department: department.map(String::from),
                is_override: false,
            },
        );
        d
    }

    pub fn try_cmd(&self, who: &Actor, cmd: &Command) -> Result<Vec<Event>, Refusal> {
        decide(&self.case, who, cmd, self.now, &self.cfg)
    }

    /// Runs a command that must be accepted; returns its events.
    pub fn ok(&mut self, who: &Actor, cmd: Command) -> Vec<Event> {
        let events = self
            .try_cmd(who, &cmd)
            .unwrap_or_else(|r| panic!("{cmd:?} refused: {}", r.message_en()));
        let before = self.case.version;
        for e in &events {
            apply(&mut self.case, e);
        }
        assert_eq!(self.case.version, before + events.len() as i64);
        assert_eq!(self.case.check(), Ok(()), "after {cmd:?}");
        self.events.extend(events.iter().cloned());
        events
    }

    /// Runs a command that must be refused; returns the refusal.
    pub fn refused(&self, who: &Actor, cmd: Command) -> Refusal {
        match self.try_cmd(who, &cmd) {
            Ok(events) => panic!("{cmd:?} accepted: {events:?}"),
            Err(r) => r,
        }
    }

    pub fn kinds(&self) -> Vec<&'static str> {
        self.events.iter().map(Event::kind).collect()
    }
}

pub fn register(category: &str) -> Command {
    Command::Register {
        category: category.into(),
        deadline_class: DeadlineClass::General,
        emergency: false,
    }
}

pub fn dispatch(department: &str) -> Command {
    Command::Dispatch {
        department: Some(department.into()),
        is_override: false,
    }
}

pub fn report_back() -> Command {
    Command::ReportBack {
        note: "已清运".into(),
    }
}

pub fn verify(passed: bool) -> Command {
    Command::Verify {
        passed,
        note: if passed { "" } else { "仍有残留" }.into(),
    }
}

pub fn rate(satisfaction: Satisfaction) -> Command {
    Command::Rate {
        contacted: true,
        resolved: satisfaction != Satisfaction::Unsatisfied,
        satisfaction,
    }
}

pub fn reason(cmd: fn(String) -> Command) -> Command {
    cmd("理由".into())
}
