//! Unit grid codes (单元网格编码, GB/T 30428.1 practice as in Beijing DB11): the 12-digit
//! community code followed by a 3-digit sequence numbered west→east, north→south inside the
//! community.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::digits::{scan, value};
use super::{AreaCode, AreaLevel, CodeError, CodeKind};

/// A valid 15-digit grid code, held as its ASCII digits (see [`AreaCode`] for why bytes).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GridCode([u8; 15]);

impl GridCode {
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let s = scan(input, CodeKind::Grid, &[15])?.as_bytes();
        let mut area = [0u8; 12];
        area.copy_from_slice(&s[..12]);
        let community = AreaCode::from_digits(area, CodeKind::Grid)?;
        Self::new(community, value(&s[12..]))
    }

    /// Builds the code of grid number `seq` (1–999) in `community`.
    pub fn new(community: AreaCode, seq: u16) -> Result<Self, CodeError> {
        if community.level() != AreaLevel::Community {
            return Err(CodeError::GridNotCommunity { area: community });
        }
        match seq {
            0 => return Err(CodeError::GridSeqZero),
            1..=999 => {}
            _ => return Err(CodeError::GridSeqTooLarge { seq }),
        }
        let mut d = [0u8; 15];
        d[..12].copy_from_slice(community.digits());
        d[12..].copy_from_slice(format!("{seq:03}").as_bytes());
        Ok(GridCode(d))
    }

    pub fn community(&self) -> AreaCode {
        let mut area = [0u8; 12];
        area.copy_from_slice(&self.0[..12]);
        // The prefix was validated when this grid code was built.
        AreaCode::from_digits(area, CodeKind::Grid).expect("GridCode holds a valid community")
    }

    pub fn seq(&self) -> u16 {
        value(&self.0[12..])
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("GridCode holds ASCII digits only")
    }
}

impl fmt::Display for GridCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for GridCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GridCode({})", self.as_str())
    }
}

impl FromStr for GridCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for GridCode {
    type Error = CodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<GridCode> for String {
    fn from(code: GridCode) -> String {
        code.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Bilingual;

    fn community() -> AreaCode {
        AreaCode::parse("320508019044").unwrap()
    }

    #[test]
    fn parse_splits_community_and_sequence() {
        let g = GridCode::parse("320508019044007").unwrap();
        assert_eq!(g.community(), community());
        assert_eq!(g.seq(), 7);
        assert_eq!(g.as_str(), "320508019044007");
        assert_eq!(g, GridCode::new(community(), 7).unwrap());
    }

    #[test]
    fn sequence_bounds() {
        assert_eq!(
            GridCode::new(community(), 1).unwrap().as_str(),
            "320508019044001"
        );
        assert_eq!(
            GridCode::new(community(), 999).unwrap().as_str(),
            "320508019044999"
        );
        assert_eq!(GridCode::new(community(), 0), Err(CodeError::GridSeqZero));
        assert_eq!(
            GridCode::parse("320508019044000"),
            Err(CodeError::GridSeqZero)
        );
        let past = GridCode::new(community(), 1000).unwrap_err();
        assert_eq!(past, CodeError::GridSeqTooLarge { seq: 1000 });
        assert!(past.message_en().contains("past 999"));
        assert!(past.message_zh().contains("超过 999"));
        assert_eq!(past.code(), "invalid_grid_code");
    }

    #[test]
    fn prefix_must_be_a_community() {
        let street = AreaCode::parse("320508019000").unwrap();
        let e = GridCode::new(street, 1).unwrap_err();
        assert_eq!(e, CodeError::GridNotCommunity { area: street });
        assert_eq!(
            e.message_zh(),
            "网格编码的前 12 位 320508019000 是街道/乡镇级代码，应为社区/村级代码"
        );
        assert!(GridCode::parse("320508019000001").is_err());
    }

    #[test]
    fn area_faults_are_reported_as_grid_faults() {
        assert_eq!(
            GridCode::parse("320508000044001"),
            Err(CodeError::TownshipMissing {
                kind: CodeKind::Grid
            })
        );
        assert_eq!(
            GridCode::parse("3205080190440011"),
            Err(CodeError::Length {
                kind: CodeKind::Grid,
                expected: &[15],
                got: 16
            })
        );
        assert_eq!(
            GridCode::parse("32050801904400a"),
            Err(CodeError::NonDigit {
                kind: CodeKind::Grid,
                position: 15,
                found: 'a'
            })
        );
    }

    #[test]
    fn orders_by_community_then_sequence_and_round_trips() {
        let a = GridCode::parse("320508019044002").unwrap();
        let b = GridCode::parse("320508019044010").unwrap();
        let c = GridCode::parse("320508019045001").unwrap();
        assert!(a < b && b < c);
        assert_eq!(b.to_string().parse::<GridCode>(), Ok(b));
        assert_eq!(format!("{b:?}"), "GridCode(320508019044010)");
        assert_eq!(GridCode::try_from(String::from(b)), Ok(b));
    }
}
