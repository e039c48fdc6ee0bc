//! placeholder
pub fn router() -> axum::Router<crate::state::AppState> { axum::Router::new() }
pub mod work {
    pub async fn tiles(_st: &crate::state::AppState, _u: &crate::auth::User, _d: gongzhi_domain::calendar::Date) -> crate::error::ApiResult<Vec<crate::cases::work::Tile>> { Ok(Vec::new()) }
}
