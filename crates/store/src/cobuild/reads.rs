//! Contracts, commitments and deliveries as lists and records read them.

use super::rows::{CoBuildDeliveryRow, CoBuildFilter, CoBuildPhoto, CommitmentRow, ContractRow};
use crate::db::Store;
use crate::error::StoreError;
use crate::red_grid::{date_col, opt_date_col};
use crate::sql::{Arg, Sql};
use gongzhi_domain::cobuild::Rating;
use gongzhi_domain::codes::AreaCode;
use sqlx::Row;

const CONTRACT_SELECT: &str = "SELECT k.id, k.title, k.department_code,
    COALESCE(d.name, k.department_code) AS department_name, k.community_code,
    COALESCE(a.name, k.community_code) AS community_name, k.starts_on, k.ends_on, k.signed_on,
    k.created_by_name, k.created_at,
    (SELECT COUNT(*) FROM cobuild_commitments m WHERE m.contract_id = k.id) AS commitments
    FROM cobuild_contracts k
    LEFT JOIN departments d ON d.code = k.department_code
    LEFT JOIN areas a ON a.code = k.community_code
    WHERE 1 = 1";

const COMMITMENT_SELECT: &str = "SELECT m.id, m.contract_id, k.title AS contract_title,
    k.department_code, COALESCE(d.name, k.department_code) AS department_name, k.community_code,
    COALESCE(a.name, k.community_code) AS community_name, k.starts_on, m.title, m.deliverable,
    m.due_on, m.delivered_on, m.rating, m.rating_note,
    (SELECT COUNT(*) FROM cobuild_deliveries v WHERE v.commitment_id = m.id) AS deliveries
    FROM cobuild_commitments m
    JOIN cobuild_contracts k ON k.id = m.contract_id
    LEFT JOIN departments d ON d.code = k.department_code
    LEFT JOIN areas a ON a.code = k.community_code
    WHERE 1 = 1";

fn area_col(r: &sqlx::any::AnyRow, col: &str) -> Result<AreaCode, StoreError> {
    let s: String = r.try_get(col)?;
    AreaCode::parse(&s).map_err(|e| StoreError::corrupt(format!("{col} {s}: {e}")))
}

fn contract_row(r: &sqlx::any::AnyRow) -> Result<ContractRow, StoreError> {
    Ok(ContractRow {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        department: r.try_get("department_code")?,
        department_name: r.try_get("department_name")?,
        community: area_col(r, "community_code")?,
        community_name: r.try_get("community_name")?,
        starts_on: date_col(r, "starts_on")?,
        ends_on: date_col(r, "ends_on")?,
        signed_on: date_col(r, "signed_on")?,
        created_by_name: r.try_get("created_by_name")?,
        created_at: r.try_get("created_at")?,
        commitments: r.try_get("commitments")?,
    })
}

fn commitment_row(r: &sqlx::any::AnyRow) -> Result<CommitmentRow, StoreError> {
    let rating: Option<String> = r.try_get("rating")?;
    Ok(CommitmentRow {
        id: r.try_get("id")?,
        contract_id: r.try_get("contract_id")?,
        contract_title: r.try_get("contract_title")?,
        department: r.try_get("department_code")?,
        department_name: r.try_get("department_name")?,
        community: area_col(r, "community_code")?,
        community_name: r.try_get("community_name")?,
        contract_starts_on: date_col(r, "starts_on")?,
        title: r.try_get("title")?,
        deliverable: r.try_get("deliverable")?,
        due_on: date_col(r, "due_on")?,
        delivered_on: opt_date_col(r, "delivered_on")?,
        rating: rating
            .map(|s| Rating::parse(&s).ok_or_else(|| StoreError::corrupt(format!("rating {s}"))))
            .transpose()?,
        rating_note: r.try_get("rating_note")?,
        deliveries: r.try_get("deliveries")?,
    })
}

fn like(q: &str) -> String {
    format!("%{}%", q.trim().replace(['\\', '%', '_'], ""))
}

impl Store {
    /// Contracts in the filter, newest signed first.
    pub async fn contracts(&self, f: &CoBuildFilter) -> Result<Vec<ContractRow>, StoreError> {
        let mut sql = Sql::new(CONTRACT_SELECT);
        f.apply(&mut sql);
        if let Some(q) = f.q.as_deref().filter(|q| !q.trim().is_empty()) {
            sql.push(" AND k.title LIKE ").bind(Arg::Text(like(q)));
        }
        sql.push(" ORDER BY k.signed_on DESC, k.id DESC");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(contract_row).collect()
    }

    pub async fn contract(&self, id: i64) -> Result<Option<ContractRow>, StoreError> {
        let f = CoBuildFilter {
            contract: Some(id),
            ..Default::default()
        };
        Ok(self.contracts(&f).await?.into_iter().next())
    }

    /// Commitments of the contracts in the filter, by due date.
    pub async fn commitments(&self, f: &CoBuildFilter) -> Result<Vec<CommitmentRow>, StoreError> {
        let mut sql = Sql::new(COMMITMENT_SELECT);
        f.apply(&mut sql);
        if let Some(q) = f.q.as_deref().filter(|q| !q.trim().is_empty()) {
            let q = like(q);
            sql.push(" AND (m.title LIKE ")
                .bind(Arg::Text(q.clone()))
                .push(" OR k.title LIKE ")
                .bind(Arg::Text(q))
                .push(")");
        }
        sql.push(" ORDER BY m.due_on, m.id");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(commitment_row).collect()
    }

    pub async fn commitment(&self, id: i64) -> Result<Option<CommitmentRow>, StoreError> {
        let mut sql = Sql::new(COMMITMENT_SELECT);
        sql.push(" AND m.id = ").bind(Arg::Int(id));
        let row = sql.query(self.backend).fetch_optional(&self.pool).await?;
        row.as_ref().map(commitment_row).transpose()
    }

    /// A commitment's delivery records, oldest first.
    pub async fn cobuild_deliveries(
        &self,
        commitment: i64,
    ) -> Result<Vec<CoBuildDeliveryRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, commitment_id, delivered_on, notes, completes, photo_path, photo_mime,
             photo_sha256, entered_by_name, created_at
             FROM cobuild_deliveries WHERE commitment_id = $1 ORDER BY delivered_on, id",
        )
        .bind(commitment)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let path: Option<String> = r.try_get("photo_path")?;
                Ok(CoBuildDeliveryRow {
                    id: r.try_get("id")?,
                    commitment_id: r.try_get("commitment_id")?,
                    delivered_on: date_col(r, "delivered_on")?,
                    notes: r.try_get("notes")?,
                    completes: r.try_get::<i64, _>("completes")? != 0,
                    photo: match path {
                        Some(path) => Some(CoBuildPhoto {
                            path,
                            mime: r
                                .try_get::<Option<String>, _>("photo_mime")?
                                .unwrap_or_default(),
                            sha256: r
                                .try_get::<Option<String>, _>("photo_sha256")?
                                .unwrap_or_default(),
                        }),
                        None => None,
                    },
                    entered_by_name: r.try_get("entered_by_name")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }
}
