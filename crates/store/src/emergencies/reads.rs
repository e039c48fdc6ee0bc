//! Emergencies as the list, the board and the escalation job read them.

use super::{AlertRow, EmergencyBoard, EmergencyFilter, EmergencyRow, ResponseRow};
use crate::Millis;
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_domain::emergency::{Minutes, Tier};
use sqlx::Row;
use sqlx::any::AnyRow;

const SELECT: &str = "SELECT e.id, e.case_id, c.ticket, e.drill, e.title, e.community_code,
    a.name AS community_name, e.grid_code, e.department_code, d.name AS department_name,
    e.lon, e.lat, e.reported_at, e.stage, e.stage_at, e.next_at, e.closed_at, e.started_by
    FROM emergencies e
    LEFT JOIN cases c ON c.id = e.case_id
    LEFT JOIN areas a ON a.code = e.community_code
    LEFT JOIN departments d ON d.code = e.department_code
    WHERE 1 = 1";

pub(super) fn tier(s: &str) -> Result<Tier, StoreError> {
    Tier::parse(s).ok_or_else(|| StoreError::corrupt(format!("emergency tier {s}")))
}

fn row(r: &AnyRow) -> Result<EmergencyRow, StoreError> {
    let community: Option<String> = r.try_get("community_code")?;
    let grid: Option<String> = r.try_get("grid_code")?;
    let drill: i64 = r.try_get("drill")?;
    Ok(EmergencyRow {
        id: r.try_get("id")?,
        case_id: r.try_get("case_id")?,
        ticket: r.try_get("ticket")?,
        drill: drill != 0,
        title: r.try_get("title")?,
        community: community.and_then(|c| AreaCode::parse(&c).ok()),
        community_name: r.try_get("community_name")?,
        grid: grid.and_then(|g| GridCode::parse(&g).ok()),
        department: r.try_get("department_code")?,
        department_name: r.try_get("department_name")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        reported_at: r.try_get("reported_at")?,
        stage: tier(&r.try_get::<String, _>("stage")?)?,
        stage_at: r.try_get("stage_at")?,
        next_at: r.try_get("next_at")?,
        closed_at: r.try_get("closed_at")?,
        started_by: r.try_get("started_by")?,
    })
}

impl EmergencyFilter {
    fn apply(&self, sql: &mut Sql) {
        if let Some(a) = &self.area {
            sql.push(" AND e.community_code LIKE ")
                .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
        }
        if let Some(g) = &self.grid {
            sql.push(" AND e.grid_code = ")
                .bind(Arg::Text(g.as_str().to_string()));
        }
        if let Some(d) = &self.department {
            sql.push(" AND e.department_code = ")
                .bind(Arg::Text(d.clone()));
        }
        if let Some(d) = self.drill {
            sql.push(" AND e.drill = ").bind(Arg::Int(i64::from(d)));
        }
        if self.open {
            sql.push(" AND e.closed_at IS NULL");
        }
    }
}

impl Store {
    /// The city's escalation minutes (the defaults until someone saves them).
    pub async fn emergency_minutes(&self) -> Result<Minutes, StoreError> {
        let r = sqlx::query("SELECT minutes FROM emergency_settings WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(match r {
            Some(r) => Minutes::from_text(&r.try_get::<String, _>("minutes")?).unwrap_or_default(),
            None => Minutes::default(),
        })
    }

    /// Emergencies newest first.
    pub async fn emergencies(
        &self,
        f: &EmergencyFilter,
        limit: i64,
    ) -> Result<Vec<EmergencyRow>, StoreError> {
        let mut sql = Sql::new(SELECT);
        f.apply(&mut sql);
        sql.push(" ORDER BY e.reported_at DESC, e.id DESC LIMIT ")
            .bind(Arg::Int(limit));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(row).collect()
    }

    pub async fn emergency(&self, id: i64) -> Result<Option<EmergencyRow>, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" AND e.id = ").bind(Arg::Int(id));
        let r = sql.query(self.backend).fetch_optional(&self.pool).await?;
        r.as_ref().map(row).transpose()
    }

    /// The emergency of a case, if it is one.
    pub async fn emergency_of_case(&self, case_id: i64) -> Result<Option<i64>, StoreError> {
        let r = sqlx::query("SELECT id FROM emergencies WHERE case_id = $1")
            .bind(case_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match r {
            Some(r) => Some(r.try_get("id")?),
            None => None,
        })
    }

    /// Everything the live board shows.
    pub async fn emergency_board(&self, id: i64) -> Result<Option<EmergencyBoard>, StoreError> {
        let Some(emergency) = self.emergency(id).await? else {
            return Ok(None);
        };
        let alerts = sqlx::query(
            "SELECT tier, recipient, kind, at FROM emergency_alerts WHERE emergency_id = $1
             ORDER BY at, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(AlertRow {
                tier: tier(&r.try_get::<String, _>("tier")?)?,
                recipient: r.try_get("recipient")?,
                kind: r.try_get("kind")?,
                at: r.try_get("at")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let responses = sqlx::query(
            "SELECT kind, tier, account_id, name, lon, lat, at FROM emergency_responses
             WHERE emergency_id = $1 ORDER BY at, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            let t: Option<String> = r.try_get("tier")?;
            Ok(ResponseRow {
                kind: r.try_get("kind")?,
                tier: t.map(|t| tier(&t)).transpose()?,
                account_id: r.try_get("account_id")?,
                name: r.try_get("name")?,
                lon: r.try_get("lon")?,
                lat: r.try_get("lat")?,
                at: r.try_get("at")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some(EmergencyBoard {
            emergency,
            alerts,
            responses,
        }))
    }

    /// Open emergencies whose escalation instant has come.
    pub async fn emergencies_due(&self, now: Millis, limit: i64) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT id FROM emergencies WHERE next_at IS NOT NULL AND next_at <= $1
             AND closed_at IS NULL ORDER BY next_at, id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }
}
