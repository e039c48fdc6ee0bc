//! 小区 (`Compound`): a residential compound in the population base, the unit of the five-step
//! method, with its buildings.

use serde::{Deserialize, Serialize};

use super::error::{PartyError, optional, required};
use crate::codes::{AreaCode, AreaLevel};

/// Longest name, address or company, in characters.
pub const MAX_NAME: usize = 60;
/// Longest compound code.
pub const MAX_CODE: usize = 32;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compound {
    /// The city's own code for the compound (letters, digits, `-`).
    pub code: String,
    pub name: String,
    pub community: AreaCode,
    pub address: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub property_company: Option<String>,
}

/// A code of ASCII letters, digits and `-`, 1–32 long.
pub fn checked_code(field: &'static str, code: &str) -> Result<String, PartyError> {
    let c = required(field, code, MAX_CODE)?;
    if c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        Ok(c)
    } else {
        Err(PartyError::BadCode(field, c))
    }
}

impl Compound {
    /// Checks and trims: a code, a name and an address, a community-level area, a position
    /// with both coordinates in range or none.
    pub fn checked(self) -> Result<Compound, PartyError> {
        if self.community.level() != AreaLevel::Community {
            return Err(PartyError::AreaLevel("community"));
        }
        if self
            .lon
            .is_some_and(|x| !(x.is_finite() && (-180.0..=180.0).contains(&x)))
        {
            return Err(PartyError::Coordinate("lon"));
        }
        if self
            .lat
            .is_some_and(|y| !(y.is_finite() && (-90.0..=90.0).contains(&y)))
        {
            return Err(PartyError::Coordinate("lat"));
        }
        let (lon, lat) = match (self.lon, self.lat) {
            (Some(x), Some(y)) => (Some(x), Some(y)),
            (None, None) => (None, None),
            (None, _) => return Err(PartyError::Blank("lon")),
            (_, None) => return Err(PartyError::Blank("lat")),
        };
        Ok(Compound {
            code: checked_code("code", &self.code)?,
            name: required("name", &self.name, MAX_NAME)?,
            address: required("address", &self.address, 200)?,
            property_company: optional("property_company", self.property_company, MAX_NAME)?,
            lon,
            lat,
            ..self
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compound() -> Compound {
        Compound {
            code: " 320508019044-X01 ".into(),
            name: "桃花坞小区".into(),
            community: AreaCode::parse("320508019044").unwrap(),
            address: "苏州市姑苏区桃花坞大街 12 号".into(),
            lon: Some(120.61),
            lat: Some(31.32),
            property_company: Some("  ".into()),
        }
    }

    #[test]
    fn compounds_are_checked() {
        let c = compound().checked().unwrap();
        assert_eq!(c.code, "320508019044-X01");
        assert_eq!(c.property_company, None);
        let street = Compound {
            community: AreaCode::parse("320508019000").unwrap(),
            ..compound()
        };
        assert_eq!(street.checked(), Err(PartyError::AreaLevel("community")));
        let bad = Compound {
            code: "A 1".into(),
            ..compound()
        };
        assert_eq!(
            bad.checked(),
            Err(PartyError::BadCode("code", "A 1".into()))
        );
        let half = Compound {
            lat: None,
            ..compound()
        };
        assert_eq!(half.checked(), Err(PartyError::Blank("lat")));
        let far = Compound {
            lat: Some(91.0),
            ..compound()
        };
        assert_eq!(far.checked(), Err(PartyError::Coordinate("lat")));
    }
}
