//! Matching a file's header row to the columns of a kind.

use crate::columns::Column;
use crate::error::SheetError;
use crate::kind::Kind;

/// Where each column of the kind sits in the file.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct HeaderMap {
    /// For column `i` of the kind, the file column holding it (absent optional columns: `None`).
    pub source: Vec<Option<usize>>,
    /// File columns with an empty header cell; a value under one is a row error.
    pub unnamed: Vec<usize>,
    /// Number of header cells.
    pub width: usize,
}

/// Maps `headers` (already trimmed) onto `kind`'s columns. Every problem with the header row is
/// returned at once: unknown, duplicated and missing columns.
pub(crate) fn map_headers(kind: Kind, headers: &[String]) -> Result<HeaderMap, Vec<SheetError>> {
    let columns = kind.columns();
    let mut source: Vec<Option<usize>> = vec![None; columns.len()];
    let mut unnamed = Vec::new();
    let mut unknown = Vec::new();
    let mut errors = Vec::new();
    for (i, header) in headers.iter().enumerate() {
        if header.is_empty() {
            unnamed.push(i);
            continue;
        }
        match columns.iter().position(|c| c.matches(header)) {
            Some(c) => match source[c] {
                Some(first) => errors.push(SheetError::DuplicateColumn {
                    column: columns[c].zh,
                    first: headers[first].clone(),
                    second: header.clone(),
                }),
                None => source[c] = Some(i),
            },
            None => unknown.push(header.clone()),
        }
    }
    if !unknown.is_empty() {
        errors.push(SheetError::UnknownColumns {
            columns: unknown,
            expected: columns.iter().map(|c: &Column| c.zh).collect(),
        });
    }
    let missing: Vec<String> = columns
        .iter()
        .zip(&source)
        .filter(|(c, s)| c.required && s.is_none())
        .map(|(c, _)| c.zh.to_string())
        .collect();
    if !missing.is_empty() {
        errors.push(SheetError::MissingColumns(missing));
    }
    if errors.is_empty() {
        Ok(HeaderMap {
            source,
            unnamed,
            width: headers.len(),
        })
    } else {
        Err(errors)
    }
}

/// Spreadsheet column letters for a 0-based index: 0 → A, 25 → Z, 26 → AA.
pub(crate) fn column_letters(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn chinese_and_english_headers_in_any_order() {
        let m = map_headers(
            Kind::Residents,
            &h(&[
                "姓名",
                "ID_NUMBER",
                "",
                "户编号",
                "与户主关系",
                "political_status",
            ]),
        )
        .unwrap();
        assert_eq!(
            m.source,
            vec![Some(1), Some(0), None, Some(3), Some(4), Some(5)]
        );
        assert_eq!(m.unnamed, vec![2]);
        assert_eq!(m.width, 6);
    }

    #[test]
    fn every_header_problem_at_once() {
        let errors = map_headers(
            Kind::Residents,
            &h(&[
                "身份证号",
                "id_number",
                "备注",
                "手机",
                "户编号",
                "与户主关系",
            ]),
        )
        .unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(matches!(
            &errors[0],
            SheetError::DuplicateColumn {
                column: "身份证号",
                ..
            }
        ));
        assert!(
            matches!(&errors[1], SheetError::UnknownColumns { columns, .. } if columns == &["备注", "手机"])
        );
        assert!(
            matches!(&errors[2], SheetError::MissingColumns(cols) if cols == &["姓名", "政治面貌"])
        );
    }

    #[test]
    fn letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }
}
