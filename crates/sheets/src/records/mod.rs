//! [`SheetRecord`](crate::SheetRecord) for each store record, and [`Records`], a list of any
//! one kind.

mod areas;
mod buildings;
mod departments;
mod households;
mod residents;

use gongzhi_store::records::{
    AreaRecord, BuildingRecord, DepartmentRecord, HouseholdRecord, ResidentRecord,
};

use crate::kind::Kind;

/// The records of one file, whichever kind it holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Records {
    Areas(Vec<AreaRecord>),
    Departments(Vec<DepartmentRecord>),
    Buildings(Vec<BuildingRecord>),
    Households(Vec<HouseholdRecord>),
    Residents(Vec<ResidentRecord>),
}

impl Records {
    pub fn kind(&self) -> Kind {
        match self {
            Records::Areas(_) => Kind::Areas,
            Records::Departments(_) => Kind::Departments,
            Records::Buildings(_) => Kind::Buildings,
            Records::Households(_) => Kind::Households,
            Records::Residents(_) => Kind::Residents,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Records::Areas(v) => v.len(),
            Records::Departments(v) => v.len(),
            Records::Buildings(v) => v.len(),
            Records::Households(v) => v.len(),
            Records::Residents(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
