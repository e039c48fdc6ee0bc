//! Who is served: household tags (独居老人, 困难户 …), the link of a resident's account to its
//! resident, and the applicant as the eligibility rules read them (age and tags).

use super::{ServicesResult, log, not_found};
use crate::db::Store;
use crate::error::StoreError;
use crate::{EventActor, now_millis};
use gongzhi_domain::codes::{AreaCode, Phone};
use gongzhi_domain::services::{HouseholdTag, ServicesError};
use serde_json::json;
use sqlx::{AnyConnection, Row};

/// A resident as an order needs them: where they live, their birth year, their household's tags.
#[derive(Clone, Debug)]
pub(crate) struct Served {
    pub household_id: i64,
    pub grid_code: String,
    pub birth_year: i64,
    pub tags: Vec<HouseholdTag>,
}

pub(super) async fn tags_in(
    conn: &mut AnyConnection,
    household: i64,
) -> Result<Vec<HouseholdTag>, StoreError> {
    let rows = sqlx::query("SELECT tag FROM household_tags WHERE household_id = $1 ORDER BY tag")
        .bind(household)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            let t: String = r.try_get("tag")?;
            HouseholdTag::parse(&t).ok_or_else(|| StoreError::corrupt(format!("tag: {t}")))
        })
        .collect()
}

pub(super) async fn served_in(
    conn: &mut AnyConnection,
    resident: i64,
) -> Result<Served, ServicesError> {
    let r = sqlx::query("SELECT household_id, grid_code, birth_year FROM residents WHERE id = $1")
        .bind(resident)
        .fetch_optional(&mut *conn)
        .await
        .ok()
        .flatten()
        .ok_or(ServicesError::UnknownResident)?;
    let household: i64 = r
        .try_get("household_id")
        .map_err(|_| ServicesError::UnknownResident)?;
    Ok(Served {
        household_id: household,
        grid_code: r
            .try_get("grid_code")
            .map_err(|_| ServicesError::UnknownResident)?,
        birth_year: r
            .try_get("birth_year")
            .map_err(|_| ServicesError::UnknownResident)?,
        tags: tags_in(conn, household).await.unwrap_or_default(),
    })
}

impl Store {
    /// Replaces a household's tags, logged as `household/ID` `tags_set`.
    pub async fn set_household_tags(
        &self,
        household: i64,
        tags: &[HouseholdTag],
        by: &EventActor,
    ) -> ServicesResult<Vec<HouseholdTag>> {
        let mut tags = tags.to_vec();
        tags.sort();
        tags.dedup();
        let now = now_millis();
        let mut tx = self.write_tx().await?;
        let exists = sqlx::query("SELECT id FROM households WHERE id = $1")
            .bind(household)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(not_found("住户", "household", household).into());
        }
        sqlx::query("DELETE FROM household_tags WHERE household_id = $1")
            .bind(household)
            .execute(&mut *tx)
            .await?;
        for t in &tags {
            sqlx::query(
                "INSERT INTO household_tags (household_id, tag, created_at) VALUES ($1, $2, $3)",
            )
            .bind(household)
            .bind(t.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        let codes: Vec<&str> = tags.iter().map(|t| t.as_str()).collect();
        log(
            &mut tx,
            format!("household/{household}"),
            "tags_set",
            json!({"type": "tags_set", "household": household, "status": codes.join(",")}),
            by,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(tags)
    }

    pub async fn household_tags(&self, household: i64) -> Result<Vec<HouseholdTag>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        tags_in(&mut conn, household).await
    }

    /// Tags of every tagged household inside `area` (or everywhere): household id → tags.
    pub async fn tagged_households(
        &self,
        area: Option<&AreaCode>,
    ) -> Result<Vec<(i64, HouseholdTag)>, StoreError> {
        let mut sql = crate::sql::Sql::new(
            "SELECT t.household_id, t.tag FROM household_tags t JOIN households h ON h.id = t.household_id WHERE 1 = 1",
        );
        if let Some(a) = area {
            sql.push(" AND h.grid_code LIKE ")
                .bind(crate::sql::Arg::Text(format!(
                    "{}%",
                    crate::geo_data::area_prefix(a)
                )));
        }
        sql.push(" ORDER BY t.household_id, t.tag LIMIT 50000");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let t: String = r.try_get("tag")?;
                Ok((
                    r.try_get("household_id")?,
                    HouseholdTag::parse(&t)
                        .ok_or_else(|| StoreError::corrupt(format!("tag: {t}")))?,
                ))
            })
            .collect()
    }

    /// Links a resident's account to its resident of the population base (replacing a link).
    pub async fn link_resident_account(
        &self,
        account: i64,
        resident: i64,
        by: &EventActor,
    ) -> ServicesResult<()> {
        let now = now_millis();
        let mut tx = self.write_tx().await?;
        served_in(&mut tx, resident).await?;
        sqlx::query("DELETE FROM resident_accounts WHERE account_id = $1")
            .bind(account)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO resident_accounts (account_id, resident_id, created_at) VALUES ($1, $2, $3)")
            .bind(account)
            .bind(resident)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        log(
            &mut tx,
            format!("resident_account/{account}"),
            "linked",
            json!({"type": "linked", "member": resident}),
            by,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The resident an account is, with its community (the first 12 digits of its grid).
    pub async fn linked_resident(
        &self,
        account: i64,
    ) -> Result<Option<(i64, AreaCode)>, StoreError> {
        let row = sqlx::query(
            "SELECT r.id, r.grid_code FROM resident_accounts l JOIN residents r ON r.id = l.resident_id
             WHERE l.account_id = $1",
        )
        .bind(account)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let g: String = r.try_get("grid_code")?;
            let community = AreaCode::parse(&g[..12.min(g.len())])
                .map_err(|e| StoreError::corrupt(format!("grid_code: {e}")))?;
            Ok((r.try_get("id")?, community))
        })
        .transpose()
    }

    /// The resident of `community` with this name and phone (through the phone's blind
    /// index): how an order without an account names who is served.
    pub async fn resident_by_name_phone(
        &self,
        community: &AreaCode,
        name: &str,
        phone: &Phone,
    ) -> Result<Option<i64>, StoreError> {
        let found = self
            .residents(&crate::ResidentFilter {
                area: Some(*community),
                phone: Some(phone.clone()),
                page: crate::Page {
                    offset: 0,
                    limit: 20,
                },
                ..Default::default()
            })
            .await?;
        Ok(found
            .into_iter()
            .find(|r| r.name == name.trim())
            .map(|r| r.id))
    }
}
