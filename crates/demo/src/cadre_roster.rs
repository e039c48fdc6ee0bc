//! The demo district's community cadre roster (社区干部名册): four to seven cadres per
//! community — a secretary (often also the committee's director, 一肩挑), deputies, members —
//! with the age structure the source text reports for a district (about 5% under 30, 39% aged
//! 30–44, the rest 45 and over) and education from senior secondary to postgraduate.

use gongzhi_domain::cadre_roster::{Cadre, CadrePost, Education};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::population::Gender;

use crate::names::NamePool;
use crate::rng::Rng;

/// The stream of the demo seed that draws the roster.
const PURPOSE: u64 = 0x0CAD_0E55;

/// The roster of `communities` as of `today`, the same for the same seed.
pub fn cadre_roster(communities: &[AreaCode], today: Date, seed: u64) -> Vec<Cadre> {
    let mut rng = Rng::stream(seed, PURPOSE);
    let names = NamePool::new();
    let mut out = Vec::new();
    for community in communities {
        let size = rng.int(4, 7) as usize;
        let one_shoulder = rng.chance(0.6);
        let mut posts = vec![if one_shoulder {
            CadrePost::SecretaryDirector
        } else {
            CadrePost::Secretary
        }];
        if !one_shoulder {
            posts.push(CadrePost::Director);
        }
        posts.push(CadrePost::DeputySecretary);
        if rng.chance(0.5) {
            posts.push(CadrePost::DeputyDirector);
        }
        while posts.len() < size {
            posts.push(CadrePost::Member);
        }
        let mut seen = std::collections::HashSet::new();
        for post in posts {
            // Ages by the source text's shares; leaders are rarely the youngest.
            let band = rng.weighted(&[5.5, 39.1, 55.4]);
            let age = match (band, post) {
                (0, CadrePost::Member | CadrePost::DeputyDirector) => rng.int(23, 29),
                (0 | 1, _) => rng.int(30, 44),
                _ => rng.int(45, 59),
            } as i32;
            let birth = Date::new(today.year() - age, 1, 1)
                .expect("a year")
                .add_days(-rng.int(0, 364));
            let education = Education::ALL[rng.weighted(&[0.0, 24.0, 40.0, 31.0, 5.0])];
            let male = rng.chance(0.45);
            let name = loop {
                let n = format!(
                    "{}{}",
                    names.surname(&mut rng),
                    names.given(&mut rng, male, birth.year())
                );
                if seen.insert(n.clone()) {
                    break n;
                }
            };
            // In post for up to twelve years, never before the age of 22.
            let earliest = Date::new(birth.year() + 22, 6, 1).expect("a year");
            let years = rng.int(0, 12);
            let start = today
                .add_days(-years * 365 - rng.int(30, 300))
                .max(earliest);
            out.push(Cadre {
                name,
                gender: if male { Gender::Male } else { Gender::Female },
                birth_date: birth,
                education,
                post,
                community: *community,
                start_date: start.min(today),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongzhi_domain::cadre_roster::{AgeBands, structure};

    #[test]
    fn a_roster_every_community_fills_and_the_import_would_accept() {
        let today = Date::new(2026, 6, 30).unwrap();
        let communities: Vec<AreaCode> = (1..=48)
            .map(|i| AreaCode::parse(&format!("320508{:03}{:03}", 1 + i / 6, i % 6 + 1)).unwrap())
            .collect();
        let roster = cadre_roster(&communities, today, 7);
        assert_eq!(roster, cadre_roster(&communities, today, 7));
        for c in &communities {
            let n = roster.iter().filter(|r| r.community == *c).count();
            assert!((4..=7).contains(&n), "{c}: {n}");
            assert_eq!(
                roster
                    .iter()
                    .filter(|r| r.community == *c
                        && matches!(r.post, CadrePost::Secretary | CadrePost::SecretaryDirector))
                    .count(),
                1
            );
        }
        for r in &roster {
            r.check_dates(today)
                .unwrap_or_else(|e| panic!("{r:?}: {e:?}"));
        }
        let facts: Vec<_> = roster
            .iter()
            .map(|r| (r.birth_date, r.education, r.gender, r.post))
            .collect();
        let s = structure(&facts, today, &AgeBands::shipped());
        let over_45 = s.age[2].percent.unwrap();
        assert!((4000..7000).contains(&over_45), "{:?}", s.age);
    }
}
