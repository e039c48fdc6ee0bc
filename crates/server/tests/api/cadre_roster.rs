//! The community cadre roster over HTTP on SQLite and PostgreSQL: the source text's district
//! (913 cadres, 50 under 30, 357 aged 30–44, 506 aged 45 and over) through the real import and
//! the real report — 5.48%, 39.10% and 55.42% — and a bad file refused whole, naming its rows.

use crate::app::{TestApp, spawn_app};
use gongzhi_testkit::backends;
use serde_json::{Value, json};

const HEADER: &str = "姓名,性别,出生日期,学历,职务,所属社区,任职日期";
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹";
const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红玲芬燕";
const EDUCATION: [&str; 5] = ["高中", "大专", "本科", "研究生", "中专"];
const POSTS: [&str; 6] = ["书记", "副书记", "主任", "副主任", "委员", "书记、主任"];

/// The `i`-th of many distinct names.
fn name(i: usize) -> String {
    let s: Vec<char> = SURNAMES.chars().collect();
    let g: Vec<char> = GIVEN.chars().collect();
    format!(
        "{}{}{}",
        s[i % s.len()],
        g[(i / s.len()) % g.len()],
        g[(i / (s.len() * g.len())) % g.len()]
    )
}

/// The report's day: ages are counted on it.
const ON: &str = "2025-12-31";

/// 913 cadres over two communities: 50 under 30, 357 aged 30–44, 506 aged 45 and over on
/// [`ON`], with cadres on each band's edge (29 the day before their 30th birthday, exactly 30,
/// exactly 45).
fn roster_csv() -> String {
    let mut lines = vec![HEADER.to_string()];
    let births = [(50, "1996-01-01"), (357, "1985-07-01"), (506, "1970-03-03")];
    let edges = ["1996-01-01", "1995-12-31", "1980-12-31"];
    let mut i = 0;
    for (band, (n, birth)) in births.iter().enumerate() {
        for k in 0..*n {
            let born = if k == 0 { edges[band] } else { birth };
            let community = if i % 3 == 0 {
                "320508020001"
            } else {
                "320508019044"
            };
            lines.push(format!(
                "{},{},{born},{},{},{community},2020-01-15",
                name(i),
                if i % 2 == 0 { "女" } else { "男" },
                EDUCATION[i % EDUCATION.len()],
                POSTS[i % POSTS.len()],
            ));
            i += 1;
        }
    }
    lines.join("\r\n")
}

async fn import_as(app: &TestApp, who: &str, body: Vec<u8>) -> (u16, Value) {
    let r = app
        .client
        .post(app.url("/api/v1/imports/cadres"))
        .bearer_auth(&app.tokens[who])
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn shares(group: &Value, dimension: &str) -> Vec<(u64, f64)> {
    group[dimension]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["count"].as_u64().unwrap(),
                t["percent"].as_f64().unwrap_or(-1.0),
            )
        })
        .collect()
}

/// Hundredths of a percent, exactly.
fn sum_hundredths(v: &[(u64, f64)]) -> i64 {
    v.iter().map(|(_, p)| (p * 100.0).round() as i64).sum()
}

#[tokio::test]
async fn the_source_texts_913_cadres_through_the_import_and_the_report() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (s, v) = import_as(&app, "district", roster_csv().into_bytes()).await;
        assert_eq!((s, &v["count"]), (201, &json!(913)), "{backend:?}: {v}");

        let r = app
            .get_json_as(
                "district",
                &format!("/api/v1/reports/cadre-structure?area=320508&on={ON}"),
            )
            .await;
        assert_eq!(r["total"]["count"], 913, "{backend:?}");
        let age = shares(&r["total"], "age");
        assert_eq!(
            age,
            [(50, 5.48), (357, 39.10), (506, 55.42)],
            "{backend:?}: {}",
            r["total"]["age"]
        );
        assert_eq!(r["age_bands"][2]["zh"], "45岁及以上");
        // Every table of every group adds up to exactly 100.00%.
        let groups: Vec<&Value> = std::iter::once(&r["total"])
            .chain(r["communities"].as_array().unwrap())
            .collect();
        for g in &groups {
            if g["count"] == 0 {
                continue;
            }
            for d in ["age", "education", "gender", "post"] {
                assert_eq!(sum_hundredths(&shares(g, d)), 10_000, "{} {d}", g["name"]);
            }
        }
        let counts: u64 = r["communities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["count"].as_u64().unwrap())
            .sum();
        assert_eq!(counts, 913);
        // 中专 reads as 高中/中专, "书记、主任" as 书记兼主任.
        let edu = shares(&r["total"], "education");
        assert_eq!(edu[1].0, 365, "{:?}", edu);

        // Configurable bands: 35 and 50 split the same roster differently, still to 100.00.
        let r2 = app
            .get_json_as(
                "district",
                &format!("/api/v1/reports/cadre-structure?area=320508&on={ON}&bands=35,50"),
            )
            .await;
        assert_eq!(shares(&r2["total"], "age").len(), 3);
        assert_eq!(sum_hundredths(&shares(&r2["total"], "age")), 10_000);
        let bad = app
            .get_as(
                "district",
                "/api/v1/reports/cadre-structure?area=320508&bands=45,30",
            )
            .await;
        assert_eq!(bad.status(), 400);

        // The same report as a workbook, and as a page.
        let x = app
            .get_as(
                "district",
                &format!("/api/v1/reports/cadre-structure.xlsx?area=320508&on={ON}"),
            )
            .await;
        assert_eq!(x.status(), 200, "{backend:?}");
        let t = gongzhi_sheets::read_table(&x.bytes().await.unwrap()).unwrap();
        assert_eq!(t.rows[0].get(0), "合计");
        assert_eq!((t.rows[0].get(2), t.rows[0].get(4)), ("913", "5.48"));
        let page = app
            .get_as(
                "district",
                &format!("/reports/cadre-structure?area=320508&on={ON}"),
            )
            .await
            .text()
            .await
            .unwrap();
        for shown in ["5.48%", "39.10%", "55.42%", "913"] {
            assert!(page.contains(shown), "{backend:?} {shown}");
        }

        // A party organisation sees its street's community only, and not the district.
        let street = app
            .get_json_as("party", &format!("/api/v1/reports/cadre-structure?on={ON}"))
            .await;
        assert_eq!(street["total"]["count"], 913 - 305, "{backend:?}");
        assert_eq!(
            app.get_as("party", "/api/v1/reports/cadre-structure?area=320508")
                .await
                .status(),
            403
        );
        assert_eq!(
            app.get_as("grid", "/api/v1/cadre-roster").await.status(),
            403
        );
    }
}

#[tokio::test]
async fn a_bad_file_changes_nothing_and_names_row_and_field() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let good = format!(
            "{HEADER}\n张丽,女,1986-04-12,本科,书记,320508019044,2021-01-15\n王强,男,1979/3/2,大专,委员,320508019044,2018-06-01\n"
        );
        let (s, v) = import_as(&app, "community", good.clone().into_bytes()).await;
        assert_eq!(s, 201, "{backend:?}: {v}");
        let before = app.get_json_as("community", "/api/v1/cadre-roster").await;
        assert_eq!(before.as_array().unwrap().len(), 2);

        let bad = format!(
            "{HEADER}\n李新,女,1990-01-01,本科,委员,320508019044,2020-01-01\n赵六,X,1990-13-01,幼儿园,保安,320508019000,2020-01-01\n钱七,男,2010-01-01,本科,委员,320508019099,2020-01-01\n李新,女,1990-01-01,本科,委员,320508019044,2020-01-01\n"
        );
        let (s, v) = import_as(&app, "community", bad.into_bytes()).await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (422, Some("import_rejected")),
            "{v}"
        );
        let rows = v["error"]["rows"].as_array().unwrap();
        let at = |row: u64, column: &str| {
            rows.iter()
                .find(|r| r["row"] == row && r["column"] == column)
                .unwrap_or_else(|| panic!("row {row} {column} in {v}"))
        };
        at(3, "性别");
        at(3, "出生日期");
        at(3, "学历");
        assert!(at(3, "职务")["message"].as_str().unwrap().contains("书记"));
        assert!(
            at(3, "所属社区")["message_en"]
                .as_str()
                .unwrap()
                .contains("community-level")
        );
        assert!(
            at(4, "所属社区")["message"]
                .as_str()
                .unwrap()
                .contains("没有代码为 320508019099")
        );
        assert!(at(5, "姓名")["message"].as_str().unwrap().contains("第2行"));
        assert!(v["error"]["message"].as_str().unwrap().contains("第3行"));
        let after = app.get_json_as("community", "/api/v1/cadre-roster").await;
        assert_eq!(
            after, before,
            "{backend:?}: a refused file changed the roster"
        );

        // Outside the account's area: refused by row.
        let far = format!("{HEADER}\n孙八,男,1980-01-01,本科,委员,320508020001,2020-01-01\n");
        let (s, v) = import_as(&app, "community", far.into_bytes()).await;
        assert_eq!(s, 422, "{v}");
        assert_eq!(v["error"]["rows"][0]["column"], "所属社区");

        // Re-importing a person updates them; leaving takes them off the current roster.
        let again =
            format!("{HEADER}\n张丽,女,1986-04-12,研究生,书记兼主任,320508019044,2021-01-15\n");
        import_as(&app, "community", again.into_bytes()).await;
        let list = app.get_json_as("community", "/api/v1/cadre-roster").await;
        let zhang = list
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "张丽")
            .unwrap()
            .clone();
        assert_eq!(list.as_array().unwrap().len(), 2);
        assert_eq!(
            (zhang["education"].as_str(), zhang["post"].as_str()),
            (Some("postgraduate"), Some("secretary_director"))
        );
        let (s, v) = app
            .post_json_as(
                "community",
                &format!("/api/v1/cadre-roster/{}/leave", zhang["id"]),
                json!({"left_on": "2021-01-01"}),
            )
            .await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (422, Some("left_before_start"))
        );
        let (s, _) = app
            .post_json_as(
                "community",
                &format!("/api/v1/cadre-roster/{}/leave", zhang["id"]),
                json!({"left_on": "2025-06-01"}),
            )
            .await;
        assert_eq!(s, 200);
        assert_eq!(
            app.get_json_as("community", "/api/v1/cadre-roster")
                .await
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            app.get_json_as("community", "/api/v1/cadre-roster?all=1")
                .await
                .as_array()
                .unwrap()
                .len(),
            2
        );
        let old = app
            .get_json_as("community", "/api/v1/reports/cadre-structure?on=2025-05-31")
            .await;
        assert_eq!(old["total"]["count"], 2);
    }
}

/// A workbook whose dates are real date cells (as a spreadsheet program saves them) imports
/// like text dates.
#[tokio::test]
async fn xlsx_with_date_cells() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in HEADER.split(',').enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    ws.write_string(1, 0, "周敏").unwrap();
    ws.write_string(1, 1, "女").unwrap();
    ws.write_datetime_with_format(1, 2, ExcelDateTime::from_ymd(1992, 8, 9).unwrap(), &date)
        .unwrap();
    ws.write_string(1, 3, "大学本科").unwrap();
    ws.write_string(1, 4, "副主任").unwrap();
    ws.write_string(1, 5, "320508019044").unwrap();
    ws.write_datetime_with_format(1, 6, ExcelDateTime::from_ymd(2019, 3, 1).unwrap(), &date)
        .unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let app = spawn_app(gongzhi_testkit::Backend::Sqlite).await;
    let (s, v) = import_as(&app, "community", bytes).await;
    assert_eq!(s, 201, "{v}");
    let list = app.get_json_as("community", "/api/v1/cadre-roster").await;
    assert_eq!(list[0]["birth_date"], "1992-08-09");
    assert_eq!(list[0]["start_date"], "2019-03-01");
    assert_eq!(list[0]["education"], "bachelor");
}
