//! 查询 (Inquiry): one full-text index over cases, places, organisations, notices and power
//! items, with Chinese words segmented by jieba (or, for comparison, character bigrams).
//!
//! The crate knows documents, not the policy: each document carries the *grants* under which
//! it may be shown (`case/area:1101`, `public` …) and a search asks for the grants the caller
//! holds, which the server reads off `user.listing(..)`. No I/O besides the index folder.

mod facts;
mod filters;
mod index;
mod kept;
mod scan;
mod tokenize;

pub use index::{
    COUNT_UP_TO, Doc, Hit, Hits, Query, SearchError, SearchIndex, area_prefixes, escape,
};
pub use tokenize::{Segmenter, tokens};
