//! Findings planted for diagnosis (decision 037): in the living demo's recent weeks, a few
//! grid × category bursts (hotspots: ten reports of a rarely reported category in one grid
//! within twelve days) and a few repeated-place clusters (recurrences: four reports of one
//! category within ten metres of one building within 25 days). The planted cases are ordinary
//! cases of the year whose category and place are overridden, so everything else about them —
//! channel, life, rating — is drawn as for any case. [`Plants`] records them so that a test
//! counts what the diagnosis finds against what was planted.

use crate::rng::Rng;
use crate::year::{DayPlan, Year, YearPlace};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

pub const HOTSPOTS: usize = 4;
pub const HOTSPOT_CASES: usize = 10;
/// The hotspot bursts fall in the last days of the window (the diagnosis looks at 14).
pub const HOTSPOT_DAYS: i64 = 12;
pub const RECURRENCES: usize = 4;
pub const RECURRENCE_CASES: usize = 4;
/// The recurrence clusters fall in the last days (the diagnosis looks at 30).
pub const RECURRENCE_DAYS: i64 = 25;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlantedHotspot {
    pub grid: String,
    pub category: String,
    pub cases: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlantedRecurrence {
    pub category: String,
    pub lon: f64,
    pub lat: f64,
    pub cases: Vec<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Plants {
    pub hotspots: Vec<PlantedHotspot>,
    pub recurrences: Vec<PlantedRecurrence>,
}

/// What a planted case is reported as instead of its drawn category and place.
#[derive(Clone, Debug)]
pub(crate) struct Override {
    pub category: usize,
    pub place: YearPlace,
}

/// Draws `n` distinct ids from `pool` (fewer when the pool is smaller), removing them.
fn draw(rng: &mut Rng, pool: &mut Vec<i64>, n: usize) -> Vec<i64> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n && !pool.is_empty() {
        let i = rng.below(pool.len() as u64) as usize;
        out.push(pool.swap_remove(i));
    }
    out.sort_unstable();
    out
}

impl Year {
    /// Plants the hotspots and recurrences in the cases of `plans` (the window's days, in
    /// order); the planted cases' category and place are overridden from now on.
    pub fn plant(&mut self, plans: &[DayPlan]) -> Plants {
        let mut plants = Plants::default();
        let Some(last) = plans.last().map(|p| p.day) else {
            return plants;
        };
        let ids_since = |days: i64| -> Vec<i64> {
            let from = last.add_days(-(days - 1));
            plans
                .iter()
                .filter(|p| p.day >= from)
                .flat_map(|p| p.first_id..p.first_id + i64::from(p.count))
                .collect()
        };
        // Categories reported rarely (the Zipf tail): a burst stands out against a quiet
        // baseline, as a real one does.
        let n = self.categories.len();
        if n < 4 || self.places.is_empty() {
            return plants;
        }
        let mut by_grid: BTreeMap<String, Vec<&YearPlace>> = BTreeMap::new();
        for p in &self.places {
            by_grid
                .entry(p.grid.as_str().to_string())
                .or_default()
                .push(p);
        }
        let mut rng = Rng::stream(self.seed, 0x5000_0000);
        let mut grids: Vec<&String> = by_grid.keys().collect();
        let mut overrides: HashMap<i64, Override> = HashMap::new();
        let mut used_grids: HashSet<String> = HashSet::new();

        let mut pool = ids_since(HOTSPOT_DAYS);
        for k in 0..HOTSPOTS {
            if grids.is_empty() {
                break;
            }
            let g = grids
                .swap_remove(rng.below(grids.len() as u64) as usize)
                .clone();
            let category = n / 2 + (k * 3) % (n - n / 2);
            let ids = draw(&mut rng, &mut pool, HOTSPOT_CASES);
            let places = &by_grid[&g];
            for (j, id) in ids.iter().enumerate() {
                overrides.insert(
                    *id,
                    Override {
                        category,
                        place: places[j % places.len()].clone(),
                    },
                );
            }
            used_grids.insert(g.clone());
            plants.hotspots.push(PlantedHotspot {
                grid: g,
                category: self.categories[category].code.clone(),
                cases: ids,
            });
        }

        let mut pool: Vec<i64> = ids_since(RECURRENCE_DAYS)
            .into_iter()
            .filter(|id| !overrides.contains_key(id))
            .collect();
        for k in 0..RECURRENCES {
            let candidates: Vec<&YearPlace> = self
                .places
                .iter()
                .filter(|p| !used_grids.contains(p.grid.as_str()))
                .collect();
            if candidates.is_empty() {
                break;
            }
            let place = (*rng.pick(&candidates)).clone();
            used_grids.insert(place.grid.as_str().to_string());
            let category = 1 + (k * 2) % (n / 2);
            let ids = draw(&mut rng, &mut pool, RECURRENCE_CASES);
            for id in &ids {
                // Within ten metres of the building: ~0.00006° either way.
                let jitter = |r: &mut Rng| r.range_f64(-0.00006, 0.00006);
                let p = YearPlace {
                    lon: place.lon + jitter(&mut rng),
                    lat: place.lat + jitter(&mut rng),
                    ..place.clone()
                };
                overrides.insert(*id, Override { category, place: p });
            }
            plants.recurrences.push(PlantedRecurrence {
                category: self.categories[category].code.clone(),
                lon: place.lon,
                lat: place.lat,
                cases: ids,
            });
        }
        self.planted = overrides;
        plants
    }
}
