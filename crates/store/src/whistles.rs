//! 吹哨报到 in the store. A whistle's facts are case events and its state is part of the case
//! (`state_json`); the `whistles` and `whistle_parts` tables project it for what lists and jobs
//! filter on — the street, the summoned department, open parts, late check-ins, the check-in
//! clock — and are rewritten inside the case's own transaction whenever a whistle event is
//! recorded. The street's grants to communities live in `whistle_grants`.

use crate::cases::{AssertSql, CASE_COLUMNS, case_row};
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use crate::{CaseRow, Millis};
use gongzhi_domain::case::Case;
use gongzhi_domain::codes::AreaCode;
use sqlx::Row;

/// Which whistles a board or a scorecard reads.
#[derive(Clone, Debug, Default)]
pub struct WhistleFilter {
    /// Whistles on cases inside this area (by the case's community, else the whistle's street).
    pub area: Option<AreaCode>,
    /// Whistles that summoned this department.
    pub department: Option<String>,
    /// Only whistles with a part still open (for `department`: its own part open).
    pub open_only: bool,
    /// Only parts summoned in `[from, to)` (unix ms).
    pub summoned_from: Option<Millis>,
    pub summoned_to: Option<Millis>,
    pub limit: i64,
}

/// Rewrites the projection of `case`'s whistles (within the case's transaction).
pub(crate) async fn sync<X: crate::exec::Exec>(x: &mut X, case: &Case) -> Result<(), StoreError> {
    for table in ["whistle_parts", "whistles"] {
        let mut q = Sql::new(&format!("DELETE FROM {table} WHERE case_id = "));
        q.bind(Arg::Int(case.id));
        x.execute(&q).await?;
    }
    if case.whistles.is_empty() {
        return Ok(());
    }
    let community = case.community.map(|c| c.as_str().to_string());
    let mut w = Sql::new(
        "INSERT INTO whistles (case_id, whistle_no, street_code, community_code, urgent, blown_at, is_open) VALUES ",
    );
    w.values(case.whistles.iter().map(|x| {
        vec![
            Arg::Int(case.id),
            Arg::Int(i64::from(x.no)),
            Arg::OptText(x.street.map(|s| s.as_str().to_string())),
            Arg::OptText(community.clone()),
            Arg::Int(i64::from(x.urgent)),
            Arg::Int(x.blown_at),
            Arg::Int(i64::from(x.is_open())),
        ]
    }));
    x.execute(&w).await?;
    let parts: Vec<Vec<Arg>> = case
        .whistles
        .iter()
        .flat_map(|x| x.parts.iter().map(move |p| (x.no, p)))
        .map(|(no, p)| {
            vec![
                Arg::Int(case.id),
                Arg::Int(i64::from(no)),
                Arg::Text(p.department.clone()),
                Arg::Text(p.state().as_str().into()),
                Arg::Int(i64::from(p.is_open())),
                Arg::Int(i64::from(p.is_late())),
                Arg::Int(p.summoned_at),
                Arg::Int(p.deadline),
                Arg::OptInt(p.clock_at()),
            ]
        })
        .collect();
    if !parts.is_empty() {
        let mut s = Sql::new(
            "INSERT INTO whistle_parts (case_id, whistle_no, department_code, state, is_open, late, summoned_at, deadline, clock_at) VALUES ",
        );
        s.values(parts);
        x.execute(&s).await?;
    }
    Ok(())
}

impl Store {
    /// Cases with whistles matching `f`, the most recently blown first.
    pub async fn whistle_cases(&self, f: &WhistleFilter) -> Result<Vec<CaseRow>, StoreError> {
        let mut sql = Sql::new(&format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE id IN (SELECT w.case_id FROM whistles w"
        ));
        let by_part =
            f.department.is_some() || f.summoned_from.is_some() || f.summoned_to.is_some();
        if by_part {
            sql.push(
                " JOIN whistle_parts p ON p.case_id = w.case_id AND p.whistle_no = w.whistle_no",
            );
        }
        sql.push(" WHERE 1 = 1");
        if let Some(a) = &f.area {
            let prefix = format!("{}%", crate::geo_data::area_prefix(a));
            sql.push(" AND (w.community_code LIKE ")
                .bind(Arg::Text(prefix.clone()))
                .push(" OR (w.community_code IS NULL AND w.street_code LIKE ")
                .bind(Arg::Text(prefix))
                .push("))");
        }
        if let Some(d) = &f.department {
            sql.push(" AND p.department_code = ")
                .bind(Arg::Text(d.clone()));
        }
        if f.open_only {
            sql.push(if f.department.is_some() {
                " AND p.is_open = 1"
            } else {
                " AND w.is_open = 1"
            });
        }
        if let Some(t) = f.summoned_from {
            sql.push(" AND p.summoned_at >= ").bind(Arg::Int(t));
        }
        if let Some(t) = f.summoned_to {
            sql.push(" AND p.summoned_at < ").bind(Arg::Int(t));
        }
        sql.push(") ORDER BY (SELECT MAX(x.blown_at) FROM whistles x WHERE x.case_id = cases.id) DESC, id DESC LIMIT ")
            .bind(Arg::Int(f.limit.clamp(1, 100_000)));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(case_row).collect()
    }

    /// Cases with a summoned part whose check-in clock point (reminder, then deadline) has come:
    /// what the check-in job looks at, oldest first.
    pub async fn whistle_cases_due(
        &self,
        now: Millis,
        limit: i64,
    ) -> Result<Vec<CaseRow>, StoreError> {
        let rows = sqlx::query(AssertSql::new(format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE id IN (SELECT case_id FROM whistle_parts WHERE clock_at IS NOT NULL AND clock_at <= $1) ORDER BY id LIMIT $2"
        )))
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(case_row).collect()
    }

    /// Clears the check-in clock of a part the job found nothing due on (the case moved
    /// meanwhile); the next change of the case recomputes it.
    pub async fn reset_whistle_clock(
        &self,
        case_id: i64,
        whistle_no: u32,
        department: &str,
        clock_at: Option<Millis>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "UPDATE whistle_parts SET clock_at = $1 WHERE case_id = $2 AND whistle_no = $3 AND department_code = $4",
        )
        .bind(clock_at)
        .bind(case_id)
        .bind(i64::from(whistle_no))
        .bind(department)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Open parts per department, and how many of them are late: the departments' boards' badges.
    pub async fn open_summons_by_department(&self) -> Result<Vec<(String, i64, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT department_code, COUNT(*) AS n, CAST(COALESCE(SUM(late), 0) AS BIGINT) AS late FROM whistle_parts WHERE is_open = 1 GROUP BY department_code ORDER BY department_code",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("department_code")?,
                    r.try_get("n")?,
                    r.try_get("late")?,
                ))
            })
            .collect()
    }

    /// The communities and streets whose staff may blow the whistle.
    pub async fn whistle_grants(&self) -> Result<Vec<AreaCode>, StoreError> {
        let rows = sqlx::query("SELECT area_code FROM whistle_grants ORDER BY area_code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let code: String = r.try_get("area_code")?;
                AreaCode::parse(&code).map_err(|e| StoreError::corrupt(format!("grant: {e}")))
            })
            .collect()
    }

    /// Grants (or withdraws) the whistle to a community or to all communities of a street.
    pub async fn set_whistle_grant(
        &self,
        area: &AreaCode,
        granted: bool,
        by: Option<i64>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        if granted {
            sqlx::query(
                "INSERT INTO whistle_grants (area_code, granted_by, granted_at) VALUES ($1, $2, $3)
                 ON CONFLICT (area_code) DO UPDATE SET granted_by = excluded.granted_by, granted_at = excluded.granted_at",
            )
            .bind(area.as_str())
            .bind(by)
            .bind(crate::now_millis())
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query("DELETE FROM whistle_grants WHERE area_code = $1")
                .bind(area.as_str())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
