//! Party member assessment (decision 024): the rule sets in force, each member's yearly
//! twelve-point ledger (`points_years`, `points_deductions`, `points_evidence`) and five-star
//! rating (`star_ratings`). The domain (`gongzhi_domain::assessment`) decides every rating and
//! deduction; this module keeps them, and writes each change's record event on the log in the
//! same transaction (decision 020).

use crate::Millis;
use crate::audit::Actor;
use crate::case_extras::NewPhoto;
use crate::cases::AssertSql;
use crate::db::Store;
use crate::error::StoreError;
use crate::ledger::{RecordEvent, append_record};
use crate::sql::{Arg, Sql};
use gongzhi_domain::Bilingual;
use gongzhi_domain::assessment::{AssessmentError, PointsRules, StarResult, StarRules};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::party::MemberStatus;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use std::collections::BTreeMap;

/// A rule set in force: its version (the `assessment_rules` row) and content.
#[derive(Clone, Debug, Serialize)]
pub struct RulesVersion<T> {
    pub id: i64,
    pub rules: T,
    pub created_by_name: String,
    pub created_at: Millis,
}

/// A party member as assessment sees them: where they belong and which area their assessment
/// is targeted at (their organisation's area, or their community while they have none).
#[derive(Clone, Debug, Serialize)]
pub struct AssessedMember {
    pub id: i64,
    pub name: String,
    pub status: MemberStatus,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    pub community: AreaCode,
    pub community_name: Option<String>,
    /// The area the policy decides on (`Action::AssessMembers`).
    pub area: AreaCode,
}

/// A member's year: points deducted and rating.
#[derive(Clone, Debug, Serialize)]
pub struct MemberYearRow {
    #[serde(flatten)]
    pub member: AssessedMember,
    pub year: i32,
    pub deducted: i64,
    /// Deductions standing (not revoked).
    pub deductions: i64,
    pub stars: Option<u8>,
    /// The star total in hundredths of a point.
    pub total: Option<u32>,
}

/// Which members' years a list shows.
#[derive(Clone, Debug, Default)]
pub struct AssessmentFilter {
    pub year: i32,
    /// Members whose assessment area lies inside this area (the caller's listing).
    pub within: Option<AreaCode>,
    pub org: Option<i64>,
    pub community: Option<AreaCode>,
    pub member: Option<i64>,
}

/// A photo backing a deduction.
#[derive(Clone, Debug, Serialize)]
pub struct EvidencePhoto {
    pub id: i64,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
}

/// One deduction of a member's year.
#[derive(Clone, Debug, Serialize)]
pub struct DeductionRow {
    pub id: i64,
    pub member_id: i64,
    pub year: i32,
    pub rules_id: i64,
    pub item_code: String,
    pub item_name: String,
    pub points: i64,
    pub reason: String,
    pub note: String,
    pub occurred_on: Date,
    pub recorded_by_name: String,
    pub recorded_at: Millis,
    pub revoked_at: Option<Millis>,
    pub revoked_by_name: Option<String>,
    pub revoke_reason: Option<String>,
    pub photos: Vec<EvidencePhoto>,
}

/// A deduction to record; the domain has checked its evidence and year.
#[derive(Clone, Debug)]
pub struct NewDeduction {
    pub member_id: i64,
    pub year: i32,
    pub occurred_on: Date,
    pub item: String,
    pub reason: String,
    pub note: String,
    pub photos: Vec<NewPhoto>,
}

/// A member's star rating of a year.
#[derive(Clone, Debug, Serialize)]
pub struct StarRatingRow {
    pub id: i64,
    pub member_id: i64,
    pub year: i32,
    pub rules_id: i64,
    pub scores: BTreeMap<String, u32>,
    pub total: u32,
    pub stars: u8,
    pub note: String,
    pub assessed_by_name: String,
    pub assessed_at: Millis,
}

/// A rating to record, decided by the domain under rule set `rules_id`.
#[derive(Clone, Debug)]
pub struct NewRating {
    pub member_id: i64,
    pub year: i32,
    pub rules_id: i64,
    pub scores: BTreeMap<String, u32>,
    pub result: StarResult,
    pub note: String,
}

fn refused(e: AssessmentError) -> StoreError {
    StoreError::Conflict {
        code: e.code(),
        zh: e.message_zh(),
        en: e.message_en(),
    }
}

fn date(r: &sqlx::any::AnyRow, col: &str) -> Result<Date, StoreError> {
    let s: String = r.try_get(col)?;
    Date::parse(&s).ok_or_else(|| StoreError::corrupt(format!("{col}: {s}")))
}

fn area(r: &sqlx::any::AnyRow, col: &str) -> Result<AreaCode, StoreError> {
    let s: String = r.try_get(col)?;
    AreaCode::parse(&s).map_err(|e| StoreError::corrupt(format!("{col}: {e}")))
}

const MEMBER_COLUMNS: &str = "m.id, m.name, m.status, m.org_id, o.name AS org_name,
    m.community_code, a.name AS community_name,
    COALESCE(o.area_code, m.community_code) AS target_area";

const MEMBER_JOINS: &str = "FROM party_members m
    LEFT JOIN party_orgs o ON o.id = m.org_id
    LEFT JOIN areas a ON a.code = m.community_code";

fn member_row(r: &sqlx::any::AnyRow) -> Result<AssessedMember, StoreError> {
    let status: String = r.try_get("status")?;
    Ok(AssessedMember {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        status: MemberStatus::parse(&status)
            .ok_or_else(|| StoreError::corrupt(format!("member status {status}")))?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        community: area(r, "community_code")?,
        community_name: r.try_get("community_name")?,
        area: area(r, "target_area")?,
    })
}

const DEDUCTION_COLUMNS: &str = "id, member_id, year, rules_id, item_code, item_name, points,
    reason, note, occurred_on, recorded_by_name, recorded_at, revoked_at, revoked_by_name,
    revoke_reason";

const RATING_COLUMNS: &str =
    "id, member_id, year, rules_id, scores, total, stars, note, assessed_by_name, assessed_at";

fn deduction_row(r: &sqlx::any::AnyRow) -> Result<DeductionRow, StoreError> {
    let year: i64 = r.try_get("year")?;
    Ok(DeductionRow {
        id: r.try_get("id")?,
        member_id: r.try_get("member_id")?,
        year: year as i32,
        rules_id: r.try_get("rules_id")?,
        item_code: r.try_get("item_code")?,
        item_name: r.try_get("item_name")?,
        points: r.try_get("points")?,
        reason: r.try_get("reason")?,
        note: r.try_get("note")?,
        occurred_on: date(r, "occurred_on")?,
        recorded_by_name: r.try_get("recorded_by_name")?,
        recorded_at: r.try_get("recorded_at")?,
        revoked_at: r.try_get("revoked_at")?,
        revoked_by_name: r.try_get("revoked_by_name")?,
        revoke_reason: r.try_get("revoke_reason")?,
        photos: Vec::new(),
    })
}

fn rating_row(r: &sqlx::any::AnyRow) -> Result<StarRatingRow, StoreError> {
    let scores: String = r.try_get("scores")?;
    let year: i64 = r.try_get("year")?;
    let total: i64 = r.try_get("total")?;
    let stars: i64 = r.try_get("stars")?;
    Ok(StarRatingRow {
        id: r.try_get("id")?,
        member_id: r.try_get("member_id")?,
        year: year as i32,
        rules_id: r.try_get("rules_id")?,
        scores: serde_json::from_str(&scores)
            .map_err(|e| StoreError::corrupt(format!("rating scores: {e}")))?,
        total: total as u32,
        stars: stars as u8,
        note: r.try_get("note")?,
        assessed_by_name: r.try_get("assessed_by_name")?,
        assessed_at: r.try_get("assessed_at")?,
    })
}

/// The first and last day of `year`, as stored dates compare.
fn year_bounds(year: i32) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{year:04}-12-31"))
}

impl Store {
    async fn rules<T: DeserializeOwned>(&self, kind: &str) -> Result<RulesVersion<T>, StoreError> {
        let r = sqlx::query(
            "SELECT id, rules, created_by_name, created_at FROM assessment_rules
             WHERE kind = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(kind)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::corrupt(format!("no {kind} assessment rules")))?;
        let text: String = r.try_get("rules")?;
        Ok(RulesVersion {
            id: r.try_get("id")?,
            rules: serde_json::from_str(&text)
                .map_err(|e| StoreError::corrupt(format!("{kind} rules: {e}")))?,
            created_by_name: r.try_get("created_by_name")?,
            created_at: r.try_get("created_at")?,
        })
    }

    /// The five-star rules in force.
    pub async fn star_rules(&self) -> Result<RulesVersion<StarRules>, StoreError> {
        self.rules("stars").await
    }

    /// The twelve-point rules in force.
    pub async fn points_rules(&self) -> Result<RulesVersion<PointsRules>, StoreError> {
        self.rules("points").await
    }

    async fn set_rules(
        &self,
        kind: &'static str,
        rules: &impl Serialize,
        summary: serde_json::Value,
        by: &Actor<'_>,
    ) -> Result<i64, StoreError> {
        let text = serde_json::to_string(rules)
            .map_err(|e| StoreError::corrupt(format!("{kind} rules: {e}")))?;
        let now = crate::now_millis();
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO assessment_rules (kind, rules, created_by, created_by_name, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(kind)
        .bind(&text)
        .bind(by.id)
        .bind(by.name)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let mut payload = summary;
        payload["kind"] = serde_json::json!(kind);
        payload["rules"] = serde_json::json!(text);
        append_record(
            &mut tx,
            &RecordEvent {
                subject: format!("assessment_rules/{id}"),
                kind: "rules_set",
                payload,
                actor_id: by.id,
                actor_name: by.name,
                at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Saves a new version of the five-star rules (checked by the domain first).
    pub async fn set_star_rules(&self, r: &StarRules, by: &Actor<'_>) -> Result<i64, StoreError> {
        r.check().map_err(refused)?;
        let summary = serde_json::json!({ "count": r.dimensions.len() });
        self.set_rules("stars", r, summary, by).await
    }

    /// Saves a new version of the twelve-point rules (checked by the domain first).
    pub async fn set_points_rules(
        &self,
        r: &PointsRules,
        by: &Actor<'_>,
    ) -> Result<i64, StoreError> {
        r.check().map_err(refused)?;
        let summary = serde_json::json!({ "points": r.budget, "count": r.items.len() });
        self.set_rules("points", r, summary, by).await
    }

    /// One member, whether or not they are in a year's list.
    pub async fn assessed_member(&self, id: i64) -> Result<Option<AssessedMember>, StoreError> {
        let row = sqlx::query(AssertSql::new(format!(
            "SELECT {MEMBER_COLUMNS} {MEMBER_JOINS} WHERE m.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(member_row).transpose()
    }

    /// The members who belonged to the party during `f.year`, with that year's points and
    /// rating, in id order.
    pub async fn assessment_years(
        &self,
        f: &AssessmentFilter,
    ) -> Result<Vec<MemberYearRow>, StoreError> {
        let (first, last) = year_bounds(f.year);
        let year = i64::from(f.year);
        let mut sql = Sql::new(&format!(
            "SELECT {MEMBER_COLUMNS},
                COALESCE(p.deducted, 0) AS deducted,
                (SELECT COUNT(*) FROM points_deductions d
                  WHERE d.member_id = m.id AND d.year = "
        ));
        sql.bind(Arg::Int(year))
            .push(
                " AND d.revoked_at IS NULL) AS deductions,
                s.stars, s.total ",
            )
            .push(MEMBER_JOINS)
            .push(" LEFT JOIN points_years p ON p.member_id = m.id AND p.year = ")
            .bind(Arg::Int(year))
            .push(" LEFT JOIN star_ratings s ON s.member_id = m.id AND s.year = ")
            .bind(Arg::Int(year))
            .push(" WHERE m.joined_on <= ")
            .bind(Arg::Text(last))
            .push(" AND (m.left_on IS NULL OR m.left_on >= ")
            .bind(Arg::Text(first))
            .push(")");
        if let Some(a) = &f.within {
            sql.push(" AND COALESCE(o.area_code, m.community_code) LIKE ")
                .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
        }
        if let Some(o) = f.org {
            sql.push(" AND m.org_id = ").bind(Arg::Int(o));
        }
        if let Some(c) = &f.community {
            sql.push(" AND m.community_code = ")
                .bind(Arg::Text(c.to_string()));
        }
        if let Some(m) = f.member {
            sql.push(" AND m.id = ").bind(Arg::Int(m));
        }
        sql.push(" ORDER BY m.id LIMIT 50000");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let stars: Option<i64> = r.try_get("stars")?;
                let total: Option<i64> = r.try_get("total")?;
                Ok(MemberYearRow {
                    member: member_row(r)?,
                    year: f.year,
                    deducted: r.try_get("deducted")?,
                    deductions: r.try_get("deductions")?,
                    stars: stars.map(|s| s as u8),
                    total: total.map(|t| t as u32),
                })
            })
            .collect()
    }

    /// A member's deductions of `year` in the order they were recorded, with their photos.
    pub async fn points_deductions(
        &self,
        member_id: i64,
        year: i32,
    ) -> Result<Vec<DeductionRow>, StoreError> {
        let rows = sqlx::query(AssertSql::new(format!(
            "SELECT {DEDUCTION_COLUMNS} FROM points_deductions
             WHERE member_id = $1 AND year = $2 ORDER BY id"
        )))
        .bind(member_id)
        .bind(i64::from(year))
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<DeductionRow> =
            rows.iter().map(deduction_row).collect::<Result<_, _>>()?;
        let photos = sqlx::query(
            "SELECT e.id, e.deduction_id, e.mime, e.size, e.sha256 FROM points_evidence e
             JOIN points_deductions d ON d.id = e.deduction_id
             WHERE d.member_id = $1 AND d.year = $2 ORDER BY e.id",
        )
        .bind(member_id)
        .bind(i64::from(year))
        .fetch_all(&self.pool)
        .await?;
        for p in &photos {
            let deduction: i64 = p.try_get("deduction_id")?;
            if let Some(d) = out.iter_mut().find(|d| d.id == deduction) {
                d.photos.push(EvidencePhoto {
                    id: p.try_get("id")?,
                    mime: p.try_get("mime")?,
                    size: p.try_get("size")?,
                    sha256: p.try_get("sha256")?,
                });
            }
        }
        Ok(out)
    }

    pub async fn points_deduction(&self, id: i64) -> Result<Option<DeductionRow>, StoreError> {
        let row = sqlx::query(AssertSql::new(format!(
            "SELECT {DEDUCTION_COLUMNS} FROM points_deductions WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(d) = row.as_ref().map(deduction_row).transpose()? else {
            return Ok(None);
        };
        Ok(self
            .points_deductions(d.member_id, d.year)
            .await?
            .into_iter()
            .find(|x| x.id == id))
    }

    /// An evidence photo: its deduction's member, the stored path and type.
    pub async fn evidence_photo(
        &self,
        photo_id: i64,
    ) -> Result<Option<(i64, String, String)>, StoreError> {
        let row = sqlx::query(
            "SELECT d.member_id, e.path, e.mime FROM points_evidence e
             JOIN points_deductions d ON d.id = e.deduction_id WHERE e.id = $1",
        )
        .bind(photo_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok((
                r.try_get("member_id")?,
                r.try_get("path")?,
                r.try_get("mime")?,
            ))
        })
        .transpose()
    }

    /// Records a deduction under `rules`: inside one transaction the year's balance is read,
    /// the domain decides (an unknown item or a balance that would fall below 0 is refused),
    /// the balance moves from the value read (a concurrent deduction makes this one fail rather
    /// than overspend), and the deduction, its photos and its record event are written.
    pub async fn deduct_points(
        &self,
        d: &NewDeduction,
        rules: &RulesVersion<PointsRules>,
        by: &Actor<'_>,
    ) -> Result<i64, StoreError> {
        let year = i64::from(d.year);
        let now = crate::now_millis();
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO points_years (member_id, year, deducted) VALUES ($1, $2, 0)
             ON CONFLICT (member_id, year) DO NOTHING",
        )
        .bind(d.member_id)
        .bind(year)
        .execute(&mut *tx)
        .await?;
        let before: i64 =
            sqlx::query("SELECT deducted FROM points_years WHERE member_id = $1 AND year = $2")
                .bind(d.member_id)
                .bind(year)
                .fetch_one(&mut *tx)
                .await?
                .try_get("deducted")?;
        let item = rules
            .rules
            .deduct(u32::try_from(before).unwrap_or(u32::MAX), &d.item)
            .map_err(refused)?;
        let after = before + i64::from(item.points);
        let moved = sqlx::query(
            "UPDATE points_years SET deducted = $1 WHERE member_id = $2 AND year = $3 AND deducted = $4",
        )
        .bind(after)
        .bind(d.member_id)
        .bind(year)
        .bind(before)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved != 1 {
            return Err(StoreError::Conflict {
                code: "points_changed",
                zh: "该党员的积分刚被他人修改，请刷新后重试".into(),
                en: "the member's points were changed meanwhile; reload and try again".into(),
            });
        }
        let id: i64 = sqlx::query(
            "INSERT INTO points_deductions (member_id, year, rules_id, item_code, item_name, points,
                reason, note, occurred_on, recorded_by, recorded_by_name, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(d.member_id)
        .bind(year)
        .bind(rules.id)
        .bind(&item.code)
        .bind(&item.zh)
        .bind(i64::from(item.points))
        .bind(&d.reason)
        .bind(&d.note)
        .bind(d.occurred_on.to_string())
        .bind(by.id)
        .bind(by.name)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for p in &d.photos {
            sqlx::query(
                "INSERT INTO points_evidence (deduction_id, path, mime, size, sha256) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(&p.path)
            .bind(&p.mime)
            .bind(p.size)
            .bind(&p.sha256)
            .execute(&mut *tx)
            .await?;
        }
        append_record(
            &mut tx,
            &RecordEvent {
                subject: format!("points_deduction/{id}"),
                kind: "deducted",
                payload: serde_json::json!({
                    "member": d.member_id,
                    "year": d.year,
                    "points": item.points,
                    "item": item.code,
                    "occurred_on": d.occurred_on.to_string(),
                    "reason": d.reason,
                    "note": d.note,
                    // The log commits to the evidence files themselves.
                    "evidence": d.photos.iter().map(|p| p.sha256.clone()).collect::<Vec<_>>(),
                }),
                actor_id: by.id,
                actor_name: by.name,
                at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Revokes a deduction made in error: its points go back to the member's year; it stays
    /// listed, marked revoked with the reason.
    pub async fn revoke_deduction(
        &self,
        id: i64,
        reason: &str,
        by: &Actor<'_>,
    ) -> Result<(), StoreError> {
        let now = crate::now_millis();
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(
            "SELECT member_id, year, points, revoked_at FROM points_deductions WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            StoreError::not_found(format!("扣分记录 {id}"), format!("deduction {id}"))
        })?;
        let revoked: Option<i64> = row.try_get("revoked_at")?;
        if revoked.is_some() {
            return Err(refused(AssessmentError::AlreadyRevoked));
        }
        let (member, year, points): (i64, i64, i64) = (
            row.try_get("member_id")?,
            row.try_get("year")?,
            row.try_get("points")?,
        );
        let n = sqlx::query(
            "UPDATE points_deductions SET revoked_at = $1, revoked_by = $2, revoked_by_name = $3,
                revoke_reason = $4 WHERE id = $5 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(by.id)
        .bind(by.name)
        .bind(reason)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Err(refused(AssessmentError::AlreadyRevoked));
        }
        sqlx::query(
            "UPDATE points_years SET deducted = deducted - $1 WHERE member_id = $2 AND year = $3",
        )
        .bind(points)
        .bind(member)
        .bind(year)
        .execute(&mut *tx)
        .await?;
        append_record(
            &mut tx,
            &RecordEvent {
                subject: format!("points_deduction/{id}"),
                kind: "revoked",
                payload: serde_json::json!({
                    "member": member,
                    "year": year,
                    "points": points,
                    "reason": reason,
                }),
                actor_id: by.id,
                actor_name: by.name,
                at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A member's rating of `year`, if rated.
    pub async fn star_rating(
        &self,
        member_id: i64,
        year: i32,
    ) -> Result<Option<StarRatingRow>, StoreError> {
        let row = sqlx::query(AssertSql::new(format!(
            "SELECT {RATING_COLUMNS} FROM star_ratings WHERE member_id = $1 AND year = $2"
        )))
        .bind(member_id)
        .bind(i64::from(year))
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(rating_row).transpose()
    }

    /// Records a member's rating of a year, replacing an earlier one of the same year; the
    /// record event says which (`rated`, `re_rated`).
    pub async fn rate_member(&self, r: &NewRating, by: &Actor<'_>) -> Result<i64, StoreError> {
        let now = crate::now_millis();
        let scores = serde_json::to_string(&r.scores)
            .map_err(|e| StoreError::corrupt(format!("scores: {e}")))?;
        let year = i64::from(r.year);
        let mut tx = self.write_tx().await?;
        let existing: Option<i64> =
            sqlx::query("SELECT id FROM star_ratings WHERE member_id = $1 AND year = $2")
                .bind(r.member_id)
                .bind(year)
                .fetch_optional(&mut *tx)
                .await?
                .map(|row| row.try_get("id"))
                .transpose()?;
        let id = match existing {
            Some(id) => {
                sqlx::query(
                    "UPDATE star_ratings SET rules_id = $1, scores = $2, total = $3, stars = $4,
                        note = $5, assessed_by = $6, assessed_by_name = $7, assessed_at = $8
                     WHERE id = $9",
                )
                .bind(r.rules_id)
                .bind(&scores)
                .bind(i64::from(r.result.total))
                .bind(i64::from(r.result.stars))
                .bind(&r.note)
                .bind(by.id)
                .bind(by.name)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                id
            }
            None => sqlx::query(
                "INSERT INTO star_ratings (member_id, year, rules_id, scores, total, stars, note,
                    assessed_by, assessed_by_name, assessed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(r.member_id)
            .bind(year)
            .bind(r.rules_id)
            .bind(&scores)
            .bind(i64::from(r.result.total))
            .bind(i64::from(r.result.stars))
            .bind(&r.note)
            .bind(by.id)
            .bind(by.name)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?,
        };
        append_record(
            &mut tx,
            &RecordEvent {
                subject: format!("star_rating/{id}"),
                kind: if existing.is_some() {
                    "re_rated"
                } else {
                    "rated"
                },
                payload: serde_json::json!({
                    "member": r.member_id,
                    "year": r.year,
                    "stars": r.result.stars,
                    "total": r.result.total,
                    "scores": r.scores,
                    "note": r.note,
                }),
                actor_id: by.id,
                actor_name: by.name,
                at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}
