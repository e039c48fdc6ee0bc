//! Areas, grids and departments: the administrative map.

use crate::db::Store;
use crate::error::{RowProblem, StoreError};
use crate::records::{AreaRecord, DepartmentRecord, GridRecord};
use crate::rows::{AreaRow, DepartmentRow, GridRow};
use gongzhi_domain::codes::{AreaCode, AreaLevel, GridCode, UrbanRural};
use sqlx::Row;
use std::collections::HashSet;

/// The digits of a code that matter at its level; every descendant's code starts with them.
pub(crate) fn area_prefix(code: &AreaCode) -> &str {
    let s = code.as_str();
    let n = match code.level() {
        AreaLevel::Province => 2,
        AreaLevel::City => 4,
        AreaLevel::District => 6,
        AreaLevel::Street => 9,
        AreaLevel::Community => 12,
    };
    &s[..n]
}

fn parse_area(s: &str) -> Result<AreaCode, StoreError> {
    AreaCode::parse(s).map_err(|e| StoreError::corrupt(format!("area code {s}: {e}")))
}

fn parse_grid(s: &str) -> Result<GridCode, StoreError> {
    GridCode::parse(s).map_err(|e| StoreError::corrupt(format!("grid code {s}: {e}")))
}

fn area_row(r: &sqlx::any::AnyRow) -> Result<AreaRow, StoreError> {
    let code = parse_area(&r.try_get::<String, _>("code")?)?;
    Ok(AreaRow {
        level: code.level(),
        parent: code.parent(),
        code,
        name: r.try_get("name")?,
        // Written only from the parsed type; an unknown value reads as none.
        urban_rural: r
            .try_get::<Option<String>, _>("urban_rural")?
            .and_then(|u| UrbanRural::parse(&u).ok()),
    })
}

fn grid_row(r: &sqlx::any::AnyRow) -> Result<GridRow, StoreError> {
    Ok(GridRow {
        code: parse_grid(&r.try_get::<String, _>("code")?)?,
        name: r.try_get("name")?,
        community: parse_area(&r.try_get::<String, _>("community_code")?)?,
        area_m2: r.try_get("area_m2")?,
        geometry_geojson: r.try_get("geometry")?,
    })
}

impl Store {
    /// Inserts or renames areas, all in one transaction.
    /// Areas by code (upsert); an urban-rural class already held is kept when the record has
    /// none.
    pub async fn upsert_areas(&self, areas: &[AreaRecord]) -> Result<usize, StoreError> {
        self.import_all(areas).await
    }

    /// Stores an area's boundary (GeoJSON geometry), used to check grids against their community.
    pub async fn set_area_geometry(
        &self,
        code: &AreaCode,
        geojson: &str,
    ) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE areas SET geometry = $1 WHERE code = $2")
            .bind(geojson)
            .bind(code.as_str())
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found(
                format!("区划 {code}"),
                format!("area {code}"),
            ));
        }
        Ok(())
    }

    pub async fn areas(&self) -> Result<Vec<AreaRow>, StoreError> {
        let rows = sqlx::query("SELECT code, name, urban_rural FROM areas ORDER BY code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(area_row).collect()
    }

    pub async fn area(&self, code: &AreaCode) -> Result<Option<AreaRow>, StoreError> {
        let row = sqlx::query("SELECT code, name, urban_rural FROM areas WHERE code = $1")
            .bind(code.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(area_row).transpose()
    }

    pub async fn area_children(&self, code: &AreaCode) -> Result<Vec<AreaRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT code, name, urban_rural FROM areas WHERE parent_code = $1 ORDER BY code",
        )
        .bind(code.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(area_row).collect()
    }

    /// Boundaries of the given areas that have one, as GeoJSON geometry text.
    pub async fn area_geometries(&self) -> Result<Vec<(AreaCode, String)>, StoreError> {
        let rows = sqlx::query("SELECT code, geometry FROM areas WHERE geometry IS NOT NULL")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    parse_area(&r.try_get::<String, _>("code")?)?,
                    r.try_get("geometry")?,
                ))
            })
            .collect()
    }

    /// Imports grids in one transaction; every grid's community must already exist.
    pub async fn import_grids(&self, grids: &[GridRecord]) -> Result<usize, StoreError> {
        let known: HashSet<String> =
            sqlx::query("SELECT code FROM areas WHERE level = 'community'")
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| r.try_get::<String, _>("code"))
                .collect::<Result<_, _>>()?;
        let problems: Vec<RowProblem> = grids
            .iter()
            .enumerate()
            .filter(|(_, g)| !known.contains(g.code.community().as_str()))
            .map(|(index, g)| RowProblem {
                index,
                column: "code",
                value: g.code.to_string(),
                message_zh: format!("网格所属社区 {} 不存在，请先导入区划", g.code.community()),
                message_en: format!(
                    "the grid's community {} does not exist; import areas first",
                    g.code.community()
                ),
            })
            .collect();
        if !problems.is_empty() {
            return Err(StoreError::Rows(problems));
        }
        let mut tx = self.write_tx().await?;
        for g in grids {
            sqlx::query(
                "INSERT INTO grids (code, name, community_code, geometry, area_m2) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, geometry = excluded.geometry, area_m2 = excluded.area_m2",
            )
            .bind(g.code.as_str())
            .bind(&g.name)
            .bind(g.code.community().as_str())
            .bind(&g.geometry_geojson)
            .bind(g.area_m2)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(grids.len())
    }

    pub async fn grids(&self) -> Result<Vec<GridRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT code, name, community_code, area_m2, geometry FROM grids ORDER BY code",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(grid_row).collect()
    }

    /// Grids whose community lies in `area` (any level).
    pub async fn grids_in(&self, area: &AreaCode) -> Result<Vec<GridRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT code, name, community_code, area_m2, geometry FROM grids WHERE code LIKE $1 ORDER BY code",
        )
        .bind(format!("{}%", area_prefix(area)))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(grid_row).collect()
    }

    pub async fn grid(&self, code: &GridCode) -> Result<Option<GridRow>, StoreError> {
        let row = sqlx::query(
            "SELECT code, name, community_code, area_m2, geometry FROM grids WHERE code = $1",
        )
        .bind(code.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(grid_row).transpose()
    }

    pub async fn upsert_departments(
        &self,
        departments: &[DepartmentRecord],
    ) -> Result<usize, StoreError> {
        let mut tx = self.write_tx().await?;
        for d in departments {
            sqlx::query(
                "INSERT INTO departments (code, name) VALUES ($1, $2)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name",
            )
            .bind(&d.code)
            .bind(&d.name)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.lookups.clear();
        Ok(departments.len())
    }

    pub async fn departments(&self) -> Result<Vec<DepartmentRow>, StoreError> {
        let rows = sqlx::query("SELECT code, name FROM departments ORDER BY code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(DepartmentRow {
                    code: r.try_get("code")?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    pub async fn department(&self, code: &str) -> Result<Option<DepartmentRow>, StoreError> {
        let row = sqlx::query("SELECT code, name FROM departments WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(DepartmentRow {
                code: r.try_get("code")?,
                name: r.try_get("name")?,
            })
        })
        .transpose()
    }
}
