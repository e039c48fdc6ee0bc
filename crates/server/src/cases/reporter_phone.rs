//! The reporter's phone (留了电话"便于回访"): those who dispatch or handle the case reveal it to
//! call back, one case at a time, with a reason written to the audit log before the number is
//! sent (`case::may_reveal_reporter_phone`). Pages show it masked until then.

use crate::auth::{ApiUser, User};
use crate::cases::api::{actor_of, load_case};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use gongzhi_domain::case;
use gongzhi_domain::codes::Phone;
use serde::{Deserialize, Serialize};

/// The audit log's action for a reveal.
pub const REVEAL_ACTION: &str = "pii.reveal_reporter_phone";

/// What the case page shows before a reveal: the masked number, if the caller may reveal it.
pub async fn masked(st: &AppState, user: &User, row: &gongzhi_store::CaseRow) -> Option<String> {
    let (who, _) = actor_of(user);
    if !case::may_reveal_reporter_phone(&row.case, &who) {
        return None;
    }
    match st.store.case_reporter_phone(row.id).await {
        Ok(p) => p.map(|p| p.mask()),
        Err(e) => {
            tracing::warn!(error = %e, case = row.id, "reading the reporter's phone");
            None
        }
    }
}

/// Reveals the number after logging who, which case and why; `None` when the reporter left
/// none (nothing is logged then, as nothing was learned).
pub async fn reveal(
    st: &AppState,
    user: &User,
    id: i64,
    reason: Option<&str>,
) -> ApiResult<(gongzhi_store::CaseRow, Option<Phone>)> {
    let row = load_case(st, user, id).await?;
    let (who, _) = actor_of(user);
    if !case::may_reveal_reporter_phone(&row.case, &who) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "只有派遣或承办该案件的人员可以查看反映人电话",
            "only those who dispatch or handle the case may see the reporter's phone",
        ));
    }
    let reason = reason.map(str::trim).unwrap_or("");
    if reason.chars().count() < 2 {
        return Err(ApiError::bad_request(
            "reason",
            "查看反映人电话须填写事由（至少2个字，如“回访”）",
            "a reason (at least 2 characters, e.g. \"call back\") is required to see the reporter's phone",
        ));
    }
    let Some(phone) = st.store.case_reporter_phone(id).await? else {
        return Ok((row, None));
    };
    st.store
        .record_audit(
            &user.actor(),
            REVEAL_ACTION,
            &format!("case:{}", row.ticket),
            &format!("reason={reason}"),
        )
        .await?;
    Ok((row, Some(phone)))
}

#[derive(Deserialize)]
pub struct RevealBody {
    pub reason: Option<String>,
}

#[derive(Serialize)]
pub struct Revealed {
    pub ticket: String,
    /// `null` when the reporter left no number.
    pub phone: Option<String>,
}

pub async fn reveal_api(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<RevealBody>,
) -> ApiResult<Json<Revealed>> {
    let (row, phone) = reveal(&st, &user, id, b.reason.as_deref()).await?;
    Ok(Json(Revealed {
        ticket: row.ticket,
        phone: phone.map(|p| p.as_str().to_string()),
    }))
}
