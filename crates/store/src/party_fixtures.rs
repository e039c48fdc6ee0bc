//! Minimal party organisations and members for the assessment tests and the demo, written
//! straight into the migration-15 tables. A stop-gap while the members module (issue 13 item
//! 2, built in parallel) has no store calls of its own: the integrator may replace these with
//! that module's calls. No record event is written: these stand for rows that module creates.

use crate::db::Store;
use crate::error::StoreError;
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::party::{MemberStatus, OrgKind, OrgLevel};
use gongzhi_domain::population::Gender;
use sqlx::Row;

impl Store {
    /// Inserts a party organisation serving `area`; its id.
    pub async fn fixture_party_org(
        &self,
        name: &str,
        level: OrgLevel,
        kind: OrgKind,
        area: &AreaCode,
        parent: Option<i64>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO party_orgs (name, level, kind, parent_id, area_code, founded_on, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(name)
        .bind(level.as_str())
        .bind(kind.as_str())
        .bind(parent)
        .bind(area.as_str())
        .bind("2000-01-01")
        .bind(crate::now_millis())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        tx.commit().await?;
        Ok(id)
    }

    /// Inserts a party member of `community` in organisation `org`, joined on `joined_on`; its
    /// id.
    pub async fn fixture_party_member(
        &self,
        name: &str,
        gender: Gender,
        community: &AreaCode,
        org: Option<i64>,
        joined_on: Date,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO party_members (name, gender, status, joined_on, full_on, org_id,
                community_code, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(name)
        .bind(gender.as_str())
        .bind(MemberStatus::Full.as_str())
        .bind(joined_on.to_string())
        .bind(joined_on.add_days(365).to_string())
        .bind(org)
        .bind(community.as_str())
        .bind(crate::now_millis())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        tx.commit().await?;
        Ok(id)
    }
}
