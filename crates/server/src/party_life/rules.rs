//! The rules 三会一课 and the five steps are judged by: stored by the city as JSON in
//! `party_settings`, the shipped defaults when absent. `GET/PUT /api/v1/party/rules`.

use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use gongzhi_domain::Bilingual;
use gongzhi_domain::access::{Action, Target};
use gongzhi_domain::party::five_steps::FiveStepsRules;
use gongzhi_domain::party::meetings::CadenceRules;
use serde::{Deserialize, Serialize};

const CADENCE: &str = "cadence_rules";
const FIVE_STEPS: &str = "five_steps_rules";

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/party/rules", get(show).put(set))
}

async fn stored<T: for<'de> Deserialize<'de> + Default>(st: &AppState, key: &str) -> ApiResult<T> {
    match st.store.party_setting(key).await? {
        None => Ok(T::default()),
        Some(v) => serde_json::from_str(&v).map_err(|e| {
            tracing::error!(error = %e, key, "stored party rules unreadable");
            ApiError::new(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "党建规则配置无法读取",
                "the stored party rules cannot be read",
            )
        }),
    }
}

pub async fn cadence_rules(st: &AppState) -> ApiResult<CadenceRules> {
    stored(st, CADENCE).await
}

pub async fn five_steps_rules(st: &AppState) -> ApiResult<FiveStepsRules> {
    stored(st, FIVE_STEPS).await
}

#[derive(Serialize, Deserialize)]
struct Rules {
    cadence: CadenceRules,
    five_steps: FiveStepsRules,
}

async fn show(State(st): State<AppState>, ApiUser(_user): ApiUser) -> ApiResult<Json<Rules>> {
    Ok(Json(Rules {
        cadence: cadence_rules(&st).await?,
        five_steps: five_steps_rules(&st).await?,
    }))
}

/// The rules are the city's: whoever keeps party organisations everywhere sets them.
async fn set(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(r): Json<Rules>,
) -> ApiResult<Json<Rules>> {
    user.may(Action::ManagePartyOrg, &Target::Everything)?;
    r.cadence.check().map_err(|e| {
        let mut err = ApiError::from_bilingual(axum::http::StatusCode::BAD_REQUEST, &e);
        err.body.field = Some(format!("cadence.{}_months", e.kind.as_str()));
        err.body.code = e.code().into();
        err
    })?;
    let f = &r.five_steps;
    if f.branch_minimum == 0 || f.joint_meeting_days == 0 {
        return Err(ApiError::bad_request(
            "five_steps",
            "建支部所需党员数和联席会议间隔天数须大于 0",
            "branch_minimum and joint_meeting_days must be above 0",
        ));
    }
    let actor = user.actor();
    let cadence = serde_json::to_string(&r.cadence).expect("rules serialise");
    let five_steps = serde_json::to_string(&r.five_steps).expect("rules serialise");
    st.store
        .set_party_setting(&actor, CADENCE, &cadence)
        .await?;
    st.store
        .set_party_setting(&actor, FIVE_STEPS, &five_steps)
        .await?;
    Ok(Json(r))
}
