//! 公示栏 over HTTP on SQLite and PostgreSQL: the community publishes, changes and withdraws a
//! notice; a visitor without an account reads the community's board and the notice (已更新 after
//! the change; once withdrawn only its title, dates and reason, never the body) and its
//! publication record on the log; drafts are never public; bad input is refused naming its
//! field; others may not act on the community's notices.

use crate::app::spawn_app;
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_store::now_millis;
use gongzhi_testkit::backends;
use serde_json::{Value, json};

fn day(offset: i64) -> String {
    let today: Date = date_of(now_millis());
    today.add_days(offset).to_string()
}

fn notice(title: &str, body: &str, publish: bool) -> Value {
    json!({"kind": "finance", "title": title, "body": body, "from": day(-1), "until": day(20),
           "audience": "320508019044", "publish": publish})
}

async fn public_get(app: &crate::app::TestApp, path: &str) -> (u16, String) {
    let r = reqwest::Client::new()
        .get(app.url(path))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn a_withdrawn_notice_shows_as_withdrawn_and_stays_on_the_log() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        // Bad input: 422 naming the field.
        let mut bad = notice("收支", "正文", true);
        bad["until"] = json!(day(-5));
        let (s, e) = app.post_json_as("community", "/api/v1/notices", bad).await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("until")),
            "{e}"
        );
        let mut bad = notice("收支", "正文", true);
        bad["kind"] = json!("通知");
        let (s, e) = app.post_json_as("community", "/api/v1/notices", bad).await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("kind")),
            "{e}"
        );
        // Another community's staff (the grid worker lists no notices) may not publish here.
        let (s, _) = app
            .post_json_as(
                "department",
                "/api/v1/notices",
                notice("越权", "正文", true),
            )
            .await;
        assert_eq!(s, 403);

        let (s, n) = app
            .post_json_as(
                "community",
                "/api/v1/notices",
                notice(
                    "三季度居务收支",
                    "收入：12,000 元\n\n<script>alert(1)</script>",
                    true,
                ),
            )
            .await;
        assert_eq!((s, n["state"].as_str()), (201, Some("published")), "{n}");
        let id = n["id"].as_i64().unwrap();
        let (s, draft) = app
            .post_json_as(
                "community",
                "/api/v1/notices",
                notice("草稿", "未发布", false),
            )
            .await;
        assert_eq!(
            (s, draft["state"].as_str()),
            (201, Some("draft")),
            "{draft}"
        );
        let draft_id = draft["id"].as_i64().unwrap();

        // The visitor's board: the published notice, never the draft; its text escaped.
        let (s, board) = public_get(&app, "/c/320508019044/notices").await;
        assert_eq!(s, 200);
        assert!(
            board.contains("三季度居务收支") && !board.contains("草稿"),
            "{board}"
        );
        let (s, page) = public_get(&app, &format!("/c/320508019044/notices/{id}")).await;
        assert_eq!(s, 200);
        assert!(
            page.contains("&#60;script&#62;") && !page.contains("<script>alert"),
            "{page}"
        );
        assert_eq!(
            public_get(&app, &format!("/c/320508019044/notices/{draft_id}"))
                .await
                .0,
            404
        );
        assert_eq!(
            public_get(&app, &format!("/api/v1/public/notices/{draft_id}"))
                .await
                .0,
            404
        );
        // Not the audience: another community's board does not open it.
        assert_eq!(
            public_get(&app, &format!("/c/320508019045/notices/{id}"))
                .await
                .0,
            404
        );

        // A change is a new version: 已更新 on the public page.
        let (s, c) = app
            .post_json_as(
                "community",
                &format!("/api/v1/notices/{id}"),
                notice("三季度居务收支（更正）", "收入：12,500 元", true),
            )
            .await;
        assert_eq!((s, &c["version"]), (200, &json!(2)), "{c}");
        let (_, page) = public_get(&app, &format!("/c/320508019044/notices/{id}")).await;
        assert!(page.contains("已更新") && page.contains("12,500"), "{page}");

        // Withdrawn: a reason is required; then the public page shows the title, dates and
        // reason, never the body.
        let wpath = format!("/api/v1/notices/{id}/withdraw");
        let (s, e) = app
            .post_json_as("community", &wpath, json!({"reason": " "}))
            .await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("reason")),
            "{e}"
        );
        let (s, w) = app
            .post_json_as(
                "community",
                &wpath,
                json!({"reason": "数据有误，核对后重新公示"}),
            )
            .await;
        assert_eq!((s, w["state"].as_str()), (200, Some("withdrawn")), "{w}");
        let (s, e) = app
            .post_json_as("community", &wpath, json!({"reason": "再撤"}))
            .await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (409, Some("notice_state")),
            "{e}"
        );
        let (_, page) = public_get(&app, &format!("/c/320508019044/notices/{id}")).await;
        assert!(
            page.contains("已撤回") && page.contains("数据有误"),
            "{page}"
        );
        assert!(
            !page.contains("12,500") && !page.contains("notice-body"),
            "{page}"
        );
        let (s, json) = public_get(&app, &format!("/api/v1/public/notices/{id}")).await;
        assert_eq!(s, 200);
        let v: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["notice"]["status"], "withdrawn");
        assert!(v["notice"]["paragraphs"].is_null(), "{v}");
        let board: Value = serde_json::from_str(
            &public_get(&app, "/api/v1/public/communities/320508019044/notices")
                .await
                .1,
        )
        .unwrap();
        assert_eq!(board[0]["status"], "withdrawn", "{board}");

        // Its publication record: published, changed, withdrawn — each with its leaf once the
        // log integrates them, and the audit re-derives every entry.
        app.store.ledger_integrate_pending(10_000).await.unwrap();
        let v: Value = serde_json::from_str(
            &public_get(&app, &format!("/api/v1/public/notices/{id}"))
                .await
                .1,
        )
        .unwrap();
        let kinds: Vec<&str> = v["log"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["published", "changed", "withdrawn"], "{v}");
        assert!(
            v["log"]
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e["index"].is_u64()
                    && e["leaf_hash"].as_str().is_some_and(|h| h.len() == 64))
        );
        let report = app.store.ledger_audit(&[]).await.unwrap();
        assert!(
            report
                .problems
                .iter()
                .all(|p| p.kind == gongzhi_store::ledger::ProblemKind::NoCheckpoint),
            "{backend:?} {:?}",
            report.problems
        );

        // The staff list: both, filtered by state; the workbook.
        let drafts = app
            .get_json_as("community", "/api/v1/notices?state=draft")
            .await;
        assert_eq!(drafts.as_array().unwrap().len(), 1, "{drafts}");
        let x = app.get_as("community", "/api/v1/notices.xlsx").await;
        assert_eq!(x.status(), 200);
        assert_eq!(app.get_as("grid", "/api/v1/notices").await.status(), 403);
    }
}
