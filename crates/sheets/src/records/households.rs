//! 户: 户编号, 楼栋编号, 房号, 户别.

use gongzhi_domain::population::HouseholdKind;
use gongzhi_store::records::HouseholdRecord;

use super::Records;
use crate::fields;
use crate::kind::Kind;
use crate::record::{CellErrors, CellValue, Cells, SheetRecord};

const CODE: usize = 0;
const BUILDING: usize = 1;
const ROOM: usize = 2;
const KIND: usize = 3;

impl SheetRecord for HouseholdRecord {
    const KIND: Kind = Kind::Households;
    type Key = String;
    const KEY_COLUMN: usize = CODE;

    fn from_cells(cells: &Cells<'_>, errors: &mut CellErrors) -> Option<Self> {
        let code = errors.required(cells, CODE, fields::code);
        let building_code = errors.required(cells, BUILDING, fields::code);
        let room = errors.required(cells, ROOM, fields::text(32));
        let kind = errors.required(cells, KIND, HouseholdKind::parse);
        Some(HouseholdRecord {
            code: code?,
            building_code: building_code?,
            room: room?,
            kind: kind?,
        })
    }

    fn key(&self) -> String {
        self.code.clone()
    }

    fn to_cells(&self, _unmasked: bool) -> Vec<CellValue> {
        vec![
            CellValue::Text(self.code.clone()),
            CellValue::Text(self.building_code.clone()),
            CellValue::Text(self.room.clone()),
            CellValue::Text(self.kind.zh().to_string()),
        ]
    }

    fn into_records(records: Vec<Self>) -> Records {
        Records::Households(records)
    }
}
