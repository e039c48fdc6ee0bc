//! `application/x-www-form-urlencoded` parameters (query strings and POST bodies), decoded as
//! UTF-8. Per the spec an empty parameter counts as not given.

use super::error::Open311Error;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Decodes `a=1&b=%E4%B8%AD+x`; `+` is a space, a malformed `%` escape is kept literally.
    pub fn parse(raw: &str) -> Result<Params, Open311Error> {
        let mut pairs = Vec::new();
        for part in raw.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            pairs.push((decode(k)?, decode(v)?));
        }
        Ok(Params { pairs })
    }

    /// Adds `other`'s pairs after this one's.
    pub fn extend(&mut self, other: Params) {
        self.pairs.extend(other.pairs);
    }

    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The non-empty value of a single-valued parameter; sending it twice with different
    /// values is an error.
    pub fn one(&self, key: &str) -> Result<Option<&str>, Open311Error> {
        let mut found: Option<&str> = None;
        for (k, v) in self.pairs() {
            if k != key || v.is_empty() {
                continue;
            }
            match found {
                Some(prev) if prev != v => {
                    return Err(Open311Error::bad_request(
                        &format!("参数 {key} 给出了多个不同的值"),
                        &format!("{key} was given more than once with different values"),
                    ));
                }
                _ => found = Some(v),
            }
        }
        Ok(found)
    }

    /// A list parameter: every occurrence, each split on commas, trimmed, empties and repeats
    /// dropped, in order.
    pub fn list(&self, key: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (_, v) in self.pairs().filter(|(k, _)| *k == key) {
            for item in v.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                if !out.iter().any(|o| o == item) {
                    out.push(item.to_string());
                }
            }
        }
        out
    }

    /// `true` / `false` (absent or empty: false).
    pub fn flag(&self, key: &str) -> Result<bool, Open311Error> {
        match self.one(key)? {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(other) => Err(Open311Error::bad_request(
                &format!("{key} 只能是 true 或 false，收到「{other}」"),
                &format!("{key} must be true or false, got '{other}'"),
            )),
        }
    }
}

/// Percent-decodes one component (with `+` as space) and checks it is UTF-8.
pub fn decode(s: &str) -> Result<String, Open311Error> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => match (
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).and_then(|&c| hex(c)),
            ) {
                (Some(hi), Some(lo)) => {
                    out.push(hi * 16 + lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| {
        Open311Error::bad_request(
            "参数必须是 UTF-8 编码",
            "parameters must be encoded as UTF-8",
        )
    })
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open311_params_decode_utf8_plus_and_bad_escapes() {
        let p = Params::parse("a=%E5%8D%A0%E9%81%93+x&b=100%&c=%zz&d&=e&&f=%2B1").unwrap();
        assert_eq!(
            p.pairs().collect::<Vec<_>>(),
            vec![
                ("a", "占道 x"),
                ("b", "100%"),
                ("c", "%zz"),
                ("d", ""),
                ("", "e"),
                ("f", "+1")
            ]
        );
        assert!(Params::parse("a=%FF").is_err());
        assert_eq!(decode("%e4%b8%ad").unwrap(), "中");
        assert_eq!(decode("%4").unwrap(), "%4");
    }

    #[test]
    fn open311_params_one_list_flag() {
        let p = Params::parse("k=1&k=1&e=&s=open,closed&s=open&s=+,x&t=true&f=false&x=yes&d=1&d=2")
            .unwrap();
        assert_eq!(p.one("k").unwrap(), Some("1"));
        assert_eq!(p.one("e").unwrap(), None);
        assert_eq!(p.one("missing").unwrap(), None);
        assert!(p.one("d").is_err());
        assert_eq!(p.list("s"), vec!["open", "closed", "x"]);
        assert!(p.flag("t").unwrap());
        assert!(!p.flag("f").unwrap());
        assert!(!p.flag("missing").unwrap());
        assert!(p.flag("x").is_err());
    }
}
