//! The two ways of cutting Chinese text into terms: jieba words and overlapping character
//! bigrams (n-gram indexing, the baseline the brief asks to measure against). ASCII words are
//! kept whole, lower-cased.
//!
//! With jieba a text is indexed under every dictionary word it contains (full mode) and every
//! Chinese character, and a query is cut into dictionary words and single characters (no HMM).
//! So every word of a query that a text contains is among the text's terms, however the text
//! itself would be cut: the HMM cuts 路灯不亮 as 路 + 灯不亮, and a search for 路灯 must still
//! find it (decision 040).

use std::sync::OnceLock;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Which segmentation an index uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segmenter {
    Jieba,
    Bigram,
}

impl Segmenter {
    pub fn name(self) -> &'static str {
        match self {
            Segmenter::Jieba => "jieba",
            Segmenter::Bigram => "bigram",
        }
    }

    /// The tokenizer's name in the schema: a new cut gets a new name, so that an index built
    /// with the old one no longer matches the schema and is built again (decision 040).
    pub fn tokenizer(self) -> &'static str {
        match self {
            Segmenter::Jieba => "jieba-full",
            Segmenter::Bigram => "bigram",
        }
    }
}

fn jieba() -> &'static jieba_rs::Jieba {
    // Loading the dictionary takes ~100 ms: once per process.
    static J: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    J.get_or_init(jieba_rs::Jieba::new)
}

fn is_word(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// The terms of `text` with their byte ranges; `for_query` cuts the query's words once (they
/// must all be found, not each of their parts).
pub fn tokens(seg: Segmenter, text: &str, for_query: bool) -> Vec<(String, usize, usize)> {
    match seg {
        Segmenter::Jieba => {
            let j = jieba();
            // A query without the HMM: its words are dictionary words or single characters,
            // which is what the text is indexed under.
            let cut = if for_query {
                j.cut(text, false)
            } else {
                j.cut_all(text)
            };
            let mut out: Vec<(String, usize, usize)> = cut
                .into_iter()
                .filter(|t| is_word(t.word))
                .map(|t| (t.word.to_lowercase(), t.byte_start, t.byte_end))
                .collect();
            if !for_query {
                // Every Chinese character as well: a query of one character, or a word the
                // dictionary lacks, which the query cuts into its characters.
                out.extend(
                    text.char_indices()
                        .filter(|(_, c)| is_cjk(*c))
                        .map(|(i, c)| (c.to_string(), i, i + c.len_utf8())),
                );
                // Snippets want the terms in text order, each once.
                out.sort_by(|a, b| (a.1, a.2, &a.0).cmp(&(b.1, b.2, &b.0)));
                out.dedup();
            }
            out
        }
        Segmenter::Bigram => bigrams(text),
    }
}

fn bigrams(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i + 1).map_or(text.len(), |c| c.0);
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if is_cjk(c) {
            let mut j = i;
            while j + 1 < chars.len() && is_cjk(chars[j + 1].1) {
                j += 1;
            }
            if i == j {
                out.push((c.to_string(), start, end_of(i)));
            }
            for k in i..j {
                out.push((
                    text[chars[k].0..end_of(k + 1)].to_string(),
                    chars[k].0,
                    end_of(k + 1),
                ));
            }
            i = j + 1;
        } else if c.is_alphanumeric() {
            let mut j = i;
            while j + 1 < chars.len() && chars[j + 1].1.is_alphanumeric() && !is_cjk(chars[j + 1].1)
            {
                j += 1;
            }
            out.push((text[start..end_of(j)].to_lowercase(), start, end_of(j)));
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// [`tokens`] as a tantivy tokenizer (indexing mode), registered under the segmenter's name.
#[derive(Clone)]
pub struct ChineseTokenizer {
    seg: Segmenter,
}

impl ChineseTokenizer {
    pub fn new(seg: Segmenter) -> Self {
        ChineseTokenizer { seg }
    }
}

pub struct VecStream {
    tokens: Vec<Token>,
    at: usize,
}

impl Tokenizer for ChineseTokenizer {
    type TokenStream<'a> = VecStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecStream {
        let tokens = tokens(self.seg, text, false)
            .into_iter()
            .enumerate()
            .map(|(position, (text, from, to))| Token {
                offset_from: from,
                offset_to: to,
                position,
                text,
                position_length: 1,
            })
            .collect();
        VecStream { tokens, at: 0 }
    }
}

impl TokenStream for VecStream {
    fn advance(&mut self) -> bool {
        self.at += 1;
        self.at <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.at - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.at - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jieba_finds_the_words_and_their_parts() {
        let t: Vec<String> = tokens(Segmenter::Jieba, "小区门口垃圾清运不及时", false)
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert!(t.contains(&"垃圾".to_string()), "{t:?}");
        assert!(t.contains(&"小区".to_string()), "{t:?}");
        assert!(!t.iter().any(|w| w.trim().is_empty()));
    }

    #[test]
    fn bigrams_overlap_and_keep_ascii_words() {
        let t: Vec<String> = tokens(Segmenter::Bigram, "路灯坏了 A12号", false)
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(t, ["路灯", "灯坏", "坏了", "a12", "号"]);
    }

    #[test]
    fn byte_ranges_point_at_the_word() {
        let s = "东城区占道经营";
        for (w, a, b) in tokens(Segmenter::Jieba, s, false) {
            assert_eq!(&s[a..b].to_lowercase(), &w);
        }
    }

    #[test]
    fn every_word_of_a_query_is_among_the_texts_terms() {
        // The query cuts 自行车棚 as 自行车 + 棚, the text as 自行车 + 棚顶: 棚 must be there.
        for (text, query) in [
            ("自行车棚顶漏雨，车子都淋湿了", "自行车棚"),
            ("小区门口垃圾清运不及时", "垃圾清运站"),
            ("井盖缺失，行人容易跌落", "井盖"),
            // The HMM cuts this text 路 + 灯不亮.
            ("路灯不亮：位置在小区门口东侧约二十米处。", "路灯"),
            ("道路灯光太暗，晚上看不清", "路灯 看不清"),
        ] {
            let indexed: Vec<String> = tokens(Segmenter::Jieba, text, false)
                .into_iter()
                .map(|t| t.0)
                .collect();
            for (w, ..) in tokens(Segmenter::Jieba, query, true) {
                if text.contains(&w) {
                    assert!(indexed.contains(&w), "{w} of {query} not among {indexed:?}");
                }
            }
        }
    }
}
