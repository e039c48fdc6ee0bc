//! Drives the router in-process and checks the two formats say the same thing.

use super::fake::{FakePort, NOW};
use super::xmltree::{self, Element};
use crate::open311::{Open311Config, router};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

pub const JURISDICTION: &str = "hz.gongzhi.cn";
pub const PUBLIC_URL: &str = "https://gongzhi.example.cn";
pub const CHANGESET: &str = "2026-11-01T00:00:00+08:00";
pub const JSON_TYPE: &str = "application/json; charset=utf-8";
pub const XML_TYPE: &str = "text/xml; charset=utf-8";

pub fn config() -> Open311Config {
    Open311Config {
        jurisdiction: Some(JURISDICTION.into()),
        public_url: Some(PUBLIC_URL.into()),
        changeset: CHANGESET.into(),
        clock: Arc::new(|| NOW),
        ..Open311Config::default()
    }
}

pub fn app() -> (Router, Arc<FakePort>) {
    let port = Arc::new(FakePort::seeded());
    (router(port.clone(), config()), port)
}

pub fn app_with(port: FakePort, config: Open311Config) -> (Router, Arc<FakePort>) {
    let port = Arc::new(port);
    (router(port.clone(), config), port)
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub allow: Option<String>,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        assert_eq!(self.content_type, JSON_TYPE, "{}", self.body);
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    pub fn xml(&self) -> Element {
        assert_eq!(self.content_type, XML_TYPE, "{}", self.body);
        xmltree::parse(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// Asserts the spec's error list in JSON with one entry per `status`, returning the
    /// descriptions.
    pub fn json_errors(&self, status: u16) -> Vec<String> {
        assert_eq!(self.status, status, "{}", self.body);
        let v = self.json();
        let list = v.as_array().expect("errors are an array");
        assert!(!list.is_empty());
        list.iter()
            .map(|e| {
                let obj = e.as_object().unwrap();
                assert_eq!(obj.len(), 2, "{e}");
                assert_eq!(obj["code"], Value::from(status));
                obj["description"].as_str().unwrap().to_string()
            })
            .collect()
    }

    /// The same for `<errors><error><code/><description/></error></errors>`.
    pub fn xml_errors(&self, status: u16) -> Vec<String> {
        assert_eq!(self.status, status, "{}", self.body);
        let root = self.xml();
        assert_eq!(root.name, "errors");
        let list = root.items("error");
        assert!(!list.is_empty());
        list.iter()
            .map(|e| {
                assert_eq!(e.names(), vec!["code", "description"]);
                assert_eq!(e.text_of("code"), status.to_string());
                e.text_of("description").to_string()
            })
            .collect()
    }
}

pub async fn send(app: &Router, req: Request<Body>) -> Reply {
    let resp = app.clone().oneshot(req).await.unwrap();
    let header = |name| {
        resp.headers()
            .get(name)
            .map(|v: &axum::http::HeaderValue| v.to_str().unwrap().to_string())
    };
    let content_type = header(header::CONTENT_TYPE).unwrap_or_default();
    let allow = header(header::ALLOW);
    let status = resp.status().as_u16();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    Reply {
        status,
        content_type,
        allow,
        body: String::from_utf8(bytes.to_vec()).expect("responses are UTF-8"),
    }
}

pub async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

pub async fn post(app: &Router, uri: &str, body: &str) -> Reply {
    let req = Request::post(uri)
        .header(
            header::CONTENT_TYPE,
            "application/x-www-form-urlencoded; charset=utf-8",
        )
        .body(Body::from(body.to_string()))
        .unwrap();
    send(app, req).await
}

/// A form body, every byte outside the unreserved set percent-encoded.
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The JSON and XML answers carry the same content (the Spark convention): arrays are
/// containers of one repeated element, objects are records, `null` is an empty element, and
/// leaves have the same text.
pub fn assert_same(json: &Value, xml: &Element) {
    match json {
        Value::Array(items) => {
            assert_eq!(items.len(), xml.children.len(), "<{}> count", xml.name);
            assert!(xml.text.is_empty());
            if let Some(first) = xml.children.first() {
                let _ = xml.items(&first.name);
            }
            for (j, x) in items.iter().zip(&xml.children) {
                assert_same(j, x);
            }
        }
        Value::Object(map) => {
            let mut names = xml.names();
            names.sort_unstable();
            let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(keys, names, "fields of <{}>", xml.name);
            for (k, v) in map {
                assert_same(v, xml.child(k));
            }
        }
        Value::Null => assert!(
            xml.children.is_empty() && xml.text.is_empty(),
            "<{}> should be empty",
            xml.name
        ),
        Value::String(s) => {
            assert!(xml.children.is_empty(), "<{}> is not a leaf", xml.name);
            // XML cannot carry C0 control characters; the writer drops them.
            let carried: String = s
                .chars()
                .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
                .collect();
            assert_eq!(carried, xml.text, "<{}>", xml.name);
        }
        Value::Number(n) => {
            let x: f64 = xml
                .text
                .parse()
                .unwrap_or_else(|_| panic!("<{}> not a number", xml.name));
            assert_eq!(n.as_f64().unwrap(), x, "<{}>", xml.name);
        }
        Value::Bool(b) => assert_eq!(xml.text, b.to_string(), "<{}>", xml.name),
    }
}

/// GETs `path` (without extension) as `.json` and `.xml`, checks status, content types and
/// agreement, and returns both. Requests are read as a keyed client (the full view); see
/// [`both_public`] for an anonymous reader.
pub async fn both(app: &Router, path: &str, query: &str, status: u16) -> (Value, Element) {
    if path.contains("/requests") {
        let key = format!("api_key={}", super::fake::KEY);
        let query = if query.is_empty() {
            key
        } else {
            format!("{query}&{key}")
        };
        return both_public(app, path, &query, status).await;
    }
    both_public(app, path, query, status).await
}

/// [`both`] without an api_key: what anyone may read.
pub async fn both_public(app: &Router, path: &str, query: &str, status: u16) -> (Value, Element) {
    let sep = if query.is_empty() { "" } else { "?" };
    let j = get(app, &format!("{path}.json{sep}{query}")).await;
    let x = get(app, &format!("{path}.xml{sep}{query}")).await;
    assert_eq!(j.status, status, "{}", j.body);
    assert_eq!(x.status, status, "{}", x.body);
    let (jv, xe) = (j.json(), x.xml());
    assert_same(&jv, &xe);
    (jv, xe)
}
