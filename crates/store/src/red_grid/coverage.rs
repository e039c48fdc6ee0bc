//! The counts coverage is computed from (`gongzhi_domain::red_grid::coverage`): households per
//! grid, households with a red grid member now, and each member's households.

use super::lists::RedGridFilter;
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::Sql;
use gongzhi_domain::codes::GridCode;
use gongzhi_domain::red_grid::{GridCounts, MemberLoad};
use sqlx::Row;
use std::collections::BTreeMap;

fn grid_of(s: &str) -> Result<GridCode, StoreError> {
    GridCode::parse(s).map_err(|e| StoreError::corrupt(format!("grid {e}")))
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Store {
    /// Every grid of the filter's area (or its one grid) with its counts and name, in code
    /// order; grids with no households and no members are listed too.
    pub async fn red_grid_counts(
        &self,
        f: &RedGridFilter,
    ) -> Result<Vec<(GridCounts, String)>, StoreError> {
        let mut sql = Sql::new("SELECT code AS grid_code, name FROM grids WHERE 1 = 1");
        f.place(&mut sql, "code");
        sql.push(" ORDER BY code");
        let mut grids: BTreeMap<String, (GridCounts, String)> = BTreeMap::new();
        for r in sql.query(self.backend).fetch_all(&self.pool).await? {
            let code: String = r.try_get("grid_code")?;
            let counts = GridCounts {
                grid: grid_of(&code)?,
                households: 0,
                linked: 0,
                members: Vec::new(),
            };
            grids.insert(code, (counts, r.try_get("name")?));
        }
        let mut sql = Sql::new("SELECT grid_code, COUNT(*) AS n FROM households h WHERE 1 = 1");
        f.place(&mut sql, "h.grid_code");
        sql.push(" GROUP BY grid_code");
        for r in sql.query(self.backend).fetch_all(&self.pool).await? {
            let code: String = r.try_get("grid_code")?;
            if let Some((g, _)) = grids.get_mut(&code) {
                g.households = count(r.try_get("n")?);
            }
        }
        let mut sql = Sql::new(
            "SELECT grid_code, COUNT(DISTINCT household_id) AS n FROM household_links l WHERE l.ended_on IS NULL",
        );
        f.place(&mut sql, "l.grid_code");
        sql.push(" GROUP BY grid_code");
        for r in sql.query(self.backend).fetch_all(&self.pool).await? {
            let code: String = r.try_get("grid_code")?;
            if let Some((g, _)) = grids.get_mut(&code) {
                g.linked = count(r.try_get("n")?);
            }
        }
        let mut sql = Sql::new(
            "SELECT r.id, r.grid_code, r.person_name,
             (SELECT COUNT(*) FROM household_links l WHERE l.role_id = r.id AND l.ended_on IS NULL) AS n
             FROM grid_roles r WHERE r.role = 'red_member' AND r.ended_on IS NULL",
        );
        f.place(&mut sql, "r.grid_code");
        sql.push(" ORDER BY r.grid_code, r.id");
        for r in sql.query(self.backend).fetch_all(&self.pool).await? {
            let code: String = r.try_get("grid_code")?;
            if let Some((g, _)) = grids.get_mut(&code) {
                g.members.push(MemberLoad {
                    role_id: r.try_get("id")?,
                    name: r.try_get("person_name")?,
                    households: count(r.try_get("n")?),
                });
            }
        }
        Ok(grids.into_values().collect())
    }
}
