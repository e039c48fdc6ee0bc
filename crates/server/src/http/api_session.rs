//! Logging in and out over the JSON API, and `GET /api/v1/me`.

use crate::auth::{
    ApiUser, SESSION_TTL_MILLIS, User, clear_session_cookie, session_cookie, session_token,
};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::throttle::ClientIp;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_store::{AccountRow, LoginOutcome};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

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

/// The one answer to a wrong password, an unknown name and a locked account alike, so that
/// a guesser learns neither which names exist nor which are locked.
fn bad_credentials() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "bad_credentials",
        "用户名或密码错误",
        "wrong username or password",
    )
}

/// Checks credentials and opens a session; the error says why in both languages. An address
/// that has failed too often is refused before any password is hashed.
pub async fn log_in(
    st: &AppState,
    ip: IpAddr,
    username: &str,
    password: &str,
) -> ApiResult<(String, AccountRow)> {
    st.throttle.login.take(ip)?;
    match st
        .store
        .login(username.trim(), password, &st.login_policy)
        .await?
    {
        LoginOutcome::Success(account) => {
            st.throttle.login.give_back(ip);
            let token = st
                .store
                .create_session(account.id, SESSION_TTL_MILLIS)
                .await?;
            Ok((token, account))
        }
        LoginOutcome::BadCredentials | LoginOutcome::Locked { .. } => Err(bad_credentials()),
        LoginOutcome::Disabled => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "account_disabled",
            "账号已停用，请联系管理员",
            "the account is disabled; contact an administrator",
        )),
    }
}

async fn create(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(c): Json<Credentials>,
) -> ApiResult<Response> {
    let (token, account) = log_in(&st, ip, &c.username, &c.password).await?;
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
    if let Some(token) = session_token(&headers, st.secure_cookies) {
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
