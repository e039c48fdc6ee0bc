//! What hangs off a case besides its events: photos (files under the data dir, described here)
//! and the search for nearby open cases of the same category (possible duplicates).

use crate::db::Store;
use crate::error::StoreError;
use crate::{CaseRow, Millis};
use serde::Serialize;
use sqlx::Row;

#[derive(Clone, Debug, Serialize)]
pub struct PhotoRow {
    pub id: i64,
    pub case_id: i64,
    /// The timeline entry the photo belongs to.
    pub event_seq: i64,
    #[serde(skip)]
    pub path: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
}

/// A photo already written to disk, to be recorded as evidence of the step written with it
/// (`CaseChange::photos`): a handler's after-photos land with the report-back itself.
#[derive(Clone, Debug)]
pub struct NewPhoto {
    pub path: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
}

/// Records `photos` against event `seq` of the case inside the caller's transaction; refuses
/// past `max` photos on the case, so the whole change is refused with them.
pub(crate) async fn insert_photos<X: crate::exec::Exec>(
    x: &mut X,
    case_id: i64,
    seq: i64,
    photos: &[NewPhoto],
    max: i64,
) -> Result<(), StoreError> {
    use crate::exec::Cols;
    use crate::sql::{Arg, Sql};
    if photos.is_empty() {
        return Ok(());
    }
    let mut q = Sql::new("SELECT COUNT(*) AS n FROM case_photos WHERE case_id = ");
    q.bind(Arg::Int(case_id));
    let count = x.fetch_one(&q).await?.int("n")?;
    if count + photos.len() as i64 > max {
        return Err(StoreError::Conflict {
            code: "too_many_photos",
            zh: format!("每个案件最多{max}张照片（已有{count}张）"),
            en: format!("at most {max} photos per case ({count} already)"),
        });
    }
    let mut q =
        Sql::new("INSERT INTO case_photos (case_id, event_seq, path, mime, size, sha256) VALUES ");
    q.values(photos.iter().map(|p| {
        vec![
            Arg::Int(case_id),
            Arg::Int(seq),
            Arg::Text(p.path.clone()),
            Arg::Text(p.mime.clone()),
            Arg::Int(p.size),
            Arg::Text(p.sha256.clone()),
        ]
    }));
    x.execute(&q).await?;
    Ok(())
}

fn photo_row(r: &sqlx::any::AnyRow) -> Result<PhotoRow, StoreError> {
    Ok(PhotoRow {
        id: r.try_get("id")?,
        case_id: r.try_get("case_id")?,
        event_seq: r.try_get("event_seq")?,
        path: r.try_get("path")?,
        mime: r.try_get("mime")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
    })
}

impl Store {
    /// Records a stored photo against the case's latest event; refuses past `max` photos.
    pub async fn add_case_photo(
        &self,
        case_id: i64,
        path: &str,
        mime: &str,
        size: i64,
        sha256: &str,
        max: i64,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM case_photos WHERE case_id = $1")
            .bind(case_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        if count >= max {
            return Err(StoreError::Conflict {
                code: "too_many_photos",
                zh: format!("每个案件最多{max}张照片"),
                en: format!("at most {max} photos per case"),
            });
        }
        let seq: i64 =
            sqlx::query("SELECT COALESCE(MAX(seq), 0) AS s FROM case_events WHERE case_id = $1")
                .bind(case_id)
                .fetch_one(&mut *tx)
                .await?
                .try_get("s")?;
        let id: i64 = sqlx::query(
            "INSERT INTO case_photos (case_id, event_seq, path, mime, size, sha256) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(case_id)
        .bind(seq)
        .bind(path)
        .bind(mime)
        .bind(size)
        .bind(sha256)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn case_photos(&self, case_id: i64) -> Result<Vec<PhotoRow>, StoreError> {
        let rows = sqlx::query("SELECT id, case_id, event_seq, path, mime, size, sha256 FROM case_photos WHERE case_id = $1 ORDER BY id")
            .bind(case_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(photo_row).collect()
    }

    pub async fn case_photo(&self, id: i64) -> Result<Option<PhotoRow>, StoreError> {
        let row = sqlx::query("SELECT id, case_id, event_seq, path, mime, size, sha256 FROM case_photos WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(photo_row).transpose()
    }

    /// Open cases of `category` reported since `since` inside the box `(west, south, east, north)`.
    pub async fn open_cases_near(
        &self,
        category: &str,
        bbox: (f64, f64, f64, f64),
        since: Millis,
    ) -> Result<Vec<CaseRow>, StoreError> {
        let (w, s, e, n) = bbox;
        let ids: Vec<i64> = sqlx::query(
            "SELECT id FROM cases WHERE category_code = $1 AND reported_at >= $2 AND lon BETWEEN $3 AND $4 AND lat BETWEEN $5 AND $6
             AND state NOT IN ('closed', 'rated', 'cancelled', 'merged') ORDER BY reported_at DESC LIMIT 20",
        )
        .bind(category)
        .bind(since)
        .bind(w)
        .bind(e)
        .bind(s)
        .bind(n)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // One read for all candidates rather than one per candidate.
        let filter = crate::CaseFilter {
            limit: ids.len() as i64,
            newest_first: true,
            ids,
            ..Default::default()
        };
        self.cases(&filter).await
    }
}
