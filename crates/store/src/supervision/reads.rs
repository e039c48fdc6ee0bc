//! Supervision orders as the board, an order's page and the clock job read them; the item an
//! order is on; the open accountability suggestions.

use super::rows::{
    SuggestionRow, SupervisedItem, SupervisionFilter, SupervisionHistoryRow, SupervisionRow,
};
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_domain::supervision::{OrderStatus, Stage, SupervisedKind};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

const ORDER_SELECT: &str = "SELECT o.id, o.subject_kind, o.subject_id, o.subject_label,
    o.place_code, COALESCE(pa.name, o.place_code) AS place_name, o.unit_kind, o.unit_code,
    COALESCE(d.name, ua.name, o.unit_code) AS unit_name, o.demand, o.working, o.days,
    o.issued_at, o.warn_at, o.due_at, o.notice_at, o.suggest_at, o.stage, o.status,
    o.acknowledged_at, o.answered_at, o.closed_at, o.issued_by_id, o.issued_by_name
    FROM supervision_orders o
    LEFT JOIN areas pa ON pa.code = o.place_code
    LEFT JOIN departments d ON o.unit_kind = 'department' AND d.code = o.unit_code
    LEFT JOIN areas ua ON o.unit_kind = 'area' AND ua.code = o.unit_code
    WHERE 1 = 1";

fn area_col(r: &AnyRow, col: &str) -> Result<AreaCode, StoreError> {
    let s: String = r.try_get(col)?;
    AreaCode::parse(&s).map_err(|e| StoreError::corrupt(format!("{col} {s}: {e}")))
}

fn kind_col(r: &AnyRow) -> Result<SupervisedKind, StoreError> {
    let s: String = r.try_get("subject_kind")?;
    SupervisedKind::parse(&s).ok_or_else(|| StoreError::corrupt(format!("supervised kind {s}")))
}

pub(super) fn stage_of(s: &str) -> Result<Stage, StoreError> {
    Stage::parse(s).ok_or_else(|| StoreError::corrupt(format!("supervision stage {s}")))
}

pub(super) fn status_of(s: &str) -> Result<OrderStatus, StoreError> {
    OrderStatus::parse(s).ok_or_else(|| StoreError::corrupt(format!("supervision status {s}")))
}

fn order_row(r: &AnyRow) -> Result<SupervisionRow, StoreError> {
    let stage: String = r.try_get("stage")?;
    let status: String = r.try_get("status")?;
    let working: i64 = r.try_get("working")?;
    Ok(SupervisionRow {
        id: r.try_get("id")?,
        kind: kind_col(r)?,
        subject_id: r.try_get("subject_id")?,
        subject_label: r.try_get("subject_label")?,
        place: area_col(r, "place_code")?,
        place_name: r.try_get("place_name")?,
        unit_kind: r.try_get("unit_kind")?,
        unit_code: r.try_get("unit_code")?,
        unit_name: r.try_get("unit_name")?,
        demand: r.try_get("demand")?,
        working: working != 0,
        days: r.try_get("days")?,
        issued_at: r.try_get("issued_at")?,
        warn_at: r.try_get("warn_at")?,
        due_at: r.try_get("due_at")?,
        notice_at: r.try_get("notice_at")?,
        suggest_at: r.try_get("suggest_at")?,
        stage: stage_of(&stage)?,
        status: status_of(&status)?,
        acknowledged_at: r.try_get("acknowledged_at")?,
        answered_at: r.try_get("answered_at")?,
        closed_at: r.try_get("closed_at")?,
        issued_by_id: r.try_get("issued_by_id")?,
        issued_by_name: r.try_get("issued_by_name")?,
    })
}

impl SupervisionFilter {
    fn apply(&self, sql: &mut Sql) {
        if let Some(a) = &self.area {
            sql.push(" AND o.place_code LIKE ")
                .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
        }
        if let Some(d) = &self.department {
            sql.push(" AND o.unit_kind = 'department' AND o.unit_code = ")
                .bind(Arg::Text(d.clone()));
        }
        if let Some(k) = self.kind {
            sql.push(" AND o.subject_kind = ")
                .bind(Arg::Text(k.as_str().into()));
        }
        if let Some(s) = self.stage {
            sql.push(" AND o.stage = ")
                .bind(Arg::Text(s.as_str().into()));
        }
        if let Some(s) = self.status {
            sql.push(" AND o.status = ")
                .bind(Arg::Text(s.as_str().into()));
        }
        if self.open {
            sql.push(" AND o.status <> 'closed'");
        }
        if let Some(u) = &self.unit {
            sql.push(" AND o.unit_code = ").bind(Arg::Text(u.clone()));
        }
        if let Some(k) = self.unit_kind {
            sql.push(" AND o.unit_kind = ").bind(Arg::Text(k.into()));
        }
        if let Some(now) = self.overdue_at {
            sql.push(" AND o.status = 'open' AND o.due_at <= ")
                .bind(Arg::Int(now));
        }
        if let Some((k, id)) = self.subject {
            sql.push(" AND o.subject_kind = ")
                .bind(Arg::Text(k.as_str().into()))
                .push(" AND o.subject_id = ")
                .bind(Arg::Int(id));
        }
    }
}

/// The item `id` of `kind` with its place and department; `None` when there is no such item
/// (or a resolution item that is not a task: a case item is supervised as its case).
pub(crate) async fn item_on(
    conn: &mut AnyConnection,
    kind: SupervisedKind,
    id: i64,
) -> Result<Option<SupervisedItem>, StoreError> {
    let sql = match kind {
        SupervisedKind::Case => {
            "SELECT ticket AS label, community_code AS place, grid_code AS grid,
             department_code AS dept FROM cases WHERE id = $1"
        }
        SupervisedKind::Task => {
            "SELECT i.description AS label, r.community_code AS place, NULL AS grid,
             NULL AS dept FROM resolution_items i JOIN resolutions r ON r.id = i.resolution_id
             WHERE i.id = $1 AND i.kind = 'task'"
        }
        SupervisedKind::Commitment => {
            "SELECT m.title AS label, k.community_code AS place, NULL AS grid,
             k.department_code AS dept FROM cobuild_commitments m
             JOIN cobuild_contracts k ON k.id = m.contract_id WHERE m.id = $1"
        }
        SupervisedKind::Project => {
            "SELECT name AS label, area_code AS place, NULL AS grid, department_code AS dept
             FROM livelihood_projects WHERE id = $1"
        }
    };
    let Some(r) = sqlx::query(sql).bind(id).fetch_optional(&mut *conn).await? else {
        return Ok(None);
    };
    let place: Option<String> = r.try_get("place")?;
    let grid: Option<String> = r.try_get("grid")?;
    let place = match (place, grid) {
        (Some(p), _) => AreaCode::parse(&p).ok(),
        (None, Some(g)) => GridCode::parse(&g).ok().map(|g| g.community()),
        (None, None) => None,
    };
    // A case reported nowhere on the map has no place to supervise it at.
    let Some(place) = place else {
        return Ok(None);
    };
    let label: String = r.try_get("label")?;
    Ok(Some(SupervisedItem {
        kind,
        id,
        label: label.chars().take(80).collect(),
        place,
        department: r.try_get("dept")?,
    }))
}

impl Store {
    /// The item an order would be on, for the server to ask the policy about its place.
    pub async fn supervised_item(
        &self,
        kind: SupervisedKind,
        id: i64,
    ) -> Result<Option<SupervisedItem>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        item_on(&mut conn, kind, id).await
    }

    /// Open cases inside `area` held by a department, oldest first: what the demo supervises.
    pub async fn supervisable_cases(
        &self,
        area: &AreaCode,
        limit: i64,
    ) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT id FROM cases WHERE department_code IS NOT NULL AND closed_at IS NULL
             AND community_code LIKE $1 ORDER BY id LIMIT $2",
        )
        .bind(format!("{}%", crate::geo_data::area_prefix(area)))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    pub async fn supervision(&self, id: i64) -> Result<Option<SupervisionRow>, StoreError> {
        let mut sql = Sql::new(ORDER_SELECT);
        sql.push(" AND o.id = ").bind(Arg::Int(id));
        let row = sql.query(self.backend).fetch_optional(&self.pool).await?;
        row.as_ref().map(order_row).transpose()
    }

    /// Orders in the filter, the soonest due first, at most `limit`.
    pub async fn supervisions(
        &self,
        f: &SupervisionFilter,
        limit: i64,
    ) -> Result<Vec<SupervisionRow>, StoreError> {
        let mut sql = Sql::new(ORDER_SELECT);
        f.apply(&mut sql);
        sql.push(" ORDER BY o.due_at, o.id LIMIT ")
            .bind(Arg::Int(limit));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(order_row).collect()
    }

    pub async fn count_supervisions(&self, f: &SupervisionFilter) -> Result<i64, StoreError> {
        let mut sql = Sql::new("SELECT COUNT(*) AS n FROM supervision_orders o WHERE 1 = 1");
        f.apply(&mut sql);
        Ok(sql
            .query(self.backend)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }

    /// The ids of open orders whose next clock point has come at `now`, at most `limit`.
    pub async fn supervisions_due(&self, now: i64, limit: i64) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT id FROM supervision_orders WHERE next_at IS NOT NULL AND next_at <= $1
             ORDER BY next_at, id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    /// An order's history, oldest first.
    pub async fn supervision_history(
        &self,
        id: i64,
    ) -> Result<Vec<SupervisionHistoryRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, kind, note, by_name, at FROM supervision_history WHERE order_id = $1
             ORDER BY at, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SupervisionHistoryRow {
                    id: r.try_get("id")?,
                    kind: r.try_get("kind")?,
                    note: r.try_get("note")?,
                    by_name: r.try_get("by_name")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }

    /// The open accountability suggestions (建议问责) on orders inside `area` (all when
    /// `None`), the oldest first: what the supervisor turns into misconduct reports.
    pub async fn open_accountability_suggestions(
        &self,
        area: Option<&AreaCode>,
    ) -> Result<Vec<SuggestionRow>, StoreError> {
        self.suggestions(area, None).await
    }

    /// One open accountability suggestion, if it is still open.
    pub async fn open_accountability_suggestion(
        &self,
        id: i64,
    ) -> Result<Option<SuggestionRow>, StoreError> {
        Ok(self.suggestions(None, Some(id)).await?.into_iter().next())
    }

    async fn suggestions(
        &self,
        area: Option<&AreaCode>,
        id: Option<i64>,
    ) -> Result<Vec<SuggestionRow>, StoreError> {
        let mut sql = Sql::new(
            "SELECT s.id, s.order_id, s.unit_kind, s.unit_code,
             COALESCE(d.name, ua.name, s.unit_code) AS unit_name, s.place_code, o.subject_kind,
             o.subject_label, s.evidence, s.since, s.report_id, s.closed_at
             FROM accountability_suggestions s
             JOIN supervision_orders o ON o.id = s.order_id
             LEFT JOIN departments d ON s.unit_kind = 'department' AND d.code = s.unit_code
             LEFT JOIN areas ua ON s.unit_kind = 'area' AND ua.code = s.unit_code
             WHERE s.closed_at IS NULL AND s.report_id IS NULL",
        );
        if let Some(a) = area {
            sql.push(" AND s.place_code LIKE ")
                .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
        }
        if let Some(id) = id {
            sql.push(" AND s.id = ").bind(Arg::Int(id));
        }
        sql.push(" ORDER BY s.since, s.id");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(SuggestionRow {
                    id: r.try_get("id")?,
                    order_id: r.try_get("order_id")?,
                    unit_kind: r.try_get("unit_kind")?,
                    unit_code: r.try_get("unit_code")?,
                    unit_name: r.try_get("unit_name")?,
                    place: area_col(r, "place_code")?,
                    subject_kind: kind_col(r)?,
                    subject_label: r.try_get("subject_label")?,
                    evidence: r.try_get("evidence")?,
                    since: r.try_get("since")?,
                    report_id: r.try_get("report_id")?,
                    closed_at: r.try_get("closed_at")?,
                })
            })
            .collect()
    }
}
