//! `gongzhi demo --scale city --cases N`: a city of tens of thousands of grids and millions of
//! households, and a year of cases on the bulk path — each case's life decided by the domain
//! step by step, written with the rows and log entries the workflow writes, then integrated
//! into the transparency log and signed like any other entries.

use crate::commands::bar;
use crate::seed;
use anyhow::Context;
use gongzhi_demo::{Year, YearCategory, YearPlace};
use gongzhi_domain::calendar::{DAY_MS, date_of, start_of};
use gongzhi_domain::codes::GridCode;
use gongzhi_server::config::ServerConfig;
use gongzhi_server::ledger::{Ledger, sequencer};
use gongzhi_store::{PreparedCase, Store};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Cases prepared and written per transaction.
const BATCH: usize = 5_000;
/// Buildings whose places cases are reported at.
const PLACES: i64 = 1_000_000;

/// The living demo's planted hotspots and recurrences, beside the database (JSON).
pub const PLANTS_FILE: &str = "demo-plants.json";

/// Seeds the city when the database holds no areas yet.
pub async fn seed_city_if_empty(
    store: &Store,
    grids: usize,
    households: usize,
) -> anyhow::Result<()> {
    if !store.areas().await?.is_empty() {
        eprintln!(
            "数据库已有数据，跳过城市生成 / the database is not empty; city generation skipped"
        );
        return Ok(());
    }
    let started = Instant::now();
    eprintln!("正在生成城市 / generating the city (≥ {grids} grids, {households} households)…");
    let city = tokio::task::spawn_blocking(move || {
        gongzhi_demo::generate_city(grids, households, gongzhi_demo::DEFAULT_SEED)
    })
    .await?;
    eprintln!(
        "城市已生成 / city generated in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    seed::store_city(store, &city).await?;
    seed::create_demo_accounts(store, &city, None).await
}

/// The days cases are spread over, ending at `now`.
#[derive(Clone, Copy)]
pub(crate) enum Window {
    /// The 365 days before today (the city's year: today is left to live traffic).
    YearBefore,
    /// The last `n` days, today included up to now (the living demo).
    LastDays(u32),
}

/// What the window's cases are drawn from, read back from the database.
pub(crate) async fn year(store: &Store, now: i64, window: Window) -> anyhow::Result<Year> {
    gongzhi_server::cases::setup::ensure_defaults(store).await?;
    let cfg = gongzhi_server::cases::setup::loop_config(store).await?;
    let lookups = store.lookups().await?;
    let mut categories: Vec<YearCategory> = lookups
        .categories
        .values()
        .filter(|c| c.active && c.parent.is_some())
        .map(|c| YearCategory {
            code: c.code.clone(),
            name: c.name.clone(),
            deadline_class: c.deadline_class,
            default_department: c.default_department.clone(),
        })
        .collect();
    // Sorted, so the mix does not depend on a hash map's order.
    categories.sort_by(|a, b| a.code.cmp(&b.code));
    anyhow::ensure!(!categories.is_empty(), "no active categories");
    let places: Vec<YearPlace> = store
        .case_places(PLACES)
        .await?
        .into_iter()
        .filter_map(|(grid, address, lon, lat)| {
            Some(YearPlace {
                grid: GridCode::parse(&grid).ok()?,
                lon,
                lat,
                address,
            })
        })
        .collect();
    anyhow::ensure!(
        !places.is_empty(),
        "no buildings to report cases at: seed the city first"
    );
    let (first_day, days) = match window {
        Window::YearBefore => (date_of(start_of(date_of(now)) - 365 * DAY_MS), 365),
        Window::LastDays(n) => (
            date_of(start_of(date_of(now)) - i64::from(n.max(1) - 1) * DAY_MS),
            n.max(1),
        ),
    };
    let names = lookups
        .departments
        .values()
        .map(|d| (d.code.clone(), d.name.clone()))
        .collect();
    Ok(Year::new(
        cfg,
        categories,
        lookups.rules.iter().map(|r| r.rule()).collect(),
        lookups.departments.keys().cloned().collect(),
        places,
        first_day,
        now,
        gongzhi_demo::DEFAULT_SEED,
    )
    .window(days)
    .department_names(names))
}

/// Generates `total` cases over the year before now, then integrates their log entries and
/// signs a checkpoint.
pub async fn seed_cases(store: &Store, config: &ServerConfig, total: u64) -> anyhow::Result<()> {
    write_cases(store, config, total, Window::YearBefore, None).await
}

/// Generates `total` cases over the last `days` days up to now (the living demo), some of
/// them reported by the `resident` account, then integrates their log entries and signs a
/// checkpoint.
pub async fn seed_recent_cases(
    store: &Store,
    config: &ServerConfig,
    total: u64,
    days: u32,
    resident: Option<i64>,
) -> anyhow::Result<()> {
    write_cases(store, config, total, Window::LastDays(days), resident).await
}

async fn write_cases(
    store: &Store,
    config: &ServerConfig,
    total: u64,
    window: Window,
    resident: Option<i64>,
) -> anyhow::Result<()> {
    if total == 0 {
        return Ok(());
    }
    let started = Instant::now();
    let mut year = year(store, gongzhi_store::now_millis(), window).await?;
    if let Some(account) = resident {
        year = year.reported_by(account);
    }
    let first_id = store.next_case_id().await?;
    let plans = year.plan(total, first_id);
    // The living demo plants hotspots and recurrences for the diagnosis to find, and records
    // them beside the database (decision 037).
    let living = matches!(window, Window::LastDays(_));
    if living {
        let plants = year.plant(&plans);
        std::fs::write(
            config.data_dir.join(PLANTS_FILE),
            serde_json::to_vec_pretty(&plants)?,
        )
        .context("demo plants file")?;
    }
    let year = Arc::new(year);
    // Work units: up to BATCH consecutive cases of one day, numbered on from the day's
    // tickets already issued.
    let issued = store.ticket_counters().await?;
    let mut units = Vec::new();
    for plan in plans {
        let before = issued.get(&plan.day.compact()).copied().unwrap_or(0) as u32;
        let mut from = 0u32;
        while from < plan.count {
            let to = (from + BATCH as u32).min(plan.count);
            units.push((plan, before, from, to));
            from = to;
        }
    }
    let units = Arc::new(units);
    let next = Arc::new(AtomicUsize::new(0));
    let (tx, mut rx) = tokio::sync::mpsc::channel::<anyhow::Result<Vec<PreparedCase>>>(4);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut handles = Vec::with_capacity(workers);
    for _ in 0..workers {
        let (year, units, next, tx, store) = (
            year.clone(),
            units.clone(),
            next.clone(),
            tx.clone(),
            store.clone(),
        );
        handles.push(std::thread::spawn(move || {
            loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some((plan, before, from, to)) = units.get(k).copied() else {
                    return;
                };
                let times = year.report_times(&plan);
                let batch: anyhow::Result<Vec<PreparedCase>> = (from..to)
                    .map(|i| {
                        let id = plan.first_id + i64::from(i);
                        let history = year.case(id, before + i + 1, times[i as usize]);
                        Ok(store.prepare_case(&history)?)
                    })
                    .collect();
                if tx.blocking_send(batch).is_err() {
                    return;
                }
            }
        }));
    }
    drop(tx);
    let pb = bar(Some(total), "生成案件 cases");
    while let Some(batch) = rx.recv().await {
        let batch = batch?;
        let n = batch.len() as u64;
        store.insert_prepared_cases(batch).await?;
        pb.inc(n);
    }
    pb.finish();
    // A worker that panicked ends its part early and quietly: the count would be a lie.
    for h in handles {
        if h.join().is_err() {
            anyhow::bail!("a case generator thread failed; the cases are incomplete");
        }
    }
    let written = started.elapsed();
    eprintln!(
        "案件已写入 / {total} cases written in {:.1}s ({:.0} cases/s)",
        written.as_secs_f64(),
        total as f64 / written.as_secs_f64()
    );

    if living {
        // The demo's findings are there on first start, before the job's first run.
        let run = gongzhi_server::diagnosis::ops::run(
            store,
            &gongzhi_server::diagnosis::jobs::system(),
            gongzhi_store::now_millis(),
        )
        .await?;
        eprintln!(
            "诊断已运行 / diagnosis: {} findings from {} cases in {} ms",
            run.findings, run.counts.cases_read, run.millis
        );
    }

    let integrating = Instant::now();
    let pending = store.ledger_pending().await?;
    let pb = bar(Some(pending), "写入账本 log");
    loop {
        let done = store.ledger_integrate_pending(100_000).await?;
        pb.inc(done.added());
        if done.added() == 0 {
            break;
        }
    }
    pb.finish();
    let ledger = Ledger::load(config).context("ledger key")?;
    let checkpoint = sequencer::sign_checkpoint(store, &ledger).await?;
    eprintln!(
        "账本已签署 / {pending} log entries integrated in {:.1}s; checkpoint size {}; total {:.1}s",
        integrating.elapsed().as_secs_f64(),
        checkpoint.map_or(0, |c| c.size),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
