use crate::cases::live_config::LiveLoopConfig;
use crate::grid_index::SharedGridIndex;
use gongzhi_domain::access::LoginPolicy;
use gongzhi_store::Store;
use std::path::PathBuf;
use std::sync::Arc;

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub grids: SharedGridIndex,
    pub login_policy: LoginPolicy,
    /// Behind TLS: cookies carry `Secure`, the session cookie is `__Host-` prefixed and
    /// responses carry `Strict-Transport-Security`.
    pub secure_cookies: bool,
    /// Per-address limits on anonymous attempts (login, lookup codes, public reports).
    pub throttle: Arc<crate::throttle::Throttles>,
    pub data_dir: PathBuf,
    /// The closed loop's rules: calendar, deadlines, escalation chain.
    pub loop_cfg: Arc<LiveLoopConfig>,
    /// Register and dispatch new reports by the dispatch rules without waiting for a dispatcher.
    pub auto_dispatch: bool,
    /// The tile service drawn under the maps, when the deployment has one.
    pub tiles: Option<Arc<crate::tiles::TileLayer>>,
    /// The verifiable history's origin and signing key.
    pub ledger: Arc<crate::ledger::Ledger>,
    /// 查询: the search index, opened on first use and kept current by its own task.
    pub inquiry: Arc<crate::inquiry::Inquiry>,
}
