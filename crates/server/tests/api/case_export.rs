//! The searched case list as .xlsx, and the printable dispatch slip: the workbook holds exactly
//! the cases the same search lists (all pages), under Chinese headers, with names not codes and
//! never the reporter's phone; cell text stays text. The slip shows names and signature lines.

use crate::app::TestApp;
use crate::case_search::{report_at, three};
use calamine::{Data, Reader, Xlsx};
use gongzhi_testkit::backends;
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::Cursor;

/// The export of `query` as `who`, re-read: the header row and the data rows as text.
async fn export(app: &TestApp, who: &str, query: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let r = app
        .get_as(who, &format!("/api/v1/cases.xlsx?{query}"))
        .await;
    assert_eq!(r.status(), 200, "{who} {query}");
    assert!(
        r.headers()[reqwest::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let formulas = wb.worksheet_formula("案件").unwrap();
    assert!(
        formulas.cells().all(|(_, _, f)| f.is_empty()),
        "no cell is a formula"
    );
    let range = wb.worksheet_range("案件").unwrap();
    let mut rows = range.rows().map(|r| {
        r.iter()
            .map(|c| match c {
                Data::String(s) => s.clone(),
                Data::Empty => String::new(),
                other => panic!("every cell is text, got {other:?}"),
            })
            .collect::<Vec<String>>()
    });
    let head = rows.next().unwrap();
    (head, rows.collect())
}

async fn listed(app: &TestApp, who: &str, query: &str) -> Value {
    let r = app
        .get_as(who, &format!("/api/v1/cases?per_page=500&{query}"))
        .await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

fn tickets_of(v: &Value) -> BTreeSet<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["ticket"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_export_holds_exactly_the_searched_cases_with_names_and_no_phone() {
    for backend in backends() {
        let app = spawn(backend).await;
        let t = three(&app).await;
        // A formula typed as an address stays text.
        let (_, formula_ticket, _) = report_at(
            &app,
            0,
            "E0103",
            "=HYPERLINK(\"http://x\",\"点我\")",
            "测试公式",
        )
        .await;
        for (who, query) in [
            ("admin", ""),
            ("admin", "area=320508019044"),
            ("admin", "q=%E5%B9%B8%E7%A6%8F%E8%B7%AF"),
            ("admin", "category=E01"),
            ("community", ""),
            ("grid", ""),
        ] {
            let (head, rows) = export(&app, who, query).await;
            assert_eq!(
                head,
                [
                    "编号",
                    "上报时间",
                    "大类",
                    "小类",
                    "地址",
                    "问题描述",
                    "网格",
                    "社区",
                    "状态",
                    "承办部门",
                    "处置层级",
                    "期限",
                    "是否超期",
                    "满意度",
                    "结案时间"
                ]
            );
            let got: BTreeSet<String> = rows.iter().map(|r| r[0].clone()).collect();
            assert_eq!(got.len(), rows.len(), "each case once");
            assert_eq!(
                got,
                tickets_of(&listed(&app, who, query).await),
                "{who} {query}"
            );
            for r in &rows {
                assert!(
                    r.iter()
                        .all(|c| !c.contains("5678") && !c.contains("1381234")),
                    "no reporter's phone: {r:?}"
                );
            }
        }
        // Names, not codes.
        let all = listed(&app, "admin", "").await;
        let (_, rows) = export(&app, "admin", "").await;
        let row = |ticket: &str| rows.iter().find(|r| r[0] == ticket).unwrap().clone();
        let view = |ticket: &str| {
            all["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["ticket"] == ticket)
                .unwrap()
                .clone()
        };
        let trash = row(&t.trash.1);
        let v = view(&t.trash.1);
        assert_eq!(trash[1], v["reported_at_text"].as_str().unwrap());
        assert_eq!(trash[2], "市容环境");
        assert_eq!(trash[3], v["category_name"].as_str().unwrap());
        assert_ne!(trash[3], "E0102");
        assert_eq!(trash[4], "测试路1号");
        assert_eq!(trash[6], "第1网格");
        assert_eq!(trash[7], "养育巷社区");
        assert_eq!(trash[8], v["state_label"].as_str().unwrap());
        let department = v["department_name"].as_str().unwrap_or("属地");
        assert_eq!(trash[9], department);
        assert_eq!(trash[12], "否");
        assert_eq!(row(&t.manhole.1)[7], "平江社区");
        assert_eq!(row(&t.vendor.1)[2], "街面秩序");
        assert_eq!(row(&formula_ticket)[4], "=HYPERLINK(\"http://x\",\"点我\")");
        // A refused search exports nothing.
        let r = app
            .get_as("admin", "/api/v1/cases.xlsx?from=2026-99-01")
            .await;
        assert_eq!(r.status(), 400);
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["error"]["field"], "from");
        // Each export is in the audit log with its search and row count.
        let audited: Vec<String> = app
            .store
            .audit_entries(200)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "export" && e.subject == "cases")
            .map(|e| e.detail)
            .collect();
        assert!(audited.len() >= 7, "{audited:?}");
        assert!(
            audited
                .iter()
                .any(|d| d.contains("area=320508019044") && d.contains("rows=3"))
        );
        // The list page's link: the same workbook; a refused search is said on the list.
        let r = app
            .get_as("community", "/cases/export.xlsx?category=E01")
            .await;
        assert_eq!(r.status(), 200);
        assert!(
            r.headers()[reqwest::header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .contains("cases.xlsx")
        );
        let r = app
            .get_as("admin", "/cases/export.xlsx?state=nonsense")
            .await;
        assert_eq!(r.status(), 400);
        let page = r.text().await.unwrap();
        assert!(page.contains("class=\"flash err\"") && page.contains("没有状态"));
        // A party organisation lists no cases, so it exports none.
        let r = app.get_as("party", "/api/v1/cases.xlsx").await;
        assert_eq!(r.status(), 403);
    }
}

async fn spawn(backend: gongzhi_testkit::Backend) -> TestApp {
    crate::app::spawn_app(backend).await
}

#[tokio::test]
async fn the_dispatch_slip_prints_names_the_timeline_and_signature_lines() {
    let app = spawn(gongzhi_testkit::Backend::Sqlite).await;
    let t = three(&app).await;
    let id = t.trash.0;
    let v: Value = app
        .get_as("admin", &format!("/api/v1/cases/{id}"))
        .await
        .json()
        .await
        .unwrap();
    let case_page = app
        .get_as("admin", &format!("/cases/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(case_page.contains(&format!("href=\"/cases/{id}/print\"")));
    let r = app.get_as("admin", &format!("/cases/{id}/print")).await;
    assert_eq!(r.status(), 200);
    let slip = r.text().await.unwrap();
    assert!(slip.contains(&t.trash.1));
    assert!(slip.contains(&format!(
        "市容环境 / {}",
        v["category_name"].as_str().unwrap()
    )));
    if let Some(d) = v["department_name"].as_str() {
        assert!(slip.contains(d), "department by name");
    }
    assert!(slip.contains("养育巷社区") && slip.contains("第1网格"));
    assert!(slip.contains("楼下垃圾三天没人清运") && slip.contains("测试路1号"));
    assert!(slip.contains("派遣人（签字）") && slip.contains("承办人（签字）"));
    assert!(slip.contains("id=\"slip-print\"") && slip.contains("data-print"));
    assert!(!slip.contains("<nav"), "no menu on the slip");
    // Every event of the timeline is on it.
    let tl: Value = app
        .get_as("admin", &format!("/api/v1/cases/{id}/timeline"))
        .await
        .json()
        .await
        .unwrap();
    for e in tl.as_array().unwrap() {
        assert!(slip.contains(e["at_text"].as_str().unwrap()));
    }
    // No phone on the slip; a community elsewhere does not see the case at all.
    assert!(!slip.contains("13812345678"));
    let r = app
        .get_as("community", &format!("/cases/{}/print", t.manhole.0))
        .await;
    assert_eq!(r.status(), 404);
}
