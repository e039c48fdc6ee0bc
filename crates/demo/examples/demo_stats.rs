//! Generates the demo city and prints its size and the time it took.
//!
//! `cargo run --release -p gongzhi-demo --example demo_stats [HOUSEHOLDS [SEED]]`

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let households = args
        .next()
        .map(|a| a.parse().expect("HOUSEHOLDS must be a number"))
        .unwrap_or(gongzhi_demo::DEFAULT_HOUSEHOLDS);
    let seed = args
        .next()
        .map(|a| a.parse().expect("SEED must be a number"))
        .unwrap_or(gongzhi_demo::DEFAULT_SEED);
    let start = Instant::now();
    let city = gongzhi_demo::generate(households, seed);
    let elapsed = start.elapsed();
    println!(
        "seed {seed}: {} areas, {} communities, {} grids, {} departments, {} buildings, {} households, {} residents in {:.2} s",
        city.areas.len(),
        city.community_boundaries.len(),
        city.grids.len(),
        city.departments.len(),
        city.buildings.len(),
        city.households.len(),
        city.residents.len(),
        elapsed.as_secs_f64()
    );
}
