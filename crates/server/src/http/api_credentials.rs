//! Machine credentials: bearer tokens and Open311 keys, listed and revoked. They are issued
//! on the command line (`gongzhi token create`, `gongzhi apikey create`), where they are
//! shown once.

use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use gongzhi_domain::access::{Action, Target};
use gongzhi_store::{ApiKeyRow, ApiTokenRow};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/tokens", get(tokens))
        .route("/api/v1/tokens/{id}", delete(revoke_token))
        .route("/api/v1/apikeys", get(api_keys))
        .route("/api/v1/apikeys/{id}", delete(revoke_api_key))
}

#[derive(Deserialize)]
struct TokenQuery {
    account: Option<i64>,
}

/// An administrator sees every live token (or one account's); anyone else their own.
async fn tokens(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<TokenQuery>,
) -> ApiResult<Json<Vec<ApiTokenRow>>> {
    let account = if user
        .may(Action::ManageAccounts, &Target::Everything)
        .is_ok()
    {
        q.account
    } else {
        Some(user.account.id)
    };
    Ok(Json(st.store.api_tokens(account).await?))
}

/// An administrator revokes any token; anyone else only their own. A token someone else
/// holds is "not found" to them, as if it did not exist. The token a request is made with is
/// not revoked by that request (as an administrator cannot disable their own account): a
/// client cannot lose its rights by one stray call; revoke it from a session or the CLI.
async fn revoke_token(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let missing = || ApiError::not_found(format!("令牌 {id}"), format!("token {id}"));
    let token = st.store.api_token(id).await?.ok_or_else(missing)?;
    let admin = user
        .may(Action::ManageAccounts, &Target::Everything)
        .is_ok();
    if !admin && token.account_id != user.account.id {
        return Err(missing());
    }
    if user.token_id == Some(id) {
        return Err(ApiError::bad_request(
            "id",
            "不能用令牌吊销它自己，请在网页会话中或用 gongzhi token revoke 吊销",
            "a token cannot revoke itself; revoke it from a browser session or with gongzhi token revoke",
        ));
    }
    st.store.revoke_api_token(id, &user.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn api_keys(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Vec<ApiKeyRow>>> {
    user.may(Action::ManageAccounts, &Target::Everything)?;
    Ok(Json(st.store.api_keys().await?))
}

async fn revoke_api_key(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    user.may(Action::ManageAccounts, &Target::Everything)?;
    st.store.revoke_api_key(id, &user.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}
