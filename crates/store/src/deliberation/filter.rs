//! Which deliberation rows a list shows: inside an area, the topics one resident raised, or
//! what a department was invited to. The server fills it from the policy's listing; the store
//! only applies it.

use crate::sql::{Arg, Sql};
use gongzhi_domain::codes::AreaCode;

#[derive(Clone, Debug, Default)]
pub struct DeliberationFilter {
    /// Inside this area (a community, street, district).
    pub area: Option<AreaCode>,
    /// Topics raised by this account.
    pub raised_by: Option<i64>,
    /// Meetings (and what came of them) this department was invited to.
    pub department: Option<String>,
    /// A status code of the listed kind (topic, meeting, motion).
    pub status: Option<String>,
    /// A topic category or meeting kind code.
    pub kind: Option<String>,
    /// Words in the title.
    pub q: Option<String>,
}

impl DeliberationFilter {
    /// ` AND <col> LIKE 'area%'`.
    pub(super) fn place(&self, sql: &mut Sql, col: &str) {
        if let Some(a) = &self.area {
            sql.push(" AND ")
                .push(col)
                .push(" LIKE ")
                .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
        }
    }

    /// ` AND <meetings col> names the department`.
    pub(super) fn invited(&self, sql: &mut Sql, departments_col: &str) {
        if let Some(d) = &self.department {
            sql.push(" AND (',' || ")
                .push(departments_col)
                .push(" || ',') LIKE ")
                .bind(Arg::Text(format!("%,{d},%")));
        }
    }

    pub(super) fn text(&self, sql: &mut Sql, col: &str, status_col: &str, kind_col: &str) {
        if let Some(s) = self.status.as_deref().filter(|s| !s.is_empty()) {
            sql.push(" AND ")
                .push(status_col)
                .push(" = ")
                .bind(Arg::Text(s.into()));
        }
        if let Some(k) = self.kind.as_deref().filter(|s| !s.is_empty()) {
            sql.push(" AND ")
                .push(kind_col)
                .push(" = ")
                .bind(Arg::Text(k.into()));
        }
        if let Some(q) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sql.push(" AND ")
                .push(col)
                .push(" LIKE ")
                .bind(Arg::Text(format!("%{q}%")));
        }
    }
}
