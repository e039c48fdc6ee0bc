//! CSV rows, streamed: the file is never held in memory whole.

use std::io::{Chain, Cursor, Read};

use csv::{ByteRecord, ReaderBuilder};

use super::encoding::{self, Sniffed, TextEncoding};
use super::{RawRow, RowSource, clean_header};
use crate::error::SheetError;
use crate::formula;

pub(crate) struct CsvSource<R: Read> {
    reader: csv::Reader<Chain<Cursor<Vec<u8>>, R>>,
    encoding: TextEncoding,
    headers: Vec<String>,
    record: ByteRecord,
    /// Records read so far, header included. A record is a spreadsheet row, whatever line
    /// breaks its quoted cells hold; empty lines are skipped by the CSV reader and not counted.
    records: usize,
}

fn csv_error(e: csv::Error) -> SheetError {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => SheetError::Io(e.to_string()),
        other => SheetError::Csv(format!("{other:?}")),
    }
}

impl<R: Read> CsvSource<R> {
    pub fn open(mut input: R) -> Result<Self, SheetError> {
        let (encoding, prefix) = match encoding::sniff(&mut input) {
            Ok(Sniffed::Text(e, p)) => (e, p),
            Ok(Sniffed::Utf16) => return Err(SheetError::Encoding),
            Err(e) => return Err(SheetError::Io(e.to_string())),
        };
        let reader = ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(256 * 1024)
            .from_reader(Cursor::new(prefix).chain(input));
        let mut source = CsvSource {
            reader,
            encoding,
            headers: Vec::new(),
            record: ByteRecord::new(),
            records: 0,
        };
        let mut header = RawRow::default();
        if !source.next_row(&mut header)? {
            return Err(SheetError::NoHeader);
        }
        source.headers = (0..header.len())
            .map(|i| clean_header(header.cell(i)))
            .collect();
        Ok(source)
    }
}

impl<R: Read> RowSource for CsvSource<R> {
    fn headers(&self) -> &[String] {
        &self.headers
    }

    fn total(&self) -> Option<usize> {
        None
    }

    fn next_row(&mut self, row: &mut RawRow) -> Result<bool, SheetError> {
        loop {
            if !self
                .reader
                .read_byte_record(&mut self.record)
                .map_err(csv_error)?
            {
                return Ok(false);
            }
            self.records += 1;
            row.clear();
            row.row = self.records;
            for (i, field) in self.record.iter().enumerate() {
                let mut ok = true;
                row.push_with(
                    |buf| {
                        let start = buf.len();
                        ok = encoding::decode_into(&mut self.encoding, field, buf);
                        // Our CSV export guards formula-like text with a `'`; take it off.
                        if formula::unguard(&buf[start..]).len() < buf.len() - start {
                            buf.remove(start);
                        }
                    },
                    false,
                );
                if !ok && row.bad_encoding.is_none() {
                    row.bad_encoding = Some(i);
                }
            }
            if !row.is_blank() {
                return Ok(true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(bytes: &[u8]) -> (Vec<String>, Vec<(usize, Vec<String>)>) {
        let mut src = CsvSource::open(bytes).unwrap();
        let mut out = Vec::new();
        let mut row = RawRow::default();
        while src.next_row(&mut row).unwrap() {
            out.push((
                row.row,
                (0..row.len()).map(|i| row.cell(i).to_string()).collect(),
            ));
        }
        (src.headers().to_vec(), out)
    }

    #[test]
    fn bom_header_and_row_numbers() {
        let text = "\u{feff}区划代码,名称\r\n320508019044,养育巷社区\r\n,\r\n320508019045,\"多行\n名称\"\r\n320508019046,末行\r\n";
        let (headers, rows) = rows(text.as_bytes());
        assert_eq!(headers, vec!["区划代码", "名称"]);
        assert_eq!(
            rows[0],
            (2, vec!["320508019044".into(), "养育巷社区".into()])
        );
        // A row of empty cells is a row; a line break inside quotes is not.
        assert_eq!(rows[1].0, 4);
        assert_eq!(rows[1].1[1], "多行\n名称");
        assert_eq!(rows[2].0, 5);
    }

    #[test]
    fn gbk_file() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("部门代码,部门名称\r\nCG,城市管理局\r\n");
        let (headers, rows) = rows(&bytes);
        assert_eq!(headers, vec!["部门代码", "部门名称"]);
        assert_eq!(rows, vec![(2, vec!["CG".into(), "城市管理局".into()])]);
    }

    #[test]
    fn empty_file_has_no_header() {
        assert!(matches!(
            CsvSource::open(&b""[..]),
            Err(SheetError::NoHeader)
        ));
        assert!(matches!(
            CsvSource::open(&b"\xEF\xBB\xBF\r\n"[..]),
            Err(SheetError::NoHeader)
        ));
    }

    #[test]
    fn invalid_utf8_cell_is_flagged() {
        let mut bytes = "姓名,户编号\n".as_bytes().to_vec();
        bytes.extend_from_slice(b"\xD5\xC5,H1\n");
        let mut src = CsvSource::open(&bytes[..]).unwrap();
        let mut row = RawRow::default();
        assert!(src.next_row(&mut row).unwrap());
        assert_eq!(row.bad_encoding, Some(0));
    }
}
