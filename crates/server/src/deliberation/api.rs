//! `/api/v1/deliberation/…`: settings, topics (raise, support, table, decline), meetings
//! (agenda, attendance, minutes, motions), votes and results, resolutions and their items, the
//! workbooks; `/api/v1/public/…`: raising and supporting with a lookup code, and a community's
//! results.

use super::ops::{self, ItemInput, MeetingInput, MotionInput, TopicInput, VoteInput};
use super::{exports, forbidden, public, scope};
use crate::auth::{ApiUser, User};
use crate::error::ApiResult;
use crate::state::AppState;
use crate::throttle::ClientIp;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_domain::access::{Action, Target};
use gongzhi_domain::deliberation::{
    DeliberationSettings, Majority, SupportOutcome, VotingBasis, may_run,
};
use gongzhi_store::{
    AttendanceRow, DeliberationFilter, DeliberationMeetingRow, MotionRow, ResolutionRow, TopicRow,
    now_millis,
};
use serde::{Deserialize, Serialize};

/// Most rows a list or workbook holds.
pub const MAX_ROWS: i64 = 5_000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/deliberation/settings",
            get(get_settings).post(post_settings),
        )
        .route(
            "/api/v1/deliberation/communities/{code}/threshold",
            post(post_threshold),
        )
        .route(
            "/api/v1/deliberation/topics",
            get(list_topics).post(create_topic),
        )
        .route("/api/v1/deliberation/topics.xlsx", get(topics_xlsx))
        .route("/api/v1/deliberation/topics/{id}", get(get_topic))
        .route("/api/v1/deliberation/topics/{id}/support", post(support))
        .route("/api/v1/deliberation/topics/{id}/table", post(table))
        .route("/api/v1/deliberation/topics/{id}/decline", post(decline))
        .route("/api/v1/public/deliberation/topics", post(public_raise))
        .route(
            "/api/v1/public/deliberation/topics/{id}/support",
            post(public_support),
        )
        .route("/api/v1/public/c/{code}/results", get(public_results))
        .route(
            "/api/v1/deliberation/meetings",
            get(list_meetings).post(create_meeting),
        )
        .route("/api/v1/deliberation/meetings.xlsx", get(meetings_xlsx))
        .route("/api/v1/deliberation/meetings/{id}", get(get_meeting))
        .route("/api/v1/deliberation/meetings/{id}/agenda", post(agenda))
        .route(
            "/api/v1/deliberation/meetings/{id}/attendance",
            post(attendance),
        )
        .route("/api/v1/deliberation/meetings/{id}/minutes", post(minutes))
        .route(
            "/api/v1/deliberation/meetings/{id}/motions",
            post(put_motion),
        )
        .route("/api/v1/deliberation/motions/{id}", get(get_motion))
        .route("/api/v1/deliberation/motions/{id}/votes", post(vote))
        .route("/api/v1/deliberation/motions/{id}/close", post(close))
        .route(
            "/api/v1/deliberation/motions/{id}/resolution",
            post(resolve),
        )
        .route("/api/v1/deliberation/resolutions", get(list_resolutions))
        .route(
            "/api/v1/deliberation/resolutions.xlsx",
            get(resolutions_xlsx),
        )
        .route("/api/v1/deliberation/resolutions/{id}", get(get_resolution))
        .route(
            "/api/v1/deliberation/resolutions/{id}/items",
            post(add_item),
        )
        .route("/api/v1/deliberation/items/{id}/progress", post(progress))
}

/// May the caller set the city's settings? Who runs deliberation everywhere.
fn may_set(user: &User) -> bool {
    user.may(Action::RunDeliberation, &Target::Everything)
        .is_ok()
}

async fn get_settings(
    State(st): State<AppState>,
    ApiUser(_user): ApiUser,
) -> ApiResult<Json<DeliberationSettings>> {
    Ok(Json(st.store.deliberation_settings(None).await?))
}

#[derive(Deserialize)]
struct SettingsBody {
    support_threshold: u32,
    quorum_pct: u32,
    majority: String,
    voting_basis: String,
}

async fn post_settings(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<SettingsBody>,
) -> ApiResult<Json<DeliberationSettings>> {
    if !may_set(&user) {
        return Err(forbidden(
            "只有全市管理员可以设置议事协商规则",
            "only who runs deliberation for the whole city sets its rules",
        ));
    }
    let s = DeliberationSettings {
        support_threshold: b.support_threshold,
        quorum_pct: b.quorum_pct,
        majority: Majority::parse_or(&b.majority).map_err(super::invalid)?,
        voting_basis: VotingBasis::parse_or(&b.voting_basis).map_err(super::invalid)?,
    }
    .checked()
    .map_err(super::invalid)?;
    st.store
        .set_deliberation_settings(&s, &ops::by(&user))
        .await
        .map_err(super::write_error)?;
    Ok(Json(s))
}

#[derive(Deserialize)]
struct ThresholdBody {
    /// None: the city's threshold again.
    support_threshold: Option<u32>,
}

async fn post_threshold(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(code): Path<String>,
    Json(b): Json<ThresholdBody>,
) -> ApiResult<Json<DeliberationSettings>> {
    let c = super::community(&st, &code)?;
    if !may_run(&user.principal(), &c) {
        return Err(forbidden(
            "只有本社区、街道、区县或党组织可以设置社区的列入议程支持数",
            "a community's threshold is set by who runs its deliberation",
        ));
    }
    st.store
        .set_community_threshold(&c, b.support_threshold, &ops::by(&user))
        .await
        .map_err(super::write_error)?;
    Ok(Json(st.store.deliberation_settings(Some(&c)).await?))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    pub community: Option<String>,
    pub status: Option<String>,
    /// A topic category or meeting kind.
    pub kind: Option<String>,
    pub q: Option<String>,
}

impl ListQuery {
    pub fn filter(&self, user: &User, own_topics: bool) -> ApiResult<DeliberationFilter> {
        let mut f = scope(user, self.community.as_deref(), own_topics)?;
        f.status = self.status.clone().filter(|s| !s.trim().is_empty());
        f.kind = self.kind.clone().filter(|s| !s.trim().is_empty());
        f.q = self.q.clone();
        Ok(f)
    }
}

async fn list_topics(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<TopicRow>>> {
    let f = q.filter(&user, true)?;
    Ok(Json(st.store.topics(&f, MAX_ROWS).await?))
}

async fn topics_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    let f = q.filter(&user, true)?;
    let rows = st.store.topics(&f, MAX_ROWS).await?;
    exports::topics_xlsx(&st, &user, &rows).await
}

#[derive(Serialize)]
struct RaisedBody {
    topic: TopicRow,
    /// Given once to a resident without an account: to follow and support with.
    #[serde(skip_serializing_if = "Option::is_none")]
    lookup_code: Option<String>,
}

async fn create_topic(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<TopicInput>,
) -> ApiResult<(StatusCode, Json<RaisedBody>)> {
    let r = ops::raise(&st, Some(&user), b, now_millis()).await?;
    Ok((
        StatusCode::CREATED,
        Json(RaisedBody {
            topic: ops::topic(&st, r.id).await?,
            lookup_code: None,
        }),
    ))
}

async fn public_raise(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(b): Json<TopicInput>,
) -> ApiResult<(StatusCode, Json<RaisedBody>)> {
    st.throttle.report.take(ip)?;
    let r = ops::raise(&st, None, b, now_millis()).await?;
    Ok((
        StatusCode::CREATED,
        Json(RaisedBody {
            topic: ops::topic(&st, r.id).await?,
            lookup_code: r.lookup_code,
        }),
    ))
}

/// Topics are public (the results page shows them): any account reads one.
async fn get_topic(
    State(st): State<AppState>,
    ApiUser(_user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<TopicRow>> {
    Ok(Json(ops::topic(&st, id).await?))
}

#[derive(Serialize)]
struct SupportBody {
    supports: u32,
    tabled: bool,
    topic: TopicRow,
}

async fn support_body(st: &AppState, id: i64, o: SupportOutcome) -> ApiResult<Json<SupportBody>> {
    Ok(Json(SupportBody {
        supports: o.supports,
        tabled: o.tabled,
        topic: ops::topic(st, id).await?,
    }))
}

async fn support(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<SupportBody>> {
    let o = ops::support(&st, Some(&user), None, ip, id, now_millis()).await?;
    support_body(&st, id, o).await
}

#[derive(Deserialize)]
struct CodeBody {
    #[serde(default)]
    lookup_code: String,
}

async fn public_support(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Json(b): Json<CodeBody>,
) -> ApiResult<Json<SupportBody>> {
    let o = ops::support(&st, None, Some(&b.lookup_code), ip, id, now_millis()).await?;
    support_body(&st, id, o).await
}

async fn table(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<TopicRow>> {
    Ok(Json(ops::table(&st, &user, id).await?))
}

#[derive(Deserialize)]
struct ReasonBody {
    #[serde(default)]
    reason: String,
}

async fn decline(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<ReasonBody>,
) -> ApiResult<Json<TopicRow>> {
    Ok(Json(ops::decline(&st, &user, id, &b.reason).await?))
}

async fn public_results(
    State(st): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Json<public::Results>> {
    Ok(Json(public::results(&st, &code).await?))
}

async fn list_meetings(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<DeliberationMeetingRow>>> {
    let f = q.filter(&user, false)?;
    Ok(Json(st.store.meetings(&f, MAX_ROWS).await?))
}

async fn meetings_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    let f = q.filter(&user, false)?;
    let rows = st.store.meetings(&f, MAX_ROWS).await?;
    exports::meetings_xlsx(&st, &user, &rows).await
}

async fn create_meeting(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<MeetingInput>,
) -> ApiResult<(StatusCode, Json<MeetingBody>)> {
    let id = ops::create_meeting(&st, &user, b).await?;
    Ok((StatusCode::CREATED, meeting_body(&st, &user, id).await?))
}

/// A meeting with its agenda, attendance and motions.
#[derive(Serialize)]
pub struct MeetingBody {
    pub meeting: DeliberationMeetingRow,
    pub agenda: Vec<TopicRow>,
    pub attendance: Vec<AttendanceRow>,
    pub motions: Vec<MotionRow>,
}

pub async fn meeting_full(st: &AppState, user: &User, id: i64) -> ApiResult<MeetingBody> {
    let meeting = ops::meeting(st, user, id).await?;
    Ok(MeetingBody {
        agenda: st.store.agenda(id).await?,
        attendance: st.store.attendance(id).await?,
        motions: st.store.motions_of(id).await?,
        meeting,
    })
}

async fn meeting_body(st: &AppState, user: &User, id: i64) -> ApiResult<Json<MeetingBody>> {
    Ok(Json(meeting_full(st, user, id).await?))
}

async fn get_meeting(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<MeetingBody>> {
    meeting_body(&st, &user, id).await
}

#[derive(Deserialize)]
struct AgendaBody {
    topic_id: i64,
}

async fn agenda(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<AgendaBody>,
) -> ApiResult<Json<MeetingBody>> {
    ops::add_to_agenda(&st, &user, id, b.topic_id).await?;
    meeting_body(&st, &user, id).await
}

#[derive(Deserialize)]
struct AttendanceBody {
    #[serde(default)]
    party: String,
    count: u32,
    #[serde(default)]
    note: String,
}

async fn attendance(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<AttendanceBody>,
) -> ApiResult<Json<MeetingBody>> {
    ops::attendance(&st, &user, id, &b.party, b.count, &b.note).await?;
    meeting_body(&st, &user, id).await
}

#[derive(Deserialize)]
struct MinutesBody {
    #[serde(default)]
    minutes: String,
}

async fn minutes(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<MinutesBody>,
) -> ApiResult<Json<MeetingBody>> {
    ops::minutes(&st, &user, id, &b.minutes).await?;
    meeting_body(&st, &user, id).await
}

async fn put_motion(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<MotionInput>,
) -> ApiResult<(StatusCode, Json<MotionRow>)> {
    let m = ops::put_motion(&st, &user, id, b).await?;
    Ok((
        StatusCode::CREATED,
        Json(ops::motion(&st, &user, m).await?.0),
    ))
}

async fn get_motion(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<MotionRow>> {
    Ok(Json(ops::motion(&st, &user, id).await?.0))
}

async fn vote(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<VoteInput>,
) -> ApiResult<(StatusCode, Json<MotionRow>)> {
    Ok((
        StatusCode::CREATED,
        Json(ops::vote(&st, &user, id, b).await?),
    ))
}

async fn close(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<MotionRow>> {
    Ok(Json(ops::close(&st, &user, id).await?))
}

#[derive(Deserialize)]
struct TitleBody {
    #[serde(default)]
    title: String,
}

async fn resolve(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<TitleBody>,
) -> ApiResult<(StatusCode, Json<ResolutionRow>)> {
    let r = ops::resolve(&st, &user, id, &b.title).await?;
    Ok((
        StatusCode::CREATED,
        Json(ops::resolution(&st, &user, r).await?),
    ))
}

async fn list_resolutions(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<ResolutionRow>>> {
    let f = q.filter(&user, false)?;
    Ok(Json(
        st.store.resolutions(&f, MAX_ROWS, now_millis()).await?,
    ))
}

async fn resolutions_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    let f = q.filter(&user, false)?;
    let rows = st.store.resolutions(&f, MAX_ROWS, now_millis()).await?;
    exports::resolutions_xlsx(&st, &user, &rows).await
}

async fn get_resolution(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<ResolutionRow>> {
    Ok(Json(ops::resolution(&st, &user, id).await?))
}

/// The case a case item filed.
#[derive(Serialize)]
struct FiledCase {
    id: i64,
    ticket: String,
    state: String,
}

#[derive(Serialize)]
struct ItemBody {
    item_id: i64,
    /// The case filed for a case item.
    case: Option<FiledCase>,
    /// A case item kept whose case could not be filed: why.
    case_error: Option<crate::error::ErrorBody>,
    resolution: ResolutionRow,
}

async fn add_item(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<ItemInput>,
) -> ApiResult<(StatusCode, Json<ItemBody>)> {
    let added = ops::add_item(&st, &user, id, b, now_millis()).await?;
    let case = added.case.as_ref().map(|f| FiledCase {
        id: f.case.id,
        ticket: f.case.ticket.clone(),
        state: f.case.case.state.as_str().to_string(),
    });
    Ok((
        StatusCode::CREATED,
        Json(ItemBody {
            item_id: added.item,
            case,
            case_error: added.case_error.map(|e| *e.body),
            resolution: ops::resolution(&st, &user, id).await?,
        }),
    ))
}

#[derive(Deserialize)]
struct ProgressBody {
    progress: u32,
    #[serde(default)]
    note: String,
}

async fn progress(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<ProgressBody>,
) -> ApiResult<Json<ResolutionRow>> {
    Ok(Json(
        ops::progress(&st, &user, id, b.progress, &b.note).await?,
    ))
}
