//! Outgoing webhooks (issue 3, point 10): subscriptions, a delivery queue and its log.
//!
//! A case event enqueues one `pending` delivery per active webhook that subscribed to it. Workers
//! on any number of servers claim due deliveries with a lease (`sending` until `now + lease`), so
//! no two servers send the same delivery at once, and a claim left by a crashed server lapses and
//! the delivery becomes due again. Every HTTP attempt is kept in `webhook_attempts`.
//!
//! A webhook's URL (robot URLs carry their token) and signing secret are stored sealed with the
//! personal-data cipher and opened only when a delivery is claimed for sending; lists show the
//! URL with its credentials redacted.

use crate::audit::Actor;
use crate::db::{Backend, Store};
use crate::error::StoreError;
use crate::pii::PiiField;
use crate::sql::{Arg, Sql};
use crate::{Millis, now_millis};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};
use std::fmt;

/// How long a claimed delivery stays reserved to its claimer; well above the 10 s send timeout,
/// so a live worker always records its attempt before anyone else may claim the row.
pub const CLAIM_LEASE_MS: Millis = 60_000;

/// What a webhook's receiver expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WebhookFormat {
    /// Our JSON, signed with HMAC-SHA256 in `X-Gongzhi-Signature`.
    #[serde(rename = "signed")]
    Signed,
    /// A DingTalk (钉钉) group robot.
    #[serde(rename = "dingtalk")]
    DingTalk,
    /// A WeCom (企业微信) group robot.
    #[serde(rename = "wecom")]
    WeCom,
}

impl WebhookFormat {
    pub const ALL: [WebhookFormat; 3] = [
        WebhookFormat::Signed,
        WebhookFormat::DingTalk,
        WebhookFormat::WeCom,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookFormat::Signed => "signed",
            WebhookFormat::DingTalk => "dingtalk",
            WebhookFormat::WeCom => "wecom",
        }
    }

    pub fn parse(s: &str) -> Option<WebhookFormat> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            WebhookFormat::Signed => "签名 JSON",
            WebhookFormat::DingTalk => "钉钉机器人",
            WebhookFormat::WeCom => "企业微信机器人",
        }
    }
}

/// The case events a webhook can subscribe to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WebhookEvent {
    Dispatched,
    Warned,
    Overdue,
    Escalated,
    Summoned,
    /// 应急: an emergency's alert to every level at once, and each escalation in minutes
    /// (a drill's are labelled 演练).
    Emergency,
}

impl WebhookEvent {
    pub const ALL: [WebhookEvent; 6] = [
        WebhookEvent::Dispatched,
        WebhookEvent::Warned,
        WebhookEvent::Overdue,
        WebhookEvent::Escalated,
        WebhookEvent::Summoned,
        WebhookEvent::Emergency,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookEvent::Dispatched => "dispatched",
            WebhookEvent::Warned => "warned",
            WebhookEvent::Overdue => "overdue",
            WebhookEvent::Escalated => "escalated",
            WebhookEvent::Summoned => "summoned",
            WebhookEvent::Emergency => "emergency",
        }
    }

    pub fn parse(s: &str) -> Option<WebhookEvent> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            WebhookEvent::Dispatched => "派遣",
            WebhookEvent::Warned => "临期预警",
            WebhookEvent::Overdue => "超期",
            WebhookEvent::Escalated => "升级",
            WebhookEvent::Summoned => "吹哨报到",
            WebhookEvent::Emergency => "紧急警报",
        }
    }
}

/// A signing secret. Its `Debug` says only whether it is set, so secrets stay out of logs.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct WebhookSecret(String);

impl WebhookSecret {
    pub fn new(secret: impl Into<String>) -> Self {
        WebhookSecret(secret.into())
    }

    /// The secret itself, for signing.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() {
            "WebhookSecret(none)"
        } else {
            "WebhookSecret(…)"
        })
    }
}

/// The URL with credentials hidden: robot URLs carry their access token in the query string
/// (`?access_token=…`, `?key=…`), so query values and any user-info are replaced by `…`.
pub fn redact_url(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let mut out = match base.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            match authority.rsplit_once('@') {
                Some((_, host)) => format!("{scheme}://…@{host}{path}"),
                None => base.to_string(),
            }
        }
        None => base.to_string(),
    };
    if let Some(q) = query {
        let keys: Vec<String> = q
            .split('&')
            .filter(|kv| !kv.is_empty())
            .map(|kv| format!("{}=…", kv.split_once('=').map_or(kv, |(k, _)| k)))
            .collect();
        out.push('?');
        out.push_str(&keys.join("&"));
    }
    out
}

#[derive(Clone)]
pub struct NewWebhook {
    pub name: String,
    pub url: String,
    pub format: WebhookFormat,
    /// Required for `Signed`; optional for DingTalk (its 加签 setting); unused by WeCom.
    pub secret: WebhookSecret,
    pub events: Vec<WebhookEvent>,
}

impl fmt::Debug for NewWebhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewWebhook")
            .field("name", &self.name)
            .field("url", &redact_url(&self.url))
            .field("format", &self.format)
            .field("secret", &self.secret)
            .field("events", &self.events)
            .finish()
    }
}

/// A webhook as listed: never its secret, and its URL with credentials hidden.
#[derive(Clone, Debug, Serialize)]
pub struct WebhookRow {
    pub id: i64,
    pub name: String,
    /// `redact_url` of the stored URL.
    pub url: String,
    pub format: WebhookFormat,
    pub events: Vec<WebhookEvent>,
    pub active: bool,
    pub has_secret: bool,
    pub created_at: Millis,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Pending,
    /// Claimed by a worker until `next_attempt_at`.
    Sending,
    Delivered,
    /// Gave up after the last retry.
    Failed,
    /// Its webhook was disabled before it could be sent.
    Cancelled,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Sending => "sending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> Result<DeliveryStatus, StoreError> {
        [
            DeliveryStatus::Pending,
            DeliveryStatus::Sending,
            DeliveryStatus::Delivered,
            DeliveryStatus::Failed,
            DeliveryStatus::Cancelled,
        ]
        .into_iter()
        .find(|d| d.as_str() == s)
        .ok_or_else(|| StoreError::corrupt(format!("delivery status {s}")))
    }
}

/// One HTTP attempt of a delivery.
#[derive(Clone, Debug, Serialize)]
pub struct AttemptRow {
    pub attempt: i64,
    pub at: Millis,
    pub http_status: Option<i64>,
    pub error: Option<String>,
    /// `delivered`, `pending` (a retry is scheduled) or `failed`.
    pub outcome: DeliveryStatus,
}

#[derive(Clone, Debug, Serialize)]
pub struct DeliveryRow {
    pub id: i64,
    pub webhook_id: i64,
    pub event: WebhookEvent,
    pub case_id: i64,
    pub payload: String,
    pub attempts: i64,
    pub status: DeliveryStatus,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub next_attempt_at: Millis,
    pub delivered_at: Option<Millis>,
    pub created_at: Millis,
    /// Every attempt, oldest first.
    pub log: Vec<AttemptRow>,
}

/// A claimed delivery with what is needed to send it.
#[derive(Clone)]
pub struct DueDelivery {
    pub id: i64,
    pub webhook_id: i64,
    pub event: WebhookEvent,
    pub case_id: i64,
    pub payload: String,
    /// Attempts made before this one.
    pub attempts: i64,
    pub url: String,
    pub format: WebhookFormat,
    pub secret: WebhookSecret,
}

impl fmt::Debug for DueDelivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DueDelivery")
            .field("id", &self.id)
            .field("webhook_id", &self.webhook_id)
            .field("event", &self.event)
            .field("case_id", &self.case_id)
            .field("attempts", &self.attempts)
            .field("url", &redact_url(&self.url))
            .field("format", &self.format)
            .field("secret", &self.secret)
            .finish_non_exhaustive()
    }
}

/// Why an attempt did not deliver: the HTTP status when a response came, and a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttemptError {
    pub http_status: Option<i64>,
    pub message: String,
}

fn events_to_db(events: &[WebhookEvent]) -> String {
    let mut seen: Vec<WebhookEvent> = Vec::new();
    for e in events {
        if !seen.contains(e) {
            seen.push(*e);
        }
    }
    seen.iter()
        .map(|e| e.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn events_from_db(s: &str) -> Result<Vec<WebhookEvent>, StoreError> {
    s.split(',')
        .filter(|e| !e.is_empty())
        .map(|e| WebhookEvent::parse(e).ok_or_else(|| StoreError::corrupt(format!("event {e}"))))
        .collect()
}

fn format_from_db(s: &str) -> Result<WebhookFormat, StoreError> {
    WebhookFormat::parse(s).ok_or_else(|| StoreError::corrupt(format!("webhook format {s}")))
}

fn event_from_db(s: &str) -> Result<WebhookEvent, StoreError> {
    WebhookEvent::parse(s).ok_or_else(|| StoreError::corrupt(format!("webhook event {s}")))
}

const WEBHOOK_COLUMNS: &str = "id, name, url_shown, format, \
     CAST(CASE WHEN secret_sealed IS NULL THEN 0 ELSE 1 END AS BIGINT) AS has_secret, \
     events, active, created_at";

fn webhook_row(r: &AnyRow) -> Result<WebhookRow, StoreError> {
    Ok(WebhookRow {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        url: r.try_get("url_shown")?,
        format: format_from_db(&r.try_get::<String, _>("format")?)?,
        events: events_from_db(&r.try_get::<String, _>("events")?)?,
        active: r.try_get::<i64, _>("active")? != 0,
        has_secret: r.try_get::<i64, _>("has_secret")? != 0,
        created_at: r.try_get("created_at")?,
    })
}

/// The URL and secret a claimed delivery is sent with, opened with the master key.
fn open_credentials(
    pii: &crate::pii::PiiCipher,
    url_sealed: Option<Vec<u8>>,
    secret_sealed: Option<Vec<u8>>,
) -> Result<(String, WebhookSecret), StoreError> {
    let url_sealed = url_sealed.ok_or_else(|| StoreError::corrupt("webhook without a URL"))?;
    let url = pii
        .decrypt(PiiField::WebhookUrl, &url_sealed)
        .map_err(StoreError::Crypto)?;
    let secret = match secret_sealed {
        Some(s) => WebhookSecret::new(
            pii.decrypt(PiiField::WebhookSecret, &s)
                .map_err(StoreError::Crypto)?,
        ),
        None => WebhookSecret::default(),
    };
    Ok((url, secret))
}

fn not_found(id: i64) -> StoreError {
    StoreError::not_found(format!("Webhook {id}"), format!("webhook {id}"))
}

/// Appends `(i1, i2, …)` for an `IN` list; callers never pass an empty list.
fn push_ids(sql: &mut Sql, ids: &[i64]) {
    sql.push("(");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(Arg::Int(*id));
    }
    sql.push(")");
}

/// Queues one delivery per active webhook subscribed to `event`, inside the caller's transaction,
/// so that a case change and its notifications commit (or roll back) together.
pub(crate) async fn enqueue_in<X: crate::exec::Exec>(
    x: &mut X,
    event: WebhookEvent,
    case_id: i64,
    payload_json: &str,
    now: Millis,
) -> Result<usize, StoreError> {
    use crate::exec::Cols;
    if serde_json::from_str::<serde_json::Value>(payload_json).is_err() {
        return Err(StoreError::Conflict {
            code: "invalid_webhook_payload",
            zh: "Webhook 消息内容不是有效的 JSON".into(),
            en: "webhook payload is not valid JSON".into(),
        });
    }
    let hooks = x
        .fetch_all(&Sql::new(
            "SELECT id, events FROM webhooks WHERE active = 1 ORDER BY id",
        ))
        .await?;
    let mut rows = Vec::new();
    for hook in &hooks {
        if !events_from_db(&hook.text("events")?)?.contains(&event) {
            continue;
        }
        rows.push(vec![
            Arg::Int(hook.int("id")?),
            Arg::Text(event.as_str().into()),
            Arg::Int(case_id),
            Arg::Text(payload_json.into()),
            Arg::Int(0),
            Arg::Text("pending".into()),
            Arg::Int(now),
            Arg::Int(now),
        ]);
    }
    let queued = rows.len();
    if queued > 0 {
        let mut q = Sql::new(
            "INSERT INTO webhook_deliveries (webhook_id, event, case_id, payload, attempts, status, next_attempt_at, created_at) VALUES ",
        );
        q.values(rows);
        x.execute(&q).await?;
    }
    Ok(queued)
}

impl Store {
    pub async fn create_webhook(
        &self,
        hook: &NewWebhook,
        actor: &Actor<'_>,
    ) -> Result<i64, StoreError> {
        let events = events_to_db(&hook.events);
        let sealed = crate::seal_webhooks::seal(&self.pii, &hook.url, hook.secret.expose());
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO webhooks (name, url_shown, url_sealed, format, secret_sealed, events, active, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7) RETURNING id",
        )
        .bind(&hook.name)
        .bind(sealed.url_shown)
        .bind(sealed.url_sealed)
        .bind(hook.format.as_str())
        .bind(sealed.secret_sealed)
        .bind(&events)
        .bind(now_millis())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        // The audit line names the hook but never its secret or the URL's token.
        let detail = format!(
            "url={} format={} events={events} secret={}",
            redact_url(&hook.url),
            hook.format.as_str(),
            if hook.secret.is_empty() {
                "none"
            } else {
                "set"
            }
        );
        actor
            .record(
                &mut tx,
                "webhook.create",
                &format!("webhook:{id}:{}", hook.name),
                &detail,
            )
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn webhooks(&self) -> Result<Vec<WebhookRow>, StoreError> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {WEBHOOK_COLUMNS} FROM webhooks ORDER BY id"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(webhook_row).collect()
    }

    pub async fn webhook(&self, id: i64) -> Result<Option<WebhookRow>, StoreError> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(webhook_row).transpose()
    }

    /// Disabling also cancels the webhook's queued deliveries: re-enabling it later must not
    /// flood the receiver with stale notices.
    pub async fn set_webhook_active(
        &self,
        id: i64,
        active: bool,
        actor: &Actor<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query("UPDATE webhooks SET active = $1 WHERE id = $2")
            .bind(i64::from(active))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(not_found(id));
        }
        if !active {
            sqlx::query(
                "UPDATE webhook_deliveries SET status = 'cancelled'
                 WHERE webhook_id = $1 AND status IN ('pending', 'sending')",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        let action = if active {
            "webhook.enable"
        } else {
            "webhook.disable"
        };
        actor
            .record(&mut tx, action, &format!("webhook:{id}"), "")
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Queues `event` about `case_id` for every active webhook subscribed to it; returns how
    /// many deliveries were queued. `payload_json` is the notice the worker formats per webhook.
    pub async fn enqueue_webhook_deliveries(
        &self,
        event: WebhookEvent,
        case_id: i64,
        payload_json: &str,
    ) -> Result<usize, StoreError> {
        let mut tx = self.write_tx().await?;
        let mut x = crate::exec::SqlxExec {
            conn: &mut tx,
            backend: self.backend,
        };
        let n = enqueue_in(&mut x, event, case_id, payload_json, now_millis()).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Claims up to `limit` due deliveries (pending, or sending with a lapsed lease) for
    /// `CLAIM_LEASE_MS`, and returns them oldest first. Two claimers never get the same row.
    pub async fn due_deliveries(
        &self,
        now: Millis,
        limit: i64,
    ) -> Result<Vec<DueDelivery>, StoreError> {
        // SQLite: the write transaction (BEGIN IMMEDIATE) serialises claimers. PostgreSQL: rows
        // another claimer holds are skipped, and the outer conditions are re-checked against
        // the committed row, so a row claimed meanwhile (lease now in the future) is left alone.
        let skip_locked = match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        };
        let mut tx = self.write_tx().await?;
        let claimed = sqlx::query(AssertSqlSafe(format!(
            "UPDATE webhook_deliveries SET status = 'sending', next_attempt_at = $1
             WHERE status IN ('pending', 'sending') AND next_attempt_at <= $2
               AND id IN (SELECT id FROM webhook_deliveries
                          WHERE status IN ('pending', 'sending') AND next_attempt_at <= $3
                            AND webhook_id IN (SELECT id FROM webhooks WHERE active = 1)
                          ORDER BY next_attempt_at, id LIMIT $4{skip_locked})
             RETURNING id"
        )))
        .bind(now + CLAIM_LEASE_MS)
        .bind(now)
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        let ids = claimed
            .iter()
            .map(|r| r.try_get::<i64, _>("id"))
            .collect::<Result<Vec<_>, _>>()?;
        if ids.is_empty() {
            tx.commit().await?;
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(
            "SELECT d.id, d.webhook_id, d.event, d.case_id, d.payload, d.attempts, w.url_sealed, w.format, w.secret_sealed
             FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id IN ",
        );
        push_ids(&mut sql, &ids);
        sql.push(" ORDER BY d.id");
        let rows = sql.query(self.backend).fetch_all(&mut *tx).await?;
        tx.commit().await?;
        rows.iter()
            .map(|r| {
                // Opened only here, just before sending; a wrong master key fails the claim and
                // the deliveries become due again when their lease lapses.
                let (url, secret) = open_credentials(
                    &self.pii,
                    r.try_get("url_sealed")?,
                    r.try_get("secret_sealed")?,
                )?;
                Ok(DueDelivery {
                    id: r.try_get("id")?,
                    webhook_id: r.try_get("webhook_id")?,
                    event: event_from_db(&r.try_get::<String, _>("event")?)?,
                    case_id: r.try_get("case_id")?,
                    payload: r.try_get("payload")?,
                    attempts: r.try_get("attempts")?,
                    url,
                    format: format_from_db(&r.try_get::<String, _>("format")?)?,
                    secret,
                })
            })
            .collect()
    }

    /// Records one attempt of a claimed delivery: `Ok(http_status)` delivered it; an error
    /// schedules a retry at `next_retry`, or fails the delivery for good when there is none.
    /// Returns the delivery's new status.
    pub async fn record_delivery_attempt(
        &self,
        id: i64,
        outcome: Result<i64, AttemptError>,
        now: Millis,
        next_retry: Option<Millis>,
    ) -> Result<DeliveryStatus, StoreError> {
        let (status, http_status, error, next_at, delivered_at) = match &outcome {
            Ok(code) => (DeliveryStatus::Delivered, Some(*code), None, now, Some(now)),
            Err(e) => match next_retry {
                Some(at) => (
                    DeliveryStatus::Pending,
                    e.http_status,
                    Some(e.message.clone()),
                    at,
                    None,
                ),
                None => (
                    DeliveryStatus::Failed,
                    e.http_status,
                    Some(e.message.clone()),
                    now,
                    None,
                ),
            },
        };
        let mut tx = self.write_tx().await?;
        // Only the claimer may record: the row must still be `sending`.
        let updated = sqlx::query(
            "UPDATE webhook_deliveries SET attempts = attempts + 1, status = $1, last_status = $2,
                 last_error = $3, next_attempt_at = $4, delivered_at = $5
             WHERE id = $6 AND status = 'sending' RETURNING attempts",
        )
        .bind(status.as_str())
        .bind(http_status)
        .bind(error.as_deref())
        .bind(next_at)
        .bind(delivered_at)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(updated) = updated else {
            let exists = sqlx::query("SELECT id FROM webhook_deliveries WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            return Err(match exists {
                None => StoreError::not_found(
                    format!("Webhook 投递 {id}"),
                    format!("webhook delivery {id}"),
                ),
                Some(_) => StoreError::Conflict {
                    code: "delivery_not_claimed",
                    zh: format!("Webhook 投递 {id} 不在发送中，不能记录结果"),
                    en: format!("webhook delivery {id} is not being sent; no outcome recorded"),
                },
            });
        };
        let attempt: i64 = updated.try_get("attempts")?;
        sqlx::query(
            "INSERT INTO webhook_attempts (delivery_id, attempt, at, http_status, error, outcome)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(attempt)
        .bind(now)
        .bind(http_status)
        .bind(error.as_deref())
        .bind(status.as_str())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(status)
    }

    /// The newest `limit` deliveries of a webhook, each with its attempts.
    pub async fn deliveries(
        &self,
        webhook_id: i64,
        limit: i64,
    ) -> Result<Vec<DeliveryRow>, StoreError> {
        if self.webhook(webhook_id).await?.is_none() {
            return Err(not_found(webhook_id));
        }
        let rows = sqlx::query(
            "SELECT id, webhook_id, event, case_id, payload, attempts, status, last_status, last_error,
                    next_attempt_at, delivered_at, created_at
             FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(webhook_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = rows
            .iter()
            .map(|r| {
                Ok(DeliveryRow {
                    id: r.try_get("id")?,
                    webhook_id: r.try_get("webhook_id")?,
                    event: event_from_db(&r.try_get::<String, _>("event")?)?,
                    case_id: r.try_get("case_id")?,
                    payload: r.try_get("payload")?,
                    attempts: r.try_get("attempts")?,
                    status: DeliveryStatus::parse(&r.try_get::<String, _>("status")?)?,
                    last_status: r.try_get("last_status")?,
                    last_error: r.try_get("last_error")?,
                    next_attempt_at: r.try_get("next_attempt_at")?,
                    delivered_at: r.try_get("delivered_at")?,
                    created_at: r.try_get("created_at")?,
                    log: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        if out.is_empty() {
            return Ok(out);
        }
        let ids: Vec<i64> = out.iter().map(|d| d.id).collect();
        let mut sql = Sql::new(
            "SELECT delivery_id, attempt, at, http_status, error, outcome FROM webhook_attempts WHERE delivery_id IN ",
        );
        push_ids(&mut sql, &ids);
        sql.push(" ORDER BY delivery_id, attempt");
        for r in sql.query(self.backend).fetch_all(&self.pool).await? {
            let delivery_id: i64 = r.try_get("delivery_id")?;
            let row = AttemptRow {
                attempt: r.try_get("attempt")?,
                at: r.try_get("at")?,
                http_status: r.try_get("http_status")?,
                error: r.try_get("error")?,
                outcome: DeliveryStatus::parse(&r.try_get::<String, _>("outcome")?)?,
            };
            if let Some(d) = out.iter_mut().find(|d| d.id == delivery_id) {
                d.log.push(row);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_tokens_and_user_info() {
        assert_eq!(
            redact_url("https://oapi.dingtalk.com/robot/send?access_token=abc&x="),
            "https://oapi.dingtalk.com/robot/send?access_token=…&x=…"
        );
        assert_eq!(
            redact_url("https://u:p@example.org/hook"),
            "https://…@example.org/hook"
        );
        assert_eq!(
            redact_url("http://127.0.0.1:8080/h"),
            "http://127.0.0.1:8080/h"
        );
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let hook = NewWebhook {
            name: "n".into(),
            url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY123".into(),
            format: WebhookFormat::WeCom,
            secret: WebhookSecret::new("s3cr3t-value"),
            events: vec![WebhookEvent::Overdue],
        };
        let shown = format!("{hook:?}");
        assert!(
            !shown.contains("s3cr3t-value") && !shown.contains("KEY123"),
            "{shown}"
        );
    }

    #[test]
    fn names_round_trip() {
        for e in WebhookEvent::ALL {
            assert_eq!(WebhookEvent::parse(e.as_str()), Some(e));
        }
        for f in WebhookFormat::ALL {
            assert_eq!(WebhookFormat::parse(f.as_str()), Some(f));
        }
        assert_eq!(
            events_to_db(&[WebhookEvent::Overdue, WebhookEvent::Overdue]),
            "overdue"
        );
    }
}
