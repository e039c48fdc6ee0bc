//! 三会一课: recording a party organisation's meetings (with attendance by name or by head
//! count) and the cadence warnings of every organisation in the caller's region.

use super::{area_names, narrowed, past_date, place_region, region, text, today};
use crate::auth::{ApiUser, PageUser, User, lang_of};
use crate::cases::import_table::{sheet_error, xlsx_attachment};
use crate::error::{ApiError, ApiResult};
use crate::http::chrome::{Chrome, render};
use crate::http::pages::page;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Json, Router};
use gongzhi_domain::access::{Action, Target};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::party::meetings::{
    CadenceWarning, Lapse, MeetingKind, OrgMeetings, cadence_warnings, required_meetings,
};
use gongzhi_store::{MeetingRow, NewMeeting, OrgRef};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/party/meetings", get(list_api).post(create_api))
        .route("/api/v1/party/cadence", get(cadence_api))
        .route("/party/meetings", get(meetings_page).post(meetings_form))
        .route("/party/meetings.xlsx", get(export))
}

/// A meeting as the API takes it.
#[derive(Deserialize, Default)]
pub struct MeetingBody {
    pub org_id: i64,
    pub kind: String,
    pub held_on: String,
    pub topic: String,
    #[serde(default)]
    pub minutes: String,
    /// Members present by id; or leave empty and give `attended`.
    #[serde(default)]
    pub attendees: Vec<i64>,
    pub attended: Option<i64>,
}

/// Checks and records a meeting: the organisation is the caller's, live on the day, and owes
/// this kind of meeting.
pub async fn record(st: &AppState, user: &User, b: MeetingBody) -> ApiResult<i64> {
    let org = st.store.party_org_ref(b.org_id).await?.ok_or_else(|| {
        ApiError::not_found(
            format!("党组织 {}", b.org_id),
            format!("party organisation {}", b.org_id),
        )
    })?;
    let area = AreaCode::parse(&org.area_code)
        .map_err(|e| ApiError::from_bilingual(StatusCode::INTERNAL_SERVER_ERROR, &e))?;
    user.may(Action::ManagePartyOrg, &Target::Area(area))?;
    let kind = MeetingKind::parse(&b.kind).ok_or_else(|| {
        let names: Vec<&str> = MeetingKind::ALL.iter().map(|k| k.zh()).collect();
        ApiError::bad_request(
            "kind",
            format!(
                "会议类型“{}”无效，可选：{}",
                b.kind.trim(),
                names.join("、")
            ),
            format!("unknown meeting kind '{}'", b.kind.trim()),
        )
    })?;
    let owed = required_meetings(org.level, org.has_committee);
    if !owed.contains(&kind) {
        let names: Vec<&str> = owed.iter().map(|k| k.zh()).collect();
        return Err(ApiError::bad_request(
            "kind",
            format!(
                "{}（{}）不召开{}，应召开：{}",
                org.name,
                org.level.zh(),
                kind.zh(),
                names.join("、")
            ),
            format!(
                "a {} does not hold a {}",
                org.level.en(),
                kind.en().to_lowercase()
            ),
        ));
    }
    let held_on = past_date("held_on", &b.held_on)?;
    if held_on < org.founded_on || org.dissolved_on.is_some_and(|d| held_on > d) {
        return Err(ApiError::bad_request(
            "held_on",
            format!("{} 时{}尚未成立或已撤销", held_on, org.name),
            format!("the organisation did not exist on {held_on}"),
        ));
    }
    let meeting = NewMeeting {
        org_id: org.id,
        kind,
        held_on,
        topic: text("topic", "会议主题", &b.topic, 200)?,
        minutes: b.minutes.trim().chars().take(20_000).collect(),
        attendees: b.attendees,
        attended: b.attended,
    };
    if meeting.attendees.is_empty() && meeting.attended.is_none() {
        return Err(ApiError::bad_request(
            "attended",
            "请填写出席人数或勾选出席党员",
            "give the attendance: members present or a head count",
        ));
    }
    st.store
        .add_party_meeting(&meeting, &user.actor(), gongzhi_store::now_millis())
        .await
        .map_err(|e| {
            let mut err = ApiError::from(e);
            if err.status == StatusCode::CONFLICT {
                err.status = StatusCode::BAD_REQUEST;
                err.body.field = Some("attendees".into());
            }
            err
        })
}

#[derive(Deserialize, Default)]
struct ListQuery {
    org: Option<i64>,
    area: Option<String>,
}

async fn list_api(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<MeetingRow>>> {
    let area = narrowed(region(&user)?, q.area.as_deref())?;
    Ok(Json(
        st.store.party_meetings(area.as_ref(), q.org, 2000).await?,
    ))
}

async fn create_api(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<MeetingBody>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let id = record(&st, &user, b).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id }))))
}

/// One organisation's warnings.
#[derive(Serialize)]
pub struct OrgCadence {
    pub org_id: i64,
    pub org_name: String,
    pub level: &'static str,
    pub area_code: String,
    pub warnings: Vec<WarningView>,
}

#[derive(Serialize)]
pub struct WarningView {
    pub kind: MeetingKind,
    pub period_start: Date,
    pub period_end: Date,
    pub lapse: Lapse,
    /// The period is over (a reminder in red) rather than running.
    pub missed: bool,
    pub message: String,
    pub message_en: String,
}

impl From<&CadenceWarning> for WarningView {
    fn from(w: &CadenceWarning) -> Self {
        WarningView {
            kind: w.kind,
            period_start: w.period.start(),
            period_end: w.period.end().add_days(-1),
            lapse: w.lapse,
            missed: w.lapse == Lapse::Missed,
            message: w.zh(),
            message_en: w.en(),
        }
    }
}

/// Every live organisation in `area` with a meeting missed or due since `since`, the ones
/// with missed meetings first.
pub async fn cadence(
    st: &AppState,
    area: Option<&AreaCode>,
    since: Date,
    on: Date,
) -> ApiResult<Vec<OrgCadence>> {
    let rules = super::cadence_rules(st).await?;
    let orgs = st.store.party_org_refs(area).await?;
    let held = st.store.meeting_dates_since(area, since).await?;
    let mut out: Vec<OrgCadence> = orgs
        .iter()
        .filter(|o| o.dissolved_on.is_none_or(|d| d >= since))
        .filter_map(|o: &OrgRef| {
            let meetings = held.get(&o.id).map(Vec::as_slice).unwrap_or(&[]);
            let w = cadence_warnings(
                &OrgMeetings {
                    level: o.level,
                    has_committee: o.has_committee,
                    founded_on: o.founded_on,
                    dissolved_on: o.dissolved_on,
                    held: meetings,
                },
                &rules,
                since,
                on,
            );
            (!w.is_empty()).then(|| OrgCadence {
                org_id: o.id,
                org_name: o.name.clone(),
                level: o.level.zh(),
                area_code: o.area_code.clone(),
                warnings: w.iter().map(WarningView::from).collect(),
            })
        })
        .collect();
    out.sort_by_key(|o| {
        std::cmp::Reverse(
            o.warnings
                .iter()
                .filter(|w| w.lapse == Lapse::Missed)
                .count(),
        )
    });
    Ok(out)
}

#[derive(Deserialize, Default)]
struct CadenceQuery {
    area: Option<String>,
    since: Option<String>,
    on: Option<String>,
}

fn date_or(field: &str, raw: Option<&str>, default: Date) -> ApiResult<Date> {
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

/// The start of the year `on` falls in: the default look-back.
fn year_start(on: Date) -> Date {
    Date::new(on.year(), 1, 1).expect("first of January")
}

async fn cadence_api(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<CadenceQuery>,
) -> ApiResult<Json<Vec<OrgCadence>>> {
    let area = narrowed(region(&user)?, q.area.as_deref())?;
    let on = date_or("on", q.on.as_deref(), today())?;
    let since = date_or("since", q.since.as_deref(), year_start(on))?;
    if since > on {
        return Err(ApiError::bad_request(
            "since",
            "起始日期不能晚于检查日期",
            "since must not be after on",
        ));
    }
    Ok(Json(cadence(&st, area.as_ref(), since, on).await?))
}

#[derive(Template)]
#[template(path = "party_meetings.html")]
struct MeetingsPage {
    c: Chrome,
    done: Option<String>,
    error: Option<String>,
    cadence: Vec<OrgCadence>,
    meetings: Vec<MeetingRow>,
    orgs: Vec<(i64, String)>,
    /// The organisation chosen for attendance by name, with its members.
    chosen: Option<(OrgRef, Vec<(i64, String)>)>,
    kinds: Vec<(&'static str, &'static str)>,
    today: String,
    places: crate::http::place_choices::PlaceChoices,
    area: String,
    grid: String,
    names: std::collections::HashMap<String, String>,
}

impl MeetingsPage {
    fn area_name(&self, code: &str) -> String {
        self.names
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }
}

#[derive(Deserialize, Default)]
struct PageQuery {
    org: Option<i64>,
    area: Option<String>,
    done: Option<String>,
}

async fn meetings_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Response {
    let t = lang_of(&headers);
    let done = q
        .done
        .as_deref()
        .map(|_| t.s("会议已记录", "The meeting is recorded").to_string());
    let body = render_page(&st, &user, t, &q, done, None).await;
    page(t, &user, body)
}

async fn render_page(
    st: &AppState,
    user: &User,
    t: Lang,
    q: &PageQuery,
    done: Option<String>,
    error: Option<String>,
) -> ApiResult<Response> {
    let own = region(user)?;
    let area = narrowed(own, q.area.as_deref())?;
    let on = today();
    let cadence = cadence(st, area.as_ref(), year_start(on), on).await?;
    let meetings = st.store.party_meetings(area.as_ref(), q.org, 200).await?;
    let orgs: Vec<(i64, String)> = st
        .store
        .party_org_refs(own.as_ref())
        .await?
        .into_iter()
        .filter(|o| o.dissolved_on.is_none())
        .map(|o| (o.id, format!("{}（{}）", o.name, o.level.zh())))
        .collect();
    let chosen = match q.org {
        Some(id) => match st.store.party_org_ref(id).await? {
            Some(o) if orgs.iter().any(|(i, _)| *i == o.id) => {
                let members = st.store.party_org_member_names(o.id).await?;
                Some((o, members))
            }
            _ => None,
        },
        None => None,
    };
    let places = crate::http::place_choices::place_choices(
        st.grids.places().as_deref(),
        &place_region(own.as_ref()),
    );
    Ok(render(&MeetingsPage {
        c: Chrome::new(
            t,
            user,
            "/party/meetings",
            t.s("三会一课", "Party meetings"),
        ),
        done,
        error,
        cadence,
        meetings,
        orgs,
        // An organisation in hand is offered only the meetings it owes.
        kinds: match &chosen {
            Some((o, _)) => required_meetings(o.level, o.has_committee),
            None => MeetingKind::ALL.to_vec(),
        }
        .into_iter()
        .map(|k| (k.as_str(), k.zh()))
        .collect(),
        chosen,
        today: on.to_string(),
        places,
        area: area.map(|a| a.to_string()).unwrap_or_default(),
        grid: String::new(),
        names: area_names(st),
    }))
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// The page's form: the organisation, kind, date, topic, minutes and either the checked
/// members (repeated `attendee` fields) or a head count (`attended`).
fn form_meeting(pairs: &[(String, String)]) -> ApiResult<MeetingBody> {
    let whole = |name: &str, zh: &str, en: &str| -> ApiResult<Option<i64>> {
        match field(pairs, name).trim() {
            "" => Ok(None),
            s => s
                .parse::<i64>()
                .map(Some)
                .map_err(|_| ApiError::bad_request(name, zh, en)),
        }
    };
    let org_id = whole("org_id", "请选择党组织", "choose an organisation")?
        .ok_or_else(|| ApiError::bad_request("org_id", "请选择党组织", "choose an organisation"))?;
    let attendees = pairs
        .iter()
        .filter(|(k, _)| k == "attendee")
        .map(|(_, v)| {
            v.trim().parse::<i64>().map_err(|_| {
                ApiError::bad_request("attendee", "出席党员无效", "an attendee is not valid")
            })
        })
        .collect::<ApiResult<Vec<i64>>>()?;
    Ok(MeetingBody {
        org_id,
        kind: field(pairs, "kind").to_string(),
        held_on: field(pairs, "held_on").to_string(),
        topic: field(pairs, "topic").to_string(),
        minutes: field(pairs, "minutes").to_string(),
        attendees,
        attended: whole(
            "attended",
            "出席人数须为整数",
            "attendance must be a whole number",
        )?,
    })
}

pub(crate) fn message(t: Lang, e: &ApiError) -> String {
    match t {
        Lang::Zh => e.body.message.clone(),
        Lang::En => e.body.message_en.clone(),
    }
}

async fn meetings_form(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        user.check_csrf(field(&pairs, "csrf"))?;
        record(&st, &user, form_meeting(&pairs)?).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to("/party/meetings?done=meeting").into_response(),
        Err(e) => {
            let q = PageQuery {
                org: field(&pairs, "org_id").trim().parse().ok(),
                ..Default::default()
            };
            match render_page(&st, &user, t, &q, None, Some(message(t, &e))).await {
                Ok(mut r) => {
                    *r.status_mut() = e.status;
                    r
                }
                Err(e2) => page(t, &user, Err(e2)),
            }
        }
    }
}

async fn export(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    let area = narrowed(region(&user)?, q.area.as_deref())?;
    let rows = st
        .store
        .party_meetings(area.as_ref(), q.org, 50_000)
        .await?;
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|m| {
            vec![
                m.org_name.clone(),
                m.kind.zh().to_string(),
                m.held_on.to_string(),
                m.topic.clone(),
                m.expected.to_string(),
                m.attended.to_string(),
                m.minutes.clone(),
            ]
        })
        .collect();
    let bytes = gongzhi_sheets::write_table(
        "三会一课",
        &[
            "党组织",
            "会议类型",
            "日期",
            "主题",
            "应到",
            "实到",
            "会议记录",
        ],
        &table,
    )
    .map_err(sheet_error)?;
    let region_text = area
        .map(|a| format!("area:{a}"))
        .unwrap_or_else(|| "all".into());
    crate::http::api_io::audit_export(
        &st,
        &user,
        "party_meetings",
        &region_text,
        "xlsx",
        rows.len(),
    )
    .await?;
    Ok(xlsx_attachment(bytes, "party-meetings.xlsx"))
}
