//! Shared scanning for the all-digit codes.

use super::{CodeError, CodeKind};

/// Trims surrounding whitespace (spreadsheet cells often carry it) and checks that what is
/// left has one of the `expected` lengths and only ASCII digits. Length is checked first so a
/// legacy 15-digit ID is reported as "15, expected 18" rather than by a position.
pub(crate) fn scan<'a>(
    input: &'a str,
    kind: CodeKind,
    expected: &'static [usize],
) -> Result<&'a str, CodeError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(CodeError::Empty { kind });
    }
    let got = s.chars().count();
    if !expected.contains(&got) {
        return Err(CodeError::Length {
            kind,
            expected,
            got,
        });
    }
    first_non_digit(s, kind)?;
    Ok(s)
}

pub(crate) fn first_non_digit(s: &str, kind: CodeKind) -> Result<(), CodeError> {
    match s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, found)) => Err(CodeError::NonDigit {
            kind,
            position: i + 1,
            found,
        }),
        None => Ok(()),
    }
}

/// Value of a run of ASCII digits; callers guarantee the bytes are digits and short enough.
pub(crate) fn value(digits: &[u8]) -> u16 {
    digits
        .iter()
        .fold(0, |acc, d| acc * 10 + u16::from(d - b'0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_then_checks_length_then_digits() {
        assert_eq!(scan(" 320508 ", CodeKind::Area, &[6, 12]), Ok("320508"));
        assert_eq!(
            scan("  ", CodeKind::Area, &[6]),
            Err(CodeError::Empty {
                kind: CodeKind::Area
            })
        );
        assert_eq!(
            scan("3205a", CodeKind::Area, &[6, 12]),
            Err(CodeError::Length {
                kind: CodeKind::Area,
                expected: &[6, 12],
                got: 5
            })
        );
        // Full-width digits are the usual culprit from Chinese input methods.
        assert_eq!(
            scan("3205０8", CodeKind::Area, &[6]),
            Err(CodeError::NonDigit {
                kind: CodeKind::Area,
                position: 5,
                found: '０'
            })
        );
    }

    #[test]
    fn value_reads_decimal() {
        assert_eq!(value(b"019"), 19);
        assert_eq!(value(b"999"), 999);
        assert_eq!(value(b""), 0);
    }
}
