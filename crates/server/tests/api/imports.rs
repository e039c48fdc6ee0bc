//! Imports refuse bad files whole and say exactly why; good files land whole.

use crate::app::{GRID_ORIGINS, OWN_GRID, spawn_app, square_coords};
use gongzhi_testkit::backends;
use serde_json::Value;

fn feature(code: &str, lon: f64, lat: f64) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"code":"{code}","name":"网格{code}"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}"#,
        square_coords(lon, lat, 0.001)
    )
}

#[tokio::test]
async fn overlapping_grids_are_refused_naming_both() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let before = app.store.grids().await.unwrap().len();
        // Two new grids in a new community, overlapping by half.
        app.store
            .upsert_areas(&[gongzhi_store::records::AreaRecord {
                code: gongzhi_domain::codes::AreaCode::parse("320508020002").unwrap(),
                name: "新社区".into(),
                urban_rural: None,
            }])
            .await
            .unwrap();
        let fc = format!(
            r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
            feature("320508020002001", 120.620, 31.300),
            feature("320508020002002", 120.6205, 31.300)
        );
        let r = app
            .client
            .post(app.url("/api/v1/imports/grids"))
            .bearer_auth(&app.tokens["admin"])
            .body(fc)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend:?}");
        let v: Value = r.json().await.unwrap();
        let msg = v["error"]["message"].as_str().unwrap();
        assert_eq!(v["error"]["code"], "grid_overlap");
        assert!(
            msg.contains("320508020002001") && msg.contains("320508020002002"),
            "{msg}"
        );
        assert!(msg.contains("平方米"), "{msg}");
        assert!(
            v["error"]["message_en"]
                .as_str()
                .unwrap()
                .contains("overlap")
        );
        assert_eq!(
            app.store.grids().await.unwrap().len(),
            before,
            "{backend:?} nothing written"
        );

        // A new grid overlapping a stored one is refused too; a clean one lands and is locatable.
        let (_, lon, lat) = GRID_ORIGINS[0];
        let clash = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            feature("320508020002001", lon + 0.0005, lat)
        );
        let r = app
            .client
            .post(app.url("/api/v1/imports/grids"))
            .bearer_auth(&app.tokens["admin"])
            .body(clash)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains(OWN_GRID));
        let clean = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            feature("320508020002001", 120.630, 31.300)
        );
        let r = app
            .client
            .post(app.url("/api/v1/imports/grids"))
            .bearer_auth(&app.tokens["admin"])
            .body(clean)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{backend:?}");
        let v: Value = app
            .get_as("admin", "/api/v1/locate?lon=120.6305&lat=31.3005")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(v["grid"], "320508020002001");
        // Export round-trips through import.
        let exported = app
            .get_as("admin", "/api/v1/exports/grids")
            .await
            .text()
            .await
            .unwrap();
        let back = gongzhi_geo::geojson_io::read_grids(&exported).unwrap();
        assert_eq!(back.len(), before + 1);
        // Street accounts may not import grids.
        let r = app
            .client
            .post(app.url("/api/v1/imports/grids"))
            .bearer_auth(&app.tokens["street"])
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
    }
}

fn residents_xlsx(rows: &[[&str; 6]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in [
        "身份证号",
        "姓名",
        "手机号",
        "户编号",
        "与户主关系",
        "政治面貌",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_bad_id_number_refuses_the_whole_sheet_naming_its_row() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let before = app
            .store
            .count_residents(&Default::default())
            .await
            .unwrap();
        let household = format!("{OWN_GRID}-001-101");
        let good = gongzhi_domain::codes::IdNumber::from_parts("320508", 1990, 1, 2, 321);
        let mut bad = good.as_str().to_string();
        bad.replace_range(17..18, if bad.ends_with('0') { "1" } else { "0" });
        let xlsx = residents_xlsx(&[
            [
                good.as_str(),
                "李四",
                "13912345678",
                &household,
                "子女",
                "群众",
            ],
            [&bad, "王五", "13912345679", &household, "配偶", "中共党员"],
        ]);
        let r = app
            .client
            .post(app.url("/api/v1/imports/residents"))
            .bearer_auth(&app.tokens["admin"])
            .body(xlsx)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend:?}");
        let v: Value = r.json().await.unwrap();
        let rows = v["error"]["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 1, "{v}");
        assert_eq!(rows[0]["row"], 3);
        assert_eq!(rows[0]["column"], "身份证号");
        assert!(v["error"]["message"].as_str().unwrap().contains("第3行"));
        assert_eq!(
            app.store
                .count_residents(&Default::default())
                .await
                .unwrap(),
            before,
            "{backend:?} nothing written"
        );

        // A reference to a missing household is refused by row too.
        let xlsx = residents_xlsx(&[[
            good.as_str(),
            "李四",
            "13912345678",
            "NO-SUCH-HOUSEHOLD",
            "子女",
            "群众",
        ]]);
        let r = app
            .client
            .post(app.url("/api/v1/imports/residents"))
            .bearer_auth(&app.tokens["admin"])
            .body(xlsx)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["rows"][0]["row"], 2, "{v}");
        assert_eq!(
            app.store
                .count_residents(&Default::default())
                .await
                .unwrap(),
            before
        );

        // The good row alone lands.
        let xlsx = residents_xlsx(&[[
            good.as_str(),
            "李四",
            "13912345678",
            &household,
            "子女",
            "群众",
        ]]);
        let r = app
            .client
            .post(app.url("/api/v1/imports/residents"))
            .bearer_auth(&app.tokens["admin"])
            .body(xlsx)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{backend:?}");
        assert_eq!(
            app.store
                .count_residents(&Default::default())
                .await
                .unwrap(),
            before + 1
        );
        // Exports are masked.
        let bytes = app
            .get_as("admin", "/api/v1/exports/residents?format=csv")
            .await
            .bytes()
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains("李四") && text.contains(&good.mask()) && !text.contains(good.as_str()),
            "{backend:?}"
        );
    }
}

/// The official statistical division table as it comes: 类似居委会 (4xx) and 类似村委会 (5xx)
/// units under a 政企合一 township, a city without districts listed a second time as its own
/// county, the urban-rural class beside the code. It lands whole, once; the kinds show in
/// Chinese on the area pages; a repeated code with another name is refused naming both rows.
#[tokio::test]
async fn the_official_division_table_imports_whole() {
    use crate::sessions::{login, session_cookie};
    for backend in backends() {
        let app = spawn_app(backend).await;
        let csv = "统计用区划代码,名称,城乡分类代码\n\
            650000000000,新疆维吾尔自治区,\n\
            654200000000,塔城地区,\n\
            654203000000,沙湾市,\n\
            654203500000,兵团一二一团,\n\
            654203500401,泉水地虚拟社区,111\n\
            654203500500,泉水地社区村委会,123(特殊区域)\n\
            654203500501,泉水地二连生活区,220\n\
            440000000000,广东省,\n\
            441900000000,东莞市,\n\
            441900000000,东莞市,\n\
            441900003000,东城街道,\n\
            441900003001,东城社区居委会,111\n";
        let r = app
            .client
            .post(app.url("/api/v1/imports/areas"))
            .bearer_auth(&app.tokens["admin"])
            .header("content-type", "text/csv")
            .body(csv)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let v: Value = r.json().await.unwrap();
        assert_eq!(status, 201, "{backend:?} {v}");
        assert_eq!(v["count"], 11, "the repeated 东莞市 row is taken once: {v}");
        let dongguan = app
            .store
            .area(&gongzhi_domain::codes::AreaCode::parse("441900").unwrap())
            .await
            .unwrap()
            .expect("东莞市 stored");
        assert_eq!(dongguan.name, "东莞市");
        let town = app
            .store
            .area(&gongzhi_domain::codes::AreaCode::parse("441900003000").unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            town.parent,
            Some(dongguan.code),
            "a township of 东莞 hangs on the city"
        );
        let similar = app
            .store
            .area(&gongzhi_domain::codes::AreaCode::parse("654203500500").unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            similar.urban_rural,
            Some(gongzhi_domain::codes::UrbanRural::Special)
        );

        let cookie = session_cookie(&login(&app, "admin", crate::app::PASSWORD).await);
        let html = |path: &'static str| {
            let (app, cookie) = (&app, &cookie);
            async move {
                let r = app
                    .client
                    .get(app.url(path))
                    .header("cookie", cookie)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200, "{path}");
                r.text().await.unwrap()
            }
        };
        let page = html("/areas/654203500000").await;
        for shown in ["政企合一单位", "类似居委会", "类似村委会", "泉水地虚拟社区"]
        {
            assert!(page.contains(shown), "{backend:?} {shown}: {page}");
        }
        let page = html("/areas/654203500500").await;
        assert!(
            page.contains("类似村委会") && page.contains("特殊区域"),
            "{page}"
        );
        let page = html("/areas/441900000000").await;
        assert!(page.contains("东城街道") && page.contains("街道"), "{page}");

        // The same code again with another name: refused, both rows named, nothing written.
        let r = app
            .client
            .post(app.url("/api/v1/imports/areas"))
            .bearer_auth(&app.tokens["admin"])
            .header("content-type", "text/csv")
            .body("区划代码,名称\n441900003002,南城社区,\n441900000000,东莞市,\n441900,东莞,\n")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend:?}");
        let text = r.text().await.unwrap();
        assert!(
            text.contains("与第3行重复") && text.contains("第4行"),
            "{text}"
        );
        assert!(
            app.store
                .area(&gongzhi_domain::codes::AreaCode::parse("441900003002").unwrap())
                .await
                .unwrap()
                .is_none(),
            "{backend:?} nothing written"
        );
    }
}

/// A file longer than the bulk path's chunks: the rows go to the database while the file is
/// still read, so a bad reference near the end must take back every chunk already written.
#[tokio::test]
async fn a_long_file_refused_at_its_last_row_leaves_nothing_behind() {
    use gongzhi_domain::codes::IdNumber;
    use gongzhi_store::ResidentFilter;
    const N: usize = 10_000;
    for backend in backends() {
        let app = spawn_app(backend).await;
        let household = format!("{OWN_GRID}-001-101");
        let before = app
            .store
            .count_residents(&ResidentFilter::default())
            .await
            .unwrap();
        let ids: Vec<IdNumber> = (0..N)
            .map(|i| {
                let day = i / 900;
                IdNumber::from_parts(
                    "110105",
                    1950 + (day / 300) as i32,
                    1 + (day / 28 % 12) as u8,
                    1 + (day % 28) as u8,
                    100 + (i % 900) as u16,
                )
            })
            .collect();
        // Names hold no digits: the number in Chinese numerals.
        let name = |i: usize| -> String {
            let digits: Vec<char> = "零一二三四五六七八九".chars().collect();
            let n: String = i
                .to_string()
                .bytes()
                .map(|b| digits[usize::from(b - b'0')])
                .collect();
            format!("居民{n}")
        };
        let mut csv = String::from("身份证号,姓名,手机号,户编号,与户主关系,政治面貌\n");
        for (i, id) in ids.iter().enumerate() {
            csv.push_str(&format!(
                "{},{},,{household},其他,群众\n",
                id.as_str(),
                name(i)
            ));
        }
        let good = csv.clone();
        csv.push_str("110105194001010018,末行居民,,不存在的户,其他,群众\n");
        let post = |body: String| {
            app.client
                .post(app.url("/api/v1/imports/residents"))
                .bearer_auth(&app.tokens["admin"])
                .header("content-type", "text/csv")
                .body(body)
                .send()
        };
        let r = post(csv).await.unwrap();
        assert_eq!(r.status(), 422, "{backend:?}");
        let v: Value = r.json().await.unwrap();
        let rows = v["error"]["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 1, "{v}");
        assert_eq!(rows[0]["row"], N + 2, "the last row, after the header: {v}");
        assert_eq!(rows[0]["column"], "户编号", "{v}");
        assert!(
            rows[0]["message"].as_str().unwrap().contains("不存在的户"),
            "{v}"
        );
        assert_eq!(
            app.store
                .count_residents(&ResidentFilter::default())
                .await
                .unwrap(),
            before,
            "{backend:?}: the chunks written before the bad row were rolled back"
        );

        let r = post(good).await.unwrap();
        assert_eq!(r.status(), 201, "{backend:?}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["count"], N, "{v}");
        assert_eq!(
            app.store
                .count_residents(&ResidentFilter::default())
                .await
                .unwrap(),
            before + N as i64
        );
        let last = ResidentFilter {
            id_number: Some(ids[N - 1]),
            ..Default::default()
        };
        let found = app.store.residents(&last).await.unwrap();
        assert_eq!(found.len(), 1, "{backend:?}: found by its blind index");
        assert_eq!(found[0].name, name(N - 1));
    }
}
