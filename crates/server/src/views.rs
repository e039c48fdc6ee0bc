//! What leaves the server about people: masked unless the reader may and did ask to unmask.

use gongzhi_store::{HouseholdRow, ResidentRow};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct ResidentView {
    pub id: i64,
    pub household_id: i64,
    pub household_code: String,
    pub grid: String,
    pub name: String,
    pub gender: String,
    pub birth_year: i64,
    pub id_number: String,
    pub phone: Option<String>,
    pub relation: String,
    pub political_status: String,
    /// True when `id_number` and `phone` are shown in full (and the read was logged).
    pub unmasked: bool,
}

impl ResidentView {
    pub fn masked(r: &ResidentRow) -> Self {
        Self::build(r, false)
    }

    /// Only after the policy allowed it and the access log recorded it.
    pub fn unmasked(r: &ResidentRow) -> Self {
        Self::build(r, true)
    }

    fn build(r: &ResidentRow, full: bool) -> Self {
        ResidentView {
            id: r.id,
            household_id: r.household_id,
            household_code: r.household_code.clone(),
            grid: r.grid.to_string(),
            name: r.name.clone(),
            gender: r.gender.clone(),
            birth_year: r.birth_year,
            id_number: if full {
                r.id_number.as_str().to_string()
            } else {
                r.id_number.mask()
            },
            phone: r.phone.as_ref().map(|p| {
                if full {
                    p.as_str().to_string()
                } else {
                    p.mask()
                }
            }),
            relation: r.relation.zh().to_string(),
            political_status: r.political_status.zh().to_string(),
            unmasked: full,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct HouseholdView {
    #[serde(flatten)]
    pub household: HouseholdRow,
    pub kind_label: String,
}

impl From<HouseholdRow> for HouseholdView {
    fn from(h: HouseholdRow) -> Self {
        HouseholdView {
            kind_label: h.kind.zh().to_string(),
            household: h,
        }
    }
}
