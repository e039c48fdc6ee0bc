//! 议题 kept: raised (with a lookup code's digest when raised without an account), supported
//! once per resident account or lookup-code holder — the support that reaches the threshold
//! tables the topic in the same transaction — tabled or declined by staff.

use super::filter::DeliberationFilter;
use super::settings::settings_on;
use super::{TopicRow, WriteResult, log, parse_col};
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use crate::{EventActor, Millis, now_millis};
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_domain::deliberation::{
    DeliberationError, RaiserKind, SupportOutcome, TopicCategory, TopicDraft, TopicStatus,
};
use serde_json::json;
use sqlx::{AnyConnection, Row};

/// A topic to keep, checked by the domain.
#[derive(Clone, Debug)]
pub struct NewTopic {
    pub draft: TopicDraft,
    pub grid: Option<GridCode>,
    pub raiser_kind: RaiserKind,
    pub raised_by: Option<i64>,
    /// Masked already.
    pub raiser_name: String,
    /// The digest of the lookup code handed to a resident without an account.
    pub lookup_hash: Option<Vec<u8>>,
}

/// Who supports a topic: a resident's account, or the holder of a lookup code (its digest).
#[derive(Clone, Debug)]
pub enum Supporter {
    Account(i64),
    Code(Vec<u8>),
}

impl Supporter {
    fn key(&self) -> String {
        match self {
            Supporter::Account(id) => format!("account/{id}"),
            Supporter::Code(d) => format!(
                "code/{}",
                d.iter().map(|b| format!("{b:02x}")).collect::<String>()
            ),
        }
    }
}

pub(super) const TOPIC_SELECT: &str = "SELECT t.id, t.community_code, t.grid_code, t.category,
    t.title, t.description, t.raiser_kind, t.raised_by, t.raiser_name, t.status, t.supports,
    t.tabled_by, t.tabled_at, t.decline_reason, t.meeting_id, t.created_at FROM topics t";

pub(super) fn topic_row(r: &sqlx::any::AnyRow) -> Result<TopicRow, StoreError> {
    let grid: Option<String> = r.try_get("grid_code")?;
    Ok(TopicRow {
        id: r.try_get("id")?,
        community: parse_col(r, "community_code", |s| AreaCode::parse(s).ok())?,
        grid: grid.and_then(|g| GridCode::parse(&g).ok()),
        category: parse_col(r, "category", TopicCategory::parse)?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        raiser_kind: parse_col(r, "raiser_kind", RaiserKind::parse)?,
        raised_by: r.try_get("raised_by")?,
        raiser_name: r.try_get("raiser_name")?,
        status: parse_col(r, "status", TopicStatus::parse)?,
        supports: r.try_get("supports")?,
        tabled_by: r.try_get("tabled_by")?,
        tabled_at: r.try_get("tabled_at")?,
        decline_reason: r.try_get("decline_reason")?,
        meeting_id: r.try_get("meeting_id")?,
        created_at: r.try_get("created_at")?,
    })
}

fn not_found(id: i64) -> StoreError {
    StoreError::not_found(format!("议题 {id}"), format!("topic {id}"))
}

/// The topic, its row locked for this transaction (on PostgreSQL the no-op update takes the
/// row lock, so two supports of one topic are counted one after the other).
pub(super) async fn locked_topic(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<TopicRow, StoreError> {
    sqlx::query("UPDATE topics SET supports = supports WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query(crate::cases::AssertSql::new(format!(
        "{TOPIC_SELECT} WHERE t.id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| not_found(id))?;
    topic_row(&row)
}

async fn set_tabled(
    conn: &mut AnyConnection,
    id: i64,
    how: &str,
    by: &EventActor,
    at: Millis,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE topics SET status = $1, tabled_by = $2, tabled_at = $3 WHERE id = $4")
        .bind(TopicStatus::Tabled.as_str())
        .bind(how)
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    log(
        conn,
        format!("topic/{id}"),
        "tabled",
        json!({"type": "tabled", "by": how, "status": TopicStatus::Tabled.as_str()}),
        by,
        at,
    )
    .await?;
    Ok(())
}

impl Store {
    /// Keeps a topic raised as of `at`, logged.
    pub async fn raise_topic(&self, t: &NewTopic, by: &EventActor, at: Millis) -> WriteResult<i64> {
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO topics (community_code, grid_code, category, title, description, raiser_kind,
             raised_by, raiser_name, lookup_hash, status, supports, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11) RETURNING id",
        )
        .bind(t.draft.community.as_str())
        .bind(t.grid.map(|g| g.as_str().to_string()))
        .bind(t.draft.category.as_str())
        .bind(&t.draft.title)
        .bind(&t.draft.description)
        .bind(t.raiser_kind.as_str())
        .bind(t.raised_by)
        .bind(&t.raiser_name)
        .bind(t.lookup_hash.clone())
        .bind(TopicStatus::Open.as_str())
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        log(
            &mut tx,
            format!("topic/{id}"),
            "raised",
            json!({
                "type": "raised",
                "community": t.draft.community.as_str(),
                "kind": t.raiser_kind.as_str(),
                "category": t.draft.category.as_str(),
                "title": t.draft.title,
                "description": t.draft.description,
                "status": TopicStatus::Open.as_str(),
            }),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Is `digest` a lookup code this platform issued (a case's or a topic's)?
    async fn issued_code(conn: &mut AnyConnection, digest: &[u8]) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM cases WHERE lookup_hash = $1)
                  + (SELECT COUNT(*) FROM topics WHERE lookup_hash = $2) AS n",
        )
        .bind(digest.to_vec())
        .bind(digest.to_vec())
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
        Ok(n > 0)
    }

    /// One support of topic `id` as of `at`: refused when this supporter supported it already or
    /// the topic takes no more; the support that reaches the community's threshold tables the
    /// topic in the same transaction.
    pub async fn support_topic(
        &self,
        id: i64,
        who: &Supporter,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<SupportOutcome> {
        let mut tx = self.write_tx().await?;
        let topic = locked_topic(&mut tx, id).await?;
        if let Supporter::Code(d) = who
            && !Self::issued_code(&mut tx, d).await?
        {
            return Err(DeliberationError::UnknownLookupCode.into());
        }
        let key = who.key();
        let taken =
            sqlx::query("SELECT id FROM topic_supports WHERE topic_id = $1 AND supporter = $2")
                .bind(id)
                .bind(&key)
                .fetch_optional(&mut *tx)
                .await?;
        if taken.is_some() {
            return Err(DeliberationError::AlreadySupported.into());
        }
        let settings = settings_on(&mut tx, Some(&topic.community)).await?;
        let outcome = topic
            .status
            .support(topic.supports as u32, settings.support_threshold)?;
        sqlx::query(
            "INSERT INTO topic_supports (topic_id, supporter, account_id, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(&key)
        .bind(match who {
            Supporter::Account(a) => Some(*a),
            Supporter::Code(_) => None,
        })
        .bind(at)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE topics SET supports = $1 WHERE id = $2")
            .bind(i64::from(outcome.supports))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        log(
            &mut tx,
            format!("topic/{id}"),
            "supported",
            json!({"type": "supported", "supports": outcome.supports}),
            by,
            at,
        )
        .await?;
        if outcome.tabled {
            set_tabled(&mut tx, id, "support", by, at).await?;
        }
        tx.commit().await?;
        Ok(outcome)
    }

    /// Staff table an open topic.
    pub async fn table_topic(&self, id: i64, by: &EventActor) -> WriteResult<()> {
        let mut tx = self.write_tx().await?;
        let topic = locked_topic(&mut tx, id).await?;
        topic.status.table()?;
        set_tabled(&mut tx, id, "staff", by, now_millis()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Staff decline a topic with a reason; it leaves any agenda it was on.
    pub async fn decline_topic(&self, id: i64, reason: &str, by: &EventActor) -> WriteResult<()> {
        let mut tx = self.write_tx().await?;
        let topic = locked_topic(&mut tx, id).await?;
        let reason = topic.status.decline(reason)?;
        sqlx::query(
            "UPDATE topics SET status = $1, decline_reason = $2, meeting_id = NULL WHERE id = $3",
        )
        .bind(TopicStatus::Declined.as_str())
        .bind(&reason)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        log(
            &mut tx,
            format!("topic/{id}"),
            "declined",
            json!({"type": "declined", "reason": reason, "status": TopicStatus::Declined.as_str()}),
            by,
            now_millis(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn topic(&self, id: i64) -> Result<Option<TopicRow>, StoreError> {
        let row = sqlx::query(crate::cases::AssertSql::new(format!(
            "{TOPIC_SELECT} WHERE t.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(topic_row).transpose()
    }

    /// The topic a lookup code was issued for.
    pub async fn topic_by_lookup(&self, code: &str) -> Result<Option<TopicRow>, StoreError> {
        let Some(digest) = crate::lookup_digest(&self.pii, code) else {
            return Ok(None);
        };
        let row = sqlx::query(crate::cases::AssertSql::new(format!(
            "{TOPIC_SELECT} WHERE t.lookup_hash = $1"
        )))
        .bind(digest)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(topic_row).transpose()
    }

    /// Lookup digests of the reports in `community`, oldest first: their reporters hold
    /// the codes, with which the demo's residents without an account support topics.
    pub async fn case_lookup_digests_in(
        &self,
        community: &AreaCode,
        limit: i64,
    ) -> Result<Vec<Vec<u8>>, StoreError> {
        let rows = sqlx::query(
            "SELECT lookup_hash FROM cases WHERE community_code = $1 ORDER BY id LIMIT $2",
        )
        .bind(community.as_str())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("lookup_hash")?)).collect()
    }

    /// Has this supporter supported topic `id`?
    pub async fn has_supported(&self, id: i64, who: &Supporter) -> Result<bool, StoreError> {
        Ok(
            sqlx::query("SELECT id FROM topic_supports WHERE topic_id = $1 AND supporter = $2")
                .bind(id)
                .bind(who.key())
                .fetch_optional(&self.pool)
                .await?
                .is_some(),
        )
    }

    fn topic_where(sql: &mut Sql, f: &DeliberationFilter) {
        f.place(sql, "t.community_code");
        if let Some(a) = f.raised_by {
            sql.push(" AND t.raised_by = ").bind(Arg::Int(a));
        }
        if f.department.is_some() {
            sql.push(" AND t.meeting_id IN (SELECT m.id FROM deliberation_meetings m WHERE 1 = 1");
            f.invited(sql, "m.departments");
            sql.push(")");
        }
        f.text(sql, "t.title", "t.status", "t.category");
    }

    /// Topics in the filter, latest first, at most `limit`.
    pub async fn topics(
        &self,
        f: &DeliberationFilter,
        limit: i64,
    ) -> Result<Vec<TopicRow>, StoreError> {
        let mut sql = Sql::new(&format!("{TOPIC_SELECT} WHERE 1 = 1"));
        Self::topic_where(&mut sql, f);
        sql.push(" ORDER BY t.created_at DESC, t.id DESC LIMIT ")
            .bind(Arg::Int(limit));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(topic_row).collect()
    }

    /// Topics in the filter by status.
    pub async fn topic_counts(
        &self,
        f: &DeliberationFilter,
    ) -> Result<Vec<(TopicStatus, i64)>, StoreError> {
        let mut sql = Sql::new("SELECT t.status, COUNT(*) AS n FROM topics t WHERE 1 = 1");
        Self::topic_where(&mut sql, f);
        sql.push(" GROUP BY t.status");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        let mut out: Vec<(TopicStatus, i64)> = TopicStatus::ALL.iter().map(|s| (*s, 0)).collect();
        for r in &rows {
            let code: String = r.try_get("status")?;
            if let Some(slot) = out.iter_mut().find(|(s, _)| s.as_str() == code) {
                slot.1 = r.try_get("n")?;
            }
        }
        Ok(out)
    }
}
