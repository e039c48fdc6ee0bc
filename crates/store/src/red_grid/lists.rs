//! Which red grid rows a list shows: inside an area or a grid, or only what one red grid member
//! serves. The server fills it from the policy's listing; the store only applies it.

use crate::sql::{Arg, Sql};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::{AreaCode, GridCode};

#[derive(Clone, Debug, Default)]
pub struct RedGridFilter {
    pub area: Option<AreaCode>,
    pub grid: Option<GridCode>,
    /// Only what this account serves: its households (linked now), its visits and mediations.
    pub account: Option<i64>,
    pub household: Option<i64>,
    /// Visits and mediations on or after / on or before these days.
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl RedGridFilter {
    /// ` AND <col> …` for the area and the grid.
    pub(super) fn place(&self, sql: &mut Sql, col: &str) {
        if let Some(a) = &self.area {
            sql.push(" AND ")
                .push(col)
                .push(" LIKE ")
                .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
        }
        if let Some(g) = &self.grid {
            sql.push(" AND ")
                .push(col)
                .push(" = ")
                .bind(Arg::Text(g.as_str().into()));
        }
    }

    /// ` AND <col> BETWEEN …` for the days.
    pub(super) fn days(&self, sql: &mut Sql, col: &str) {
        if let Some(d) = self.from {
            sql.push(" AND ")
                .push(col)
                .push(" >= ")
                .bind(Arg::Text(d.to_string()));
        }
        if let Some(d) = self.to {
            sql.push(" AND ")
                .push(col)
                .push(" <= ")
                .bind(Arg::Text(d.to_string()));
        }
    }
}
