//! Why a code was rejected.
//!
//! Codes mostly arrive from spreadsheets typed by hand, so each variant names the exact fault
//! (which character, which block, which range) that the clerk has to fix. Messages about ID
//! numbers and phone numbers never repeat the input: errors end up in logs, and those numbers
//! are personal data.

use std::fmt;

use super::AreaCode;
use crate::Bilingual;

/// Which kind of code an error is about; decides the error's stable `code()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeKind {
    Area,
    Grid,
    IdNumber,
    Phone,
}

impl CodeKind {
    pub fn zh(self) -> &'static str {
        match self {
            CodeKind::Area => "行政区划代码",
            CodeKind::Grid => "网格编码",
            CodeKind::IdNumber => "身份证号",
            CodeKind::Phone => "电话号码",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            CodeKind::Area => "area code",
            CodeKind::Grid => "grid code",
            CodeKind::IdNumber => "ID number",
            CodeKind::Phone => "phone number",
        }
    }

    fn error_code(self) -> &'static str {
        match self {
            CodeKind::Area => "invalid_area_code",
            CodeKind::Grid => "invalid_grid_code",
            CodeKind::IdNumber => "invalid_id_number",
            CodeKind::Phone => "invalid_phone",
        }
    }

    /// ID numbers may end in X, so "digits" would be wrong for them.
    fn unit_en(self) -> &'static str {
        match self {
            CodeKind::IdNumber => "characters",
            _ => "digits",
        }
    }
}

/// A rejected area code, grid code, ID number or phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeError {
    /// Nothing but whitespace was given.
    Empty { kind: CodeKind },
    /// Wrong number of characters; `expected` lists the accepted lengths.
    Length {
        kind: CodeKind,
        expected: &'static [usize],
        got: usize,
    },
    /// `position` counts characters from 1, after trimming surrounding whitespace.
    NonDigit {
        kind: CodeKind,
        position: usize,
        found: char,
    },
    /// The first two digits are not a province, autonomous region, municipality or SAR.
    UnknownProvince { kind: CodeKind, province: u8 },
    /// City part 00 with something below it: nothing hangs directly under a province.
    CityMissing { kind: CodeKind },
    /// Community part set while the township part is 000.
    TownshipMissing { kind: CodeKind },
    /// Township block 600–999 is unassigned.
    TownshipOutOfRange { kind: CodeKind, township: u16 },
    /// Community block 400–999 is unassigned.
    CommunityOutOfRange { kind: CodeKind, community: u16 },
    /// A grid's first 12 digits must name a community or village.
    GridNotCommunity { area: AreaCode },
    /// Grid sequence 000 is reserved.
    GridSeqZero,
    /// A community holds at most 999 grids.
    GridSeqTooLarge { seq: u16 },
    /// The 18th ID character must be a digit or X.
    IdCheckChar { found: char },
    /// Digits 7–14 of an ID number are not a calendar date.
    IdBirthDate { year: u16, month: u8, day: u8 },
    /// Citizen IDs were never issued for births before 1900.
    IdBornBefore1900 { year: u16 },
    /// ISO 7064 MOD 11-2 check character mismatch.
    IdCheckDigit { expected: char, got: char },
    /// A phone number must start with 1 (mobile), 0 (landline) or a +86 prefix.
    PhoneStart { found: char },
    /// An international prefix other than +86.
    PhoneCountryCode,
    /// Mobile numbers have exactly 11 digits.
    MobileLength { got: usize },
    /// No mainland mobile number starts 10, 11 or 12.
    MobilePrefix { second: char },
    /// Local landline numbers have 7 or 8 digits after the area code.
    LandlineLength { area_code: String, got: usize },
}

impl CodeError {
    pub fn kind(&self) -> CodeKind {
        match self {
            CodeError::Empty { kind }
            | CodeError::Length { kind, .. }
            | CodeError::NonDigit { kind, .. }
            | CodeError::UnknownProvince { kind, .. }
            | CodeError::CityMissing { kind }
            | CodeError::TownshipMissing { kind }
            | CodeError::TownshipOutOfRange { kind, .. }
            | CodeError::CommunityOutOfRange { kind, .. } => *kind,
            CodeError::GridNotCommunity { .. }
            | CodeError::GridSeqZero
            | CodeError::GridSeqTooLarge { .. } => CodeKind::Grid,
            CodeError::IdCheckChar { .. }
            | CodeError::IdBirthDate { .. }
            | CodeError::IdBornBefore1900 { .. }
            | CodeError::IdCheckDigit { .. } => CodeKind::IdNumber,
            CodeError::PhoneStart { .. }
            | CodeError::PhoneCountryCode
            | CodeError::MobileLength { .. }
            | CodeError::MobilePrefix { .. }
            | CodeError::LandlineLength { .. } => CodeKind::Phone,
        }
    }
}

fn join(lengths: &[usize], sep: &str) -> String {
    lengths
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(sep)
}

impl Bilingual for CodeError {
    fn code(&self) -> &'static str {
        self.kind().error_code()
    }

    fn message_zh(&self) -> String {
        let k = self.kind().zh();
        match self {
            CodeError::Empty { .. } => format!("{k}为空"),
            CodeError::Length { expected, got, .. } => {
                format!("{k}应为 {} 位，实际为 {got} 位", join(expected, " 位或 "))
            }
            CodeError::NonDigit {
                position, found, ..
            } => format!("{k}第 {position} 位“{found}”不是数字"),
            CodeError::UnknownProvince { province, .. } => {
                format!("{k}的省级代码 {province:02} 不存在")
            }
            CodeError::CityMissing { .. } => {
                format!("{k}的地市部分（第 3–4 位）为 00，其下却有区县、乡镇或社区部分")
            }
            CodeError::TownshipMissing { .. } => {
                format!("{k}有社区/村部分，却没有乡镇/街道部分（第 7–9 位为 000）")
            }
            CodeError::TownshipOutOfRange { township, .. } => format!(
                "{k}的乡级部分 {township:03} 无效：001–099 为街道，100–199 为镇，200–399 为乡，400–599 为政企合一单位"
            ),
            CodeError::CommunityOutOfRange { community, .. } => {
                format!(
                    "{k}的村级部分 {community:03} 无效：001–199 为居委会，200–399 为村委会，400–499 为类似居委会，500–599 为类似村委会"
                )
            }
            CodeError::GridNotCommunity { area } => format!(
                "网格编码的前 12 位 {area} 是{}级代码，应为社区/村级代码",
                area.level().zh()
            ),
            CodeError::GridSeqZero => "网格编码的序号不能为 000，应为 001–999".into(),
            CodeError::GridSeqTooLarge { seq } => {
                format!("网格序号 {seq} 超过 999：一个社区最多编 999 个网格")
            }
            CodeError::IdCheckChar { found } => {
                format!("身份证号第 18 位“{found}”应为数字或 X")
            }
            CodeError::IdBirthDate { year, month, day } => {
                format!("身份证号中的出生日期 {year:04}-{month:02}-{day:02} 不是有效日期")
            }
            CodeError::IdBornBefore1900 { year } => {
                format!("身份证号中的出生年份 {year} 早于 1900 年")
            }
            CodeError::IdCheckDigit { expected, got } => {
                format!("身份证号校验码错误：应为 {expected}，实际为 {got}")
            }
            CodeError::PhoneStart { found } => {
                format!("电话号码应以 1（手机）或 0（固话区号）开头，不能以“{found}”开头")
            }
            CodeError::PhoneCountryCode => "只接受中国大陆号码（国家代码 +86）".into(),
            CodeError::MobileLength { got } => format!("手机号应为 11 位，实际为 {got} 位"),
            CodeError::MobilePrefix { second } => {
                format!("手机号第 2 位应为 3–9，实际为 {second}")
            }
            CodeError::LandlineLength { area_code, got } => {
                format!("固话区号 {area_code} 后应有 7–8 位号码，实际为 {got} 位")
            }
        }
    }

    fn message_en(&self) -> String {
        let kind = self.kind();
        let k = kind.en();
        match self {
            CodeError::Empty { .. } => format!("{k} is empty"),
            CodeError::Length { expected, got, .. } => format!(
                "{k} must have {} {}, got {got}",
                join(expected, " or "),
                kind.unit_en()
            ),
            CodeError::NonDigit {
                position, found, ..
            } => format!("{k}: character {position} ('{found}') is not a digit"),
            CodeError::UnknownProvince { province, .. } => {
                format!("{k}: province code {province:02} does not exist")
            }
            CodeError::CityMissing { .. } => format!(
                "{k}: the city part (digits 3–4) is 00 but a county, township or community part is set"
            ),
            CodeError::TownshipMissing { .. } => {
                format!("{k}: has a community part but no township part (digits 7–9 are 000)")
            }
            CodeError::TownshipOutOfRange { township, .. } => format!(
                "{k}: township part {township:03} is invalid: 001–099 subdistrict, 100–199 town, 200–399 township, 400–599 combined government-enterprise unit"
            ),
            CodeError::CommunityOutOfRange { community, .. } => format!(
                "{k}: community part {community:03} is invalid: 001–199 residents' committee, 200–399 village committee, 400–499 like a residents' committee, 500–599 like a village committee"
            ),
            CodeError::GridNotCommunity { area } => format!(
                "grid code: the first 12 digits {area} are a {}-level code, expected a community or village",
                area.level().as_str()
            ),
            CodeError::GridSeqZero => "grid sequence 000 is invalid; it must be 001–999".into(),
            CodeError::GridSeqTooLarge { seq } => {
                format!("grid sequence {seq} is past 999: a community holds at most 999 grids")
            }
            CodeError::IdCheckChar { found } => {
                format!("ID number: character 18 ('{found}') must be a digit or X")
            }
            CodeError::IdBirthDate { year, month, day } => {
                format!("ID number: birth date {year:04}-{month:02}-{day:02} is not a valid date")
            }
            CodeError::IdBornBefore1900 { year } => {
                format!("ID number: birth year {year} is before 1900")
            }
            CodeError::IdCheckDigit { expected, got } => {
                format!("ID number check digit is wrong: expected {expected}, got {got}")
            }
            CodeError::PhoneStart { found } => format!(
                "phone number must start with 1 (mobile) or 0 (landline area code), not '{found}'"
            ),
            CodeError::PhoneCountryCode => {
                "only mainland China numbers (country code +86) are accepted".into()
            }
            CodeError::MobileLength { got } => {
                format!("mobile number must have 11 digits, got {got}")
            }
            CodeError::MobilePrefix { second } => {
                format!("mobile number: second digit must be 3–9, got {second}")
            }
            CodeError::LandlineLength { area_code, got } => {
                format!("landline: area code {area_code} must be followed by 7–8 digits, got {got}")
            }
        }
    }
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for CodeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_follows_kind() {
        let cases = [
            (
                CodeError::Empty {
                    kind: CodeKind::Area,
                },
                "invalid_area_code",
            ),
            (
                CodeError::Empty {
                    kind: CodeKind::Grid,
                },
                "invalid_grid_code",
            ),
            (CodeError::GridSeqZero, "invalid_grid_code"),
            (CodeError::IdCheckChar { found: 'Y' }, "invalid_id_number"),
            (CodeError::PhoneCountryCode, "invalid_phone"),
        ];
        for (err, code) in cases {
            assert_eq!(err.code(), code, "{err:?}");
        }
    }

    #[test]
    fn length_lists_every_accepted_length() {
        let err = CodeError::Length {
            kind: CodeKind::Area,
            expected: &[6, 12],
            got: 7,
        };
        assert_eq!(
            err.message_zh(),
            "行政区划代码应为 6 位或 12 位，实际为 7 位"
        );
        assert_eq!(
            err.message_en(),
            "area code must have 6 or 12 digits, got 7"
        );
        let err = CodeError::Length {
            kind: CodeKind::IdNumber,
            expected: &[18],
            got: 15,
        };
        assert_eq!(
            err.message_en(),
            "ID number must have 18 characters, got 15"
        );
    }

    #[test]
    fn display_is_the_english_message() {
        let err = CodeError::IdCheckDigit {
            expected: 'X',
            got: '3',
        };
        assert_eq!(
            err.to_string(),
            "ID number check digit is wrong: expected X, got 3"
        );
        assert_eq!(err.message_zh(), "身份证号校验码错误：应为 X，实际为 3");
        let _: &dyn std::error::Error = &err;
    }

    #[test]
    fn zero_padded_numbers_in_messages() {
        let err = CodeError::UnknownProvince {
            kind: CodeKind::Area,
            province: 0,
        };
        assert!(err.message_en().contains("province code 00 "));
        let err = CodeError::TownshipOutOfRange {
            kind: CodeKind::Area,
            township: 60,
        };
        assert!(err.message_zh().contains("060"));
    }
}
