//! Point → grid lookups per second: the R-tree index beside the naive linear scan.
//!
//! Run with `cargo run --release -p gongzhi-geo --example bench_locate`. For each grid set —
//! the demo city's grids, 400 lattice grids and 30,000 lattice grids — it locates uniformly
//! random points of the set's bounding box with `GridIndex::locate` and with
//! `GridIndex::locate_linear`, five runs each, and prints the median lookups/s and the ratio.
//! Both methods must give the same answer for every point of the linear runs.

use std::hint::black_box;
use std::time::Instant;

use gongzhi_geo::{GridIndex, GridShape};

const RUNS: usize = 5;

/// splitmix64: a few lines, deterministic, good enough for benchmark points.
struct Points(u64);

impl Points {
    fn next_f64(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn points(grids: &[GridShape], n: usize, seed: u64) -> Vec<(f64, f64)> {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for g in grids {
        let r = g.bbox().expect("grids have geometry");
        x0 = x0.min(r.min().x);
        y0 = y0.min(r.min().y);
        x1 = x1.max(r.max().x);
        y1 = y1.max(r.max().y);
    }
    let mut rng = Points(seed);
    (0..n)
        .map(|_| {
            (
                x0 + (x1 - x0) * rng.next_f64(),
                y0 + (y1 - y0) * rng.next_f64(),
            )
        })
        .collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median lookups/s over RUNS runs of `f` over `pts`, and how many points found a grid.
fn measure(pts: &[(f64, f64)], f: impl Fn(f64, f64) -> bool) -> (f64, usize) {
    let mut rates = Vec::with_capacity(RUNS);
    let mut hits = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        hits = 0;
        for &(x, y) in pts {
            if black_box(f(black_box(x), black_box(y))) {
                hits += 1;
            }
        }
        rates.push(pts.len() as f64 / start.elapsed().as_secs_f64());
    }
    (median(rates), hits)
}

fn bench(label: &str, grids: Vec<GridShape>) {
    let n = grids.len();
    let start = Instant::now();
    let index = GridIndex::new(grids);
    let build_ms = start.elapsed().as_secs_f64() * 1e3;

    let indexed_points = points(index.grids(), 200_000, 1);
    // The scan costs O(grids) per lookup: fewer points keep each run near a second.
    let linear_points = points(index.grids(), (20_000_000 / n).clamp(200, 200_000), 2);

    for &(x, y) in &linear_points {
        let a = index.locate(x, y).map(|g| g.code);
        let b = index.locate_linear(x, y).map(|g| g.code);
        assert_eq!(a, b, "index and scan disagree at ({x}, {y})");
    }

    let (indexed, hits) = measure(&indexed_points, |x, y| index.locate(x, y).is_some());
    let (linear, _) = measure(&linear_points, |x, y| index.locate_linear(x, y).is_some());
    println!(
        "{label:<22} {n:>7} grids  index {indexed:>12.0} lookups/s  linear {linear:>10.0} lookups/s  \
         ratio {:>8.1}×  (build {build_ms:.1} ms, {:.1}% of points inside a grid, {} + {} points)",
        indexed / linear,
        100.0 * hits as f64 / indexed_points.len() as f64,
        indexed_points.len(),
        linear_points.len(),
    );
}

fn main() {
    println!("point → grid, median of {RUNS} runs");
    let demo = gongzhi_demo::generate(0, gongzhi_demo::DEFAULT_SEED);
    bench("demo city (姑苏区)", demo.grids);
    bench("lattice", gongzhi_demo::lattice_grids(400, 1));
    bench("lattice", gongzhi_demo::lattice_grids(30_000, 1));
}
