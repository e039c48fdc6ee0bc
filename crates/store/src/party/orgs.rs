//! 党组织 (`party_orgs`): the tree, checked by the domain's placement rules on every change.

use super::{PartyTx, area, date, inside, opt_date, refused};
use crate::Millis;
use crate::audit::Actor;
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_domain::party::org::{self, ParentView};
use gongzhi_domain::party::{OrgKind, OrgLevel, OrgSize, PartyOrg};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

#[derive(Clone, Debug, Serialize)]
pub struct OrgRow {
    pub id: i64,
    #[serde(flatten)]
    pub record: PartyOrg,
    /// Members belonging to this organisation itself (not left).
    pub direct: OrgSize,
    pub compound_name: Option<String>,
    pub created_at: Millis,
}

impl OrgRow {
    pub fn dissolved(&self) -> bool {
        self.record.dissolved_on.is_some()
    }
}

#[derive(Clone, Debug, Default)]
pub struct OrgFilter {
    /// Organisations serving inside this area, and the ones above them that enclose it.
    pub area: Option<AreaCode>,
    pub include_dissolved: bool,
}

const SELECT: &str = "SELECT o.id, o.name, o.level, o.kind, o.parent_id, o.area_code, o.grid_code,
    o.compound_id, o.has_committee, o.founded_on, o.dissolved_on, o.created_at,
    (SELECT c.name FROM compounds c WHERE c.id = o.compound_id) AS compound_name,
    (SELECT COUNT(*) FROM party_members m WHERE m.org_id = o.id AND m.left_on IS NULL
       AND m.status = 'full') AS n_full,
    (SELECT COUNT(*) FROM party_members m WHERE m.org_id = o.id AND m.left_on IS NULL
       AND m.status = 'probationary') AS n_probationary
    FROM party_orgs o";

fn org_row(r: &sqlx::any::AnyRow) -> Result<OrgRow, StoreError> {
    let level: String = r.try_get("level")?;
    let kind: String = r.try_get("kind")?;
    let grid: Option<String> = r.try_get("grid_code")?;
    let has_committee: i64 = r.try_get("has_committee")?;
    Ok(OrgRow {
        id: r.try_get("id")?,
        record: PartyOrg {
            name: r.try_get("name")?,
            level: OrgLevel::parse(&level)
                .ok_or_else(|| StoreError::corrupt(format!("org level {level}")))?,
            kind: OrgKind::parse(&kind)
                .ok_or_else(|| StoreError::corrupt(format!("org kind {kind}")))?,
            parent: r.try_get("parent_id")?,
            area: area(r, "area_code")?,
            grid: grid
                .map(|g| GridCode::parse(&g).map_err(|e| StoreError::corrupt(format!("grid {e}"))))
                .transpose()?,
            compound: r.try_get("compound_id")?,
            has_committee: has_committee != 0,
            founded_on: date(r, "founded_on")?,
            dissolved_on: opt_date(r, "dissolved_on")?,
        },
        direct: OrgSize {
            full: r.try_get("n_full")?,
            probationary: r.try_get("n_probationary")?,
        },
        compound_name: r.try_get("compound_name")?,
        created_at: r.try_get("created_at")?,
    })
}

fn org_payload(kind: &str, id: i64, o: &PartyOrg) -> serde_json::Value {
    json!({
        "type": kind,
        "org": id,
        "org_level": o.level.as_str(),
        "kind": o.kind.as_str(),
        "parent": o.parent,
        "compound": o.compound,
        "name": o.name,
        "area": o.area.as_str(),
        "grid": o.grid.map(|g| g.to_string()),
        "has_committee": o.has_committee,
        "founded_on": o.founded_on.to_string(),
        "dissolved_on": o.dissolved_on.map(|d| d.to_string()),
    })
}

impl PartyTx<'_> {
    async fn org_in_tx(&mut self, id: i64) -> Result<OrgRow, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE o.id = ").bind(Arg::Int(id));
        let row = sql
            .query(self.store.backend)
            .fetch_optional(&mut *self.tx)
            .await?
            .ok_or_else(|| {
                StoreError::not_found(format!("党组织 {id}"), format!("party organisation {id}"))
            })?;
        org_row(&row)
    }

    /// What the placement rules need of `id` as a parent: its level, state and ancestors.
    async fn parent_view(&mut self, id: i64) -> Result<ParentView, StoreError> {
        let p = self.org_in_tx(id).await?;
        let mut ancestors = Vec::new();
        let mut at = p.record.parent;
        while let Some(cur) = at {
            if ancestors.contains(&cur) || ancestors.len() > 64 {
                break;
            }
            ancestors.push(cur);
            at = sqlx::query("SELECT parent_id FROM party_orgs WHERE id = $1")
                .bind(cur)
                .fetch_optional(&mut *self.tx)
                .await?
                .map(|r| r.try_get::<Option<i64>, _>("parent_id"))
                .transpose()?
                .flatten();
        }
        Ok(ParentView {
            id,
            name: p.record.name,
            level: p.record.level,
            dissolved: p.record.dissolved_on.is_some(),
            ancestors,
        })
    }

    /// The organisation's own checks, its parent's placement rules, and its compound lying
    /// in its area.
    async fn check_org(&mut self, own: Option<i64>, o: &PartyOrg) -> Result<PartyOrg, StoreError> {
        let o = o.clone().checked().map_err(refused)?;
        self.require_area(&o.area).await?;
        self.require_grid(o.grid.as_ref()).await?;
        let parent = match o.parent {
            Some(p) => Some(self.parent_view(p).await?),
            None => None,
        };
        org::check_parent(own, o.level, parent.as_ref()).map_err(refused)?;
        if let Some(c) = o.compound {
            let community: String =
                sqlx::query("SELECT community_code FROM compounds WHERE id = $1")
                    .bind(c)
                    .fetch_optional(&mut *self.tx)
                    .await?
                    .ok_or_else(|| {
                        StoreError::not_found(format!("小区 {c}"), format!("compound {c}"))
                    })?
                    .try_get("community_code")?;
            if !community.starts_with(crate::geo_data::area_prefix(&o.area)) {
                return Err(refused(gongzhi_domain::party::PartyError::OutsideArea(
                    "compound",
                )));
            }
        }
        Ok(o)
    }

    /// Creates an organisation under the placement rules; returns its id.
    pub async fn create_org(&mut self, o: &PartyOrg) -> Result<i64, StoreError> {
        let o = self.check_org(None, o).await?;
        let id: i64 = sqlx::query(
            "INSERT INTO party_orgs (name, level, kind, parent_id, area_code, grid_code, compound_id,
             has_committee, founded_on, dissolved_on, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(&o.name)
        .bind(o.level.as_str())
        .bind(o.kind.as_str())
        .bind(o.parent)
        .bind(o.area.as_str())
        .bind(o.grid.map(|g| g.to_string()))
        .bind(o.compound)
        .bind(i64::from(o.has_committee))
        .bind(o.founded_on.to_string())
        .bind(o.dissolved_on.map(|d| d.to_string()))
        .bind(self.now)
        .fetch_one(&mut *self.tx)
        .await?
        .try_get("id")?;
        self.log(
            format!("party_org/{id}"),
            "created",
            org_payload("created", id, &o),
        )
        .await?;
        Ok(id)
    }

    /// Changes an organisation (name, level, parent, committee …): the placement rules hold
    /// for it under its parent and for each live organisation under it.
    pub async fn update_org(&mut self, id: i64, o: &PartyOrg) -> Result<(), StoreError> {
        let before = self.org_in_tx(id).await?;
        if before.dissolved() {
            return Err(refused(gongzhi_domain::party::PartyError::Dissolved(
                before.record.name,
            )));
        }
        let o = PartyOrg {
            dissolved_on: None,
            ..self.check_org(Some(id), o).await?
        };
        let children: Vec<(String, String)> = sqlx::query(
            "SELECT name, level FROM party_orgs WHERE parent_id = $1 AND dissolved_on IS NULL",
        )
        .bind(id)
        .fetch_all(&mut *self.tx)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("name")?, r.try_get("level")?)))
        .collect::<Result<_, sqlx::Error>>()?;
        let as_parent = ParentView {
            id,
            name: o.name.clone(),
            level: o.level,
            dissolved: false,
            ancestors: Vec::new(),
        };
        for (_, level) in children {
            let level = OrgLevel::parse(&level)
                .ok_or_else(|| StoreError::corrupt(format!("org level {level}")))?;
            org::check_parent(None, level, Some(&as_parent)).map_err(refused)?;
        }
        sqlx::query(
            "UPDATE party_orgs SET name = $1, level = $2, kind = $3, parent_id = $4, area_code = $5,
             grid_code = $6, compound_id = $7, has_committee = $8, founded_on = $9 WHERE id = $10",
        )
        .bind(&o.name)
        .bind(o.level.as_str())
        .bind(o.kind.as_str())
        .bind(o.parent)
        .bind(o.area.as_str())
        .bind(o.grid.map(|g| g.to_string()))
        .bind(o.compound)
        .bind(i64::from(o.has_committee))
        .bind(o.founded_on.to_string())
        .bind(id)
        .execute(&mut *self.tx)
        .await?;
        self.log(
            format!("party_org/{id}"),
            "modified",
            org_payload("modified", id, &o),
        )
        .await?;
        Ok(())
    }

    /// Dissolves an organisation on `on`: only when no member and no live organisation is
    /// under it.
    pub async fn dissolve_org(&mut self, id: i64, on: Date) -> Result<(), StoreError> {
        let o = self.org_in_tx(id).await?;
        if o.dissolved() {
            return Err(refused(gongzhi_domain::party::PartyError::Dissolved(
                o.record.name,
            )));
        }
        if on < o.record.founded_on {
            return Err(refused(gongzhi_domain::party::PartyError::DateOrder(
                "dissolved_on",
            )));
        }
        let children: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM party_orgs WHERE parent_id = $1 AND dissolved_on IS NULL",
        )
        .bind(id)
        .fetch_one(&mut *self.tx)
        .await?
        .try_get("n")?;
        org::check_dissolve(o.direct.total(), children).map_err(refused)?;
        sqlx::query("UPDATE party_orgs SET dissolved_on = $1 WHERE id = $2")
            .bind(on.to_string())
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        let record = PartyOrg {
            dissolved_on: Some(on),
            ..o.record
        };
        self.log(
            format!("party_org/{id}"),
            "dissolved",
            org_payload("dissolved", id, &record),
        )
        .await?;
        Ok(())
    }
}

impl Store {
    pub async fn create_org(&self, o: &PartyOrg, actor: &Actor<'_>) -> Result<i64, StoreError> {
        let mut tx = self.party_tx(actor).await?;
        let id = tx.create_org(o).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_org(
        &self,
        id: i64,
        o: &PartyOrg,
        actor: &Actor<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.party_tx(actor).await?;
        tx.update_org(id, o).await?;
        tx.commit().await
    }

    pub async fn dissolve_org(
        &self,
        id: i64,
        on: Date,
        actor: &Actor<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.party_tx(actor).await?;
        tx.dissolve_org(id, on).await?;
        tx.commit().await
    }

    pub async fn org(&self, id: i64) -> Result<Option<OrgRow>, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE o.id = ").bind(Arg::Int(id));
        let row = sql.query(self.backend).fetch_optional(&self.pool).await?;
        row.as_ref().map(org_row).transpose()
    }

    /// Organisations serving inside the area and those above that enclose it (a street's
    /// working committee over a community's committee), in tree order of creation.
    pub async fn orgs(&self, f: &OrgFilter) -> Result<Vec<OrgRow>, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE 1 = 1");
        if let Some(a) = &f.area {
            sql.push(" AND (o.area_code LIKE ")
                .bind(Arg::Text(inside(a)));
            // The enclosing areas' organisations: the street's and district's codes.
            let mut up = a.parent();
            while let Some(p) = up {
                sql.push(" OR o.area_code = ")
                    .bind(Arg::Text(p.to_string()));
                up = p.parent();
            }
            sql.push(")");
        }
        if !f.include_dissolved {
            sql.push(" AND o.dissolved_on IS NULL");
        }
        sql.push(" ORDER BY o.id LIMIT 20000");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(org_row).collect()
    }
}
