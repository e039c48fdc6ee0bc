//! Response documents as JSON (Spark convention, see `doc.rs`). The root element name is not
//! written: `services.json` is the array of services, `discovery.json` the discovery object.

use super::doc::{Document, Node};

pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    value(&mut out, &doc.body);
    out
}

fn value(out: &mut String, node: &Node) {
    match node {
        Node::Text(Some(s)) if !s.is_empty() => string(out, s),
        Node::Text(_) | Node::Float(None) => out.push_str("null"),
        Node::Float(Some(v)) if v.is_finite() => out.push_str(&v.to_string()),
        Node::Float(Some(_)) => out.push_str("null"),
        Node::Int(v) => out.push_str(&v.to_string()),
        Node::Bool(v) => out.push_str(if *v { "true" } else { "false" }),
        Node::Record(fields) => {
            out.push('{');
            for (i, (name, field)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(out, name);
                out.push(':');
                value(out, field);
            }
            out.push('}');
        }
        Node::List(_, items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                value(out, item);
            }
            out.push(']');
        }
    }
}

/// A JSON string literal; non-ASCII text is written as is (UTF-8), controls are escaped.
fn string(out: &mut String, s: &str) {
    out.push_str(&serde_json::Value::from(s).to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open311_json_renders_tree_in_order() {
        let doc = Document {
            root: "service_definition",
            body: Node::Record(vec![
                ("service_code", Node::text("2101")),
                ("z", Node::Text(Some(String::new()))),
                ("a", Node::Float(Some(-122.5))),
                (
                    "values",
                    Node::List("value", vec![Node::text("占道 \"经营\"\n\u{1}")]),
                ),
            ]),
        };
        assert_eq!(
            render(&doc),
            r#"{"service_code":"2101","z":null,"a":-122.5,"values":["占道 \"经营\"\n\u0001"]}"#
        );
    }
}
