//! Place names and addresses (地名地址): the kinds of named places a city imports for its map
//! and its address search, and how a typed address is matched against them (geocoding at
//! intake).

use serde::{Deserialize, Serialize};

/// What a named place is. Roads are lines; everything else is a point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    Road,
    Community,
    Compound,
    StreetOffice,
    School,
    Hospital,
    Park,
    Metro,
    Market,
    /// A building from the population register; searched, never imported as a place.
    Building,
}

impl PlaceKind {
    pub const IMPORTABLE: [PlaceKind; 9] = [
        PlaceKind::Road,
        PlaceKind::Community,
        PlaceKind::Compound,
        PlaceKind::StreetOffice,
        PlaceKind::School,
        PlaceKind::Hospital,
        PlaceKind::Park,
        PlaceKind::Metro,
        PlaceKind::Market,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Road => "road",
            PlaceKind::Community => "community",
            PlaceKind::Compound => "compound",
            PlaceKind::StreetOffice => "street_office",
            PlaceKind::School => "school",
            PlaceKind::Hospital => "hospital",
            PlaceKind::Park => "park",
            PlaceKind::Metro => "metro",
            PlaceKind::Market => "market",
            PlaceKind::Building => "building",
        }
    }

    /// The code or the Chinese name.
    pub fn parse(s: &str) -> Option<PlaceKind> {
        let s = s.trim();
        PlaceKind::IMPORTABLE
            .into_iter()
            .chain([PlaceKind::Building])
            .find(|k| k.as_str().eq_ignore_ascii_case(s) || k.zh() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            PlaceKind::Road => "道路",
            PlaceKind::Community => "社区",
            PlaceKind::Compound => "小区",
            PlaceKind::StreetOffice => "街道办事处",
            PlaceKind::School => "学校",
            PlaceKind::Hospital => "医院",
            PlaceKind::Park => "公园",
            PlaceKind::Metro => "地铁站",
            PlaceKind::Market => "菜市场",
            PlaceKind::Building => "楼栋",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            PlaceKind::Road => "road",
            PlaceKind::Community => "community",
            PlaceKind::Compound => "residential compound",
            PlaceKind::StreetOffice => "street office",
            PlaceKind::School => "school",
            PlaceKind::Hospital => "hospital",
            PlaceKind::Park => "park",
            PlaceKind::Metro => "metro station",
            PlaceKind::Market => "market",
            PlaceKind::Building => "building",
        }
    }

    /// A landmark: drawn as a named marker.
    pub fn is_landmark(self) -> bool {
        !matches!(
            self,
            PlaceKind::Road | PlaceKind::Community | PlaceKind::Compound | PlaceKind::Building
        )
    }

    /// Roads are lines; the rest are points.
    pub fn is_line(self) -> bool {
        self == PlaceKind::Road
    }
}

/// How well a searched text matched a place; lower is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchRank {
    /// The name (or a building's address) is the text.
    Exact,
    /// The name or address begins with the text.
    Prefix,
    /// The name or address contains the text.
    Substring,
    /// The text contains the place's name (an address naming a road or a compound).
    Within,
}

/// The text a search looks for: trimmed, inner spaces dropped (an address is typed with and
/// without them), at most 40 characters; `None` when nothing is left.
pub fn search_text(q: &str) -> Option<String> {
    let t: String = q.chars().filter(|c| !c.is_whitespace()).take(40).collect();
    (!t.is_empty()).then_some(t)
}

/// Whether a typed address locates a report at a held place with this match: an exact,
/// prefix or substring match on a building's address or a place's name does; so does an
/// address naming a compound, a landmark or a building. An address only naming a road does
/// not — a road crosses several grids.
pub fn locates(kind: PlaceKind, rank: MatchRank) -> bool {
    match rank {
        MatchRank::Exact | MatchRank::Prefix | MatchRank::Substring => kind != PlaceKind::Road,
        MatchRank::Within => !matches!(kind, PlaceKind::Road | PlaceKind::Community),
    }
}

/// Which of a search's answers (best first) locates a report given only by an address: the
/// first that [`locates`] and that the address names in full (exact, or named within it) —
/// a few typed characters contained in several names place nothing, unless only one place
/// has them.
pub fn locating_hit(hits: &[(PlaceKind, MatchRank)]) -> Option<usize> {
    hits.iter().position(|&(kind, rank)| {
        locates(kind, rank)
            && (matches!(rank, MatchRank::Exact | MatchRank::Within) || hits.len() == 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_by_code_and_name() {
        for k in PlaceKind::IMPORTABLE {
            assert_eq!(PlaceKind::parse(k.as_str()), Some(k));
            assert_eq!(PlaceKind::parse(k.zh()), Some(k));
        }
        assert_eq!(PlaceKind::parse("castle"), None);
        assert!(PlaceKind::Metro.is_landmark());
        assert!(!PlaceKind::Compound.is_landmark());
    }

    #[test]
    fn search_text_drops_spaces_and_refuses_blank() {
        assert_eq!(search_text(" 干将 路 ").as_deref(), Some("干将路"));
        assert_eq!(search_text("   "), None);
        assert_eq!(search_text(&"路".repeat(100)).unwrap().chars().count(), 40);
    }

    #[test]
    fn a_road_alone_does_not_locate_a_report() {
        assert!(!locates(PlaceKind::Road, MatchRank::Exact));
        assert!(!locates(PlaceKind::Road, MatchRank::Within));
        assert!(locates(PlaceKind::Building, MatchRank::Substring));
        assert!(locates(PlaceKind::Compound, MatchRank::Within));
        assert!(!locates(PlaceKind::Community, MatchRank::Within));
        assert!(locates(PlaceKind::School, MatchRank::Prefix));
    }

    #[test]
    fn only_an_address_naming_a_place_in_full_locates_a_report() {
        use MatchRank::*;
        let road_then_compound = [(PlaceKind::Road, Within), (PlaceKind::Compound, Within)];
        assert_eq!(locating_hit(&road_then_compound), Some(1));
        let two_buildings = [
            (PlaceKind::Building, Substring),
            (PlaceKind::Building, Substring),
        ];
        assert_eq!(locating_hit(&two_buildings), None);
        assert_eq!(locating_hit(&two_buildings[..1]), Some(0));
        assert_eq!(locating_hit(&[(PlaceKind::Road, Exact)]), None);
        assert_eq!(locating_hit(&[]), None);
    }
}
