//! The canonical bytes of a ledger entry (schema `v: 1`, documented in `docs/ledger-entry.md`).
//!
//! An entry is UTF-8 JSON with sorted keys and no whitespace. Codes, states, levels, departments,
//! times and flags are in clear; every other value — free text, names, phone numbers, account
//! numbers, addresses, locations — appears only as `"sha256:<hex>"`, a salted hash whose salt is
//! kept in the database beside the entry, never on the log. The same function builds an entry
//! when an event is written and re-derives it when the database is verified, so a changed event
//! row gives different bytes.

use std::collections::BTreeMap;

use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Schema version written in every entry's `v`.
pub const ENTRY_VERSION: i64 = 1;
/// Largest entry accepted (the tlog-tiles entry bundle limit).
pub const MAX_ENTRY_BYTES: usize = 65_535;
/// Bytes of random salt kept per new entry. 128 secret bits put the field hashes beyond any
/// guessing table; entries written before keep the 32 bytes they were made with (any length
/// works as the HMAC key).
pub const SALT_BYTES: usize = 16;

/// Event fields that are published in clear. Every other field is hashed (default deny), so a
/// field added to an event later never leaks free text onto the log by accident.
pub const CLEAR_FIELDS: &[&str] = &[
    "at",
    "by",
    "category",
    "channel",
    "community",
    "contacted",
    "deadline",
    "deadline_class",
    "department",
    "distance_m",
    "emergency",
    "from",
    "grid",
    "into",
    "is_override",
    "level",
    "on_time",
    "remind_at",
    "resolved",
    "satisfaction",
    "score",
    "scores",
    "street",
    "ticket",
    "to",
    "to_name",
    "urgent",
    "whistle",
];

/// Fields also in clear on the entries of records outside cases (party organisations, members,
/// links, visits, assessments): ids, codes and counts, never a name or a note. A separate list,
/// so that no field of an already logged case event changes how it is written.
pub const RECORD_CLEAR_FIELDS: &[&str] = &[
    "compound",
    "household",
    "kind",
    "member",
    "org",
    "org_level",
    "parent",
    "points",
    "purpose",
    "role",
    "stars",
    "status",
    "step",
    "year",
];

/// A JSON value of the canonical subset: no floating-point numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Canon {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    Array(Vec<Canon>),
    Object(BTreeMap<String, Canon>),
}

/// A value that cannot be written canonically (a float, or an integer beyond `i64`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("value at {0} is not an integer, string, boolean, null, array or object")]
pub struct NotCanonical(pub String);

impl Canon {
    /// Converts a serde JSON value; `path` names it in errors.
    pub fn from_json(v: &Value, path: &str) -> Result<Canon, NotCanonical> {
        Ok(match v {
            Value::Null => Canon::Null,
            Value::Bool(b) => Canon::Bool(*b),
            Value::Number(n) => Canon::Int(n.as_i64().ok_or_else(|| NotCanonical(path.into()))?),
            Value::String(s) => Canon::Str(s.clone()),
            Value::Array(a) => Canon::Array(
                a.iter()
                    .enumerate()
                    .map(|(i, x)| Canon::from_json(x, &format!("{path}[{i}]")))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(o) => Canon::Object(
                o.iter()
                    .map(|(k, x)| Ok((k.clone(), Canon::from_json(x, &format!("{path}.{k}"))?)))
                    .collect::<Result<_, _>>()?,
            ),
        })
    }

    /// The canonical text: keys sorted bytewise, no whitespace, integers in decimal, strings
    /// escaped as RFC 8785 does (`"` `\` and control characters only; all else literal UTF-8).
    pub fn write(&self, out: &mut String) {
        match self {
            Canon::Null => out.push_str("null"),
            Canon::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Canon::Int(i) => out.push_str(&i.to_string()),
            Canon::Str(s) => write_string(s, out),
            Canon::Array(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    x.write(out);
                }
                out.push(']');
            }
            Canon::Object(o) => {
                out.push('{');
                for (i, (k, x)) in o.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(k, out);
                    out.push(':');
                    x.write(out);
                }
                out.push('}');
            }
        }
    }

    pub fn to_text(&self) -> String {
        let mut s = String::new();
        self.write(&mut s);
        s
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The per-field salt: `HMAC-SHA256(key = entry salt, message = label)`. Handing one field's
/// salt to a citizen lets them check that field without learning the others.
pub fn field_salt(entry_salt: &[u8], label: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(entry_salt).expect("any key length");
    mac.update(label.as_bytes());
    mac.finalize().into_bytes().into()
}

/// `"sha256:" + hex(SHA-256(field_salt ‖ UTF-8(value)))`.
pub fn salted_hash(entry_salt: &[u8], label: &str, value: &str) -> String {
    let mut h = Sha256::new();
    h.update(field_salt(entry_salt, label));
    h.update(value.as_bytes());
    format!("sha256:{}", hex(&h.finalize()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a hashed value is, as text: a string as is, anything else in canonical JSON.
fn hashed_text(v: &Canon) -> String {
    match v {
        Canon::Str(s) => s.clone(),
        other => other.to_text(),
    }
}

/// The report's own details, hashed into the `reported` entry (the resident can prove what
/// they reported, the public learns nothing).
#[derive(Clone, Debug, Default)]
pub struct ReportDetails {
    pub description: String,
    pub address: String,
    /// `(lon, lat)`.
    pub location: Option<(f64, f64)>,
    /// The reporter's phone number in its canonical form.
    pub reporter_phone: Option<String>,
}

/// The label of the reporter's phone number: personal data, opened only for those who may see it.
pub const REPORTER_PHONE_LABEL: &str = "data.reporter_phone";

/// Labels of the report details in a `reported` entry, the fields a reporter may open.
pub const REPORT_LABELS: [&str; 4] = [
    "data.description",
    "data.address",
    "data.location",
    REPORTER_PHONE_LABEL,
];

/// Everything an entry is built from: one stored event row (and, for `reported`, the case row).
#[derive(Clone, Debug)]
pub struct EntrySource<'a> {
    pub ticket: &'a str,
    pub seq: i64,
    pub kind: &'a str,
    /// The event payload exactly as stored (`{"type": "...", ...}`).
    pub payload: &'a str,
    pub actor_id: Option<i64>,
    pub actor_name: &'a str,
    pub at: i64,
    /// Present on the `reported` event.
    pub report: Option<&'a ReportDetails>,
    /// A record outside cases: `ticket` is its subject (`party_org/12`), `seq` its event id,
    /// and [`RECORD_CLEAR_FIELDS`] are in clear besides [`CLEAR_FIELDS`].
    pub record: bool,
}

/// An entry could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("event payload is not a JSON object: {0}")]
    Payload(String),
    #[error(transparent)]
    NotCanonical(#[from] NotCanonical),
    #[error("ledger entry of {0} bytes exceeds 65535 bytes")]
    TooLarge(usize),
}

/// The canonical entry bytes for `src` under `salt`.
pub fn build_entry(src: &EntrySource<'_>, salt: &[u8]) -> Result<Vec<u8>, EntryError> {
    let payload: Value =
        serde_json::from_str(src.payload).map_err(|e| EntryError::Payload(e.to_string()))?;
    let Value::Object(fields) = payload else {
        return Err(EntryError::Payload("not an object".into()));
    };
    let mut data = BTreeMap::new();
    for (key, value) in &fields {
        if key == "type" {
            continue;
        }
        let label = format!("data.{key}");
        let v = Canon::from_json(value, &label)?;
        let clear = CLEAR_FIELDS.contains(&key.as_str())
            || (src.record && RECORD_CLEAR_FIELDS.contains(&key.as_str()));
        let out = if clear || v == Canon::Null {
            v
        } else {
            Canon::Str(salted_hash(salt, &label, &hashed_text(&v)))
        };
        data.insert(key.clone(), out);
    }
    if let Some(r) = src.report {
        let mut put = |label: &str, value: Option<String>| {
            let key = label.trim_start_matches("data.").to_string();
            let v = match value {
                Some(text) => Canon::Str(salted_hash(salt, label, &text)),
                None => Canon::Null,
            };
            data.insert(key, v);
        };
        put(REPORT_LABELS[0], Some(r.description.clone()));
        put(REPORT_LABELS[1], Some(r.address.clone()));
        put(
            REPORT_LABELS[2],
            r.location.map(|(lon, lat)| format!("{lon},{lat}")),
        );
        put(REPORT_LABELS[3], r.reporter_phone.clone());
    }
    let actor = format!(
        "{}:{}",
        src.actor_id.map(|i| i.to_string()).unwrap_or_default(),
        src.actor_name
    );
    let mut top = BTreeMap::new();
    top.insert("v".to_string(), Canon::Int(ENTRY_VERSION));
    top.insert("case".to_string(), Canon::Str(src.ticket.to_string()));
    top.insert("seq".to_string(), Canon::Int(src.seq));
    top.insert("kind".to_string(), Canon::Str(src.kind.to_string()));
    top.insert("at".to_string(), Canon::Int(src.at));
    top.insert(
        "actor".to_string(),
        Canon::Str(salted_hash(salt, "actor", &actor)),
    );
    top.insert("data".to_string(), Canon::Object(data));
    let text = Canon::Object(top).to_text();
    if text.len() > MAX_ENTRY_BYTES {
        return Err(EntryError::TooLarge(text.len()));
    }
    Ok(text.into_bytes())
}

/// A fresh random entry salt.
pub fn new_salt() -> Vec<u8> {
    let mut salt = vec![0u8; SALT_BYTES];
    getrandom::fill(&mut salt).expect("operating system random source");
    salt
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src<'a>(payload: &'a str, report: Option<&'a ReportDetails>) -> EntrySource<'a> {
        EntrySource {
            ticket: "2026050100001",
            seq: 2,
            kind: "dispatched",
            payload,
            actor_id: Some(7),
            actor_name: "张三",
            at: 1_777_000_000_000,
            report,
            record: false,
        }
    }

    #[test]
    fn canonical_text_sorts_keys_and_escapes_like_jcs() {
        let v: Value = serde_json::from_str(
            r#"{"b":1,"a":[true,null,"x\"y\\z\n\u0001é"],"c":{"z":-5,"y":{"working_days":7}}}"#,
        )
        .unwrap();
        assert_eq!(
            Canon::from_json(&v, "$").unwrap().to_text(),
            r#"{"a":[true,null,"x\"y\\z\n\u0001é"],"b":1,"c":{"y":{"working_days":7},"z":-5}}"#
        );
        let float: Value = serde_json::from_str(r#"{"x":1.5}"#).unwrap();
        assert_eq!(
            Canon::from_json(&float, "$"),
            Err(NotCanonical("$.x".into()))
        );
    }

    #[test]
    fn clear_fields_stay_and_free_text_is_hashed() {
        let salt = [3u8; 32];
        let payload = r#"{"type":"dispatched","department":"CG","is_override":false,"at":5,"deadline":9,"note":"联系张三 13800138000"}"#;
        let e = String::from_utf8(build_entry(&src(payload, None), &salt).unwrap()).unwrap();
        assert!(e.starts_with(r#"{"actor":"sha256:"#), "{e}");
        assert!(e.contains(r#""data":{"at":5,"deadline":9,"department":"CG","is_override":false,"note":"sha256:"#), "{e}");
        assert!(e.ends_with(r#","kind":"dispatched","seq":2,"v":1}"#), "{e}");
        assert!(!e.contains("张三") && !e.contains("13800138000"), "{e}");
        let note_hash = salted_hash(&salt, "data.note", "联系张三 13800138000");
        assert!(e.contains(&note_hash));
        // The hash is SHA-256(field salt ‖ text), checkable by hand.
        let mut h = Sha256::new();
        h.update(field_salt(&salt, "data.note"));
        h.update("联系张三 13800138000".as_bytes());
        assert_eq!(note_hash, format!("sha256:{}", hex(&h.finalize())));
        // Another salt, other hashes; same input, same bytes.
        assert_ne!(
            build_entry(&src(payload, None), &[4u8; 32]).unwrap(),
            e.as_bytes()
        );
        assert_eq!(
            build_entry(&src(payload, None), &salt).unwrap(),
            e.as_bytes()
        );
    }

    #[test]
    fn report_details_are_hashed_and_absent_ones_null() {
        let salt = [1u8; 32];
        let r = ReportDetails {
            description: "李四家楼下漏水，电话13912345678".into(),
            address: "养育巷1号".into(),
            location: Some((120.6004, 31.3004)),
            reporter_phone: None,
        };
        let payload = r#"{"type":"reported","ticket":"2026050100001","channel":"resident_web","category":"E0102","deadline_class":"general","emergency":false,"level":1,"community":"320508019044","grid":null,"reporter":42}"#;
        let mut s = src(payload, Some(&r));
        s.kind = "reported";
        let e = String::from_utf8(build_entry(&s, &salt).unwrap()).unwrap();
        for secret in [
            "李四",
            "13912345678",
            "养育巷",
            "120.6004",
            r#""reporter":42"#,
        ] {
            assert!(!e.contains(secret), "{secret} in {e}");
        }
        assert!(e.contains(r#""reporter_phone":null"#), "{e}");
        assert!(e.contains(r#""grid":null"#), "{e}");
        assert!(e.contains(&salted_hash(&salt, "data.location", "120.6004,31.3004")));
        assert!(e.contains(&salted_hash(&salt, "data.reporter", "42")));
    }

    #[test]
    fn whistle_events_keep_ratings_in_clear_and_people_hashed() {
        let salt = [2u8; 32];
        let payload = r#"{"type":"check_in_acknowledged","whistle":1,"department":"CG","officer":"李警官","account":12,"at":5,"on_time":true}"#;
        let mut s = src(payload, None);
        s.kind = "check_in_acknowledged";
        let e = String::from_utf8(build_entry(&s, &salt).unwrap()).unwrap();
        assert!(
            !e.contains("李警官") && !e.contains(r#""account":12"#),
            "{e}"
        );
        assert!(
            e.contains(r#""department":"CG""#) && e.contains(r#""whistle":1"#),
            "{e}"
        );
        let payload = r#"{"type":"whistle_department_rated","whistle":1,"department":"CG","scores":{"response":5,"arrival":4,"cooperation":5,"result":3},"note":"王科长态度好"}"#;
        let e = String::from_utf8(build_entry(&src(payload, None), &salt).unwrap()).unwrap();
        assert!(
            e.contains(r#""scores":{"arrival":4,"cooperation":5,"response":5,"result":3}"#),
            "{e}"
        );
        assert!(!e.contains("王科长"), "{e}");
        let payload = r#"{"type":"whistle_blown","whistle":2,"reason":"占道","meeting_place":{"lon_e6":120600400,"lat_e6":31300400},"address":"养育巷1号","urgent":false,"street":"320508019000","blown_by":3,"at":9}"#;
        let e = String::from_utf8(build_entry(&src(payload, None), &salt).unwrap()).unwrap();
        for secret in ["120600400", "养育巷", r#""blown_by":3"#] {
            assert!(!e.contains(secret), "{secret} in {e}");
        }
        assert!(e.contains(r#""street":"320508019000""#), "{e}");
    }

    #[test]
    fn oversized_entries_are_refused() {
        let big = format!(r#"{{"type":"x","category":"{}"}}"#, "E".repeat(70_000));
        assert!(matches!(
            build_entry(&src(&big, None), &[0; 32]),
            Err(EntryError::TooLarge(_))
        ));
    }
}
