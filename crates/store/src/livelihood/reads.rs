//! The four databases as the livelihood pages and the handbook read them.

use super::rows::{
    DisclosureRow, InspectionRow, InvestigationRow, LivelihoodFilter, ProgressRow, ProjectRow,
    ResponsibilityRow,
};
use crate::db::Store;
use crate::error::StoreError;
use crate::red_grid::date_col;
use crate::sql::{Arg, Sql};
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::livelihood::Rectification;
use gongzhi_domain::notice_board::NoticeKind;
use sqlx::Row;
use sqlx::any::AnyRow;

const PROJECT_SELECT: &str = "SELECT p.id, p.name, p.area_code, COALESCE(a.name, p.area_code)
    AS area_name, p.department_code, d.name AS department_name, p.budget_fen, p.allocated_fen,
    p.disbursed_fen, p.beneficiaries, p.progress, p.created_by_name, p.created_at, p.updated_at,
    (SELECT COUNT(*) FROM livelihood_inspections i WHERE i.project_id = p.id
     AND i.rectification = 'required') AS open_rectifications
    FROM livelihood_projects p LEFT JOIN areas a ON a.code = p.area_code
    LEFT JOIN departments d ON d.code = p.department_code WHERE 1 = 1";

fn area_col(r: &AnyRow, col: &str) -> Result<AreaCode, StoreError> {
    let s: String = r.try_get(col)?;
    AreaCode::parse(&s).map_err(|e| StoreError::corrupt(format!("{col} {s}: {e}")))
}

fn project_row(r: &AnyRow) -> Result<ProjectRow, StoreError> {
    Ok(ProjectRow {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        area: area_col(r, "area_code")?,
        area_name: r.try_get("area_name")?,
        department: r.try_get("department_code")?,
        department_name: r.try_get("department_name")?,
        budget_fen: r.try_get("budget_fen")?,
        allocated_fen: r.try_get("allocated_fen")?,
        disbursed_fen: r.try_get("disbursed_fen")?,
        beneficiaries: r.try_get("beneficiaries")?,
        progress: r.try_get("progress")?,
        created_by_name: r.try_get("created_by_name")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        open_rectifications: r.try_get("open_rectifications")?,
    })
}

impl LivelihoodFilter {
    /// On the alias `t` of a table with `area_code` and `department_code`.
    fn apply(&self, sql: &mut Sql, t: &str) {
        if let Some(a) = &self.area {
            sql.push(&format!(" AND {t}.area_code LIKE "))
                .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
        }
        if let Some(d) = &self.department {
            sql.push(&format!(" AND {t}.department_code = "))
                .bind(Arg::Text(d.clone()));
        }
    }

    fn q(&self) -> Option<String> {
        self.q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| format!("%{}%", q.replace(['%', '_', '\\'], "")))
    }
}

fn rectification_col(r: &AnyRow) -> Result<Rectification, StoreError> {
    let s: String = r.try_get("rectification")?;
    Rectification::parse(&s).ok_or_else(|| StoreError::corrupt(format!("rectification {s}")))
}

impl Store {
    pub async fn livelihood_project(&self, id: i64) -> Result<Option<ProjectRow>, StoreError> {
        let mut sql = Sql::new(PROJECT_SELECT);
        sql.push(" AND p.id = ").bind(Arg::Int(id));
        let row = sql.query(self.backend).fetch_optional(&self.pool).await?;
        row.as_ref().map(project_row).transpose()
    }

    pub async fn livelihood_projects(
        &self,
        f: &LivelihoodFilter,
        limit: i64,
    ) -> Result<Vec<ProjectRow>, StoreError> {
        let mut sql = Sql::new(PROJECT_SELECT);
        f.apply(&mut sql, "p");
        if let Some(q) = f.q() {
            sql.push(" AND p.name LIKE ").bind(Arg::Text(q));
        }
        sql.push(" ORDER BY p.id DESC LIMIT ").bind(Arg::Int(limit));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(project_row).collect()
    }

    pub async fn livelihood_responsibilities(
        &self,
        f: &LivelihoodFilter,
    ) -> Result<Vec<ResponsibilityRow>, StoreError> {
        let mut sql = Sql::new(
            "SELECT r.id, r.area_code, COALESCE(a.name, r.area_code) AS area_name,
             r.department_code, d.name AS department_name, r.post, r.policy_area, r.duties,
             r.created_at FROM livelihood_responsibilities r
             LEFT JOIN areas a ON a.code = r.area_code
             LEFT JOIN departments d ON d.code = r.department_code WHERE 1 = 1",
        );
        f.apply(&mut sql, "r");
        if let Some(q) = f.q() {
            sql.push(" AND (r.policy_area LIKE ")
                .bind(Arg::Text(q.clone()))
                .push(" OR r.post LIKE ")
                .bind(Arg::Text(q))
                .push(")");
        }
        sql.push(" ORDER BY r.policy_area, r.id");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(ResponsibilityRow {
                    id: r.try_get("id")?,
                    area: area_col(r, "area_code")?,
                    area_name: r.try_get("area_name")?,
                    department: r.try_get("department_code")?,
                    department_name: r.try_get("department_name")?,
                    post: r.try_get("post")?,
                    policy_area: r.try_get("policy_area")?,
                    duties: r.try_get("duties")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// A project's progress updates, newest first.
    pub async fn livelihood_progress(&self, project: i64) -> Result<Vec<ProgressRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, on_date, progress, disbursed_fen, note, by_name FROM livelihood_progress
             WHERE project_id = $1 ORDER BY on_date DESC, id DESC",
        )
        .bind(project)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ProgressRow {
                    id: r.try_get("id")?,
                    on: date_col(r, "on_date")?,
                    progress: r.try_get("progress")?,
                    disbursed_fen: r.try_get("disbursed_fen")?,
                    note: r.try_get("note")?,
                    by_name: r.try_get("by_name")?,
                })
            })
            .collect()
    }

    /// Inspections of the projects in the filter (or of one project), newest first.
    pub async fn livelihood_inspections(
        &self,
        f: &LivelihoodFilter,
        project: Option<i64>,
    ) -> Result<Vec<InspectionRow>, StoreError> {
        let mut sql = Sql::new(
            "SELECT i.id, i.project_id, p.name AS project_name, i.on_date, i.by_post,
             i.findings, i.rectification, i.order_id FROM livelihood_inspections i
             JOIN livelihood_projects p ON p.id = i.project_id WHERE 1 = 1",
        );
        f.apply(&mut sql, "p");
        if let Some(id) = project {
            sql.push(" AND i.project_id = ").bind(Arg::Int(id));
        }
        sql.push(" ORDER BY i.on_date DESC, i.id DESC");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(InspectionRow {
                    id: r.try_get("id")?,
                    project_id: r.try_get("project_id")?,
                    project_name: r.try_get("project_name")?,
                    on: date_col(r, "on_date")?,
                    by_post: r.try_get("by_post")?,
                    findings: r.try_get("findings")?,
                    rectification: rectification_col(r)?,
                    order_id: r.try_get("order_id")?,
                })
            })
            .collect()
    }

    /// Investigation records of the projects in the filter (or of one project), newest first.
    pub async fn livelihood_investigations(
        &self,
        f: &LivelihoodFilter,
        project: Option<i64>,
    ) -> Result<Vec<InvestigationRow>, StoreError> {
        let mut sql = Sql::new(
            "SELECT v.id, v.project_id, p.name AS project_name, v.matter, v.handling, v.result,
             v.report_ref, v.at FROM livelihood_investigations v
             JOIN livelihood_projects p ON p.id = v.project_id WHERE 1 = 1",
        );
        f.apply(&mut sql, "p");
        if let Some(id) = project {
            sql.push(" AND v.project_id = ").bind(Arg::Int(id));
        }
        sql.push(" ORDER BY v.at DESC, v.id DESC");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(InvestigationRow {
                    id: r.try_get("id")?,
                    project_id: r.try_get("project_id")?,
                    project_name: r.try_get("project_name")?,
                    matter: r.try_get("matter")?,
                    handling: r.try_get("handling")?,
                    result: r.try_get("result")?,
                    report_ref: r.try_get("report_ref")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }

    pub async fn livelihood_disclosures(
        &self,
        project: i64,
    ) -> Result<Vec<DisclosureRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, project_id, notice_id, kind, at FROM livelihood_disclosures
             WHERE project_id = $1 ORDER BY at DESC, id DESC",
        )
        .bind(project)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let k: String = r.try_get("kind")?;
                Ok(DisclosureRow {
                    id: r.try_get("id")?,
                    project_id: r.try_get("project_id")?,
                    notice_id: r.try_get("notice_id")?,
                    kind: NoticeKind::parse(&k)
                        .ok_or_else(|| StoreError::corrupt(format!("disclosure kind {k}")))?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }
}
