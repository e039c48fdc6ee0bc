//! Contract, commitment, delivery and rating writes: each one transaction with its log event.

use super::CoBuildWriteError;
use crate::db::Store;
use crate::error::StoreError;
use crate::red_grid::log;
use crate::{EventActor, Millis, NewPhoto};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::cobuild::{CommitmentDraft, ContractDraft, DeliveryDraft, RatingDraft};
use serde_json::json;
use sqlx::Row;

type WriteResult<T> = Result<T, CoBuildWriteError>;

/// A delivery record to store: the draft is checked inside the transaction against the
/// commitment as stored.
#[derive(Clone, Debug)]
pub struct NewDelivery {
    pub commitment_id: i64,
    pub draft: DeliveryDraft,
    /// Already on disk.
    pub photo: Option<NewPhoto>,
    pub today: Date,
}

impl Store {
    /// Stores a checked contract and logs it.
    pub async fn add_contract(
        &self,
        c: &ContractDraft,
        by: &EventActor,
        at: Millis,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO cobuild_contracts (title, department_code, community_code, starts_on,
             ends_on, signed_on, created_by_name, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&c.title)
        .bind(&c.department)
        .bind(c.community.as_str())
        .bind(c.starts_on.to_string())
        .bind(c.ends_on.to_string())
        .bind(c.signed_on.to_string())
        .bind(&by.name)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        // The parties' codes in clear; the title and dates hashed.
        log(
            &mut tx,
            format!("cobuild_contract/{id}"),
            "created",
            json!({
                "type": "created",
                "department": c.department,
                "community": c.community.as_str(),
                "title": c.title,
                "starts_on": c.starts_on.to_string(),
                "ends_on": c.ends_on.to_string(),
                "signed_on": c.signed_on.to_string(),
            }),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Stores a commitment checked against its contract's period and logs it.
    pub async fn add_commitment(
        &self,
        contract: i64,
        c: &CommitmentDraft,
        by: &EventActor,
        at: Millis,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO cobuild_commitments (contract_id, title, deliverable, due_on, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(contract)
        .bind(&c.title)
        .bind(&c.deliverable)
        .bind(c.due_on.to_string())
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        log(
            &mut tx,
            format!("cobuild_commitment/{id}"),
            "created",
            json!({
                "type": "created",
                "contract": contract,
                "title": c.title,
                "deliverable": c.deliverable,
                "deadline": c.due_on.to_string(),
            }),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records a delivery: refused once the commitment was delivered in full; a completing
    /// record sets the commitment's delivery day. Logged with its photo's hash.
    pub async fn add_delivery(
        &self,
        d: &NewDelivery,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<i64> {
        let mut tx = self.write_tx().await?;
        // Touching the row first locks it on PostgreSQL: two completing deliveries at once are
        // checked one after the other.
        sqlx::query("UPDATE cobuild_commitments SET created_at = created_at WHERE id = $1")
            .bind(d.commitment_id)
            .execute(&mut *tx)
            .await?;
        let row = sqlx::query(
            "SELECT m.delivered_on, k.starts_on FROM cobuild_commitments m
             JOIN cobuild_contracts k ON k.id = m.contract_id WHERE m.id = $1",
        )
        .bind(d.commitment_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            StoreError::not_found(
                format!("承诺事项 {}", d.commitment_id),
                format!("commitment {}", d.commitment_id),
            )
        })?;
        let delivered = crate::red_grid::opt_date_col(&row, "delivered_on")?;
        let starts = crate::red_grid::date_col(&row, "starts_on")?;
        let draft = d.draft.clone().checked(starts, delivered, d.today)?;
        let id: i64 = sqlx::query(
            "INSERT INTO cobuild_deliveries (commitment_id, delivered_on, notes, completes,
             photo_path, photo_mime, photo_sha256, entered_by_name, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(d.commitment_id)
        .bind(draft.delivered_on.to_string())
        .bind(&draft.notes)
        .bind(i64::from(draft.completes))
        .bind(d.photo.as_ref().map(|p| p.path.clone()))
        .bind(d.photo.as_ref().map(|p| p.mime.clone()))
        .bind(d.photo.as_ref().map(|p| p.sha256.clone()))
        .bind(&by.name)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        if draft.completes {
            sqlx::query("UPDATE cobuild_commitments SET delivered_on = $1 WHERE id = $2")
                .bind(draft.delivered_on.to_string())
                .bind(d.commitment_id)
                .execute(&mut *tx)
                .await?;
        }
        log(
            &mut tx,
            format!("cobuild_commitment/{}", d.commitment_id),
            "delivered",
            json!({
                "type": "delivered",
                "delivery": id,
                "delivered_on": draft.delivered_on.to_string(),
                "notes": draft.notes,
                "resolved": draft.completes,
                "photo": d.photo.as_ref().map(|p| p.sha256.clone()),
            }),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The community's rating of a commitment (a later rating replaces it), logged.
    pub async fn rate_commitment(
        &self,
        commitment: i64,
        r: &RatingDraft,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<()> {
        let mut tx = self.write_tx().await?;
        let n: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM cobuild_deliveries WHERE commitment_id = $1")
                .bind(commitment)
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
        let r = r.clone().checked(n)?;
        sqlx::query(
            "UPDATE cobuild_commitments SET rating = $1, rating_note = $2, rated_at = $3 WHERE id = $4",
        )
        .bind(r.rating.as_str())
        .bind(&r.note)
        .bind(at)
        .bind(commitment)
        .execute(&mut *tx)
        .await?;
        log(
            &mut tx,
            format!("cobuild_commitment/{commitment}"),
            "rated",
            json!({"type": "rated", "satisfaction": r.rating.as_str(), "note": r.note}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
