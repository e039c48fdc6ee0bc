//! A run's inputs (the window's cases, the baseline counts, the moves) and the stored findings.

use super::rows::{FindingFilter, FindingRow, RunCounts, RunRow};
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use gongzhi_domain::case::{Case, Event};
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_domain::diagnosis::{
    ActedKind, CaseFact, CaseMoves, CellCount, Evidence, FindingKind, Inputs, Move, MoveKind,
};
use gongzhi_domain::metrics::CaseFacts;
use sqlx::Row;
use sqlx::any::AnyRow;

const FINDING_SELECT: &str = "SELECT f.id, f.run_id, f.kind, f.finding_key, f.place_code,
    pa.name AS place_name, f.grid_code, g.name AS grid_name, f.category_code,
    c.name AS category_name, f.department_code, d.name AS department_name, f.score, f.evidence,
    f.case_ids, f.case_count, f.found_at, f.acted_kind, f.acted_ref, f.acted_by_name, f.acted_at
    FROM diagnosis_findings f
    LEFT JOIN areas pa ON pa.code = f.place_code
    LEFT JOIN grids g ON g.code = f.grid_code
    LEFT JOIN categories c ON c.code = f.category_code
    LEFT JOIN departments d ON d.code = f.department_code
    WHERE 1 = 1";

fn corrupt(what: &str, v: &str) -> StoreError {
    StoreError::corrupt(format!("diagnosis {what} {v}"))
}

fn finding_row(r: &AnyRow) -> Result<FindingRow, StoreError> {
    let kind: String = r.try_get("kind")?;
    let place: Option<String> = r.try_get("place_code")?;
    let grid: Option<String> = r.try_get("grid_code")?;
    let evidence: String = r.try_get("evidence")?;
    let ids: String = r.try_get("case_ids")?;
    let acted: Option<String> = r.try_get("acted_kind")?;
    Ok(FindingRow {
        id: r.try_get("id")?,
        run_id: r.try_get("run_id")?,
        kind: FindingKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        key: r.try_get("finding_key")?,
        place: place
            .map(|p| AreaCode::parse(&p).map_err(|_| corrupt("place", &p)))
            .transpose()?,
        place_name: r.try_get("place_name")?,
        grid: grid
            .map(|g| GridCode::parse(&g).map_err(|_| corrupt("grid", &g)))
            .transpose()?,
        grid_name: r.try_get("grid_name")?,
        category: r.try_get("category_code")?,
        category_name: r.try_get("category_name")?,
        department: r.try_get("department_code")?,
        department_name: r.try_get("department_name")?,
        score: r.try_get("score")?,
        evidence: serde_json::from_str::<Evidence>(&evidence)
            .map_err(|e| corrupt("evidence", &e.to_string()))?,
        case_ids: serde_json::from_str(&ids).map_err(|e| corrupt("cases", &e.to_string()))?,
        case_count: r.try_get("case_count")?,
        found_at: r.try_get("found_at")?,
        acted_kind: acted
            .map(|a| ActedKind::parse(&a).ok_or_else(|| corrupt("acted", &a)))
            .transpose()?,
        acted_ref: r.try_get("acted_ref")?,
        acted_by_name: r.try_get("acted_by_name")?,
        acted_at: r.try_get("acted_at")?,
    })
}

impl FindingFilter {
    fn apply(&self, sql: &mut Sql) {
        if let Some(a) = &self.area {
            sql.push(" AND f.place_code LIKE ")
                .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
        }
        if let Some(g) = &self.grid {
            sql.push(" AND f.grid_code = ")
                .bind(Arg::Text(g.as_str().into()));
        }
        if let Some(d) = &self.department {
            sql.push(" AND f.department_code = ")
                .bind(Arg::Text(d.clone()));
        }
        if let Some(k) = self.kind {
            sql.push(" AND f.kind = ")
                .bind(Arg::Text(k.as_str().into()));
        }
        if self.open_only {
            sql.push(" AND f.status = 'open'");
        }
    }
}

fn move_of(e: &Event) -> Option<(MoveKind, Option<String>)> {
    match e {
        Event::Dispatched { department, .. } => Some((MoveKind::Dispatched, department.clone())),
        Event::Returned { department, .. } => Some((MoveKind::Returned, department.clone())),
        Event::Redirected { to, .. } => Some((MoveKind::Redirected, Some(to.clone()))),
        _ => None,
    }
}

impl Store {
    /// What a run at `now` reads: the cases reported since `cases_from` (their place,
    /// category, department, counters and rating), the grid × category counts reported in
    /// `[baseline_from, baseline_to)`, and the dispatches, returns and redirections of the
    /// window's cases. Every read is bounded by report time through the `cases_reported` index.
    pub async fn diagnosis_inputs(
        &self,
        cases_from: i64,
        baseline_from: i64,
        baseline_to: i64,
    ) -> Result<(Inputs, RunCounts), StoreError> {
        let mut inputs = Inputs::default();
        let rows = sqlx::query(
            "SELECT id, category_code, community_code, grid_code, department_code, lon, lat,
             reported_at, state_json FROM cases WHERE reported_at >= $1",
        )
        .bind(cases_from)
        .fetch_all(&self.pool)
        .await?;
        for r in &rows {
            let json: String = r.try_get("state_json")?;
            let case: Case = serde_json::from_str(&json)
                .map_err(|e| StoreError::corrupt(format!("case state: {e}")))?;
            let community: Option<String> = r.try_get("community_code")?;
            let grid: Option<String> = r.try_get("grid_code")?;
            inputs.cases.push(CaseFact {
                id: r.try_get("id")?,
                category: r.try_get("category_code")?,
                community: community.and_then(|c| AreaCode::parse(&c).ok()),
                grid: grid.and_then(|g| GridCode::parse(&g).ok()),
                department: r.try_get("department_code")?,
                lon: r.try_get("lon")?,
                lat: r.try_get("lat")?,
                reported_at: r.try_get("reported_at")?,
                facts: CaseFacts::of(&case),
                rating: case.rating,
            });
        }
        drop(rows);
        let rows = sqlx::query(
            "SELECT grid_code, category_code, COUNT(*) AS n FROM cases
             WHERE reported_at >= $1 AND reported_at < $2 AND grid_code IS NOT NULL
             GROUP BY grid_code, category_code",
        )
        .bind(baseline_from)
        .bind(baseline_to)
        .fetch_all(&self.pool)
        .await?;
        for r in &rows {
            let g: String = r.try_get("grid_code")?;
            let Ok(grid) = GridCode::parse(&g) else {
                continue;
            };
            let n: i64 = r.try_get("n")?;
            inputs.baseline.push(CellCount {
                grid,
                category: r.try_get("category_code")?,
                count: n.max(0) as u64,
            });
        }
        let rows = sqlx::query(
            "SELECT e.case_id, e.payload, e.at FROM case_events e JOIN cases c ON c.id = e.case_id
             WHERE c.reported_at >= $1 AND e.kind IN ('dispatched', 'returned', 'redirected')
             ORDER BY e.case_id, e.seq",
        )
        .bind(cases_from)
        .fetch_all(&self.pool)
        .await?;
        let moves_read = rows.len() as i64;
        for r in &rows {
            let case_id: i64 = r.try_get("case_id")?;
            let payload: String = r.try_get("payload")?;
            let Some((kind, department)) = serde_json::from_str::<Event>(&payload)
                .ok()
                .as_ref()
                .and_then(move_of)
            else {
                continue;
            };
            let m = Move {
                kind,
                department,
                at: r.try_get("at")?,
            };
            match inputs.moves.last_mut() {
                Some(last) if last.case_id == case_id => last.moves.push(m),
                _ => inputs.moves.push(CaseMoves {
                    case_id,
                    moves: vec![m],
                }),
            }
        }
        let counts = RunCounts {
            cases_from,
            cases_read: inputs.cases.len() as i64,
            baseline_cells: inputs.baseline.len() as i64,
            moves_read,
        };
        Ok((inputs, counts))
    }

    /// Findings in the filter, the highest score first within each kind, at most `limit`.
    pub async fn diagnosis_findings(
        &self,
        f: &FindingFilter,
        limit: i64,
    ) -> Result<Vec<FindingRow>, StoreError> {
        let mut sql = Sql::new(FINDING_SELECT);
        f.apply(&mut sql);
        sql.push(" ORDER BY f.kind, f.score DESC, f.id LIMIT ")
            .bind(Arg::Int(limit));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(finding_row).collect()
    }

    pub async fn diagnosis_finding(&self, id: i64) -> Result<Option<FindingRow>, StoreError> {
        let mut sql = Sql::new(FINDING_SELECT);
        sql.push(" AND f.id = ").bind(Arg::Int(id));
        let row = sql.query(self.backend).fetch_optional(&self.pool).await?;
        row.as_ref().map(finding_row).transpose()
    }

    /// How many findings of each kind the filter holds.
    pub async fn count_diagnosis_findings(
        &self,
        f: &FindingFilter,
    ) -> Result<Vec<(FindingKind, i64)>, StoreError> {
        let mut sql =
            Sql::new("SELECT f.kind, COUNT(*) AS n FROM diagnosis_findings f WHERE 1 = 1");
        f.apply(&mut sql);
        sql.push(" GROUP BY f.kind");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        let mut out = Vec::new();
        for r in &rows {
            let k: String = r.try_get("kind")?;
            if let Some(kind) = FindingKind::parse(&k) {
                out.push((kind, r.try_get("n")?));
            }
        }
        Ok(out)
    }

    /// The last run, if any.
    pub async fn last_diagnosis_run(&self) -> Result<Option<RunRow>, StoreError> {
        let r = sqlx::query(
            "SELECT id, started_at, finished_at, cases_from, cases_read, baseline_cells,
             moves_read, findings, by_name FROM diagnosis_runs ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| {
            Ok(RunRow {
                id: r.try_get("id")?,
                started_at: r.try_get("started_at")?,
                finished_at: r.try_get("finished_at")?,
                cases_from: r.try_get("cases_from")?,
                cases_read: r.try_get("cases_read")?,
                baseline_cells: r.try_get("baseline_cells")?,
                moves_read: r.try_get("moves_read")?,
                findings: r.try_get("findings")?,
                by_name: r.try_get("by_name")?,
            })
        })
        .transpose()
    }
}
