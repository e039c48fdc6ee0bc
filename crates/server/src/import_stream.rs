//! Sheet imports streamed into the store's bulk path (decision 046): one thread reads and checks
//! the file and prepares each row (references resolved, personal fields encrypted) while the
//! store writes the chunk before it. A bad row, a row outside the importer's area or an
//! unresolved reference stops the writing and rolls back everything written, and the reading
//! goes on to list every bad row, as before.

use crate::error::ApiError;
use crate::imports::{Region, report_error};
use axum::http::StatusCode;
use gongzhi_domain::access::Target;
use gongzhi_sheets::{Format, SheetRecord};
use gongzhi_store::records::{AreaRecord, BuildingRecord, HouseholdRecord, ResidentRecord};
use gongzhi_store::{BulkRecord, FEED_CHUNK, FEED_DEPTH, Feed, RowProblem, Store, StoreError};
use std::io::{Read, Seek};

/// What an importer's area must hold for a record of this kind to be written.
pub trait InRegion {
    /// The target to check and how to name it, or `None` when the kind is checked as a whole
    /// (population files: city-wide accounts only, by `import_allowed`).
    fn target(&self) -> Option<(Target, String)>;
}

impl InRegion for AreaRecord {
    fn target(&self) -> Option<(Target, String)> {
        Some((Target::Area(self.code), format!("区划 {}", self.code)))
    }
}

impl InRegion for BuildingRecord {
    fn target(&self) -> Option<(Target, String)> {
        None
    }
}

impl InRegion for HouseholdRecord {
    fn target(&self) -> Option<(Target, String)> {
        None
    }
}

impl InRegion for ResidentRecord {
    fn target(&self) -> Option<(Target, String)> {
        None
    }
}

/// Why the rows stopped: the first of a refused file's reasons that is not a bad cell.
enum Stop {
    Outside(ApiError),
    Unresolved(Vec<RowProblem>),
}

/// Parses, checks and writes one sheet of kind `R`; all or nothing. Returns the rows written.
pub async fn import_sheet<R>(
    store: &Store,
    region: Region<'_>,
    format: Format,
    input: impl Read + Seek + Send + 'static,
    mut progress: impl FnMut(usize, Option<usize>) + Send + 'static,
) -> Result<usize, ApiError>
where
    R: SheetRecord + BulkRecord + InRegion,
{
    let bulk = store.bulk::<R>().await?;
    let user = match region {
        Region::Anywhere => None,
        Region::Of(user) => Some(user.clone()),
    };
    let (feed, rows) = tokio::sync::mpsc::channel(FEED_DEPTH);
    let reading = tokio::task::spawn_blocking(move || {
        let region = user.as_ref().map_or(Region::Anywhere, Region::Of);
        let mut chunk = Vec::with_capacity(FEED_CHUNK);
        let mut stop: Option<Stop> = None;
        let mut feed = Some(feed);
        let parsed =
            gongzhi_sheets::parse_each::<R>(format, input, &mut progress, &mut |row, record| {
                if let Some((target, what)) = record.target()
                    && let Err(e) = region.check(row, target, &what)
                {
                    stop.get_or_insert(Stop::Outside(e));
                }
                // The store numbers a problem's row from its index as the rows after the header.
                match bulk.row(row.saturating_sub(2), &record) {
                    Ok(r) if stop.is_none() => chunk.push(r),
                    Ok(_) => {}
                    Err(p) => match &mut stop {
                        Some(Stop::Unresolved(all)) => all.push(p),
                        Some(Stop::Outside(_)) => {}
                        None => stop = Some(Stop::Unresolved(vec![p])),
                    },
                }
                if stop.is_some() {
                    // Dropping the sender rolls back what was written.
                    feed = None;
                    chunk.clear();
                } else if chunk.len() == FEED_CHUNK
                    && let Some(f) = &feed
                    && f.blocking_send(Feed::Rows(std::mem::take(&mut chunk)))
                        .is_err()
                {
                    // The writer failed: its error is the answer.
                    feed = None;
                }
            });
        if parsed.is_ok()
            && stop.is_none()
            && let Some(f) = feed
        {
            let _ = f
                .blocking_send(Feed::Rows(chunk))
                .and_then(|()| f.blocking_send(Feed::End));
        }
        (parsed, stop)
    });
    let written = store.write_bulk::<R>(rows).await;
    let (parsed, stop) = reading.await.map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "导入任务异常",
            format!("import task failed: {e}"),
        )
    })?;
    parsed.map_err(|report| report_error(&report))?;
    match stop {
        Some(Stop::Outside(e)) => return Err(e),
        Some(Stop::Unresolved(problems)) => return Err(StoreError::Rows(problems).into()),
        None => {}
    }
    Ok(written?)
}

/// The sheet kinds the bulk path streams; departments, a short list, are read whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Streamed {
    Areas,
    Buildings,
    Households,
    Residents,
}

impl Streamed {
    pub fn of(kind: gongzhi_sheets::Kind) -> Option<Streamed> {
        use gongzhi_sheets::Kind;
        match kind {
            Kind::Areas => Some(Streamed::Areas),
            Kind::Buildings => Some(Streamed::Buildings),
            Kind::Households => Some(Streamed::Households),
            Kind::Residents => Some(Streamed::Residents),
            Kind::Departments => None,
        }
    }
}

/// Streams a sheet of a kind the bulk path writes.
pub async fn import_kind(
    store: &Store,
    region: Region<'_>,
    kind: Streamed,
    format: Format,
    input: impl Read + Seek + Send + 'static,
    progress: impl FnMut(usize, Option<usize>) + Send + 'static,
) -> Result<usize, ApiError> {
    match kind {
        Streamed::Areas => import_sheet::<AreaRecord>(store, region, format, input, progress).await,
        Streamed::Buildings => {
            import_sheet::<BuildingRecord>(store, region, format, input, progress).await
        }
        Streamed::Households => {
            import_sheet::<HouseholdRecord>(store, region, format, input, progress).await
        }
        Streamed::Residents => {
            import_sheet::<ResidentRecord>(store, region, format, input, progress).await
        }
    }
}
