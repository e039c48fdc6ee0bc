//! `gongzhi` — one binary: serve the platform, seed the demo city, import and export data,
//! issue tokens, back up and restore.

mod backup;
mod cadre_roster;
mod calendar;
mod city;
mod cobuild_seed;
mod commands;
mod conduct_seed;
mod context;
mod cube;
mod deliberation_seed;
mod emergency_seed;
mod party_life_seed;
mod party_seed;
mod power_seed;
mod red_grid;
mod seed;
mod seed_party;
mod services_seed;
mod stats;
mod supervision_seed;
mod verify;

use clap::Parser;

/// Many threads allocate and free small buffers per request (rows, JSON); glibc's allocator
/// spent ~17% of the server's CPU under the mixed load test, much of it in contention.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = commands::Cli::parse();
    match commands::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误 error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
