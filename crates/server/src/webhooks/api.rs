//! Webhook administration, for admins only. Secrets are write-only: no answer contains them,
//! and URLs come back with their query values (robot access tokens) hidden.

use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_domain::access::{Action, Target};
use gongzhi_store::{
    DeliveryRow, NewWebhook, WebhookEvent, WebhookFormat, WebhookRow, WebhookSecret,
};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/webhooks", get(list).post(create))
        .route("/api/v1/webhooks/{id}/disable", post(disable))
        .route("/api/v1/webhooks/{id}/deliveries", get(deliveries))
}

/// Every field defaults, so that a missing one is reported by name below rather than as an
/// unreadable body.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct WebhookBody {
    pub name: String,
    pub url: String,
    pub format: String,
    pub secret: String,
    pub events: Vec<String>,
}

/// Checks a new webhook; each refusal is a 400 naming its field.
pub fn validate(b: &WebhookBody) -> ApiResult<NewWebhook> {
    let name = b.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(ApiError::bad_request(
            "name",
            "名称（name）须为1–60个字符",
            "name must be 1–60 characters",
        ));
    }
    let url = b.url.trim();
    let parsed = reqwest::Url::parse(url).ok();
    let web = parsed.as_ref().is_some_and(|u| {
        matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
    });
    if !web || url.len() > 2000 {
        return Err(ApiError::bad_request(
            "url",
            "地址（url）须为 http:// 或 https:// 开头的完整网址",
            "url must be a full http:// or https:// address",
        ));
    }
    let format = WebhookFormat::parse(b.format.trim()).ok_or_else(|| {
        ApiError::bad_request(
            "format",
            format!(
                "格式（format）须为 signed、dingtalk 或 wecom，实际为：{}",
                b.format
            ),
            format!(
                "format must be signed, dingtalk or wecom, got: {}",
                b.format
            ),
        )
    })?;
    let secret = b.secret.trim();
    match format {
        // Unsigned JSON would let anyone who learns the URL forge case events.
        WebhookFormat::Signed if secret.chars().count() < 16 => {
            return Err(ApiError::bad_request(
                "secret",
                "签名 JSON 格式须设置至少16个字符的密钥（secret）",
                "the signed format needs a secret of at least 16 characters",
            ));
        }
        WebhookFormat::WeCom if !secret.is_empty() => {
            return Err(ApiError::bad_request(
                "secret",
                "企业微信机器人不使用签名密钥（secret），其密钥在地址的 key 参数中",
                "WeCom robots take no secret; their key is the url's key parameter",
            ));
        }
        _ => {}
    }
    if secret.len() > 512 {
        return Err(ApiError::bad_request(
            "secret",
            "密钥（secret）过长",
            "secret is too long",
        ));
    }
    let mut events = Vec::new();
    for e in &b.events {
        let event = WebhookEvent::parse(e.trim()).ok_or_else(|| {
            ApiError::bad_request(
                "events",
                format!("事件（events）须为 dispatched、warned、overdue、escalated、summoned 之一，实际为：{e}"),
                format!("events must be among dispatched, warned, overdue, escalated, summoned, got: {e}"),
            )
        })?;
        if !events.contains(&event) {
            events.push(event);
        }
    }
    if events.is_empty() {
        return Err(ApiError::bad_request(
            "events",
            "请至少选择一个事件（events）",
            "events must name at least one event",
        ));
    }
    Ok(NewWebhook {
        name: name.to_string(),
        url: url.to_string(),
        format,
        secret: WebhookSecret::new(secret),
        events,
    })
}

async fn list(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Vec<WebhookRow>>> {
    user.may(Action::ManageAccounts, &Target::Everything)?;
    Ok(Json(st.store.webhooks().await?))
}

async fn create(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(body): Json<WebhookBody>,
) -> ApiResult<(StatusCode, Json<WebhookRow>)> {
    user.may(Action::ManageAccounts, &Target::Everything)?;
    let hook = validate(&body)?;
    let id = st.store.create_webhook(&hook, &user.actor()).await?;
    let row = st
        .store
        .webhook(id)
        .await?
        .ok_or_else(|| ApiError::not_found("Webhook", "webhook"))?;
    Ok((StatusCode::CREATED, Json(row)))
}

async fn disable(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    user.may(Action::ManageAccounts, &Target::Everything)?;
    st.store
        .set_webhook_active(id, false, &user.actor())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct LogQuery {
    limit: Option<i64>,
}

async fn deliveries(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<LogQuery>,
) -> ApiResult<Json<Vec<DeliveryRow>>> {
    user.may(Action::ManageAccounts, &Target::Everything)?;
    Ok(Json(
        st.store
            .deliveries(id, q.limit.unwrap_or(50).clamp(1, 500))
            .await?,
    ))
}

#[cfg(test)]
#[path = "api_tests.rs"]
mod tests;
