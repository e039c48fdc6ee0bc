//! What the co-build reads return, and which rows a list shows.

use crate::sql::{Arg, Sql};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::cobuild::Rating;
use gongzhi_domain::codes::AreaCode;
use serde::Serialize;

/// Which contracts a list shows: inside an area (the community side) or one department's; the
/// server fills it from the policy's listing, the store only applies it.
#[derive(Clone, Debug, Default)]
pub struct CoBuildFilter {
    pub area: Option<AreaCode>,
    pub department: Option<String>,
    pub contract: Option<i64>,
    /// Title of the contract or commitment contains this.
    pub q: Option<String>,
}

impl CoBuildFilter {
    /// ` AND …` on a query over `cobuild_contracts k`.
    pub(super) fn apply(&self, sql: &mut Sql) {
        if let Some(a) = &self.area {
            sql.push(" AND k.community_code LIKE ")
                .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
        }
        if let Some(d) = &self.department {
            sql.push(" AND k.department_code = ")
                .bind(Arg::Text(d.clone()));
        }
        if let Some(c) = self.contract {
            sql.push(" AND k.id = ").bind(Arg::Int(c));
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ContractRow {
    pub id: i64,
    pub title: String,
    pub department: String,
    pub department_name: String,
    pub community: AreaCode,
    pub community_name: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub signed_on: Date,
    pub created_by_name: String,
    pub created_at: i64,
    pub commitments: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct CommitmentRow {
    pub id: i64,
    pub contract_id: i64,
    pub contract_title: String,
    pub department: String,
    pub department_name: String,
    pub community: AreaCode,
    pub community_name: String,
    pub contract_starts_on: Date,
    pub title: String,
    pub deliverable: String,
    pub due_on: Date,
    /// The day of the delivery record that completed it.
    pub delivered_on: Option<Date>,
    pub rating: Option<Rating>,
    pub rating_note: String,
    pub deliveries: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct CoBuildPhoto {
    pub path: String,
    pub mime: String,
    pub sha256: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct CoBuildDeliveryRow {
    pub id: i64,
    pub commitment_id: i64,
    pub delivered_on: Date,
    pub notes: String,
    pub completes: bool,
    pub photo: Option<CoBuildPhoto>,
    pub entered_by_name: String,
    pub created_at: i64,
}
