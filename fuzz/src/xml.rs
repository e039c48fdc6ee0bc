//! Reads back the XML the Open311 writer emits, with quick-xml (already in the dependency graph
//! through calamine), and insists on well-formed XML 1.0: the declaration, one root element,
//! balanced tags, legal characters only, known entities only, no attributes, comments, CDATA or
//! mixed content (the writer emits none of those).

use quick_xml::Reader;
use quick_xml::escape::unescape;
use quick_xml::events::Event;

/// The declaration every document starts with.
pub const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// One element: its name, child elements and (for a leaf) its text, entities resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub name: String,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    /// The leaves' texts in document order (an element without children is a leaf).
    pub fn leaves(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a str>) {
        if self.children.is_empty() {
            out.push(&self.text);
        } else {
            for c in &self.children {
                c.collect(out);
            }
        }
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
}

/// The XML 1.0 `Char` production.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// What a text must come back as: the characters XML 1.0 cannot carry are dropped.
pub fn xml_visible(s: &str) -> String {
    s.chars().filter(|&c| is_xml_char(c)).collect()
}

fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Parses `doc`, returning the root element, or a description of the first problem.
pub fn parse(doc: &str) -> Result<Element, String> {
    let body = doc.strip_prefix(DECLARATION).ok_or("no XML declaration")?;
    if let Some(bad) = doc.chars().find(|&c| !is_xml_char(c)) {
        return Err(format!(
            "character U+{:04X} is not allowed in XML 1.0",
            bad as u32
        ));
    }
    let mut reader = Reader::from_str(body);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("at {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Start(e) | Event::Empty(e) if root.is_some() => {
                return Err(format!("second root element <{}>", e.name().as_ref()));
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = e.name().as_ref().to_string();
                if !is_name(&name) {
                    return Err(format!("bad element name {name:?}"));
                }
                if e.attributes().next().is_some() {
                    return Err(format!("<{name}> has attributes"));
                }
                let el = Element {
                    name,
                    children: Vec::new(),
                    text: String::new(),
                };
                if matches!(event, Event::Empty(_)) {
                    close(&mut stack, &mut root, el)?;
                } else {
                    stack.push(el);
                }
            }
            Event::End(e) => {
                let el = stack.pop().ok_or("end tag without start")?;
                if e.name().as_ref() != el.name {
                    return Err(format!("</{}> closes <{}>", e.name().as_ref(), el.name));
                }
                if !el.children.is_empty() && !el.text.trim().is_empty() {
                    return Err(format!("<{}> has mixed content", el.name));
                }
                close(&mut stack, &mut root, el)?;
            }
            Event::Text(t) => {
                let text = t.xml10_content();
                match stack.last_mut() {
                    Some(el) => el.text.push_str(&text),
                    None if text == "\n" && root.is_some() => {}
                    None => return Err(format!("text {text:?} outside the root element")),
                }
            }
            Event::GeneralRef(r) => {
                let name = r.xml10_content();
                let resolved = unescape(&format!("&{name};"))
                    .map_err(|e| format!("entity &{name};: {e}"))?
                    .into_owned();
                if let Some(bad) = resolved.chars().find(|&c| !is_xml_char(c)) {
                    return Err(format!(
                        "&{name}; is U+{:04X}, not an XML 1.0 character",
                        bad as u32
                    ));
                }
                stack
                    .last_mut()
                    .ok_or("entity outside the root element")?
                    .text
                    .push_str(&resolved);
            }
            Event::Eof => break,
            other => return Err(format!("unexpected {other:?}")),
        }
    }
    if !stack.is_empty() {
        return Err(format!("<{}> is never closed", stack[0].name));
    }
    if !doc.ends_with("\n") {
        return Err("no final newline".into());
    }
    root.ok_or_else(|| "no root element".into())
}

fn close(stack: &mut [Element], root: &mut Option<Element>, el: Element) -> Result<(), String> {
    match stack.last_mut() {
        Some(parent) => {
            if !parent.text.trim().is_empty() {
                return Err(format!("<{}> has mixed content", parent.name));
            }
            parent.children.push(el);
        }
        None => *root = Some(el),
    }
    Ok(())
}

/// Checks that the XML element `x` and the JSON value `j` carry the same document (the Spark
/// convention: a container of repeated elements is an array, a record an object, an empty
/// element `null`); strings compare after dropping what XML cannot carry.
pub fn same_document(x: &Element, j: &serde_json::Value) -> Result<(), String> {
    use serde_json::Value;
    let empty = |x: &Element| x.children.is_empty() && x.text.is_empty();
    let ok = match j {
        Value::Null => empty(x),
        Value::Bool(b) => x.children.is_empty() && x.text == b.to_string(),
        Value::Number(n) => {
            x.children.is_empty()
                && match (n.as_i64(), n.as_f64()) {
                    (Some(i), _) => x.text.parse::<i64>() == Ok(i),
                    // Read the XML text with serde_json too: without its `float_roundtrip`
                    // feature it may read a long decimal (the writer's f64 Display never uses
                    // an exponent) a few ulps off, but it reads the same text the same way.
                    (None, Some(f)) => serde_json::from_str::<f64>(&x.text).is_ok_and(|y| y == f),
                    _ => false,
                }
        }
        Value::String(s) => x.children.is_empty() && x.text == xml_visible(s),
        Value::Array(items) if items.is_empty() => empty(x),
        Value::Object(fields) if fields.is_empty() => empty(x),
        Value::Array(items) => {
            if x.children.len() != items.len() {
                return Err(format!(
                    "<{}> has {} children, JSON {} items",
                    x.name,
                    x.children.len(),
                    items.len()
                ));
            }
            for (c, i) in x.children.iter().zip(items) {
                same_document(c, i)?;
            }
            true
        }
        Value::Object(fields) => {
            if x.children.len() != fields.len() {
                return Err(format!(
                    "<{}> has {} children, JSON {} fields",
                    x.name,
                    x.children.len(),
                    fields.len()
                ));
            }
            for c in &x.children {
                let f = fields
                    .get(&c.name)
                    .ok_or_else(|| format!("<{}> is not a JSON field", c.name))?;
                same_document(c, f)?;
            }
            true
        }
    };
    if ok {
        Ok(())
    } else {
        Err(format!("<{}> {:?} differs from JSON {j}", x.name, x.text))
    }
}
