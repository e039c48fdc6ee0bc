//! Point → grid over the 30,000-grid lattice, written out for an outside baseline (PostGIS).
//!
//! ```text
//! cargo run --release -p gongzhi-geo --example locate_export -- OUT_DIR [POINTS] [GRIDS]
//! ```
//!
//! Writes into OUT_DIR, tab-separated, ready for PostgreSQL's `COPY`:
//! - `grids.tsv`: grid code, boundary as WKT `MULTIPOLYGON` (full `f64` precision);
//! - `points.tsv`: point id, longitude, latitude (uniformly random over the lattice's box, the
//!   same generator as `bench_locate`);
//! - `ours.tsv`: point id, the grid `GridIndex::locate` answers (empty outside every grid).
//!
//! Then times `GridIndex::locate` over every point, one thread, five runs, and prints
//! `RESULT build_ms=… lookups_per_s=… (median) runs=… points=… grids=… inside=…`.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Instant;

use geo::{LineString, MultiPolygon};
use gongzhi_geo::{GridIndex, GridShape};

const RUNS: usize = 5;

/// splitmix64, as in `bench_locate`.
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

fn ring(out: &mut String, ls: &LineString<f64>) {
    out.push('(');
    for (i, c) in ls.coords().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // `{}` on f64 is the shortest text that reads back to the same number.
        write!(out, "{} {}", c.x, c.y).unwrap();
    }
    out.push(')');
}

fn wkt(mp: &MultiPolygon<f64>) -> String {
    let mut out = String::from("MULTIPOLYGON(");
    for (i, p) in mp.0.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('(');
        ring(&mut out, p.exterior());
        for hole in p.interiors() {
            out.push(',');
            ring(&mut out, hole);
        }
        out.push(')');
    }
    out.push(')');
    out
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(
        args.next()
            .expect("usage: locate_export OUT_DIR [POINTS] [GRIDS]"),
    );
    let n_points: usize = args.next().map_or(100_000, |a| a.parse().expect("POINTS"));
    let n_grids: usize = args.next().map_or(30_000, |a| a.parse().expect("GRIDS"));
    std::fs::create_dir_all(&dir).expect("OUT_DIR");

    let grids = gongzhi_demo::lattice_grids(n_grids, 1);
    let mut text = String::with_capacity(grids.len() * 200);
    for g in &grids {
        writeln!(text, "{}\t{}", g.code, wkt(&g.polygon)).unwrap();
    }
    std::fs::write(dir.join("grids.tsv"), &text).expect("grids.tsv");

    let start = Instant::now();
    let index = GridIndex::new(grids);
    let build_ms = start.elapsed().as_secs_f64() * 1e3;

    let pts = points(index.grids(), n_points, 1);
    let mut text = String::with_capacity(pts.len() * 48);
    let mut answers = String::with_capacity(pts.len() * 24);
    let mut inside = 0;
    for (i, &(x, y)) in pts.iter().enumerate() {
        writeln!(text, "{i}\t{x}\t{y}").unwrap();
        match index.locate(x, y) {
            Some(g) => {
                inside += 1;
                writeln!(answers, "{i}\t{}", g.code).unwrap();
            }
            None => writeln!(answers, "{i}\t").unwrap(),
        }
    }
    std::fs::write(dir.join("points.tsv"), &text).expect("points.tsv");
    std::fs::write(dir.join("ours.tsv"), &answers).expect("ours.tsv");

    let mut rates = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        let mut hits = 0usize;
        for &(x, y) in &pts {
            if black_box(index.locate(black_box(x), black_box(y))).is_some() {
                hits += 1;
            }
        }
        assert_eq!(hits, inside);
        rates.push(pts.len() as f64 / start.elapsed().as_secs_f64());
    }
    let mut sorted = rates.clone();
    sorted.sort_by(f64::total_cmp);
    let runs: Vec<String> = rates.iter().map(|r| format!("{r:.0}")).collect();
    println!(
        "RESULT build_ms={build_ms:.1} lookups_per_s={:.0} runs={} points={} grids={} inside={inside}",
        sorted[RUNS / 2],
        runs.join("/"),
        pts.len(),
        index.len(),
    );
}
