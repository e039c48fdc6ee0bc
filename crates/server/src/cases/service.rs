//! The edge of the application layer for the case handlers: they call `file` and `run`, which
//! run `crate::app`'s intake and command and turn its typed refusals into the one error shape.

use crate::app::{self, AppError, Routing};
use crate::error::{ApiError, ApiResult, RowError};
use crate::state::AppState;
use axum::http::StatusCode;
use gongzhi_domain::Bilingual;
use gongzhi_domain::calendar::CalendarError;
use gongzhi_domain::case::{Actor, Command, Refusal, RefusalKind};
use gongzhi_store::{CaseRow, EventActor};

pub use crate::app::{Filed, Report};

/// The domain's refusal as the API's error: who may not → 403, not in this state → 409,
/// a bad value → 422 naming the field.
pub fn refusal_error(r: &Refusal) -> ApiError {
    let status = match r.kind() {
        RefusalKind::Forbidden => StatusCode::FORBIDDEN,
        RefusalKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::CONFLICT,
    };
    ApiError::from_bilingual(status, r)
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::BadInput { field, zh, en } => ApiError::bad_request(field, zh, en),
            AppError::OutsideGrids => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "outside_grids",
                "该位置不在本市任何网格内，请在地图上重新选点",
                "that location is in no grid of this city; pick the place on the map again",
            ),
            AppError::EvidenceNotAllowed => {
                let mut e = ApiError::new(
                    StatusCode::FORBIDDEN,
                    "forbidden",
                    "只有参与处置该案件的人员可以上传照片",
                    "only those with a part in the case may add photos",
                );
                e.body.field = Some("photo".into());
                e
            }
            AppError::Refused(r) => refusal_error(&r),
            AppError::Conduct(c) => crate::conduct::conduct_error(c),
            AppError::Calendar(e) => calendar_error(&e),
            AppError::Store(s) => s.into(),
        }
    }
}

/// A refused schedule file as the API's error, with its line as the one bad row.
fn calendar_error(e: &CalendarError) -> ApiError {
    let mut err = ApiError::from_bilingual(StatusCode::UNPROCESSABLE_ENTITY, e);
    err.body.field = Some("file".into());
    if e.line > 0 {
        err.body.rows.push(RowError {
            row: e.line,
            column: e.column().into(),
            value: e.value(),
            message: e.message_zh(),
            message_en: e.message_en(),
        });
    }
    err
}

/// Files a report, dispatched by the rules when the server dispatches automatically.
pub async fn file(
    st: &AppState,
    who: &Actor,
    label: &EventActor,
    r: Report,
    now: i64,
) -> ApiResult<Filed> {
    Ok(app::intake(st, who, label, r, Routing::ByRules, now).await?)
}

/// Runs one command on a case. `version`, when given, must match (optimistic concurrency).
pub async fn run(
    st: &AppState,
    id: i64,
    version: Option<i64>,
    who: &Actor,
    label: &EventActor,
    cmd: Command,
    now: i64,
) -> ApiResult<CaseRow> {
    Ok(app::command(st, id, version, who, label, cmd, now).await?)
}

/// [`run`] with photos (already on disk) recorded as evidence of the step, in the same write.
#[allow(clippy::too_many_arguments)]
pub async fn run_with_evidence(
    st: &AppState,
    id: i64,
    version: Option<i64>,
    who: &Actor,
    label: &EventActor,
    cmd: Command,
    photos: Vec<gongzhi_store::NewPhoto>,
    now: i64,
) -> ApiResult<CaseRow> {
    Ok(app::command_with_evidence(st, id, version, who, label, cmd, photos, now).await?)
}

/// The refusal's message, for pages.
pub fn message(e: &ApiError, en: bool) -> String {
    if en {
        e.body.message_en.clone()
    } else {
        e.body.message.clone()
    }
}
