//! 表决事项 kept: a motion put to a meeting with the eligible voters counted then (the
//! community's households, or its residents), one vote per household (or resident) — a second
//! is refused — and the result the domain computes when the motion is closed.

use super::meetings::locked_meeting;
use super::{MotionRow, Voter, WriteResult, log, parse_col};
use crate::db::Store;
use crate::error::StoreError;
use crate::{EventActor, now_millis};
use gongzhi_domain::deliberation::{
    DeliberationError, Majority, MotionDraft, MotionResult, MotionRule, MotionStatus, Tally,
    VoteChoice, VotingBasis,
};
use serde_json::json;
use sqlx::{AnyConnection, Row};

const MOTION_SELECT: &str = "SELECT v.id, v.meeting_id, v.topic_id, v.title, v.basis,
    v.quorum_pct, v.majority, v.eligible, v.votes_for, v.votes_against, v.votes_abstain,
    v.status, v.closed_at, r.id AS resolution_id, m.community_code
    FROM motions v JOIN deliberation_meetings m ON m.id = v.meeting_id
    LEFT JOIN resolutions r ON r.motion_id = v.id";

fn motion_row(r: &sqlx::any::AnyRow) -> Result<MotionRow, StoreError> {
    let basis = parse_col(r, "basis", VotingBasis::parse)?;
    let majority = parse_col(r, "majority", Majority::parse)?;
    let quorum_pct: i64 = r.try_get("quorum_pct")?;
    let count = |c: &str| -> Result<u64, StoreError> { Ok(r.try_get::<i64, _>(c)?.max(0) as u64) };
    let tally = Tally {
        eligible: count("eligible")?,
        in_favour: count("votes_for")?,
        against: count("votes_against")?,
        abstain: count("votes_abstain")?,
    };
    let rule = MotionRule {
        basis,
        quorum_pct: quorum_pct as u32,
        majority,
    };
    Ok(MotionRow {
        id: r.try_get("id")?,
        meeting_id: r.try_get("meeting_id")?,
        topic_id: r.try_get("topic_id")?,
        title: r.try_get("title")?,
        basis,
        quorum_pct,
        majority,
        result: tally.result(&rule),
        tally,
        status: parse_col(r, "status", MotionStatus::parse)?,
        resolution_id: r.try_get("resolution_id")?,
        closed_at: r.try_get("closed_at")?,
    })
}

fn not_found(id: i64) -> StoreError {
    StoreError::not_found(format!("表决事项 {id}"), format!("motion {id}"))
}

/// The motion and its meeting's community, its row locked for this transaction.
pub(super) async fn locked_motion(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<(MotionRow, String), StoreError> {
    sqlx::query("UPDATE motions SET status = status WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query(crate::cases::AssertSql::new(format!(
        "{MOTION_SELECT} WHERE v.id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| not_found(id))?;
    Ok((motion_row(&row)?, row.try_get("community_code")?))
}

fn rule_of(m: &MotionRow) -> MotionRule {
    MotionRule {
        basis: m.basis,
        quorum_pct: m.quorum_pct as u32,
        majority: m.majority,
    }
}

impl Store {
    /// Puts a checked motion to a meeting (on `topic` of its agenda, if any); the eligible
    /// voters are the community's households or residents now.
    pub async fn put_motion(
        &self,
        meeting: i64,
        topic: Option<i64>,
        d: &MotionDraft,
        by: &EventActor,
    ) -> WriteResult<i64> {
        let mut tx = self.write_tx().await?;
        let m = locked_meeting(&mut tx, meeting).await?;
        if let Some(t) = topic {
            let on: Option<i64> = sqlx::query("SELECT meeting_id FROM topics WHERE id = $1")
                .bind(t)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get("meeting_id"))
                .transpose()?
                .flatten();
            if on != Some(meeting) {
                return Err(StoreError::not_found(
                    format!("议程中的议题 {t}"),
                    format!("topic {t} on the agenda"),
                )
                .into());
            }
        }
        let prefix = format!("{}%", m.community.as_str());
        let eligible: i64 = match d.rule.basis {
            VotingBasis::Household => {
                sqlx::query("SELECT COUNT(*) AS n FROM households WHERE grid_code LIKE $1")
            }
            VotingBasis::Resident => {
                sqlx::query("SELECT COUNT(*) AS n FROM residents WHERE grid_code LIKE $1")
            }
        }
        .bind(&prefix)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        let at = now_millis();
        let id: i64 = sqlx::query(
            "INSERT INTO motions (meeting_id, topic_id, title, basis, quorum_pct, majority, eligible,
             status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(meeting)
        .bind(topic)
        .bind(&d.title)
        .bind(d.rule.basis.as_str())
        .bind(i64::from(d.rule.quorum_pct))
        .bind(d.rule.majority.as_str())
        .bind(eligible)
        .bind(MotionStatus::Voting.as_str())
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        log(
            &mut tx,
            format!("motion/{id}"),
            "put",
            json!({"type": "put", "meeting": meeting, "topic": topic, "title": d.title,
                   "kind": d.rule.basis.as_str(), "quorum_pct": d.rule.quorum_pct,
                   "majority": d.rule.majority.as_str(), "eligible": eligible,
                   "status": MotionStatus::Voting.as_str()}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records one household's (or resident's) vote: it must live in the community, vote once,
    /// and the motion must still be voted.
    pub async fn record_vote(
        &self,
        motion: i64,
        voter: Voter,
        choice: VoteChoice,
        by: &EventActor,
    ) -> WriteResult<MotionRow> {
        let mut tx = self.write_tx().await?;
        let (m, community) = locked_motion(&mut tx, motion).await?;
        m.status.check_voting()?;
        let (table, id, key) = match (m.basis, voter) {
            (VotingBasis::Household, Voter::Household(h)) => {
                ("households", h, format!("household/{h}"))
            }
            (VotingBasis::Resident, Voter::Resident(r)) => {
                ("residents", r, format!("resident/{r}"))
            }
            _ => return Err(DeliberationError::NotAVoter.into()),
        };
        let lives_here = sqlx::query(crate::cases::AssertSql::new(format!(
            "SELECT id FROM {table} WHERE id = $1 AND grid_code LIKE $2"
        )))
        .bind(id)
        .bind(format!("{community}%"))
        .fetch_optional(&mut *tx)
        .await?;
        if lives_here.is_none() {
            return Err(DeliberationError::NotAVoter.into());
        }
        let voted = sqlx::query("SELECT id FROM motion_votes WHERE motion_id = $1 AND voter = $2")
            .bind(motion)
            .bind(&key)
            .fetch_optional(&mut *tx)
            .await?;
        if voted.is_some() {
            return Err(DeliberationError::AlreadyVoted.into());
        }
        m.tally.check_room()?;
        let at = now_millis();
        sqlx::query(
            "INSERT INTO motion_votes (motion_id, voter, choice, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(motion)
        .bind(&key)
        .bind(choice.as_str())
        .bind(by.account_id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        let col = match choice {
            VoteChoice::For => "votes_for",
            VoteChoice::Against => "votes_against",
            VoteChoice::Abstain => "votes_abstain",
        };
        sqlx::query(crate::cases::AssertSql::new(format!(
            "UPDATE motions SET {col} = {col} + 1 WHERE id = $1"
        )))
        .bind(motion)
        .execute(&mut *tx)
        .await?;
        log(
            &mut tx,
            format!("motion/{motion}"),
            "voted",
            json!({"type": "voted", "voter": key, "choice": choice.as_str()}),
            by,
            at,
        )
        .await?;
        let (after, _) = locked_motion(&mut tx, motion).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Closes the vote: the domain's result (quorum met? passed?) is kept.
    pub async fn close_motion(&self, motion: i64, by: &EventActor) -> WriteResult<MotionResult> {
        let mut tx = self.write_tx().await?;
        let (m, _) = locked_motion(&mut tx, motion).await?;
        m.status.check_voting()?;
        let result = m.tally.result(&rule_of(&m));
        let status = MotionStatus::of(&result);
        let at = now_millis();
        sqlx::query(
            "UPDATE motions SET status = $1, quorum_met = $2, closed_at = $3 WHERE id = $4",
        )
        .bind(status.as_str())
        .bind(i64::from(result.quorum_met))
        .bind(at)
        .bind(motion)
        .execute(&mut *tx)
        .await?;
        log(
            &mut tx,
            format!("motion/{motion}"),
            "closed",
            json!({"type": "closed", "status": status.as_str(), "eligible": m.tally.eligible,
                   "cast": result.cast, "for": m.tally.in_favour, "against": m.tally.against,
                   "abstain": m.tally.abstain, "quorum_met": result.quorum_met,
                   "passed": result.passed}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(result)
    }

    pub async fn motion(&self, id: i64) -> Result<Option<MotionRow>, StoreError> {
        let row = sqlx::query(crate::cases::AssertSql::new(format!(
            "{MOTION_SELECT} WHERE v.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(motion_row).transpose()
    }

    pub async fn motions_of(&self, meeting: i64) -> Result<Vec<MotionRow>, StoreError> {
        let rows = sqlx::query(crate::cases::AssertSql::new(format!(
            "{MOTION_SELECT} WHERE v.meeting_id = $1 ORDER BY v.id"
        )))
        .bind(meeting)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(motion_row).collect()
    }

    /// Closed motions of meetings in `community` (the public results page).
    pub async fn closed_motions_in(
        &self,
        community: &gongzhi_domain::codes::AreaCode,
        limit: i64,
    ) -> Result<Vec<MotionRow>, StoreError> {
        let rows = sqlx::query(crate::cases::AssertSql::new(format!(
            "{MOTION_SELECT} WHERE m.community_code = $1 AND v.status <> $2 ORDER BY v.closed_at DESC, v.id DESC LIMIT $3"
        )))
        .bind(community.as_str())
        .bind(MotionStatus::Voting.as_str())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(motion_row).collect()
    }
}
