//! The city's risk weights and thresholds: read by anyone who keeps or watches power lists,
//! changed by the administrator or city-wide discipline supervision
//! (`may_set_risk_settings`). A change re-levels every item at once; the page then lists the
//! items whose level moved.

use super::forbidden;
use super::ops::by;
use crate::auth::{ApiUser, PageUser, User, lang_of};
use crate::error::{ApiError, ApiResult};
use crate::http::chrome::{Chrome, render};
use crate::http::pages::page;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Form, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use gongzhi_domain::power_list::{FACTORS, PowerError, RiskSettings, may_set_risk_settings};
use gongzhi_store::{Relevelled, now_millis};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/power-risk-settings", get(get_json).post(set_json))
        .route("/power/settings", get(settings_page).post(settings_form))
}

#[derive(Deserialize, Default, Debug)]
pub struct SettingsInput {
    pub w_importance: Option<i64>,
    pub w_discretion: Option<i64>,
    pub w_likelihood: Option<i64>,
    pub w_harm: Option<i64>,
    pub high_from: Option<i64>,
    pub medium_from: Option<i64>,
}

fn small(field: &str, v: Option<i64>) -> ApiResult<u8> {
    let v = v.ok_or_else(|| {
        ApiError::bad_request(
            field,
            "请填写四项权重和两个阈值",
            "give the four weights and both thresholds",
        )
    })?;
    u8::try_from(v).map_err(|_| {
        let e = match field {
            "high_from" | "medium_from" => PowerError::Thresholds,
            f => PowerError::WeightRange(
                FACTORS
                    .iter()
                    .zip(["w_importance", "w_discretion", "w_likelihood", "w_harm"])
                    .find(|(_, w)| *w == f)
                    .map(|((name, ..), _)| *name)
                    .unwrap_or("importance"),
            ),
        };
        super::invalid(e)
    })
}

impl SettingsInput {
    fn checked(&self) -> ApiResult<RiskSettings> {
        RiskSettings {
            w_importance: small("w_importance", self.w_importance)?,
            w_discretion: small("w_discretion", self.w_discretion)?,
            w_likelihood: small("w_likelihood", self.w_likelihood)?,
            w_harm: small("w_harm", self.w_harm)?,
            high_from: small("high_from", self.high_from)?,
            medium_from: small("medium_from", self.medium_from)?,
        }
        .checked()
        .map_err(super::invalid)
    }
}

fn may_read(user: &User) -> ApiResult<()> {
    super::scope(user).map(|_| ())
}

async fn set(st: &AppState, user: &User, b: &SettingsInput) -> ApiResult<Vec<Relevelled>> {
    if !may_set_risk_settings(&user.principal()) {
        return Err(forbidden(
            "只有系统管理员或纪委可以调整风险权重和阈值",
            "only the administrator or discipline supervision sets the risk weights",
        ));
    }
    let s = b.checked()?;
    Ok(st
        .store
        .set_power_risk_settings(&s, &by(user), now_millis())
        .await?)
}

#[derive(Serialize)]
pub struct SettingsReply {
    pub settings: RiskSettings,
    /// The items whose level the change moved.
    pub relevelled: Vec<Relevelled>,
}

async fn get_json(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<RiskSettings>> {
    may_read(&user)?;
    Ok(Json(st.store.power_risk_settings().await?))
}

async fn set_json(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<SettingsInput>,
) -> ApiResult<Json<SettingsReply>> {
    let relevelled = set(&st, &user, &b).await?;
    Ok(Json(SettingsReply {
        settings: st.store.power_risk_settings().await?,
        relevelled,
    }))
}

#[derive(Template)]
#[template(path = "power_settings.html")]
struct SettingsPage {
    c: Chrome,
    s: RiskSettings,
    factors: Vec<(&'static str, String, u8)>,
    may_set: bool,
    relevelled: Option<Vec<Relevelled>>,
    error: Option<String>,
}

async fn body(
    st: &AppState,
    user: &User,
    t: Lang,
    relevelled: Option<Vec<Relevelled>>,
    error: Option<String>,
) -> ApiResult<Response> {
    may_read(user)?;
    let s = st.store.power_risk_settings().await?;
    let names = ["w_importance", "w_discretion", "w_likelihood", "w_harm"];
    Ok(render(&SettingsPage {
        c: Chrome::new(
            t,
            user,
            "/power/manage",
            t.s("风险权重与阈值", "Risk weights"),
        ),
        factors: FACTORS
            .iter()
            .zip(names)
            .zip(s.weights())
            .map(|(((_, zh, en), name), w)| (name, t.s(zh, en).to_string(), w))
            .collect(),
        s,
        may_set: may_set_risk_settings(&user.principal()),
        relevelled,
        error,
    }))
}

async fn settings_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
) -> Response {
    let t = lang_of(&headers);
    let b = body(&st, &user, t, None, None).await;
    page(t, &user, b)
}

#[derive(Deserialize, Default)]
struct SettingsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    w_importance: String,
    #[serde(default)]
    w_discretion: String,
    #[serde(default)]
    w_likelihood: String,
    #[serde(default)]
    w_harm: String,
    #[serde(default)]
    high_from: String,
    #[serde(default)]
    medium_from: String,
}

async fn settings_form(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Form(f): Form<SettingsForm>,
) -> Response {
    let t = lang_of(&headers);
    let n = |s: &str| s.trim().parse::<i64>().ok();
    let r = async {
        user.check_csrf(&f.csrf)?;
        let input = SettingsInput {
            w_importance: n(&f.w_importance),
            w_discretion: n(&f.w_discretion),
            w_likelihood: n(&f.w_likelihood),
            w_harm: n(&f.w_harm),
            high_from: n(&f.high_from),
            medium_from: n(&f.medium_from),
        };
        set(&st, &user, &input).await
    }
    .await;
    match r {
        Ok(moved) => page(t, &user, body(&st, &user, t, Some(moved), None).await),
        Err(e) => {
            let msg = crate::cases::service::message(&e, t.is_en());
            match body(&st, &user, t, None, Some(msg)).await {
                Ok(p) => e.mark(p),
                Err(_) => page(t, &user, Err(e)),
            }
        }
    }
}
