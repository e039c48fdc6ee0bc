//! Livelihood writes, each one transaction with its log event: codes, ids, dates, amounts in
//! fen and percentages in clear; texts hashed by the log; never a person's name.

use crate::db::Store;
use crate::error::StoreError;
use crate::notice_board::insert_notice;
use crate::red_grid::log;
use crate::{EventActor, Millis};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::livelihood::{
    InspectionDraft, InvestigationDraft, LivelihoodError, ProgressDraft, ProjectDraft,
    Rectification, ResponsibilityDraft, disclosure,
};
use gongzhi_domain::notice_board::NoticeKind;
use serde_json::json;
use sqlx::Row;

/// A livelihood write refused by the rules on what is stored, or failed in the store.
#[derive(Debug)]
pub enum LivelihoodWriteError {
    Refused(LivelihoodError),
    Store(StoreError),
}

impl From<StoreError> for LivelihoodWriteError {
    fn from(e: StoreError) -> Self {
        LivelihoodWriteError::Store(e)
    }
}

impl From<sqlx::Error> for LivelihoodWriteError {
    fn from(e: sqlx::Error) -> Self {
        LivelihoodWriteError::Store(e.into())
    }
}

fn project_subject(id: i64) -> String {
    format!("livelihood_project/{id}")
}

impl Store {
    pub async fn add_livelihood_responsibility(
        &self,
        r: &ResponsibilityDraft,
        by: &EventActor,
        at: Millis,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO livelihood_responsibilities (area_code, department_code, post,
             policy_area, duties, created_by_name, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(r.area.as_str())
        .bind(r.department.clone())
        .bind(&r.post)
        .bind(&r.policy_area)
        .bind(&r.duties)
        .bind(&by.name)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        log(
            &mut tx,
            format!("livelihood_responsibility/{id}"),
            "created",
            json!({"type": "created", "area": r.area.as_str(), "department": r.department,
                   "post": r.post, "policy_area": r.policy_area, "duties": r.duties}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn create_livelihood_project(
        &self,
        p: &ProjectDraft,
        by: &EventActor,
        at: Millis,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO livelihood_projects (name, area_code, department_code, budget_fen,
             allocated_fen, disbursed_fen, beneficiaries, progress, created_by_name, created_at,
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(&p.name)
        .bind(p.area.as_str())
        .bind(p.department.clone())
        .bind(p.budget_fen)
        .bind(p.allocated_fen)
        .bind(p.disbursed_fen)
        .bind(p.beneficiaries)
        .bind(p.progress)
        .bind(&by.name)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        log(
            &mut tx,
            project_subject(id),
            "created",
            json!({"type": "created", "name": p.name, "area": p.area.as_str(),
                   "department": p.department, "budget_fen": p.budget_fen,
                   "allocated_fen": p.allocated_fen, "disbursed_fen": p.disbursed_fen,
                   "beneficiaries": p.beneficiaries, "progress": p.progress}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A dated progress update: the project's progress and disbursed funds follow it.
    /// `check` is the domain's check against the locked project's allocated funds.
    pub async fn add_livelihood_progress(
        &self,
        project: i64,
        u: ProgressDraft,
        by: &EventActor,
        at: Millis,
    ) -> Result<i64, LivelihoodWriteError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("UPDATE livelihood_projects SET updated_at = updated_at WHERE id = $1")
            .bind(project)
            .execute(&mut *tx)
            .await?;
        let allocated: i64 =
            sqlx::query("SELECT allocated_fen FROM livelihood_projects WHERE id = $1")
                .bind(project)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| {
                    StoreError::not_found(
                        format!("民生项目 {project}"),
                        format!("livelihood project {project}"),
                    )
                })?
                .try_get("allocated_fen")?;
        let u = u
            .checked(allocated)
            .map_err(LivelihoodWriteError::Refused)?;
        let id: i64 = sqlx::query(
            "INSERT INTO livelihood_progress (project_id, on_date, progress, disbursed_fen, note,
             by_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(project)
        .bind(u.on.to_string())
        .bind(u.progress)
        .bind(u.disbursed_fen)
        .bind(&u.note)
        .bind(&by.name)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        sqlx::query(
            "UPDATE livelihood_projects SET progress = $1, disbursed_fen = $2, updated_at = $3
             WHERE id = $4",
        )
        .bind(u.progress)
        .bind(u.disbursed_fen)
        .bind(at)
        .bind(project)
        .execute(&mut *tx)
        .await?;
        log(
            &mut tx,
            project_subject(project),
            "progress",
            json!({"type": "progress", "on": u.on.to_string(), "progress": u.progress,
                   "disbursed_fen": u.disbursed_fen, "note": u.note}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A supervision record (inspection) of a project; `order` is the 督办 order it opened.
    pub async fn add_livelihood_inspection(
        &self,
        project: i64,
        i: &InspectionDraft,
        order: Option<i64>,
        by: &EventActor,
        at: Millis,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO livelihood_inspections (project_id, on_date, by_post, findings,
             rectification, order_id, by_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             RETURNING id",
        )
        .bind(project)
        .bind(i.on.to_string())
        .bind(&i.by_post)
        .bind(&i.findings)
        .bind(i.rectification.as_str())
        .bind(order)
        .bind(&by.name)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        log(
            &mut tx,
            project_subject(project),
            "inspected",
            json!({"type": "inspected", "inspection": id, "on": i.on.to_string(),
                   "post": i.by_post, "findings": i.findings,
                   "status": i.rectification.as_str(), "order": order}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A rectification required by an inspection is done (or required again).
    pub async fn set_livelihood_rectification(
        &self,
        inspection: i64,
        state: Rectification,
        by: &EventActor,
        at: Millis,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let project: i64 = sqlx::query(
            "UPDATE livelihood_inspections SET rectification = $1 WHERE id = $2
             RETURNING project_id",
        )
        .bind(state.as_str())
        .bind(inspection)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            StoreError::not_found(
                format!("监督记录 {inspection}"),
                format!("inspection {inspection}"),
            )
        })?
        .try_get("project_id")?;
        log(
            &mut tx,
            project_subject(project),
            "rectification",
            json!({"type": "rectification", "inspection": inspection, "status": state.as_str()}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(project)
    }

    pub async fn add_livelihood_investigation(
        &self,
        project: i64,
        v: &InvestigationDraft,
        by: &EventActor,
        at: Millis,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO livelihood_investigations (project_id, matter, handling, result,
             report_ref, by_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(project)
        .bind(&v.matter)
        .bind(&v.handling)
        .bind(&v.result)
        .bind(v.report_ref)
        .bind(&by.name)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        log(
            &mut tx,
            project_subject(project),
            "investigated",
            json!({"type": "investigated", "investigation": id, "matter": v.matter,
                   "handling": v.handling, "result": v.result, "report": v.report_ref}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Publishes the project's disclosure (funds, beneficiaries, progress as stored now) on
    /// the notice board as a notice of `kind`, in one transaction with the disclosure record;
    /// returns the notice's id.
    pub async fn disclose_livelihood_project(
        &self,
        project: i64,
        kind: NoticeKind,
        today: Date,
        by: &EventActor,
        at: Millis,
    ) -> Result<i64, LivelihoodWriteError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("UPDATE livelihood_projects SET updated_at = updated_at WHERE id = $1")
            .bind(project)
            .execute(&mut *tx)
            .await?;
        let r = sqlx::query(
            "SELECT name, area_code, department_code, budget_fen, allocated_fen, disbursed_fen,
             beneficiaries, progress FROM livelihood_projects WHERE id = $1",
        )
        .bind(project)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            StoreError::not_found(
                format!("民生项目 {project}"),
                format!("livelihood project {project}"),
            )
        })?;
        let area: String = r.try_get("area_code")?;
        let p = ProjectDraft {
            name: r.try_get("name")?,
            area: gongzhi_domain::codes::AreaCode::parse(&area)
                .map_err(|e| StoreError::corrupt(format!("project area {area}: {e}")))?,
            department: r.try_get("department_code")?,
            budget_fen: r.try_get("budget_fen")?,
            allocated_fen: r.try_get("allocated_fen")?,
            disbursed_fen: r.try_get("disbursed_fen")?,
            beneficiaries: r.try_get("beneficiaries")?,
            progress: r.try_get("progress")?,
        };
        let notice = disclosure(&p, project, kind, today).map_err(LivelihoodWriteError::Refused)?;
        let notice_id = insert_notice(&mut tx, &notice, true, by, at).await?;
        sqlx::query(
            "INSERT INTO livelihood_disclosures (project_id, notice_id, kind, at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(project)
        .bind(notice_id)
        .bind(kind.as_str())
        .bind(at)
        .execute(&mut *tx)
        .await?;
        log(
            &mut tx,
            project_subject(project),
            "disclosed",
            json!({"type": "disclosed", "notice": notice_id, "kind": kind.as_str(),
                   "budget_fen": p.budget_fen, "allocated_fen": p.allocated_fen,
                   "disbursed_fen": p.disbursed_fen, "beneficiaries": p.beneficiaries,
                   "progress": p.progress}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(notice_id)
    }
}
