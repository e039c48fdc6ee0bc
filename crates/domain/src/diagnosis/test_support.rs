//! Case facts for the diagnosis tests.

use super::CaseFact;
use crate::codes::{AreaCode, GridCode};
use crate::metrics::CaseFacts;

/// 2026-12-01 00:00 Beijing time.
pub const NOW: i64 = 1_796_054_400_000;

pub fn community() -> AreaCode {
    AreaCode::parse("320508019044").unwrap()
}

pub fn grid(n: u16) -> GridCode {
    GridCode::new(community(), n).unwrap()
}

pub fn case_at(id: i64, category: &str, g: GridCode, at: i64) -> CaseFact {
    CaseFact {
        id,
        category: category.into(),
        community: Some(g.community()),
        grid: Some(g),
        department: Some("CG".into()),
        lon: Some(120.6),
        lat: Some(31.3),
        reported_at: at,
        facts: CaseFacts::default(),
        rating: None,
    }
}
