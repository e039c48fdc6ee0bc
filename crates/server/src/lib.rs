//! gongzhi-server: the axum application — pages, JSON API, auth — over the store.

pub mod app;
pub mod assessment;
pub mod auth;
pub mod cadre_roster;
pub mod cadres;
pub mod cases;
pub mod cobuild;
pub mod conduct;
pub mod config;
pub mod deliberation;
pub mod diagnosis;
mod documents;
pub mod emergency;
pub mod error;
pub mod grid_index;
pub mod http;
pub mod i18n;
pub mod import_stream;
pub mod imports;
pub mod inquiry;
pub mod ledger;
pub mod livelihood;
pub mod map;
pub mod notice_board;
pub mod open311;
pub mod party;
pub mod party_life;
pub mod place_layer;
pub mod power_list;
pub mod red_grid;
pub mod services;
pub mod state;
pub mod supervision;
pub mod throttle;
pub mod tiles;
pub mod time;
pub mod views;
pub mod webhooks;

/// Lets the shared test helper (`tests/common`) name this crate `gongzhi_server` in unit tests too.
#[cfg(test)]
extern crate self as gongzhi_server;

/// The one `TestApp` helper, shared with the HTTP tests in `tests/api`.
#[cfg(test)]
#[path = "../tests/common/mod.rs"]
pub(crate) mod test_app;

pub use config::ServerConfig;
pub use state::AppState;

use gongzhi_domain::access::LoginPolicy;
use gongzhi_store::Store;
use std::net::SocketAddr;

/// Builds the application state around an open store (loads the grid index).
pub async fn state(
    store: Store,
    config: &ServerConfig,
) -> Result<AppState, gongzhi_store::StoreError> {
    let grids = grid_index::SharedGridIndex::default();
    grids.reload(&store).await?;
    cases::setup::ensure_defaults(&store).await?;
    let mut loop_cfg = cases::setup::loop_config(&store).await?;
    loop_cfg.whistle = config.whistle.clone();
    let loop_cfg = std::sync::Arc::new(cases::live_config::LiveLoopConfig::new(loop_cfg));
    let ledger = ledger::Ledger::load(config).map_err(|e| {
        use gongzhi_domain::Bilingual;
        gongzhi_store::StoreError::Conflict {
            code: "ledger_key",
            zh: e.message_zh(),
            en: e.message_en(),
        }
    })?;
    Ok(AppState {
        store,
        grids,
        login_policy: LoginPolicy::default(),
        secure_cookies: config.cookies_secure(),
        throttle: std::sync::Arc::new(throttle::Throttles::new(config.trusted_proxies.clone())),
        data_dir: config.data_dir.clone(),
        loop_cfg,
        auto_dispatch: config.auto_dispatch,
        tiles: config.tiles.clone().map(std::sync::Arc::new),
        ledger: std::sync::Arc::new(ledger),
        inquiry: std::sync::Arc::new(inquiry::Inquiry::new(config.search_dir())),
    })
}

/// Starts the background jobs (the deadline job) for a serving process.
pub fn spawn_jobs(state: &AppState) {
    // The deadline job also runs the whistle's check-in clock (reminders, overdue alerts).
    cases::jobs::spawn(state.clone(), std::time::Duration::from_secs(30));
    // Another server may import grids into the shared database: refresh the point → grid
    // index now and then (building it takes milliseconds).
    let refresh = state.clone();
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(std::time::Duration::from_secs(60));
        ticker.tick().await;
        loop {
            ticker.tick().await;
            if let Err(e) = refresh.grids.reload(&refresh.store).await {
                tracing::warn!(error = %e, "grid index refresh");
            }
        }
    });
    webhooks::worker::spawn(state.store.clone());
    ledger::sequencer::spawn(state.clone());
    // 应急: escalation in minutes needs a tick of seconds, not the deadline job's 30.
    emergency::jobs::spawn(state.clone());
    // 诊断's periodic run: looks every 10 minutes whether the last run is older than 6 hours.
    diagnosis::jobs::spawn(state.clone(), std::time::Duration::from_secs(600));
    // PostgreSQL's case writes leave their cube sums pending (decision 043); a dashboard folds
    // them before it reads, and this folds them every second when no one reads.
    if state.store.backend() == gongzhi_store::Backend::Postgres {
        let fold = state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
            loop {
                tick.tick().await;
                if let Err(e) = fold.store.fold_cube_pending().await {
                    tracing::warn!(error = %e, "cube fold");
                }
            }
        });
    }
    // The search index catches up with the database and follows it from the start, not from
    // the first search.
    let search = state.clone();
    tokio::spawn(async move {
        if let Err(e) = search.inquiry.ready(&search).await {
            tracing::warn!(error = %e, "search index");
        }
    });
}

/// Serves until the process is stopped; returns the bound address through `on_bound` first
/// (port 0 picks a free port, which tests use).
pub async fn serve(
    state: AppState,
    listen: SocketAddr,
    on_bound: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    on_bound(listener.local_addr()?);
    // The peer's address reaches the handlers: anonymous attempts are limited per address.
    let app = http::router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
