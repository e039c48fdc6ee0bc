//! 行政区划: 区划代码, 名称, 城乡分类代码 (optional).

use gongzhi_domain::codes::{AreaCode, UrbanRural};
use gongzhi_store::records::AreaRecord;

use super::Records;
use crate::fields;
use crate::kind::Kind;
use crate::record::{CellErrors, CellValue, Cells, SheetRecord};

const CODE: usize = 0;
const NAME: usize = 1;
const URBAN_RURAL: usize = 2;

impl SheetRecord for AreaRecord {
    const KIND: Kind = Kind::Areas;
    type Key = AreaCode;
    const KEY_COLUMN: usize = CODE;
    const REPEATS_TAKEN_ONCE: bool = true;

    fn from_cells(cells: &Cells<'_>, errors: &mut CellErrors) -> Option<Self> {
        let code = errors.required(cells, CODE, AreaCode::parse);
        let name = errors.required(cells, NAME, fields::text(50));
        let urban_rural = errors.optional(cells, URBAN_RURAL, UrbanRural::parse);
        Some(AreaRecord {
            code: code?,
            name: name?,
            urban_rural: urban_rural?,
        })
    }

    fn key(&self) -> AreaCode {
        self.code
    }

    fn to_cells(&self, _unmasked: bool) -> Vec<CellValue> {
        vec![
            CellValue::Text(self.code.as_str().to_string()),
            CellValue::Text(self.name.clone()),
            CellValue::Text(
                self.urban_rural
                    .map(|u| u.code().to_string())
                    .unwrap_or_default(),
            ),
        ]
    }

    fn into_records(records: Vec<Self>) -> Records {
        Records::Areas(records)
    }
}
