//! The OpenAPI document served at `/api/openapi.json` must describe exactly the API routes that
//! the router registers: every `.route("/api/…" | "/healthz" | "/ledger/…", …)` in any `.rs`
//! file under `src/` (recursively, except `src/open311/`, whose protocol has its own spec and
//! conformance tests), with each of its methods, is documented, and nothing is documented that
//! the router does not serve. A route in a unit test under `src/` counts too.
//!
//! The routes are read from the source text, so a route added without documentation fails here.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Method-router functions of `axum::routing` that map to one HTTP method each.
const METHODS: [&str; 8] = [
    "get", "post", "put", "delete", "patch", "head", "options", "trace",
];

fn doc() -> Value {
    serde_json::from_str(gongzhi_server::http::OPENAPI).expect("openapi.json is valid JSON")
}

/// Directories under `src/` whose routes this test does not read. Open311 GeoReport v2 is
/// served under its own base path with a catch-all route, and is specified and tested on its
/// own (`src/open311/doc.rs`, `src/open311/tests/`).
const SKIPPED_DIRS: [&str; 1] = ["open311"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if !SKIPPED_DIRS.contains(&name) {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// Every `.rs` file under `src/` (but the skipped directories), without whole-line comments.
fn router_sources() -> Vec<(PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    for part in ["http/mod.rs", "cases/api.rs", "webhooks/api.rs"] {
        assert!(
            files.iter().any(|f| f.ends_with(part)),
            "expected the router file src/{part} among {files:?}"
        );
    }
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p)
                .unwrap_or_else(|e| panic!("reading {}: {e}", p.display()));
            // Whole-line comments may quote routes; they register nothing.
            let code: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .map(|l| format!("{l}\n"))
                .collect();
            (p, code)
        })
        .collect()
}

/// The text of a call's arguments: from just after `(` to its matching `)`.
fn call_args(s: &str) -> &str {
    let mut depth = 1usize;
    let mut in_str = false;
    let mut prev = '\0';
    for (i, c) in s.char_indices() {
        match c {
            '"' if prev != '\\' => in_str = !in_str,
            '(' if !in_str => depth += 1,
            ')' if !in_str => {
                depth -= 1;
                if depth == 0 {
                    return &s[..i];
                }
            }
            _ => {}
        }
        prev = c;
    }
    panic!(
        "unbalanced parentheses after .route(: {}",
        &s[..s.len().min(120)]
    );
}

/// Names called at the top level of a method-router expression: `get(a).post(b)` → get, post.
fn top_level_calls(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut ident = String::new();
    for c in expr.chars() {
        if c.is_alphanumeric() || c == '_' || c == ':' {
            ident.push(c);
            continue;
        }
        if c == '(' {
            if depth == 0 && !ident.is_empty() {
                out.push(ident.rsplit("::").next().unwrap_or("").to_string());
            }
            depth += 1;
        } else if c == ')' {
            depth = depth.saturating_sub(1);
        }
        if !c.is_whitespace() {
            ident.clear();
        }
    }
    out
}

/// Routes the document describes: the JSON API, the health check, and the ledger's public
/// C2SP tlog-tiles read API (plain-text checkpoint, binary tiles, JSON proofs).
fn is_api(path: &str) -> bool {
    path.starts_with("/api/") || path == "/healthz" || path.starts_with("/ledger/")
}

/// The path as the document writes it: axum's catch-all `{*rest}` is the parameter `{rest}`,
/// whose value may span several segments (the operation's description says so).
fn documented_form(path: &str) -> String {
    path.replace("{*", "{")
}

/// Every API route in the router source: path → methods (lower case).
fn routed() -> BTreeMap<String, BTreeSet<String>> {
    let mut routes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, code) in router_sources() {
        for unsupported in [".nest(", ".nest_service(", ".route_service("] {
            assert!(
                !code.contains(unsupported),
                "{} uses {unsupported}: this test only reads .route(\"…\", …) calls; teach it the new form",
                file.display()
            );
        }
        let mut rest = code.as_str();
        while let Some(at) = rest.find(".route(") {
            let args = call_args(&rest[at + ".route(".len()..]);
            rest = &rest[at + ".route(".len() + args.len()..];
            let args = args.trim_start();
            let Some(after_quote) = args.strip_prefix('"') else {
                panic!(
                    "{}: .route( without a string literal path: {args:.80}",
                    file.display()
                );
            };
            let end = after_quote
                .find('"')
                .expect("closing quote of the route path");
            let path = &after_quote[..end];
            if !is_api(path) {
                continue;
            }
            let handlers = after_quote[end + 1..].trim_start().trim_start_matches(',');
            let calls = top_level_calls(handlers);
            assert!(
                !calls.is_empty(),
                "{}: no method router for {path}",
                file.display()
            );
            // `.layer(…)` on a method router is middleware (a body limit), not a method.
            for call in calls.into_iter().filter(|c| c != "layer") {
                assert!(
                    METHODS.contains(&call.as_str()),
                    "{}: route {path} uses `{call}(…)`; document its methods and teach this test about it",
                    file.display()
                );
                let fresh = routes
                    .entry(documented_form(path))
                    .or_default()
                    .insert(call.clone());
                assert!(
                    fresh,
                    "{}: {} {path} registered twice",
                    file.display(),
                    call.to_uppercase()
                );
            }
        }
    }
    routes
}

/// Every documented operation: path → methods (lower case).
fn documented(doc: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let paths = doc["paths"].as_object().expect("paths is an object");
    paths
        .iter()
        .map(|(path, item)| {
            let item = item
                .as_object()
                .unwrap_or_else(|| panic!("path item {path} is an object"));
            let methods = item
                .keys()
                .filter(|k| METHODS.contains(&k.as_str()))
                .cloned()
                .collect();
            (path.clone(), methods)
        })
        .collect()
}

#[test]
fn the_route_scan_sees_the_known_routes() {
    // Guards the scanner itself: if it stopped finding routes, the other tests would pass vacuously.
    let routes = routed();
    let has = |p: &str, m: &str| routes.get(p).is_some_and(|ms| ms.contains(m));
    assert!(has("/healthz", "get"));
    assert!(has("/api/openapi.json", "get"));
    assert!(has("/api/v1/session", "post") && has("/api/v1/session", "delete"));
    assert!(has("/api/v1/accounts", "get") && has("/api/v1/accounts", "post"));
    assert!(has("/api/v1/residents/{id}/unmask", "post"));
    assert!(has("/api/v1/imports/{kind}", "post"));
    // Routers outside src/http: cases, photos, scorecards, dispatch rules, hotline, webhooks,
    // ledger.
    assert!(has("/api/v1/cases", "get") && has("/api/v1/cases", "post"));
    assert!(has("/api/v1/cases/{id}/commands", "post"));
    assert!(has("/api/v1/public/cases/{code}", "get"));
    assert!(has("/api/v1/cases/{id}/photos", "post"));
    assert!(has("/api/v1/metrics", "get"));
    assert!(has("/api/v1/metrics.xlsx", "get"));
    assert!(has("/api/v1/dispatch-rules/{id}", "delete"));
    assert!(has("/api/v1/imports/hotline", "post"));
    assert!(has("/api/v1/webhooks", "get") && has("/api/v1/webhooks", "post"));
    assert!(has("/api/v1/public/cases/{code}/receipt", "get"));
    assert!(has("/ledger/checkpoint", "get") && has("/ledger/tile/{path}", "get"));
    assert!(
        routes.len() >= 55,
        "only {} API routes found: {routes:?}",
        routes.len()
    );
    assert!(
        !routes.contains_key("/login") && !routes.contains_key("/rules"),
        "page routes are not API routes"
    );
}

#[test]
fn every_route_is_documented() {
    let documented = documented(&doc());
    let mut missing = Vec::new();
    for (path, methods) in routed() {
        for m in methods {
            if !documented.get(&path).is_some_and(|ms| ms.contains(&m)) {
                missing.push(format!("{} {path}", m.to_uppercase()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "routes missing from crates/server/src/openapi.json: {missing:#?}"
    );
}

#[test]
fn nothing_documented_is_unrouted() {
    let routes = routed();
    let mut stale = Vec::new();
    for (path, methods) in documented(&doc()) {
        if methods.is_empty() {
            stale.push(format!("{path} (no operations)"));
        }
        for m in methods {
            if !routes.get(&path).is_some_and(|ms| ms.contains(&m)) {
                stale.push(format!("{} {path}", m.to_uppercase()));
            }
        }
    }
    assert!(stale.is_empty(), "documented but not routed: {stale:#?}");
}

#[test]
fn document_header_and_security() {
    let d = doc();
    assert_eq!(d["openapi"], "3.1.0");
    assert_eq!(d["info"]["title"], "gongzhi 共治 API");
    assert_eq!(d["info"]["version"], "0.1.0");
    let schemes = &d["components"]["securitySchemes"];
    assert_eq!(schemes["sessionCookie"]["type"], "apiKey");
    assert_eq!(schemes["sessionCookie"]["in"], "cookie");
    assert_eq!(
        schemes["sessionCookie"]["name"],
        gongzhi_server::auth::SESSION_COOKIE
    );
    assert_eq!(schemes["bearerToken"]["type"], "http");
    assert_eq!(schemes["bearerToken"]["scheme"], "bearer");
    let body = &d["components"]["schemas"]["ErrorBody"];
    for field in ["code", "message", "message_en", "field", "rows"] {
        assert!(
            body["properties"].get(field).is_some(),
            "ErrorBody lacks {field}"
        );
    }
}

fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let pointer = r
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("external $ref {r}"));
            doc.pointer(pointer)
                .unwrap_or_else(|| panic!("$ref {r} does not resolve"))
        }
        None => v,
    }
}

#[test]
fn operations_are_complete() {
    let d = doc();
    let mut ids = BTreeSet::new();
    for (path, item) in d["paths"].as_object().unwrap() {
        let params_in_path: BTreeSet<&str> = path
            .split('{')
            .skip(1)
            .map(|s| s.split('}').next().unwrap())
            .collect();
        for (method, op) in item.as_object().unwrap() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let at = format!("{} {path}", method.to_uppercase());
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{at}: no operationId"));
            assert!(
                ids.insert(id.to_string()),
                "{at}: operationId {id} used twice"
            );
            let summary = op["summary"]
                .as_str()
                .unwrap_or_else(|| panic!("{at}: no summary"));
            assert!(
                summary.contains(" / ") && !summary.is_ascii(),
                "{at}: summary should read \"中文 / English\", got {summary:?}"
            );
            let responses = op["responses"]
                .as_object()
                .unwrap_or_else(|| panic!("{at}: no responses"));
            assert!(
                responses.keys().any(|k| k.starts_with('2')),
                "{at}: no success response"
            );
            // Path parameters declared exactly.
            let declared: BTreeSet<String> = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .map(|p| resolve(&d, p))
                        .filter(|p| p["in"] == "path")
                        .map(|p| p["name"].as_str().unwrap().to_string())
                        .collect()
                })
                .unwrap_or_default();
            let wanted: BTreeSet<String> = params_in_path.iter().map(|s| s.to_string()).collect();
            assert_eq!(declared, wanted, "{at}: path parameters");
            // axum answers a path or query it cannot parse (an id past i64, a repeated query
            // parameter, bytes that are not UTF-8) with a 400, as tools/schemathesis.sh found.
            let parsed = op["parameters"].as_array().is_some_and(|ps| {
                ps.iter()
                    .map(|p| resolve(&d, p))
                    .any(|p| p["in"] == "path" || p["in"] == "query")
            });
            assert!(
                !parsed || responses.contains_key("400"),
                "{at}: takes path or query parameters, so it should document 400"
            );
            // Calls that need credentials answer 401 without them.
            if op
                .get("security")
                .is_none_or(|s| s.as_array().is_none_or(|a| !a.is_empty()))
            {
                assert!(
                    responses.contains_key("401"),
                    "{at}: needs credentials, so it should document 401"
                );
            }
            // JSON error responses use the one error shape.
            for (status, resp) in responses {
                if !(status.starts_with('4') || status.starts_with('5')) {
                    continue;
                }
                let resp = resolve(&d, resp);
                if let Some(json) = resp["content"].get("application/json") {
                    assert_eq!(
                        json["schema"]["$ref"], "#/components/schemas/Error",
                        "{at}: {status} JSON body must be the error shape"
                    );
                }
            }
            // Non-GET calls made with a session cookie need the CSRF header.
            if method != "get"
                && op
                    .get("security")
                    .is_none_or(|s| s.as_array().is_none_or(|a| !a.is_empty()))
            {
                let has_csrf = op["parameters"].as_array().is_some_and(|ps| {
                    ps.iter()
                        .map(|p| resolve(&d, p))
                        .any(|p| p["in"] == "header" && p["name"] == "X-CSRF-Token")
                });
                assert!(
                    has_csrf,
                    "{at}: a state-changing authenticated call should document X-CSRF-Token"
                );
            }
        }
    }
}

#[test]
fn every_ref_resolves() {
    fn walk(doc: &Value, v: &Value, at: &str, bad: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                    let ok = r.strip_prefix('#').and_then(|p| doc.pointer(p)).is_some();
                    if !ok {
                        bad.push(format!("{at}: {r}"));
                    }
                }
                for (k, v) in map {
                    walk(doc, v, &format!("{at}/{k}"), bad);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(doc, v, &format!("{at}/{i}"), bad);
                }
            }
            _ => {}
        }
    }
    let d = doc();
    let mut bad = Vec::new();
    walk(&d, &d, "#", &mut bad);
    assert!(bad.is_empty(), "unresolved $refs: {bad:#?}");
}

#[test]
fn scanner_reads_method_chains() {
    assert_eq!(top_level_calls(" get(list).post(create)"), ["get", "post"]);
    assert_eq!(
        top_level_calls(" post(create).delete(destroy)"),
        ["post", "delete"]
    );
    assert_eq!(top_level_calls(" axum::routing::get(wrap(h))"), ["get"]);
    assert_eq!(
        call_args("\"/x\", get(a).post(b(c))) rest"),
        "\"/x\", get(a).post(b(c))"
    );
    assert_eq!(
        documented_form("/ledger/tile/{*path}"),
        "/ledger/tile/{path}"
    );
    assert!(is_api("/ledger/checkpoint") && is_api("/healthz") && !is_api("/assets/{*path}"));
}

/// docs/security.md's who-may-call table names every documented operation (issue 11): a route
/// added without saying who may call it fails here.
#[test]
fn the_security_page_says_who_may_call_every_operation() {
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/security.md"),
    )
    .expect("docs/security.md");
    let mut missing = Vec::new();
    for (path, methods) in documented(&doc()) {
        for m in methods {
            let row = format!("| `{} {path}` |", m.to_uppercase());
            if !page.contains(&row) {
                missing.push(row);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "operations missing from docs/security.md's who-may-call table: {missing:#?}"
    );
}

/// The code lists the document enumerates are the domain's own: a role or label code added in
/// the domain must be added to the schema, or clients validating answers reject them.
#[test]
fn enumerated_codes_are_the_domains() {
    use gongzhi_domain::access::Role;
    use gongzhi_domain::party::five_steps::{ActivityKind, Step, StepStatus};
    use gongzhi_domain::party::meetings::MeetingKind;
    let doc = doc();
    let schema = |name: &str| -> Vec<String> {
        doc["components"]["schemas"][name]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} has an enum"))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let codes = |v: Vec<&str>| v.into_iter().map(String::from).collect::<Vec<_>>();
    assert_eq!(
        schema("Role"),
        codes(Role::ALL.iter().map(|r| r.as_str()).collect())
    );
    assert_eq!(
        schema("MeetingKind"),
        codes(MeetingKind::ALL.iter().map(|k| k.as_str()).collect())
    );
    assert_eq!(
        schema("Step"),
        codes(Step::ALL.iter().map(|k| k.as_str()).collect())
    );
    assert_eq!(
        schema("StepStatus"),
        codes(StepStatus::ALL.iter().map(|k| k.as_str()).collect())
    );
    assert_eq!(
        schema("ActivityKind"),
        codes(ActivityKind::ALL.iter().map(|k| k.as_str()).collect())
    );
}
