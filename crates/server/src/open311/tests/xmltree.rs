//! A strict reader for the XML we emit, written independently of the writer: it insists on the
//! declaration, allows no attributes, comments or mixed content, checks every character against
//! XML 1.0 and resolves only the predefined and numeric entities.

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
    let mut r = Reader {
        s: rest.trim_start(),
    };
    let root = r.element()?;
    if !r.s.trim().is_empty() {
        return Err(format!("content after the root element: {:?}", r.s));
    }
    Ok(root)
}

struct Reader<'a> {
    s: &'a str,
}

impl Reader<'_> {
    fn element(&mut self) -> Result<Element, String> {
        self.s = self.s.strip_prefix('<').ok_or("expected <")?;
        let end = self.s.find(['>', '/']).ok_or("unterminated tag")?;
        let name = self.s[..end].to_string();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("bad or attributed tag name {name:?}"));
        }
        self.s = &self.s[end..];
        if let Some(rest) = self.s.strip_prefix("/>") {
            self.s = rest;
            return Ok(Element {
                name,
                children: Vec::new(),
                text: String::new(),
            });
        }
        self.s = self.s.strip_prefix('>').ok_or("expected >")?;
        let mut children = Vec::new();
        let mut text = String::new();
        loop {
            if let Some(rest) = self.s.strip_prefix("</") {
                let close = format!("{name}>");
                self.s = rest
                    .strip_prefix(close.as_str())
                    .ok_or_else(|| format!("</{name}> expected"))?;
                break;
            }
            if self.s.starts_with('<') {
                children.push(self.element()?);
                continue;
            }
            let c = self
                .s
                .chars()
                .next()
                .ok_or_else(|| format!("<{name}> not closed"))?;
            if c == '&' {
                let semi = self.s.find(';').ok_or("unterminated entity")?;
                let entity = &self.s[1..semi];
                let decoded = match entity {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or_else(|| format!("bad reference &{e};"))?,
                    e if e.starts_with('#') => e[1..]
                        .parse::<u32>()
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or_else(|| format!("bad reference &{e};"))?,
                    e => return Err(format!("unknown entity &{e};")),
                };
                check_char(decoded)?;
                text.push(decoded);
                self.s = &self.s[semi + 1..];
                continue;
            }
            check_char(c)?;
            // A literal CR would be normalised away by a real parser; we never emit one.
            if c == '\r' {
                return Err("literal carriage return".into());
            }
            text.push(c);
            self.s = &self.s[c.len_utf8()..];
        }
        if !children.is_empty() && !text.is_empty() {
            return Err(format!("mixed content in <{name}>: {text:?}"));
        }
        Ok(Element {
            name,
            children,
            text,
        })
    }
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
    ] {
        assert!(parse(bad).is_err(), "{bad}");
    }
}
