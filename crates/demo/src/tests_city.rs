//! The city-scale demo and its year of cases.

use std::collections::{HashMap, HashSet};

use gongzhi_domain::calendar::{DAY_MS, Date, start_of};
use gongzhi_domain::case::{CaseState, Event, LoopConfig, categories};
use gongzhi_domain::codes::AreaLevel;
use gongzhi_geo::{GridIndex, topology};

use super::*;

#[test]
fn a_city_has_ten_districts_whole_streets_and_a_clean_topology() {
    let city = generate_city(1_000, 3_000, 5);
    assert_eq!(city.grids.len(), 1_008, "seven streets of 144 grids");
    let level = |l| city.areas.iter().filter(|a| a.code.level() == l).count();
    assert_eq!(level(AreaLevel::District), 10);
    assert_eq!(level(AreaLevel::Street), 7);
    assert_eq!(level(AreaLevel::Community), 7 * 16);
    let codes: HashSet<_> = city.grids.iter().map(|g| g.code).collect();
    assert_eq!(codes.len(), city.grids.len(), "grid codes are unique");
    let areas: HashSet<_> = city.areas.iter().map(|a| a.code).collect();
    assert!(
        city.grids
            .iter()
            .all(|g| areas.contains(&g.code.community()))
    );
    let report = topology::check(&city.grids, &city.community_boundaries);
    assert!(report.is_ok(false), "{:?}", report.lines_en());

    assert_eq!(city.households.len(), 3_000);
    let index = GridIndex::new(city.grids.clone());
    for b in &city.buildings {
        assert_eq!(index.locate(b.lon, b.lat).unwrap().code, b.grid);
        assert!(b.address.starts_with("苏州市"), "{}", b.address);
    }
    let ids: HashSet<_> = city
        .residents
        .iter()
        .map(|r| r.id_number.as_str())
        .collect();
    assert_eq!(ids.len(), city.residents.len(), "身份证号 are unique");
    assert_eq!(generate_city(1_000, 3_000, 5), city, "same seed, same city");
}

#[test]
fn the_default_city_has_at_least_thirty_thousand_grids() {
    let city = generate_city(CITY_GRIDS, 0, DEFAULT_SEED);
    assert!(city.grids.len() >= 30_000, "{}", city.grids.len());
    assert!(city.grids.len() < 30_000 + 144);
}

pub(crate) fn year(cases_at: &DemoCity) -> Year {
    let cats = categories::CATEGORIES
        .iter()
        .map(|c| YearCategory {
            code: c.code.into(),
            name: c.name.into(),
            deadline_class: c.deadline_class,
            default_department: c.department.map(str::to_string),
        })
        .collect();
    let places = cases_at
        .buildings
        .iter()
        .map(|b| YearPlace {
            grid: b.grid,
            lon: b.lon,
            lat: b.lat,
            address: b.address.clone(),
        })
        .collect();
    let first = Date::new(2025, 11, 1).unwrap();
    Year::new(
        LoopConfig::default(),
        cats,
        Vec::new(),
        cases_at
            .departments
            .iter()
            .map(|d| d.code.clone())
            .collect(),
        places,
        first,
        start_of(first) + 365 * DAY_MS,
        9,
    )
}

#[test]
fn a_year_of_cases_lives_by_the_domain_rules() {
    let city = generate(500, 3);
    let year = year(&city);
    let plan = year.plan(20_000, 1);
    assert_eq!(plan.len(), 365);
    assert_eq!(plan.iter().map(|p| u64::from(p.count)).sum::<u64>(), 20_000);
    let july = plan.iter().find(|p| p.day.month() == 7).unwrap().count;
    let february = plan.iter().find(|p| p.day.month() == 2).unwrap().count;
    assert!(july > february, "summer is busier: {july} vs {february}");
    for w in plan.windows(2) {
        assert_eq!(w[0].first_id + i64::from(w[0].count), w[1].first_id);
    }

    let mut states: HashMap<CaseState, usize> = HashMap::new();
    let (mut late, mut reworked, mut rated, mut warned, mut n) = (0, 0, 0, 0, 0);
    let mut channels = HashSet::new();
    let mut cats = HashSet::new();
    for p in plan.iter().step_by(3) {
        let times = year.report_times(p);
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
        assert!(
            times
                .iter()
                .all(|t| start_of(p.day) <= *t && *t < start_of(p.day) + DAY_MS)
        );
        for i in 0..p.count {
            let id = p.first_id + i64::from(i);
            let h = year.case(id, i + 1, times[i as usize]);
            n += 1;
            let c = &h.case;
            c.check().unwrap_or_else(|e| panic!("case {id}: {e}"));
            assert_eq!(c.version as usize, h.events.len(), "one version per event");
            assert!(matches!(h.events[0].0, Event::Reported { .. }));
            assert!(
                h.events.windows(2).all(|w| w[0].2 <= w[1].2),
                "events in time order"
            );
            assert!(h.events.iter().all(|e| e.2 < year.horizon));
            assert_eq!(c.ticket, case_ticket(p.day, i + 1));
            assert_eq!(h.closed_at.is_some(), !c.state.is_open());
            assert_eq!(
                h.clock_at,
                gongzhi_domain::case::next_clock_point(c, &year.cfg)
            );
            *states.entry(c.state).or_default() += 1;
            late += usize::from(c.handled_on_time == Some(false));
            reworked += usize::from(
                h.events
                    .iter()
                    .any(|e| matches!(e.0, Event::Reworked { .. })),
            );
            rated += usize::from(c.rating.is_some());
            warned += usize::from(c.warned);
            channels.insert(c.channel);
            cats.insert(c.category.clone());
        }
    }
    let share = |k: usize| k as f64 / n as f64;
    let closed = states.get(&CaseState::Closed).copied().unwrap_or(0)
        + states.get(&CaseState::Rated).copied().unwrap_or(0);
    assert!(share(closed) > 0.9, "{states:?}");
    assert!(states.contains_key(&CaseState::Cancelled), "{states:?}");
    assert!((0.05..0.16).contains(&share(late)), "late {late} of {n}");
    assert!(
        (0.03..0.09).contains(&share(reworked)),
        "reworked {reworked}"
    );
    assert!((0.45..0.7).contains(&share(rated)), "rated {rated}");
    assert!(warned > 0);
    assert_eq!(channels.len(), 5);
    assert!(cats.len() > 50, "{} categories", cats.len());

    // Lookup codes of a big city's year never collide.
    let codes: HashSet<[u8; 10]> = (1..=1_000_000)
        .map(|id| crate::year::lookup_bytes(id, 9))
        .collect();
    assert_eq!(codes.len(), 1_000_000);

    // The same case again is the same case.
    let p = plan[100];
    let t = year.report_times(&p);
    let a = year.case(p.first_id, 1, t[0]);
    let b = year.case(p.first_id, 1, t[0]);
    assert_eq!(a.case, b.case);
    assert_eq!(a.events.len(), b.events.len());
}

fn case_ticket(day: Date, seq: u32) -> String {
    gongzhi_domain::case::ticket(day, seq)
}
