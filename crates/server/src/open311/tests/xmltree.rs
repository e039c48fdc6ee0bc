//! A strict reader for the XML we emit, on quick-xml's reader and independent of our writer: it
//! insists on the declaration, allows no attributes, comments or mixed content, checks every
//! character against XML 1.0 and resolves only the predefined and numeric entities.

use quick_xml::Reader;
use quick_xml::escape::unescape;
use quick_xml::events::Event;

#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub name: String,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    pub fn names(&self) -> Vec<&str> {
        self.children.iter().map(|c| c.name.as_str()).collect()
    }

    pub fn child(&self, name: &str) -> &Element {
        let found: Vec<&Element> = self.children.iter().filter(|c| c.name == name).collect();
        assert_eq!(
            found.len(),
            1,
            "<{}> has {} <{name}>",
            self.name,
            found.len()
        );
        found[0]
    }

    pub fn text_of(&self, name: &str) -> &str {
        let child = self.child(name);
        assert!(child.children.is_empty(), "<{name}> is not a leaf");
        &child.text
    }

    /// The children of a container, asserting they are all `<item>`.
    pub fn items(&self, item: &str) -> &[Element] {
        assert!(
            self.children.iter().all(|c| c.name == item),
            "<{}> holds {:?}, expected only <{item}>",
            self.name,
            self.names()
        );
        assert!(self.text.is_empty(), "<{}> has text", self.name);
        &self.children
    }
}

pub fn parse(doc: &str) -> Result<Element, String> {
    const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    let rest = doc
        .strip_prefix(DECL)
        .ok_or_else(|| "missing XML declaration".to_string())?;
    // A literal CR would be normalised away by a real parser; we never emit one.
    if rest.contains('\r') {
        return Err("literal carriage return".into());
    }
    rest.chars().try_for_each(check_char)?;
    let mut reader = Reader::from_str(rest);
    reader.config_mut().check_end_names = true;
    let mut open: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("at {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = e.name().as_ref().to_string();
                if root.is_some() {
                    return Err(format!("content after the root element: <{name}>"));
                }
                let plain = e.attributes().next().is_none();
                if name.is_empty()
                    || !plain
                    || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    return Err(format!("bad or attributed tag name {name:?}"));
                }
                let element = Element {
                    name,
                    children: Vec::new(),
                    text: String::new(),
                };
                if matches!(event, Event::Empty(_)) {
                    close(&mut open, &mut root, element)?;
                } else {
                    open.push(element);
                }
            }
            Event::End(e) => {
                let element = open.pop().ok_or("end tag without start")?;
                if e.name().as_ref() != element.name {
                    return Err(format!("</{}> expected", element.name));
                }
                close(&mut open, &mut root, element)?;
            }
            Event::Text(t) => {
                let text = t.xml10_content();
                match open.last_mut() {
                    Some(element) => element.text.push_str(&text),
                    None if text.trim().is_empty() => {}
                    None => return Err(format!("text {text:?} outside the root element")),
                }
            }
            Event::GeneralRef(r) => {
                let name = r.xml10_content();
                let reference = format!("&{name};");
                let decoded =
                    unescape(&reference).map_err(|e| format!("bad reference {reference}: {e}"))?;
                decoded.chars().try_for_each(check_char)?;
                open.last_mut()
                    .ok_or("reference outside the root element")?
                    .text
                    .push_str(&decoded);
            }
            Event::Eof => break,
            other => return Err(format!("unexpected {other:?}")),
        }
    }
    if let Some(element) = open.first() {
        return Err(format!("<{}> not closed", element.name));
    }
    root.ok_or_else(|| "no root element".into())
}

fn close(open: &mut [Element], root: &mut Option<Element>, element: Element) -> Result<(), String> {
    if !element.children.is_empty() && !element.text.is_empty() {
        return Err(format!(
            "mixed content in <{}>: {:?}",
            element.name, element.text
        ));
    }
    match open.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
    Ok(())
}

fn check_char(c: char) -> Result<(), String> {
    let ok = matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}';
    if ok {
        Ok(())
    } else {
        Err(format!(
            "character U+{:04X} is not allowed in XML 1.0",
            c as u32
        ))
    }
}

#[test]
fn open311_xmltree_reads_and_refuses() {
    let e = parse(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a><b>x &amp; &#x4E2D;&#25991;</b><c/></a>\n",
    )
    .unwrap();
    assert_eq!(e.names(), vec!["b", "c"]);
    assert_eq!(e.text_of("b"), "x & 中文");
    for bad in [
        "<a/>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a x=\"1\"/>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>t<b/></a>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>&nbsp;</a>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>\u{1}</a>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a></b>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a></a><a/>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a><!-- c --></a>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a><![CDATA[x]]></a>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>x\ry</a>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>&#1;</a>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
    ] {
        assert!(parse(bad).is_err(), "{bad}");
    }
}
