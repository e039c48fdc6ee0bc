//! `/api/v1/power-items/…`: the staff's power items (list, workbook, template, import, new,
//! change, publish, retire, history). The public JSON is in `public.rs`.

use super::ops::{self, PowerItemInput};
use super::{exports, import, invalid, scope, visible_item};
use crate::auth::{ApiUser, User};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_domain::power_list::{PowerState, PowerType, RiskLevel};
use gongzhi_store::{PowerFilter, PowerItemRow, PowerVersionRow};
use serde::{Deserialize, Serialize};

/// Most items a list or workbook holds.
pub const MAX_ROWS: i64 = 5_000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/power-items", get(list).post(create))
        .route("/api/v1/power-items.xlsx", get(xlsx))
        .route("/api/v1/power-items/template.xlsx", get(template))
        .route(
            "/api/v1/power-items/import",
            post(import_api).layer(crate::http::body_limit(crate::http::IMPORT_BODY_LIMIT)),
        )
        .route("/api/v1/power-items/{id}", get(one).post(change))
        .route("/api/v1/power-items/{id}/publish", post(publish))
        .route("/api/v1/power-items/{id}/retire", post(retire))
}

#[derive(Deserialize, Default, Clone)]
pub struct PowerQuery {
    /// `department:CODE` or `area:CODE`.
    pub owner: Option<String>,
    #[serde(rename = "type")]
    pub power_type: Option<String>,
    pub level: Option<String>,
    pub state: Option<String>,
    pub q: Option<String>,
}

fn some(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl PowerQuery {
    /// The page's filters on top of `f` (the caller's scope, or the public's).
    pub fn apply(&self, mut f: PowerFilter) -> ApiResult<PowerFilter> {
        if let Some(o) = some(&self.owner) {
            let (kind, code) = o.split_once(':').unwrap_or(("", &o));
            f.owner =
                Some(gongzhi_domain::power_list::PowerOwner::of(kind, code).map_err(invalid)?);
        }
        if let Some(t) = some(&self.power_type) {
            f.power_type = Some(PowerType::parse_or(&t).map_err(invalid)?);
        }
        if let Some(l) = some(&self.level) {
            f.risk_level = Some(RiskLevel::parse(&l).ok_or_else(|| {
                ApiError::bad_request(
                    "level",
                    format!("“{l}”不是风险等级，可选：高、中、低"),
                    format!("'{l}' is not a risk level: high, medium, low"),
                )
            })?);
        }
        if let Some(s) = some(&self.state) {
            f.state = Some(PowerState::parse(&s).ok_or_else(|| {
                ApiError::bad_request(
                    "state",
                    format!("“{s}”不是事项状态，可选：草稿、已公布、已废止"),
                    format!("'{s}' is not an item state: draft, published, retired"),
                )
            })?);
        }
        f.q = some(&self.q);
        Ok(f)
    }
}

/// The items the caller's list shows under `q`.
pub async fn listed(st: &AppState, user: &User, q: &PowerQuery) -> ApiResult<Vec<PowerItemRow>> {
    let f = q.apply(scope(user)?)?;
    Ok(st.store.power_items(&f, MAX_ROWS).await?)
}

async fn list(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PowerQuery>,
) -> ApiResult<Json<Vec<PowerItemRow>>> {
    Ok(Json(listed(&st, &user, &q).await?))
}

async fn xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PowerQuery>,
) -> ApiResult<Response> {
    let rows = listed(&st, &user, &q).await?;
    let bytes = exports::items_xlsx(&rows, true)?;
    crate::http::api_io::audit_export(&st, &user, "power_items", "power_list", "xlsx", rows.len())
        .await?;
    Ok(crate::cases::import_table::xlsx_attachment(
        bytes,
        "power-items.xlsx",
    ))
}

async fn template(ApiUser(user): ApiUser) -> ApiResult<Response> {
    scope(&user)?;
    Ok(crate::cases::import_table::xlsx_attachment(
        exports::template_xlsx()?,
        "power-items-template.xlsx",
    ))
}

#[derive(Deserialize, Default)]
pub struct ImportQuery {
    pub owner_kind: Option<String>,
    pub owner: Option<String>,
    /// "1": publish every imported item at once; otherwise drafts.
    pub publish: Option<String>,
}

async fn import_api(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<import::Imported>)> {
    Ok((
        StatusCode::CREATED,
        Json(import::import(&st, &user, &q, &body).await?),
    ))
}

#[derive(Serialize)]
pub struct PowerItemDetail {
    #[serde(flatten)]
    pub item: PowerItemRow,
    pub versions: Vec<PowerVersionRow>,
}

async fn detail(st: &AppState, user: &User, id: i64) -> ApiResult<PowerItemDetail> {
    Ok(PowerItemDetail {
        item: visible_item(st, user, id).await?,
        versions: st.store.power_item_versions(id).await?,
    })
}

async fn create(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<PowerItemInput>,
) -> ApiResult<(StatusCode, Json<PowerItemDetail>)> {
    let id = ops::create(&st, &user, b).await?;
    Ok((StatusCode::CREATED, Json(detail(&st, &user, id).await?)))
}

async fn one(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<PowerItemDetail>> {
    Ok(Json(detail(&st, &user, id).await?))
}

async fn change(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<PowerItemInput>,
) -> ApiResult<Json<PowerItemDetail>> {
    ops::change(&st, &user, id, b).await?;
    Ok(Json(detail(&st, &user, id).await?))
}

async fn publish(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<PowerItemDetail>> {
    ops::publish(&st, &user, id).await?;
    Ok(Json(detail(&st, &user, id).await?))
}

#[derive(Deserialize, Default)]
pub struct RetireBody {
    #[serde(default)]
    pub reason: String,
}

async fn retire(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<RetireBody>,
) -> ApiResult<Json<PowerItemDetail>> {
    ops::retire(&st, &user, id, &b.reason).await?;
    Ok(Json(detail(&st, &user, id).await?))
}
