//! Which text encoding a CSV file uses: UTF-8 (with or without BOM) or GB18030, the superset
//! of GBK that Chinese Excel writes when told to save "CSV (逗号分隔)".
//!
//! CSV structure can be parsed on raw bytes in both encodings: in GBK/GB18030 every byte of a
//! multi-byte character is ≥ 0x30 and never `,` `"` `\r` or `\n`. So the file is split into
//! fields first and each field is decoded afterwards.

use std::io::{self, Read};

use encoding_rs::GB18030;

const SNIFF_LEN: usize = 64 * 1024;
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TextEncoding {
    /// Only ASCII seen so far: decoded as UTF-8, switching to GB18030 at the first byte
    /// sequence that is not UTF-8.
    Ascii,
    Utf8,
    Gb18030,
}

/// What the start of a file says about it.
pub(crate) enum Sniffed {
    /// The encoding and the bytes read so far, BOM removed.
    Text(TextEncoding, Vec<u8>),
    /// UTF-16 (Excel's "Unicode text"), which is not CSV.
    Utf16,
}

/// Reads up to 64 KiB from `input` and decides the encoding.
pub(crate) fn sniff(input: &mut impl Read) -> io::Result<Sniffed> {
    let mut prefix = Vec::with_capacity(SNIFF_LEN);
    input.take(SNIFF_LEN as u64).read_to_end(&mut prefix)?;
    let complete = prefix.len() < SNIFF_LEN;
    if prefix.starts_with(b"\xFF\xFE") || prefix.starts_with(b"\xFE\xFF") {
        return Ok(Sniffed::Utf16);
    }
    if prefix.starts_with(UTF8_BOM) {
        prefix.drain(..UTF8_BOM.len());
        return Ok(Sniffed::Text(TextEncoding::Utf8, prefix));
    }
    let encoding = match std::str::from_utf8(&prefix) {
        Ok(s) if s.is_ascii() => TextEncoding::Ascii,
        Ok(_) => TextEncoding::Utf8,
        // A multi-byte character cut off by the end of the sniffed prefix.
        Err(e) if e.error_len().is_none() && !complete => TextEncoding::Utf8,
        Err(e) => {
            // A few Chinese characters of valid UTF-8 before the first bad byte: a UTF-8 file
            // with a damaged cell (reported on its row), not GBK, whose characters almost
            // never form valid UTF-8 more than once or twice in a row.
            let valid = String::from_utf8_lossy(&prefix[..e.valid_up_to()]);
            if valid.chars().filter(|c| !c.is_ascii()).count() >= 4 {
                TextEncoding::Utf8
            } else {
                TextEncoding::Gb18030
            }
        }
    };
    Ok(Sniffed::Text(encoding, prefix))
}

/// Decodes one field into `out`. Returns `false` when a UTF-8 file holds bytes that are not
/// UTF-8 (the field is then decoded with replacement characters).
pub(crate) fn decode_into(encoding: &mut TextEncoding, bytes: &[u8], out: &mut String) -> bool {
    match *encoding {
        TextEncoding::Ascii | TextEncoding::Utf8 => match std::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                true
            }
            Err(_) if *encoding == TextEncoding::Ascii => {
                *encoding = TextEncoding::Gb18030;
                decode_into(encoding, bytes, out)
            }
            Err(_) => {
                out.push_str(&String::from_utf8_lossy(bytes));
                false
            }
        },
        TextEncoding::Gb18030 => {
            let (text, had_errors) = GB18030.decode_without_bom_handling(bytes);
            out.push_str(&text);
            !had_errors
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniffed(bytes: &[u8]) -> (TextEncoding, Vec<u8>) {
        match sniff(&mut &bytes[..]).unwrap() {
            Sniffed::Text(e, p) => (e, p),
            Sniffed::Utf16 => panic!("utf-16"),
        }
    }

    #[test]
    fn bom_is_stripped() {
        let (enc, rest) = sniffed("\u{feff}姓名".as_bytes());
        assert_eq!(enc, TextEncoding::Utf8);
        assert_eq!(rest, "姓名".as_bytes());
    }

    #[test]
    fn gbk_is_recognised_and_decoded() {
        let (bytes, _, _) = GB18030.encode("身份证号,姓名\r\n");
        let (mut enc, rest) = sniffed(&bytes);
        assert_eq!(enc, TextEncoding::Gb18030);
        let mut out = String::new();
        assert!(decode_into(&mut enc, &rest[..8], &mut out));
        assert_eq!(out, "身份证号");
    }

    #[test]
    fn ascii_prefix_switches_to_gbk_on_first_non_utf8_field() {
        let mut enc = sniffed(b"id_number,name\n").0;
        assert_eq!(enc, TextEncoding::Ascii);
        let (bytes, _, _) = GB18030.encode("张伟");
        let mut out = String::new();
        assert!(decode_into(&mut enc, &bytes, &mut out));
        assert_eq!(out, "张伟");
        assert_eq!(enc, TextEncoding::Gb18030);
    }

    #[test]
    fn bad_bytes_in_utf8_file_are_flagged() {
        let mut enc = TextEncoding::Utf8;
        let mut out = String::new();
        assert!(!decode_into(&mut enc, b"\xD5\xC5", &mut out));
        assert_eq!(enc, TextEncoding::Utf8);
    }

    #[test]
    fn utf8_file_with_one_damaged_cell_stays_utf8() {
        let mut bytes = "身份证号,姓名\n".as_bytes().to_vec();
        bytes.extend_from_slice(b"\xD5\xC5\n");
        assert_eq!(sniffed(&bytes).0, TextEncoding::Utf8);
    }

    #[test]
    fn utf16_is_refused() {
        assert!(matches!(
            sniff(&mut &b"\xFF\xFEa\0"[..]).unwrap(),
            Sniffed::Utf16
        ));
    }
}
