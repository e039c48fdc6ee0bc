//! 矛盾调解 records: made on a visit, parties masked before they are stored; the outcome and
//! follow-up day change at the follow-up, logged.

use super::lists::RedGridFilter;
use super::{MediationRow, NewVisit, WriteResult, date_col, log, opt_date_col};
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use crate::{EventActor, Millis, now_millis};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::GridCode;
use gongzhi_domain::red_grid::{MediationDraft, MediationOutcome};
use serde_json::json;
use sqlx::Row;

const MEDIATION_SELECT: &str =
    "SELECT m.id, m.visit_id, m.household_id, h.code AS household_code, m.grid_code,
    m.mediator_id, v.visitor_name AS mediator_name, m.parties, m.issue, m.outcome, m.mediated_on,
    m.follow_up_on, m.created_at
    FROM mediations m
    JOIN households h ON h.id = m.household_id
    JOIN visits v ON v.id = m.visit_id";

fn mediation_row(r: &sqlx::any::AnyRow) -> Result<MediationRow, StoreError> {
    let outcome: String = r.try_get("outcome")?;
    let grid: String = r.try_get("grid_code")?;
    Ok(MediationRow {
        id: r.try_get("id")?,
        visit_id: r.try_get("visit_id")?,
        household_id: r.try_get("household_id")?,
        household_code: r.try_get("household_code")?,
        grid: GridCode::parse(&grid).map_err(|e| StoreError::corrupt(format!("grid {e}")))?,
        mediator_id: r.try_get("mediator_id")?,
        mediator_name: r.try_get("mediator_name")?,
        parties: r.try_get("parties")?,
        issue: r.try_get("issue")?,
        outcome: MediationOutcome::parse(&outcome)
            .ok_or_else(|| StoreError::corrupt(format!("mediation outcome {outcome}")))?,
        mediated_on: date_col(r, "mediated_on")?,
        follow_up_on: opt_date_col(r, "follow_up_on")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Writes a checked mediation made on visit `visit` inside the caller's transaction.
pub(super) async fn insert_mediation(
    conn: &mut sqlx::AnyConnection,
    visit: i64,
    v: &NewVisit,
    m: &MediationDraft,
    by: &EventActor,
    at: Millis,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query(
        "INSERT INTO mediations (visit_id, household_id, grid_code, mediator_id, parties, issue, outcome,
         mediated_on, follow_up_on, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(visit)
    .bind(v.household_id)
    .bind(v.grid.as_str())
    .bind(v.visitor_id)
    .bind(&m.parties)
    .bind(&m.issue)
    .bind(m.outcome.as_str())
    .bind(m.mediated_on.to_string())
    .bind(m.follow_up_on.map(|d| d.to_string()))
    .bind(at)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    log(
        conn,
        format!("mediation/{id}"),
        "created",
        json!({
            "type": "created",
            "grid": v.grid.as_str(),
            "household": v.household_id,
            "visit": visit,
            "parties": m.parties,
            "issue": m.issue,
            "outcome": m.outcome.as_str(),
            "mediated_on": m.mediated_on.to_string(),
            "follow_up_on": m.follow_up_on.map(|d| d.to_string()),
        }),
        by,
        at,
    )
    .await?;
    Ok(id)
}

impl Store {
    pub async fn mediation(&self, id: i64) -> Result<Option<MediationRow>, StoreError> {
        let row = sqlx::query(crate::cases::AssertSql::new(format!(
            "{MEDIATION_SELECT} WHERE m.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(mediation_row).transpose()
    }

    /// Mediations in the filter (an account: those it made), latest first, at most `limit`.
    pub async fn mediations(
        &self,
        f: &RedGridFilter,
        limit: i64,
    ) -> Result<Vec<MediationRow>, StoreError> {
        let mut sql = Sql::new(&format!("{MEDIATION_SELECT} WHERE 1 = 1"));
        Self::mediation_where(&mut sql, f);
        sql.push(" ORDER BY m.mediated_on DESC, m.id DESC LIMIT ")
            .bind(Arg::Int(limit));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(mediation_row).collect()
    }

    /// Mediations in the filter by outcome (the conflicts resolved are the `resolved` count).
    pub async fn mediation_counts(
        &self,
        f: &RedGridFilter,
    ) -> Result<Vec<(MediationOutcome, i64)>, StoreError> {
        let mut sql = Sql::new("SELECT m.outcome, COUNT(*) AS n FROM mediations m WHERE 1 = 1");
        Self::mediation_where(&mut sql, f);
        sql.push(" GROUP BY m.outcome");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        let mut out: Vec<(MediationOutcome, i64)> =
            MediationOutcome::ALL.iter().map(|o| (*o, 0)).collect();
        for r in &rows {
            let code: String = r.try_get("outcome")?;
            let n: i64 = r.try_get("n")?;
            if let Some(slot) = out.iter_mut().find(|(o, _)| o.as_str() == code) {
                slot.1 = n;
            }
        }
        Ok(out)
    }

    fn mediation_where(sql: &mut Sql, f: &RedGridFilter) {
        f.place(sql, "m.grid_code");
        f.days(sql, "m.mediated_on");
        if let Some(a) = f.account {
            sql.push(" AND m.mediator_id = ").bind(Arg::Int(a));
        }
        if let Some(h) = f.household {
            sql.push(" AND m.household_id = ").bind(Arg::Int(h));
        }
    }

    /// The follow-up: a new outcome and, while still unsettled, the next follow-up day.
    pub async fn follow_up_mediation(
        &self,
        id: i64,
        outcome: MediationOutcome,
        follow_up_on: Option<Date>,
        by: &EventActor,
    ) -> WriteResult<()> {
        let mut tx = self.write_tx().await?;
        let row = sqlx::query("SELECT mediated_on FROM mediations WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                StoreError::not_found(format!("调解记录 {id}"), format!("mediation {id}"))
            })?;
        outcome.check_follow_up(date_col(&row, "mediated_on")?, follow_up_on)?;
        sqlx::query("UPDATE mediations SET outcome = $1, follow_up_on = $2 WHERE id = $3")
            .bind(outcome.as_str())
            .bind(follow_up_on.map(|d| d.to_string()))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        log(
            &mut tx,
            format!("mediation/{id}"),
            "followed_up",
            json!({
                "type": "followed_up",
                "outcome": outcome.as_str(),
                "follow_up_on": follow_up_on.map(|d| d.to_string()),
            }),
            by,
            now_millis(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
