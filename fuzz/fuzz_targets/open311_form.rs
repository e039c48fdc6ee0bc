//! Open311 request parsing as the server does it: the request goes through the real router
//! (`gongzhi_server::open311::router`), which reads the query string and, for `POST requests`,
//! the `application/x-www-form-urlencoded` body, then validates a new request
//! (location, lengths, attributes of every datatype) or a `GET requests` query (dates, paging,
//! status).
//!
//! Input: `METHOD TARGET\nCONTENT-TYPE\nBODY`, where TARGET follows `/open311/v2/`
//! (e.g. `POST requests.json?jurisdiction_id=hz.gongzhi.cn`), an empty CONTENT-TYPE line sends
//! no header, and BODY is any bytes.
//!
//! Properties: the answer is one of the statuses the spec allows (never a 500), in the format
//! asked for, well formed (JSON, or XML checked by quick-xml); an error answer is the spec's
//! error list; what reaches the port satisfies the documented contract of `NewRequest` and
//! `RequestQuery`.
#![no_main]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, Uri, header};
use gongzhi_fuzz::open311::{self, FakePort, JSON_TYPE, Parsed, XML_TYPE};
use gongzhi_server::open311::{
    Attribute, Created, Datatype, NewRequest, RequestQuery, Service, ServiceDefinition, ServiceKind,
};
use libfuzzer_sys::fuzz_target;

const KEY: &str = "k";
const DAY_MS: i64 = 86_400_000;

fn attribute(code: &str, datatype: Datatype, required: bool, order: u32) -> Attribute {
    Attribute {
        variable: true,
        code: code.into(),
        datatype,
        required,
        datatype_description: None,
        order,
        description: format!("{code} 描述"),
        values: Vec::new(),
    }
}

fn definitions() -> Vec<ServiceDefinition> {
    let list = |code: &str, datatype, required, order, keys: &[&str]| Attribute {
        values: keys
            .iter()
            .map(|k| (k.to_string(), k.to_uppercase()))
            .collect(),
        ..attribute(code, datatype, required, order)
    };
    vec![
        ServiceDefinition {
            service_code: "2101".into(),
            attributes: vec![
                list("kind", Datatype::SingleValueList, true, 2, &["a", "b"]),
                list("tags", Datatype::MultiValueList, false, 1, &["x", "y", "z"]),
                attribute("count", Datatype::Number, false, 3),
                attribute("when", Datatype::Datetime, false, 4),
                attribute("note", Datatype::String, false, 5),
                attribute("story", Datatype::Text, false, 6),
                Attribute {
                    variable: false,
                    ..attribute("info", Datatype::Text, false, 0)
                },
            ],
        },
        ServiceDefinition {
            service_code: "2102".into(),
            attributes: Vec::new(),
        },
    ]
}

fn port() -> FakePort {
    let service = |code: &str| Service {
        service_code: code.into(),
        service_name: format!("服务 {code}"),
        description: String::new(),
        metadata: code == "2101",
        kind: ServiceKind::Realtime,
        keywords: Vec::new(),
        group: None,
    };
    FakePort {
        services: vec![service("2101"), service("2102")],
        definitions: definitions(),
        created: Created {
            service_request_id: Some("2026112700001".into()),
            token: None,
            service_notice: Some("已受理".into()),
            account_id: None,
        },
        api_key: KEY.into(),
        ..FakePort::default()
    }
}

fn check_text(value: &Option<String>, max: usize) {
    if let Some(v) = value {
        assert!(!v.is_empty() && v.trim() == v, "untrimmed value {v:?}");
        assert!(v.chars().count() <= max, "value over {max} characters");
    }
}

fn is_w3c_beijing(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 25
        && s.ends_with("+08:00")
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19..=24 => true,
            _ => c.is_ascii_digit(),
        })
}

/// The contract `NewRequest` documents.
fn check_new_request(new: &NewRequest) {
    assert_eq!(new.api_key, KEY);
    let defs = definitions();
    let def = defs
        .iter()
        .find(|d| d.service_code == new.service_code)
        .expect("a request for a known service");
    assert_eq!(
        new.lat.is_some(),
        new.long.is_some(),
        "lat and long together"
    );
    if let (Some(lat), Some(long)) = (new.lat, new.long) {
        assert!(lat.is_finite() && lat.abs() <= 90.0, "lat {lat}");
        assert!(long.is_finite() && long.abs() <= 180.0, "long {long}");
    }
    assert!(
        new.lat.is_some() || new.address_string.is_some() || new.address_id.is_some(),
        "a request without a location"
    );
    check_text(&new.address_string, 500);
    check_text(&new.address_id, 200);
    check_text(&new.email, 254);
    check_text(&new.device_id, 200);
    check_text(&new.account_id, 200);
    check_text(&new.first_name, 100);
    check_text(&new.last_name, 100);
    check_text(&new.phone, 40);
    check_text(&new.description, 4000);
    check_text(&new.media_url, 2000);
    if let Some(url) = &new.media_url {
        let lower = url.to_ascii_lowercase();
        assert!(lower.starts_with("http://") || lower.starts_with("https://"));
    }
    for attr in &def.attributes {
        let values: Vec<&str> = new
            .attributes
            .iter()
            .filter(|(c, _)| *c == attr.code)
            .map(|(_, v)| v.as_str())
            .collect();
        assert!(
            attr.variable || values.is_empty(),
            "informational attribute sent on"
        );
        assert!(
            !attr.required || !values.is_empty(),
            "required {} missing",
            attr.code
        );
        if attr.datatype != Datatype::MultiValueList {
            assert!(values.len() <= 1, "{} takes one value", attr.code);
        }
        for v in values {
            assert!(!v.is_empty() && v.trim() == v && v.chars().count() <= 4000);
            match attr.datatype {
                Datatype::Number => assert!(v.parse::<f64>().is_ok_and(f64::is_finite), "{v:?}"),
                Datatype::Datetime => assert!(is_w3c_beijing(v), "datetime {v:?}"),
                Datatype::String => assert!(!v.contains(['\n', '\r']), "{v:?}"),
                Datatype::Text => {}
                Datatype::SingleValueList | Datatype::MultiValueList => {
                    assert!(attr.values.iter().any(|(k, _)| k == v), "{v:?} not a key")
                }
            }
        }
    }
    assert!(
        new.attributes
            .iter()
            .all(|(c, _)| def.attributes.iter().any(|a| a.code == *c)),
        "an attribute the service does not have"
    );
}

/// The contract `RequestQuery` documents.
fn check_query(q: &RequestQuery) {
    assert!(q.page >= 1, "page {}", q.page);
    assert!(
        (1..=1000).contains(&q.page_size),
        "page_size {}",
        q.page_size
    );
    if !q.ids.is_empty() {
        assert!(q.ids.len() <= 1000);
        assert!(q.service_codes.is_empty() && q.status.is_empty());
        assert_eq!((q.start, q.end), (None, None));
        for (i, id) in q.ids.iter().enumerate() {
            assert!(!id.is_empty() && id.trim() == id && !id.contains(','));
            assert!(!q.ids[..i].contains(id), "repeated id");
        }
    } else {
        let (Some(start), Some(end)) = (q.start, q.end) else {
            panic!("a date range is always set: {q:?}");
        };
        assert!(
            start <= end && end - start <= 90 * DAY_MS,
            "range {start}..{end}"
        );
    }
}

fn percent_decode(path: &str) -> Option<String> {
    let b = path.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: Option<&u8>| c.and_then(|&c| char::from(c).to_digit(16));
        match (b[i], hex(b.get(i + 1)), hex(b.get(i + 2))) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

fuzz_target!(|data: &[u8]| {
    let mut lines = data.splitn(3, |&b| b == b'\n');
    let request_line = lines.next().unwrap_or_default();
    let content_type = lines.next();
    let body = lines.next().unwrap_or_default().to_vec();

    let Ok(request_line) = std::str::from_utf8(request_line) else {
        return;
    };
    let (method, target) = request_line
        .split_once(' ')
        .unwrap_or(("GET", request_line));
    let Ok(method) = Method::from_bytes(method.as_bytes()) else {
        return;
    };
    let Ok(uri) = format!("/open311/v2/{}", target.trim_start_matches('/')).parse::<Uri>() else {
        return; // the HTTP layer refuses such a request line before the router sees it
    };
    let mut request = Request::builder().method(method.clone()).uri(uri.clone());
    if let Some(ct) = content_type.filter(|c| !c.is_empty())
        && let Ok(value) = HeaderValue::from_bytes(ct)
    {
        request = request.header(header::CONTENT_TYPE, value);
    }
    let Ok(request) = request.body(Body::from(body)) else {
        return;
    };

    let port = Arc::new(port());
    let reply = open311::call(open311::app(port.clone(), open311::config()), request);

    assert!(
        matches!(reply.status, 200 | 400 | 403 | 404 | 405 | 413),
        "status {}: {}",
        reply.status,
        reply.body
    );
    // The format comes from the path as the router sees it: percent-decoded (a path that does
    // not decode to UTF-8 matches no resource and is answered in XML).
    let wanted = match percent_decode(uri.path()) {
        Some(p) if p.ends_with(".json") => JSON_TYPE,
        _ => XML_TYPE,
    };
    if uri.path() == "/open311/v2/" {
        // Not under the Open311 route (`/open311/v2/{*path}` needs a path): the application's
        // own 404, answered outside this surface.
        assert_eq!((reply.status, reply.content_type.as_str()), (404, ""));
        return;
    }
    assert_eq!(reply.content_type, wanted, "format of {}", uri.path());
    if method == Method::HEAD && reply.body.is_empty() {
        return;
    }
    let parsed = reply.parse();
    if reply.status != 200 {
        open311::check_errors(&reply);
    }

    let news = port.new_requests.lock().unwrap();
    let queries = port.queries.lock().unwrap();
    assert!(news.len() + queries.len() <= 1);
    if let Some(new) = news.first() {
        assert_eq!(method, Method::POST);
        check_new_request(new);
        assert_eq!(reply.status, 200);
        match parsed {
            Parsed::Json(v) => assert_eq!(v[0]["service_request_id"], "2026112700001"),
            Parsed::Xml(x) => assert_eq!(x.name, "service_requests"),
        }
    }
    if let Some(q) = queries.first() {
        check_query(q);
    }
});
