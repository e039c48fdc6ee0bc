//! A small XML 1.0 writer for response documents: UTF-8 text passes through unchanged (Chinese
//! included); markup characters are escaped and characters XML 1.0 forbids are dropped.

use super::doc::{Document, Node};
use std::fmt::Write;

/// The document with its XML declaration.
pub fn render(doc: &Document) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    element(&mut out, doc.root, &doc.body);
    out.push('\n');
    out
}

fn element(out: &mut String, name: &str, node: &Node) {
    debug_assert!(is_name(name), "bad element name {name}");
    match node {
        Node::Text(Some(s)) if !s.is_empty() => leaf(out, name, s),
        Node::Text(_) | Node::Float(None) => empty(out, name),
        Node::Float(Some(v)) if v.is_finite() => leaf(out, name, &v.to_string()),
        Node::Float(Some(_)) => empty(out, name),
        Node::Int(v) => leaf(out, name, &v.to_string()),
        Node::Bool(v) => leaf(out, name, if *v { "true" } else { "false" }),
        Node::Record(fields) => {
            let _ = write!(out, "<{name}>");
            for (field, value) in fields {
                element(out, field, value);
            }
            let _ = write!(out, "</{name}>");
        }
        Node::List(item, items) => {
            let _ = write!(out, "<{name}>");
            for value in items {
                element(out, item, value);
            }
            let _ = write!(out, "</{name}>");
        }
    }
}

fn leaf(out: &mut String, name: &str, text: &str) {
    let _ = write!(out, "<{name}>");
    escape_into(out, text);
    let _ = write!(out, "</{name}>");
}

fn empty(out: &mut String, name: &str) {
    let _ = write!(out, "<{name}/>");
}

/// Escapes `& < > " '`, keeps a carriage return as `&#xD;` (a parser would fold a literal one
/// into a line feed) and drops what XML 1.0 does not allow (C0 controls other than tab, line
/// feed and carriage return; U+FFFE and U+FFFF).
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#xD;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// The XML 1.0 `Char` production (Rust `char` already excludes surrogates).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open311_xml_escapes_markup_and_keeps_chinese() {
        let mut s = String::new();
        escape_into(&mut s, "占道经营 <摊> & \"甲\" '乙'\r\n\tx");
        assert_eq!(
            s,
            "占道经营 &lt;摊&gt; &amp; &quot;甲&quot; &apos;乙&apos;&#xD;\n\tx"
        );
    }

    #[test]
    fn open311_xml_drops_illegal_characters() {
        let mut s = String::new();
        escape_into(
            &mut s,
            "a\u{0}b\u{1}c\u{8}d\u{B}e\u{C}f\u{1F}g\u{FFFE}h\u{FFFF}i\u{10000}",
        );
        assert_eq!(s, "abcdefghi\u{10000}");
    }

    #[test]
    fn open311_xml_renders_tree() {
        let doc = Document {
            root: "service_requests",
            body: Node::List(
                "request",
                vec![Node::Record(vec![
                    ("service_request_id", Node::text("1")),
                    ("account_id", Node::Text(None)),
                    ("lat", Node::Float(Some(30.25))),
                    ("long", Node::Float(Some(f64::NAN))),
                    ("order", Node::Int(2)),
                    ("metadata", Node::Bool(true)),
                ])],
            ),
        };
        assert_eq!(
            render(&doc),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<service_requests><request>\
             <service_request_id>1</service_request_id><account_id/><lat>30.25</lat><long/>\
             <order>2</order><metadata>true</metadata></request></service_requests>\n"
        );
    }
}
