//! 契约化共建 over HTTP on SQLite and PostgreSQL: the community signs a contract with the
//! department CG, the department records deliveries, the community rates; a commitment past
//! its due date without delivery is overdue on both sides' home tiles and on both scorecards
//! (the department's, by department, and the community's, by community); each side is refused
//! the other's act, bad input is refused naming its field.

use crate::app::spawn_app;
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_store::now_millis;
use gongzhi_testkit::backends;
use serde_json::{Value, json};

fn day(offset: i64) -> String {
    let today: Date = date_of(now_millis());
    today.add_days(offset).to_string()
}

fn cobuild_row<'a>(card: &'a Value, key: &str) -> &'a Value {
    card["cobuild"]
        .as_array()
        .unwrap_or_else(|| panic!("no cobuild figures: {card}"))
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("no {key}: {card}"))
}

#[tokio::test]
async fn an_overdue_commitment_is_flagged_to_both_sides_and_on_both_scorecards() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (s, k) = app
            .post_json_as(
                "community",
                "/api/v1/cobuild/contracts",
                json!({"title": "城管进社区", "department": "CG", "community": "320508019044",
                       "starts_on": day(-60), "ends_on": day(300), "signed_on": day(-60)}),
            )
            .await;
        assert_eq!(s, 201, "{backend:?} {k}");
        assert_eq!(k["department_name"], "城管局", "{k}");
        let kid = k["id"].as_i64().unwrap();
        let commit = |title: &str, due: String| json!({"title": title, "deliverable": format!("{title}，每月一次"), "due_on": due});
        let path = format!("/api/v1/cobuild/contracts/{kid}/commitments");
        // A due date outside the contract's period: 422 naming the field, nothing written.
        let (s, e) = app
            .post_json_as("community", &path, commit("越界", day(400)))
            .await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("due_on")),
            "{e}"
        );
        let (s, late) = app
            .post_json_as("department", &path, commit("规范停车", day(-10)))
            .await;
        assert_eq!(s, 201, "{late}");
        let (s, done) = app
            .post_json_as("community", &path, commit("清理堆物", day(-20)))
            .await;
        assert_eq!(s, 201, "{done}");
        let late_id = late["id"].as_i64().unwrap();
        let done_id = done["id"].as_i64().unwrap();
        assert_eq!(late["status"], "overdue", "{late}");

        // Deliveries are the department's; the community's attempt is refused.
        let delivery = json!({"delivered_on": day(-25), "notes": "已清理完毕", "completes": true});
        let dpath = format!("/api/v1/cobuild/commitments/{done_id}/deliveries");
        let (s, _) = app
            .post_json_as("community", &dpath, delivery.clone())
            .await;
        assert_eq!(s, 403);
        let (s, d) = app
            .post_json_as("department", &dpath, delivery.clone())
            .await;
        assert_eq!(s, 201, "{d}");
        assert_eq!(d["commitment"]["status"], "delivered_on_time", "{d}");
        let (s, e) = app.post_json_as("department", &dpath, delivery).await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (409, Some("commitment_already_delivered")),
            "{e}"
        );
        // A delivery with no notes: 422 on `notes`.
        let (s, e) = app
            .post_json_as(
                "department",
                &format!("/api/v1/cobuild/commitments/{late_id}/deliveries"),
                json!({"notes": " "}),
            )
            .await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("notes")),
            "{e}"
        );

        // Ratings are the community's.
        let rpath = format!("/api/v1/cobuild/commitments/{done_id}/rating");
        let (s, _) = app
            .post_json_as("department", &rpath, json!({"rating": "satisfied"}))
            .await;
        assert_eq!(s, 403);
        let (s, e) = app
            .post_json_as("community", &rpath, json!({"rating": "很好"}))
            .await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("rating")),
            "{e}"
        );
        let (s, r) = app
            .post_json_as(
                "community",
                &rpath,
                json!({"rating": "满意", "note": "及时"}),
            )
            .await;
        assert_eq!(
            (s, &r["commitment"]["rating"]),
            (200, &json!("satisfied")),
            "{r}"
        );

        // Flagged to both sides: the list and the home tiles.
        for who in ["community", "department"] {
            let overdue = app
                .get_json_as(who, "/api/v1/cobuild/commitments?status=overdue")
                .await;
            assert_eq!(overdue.as_array().unwrap().len(), 1, "{who} {overdue}");
            assert_eq!(overdue[0]["id"], late_id);
            let work = app.get_json_as(who, "/api/v1/work").await;
            let tile = work["tiles"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["key"] == "cobuild_overdue")
                .unwrap_or_else(|| panic!("{who} {work}"))
                .clone();
            assert_eq!(tile["count"], 1, "{who} {tile}");
        }
        // As of a day before the due date, nothing was overdue.
        let before = app
            .get_json_as(
                "community",
                &format!(
                    "/api/v1/cobuild/commitments?status=overdue&as_of={}",
                    day(-11)
                ),
            )
            .await;
        assert_eq!(before.as_array().unwrap().len(), 0, "{before}");

        // On both scorecards, the case figures untouched beside them.
        let dept = app
            .get_json_as("department", "/api/v1/metrics?by=department")
            .await;
        let row = cobuild_row(&dept, "CG");
        assert_eq!(
            (
                &row["commitments"],
                &row["due"],
                &row["overdue"],
                &row["delivered_on_time"]
            ),
            (&json!(2), &json!(2), &json!(1), &json!(1)),
            "{row}"
        );
        assert_eq!(row["satisfaction_rate"], 100.0, "{row}");
        assert_eq!(row["on_time_rate"], 50.0, "{row}");
        assert!(dept["groups"].is_array() && dept["total"]["counters"].is_object());
        let comm = app
            .get_json_as("community", "/api/v1/metrics?by=community")
            .await;
        let row = cobuild_row(&comm, "320508019044");
        assert_eq!(
            (&row["overdue"], &row["label"]),
            (&json!(1), &json!("养育巷社区")),
            "{row}"
        );
        // Grouped by month there is no co-build part.
        let month = app
            .get_json_as("community", "/api/v1/metrics?by=month")
            .await;
        assert!(month.get("cobuild").is_none(), "{month}");
        // And on the page.
        let page = app
            .get_as("department", "/scorecards")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("契约化共建：各部门") && page.contains("逾期未履约"),
            "{backend:?}"
        );

        // A grid worker lists no contracts; the workbook of commitments is there for staff.
        assert_eq!(
            app.get_as("grid", "/api/v1/cobuild/contracts")
                .await
                .status(),
            403
        );
        let x = app
            .get_as("community", "/api/v1/cobuild/commitments.xlsx")
            .await;
        assert_eq!(x.status(), 200);
        assert!(x.bytes().await.unwrap().starts_with(b"PK"));
        // Each write is on the log.
        let events = app
            .store
            .record_events(&format!("cobuild_commitment/{done_id}"))
            .await
            .unwrap();
        assert_eq!(events.len(), 3, "created, delivered, rated");
    }
}
