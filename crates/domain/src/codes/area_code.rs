//! Administrative division codes (行政区划代码).
//!
//! GB/T 2260 gives 6 digits: province(2) + city(2) + county(2). The statistical division codes
//! (统计用区划代码) extend them to 12: county(6) + township(3) + village/community(3). We always
//! hold the 12-digit form so that a 6-digit county code and its 12-digit padding compare equal.
//!
//! The township and community parts follow the rules of the statistical division codes
//! (统计用区划代码编制规则, after GB/T 10114 县以下行政区划代码编制规则): the first digit of each
//! three is its kind — 街道 001–099, 镇 100–199, 乡 200–399, 政企合一单位 400–599; 居委会
//! 001–199, 村委会 200–399, 类似居委会 400–499, 类似村委会 500–599 (virtual communities,
//! 生活区, units of development zones, farms and the 兵团's companies). 600–999 is unassigned.
//!
//! A county part of 00 under a real city is accepted below the county level, because cities
//! without districts (不设区的地级市: 东莞 441900, 中山 442000, 儋州 460400, 嘉峪关 620200)
//! number their townships directly, e.g. 441900003000. Such a township's parent is the city.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::digits::{scan, value};
use super::{CodeError, CodeKind, is_province_code};

/// Level of an area in the division tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaLevel {
    Province,
    City,
    District,
    Street,
    Community,
}

impl AreaLevel {
    pub const ALL: [AreaLevel; 5] = [
        AreaLevel::Province,
        AreaLevel::City,
        AreaLevel::District,
        AreaLevel::Street,
        AreaLevel::Community,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AreaLevel::Province => "province",
            AreaLevel::City => "city",
            AreaLevel::District => "district",
            AreaLevel::Street => "street",
            AreaLevel::Community => "community",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            AreaLevel::Province => "省",
            AreaLevel::City => "市",
            AreaLevel::District => "区县",
            AreaLevel::Street => "街道/乡镇",
            AreaLevel::Community => "社区/村",
        }
    }

    /// How many leading digits of the 12-digit code identify an area of this level; the rest
    /// are zero. Equal prefixes of this length mean "inside".
    pub(crate) fn significant_digits(self) -> usize {
        match self {
            AreaLevel::Province => 2,
            AreaLevel::City => 4,
            AreaLevel::District => 6,
            AreaLevel::Street => 9,
            AreaLevel::Community => 12,
        }
    }
}

impl fmt::Display for AreaLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of township-level unit a street-level code names (digits 7–9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StreetKind {
    /// 001–099 街道
    Subdistrict,
    /// 100–199 镇
    Town,
    /// 200–399 乡
    Township,
    /// 400–599 政企合一单位 (farms, forestry bureaus, development zones … run as a township)
    Combined,
}

impl StreetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StreetKind::Subdistrict => "subdistrict",
            StreetKind::Town => "town",
            StreetKind::Township => "township",
            StreetKind::Combined => "combined",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            StreetKind::Subdistrict => "街道",
            StreetKind::Town => "镇",
            StreetKind::Township => "乡",
            StreetKind::Combined => "政企合一单位",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            StreetKind::Subdistrict => "subdistrict",
            StreetKind::Town => "town",
            StreetKind::Township => "township",
            StreetKind::Combined => "combined government-enterprise unit",
        }
    }
}

/// What kind of community-level unit a community code names (digits 10–12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommunityKind {
    /// 001–199 居委会 (urban community)
    ResidentsCommittee,
    /// 200–399 村委会 (village)
    VillageCommittee,
    /// 400–499 类似居委会 (a unit run like a residents' committee: a virtual community, a
    /// 生活区 …)
    LikeResidentsCommittee,
    /// 500–599 类似村委会 (a unit run like a village: a farm's or a 兵团 company's 生活区 …)
    LikeVillageCommittee,
}

impl CommunityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CommunityKind::ResidentsCommittee => "residents_committee",
            CommunityKind::VillageCommittee => "village_committee",
            CommunityKind::LikeResidentsCommittee => "like_residents_committee",
            CommunityKind::LikeVillageCommittee => "like_village_committee",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            CommunityKind::ResidentsCommittee => "居委会",
            CommunityKind::VillageCommittee => "村委会",
            CommunityKind::LikeResidentsCommittee => "类似居委会",
            CommunityKind::LikeVillageCommittee => "类似村委会",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            CommunityKind::ResidentsCommittee => "residents' committee",
            CommunityKind::VillageCommittee => "village committee",
            CommunityKind::LikeResidentsCommittee => "like a residents' committee",
            CommunityKind::LikeVillageCommittee => "like a village committee",
        }
    }
}

/// A structurally valid area code, held as its 12 ASCII digits.
///
/// Bytes rather than a `u64` because [`AreaCode::as_str`] must lend out a `&str`; 12 bytes is
/// as compact, stays `Copy`, and byte order equals numeric order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AreaCode([u8; 12]);

impl AreaCode {
    /// Accepts a 6-digit GB/T 2260 code or a 12-digit statistical code; surrounding whitespace
    /// is ignored.
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let s = scan(input, CodeKind::Area, &[6, 12])?;
        let mut digits = [b'0'; 12];
        digits[..s.len()].copy_from_slice(s.as_bytes());
        Self::from_digits(digits, CodeKind::Area)
    }

    /// Validates the structure of 12 ASCII digits. `kind` lets a grid code report problems in
    /// its area part as grid-code errors.
    pub(crate) fn from_digits(d: [u8; 12], kind: CodeKind) -> Result<Self, CodeError> {
        let province = value(&d[0..2]);
        let city = value(&d[2..4]);
        let county = value(&d[4..6]);
        let township = value(&d[6..9]);
        let community = value(&d[9..12]);
        // Two digits always fit in a u8.
        let province = province as u8;
        if !is_province_code(province) {
            return Err(CodeError::UnknownProvince { kind, province });
        }
        if city == 0 && (county != 0 || township != 0 || community != 0) {
            return Err(CodeError::CityMissing { kind });
        }
        if township == 0 && community != 0 {
            return Err(CodeError::TownshipMissing { kind });
        }
        if township >= 600 {
            return Err(CodeError::TownshipOutOfRange { kind, township });
        }
        if community >= 600 {
            return Err(CodeError::CommunityOutOfRange { kind, community });
        }
        Ok(AreaCode(d))
    }

    /// The canonical 12-digit form.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("AreaCode holds ASCII digits only")
    }

    pub fn level(&self) -> AreaLevel {
        let d = &self.0;
        if value(&d[9..12]) != 0 {
            AreaLevel::Community
        } else if value(&d[6..9]) != 0 {
            AreaLevel::Street
        } else if value(&d[4..6]) != 0 {
            AreaLevel::District
        } else if value(&d[2..4]) != 0 {
            AreaLevel::City
        } else {
            AreaLevel::Province
        }
    }

    /// The nearest enclosing area, `None` for a province. A township of a city without
    /// districts (county part 00) has the city as parent.
    pub fn parent(&self) -> Option<AreaCode> {
        let keep = match self.level() {
            AreaLevel::Province => return None,
            AreaLevel::City => 2,
            AreaLevel::District => 4,
            AreaLevel::Street => 6,
            AreaLevel::Community => 9,
        };
        let mut d = self.0;
        d[keep..].fill(b'0');
        // A county part of 00 is trailing zeros, so zeroing from 6 already yields the city.
        Some(AreaCode(d))
    }

    /// Ancestor-or-self: true when `other` is this area or lies anywhere below it.
    pub fn contains(&self, other: &AreaCode) -> bool {
        let n = self.level().significant_digits();
        self.0[..n] == other.0[..n]
    }

    /// Kind of the township-level unit, for street and community codes.
    pub fn street_kind(&self) -> Option<StreetKind> {
        match self.level() {
            AreaLevel::Street | AreaLevel::Community => Some(match value(&self.0[6..9]) {
                1..=99 => StreetKind::Subdistrict,
                100..=199 => StreetKind::Town,
                200..=399 => StreetKind::Township,
                _ => StreetKind::Combined,
            }),
            _ => None,
        }
    }

    /// Kind of the community-level unit, for community codes.
    pub fn community_kind(&self) -> Option<CommunityKind> {
        match self.level() {
            AreaLevel::Community => Some(match value(&self.0[9..12]) {
                0..=199 => CommunityKind::ResidentsCommittee,
                200..=399 => CommunityKind::VillageCommittee,
                400..=499 => CommunityKind::LikeResidentsCommittee,
                _ => CommunityKind::LikeVillageCommittee,
            }),
            _ => None,
        }
    }

    /// What kind of unit this code names, as (Chinese, English): the community's kind, else
    /// the township's, else its level — 类似居委会, 政企合一单位, 区县 …
    pub fn kind_names(&self) -> (&'static str, &'static str) {
        match (self.community_kind(), self.street_kind()) {
            (Some(c), _) => (c.zh(), c.en()),
            (None, Some(s)) => (s.zh(), s.en()),
            (None, None) => (self.level().zh(), self.level().as_str()),
        }
    }

    pub(crate) fn digits(&self) -> &[u8; 12] {
        &self.0
    }
}

impl fmt::Display for AreaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for AreaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AreaCode({})", self.as_str())
    }
}

impl FromStr for AreaCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for AreaCode {
    type Error = CodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<AreaCode> for String {
    fn from(code: AreaCode) -> String {
        code.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Bilingual;

    fn code(s: &str) -> AreaCode {
        AreaCode::parse(s).unwrap()
    }

    fn err(s: &str) -> CodeError {
        AreaCode::parse(s).unwrap_err()
    }

    #[test]
    fn example_chain_levels_and_parents() {
        let chain = [
            ("320508019044", AreaLevel::Community),
            ("320508019000", AreaLevel::Street),
            ("320508000000", AreaLevel::District),
            ("320500000000", AreaLevel::City),
            ("320000000000", AreaLevel::Province),
        ];
        for (s, level) in chain {
            assert_eq!(code(s).level(), level, "{s}");
        }
        for pair in chain.windows(2) {
            assert_eq!(code(pair[0].0).parent(), Some(code(pair[1].0)));
        }
        assert_eq!(code("320000000000").parent(), None);
    }

    #[test]
    fn six_digits_are_padded_to_twelve() {
        assert_eq!(code("320508").as_str(), "320508000000");
        assert_eq!(code("320508"), code("320508000000"));
        assert_eq!(code("320000").level(), AreaLevel::Province);
        assert_eq!(code(" 320508019044\t").as_str(), "320508019044");
    }

    #[test]
    fn contains_is_ancestor_or_self() {
        let community = code("320508019044");
        for ancestor in [
            "320508019044",
            "320508019000",
            "320508000000",
            "320500000000",
            "320000000000",
        ] {
            assert!(code(ancestor).contains(&community), "{ancestor}");
        }
        for other in [
            "320508019045",
            "320508020000",
            "320506000000",
            "320600000000",
            "330000000000",
        ] {
            assert!(!code(other).contains(&community), "{other}");
        }
        assert!(!community.contains(&code("320508019000")));
        assert!(!code("320508019000").contains(&code("320508000000")));
    }

    #[test]
    fn city_without_districts_numbers_townships_directly() {
        let street = code("441900003000");
        assert_eq!(street.level(), AreaLevel::Street);
        assert_eq!(street.parent(), Some(code("441900000000")));
        assert_eq!(code("441900003001").parent(), Some(street));
        assert!(code("441900000000").contains(&street));
    }

    #[test]
    fn street_and_community_kinds_at_block_edges() {
        let streets = [
            ("001", StreetKind::Subdistrict),
            ("099", StreetKind::Subdistrict),
            ("100", StreetKind::Town),
            ("199", StreetKind::Town),
            ("200", StreetKind::Township),
            ("399", StreetKind::Township),
            ("400", StreetKind::Combined),
            ("599", StreetKind::Combined),
        ];
        for (block, kind) in streets {
            let c = code(&format!("320508{block}000"));
            assert_eq!(c.street_kind(), Some(kind), "{block}");
            assert_eq!(c.community_kind(), None);
        }
        let communities = [
            ("001", CommunityKind::ResidentsCommittee),
            ("199", CommunityKind::ResidentsCommittee),
            ("200", CommunityKind::VillageCommittee),
            ("399", CommunityKind::VillageCommittee),
            ("400", CommunityKind::LikeResidentsCommittee),
            ("499", CommunityKind::LikeResidentsCommittee),
            ("500", CommunityKind::LikeVillageCommittee),
            ("599", CommunityKind::LikeVillageCommittee),
        ];
        for (block, kind) in communities {
            let c = code(&format!("320508101{block}"));
            assert_eq!(c.community_kind(), Some(kind), "{block}");
            assert_eq!(c.street_kind(), Some(StreetKind::Town));
        }
        assert_eq!(code("654203500501").kind_names().0, "类似村委会");
        assert_eq!(code("654203500000").kind_names().0, "政企合一单位");
        assert_eq!(code("320508019000").kind_names(), ("街道", "subdistrict"));
        assert_eq!(code("320508").kind_names().0, "区县");
        assert_eq!(code("320508").street_kind(), None);
        assert_eq!(code("320508").community_kind(), None);
    }

    #[test]
    fn rejects_out_of_range_blocks() {
        for block in [600u16, 750, 999] {
            assert_eq!(
                err(&format!("320508{block:03}000")),
                CodeError::TownshipOutOfRange {
                    kind: CodeKind::Area,
                    township: block
                }
            );
        }
        for block in [600u16, 999] {
            assert_eq!(
                err(&format!("320508019{block:03}")),
                CodeError::CommunityOutOfRange {
                    kind: CodeKind::Area,
                    community: block
                }
            );
        }
    }

    #[test]
    fn rejects_structural_gaps() {
        let area = CodeKind::Area;
        assert_eq!(
            err("320508000044"),
            CodeError::TownshipMissing { kind: area }
        );
        assert_eq!(err("320008"), CodeError::CityMissing { kind: area });
        assert_eq!(err("320000019000"), CodeError::CityMissing { kind: area });
        assert_eq!(
            err("000000"),
            CodeError::UnknownProvince {
                kind: area,
                province: 0
            }
        );
        assert_eq!(
            err("990101"),
            CodeError::UnknownProvince {
                kind: area,
                province: 99
            }
        );
        assert_eq!(
            err("3205080190"),
            CodeError::Length {
                kind: area,
                expected: &[6, 12],
                got: 10
            }
        );
        assert_eq!(err(""), CodeError::Empty { kind: area });
        assert_eq!(
            err("32050801904x"),
            CodeError::NonDigit {
                kind: area,
                position: 12,
                found: 'x'
            }
        );
    }

    #[test]
    fn messages_say_what_is_wrong() {
        let e = err("320508000044");
        assert_eq!(e.code(), "invalid_area_code");
        assert_eq!(
            e.message_zh(),
            "行政区划代码有社区/村部分，却没有乡镇/街道部分（第 7–9 位为 000）"
        );
        assert_eq!(
            e.message_en(),
            "area code: has a community part but no township part (digits 7–9 are 000)"
        );
        assert!(err("990101").message_zh().contains("省级代码 99 不存在"));
        assert!(err("320508650000").message_en().contains("650 is invalid"));
    }

    #[test]
    fn every_province_prefix_parses_and_others_do_not() {
        for p in 0u8..=99 {
            let r = AreaCode::parse(&format!("{p:02}0000"));
            assert_eq!(r.is_ok(), is_province_code(p), "{p:02}");
        }
    }

    #[test]
    fn ordering_display_fromstr_and_string_round_trip() {
        assert!(code("320508") < code("320508019044"));
        assert!(code("320508019044") < code("320509"));
        let c: AreaCode = "320508019044".parse().unwrap();
        assert_eq!(c.to_string(), "320508019044");
        assert_eq!(format!("{c:?}"), "AreaCode(320508019044)");
        assert_eq!(String::from(c), "320508019044");
        assert_eq!(AreaCode::try_from("320508".to_owned()), Ok(code("320508")));
    }

    #[test]
    fn deserializes_from_a_string_and_rejects_bad_ones() {
        use serde::de::IntoDeserializer;
        use serde::de::value::Error;
        let ok = AreaCode::deserialize("320508".into_deserializer());
        let ok: Result<AreaCode, Error> = ok;
        assert_eq!(ok.unwrap().as_str(), "320508000000");
        let bad: Result<AreaCode, Error> =
            AreaCode::deserialize("320508000044".into_deserializer());
        assert!(bad.unwrap_err().to_string().contains("no township part"));
    }

    #[test]
    fn level_names() {
        let names: Vec<_> = AreaLevel::ALL
            .iter()
            .map(|l| (l.as_str(), l.zh()))
            .collect();
        assert_eq!(
            names,
            [
                ("province", "省"),
                ("city", "市"),
                ("district", "区县"),
                ("street", "街道/乡镇"),
                ("community", "社区/村")
            ]
        );
    }

    #[test]
    fn is_copy_and_small() {
        assert_eq!(std::mem::size_of::<AreaCode>(), 12);
        let a = code("320508");
        let b = a;
        assert_eq!(a, b);
    }
}
