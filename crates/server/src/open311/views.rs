//! The model → response documents, with the spec's element names and nesting.

use super::datetime;
use super::doc::{Document, Node};
use super::model::{Created, Service, ServiceDefinition, ServiceRequest};

pub const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";

/// What `discovery.{fmt}` says about us.
pub struct Discovery<'a> {
    pub changeset: &'a str,
    pub contact: &'a str,
    pub key_service: &'a str,
    /// The endpoint URL, ending in `/open311/v2`.
    pub url: &'a str,
}

pub fn discovery(d: &Discovery<'_>) -> Document {
    let endpoint = Node::Record(vec![
        ("specification", Node::text(SPECIFICATION)),
        ("url", Node::text(d.url)),
        ("changeset", Node::text(d.changeset)),
        ("type", Node::text("production")),
        (
            "formats",
            Node::List(
                "format",
                vec![Node::text("text/xml"), Node::text("application/json")],
            ),
        ),
    ]);
    Document {
        root: "discovery",
        body: Node::Record(vec![
            ("changeset", Node::text(d.changeset)),
            ("contact", Node::text(d.contact)),
            ("key_service", Node::text(d.key_service)),
            ("endpoints", Node::List("endpoint", vec![endpoint])),
        ]),
    }
}

pub fn services(list: &[Service]) -> Document {
    let items = list
        .iter()
        .map(|s| {
            Node::Record(vec![
                ("service_code", Node::text(&s.service_code)),
                ("service_name", Node::text(&s.service_name)),
                ("description", Node::text(&s.description)),
                ("metadata", Node::Bool(s.metadata)),
                ("type", Node::text(s.kind.as_str())),
                ("keywords", Node::text(s.keywords.join(", "))),
                ("group", Node::Text(s.group.clone())),
            ])
        })
        .collect();
    Document {
        root: "services",
        body: Node::List("service", items),
    }
}

pub fn service_definition(def: &ServiceDefinition) -> Document {
    let mut attributes: Vec<_> = def.attributes.iter().collect();
    attributes.sort_by_key(|a| a.order);
    let attributes = attributes
        .into_iter()
        .map(|a| {
            let values = a
                .values
                .iter()
                .map(|(key, name)| {
                    Node::Record(vec![("key", Node::text(key)), ("name", Node::text(name))])
                })
                .collect();
            Node::Record(vec![
                ("variable", Node::Bool(a.variable)),
                ("code", Node::text(&a.code)),
                ("datatype", Node::text(a.datatype.as_str())),
                ("required", Node::Bool(a.required)),
                (
                    "datatype_description",
                    Node::Text(a.datatype_description.clone()),
                ),
                ("order", Node::Int(i64::from(a.order))),
                ("description", Node::text(&a.description)),
                ("values", Node::List("value", values)),
            ])
        })
        .collect();
    Document {
        root: "service_definition",
        body: Node::Record(vec![
            ("service_code", Node::text(&def.service_code)),
            ("attributes", Node::List("attribute", attributes)),
        ]),
    }
}

/// The answer to a POST: the id (realtime) or else the token (batch), notice and account.
pub fn created(c: &Created) -> Document {
    let mut fields = Vec::new();
    match (&c.service_request_id, &c.token) {
        (Some(id), _) => fields.push(("service_request_id", Node::text(id))),
        (None, Some(token)) => fields.push(("token", Node::text(token))),
        (None, None) => {}
    }
    fields.push(("service_notice", Node::Text(c.service_notice.clone())));
    fields.push(("account_id", Node::Text(c.account_id.clone())));
    Document {
        root: "service_requests",
        body: Node::List("request", vec![Node::Record(fields)]),
    }
}

pub fn token(service_request_id: &str, token: &str) -> Document {
    Document {
        root: "service_requests",
        body: Node::List(
            "request",
            vec![Node::Record(vec![
                ("service_request_id", Node::text(service_request_id)),
                ("token", Node::text(token)),
            ])],
        ),
    }
}

/// `requests.{fmt}` and `requests/{id}.{fmt}`; with `extensions` every request also carries
/// `extended_attributes` and `notes`.
pub fn requests(list: &[ServiceRequest], extensions: bool) -> Document {
    Document {
        root: "service_requests",
        body: Node::List(
            "request",
            list.iter().map(|r| request(r, extensions)).collect(),
        ),
    }
}

fn request(r: &ServiceRequest, extensions: bool) -> Node {
    let mut fields = vec![
        ("service_request_id", Node::text(&r.service_request_id)),
        ("status", Node::text(r.status.as_str())),
        ("status_notes", Node::Text(r.status_notes.clone())),
        ("service_name", Node::text(&r.service_name)),
        ("service_code", Node::text(&r.service_code)),
        ("description", Node::Text(r.description.clone())),
        (
            "agency_responsible",
            Node::Text(r.agency_responsible.clone()),
        ),
        ("service_notice", Node::Text(r.service_notice.clone())),
        (
            "requested_datetime",
            Node::text(datetime::format(r.requested_datetime)),
        ),
        (
            "updated_datetime",
            Node::text(datetime::format(r.updated_datetime)),
        ),
        (
            "expected_datetime",
            Node::Text(r.expected_datetime.map(datetime::format)),
        ),
        ("address", Node::Text(r.address.clone())),
        ("address_id", Node::Text(r.address_id.clone())),
        ("zipcode", Node::Text(r.zipcode.clone())),
        ("lat", Node::Float(r.lat)),
        ("long", Node::Float(r.long)),
        ("media_url", Node::Text(r.media_url.clone())),
    ];
    if extensions {
        let (attrs, notes) = match &r.extended {
            Some(x) => (
                Node::Record(vec![
                    ("state", Node::text(&x.state)),
                    ("state_zh", Node::text(&x.state_zh)),
                    ("level", Node::text(&x.level)),
                    ("ticket", Node::text(&x.ticket)),
                ]),
                x.notes
                    .iter()
                    .map(|n| {
                        Node::Record(vec![
                            ("datetime", Node::text(datetime::format(n.datetime))),
                            ("type", Node::text(&n.kind)),
                            ("description", Node::text(&n.summary)),
                        ])
                    })
                    .collect(),
            ),
            None => (Node::Text(None), Vec::new()),
        };
        fields.push(("extended_attributes", attrs));
        fields.push(("notes", Node::List("note", notes)));
    }
    Node::Record(fields)
}
