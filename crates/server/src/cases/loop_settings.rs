//! The city's settings of the closed loop, set on the dispatch-rules page: today whether grid
//! workers verify (核查) the cases in their grid. City-wide, so only who may dispatch
//! everywhere (the policy's `DispatchCase` on the whole city) sets them.

use crate::auth::{PageUser, User};
use crate::cases::setup::VERIFICATION_BY_GRID;
use crate::error::ApiResult;
use crate::state::AppState;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongzhi_domain::access::{Action, Target};
use serde::Deserialize;

/// The query the page is shown with after a setting was saved.
pub const SAVED: &str = "settings";

/// May `user` change the city's loop settings?
pub fn may_set(user: &User) -> bool {
    user.may(Action::DispatchCase, &Target::Everything).is_ok()
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    csrf: String,
    /// A checkbox: present ("true") when ticked.
    verification_by_grid: Option<String>,
}

async fn save(st: &AppState, user: &User, f: &SettingsForm) -> ApiResult<()> {
    user.check_csrf(&f.csrf)?;
    user.may(Action::DispatchCase, &Target::Everything)?;
    let on = f.verification_by_grid.as_deref() == Some("true");
    st.store
        .set_loop_setting(
            &user.actor(),
            VERIFICATION_BY_GRID,
            if on { "true" } else { "false" },
        )
        .await?;
    // In force on this server at once; the others within the configuration's TTL.
    st.loop_cfg.reload(&st.store).await?;
    Ok(())
}

/// `POST /rules/settings`: saves and returns to the rules page with a success message.
pub async fn post(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: axum::http::HeaderMap,
    Form(f): Form<SettingsForm>,
) -> Response {
    match save(&st, &user, &f).await {
        Ok(()) => Redirect::to(&format!("/rules?done={SAVED}")).into_response(),
        Err(e) => {
            let t = crate::auth::lang_of(&headers);
            super::rules::rules_page(&st, &user, t, Err(e)).await
        }
    }
}
