//! The category tree, the dispatch rules and the working-day calendar: the configurable parts
//! of the closed loop, seeded from the domain's shipped defaults and editable afterwards.

use crate::db::Store;
use crate::error::StoreError;
use gongzhi_domain::case::{DeadlineClass, DispatchRule};
use gongzhi_domain::codes::AreaCode;
use serde::Serialize;
use sqlx::Row;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CategoryRow {
    pub code: String,
    pub parent: Option<String>,
    pub name: String,
    /// event | component | community
    pub kind: String,
    pub deadline_class: DeadlineClass,
    pub default_department: Option<String>,
    pub guidance: String,
    pub active: bool,
}

impl CategoryRow {
    /// Reports are filed under active leaf categories only (a top-level category groups, it
    /// is not a problem one can report). The one place that says so.
    pub fn accepts_reports(&self) -> bool {
        self.active && self.parent.is_some()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DispatchRuleRow {
    pub id: i64,
    pub category: String,
    pub area: AreaCode,
    pub department: String,
}

impl DispatchRuleRow {
    pub fn rule(&self) -> DispatchRule {
        DispatchRule {
            category: self.category.clone(),
            area: self.area,
            department: self.department.clone(),
        }
    }
}

fn category_row(r: &sqlx::any::AnyRow) -> Result<CategoryRow, StoreError> {
    let class: String = r.try_get("deadline_class")?;
    Ok(CategoryRow {
        code: r.try_get("code")?,
        parent: r.try_get("parent_code")?,
        name: r.try_get("name")?,
        kind: r.try_get("kind")?,
        deadline_class: DeadlineClass::parse(&class)
            .ok_or_else(|| StoreError::corrupt(format!("deadline class {class}")))?,
        default_department: r.try_get("default_department")?,
        guidance: r.try_get("guidance")?,
        active: r.try_get::<i64, _>("active")? != 0,
    })
}

impl Store {
    /// Inserts or updates categories (name, class, default department, guidance).
    pub async fn upsert_categories(&self, rows: &[CategoryRow]) -> Result<usize, StoreError> {
        let mut tx = self.write_tx().await?;
        for c in rows {
            sqlx::query(
                "INSERT INTO categories (code, parent_code, name, kind, deadline_class, default_department, guidance, active)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (code) DO UPDATE SET parent_code = excluded.parent_code, name = excluded.name, kind = excluded.kind,
                 deadline_class = excluded.deadline_class, default_department = excluded.default_department,
                 guidance = excluded.guidance, active = excluded.active",
            )
            .bind(&c.code)
            .bind(c.parent.as_deref())
            .bind(&c.name)
            .bind(&c.kind)
            .bind(c.deadline_class.as_str())
            .bind(c.default_department.as_deref())
            .bind(&c.guidance)
            .bind(i64::from(c.active))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.lookups.clear();
        Ok(rows.len())
    }

    pub async fn categories(&self) -> Result<Vec<CategoryRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT code, parent_code, name, kind, deadline_class, default_department, guidance, active FROM categories ORDER BY code",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(category_row).collect()
    }

    pub async fn category(&self, code: &str) -> Result<Option<CategoryRow>, StoreError> {
        let row = sqlx::query(
            "SELECT code, parent_code, name, kind, deadline_class, default_department, guidance, active FROM categories WHERE code = $1",
        )
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(category_row).transpose()
    }

    pub async fn dispatch_rules(&self) -> Result<Vec<DispatchRuleRow>, StoreError> {
        let rows = sqlx::query("SELECT id, category_code, area_code, department_code FROM dispatch_rules ORDER BY category_code, area_code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let area: String = r.try_get("area_code")?;
                Ok(DispatchRuleRow {
                    id: r.try_get("id")?,
                    category: r.try_get("category_code")?,
                    area: AreaCode::parse(&area)
                        .map_err(|e| StoreError::corrupt(format!("rule area {area}: {e}")))?,
                    department: r.try_get("department_code")?,
                })
            })
            .collect()
    }

    /// Sets the rules for (category, area) pairs in one transaction, replacing earlier ones.
    pub async fn set_dispatch_rules(&self, rules: &[DispatchRule]) -> Result<usize, StoreError> {
        let mut tx = self.write_tx().await?;
        for r in rules {
            sqlx::query(
                "INSERT INTO dispatch_rules (category_code, area_code, department_code) VALUES ($1, $2, $3)
                 ON CONFLICT (category_code, area_code) DO UPDATE SET department_code = excluded.department_code",
            )
            .bind(&r.category)
            .bind(r.area.as_str())
            .bind(&r.department)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.lookups.clear();
        Ok(rules.len())
    }

    pub async fn delete_dispatch_rule(&self, id: i64) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        let n = sqlx::query("DELETE FROM dispatch_rules WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        self.lookups.clear();
        Ok(n == 1)
    }

    /// The stored calendar rows `(date, kind, name)`, as the official CSV spells them.
    pub async fn holidays(&self) -> Result<Vec<(String, String, String)>, StoreError> {
        let rows = sqlx::query("SELECT date, kind, name FROM holidays ORDER BY date")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("date")?, r.try_get("kind")?, r.try_get("name")?)))
            .collect()
    }

    pub async fn upsert_holidays(
        &self,
        rows: &[(String, String, String)],
    ) -> Result<usize, StoreError> {
        let mut tx = self.write_tx().await?;
        for (date, kind, name) in rows {
            sqlx::query(
                "INSERT INTO holidays (date, kind, name) VALUES ($1, $2, $3)
                 ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, name = excluded.name",
            )
            .bind(date)
            .bind(kind)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(rows.len())
    }
}
