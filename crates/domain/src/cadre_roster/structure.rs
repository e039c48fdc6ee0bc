//! The cadre-structure report (干部队伍结构): counts and percentages by age band, education,
//! gender and post. Percentages have two decimals and add up to exactly 100.00: each is the
//! share rounded down to a hundredth of a percent, and the hundredths still missing go to the
//! largest remainders (the largest-remainder method).

use serde::{Deserialize, Serialize};

use super::{CadrePost, Education, age_on, gender_en};
use crate::calendar::Date;
use crate::population::Gender;

/// Age bands by their lower bounds: `[30, 45]` is under 30, 30–44, 45 and over (ages in
/// completed years). The source text counts "30岁以下", "30岁及以上、45岁以下" and
/// "45岁及以上": a cadre of exactly 45 is in the last band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgeBands(Vec<u32>);

/// One age band, with its bounds and names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgeBand {
    pub key: String,
    pub zh: String,
    pub en: String,
    /// The lowest age in the band; `None` for the first.
    pub from: Option<u32>,
    /// The first age past the band; `None` for the last.
    pub to: Option<u32>,
}

/// At most this many bounds (so eleven bands).
pub const MAX_BOUNDS: usize = 10;

impl AgeBands {
    /// The shipped bands: under 30, 30–44, 45 and over.
    pub fn shipped() -> AgeBands {
        AgeBands(vec![30, 45])
    }

    /// Bounds rising strictly within 1–120, one to ten of them; `None` otherwise.
    pub fn new(bounds: Vec<u32>) -> Option<AgeBands> {
        let ok = !bounds.is_empty()
            && bounds.len() <= MAX_BOUNDS
            && bounds.iter().all(|b| (1..=120).contains(b))
            && bounds.windows(2).all(|w| w[0] < w[1]);
        ok.then_some(AgeBands(bounds))
    }

    /// `30,45` (also with `，` or spaces).
    pub fn parse(s: &str) -> Option<AgeBands> {
        let bounds: Option<Vec<u32>> = s
            .split([',', '，', ' '])
            .filter(|p| !p.trim().is_empty())
            .map(|p| p.trim().parse().ok())
            .collect();
        AgeBands::new(bounds?)
    }

    pub fn bounds(&self) -> &[u32] {
        &self.0
    }

    /// The band of an age (negative ages, impossible on the roster, count in the first).
    pub fn band_of(&self, age: i32) -> usize {
        self.0.iter().take_while(|b| age >= **b as i32).count()
    }

    pub fn bands(&self) -> Vec<AgeBand> {
        let n = self.0.len();
        (0..=n)
            .map(|i| {
                let from = i.checked_sub(1).map(|j| self.0[j]);
                let to = self.0.get(i).copied();
                let (key, zh, en) = match (from, to) {
                    (None, Some(t)) => (
                        format!("under_{t}"),
                        format!("{t}岁以下"),
                        format!("under {t}"),
                    ),
                    (Some(f), Some(t)) => (
                        format!("{f}_{}", t - 1),
                        format!("{f}—{}岁", t - 1),
                        format!("{f}–{}", t - 1),
                    ),
                    (Some(f), None) => (
                        format!("{f}_and_over"),
                        format!("{f}岁及以上"),
                        format!("{f} and over"),
                    ),
                    (None, None) => unreachable!("at least one bound"),
                };
                AgeBand {
                    key,
                    zh,
                    en,
                    from,
                    to,
                }
            })
            .collect()
    }
}

/// Shares of `counts` in hundredths of a percent, adding up to exactly 10000; `None` when the
/// counts add up to 0. Each share is rounded down, then the hundredths still missing go one
/// each to the largest remainders (ties: the larger count, then the earlier category).
pub fn largest_remainder(counts: &[u64]) -> Option<Vec<u32>> {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return None;
    }
    let exact: Vec<(u64, u64)> = counts
        .iter()
        .map(|c| (c * 10_000 / total, c * 10_000 % total))
        .collect();
    let mut shares: Vec<u32> = exact.iter().map(|(q, _)| *q as u32).collect();
    let missing = 10_000 - shares.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by(|&a, &b| {
        exact[b]
            .1
            .cmp(&exact[a].1)
            .then(counts[b].cmp(&counts[a]))
            .then(a.cmp(&b))
    });
    for &i in order.iter().take(missing as usize) {
        shares[i] += 1;
    }
    Some(shares)
}

/// One category's count and share (hundredths of a percent; `None` when nobody is counted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub key: String,
    pub zh: String,
    pub en: String,
    pub count: u64,
    pub percent: Option<u32>,
}

/// The structure of one group of cadres: how many, and by age band, education, gender, post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Structure {
    pub count: u64,
    pub age: Vec<Tally>,
    pub education: Vec<Tally>,
    pub gender: Vec<Tally>,
    pub post: Vec<Tally>,
}

fn tallies(labels: Vec<(String, String, String)>, counts: Vec<u64>) -> Vec<Tally> {
    let shares = largest_remainder(&counts);
    labels
        .into_iter()
        .zip(counts)
        .enumerate()
        .map(|(i, ((key, zh, en), count))| Tally {
            key,
            zh,
            en,
            count,
            percent: shares.as_ref().map(|s| s[i]),
        })
        .collect()
}

/// The structure of `cadres` (birth date, education, gender, post) on `on`, every category
/// listed in a fixed order even when empty, so that groups line up in a table.
pub fn structure(
    cadres: &[(Date, Education, Gender, CadrePost)],
    on: Date,
    bands: &AgeBands,
) -> Structure {
    let band_list = bands.bands();
    let mut age = vec![0u64; band_list.len()];
    let mut education = vec![0u64; Education::ALL.len()];
    let mut gender = vec![0u64; Gender::ALL.len()];
    let mut post = vec![0u64; CadrePost::ALL.len()];
    let index = |all: &[_], v| all.iter().position(|x| *x == v).unwrap_or(0);
    for (birth, e, g, p) in cadres {
        age[bands.band_of(age_on(*birth, on))] += 1;
        education[Education::ALL.iter().position(|x| x == e).unwrap_or(0)] += 1;
        gender[index(Gender::ALL, *g)] += 1;
        post[CadrePost::ALL.iter().position(|x| x == p).unwrap_or(0)] += 1;
    }
    let s = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    Structure {
        count: cadres.len() as u64,
        age: tallies(
            band_list.into_iter().map(|b| (b.key, b.zh, b.en)).collect(),
            age,
        ),
        education: tallies(
            Education::ALL
                .iter()
                .map(|e| s(e.as_str(), e.zh(), e.en()))
                .collect(),
            education,
        ),
        gender: tallies(
            Gender::ALL
                .iter()
                .map(|g| s(g.as_str(), g.zh(), gender_en(*g)))
                .collect(),
            gender,
        ),
        post: tallies(
            CadrePost::ALL
                .iter()
                .map(|p| s(p.as_str(), p.zh(), p.en()))
                .collect(),
            post,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_texts_district_adds_up() {
        // 913 cadres: 50 under 30, 357 aged 30–44, the remaining 506 aged 45 and over.
        let shares = largest_remainder(&[50, 357, 506]).unwrap();
        assert_eq!(shares, vec![548, 3910, 5542]);
        assert_eq!(shares.iter().sum::<u32>(), 10_000);
    }

    #[test]
    fn shares_always_add_up_to_one_hundred() {
        for counts in [
            vec![1u64, 1, 1],
            vec![2, 2, 2, 1],
            vec![0, 7, 0],
            vec![1, 0, 0, 0, 0, 0],
            vec![333, 333, 334],
            vec![1, 1, 1, 1, 1, 1, 1],
        ] {
            let s = largest_remainder(&counts).unwrap();
            assert_eq!(s.iter().sum::<u32>(), 10_000, "{counts:?}");
        }
        // Thirds: 33.33 each and the spare hundredth to the first.
        assert_eq!(
            largest_remainder(&[1, 1, 1]).unwrap(),
            vec![3334, 3333, 3333]
        );
        assert_eq!(largest_remainder(&[0, 0]), None);
        assert_eq!(largest_remainder(&[]), None);
    }

    #[test]
    fn bands_put_45_in_the_last_and_are_configurable() {
        let b = AgeBands::shipped();
        assert_eq!([29, 30, 44, 45, 60].map(|a| b.band_of(a)), [0, 1, 1, 2, 2]);
        let names: Vec<String> = b.bands().into_iter().map(|x| x.zh).collect();
        assert_eq!(names, ["30岁以下", "30—44岁", "45岁及以上"]);
        let b = AgeBands::parse("35，50, 60").unwrap();
        assert_eq!(b.bounds(), &[35, 50, 60]);
        assert_eq!(b.bands().len(), 4);
        assert!(AgeBands::parse("45,30").is_none());
        assert!(AgeBands::parse("").is_none());
        assert!(AgeBands::parse("30,abc").is_none());
        assert!(AgeBands::new(vec![0]).is_none());
    }

    #[test]
    fn a_structure_counts_every_category() {
        let d = |y| Date::new(y, 1, 1).unwrap();
        let cadres = [
            (
                d(2000),
                Education::Bachelor,
                Gender::Female,
                CadrePost::Member,
            ),
            (
                d(1985),
                Education::College,
                Gender::Male,
                CadrePost::Secretary,
            ),
            (
                d(1970),
                Education::Bachelor,
                Gender::Male,
                CadrePost::Director,
            ),
        ];
        let s = structure(&cadres, d(2026), &AgeBands::shipped());
        assert_eq!(s.count, 3);
        let counts = |v: &[Tally]| v.iter().map(|t| t.count).collect::<Vec<_>>();
        assert_eq!(counts(&s.age), [1, 1, 1]);
        assert_eq!(counts(&s.gender), [2, 1]);
        assert_eq!(s.education.len(), Education::ALL.len());
        assert_eq!(s.education[3].percent, Some(6667));
        let empty = structure(&[], d(2026), &AgeBands::shipped());
        assert_eq!(empty.age[0].percent, None);
    }
}
