//! 楼栋: 楼栋编号, 所属网格, 楼栋名称, 地址, 经度, 纬度, 层数.

use gongzhi_domain::codes::GridCode;
use gongzhi_store::records::BuildingRecord;

use super::Records;
use crate::fields;
use crate::kind::Kind;
use crate::record::{CellErrors, CellValue, Cells, SheetRecord};

const CODE: usize = 0;
const GRID: usize = 1;
const NAME: usize = 2;
const ADDRESS: usize = 3;
const LON: usize = 4;
const LAT: usize = 5;
const FLOORS: usize = 6;

impl SheetRecord for BuildingRecord {
    const KIND: Kind = Kind::Buildings;
    type Key = String;
    const KEY_COLUMN: usize = CODE;

    fn from_cells(cells: &Cells<'_>, errors: &mut CellErrors) -> Option<Self> {
        let code = errors.required(cells, CODE, fields::code);
        let grid = errors.required(cells, GRID, GridCode::parse);
        let name = errors.required(cells, NAME, fields::text(50));
        let address = errors.required(cells, ADDRESS, fields::text(200));
        let lon = errors.required(cells, LON, fields::decimal(-180.0, 180.0));
        let lat = errors.required(cells, LAT, fields::decimal(-90.0, 90.0));
        let floors = errors.required(cells, FLOORS, fields::whole(1, 200));
        Some(BuildingRecord {
            code: code?,
            grid: grid?,
            name: name?,
            address: address?,
            lon: lon?,
            lat: lat?,
            floors: floors?,
        })
    }

    fn key(&self) -> String {
        self.code.clone()
    }

    fn to_cells(&self, _unmasked: bool) -> Vec<CellValue> {
        vec![
            CellValue::Text(self.code.clone()),
            CellValue::Text(self.grid.as_str().to_string()),
            CellValue::Text(self.name.clone()),
            CellValue::Text(self.address.clone()),
            CellValue::Number(self.lon),
            CellValue::Number(self.lat),
            CellValue::Number(f64::from(self.floors)),
        ]
    }

    fn into_records(records: Vec<Self>) -> Records {
        Records::Buildings(records)
    }
}
