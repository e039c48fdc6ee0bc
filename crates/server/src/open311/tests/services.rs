use super::fake::NASTY_NAME;
use super::harness::*;
use serde_json::{Value, json};

#[tokio::test]
async fn open311_services_json_and_xml() {
    let (app, _) = app();
    let (j, x) = both(&app, "/open311/v2/services", "", 200).await;
    assert_eq!(
        j[0],
        json!({
            "service_code": "2101",
            "service_name": "占道经营",
            "description": "在道路、广场占道摆摊经营",
            "metadata": true,
            "type": "realtime",
            "keywords": "摊贩, 占道",
            "group": "市容环境",
        })
    );
    assert_eq!(j[1]["type"], "batch");
    assert_eq!(j[1]["metadata"], false);
    assert_eq!(j[1]["keywords"], Value::Null);
    assert_eq!(j[2]["type"], "blackbox");
    assert_eq!(j[2]["service_name"], NASTY_NAME);
    assert_eq!(j[2]["group"], Value::Null);

    assert_eq!(x.name, "services");
    let list = x.items("service");
    assert_eq!(list.len(), 3);
    for s in list {
        assert_eq!(
            s.names(),
            vec![
                "service_code",
                "service_name",
                "description",
                "metadata",
                "type",
                "keywords",
                "group"
            ]
        );
    }
    assert_eq!(list[2].text_of("service_name"), NASTY_NAME);
}

#[tokio::test]
async fn open311_services_xml_escapes_and_keeps_chinese_raw() {
    let (app, _) = app();
    let r = get(&app, "/open311/v2/services.xml").await;
    assert!(
        r.body
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
    );
    assert!(r.body.contains("<service_name>占道经营</service_name>"));
    assert!(r.body.contains(
        "<service_name>噪声 &lt;扰民&gt; &amp; &quot;夜间&quot; &apos;施工&apos;</service_name>"
    ));
    assert!(r.body.contains("<group/>"));
    let r = get(&app, "/open311/v2/services.json").await;
    assert!(
        r.body
            .contains(r#""service_name":"噪声 <扰民> & \"夜间\" '施工'""#)
    );
}

#[tokio::test]
async fn open311_service_definition_json_and_xml() {
    let (app, _) = app();
    let (j, x) = both(&app, "/open311/v2/services/2101", "", 200).await;
    assert_eq!(j["service_code"], "2101");
    let attrs = j["attributes"].as_array().unwrap();
    let codes: Vec<&str> = attrs.iter().map(|a| a["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        vec![
            "severity", "tags", "stalls", "seen_at", "plate", "detail", "notice"
        ]
    );
    assert_eq!(
        attrs[0],
        json!({
            "variable": true,
            "code": "severity",
            "datatype": "singlevaluelist",
            "required": true,
            "datatype_description": null,
            "order": 1,
            "description": "严重程度",
            "values": [{"key": "1", "name": "轻微"}, {"key": "2", "name": "严重"}],
        })
    );
    assert_eq!(attrs[1]["datatype"], "multivaluelist");
    assert_eq!(attrs[2]["datatype"], "number");
    assert_eq!(attrs[2]["datatype_description"], "整数");
    assert_eq!(attrs[2]["values"], json!([]));
    assert_eq!(attrs[3]["datatype"], "datetime");
    assert_eq!(attrs[4]["datatype"], "string");
    assert_eq!(attrs[5]["datatype"], "text");
    assert_eq!(attrs[6]["variable"], false);
    assert_eq!(attrs[6]["description"], "请勿与摊贩 <争执> & 注意安全");

    assert_eq!(x.name, "service_definition");
    assert_eq!(x.names(), vec!["service_code", "attributes"]);
    let list = x.child("attributes").items("attribute");
    assert_eq!(list.len(), 7);
    assert_eq!(
        list[0].names(),
        vec![
            "variable",
            "code",
            "datatype",
            "required",
            "datatype_description",
            "order",
            "description",
            "values"
        ]
    );
    let values = list[0].child("values").items("value");
    assert_eq!(values[1].names(), vec!["key", "name"]);
    assert_eq!(values[1].text_of("name"), "严重");
}

#[tokio::test]
async fn open311_service_definition_without_attributes() {
    let (app, _) = app();
    let (j, x) = both(&app, "/open311/v2/services/3001", "", 200).await;
    assert_eq!(j, json!({"service_code": "3001", "attributes": []}));
    assert!(x.child("attributes").children.is_empty());
}

#[tokio::test]
async fn open311_service_definition_unknown_is_404_in_both_formats() {
    let (app, _) = app();
    let j = get(&app, "/open311/v2/services/9999.json").await;
    assert!(j.json_errors(404)[0].contains("9999"));
    let x = get(&app, "/open311/v2/services/9999.xml").await;
    assert!(x.xml_errors(404)[0].contains("9999"));
    // A Chinese code in the path comes back intact in the description.
    let j = get(&app, "/open311/v2/services/%E5%8D%A0%E9%81%93.json").await;
    assert!(j.json_errors(404)[0].contains("占道"));
}

#[tokio::test]
async fn open311_port_failure_is_500_in_both_formats() {
    let (app, _) = app();
    let j = get(&app, "/open311/v2/services/boom.json").await;
    assert!(j.json_errors(500)[0].contains("internal error"));
    let x = get(&app, "/open311/v2/services/boom.xml").await;
    x.xml_errors(500);
}
