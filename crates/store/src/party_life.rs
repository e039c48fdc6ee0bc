//! 三会一课 and 五步工作法 in the database: meetings of party organisations with their
//! attendance, compound activities and step evidence, the facts each compound's five steps are
//! derived from, and the rules (`party_settings`). Every write logs a record event in its own
//! transaction (decision 020).

use crate::audit::Actor;
use crate::db::Store;
use crate::error::StoreError;
use crate::geo_data::area_prefix;
use crate::ledger::{RecordEvent, append_record};
use crate::sql::{Arg, Sql};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::party::five_steps::{ActivityKind, CompoundFacts, Step};
use gongzhi_domain::party::meetings::MeetingKind;
use gongzhi_domain::party::{OrgKind, OrgLevel};
use serde::Serialize;
use sqlx::Row;
use std::collections::HashMap;

/// A party organisation as the cadence check and the meeting forms need it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OrgRef {
    pub id: i64,
    pub name: String,
    pub level: OrgLevel,
    pub kind: OrgKind,
    pub area_code: String,
    pub has_committee: bool,
    pub founded_on: Date,
    pub dissolved_on: Option<Date>,
    /// Members belonging to it now.
    pub members: i64,
}

/// A meeting to record.
#[derive(Clone, Debug)]
pub struct NewMeeting {
    pub org_id: i64,
    pub kind: MeetingKind,
    pub held_on: Date,
    pub topic: String,
    pub minutes: String,
    /// Members present by name; empty when only a head count was taken.
    pub attendees: Vec<i64>,
    /// The head count when no names were taken.
    pub attended: Option<i64>,
}

/// A recorded meeting.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MeetingRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub kind: MeetingKind,
    pub held_on: Date,
    pub topic: String,
    pub minutes: String,
    pub expected: i64,
    pub attended: i64,
}

/// A compound activity to record (a joint meeting, a service, a cultural activity).
#[derive(Clone, Debug)]
pub struct NewActivity {
    pub compound_id: i64,
    pub kind: ActivityKind,
    pub held_on: Date,
    pub title: String,
    pub participants: i64,
    pub notes: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActivityRow {
    pub id: i64,
    pub compound_id: i64,
    pub kind: ActivityKind,
    pub held_on: Date,
    pub title: String,
    pub participants: i64,
    pub notes: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvidenceRow {
    pub id: i64,
    pub compound_id: i64,
    pub step: Step,
    pub note: String,
    /// The photo's path under the data directory.
    pub photo: Option<String>,
    pub created_at: i64,
}

/// A compound with the facts its five steps are derived from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompoundStepsRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub community_code: String,
    pub facts: CompoundFacts,
}

fn corrupt(what: &str, v: &str) -> StoreError {
    StoreError::corrupt(format!("stored {what} is not valid: {v}"))
}

fn date(r: &sqlx::any::AnyRow, col: &str) -> Result<Date, StoreError> {
    let s: String = r.try_get(col)?;
    Date::parse(&s).ok_or_else(|| corrupt(col, &s))
}

fn opt_date(r: &sqlx::any::AnyRow, col: &str) -> Result<Option<Date>, StoreError> {
    let s: Option<String> = r.try_get(col)?;
    s.map(|s| Date::parse(&s).ok_or_else(|| corrupt(col, &s)))
        .transpose()
}

fn org_ref(r: &sqlx::any::AnyRow) -> Result<OrgRef, StoreError> {
    let level: String = r.try_get("level")?;
    let kind: String = r.try_get("kind")?;
    let has_committee: i64 = r.try_get("has_committee")?;
    Ok(OrgRef {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        level: OrgLevel::parse(&level).ok_or_else(|| corrupt("organisation level", &level))?,
        kind: OrgKind::parse(&kind).ok_or_else(|| corrupt("organisation kind", &kind))?,
        area_code: r.try_get("area_code")?,
        has_committee: has_committee != 0,
        founded_on: date(r, "founded_on")?,
        dissolved_on: opt_date(r, "dissolved_on")?,
        members: r.try_get("members")?,
    })
}

fn meeting_row(r: &sqlx::any::AnyRow) -> Result<MeetingRow, StoreError> {
    let kind: String = r.try_get("kind")?;
    Ok(MeetingRow {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        kind: MeetingKind::parse(&kind).ok_or_else(|| corrupt("meeting kind", &kind))?,
        held_on: date(r, "held_on")?,
        topic: r.try_get("topic")?,
        minutes: r.try_get("minutes")?,
        expected: r.try_get("expected")?,
        attended: r.try_get("attended")?,
    })
}

const ORG_COLUMNS: &str = "o.id, o.name, o.level, o.kind, o.area_code, o.has_committee, \
     o.founded_on, o.dissolved_on, \
     (SELECT COUNT(*) FROM party_members m WHERE m.org_id = o.id AND m.left_on IS NULL) AS members \
     FROM party_orgs o";

fn push_area(sql: &mut Sql, column: &str, area: Option<&AreaCode>) {
    if let Some(a) = area {
        sql.push(&format!(" AND {column} LIKE "))
            .bind(Arg::Text(format!("{}%", area_prefix(a))));
    }
}

fn refused(code: &'static str, zh: String, en: String) -> StoreError {
    StoreError::Conflict { code, zh, en }
}

async fn insert_meeting(
    tx: &mut sqlx::AnyConnection,
    m: &NewMeeting,
    actor: &Actor<'_>,
    at: i64,
) -> Result<i64, StoreError> {
    let expected: i64 = sqlx::query(
        "WITH RECURSIVE sub(id) AS (SELECT CAST($1 AS BIGINT) UNION ALL \
         SELECT o.id FROM party_orgs o JOIN sub ON o.parent_id = sub.id) \
         SELECT COUNT(*) AS n FROM party_members WHERE org_id IN (SELECT id FROM sub) AND left_on IS NULL",
    )
    .bind(m.org_id)
    .fetch_one(&mut *tx)
    .await?
    .try_get("n")?;
    for &member in &m.attendees {
        let row = sqlx::query(
            "WITH RECURSIVE sub(id) AS (SELECT CAST($2 AS BIGINT) UNION ALL \
             SELECT o.id FROM party_orgs o JOIN sub ON o.parent_id = sub.id) \
             SELECT id FROM party_members WHERE id = $1 AND org_id IN (SELECT id FROM sub) AND left_on IS NULL",
        )
        .bind(member)
        .bind(m.org_id)
        .fetch_optional(&mut *tx)
        .await?;
        if row.is_none() {
            return Err(refused(
                "attendee_not_member",
                format!("出席人员 {member} 不是该组织的党员"),
                format!("attendee {member} is not a member of this organisation"),
            ));
        }
    }
    let attended = if m.attendees.is_empty() {
        m.attended.unwrap_or(0)
    } else {
        m.attendees.len() as i64
    };
    if attended < 0 || attended > expected {
        return Err(refused(
            "attendance_out_of_range",
            format!("出席人数 {attended} 应在 0 到党员人数 {expected} 之间"),
            format!("attendance {attended} must be between 0 and the {expected} members"),
        ));
    }
    let id: i64 = sqlx::query(
        "INSERT INTO party_meetings (org_id, kind, held_on, topic, minutes, expected, attended, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(m.org_id)
    .bind(m.kind.as_str())
    .bind(m.held_on.to_string())
    .bind(&m.topic)
    .bind(&m.minutes)
    .bind(expected)
    .bind(attended)
    .bind(actor.id)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    for &member in &m.attendees {
        sqlx::query("INSERT INTO party_meeting_attendees (meeting_id, member_id) VALUES ($1, $2)")
            .bind(id)
            .bind(member)
            .execute(&mut *tx)
            .await?;
    }
    append_record(
        tx,
        &RecordEvent {
            subject: format!("party_meeting/{id}"),
            kind: "meeting_recorded",
            payload: serde_json::json!({
                "org": m.org_id,
                "kind": m.kind.as_str(),
                "held_on": m.held_on.to_string(),
                "topic": m.topic,
                "minutes": m.minutes,
                "expected": expected,
                "attended": attended,
            }),
            actor_id: actor.id,
            actor_name: actor.name,
            at,
        },
    )
    .await?;
    Ok(id)
}

async fn insert_activity(
    tx: &mut sqlx::AnyConnection,
    a: &NewActivity,
    actor: &Actor<'_>,
    at: i64,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query(
        "INSERT INTO compound_activities (compound_id, kind, held_on, title, participants, notes, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(a.compound_id)
    .bind(a.kind.as_str())
    .bind(a.held_on.to_string())
    .bind(&a.title)
    .bind(a.participants)
    .bind(&a.notes)
    .bind(actor.id)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    append_record(
        tx,
        &RecordEvent {
            subject: format!("compound/{}", a.compound_id),
            kind: "activity_recorded",
            payload: serde_json::json!({
                "compound": a.compound_id,
                "kind": a.kind.as_str(),
                "step": a.kind.step().as_str(),
                "held_on": a.held_on.to_string(),
                "title": a.title,
                "participants": a.participants,
                "notes": a.notes,
            }),
            actor_id: actor.id,
            actor_name: actor.name,
            at,
        },
    )
    .await?;
    Ok(id)
}

impl Store {
    /// Organisations inside `area` (all when `None`), live or dissolved, by name.
    pub async fn party_org_refs(&self, area: Option<&AreaCode>) -> Result<Vec<OrgRef>, StoreError> {
        let mut sql = Sql::new(&format!("SELECT {ORG_COLUMNS} WHERE 1 = 1"));
        push_area(&mut sql, "o.area_code", area);
        sql.push(" ORDER BY o.area_code, o.name, o.id");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(org_ref).collect()
    }

    pub async fn party_org_ref(&self, id: i64) -> Result<Option<OrgRef>, StoreError> {
        let mut sql = Sql::new(&format!("SELECT {ORG_COLUMNS} WHERE o.id = "));
        sql.bind(Arg::Int(id));
        let row = sql.query(self.backend).fetch_optional(&self.pool).await?;
        row.as_ref().map(org_ref).transpose()
    }

    /// The current members of an organisation and the organisations under it (id, name), by
    /// name: the attendance list (a general branch's committee sits over its branches' members).
    pub async fn party_org_member_names(&self, org: i64) -> Result<Vec<(i64, String)>, StoreError> {
        let rows = sqlx::query(
            "WITH RECURSIVE sub(id) AS (SELECT CAST($1 AS BIGINT) UNION ALL \
             SELECT o.id FROM party_orgs o JOIN sub ON o.parent_id = sub.id) \
             SELECT id, name FROM party_members WHERE org_id IN (SELECT id FROM sub) AND left_on IS NULL \
             ORDER BY name, id",
        )
        .bind(org)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
            .collect()
    }

    /// Records a meeting with its attendance and its log entry. Attendees must be current
    /// members of the organisation or of one under it; the expected count is that membership.
    pub async fn add_party_meeting(
        &self,
        m: &NewMeeting,
        actor: &Actor<'_>,
        at: i64,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let id = insert_meeting(&mut tx, m, actor, at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records meetings in one transaction (the demo's year of them): all or none.
    pub async fn add_party_meetings(
        &self,
        meetings: &[NewMeeting],
        actor: &Actor<'_>,
        at: i64,
    ) -> Result<usize, StoreError> {
        let mut tx = self.write_tx().await?;
        for m in meetings {
            insert_meeting(&mut tx, m, actor, at).await?;
        }
        tx.commit().await?;
        Ok(meetings.len())
    }

    /// Records compound activities in one transaction: all or none.
    pub async fn add_compound_activities(
        &self,
        activities: &[NewActivity],
        actor: &Actor<'_>,
        at: i64,
    ) -> Result<usize, StoreError> {
        let mut tx = self.write_tx().await?;
        for a in activities {
            insert_activity(&mut tx, a, actor, at).await?;
        }
        tx.commit().await?;
        Ok(activities.len())
    }

    /// Meetings of the organisations inside `area` (or of one organisation), newest first.
    pub async fn party_meetings(
        &self,
        area: Option<&AreaCode>,
        org: Option<i64>,
        limit: i64,
    ) -> Result<Vec<MeetingRow>, StoreError> {
        let mut sql = Sql::new(
            "SELECT p.id, p.org_id, o.name AS org_name, p.kind, p.held_on, p.topic, p.minutes, \
             p.expected, p.attended FROM party_meetings p JOIN party_orgs o ON o.id = p.org_id \
             WHERE 1 = 1",
        );
        push_area(&mut sql, "o.area_code", area);
        if let Some(id) = org {
            sql.push(" AND p.org_id = ").bind(Arg::Int(id));
        }
        sql.push(" ORDER BY p.held_on DESC, p.id DESC LIMIT ")
            .bind(Arg::Int(limit));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(meeting_row).collect()
    }

    /// (organisation, kind, date) of every meeting held since `since` by organisations inside
    /// `area`: what the cadence check reads.
    pub async fn meeting_dates_since(
        &self,
        area: Option<&AreaCode>,
        since: Date,
    ) -> Result<HashMap<i64, Vec<(MeetingKind, Date)>>, StoreError> {
        let mut sql = Sql::new(
            "SELECT p.org_id, p.kind, p.held_on FROM party_meetings p \
             JOIN party_orgs o ON o.id = p.org_id WHERE p.held_on >= ",
        );
        sql.bind(Arg::Text(since.to_string()));
        push_area(&mut sql, "o.area_code", area);
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        let mut out: HashMap<i64, Vec<(MeetingKind, Date)>> = HashMap::new();
        for r in &rows {
            let kind: String = r.try_get("kind")?;
            let kind = MeetingKind::parse(&kind).ok_or_else(|| corrupt("meeting kind", &kind))?;
            out.entry(r.try_get("org_id")?)
                .or_default()
                .push((kind, date(r, "held_on")?));
        }
        Ok(out)
    }

    /// Records a compound activity with its log entry.
    pub async fn add_compound_activity(
        &self,
        a: &NewActivity,
        actor: &Actor<'_>,
        at: i64,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let id = insert_activity(&mut tx, a, actor, at).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn compound_activities(
        &self,
        compound: i64,
        limit: i64,
    ) -> Result<Vec<ActivityRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, compound_id, kind, held_on, title, participants, notes
             FROM compound_activities WHERE compound_id = $1 ORDER BY held_on DESC, id DESC LIMIT $2",
        )
        .bind(compound)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok(ActivityRow {
                    id: r.try_get("id")?,
                    compound_id: r.try_get("compound_id")?,
                    kind: ActivityKind::parse(&kind)
                        .ok_or_else(|| corrupt("activity kind", &kind))?,
                    held_on: date(r, "held_on")?,
                    title: r.try_get("title")?,
                    participants: r.try_get("participants")?,
                    notes: r.try_get("notes")?,
                })
            })
            .collect()
    }

    /// Records evidence for a step (its photo already written under the data directory).
    pub async fn add_step_evidence(
        &self,
        compound: i64,
        step: Step,
        note: &str,
        photo: Option<&str>,
        actor: &Actor<'_>,
        at: i64,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO five_step_evidence (compound_id, step, note, photo, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(compound)
        .bind(step.as_str())
        .bind(note)
        .bind(photo)
        .bind(actor.id)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        append_record(
            &mut tx,
            &RecordEvent {
                subject: format!("compound/{compound}"),
                kind: "evidence_added",
                payload: serde_json::json!({
                    "compound": compound,
                    "step": step.as_str(),
                    "note": note,
                    "photo": photo,
                }),
                actor_id: actor.id,
                actor_name: actor.name,
                at,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn step_evidence(&self, compound: i64) -> Result<Vec<EvidenceRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, compound_id, step, note, photo, created_at FROM five_step_evidence
             WHERE compound_id = $1 ORDER BY id DESC",
        )
        .bind(compound)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let step: String = r.try_get("step")?;
                Ok(EvidenceRow {
                    id: r.try_get("id")?,
                    compound_id: r.try_get("compound_id")?,
                    step: Step::parse(&step).ok_or_else(|| corrupt("step", &step))?,
                    note: r.try_get("note")?,
                    photo: r.try_get("photo")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    pub async fn step_evidence_item(&self, id: i64) -> Result<Option<EvidenceRow>, StoreError> {
        let row = sqlx::query("SELECT compound_id FROM five_step_evidence WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let compound: i64 = row.try_get("compound_id")?;
        Ok(self
            .step_evidence(compound)
            .await?
            .into_iter()
            .find(|e| e.id == id))
    }

    /// Every compound inside `area` (or the one `compound`) with the facts of its five steps
    /// on `today`: members living there, organisations built on it, joint meetings (ever, and
    /// within `joint_meeting_days`), services and activities in the past year, evidence.
    pub async fn compound_step_facts(
        &self,
        area: Option<&AreaCode>,
        compound: Option<i64>,
        today: Date,
        joint_meeting_days: u32,
    ) -> Result<Vec<CompoundStepsRow>, StoreError> {
        let mut sql =
            Sql::new("SELECT c.id, c.code, c.name, c.community_code FROM compounds c WHERE 1 = 1");
        push_area(&mut sql, "c.community_code", area);
        if let Some(id) = compound {
            sql.push(" AND c.id = ").bind(Arg::Int(id));
        }
        sql.push(" ORDER BY c.community_code, c.code");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        let mut index = HashMap::new();
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            index.insert(id, out.len());
            out.push(CompoundStepsRow {
                id,
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                community_code: r.try_get("community_code")?,
                facts: CompoundFacts::default(),
            });
        }
        if out.is_empty() {
            return Ok(out);
        }
        let scoped = |sql: &mut Sql, column: &str| {
            push_area(sql, "c.community_code", area);
            if let Some(id) = compound {
                sql.push(&format!(" AND {column} = ")).bind(Arg::Int(id));
            }
        };
        let year_ago = today.add_days(-365).to_string();
        let recent = today.add_days(-(joint_meeting_days as i64)).to_string();

        let mut q = Sql::new(
            "SELECT b.compound_id AS cid, COUNT(*) AS n, \
             SUM(CASE WHEN m.status = 'full' THEN 1 ELSE 0 END) AS full_n \
             FROM party_members m JOIN households h ON h.id = m.household_id \
             JOIN buildings b ON b.id = h.building_id JOIN compounds c ON c.id = b.compound_id \
             WHERE m.left_on IS NULL",
        );
        scoped(&mut q, "b.compound_id");
        q.push(" GROUP BY b.compound_id");
        for r in q.query(self.backend).fetch_all(&self.pool).await? {
            if let Some(&i) = index.get(&r.try_get::<i64, _>("cid")?) {
                out[i].facts.members = r.try_get::<i64, _>("n")? as u32;
                out[i].facts.full_members = r.try_get::<i64, _>("full_n")? as u32;
            }
        }

        let mut q = Sql::new(
            "SELECT o.compound_id AS cid, o.level, COUNT(*) AS n FROM party_orgs o \
             JOIN compounds c ON c.id = o.compound_id WHERE o.dissolved_on IS NULL",
        );
        scoped(&mut q, "o.compound_id");
        q.push(" GROUP BY o.compound_id, o.level");
        for r in q.query(self.backend).fetch_all(&self.pool).await? {
            if let Some(&i) = index.get(&r.try_get::<i64, _>("cid")?) {
                let level: String = r.try_get("level")?;
                let n = r.try_get::<i64, _>("n")? as u32;
                if level == OrgLevel::Group.as_str() {
                    out[i].facts.groups += n;
                } else {
                    out[i].facts.branches += n;
                }
            }
        }

        let mut q = Sql::new(
            "SELECT a.compound_id AS cid, a.kind, COUNT(*) AS n, SUM(CASE WHEN a.held_on >= ",
        );
        q.bind(Arg::Text(recent))
            .push(" THEN 1 ELSE 0 END) AS recent_n, SUM(CASE WHEN a.held_on >= ")
            .bind(Arg::Text(year_ago.clone()))
            .push(
                " THEN 1 ELSE 0 END) AS year_n FROM compound_activities a \
                 JOIN compounds c ON c.id = a.compound_id WHERE a.held_on <= ",
            )
            .bind(Arg::Text(today.to_string()));
        scoped(&mut q, "a.compound_id");
        q.push(" GROUP BY a.compound_id, a.kind");
        for r in q.query(self.backend).fetch_all(&self.pool).await? {
            if let Some(&i) = index.get(&r.try_get::<i64, _>("cid")?) {
                let kind: String = r.try_get("kind")?;
                let n = r.try_get::<i64, _>("n")? as u32;
                let recent_n = r.try_get::<i64, _>("recent_n")? as u32;
                let year_n = r.try_get::<i64, _>("year_n")? as u32;
                let f = &mut out[i].facts;
                match ActivityKind::parse(&kind) {
                    Some(ActivityKind::JointMeeting) => {
                        f.joint_meetings += n;
                        f.recent_joint_meetings += recent_n;
                    }
                    Some(ActivityKind::Service) => f.services += year_n,
                    Some(ActivityKind::Culture) => f.activities += year_n,
                    None => return Err(corrupt("activity kind", &kind)),
                }
            }
        }

        // Red grid visits to the compound's households are services delivered too.
        let mut q = Sql::new(
            "SELECT b.compound_id AS cid, COUNT(*) AS n FROM visits v \
             JOIN households h ON h.id = v.household_id JOIN buildings b ON b.id = h.building_id \
             JOIN compounds c ON c.id = b.compound_id WHERE v.visited_on >= ",
        );
        q.bind(Arg::Text(year_ago.clone()))
            .push(" AND v.visited_on <= ")
            .bind(Arg::Text(today.to_string()));
        scoped(&mut q, "b.compound_id");
        q.push(" GROUP BY b.compound_id");
        for r in q.query(self.backend).fetch_all(&self.pool).await? {
            if let Some(&i) = index.get(&r.try_get::<i64, _>("cid")?) {
                out[i].facts.services += r.try_get::<i64, _>("n")? as u32;
            }
        }

        let mut q = Sql::new(
            "SELECT e.compound_id AS cid, e.step, COUNT(*) AS n FROM five_step_evidence e \
             JOIN compounds c ON c.id = e.compound_id WHERE 1 = 1",
        );
        scoped(&mut q, "e.compound_id");
        q.push(" GROUP BY e.compound_id, e.step");
        for r in q.query(self.backend).fetch_all(&self.pool).await? {
            if let Some(&i) = index.get(&r.try_get::<i64, _>("cid")?) {
                let step: String = r.try_get("step")?;
                let step = Step::parse(&step).ok_or_else(|| corrupt("step", &step))?;
                let k = Step::ALL.iter().position(|s| *s == step).unwrap_or(0);
                out[i].facts.evidence[k] += r.try_get::<i64, _>("n")? as u32;
            }
        }
        Ok(out)
    }

    /// A stored party rule set (JSON), or `None` for the shipped default.
    pub async fn party_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT value FROM party_settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("value")).transpose()?)
    }

    /// Sets a party rule set, with its audit entry.
    pub async fn set_party_setting(
        &self,
        actor: &Actor<'_>,
        key: &str,
        value: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("DELETE FROM party_settings WHERE key = $1")
            .bind(key)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO party_settings (key, value) VALUES ($1, $2)")
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
        actor
            .record(
                &mut tx,
                "party_settings.set",
                &format!("setting:{key}"),
                &format!("value={value}"),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
