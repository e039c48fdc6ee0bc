//! `gongzhi cube …`: the rollup cube (decision 035) rebuilt from the cases, and the P3
//! benchmark's synthetic year folded into it.

use crate::city::{Window, year};
use crate::commands::bar;
use clap::Subcommand;
use gongzhi_domain::calendar::date_of;
use gongzhi_domain::case::Case;
use gongzhi_store::{Store, TALLY_COLUMNS, tally_contribution};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

#[derive(Subcommand, Debug)]
pub enum CubeAction {
    /// 重建 Recompute every day and month row of the cube from the cases
    Rebuild,
    /// 基准专用 Benchmark only: rebuild the cube from the stored cases, then fold N cases of
    /// the stored city's year (each decided by the domain, as `demo --scale city` does) into
    /// it WITHOUT writing their case rows, events or log entries, and write each case's tally
    /// as a CSV row for DuckDB/PostgreSQL
    Synth {
        #[arg(long)]
        cases: u64,
        #[arg(long)]
        csv: PathBuf,
    },
}

pub async fn run(store: &Store, action: CubeAction) -> anyhow::Result<()> {
    match action {
        CubeAction::Rebuild => {
            let started = Instant::now();
            let n = store.rebuild_cube().await?;
            println!(
                "已重建汇总 / the cube holds {n} cases again ({:.1}s)",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        CubeAction::Synth { cases, csv } => synth(store, cases, csv).await,
    }
}

/// Cases generated and folded per transaction.
const BATCH: u32 = 20_000;

/// One batch: the cases with their report time, and their CSV rows.
type Batch = (Vec<(Case, i64)>, String);

async fn synth(store: &Store, total: u64, csv: PathBuf) -> anyhow::Result<()> {
    let started = Instant::now();
    // From the stored cases alone (none in a fresh city), so that a second run replaces the
    // first one's synthetic year instead of adding to it.
    store.rebuild_cube().await?;
    let year = Arc::new(year(store, gongzhi_store::now_millis(), Window::YearBefore).await?);
    let majors: Arc<HashMap<String, String>> = Arc::new(
        store
            .lookups()
            .await?
            .categories
            .values()
            .filter_map(|c| Some((c.code.clone(), c.parent.clone()?)))
            .collect(),
    );
    let mut units = Vec::new();
    for plan in year.plan(total, 1) {
        let mut from = 0u32;
        while from < plan.count {
            let to = (from + BATCH).min(plan.count);
            units.push((plan, from, to));
            from = to;
        }
    }
    let units = Arc::new(units);
    let next = Arc::new(AtomicUsize::new(0));
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(4);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut handles = Vec::new();
    for _ in 0..workers {
        let (year, units, next, tx, majors) = (
            year.clone(),
            units.clone(),
            next.clone(),
            tx.clone(),
            majors.clone(),
        );
        handles.push(std::thread::spawn(move || {
            loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some((plan, from, to)) = units.get(k).copied() else {
                    return;
                };
                let times = year.report_times(&plan);
                let mut cases = Vec::with_capacity((to - from) as usize);
                let mut rows = String::new();
                for i in from..to {
                    let h = year.case(plan.first_id + i64::from(i), i + 1, times[i as usize]);
                    rows.push_str(&csv_row(&h.case, h.reported_at, &majors));
                    cases.push((h.case, h.reported_at));
                }
                if tx.blocking_send((cases, rows)).is_err() {
                    return;
                }
            }
        }));
    }
    drop(tx);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&csv)?);
    let mut head = "day,month,street,community,department,category,major,channel".to_string();
    for c in TALLY_COLUMNS {
        head.push(',');
        head.push_str(c);
    }
    writeln!(out, "{head}")?;
    let pb = bar(Some(total), "汇总 cube");
    while let Some((cases, rows)) = rx.recv().await {
        out.write_all(rows.as_bytes())?;
        store
            .fold_into_cube(cases.iter().map(|(c, at)| (c, *at)))
            .await?;
        pb.inc(cases.len() as u64);
    }
    pb.finish();
    out.flush()?;
    for h in handles {
        if h.join().is_err() {
            anyhow::bail!("a case generator thread failed; the cube is incomplete");
        }
    }
    eprintln!(
        "汇总已写入 / {total} synthetic cases folded into the cube in {:.1}s; their rows in {}",
        started.elapsed().as_secs_f64(),
        csv.display()
    );
    Ok(())
}

/// The case's keys and tally, the columns of the baselines' table.
fn csv_row(case: &Case, at: i64, majors: &HashMap<String, String>) -> String {
    let day = date_of(at).to_string();
    let community = case.community.map(|c| c.to_string()).unwrap_or_default();
    let street = case
        .community
        .and_then(|c| c.parent())
        .map(|c| c.to_string())
        .unwrap_or_default();
    let mut row = format!(
        "{day},{},{street},{community},{},{},{},{}",
        &day[..7],
        case.department.as_deref().unwrap_or(""),
        case.category,
        majors.get(&case.category).map_or(&case.category, |m| m),
        case.channel.as_str()
    );
    for v in tally_contribution(case) {
        row.push(',');
        row.push_str(&v.to_string());
    }
    row.push('\n');
    row
}
