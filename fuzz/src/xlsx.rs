//! Packs fuzzed worksheet XML into an otherwise well-formed xlsx (stored, not deflated), so that
//! the fuzzer spends its time in the cell and shared-string parsing rather than failing the zip
//! checks: random bytes are almost never a zip archive.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="居民" sheetId="1" r:id="rId1"/></sheets></workbook>"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

/// A workbook whose first worksheet, shared strings and styles are the given XML parts (`None`:
/// the part is left out of the archive).
pub fn workbook(sheet: &[u8], shared_strings: Option<&[u8]>, styles: Option<&[u8]>) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut part = |name: &str, bytes: &[u8]| {
        zip.start_file(name, options).expect("zip entry");
        zip.write_all(bytes).expect("zip write");
    };
    part("[Content_Types].xml", CONTENT_TYPES.as_bytes());
    part("_rels/.rels", RELS.as_bytes());
    part("xl/workbook.xml", WORKBOOK.as_bytes());
    part("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes());
    part("xl/worksheets/sheet1.xml", sheet);
    if let Some(sst) = shared_strings {
        part("xl/sharedStrings.xml", sst);
    }
    if let Some(styles) = styles {
        part("xl/styles.xml", styles);
    }
    zip.finish().expect("zip finish").into_inner()
}
