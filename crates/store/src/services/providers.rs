//! 社区社会组织 and 志愿者: who helps a centre, with what, and the service hours centre staff
//! confirmed.

use super::centres::{CentrePlace, area_col};
use super::rows::ProviderRow;
use super::{ServicesResult, log, not_found};
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use crate::{EventActor, now_millis};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::services::{ServicesError, required};
use serde_json::json;
use sqlx::Row;

/// The kinds of provider.
pub const PROVIDER_KINDS: [&str; 2] = ["organisation", "volunteer"];

impl Store {
    /// Registers a provider serving a centre, logged as `provider/ID`.
    pub async fn create_provider(
        &self,
        centre: i64,
        kind: &str,
        name: &str,
        offer: &str,
        by: &EventActor,
    ) -> ServicesResult<i64> {
        if !PROVIDER_KINDS.contains(&kind) {
            return Err(ServicesError::UnknownKind(kind.to_string()).into());
        }
        let name = required("name", name, 100)?;
        let offer = required("offer", offer, 300)?;
        let now = now_millis();
        let mut tx = self.write_tx().await?;
        let community: String =
            sqlx::query("SELECT community_code FROM service_centres WHERE id = $1")
                .bind(centre)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| not_found("服务中心", "centre", centre))?
                .try_get("community_code")?;
        let id: i64 = sqlx::query(
            "INSERT INTO service_providers (centre_id, community_code, kind, name, offer, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(centre)
        .bind(&community)
        .bind(kind)
        .bind(&name)
        .bind(&offer)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        log(&mut tx, format!("provider/{id}"), "created", json!({"type": "created", "kind": kind, "name": name, "offer": offer, "centre": centre}), by, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Centre staff confirm `minutes` of service on a day; the provider's total grows.
    pub async fn confirm_provider_hours(
        &self,
        provider: i64,
        served_on: Date,
        minutes: i64,
        note: &str,
        by: &EventActor,
    ) -> ServicesResult<i64> {
        if !(1..=24 * 60).contains(&minutes) {
            return Err(ServicesError::BadMinutes(minutes).into());
        }
        let now = now_millis();
        let mut tx = self.write_tx().await?;
        let n = sqlx::query(
            "UPDATE service_providers SET confirmed_minutes = confirmed_minutes + $1 WHERE id = $2",
        )
        .bind(minutes)
        .bind(provider)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Err(not_found("服务提供者", "provider", provider).into());
        }
        let id: i64 = sqlx::query(
            "INSERT INTO provider_hours (provider_id, served_on, minutes, note, confirmed_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(provider)
        .bind(served_on.to_string())
        .bind(minutes)
        .bind(note.trim())
        .bind(by.account_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        log(&mut tx, format!("provider/{provider}"), "hours_confirmed", json!({"type": "hours_confirmed", "points": minutes, "served_on": served_on.to_string(), "note": note.trim()}), by, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn service_providers(
        &self,
        place: &CentrePlace,
        centre: Option<i64>,
    ) -> Result<Vec<ProviderRow>, StoreError> {
        let mut sql = Sql::new(
            "SELECT p.id, p.centre_id, c.name AS centre_name, p.community_code, p.kind, p.name,
             p.offer, p.confirmed_minutes FROM service_providers p
             JOIN service_centres c ON c.id = p.centre_id WHERE 1 = 1",
        );
        place.apply(&mut sql, "p.community_code", "c.lead_department");
        if let Some(c) = centre {
            sql.push(" AND p.centre_id = ").bind(Arg::Int(c));
        }
        sql.push(" ORDER BY p.community_code, p.centre_id, p.id LIMIT 5000");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(ProviderRow {
                    id: r.try_get("id")?,
                    centre_id: r.try_get("centre_id")?,
                    centre_name: r.try_get("centre_name")?,
                    community: area_col(r, "community_code")?,
                    kind: r.try_get("kind")?,
                    name: r.try_get("name")?,
                    offer: r.try_get("offer")?,
                    confirmed_minutes: r.try_get("confirmed_minutes")?,
                })
            })
            .collect()
    }
}
