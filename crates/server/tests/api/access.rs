//! What each role can reach over HTTP. A grid worker must not read any household outside its
//! grid through any route that returns households or their residents.

use crate::app::{FAR_GRID, OTHER_GRID, OWN_GRID, spawn_app};
use gongzhi_testkit::backends;
use serde_json::Value;

#[tokio::test]
async fn grid_worker_reads_only_its_own_grid_on_every_household_route() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let own = app.household_id(&format!("{OWN_GRID}-001-101")).await;
        let mut outside = Vec::new();
        for g in [OTHER_GRID, FAR_GRID] {
            outside.push((g, app.household_id(&format!("{g}-001-101")).await));
        }
        let own_resident = app
            .store
            .residents(&gongzhi_store::ResidentFilter {
                household_id: Some(own),
                ..Default::default()
            })
            .await
            .unwrap()[0]
            .id;

        // Allowed: its own grid.
        for path in [
            format!("/api/v1/households/{own}"),
            format!("/api/v1/households/{own}/residents"),
            format!("/api/v1/households?grid={OWN_GRID}"),
            format!("/api/v1/residents/{own_resident}"),
            format!("/households/{own}"),
        ] {
            let r = app.get_as("grid", &path).await;
            assert_eq!(r.status(), 200, "{backend:?} {path}");
        }
        // An unfiltered list is narrowed to the grid.
        let list: Value = app
            .get_as("grid", "/api/v1/households")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(list["total"], 1, "{backend:?}");
        assert_eq!(list["items"][0]["grid"], OWN_GRID);
        let list: Value = app
            .get_as("grid", "/api/v1/residents")
            .await
            .json()
            .await
            .unwrap();
        assert!(
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["grid"] == OWN_GRID),
            "{backend:?}"
        );

        // Refused: every route, for every household outside the grid.
        for (g, id) in &outside {
            let residents = app
                .store
                .residents(&gongzhi_store::ResidentFilter {
                    household_id: Some(*id),
                    ..Default::default()
                })
                .await
                .unwrap();
            let rid = residents[0].id;
            for path in [
                format!("/api/v1/households/{id}"),
                format!("/api/v1/households/{id}/residents"),
                format!("/api/v1/households?grid={g}"),
                "/api/v1/households?area=320508019000".to_string(),
                format!("/api/v1/residents?grid={g}"),
                format!("/api/v1/residents/{rid}"),
                format!("/api/v1/buildings?grid={g}"),
                format!("/api/v1/exports/households?grid={g}"),
                format!("/api/v1/exports/residents?grid={g}"),
                format!("/households/{id}"),
                format!("/households?grid={g}"),
                format!("/residents/{rid}"),
            ] {
                let r = app.get_as("grid", &path).await;
                assert!(
                    matches!(r.status().as_u16(), 403 | 404),
                    "{backend:?} {path} gave {}",
                    r.status()
                );
                let body = r.text().await.unwrap();
                assert!(
                    !body.contains(&format!("{g}-001-101")),
                    "{backend:?} {path} leaked the household"
                );
            }
        }
    }
}

#[tokio::test]
async fn roles_see_what_the_policy_allows() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        // Household lists by role: (account, expected status, expected total when 200).
        for (who, status, total) in [
            ("admin", 200, Some(3)),
            ("district", 200, Some(3)),
            ("street", 200, Some(2)),
            ("community", 200, Some(2)),
            ("grid", 200, Some(1)),
            ("department", 403, None),
            ("party", 403, None),
            ("supervisor", 403, None),
            ("resident", 403, None),
        ] {
            let r = app.get_as(who, "/api/v1/households").await;
            assert_eq!(r.status(), status, "{backend:?} {who}");
            if let Some(n) = total {
                let v: Value = r.json().await.unwrap();
                assert_eq!(v["total"], n, "{backend:?} {who}");
            } else {
                let v: Value = r.json().await.unwrap();
                assert_eq!(v["error"]["code"], "forbidden");
                assert!(v["error"]["message"].as_str().unwrap().contains("无权"));
                assert!(!v["error"]["message_en"].as_str().unwrap().is_empty());
            }
        }
        // The map is public to every staff role; accounts and audit only to their roles.
        for (who, _, _, _) in crate::app::accounts() {
            let r = app.get_as(who, "/api/v1/grids.geojson").await;
            assert_eq!(r.status(), 200, "{backend:?} {who} map");
        }
        assert_eq!(app.get_as("admin", "/api/v1/accounts").await.status(), 200);
        assert_eq!(app.get_as("street", "/api/v1/accounts").await.status(), 403);
        assert_eq!(
            app.get_as("supervisor", "/api/v1/audit").await.status(),
            200
        );
        assert_eq!(app.get_as("community", "/api/v1/audit").await.status(), 403);
        // Point → grid through the index answers grid, community, street and district.
        let r: Value = app
            .get_as("admin", "/api/v1/locate?lon=120.6015&lat=31.3005")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(r["grid"], OTHER_GRID, "{backend:?}");
        assert_eq!(r["community"]["name"], "养育巷社区");
        assert_eq!(r["street"]["name"], "金阊街道");
        assert_eq!(r["district"]["name"], "姑苏区");
        let r = app
            .get_as("admin", "/api/v1/locate?lon=121.0&lat=31.3")
            .await;
        assert_eq!(r.status(), 404);
    }
}

#[tokio::test]
async fn personal_numbers_are_masked_until_an_allowed_and_logged_unmask() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let hid = app.household_id(&format!("{OWN_GRID}-001-101")).await;
        let rid = app
            .store
            .residents(&gongzhi_store::ResidentFilter {
                household_id: Some(hid),
                ..Default::default()
            })
            .await
            .unwrap()[0]
            .id;
        let plain = crate::app::resident(0, "");
        let v: Value = app
            .get_as("community", &format!("/api/v1/residents/{rid}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(v["id_number"], plain.id_number.mask(), "{backend:?}");
        assert_eq!(v["phone"], plain.phone.as_ref().unwrap().mask());
        let body = app
            .get_as("community", &format!("/residents/{rid}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            !body.contains(plain.id_number.as_str()),
            "{backend:?} page shows the full number"
        );

        let unmask = |who: &'static str, reason: &'static str| {
            app.client
                .post(app.url(&format!("/api/v1/residents/{rid}/unmask")))
                .bearer_auth(&app.tokens[who])
                .json(&serde_json::json!({ "reason": reason }))
                .send()
        };
        // The grid worker lacks the unmask permission; the community worker must give a reason.
        assert_eq!(
            unmask("grid", "核实").await.unwrap().status(),
            403,
            "{backend:?}"
        );
        let r = unmask("community", "").await.unwrap();
        assert_eq!(r.status(), 400);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["field"], "reason");
        let v: Value = unmask("community", "上门核实身份")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["id_number"], plain.id_number.as_str(), "{backend:?}");
        assert_eq!(v["unmasked"], true);
        let log = app.store.pii_access_entries(Some(rid), 10).await.unwrap();
        assert_eq!(log.len(), 1, "{backend:?}");
        assert_eq!(log[0].account_name, "community");
        assert_eq!(log[0].reason, "上门核实身份");
        // Exact search by the full number (POST, with a reason) works through the blind index
        // and returns it masked.
        let search = |id_number: &str| {
            app.client
                .post(app.url("/api/v1/residents/search"))
                .bearer_auth(&app.tokens["community"])
                .json(&serde_json::json!({ "id_number": id_number, "reason": "核实身份" }))
                .send()
        };
        let v: Value = search(plain.id_number.as_str())
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["total"], 1, "{backend:?}");
        assert_eq!(v["items"][0]["id_number"], plain.id_number.mask());
        let r = search("12345").await.unwrap();
        assert_eq!(r.status(), 422);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["field"], "id_number");
    }
}
