use crate::grid_index::SharedGridIndex;
use gongzhi_domain::access::LoginPolicy;
use gongzhi_store::Store;
use std::path::PathBuf;

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub grids: SharedGridIndex,
    pub login_policy: LoginPolicy,
    /// Set behind TLS so that cookies carry `Secure`.
    pub secure_cookies: bool,
    pub data_dir: PathBuf,
}
