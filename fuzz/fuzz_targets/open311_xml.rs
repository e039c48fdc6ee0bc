//! Open311 output: arbitrary (but type-valid) model values — services, definitions, requests
//! with extensions, POST answers, tokens, port errors, discovery settings — are served through
//! the real router in both formats, `.xml` and `.json`.
//!
//! Properties: the XML is well-formed XML 1.0 (read back by quick-xml, plus checks of the
//! declaration, the characters and the entities); the JSON parses; both carry the same document
//! (XML text = JSON string less the characters XML 1.0 cannot carry); JSON strings come back
//! exactly as the model held them; datetimes are W3C in +08:00.
#![no_main]

use std::sync::Arc;

use arbitrary::{Result, Unstructured};
use axum::body::Body;
use axum::http::{Method, Request, header};
use gongzhi_fuzz::open311::{self, FakePort, JSON_TYPE, Reply, XML_TYPE, encode};
use gongzhi_fuzz::xml::same_document;
use gongzhi_server::open311::{
    Attribute, Created, Datatype, Extended, Note, Open311Config, PortError, Service,
    ServiceDefinition, ServiceKind, ServiceRequest, Status,
};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// 0000-01-01T00:00:00+08:00 and 9999-12-31T23:59:59.999+08:00: the range a four-digit year
/// can write.
const FIRST_MS: i64 = -62_167_248_000_000;
const LAST_MS: i64 = 253_402_271_999_999;

fn list<T>(
    u: &mut Unstructured,
    max: u32,
    f: impl Fn(&mut Unstructured) -> Result<T>,
) -> Result<Vec<T>> {
    let n = u.int_in_range(0..=max)?;
    (0..n).map(|_| f(u)).collect()
}

fn service(u: &mut Unstructured) -> Result<Service> {
    Ok(Service {
        service_code: u.arbitrary()?,
        service_name: u.arbitrary()?,
        description: u.arbitrary()?,
        metadata: u.arbitrary()?,
        kind: *u.choose(&[
            ServiceKind::Realtime,
            ServiceKind::Batch,
            ServiceKind::Blackbox,
        ])?,
        keywords: list(u, 3, |u| u.arbitrary())?,
        group: u.arbitrary()?,
    })
}

fn attribute(u: &mut Unstructured) -> Result<Attribute> {
    Ok(Attribute {
        variable: u.arbitrary()?,
        code: u.arbitrary()?,
        datatype: *u.choose(&[
            Datatype::String,
            Datatype::Number,
            Datatype::Datetime,
            Datatype::Text,
            Datatype::SingleValueList,
            Datatype::MultiValueList,
        ])?,
        required: u.arbitrary()?,
        datatype_description: u.arbitrary()?,
        order: u.arbitrary()?,
        description: u.arbitrary()?,
        values: list(u, 3, |u| Ok((u.arbitrary()?, u.arbitrary()?)))?,
    })
}

fn request(u: &mut Unstructured) -> Result<ServiceRequest> {
    let extended = if u.arbitrary()? {
        Some(Extended {
            state: u.arbitrary()?,
            state_zh: u.arbitrary()?,
            level: u.arbitrary()?,
            ticket: u.arbitrary()?,
            notes: list(u, 3, |u| {
                Ok(Note {
                    datetime: u.arbitrary()?,
                    kind: u.arbitrary()?,
                    summary: u.arbitrary()?,
                })
            })?,
        })
    } else {
        None
    };
    Ok(ServiceRequest {
        service_request_id: u.arbitrary()?,
        status: *u.choose(&[Status::Open, Status::Closed])?,
        status_notes: u.arbitrary()?,
        service_name: u.arbitrary()?,
        service_code: u.arbitrary()?,
        description: u.arbitrary()?,
        agency_responsible: u.arbitrary()?,
        service_notice: u.arbitrary()?,
        requested_datetime: u.arbitrary()?,
        updated_datetime: u.arbitrary()?,
        expected_datetime: u.arbitrary()?,
        address: u.arbitrary()?,
        address_id: u.arbitrary()?,
        zipcode: u.arbitrary()?,
        lat: u.arbitrary()?,
        long: u.arbitrary()?,
        media_url: u.arbitrary()?,
        extended,
    })
}

/// An empty text is written as an empty element / `null`.
fn text(s: &str) -> Value {
    if s.is_empty() {
        Value::Null
    } else {
        Value::from(s)
    }
}

fn opt_text(s: &Option<String>) -> Value {
    text(s.as_deref().unwrap_or(""))
}

/// A coordinate as written: a finite number, or else `null`.
fn check_float(j: &Value, v: Option<f64>) {
    match v.filter(|v| v.is_finite()) {
        Some(v) => {
            // The JSON text must be `v` as Rust writes it; both are read by serde_json, which
            // may be a few ulps off on long decimals but reads the same text the same way.
            let want: f64 = serde_json::from_str(&v.to_string()).unwrap();
            assert_eq!(j.as_f64(), Some(want), "{j} for {v}");
        }
        None => assert!(j.is_null(), "{j} for {v:?}"),
    }
}

fn check_datetime(v: &Value, millis: i64) {
    let s = v.as_str().expect("a datetime is a string");
    if (FIRST_MS..=LAST_MS).contains(&millis) {
        let b = s.as_bytes();
        let ok = b.len() == 25
            && s.ends_with("+08:00")
            && b.iter().enumerate().take(19).all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                10 => *c == b'T',
                13 | 16 => *c == b':',
                _ => c.is_ascii_digit(),
            });
        assert!(ok, "{millis} written as {s:?}");
    }
}

fn check_request(j: &Value, r: &ServiceRequest, extensions: bool) {
    assert_eq!(j["service_request_id"], text(&r.service_request_id));
    assert_eq!(j["status"], r.status.as_str());
    assert_eq!(j["status_notes"], opt_text(&r.status_notes));
    assert_eq!(j["service_name"], text(&r.service_name));
    assert_eq!(j["service_code"], text(&r.service_code));
    assert_eq!(j["description"], opt_text(&r.description));
    assert_eq!(j["address"], opt_text(&r.address));
    assert_eq!(j["media_url"], opt_text(&r.media_url));
    check_float(&j["lat"], r.lat);
    check_float(&j["long"], r.long);
    check_datetime(&j["requested_datetime"], r.requested_datetime);
    check_datetime(&j["updated_datetime"], r.updated_datetime);
    match r.expected_datetime {
        Some(ms) => check_datetime(&j["expected_datetime"], ms),
        None => assert!(j["expected_datetime"].is_null()),
    }
    let fields = j.as_object().unwrap();
    assert_eq!(fields.contains_key("notes"), extensions);
    if extensions && let Some(x) = &r.extended {
        assert_eq!(j["extended_attributes"]["state_zh"], text(&x.state_zh));
        assert_eq!(j["extended_attributes"]["ticket"], text(&x.ticket));
        let notes = j["notes"].as_array().unwrap();
        assert_eq!(notes.len(), x.notes.len());
        for (n, note) in notes.iter().zip(&x.notes) {
            check_datetime(&n["datetime"], note.datetime);
            assert_eq!(n["description"], text(&note.summary));
        }
    }
}

/// Sends the same request as `.json` and `.xml`; checks both and that they agree.
fn both(
    port: &Arc<FakePort>,
    config: &Open311Config,
    method: &Method,
    path: &str,
    query: &str,
    body: &str,
    root: &str,
) -> (u16, Value) {
    let mut replies: Vec<Reply> = Vec::new();
    for ext in ["json", "xml"] {
        let uri = format!("/open311/v2/{path}.{ext}{query}");
        let mut request = Request::builder().method(method.clone()).uri(&uri);
        if *method == Method::POST {
            request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        let request = request
            .body(Body::from(body.to_string()))
            .unwrap_or_else(|e| panic!("request {uri}: {e}"));
        replies.push(open311::call(
            open311::app(port.clone(), config.clone()),
            request,
        ));
    }
    let (json, xml) = (&replies[0], &replies[1]);
    assert_eq!(json.status, xml.status, "formats answer differently");
    assert_eq!(json.content_type, JSON_TYPE);
    assert_eq!(xml.content_type, XML_TYPE);
    let j = json.json();
    let x = xml.xml();
    if json.status == 200 {
        assert_eq!(x.name, root);
    } else {
        assert_eq!(x.name, "errors");
        open311::check_errors(json);
        open311::check_errors(xml);
    }
    same_document(&x, &j).unwrap_or_else(|e| panic!("{e}\nJSON {}\nXML {}", json.body, xml.body));
    (json.status, j)
}

fn run(u: &mut Unstructured) -> Result<()> {
    let which: u8 = u.arbitrary()?;
    let config = Open311Config {
        jurisdiction: None,
        public_url: u.arbitrary()?,
        changeset: u.arbitrary()?,
        contact: u.arbitrary()?,
        key_service: u.arbitrary()?,
        ..open311::config()
    };
    let definition = ServiceDefinition {
        service_code: u.arbitrary()?,
        attributes: list(u, 4, attribute)?,
    };
    let services = list(u, 4, service)?;
    let requests = list(u, 3, request)?;
    let created = Created {
        service_request_id: u.arbitrary()?,
        token: u.arbitrary()?,
        service_notice: u.arbitrary()?,
        account_id: u.arbitrary()?,
    };
    let token: (String, String) = (u.arbitrary()?, u.arbitrary()?);
    let fail = match u.int_in_range(0..=3)? {
        0 => PortError::BadRequest(u.arbitrary()?),
        1 => PortError::NotFound(u.arbitrary()?),
        2 => PortError::Forbidden(u.arbitrary()?),
        _ => PortError::Internal,
    };
    let extensions: bool = u.arbitrary()?;
    let mut port = FakePort {
        services: services.clone(),
        definitions: vec![definition.clone()],
        requests: requests.clone(),
        created: created.clone(),
        tokens: vec![token.clone()],
        api_key: "k".into(),
        ..FakePort::default()
    };
    let get = Method::GET;
    match which % 8 {
        0 => {
            let port = Arc::new(port);
            let (status, j) = both(&port, &config, &get, "discovery", "", "", "discovery");
            assert_eq!(status, 200);
            assert_eq!(j["changeset"], text(&config.changeset));
            assert_eq!(j["contact"], text(&config.contact));
            let url = j["endpoints"][0]["url"].as_str().unwrap();
            assert!(url.ends_with("/open311/v2"), "{url}");
        }
        1 => {
            let port = Arc::new(port);
            let (status, j) = both(&port, &config, &get, "services", "", "", "services");
            assert_eq!(status, 200);
            let items = j.as_array().unwrap();
            assert_eq!(items.len(), services.len());
            for (item, s) in items.iter().zip(&services) {
                assert_eq!(item["service_code"], text(&s.service_code));
                assert_eq!(item["service_name"], text(&s.service_name));
                assert_eq!(item["group"], opt_text(&s.group));
                assert_eq!(item["metadata"], s.metadata);
            }
        }
        2 => {
            let port = Arc::new(port);
            let path = format!("services/{}", encode(&definition.service_code));
            let (status, j) = both(&port, &config, &get, &path, "", "", "service_definition");
            if status == 200 {
                assert_eq!(j["service_code"], text(&definition.service_code));
                let attrs = j["attributes"].as_array().unwrap();
                assert_eq!(attrs.len(), definition.attributes.len());
                let orders: Vec<i64> = attrs.iter().map(|a| a["order"].as_i64().unwrap()).collect();
                assert!(orders.is_sorted(), "attributes not in order: {orders:?}");
            }
        }
        3 => {
            let port = Arc::new(port);
            // As a keyed client: the full view, compared field by field (anonymous readers get
            // the public view, which the server tests cover).
            let query = format!("?extensions={extensions}&api_key=k");
            let (status, j) = both(
                &port,
                &config,
                &get,
                "requests",
                &query,
                "",
                "service_requests",
            );
            assert_eq!(status, 200);
            let items = j.as_array().unwrap();
            assert_eq!(items.len(), requests.len());
            for (item, r) in items.iter().zip(&requests) {
                check_request(item, r, extensions);
            }
        }
        4 => {
            let id = requests
                .first()
                .map_or("1", |r| r.service_request_id.as_str());
            let port = Arc::new(port);
            let path = format!("requests/{}", encode(id));
            // As a keyed client: the full view, compared field by field (anonymous readers get
            // the public view, which the server tests cover).
            let query = format!("?extensions={extensions}&api_key=k");
            let (status, j) = both(&port, &config, &get, &path, &query, "", "service_requests");
            if status == 200 {
                let r = requests
                    .iter()
                    .find(|r| r.service_request_id == id)
                    .unwrap();
                check_request(&j[0], r, extensions);
            }
        }
        5 => {
            let port = Arc::new(port);
            let body = format!(
                "api_key=k&service_code={}&lat=30.25&long=120.1",
                encode(&definition.service_code)
            );
            let (status, j) = both(
                &port,
                &config,
                &Method::POST,
                "requests",
                "",
                &body,
                "service_requests",
            );
            if status == 200 {
                let c = &j[0];
                match (&created.service_request_id, &created.token) {
                    (Some(id), _) => assert_eq!(c["service_request_id"], text(id)),
                    (None, Some(t)) => assert_eq!(c["token"], text(t)),
                    (None, None) => assert!(c.get("token").is_none()),
                }
                assert_eq!(c["service_notice"], opt_text(&created.service_notice));
                assert_eq!(c["account_id"], opt_text(&created.account_id));
            }
        }
        6 => {
            let port = Arc::new(port);
            let path = format!("tokens/{}", encode(&token.0));
            let (status, j) = both(&port, &config, &get, &path, "", "", "service_requests");
            if status == 200 {
                assert_eq!(j[0]["service_request_id"], text(&token.1));
                assert_eq!(j[0]["token"], text(&token.0));
            }
        }
        _ => {
            let expected = match &fail {
                PortError::BadRequest(_) => 400,
                PortError::NotFound(_) => 404,
                PortError::Forbidden(_) => 403,
                PortError::Internal => 500,
            };
            let message = match &fail {
                PortError::BadRequest(m) | PortError::NotFound(m) | PortError::Forbidden(m) => {
                    Some(m.clone())
                }
                PortError::Internal => None,
            };
            port.fail = Some(fail);
            let port = Arc::new(port);
            let (status, j) = both(&port, &config, &get, "services", "", "", "errors");
            assert_eq!(status, expected);
            if let Some(m) = message {
                assert_eq!(j[0]["description"], text(&m));
            }
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
