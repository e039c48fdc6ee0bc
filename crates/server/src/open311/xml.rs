//! Response documents as XML 1.0, written by quick-xml: UTF-8 text passes through unchanged
//! (Chinese included); quick-xml escapes markup characters and carriage returns, and the
//! characters XML 1.0 forbids are dropped before it sees them.

use super::doc::{Document, Node};
use quick_xml::Writer;
use quick_xml::escape::escape;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::io;

/// The document with its XML declaration.
pub fn render(doc: &Document) -> String {
    let mut w = Writer::new(Vec::new());
    let newline = || Event::Text(BytesText::from_escaped("\n"));
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .and_then(|()| w.write_event(newline()))
        .and_then(|()| element(&mut w, doc.root, &doc.body))
        .and_then(|()| w.write_event(newline()))
        .expect("writing to memory cannot fail");
    String::from_utf8(w.into_inner()).expect("quick-xml writes out the UTF-8 it is given")
}

fn element(w: &mut Writer<Vec<u8>>, name: &str, node: &Node) -> io::Result<()> {
    debug_assert!(is_name(name), "bad element name {name}");
    match node {
        Node::Text(Some(s)) if !s.is_empty() => leaf(w, name, s),
        Node::Text(_) | Node::Float(None) => w.write_event(Event::Empty(BytesStart::new(name))),
        Node::Float(Some(v)) if v.is_finite() => leaf(w, name, &v.to_string()),
        Node::Float(Some(_)) => w.write_event(Event::Empty(BytesStart::new(name))),
        Node::Int(v) => leaf(w, name, &v.to_string()),
        Node::Bool(v) => leaf(w, name, if *v { "true" } else { "false" }),
        Node::Record(fields) => {
            w.write_event(Event::Start(BytesStart::new(name)))?;
            for (field, value) in fields {
                element(w, field, value)?;
            }
            w.write_event(Event::End(BytesEnd::new(name)))
        }
        Node::List(item, items) => {
            w.write_event(Event::Start(BytesStart::new(name)))?;
            for value in items {
                element(w, item, value)?;
            }
            w.write_event(Event::End(BytesEnd::new(name)))
        }
    }
}

fn leaf(w: &mut Writer<Vec<u8>>, name: &str, text: &str) -> io::Result<()> {
    let mut escaped = String::new();
    escape_into(&mut escaped, text);
    w.write_event(Event::Start(BytesStart::new(name)))?;
    w.write_event(Event::Text(BytesText::from_escaped(escaped)))?;
    w.write_event(Event::End(BytesEnd::new(name)))
}

/// Drops what XML 1.0 does not allow (C0 controls other than tab, line feed and carriage
/// return; U+FFFE and U+FFFF), then lets quick-xml escape `& < > " '` and the carriage return
/// (as `&#13;`: a parser would fold a literal one into a line feed).
pub fn escape_into(out: &mut String, text: &str) {
    let legal: String = text.chars().filter(|&c| is_xml_char(c)).collect();
    out.push_str(&escape(legal));
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
            "占道经营 &lt;摊&gt; &amp; &quot;甲&quot; &apos;乙&apos;&#13;\n\tx"
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
