//! 双找: the community finds members among its residents (找党员: residents whose political
//! status says 党员, with or without a member record).

use super::inside;
use crate::db::Store;
use crate::error::StoreError;
use crate::population::Page;
use crate::sql::{Arg, Sql};
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::population::PoliticalStatus;
use serde::Serialize;
use sqlx::Row;

/// A resident whose political status is 中共党员 or 中共预备党员.
#[derive(Clone, Debug, Serialize)]
pub struct PartyResidentRow {
    pub resident_id: i64,
    pub household_id: i64,
    pub household_code: String,
    pub name: String,
    pub gender: String,
    pub birth_year: i64,
    pub political_status: PoliticalStatus,
    pub grid_code: String,
    pub compound_id: Option<i64>,
    pub compound_name: Option<String>,
    /// The member record, once found and confirmed.
    pub member_id: Option<i64>,
}

#[derive(Clone, Debug, Default)]
pub struct PartyResidentFilter {
    pub area: Option<AreaCode>,
    pub compound: Option<i64>,
    /// `Some(false)`: only residents without a member record (still to be found).
    pub registered: Option<bool>,
    pub name: Option<String>,
    pub page: Page,
}

const FROM: &str = " FROM residents r
    JOIN households h ON h.id = r.household_id
    JOIN buildings b ON b.id = h.building_id
    LEFT JOIN compounds c ON c.id = b.compound_id
    LEFT JOIN party_members m ON m.resident_id = r.id
    WHERE r.political_status IN ('中共党员', '中共预备党员')";

fn filter(sql: &mut Sql, f: &PartyResidentFilter) {
    if let Some(a) = &f.area {
        sql.push(" AND r.grid_code LIKE ")
            .bind(Arg::Text(inside(a)));
    }
    if let Some(c) = f.compound {
        sql.push(" AND b.compound_id = ").bind(Arg::Int(c));
    }
    match f.registered {
        Some(true) => {
            sql.push(" AND m.id IS NOT NULL");
        }
        Some(false) => {
            sql.push(" AND m.id IS NULL");
        }
        None => {}
    }
    if let Some(n) = f.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        sql.push(" AND r.name LIKE ")
            .bind(Arg::Text(format!("%{n}%")));
    }
}

fn party_resident_row(r: &sqlx::any::AnyRow) -> Result<PartyResidentRow, StoreError> {
    let status: String = r.try_get("political_status")?;
    Ok(PartyResidentRow {
        resident_id: r.try_get("id")?,
        household_id: r.try_get("household_id")?,
        household_code: r.try_get("household_code")?,
        name: r.try_get("name")?,
        gender: r.try_get("gender")?,
        birth_year: r.try_get("birth_year")?,
        political_status: PoliticalStatus::parse(&status)
            .map_err(|e| StoreError::corrupt(format!("political status: {e}")))?,
        grid_code: r.try_get("grid_code")?,
        compound_id: r.try_get("compound_id")?,
        compound_name: r.try_get("compound_name")?,
        member_id: r.try_get("member_id")?,
    })
}

impl Store {
    /// 找党员: residents whose political status says 党员, by household.
    pub async fn party_residents(
        &self,
        f: &PartyResidentFilter,
    ) -> Result<Vec<PartyResidentRow>, StoreError> {
        let mut sql = Sql::new(
            "SELECT r.id, r.household_id, h.code AS household_code, r.name, r.gender, r.birth_year,
             r.political_status, r.grid_code, b.compound_id, c.name AS compound_name, m.id AS member_id",
        );
        sql.push(FROM);
        filter(&mut sql, f);
        sql.push(" ORDER BY h.code, r.id LIMIT ")
            .bind(Arg::Int(f.page.limit))
            .push(" OFFSET ")
            .bind(Arg::Int(f.page.offset));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(party_resident_row).collect()
    }

    pub async fn count_party_residents(&self, f: &PartyResidentFilter) -> Result<i64, StoreError> {
        let mut sql = Sql::new("SELECT COUNT(*) AS n");
        sql.push(FROM);
        filter(&mut sql, f);
        Ok(sql
            .query(self.backend)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }
}

use super::{PartyTx, area, date, opt_date, refused};
use crate::Millis;
use crate::audit::Actor;
use crate::pii::PiiField;
use gongzhi_domain::calendar::Date;
use gongzhi_domain::party::MemberStatus;
use gongzhi_domain::party::find::{
    self as rules, MatchStrength, Registration, RegistrationState, ResidentView,
};
use serde_json::json;

/// A 找组织 registration; the phone is never filled here.
#[derive(Clone, Debug, Serialize)]
pub struct RegistrationRow {
    pub id: i64,
    #[serde(flatten)]
    pub record: Registration,
    pub state: RegistrationState,
    pub resident_id: Option<i64>,
    pub member_id: Option<i64>,
    /// The account that registered, when signed in.
    pub account_id: Option<i64>,
    pub decided_at: Option<Millis>,
    pub created_at: Millis,
}

#[derive(Clone, Debug, Default)]
pub struct RegistrationFilter {
    pub area: Option<AreaCode>,
    pub state: Option<RegistrationState>,
    pub account: Option<i64>,
}

/// A resident who may be the registering member.
#[derive(Clone, Debug, Serialize)]
pub struct MatchRow {
    pub resident: PartyResidentRow,
    pub strength: MatchStrength,
}

/// 双找 per compound: members on record living there, party residents not yet on record.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct CompoundFindCount {
    pub compound_id: i64,
    pub compound_name: String,
    pub community_code: String,
    pub members: i64,
    pub full_members: i64,
    pub to_find: i64,
}

const REG_SELECT: &str = "SELECT id, name, gender, birth_date, community_code, address, member_status,
    joined_on, prior_org, workplace, state, resident_id, member_id, account_id, decided_at, created_at
    FROM party_registrations";

fn registration_row(r: &sqlx::any::AnyRow) -> Result<RegistrationRow, StoreError> {
    let status: String = r.try_get("member_status")?;
    let state: String = r.try_get("state")?;
    Ok(RegistrationRow {
        id: r.try_get("id")?,
        record: Registration {
            name: r.try_get("name")?,
            gender: r.try_get("gender")?,
            birth_date: opt_date(r, "birth_date")?,
            phone: None,
            community: area(r, "community_code")?,
            address: r.try_get("address")?,
            member_status: MemberStatus::parse(&status)
                .ok_or_else(|| StoreError::corrupt(format!("member status {status}")))?,
            joined_on: date(r, "joined_on")?,
            prior_org: r.try_get("prior_org")?,
            workplace: r.try_get("workplace")?,
        },
        state: RegistrationState::parse(&state)
            .ok_or_else(|| StoreError::corrupt(format!("registration state {state}")))?,
        resident_id: r.try_get("resident_id")?,
        member_id: r.try_get("member_id")?,
        account_id: r.try_get("account_id")?,
        decided_at: r.try_get("decided_at")?,
        created_at: r.try_get("created_at")?,
    })
}

impl PartyTx<'_> {
    /// 找组织: a member registers with their residential community.
    pub async fn create_registration(
        &mut self,
        reg: &Registration,
        account: Option<i64>,
        today: Date,
    ) -> Result<i64, StoreError> {
        let reg = reg.clone().checked(today).map_err(refused)?;
        self.require_area(&reg.community).await?;
        let phone = reg
            .phone
            .as_ref()
            .map(|p| self.store.pii.encrypt(PiiField::Phone, p.as_str()));
        let id: i64 = sqlx::query(
            "INSERT INTO party_registrations (name, gender, birth_date, phone_enc, community_code, address,
             member_status, joined_on, prior_org, workplace, state, account_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(&reg.name)
        .bind(&reg.gender)
        .bind(reg.birth_date.map(|d| d.to_string()))
        .bind(phone)
        .bind(reg.community.as_str())
        .bind(&reg.address)
        .bind(reg.member_status.as_str())
        .bind(reg.joined_on.to_string())
        .bind(&reg.prior_org)
        .bind(reg.workplace.as_deref())
        .bind(RegistrationState::Pending.as_str())
        .bind(account)
        .bind(self.now)
        .fetch_one(&mut *self.tx)
        .await?
        .try_get("id")?;
        self.log(
            format!("party_registration/{id}"),
            "created",
            json!({
                "type": "created",
                "status": reg.member_status.as_str(),
                "name": reg.name,
                "community": reg.community.as_str(),
                "prior_org": reg.prior_org,
            }),
        )
        .await?;
        Ok(id)
    }

    async fn registration_in_tx(&mut self, id: i64) -> Result<RegistrationRow, StoreError> {
        let mut sql = Sql::new(REG_SELECT);
        sql.push(" WHERE id = ").bind(Arg::Int(id));
        let row = sql
            .query(self.store.backend)
            .fetch_optional(&mut *self.tx)
            .await?
            .ok_or_else(|| {
                StoreError::not_found(format!("登记 {id}"), format!("registration {id}"))
            })?;
        registration_row(&row)
    }

    /// Confirms a registration: matched to `resident` (whose existing member record is then
    /// linked, else a new one made in `org`), or without a resident (a member living in the
    /// community but not in its population base yet). Returns the member's id.
    pub async fn confirm_registration(
        &mut self,
        id: i64,
        resident: Option<i64>,
        org: Option<i64>,
    ) -> Result<i64, StoreError> {
        let reg = self.registration_in_tx(id).await?;
        rules::check_pending(reg.state).map_err(refused)?;
        let existing: Option<i64> = match resident {
            Some(r) => sqlx::query("SELECT id FROM party_members WHERE resident_id = $1")
                .bind(r)
                .fetch_optional(&mut *self.tx)
                .await?
                .map(|row| row.try_get("id"))
                .transpose()?,
            None => None,
        };
        let member = match existing {
            Some(m) => m,
            None => {
                let residence = match resident {
                    Some(r) => Some((r, self.residence(r).await?.0)),
                    None => None,
                };
                let mut m = reg.record.member(org, residence);
                // The phone the member gave travels with the record, sealed again.
                m.phone = self.registration_phone(id).await?;
                self.create_member(&m).await?
            }
        };
        sqlx::query(
            "UPDATE party_registrations SET state = $1, resident_id = $2, member_id = $3,
             decided_by = $4, decided_at = $5 WHERE id = $6 AND state = $7",
        )
        .bind(RegistrationState::Confirmed.as_str())
        .bind(resident)
        .bind(member)
        .bind(self.actor_id)
        .bind(self.now)
        .bind(id)
        .bind(RegistrationState::Pending.as_str())
        .execute(&mut *self.tx)
        .await?;
        self.log(
            format!("party_registration/{id}"),
            "confirmed",
            json!({"type": "confirmed", "member": member, "org": org, "status": "confirmed"}),
        )
        .await?;
        Ok(member)
    }

    async fn registration_phone(
        &mut self,
        id: i64,
    ) -> Result<Option<gongzhi_domain::codes::Phone>, StoreError> {
        let sealed: Option<Vec<u8>> =
            sqlx::query("SELECT phone_enc FROM party_registrations WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *self.tx)
                .await?
                .try_get("phone_enc")?;
        sealed
            .map(|s| {
                let plain = self
                    .store
                    .pii
                    .decrypt(PiiField::Phone, &s)
                    .map_err(StoreError::Crypto)?;
                gongzhi_domain::codes::Phone::parse(&plain)
                    .map_err(|e| StoreError::corrupt(format!("registration phone: {e}")))
            })
            .transpose()
    }

    pub async fn decline_registration(&mut self, id: i64) -> Result<(), StoreError> {
        let reg = self.registration_in_tx(id).await?;
        rules::check_pending(reg.state).map_err(refused)?;
        sqlx::query(
            "UPDATE party_registrations SET state = $1, decided_by = $2, decided_at = $3 WHERE id = $4",
        )
        .bind(RegistrationState::Declined.as_str())
        .bind(self.actor_id)
        .bind(self.now)
        .bind(id)
        .execute(&mut *self.tx)
        .await?;
        self.log(
            format!("party_registration/{id}"),
            "declined",
            json!({"type": "declined", "status": "declined"}),
        )
        .await?;
        Ok(())
    }

    /// 找党员: the community confirms a resident it found as a member, in `org`.
    pub async fn confirm_found(
        &mut self,
        resident: i64,
        org: Option<i64>,
        joined_on: Date,
    ) -> Result<i64, StoreError> {
        let r = sqlx::query(
            "SELECT household_id, grid_code, name, gender, birth_year, political_status FROM residents WHERE id = $1",
        )
        .bind(resident)
        .fetch_optional(&mut *self.tx)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("居民 {resident}"), format!("resident {resident}")))?;
        let status: String = r.try_get("political_status")?;
        let grid: String = r.try_get("grid_code")?;
        let view = ResidentView {
            name: r.try_get("name")?,
            gender: r.try_get("gender")?,
            birth_year: r.try_get("birth_year")?,
            political_status: PoliticalStatus::parse(&status)
                .map_err(|e| StoreError::corrupt(format!("political status: {e}")))?,
        };
        let community = AreaCode::parse(&grid[..12.min(grid.len())])
            .map_err(|e| StoreError::corrupt(format!("resident grid: {e}")))?;
        let m = rules::member_from_resident(
            &view,
            community,
            (resident, r.try_get("household_id")?),
            org,
            joined_on,
        )
        .ok_or_else(|| StoreError::Conflict {
            code: "not_a_party_member",
            zh: "人口库中该居民的政治面貌不是党员".into(),
            en: "the population base does not record this resident as a party member".into(),
        })?;
        self.create_member(&m).await
    }
}

impl Store {
    pub async fn create_registration(
        &self,
        reg: &Registration,
        account: Option<i64>,
        today: Date,
        actor: &Actor<'_>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.party_tx(actor).await?;
        let id = tx.create_registration(reg, account, today).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn confirm_registration(
        &self,
        id: i64,
        resident: Option<i64>,
        org: Option<i64>,
        actor: &Actor<'_>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.party_tx(actor).await?;
        let m = tx.confirm_registration(id, resident, org).await?;
        tx.commit().await?;
        Ok(m)
    }

    pub async fn decline_registration(&self, id: i64, actor: &Actor<'_>) -> Result<(), StoreError> {
        let mut tx = self.party_tx(actor).await?;
        tx.decline_registration(id).await?;
        tx.commit().await
    }

    pub async fn confirm_found(
        &self,
        resident: i64,
        org: Option<i64>,
        joined_on: Date,
        actor: &Actor<'_>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.party_tx(actor).await?;
        let m = tx.confirm_found(resident, org, joined_on).await?;
        tx.commit().await?;
        Ok(m)
    }

    pub async fn registration(&self, id: i64) -> Result<Option<RegistrationRow>, StoreError> {
        let mut sql = Sql::new(REG_SELECT);
        sql.push(" WHERE id = ").bind(Arg::Int(id));
        let row = sql.query(self.backend).fetch_optional(&self.pool).await?;
        row.as_ref().map(registration_row).transpose()
    }

    /// Registrations, pending first, newest first.
    pub async fn registrations(
        &self,
        f: &RegistrationFilter,
    ) -> Result<Vec<RegistrationRow>, StoreError> {
        let mut sql = Sql::new(REG_SELECT);
        sql.push(" WHERE 1 = 1");
        if let Some(a) = &f.area {
            sql.push(" AND community_code LIKE ")
                .bind(Arg::Text(inside(a)));
        }
        if let Some(s) = f.state {
            sql.push(" AND state = ").bind(Arg::Text(s.as_str().into()));
        }
        if let Some(a) = f.account {
            sql.push(" AND account_id = ").bind(Arg::Int(a));
        }
        sql.push(" ORDER BY CASE WHEN state = 'pending' THEN 0 ELSE 1 END, id DESC LIMIT 2000");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(registration_row).collect()
    }

    /// Residents of the registration's community who may be the member, strongest first.
    pub async fn registration_matches(
        &self,
        reg: &Registration,
    ) -> Result<Vec<MatchRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.id, r.household_id, h.code AS household_code, r.name, r.gender, r.birth_year,
             r.political_status, r.grid_code, b.compound_id, c.name AS compound_name, m.id AS member_id
             FROM residents r
             JOIN households h ON h.id = r.household_id
             JOIN buildings b ON b.id = h.building_id
             LEFT JOIN compounds c ON c.id = b.compound_id
             LEFT JOIN party_members m ON m.resident_id = r.id
             WHERE r.name = $1 AND r.grid_code LIKE $2 ORDER BY r.id LIMIT 50",
        )
        .bind(reg.name.trim())
        .bind(inside(&reg.community))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let row = party_resident_row(r)?;
            let view = ResidentView {
                name: row.name.clone(),
                gender: row.gender.clone(),
                birth_year: row.birth_year,
                political_status: row.political_status,
            };
            if let Some(strength) = rules::match_resident(reg, &view) {
                out.push(MatchRow {
                    resident: row,
                    strength,
                });
            }
        }
        out.sort_by_key(|m| m.strength);
        Ok(out)
    }

    /// 双找 per compound inside the area: members on record living there, full members among
    /// them, party residents not yet on record (the five steps' 找).
    pub async fn compound_find_counts(
        &self,
        area_code: Option<&AreaCode>,
    ) -> Result<Vec<CompoundFindCount>, StoreError> {
        let mut sql = Sql::new(
            "SELECT c.id, c.name, c.community_code,
             (SELECT COUNT(*) FROM party_members m JOIN households h ON h.id = m.household_id
                JOIN buildings b ON b.id = h.building_id
                WHERE b.compound_id = c.id AND m.left_on IS NULL) AS members,
             (SELECT COUNT(*) FROM party_members m JOIN households h ON h.id = m.household_id
                JOIN buildings b ON b.id = h.building_id
                WHERE b.compound_id = c.id AND m.left_on IS NULL AND m.status = 'full') AS full_members,
             (SELECT COUNT(*) FROM residents r JOIN households h ON h.id = r.household_id
                JOIN buildings b ON b.id = h.building_id
                LEFT JOIN party_members m ON m.resident_id = r.id
                WHERE b.compound_id = c.id AND m.id IS NULL
                  AND r.political_status IN ('中共党员', '中共预备党员')) AS to_find
             FROM compounds c WHERE 1 = 1",
        );
        if let Some(a) = area_code {
            sql.push(" AND c.community_code LIKE ")
                .bind(Arg::Text(inside(a)));
        }
        sql.push(" ORDER BY c.code");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(CompoundFindCount {
                    compound_id: r.try_get("id")?,
                    compound_name: r.try_get("name")?,
                    community_code: r.try_get("community_code")?,
                    members: r.try_get("members")?,
                    full_members: r.try_get("full_members")?,
                    to_find: r.try_get("to_find")?,
                })
            })
            .collect()
    }
}
