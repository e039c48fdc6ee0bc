//! 协商议事会 kept: a meeting with its invited parties; tabled topics put on its agenda; who
//! came per party; the minutes, which mark it held and its agenda's topics discussed.

use super::filter::DeliberationFilter;
use super::topics::locked_topic;
use super::{AttendanceRow, DeliberationMeetingRow, WriteResult, date_col, log, parse_col};
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use crate::{EventActor, now_millis};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::deliberation::{
    AttendanceDraft, DeliberationError, MeetingDraft, MeetingKind, MeetingStatus, Party,
    TopicStatus, check_minutes,
};
use serde_json::json;
use sqlx::{AnyConnection, Row};

const MEETING_SELECT: &str = "SELECT m.id, m.community_code, m.kind, m.title, m.held_on, m.place,
    m.invited, m.departments, m.status, m.minutes, m.created_at FROM deliberation_meetings m";

fn split(s: &str) -> impl Iterator<Item = &str> {
    s.split(',').map(str::trim).filter(|p| !p.is_empty())
}

fn meeting_row(r: &sqlx::any::AnyRow) -> Result<DeliberationMeetingRow, StoreError> {
    let invited: String = r.try_get("invited")?;
    let departments: String = r.try_get("departments")?;
    Ok(DeliberationMeetingRow {
        id: r.try_get("id")?,
        community: parse_col(r, "community_code", |s| AreaCode::parse(s).ok())?,
        kind: parse_col(r, "kind", MeetingKind::parse)?,
        title: r.try_get("title")?,
        held_on: date_col(r, "held_on")?,
        place: r.try_get("place")?,
        invited: split(&invited).filter_map(Party::parse).collect(),
        departments: split(&departments).map(str::to_string).collect(),
        status: parse_col(r, "status", MeetingStatus::parse)?,
        minutes: r.try_get("minutes")?,
        created_at: r.try_get("created_at")?,
    })
}

fn not_found(id: i64) -> StoreError {
    StoreError::not_found(format!("议事会 {id}"), format!("meeting {id}"))
}

/// The meeting, its row locked for this transaction.
pub(super) async fn locked_meeting(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<DeliberationMeetingRow, StoreError> {
    sqlx::query("UPDATE deliberation_meetings SET status = status WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query(crate::cases::AssertSql::new(format!(
        "{MEETING_SELECT} WHERE m.id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| not_found(id))?;
    meeting_row(&row)
}

/// Agenda and attendance change only before the minutes.
fn check_open(m: &DeliberationMeetingRow) -> Result<(), DeliberationError> {
    if m.status == MeetingStatus::Held {
        Err(DeliberationError::MeetingHeld)
    } else {
        Ok(())
    }
}

impl Store {
    /// Keeps a checked meeting (its departments known to the caller), logged.
    pub async fn create_meeting(&self, m: &MeetingDraft, by: &EventActor) -> WriteResult<i64> {
        let at = now_millis();
        let invited = m
            .invited
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(",");
        let departments = m.departments.join(",");
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO deliberation_meetings (community_code, kind, title, held_on, place, invited,
             departments, status, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(m.community.as_str())
        .bind(m.kind.as_str())
        .bind(&m.title)
        .bind(m.held_on.to_string())
        .bind(&m.place)
        .bind(&invited)
        .bind(&departments)
        .bind(MeetingStatus::Scheduled.as_str())
        .bind(by.account_id)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        log(
            &mut tx,
            format!("deliberation-meeting/{id}"),
            "scheduled",
            json!({"type": "scheduled", "community": m.community.as_str(), "kind": m.kind.as_str(),
                   "title": m.title, "held_on": m.held_on.to_string(), "place": m.place,
                   "invited": invited, "departments": departments,
                   "status": MeetingStatus::Scheduled.as_str()}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Puts a tabled topic of the meeting's community on its agenda.
    pub async fn add_to_agenda(
        &self,
        meeting: i64,
        topic: i64,
        by: &EventActor,
    ) -> WriteResult<()> {
        let mut tx = self.write_tx().await?;
        let m = locked_meeting(&mut tx, meeting).await?;
        check_open(&m)?;
        let t = locked_topic(&mut tx, topic).await?;
        if t.community != m.community {
            return Err(
                StoreError::not_found(format!("议题 {topic}"), format!("topic {topic}")).into(),
            );
        }
        t.status.check_agenda()?;
        if t.meeting_id.is_some_and(|other| other != meeting) {
            return Err(DeliberationError::TopicOnAgenda.into());
        }
        sqlx::query("UPDATE topics SET meeting_id = $1 WHERE id = $2")
            .bind(meeting)
            .bind(topic)
            .execute(&mut *tx)
            .await?;
        log(
            &mut tx,
            format!("deliberation-meeting/{meeting}"),
            "agenda",
            json!({"type": "agenda", "topic": topic}),
            by,
            now_millis(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records (or corrects) who came of one invited party.
    pub async fn record_attendance(
        &self,
        meeting: i64,
        a: &AttendanceDraft,
        by: &EventActor,
    ) -> WriteResult<()> {
        let mut tx = self.write_tx().await?;
        let m = locked_meeting(&mut tx, meeting).await?;
        check_open(&m)?;
        let a = a.clone().checked(&m.invited)?;
        sqlx::query("DELETE FROM meeting_attendance WHERE meeting_id = $1 AND party = $2")
            .bind(meeting)
            .bind(a.party.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO meeting_attendance (meeting_id, party, attendees, note) VALUES ($1, $2, $3, $4)")
            .bind(meeting)
            .bind(a.party.as_str())
            .bind(i64::from(a.count))
            .bind(&a.note)
            .execute(&mut *tx)
            .await?;
        log(
            &mut tx,
            format!("deliberation-meeting/{meeting}"),
            "attendance",
            json!({"type": "attendance", "kind": a.party.as_str(), "attendees": a.count, "note": a.note}),
            by,
            now_millis(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The minutes, on `today` or after the meeting's day: the meeting is held, its agenda's
    /// topics discussed.
    pub async fn record_minutes(
        &self,
        meeting: i64,
        minutes: &str,
        today: Date,
        by: &EventActor,
    ) -> WriteResult<()> {
        let mut tx = self.write_tx().await?;
        let m = locked_meeting(&mut tx, meeting).await?;
        check_open(&m)?;
        let minutes = check_minutes(minutes, m.held_on, today)?;
        let at = now_millis();
        sqlx::query("UPDATE deliberation_meetings SET minutes = $1, status = $2 WHERE id = $3")
            .bind(&minutes)
            .bind(MeetingStatus::Held.as_str())
            .bind(meeting)
            .execute(&mut *tx)
            .await?;
        let topics =
            sqlx::query("SELECT id FROM topics WHERE meeting_id = $1 AND status = $2 ORDER BY id")
                .bind(meeting)
                .bind(TopicStatus::Tabled.as_str())
                .fetch_all(&mut *tx)
                .await?;
        sqlx::query("UPDATE topics SET status = $1 WHERE meeting_id = $2 AND status = $3")
            .bind(TopicStatus::Discussed.as_str())
            .bind(meeting)
            .bind(TopicStatus::Tabled.as_str())
            .execute(&mut *tx)
            .await?;
        log(
            &mut tx,
            format!("deliberation-meeting/{meeting}"),
            "held",
            json!({"type": "held", "minutes": minutes, "status": MeetingStatus::Held.as_str()}),
            by,
            at,
        )
        .await?;
        for r in &topics {
            let id: i64 = r.try_get("id")?;
            log(
                &mut tx,
                format!("topic/{id}"),
                "discussed",
                json!({"type": "discussed", "status": TopicStatus::Discussed.as_str()}),
                by,
                at,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn meeting(&self, id: i64) -> Result<Option<DeliberationMeetingRow>, StoreError> {
        let row = sqlx::query(crate::cases::AssertSql::new(format!(
            "{MEETING_SELECT} WHERE m.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(meeting_row).transpose()
    }

    pub async fn attendance(&self, meeting: i64) -> Result<Vec<AttendanceRow>, StoreError> {
        let rows = sqlx::query("SELECT party, attendees, note FROM meeting_attendance WHERE meeting_id = $1 ORDER BY id")
            .bind(meeting)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(AttendanceRow {
                    party: parse_col(r, "party", Party::parse)?,
                    attendees: r.try_get("attendees")?,
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }

    /// The topics on a meeting's agenda.
    pub async fn agenda(&self, meeting: i64) -> Result<Vec<super::TopicRow>, StoreError> {
        let rows = sqlx::query(crate::cases::AssertSql::new(format!(
            "{} WHERE t.meeting_id = $1 ORDER BY t.id",
            super::topics::TOPIC_SELECT
        )))
        .bind(meeting)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(super::topics::topic_row).collect()
    }

    fn meeting_where(sql: &mut Sql, f: &DeliberationFilter) {
        f.place(sql, "m.community_code");
        f.invited(sql, "m.departments");
        f.text(sql, "m.title", "m.status", "m.kind");
    }

    /// Meetings in the filter, latest day first, at most `limit`.
    pub async fn meetings(
        &self,
        f: &DeliberationFilter,
        limit: i64,
    ) -> Result<Vec<DeliberationMeetingRow>, StoreError> {
        let mut sql = Sql::new(&format!("{MEETING_SELECT} WHERE 1 = 1"));
        Self::meeting_where(&mut sql, f);
        sql.push(" ORDER BY m.held_on DESC, m.id DESC LIMIT ")
            .bind(Arg::Int(limit));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(meeting_row).collect()
    }

    /// Scheduled meetings in the filter from `from` on (the home page's "meetings coming").
    pub async fn count_meetings_coming(
        &self,
        f: &DeliberationFilter,
        from: Date,
    ) -> Result<i64, StoreError> {
        let mut sql =
            Sql::new("SELECT COUNT(*) AS n FROM deliberation_meetings m WHERE m.status = ");
        sql.bind(Arg::Text(MeetingStatus::Scheduled.as_str().into()));
        sql.push(" AND m.held_on >= ")
            .bind(Arg::Text(from.to_string()));
        Self::meeting_where(&mut sql, f);
        Ok(sql
            .query(self.backend)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }
}
