//! Place names and addresses (地名地址): imported places, and the address search over them
//! and the buildings' addresses. The same SQL on SQLite and PostgreSQL.

use crate::db::Store;
use crate::error::{RowProblem, StoreError};
use crate::records::PlaceRecord;
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_domain::place::{MatchRank, PlaceKind};
use serde::Serialize;
use sqlx::Row;
use std::collections::HashSet;

/// One answer of the address search.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlaceHit {
    pub kind: PlaceKind,
    pub name: String,
    /// A building's full address; empty for other places.
    pub address: String,
    /// The area the place was imported under (a building's: its grid's community).
    pub area: AreaCode,
    /// A building's grid; other places are located by their point.
    pub grid: Option<GridCode>,
    pub lon: f64,
    pub lat: f64,
    pub rank: MatchRank,
}

impl PlaceHit {
    /// Characters of the text that matched: the longer the better for an address naming a
    /// place, the shorter the better for a place named by a few typed characters.
    fn order_key(&self) -> (MatchRank, i64) {
        let len = |s: &str| s.chars().count() as i64;
        match self.rank {
            MatchRank::Within => (self.rank, -len(&self.name).max(len(&self.address))),
            _ => (self.rank, len(&self.name)),
        }
    }
}

/// `LIKE` pattern text for `s` taken literally (`\` escapes).
fn like_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn rank_of(n: i64) -> MatchRank {
    match n {
        0 => MatchRank::Exact,
        1 => MatchRank::Prefix,
        2 => MatchRank::Substring,
        _ => MatchRank::Within,
    }
}

// The match rank as SQL (see `rank_of`); candidates are fetched 50 per source, more than any
// caller's limit, then merged.
macro_rules! place_rank {
    () => {
        "CASE WHEN name = $1 THEN 0 WHEN name LIKE $2 ESCAPE '\\' THEN 1 \
         WHEN name LIKE $3 ESCAPE '\\' THEN 2 ELSE 3 END"
    };
}

macro_rules! building_rank {
    () => {
        "CASE WHEN address = $1 OR name = $1 THEN 0 \
         WHEN address LIKE $2 ESCAPE '\\' OR name LIKE $2 ESCAPE '\\' THEN 1 \
         WHEN address LIKE $3 ESCAPE '\\' OR name LIKE $3 ESCAPE '\\' THEN 2 ELSE 3 END"
    };
}

impl Store {
    /// Inserts places, or moves and redraws those already held under the same kind, name and
    /// area; all or nothing. Every area must exist.
    pub async fn import_places(&self, places: &[PlaceRecord]) -> Result<usize, StoreError> {
        let known: HashSet<String> = sqlx::query("SELECT code FROM areas")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>("code"))
            .collect::<Result<_, _>>()?;
        let problems: Vec<RowProblem> = places
            .iter()
            .enumerate()
            .filter(|(_, p)| !known.contains(p.area.as_str()))
            .map(|(index, p)| RowProblem {
                index,
                column: "area",
                value: p.area.to_string(),
                message_zh: format!("地名所属区划 {} 不存在，请先导入区划", p.area),
                message_en: format!(
                    "the place's area {} does not exist; import areas first",
                    p.area
                ),
            })
            .collect();
        if !problems.is_empty() {
            return Err(StoreError::Rows(problems));
        }
        let mut tx = self.write_tx().await?;
        for p in places {
            sqlx::query(
                "INSERT INTO places (kind, name, area_code, lon, lat, geometry) VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (kind, name, area_code) DO UPDATE SET lon = excluded.lon, lat = excluded.lat, geometry = excluded.geometry",
            )
            .bind(p.kind.as_str())
            .bind(&p.name)
            .bind(p.area.as_str())
            .bind(p.lon)
            .bind(p.lat)
            .bind(&p.geometry_geojson)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(places.len())
    }

    /// Every held place, by kind and name.
    pub async fn places(&self) -> Result<Vec<PlaceRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, name, area_code, lon, lat, geometry FROM places ORDER BY kind, name, area_code",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let area: String = r.try_get("area_code")?;
                Ok(PlaceRecord {
                    kind: PlaceKind::parse(&kind)
                        .ok_or_else(|| StoreError::corrupt(format!("place kind {kind}")))?,
                    name: r.try_get("name")?,
                    area: AreaCode::parse(&area)
                        .map_err(|e| StoreError::corrupt(format!("area code {area}: {e}")))?,
                    lon: r.try_get("lon")?,
                    lat: r.try_get("lat")?,
                    geometry_geojson: r.try_get("geometry")?,
                })
            })
            .collect()
    }

    /// The address search (地名地址检索): places whose name, and buildings whose name or
    /// address, is, begins with or contains `text`, and those `text` names (an address
    /// mentioning a road or a compound) — best first (exact, prefix, contained, named), at
    /// most `limit`. `text` is taken literally.
    pub async fn search_places(
        &self,
        text: &str,
        limit: usize,
    ) -> Result<Vec<PlaceHit>, StoreError> {
        let lit = like_literal(text);
        let (prefix, inner) = (format!("{lit}%"), format!("%{lit}%"));
        let rows = sqlx::query(concat!(
            "SELECT kind, name, area_code, lon, lat, CAST(",
            place_rank!(),
            " AS BIGINT) AS match_rank FROM places
             WHERE name LIKE $3 ESCAPE '\\' OR (LENGTH(name) >= 2 AND CAST($4 AS TEXT) LIKE '%' || name || '%')
             ORDER BY ",
            place_rank!(),
            ", LENGTH(name), name LIMIT 50"
        ))
        .bind(text)
        .bind(&prefix)
        .bind(&inner)
        .bind(text)
        .fetch_all(&self.pool)
        .await?;
        let mut hits = Vec::with_capacity(rows.len());
        for r in &rows {
            let kind: String = r.try_get("kind")?;
            let area: String = r.try_get("area_code")?;
            hits.push(PlaceHit {
                kind: PlaceKind::parse(&kind)
                    .ok_or_else(|| StoreError::corrupt(format!("place kind {kind}")))?,
                name: r.try_get("name")?,
                address: String::new(),
                area: AreaCode::parse(&area)
                    .map_err(|e| StoreError::corrupt(format!("area code {area}: {e}")))?,
                grid: None,
                lon: r.try_get("lon")?,
                lat: r.try_get("lat")?,
                rank: rank_of(r.try_get("match_rank")?),
            });
        }
        let rows = sqlx::query(concat!(
            "SELECT name, address, grid_code, lon, lat, CAST(",
            building_rank!(),
            " AS BIGINT) AS match_rank FROM buildings
             WHERE address LIKE $3 ESCAPE '\\' OR name LIKE $3 ESCAPE '\\'
                OR CAST($4 AS TEXT) LIKE '%' || address || '%'
                OR (LENGTH(name) >= 4 AND CAST($4 AS TEXT) LIKE '%' || name || '%')
             ORDER BY ",
            building_rank!(),
            ", LENGTH(address), code LIMIT 50"
        ))
        .bind(text)
        .bind(&prefix)
        .bind(&inner)
        .bind(text)
        .fetch_all(&self.pool)
        .await?;
        for r in &rows {
            let grid: String = r.try_get("grid_code")?;
            let grid = GridCode::parse(&grid)
                .map_err(|e| StoreError::corrupt(format!("grid code {grid}: {e}")))?;
            hits.push(PlaceHit {
                kind: PlaceKind::Building,
                name: r.try_get("name")?,
                address: r.try_get("address")?,
                area: grid.community(),
                grid: Some(grid),
                lon: r.try_get("lon")?,
                lat: r.try_get("lat")?,
                rank: rank_of(r.try_get("match_rank")?),
            });
        }
        hits.sort_by_key(PlaceHit::order_key);
        hits.truncate(limit);
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_take_the_text_literally() {
        assert_eq!(like_literal("50%_a\\b"), "50\\%\\_a\\\\b");
        assert_eq!(like_literal("干将路"), "干将路");
    }
}
