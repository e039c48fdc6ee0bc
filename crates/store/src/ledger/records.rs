//! Records outside cases on the log: party organisations, members, household links, visits and
//! assessments. Each create or modify event is a `record_events` row, written by the module's
//! own transaction together with its pending log entry, exactly as a case event is; the entry is
//! a `ledger_entries` row with `case_id` [`RECORD_STREAM`] and `case_seq` the event's id.

use super::entry::{self, EntrySource};
use super::{Underivable, to_u64};
use crate::Millis;
use crate::error::StoreError;
use serde::Serialize;
use sqlx::{AnyConnection, Row};

/// The `case_id` of record entries: case ids start at 1.
pub(crate) const RECORD_STREAM: i64 = 0;

/// One event of a record, to be logged: `subject` names the record (`party_org/12`,
/// `household_link/40`), `payload` is a JSON object whose fields are hashed on the log unless
/// they are ids, codes or counts (`entry::RECORD_CLEAR_FIELDS`).
#[derive(Clone, Debug)]
pub struct RecordEvent<'a> {
    pub subject: String,
    pub kind: &'a str,
    pub payload: serde_json::Value,
    pub actor_id: Option<i64>,
    pub actor_name: &'a str,
    pub at: Millis,
}

/// A stored record event, for a record's history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordEventRow {
    pub id: i64,
    pub subject: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub actor_name: String,
    pub at: Millis,
    /// The log index once integrated.
    pub index: Option<u64>,
}

fn entry_error(e: entry::EntryError) -> StoreError {
    StoreError::Conflict {
        code: "ledger_entry_invalid",
        zh: format!("无法生成账本记录：{e}"),
        en: format!("cannot build the ledger entry: {e}"),
    }
}

/// Writes the event and its pending log entry on `conn`, inside the caller's transaction;
/// returns the event's id.
pub async fn append_record(
    conn: &mut AnyConnection,
    ev: &RecordEvent<'_>,
) -> Result<i64, StoreError> {
    let mut payload = ev.payload.clone();
    if !payload.is_object() {
        payload = serde_json::json!({ "value": payload });
    }
    let text = payload.to_string();
    let id: i64 = sqlx::query(
        "INSERT INTO record_events (subject, kind, payload, actor_id, actor_name, at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&ev.subject)
    .bind(ev.kind)
    .bind(&text)
    .bind(ev.actor_id)
    .bind(ev.actor_name)
    .bind(ev.at)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    let salt = entry::new_salt();
    let src = EntrySource {
        ticket: &ev.subject,
        seq: id,
        kind: ev.kind,
        payload: &text,
        actor_id: ev.actor_id,
        actor_name: ev.actor_name,
        at: ev.at,
        report: None,
        record: true,
    };
    let bytes = super::packed::pack(&entry::build_entry(&src, &salt).map_err(entry_error)?);
    sqlx::query(
        "INSERT INTO ledger_entries (case_id, case_seq, entry, salt, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(RECORD_STREAM)
    .bind(id)
    .bind(bytes.as_slice())
    .bind(salt.as_slice())
    .bind(crate::now_millis())
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// [`append_record`] on the case write path's executor (decision 011): a record event written
/// in the same transaction as a case, on SQLite's writer thread or on sqlx.
pub(crate) async fn append_record_x<X: crate::exec::Exec>(
    x: &mut X,
    ev: &RecordEvent<'_>,
) -> Result<i64, StoreError> {
    use crate::exec::Cols;
    use crate::sql::{Arg, Sql};
    let mut payload = ev.payload.clone();
    if !payload.is_object() {
        payload = serde_json::json!({ "value": payload });
    }
    let text = payload.to_string();
    let mut q = Sql::new(
        "INSERT INTO record_events (subject, kind, payload, actor_id, actor_name, at) VALUES (",
    );
    q.bind(Arg::Text(ev.subject.clone()))
        .push(", ")
        .bind(Arg::Text(ev.kind.to_string()))
        .push(", ")
        .bind(Arg::Text(text.clone()))
        .push(", ")
        .bind(Arg::OptInt(ev.actor_id))
        .push(", ")
        .bind(Arg::Text(ev.actor_name.to_string()))
        .push(", ")
        .bind(Arg::Int(ev.at))
        .push(") RETURNING id");
    let id = x.fetch_one(&q).await?.int("id")?;
    let salt = entry::new_salt();
    let src = EntrySource {
        ticket: &ev.subject,
        seq: id,
        kind: ev.kind,
        payload: &text,
        actor_id: ev.actor_id,
        actor_name: ev.actor_name,
        at: ev.at,
        report: None,
        record: true,
    };
    let bytes = entry::build_entry(&src, &salt).map_err(entry_error)?;
    let mut q = Sql::new(
        "INSERT INTO ledger_entries (case_id, case_seq, entry, salt, created_at) VALUES (",
    );
    q.bind(Arg::Int(RECORD_STREAM))
        .push(", ")
        .bind(Arg::Int(id))
        .push(", ")
        .bind(Arg::Bytes(super::packed::pack(&bytes)))
        .push(", ")
        .bind(Arg::Bytes(salt.to_vec()))
        .push(", ")
        .bind(Arg::Int(crate::now_millis()))
        .push(")");
    x.execute(&q).await?;
    Ok(id)
}

/// The entry the stored record event of a `DERIVE_COLUMNS` row gives under the stored salt.
pub(super) fn derive(
    r: &sqlx::any::AnyRow,
    subject: &str,
    seq: i64,
) -> Result<Result<Vec<u8>, Underivable>, StoreError> {
    let salt: Vec<u8> = r.try_get("salt")?;
    let kind: String = r.try_get("r_kind")?;
    let payload: String = r.try_get("r_payload")?;
    let actor_name: String = r.try_get("r_actor_name")?;
    let src = EntrySource {
        ticket: subject,
        seq,
        kind: &kind,
        payload: &payload,
        actor_id: r.try_get("r_actor_id")?,
        actor_name: &actor_name,
        at: r.try_get("r_at")?,
        report: None,
        record: true,
    };
    Ok(entry::build_entry(&src, &salt).map_err(|e| Underivable::Broken(e.to_string())))
}

impl crate::Store {
    /// The logged history of one record, oldest first.
    pub async fn record_events(&self, subject: &str) -> Result<Vec<RecordEventRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.id, r.subject, r.kind, r.payload, r.actor_name, r.at, l.idx
             FROM record_events r
             LEFT JOIN ledger_entries l ON l.case_id = 0 AND l.case_seq = r.id
             WHERE r.subject = $1 ORDER BY r.id",
        )
        .bind(subject)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let payload: String = r.try_get("payload")?;
                let idx: Option<i64> = r.try_get("idx")?;
                Ok(RecordEventRow {
                    id: r.try_get("id")?,
                    subject: r.try_get("subject")?,
                    kind: r.try_get("kind")?,
                    payload: serde_json::from_str(&payload)
                        .map_err(|e| StoreError::corrupt(format!("record event payload: {e}")))?,
                    actor_name: r.try_get("actor_name")?,
                    at: r.try_get("at")?,
                    index: idx.map(to_u64).transpose()?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pii::{MasterKey, PiiCipher};
    use gongzhi_testkit::{TestDb, backends};

    async fn log(store: &crate::Store, subject: &str, payload: serde_json::Value) -> i64 {
        let mut tx = store.write_tx().await.unwrap();
        let id = append_record(
            &mut tx,
            &RecordEvent {
                subject: subject.into(),
                kind: "created",
                payload,
                actor_id: Some(4),
                actor_name: "党委",
                at: 1_777_600_000_000,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// A record event is logged in its transaction, integrated like a case event, hashes its
    /// names and keeps its ids in clear, and the audit re-derives it — and sees it changed.
    #[tokio::test]
    async fn record_events_are_logged_and_audited() {
        for backend in backends() {
            let db = TestDb::new(backend).await;
            let store =
                crate::Store::open(&db.url, PiiCipher::new(&MasterKey::from_bytes([5; 32])))
                    .await
                    .unwrap();
            let id = log(
                &store,
                "party_org/1",
                serde_json::json!({"type": "created", "name": "养育巷社区党委", "org_level": "committee", "parent": null}),
            )
            .await;
            log(
                &store,
                "party_member/1",
                serde_json::json!({"name": "张三", "org": 1}),
            )
            .await;
            assert_eq!(store.ledger_integrate_pending(100).await.unwrap().size, 2);
            let events = store.record_events("party_org/1").await.unwrap();
            assert_eq!(
                (events.len(), events[0].id, events[0].index),
                (1, id, Some(0))
            );
            let (text,): (String,) = {
                let r = sqlx::query(
                    "SELECT entry FROM ledger_entries WHERE case_seq = $1 AND case_id = 0",
                )
                .bind(id)
                .fetch_one(&store.pool)
                .await
                .unwrap();
                let stored = r.try_get::<Vec<u8>, _>("entry").unwrap();
                (String::from_utf8(super::super::packed::unpack(&stored).unwrap()).unwrap(),)
            };
            assert!(text.contains(r#""case":"party_org/1""#), "{text}");
            assert!(text.contains(r#""org_level":"committee""#), "{text}");
            assert!(!text.contains("养育巷"), "{text}");
            let report = store.ledger_audit(&[]).await.unwrap();
            assert!(
                report
                    .problems
                    .iter()
                    .all(|p| p.kind == super::super::ProblemKind::NoCheckpoint),
                "{backend:?} {:?}",
                report.problems
            );
            assert_eq!(report.events, 2);

            sqlx::query("UPDATE record_events SET payload = $1 WHERE id = $2")
                .bind(r#"{"name":"别的名字","org_level":"committee","parent":null}"#)
                .bind(id)
                .execute(&store.pool)
                .await
                .unwrap();
            let report = store.ledger_audit(&[]).await.unwrap();
            let changed: Vec<_> = report
                .problems
                .iter()
                .filter(|p| p.kind == super::super::ProblemKind::EventChanged)
                .collect();
            assert_eq!(changed.len(), 1, "{:?}", report.problems);
            assert_eq!(changed[0].ticket.as_deref(), Some("party_org/1"));
        }
    }
}
