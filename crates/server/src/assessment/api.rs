//! `/api/v1/assessments…`: the JSON side of member assessment.

use super::service::{
    self, DeductBody, ListQuery, MemberLedger, RankingQuery, Rankings, RatingBody, RatingView,
    RevokeBody, RulesView, YearList,
};
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Json;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongzhi_domain::assessment::{PointsRules, StarRules};
use gongzhi_store::DeductionRow;
use serde::Deserialize;

pub async fn list(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<YearList>> {
    Ok(Json(service::year_list(&st, &user, &q).await?))
}

pub async fn rankings(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<RankingQuery>,
) -> ApiResult<Json<Rankings>> {
    let by_org = service::by_org(q.by.as_deref())?;
    let list = service::year_list(
        &st,
        &user,
        &ListQuery {
            year: q.year,
            ..Default::default()
        },
    )
    .await?;
    Ok(Json(service::rankings(&list, by_org)))
}

pub async fn rules(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<RulesView>> {
    Ok(Json(service::rules(&st, &user).await?))
}

/// A JSON body, its rejection in the API's error shape.
async fn json_body<T: serde::de::DeserializeOwned>(st: &AppState, req: Request) -> ApiResult<T> {
    let Json(v) = Json::<T>::from_request(req, st).await.map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("请求体不是有效的 JSON 或缺少字段：{}", e.body_text()),
            format!(
                "the body is not valid JSON or lacks fields: {}",
                e.body_text()
            ),
        )
    })?;
    Ok(v)
}

pub async fn set_star_rules(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    req: Request,
) -> ApiResult<Json<RulesView>> {
    service::may_set_rules(&user)?;
    let r: StarRules = json_body(&st, req).await?;
    Ok(Json(service::set_star_rules(&st, &user, r).await?))
}

pub async fn set_points_rules(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    req: Request,
) -> ApiResult<Json<RulesView>> {
    service::may_set_rules(&user)?;
    let r: PointsRules = json_body(&st, req).await?;
    Ok(Json(service::set_points_rules(&st, &user, r).await?))
}

#[derive(Deserialize)]
pub struct YearQuery {
    pub year: Option<String>,
}

pub async fn member(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> ApiResult<Json<MemberLedger>> {
    let year = service::year_param(q.year.as_deref())?;
    Ok(Json(service::ledger(&st, &user, id, year).await?))
}

/// A deduction as JSON (`{item, occurred_on, reason, note}`), or as multipart/form-data with
/// the same fields and `photo` files as evidence.
pub async fn deduct(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    req: Request,
) -> ApiResult<(StatusCode, Json<DeductionRow>)> {
    service::member_of(&st, &user, id).await?;
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (body, photos) = if multipart {
        let form = Multipart::from_request(req, &st).await.map_err(|e| {
            ApiError::bad_request(
                "form",
                format!("表单提交失败：{}", e.body_text()),
                format!("the form could not be read: {}", e.body_text()),
            )
        })?;
        let posted = crate::cases::evidence::read_form(form).await?;
        let text = |k: &str| posted.field(k).unwrap_or("").to_string();
        (
            DeductBody {
                item: text("item"),
                occurred_on: posted.field("occurred_on").map(str::to_string),
                reason: text("reason"),
                note: text("note"),
            },
            posted.photos,
        )
    } else {
        (json_body::<DeductBody>(&st, req).await?, Vec::new())
    };
    let row = service::deduct(&st, &user, id, body, &photos).await?;
    Ok((StatusCode::CREATED, Json(row)))
}

pub async fn revoke(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    req: Request,
) -> ApiResult<Json<DeductionRow>> {
    let b: RevokeBody = json_body(&st, req).await?;
    Ok(Json(service::revoke(&st, &user, id, &b.reason).await?))
}

pub async fn rate(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, year)): Path<(i64, i32)>,
    req: Request,
) -> ApiResult<Json<RatingView>> {
    service::member_of(&st, &user, id).await?;
    let b: RatingBody = json_body(&st, req).await?;
    Ok(Json(service::rate(&st, &user, id, year, b).await?))
}

/// An evidence photo of a member the caller may assess.
pub async fn evidence(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let not_found = || ApiError::not_found(format!("照片 {id}"), format!("photo {id}"));
    let (member, path, mime) = st.store.evidence_photo(id).await?.ok_or_else(not_found)?;
    service::member_of(&st, &user, member)
        .await
        .map_err(|_| not_found())?;
    let bytes = tokio::fs::read(st.data_dir.join(&path))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, path = %path, "reading evidence photo");
            not_found()
        })?;
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "private, max-age=86400".to_string()),
        ],
        bytes,
    )
        .into_response())
}
