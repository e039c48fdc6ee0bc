//! Account administration and the two audit logs.

use crate::auth::{ApiUser, User};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_domain::access::{Action, Role, Scope, Target, password_weakness, scope_fits};
use gongzhi_store::{AccountDraft, AccountRow, AuditEntry, PiiAccessEntry, scope_from_db};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/accounts", get(list).post(create))
        .route("/api/v1/accounts/{id}/role", post(set_role))
        .route("/api/v1/accounts/{id}/password", post(reset_password))
        .route("/api/v1/accounts/{id}/disable", post(disable))
        .route("/api/v1/accounts/{id}/enable", post(enable))
        .route("/api/v1/audit", get(audit))
        .route("/api/v1/pii-access", get(pii_access))
}

#[derive(Deserialize, Clone)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub scope: String,
    #[serde(default)]
    pub can_unmask: bool,
    pub password: String,
}

pub fn parse_role_scope(role: &str, scope: &str) -> ApiResult<(Role, Scope)> {
    let role = Role::parse(role.trim()).map_err(|_| {
        ApiError::bad_request(
            "role",
            format!("未知角色：{role}"),
            format!("unknown role: {role}"),
        )
    })?;
    let scope = scope_from_db(scope.trim()).ok_or_else(|| {
        ApiError::bad_request(
            "scope",
            format!("管辖范围格式应为 all、area:区划代码、grid:网格编码、department:部门代码 或 self，实际为：{scope}"),
            format!("scope must be all, area:<code>, grid:<code>, department:<code> or self, got: {scope}"),
        )
    })?;
    if !scope_fits(role, &scope) {
        return Err(ApiError::bad_request(
            "scope",
            format!("角色「{}」不能使用该管辖范围", role.zh()),
            format!("role {} cannot have this kind of scope", role.as_str()),
        ));
    }
    Ok((role, scope))
}

pub fn check_password(password: &str) -> ApiResult<()> {
    match password_weakness(password) {
        Some((zh, en)) => Err(ApiError::bad_request("password", zh, en)),
        None => Ok(()),
    }
}

/// An admin who changed their own role or scope could demote themselves out of account
/// management (and, as the only admin, leave nobody able to undo it); like disabling oneself,
/// it is refused, naming `id`. Another admin may still change the account.
pub fn refuse_own_role_change(user: &User, id: i64) -> ApiResult<()> {
    if id == user.account.id {
        return Err(ApiError::bad_request(
            "id",
            "不能修改自己的角色和管辖范围",
            "you cannot change your own role or scope",
        ));
    }
    Ok(())
}

pub async fn create_account(st: &AppState, user: &User, a: &NewAccount) -> ApiResult<i64> {
    user.may(Action::ManageAccounts, &Target::Everything)?;
    let username = a.username.trim();
    if username.is_empty()
        || username.chars().count() > 40
        || username.contains(char::is_whitespace)
    {
        return Err(ApiError::bad_request(
            "username",
            "用户名须为1–40个字符且不含空格",
            "username must be 1–40 characters without spaces",
        ));
    }
    if a.display_name.trim().is_empty() {
        return Err(ApiError::bad_request(
            "display_name",
            "请填写姓名",
            "display name is required",
        ));
    }
    let (role, scope) = parse_role_scope(&a.role, &a.scope)?;
    check_password(&a.password)?;
    let draft = AccountDraft {
        username: username.to_string(),
        display_name: a.display_name.trim().to_string(),
        role,
        scope,
        can_unmask: a.can_unmask,
        password: a.password.clone(),
        is_demo: false,
    };
    Ok(st.store.create_account(&draft, &user.actor()).await?)
}

async fn list(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Vec<AccountRow>>> {
    user.may(Action::ManageAccounts, &Target::Everything)?;
    Ok(Json(st.store.accounts().await?))
}

async fn create(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(a): Json<NewAccount>,
) -> ApiResult<(StatusCode, Json<AccountRow>)> {
    let id = create_account(&st, &user, &a).await?;
    let row = st
        .store
        .account(id)
        .await?
        .ok_or_else(|| ApiError::not_found("账号", "account"))?;
    Ok((StatusCode::CREATED, Json(row)))
}

#[derive(Deserialize)]
pub struct RoleChange {
    pub role: String,
    pub scope: String,
    #[serde(default)]
    pub can_unmask: bool,
}

async fn set_role(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(c): Json<RoleChange>,
) -> ApiResult<Json<AccountRow>> {
    user.may(Action::ManageAccounts, &Target::Everything)?;
    refuse_own_role_change(&user, id)?;
    let (role, scope) = parse_role_scope(&c.role, &c.scope)?;
    st.store
        .set_account_role(id, role, &scope, c.can_unmask, &user.actor())
        .await?;
    Ok(Json(
        st.store
            .account(id)
            .await?
            .ok_or_else(|| ApiError::not_found("账号", "account"))?,
    ))
}

#[derive(Deserialize)]
pub struct PasswordChange {
    pub password: String,
}

async fn reset_password(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(c): Json<PasswordChange>,
) -> ApiResult<StatusCode> {
    user.may(Action::ManageAccounts, &Target::Everything)?;
    check_password(&c.password)?;
    st.store
        .reset_password(
            id,
            &c.password,
            &user.actor(),
            user.token_id.filter(|_| user.account.id == id),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn disable(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    user.may(Action::ManageAccounts, &Target::Everything)?;
    if id == user.account.id {
        return Err(ApiError::bad_request(
            "id",
            "不能停用自己的账号",
            "you cannot disable your own account",
        ));
    }
    st.store
        .set_account_disabled(id, true, &user.actor())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn enable(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    user.may(Action::ManageAccounts, &Target::Everything)?;
    st.store
        .set_account_disabled(id, false, &user.actor())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct LogQuery {
    limit: Option<i64>,
    resident: Option<i64>,
}

async fn audit(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<LogQuery>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    user.may(Action::ViewAuditLog, &Target::Everything)?;
    Ok(Json(
        st.store
            .audit_entries(q.limit.unwrap_or(200).clamp(1, 5000))
            .await?,
    ))
}

async fn pii_access(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<LogQuery>,
) -> ApiResult<Json<Vec<PiiAccessEntry>>> {
    user.may(Action::ViewAuditLog, &Target::Everything)?;
    Ok(Json(
        st.store
            .pii_access_entries(q.resident, q.limit.unwrap_or(200).clamp(1, 5000))
            .await?,
    ))
}
