//! Open311 GeoReport v2 against the real store on both backends: services from the category
//! tree, a request filed with an API key becomes a case, and reads back in JSON and XML.

use crate::app::{GRID_ORIGINS, spawn_app};
use gongzhi_testkit::backends;
use serde_json::Value;

#[tokio::test]
async fn open311_over_the_real_store() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let key = app
            .store
            .create_api_key(
                "12345热线",
                gongzhi_domain::access::Lifetime::API_KEY_DEFAULT,
            )
            .await
            .unwrap();
        let base = app.url("/open311/v2");

        let d: Value = app
            .client
            .get(format!("{base}/discovery.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(d["endpoints"].is_array(), "{d}");
        let services: Value = app
            .client
            .get(format!("{base}/services.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let codes: Vec<&str> = services
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["service_code"].as_str().unwrap())
            .collect();
        assert!(codes.contains(&"E0102"), "{backend:?}");
        let xml = app
            .client
            .get(format!("{base}/services.xml"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            xml.contains("<services>")
                && xml.contains("<service_code>E0102</service_code>")
                && xml.contains("暴露垃圾")
        );
        let def = app
            .client
            .get(format!("{base}/services/E0102.json"))
            .send()
            .await
            .unwrap();
        assert_eq!(def.status(), 200);

        let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0003, GRID_ORIGINS[0].2 + 0.0003);
        let form = [
            ("api_key", key.as_str()),
            ("service_code", "E0102"),
            ("lat", &lat.to_string()),
            ("long", &lon.to_string()),
            ("description", "路口垃圾桶满溢 & <无人清理>"),
            ("phone", "13912345678"),
        ];
        let r = app
            .client
            .post(format!("{base}/requests.json"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{backend:?}");
        let created: Value = r.json().await.unwrap();
        let id = created[0]["service_request_id"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(id.len(), 13);

        let bad = app
            .client
            .post(format!("{base}/requests.xml"))
            .form(&[("api_key", "nope"), ("service_code", "E0102")])
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 403);
        let body = bad.text().await.unwrap();
        assert!(
            body.contains("<errors>") && body.contains("<code>403</code>"),
            "{body}"
        );

        let one: Value = app
            .client
            .get(format!(
                "{base}/requests/{id}.json?extensions=true&api_key={key}"
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(one[0]["status"], "open", "{backend:?} {one}");
        assert_eq!(one[0]["service_code"], "E0102");
        assert_eq!(one[0]["agency_responsible"], "城管局");
        assert_eq!(one[0]["description"], "路口垃圾桶满溢 & <无人清理>");
        assert!(
            one[0]["expected_datetime"]
                .as_str()
                .unwrap()
                .ends_with("+08:00")
        );
        let xml = app
            .client
            .get(format!("{base}/requests/{id}.xml?api_key={key}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(xml.contains("&amp; &lt;无人清理&gt;"), "{xml}");
        let list: Value = app
            .client
            .get(format!(
                "{base}/requests.json?service_code=E0102&status=open"
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(
            list.as_array()
                .unwrap()
                .iter()
                .any(|r| r["service_request_id"] == id.as_str())
        );
        // A list reads its page's events at once; each request shows the same latest step and
        // (with extensions) the same history as when read alone.
        let listed: Value = app
            .client
            .get(format!(
                "{base}/requests.json?extensions=true&api_key={key}"
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mine = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["service_request_id"] == id.as_str())
            .expect("the request is listed");
        assert_eq!(mine["status_notes"], one[0]["status_notes"], "{backend:?}");
        assert!(mine["status_notes"].is_string(), "{backend:?} {mine}");
        assert_eq!(
            mine["extended_attributes"], one[0]["extended_attributes"],
            "{backend:?}"
        );
        assert_eq!(mine["notes"], one[0]["notes"], "{backend:?}");
        assert!(
            mine["notes"].as_array().is_some_and(|n| n.len() >= 3),
            "{backend:?} {mine}"
        );
        // Without the key the same request is the public view: no free text, coarse place.
        let public: Value = app
            .client
            .get(format!("{base}/requests/{id}.json?extensions=true"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(public[0]["status"], "open", "{backend:?} {public}");
        assert_eq!(public[0]["description"], Value::Null, "{backend:?}");
        assert_eq!(public[0]["status_notes"], Value::Null, "{backend:?}");
        assert!(
            public[0]["notes"].as_array().is_none_or(Vec::is_empty),
            "{backend:?} {public}"
        );
        let missing = app
            .client
            .get(format!("{base}/requests/2000010100001.json"))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 404);

        // The case is an ordinary case: staff see it with its channel.
        let case = app.store.case_by_ticket(&id).await.unwrap().unwrap();
        assert_eq!(case.case.channel.as_str(), "open311");
        assert_eq!(
            app.store
                .case_reporter_phone(case.id)
                .await
                .unwrap()
                .unwrap()
                .as_str(),
            "13912345678"
        );
    }
}
