//! Identification codes used across the platform: administrative areas (GB/T 2260 and the
//! statistical division codes), unit grids, citizen ID numbers (GB 11643) and phone numbers.
//!
//! Every type here can only hold a valid value, so code that receives one never re-validates.

mod area_code;
mod digits;
mod error;
mod grid_code;
mod id_number;
mod phone;
mod urban_rural;

pub use area_code::{AreaCode, AreaLevel, CommunityKind, StreetKind};
pub use error::{CodeError, CodeKind};
pub use grid_code::GridCode;
pub use id_number::IdNumber;
pub use phone::Phone;
pub use urban_rural::{UrbanRural, UrbanRuralError};

/// Province-level prefixes in use: 11–15 north, 21–23 north-east, 31–37 east, 41–46 south
/// central, 50–54 south-west, 61–65 north-west, 71 Taiwan, 81 Hong Kong, 82 Macao.
pub fn is_province_code(two_digits: u8) -> bool {
    matches!(
        two_digits,
        11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn province_codes_written_out() {
        let valid: Vec<u8> = vec![
            11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50,
            51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
        ];
        let found: Vec<u8> = (0..=99).filter(|&p| is_province_code(p)).collect();
        assert_eq!(found, valid);
    }
}
