//! Logging in and out over the JSON API, and `GET /api/v1/me`.

use crate::auth::{
    ApiUser, SESSION_COOKIE, SESSION_TTL_MILLIS, User, clear_session_cookie, cookie, session_cookie,
};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_store::{AccountRow, LoginOutcome};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/session", post(create).delete(destroy))
        .route("/api/v1/me", get(me))
}

#[derive(Deserialize)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

#[derive(Serialize)]
pub struct Me {
    pub account: AccountRow,
    pub role_label: String,
    pub csrf_token: Option<String>,
}

/// Checks credentials and opens a session; the error says why in both languages.
pub async fn log_in(
    st: &AppState,
    username: &str,
    password: &str,
) -> ApiResult<(String, AccountRow)> {
    match st
        .store
        .login(username.trim(), password, &st.login_policy)
        .await?
    {
        LoginOutcome::Success(account) => {
            let token = st
                .store
                .create_session(account.id, SESSION_TTL_MILLIS)
                .await?;
            Ok((token, account))
        }
        LoginOutcome::BadCredentials => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "bad_credentials",
            "用户名或密码错误",
            "wrong username or password",
        )),
        LoginOutcome::Locked { until } => {
            let minutes = ((until - gongzhi_store::now_millis()) / 60_000).max(1);
            Err(ApiError::new(
                StatusCode::LOCKED,
                "account_locked",
                format!("连续登录失败次数过多，账号已锁定，请{minutes}分钟后再试"),
                format!(
                    "too many failed logins; the account is locked, try again in {minutes} minutes"
                ),
            ))
        }
        LoginOutcome::Disabled => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "account_disabled",
            "账号已停用，请联系管理员",
            "the account is disabled; contact an administrator",
        )),
    }
}

async fn create(State(st): State<AppState>, Json(c): Json<Credentials>) -> ApiResult<Response> {
    let (token, account) = log_in(&st, &c.username, &c.password).await?;
    let csrf = st.store.session(&token).await?.map(|s| s.csrf_token);
    let body = Me {
        role_label: account.role.zh().to_string(),
        account,
        csrf_token: csrf,
    };
    Ok((
        [(
            header::SET_COOKIE,
            session_cookie(&token, st.secure_cookies),
        )],
        Json(body),
    )
        .into_response())
}

async fn destroy(
    State(st): State<AppState>,
    ApiUser(_user): ApiUser,
    headers: HeaderMap,
) -> ApiResult<Response> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        st.store.delete_session(token).await?;
    }
    Ok((
        [(header::SET_COOKIE, clear_session_cookie(st.secure_cookies))],
        StatusCode::NO_CONTENT,
    )
        .into_response())
}

async fn me(ApiUser(user): ApiUser) -> Json<Me> {
    let User { account, csrf, .. } = user;
    Json(Me {
        role_label: account.role.zh().to_string(),
        account,
        csrf_token: csrf,
    })
}
