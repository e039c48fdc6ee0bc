//! The side roads of a case's life in the demo year: 缓办 (a deferral, mostly resumed days
//! later), 升级 (the community hands a case it cannot solve to the street) and 吹哨报到 (the
//! street summons departments, who acknowledge, arrive and finish their parts before the
//! handler reports back). Each step is a domain command run at its instant like any other, so
//! a side road cut by the horizon leaves the case where a real one would be: deferred, or
//! with departments summoned, some checked in, some done.

use gongzhi_domain::access::{Role, Scope};
use gongzhi_domain::calendar::{DAY_MS, HOUR_MS};
use gongzhi_domain::case::{Actor, Command, Summons};

use crate::rng::Rng;
use crate::year::{Life, YearPlace, staff};

/// Share of dispatched cases deferred.
const DEFER: f64 = 0.03;
/// Share of started cases the community escalates to the street.
const ESCALATE: f64 = 0.03;
/// Share of started cases the street whistles on.
const WHISTLE: f64 = 0.04;

impl Life<'_> {
    /// Perhaps defers the case at `t` and resumes it after days; the instant the main road
    /// goes on from.
    pub(crate) fn defer(&mut self, locality: &Actor, name: &str, t: i64, rng: &mut Rng) -> i64 {
        if !rng.chance(DEFER) {
            return t;
        }
        let reason = *rng.pick(&[
            "需等待业主大会表决结果，暂缓办理",
            "涉及产权纠纷，待法院判决后办理",
            "雨季施工条件不具备，暂缓办理",
        ]);
        self.run(
            locality,
            name,
            &Command::Defer {
                reason: reason.into(),
            },
            t,
        );
        let resumed = t + rng.int(2, 20) * DAY_MS;
        self.run(locality, name, &Command::Resume, resumed);
        resumed + rng.int(10, 120) * 60_000
    }

    /// Perhaps escalates the case a few hours after `t`, as the community does with what it
    /// cannot solve (the overdue mark escalates on its own).
    pub(crate) fn escalate(&mut self, locality: &Actor, name: &str, t: i64, rng: &mut Rng) -> i64 {
        if !rng.chance(ESCALATE) {
            return t;
        }
        let t = t + rng.int(1, 8) * HOUR_MS;
        self.run(
            locality,
            name,
            &Command::Escalate {
                reason: "社区协调不了，提请街道协调解决".into(),
            },
            t,
        );
        t
    }

    /// Perhaps the street whistles on the case at `place`, summoning two or three departments
    /// other than `handler`; each acknowledges (a few late), arrives at the place, finishes its
    /// part, and is rated by the street. The instant the handler goes on from.
    pub(crate) fn whistle(
        &mut self,
        place: &YearPlace,
        handler: Option<&str>,
        t: i64,
        rng: &mut Rng,
    ) -> i64 {
        let year = self.year;
        let others: Vec<&String> = year
            .department_list
            .iter()
            .filter(|d| Some(d.as_str()) != handler)
            .collect();
        if others.len() < 2 || !rng.chance(WHISTLE) {
            return t;
        }
        let community = place.grid.community();
        let street_code = community.parent().unwrap_or(community);
        let street = staff(Role::Street, Scope::Area(street_code));
        let mut summoned: Vec<&String> = Vec::new();
        let wanted = rng.int(2, 3) as usize;
        while summoned.len() < wanted.min(others.len()) {
            let d = *rng.pick(&others);
            if !summoned.contains(&d) {
                summoned.push(d);
            }
        }
        let blown = t + rng.int(2, 24) * HOUR_MS;
        let departments = summoned
            .iter()
            .map(|d| Summons {
                code: (*d).clone(),
                name: year.department_names.get(*d).cloned().unwrap_or_default(),
            })
            .collect();
        self.run(
            &street,
            "街道指挥中心",
            &Command::BlowWhistle {
                departments,
                reason: "涉及多个部门职责，街道吹哨召集联合处置".into(),
                lon: place.lon,
                lat: place.lat,
                address: place.address.clone(),
                urgent: false,
            },
            blown,
        );
        // Every part's steps, then all of them in time order (a life runs forward only).
        let window = year.cfg.whistle.normal_ms as f64;
        let mut steps: Vec<(i64, Actor, &'static str, Command)> = Vec::new();
        for d in &summoned {
            let dept = staff(Role::Department, Scope::Department((*d).clone()));
            // One in ten answers after the check-in window: a late 报到 on its scorecard.
            let share = if rng.chance(0.9) {
                rng.range_f64(0.05, 0.8)
            } else {
                rng.range_f64(1.05, 1.6)
            };
            let acknowledged = blown + (share * window) as i64;
            let arrived = acknowledged + rng.int(30, 240) * 60_000;
            let done = arrived + rng.int(4, 72) * HOUR_MS;
            let code = (*d).clone();
            steps.push((
                acknowledged,
                dept.clone(),
                "报到部门",
                Command::AcknowledgeWhistle {
                    department: code.clone(),
                    officer: "部门联络员".into(),
                },
            ));
            steps.push((
                arrived,
                dept.clone(),
                "报到部门",
                Command::ArriveWhistle {
                    department: code.clone(),
                    lon: place.lon,
                    lat: place.lat,
                },
            ));
            steps.push((
                done,
                dept,
                "报到部门",
                Command::FinishWhistlePart {
                    department: code.clone(),
                    note: "本部门职责部分已处置完毕".into(),
                    photos: Vec::new(),
                },
            ));
            let score = |rng: &mut Rng| rng.int(3, 5) as u8;
            steps.push((
                done + rng.int(1, 24) * HOUR_MS,
                street.clone(),
                "街道指挥中心",
                Command::RateWhistleDepartment {
                    department: code,
                    response: score(rng),
                    arrival: score(rng),
                    cooperation: score(rng),
                    result: score(rng),
                    note: String::new(),
                },
            ));
        }
        steps.sort_by_key(|s| s.0);
        let mut last = blown;
        for (at, who, name, cmd) in &steps {
            self.run(who, name, cmd, *at);
            last = last.max(*at);
        }
        last + rng.int(1, 12) * HOUR_MS
    }
}
