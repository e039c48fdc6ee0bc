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
