//! `/api/v1` photos, possible duplicates and supporters of cases.

use crate::auth::ApiUser;
use crate::cases::api::{actor_of, load_case};
use crate::cases::photos;
use crate::cases::service;
use crate::cases::views::case_view;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::throttle::ClientIp;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_domain::case::{Actor, Command, DuplicateRule, distance_m};
use gongzhi_store::{EventActor, PhotoRow, now_millis};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/cases/{id}/photos",
            get(list_photos)
                .post(upload_photos)
                .layer(crate::http::body_limit(crate::http::PHOTOS_BODY_LIMIT)),
        )
        .route("/api/v1/photos/{id}", get(photo))
        .route("/api/v1/public/cases/{code}/photos/{id}", get(public_photo))
        .route("/api/v1/public/similar", get(similar))
        .route("/api/v1/cases/{id}/support", post(support))
}

/// Every `photo` field of a multipart body, stored in order; the first bad one stops the rest
/// and says which it was. A photo beyond the case's nine is refused before it is read, and
/// each is read with its size checked as it arrives.
pub async fn save_all(st: &AppState, case_id: i64, mut form: Multipart) -> ApiResult<Vec<i64>> {
    let mut ids = Vec::new();
    let mut stored = st.store.case_photos(case_id).await?.len() as i64;
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError::bad_request(
            "photo",
            format!("上传失败：{e}"),
            format!("upload failed: {e}"),
        )
    };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        if field.name() != Some("photo") {
            continue;
        }
        if stored >= photos::MAX_PHOTOS {
            let mut e = photos::too_many(StatusCode::CONFLICT);
            e.body.field = Some(format!("photo[{}]", ids.len()));
            return Err(e);
        }
        let bytes = photos::read_field(field, ids.len() + 1).await?;
        if bytes.is_empty() {
            continue;
        }
        match photos::save(st, case_id, &bytes).await {
            Ok(id) => {
                ids.push(id);
                stored += 1;
            }
            Err(mut e) => {
                e.body.field = Some(format!("photo[{}]", ids.len()));
                return Err(e);
            }
        }
    }
    Ok(ids)
}

/// Photos are evidence: only those with a part in the case add them (the domain decides);
/// one who may only see it gets 403.
async fn upload_photos(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    form: Multipart,
) -> ApiResult<(StatusCode, Json<Vec<i64>>)> {
    let row = load_case(&st, &user, id).await?;
    let (who, _) = crate::cases::api::actor_of(&user);
    if !gongzhi_domain::case::may_attach_evidence(&row.case, &who) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "只有参与处置该案件的人员可以上传照片",
            "only those with a part in the case may add photos",
        ));
    }
    Ok((StatusCode::CREATED, Json(save_all(&st, id, form).await?)))
}

async fn list_photos(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<PhotoRow>>> {
    load_case(&st, &user, id).await?;
    Ok(Json(st.store.case_photos(id).await?))
}

fn image(mime: String, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "private, max-age=86400".to_string()),
        ],
        bytes,
    )
        .into_response()
}

async fn photo(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let (case_id, mime, bytes) = photos::read(&st, id).await?;
    // Someone who may not see the case learns nothing about it, not even its id.
    load_case(&st, &user, case_id)
        .await
        .map_err(|_| ApiError::not_found(format!("照片 {id}"), format!("photo {id}")))?;
    Ok(image(mime, bytes))
}

async fn public_photo(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Path((code, id)): Path<(String, i64)>,
) -> ApiResult<Response> {
    let case = crate::cases::public_view::case_by_code(&st, ip, &code).await?;
    let (case_id, mime, bytes) = photos::read(&st, id).await?;
    if case_id != case.id {
        return Err(ApiError::not_found(
            format!("照片 {id}"),
            format!("photo {id}"),
        ));
    }
    Ok(image(mime, bytes))
}

#[derive(Deserialize)]
struct SimilarQuery {
    category: String,
    lon: f64,
    lat: f64,
}

#[derive(Serialize)]
pub struct Similar {
    pub ticket: String,
    pub category_name: String,
    pub state_label: String,
    pub address: String,
    pub reported_at_text: String,
    pub supporters: i64,
    pub distance_m: f64,
}

/// Open cases of the same category within 50 m and 7 days: shown before a resident files, so
/// they can follow one instead. Descriptions are not shown (they may name people).
async fn similar(
    State(st): State<AppState>,
    Query(q): Query<SimilarQuery>,
) -> ApiResult<Json<Vec<Similar>>> {
    let rule = DuplicateRule::default();
    let now = now_millis();
    let rows = st
        .store
        .open_cases_near(
            &q.category,
            rule.search_box(q.lon, q.lat),
            now - rule.window_ms,
        )
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let (Some(lon), Some(lat)) = (r.lon, r.lat) else {
            continue;
        };
        if !rule.matches(q.lon, q.lat, now, lon, lat, r.reported_at) {
            continue;
        }
        let v = case_view(&st, &r, now).await;
        out.push(Similar {
            ticket: r.ticket.clone(),
            category_name: v.category_name,
            state_label: v.state_label,
            address: r.address.clone(),
            reported_at_text: v.reported_at_text,
            supporters: r.supporters,
            distance_m: (distance_m(q.lon, q.lat, lon, lat) * 10.0).round() / 10.0,
        });
    }
    Ok(Json(out))
}

/// Follow a case instead of filing a duplicate: counted once per account.
async fn support(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<crate::cases::views::CaseView>> {
    load_case(&st, &user, id).await?;
    follow(
        &st,
        id,
        &format!("account:{}", user.account.id),
        &actor_of(&user).0,
        &actor_of(&user).1,
    )
    .await
}

/// Records a supporter once; the domain records the `Supported` event on the case.
pub async fn follow(
    st: &AppState,
    id: i64,
    supporter: &str,
    who: &Actor,
    label: &EventActor,
) -> ApiResult<Json<crate::cases::views::CaseView>> {
    let now = now_millis();
    if st.store.add_supporter(id, supporter).await? {
        service::run(st, id, None, who, label, Command::Support, now).await?;
    }
    let row = st
        .store
        .case(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("案件 {id}"), format!("case {id}")))?;
    Ok(Json(case_view(st, &row, now).await))
}
