//! A database outage answers 503 with `Retry-After` and the bilingual error, not a 500: the
//! served store's pool is closed under the running server (on SQLite and on PostgreSQL), and
//! every kind of request — a list, one case, a page — says to come back later.

use crate::app::spawn_app;
use gongzhi_testkit::backends;
use serde_json::Value;

#[tokio::test]
async fn a_closed_pool_answers_503_with_retry_after_on_the_api_and_the_pages() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let r = app.get_as("admin", "/api/v1/cases").await;
        assert_eq!(r.status(), 200, "{backend:?}");

        app.store.close().await;

        for path in ["/api/v1/cases", "/api/v1/cases/1", "/api/v1/inbox"] {
            let r = app.get_as("admin", path).await;
            assert_eq!(r.status(), 503, "{backend:?} {path}");
            assert_eq!(r.headers()["retry-after"], "5", "{backend:?} {path}");
            let v: Value = r.json().await.unwrap();
            assert_eq!(v["error"]["code"], "unavailable", "{v}");
            assert_eq!(v["error"]["message"], "数据库暂时无法访问，请稍后重试");
            assert_eq!(
                v["error"]["message_en"],
                "the database cannot be reached for the moment; please try again shortly"
            );
        }
        // Pages: the same status and header, in HTML, in both languages.
        for path in ["/cases", "/"] {
            let r = app.get_as("admin", path).await;
            assert_eq!(r.status(), 503, "{backend:?} {path}");
            assert_eq!(r.headers()["retry-after"], "5");
            assert!(
                r.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("text/html")
            );
            let html = r.text().await.unwrap();
            assert!(html.contains("数据库暂时无法访问"), "{html}");
            assert!(html.contains("try again shortly"), "{html}");
        }
        // The public intake too (no account involved).
        let r = app
            .client
            .get(app.url("/api/v1/public/cases/ABCD-EFGH"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 503, "{backend:?}");
        assert_eq!(r.headers()["retry-after"], "5");
    }
}
