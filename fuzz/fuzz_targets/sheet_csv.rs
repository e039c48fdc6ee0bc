//! CSV import: `read_table` (any table, format sniffed from the content) and `parse_kind` for
//! each population kind, as the upload and CLI paths call them. Properties: a file `parse_kind`
//! accepts is one `read_table` accepts, with no more records than data rows; a refusal always
//! lists at least one error; accepted records exported as CSV (unmasked) import again to the
//! same records.
#![no_main]

use std::io::Cursor;

use gongzhi_sheets::{Format, Kind, export, parse_kind, read_table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if Format::sniff(data) != Format::Csv {
        return; // the sheet_xlsx target covers workbooks
    }
    let table = read_table(data);
    if let Ok(t) = &table {
        for row in &t.rows {
            assert!(
                row.row >= 2,
                "a data row numbered {} (header is row 1)",
                row.row
            );
            for i in 0..row.cells.len() + 1 {
                let _ = row.get(i);
            }
        }
    }
    for kind in Kind::ALL {
        match parse_kind(kind, Format::Csv, Cursor::new(data), &mut |_, _| {}) {
            Ok(records) => {
                assert_eq!(records.kind(), kind);
                let t = table
                    .as_ref()
                    .expect("read_table refused a file parse_kind accepted");
                assert!(records.len() <= t.rows.len());
                let csv = export(&records, Format::Csv, true).expect("export");
                let again = parse_kind(kind, Format::Csv, Cursor::new(&csv), &mut |_, _| {})
                    .unwrap_or_else(|r| {
                        panic!(
                            "exported CSV refused: {}\n{}",
                            r.to_text(),
                            String::from_utf8_lossy(&csv)
                        )
                    });
                assert_eq!(again, records, "CSV round trip changed the records");
            }
            Err(report) => {
                assert!(report.has_errors(), "a refusal without errors");
                assert!(!report.to_text().is_empty());
            }
        }
    }
});
