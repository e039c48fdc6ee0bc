//! Cadres sent down (干部下沉) and in-service party members reporting to their residential
//! community (在职党员到社区报到), over HTTP and on the `/cadres` page.
//!
//! A record is the host area's (a street or community) or the home department's: either may
//! keep it (`Action::RecordSecondment`, `Action::RecordCommunityCheckIn`). Service hours count
//! once the community — staff whose area covers the member's community — confirms them.

use crate::auth::{ApiUser, PageUser, User, lang_of};
use crate::error::{ApiError, ApiResult};
use crate::http::chrome::{Chrome, render};
use crate::http::pages::page;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_domain::access::{Action, List, Listing, Target, confirms_service_hours};
use gongzhi_domain::cadres::{
    CommunityCheckIn, Secondment, SecondmentKind, service_minutes, task_title,
};
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::codes::AreaCode;
use gongzhi_store::{
    CommunityCheckInRow, SecondmentFilter, SecondmentRow, ServiceTaskRow, now_millis,
};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/secondments",
            get(list_secondments).post(create_secondment),
        )
        .route("/api/v1/secondments/{id}/end", post(end_secondment))
        .route(
            "/api/v1/community-checkins",
            get(list_checkins).post(create_checkin),
        )
        .route(
            "/api/v1/community-checkins/{id}/tasks",
            get(list_tasks).post(create_task),
        )
        .route("/api/v1/community-tasks/{id}/complete", post(complete_task))
        .route("/api/v1/community-tasks/{id}/confirm", post(confirm_task))
        .route("/cadres", get(cadres_page))
        .route("/cadres/act", post(cadres_form))
}

fn forbidden(zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", zh, en)
}

fn date_field(field: &str, raw: Option<&str>, default: Date) -> ApiResult<Date> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => Date::parse(s).ok_or_else(|| {
            ApiError::bad_request(
                field,
                format!("日期应为 YYYY-MM-DD：{s}"),
                format!("a date must be YYYY-MM-DD: {s}"),
            )
        }),
    }
}

fn today() -> Date {
    date_of(now_millis())
}

/// Which records the caller's lists show, as the policy lists them: its area's, its
/// department's, or all.
fn list_filter(user: &User, list: List) -> ApiResult<SecondmentFilter> {
    let mut f = SecondmentFilter::default();
    match user.listing(list) {
        Listing::Everything => {}
        Listing::Area(a) => f.area = Some(a),
        Listing::Department(d) => f.department = Some(d),
        Listing::Grid(_) | Listing::Reports(_) | Listing::Linked(_) | Listing::Nothing => {
            return Err(forbidden(
                "您无权查看下沉干部和在职党员报到记录",
                "you may not see cadres sent down or in-service members' records",
            ));
        }
    }
    Ok(f)
}

/// May the caller keep a record hosted in `area` or belonging to `department`?
fn may_keep(user: &User, action: Action, area: &AreaCode, department: Option<&str>) -> bool {
    user.may(action, &Target::Area(*area)).is_ok()
        || department.is_some_and(|d| user.may(action, &Target::Department(d.into())).is_ok())
}

fn domain_error(e: gongzhi_domain::cadres::CadreError) -> ApiError {
    let field = gongzhi_domain::Bilingual::field(&e).unwrap_or_default();
    ApiError::invalid(&field, &e)
}

#[derive(Deserialize)]
pub struct SecondmentBody {
    pub person: String,
    pub home_department: String,
    pub host_area: String,
    pub kind: String,
    pub start: Option<String>,
    pub end: Option<String>,
    #[serde(default)]
    pub duty: String,
}

pub async fn add_secondment(st: &AppState, user: &User, b: SecondmentBody) -> ApiResult<i64> {
    let host_area = crate::http::api_geo::parse_area("host_area", &b.host_area)?;
    let home = b.home_department.trim().to_string();
    if !st.store.lookups().await?.departments.contains_key(&home) {
        return Err(ApiError::bad_request(
            "home_department",
            format!("没有代码为 {home} 的职能部门"),
            format!("no department with code {home}"),
        ));
    }
    if !may_keep(user, Action::RecordSecondment, &host_area, Some(&home)) {
        return Err(forbidden(
            "只有派出部门或接收的街乡、社区可以登记下沉干部",
            "only the home department or the host street or community records a secondment",
        ));
    }
    let s = Secondment {
        person: b.person,
        home_department: home,
        host_area,
        kind: SecondmentKind::parse(&b.kind).map_err(domain_error)?,
        start: date_field("start", b.start.as_deref(), today())?,
        end: match b.end.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(e) => Some(date_field("end", Some(e), today())?),
        },
        duty: b.duty,
    }
    .checked()
    .map_err(domain_error)?;
    Ok(st.store.add_secondment(&s, Some(user.account.id)).await?)
}

async fn list_secondments(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Vec<SecondmentRow>>> {
    let f = list_filter(&user, List::Secondments)?;
    Ok(Json(st.store.secondments(&f).await?))
}

async fn create_secondment(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<SecondmentBody>,
) -> ApiResult<(StatusCode, Json<SecondmentRow>)> {
    let id = add_secondment(&st, &user, b).await?;
    let row = st
        .store
        .secondment(id)
        .await?
        .ok_or_else(|| ApiError::not_found("下沉干部记录", "secondment"))?;
    Ok((StatusCode::CREATED, Json(row)))
}

#[derive(Deserialize)]
pub struct EndBody {
    /// The last day; `null` re-opens the period.
    pub end: Option<String>,
}

async fn end_secondment(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<EndBody>,
) -> ApiResult<Json<SecondmentRow>> {
    let row = st.store.secondment(id).await?.filter(|r| {
        may_keep(
            &user,
            Action::RecordSecondment,
            &r.record.host_area,
            Some(&r.record.home_department),
        )
    });
    let row = row.ok_or_else(|| {
        ApiError::not_found(format!("下沉干部记录 {id}"), format!("secondment {id}"))
    })?;
    let end = match b.end.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(e) => Some(date_field("end", Some(e), today())?),
    };
    Secondment {
        end,
        ..row.record.clone()
    }
    .checked()
    .map_err(domain_error)?;
    st.store.set_secondment_end(id, end).await?;
    Ok(Json(st.store.secondment(id).await?.ok_or_else(|| {
        ApiError::not_found(format!("下沉干部记录 {id}"), format!("secondment {id}"))
    })?))
}

#[derive(Deserialize)]
pub struct CheckInBody {
    pub member: String,
    pub work_unit: String,
    pub department: Option<String>,
    pub community: String,
    pub registered_on: Option<String>,
}

pub async fn add_checkin(st: &AppState, user: &User, b: CheckInBody) -> ApiResult<i64> {
    let community = crate::http::api_geo::parse_area("community", &b.community)?;
    let department = b
        .department
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty());
    if let Some(d) = &department
        && !st.store.lookups().await?.departments.contains_key(d)
    {
        return Err(ApiError::bad_request(
            "department",
            format!("没有代码为 {d} 的职能部门"),
            format!("no department with code {d}"),
        ));
    }
    if !may_keep(
        user,
        Action::RecordCommunityCheckIn,
        &community,
        department.as_deref(),
    ) {
        return Err(forbidden(
            "只有党员所在社区或其工作部门可以登记到社区报到",
            "only the member's community or own department records a community check-in",
        ));
    }
    let c = CommunityCheckIn {
        member: b.member,
        work_unit: b.work_unit,
        department,
        community,
        registered_on: date_field("registered_on", b.registered_on.as_deref(), today())?,
    }
    .checked()
    .map_err(domain_error)?;
    Ok(st
        .store
        .add_community_checkin(&c, Some(user.account.id))
        .await?)
}

async fn list_checkins(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Vec<CommunityCheckInRow>>> {
    let f = list_filter(&user, List::CommunityCheckIns)?;
    Ok(Json(st.store.community_checkins(&f).await?))
}

async fn create_checkin(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<CheckInBody>,
) -> ApiResult<(StatusCode, Json<CommunityCheckInRow>)> {
    let id = add_checkin(&st, &user, b).await?;
    let row = checkin_of(&st, &user, id).await?;
    Ok((StatusCode::CREATED, Json(row)))
}

/// A registration the caller keeps (its community's or its department's), else 404.
async fn checkin_of(st: &AppState, user: &User, id: i64) -> ApiResult<CommunityCheckInRow> {
    st.store
        .community_checkin(id)
        .await?
        .filter(|r| {
            may_keep(
                user,
                Action::RecordCommunityCheckIn,
                &r.record.community,
                r.record.department.as_deref(),
            )
        })
        .ok_or_else(|| ApiError::not_found(format!("报到记录 {id}"), format!("check-in {id}")))
}

async fn list_tasks(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<ServiceTaskRow>>> {
    checkin_of(&st, &user, id).await?;
    Ok(Json(st.store.service_tasks(id).await?))
}

#[derive(Deserialize)]
pub struct TaskBody {
    pub title: String,
    pub taken_on: Option<String>,
}

pub async fn add_task(st: &AppState, user: &User, checkin: i64, b: TaskBody) -> ApiResult<i64> {
    checkin_of(st, user, checkin).await?;
    let title = task_title(&b.title).map_err(domain_error)?;
    let taken_on = date_field("taken_on", b.taken_on.as_deref(), today())?;
    Ok(st.store.add_service_task(checkin, &title, taken_on).await?)
}

async fn create_task(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<TaskBody>,
) -> ApiResult<(StatusCode, Json<ServiceTaskRow>)> {
    let task = add_task(&st, &user, id, b).await?;
    Ok((
        StatusCode::CREATED,
        Json(task_of(&st, &user, task).await?.1),
    ))
}

/// A task of a registration the caller keeps, with that registration.
async fn task_of(
    st: &AppState,
    user: &User,
    id: i64,
) -> ApiResult<(CommunityCheckInRow, ServiceTaskRow)> {
    let not_found = || ApiError::not_found(format!("服务任务 {id}"), format!("task {id}"));
    let task = st.store.service_task(id).await?.ok_or_else(not_found)?;
    let checkin = checkin_of(st, user, task.checkin_id)
        .await
        .map_err(|_| not_found())?;
    Ok((checkin, task))
}

#[derive(Deserialize)]
pub struct CompleteBody {
    pub hours: f64,
}

pub async fn complete(st: &AppState, user: &User, id: i64, hours: f64) -> ApiResult<()> {
    task_of(st, user, id).await?;
    let minutes = service_minutes(hours).map_err(domain_error)?;
    st.store.complete_service_task(id, minutes).await?;
    Ok(())
}

async fn complete_task(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<CompleteBody>,
) -> ApiResult<Json<ServiceTaskRow>> {
    complete(&st, &user, id, b.hours).await?;
    Ok(Json(task_of(&st, &user, id).await?.1))
}

/// The community confirms: staff whose area covers the member's community (not the member's
/// department, not a party organisation).
pub async fn confirm(st: &AppState, user: &User, id: i64) -> ApiResult<()> {
    let (checkin, _) = task_of(st, user, id).await?;
    if !confirms_service_hours(&user.principal(), &checkin.record.community) {
        return Err(forbidden(
            "服务时长须由党员所在社区确认",
            "service hours are confirmed by the member's community",
        ));
    }
    st.store
        .confirm_service_task(id, Some(user.account.id))
        .await?;
    Ok(())
}

async fn confirm_task(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<ServiceTaskRow>> {
    confirm(&st, &user, id).await?;
    Ok(Json(task_of(&st, &user, id).await?.1))
}

/// A registration with its tasks, for the page.
#[derive(Serialize)]
struct CheckInWithTasks {
    row: CommunityCheckInRow,
    tasks: Vec<ServiceTaskRow>,
    hours: String,
}

#[derive(Template)]
#[template(path = "cadres.html")]
struct CadresPage {
    c: Chrome,
    secondments: Vec<SecondmentRow>,
    checkins: Vec<CheckInWithTasks>,
    kinds: Vec<(&'static str, &'static str)>,
    today: String,
    error: Option<String>,
    done: Option<String>,
    /// The areas and departments the forms offer, by name.
    places: crate::http::place_choices::PlaceChoices,
    departments: Vec<(String, String)>,
    names: std::collections::HashMap<String, String>,
}

impl CadresPage {
    /// An area's or department's name for a stored code; the code when it is unknown.
    fn name_of(&self, code: &dyn std::fmt::Display) -> String {
        let code = code.to_string();
        self.names.get(&code).cloned().unwrap_or(code)
    }
}

#[derive(Deserialize, Default)]
struct CadresQuery {
    error: Option<String>,
    done: Option<String>,
}

/// What the page says after a form succeeded (`?done=<what>`).
fn done_text(t: Lang, what: &str) -> Option<String> {
    let (zh, en) = match what {
        "secondment" => ("下沉干部已登记", "The cadre is recorded"),
        "checkin" => ("到社区报到已登记", "The member is registered"),
        "task" => ("任务已认领", "The task is taken"),
        "complete" => (
            "服务时长已填报，等待社区确认",
            "Hours reported; the community confirms them",
        ),
        "confirm" => ("服务时长已确认", "Hours confirmed"),
        _ => return None,
    };
    Some(t.s(zh, en).to_string())
}

fn hours_text(minutes: i64) -> String {
    format!("{:.1}", minutes as f64 / 60.0)
}

async fn cadres_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<CadresQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let secondments = match list_filter(&user, List::Secondments) {
            Ok(f) => st.store.secondments(&f).await?,
            Err(_) => Vec::new(),
        };
        let mut checkins = Vec::new();
        if let Ok(f) = list_filter(&user, List::CommunityCheckIns) {
            for row in st.store.community_checkins(&f).await? {
                let tasks = st.store.service_tasks(row.id).await?;
                checkins.push(CheckInWithTasks {
                    hours: hours_text(row.confirmed_minutes),
                    row,
                    tasks,
                });
            }
        }
        let known = st.grids.places();
        // Every area of the city can host a cadre or a member, whoever records it.
        let places = crate::http::place_choices::place_choices(
            known.as_deref(),
            &gongzhi_domain::access::Region::Everything,
        );
        let lookups = st.store.lookups().await?;
        let mut departments: Vec<(String, String)> = lookups
            .departments
            .values()
            .map(|d| (d.code.clone(), d.name.clone()))
            .collect();
        departments.sort();
        let mut names: std::collections::HashMap<String, String> =
            departments.iter().cloned().collect();
        if let Some(p) = known.as_deref() {
            names.extend(p.areas().map(|a| (a.code.to_string(), a.name.clone())));
        }
        Ok(render(&CadresPage {
            c: Chrome::new(t, &user, "/cadres", t.s("干部下沉", "Cadres sent down")),
            places,
            departments,
            names,
            done: q.done.as_deref().and_then(|d| done_text(t, d)),
            secondments,
            checkins,
            kinds: SecondmentKind::ALL
                .iter()
                .map(|k| (k.as_str(), k.zh()))
                .collect(),
            today: today().to_string(),
            error: q.error,
        }))
    }
    .await;
    page(t, &user, body)
}

/// The page's forms, one handler: `what` says which.
#[derive(Deserialize)]
struct CadresForm {
    csrf: String,
    what: String,
    person: Option<String>,
    home_department: Option<String>,
    host_area: Option<String>,
    kind: Option<String>,
    start: Option<String>,
    end: Option<String>,
    duty: Option<String>,
    member: Option<String>,
    work_unit: Option<String>,
    department: Option<String>,
    community: Option<String>,
    checkin: Option<i64>,
    task: Option<i64>,
    title: Option<String>,
    hours: Option<String>,
}

async fn cadres_form(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Form(f): Form<CadresForm>,
) -> Response {
    let t = lang_of(&headers);
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let result: ApiResult<()> = async {
        user.check_csrf(&f.csrf)?;
        let need = |v: Option<i64>, field: &str| {
            v.ok_or_else(|| ApiError::bad_request(field, "缺少编号", "missing id"))
        };
        match f.what.as_str() {
            "secondment" => {
                add_secondment(
                    &st,
                    &user,
                    SecondmentBody {
                        person: text(&f.person),
                        home_department: text(&f.home_department),
                        host_area: text(&f.host_area),
                        kind: text(&f.kind),
                        start: f.start.clone(),
                        end: f.end.clone(),
                        duty: text(&f.duty),
                    },
                )
                .await?;
            }
            "checkin" => {
                add_checkin(
                    &st,
                    &user,
                    CheckInBody {
                        member: text(&f.member),
                        work_unit: text(&f.work_unit),
                        // The form's "none" choice posts an empty value.
                        department: f.department.clone().filter(|d| !d.trim().is_empty()),
                        community: text(&f.community),
                        registered_on: None,
                    },
                )
                .await?;
            }
            "task" => {
                let body = TaskBody {
                    title: text(&f.title),
                    taken_on: None,
                };
                add_task(&st, &user, need(f.checkin, "checkin")?, body).await?;
            }
            "complete" => {
                let hours: f64 = text(&f.hours).trim().parse().map_err(|_| {
                    ApiError::bad_request("hours", "服务时长须为数字", "hours must be a number")
                })?;
                complete(&st, &user, need(f.task, "task")?, hours).await?;
            }
            "confirm" => confirm(&st, &user, need(f.task, "task")?).await?,
            other => {
                return Err(ApiError::bad_request(
                    "what",
                    format!("未知的操作：{other}"),
                    format!("unknown form: {other}"),
                ));
            }
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("/cadres?done={}", f.what)).into_response(),
        Err(e) => page(t, &user, Err(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::hours_text;

    #[test]
    fn hours_read_in_tenths() {
        assert_eq!(hours_text(150), "2.5");
        assert_eq!(hours_text(0), "0.0");
    }
}
