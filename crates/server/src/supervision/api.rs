//! `/api/v1/supervisions/…`: the board (orders with their counts), its workbook, issuing, an
//! order with its history, the unit's replies, the issuer's review, the open accountability
//! suggestions and the city's clock settings.

use super::ops::{self, IssueInput};
use super::{exports, scope, visible};
use crate::auth::{ApiUser, User};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_domain::access::{List, Listing};
use gongzhi_domain::supervision::{ClockSettings, Stage, SupervisedKind};
use gongzhi_store::{SuggestionRow, SupervisionHistoryRow, SupervisionRow, now_millis};
use serde::{Deserialize, Serialize};

/// Most orders a board or workbook holds.
pub const MAX_ROWS: i64 = 5_000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/supervisions", get(list).post(create))
        .route("/api/v1/supervisions.xlsx", get(xlsx))
        .route("/api/v1/supervisions/suggestions", get(suggestions))
        .route(
            "/api/v1/supervisions/suggestions/{id}/report",
            post(report_suggestion),
        )
        .route(
            "/api/v1/supervisions/settings",
            get(get_settings).post(post_settings),
        )
        .route("/api/v1/supervisions/{id}", get(one))
        .route("/api/v1/supervisions/{id}/replies", post(reply))
        .route("/api/v1/supervisions/{id}/review", post(review))
}

#[derive(Deserialize, Default, Clone)]
pub struct BoardQuery {
    pub stage: Option<String>,
    pub kind: Option<String>,
    /// The answering unit's code.
    pub unit: Option<String>,
    /// "1": only open orders past their due time.
    pub overdue: Option<String>,
    /// "1": closed orders too.
    pub all: Option<String>,
    /// "1": only the open orders the caller's own unit answers.
    pub mine: Option<String>,
}

fn some(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The orders the caller's board shows under `q`, at `now`.
pub async fn listed(
    st: &AppState,
    user: &User,
    q: &BoardQuery,
    now: i64,
) -> ApiResult<Vec<SupervisionRow>> {
    let mut f = scope(user)?;
    f.open = some(&q.all).is_none();
    if let Some(s) = some(&q.stage) {
        f.stage = Some(Stage::parse(&s).ok_or_else(|| {
            ApiError::bad_request(
                "stage",
                format!(
                    "“{s}”不是督办阶段，可选：已督办、即将到期、已逾期、已发督办通知、建议问责"
                ),
                format!("'{s}' is not a stage: issued, warned, overdue, noticed, suggested"),
            )
        })?);
    }
    if let Some(k) = some(&q.kind) {
        f.kind = Some(SupervisedKind::parse_or(&k).map_err(super::invalid)?);
    }
    f.unit = some(&q.unit);
    if some(&q.mine).is_some() {
        f.status = Some(gongzhi_domain::supervision::OrderStatus::Open);
        f.unit_kind = Some(if f.department.is_some() {
            "department"
        } else {
            "area"
        });
    }
    if some(&q.overdue).is_some() {
        f.overdue_at = Some(now);
    }
    Ok(st.store.supervisions(&f, MAX_ROWS).await?)
}

/// The counts at the top of the board.
#[derive(Serialize, Default, Debug, Clone, Copy)]
pub struct Counts {
    pub open: i64,
    pub warned: i64,
    pub overdue: i64,
    pub suggested: i64,
}

pub fn counts(rows: &[SupervisionRow], now: i64) -> Counts {
    let mut c = Counts::default();
    for o in rows.iter().filter(|o| o.closed_at.is_none()) {
        c.open += 1;
        match o.stage_at(now) {
            Stage::Issued => {}
            Stage::Warned => c.warned += 1,
            Stage::Overdue | Stage::Noticed => c.overdue += 1,
            Stage::Suggested => {
                c.overdue += 1;
                c.suggested += 1;
            }
        }
    }
    c
}

#[derive(Serialize)]
struct Board {
    counts: Counts,
    orders: Vec<SupervisionRow>,
}

async fn list(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<BoardQuery>,
) -> ApiResult<Json<Board>> {
    let now = now_millis();
    let orders = listed(&st, &user, &q, now).await?;
    Ok(Json(Board {
        counts: counts(&orders, now),
        orders,
    }))
}

async fn xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<BoardQuery>,
) -> ApiResult<Response> {
    let now = now_millis();
    let rows = listed(&st, &user, &q, now).await?;
    exports::orders_xlsx(&st, &user, &rows, now).await
}

#[derive(Serialize)]
pub struct OrderDetail {
    #[serde(flatten)]
    pub order: SupervisionRow,
    /// The stage as of now (the clock's own while the unit owes an answer).
    pub stage_now: Stage,
    pub history: Vec<SupervisionHistoryRow>,
    pub may_answer: bool,
    pub may_review: bool,
}

pub async fn detail(st: &AppState, user: &User, id: i64) -> ApiResult<OrderDetail> {
    let order = visible(st, user, id).await?;
    Ok(OrderDetail {
        stage_now: order.stage_at(now_millis()),
        history: st.store.supervision_history(id).await?,
        may_answer: ops::may_answer(user, &order),
        may_review: ops::may_review(user, &order),
        order,
    })
}

async fn create(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<IssueInput>,
) -> ApiResult<(StatusCode, Json<OrderDetail>)> {
    let id = ops::issue(&st, &user, &b).await?;
    Ok((StatusCode::CREATED, Json(detail(&st, &user, id).await?)))
}

async fn one(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<OrderDetail>> {
    Ok(Json(detail(&st, &user, id).await?))
}

#[derive(Deserialize, Default)]
pub struct ReplyBody {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub note: String,
}

async fn reply(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<ReplyBody>,
) -> ApiResult<Json<OrderDetail>> {
    ops::reply(&st, &user, id, &b.kind, &b.note).await?;
    Ok(Json(detail(&st, &user, id).await?))
}

#[derive(Deserialize, Default)]
pub struct ReviewBody {
    #[serde(default)]
    pub accept: bool,
    #[serde(default)]
    pub note: String,
}

async fn review(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<ReviewBody>,
) -> ApiResult<Json<OrderDetail>> {
    ops::review(&st, &user, id, b.accept, &b.note).await?;
    Ok(Json(detail(&st, &user, id).await?))
}

/// The open accountability suggestions on the orders the caller lists.
pub async fn open_suggestions(st: &AppState, user: &User) -> ApiResult<Vec<SuggestionRow>> {
    let listing = user.listing(List::Supervisions);
    let rows = match &listing {
        Listing::Everything => st.store.open_accountability_suggestions(None).await?,
        Listing::Area(a) => st.store.open_accountability_suggestions(Some(a)).await?,
        Listing::Department(d) => st
            .store
            .open_accountability_suggestions(None)
            .await?
            .into_iter()
            .filter(|s| s.unit_kind == "department" && s.unit_code == *d)
            .collect(),
        _ => {
            scope(user)?;
            Vec::new()
        }
    };
    Ok(rows)
}

#[derive(Serialize)]
struct SuggestionReported {
    report_id: i64,
}

async fn report_suggestion(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<(StatusCode, Json<SuggestionReported>)> {
    let report_id = ops::report_suggestion(&st, &user, id).await?;
    Ok((StatusCode::CREATED, Json(SuggestionReported { report_id })))
}

async fn suggestions(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Vec<SuggestionRow>>> {
    Ok(Json(open_suggestions(&st, &user).await?))
}

async fn get_settings(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<ClockSettings>> {
    scope(&user)?;
    Ok(Json(super::settings::current(&st).await?))
}

async fn post_settings(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<ClockSettings>,
) -> ApiResult<Json<ClockSettings>> {
    Ok(Json(super::settings::set(&st, &user, b).await?))
}
