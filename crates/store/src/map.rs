//! The dynamic map's reads: per grid, the cases of a range summed in one grouped query; cases
//! gathered into cells of a given size (count and centroid) so that millions of cases never
//! leave the database one by one; single points only for a small box. Every read takes the
//! caller's `CaseFilter` (the policy's listing narrowed by the query), the same as the lists.

use crate::cases::CaseFilter;
use crate::db::Store;
use crate::error::StoreError;
use crate::exec::Cols;
use crate::sql::{Arg, Sql};
use gongzhi_domain::metrics::FollowUps;
use gongzhi_domain::metrics::map::GridTally;
use serde::Serialize;

/// A map's visible box in degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BBox {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

/// Which cases a point read keeps besides the filter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MapCases {
    #[default]
    All,
    /// Cases on which a street blew the whistle (吹哨).
    Whistled,
}

/// Cases gathered in one cell: how many and where their centre is.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CaseCell {
    pub count: i64,
    pub lon: f64,
    pub lat: f64,
}

/// One case as a point on the map.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CasePoint {
    pub id: i64,
    pub ticket: String,
    pub lon: f64,
    pub lat: f64,
    pub state: String,
    pub category: String,
    pub address: String,
}

/// `floor(x)` written the same on both backends: SQLite's CAST truncates, PostgreSQL's rounds;
/// either way one less when the cast landed above `x`.
fn floor_of(expr: &str) -> String {
    format!(
        "(CAST({expr} AS BIGINT) - CASE WHEN CAST({expr} AS BIGINT) > {expr} THEN 1 ELSE 0 END)"
    )
}

fn from_cases(sql: &mut Sql, f: &CaseFilter, kind: MapCases, bbox: Option<&BBox>) {
    sql.push(" FROM cases WHERE lon IS NOT NULL AND lat IS NOT NULL");
    if kind == MapCases::Whistled {
        sql.push(" AND EXISTS (SELECT 1 FROM whistles w WHERE w.case_id = cases.id)");
    }
    if let Some(b) = bbox {
        sql.push(" AND lon >= ")
            .bind(Arg::Real(b.west))
            .push(" AND lon <= ")
            .bind(Arg::Real(b.east))
            .push(" AND lat >= ")
            .bind(Arg::Real(b.south))
            .push(" AND lat <= ")
            .bind(Arg::Real(b.north));
    }
    Store::case_conditions(sql, f, false);
}

impl Store {
    /// Each grid's sums over the filtered cases (the range is the filter's report times, read
    /// through the report-time index): cases, open ones past their deadline, and the follow-ups'
    /// satisfaction. One grouped query, whatever the number of grids.
    pub async fn grid_tallies(
        &self,
        f: &CaseFilter,
    ) -> Result<Vec<(String, GridTally)>, StoreError> {
        let mut sql = Sql::new(
            "SELECT grid_code, COUNT(*) AS cases,
             CAST(COALESCE(SUM(CASE WHEN overdue = 1 AND closed_at IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS overdue_open,
             CAST(COALESCE(SUM(CASE WHEN satisfaction = 'satisfied' THEN 1 ELSE 0 END), 0) AS BIGINT) AS satisfied,
             CAST(COALESCE(SUM(CASE WHEN satisfaction = 'basically_satisfied' THEN 1 ELSE 0 END), 0) AS BIGINT) AS basically,
             CAST(COALESCE(SUM(CASE WHEN satisfaction = 'unsatisfied' THEN 1 ELSE 0 END), 0) AS BIGINT) AS unsatisfied
             FROM cases WHERE grid_code IS NOT NULL",
        );
        Self::case_conditions(&mut sql, f, false);
        sql.push(" GROUP BY grid_code ORDER BY grid_code");
        self.read(
            &sql,
            |r| r.iter().map(grid_tally).collect(),
            |r| r.iter().map(grid_tally).collect(),
        )
        .await
    }

    /// The filtered cases inside `bbox` gathered into square cells of `cell` degrees (aligned on
    /// the meridian and the equator, so that a cell is the same whatever the box): count and
    /// centroid of each, most cases first.
    pub async fn case_cells(
        &self,
        f: &CaseFilter,
        kind: MapCases,
        bbox: &BBox,
        cell: f64,
    ) -> Result<Vec<CaseCell>, StoreError> {
        let cell = cell.max(1e-6);
        let mut sql = Sql::new("SELECT COUNT(*) AS n, AVG(lon) AS lon, AVG(lat) AS lat");
        from_cases(&mut sql, f, kind, Some(bbox));
        // The cell size is a number computed here, not input, written into the text: a bound
        // parameter would make the GROUP BY expression differ from itself on PostgreSQL.
        let cx = floor_of(&format!("(lon / {cell:.12})"));
        let cy = floor_of(&format!("(lat / {cell:.12})"));
        sql.push(&format!(" GROUP BY {cx}, {cy} ORDER BY n DESC LIMIT 5000"));
        self.read(
            &sql,
            |r| r.iter().map(case_cell).collect(),
            |r| r.iter().map(case_cell).collect(),
        )
        .await
    }

    /// How many filtered cases lie inside `bbox`.
    pub async fn count_map_cases(
        &self,
        f: &CaseFilter,
        kind: MapCases,
        bbox: &BBox,
    ) -> Result<i64, StoreError> {
        let mut sql = Sql::new("SELECT COUNT(*) AS n");
        from_cases(&mut sql, f, kind, Some(bbox));
        let n: Vec<i64> = self
            .read(
                &sql,
                |r| r.iter().map(|r| r.int("n")).collect(),
                |r| r.iter().map(|r| r.int("n")).collect(),
            )
            .await?;
        Ok(n.into_iter().next().unwrap_or(0))
    }

    /// Up to `limit` filtered cases inside `bbox`, newest first, as points.
    pub async fn case_points(
        &self,
        f: &CaseFilter,
        kind: MapCases,
        bbox: &BBox,
        limit: i64,
    ) -> Result<Vec<CasePoint>, StoreError> {
        let mut sql = Sql::new("SELECT id, ticket, lon, lat, state, category_code, address");
        from_cases(&mut sql, f, kind, Some(bbox));
        sql.push(" ORDER BY reported_at DESC, id DESC LIMIT ")
            .bind(Arg::Int(limit.clamp(1, 10_000)));
        self.read(
            &sql,
            |r| r.iter().map(case_point).collect(),
            |r| r.iter().map(case_point).collect(),
        )
        .await
    }
}

fn grid_tally(r: &impl Cols) -> Result<(String, GridTally), StoreError> {
    let n = |c: &str| -> Result<u64, StoreError> { Ok(r.int(c)?.max(0) as u64) };
    let (satisfied, basically_satisfied, unsatisfied) =
        (n("satisfied")?, n("basically")?, n("unsatisfied")?);
    Ok((
        r.text("grid_code")?,
        GridTally {
            cases: n("cases")?,
            overdue_open: n("overdue_open")?,
            follow_ups: FollowUps {
                valid: satisfied + basically_satisfied + unsatisfied,
                satisfied,
                basically_satisfied,
                unsatisfied,
                ..FollowUps::default()
            },
        },
    ))
}

fn real(r: &impl Cols, c: &str) -> Result<f64, StoreError> {
    r.opt_real(c)?
        .ok_or_else(|| StoreError::corrupt(format!("{c} is NULL")))
}

fn case_cell(r: &impl Cols) -> Result<CaseCell, StoreError> {
    Ok(CaseCell {
        count: r.int("n")?,
        lon: real(r, "lon")?,
        lat: real(r, "lat")?,
    })
}

fn case_point(r: &impl Cols) -> Result<CasePoint, StoreError> {
    Ok(CasePoint {
        id: r.int("id")?,
        ticket: r.text("ticket")?,
        lon: real(r, "lon")?,
        lat: real(r, "lat")?,
        state: r.text("state")?,
        category: r.text("category_code")?,
        address: r.text("address")?,
    })
}
