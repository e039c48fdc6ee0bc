//! Drives the real Open311 router (`gongzhi_server::open311::router`) in process, the way the
//! server mounts it, over an in-memory port whose contents a target chooses.

use std::sync::{Arc, Mutex, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use gongzhi_server::open311::{
    Created, NewRequest, Open311Config, Open311Port, PortError, RequestQuery, Service,
    ServiceDefinition, ServiceRequest, router,
};
use tower::ServiceExt;

use crate::xml::{self, Element};

/// 2026-11-27T08:00:00+08:00, the router's "now".
pub const NOW: i64 = 1_795_737_600_000;
pub const JSON_TYPE: &str = "application/json; charset=utf-8";
pub const XML_TYPE: &str = "text/xml; charset=utf-8";

/// An in-memory port: fixed answers, and a record of what the router handed over.
#[derive(Default)]
pub struct FakePort {
    pub services: Vec<Service>,
    pub definitions: Vec<ServiceDefinition>,
    pub requests: Vec<ServiceRequest>,
    pub created: Created,
    /// `(token, service_request_id)`.
    pub tokens: Vec<(String, String)>,
    pub api_key: String,
    /// Returned by every call when set.
    pub fail: Option<PortError>,
    /// Every validated POST.
    pub new_requests: Mutex<Vec<NewRequest>>,
    /// Every query of `GET requests`.
    pub queries: Mutex<Vec<RequestQuery>>,
}

impl FakePort {
    fn check(&self) -> Result<(), PortError> {
        match &self.fail {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }
}

impl Open311Port for FakePort {
    async fn services(&self) -> Result<Vec<Service>, PortError> {
        self.check()?;
        Ok(self.services.clone())
    }

    async fn service_definition(&self, code: &str) -> Result<Option<ServiceDefinition>, PortError> {
        self.check()?;
        Ok(self
            .definitions
            .iter()
            .find(|d| d.service_code == code)
            .cloned())
    }

    async fn check_api_key(&self, key: &str) -> Result<bool, PortError> {
        self.check()?;
        Ok(key == self.api_key)
    }

    async fn create_request(&self, new: NewRequest) -> Result<Created, PortError> {
        self.check()?;
        self.new_requests.lock().unwrap().push(new);
        Ok(self.created.clone())
    }

    async fn requests(&self, q: RequestQuery) -> Result<Vec<ServiceRequest>, PortError> {
        self.check()?;
        self.queries.lock().unwrap().push(q);
        Ok(self.requests.clone())
    }

    async fn request(
        &self,
        id: &str,
        _extensions: bool,
    ) -> Result<Option<ServiceRequest>, PortError> {
        self.check()?;
        Ok(self
            .requests
            .iter()
            .find(|r| r.service_request_id == id)
            .cloned())
    }

    async fn request_id_for_token(&self, token: &str) -> Result<Option<String>, PortError> {
        self.check()?;
        Ok(self
            .tokens
            .iter()
            .find(|(t, _)| t == token)
            .map(|(_, id)| id.clone()))
    }
}

/// The configuration the targets use unless they choose their own.
pub fn config() -> Open311Config {
    Open311Config {
        jurisdiction: Some("hz.gongzhi.cn".into()),
        public_url: None,
        changeset: "2026-11-01T00:00:00+08:00".into(),
        contact: "contact".into(),
        key_service: "key service".into(),
        clock: Arc::new(|| NOW),
    }
}

pub fn app(port: Arc<FakePort>, config: Open311Config) -> Router {
    router(port, config)
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("tokio runtime")
    })
}

/// A response, its body read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

/// A response body read back.
#[derive(Debug)]
pub enum Parsed {
    Json(serde_json::Value),
    Xml(Element),
}

impl Reply {
    /// Parses the body in the format its content type names; panics when it is not well formed
    /// (that is the bug the targets look for).
    pub fn parse(&self) -> Parsed {
        match self.content_type.as_str() {
            JSON_TYPE => Parsed::Json(
                serde_json::from_str(&self.body)
                    .unwrap_or_else(|e| panic!("invalid JSON ({e}): {:?}", self.body)),
            ),
            XML_TYPE => Parsed::Xml(
                xml::parse(&self.body)
                    .unwrap_or_else(|e| panic!("malformed XML ({e}): {:?}", self.body)),
            ),
            other => panic!("unexpected content type {other:?}"),
        }
    }

    pub fn json(&self) -> serde_json::Value {
        match self.parse() {
            Parsed::Json(v) => v,
            Parsed::Xml(_) => panic!("expected JSON, got XML: {:?}", self.body),
        }
    }

    pub fn xml(&self) -> Element {
        match self.parse() {
            Parsed::Xml(x) => x,
            Parsed::Json(_) => panic!("expected XML, got JSON: {:?}", self.body),
        }
    }
}

/// Sends one request through the router.
pub fn call(app: Router, request: Request<Body>) -> Reply {
    runtime().block_on(async move {
        let response = app
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().expect("ASCII content type").to_string())
            .unwrap_or_default();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("in-memory body");
        let body = String::from_utf8(bytes.to_vec()).expect("responses are UTF-8");
        Reply {
            status,
            content_type,
            body,
        }
    })
}

/// Percent-encodes every byte but the unreserved ones, for a path segment or query value.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Checks an error document: a list of `{code, description}` whose codes are the status.
pub fn check_errors(reply: &Reply) {
    let status = i64::from(reply.status);
    match reply.parse() {
        Parsed::Json(v) => {
            let list = v.as_array().unwrap_or_else(|| panic!("error list: {v}"));
            assert!(!list.is_empty(), "empty error list");
            for e in list {
                assert_eq!(e["code"].as_i64(), Some(status), "{v}");
                // A port's own message may be empty, which is written as null.
                assert!(
                    e["description"].is_string() || e["description"].is_null(),
                    "{v}"
                );
            }
        }
        Parsed::Xml(x) => {
            assert_eq!(x.name, "errors", "{:?}", reply.body);
            assert!(!x.children.is_empty(), "empty error list");
            for e in &x.children {
                assert_eq!(e.name, "error");
                let code = e.child("code").expect("<code>");
                assert_eq!(
                    code.text.parse::<i64>().ok(),
                    Some(status),
                    "{:?}",
                    reply.body
                );
                assert!(e.child("description").is_some());
            }
        }
    }
}
