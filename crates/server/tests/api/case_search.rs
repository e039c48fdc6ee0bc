//! Case search on SQLite and PostgreSQL: each search field narrows the list to exactly the cases
//! it names (checked against the whole list read back), fields combine with each other and with
//! the caller's scope, a bad field is refused by name, and the page keeps the search.

use crate::app::{GRID_ORIGINS, TestApp, spawn_app};
use gongzhi_testkit::backends;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// A resident's report at a point inside grid `g` (index into `GRID_ORIGINS`).
pub async fn report_at(
    app: &TestApp,
    g: usize,
    category: &str,
    address: &str,
    description: &str,
) -> (i64, String, String) {
    let (lon, lat) = (GRID_ORIGINS[g].1 + 0.0004, GRID_ORIGINS[g].2 + 0.0004);
    let r = app
        .client
        .post(app.url("/api/v1/cases"))
        .bearer_auth(&app.tokens["resident"])
        .json(
            &json!({"category": category, "lon": lon, "lat": lat, "address": address,
                      "description": description, "reporter_phone": "13812345678"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    (
        v["case"]["id"].as_i64().unwrap(),
        v["case"]["ticket"].as_str().unwrap().to_string(),
        v["lookup_code"].as_str().unwrap().to_string(),
    )
}

/// Three cases: trash in grid 1 and a street vendor in grid 2 (both 养育巷社区), a broken
/// manhole cover in 平江社区.
pub struct Three {
    pub trash: (i64, String, String),
    pub vendor: (i64, String, String),
    pub manhole: (i64, String, String),
}

pub async fn three(app: &TestApp) -> Three {
    Three {
        trash: report_at(app, 0, "E0102", "测试路1号", "楼下垃圾三天没人清运").await,
        vendor: report_at(app, 1, "E0501", "幸福路8号", "路口有流动摊贩占道经营").await,
        manhole: report_at(app, 2, "C0102", "平江路20号", "井盖缺失_100%危险").await,
    }
}

async fn list(app: &TestApp, who: &str, query: &str) -> (u16, Value) {
    let r = app
        .get_as(who, &format!("/api/v1/cases?per_page=500&{query}"))
        .await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn ids(v: &Value) -> BTreeSet<i64> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

/// The ids a search finds, checked against its total.
async fn found(app: &TestApp, who: &str, query: &str) -> BTreeSet<i64> {
    let (s, v) = list(app, who, query).await;
    assert_eq!(s, 200, "{who} {query}: {v}");
    let got = ids(&v);
    assert_eq!(v["total"].as_u64().unwrap() as usize, got.len(), "{query}");
    got
}

fn set(v: &[i64]) -> BTreeSet<i64> {
    v.iter().copied().collect()
}

async fn refused(app: &TestApp, who: &str, query: &str, field: &str) {
    let (s, v) = list(app, who, query).await;
    assert_eq!(s, 400, "{query}: {v}");
    assert_eq!(v["error"]["field"], field, "{query}: {v}");
    assert!(!v["error"]["message"].as_str().unwrap().is_empty());
    assert!(!v["error"]["message_en"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn each_search_field_narrows_the_list_in_sql_on_both_backends() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let t = three(&app).await;
        let (a, b, c) = (t.trash.0, t.vendor.0, t.manhole.0);
        let (_, all) = list(&app, "admin", "").await;
        assert_eq!(ids(&all), set(&[a, b, c]));

        // Ticket: whole, in part, in lower case.
        assert_eq!(
            found(&app, "admin", &format!("ticket={}", t.vendor.1)).await,
            set(&[b])
        );
        let tail = &t.manhole.1[t.manhole.1.len() - 4..];
        assert!(
            found(&app, "admin", &format!("ticket={tail}"))
                .await
                .contains(&c)
        );
        assert_eq!(
            found(
                &app,
                "admin",
                &format!("ticket={}", t.trash.1.to_lowercase())
            )
            .await,
            set(&[a])
        );
        // The lookup code as read out on the phone (lower case, dashes).
        let code = t.vendor.2.to_lowercase();
        assert_eq!(
            found(&app, "admin", &format!("lookup={code}")).await,
            set(&[b])
        );
        refused(&app, "admin", "lookup=xyz", "lookup").await;

        // Words in the address or the description; LIKE's own characters are taken literally.
        assert_eq!(
            found(&app, "admin", "q=%E5%B9%B8%E7%A6%8F%E8%B7%AF").await,
            set(&[b])
        ); // 幸福路
        assert_eq!(
            found(&app, "admin", "q=%E5%9E%83%E5%9C%BE").await,
            set(&[a])
        ); // 垃圾
        assert_eq!(found(&app, "admin", "q=_100%25").await, set(&[c]));
        assert_eq!(found(&app, "admin", "q=%25").await, set(&[c]));
        assert!(
            found(&app, "admin", "q=%E4%B8%8D%E5%AD%98%E5%9C%A8")
                .await
                .is_empty()
        ); // 不存在

        // Category: a minor one, a major one finds its minors, an unknown one is refused.
        assert_eq!(found(&app, "admin", "category=E0102").await, set(&[a]));
        assert_eq!(found(&app, "admin", "category=E01").await, set(&[a]));
        assert_eq!(found(&app, "admin", "category=C01").await, set(&[c]));
        refused(&app, "admin", "category=NOPE", "category").await;

        // State and department, against what the list itself says of each case.
        let by = |key: &str, want: &str| -> BTreeSet<i64> {
            all["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|x| x[key].as_str() == Some(want))
                .map(|x| x["id"].as_i64().unwrap())
                .collect()
        };
        let state = all["items"][0]["state"].as_str().unwrap().to_string();
        assert_eq!(
            found(&app, "admin", &format!("state={state}")).await,
            by("state", &state)
        );
        assert!(found(&app, "admin", "state=closed").await.is_empty());
        refused(&app, "admin", "state=bogus", "state").await;
        assert_eq!(
            found(&app, "admin", "department=CG").await,
            by("department", "CG")
        );
        assert!(found(&app, "admin", "department=ZJ").await.is_empty());
        refused(&app, "admin", "department=XX", "department").await;

        // Area: a community, a street, the other street.
        assert_eq!(
            found(&app, "admin", "area=320508019044").await,
            set(&[a, b])
        );
        assert_eq!(found(&app, "admin", "area=320508020000").await, set(&[c]));

        // Reported dates (Beijing time), inclusive; bad dates are refused by name.
        let today = &all["items"][0]["reported_at_text"].as_str().unwrap()[..10];
        assert_eq!(
            found(&app, "admin", &format!("from={today}&to={today}")).await,
            set(&[a, b, c])
        );
        assert!(found(&app, "admin", "to=2000-01-01").await.is_empty());
        assert!(found(&app, "admin", "from=2100-01-01").await.is_empty());
        refused(&app, "admin", "from=2026-13-40", "from").await;
        refused(&app, "admin", "to=yesterday", "to").await;
        refused(&app, "admin", "from=2026-12-02&to=2026-12-01", "to").await;

        // Overdue only: none is.
        assert!(found(&app, "admin", "overdue=true").await.is_empty());

        // Fields combine.
        assert_eq!(
            found(&app, "admin", "area=320508019044&category=E05").await,
            set(&[b])
        );
        assert!(
            found(&app, "admin", "area=320508020000&q=%E5%9E%83%E5%9C%BE")
                .await
                .is_empty()
        );

        // Paging keeps the search: one per page, the total is the search's.
        let page = |n: u32| {
            let app = &app;
            async move {
                let r = app
                    .get_as(
                        "admin",
                        &format!("/api/v1/cases?area=320508019044&per_page=1&page={n}"),
                    )
                    .await;
                assert_eq!(r.status(), 200);
                r.json::<Value>().await.unwrap()
            }
        };
        let (p1, p2) = (page(1).await, page(2).await);
        assert_eq!(p1["total"], 2);
        assert_eq!(p2["total"], 2);
        let mut both = ids(&p1);
        both.extend(ids(&p2));
        assert_eq!(both, set(&[a, b]));
    }
}

#[tokio::test]
async fn the_search_never_reaches_past_the_caller_s_scope() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let t = three(&app).await;
        let (a, b, c) = (t.trash.0, t.vendor.0, t.manhole.0);
        // 养育巷社区 never finds 平江社区's case, by ticket, lookup code or words.
        assert!(
            found(&app, "community", &format!("ticket={}", t.manhole.1))
                .await
                .is_empty()
        );
        assert!(
            found(&app, "community", &format!("lookup={}", t.manhole.2))
                .await
                .is_empty()
        );
        assert!(
            found(&app, "community", "q=%E4%BA%95%E7%9B%96")
                .await
                .is_empty()
        ); // 井盖
        assert_eq!(found(&app, "community", "").await, set(&[a, b]));
        // The grid worker searches its own grid only.
        assert_eq!(
            found(&app, "grid", "q=%E8%B7%AF").await, // 路
            set(&[a])
        );
        // A resident finds only its own reports (these are all its own).
        assert_eq!(found(&app, "resident", "category=C01").await, set(&[c]));
        // An area outside one's own is refused, not widened.
        let (s, _) = list(&app, "community", "area=320508020001").await;
        assert_eq!(s, 403);
        // A party organisation lists no cases.
        let (s, _) = list(&app, "party", "ticket=2026").await;
        assert_eq!(s, 403);
    }
}

#[tokio::test]
async fn the_case_list_page_searches_by_name_and_keeps_the_search() {
    let app = spawn_app(gongzhi_testkit::Backend::Sqlite).await;
    let t = three(&app).await;
    let page = app
        .get_as(
            "admin",
            "/cases?q=%E5%B9%B8%E7%A6%8F%E8%B7%AF&area=320508019044",
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&t.vendor.1), "the vendor case is listed");
    assert!(!page.contains(&t.trash.1) && !page.contains(&t.manhole.1));
    // Choices by name: categories grouped under their major one, departments, areas.
    assert!(page.contains("<optgroup label=\"市容环境\">"));
    assert!(page.contains(">城管局</option>"));
    assert!(page.contains("养育巷社区</option>") && page.contains(">金阊街道</option>"));
    assert!(page.contains("value=\"320508019044\" selected"));
    // The export link carries the same search.
    assert!(
        page.contains(
            "href=\"/cases/export.xlsx?q=%E5%B9%B8%E7%A6%8F%E8%B7%AF&#38;area=320508019044\""
        ),
        "export link keeps the search: {}",
        page.split("id=\"case-export\"")
            .nth(1)
            .unwrap_or("")
            .chars()
            .take(200)
            .collect::<String>()
    );
    // A community's area choice holds only what it may list.
    let page = app
        .get_as("community", "/cases")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("养育巷社区</option>"));
    assert!(!page.contains("平江社区</option>"));
    // A department is offered only itself.
    let page = app
        .get_as("department", "/cases")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(">城管局</option>") && !page.contains(">住建局</option>"));
    // A bad date is said on the page, naming the field, with the form still filled in.
    let r = app.get_as("admin", "/cases?from=2026-02-30&q=abc").await;
    assert_eq!(r.status(), 400);
    let page = r.text().await.unwrap();
    assert!(page.contains("class=\"flash err\"") && page.contains("不是日期"));
    assert!(page.contains("name=\"q\" id=\"f-q\" value=\"abc\""));
}
