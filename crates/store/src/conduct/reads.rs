//! Reports as lists, a report's page and the reporter's lookup read them; the reporter's
//! identity only through `misconduct_reporter`, which writes the audit log first.

use super::rows::{
    ActionRecord, InvestigatorRow, MisconductEvidenceRow, MisconductFilter, MisconductReportRow,
    ReporterIdentity,
};
use crate::audit::Actor;
use crate::db::Store;
use crate::error::StoreError;
use crate::pii::PiiField;
use crate::red_grid::{date_col, opt_date_col};
use crate::sql::{Arg, Sql};
use gongzhi_domain::calendar::{Date, start_of};
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::conduct::{
    AccountabilityAction, Conclusion, HandledAction, ReportChannel, ReportFact, ReportState,
    ReportedUnit,
};
use sqlx::Row;

const DAY_MS: i64 = 24 * 3600 * 1000;

const REPORT_SELECT: &str =
    "SELECT r.id, r.category_code, COALESCE(mc.name_zh, r.category_code) AS category_name,
    r.area_code, COALESCE(a.name, r.area_code) AS area_name, r.unit_kind, r.unit_code,
    COALESCE(d.name, ua.name, r.unit_code) AS unit_name, r.official, r.description, r.occurred_on,
    r.channel, r.state, r.conclusion, r.dismiss_reason, r.findings, r.public_text, r.has_reporter,
    r.signal_key, r.filed_by_id, r.filed_by_name, r.received_at, r.updated_at, r.concluded_at
    FROM misconduct_reports r
    LEFT JOIN misconduct_categories mc ON mc.code = r.category_code
    LEFT JOIN areas a ON a.code = r.area_code
    LEFT JOIN departments d ON r.unit_kind = 'department' AND d.code = r.unit_code
    LEFT JOIN areas ua ON r.unit_kind = 'area' AND ua.code = r.unit_code
    WHERE 1 = 1";

fn unit_col(r: &sqlx::any::AnyRow) -> Result<ReportedUnit, StoreError> {
    let k: String = r.try_get("unit_kind")?;
    let c: String = r.try_get("unit_code")?;
    ReportedUnit::of(&k, &c).ok_or_else(|| StoreError::corrupt(format!("unit {k}:{c}")))
}

fn report_row(r: &sqlx::any::AnyRow) -> Result<MisconductReportRow, StoreError> {
    let area: String = r.try_get("area_code")?;
    let channel: String = r.try_get("channel")?;
    let state: String = r.try_get("state")?;
    let conclusion: Option<String> = r.try_get("conclusion")?;
    let has: i64 = r.try_get("has_reporter")?;
    Ok(MisconductReportRow {
        id: r.try_get("id")?,
        category: r.try_get("category_code")?,
        category_name: r.try_get("category_name")?,
        area: AreaCode::parse(&area).map_err(|e| StoreError::corrupt(format!("area {e}")))?,
        area_name: r.try_get("area_name")?,
        unit: unit_col(r)?,
        unit_name: r.try_get("unit_name")?,
        official: r.try_get("official")?,
        description: r.try_get("description")?,
        occurred_on: opt_date_col(r, "occurred_on")?,
        channel: ReportChannel::parse(&channel)
            .ok_or_else(|| StoreError::corrupt(format!("channel {channel}")))?,
        state: ReportState::parse(&state)
            .ok_or_else(|| StoreError::corrupt(format!("report state {state}")))?,
        conclusion: conclusion.as_deref().and_then(Conclusion::parse),
        dismiss_reason: r.try_get("dismiss_reason")?,
        findings: r.try_get("findings")?,
        public_text: r.try_get("public_text")?,
        has_reporter: has == 1,
        signal_key: r.try_get("signal_key")?,
        filed_by_id: r.try_get("filed_by_id")?,
        filed_by_name: r.try_get("filed_by_name")?,
        received_at: r.try_get("received_at")?,
        updated_at: r.try_get("updated_at")?,
        concluded_at: r.try_get("concluded_at")?,
    })
}

impl MisconductFilter {
    fn apply(&self, sql: &mut Sql) {
        if let Some(a) = &self.area {
            sql.push(" AND r.area_prefix LIKE ")
                .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
        }
        if let Some(f) = self.filed_by {
            sql.push(" AND r.filed_by_id = ").bind(Arg::Int(f));
        }
        if let Some(i) = self.investigator {
            sql.push(
                " AND r.id IN (SELECT report_id FROM misconduct_investigators WHERE account_id = ",
            )
            .bind(Arg::Int(i))
            .push(")");
        }
        if let Some(s) = self.state {
            sql.push(" AND r.state = ")
                .bind(Arg::Text(s.as_str().into()));
        }
        if let Some(c) = &self.category {
            sql.push(" AND r.category_code = ")
                .bind(Arg::Text(c.clone()));
        }
        if let Some(c) = self.channel {
            sql.push(" AND r.channel = ")
                .bind(Arg::Text(c.as_str().into()));
        }
        if let Some(q) = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let q = format!("%{}%", q.replace(['%', '_', '\\'], ""));
            sql.push(" AND (r.description LIKE ")
                .bind(Arg::Text(q.clone()))
                .push(" OR r.official LIKE ")
                .bind(Arg::Text(q))
                .push(")");
        }
        if let Some(d) = self.from {
            sql.push(" AND r.received_at >= ")
                .bind(Arg::Int(start_of(d)));
        }
        if let Some(d) = self.until {
            sql.push(" AND r.received_at < ")
                .bind(Arg::Int(start_of(d) + DAY_MS));
        }
    }
}

impl Store {
    pub async fn misconduct_report(
        &self,
        id: i64,
    ) -> Result<Option<MisconductReportRow>, StoreError> {
        let mut sql = Sql::new(REPORT_SELECT);
        sql.push(" AND r.id = ").bind(Arg::Int(id));
        let row = sql.query(self.backend).fetch_optional(&self.pool).await?;
        row.as_ref().map(report_row).transpose()
    }

    /// Reports in the filter, newest first, at most `limit`.
    pub async fn misconduct_reports(
        &self,
        f: &MisconductFilter,
        limit: i64,
    ) -> Result<Vec<MisconductReportRow>, StoreError> {
        let mut sql = Sql::new(REPORT_SELECT);
        f.apply(&mut sql);
        sql.push(" ORDER BY r.received_at DESC, r.id DESC LIMIT ")
            .bind(Arg::Int(limit));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(report_row).collect()
    }

    pub async fn count_misconduct_reports(&self, f: &MisconductFilter) -> Result<i64, StoreError> {
        let mut sql = Sql::new("SELECT COUNT(*) AS n FROM misconduct_reports r WHERE 1 = 1");
        f.apply(&mut sql);
        Ok(sql
            .query(self.backend)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }

    /// The report of a public reporter's lookup code (none for text that is no code).
    pub async fn misconduct_report_by_lookup(
        &self,
        code: &str,
    ) -> Result<Option<MisconductReportRow>, StoreError> {
        let Some(hash) = crate::lookup_digest(&self.pii, code) else {
            return Ok(None);
        };
        let mut sql = Sql::new(REPORT_SELECT);
        sql.push(" AND r.lookup_hash = ").bind(Arg::Bytes(hash));
        let row = sql.query(self.backend).fetch_optional(&self.pool).await?;
        row.as_ref().map(report_row).transpose()
    }

    pub async fn misconduct_investigators(
        &self,
        id: i64,
    ) -> Result<Vec<InvestigatorRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT account_id, account_name, assigned_at FROM misconduct_investigators
             WHERE report_id = $1 ORDER BY assigned_at, account_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(InvestigatorRow {
                    account_id: r.try_get("account_id")?,
                    name: r.try_get("account_name")?,
                    assigned_at: r.try_get("assigned_at")?,
                })
            })
            .collect()
    }

    pub async fn misconduct_evidence(
        &self,
        id: i64,
    ) -> Result<Vec<MisconductEvidenceRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, note, file_name, file_path, file_mime, file_size, file_sha256, by_name, at
             FROM misconduct_evidence WHERE report_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(MisconductEvidenceRow {
                    id: r.try_get("id")?,
                    note: r.try_get("note")?,
                    file_name: r.try_get("file_name")?,
                    file_path: r.try_get("file_path")?,
                    file_mime: r.try_get("file_mime")?,
                    file_size: r.try_get("file_size")?,
                    file_sha256: r.try_get("file_sha256")?,
                    by_name: r.try_get("by_name")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }

    /// Accountability actions: of one report, or (with `report: None`) of every report in the
    /// filter's area decided in its period.
    pub async fn accountability_actions(
        &self,
        report: Option<i64>,
        area: Option<&AreaCode>,
        from: Option<Date>,
        until: Option<Date>,
    ) -> Result<Vec<ActionRecord>, StoreError> {
        let mut sql = Sql::new(
            "SELECT x.id, x.report_id, x.action, x.sanction, x.official_post, x.unit_kind,
             x.unit_code, COALESCE(d.name, ua.name, x.unit_code) AS unit_name, x.decided_on,
             x.basis, r.category_code, x.by_name, x.at
             FROM misconduct_actions x JOIN misconduct_reports r ON r.id = x.report_id
             LEFT JOIN departments d ON x.unit_kind = 'department' AND d.code = x.unit_code
             LEFT JOIN areas ua ON x.unit_kind = 'area' AND ua.code = x.unit_code
             WHERE 1 = 1",
        );
        if let Some(id) = report {
            sql.push(" AND x.report_id = ").bind(Arg::Int(id));
        }
        if let Some(a) = area {
            sql.push(" AND r.area_prefix LIKE ")
                .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
        }
        if let Some(d) = from {
            sql.push(" AND x.decided_on >= ")
                .bind(Arg::Text(d.to_string()));
        }
        if let Some(d) = until {
            sql.push(" AND x.decided_on <= ")
                .bind(Arg::Text(d.to_string()));
        }
        sql.push(" ORDER BY x.decided_on DESC, x.id DESC");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let action: String = r.try_get("action")?;
                Ok(ActionRecord {
                    id: r.try_get("id")?,
                    report_id: r.try_get("report_id")?,
                    action: AccountabilityAction::parse(&action)
                        .ok_or_else(|| StoreError::corrupt(format!("action {action}")))?,
                    sanction: r.try_get("sanction")?,
                    official_post: r.try_get("official_post")?,
                    unit: unit_col(r)?,
                    unit_name: r.try_get("unit_name")?,
                    decided_on: date_col(r, "decided_on")?,
                    basis: r.try_get("basis")?,
                    category: r.try_get("category_code")?,
                    by_name: r.try_get("by_name")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }

    /// The facts the statistics count: reports received in the period (category, unit,
    /// substantiated) and actions decided in it (action, unit), in the area.
    pub async fn misconduct_facts(
        &self,
        area: Option<&AreaCode>,
        from: Option<Date>,
        until: Option<Date>,
    ) -> Result<(Vec<ReportFact>, Vec<HandledAction>), StoreError> {
        let f = MisconductFilter {
            area: area.copied(),
            from,
            until,
            ..Default::default()
        };
        let mut sql = Sql::new(
            "SELECT r.category_code, r.unit_kind, r.unit_code, r.conclusion FROM misconduct_reports r WHERE 1 = 1",
        );
        f.apply(&mut sql);
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        let mut reports = Vec::with_capacity(rows.len());
        for r in &rows {
            let kind: String = r.try_get("unit_kind")?;
            let code: String = r.try_get("unit_code")?;
            let c: Option<String> = r.try_get("conclusion")?;
            reports.push(ReportFact {
                category: r.try_get("category_code")?,
                unit: format!("{kind}:{code}"),
                substantiated: c.as_deref() == Some(Conclusion::Substantiated.as_str()),
            });
        }
        let actions = self
            .accountability_actions(None, area, from, until)
            .await?
            .into_iter()
            .map(|a| HandledAction {
                action: a.action,
                unit: format!("{}:{}", a.unit.kind(), a.unit.code()),
            })
            .collect();
        Ok((reports, actions))
    }

    /// The reporter's identity of report `id`. The read is written to the audit log before
    /// anything is returned, shown or withheld: `shown` says whether the reader is an assigned
    /// investigator (the domain's `may_see_reporter`); withheld, nothing is decrypted.
    pub async fn misconduct_reporter(
        &self,
        id: i64,
        reader: &Actor<'_>,
        shown: bool,
    ) -> Result<Option<ReporterIdentity>, StoreError> {
        let row = sqlx::query(
            "SELECT has_reporter, reporter_name_enc, reporter_phone_enc FROM misconduct_reports WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("举报 {id}"), format!("report {id}")))?;
        let has: i64 = row.try_get("has_reporter")?;
        if has != 1 {
            return Ok(None);
        }
        let (action, detail) = if shown {
            (
                "misconduct_reporter_read",
                "shown to an assigned investigator",
            )
        } else {
            (
                "misconduct_reporter_withheld",
                "withheld: not an assigned investigator",
            )
        };
        let mut tx = self.write_tx().await?;
        reader
            .record(&mut tx, action, &format!("misconduct/{id}"), detail)
            .await?;
        tx.commit().await?;
        if !shown {
            return Ok(None);
        }
        let open = |field: PiiField, col: &str| -> Result<Option<String>, StoreError> {
            let sealed: Option<Vec<u8>> = row.try_get(col)?;
            sealed
                .map(|s| {
                    self.pii
                        .decrypt(field, &s)
                        .map_err(|e| StoreError::corrupt(format!("reporter {col}: {e}")))
                })
                .transpose()
        };
        Ok(Some(ReporterIdentity {
            name: open(PiiField::ReporterName, "reporter_name_enc")?.unwrap_or_default(),
            phone: open(PiiField::ReporterPhone, "reporter_phone_enc")?,
        }))
    }
}
