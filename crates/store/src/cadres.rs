//! Cadres sent down (`secondments`) and in-service party members reporting to their residential
//! community (`community_checkins`, with the tasks they take in `community_services`). The
//! domain (`gongzhi_domain::cadres`) checks every record; this module keeps them.

use crate::Millis;
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use gongzhi_domain::cadres::{CommunityCheckIn, Secondment, SecondmentKind, ServiceState};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::AreaCode;
use serde::Serialize;
use sqlx::Row;

#[derive(Clone, Debug, Serialize)]
pub struct SecondmentRow {
    pub id: i64,
    #[serde(flatten)]
    pub record: Secondment,
    pub created_at: Millis,
}

#[derive(Clone, Debug, Serialize)]
pub struct CommunityCheckInRow {
    pub id: i64,
    #[serde(flatten)]
    pub record: CommunityCheckIn,
    /// Tasks taken, in any state.
    pub tasks: i64,
    /// Service minutes the community has confirmed.
    pub confirmed_minutes: i64,
    /// Service minutes reported and awaiting the community.
    pub pending_minutes: i64,
    /// The member's record in the party organisation, when joined to it.
    pub member_id: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ServiceTaskRow {
    pub id: i64,
    pub checkin_id: i64,
    pub title: String,
    pub taken_on: Date,
    pub state: ServiceState,
    pub minutes: Option<i64>,
    pub completed_at: Option<Millis>,
    pub confirmed_by: Option<i64>,
    pub confirmed_at: Option<Millis>,
}

/// Which records a list shows: inside an area (host area / residential community), or of a
/// department (home department / the member's department); `None` for both: all.
#[derive(Clone, Debug, Default)]
pub struct SecondmentFilter {
    pub area: Option<AreaCode>,
    pub department: Option<String>,
    /// Only those serving on this day (secondments).
    pub active_on: Option<Date>,
    /// Only the check-ins joined to this party member's record.
    pub member: Option<i64>,
}

fn date(r: &sqlx::any::AnyRow, col: &str) -> Result<Date, StoreError> {
    let s: String = r.try_get(col)?;
    Date::parse(&s).ok_or_else(|| StoreError::corrupt(format!("{col}: {s}")))
}

fn area(r: &sqlx::any::AnyRow, col: &str) -> Result<AreaCode, StoreError> {
    let s: String = r.try_get(col)?;
    AreaCode::parse(&s).map_err(|e| StoreError::corrupt(format!("{col}: {e}")))
}

fn secondment_row(r: &sqlx::any::AnyRow) -> Result<SecondmentRow, StoreError> {
    let kind: String = r.try_get("kind")?;
    let end: Option<String> = r.try_get("end_date")?;
    Ok(SecondmentRow {
        id: r.try_get("id")?,
        record: Secondment {
            person: r.try_get("person")?,
            home_department: r.try_get("home_department")?,
            host_area: area(r, "host_area")?,
            kind: SecondmentKind::parse(&kind)
                .map_err(|_| StoreError::corrupt(format!("secondment kind {kind}")))?,
            start: date(r, "start_date")?,
            end: end
                .map(|e| Date::parse(&e).ok_or_else(|| StoreError::corrupt(format!("end {e}"))))
                .transpose()?,
            duty: r.try_get("duty")?,
        },
        created_at: r.try_get("created_at")?,
    })
}

fn task_row(r: &sqlx::any::AnyRow) -> Result<ServiceTaskRow, StoreError> {
    let state: String = r.try_get("state")?;
    Ok(ServiceTaskRow {
        id: r.try_get("id")?,
        checkin_id: r.try_get("checkin_id")?,
        title: r.try_get("title")?,
        taken_on: date(r, "taken_on")?,
        state: ServiceState::parse(&state)
            .ok_or_else(|| StoreError::corrupt(format!("task state {state}")))?,
        minutes: r.try_get("minutes")?,
        completed_at: r.try_get("completed_at")?,
        confirmed_by: r.try_get("confirmed_by")?,
        confirmed_at: r.try_get("confirmed_at")?,
    })
}

fn conflict(e: gongzhi_domain::cadres::CadreError) -> StoreError {
    use gongzhi_domain::Bilingual;
    StoreError::Conflict {
        code: e.code(),
        zh: e.message_zh(),
        en: e.message_en(),
    }
}

impl Store {
    /// Records a cadre sent down (checked by the domain first).
    pub async fn add_secondment(&self, s: &Secondment, by: Option<i64>) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO secondments (person, home_department, host_area, kind, start_date, end_date, duty, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(&s.person)
        .bind(&s.home_department)
        .bind(s.host_area.as_str())
        .bind(s.kind.as_str())
        .bind(s.start.to_string())
        .bind(s.end.map(|e| e.to_string()))
        .bind(&s.duty)
        .bind(by)
        .bind(crate::now_millis())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn secondment(&self, id: i64) -> Result<Option<SecondmentRow>, StoreError> {
        let row = sqlx::query("SELECT * FROM secondments WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(secondment_row).transpose()
    }

    /// Ends (or re-opens, with `None`) a secondment's period.
    pub async fn set_secondment_end(&self, id: i64, end: Option<Date>) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let n = sqlx::query("UPDATE secondments SET end_date = $1 WHERE id = $2")
            .bind(end.map(|e| e.to_string()))
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n != 1 {
            return Err(StoreError::not_found(
                format!("下沉干部记录 {id}"),
                format!("secondment {id}"),
            ));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Cadres sent down, by host area or home department, newest first.
    pub async fn secondments(
        &self,
        f: &SecondmentFilter,
    ) -> Result<Vec<SecondmentRow>, StoreError> {
        let mut sql = Sql::new("SELECT * FROM secondments WHERE 1 = 1");
        if let Some(a) = &f.area {
            sql.push(" AND host_area LIKE ")
                .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
        }
        if let Some(d) = &f.department {
            sql.push(" AND home_department = ")
                .bind(Arg::Text(d.clone()));
        }
        if let Some(day) = f.active_on {
            let day = day.to_string();
            sql.push(" AND start_date <= ")
                .bind(Arg::Text(day.clone()))
                .push(" AND (end_date IS NULL OR end_date >= ")
                .bind(Arg::Text(day))
                .push(")");
        }
        sql.push(" ORDER BY start_date DESC, id DESC LIMIT 5000");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(secondment_row).collect()
    }

    /// Registers an in-service party member with their residential community.
    pub async fn add_community_checkin(
        &self,
        c: &CommunityCheckIn,
        by: Option<i64>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO community_checkins (member, work_unit, department_code, community_code, registered_on, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&c.member)
        .bind(&c.work_unit)
        .bind(c.department.as_deref())
        .bind(c.community.as_str())
        .bind(c.registered_on.to_string())
        .bind(by)
        .bind(crate::now_millis())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        tx.commit().await?;
        Ok(id)
    }

    const CHECKIN_SELECT: &str = "SELECT c.id, c.member_id, c.member, c.work_unit, c.department_code, c.community_code, c.registered_on,
        (SELECT COUNT(*) FROM community_services s WHERE s.checkin_id = c.id) AS tasks,
        (SELECT CAST(COALESCE(SUM(s.minutes), 0) AS BIGINT) FROM community_services s WHERE s.checkin_id = c.id AND s.state = 'confirmed') AS confirmed,
        (SELECT CAST(COALESCE(SUM(s.minutes), 0) AS BIGINT) FROM community_services s WHERE s.checkin_id = c.id AND s.state = 'completed') AS pending
        FROM community_checkins c";

    fn checkin_row(r: &sqlx::any::AnyRow) -> Result<CommunityCheckInRow, StoreError> {
        Ok(CommunityCheckInRow {
            id: r.try_get("id")?,
            record: CommunityCheckIn {
                member: r.try_get("member")?,
                work_unit: r.try_get("work_unit")?,
                department: r.try_get("department_code")?,
                community: area(r, "community_code")?,
                registered_on: date(r, "registered_on")?,
            },
            tasks: r.try_get("tasks")?,
            confirmed_minutes: r.try_get("confirmed")?,
            pending_minutes: r.try_get("pending")?,
            member_id: r.try_get("member_id")?,
        })
    }

    pub async fn community_checkin(
        &self,
        id: i64,
    ) -> Result<Option<CommunityCheckInRow>, StoreError> {
        let row = sqlx::query(crate::cases::AssertSql::new(format!(
            "{} WHERE c.id = $1",
            Self::CHECKIN_SELECT
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(Self::checkin_row).transpose()
    }

    /// In-service members by community or by department, in registration order.
    pub async fn community_checkins(
        &self,
        f: &SecondmentFilter,
    ) -> Result<Vec<CommunityCheckInRow>, StoreError> {
        let mut sql = Sql::new(&format!("{} WHERE 1 = 1", Self::CHECKIN_SELECT));
        if let Some(a) = &f.area {
            sql.push(" AND c.community_code LIKE ")
                .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
        }
        if let Some(d) = &f.department {
            sql.push(" AND c.department_code = ")
                .bind(Arg::Text(d.clone()));
        }
        if let Some(m) = f.member {
            sql.push(" AND c.member_id = ").bind(Arg::Int(m));
        }
        sql.push(" ORDER BY c.registered_on, c.id LIMIT 5000");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(Self::checkin_row).collect()
    }

    /// A task the member takes (认领).
    pub async fn add_service_task(
        &self,
        checkin_id: i64,
        title: &str,
        taken_on: Date,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO community_services (checkin_id, title, taken_on, state) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(checkin_id)
        .bind(title)
        .bind(taken_on.to_string())
        .bind(ServiceState::Taken.as_str())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn service_task(&self, id: i64) -> Result<Option<ServiceTaskRow>, StoreError> {
        let row = sqlx::query("SELECT * FROM community_services WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(task_row).transpose()
    }

    pub async fn service_tasks(&self, checkin_id: i64) -> Result<Vec<ServiceTaskRow>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM community_services WHERE checkin_id = $1 ORDER BY id")
                .bind(checkin_id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(task_row).collect()
    }

    /// Reports a taken task done with its service minutes; `confirm_by` then lets the community
    /// confirm it. Each step checks the task's state by the domain's rules inside the
    /// transaction, so two people acting at once cannot both move it.
    pub async fn complete_service_task(&self, id: i64, minutes: i64) -> Result<(), StoreError> {
        self.move_task(
            id,
            |s| s.complete(),
            |sql, now| {
                sql.push("minutes = ")
                    .bind(Arg::Int(minutes))
                    .push(", completed_at = ")
                    .bind(Arg::Int(now));
            },
        )
        .await
    }

    /// The community confirms a completed task's hours.
    pub async fn confirm_service_task(&self, id: i64, by: Option<i64>) -> Result<(), StoreError> {
        self.move_task(
            id,
            |s| s.confirm(),
            |sql, now| {
                sql.push("confirmed_by = ")
                    .bind(Arg::OptInt(by))
                    .push(", confirmed_at = ")
                    .bind(Arg::Int(now));
            },
        )
        .await
    }

    async fn move_task(
        &self,
        id: i64,
        step: impl FnOnce(ServiceState) -> Result<ServiceState, gongzhi_domain::cadres::CadreError>,
        set: impl FnOnce(&mut Sql, Millis),
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let state: String = sqlx::query("SELECT state FROM community_services WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("服务任务 {id}"), format!("task {id}")))?
            .try_get("state")?;
        let before = ServiceState::parse(&state)
            .ok_or_else(|| StoreError::corrupt(format!("task state {state}")))?;
        let after = step(before).map_err(conflict)?;
        let mut sql = Sql::new("UPDATE community_services SET state = ");
        sql.bind(Arg::Text(after.as_str().into())).push(", ");
        set(&mut sql, crate::now_millis());
        sql.push(" WHERE id = ")
            .bind(Arg::Int(id))
            .push(" AND state = ")
            .bind(Arg::Text(before.as_str().into()));
        sql.query(self.backend).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }
}
