//! 决议 kept: made from a passed motion, once; its items — a case filed through intake and
//! noted on the item, or a task whose progress is recorded — each in the state the domain
//! reads off its case or its progress; complete when every item is done.

use super::filter::DeliberationFilter;
use super::motions::locked_motion;
use super::{ItemRow, ResolutionRow, WriteResult, log, opt_date_col, parse_col};
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use crate::{EventActor, Millis, now_millis};
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::case::CaseState;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::deliberation::{
    DeliberationError, ItemDraft, ItemKind, ResolutionDraft, check_progress, item_state,
    resolution_complete,
};
use serde_json::json;
use sqlx::Row;

const RESOLUTION_SELECT: &str = "SELECT r.id, r.motion_id, r.meeting_id, r.community_code, r.title,
    r.created_at FROM resolutions r";

const ITEM_SELECT: &str = "SELECT i.id, i.resolution_id, i.kind, i.description, i.case_id,
    i.owner, i.due_on, i.progress FROM resolution_items i";

fn item_not_found(id: i64) -> StoreError {
    StoreError::not_found(format!("决议事项 {id}"), format!("resolution item {id}"))
}

impl Store {
    /// A resolution of a passed motion (one per motion), logged.
    pub async fn create_resolution(
        &self,
        motion: i64,
        d: &ResolutionDraft,
        by: &EventActor,
    ) -> WriteResult<i64> {
        let mut tx = self.write_tx().await?;
        let (m, community) = locked_motion(&mut tx, motion).await?;
        let d = d.clone().checked(m.status)?;
        if m.resolution_id.is_some() {
            return Err(DeliberationError::AlreadyResolved.into());
        }
        let at = now_millis();
        let id: i64 = sqlx::query(
            "INSERT INTO resolutions (motion_id, meeting_id, community_code, title, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(motion)
        .bind(m.meeting_id)
        .bind(&community)
        .bind(&d.title)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        log(
            &mut tx,
            format!("resolution/{id}"),
            "resolved",
            json!({"type": "resolved", "motion": motion, "community": community, "title": d.title}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Adds a checked item to a resolution as of `at` (a case item's case is noted after it
    /// is filed, with [`Store::set_item_case`]).
    pub async fn add_resolution_item(
        &self,
        resolution: i64,
        item: &ItemDraft,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<i64> {
        let mut tx = self.write_tx().await?;
        let found = sqlx::query("SELECT id FROM resolutions WHERE id = $1")
            .bind(resolution)
            .fetch_optional(&mut *tx)
            .await?;
        if found.is_none() {
            return Err(StoreError::not_found(
                format!("决议 {resolution}"),
                format!("resolution {resolution}"),
            )
            .into());
        }
        let id: i64 = sqlx::query(
            "INSERT INTO resolution_items (resolution_id, kind, description, owner, due_on, progress, created_at)
             VALUES ($1, $2, $3, $4, $5, 0, $6) RETURNING id",
        )
        .bind(resolution)
        .bind(item.kind.as_str())
        .bind(&item.description)
        .bind(&item.owner)
        .bind(item.due_on.map(|d| d.to_string()))
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        log(
            &mut tx,
            format!("resolution/{resolution}"),
            "item_added",
            json!({"type": "item_added", "kind": item.kind.as_str(), "item": id,
                   "description": item.description, "owner": item.owner,
                   "due_on": item.due_on.map(|d| d.to_string())}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Notes the case filed for a case item (once), logged.
    pub async fn set_item_case(
        &self,
        item: i64,
        case_id: i64,
        ticket: &str,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<()> {
        let mut tx = self.write_tx().await?;
        let row =
            sqlx::query("SELECT resolution_id, kind, case_id FROM resolution_items WHERE id = $1")
                .bind(item)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| item_not_found(item))?;
        let kind = parse_col(&row, "kind", ItemKind::parse)?;
        let had: Option<i64> = row.try_get("case_id")?;
        if kind != ItemKind::Case || had.is_some() {
            return Err(DeliberationError::NotATask.into());
        }
        let resolution: i64 = row.try_get("resolution_id")?;
        sqlx::query("UPDATE resolution_items SET case_id = $1 WHERE id = $2 AND case_id IS NULL")
            .bind(case_id)
            .bind(item)
            .execute(&mut *tx)
            .await?;
        log(
            &mut tx,
            format!("resolution/{resolution}"),
            "case_raised",
            json!({"type": "case_raised", "item": item, "ticket": ticket}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a task's progress (0–100, never back) with a note; 100 is done.
    pub async fn record_progress(
        &self,
        item: i64,
        progress: u32,
        note: &str,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query("UPDATE resolution_items SET progress = progress WHERE id = $1")
            .bind(item)
            .execute(&mut *tx)
            .await?;
        let row =
            sqlx::query("SELECT resolution_id, kind, progress FROM resolution_items WHERE id = $1")
                .bind(item)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| item_not_found(item))?;
        if parse_col(&row, "kind", ItemKind::parse)? != ItemKind::Task {
            return Err(DeliberationError::NotATask.into());
        }
        let before: i64 = row.try_get("progress")?;
        let now = check_progress(before as u32, progress)?;
        let note = note.trim();
        if note.chars().count() > 500 {
            return Err(DeliberationError::TooLong("note", 500).into());
        }
        let resolution: i64 = row.try_get("resolution_id")?;
        sqlx::query("UPDATE resolution_items SET progress = $1 WHERE id = $2")
            .bind(i64::from(now))
            .bind(item)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO resolution_progress (item_id, progress, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(item)
        .bind(i64::from(now))
        .bind(note)
        .bind(by.account_id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        log(
            &mut tx,
            format!("resolution/{resolution}"),
            "progress",
            json!({"type": "progress", "item": item, "points": now, "note": note}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The items of a resolution, each in its state on `today` (`now` for case deadlines).
    async fn items_of(
        &self,
        resolution: i64,
        today: Date,
        now: Millis,
    ) -> Result<Vec<ItemRow>, StoreError> {
        let rows = sqlx::query(crate::cases::AssertSql::new(format!(
            "{ITEM_SELECT} WHERE i.resolution_id = $1 ORDER BY i.id"
        )))
        .bind(resolution)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let kind = parse_col(r, "kind", ItemKind::parse)?;
            let case_id: Option<i64> = r.try_get("case_id")?;
            let case = match case_id {
                Some(id) => self.case(id).await?,
                None => None,
            };
            let closed = case
                .as_ref()
                .is_some_and(|c| matches!(c.case.state, CaseState::Closed | CaseState::Rated));
            let overdue = case.as_ref().is_some_and(|c| {
                c.case.state.is_open()
                    && (c.case.overdue || c.case.deadline.is_some_and(|d| d < now))
            });
            let progress: i64 = r.try_get("progress")?;
            let due_on = opt_date_col(r, "due_on")?;
            out.push(ItemRow {
                id: r.try_get("id")?,
                resolution_id: r.try_get("resolution_id")?,
                kind,
                description: r.try_get("description")?,
                case_id,
                ticket: case.as_ref().map(|c| c.ticket.clone()),
                case_state: case.as_ref().map(|c| c.case.state.as_str().to_string()),
                owner: r.try_get("owner")?,
                due_on,
                progress,
                state: item_state(kind, closed, overdue, progress.max(0) as u32, due_on, today),
            });
        }
        Ok(out)
    }

    async fn resolution_of(
        &self,
        r: &sqlx::any::AnyRow,
        now: Millis,
    ) -> Result<ResolutionRow, StoreError> {
        let id: i64 = r.try_get("id")?;
        let items = self.items_of(id, date_of(now), now).await?;
        let states: Vec<_> = items.iter().map(|i| i.state).collect();
        Ok(ResolutionRow {
            id,
            motion_id: r.try_get("motion_id")?,
            meeting_id: r.try_get("meeting_id")?,
            community: parse_col(r, "community_code", |s| AreaCode::parse(s).ok())?,
            title: r.try_get("title")?,
            created_at: r.try_get("created_at")?,
            complete: resolution_complete(&states),
            items,
        })
    }

    /// A resolution with its items as of `now`.
    pub async fn resolution(
        &self,
        id: i64,
        now: Millis,
    ) -> Result<Option<ResolutionRow>, StoreError> {
        let row = sqlx::query(crate::cases::AssertSql::new(format!(
            "{RESOLUTION_SELECT} WHERE r.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(Some(self.resolution_of(&r, now).await?)),
            None => Ok(None),
        }
    }

    /// The resolution an item belongs to.
    pub async fn item_resolution(&self, item: i64) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query("SELECT resolution_id FROM resolution_items WHERE id = $1")
                .bind(item)
                .fetch_optional(&self.pool)
                .await?
                .map(|r| r.try_get("resolution_id"))
                .transpose()?,
        )
    }

    /// Resolutions in the filter, latest first, at most `limit`, their items as of `now`.
    pub async fn resolutions(
        &self,
        f: &DeliberationFilter,
        limit: i64,
        now: Millis,
    ) -> Result<Vec<ResolutionRow>, StoreError> {
        let mut sql = Sql::new(&format!("{RESOLUTION_SELECT} WHERE 1 = 1"));
        f.place(&mut sql, "r.community_code");
        if f.department.is_some() {
            sql.push(" AND r.meeting_id IN (SELECT m.id FROM deliberation_meetings m WHERE 1 = 1");
            f.invited(&mut sql, "m.departments");
            sql.push(")");
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sql.push(" AND r.title LIKE ")
                .bind(Arg::Text(format!("%{q}%")));
        }
        sql.push(" ORDER BY r.created_at DESC, r.id DESC LIMIT ")
            .bind(Arg::Int(limit));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.resolution_of(r, now).await?);
        }
        Ok(out)
    }
}

impl Store {
    /// Where a resolution's case is placed when none is given: the community's first building
    /// (longitude, latitude, address).
    pub async fn community_point(
        &self,
        community: &AreaCode,
    ) -> Result<Option<(f64, f64, String)>, StoreError> {
        let row = sqlx::query(
            "SELECT lon, lat, address FROM buildings WHERE grid_code LIKE $1 ORDER BY id LIMIT 1",
        )
        .bind(format!("{community}%"))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((r.try_get("lon")?, r.try_get("lat")?, r.try_get("address")?)))
            .transpose()
    }
}
