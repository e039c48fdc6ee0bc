//! Power items as the staff's list, the public list, an item's page and the settings read them.

use super::rows::{PowerFilter, PowerItemRow, PowerVersionRow};
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use gongzhi_domain::power_list::{
    Flowchart, PowerItemDraft, PowerOwner, PowerState, PowerType, RiskFactors, RiskLevel,
    RiskSettings,
};
use sqlx::Row;

pub(super) const ITEM_SELECT: &str = "SELECT p.id, p.owner_kind, p.owner_code,
    COALESCE(d.name, a.name, p.owner_code) AS owner_name, p.number, p.name, p.power_type,
    p.legal_basis, p.discretion, p.post, p.importance, p.discretion_level, p.likelihood, p.harm,
    p.risk_score, p.risk_level, p.measures, p.flowchart, p.state, p.version, p.published_at,
    p.changed_at, p.retired_at, p.retire_reason, p.created_by_name, p.created_at
    FROM power_items p
    LEFT JOIN departments d ON p.owner_kind = 'department' AND d.code = p.owner_code
    LEFT JOIN areas a ON p.owner_kind = 'area' AND a.code = p.owner_code
    WHERE 1 = 1";

fn factor(r: &sqlx::any::AnyRow, col: &str) -> Result<u8, StoreError> {
    let v: i64 = r.try_get(col)?;
    u8::try_from(v).map_err(|_| StoreError::corrupt(format!("{col}: {v}")))
}

pub(super) fn factors_of(r: &sqlx::any::AnyRow) -> Result<RiskFactors, StoreError> {
    Ok(RiskFactors {
        importance: factor(r, "importance")?,
        discretion: factor(r, "discretion_level")?,
        likelihood: factor(r, "likelihood")?,
        harm: factor(r, "harm")?,
    })
}

pub(super) fn level_col(r: &sqlx::any::AnyRow) -> Result<RiskLevel, StoreError> {
    let s: String = r.try_get("risk_level")?;
    RiskLevel::parse(&s).ok_or_else(|| StoreError::corrupt(format!("risk level {s}")))
}

pub(super) fn state_col(r: &sqlx::any::AnyRow) -> Result<PowerState, StoreError> {
    let s: String = r.try_get("state")?;
    PowerState::parse(&s).ok_or_else(|| StoreError::corrupt(format!("power item state {s}")))
}

pub(super) fn item_row(r: &sqlx::any::AnyRow) -> Result<PowerItemRow, StoreError> {
    let kind: String = r.try_get("owner_kind")?;
    let code: String = r.try_get("owner_code")?;
    let t: String = r.try_get("power_type")?;
    let measures: String = r.try_get("measures")?;
    Ok(PowerItemRow {
        id: r.try_get("id")?,
        owner: PowerOwner::of(&kind, &code)
            .map_err(|_| StoreError::corrupt(format!("power list owner {kind} {code}")))?,
        owner_name: r.try_get("owner_name")?,
        number: r.try_get("number")?,
        name: r.try_get("name")?,
        power_type: PowerType::parse(&t)
            .ok_or_else(|| StoreError::corrupt(format!("power type {t}")))?,
        legal_basis: r.try_get("legal_basis")?,
        discretion: r.try_get("discretion")?,
        post: r.try_get("post")?,
        factors: factors_of(r)?,
        risk_score: r.try_get("risk_score")?,
        risk_level: level_col(r)?,
        measures: measures.lines().map(str::to_string).collect(),
        flowchart: r.try_get("flowchart")?,
        state: state_col(r)?,
        version: r.try_get("version")?,
        published_at: r.try_get("published_at")?,
        changed_at: r.try_get("changed_at")?,
        retired_at: r.try_get("retired_at")?,
        retire_reason: r.try_get("retire_reason")?,
        created_by_name: r.try_get("created_by_name")?,
        created_at: r.try_get("created_at")?,
    })
}

impl PowerItemRow {
    /// The stored item as a draft (to change it, or to publish it as it stands).
    pub fn draft(&self) -> Result<PowerItemDraft, StoreError> {
        Ok(PowerItemDraft {
            owner: self.owner.clone(),
            number: self.number,
            name: self.name.clone(),
            power_type: self.power_type,
            legal_basis: self.legal_basis.clone(),
            discretion: self.discretion.clone(),
            post: self.post.clone(),
            factors: self.factors,
            measures: self.measures.clone(),
            flowchart: Flowchart::parse(&self.flowchart).map_err(|e| {
                StoreError::corrupt(format!("flowchart of item {}: {e:?}", self.id))
            })?,
        })
    }
}

impl PowerFilter {
    fn apply(&self, sql: &mut Sql) {
        if let Some(a) = &self.area {
            sql.push(" AND p.owner_kind = 'area' AND p.owner_prefix LIKE ")
                .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
        }
        if let Some(d) = &self.department {
            sql.push(" AND p.owner_kind = 'department' AND p.owner_code = ")
                .bind(Arg::Text(d.clone()));
        }
        if let Some(o) = &self.owner {
            sql.push(" AND p.owner_kind = ")
                .bind(Arg::Text(o.kind().into()))
                .push(" AND p.owner_code = ")
                .bind(Arg::Text(o.code()));
        }
        if let Some(t) = self.power_type {
            sql.push(" AND p.power_type = ")
                .bind(Arg::Text(t.as_str().into()));
        }
        if let Some(l) = self.risk_level {
            sql.push(" AND p.risk_level = ")
                .bind(Arg::Text(l.as_str().into()));
        }
        if let Some(s) = self.state {
            sql.push(" AND p.state = ")
                .bind(Arg::Text(s.as_str().into()));
        }
        if let Some(q) = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let q = format!("%{}%", q.replace(['%', '_', '\\'], ""));
            sql.push(" AND (p.name LIKE ")
                .bind(Arg::Text(q.clone()))
                .push(" OR p.legal_basis LIKE ")
                .bind(Arg::Text(q))
                .push(")");
        }
    }
}

impl Store {
    pub async fn power_item(&self, id: i64) -> Result<Option<PowerItemRow>, StoreError> {
        let mut sql = Sql::new(ITEM_SELECT);
        sql.push(" AND p.id = ").bind(Arg::Int(id));
        let row = sql.query(self.backend).fetch_optional(&self.pool).await?;
        row.as_ref().map(item_row).transpose()
    }

    /// Items in the filter by owner and number, at most `limit`.
    pub async fn power_items(
        &self,
        f: &PowerFilter,
        limit: i64,
    ) -> Result<Vec<PowerItemRow>, StoreError> {
        let mut sql = Sql::new(ITEM_SELECT);
        f.apply(&mut sql);
        sql.push(" ORDER BY p.owner_kind DESC, p.owner_code, p.number LIMIT ")
            .bind(Arg::Int(limit));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(item_row).collect()
    }

    /// The owners with published items, and their names (the public owner filter).
    pub async fn power_owners(&self) -> Result<Vec<(PowerOwner, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT p.owner_kind, p.owner_code, COALESCE(d.name, a.name, p.owner_code) AS owner_name
             FROM power_items p
             LEFT JOIN departments d ON p.owner_kind = 'department' AND d.code = p.owner_code
             LEFT JOIN areas a ON p.owner_kind = 'area' AND a.code = p.owner_code
             WHERE p.state = 'published' ORDER BY p.owner_kind DESC, p.owner_code",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("owner_kind")?;
                let code: String = r.try_get("owner_code")?;
                let owner = PowerOwner::of(&kind, &code)
                    .map_err(|_| StoreError::corrupt(format!("owner {kind} {code}")))?;
                Ok((owner, r.try_get("owner_name")?))
            })
            .collect()
    }

    /// The numbers an owner's list already uses.
    pub async fn power_numbers(&self, owner: &PowerOwner) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT number FROM power_items WHERE owner_kind = $1 AND owner_code = $2 ORDER BY number",
        )
        .bind(owner.kind())
        .bind(owner.code())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok(r.try_get::<i64, _>("number")?))
            .collect()
    }

    /// Every published text of an item, newest first.
    pub async fn power_item_versions(&self, id: i64) -> Result<Vec<PowerVersionRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT version, content, risk_score, risk_level, content_sha256, by_name, at
             FROM power_item_versions WHERE item_id = $1 ORDER BY version DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let content: String = r.try_get("content")?;
                Ok(PowerVersionRow {
                    version: r.try_get("version")?,
                    content: serde_json::from_str(&content)
                        .map_err(|e| StoreError::corrupt(format!("power item version: {e}")))?,
                    risk_score: r.try_get("risk_score")?,
                    risk_level: level_col(r)?,
                    content_sha256: r.try_get("content_sha256")?,
                    by_name: r.try_get("by_name")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }

    /// The city's risk weights and thresholds.
    pub async fn power_risk_settings(&self) -> Result<RiskSettings, StoreError> {
        let row = sqlx::query(SETTINGS_SELECT)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref()
            .map(settings_of)
            .transpose()
            .map(Option::unwrap_or_default)
    }
}

pub(super) const SETTINGS_SELECT: &str = "SELECT w_importance, w_discretion, w_likelihood, w_harm,
    high_from, medium_from FROM power_risk_settings WHERE id = 1";

pub(super) fn settings_of(r: &sqlx::any::AnyRow) -> Result<RiskSettings, StoreError> {
    Ok(RiskSettings {
        w_importance: factor(r, "w_importance")?,
        w_discretion: factor(r, "w_discretion")?,
        w_likelihood: factor(r, "w_likelihood")?,
        w_harm: factor(r, "w_harm")?,
        high_from: factor(r, "high_from")?,
        medium_from: factor(r, "medium_from")?,
    })
}
