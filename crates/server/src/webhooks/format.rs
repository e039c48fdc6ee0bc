//! What a webhook receives, built without I/O so every byte can be checked in tests.
//!
//! - `signed`: our JSON, with `X-Gongzhi-Signature: sha256=<hex HMAC-SHA256(secret,
//!   "<unix seconds>.<body>")>`; the timestamp is signed too so a receiver can refuse replays.
//! - `dingtalk`: a DingTalk custom robot markdown message; with a secret (the robot's 加签
//!   setting) the URL gains `timestamp=<ms>&sign=<urlencode(base64(HMAC-SHA256(secret,
//!   "<ms>\n<secret>")))>`, which DingTalk checks against its clock (within an hour).
//! - `wecom`: a WeCom group robot markdown message; its key is in the URL, there is no signing.

use base64::Engine;
use gongzhi_domain::calendar::format_cst;
use gongzhi_store::{WebhookEvent, WebhookFormat, WebhookSecret, redact_url};
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::Sha256;
use std::fmt;

/// WeCom refuses markdown content over 4096 bytes.
const WECOM_MAX_BYTES: usize = 4096;
/// WeCom refuses text content over 2048 bytes.
const WECOM_TEXT_MAX_BYTES: usize = 2048;
/// Robot messages are read on phones: the summary is cut to this many characters.
const ROBOT_SUMMARY_CHARS: usize = 500;

/// One case event to announce; stored as the delivery's payload and formatted per webhook.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WebhookMessage {
    pub event: WebhookEvent,
    pub ticket: String,
    /// One line, e.g. 「井盖缺失」.
    pub title_zh: String,
    /// A few lines: what happened and what is expected.
    pub summary_zh: String,
    /// The case page, when the server knows its public address.
    #[serde(default)]
    pub url: Option<String>,
    /// When the event happened (unix ms).
    pub at_ms: i64,
    pub case_id: i64,
    /// The responsible department's name or code (`None`: the locality).
    #[serde(default)]
    pub department: Option<String>,
    /// Handling level, 1 (lowest) to 6.
    pub level: u8,
    /// The level's name in the escalation chain, e.g. 街道.
    #[serde(default)]
    pub level_name: Option<String>,
    #[serde(default)]
    pub deadline_ms: Option<i64>,
}

/// A ready HTTP POST.
#[derive(Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Robot URLs carry their access token.
        f.debug_struct("Outgoing")
            .field("url", &redact_url(&self.url))
            .field("headers", &self.headers)
            .field("body", &self.body)
            .finish()
    }
}

/// Builds the request for one delivery at `now_ms`.
pub fn build(
    format: WebhookFormat,
    url: &str,
    secret: &WebhookSecret,
    notice: &WebhookMessage,
    delivery_id: i64,
    now_ms: i64,
) -> Outgoing {
    let json_type = ("Content-Type".to_string(), "application/json".to_string());
    match format {
        WebhookFormat::Signed => {
            let body = signed_body(notice, delivery_id);
            let ts = now_ms.div_euclid(1000).to_string();
            let signature = hex(&hmac_sha256(
                secret.expose().as_bytes(),
                format!("{ts}.{body}").as_bytes(),
            ));
            Outgoing {
                url: url.to_string(),
                headers: vec![
                    json_type,
                    ("X-Gongzhi-Event".into(), notice.event.as_str().into()),
                    ("X-Gongzhi-Delivery".into(), delivery_id.to_string()),
                    ("X-Gongzhi-Timestamp".into(), ts),
                    ("X-Gongzhi-Signature".into(), format!("sha256={signature}")),
                ],
                body,
            }
        }
        // An emergency rings everyone's phone: a text message mentioning all (markdown
        // cannot mention on WeCom), signed like every DingTalk message.
        WebhookFormat::DingTalk if notice.event == WebhookEvent::Emergency => {
            let body = json!({
                "msgtype": "text",
                "text": { "content": plain_text(notice) },
                "at": { "isAtAll": true },
            })
            .to_string();
            let url = if secret.is_empty() {
                url.to_string()
            } else {
                dingtalk_signed_url(url, secret.expose(), now_ms)
            };
            Outgoing {
                url,
                headers: vec![json_type],
                body,
            }
        }
        WebhookFormat::WeCom if notice.event == WebhookEvent::Emergency => {
            let body = json!({
                "msgtype": "text",
                "text": {
                    "content": cut_bytes(&plain_text(notice), WECOM_TEXT_MAX_BYTES),
                    "mentioned_list": ["@all"],
                },
            })
            .to_string();
            Outgoing {
                url: url.to_string(),
                headers: vec![json_type],
                body,
            }
        }
        WebhookFormat::DingTalk => {
            let body = json!({
                "msgtype": "markdown",
                "markdown": { "title": headline(notice), "text": robot_text(notice, false) },
            })
            .to_string();
            let url = if secret.is_empty() {
                url.to_string()
            } else {
                dingtalk_signed_url(url, secret.expose(), now_ms)
            };
            Outgoing {
                url,
                headers: vec![json_type],
                body,
            }
        }
        WebhookFormat::WeCom => {
            let content = cut_bytes(&robot_text(notice, true), WECOM_MAX_BYTES);
            let body =
                json!({ "msgtype": "markdown", "markdown": { "content": content } }).to_string();
            Outgoing {
                url: url.to_string(),
                headers: vec![json_type],
                body,
            }
        }
    }
}

/// Robots answer HTTP 200 even when they refuse a message (bad signature, rate limit), with a
/// non-zero `errcode` in the body; only a 2xx without such an error counts as delivered.
pub fn judge(format: WebhookFormat, status: u16, body: &str) -> Result<(), String> {
    let snippet: String = body.chars().take(200).collect();
    if !(200..300).contains(&status) {
        return Err(format!("HTTP {status}: {snippet}"));
    }
    if format == WebhookFormat::Signed {
        return Ok(());
    }
    let reply: serde_json::Value = serde_json::from_str(body)
        .map_err(|_| format!("HTTP {status}: robot reply is not JSON: {snippet}"))?;
    match reply.get("errcode").and_then(|c| c.as_i64()) {
        Some(0) | None => Ok(()),
        Some(code) => Err(format!(
            "errcode {code}: {}",
            reply.get("errmsg").and_then(|m| m.as_str()).unwrap_or("")
        )),
    }
}

/// The signed JSON: the notice's fields flat, plus the delivery id (receivers may see a
/// delivery twice after a lost reply, and use it to ignore the repeat) and the event in Chinese.
fn signed_body(notice: &WebhookMessage, delivery_id: i64) -> String {
    #[derive(Serialize)]
    struct Body<'a> {
        delivery_id: i64,
        event_zh: &'a str,
        #[serde(flatten)]
        notice: &'a WebhookMessage,
    }
    serde_json::to_string(&Body {
        delivery_id,
        event_zh: notice.event.zh(),
        notice,
    })
    .expect("a notice always serialises")
}

/// `【超期】井盖缺失` — the title line, newlines folded so markdown headings stay one line.
fn headline(notice: &WebhookMessage) -> String {
    let title: Vec<&str> = notice.title_zh.split_whitespace().collect();
    format!("【{}】{}", notice.event.zh(), title.join(" "))
}

/// The markdown both robots show. WeCom colours the event label; DingTalk has no colours.
fn robot_text(notice: &WebhookMessage, wecom: bool) -> String {
    let label = if wecom {
        let colour = match notice.event {
            WebhookEvent::Dispatched => "info",
            WebhookEvent::Warned | WebhookEvent::Summoned => "comment",
            WebhookEvent::Overdue | WebhookEvent::Escalated | WebhookEvent::Emergency => "warning",
        };
        format!("<font color=\"{colour}\">{}</font>", notice.event.zh())
    } else {
        notice.event.zh().to_string()
    };
    let title: Vec<&str> = notice.title_zh.split_whitespace().collect();
    let mut lines = vec![
        format!("### 【{label}】{}", title.join(" ")),
        format!("**案件编号**：{}", notice.ticket),
    ];
    let summary = cut_chars(notice.summary_zh.trim(), ROBOT_SUMMARY_CHARS);
    lines.extend(
        summary
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| format!("> {l}")),
    );
    lines.push(format!(
        "- 责任单位：{}",
        notice.department.as_deref().unwrap_or("属地")
    ));
    lines.push(match &notice.level_name {
        Some(name) => format!("- 处置层级：{name}（第{}级）", notice.level),
        None => format!("- 处置层级：第{}级", notice.level),
    });
    if let Some(deadline) = notice.deadline_ms {
        lines.push(format!("- 处置时限：{}", format_cst(deadline)));
    }
    lines.push(format!("- 发生时间：{}", format_cst(notice.at_ms)));
    if let Some(url) = &notice.url {
        lines.push(format!("[查看案件]({url})"));
    }
    // Markdown on both robots needs a blank line between paragraphs.
    lines.join("\n\n")
}

/// The plain text of an emergency alert: the headline, the summary and when.
fn plain_text(notice: &WebhookMessage) -> String {
    let mut lines = vec![headline(notice)];
    if !notice.ticket.is_empty() {
        lines.push(format!("案件编号：{}", notice.ticket));
    }
    lines.push(cut_chars(notice.summary_zh.trim(), ROBOT_SUMMARY_CHARS));
    lines.push(format!("发生时间：{}", format_cst(notice.at_ms)));
    if let Some(url) = &notice.url {
        lines.push(url.clone());
    }
    lines.join("\n")
}

fn dingtalk_signed_url(url: &str, secret: &str, now_ms: i64) -> String {
    let sign = base64::engine::general_purpose::STANDARD.encode(hmac_sha256(
        secret.as_bytes(),
        format!("{now_ms}\n{secret}").as_bytes(),
    ));
    let sep = if url.contains('?') { '&' } else { '?' };
    format!(
        "{url}{sep}timestamp={now_ms}&sign={}",
        percent_encode(&sign)
    )
}

pub(crate) fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// RFC 3986 percent-encoding of everything but unreserved characters (base64's `+ / =` too).
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn cut_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// At most `max` bytes, cut at a character boundary.
fn cut_bytes(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max - '…'.len_utf8();
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

#[cfg(test)]
#[path = "format_tests.rs"]
mod tests;
