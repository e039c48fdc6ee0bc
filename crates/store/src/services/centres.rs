//! The city's centre settings, each community's centres, their staff and the lead
//! departments' assessment items.

use super::rows::{AssessmentItemRow, CentreRow, NewCentre, StaffRow};
use super::{ServicesResult, log, not_found};
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use crate::{EventActor, now_millis};
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::services::{CentreKind, CentreSettings, ServicesError, StaffDraft, required};
use serde_json::json;
use sqlx::Row;

const SETTINGS_KEY: &str = "centres";

const CENTRE_SELECT: &str = "SELECT c.id, c.community_code, a.name AS community_name, c.kind,
    c.name, c.lead_department, d.name AS department_name, c.address, c.lon, c.lat,
    c.opening_hours,
    (SELECT COUNT(*) FROM service_menu_items m WHERE m.centre_id = c.id AND m.active = 1) AS items,
    (SELECT COUNT(*) FROM service_orders o WHERE o.centre_id = c.id
        AND o.state IN ('waiting', 'placed', 'assigned')) AS open_orders
    FROM service_centres c
    JOIN areas a ON a.code = c.community_code
    JOIN departments d ON d.code = c.lead_department";

pub(super) fn area_col(r: &sqlx::any::AnyRow, col: &str) -> Result<AreaCode, StoreError> {
    let s: String = r.try_get(col)?;
    AreaCode::parse(&s).map_err(|e| StoreError::corrupt(format!("{col}: {e}")))
}

pub(super) fn kind_col(r: &sqlx::any::AnyRow, col: &str) -> Result<CentreKind, StoreError> {
    let s: String = r.try_get(col)?;
    CentreKind::parse(&s).ok_or_else(|| StoreError::corrupt(format!("{col}: {s}")))
}

fn centre_row(r: &sqlx::any::AnyRow) -> Result<CentreRow, StoreError> {
    Ok(CentreRow {
        id: r.try_get("id")?,
        community: area_col(r, "community_code")?,
        community_name: r.try_get("community_name")?,
        kind: kind_col(r, "kind")?,
        name: r.try_get("name")?,
        lead_department: r.try_get("lead_department")?,
        lead_department_name: r.try_get("department_name")?,
        address: r.try_get("address")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        opening_hours: r.try_get("opening_hours")?,
        items: r.try_get("items")?,
        open_orders: r.try_get("open_orders")?,
    })
}

/// Which centres a list shows: inside an area, led by a department, or one community's.
#[derive(Clone, Debug, Default)]
pub struct CentrePlace {
    pub area: Option<AreaCode>,
    pub lead_department: Option<String>,
}

impl CentrePlace {
    pub(super) fn apply(&self, sql: &mut Sql, community_col: &str, lead_col: &str) {
        if let Some(a) = &self.area {
            sql.push(" AND ")
                .push(community_col)
                .push(" LIKE ")
                .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
        }
        if let Some(d) = &self.lead_department {
            sql.push(" AND ")
                .push(lead_col)
                .push(" = ")
                .bind(Arg::Text(d.clone()));
        }
    }
}

impl Store {
    /// The city's centre settings (the shipped default when none is set).
    pub async fn centre_settings(&self) -> Result<CentreSettings, StoreError> {
        let row = sqlx::query("SELECT value FROM service_settings WHERE key = $1")
            .bind(SETTINGS_KEY)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            None => Ok(CentreSettings::default()),
            Some(r) => {
                let v: String = r.try_get("value")?;
                serde_json::from_str(&v).map_err(|e| StoreError::corrupt(format!("centres: {e}")))
            }
        }
    }

    /// Sets the lead department of each kind; every one must be a department of the city.
    pub async fn set_centre_settings(
        &self,
        s: CentreSettings,
        by: &EventActor,
    ) -> ServicesResult<CentreSettings> {
        let departments: Vec<String> = self
            .departments()
            .await?
            .into_iter()
            .map(|d| d.code)
            .collect();
        let s = s.checked(&departments)?;
        let value = serde_json::to_string(&s).map_err(|e| StoreError::corrupt(e.to_string()))?;
        let now = now_millis();
        let mut tx = self.write_tx().await?;
        sqlx::query("DELETE FROM service_settings WHERE key = $1")
            .bind(SETTINGS_KEY)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO service_settings (key, value) VALUES ($1, $2)")
            .bind(SETTINGS_KEY)
            .bind(&value)
            .execute(&mut *tx)
            .await?;
        log(
            &mut tx,
            "service_settings/centres".into(),
            "changed",
            json!({"type": "changed", "lead_departments": value}),
            by,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Creates a centre of a community (one of each kind), logged as `centre/ID`.
    pub async fn create_centre(&self, c: &NewCentre, by: &EventActor) -> ServicesResult<i64> {
        let name = required("name", &c.name, 100)?;
        let address = required("address", &c.address, 200)?;
        let hours = required("opening_hours", &c.opening_hours, 200)?;
        if !(-180.0..=180.0).contains(&c.lon) || !(-90.0..=90.0).contains(&c.lat) {
            return Err(ServicesError::BadPoint.into());
        }
        let departments: Vec<String> = self
            .departments()
            .await?
            .into_iter()
            .map(|d| d.code)
            .collect();
        if !departments.contains(&c.lead_department) {
            return Err(ServicesError::UnknownDepartment(c.lead_department.clone()).into());
        }
        let now = now_millis();
        let mut tx = self.write_tx().await?;
        let taken =
            sqlx::query("SELECT id FROM service_centres WHERE community_code = $1 AND kind = $2")
                .bind(c.community.as_str())
                .bind(c.kind.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict {
                code: "centre_exists",
                zh: format!("本社区已有{}", c.kind.zh()),
                en: format!(
                    "the community has its {} already",
                    c.kind.en().to_lowercase()
                ),
            }
            .into());
        }
        let id: i64 = sqlx::query(
            "INSERT INTO service_centres (community_code, kind, name, lead_department, address,
             lon, lat, opening_hours, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(c.community.as_str())
        .bind(c.kind.as_str())
        .bind(&name)
        .bind(&c.lead_department)
        .bind(&address)
        .bind(c.lon)
        .bind(c.lat)
        .bind(&hours)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        log(
            &mut tx,
            format!("centre/{id}"),
            "created",
            json!({"type": "created", "community": c.community.as_str(), "kind": c.kind.as_str(),
                   "name": name, "lead_department": c.lead_department, "address": address,
                   "opening_hours": hours}),
            by,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a centre's name, address, point and opening hours (its community, kind and
    /// lead department stay).
    pub async fn update_centre(
        &self,
        id: i64,
        c: &NewCentre,
        by: &EventActor,
    ) -> ServicesResult<()> {
        let (name, address, lon, lat, opening_hours) =
            (&c.name, &c.address, c.lon, c.lat, &c.opening_hours);
        let name = required("name", name, 100)?;
        let address = required("address", address, 200)?;
        let hours = required("opening_hours", opening_hours, 200)?;
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return Err(ServicesError::BadPoint.into());
        }
        let now = now_millis();
        let mut tx = self.write_tx().await?;
        let n = sqlx::query(
            "UPDATE service_centres SET name = $1, address = $2, lon = $3, lat = $4,
             opening_hours = $5, updated_at = $6 WHERE id = $7",
        )
        .bind(&name)
        .bind(&address)
        .bind(lon)
        .bind(lat)
        .bind(&hours)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Err(not_found("服务中心", "centre", id).into());
        }
        log(
            &mut tx,
            format!("centre/{id}"),
            "changed",
            json!({"type": "changed", "name": name, "address": address, "opening_hours": hours}),
            by,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn centre(&self, id: i64) -> Result<Option<CentreRow>, StoreError> {
        let row = sqlx::query(crate::cases::AssertSql::new(format!(
            "{CENTRE_SELECT} WHERE c.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(centre_row).transpose()
    }

    /// Centres in the place, by community then kind.
    pub async fn centres(&self, place: &CentrePlace) -> Result<Vec<CentreRow>, StoreError> {
        let mut sql = Sql::new(&format!("{CENTRE_SELECT} WHERE 1 = 1"));
        place.apply(&mut sql, "c.community_code", "c.lead_department");
        sql.push(" ORDER BY c.community_code, c.id LIMIT 5000");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(centre_row).collect()
    }

    /// Adds a staff member to a centre, logged.
    pub async fn add_centre_staff(
        &self,
        centre: i64,
        s: StaffDraft,
        by: &EventActor,
    ) -> ServicesResult<i64> {
        let s = s.checked()?;
        let now = now_millis();
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO centre_staff (centre_id, name, phone, account_id, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(centre)
        .bind(&s.name)
        .bind(&s.phone)
        .bind(s.account_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        log(
            &mut tx,
            format!("centre/{centre}"),
            "staff_added",
            json!({"type": "staff_added", "staff": id, "name": s.name, "phone": s.phone}),
            by,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn centre_staff(&self, centre: i64) -> Result<Vec<StaffRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, centre_id, name, phone, account_id FROM centre_staff WHERE centre_id = $1 ORDER BY id",
        )
        .bind(centre)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StaffRow {
                    id: r.try_get("id")?,
                    centre_id: r.try_get("centre_id")?,
                    name: r.try_get("name")?,
                    phone: r.try_get("phone")?,
                    account_id: r.try_get("account_id")?,
                })
            })
            .collect()
    }

    /// A lead department's assessment item for one kind of centre, logged.
    pub async fn add_assessment_item(
        &self,
        department: &str,
        kind: CentreKind,
        name: &str,
        points: i64,
        measure: &str,
        by: &EventActor,
    ) -> ServicesResult<i64> {
        let name = required("name", name, 100)?;
        let measure = required("measure", measure, 300)?;
        if !(1..=100).contains(&points) {
            return Err(ServicesError::BadPoints(points).into());
        }
        let now = now_millis();
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO centre_assessment_items (lead_department, kind, name, points, measure, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(department)
        .bind(kind.as_str())
        .bind(&name)
        .bind(points)
        .bind(&measure)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        log(&mut tx, format!("assessment_item/{id}"), "created", json!({"type": "created", "kind": kind.as_str(), "points": points, "name": name, "measure": measure, "lead_department": department}), by, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Assessment items, of one lead department or all.
    pub async fn assessment_items(
        &self,
        department: Option<&str>,
    ) -> Result<Vec<AssessmentItemRow>, StoreError> {
        let mut sql = Sql::new(
            "SELECT id, lead_department, kind, name, points, measure FROM centre_assessment_items WHERE 1 = 1",
        );
        if let Some(d) = department {
            sql.push(" AND lead_department = ")
                .bind(Arg::Text(d.into()));
        }
        sql.push(" ORDER BY lead_department, kind, id");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(AssessmentItemRow {
                    id: r.try_get("id")?,
                    lead_department: r.try_get("lead_department")?,
                    kind: kind_col(r, "kind")?,
                    name: r.try_get("name")?,
                    points: r.try_get("points")?,
                    measure: r.try_get("measure")?,
                })
            })
            .collect()
    }
}
