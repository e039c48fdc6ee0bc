//! The city's supervision clock (days, working or calendar days, reminder, notice and
//! suggestion), kept as one `loop_settings` entry beside the closed loop's settings. Set by
//! whoever issues orders city-wide (the district's discipline commission, the administrator).

use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use gongzhi_domain::access::{Action, Target};
use gongzhi_domain::supervision::ClockSettings;
use gongzhi_store::StoreError;

pub const KEY: &str = "supervision_clock";

/// The stored settings, the shipped defaults when none are stored.
pub async fn current(st: &AppState) -> Result<ClockSettings, StoreError> {
    let stored = st.store.loop_settings().await?;
    Ok(stored
        .iter()
        .find(|(k, _)| k == KEY)
        .and_then(|(_, v)| serde_json::from_str::<ClockSettings>(v).ok())
        .unwrap_or_default())
}

pub fn may_set(user: &User) -> bool {
    user.may(Action::IssueSupervision, &Target::Everything)
        .is_ok()
}

/// Checks and stores new settings (orders already running keep their clock).
pub async fn set(st: &AppState, user: &User, s: ClockSettings) -> ApiResult<ClockSettings> {
    user.may(Action::IssueSupervision, &Target::Everything)?;
    let s = s.checked().map_err(super::invalid)?;
    let value = serde_json::to_string(&s).map_err(|e| {
        ApiError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "设置无法保存",
            e.to_string(),
        )
    })?;
    st.store
        .set_loop_setting(&user.actor(), KEY, &value)
        .await?;
    Ok(s)
}
