//! The GeoReport v2 resources as plain data: what the port hands over and what the router renders.
//! Times are unix milliseconds; the router writes them as W3C datetimes in Beijing time (+08:00).

/// How a service answers a POST (`type` in the service list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceKind {
    /// The service request id comes back at once.
    Realtime,
    /// A token comes back; `tokens/{token}` later gives the id.
    Batch,
    /// Nothing comes back.
    Blackbox,
}

impl ServiceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceKind::Realtime => "realtime",
            ServiceKind::Batch => "batch",
            ServiceKind::Blackbox => "blackbox",
        }
    }
}

/// One entry of `services.{fmt}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    /// True when the service has a definition with attributes (`services/{code}`).
    pub metadata: bool,
    pub kind: ServiceKind,
    /// Written comma separated.
    pub keywords: Vec<String>,
    pub group: Option<String>,
}

/// The kind of input an attribute takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Datatype {
    /// One line of text.
    String,
    Number,
    /// A W3C datetime; stored normalised to `+08:00`.
    Datetime,
    /// Text that may contain line breaks.
    Text,
    /// Exactly one of `values`.
    SingleValueList,
    /// Any number of `values`.
    MultiValueList,
}

impl Datatype {
    pub fn as_str(self) -> &'static str {
        match self {
            Datatype::String => "string",
            Datatype::Number => "number",
            Datatype::Datetime => "datetime",
            Datatype::Text => "text",
            Datatype::SingleValueList => "singlevaluelist",
            Datatype::MultiValueList => "multivaluelist",
        }
    }
}

/// One attribute of a service definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// False: the attribute only informs the user (its `description`) and takes no input.
    pub variable: bool,
    pub code: String,
    pub datatype: Datatype,
    pub required: bool,
    pub datatype_description: Option<String>,
    /// 1 is shown first.
    pub order: u32,
    pub description: String,
    /// `(key, name)` options of a single/multi value list.
    pub values: Vec<(String, String)>,
}

/// `services/{code}.{fmt}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceDefinition {
    pub service_code: String,
    pub attributes: Vec<Attribute>,
}

/// A validated `POST requests.{fmt}`: the service exists, the location is given, required
/// attributes are present and every attribute value fits its datatype.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRequest {
    /// The key the client authenticated with (already accepted by `check_api_key`).
    pub api_key: String,
    pub service_code: String,
    /// Both or neither; WGS84, within range.
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub address_string: Option<String>,
    pub address_id: Option<String>,
    pub email: Option<String>,
    pub device_id: Option<String>,
    pub account_id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    /// At most 4,000 characters.
    pub description: Option<String>,
    /// An `http://` or `https://` URL.
    pub media_url: Option<String>,
    /// `(code, value)` in the order sent; a multivaluelist repeats its code once per value.
    pub attributes: Vec<(String, String)>,
}

/// What a POST created. Give `service_request_id` (realtime) or `token` (batch), or neither
/// (blackbox); when both are given only the id is sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Created {
    pub service_request_id: Option<String>,
    pub token: Option<String>,
    pub service_notice: Option<String>,
    pub account_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    Closed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "open" => Some(Status::Open),
            "closed" => Some(Status::Closed),
            _ => None,
        }
    }
}

/// `GET requests.{fmt}` after defaults are applied.
///
/// When `ids` is not empty it overrides the other filters (they are then empty / `None`):
/// return the requests with those ids. Otherwise return requests whose `requested_datetime`
/// lies in `start..=end` (both always set by the router), of any of `service_codes` (all when
/// empty), in any of `status` (all when empty). Order newest `requested_datetime` first, then
/// return page `page` (1-based) of `page_size` (1..=1000) items.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestQuery {
    pub ids: Vec<String>,
    pub service_codes: Vec<String>,
    pub start: Option<i64>,
    pub end: Option<i64>,
    pub status: Vec<Status>,
    pub page: u32,
    pub page_size: u32,
    /// Fill `ServiceRequest::extended`.
    pub extensions: bool,
}

/// One `<request>` of `requests.{fmt}` / `requests/{id}.{fmt}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRequest {
    pub service_request_id: String,
    pub status: Status,
    pub status_notes: Option<String>,
    pub service_name: String,
    pub service_code: String,
    pub description: Option<String>,
    /// The department handling it.
    pub agency_responsible: Option<String>,
    pub service_notice: Option<String>,
    pub requested_datetime: i64,
    pub updated_datetime: i64,
    /// The deadline.
    pub expected_datetime: Option<i64>,
    pub address: Option<String>,
    pub address_id: Option<String>,
    pub zipcode: Option<String>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub media_url: Option<String>,
    /// Only read when the query asked for `extensions=true`.
    pub extended: Option<Extended>,
}

/// The decimals a public location keeps: 0.001° is about 100 m, enough to see where on the
/// map a problem is without pointing at a door.
const PUBLIC_DECIMALS: i32 = 3;

impl ServiceRequest {
    /// What anyone may read without an api_key: the service, status, agency, dates and a
    /// coarse location. No free text (description, address, status notes, the timeline's
    /// notes), no media and no exact coordinates: those are the reporter's and the staff's words
    /// and place, for keyed clients only.
    pub fn public(self) -> ServiceRequest {
        let coarse = |v: Option<f64>| {
            let scale = 10f64.powi(PUBLIC_DECIMALS);
            v.map(|x| (x * scale).round() / scale)
        };
        ServiceRequest {
            status_notes: None,
            description: None,
            service_notice: None,
            address: None,
            address_id: None,
            zipcode: None,
            lat: coarse(self.lat),
            long: coarse(self.long),
            media_url: None,
            extended: self.extended.map(|e| Extended {
                notes: Vec::new(),
                ..e
            }),
            ..self
        }
    }
}

/// Our detail beyond the spec, sent with `extensions=true` as `extended_attributes` and `notes`
/// (the convention of the GeoReport v2 extensions page).
#[derive(Debug, Clone, PartialEq)]
pub struct Extended {
    /// Workflow state, e.g. `dispatched`.
    pub state: String,
    /// The same in Chinese, e.g. `已派遣`.
    pub state_zh: String,
    /// Handling / escalation level, e.g. `社区`.
    pub level: String,
    /// The ticket number people read over the phone.
    pub ticket: String,
    /// The timeline, oldest first.
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub datetime: i64,
    /// Event kind, e.g. `dispatched`; sent as `type`.
    pub kind: String,
    /// Sent as `description`.
    pub summary: String,
}
