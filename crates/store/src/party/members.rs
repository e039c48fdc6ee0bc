//! 党员 (`party_members`) and their transfers (`party_transfers`).

use super::{PartyTx, area, date, inside, opt_date, refused};
use crate::Millis;
use crate::audit::Actor;
use crate::db::Store;
use crate::error::StoreError;
use crate::pii::PiiField;
use crate::population::Page;
use crate::sql::{Arg, Sql};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::{AreaCode, Phone};
use gongzhi_domain::party::members::{self, OrgView};
use gongzhi_domain::party::{MemberStatus, PartyError, PartyMember, Transfer};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

#[derive(Clone, Debug, Serialize)]
pub struct MemberRow {
    pub id: i64,
    /// The member; `phone` is never filled here (see [`Store::member_phone`]).
    #[serde(flatten)]
    pub record: PartyMember,
    pub org_name: Option<String>,
    /// The grid of the household, when linked.
    pub grid_code: Option<String>,
    pub compound_id: Option<i64>,
    pub compound_name: Option<String>,
    pub has_phone: bool,
    pub created_at: Millis,
}

#[derive(Clone, Debug, Serialize)]
pub struct TransferRow {
    pub id: i64,
    pub member_id: i64,
    pub from_org: Option<i64>,
    pub from_name: Option<String>,
    pub to_org: i64,
    pub to_name: String,
    pub on: Date,
    pub reason: String,
    pub created_at: Millis,
}

#[derive(Clone, Debug, Default)]
pub struct MemberFilter {
    /// Members residing inside this area.
    pub area: Option<AreaCode>,
    pub org: Option<i64>,
    pub compound: Option<i64>,
    pub status: Option<MemberStatus>,
    pub name: Option<String>,
    /// Only in-service members (with a workplace).
    pub in_service: bool,
    /// Also those who have left.
    pub include_left: bool,
    pub page: Page,
}

const SELECT: &str =
    "SELECT m.id, m.name, m.gender, m.birth_date, m.status, m.joined_on, m.full_on,
    m.org_id, m.resident_id, m.household_id, m.community_code, m.workplace, m.left_on, m.created_at,
    CAST(CASE WHEN m.phone_enc IS NULL THEN 0 ELSE 1 END AS BIGINT) AS has_phone,
    o.name AS org_name, h.grid_code, b.compound_id, c.name AS compound_name
    FROM party_members m
    LEFT JOIN party_orgs o ON o.id = m.org_id
    LEFT JOIN households h ON h.id = m.household_id
    LEFT JOIN buildings b ON b.id = h.building_id
    LEFT JOIN compounds c ON c.id = b.compound_id";

fn member_row(r: &sqlx::any::AnyRow) -> Result<MemberRow, StoreError> {
    let status: String = r.try_get("status")?;
    let has_phone: i64 = r.try_get("has_phone")?;
    Ok(MemberRow {
        id: r.try_get("id")?,
        record: PartyMember {
            name: r.try_get("name")?,
            gender: r.try_get("gender")?,
            birth_date: opt_date(r, "birth_date")?,
            status: MemberStatus::parse(&status)
                .ok_or_else(|| StoreError::corrupt(format!("member status {status}")))?,
            joined_on: date(r, "joined_on")?,
            full_on: opt_date(r, "full_on")?,
            org: r.try_get("org_id")?,
            resident: r.try_get("resident_id")?,
            household: r.try_get("household_id")?,
            community: area(r, "community_code")?,
            workplace: r.try_get("workplace")?,
            phone: None,
            left_on: opt_date(r, "left_on")?,
        },
        org_name: r.try_get("org_name")?,
        grid_code: r.try_get("grid_code")?,
        compound_id: r.try_get("compound_id")?,
        compound_name: r.try_get("compound_name")?,
        has_phone: has_phone != 0,
        created_at: r.try_get("created_at")?,
    })
}

fn member_payload(kind: &str, id: i64, m: &PartyMember) -> serde_json::Value {
    json!({
        "type": kind,
        "member": id,
        "org": m.org,
        "status": m.status.as_str(),
        "household": m.household,
        "name": m.name,
        "joined_on": m.joined_on.to_string(),
        "full_on": m.full_on.map(|d| d.to_string()),
        "workplace": m.workplace,
        "left_on": m.left_on.map(|d| d.to_string()),
    })
}

impl PartyTx<'_> {
    async fn member_in_tx(&mut self, id: i64) -> Result<MemberRow, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE m.id = ").bind(Arg::Int(id));
        let row = sql
            .query(self.store.backend)
            .fetch_optional(&mut *self.tx)
            .await?
            .ok_or_else(|| {
                StoreError::not_found(format!("党员 {id}"), format!("party member {id}"))
            })?;
        member_row(&row)
    }

    async fn org_view(&mut self, id: i64) -> Result<OrgView, StoreError> {
        let r = sqlx::query("SELECT id, name, dissolved_on FROM party_orgs WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?
            .ok_or_else(|| {
                StoreError::not_found(format!("党组织 {id}"), format!("party organisation {id}"))
            })?;
        let dissolved: Option<String> = r.try_get("dissolved_on")?;
        Ok(OrgView {
            id,
            name: r.try_get("name")?,
            dissolved: dissolved.is_some(),
        })
    }

    /// The household (and its community) a resident lives in.
    pub(super) async fn residence(&mut self, resident: i64) -> Result<(i64, String), StoreError> {
        let r = sqlx::query("SELECT household_id, grid_code FROM residents WHERE id = $1")
            .bind(resident)
            .fetch_optional(&mut *self.tx)
            .await?
            .ok_or_else(|| {
                StoreError::not_found(format!("居民 {resident}"), format!("resident {resident}"))
            })?;
        let grid: String = r.try_get("grid_code")?;
        Ok((r.try_get("household_id")?, grid.chars().take(12).collect()))
    }

    /// Adds a member: the domain's checks, never into a dissolved organisation, one record per
    /// resident, the residence in the member's community (a resident's household is taken
    /// from the population base). Returns the id.
    pub async fn create_member(&mut self, m: &PartyMember) -> Result<i64, StoreError> {
        let mut m = m.clone().checked().map_err(refused)?;
        self.require_area(&m.community).await?;
        if let Some(o) = m.org {
            let view = self.org_view(o).await?;
            members::check_placement(Some(&view)).map_err(refused)?;
        }
        if let Some(r) = m.resident {
            let taken = sqlx::query("SELECT id FROM party_members WHERE resident_id = $1")
                .bind(r)
                .fetch_optional(&mut *self.tx)
                .await?;
            if taken.is_some() {
                return Err(refused(PartyError::ResidentTaken));
            }
            let (household, community) = self.residence(r).await?;
            if community != m.community.as_str() {
                return Err(refused(PartyError::OutsideArea("resident")));
            }
            m.household = Some(household);
        } else if let Some(h) = m.household {
            let grid: String = sqlx::query("SELECT grid_code FROM households WHERE id = $1")
                .bind(h)
                .fetch_optional(&mut *self.tx)
                .await?
                .ok_or_else(|| StoreError::not_found(format!("户 {h}"), format!("household {h}")))?
                .try_get("grid_code")?;
            if !grid.starts_with(m.community.as_str()) {
                return Err(refused(PartyError::OutsideArea("household")));
            }
        }
        let phone = m
            .phone
            .as_ref()
            .map(|p| self.store.pii.encrypt(PiiField::Phone, p.as_str()));
        let id: i64 = sqlx::query(
            "INSERT INTO party_members (name, gender, birth_date, status, joined_on, full_on, org_id,
             resident_id, household_id, community_code, workplace, phone_enc, left_on, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(&m.name)
        .bind(&m.gender)
        .bind(m.birth_date.map(|d| d.to_string()))
        .bind(m.status.as_str())
        .bind(m.joined_on.to_string())
        .bind(m.full_on.map(|d| d.to_string()))
        .bind(m.org)
        .bind(m.resident)
        .bind(m.household)
        .bind(m.community.as_str())
        .bind(m.workplace.as_deref())
        .bind(phone)
        .bind(m.left_on.map(|d| d.to_string()))
        .bind(self.now)
        .fetch_one(&mut *self.tx)
        .await?
        .try_get("id")?;
        self.log(
            format!("party_member/{id}"),
            "created",
            member_payload("created", id, &m),
        )
        .await?;
        Ok(id)
    }

    /// 组织关系转接: moves a member to another organisation, keeping the history.
    pub async fn transfer_member(&mut self, t: &Transfer) -> Result<i64, StoreError> {
        let m = self.member_in_tx(t.member).await?;
        let to = self.org_view(t.to).await?;
        let reason = members::check_transfer(&m.record, m.record.org, &to, t.on, &t.reason)
            .map_err(refused)?;
        sqlx::query("UPDATE party_members SET org_id = $1 WHERE id = $2")
            .bind(t.to)
            .bind(t.member)
            .execute(&mut *self.tx)
            .await?;
        let id: i64 = sqlx::query(
            "INSERT INTO party_transfers (member_id, from_org_id, to_org_id, on_date, reason, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(t.member)
        .bind(m.record.org)
        .bind(t.to)
        .bind(t.on.to_string())
        .bind(&reason)
        .bind(self.actor_id)
        .bind(self.now)
        .fetch_one(&mut *self.tx)
        .await?
        .try_get("id")?;
        self.log(
            format!("party_member/{}", t.member),
            "transferred",
            json!({
                "type": "transferred",
                "member": t.member,
                "org": t.to,
                "from_org": m.record.org,
                "on": t.on.to_string(),
                "reason": reason,
            }),
        )
        .await?;
        Ok(id)
    }

    /// 转正: a probationary member becomes full on `on`.
    pub async fn make_full(&mut self, id: i64, on: Date) -> Result<(), StoreError> {
        let m = self.member_in_tx(id).await?;
        let after = members::become_full(&m.record, on).map_err(refused)?;
        sqlx::query("UPDATE party_members SET status = $1, full_on = $2 WHERE id = $3")
            .bind(after.status.as_str())
            .bind(on.to_string())
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        self.log(
            format!("party_member/{id}"),
            "made_full",
            member_payload("made_full", id, &after),
        )
        .await?;
        Ok(())
    }

    /// The member leaves the community's organisations (moved away) on `on`.
    pub async fn member_leaves(&mut self, id: i64, on: Date) -> Result<(), StoreError> {
        let m = self.member_in_tx(id).await?;
        if m.record.left_on.is_some() {
            return Err(refused(PartyError::MemberLeft));
        }
        if on < m.record.joined_on {
            return Err(refused(PartyError::DateOrder("left_on")));
        }
        sqlx::query("UPDATE party_members SET left_on = $1 WHERE id = $2")
            .bind(on.to_string())
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        let after = PartyMember {
            left_on: Some(on),
            ..m.record
        };
        self.log(
            format!("party_member/{id}"),
            "left",
            member_payload("left", id, &after),
        )
        .await?;
        Ok(())
    }
}

impl Store {
    pub async fn create_member(
        &self,
        m: &PartyMember,
        actor: &Actor<'_>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.party_tx(actor).await?;
        let id = tx.create_member(m).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn transfer_member(
        &self,
        t: &Transfer,
        actor: &Actor<'_>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.party_tx(actor).await?;
        let id = tx.transfer_member(t).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn make_member_full(
        &self,
        id: i64,
        on: Date,
        actor: &Actor<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.party_tx(actor).await?;
        tx.make_full(id, on).await?;
        tx.commit().await
    }

    pub async fn member_leaves(
        &self,
        id: i64,
        on: Date,
        actor: &Actor<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.party_tx(actor).await?;
        tx.member_leaves(id, on).await?;
        tx.commit().await
    }

    pub async fn member(&self, id: i64) -> Result<Option<MemberRow>, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE m.id = ").bind(Arg::Int(id));
        let row = sql.query(self.backend).fetch_optional(&self.pool).await?;
        row.as_ref().map(member_row).transpose()
    }

    /// The member's phone, decrypted (the caller audits the reveal).
    pub async fn member_phone(&self, id: i64) -> Result<Option<Phone>, StoreError> {
        let sealed: Option<Vec<u8>> =
            sqlx::query("SELECT phone_enc FROM party_members WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .map(|r| r.try_get("phone_enc"))
                .transpose()?
                .flatten();
        sealed
            .map(|s| {
                let plain = self
                    .pii
                    .decrypt(PiiField::Phone, &s)
                    .map_err(StoreError::Crypto)?;
                Phone::parse(&plain).map_err(|e| StoreError::corrupt(format!("member phone: {e}")))
            })
            .transpose()
    }

    fn member_where(sql: &mut Sql, f: &MemberFilter) {
        sql.push(" WHERE 1 = 1");
        if let Some(a) = &f.area {
            sql.push(" AND m.community_code LIKE ")
                .bind(Arg::Text(inside(a)));
        }
        if let Some(o) = f.org {
            sql.push(" AND m.org_id = ").bind(Arg::Int(o));
        }
        if let Some(c) = f.compound {
            sql.push(" AND b.compound_id = ").bind(Arg::Int(c));
        }
        if let Some(s) = f.status {
            sql.push(" AND m.status = ")
                .bind(Arg::Text(s.as_str().into()));
        }
        if let Some(n) = f.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            sql.push(" AND m.name LIKE ")
                .bind(Arg::Text(format!("%{n}%")));
        }
        if f.in_service {
            sql.push(" AND m.workplace IS NOT NULL");
        }
        if !f.include_left {
            sql.push(" AND m.left_on IS NULL");
        }
    }

    /// Members by the filter, by community and name, one page.
    pub async fn members(&self, f: &MemberFilter) -> Result<Vec<MemberRow>, StoreError> {
        let mut sql = Sql::new(SELECT);
        Self::member_where(&mut sql, f);
        sql.push(" ORDER BY m.community_code, m.id LIMIT ")
            .bind(Arg::Int(f.page.limit))
            .push(" OFFSET ")
            .bind(Arg::Int(f.page.offset));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(member_row).collect()
    }

    pub async fn count_members(&self, f: &MemberFilter) -> Result<i64, StoreError> {
        let mut sql = Sql::new(
            "SELECT COUNT(*) AS n FROM party_members m
             LEFT JOIN households h ON h.id = m.household_id
             LEFT JOIN buildings b ON b.id = h.building_id",
        );
        Self::member_where(&mut sql, f);
        Ok(sql
            .query(self.backend)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }

    /// A member's transfers, oldest first.
    pub async fn member_transfers(&self, member: i64) -> Result<Vec<TransferRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.id, t.member_id, t.from_org_id, f.name AS from_name, t.to_org_id, o.name AS to_name,
             t.on_date, t.reason, t.created_at
             FROM party_transfers t
             LEFT JOIN party_orgs f ON f.id = t.from_org_id
             JOIN party_orgs o ON o.id = t.to_org_id
             WHERE t.member_id = $1 ORDER BY t.on_date, t.id",
        )
        .bind(member)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TransferRow {
                    id: r.try_get("id")?,
                    member_id: r.try_get("member_id")?,
                    from_org: r.try_get("from_org_id")?,
                    from_name: r.try_get("from_name")?,
                    to_org: r.try_get("to_org_id")?,
                    to_name: r.try_get("to_name")?,
                    on: date(r, "on_date")?,
                    reason: r.try_get("reason")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }
}

impl PartyTx<'_> {
    /// 在职党员到社区报到 for a member on record: the check-in joined to the member.
    pub async fn add_member_checkin(
        &mut self,
        member: i64,
        work_unit: &str,
        department: Option<&str>,
        registered_on: Date,
    ) -> Result<i64, StoreError> {
        let m = self.member_in_tx(member).await?;
        let c = gongzhi_domain::cadres::CommunityCheckIn {
            member: m.record.name.clone(),
            work_unit: work_unit.to_string(),
            department: department.map(str::to_string),
            community: m.record.community,
            registered_on,
        }
        .checked()
        .map_err(|e| {
            use gongzhi_domain::Bilingual;
            StoreError::Conflict {
                code: e.code(),
                zh: e.message_zh(),
                en: e.message_en(),
            }
        })?;
        let id: i64 = sqlx::query(
            "INSERT INTO community_checkins (member, work_unit, department_code, community_code, registered_on,
             created_by, created_at, member_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&c.member)
        .bind(&c.work_unit)
        .bind(c.department.as_deref())
        .bind(c.community.as_str())
        .bind(c.registered_on.to_string())
        .bind(self.actor_id)
        .bind(self.now)
        .bind(member)
        .fetch_one(&mut *self.tx)
        .await?
        .try_get("id")?;
        self.log(
            format!("party_member/{member}"),
            "checked_in",
            json!({
                "type": "checked_in",
                "member": member,
                "checkin": id,
                "work_unit": c.work_unit,
                "on": registered_on.to_string(),
            }),
        )
        .await?;
        Ok(id)
    }
}

impl PartyTx<'_> {
    /// Joins an existing check-in to the member's record (same person, same community).
    pub async fn link_checkin(&mut self, checkin: i64, member: i64) -> Result<(), StoreError> {
        let m = self.member_in_tx(member).await?;
        let community: String =
            sqlx::query("SELECT community_code FROM community_checkins WHERE id = $1")
                .bind(checkin)
                .fetch_optional(&mut *self.tx)
                .await?
                .ok_or_else(|| {
                    StoreError::not_found(
                        format!("报到记录 {checkin}"),
                        format!("check-in {checkin}"),
                    )
                })?
                .try_get("community_code")?;
        if community != m.record.community.as_str() {
            return Err(refused(PartyError::OutsideArea("community")));
        }
        sqlx::query("UPDATE community_checkins SET member_id = $1 WHERE id = $2")
            .bind(member)
            .bind(checkin)
            .execute(&mut *self.tx)
            .await?;
        self.log(
            format!("party_member/{member}"),
            "checkin_linked",
            json!({"type": "checkin_linked", "member": member, "checkin": checkin}),
        )
        .await?;
        Ok(())
    }
}

impl Store {
    pub async fn link_checkin(
        &self,
        checkin: i64,
        member: i64,
        actor: &Actor<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.party_tx(actor).await?;
        tx.link_checkin(checkin, member).await?;
        tx.commit().await
    }

    /// The member's check-ins (在职党员到社区报到) joined to their record.
    pub async fn member_checkins(
        &self,
        member: i64,
    ) -> Result<Vec<crate::CommunityCheckInRow>, StoreError> {
        self.community_checkins(&crate::SecondmentFilter {
            member: Some(member),
            ..Default::default()
        })
        .await
    }
}
