//! 走访 (民情日记): a visit with its photo and, on a conflict mediation, the mediation record, in
//! one transaction with their log events; the case raised from it noted afterwards, once.

use super::lists::RedGridFilter;
use super::{VisitPhoto, VisitRow, WriteResult, date_col, log};
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use crate::{EventActor, Millis, NewPhoto};
use gongzhi_domain::codes::GridCode;
use gongzhi_domain::red_grid::{MediationDraft, RedGridError, VisitDraft, VisitPurpose};
use serde_json::json;
use sqlx::Row;

/// A checked visit to store.
#[derive(Clone, Debug)]
pub struct NewVisit {
    pub household_id: i64,
    pub grid: GridCode,
    pub visitor_id: i64,
    pub visitor_name: String,
    pub visit: VisitDraft,
    /// Already on disk.
    pub photo: Option<NewPhoto>,
    /// A checked mediation record made on the visit.
    pub mediation: Option<MediationDraft>,
}

const VISIT_SELECT: &str = "SELECT v.id, v.household_id, h.code AS household_code,
    b.address, b.name AS building_name, h.room, v.grid_code, v.visitor_id, v.visitor_name,
    v.purpose, v.visited_on, v.notes, v.photo_path, v.photo_mime, v.photo_sha256, v.case_id,
    c.ticket, c.state AS case_state, (SELECT MIN(m.id) FROM mediations m WHERE m.visit_id = v.id) AS mediation_id,
    v.created_at
    FROM visits v
    JOIN households h ON h.id = v.household_id
    JOIN buildings b ON b.id = h.building_id
    LEFT JOIN cases c ON c.id = v.case_id";

fn visit_row(r: &sqlx::any::AnyRow) -> Result<VisitRow, StoreError> {
    let purpose: String = r.try_get("purpose")?;
    let grid: String = r.try_get("grid_code")?;
    let path: Option<String> = r.try_get("photo_path")?;
    let photo = match path {
        Some(path) => Some(VisitPhoto {
            path,
            mime: r
                .try_get::<Option<String>, _>("photo_mime")?
                .unwrap_or_default(),
            sha256: r
                .try_get::<Option<String>, _>("photo_sha256")?
                .unwrap_or_default(),
        }),
        None => None,
    };
    Ok(VisitRow {
        id: r.try_get("id")?,
        household_id: r.try_get("household_id")?,
        household_code: r.try_get("household_code")?,
        address: super::place_text(
            &r.try_get::<String, _>("address")?,
            &r.try_get::<String, _>("building_name")?,
            &r.try_get::<String, _>("room")?,
        ),
        grid: GridCode::parse(&grid).map_err(|e| StoreError::corrupt(format!("grid {e}")))?,
        visitor_id: r.try_get("visitor_id")?,
        visitor_name: r.try_get("visitor_name")?,
        purpose: VisitPurpose::parse(&purpose)
            .ok_or_else(|| StoreError::corrupt(format!("visit purpose {purpose}")))?,
        visited_on: date_col(r, "visited_on")?,
        notes: r.try_get("notes")?,
        photo,
        case_id: r.try_get("case_id")?,
        ticket: r.try_get("ticket")?,
        case_state: r.try_get("case_state")?,
        mediation_id: r.try_get("mediation_id")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Writes a visit (and its mediation) on `conn` inside the caller's transaction.
pub(super) async fn insert_visit(
    conn: &mut sqlx::AnyConnection,
    v: &NewVisit,
    by: &EventActor,
    at: Millis,
) -> Result<(i64, Option<i64>), StoreError> {
    let id: i64 = sqlx::query(
        "INSERT INTO visits (household_id, grid_code, visitor_id, visitor_name, purpose, visited_on, notes,
         photo_path, photo_mime, photo_sha256, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(v.household_id)
    .bind(v.grid.as_str())
    .bind(v.visitor_id)
    .bind(&v.visitor_name)
    .bind(v.visit.purpose.as_str())
    .bind(v.visit.visited_on.to_string())
    .bind(&v.visit.notes)
    .bind(v.photo.as_ref().map(|p| p.path.clone()))
    .bind(v.photo.as_ref().map(|p| p.mime.clone()))
    .bind(v.photo.as_ref().map(|p| p.sha256.clone()))
    .bind(at)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    // Hashed on the log but the ids and codes: no name, note or day in clear.
    log(
        conn,
        format!("visit/{id}"),
        "created",
        json!({
            "type": "created",
            "grid": v.grid.as_str(),
            "household": v.household_id,
            "purpose": v.visit.purpose.as_str(),
            "visited_on": v.visit.visited_on.to_string(),
            "visitor": v.visitor_id,
            "notes": v.visit.notes,
            "photo": v.photo.as_ref().map(|p| p.sha256.clone()),
        }),
        by,
        at,
    )
    .await?;
    let mediation = match &v.mediation {
        Some(m) => Some(super::mediations::insert_mediation(conn, id, v, m, by, at).await?),
        None => None,
    };
    Ok((id, mediation))
}

impl Store {
    /// Records a checked visit (with its mediation record, if any) and logs both.
    pub async fn add_visit(
        &self,
        v: &NewVisit,
        by: &EventActor,
    ) -> WriteResult<(i64, Option<i64>)> {
        self.add_visit_at(v, by, crate::now_millis()).await
    }

    /// [`Store::add_visit`] as of `at` (the demo writes weeks of diaries).
    pub async fn add_visit_at(
        &self,
        v: &NewVisit,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<(i64, Option<i64>)> {
        let mut tx = self.write_tx().await?;
        let ids = insert_visit(&mut tx, v, by, at).await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// Notes the case raised from a visit (once), logged.
    pub async fn set_visit_case(
        &self,
        visit: i64,
        case_id: i64,
        ticket: &str,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<()> {
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(
            "SELECT v.case_id, c.ticket FROM visits v LEFT JOIN cases c ON c.id = v.case_id WHERE v.id = $1",
        )
        .bind(visit)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("走访记录 {visit}"), format!("visit {visit}")))?;
        let raised: Option<i64> = row.try_get("case_id")?;
        if raised.is_some() {
            return Err(RedGridError::CaseAlreadyRaised {
                ticket: row
                    .try_get::<Option<String>, _>("ticket")?
                    .unwrap_or_default(),
            }
            .into());
        }
        sqlx::query("UPDATE visits SET case_id = $1 WHERE id = $2 AND case_id IS NULL")
            .bind(case_id)
            .bind(visit)
            .execute(&mut *tx)
            .await?;
        log(
            &mut tx,
            format!("visit/{visit}"),
            "case_raised",
            json!({"type": "case_raised", "ticket": ticket}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn visit(&self, id: i64) -> Result<Option<VisitRow>, StoreError> {
        let row = sqlx::query(crate::cases::AssertSql::new(format!(
            "{VISIT_SELECT} WHERE v.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(visit_row).transpose()
    }

    /// Visits in the filter, newest first, at most `limit`. With an account: the visits it
    /// made and those to the households it serves now.
    pub async fn visits(&self, f: &RedGridFilter, limit: i64) -> Result<Vec<VisitRow>, StoreError> {
        let mut sql = Sql::new(&format!("{VISIT_SELECT} WHERE 1 = 1"));
        f.place(&mut sql, "v.grid_code");
        f.days(&mut sql, "v.visited_on");
        if let Some(h) = f.household {
            sql.push(" AND v.household_id = ").bind(Arg::Int(h));
        }
        if let Some(a) = f.account {
            sql.push(" AND (v.visitor_id = ")
                .bind(Arg::Int(a))
                .push(" OR v.household_id IN (SELECT household_id FROM household_links WHERE ended_on IS NULL AND account_id = ")
                .bind(Arg::Int(a))
                .push("))");
        }
        sql.push(" ORDER BY v.visited_on DESC, v.id DESC LIMIT ")
            .bind(Arg::Int(limit));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(visit_row).collect()
    }

    /// How many visits the filter holds.
    pub async fn count_visits(&self, f: &RedGridFilter) -> Result<i64, StoreError> {
        let mut sql = Sql::new("SELECT COUNT(*) AS n FROM visits v WHERE 1 = 1");
        f.place(&mut sql, "v.grid_code");
        f.days(&mut sql, "v.visited_on");
        if let Some(a) = f.account {
            sql.push(" AND v.visitor_id = ").bind(Arg::Int(a));
        }
        Ok(sql
            .query(self.backend)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }
}
