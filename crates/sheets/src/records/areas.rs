//! 行政区划: 区划代码, 名称.

use gongzhi_domain::codes::AreaCode;
use gongzhi_store::records::AreaRecord;

use super::Records;
use crate::fields;
use crate::kind::Kind;
use crate::record::{CellErrors, CellValue, Cells, SheetRecord};

const CODE: usize = 0;
const NAME: usize = 1;

impl SheetRecord for AreaRecord {
    const KIND: Kind = Kind::Areas;
    type Key = AreaCode;
    const KEY_COLUMN: usize = CODE;

    fn from_cells(cells: &Cells<'_>, errors: &mut CellErrors) -> Option<Self> {
        let code = errors.required(cells, CODE, AreaCode::parse);
        let name = errors.required(cells, NAME, fields::text(50));
        Some(AreaRecord {
            code: code?,
            name: name?,
        })
    }

    fn key(&self) -> AreaCode {
        self.code
    }

    fn to_cells(&self, _unmasked: bool) -> Vec<CellValue> {
        vec![
            CellValue::Text(self.code.as_str().to_string()),
            CellValue::Text(self.name.clone()),
        ]
    }

    fn into_records(records: Vec<Self>) -> Records {
        Records::Areas(records)
    }
}
