//! 居民: 身份证号, 姓名, 手机号, 户编号, 与户主关系, 政治面貌.

use gongzhi_domain::Bilingual;
use gongzhi_domain::codes::{CodeError, IdNumber, Phone};
use gongzhi_domain::population::{PersonName, PoliticalStatus, Relation};
use gongzhi_store::records::ResidentRecord;

use super::Records;
use crate::fields;
use crate::kind::Kind;
use crate::record::{CellErrors, CellValue, Cells, Invalid, SheetRecord};

const ID_NUMBER: usize = 0;
const NAME: usize = 1;
const PHONE: usize = 2;
const HOUSEHOLD: usize = 3;
const RELATION: usize = 4;
const POLITICAL_STATUS: usize = 5;

/// A masked export read back in: say so instead of reporting a bad digit.
fn refuse_masked<T>(
    what_zh: &'static str,
    what_en: &'static str,
    parse: impl Fn(&str) -> Result<T, CodeError>,
) -> impl Fn(&str) -> Result<T, Invalid> {
    move |s| {
        if s.contains('*') {
            return Err(Invalid::new(
                format!("{what_zh}已脱敏（含 *），不能导入：请使用未脱敏的完整数据"),
                format!(
                    "{what_en} is masked (contains *) and cannot be imported: use the full, unmasked data"
                ),
            ));
        }
        parse(s).map_err(|e| Invalid::new(e.message_zh(), e.message_en()))
    }
}

impl SheetRecord for ResidentRecord {
    const KIND: Kind = Kind::Residents;
    type Key = IdNumber;
    const KEY_COLUMN: usize = ID_NUMBER;

    fn from_cells(cells: &Cells<'_>, errors: &mut CellErrors) -> Option<Self> {
        let id_number = errors.required(
            cells,
            ID_NUMBER,
            refuse_masked("身份证号", "ID number", IdNumber::parse),
        );
        let name = errors.required(cells, NAME, |s| {
            PersonName::parse(s).map(|n| n.as_str().to_string())
        });
        let phone = errors.optional(
            cells,
            PHONE,
            refuse_masked("手机号", "phone number", Phone::parse),
        );
        let household_code = errors.required(cells, HOUSEHOLD, fields::code);
        let relation = errors.required(cells, RELATION, Relation::parse);
        let political_status = errors.required(cells, POLITICAL_STATUS, PoliticalStatus::parse);
        Some(ResidentRecord {
            id_number: id_number?,
            name: name?,
            phone: phone?,
            household_code: household_code?,
            relation: relation?,
            political_status: political_status?,
        })
    }

    fn key(&self) -> IdNumber {
        self.id_number
    }

    fn to_cells(&self, unmasked: bool) -> Vec<CellValue> {
        let id = if unmasked {
            self.id_number.as_str().to_string()
        } else {
            self.id_number.mask()
        };
        let phone = match &self.phone {
            Some(p) if unmasked => p.as_str().to_string(),
            Some(p) => p.mask(),
            None => String::new(),
        };
        vec![
            CellValue::Text(id),
            CellValue::Text(self.name.clone()),
            CellValue::Text(phone),
            CellValue::Text(self.household_code.clone()),
            CellValue::Text(self.relation.zh().to_string()),
            CellValue::Text(self.political_status.zh().to_string()),
        ]
    }

    fn into_records(records: Vec<Self>) -> Records {
        Records::Residents(records)
    }
}
