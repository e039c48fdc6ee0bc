//! Orders counted per centre, community or lead department: one grouped query.

use super::centres::CentrePlace;
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::Sql;
use gongzhi_domain::services::OrderCounts;
use sqlx::Row;

/// What the counts are grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountBy {
    Centre,
    Community,
    LeadDepartment,
}

impl Store {
    /// Order counts in the place, grouped: (key, counts), the key a centre id, a community
    /// code or a department code as text.
    pub async fn service_counts(
        &self,
        place: &CentrePlace,
        by: CountBy,
    ) -> Result<Vec<(String, OrderCounts)>, StoreError> {
        let key = match by {
            CountBy::Centre => "CAST(o.centre_id AS TEXT)",
            CountBy::Community => "o.community_code",
            CountBy::LeadDepartment => "o.lead_department",
        };
        let mut sql = Sql::new(&format!(
            "SELECT {key} AS k, COUNT(*) AS orders,
             SUM(CASE WHEN o.state = 'waiting' THEN 1 ELSE 0 END) AS waiting,
             SUM(CASE WHEN o.state IN ('placed', 'assigned') THEN 1 ELSE 0 END) AS open,
             SUM(CASE WHEN o.state = 'completed' THEN 1 ELSE 0 END) AS fulfilled,
             SUM(CASE WHEN o.state = 'completed' AND o.completed_on <= o.service_date THEN 1 ELSE 0 END) AS on_time,
             SUM(CASE WHEN o.state = 'cancelled' THEN 1 ELSE 0 END) AS cancelled,
             SUM(CASE WHEN o.rating = 'satisfied' THEN 1 ELSE 0 END) AS satisfied,
             SUM(CASE WHEN o.rating = 'basically_satisfied' THEN 1 ELSE 0 END) AS basically_satisfied,
             SUM(CASE WHEN o.rating = 'unsatisfied' THEN 1 ELSE 0 END) AS unsatisfied
             FROM service_orders o WHERE 1 = 1"
        ));
        place.apply(&mut sql, "o.community_code", "o.lead_department");
        sql.push(&format!(" GROUP BY {key} ORDER BY {key}"));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let n = |c: &str| -> Result<u64, StoreError> {
                    let v: Option<i64> = r.try_get(c)?;
                    Ok(u64::try_from(v.unwrap_or(0)).unwrap_or(0))
                };
                Ok((
                    r.try_get("k")?,
                    OrderCounts {
                        orders: n("orders")?,
                        waiting: n("waiting")?,
                        open: n("open")?,
                        fulfilled: n("fulfilled")?,
                        on_time: n("on_time")?,
                        cancelled: n("cancelled")?,
                        satisfied: n("satisfied")?,
                        basically_satisfied: n("basically_satisfied")?,
                        unsatisfied: n("unsatisfied")?,
                    },
                ))
            })
            .collect()
    }
}
