//! One catch-all route under `/open311/v2/`: the resource and the format are read from the
//! path (`services/2101.json`), so every failure — unknown resource or format included — can
//! be answered with the spec's error list.

use super::error::Open311Error;
use super::format::{self, Format};
use super::model::ServiceRequest;
use super::params::Params;
use super::port::Open311Port;
use super::views::{self, Discovery};
use super::{Open311Config, intake, query};
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use std::sync::Arc;

/// POST bodies larger than this are refused (a description is at most 4,000 characters).
pub const MAX_BODY: usize = 256 * 1024;

pub struct Shared<P> {
    pub port: Arc<P>,
    pub config: Open311Config,
}

#[derive(Debug, Clone, PartialEq)]
enum Resource {
    Discovery,
    Services,
    Definition(String),
    Requests,
    Request(String),
    Token(String),
}

/// `path` is what follows `/open311/v2/`.
fn resolve(path: &str) -> (Option<Resource>, Option<Format>) {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let Some(last) = segments.last() else {
        return (None, None);
    };
    let (stem, format) = format::split(last);
    let resource = match (segments.as_slice(), stem) {
        ([_], "discovery") => Some(Resource::Discovery),
        ([_], "services") => Some(Resource::Services),
        ([_], "requests") => Some(Resource::Requests),
        (["services", _], code) if !code.is_empty() => Some(Resource::Definition(code.into())),
        (["requests", _], id) if !id.is_empty() => Some(Resource::Request(id.into())),
        (["tokens", _], token) if !token.is_empty() => Some(Resource::Token(token.into())),
        _ => None,
    };
    (resource, format)
}

pub async fn dispatch<P: Open311Port>(
    State(shared): State<Arc<Shared<P>>>,
    method: Method,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw_query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let (resource, format) = match &path {
        Ok(Path(p)) => resolve(p),
        Err(_) => (None, None),
    };
    let Some(format) = format else {
        // XML is the format every Open311 client reads.
        let e = Open311Error::not_found(
            "没有这个资源或格式；请以 .json 或 .xml 结尾",
            "no such resource or format; end the path in .json or .xml",
        );
        return Format::Xml.respond(e.status, &e.document());
    };
    let Some(resource) = resource else {
        let e = Open311Error::not_found("没有这个资源", "no such resource");
        return format.respond(e.status, &e.document());
    };
    let result = handle(
        &shared,
        resource,
        &method,
        raw_query.as_deref().unwrap_or(""),
        &headers,
        body,
    )
    .await;
    match result {
        Ok(doc) => format.respond(StatusCode::OK, &doc),
        Err(Refusal::Error(e)) => format.respond(e.status, &e.document()),
        Err(Refusal::Method(allow)) => {
            let e = Open311Error::new(
                StatusCode::METHOD_NOT_ALLOWED,
                &format!("此资源只接受 {allow}"),
                &format!("this resource only accepts {allow}"),
            );
            let mut resp = format.respond(e.status, &e.document());
            resp.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static(allow));
            resp
        }
    }
}

enum Refusal {
    Error(Open311Error),
    /// 405 with this `Allow` header.
    Method(&'static str),
}

impl From<Open311Error> for Refusal {
    fn from(e: Open311Error) -> Self {
        Refusal::Error(e)
    }
}

impl From<super::port::PortError> for Refusal {
    fn from(e: super::port::PortError) -> Self {
        Refusal::Error(e.into())
    }
}

async fn handle<P: Open311Port>(
    shared: &Shared<P>,
    resource: Resource,
    method: &Method,
    raw_query: &str,
    headers: &HeaderMap,
    body: Body,
) -> Result<super::doc::Document, Refusal> {
    let is_get = method == Method::GET || method == Method::HEAD;
    let is_post = method == Method::POST;
    let mut params = Params::parse(raw_query)?;
    match (&resource, is_get, is_post) {
        (Resource::Requests, false, true) => params.extend(form_body(headers, body).await?),
        (Resource::Requests, false, false) => return Err(Refusal::Method("GET, HEAD, POST")),
        (_, false, _) => return Err(Refusal::Method("GET, HEAD")),
        _ => {}
    }
    check_jurisdiction(&shared.config, &params)?;
    let port = &*shared.port;
    let doc = match resource {
        Resource::Discovery => {
            let url = endpoint_url(&shared.config, headers);
            views::discovery(&Discovery {
                changeset: &shared.config.changeset,
                contact: &shared.config.contact,
                key_service: &shared.config.key_service,
                url: &url,
            })
        }
        Resource::Services => views::services(&port.services().await?),
        Resource::Definition(code) => match port.service_definition(&code).await? {
            Some(def) => views::service_definition(&def),
            None => return Err(unknown_service(&code).into()),
        },
        Resource::Requests if is_post => {
            let Some(key) = params.one("api_key")? else {
                return Err(Open311Error::forbidden(
                    "缺少 api_key，无法提交",
                    "api_key is missing -- can't proceed with create_request",
                )
                .into());
            };
            if !port.check_api_key(key).await? {
                return Err(Open311Error::forbidden(
                    "api_key 无效，无法提交",
                    "invalid api_key received -- can't proceed with create_request",
                )
                .into());
            }
            let Some(code) = params.one("service_code")? else {
                return Err(Open311Error::bad_request(
                    "缺少 service_code",
                    "service_code was not provided",
                )
                .into());
            };
            let Some(def) = port.service_definition(code).await? else {
                return Err(unknown_service(code).into());
            };
            let new = intake::new_request(&params, key, &def)?;
            views::created(&port.create_request(new).await?)
        }
        Resource::Requests => {
            let full = keyed(port, &params).await?;
            let q = query::request_query(&params, (shared.config.clock)())?;
            let (extensions, page_size) = (q.extensions, q.page_size as usize);
            let mut list = port.requests(q).await?;
            list.truncate(page_size);
            if !full {
                list = list.into_iter().map(ServiceRequest::public).collect();
            }
            views::requests(&list, extensions)
        }
        Resource::Request(id) => {
            let full = keyed(port, &params).await?;
            let extensions = params.flag("extensions")?;
            match port.request(&id, extensions).await? {
                Some(r) => {
                    let r = if full { r } else { r.public() };
                    views::requests(&[r], extensions)
                }
                None => {
                    return Err(Open311Error::not_found(
                        &format!("没有编号为 {id} 的诉求"),
                        &format!("service_request_id {id} not found"),
                    )
                    .into());
                }
            }
        }
        Resource::Token(token) => match port.request_id_for_token(&token).await? {
            Some(id) => views::token(&id, &token),
            None => {
                return Err(Open311Error::not_found(
                    &format!("没有令牌 {token}"),
                    &format!("token {token} not found"),
                )
                .into());
            }
        },
    };
    Ok(doc)
}

/// Whether a read gets the full view: only with a valid api_key. Without one it gets the
/// public view; a wrong key is refused rather than quietly served less.
async fn keyed<P: Open311Port>(port: &P, params: &Params) -> Result<bool, Refusal> {
    match params.one("api_key")? {
        None => Ok(false),
        Some(key) if port.check_api_key(key).await? => Ok(true),
        Some(_) => Err(Open311Error::forbidden(
            "api_key 无效",
            "invalid api_key received -- can't proceed",
        )
        .into()),
    }
}

fn unknown_service(code: &str) -> Open311Error {
    Open311Error::not_found(
        &format!("没有代码为 {code} 的服务"),
        &format!("service_code {code} not found"),
    )
}

/// An absent `jurisdiction_id` is fine (we serve one jurisdiction); a different one is not.
fn check_jurisdiction(config: &Open311Config, params: &Params) -> Result<(), Open311Error> {
    match (params.one("jurisdiction_id")?, &config.jurisdiction) {
        (Some(given), Some(ours)) if given != ours => Err(Open311Error::not_found(
            &format!("没有辖区 {given}（本服务的 jurisdiction_id 是 {ours}）"),
            &format!("jurisdiction not found: {given} (this endpoint serves {ours})"),
        )),
        _ => Ok(()),
    }
}

/// The POST body, which the spec sends as `application/x-www-form-urlencoded`.
async fn form_body(headers: &HeaderMap, body: Body) -> Result<Params, Open311Error> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/x-www-form-urlencoded");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if !essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return Err(Open311Error::bad_request(
            &format!("请求体必须是 application/x-www-form-urlencoded，收到 {content_type}"),
            &format!("the body must be application/x-www-form-urlencoded, got {content_type}"),
        ));
    }
    let bytes = axum::body::to_bytes(body, MAX_BODY).await.map_err(|_| {
        Open311Error::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "请求体过大",
            "the request body is too large",
        )
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        Open311Error::bad_request(
            "请求体必须是 UTF-8 编码",
            "the body must be encoded as UTF-8",
        )
    })?;
    Params::parse(text)
}

/// `public_url` + `/open311/v2`, or else the scheme and host this request came in on.
fn endpoint_url(config: &Open311Config, headers: &HeaderMap) -> String {
    let base = match &config.public_url {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => {
            let header = |name: &str| {
                headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(|v| v.split(',').next().unwrap_or("").trim().to_string())
                    .filter(|v| !v.is_empty())
            };
            let proto = header("x-forwarded-proto")
                .filter(|p| p == "http" || p == "https")
                .unwrap_or_else(|| "http".into());
            let host = header("x-forwarded-host")
                .or_else(|| header("host"))
                .filter(|h| {
                    h.bytes()
                        .all(|c| c.is_ascii_alphanumeric() || b".-:[]".contains(&c))
                })
                .unwrap_or_else(|| "localhost".into());
            format!("{proto}://{host}")
        }
    };
    format!("{base}{}", super::BASE_PATH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open311_resolve_paths() {
        use Resource::*;
        assert_eq!(
            resolve("discovery.json"),
            (Some(Discovery), Some(Format::Json))
        );
        assert_eq!(resolve("services.xml"), (Some(Services), Some(Format::Xml)));
        assert_eq!(
            resolve("services/a.b.json"),
            (Some(Definition("a.b".into())), Some(Format::Json))
        );
        assert_eq!(
            resolve("requests/2026112700001.xml"),
            (Some(Request("2026112700001".into())), Some(Format::Xml))
        );
        assert_eq!(
            resolve("tokens/t-1.json"),
            (Some(Token("t-1".into())), Some(Format::Json))
        );
        assert_eq!(resolve("services.html"), (Some(Services), None));
        assert_eq!(resolve("services"), (Some(Services), None));
        assert_eq!(resolve("services/.json"), (None, Some(Format::Json)));
        assert_eq!(resolve("nothing.json"), (None, Some(Format::Json)));
        assert_eq!(resolve("services/a/b.json"), (None, Some(Format::Json)));
    }
}
