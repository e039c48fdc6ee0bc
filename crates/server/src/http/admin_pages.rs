//! Admin pages: accounts (create, role and scope, password reset, disable), their bearer
//! tokens and the Open311 keys (revoke), and the audit logs.

use crate::auth::{PageUser, User, lang_of};
use crate::error::ApiResult;
use crate::http::api_admin::{
    NewAccount, check_password, create_account, parse_role_scope, refuse_own_role_change,
};
use crate::http::chrome::{Chrome, render};
use crate::http::pages::page;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use gongzhi_domain::access::{Action, Role, Target};
use gongzhi_store::{AuditEntry, PiiAccessEntry, scope_to_db};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/accounts", get(accounts).post(create))
        .route("/admin/accounts/{id}", get(account))
        .route("/admin/accounts/{id}/role", post(set_role))
        .route("/admin/accounts/{id}/password", post(reset_password))
        .route("/admin/accounts/{id}/disable", post(disable))
        .route("/admin/accounts/{id}/enable", post(enable))
        .route("/admin/accounts/{id}/resident", post(link_resident))
        .route("/admin/tokens/{id}/revoke", post(revoke_token))
        .route("/admin/apikeys/{id}/revoke", post(revoke_api_key))
        .route("/admin/audit", get(audit))
}

struct AccountLine {
    id: i64,
    username: String,
    display_name: String,
    role: &'static str,
    role_label: &'static str,
    scope: String,
    /// The scope by name, as the table shows it.
    scope_label: String,
    can_unmask: bool,
    disabled: bool,
    locked: bool,
}

/// A bearer token or an Open311 key: who holds it, its label, when it stops working.
struct CredentialLine {
    id: i64,
    holder: String,
    name: String,
    expires: String,
}

#[derive(Template)]
#[template(path = "accounts.html")]
struct AccountsPage {
    c: Chrome,
    accounts: Vec<AccountLine>,
    tokens: Vec<CredentialLine>,
    keys: Vec<CredentialLine>,
    roles: Vec<(&'static str, &'static str)>,
    scopes: super::scope_choices::ScopeChoices,
    ok: Option<String>,
    error: Option<String>,
    /// One account with its forms (`/admin/accounts/{id}`); the list links each account there,
    /// so that a city with hundreds of accounts (a district's red grid members) is not one
    /// scope list per row.
    editing: bool,
    /// The resident the edited account is linked to (a resident's account only), masked.
    linked: Option<String>,
}

async fn accounts_page(
    st: &AppState,
    user: &User,
    t: Lang,
    ok: Option<String>,
    error: Option<String>,
) -> ApiResult<Response> {
    accounts_view(st, user, t, ok, error, None).await
}

async fn accounts_view(
    st: &AppState,
    user: &User,
    t: Lang,
    ok: Option<String>,
    error: Option<String>,
    only: Option<i64>,
) -> ApiResult<Response> {
    user.may(Action::ManageAccounts, &Target::Everything)?;
    let now = gongzhi_store::now_millis();
    let lookups = st.store.lookups().await.ok();
    let places = st.grids.places();
    let names = super::audit_text::Names {
        lookups: lookups.as_deref(),
        places: places.as_deref(),
    };
    let accounts = st
        .store
        .accounts()
        .await?
        .into_iter()
        .filter(|a| only.is_none_or(|id| a.id == id))
        .map(|a| AccountLine {
            id: a.id,
            locked: a.locked_until > now,
            role: a.role.as_str(),
            role_label: t.s(a.role.zh(), a.role.en()),
            scope: scope_to_db(&a.scope),
            scope_label: super::audit_text::scope_label(t, &a.scope, names),
            username: a.username,
            display_name: a.display_name,
            can_unmask: a.can_unmask,
            disabled: a.disabled,
        })
        .collect::<Vec<_>>();
    if only.is_some() && accounts.is_empty() {
        return Err(crate::error::ApiError::not_found("账号", "account"));
    }
    let linked = match only {
        Some(id) => crate::services::accounts::linked(st, id).await?,
        None => None,
    };
    let roles = Role::ALL
        .iter()
        .map(|r| (r.as_str(), t.s(r.zh(), r.en())))
        .collect();
    let tokens = st
        .store
        .api_tokens(None)
        .await?
        .into_iter()
        .map(|k| CredentialLine {
            id: k.id,
            holder: k.username,
            name: k.name,
            expires: crate::time::local(k.expires_at),
        })
        .collect();
    let keys = st
        .store
        .api_keys()
        .await?
        .into_iter()
        .map(|k| CredentialLine {
            id: k.id,
            holder: String::new(),
            name: k.name,
            expires: crate::time::local(k.expires_at),
        })
        .collect();
    Ok(render(&AccountsPage {
        c: Chrome::new(t, user, "/admin/accounts", t.s("账号", "Accounts")),
        accounts,
        tokens,
        keys,
        roles,
        scopes: super::scope_choices::scope_choices(t, names.lookups, names.places),
        ok,
        error,
        editing: only.is_some(),
        linked,
    }))
}

async fn accounts(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
) -> Response {
    let t = lang_of(&headers);
    let r = accounts_page(&st, &user, t, None, None).await;
    page(t, &user, r)
}

/// One account with the forms that change it.
async fn account(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let t = lang_of(&headers);
    let r = accounts_view(&st, &user, t, None, None, Some(id)).await;
    page(t, &user, r)
}

/// Runs an admin act and shows the accounts page again with its outcome.
async fn after(
    st: &AppState,
    user: &User,
    t: Lang,
    result: ApiResult<(&'static str, &'static str)>,
) -> Response {
    let r = match result {
        Ok((zh, en)) => accounts_page(st, user, t, Some(t.s(zh, en).to_string()), None).await,
        Err(e) if e.status.as_u16() == 403 => Err(e),
        Err(e) => {
            let msg = if t.is_en() {
                e.body.message_en
            } else {
                e.body.message
            };
            accounts_page(st, user, t, None, Some(msg)).await
        }
    };
    page(t, user, r)
}

#[derive(Deserialize)]
struct CreateForm {
    csrf: String,
    username: String,
    display_name: String,
    role: String,
    scope: String,
    can_unmask: Option<String>,
    password: String,
}

async fn create(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Form(f): Form<CreateForm>,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        user.check_csrf(&f.csrf)?;
        let a = NewAccount {
            username: f.username,
            display_name: f.display_name,
            role: f.role,
            scope: f.scope,
            can_unmask: f.can_unmask.is_some(),
            password: f.password,
        };
        create_account(&st, &user, &a).await?;
        Ok(("账号已创建", "account created"))
    }
    .await;
    after(&st, &user, t, result).await
}

#[derive(Deserialize)]
struct RoleForm {
    csrf: String,
    role: String,
    scope: String,
    can_unmask: Option<String>,
}

async fn set_role(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<RoleForm>,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        user.check_csrf(&f.csrf)?;
        user.may(Action::ManageAccounts, &Target::Everything)?;
        refuse_own_role_change(&user, id)?;
        let (role, scope) = parse_role_scope(&f.role, &f.scope)?;
        st.store
            .set_account_role(id, role, &scope, f.can_unmask.is_some(), &user.actor())
            .await?;
        Ok(("角色与范围已保存", "role and scope saved"))
    }
    .await;
    after(&st, &user, t, result).await
}

#[derive(Deserialize)]
struct PasswordForm {
    csrf: String,
    password: String,
}

async fn reset_password(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<PasswordForm>,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        user.check_csrf(&f.csrf)?;
        user.may(Action::ManageAccounts, &Target::Everything)?;
        check_password(&f.password)?;
        st.store
            .reset_password(id, &f.password, &user.actor(), None)
            .await?;
        Ok(("密码已重置", "password reset"))
    }
    .await;
    after(&st, &user, t, result).await
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: String,
}

async fn revoke_token(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        user.check_csrf(&f.csrf)?;
        user.may(Action::ManageAccounts, &Target::Everything)?;
        st.store.revoke_api_token(id, &user.actor()).await?;
        Ok(("令牌已吊销", "token revoked"))
    }
    .await;
    after(&st, &user, t, result).await
}

async fn revoke_api_key(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        user.check_csrf(&f.csrf)?;
        user.may(Action::ManageAccounts, &Target::Everything)?;
        st.store.revoke_api_key(id, &user.actor()).await?;
        Ok(("Open311 密钥已吊销", "Open311 key revoked"))
    }
    .await;
    after(&st, &user, t, result).await
}

async fn disable(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        user.check_csrf(&f.csrf)?;
        user.may(Action::ManageAccounts, &Target::Everything)?;
        if id == user.account.id {
            return Err(crate::error::ApiError::bad_request(
                "id",
                "不能停用自己的账号",
                "you cannot disable your own account",
            ));
        }
        st.store
            .set_account_disabled(id, true, &user.actor())
            .await?;
        Ok(("账号已停用", "account disabled"))
    }
    .await;
    after(&st, &user, t, result).await
}

#[derive(Deserialize)]
struct LinkForm {
    csrf: String,
    id_number: String,
}

async fn link_resident(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<LinkForm>,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        user.check_csrf(&f.csrf)?;
        crate::services::accounts::link(&st, &user, id, &f.id_number).await?;
        Ok(("已关联居民信息", "linked to the resident"))
    }
    .await;
    after(&st, &user, t, result).await
}

async fn enable(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        user.check_csrf(&f.csrf)?;
        user.may(Action::ManageAccounts, &Target::Everything)?;
        st.store
            .set_account_disabled(id, false, &user.actor())
            .await?;
        Ok(("账号已启用", "account enabled"))
    }
    .await;
    after(&st, &user, t, result).await
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    /// (time, entry, the entry as a sentence)
    audit: Vec<(String, AuditEntry, String)>,
    pii: Vec<(String, PiiAccessEntry)>,
}

async fn audit(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        user.may(Action::ViewAuditLog, &Target::Everything)?;
        let lookups = st.store.lookups().await.ok();
        let places = st.grids.places();
        let names = super::audit_text::Names {
            lookups: lookups.as_deref(),
            places: places.as_deref(),
        };
        let audit = st
            .store
            .audit_entries(300)
            .await?
            .into_iter()
            .map(|e| {
                let text = super::audit_text::sentence(t, &e, names);
                (crate::time::local(e.at), e, text)
            })
            .collect();
        let pii = st
            .store
            .pii_access_entries(None, 300)
            .await?
            .into_iter()
            .map(|e| (crate::time::local(e.at), e))
            .collect();
        Ok(render(&AuditPage {
            c: Chrome::new(t, &user, "/admin/audit", t.s("审计", "Audit")),
            audit,
            pii,
        }))
    }
    .await;
    page(t, &user, body)
}
