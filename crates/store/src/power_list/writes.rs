//! Power-list writes: create (a draft or published at once), publish, change (a new version
//! once published), retire, import a whole file, and change the risk settings (re-levelling
//! every item) — each one transaction with its log event.

use super::PowerWriteError;
use super::reads::{SETTINGS_SELECT, level_col, settings_of, state_col};
use super::rows::Relevelled;
use crate::db::Store;
use crate::error::StoreError;
use crate::red_grid::log;
use crate::{EventActor, Millis};
use gongzhi_domain::power_list::{
    PowerItemDraft, PowerState, RiskFactors, RiskLevel, RiskSettings, retire_reason,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

type WriteResult<T> = Result<T, PowerWriteError>;

fn sha256(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The payload of a publication, change or retirement: codes in clear, content hashed.
fn payload(
    kind: &str,
    d: &PowerItemDraft,
    version: i64,
    state: PowerState,
    score: u8,
    level: RiskLevel,
) -> serde_json::Value {
    json!({
        "type": kind,
        "owner_kind": d.owner.kind(),
        "owner": d.owner.code(),
        "number": d.number,
        "power_type": d.power_type.as_str(),
        "risk_level": level.as_str(),
        "risk_score": score,
        "status": state.as_str(),
        "version": version,
        "content_sha256": sha256(&d.canonical()),
        "flowchart_sha256": sha256(&d.flowchart.to_text()),
    })
}

async fn settings(conn: &mut AnyConnection) -> Result<RiskSettings, StoreError> {
    let row = sqlx::query(SETTINGS_SELECT)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref()
        .map(settings_of)
        .transpose()
        .map(Option::unwrap_or_default)
}

/// The item's state and version, its row touched first so PostgreSQL locks it.
async fn lock_state(conn: &mut AnyConnection, id: i64) -> Result<(PowerState, i64), StoreError> {
    sqlx::query("UPDATE power_items SET version = version WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query("SELECT state, version FROM power_items WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| {
            StoreError::not_found(format!("权力事项 {id}"), format!("power item {id}"))
        })?;
    Ok((state_col(&row)?, row.try_get("version")?))
}

async fn number_taken(
    conn: &mut AnyConnection,
    d: &PowerItemDraft,
    except: Option<i64>,
) -> Result<(), StoreError> {
    let row = sqlx::query(
        "SELECT id FROM power_items WHERE owner_kind = $1 AND owner_code = $2 AND number = $3",
    )
    .bind(d.owner.kind())
    .bind(d.owner.code())
    .bind(d.number)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(r) if Some(r.try_get::<i64, _>("id")?) != except => Err(StoreError::Conflict {
            code: "power_item_number_taken",
            zh: format!("本清单已有编号为 {} 的事项", d.number),
            en: format!("this list already has an item numbered {}", d.number),
        }),
        _ => Ok(()),
    }
}

async fn add_version(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    d: &PowerItemDraft,
    (score, level): (u8, RiskLevel),
    by: &EventActor,
    at: Millis,
) -> Result<(), StoreError> {
    let content = serde_json::to_string(d).map_err(StoreError::corrupt)?;
    sqlx::query(
        "INSERT INTO power_item_versions (item_id, version, content, risk_score, risk_level,
         content_sha256, by_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(version)
    .bind(&content)
    .bind(i64::from(score))
    .bind(level.as_str())
    .bind(sha256(&d.canonical()))
    .bind(&by.name)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn insert(
    conn: &mut AnyConnection,
    d: &PowerItemDraft,
    publish: bool,
    by: &EventActor,
    at: Millis,
) -> Result<i64, StoreError> {
    number_taken(conn, d, None).await?;
    let risk = settings(conn).await?.assess(&d.factors);
    let state = if publish {
        PowerState::Published
    } else {
        PowerState::Draft
    };
    let version = i64::from(publish);
    let prefix = match &d.owner {
        gongzhi_domain::power_list::PowerOwner::Area(a) => {
            crate::geo_data::area_prefix(a).to_string()
        }
        gongzhi_domain::power_list::PowerOwner::Department(_) => String::new(),
    };
    let f = d.factors;
    let id: i64 = sqlx::query(
        "INSERT INTO power_items (owner_kind, owner_code, owner_prefix, number, name, power_type,
         legal_basis, discretion, post, importance, discretion_level, likelihood, harm,
         risk_score, risk_level, measures, flowchart, state, version, published_at,
         created_by_name, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
         $19, $20, $21, $22) RETURNING id",
    )
    .bind(d.owner.kind())
    .bind(d.owner.code())
    .bind(prefix)
    .bind(d.number)
    .bind(&d.name)
    .bind(d.power_type.as_str())
    .bind(&d.legal_basis)
    .bind(&d.discretion)
    .bind(&d.post)
    .bind(i64::from(f.importance))
    .bind(i64::from(f.discretion))
    .bind(i64::from(f.likelihood))
    .bind(i64::from(f.harm))
    .bind(i64::from(risk.0))
    .bind(risk.1.as_str())
    .bind(d.measures.join("\n"))
    .bind(d.flowchart.to_text())
    .bind(state.as_str())
    .bind(version)
    .bind(publish.then_some(at))
    .bind(&by.name)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    if publish {
        add_version(conn, id, 1, d, risk, by, at).await?;
    }
    let kind = if publish { "published" } else { "drafted" };
    log(
        conn,
        format!("power_item/{id}"),
        kind,
        payload(kind, d, version, state, risk.0, risk.1),
        by,
        at,
    )
    .await?;
    Ok(id)
}

/// The stored draft of item `id`.
async fn stored(conn: &mut AnyConnection, id: i64) -> Result<PowerItemDraft, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{} AND p.id = $1",
        super::reads::ITEM_SELECT
    )))
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    super::reads::item_row(&row)?.draft()
}

impl Store {
    /// Stores a checked item as a draft, or published at once; scored under the stored
    /// settings; logged. A number already on the owner's list is a conflict.
    pub async fn create_power_item(
        &self,
        d: &PowerItemDraft,
        publish: bool,
        by: &EventActor,
        at: Millis,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let id = insert(&mut tx, d, publish, by, at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Stores every item of an import in one transaction: all or none.
    pub async fn import_power_items(
        &self,
        items: &[PowerItemDraft],
        publish: bool,
        by: &EventActor,
        at: Millis,
    ) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.write_tx().await?;
        let mut ids = Vec::with_capacity(items.len());
        for d in items {
            ids.push(insert(&mut tx, d, publish, by, at).await?);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// Publishes a draft as it stands (version 1).
    pub async fn publish_power_item(
        &self,
        id: i64,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<()> {
        let mut tx = self.write_tx().await?;
        let (state, _) = lock_state(&mut tx, id).await?;
        let state = state.publish()?;
        let d = stored(&mut tx, id).await?;
        let risk = settings(&mut tx).await?.assess(&d.factors);
        sqlx::query(
            "UPDATE power_items SET state = $1, version = 1, published_at = $2, risk_score = $3,
             risk_level = $4 WHERE id = $5",
        )
        .bind(state.as_str())
        .bind(at)
        .bind(i64::from(risk.0))
        .bind(risk.1.as_str())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        add_version(&mut tx, id, 1, &d, risk, by, at).await?;
        log(
            &mut tx,
            format!("power_item/{id}"),
            "published",
            payload("published", &d, 1, state, risk.0, risk.1),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes an item: a draft in place, a published item as a new version (its history
    /// kept); refused once retired. Returns the version.
    pub async fn change_power_item(
        &self,
        id: i64,
        d: &PowerItemDraft,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<i64> {
        let mut tx = self.write_tx().await?;
        let (state, version) = lock_state(&mut tx, id).await?;
        let state = state.change()?;
        number_taken(&mut tx, d, Some(id)).await?;
        let published = state == PowerState::Published;
        let version = if published { version + 1 } else { version };
        let risk = settings(&mut tx).await?.assess(&d.factors);
        let f = d.factors;
        sqlx::query(
            "UPDATE power_items SET number = $1, name = $2, power_type = $3, legal_basis = $4,
             discretion = $5, post = $6, importance = $7, discretion_level = $8, likelihood = $9,
             harm = $10, risk_score = $11, risk_level = $12, measures = $13, flowchart = $14,
             version = $15, changed_at = $16 WHERE id = $17",
        )
        .bind(d.number)
        .bind(&d.name)
        .bind(d.power_type.as_str())
        .bind(&d.legal_basis)
        .bind(&d.discretion)
        .bind(&d.post)
        .bind(i64::from(f.importance))
        .bind(i64::from(f.discretion))
        .bind(i64::from(f.likelihood))
        .bind(i64::from(f.harm))
        .bind(i64::from(risk.0))
        .bind(risk.1.as_str())
        .bind(d.measures.join("\n"))
        .bind(d.flowchart.to_text())
        .bind(version)
        .bind(published.then_some(at))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if published {
            add_version(&mut tx, id, version, d, risk, by, at).await?;
        }
        log(
            &mut tx,
            format!("power_item/{id}"),
            "changed",
            payload("changed", d, version, state, risk.0, risk.1),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Retires a published item with a reason; logged, so its publication stays provable.
    pub async fn retire_power_item(
        &self,
        id: i64,
        reason: &str,
        by: &EventActor,
        at: Millis,
    ) -> WriteResult<()> {
        let reason = retire_reason(reason)?;
        let mut tx = self.write_tx().await?;
        let (state, version) = lock_state(&mut tx, id).await?;
        let state = state.retire()?;
        let d = stored(&mut tx, id).await?;
        let risk = settings(&mut tx).await?.assess(&d.factors);
        sqlx::query(
            "UPDATE power_items SET state = $1, retired_at = $2, retire_reason = $3 WHERE id = $4",
        )
        .bind(state.as_str())
        .bind(at)
        .bind(&reason)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let mut p = payload("retired", &d, version, state, risk.0, risk.1);
        p["reason_sha256"] = json!(sha256(&reason));
        log(&mut tx, format!("power_item/{id}"), "retired", p, by, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores new (checked) settings and re-levels every item under them, in one transaction;
    /// returns the items whose level moved.
    pub async fn set_power_risk_settings(
        &self,
        s: &RiskSettings,
        by: &EventActor,
        at: Millis,
    ) -> Result<Vec<Relevelled>, StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "UPDATE power_risk_settings SET w_importance = $1, w_discretion = $2, w_likelihood = $3,
             w_harm = $4, high_from = $5, medium_from = $6, changed_by_name = $7, changed_at = $8
             WHERE id = 1",
        )
        .bind(i64::from(s.w_importance))
        .bind(i64::from(s.w_discretion))
        .bind(i64::from(s.w_likelihood))
        .bind(i64::from(s.w_harm))
        .bind(i64::from(s.high_from))
        .bind(i64::from(s.medium_from))
        .bind(&by.name)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        // Every item's row locked before it is read and re-scored.
        sqlx::query("UPDATE power_items SET risk_score = risk_score")
            .execute(&mut *tx)
            .await?;
        let rows = sqlx::query(
            "SELECT id, name, importance, discretion_level, likelihood, harm, risk_score, risk_level
             FROM power_items ORDER BY id",
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut moved = Vec::new();
        let mut changed = 0usize;
        for r in &rows {
            let f: RiskFactors = super::reads::factors_of(r)?;
            let (score, level) = s.assess(&f);
            let before: i64 = r.try_get("risk_score")?;
            let was = level_col(r)?;
            if before == i64::from(score) && was == level {
                continue;
            }
            changed += 1;
            let id: i64 = r.try_get("id")?;
            sqlx::query("UPDATE power_items SET risk_score = $1, risk_level = $2 WHERE id = $3")
                .bind(i64::from(score))
                .bind(level.as_str())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if was != level {
                moved.push(Relevelled {
                    id,
                    name: r.try_get("name")?,
                    score_before: before,
                    score: i64::from(score),
                    before: was,
                    after: level,
                });
            }
        }
        log(
            &mut tx,
            "power_risk_settings/city".into(),
            "changed",
            json!({"type": "risk_settings_changed", "weights": s.weights(),
                   "high_from": s.high_from, "medium_from": s.medium_from,
                   "rescored": changed, "relevelled": moved.len()}),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(moved)
    }
}
