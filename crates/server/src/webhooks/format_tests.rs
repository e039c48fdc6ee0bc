//! Known vectors: the expected HMACs below were computed outside this code (Python's `hmac`,
//! `base64` and `urllib.parse.quote_plus` over the exact same bytes).

use super::*;

fn notice() -> WebhookMessage {
    WebhookMessage {
        event: WebhookEvent::Overdue,
        ticket: "2026112700001".into(),
        title_zh: "井盖缺失".into(),
        summary_zh: "金阊街道石路 \"3号\" 井盖缺失\n请尽快处置".into(),
        url: Some("https://gz.example/cases/7".into()),
        at_ms: 1_764_230_400_000,
        case_id: 7,
        department: Some("城管委".into()),
        level: 4,
        level_name: Some("街道".into()),
        deadline_ms: Some(1_764_316_800_000),
    }
}

const NOW_MS: i64 = 1_764_230_401_234;

fn header<'a>(out: &'a Outgoing, name: &str) -> &'a str {
    out.headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no header {name} in {out:?}"))
}

#[test]
fn hmac_matches_rfc_4231_case_2() {
    assert_eq!(
        hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

#[test]
fn signed_json_body_headers_and_signature() {
    let secret = WebhookSecret::new("whsec-test-0123456789");
    let out = build(
        WebhookFormat::Signed,
        "http://127.0.0.1:8080/hook",
        &secret,
        &notice(),
        42,
        NOW_MS,
    );
    // Chinese passes through as UTF-8, quotes and newlines are JSON-escaped.
    assert_eq!(
        out.body,
        r#"{"delivery_id":42,"event_zh":"超期","event":"overdue","ticket":"2026112700001","title_zh":"井盖缺失","summary_zh":"金阊街道石路 \"3号\" 井盖缺失\n请尽快处置","url":"https://gz.example/cases/7","at_ms":1764230400000,"case_id":7,"department":"城管委","level":4,"level_name":"街道","deadline_ms":1764316800000}"#
    );
    assert_eq!(out.url, "http://127.0.0.1:8080/hook");
    assert_eq!(header(&out, "Content-Type"), "application/json");
    assert_eq!(header(&out, "X-Gongzhi-Event"), "overdue");
    assert_eq!(header(&out, "X-Gongzhi-Delivery"), "42");
    assert_eq!(header(&out, "X-Gongzhi-Timestamp"), "1764230401");
    assert_eq!(
        header(&out, "X-Gongzhi-Signature"),
        "sha256=4285c5d46dd1e8d80c2a3b751d3d37a49ad2236b34948e66da06c7d39667424a"
    );
    // The payload reads back as the notice.
    let back: WebhookMessage = serde_json::from_str(&out.body).unwrap();
    assert_eq!(back, notice());
}

#[test]
fn dingtalk_markdown_and_signed_url() {
    let secret = WebhookSecret::new("SEC0123456789abcdef");
    let out = build(
        WebhookFormat::DingTalk,
        "https://oapi.dingtalk.com/robot/send?access_token=abc",
        &secret,
        &notice(),
        42,
        NOW_MS,
    );
    assert_eq!(
        out.url,
        "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1764230401234&sign=KPzd%2Fur78RvDIxTWVNfaaSL4q3qpgBuEZpXN%2FINz2Jk%3D"
    );
    let body: serde_json::Value = serde_json::from_str(&out.body).unwrap();
    assert_eq!(body["msgtype"], "markdown");
    assert_eq!(body["markdown"]["title"], "【超期】井盖缺失");
    assert_eq!(
        body["markdown"]["text"],
        "### 【超期】井盖缺失\n\n**案件编号**：2026112700001\n\n> 金阊街道石路 \"3号\" 井盖缺失\n\n> 请尽快处置\n\n- 责任单位：城管委\n\n- 处置层级：街道（第4级）\n\n- 处置时限：2025-11-28 16:00\n\n- 发生时间：2025-11-27 16:00\n\n[查看案件](https://gz.example/cases/7)"
    );
    assert!(out.body.contains("井盖缺失"), "UTF-8, not \\u escapes");
    assert!(!format!("{out:?}").contains("access_token=abc"));

    // Without a secret (keyword or IP security setting) the URL is left alone.
    let plain = build(
        WebhookFormat::DingTalk,
        "https://oapi.dingtalk.com/robot/send?access_token=abc",
        &WebhookSecret::default(),
        &notice(),
        42,
        NOW_MS,
    );
    assert_eq!(
        plain.url,
        "https://oapi.dingtalk.com/robot/send?access_token=abc"
    );
}

#[test]
fn wecom_markdown_with_colour_and_byte_limit() {
    let out = build(
        WebhookFormat::WeCom,
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
        &WebhookSecret::default(),
        &notice(),
        42,
        NOW_MS,
    );
    let body: serde_json::Value = serde_json::from_str(&out.body).unwrap();
    assert_eq!(body["msgtype"], "markdown");
    let content = body["markdown"]["content"].as_str().unwrap();
    assert!(
        content.starts_with(
            "### 【<font color=\"warning\">超期</font>】井盖缺失\n\n**案件编号**：2026112700001"
        ),
        "{content}"
    );
    assert_eq!(out.headers.len(), 1, "no signature headers for robots");

    // A huge summary is cut for the phone, and the whole message stays within WeCom's limit.
    let mut long = notice();
    long.title_zh = "标题\n换行".into();
    long.summary_zh = "很长的描述".repeat(2000);
    let out = build(
        WebhookFormat::WeCom,
        "https://x/y",
        &WebhookSecret::default(),
        &long,
        1,
        NOW_MS,
    );
    let body: serde_json::Value = serde_json::from_str(&out.body).unwrap();
    let content = body["markdown"]["content"].as_str().unwrap();
    assert!(content.len() <= 4096, "{} bytes", content.len());
    assert!(content.contains("】标题 换行\n\n"), "{content}");
    assert!(content.contains("…"));
}

#[test]
fn byte_cut_respects_characters() {
    let s = "案".repeat(2000);
    let cut = cut_bytes(&s, 4096);
    assert!(cut.len() <= 4096 && cut.ends_with('…'));
    assert_eq!(cut_bytes("短", 4096), "短");
    assert_eq!(cut_chars("一二三", 2), "一二…");
}

#[test]
fn robot_replies_are_judged_by_errcode() {
    use WebhookFormat::*;
    assert_eq!(judge(Signed, 204, ""), Ok(()));
    assert!(
        judge(Signed, 500, "boom")
            .unwrap_err()
            .starts_with("HTTP 500")
    );
    assert_eq!(
        judge(DingTalk, 200, r#"{"errcode":0,"errmsg":"ok"}"#),
        Ok(())
    );
    assert_eq!(
        judge(
            DingTalk,
            200,
            r#"{"errcode":310000,"errmsg":"sign not match"}"#
        ),
        Err("errcode 310000: sign not match".into())
    );
    assert!(judge(WeCom, 200, "<html>").is_err());
    assert!(judge(WeCom, 302, "").is_err());
}
