//! Who is asking: a session cookie (browser) or a bearer token (machine client).
//! Decisions about what they may do are made by `gongzhi_domain::access::decide`.

use crate::error::ApiError;
use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use gongzhi_domain::access::{Action, Principal, Target, decide};
use gongzhi_store::{AccountRow, Actor};

pub const SESSION_COOKIE: &str = "gz_session";
/// The session cookie's name behind TLS: the `__Host-` prefix makes browsers refuse it
/// unless it is `Secure`, for the whole host (`Path=/`, no `Domain`), so neither a plain-http
/// page nor a sibling subdomain can plant or overwrite it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-gz_session";
pub const LANG_COOKIE: &str = "gz_lang";
pub const SESSION_TTL_MILLIS: i64 = 12 * 3600 * 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Session,
    Token,
}

/// An authenticated caller.
#[derive(Clone, Debug)]
pub struct User {
    pub account: AccountRow,
    pub via: Via,
    /// The session's CSRF token (browser sessions only).
    pub csrf: Option<String>,
    /// The bearer token's id (token callers only).
    pub token_id: Option<i64>,
    /// Unread notifications addressed to the caller (counted for pages, for the menu).
    pub unread: i64,
}

impl User {
    pub fn principal(&self) -> Principal {
        self.account.principal()
    }

    pub fn actor(&self) -> Actor<'_> {
        Actor {
            id: Some(self.account.id),
            name: &self.account.username,
        }
    }

    pub fn may(&self, action: Action, target: &Target) -> Result<(), ApiError> {
        decide(&self.principal(), action, target).map_err(ApiError::from)
    }

    /// Which rows of `list` the caller may see (the policy's answer; lists never decide it).
    pub fn listing(&self, list: gongzhi_domain::access::List) -> gongzhi_domain::access::Listing {
        gongzhi_domain::access::listing(&self.principal(), list)
    }

    /// Form posts from a browser session must carry the session's CSRF token.
    pub fn check_csrf(&self, presented: &str) -> Result<(), ApiError> {
        match (&self.via, &self.csrf) {
            (Via::Token, _) => Ok(()),
            (Via::Session, Some(expected))
                if constant_time_eq(expected.as_bytes(), presented.as_bytes()) =>
            {
                Ok(())
            }
            _ => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "csrf",
                "表单已过期或来源不明，请刷新页面后重试",
                "the form is stale or cross-site; reload the page and try again",
            )),
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The session cookie's name: prefixed when cookies are `Secure`.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        session_cookie_name(secure),
        SESSION_TTL_MILLIS / 1000,
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_session_cookie(secure: bool) -> String {
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        session_cookie_name(secure),
        if secure { "; Secure" } else { "" }
    )
}

/// The session token a request carries under the name in force.
pub fn session_token(headers: &HeaderMap, secure: bool) -> Option<&str> {
    cookie(headers, session_cookie_name(secure))
}

pub fn lang_of(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE)
        .and_then(Lang::from_tag)
        .unwrap_or_default()
}

async fn authenticate(parts: &Parts, state: &AppState) -> Result<Option<User>, ApiError> {
    if let Some(auth) = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        && let Some(token) = auth.strip_prefix("Bearer ")
    {
        return match state.store.api_token_holder(token.trim()).await? {
            Some((account, token_id)) => Ok(Some(User {
                account,
                via: Via::Token,
                csrf: None,
                token_id: Some(token_id),
                unread: 0,
            })),
            None => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "访问令牌无效或已停用",
                "the bearer token is invalid or revoked",
            )),
        };
    }
    let Some(token) = session_token(&parts.headers, state.secure_cookies) else {
        return Ok(None);
    };
    Ok(state.store.session(token).await?.map(|s| User {
        account: s.account,
        via: Via::Session,
        csrf: Some(s.csrf_token),
        token_id: None,
        unread: 0,
    }))
}

/// Extractor for `/api/v1`: 401 JSON without credentials; state-changing calls made with a
/// session cookie must send the session's CSRF token in `X-CSRF-Token`.
pub struct ApiUser(pub User);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user = authenticate(parts, state)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe && user.via == Via::Session {
            let presented = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            user.check_csrf(presented)?;
        }
        Ok(ApiUser(user))
    }
}

/// Extractor for HTML pages: without a session, a redirect to the login page.
pub struct PageUser(pub User);

pub struct ToLogin(ApiError);

impl IntoResponse for ToLogin {
    fn into_response(self) -> Response {
        if self.0.status == StatusCode::UNAUTHORIZED {
            Redirect::to("/login").into_response()
        } else if self.0.status == StatusCode::SERVICE_UNAVAILABLE {
            // No account to draw the page frame for: a bare page in both languages.
            let body = format!(
                "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>暂时无法访问 / Unavailable</title><main><h1>暂时无法访问</h1><p>{}</p><p lang=\"en\">{}</p></main></html>",
                self.0.body.message, self.0.body.message_en
            );
            crate::error::with_retry_after(
                (StatusCode::SERVICE_UNAVAILABLE, axum::response::Html(body)).into_response(),
            )
        } else {
            self.0.into_response()
        }
    }
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = ToLogin;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match authenticate(parts, state).await {
            Ok(Some(mut user)) => {
                // The menu's 待办 shows it on every page: one indexed count.
                let recipients = crate::cases::api::recipients(&user);
                user.unread = state
                    .store
                    .unread_notifications(&recipients)
                    .await
                    .map_err(|e| ToLogin(e.into()))?;
                Ok(PageUser(user))
            }
            Ok(None) => Err(ToLogin(ApiError::unauthorized())),
            Err(e) => Err(ToLogin(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cookie_among_several() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "a=1; gz_session=abc; gz_lang=en".parse().unwrap(),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(lang_of(&h), Lang::En);
        assert_eq!(cookie(&h, "missing"), None);
    }

    #[test]
    fn session_cookie_is_http_only_and_lax() {
        let c = session_cookie("t", false);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && !c.contains("Secure"));
        let secure = session_cookie("t", true);
        assert!(secure.starts_with("__Host-gz_session=t; Path=/;") && secure.contains("; Secure"));
        assert!(!secure.contains("Domain"));
        assert!(clear_session_cookie(true).starts_with("__Host-gz_session=;"));
    }
}
