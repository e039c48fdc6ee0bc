//! One neutral document tree per response, rendered as XML by `xml.rs` and as JSON by `json.rs`
//! following the spec's Spark convention: a container of repeated elements (`<services>` of
//! `<service>`) is a JSON array, a record is a JSON object, an empty element is `null`.

/// A value in a response document. Element names are fixed ASCII names from this module.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `None` or empty: `<name/>` / `null`.
    Text(Option<String>),
    Int(i64),
    /// Non-finite: `<name/>` / `null`.
    Float(Option<f64>),
    Bool(bool),
    /// Named fields in order: `<name><field>…</field>…</name>` / `{"field": …}`.
    Record(Vec<(&'static str, Node)>),
    /// Repeated items: `<name><item>…</item>…</name>` / `[…]`.
    List(&'static str, Vec<Node>),
}

impl Node {
    pub fn text(s: impl Into<String>) -> Node {
        Node::Text(Some(s.into()))
    }
}

/// A whole response: the root element name and its content.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub root: &'static str,
    pub body: Node,
}
