//! 职能部门: 部门代码, 部门名称.

use gongzhi_store::records::DepartmentRecord;

use super::Records;
use crate::fields;
use crate::kind::Kind;
use crate::record::{CellErrors, CellValue, Cells, SheetRecord};

const CODE: usize = 0;
const NAME: usize = 1;

impl SheetRecord for DepartmentRecord {
    const KIND: Kind = Kind::Departments;
    type Key = String;
    const KEY_COLUMN: usize = CODE;

    fn from_cells(cells: &Cells<'_>, errors: &mut CellErrors) -> Option<Self> {
        let code = errors.required(cells, CODE, fields::department_code);
        let name = errors.required(cells, NAME, fields::text(50));
        Some(DepartmentRecord {
            code: code?,
            name: name?,
        })
    }

    fn key(&self) -> String {
        self.code.clone()
    }

    fn to_cells(&self, _unmasked: bool) -> Vec<CellValue> {
        vec![
            CellValue::Text(self.code.clone()),
            CellValue::Text(self.name.clone()),
        ]
    }

    fn into_records(records: Vec<Self>) -> Records {
        Records::Departments(records)
    }
}
