//! The server's part in a 吹哨报到 page: the rules in force for whoever looks.

use crate::error::ApiResult;
use crate::state::AppState;
use gongzhi_domain::case::{Actor, LoopConfig};
use std::sync::Arc;

/// The configuration in force for `who` on a whistle (the application layer decides).
pub async fn config_for(st: &AppState, who: &Actor) -> ApiResult<Arc<LoopConfig>> {
    Ok(crate::app::config_for(st, who).await?)
}
