//! xlsx import: `read_table` and `parse_kind` on workbooks. An input starting with `PK\x03\x04`
//! is taken as a whole workbook; any other input is split at NUL bytes into the first
//! worksheet's XML, the shared strings and the styles, and packed into an otherwise valid
//! workbook, so the fuzzer works on calamine's cell parsing and on our cell handling rather
//! than on zip headers. Properties as for CSV: `parse_kind` accepts only what `read_table`
//! accepts, with no more records than data rows, and a refusal lists an error.
#![no_main]

use std::io::Cursor;

use gongzhi_fuzz::xlsx::workbook;
use gongzhi_sheets::{Format, Kind, parse_kind, read_table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let packed;
    let bytes: &[u8] = if data.starts_with(b"PK\x03\x04") {
        data
    } else {
        let mut parts = data.splitn(3, |&b| b == 0);
        let sheet = parts.next().unwrap_or_default();
        packed = workbook(sheet, parts.next(), parts.next());
        &packed
    };
    let table = read_table(bytes);
    // Parse as each kind that the header row names a column of (every file is tried as
    // residents, so the header refusals are exercised too).
    let kinds: Vec<Kind> = match &table {
        Ok(t) => Kind::ALL
            .into_iter()
            .filter(|k| {
                *k == Kind::Residents
                    || k.columns()
                        .iter()
                        .any(|c| t.headers.iter().any(|h| c.matches(h)))
            })
            .collect(),
        Err(_) => vec![Kind::Residents],
    };
    for kind in kinds {
        match parse_kind(kind, Format::Xlsx, Cursor::new(bytes), &mut |_, _| {}) {
            Ok(records) => {
                assert_eq!(records.kind(), kind);
                let t = table
                    .as_ref()
                    .expect("read_table refused a workbook parse_kind accepted");
                assert!(records.len() <= t.rows.len());
            }
            Err(report) => {
                assert!(report.has_errors(), "a refusal without errors");
                assert!(!report.to_text().is_empty());
            }
        }
    }
});
