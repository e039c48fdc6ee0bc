//! What a sheet holds (`Kind`) and how it is stored on disk (`Format`).

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::columns::{self, Column};
use crate::error::SheetError;

/// The population tables that travel as spreadsheets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Areas,
    Departments,
    Buildings,
    Households,
    Residents,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Areas,
        Kind::Departments,
        Kind::Buildings,
        Kind::Households,
        Kind::Residents,
    ];

    /// The CLI word: `areas`, `departments`, `buildings`, `households`, `residents`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Areas => "areas",
            Kind::Departments => "departments",
            Kind::Buildings => "buildings",
            Kind::Households => "households",
            Kind::Residents => "residents",
        }
    }

    /// The Chinese name, also used as the worksheet name.
    pub fn zh(self) -> &'static str {
        match self {
            Kind::Areas => "行政区划",
            Kind::Departments => "职能部门",
            Kind::Buildings => "楼栋",
            Kind::Households => "户",
            Kind::Residents => "居民",
        }
    }

    /// Accepts the CLI word (singular or plural, any case) or the Chinese name.
    pub fn parse(s: &str) -> Result<Kind, SheetError> {
        let t = s.trim();
        let lower = t.to_ascii_lowercase();
        let found = match lower.as_str() {
            "areas" | "area" | "行政区划" | "区划" => Some(Kind::Areas),
            "departments" | "department" | "职能部门" | "部门" => Some(Kind::Departments),
            "buildings" | "building" | "楼栋" => Some(Kind::Buildings),
            "households" | "household" | "户" | "住户" => Some(Kind::Households),
            "residents" | "resident" | "居民" | "人口" => Some(Kind::Residents),
            _ => None,
        };
        found.ok_or_else(|| SheetError::UnknownKind(t.to_string()))
    }

    /// The columns of this kind, in sheet order.
    pub fn columns(self) -> &'static [Column] {
        columns::of(self)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = SheetError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::parse(s)
    }
}

/// A spreadsheet file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Office Open XML workbook; the first worksheet is read.
    Xlsx,
    /// Comma-separated values: UTF-8 (with or without BOM) or GB18030/GBK.
    Csv,
}

impl Format {
    /// By file extension (`.xlsx`, `.csv`, any case).
    pub fn from_path(path: &Path) -> Result<Format, SheetError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("xlsx") => Ok(Format::Xlsx),
            Some("csv") => Ok(Format::Csv),
            _ => Err(SheetError::UnknownFormat(path.display().to_string())),
        }
    }

    /// By content: an xlsx file is a zip archive (`PK\x03\x04`); anything else is taken as CSV.
    pub fn sniff(bytes: &[u8]) -> Format {
        if bytes.starts_with(b"PK\x03\x04") {
            Format::Xlsx
        } else {
            Format::Csv
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_parses_english_and_chinese() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()).unwrap(), kind);
            assert_eq!(Kind::parse(kind.zh()).unwrap(), kind);
        }
        assert_eq!(Kind::parse(" Resident ").unwrap(), Kind::Residents);
        assert_eq!("居民".parse::<Kind>().unwrap(), Kind::Residents);
        assert!(matches!(Kind::parse("grids"), Err(SheetError::UnknownKind(k)) if k == "grids"));
    }

    #[test]
    fn format_from_extension_and_content() {
        assert_eq!(
            Format::from_path(Path::new("a/b.XLSX")).unwrap(),
            Format::Xlsx
        );
        assert_eq!(
            Format::from_path(Path::new("居民.csv")).unwrap(),
            Format::Csv
        );
        assert!(Format::from_path(Path::new("grids.geojson")).is_err());
        assert_eq!(Format::sniff(b"PK\x03\x04rest"), Format::Xlsx);
        assert_eq!(Format::sniff("身份证号,姓名".as_bytes()), Format::Csv);
    }
}
