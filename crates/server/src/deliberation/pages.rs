//! The deliberation's pages: topics (a resident's own and those gathering support, staff's
//! with filters and the workbook), one topic (support it; table, decline or put it on an
//! agenda), raising a topic, meetings and one meeting (agenda, attendance, minutes, motions and
//! their votes, the resolution of a passed motion), resolutions and one resolution (its items,
//! cases or tasks, and their progress). Every form posts to `/deliberation/act` and ends on the
//! page one expects next with a success message.

use super::api::{ListQuery, MAX_ROWS, meeting_full};
use super::area_name;
use super::ops::{self, ItemInput, MeetingInput, MotionInput, TopicInput, VoteInput};
use crate::auth::{PageUser, User, lang_of};
use crate::error::ApiResult;
use crate::http::chrome::{Chrome, render};
use crate::http::pages::page;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::throttle::ClientIp;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongzhi_domain::access::{List, Listing, visible_region};
use gongzhi_domain::deliberation::{
    Majority, MeetingKind, MeetingStatus, MotionStatus, Party, TopicCategory, TopicStatus,
    VoteChoice, VotingBasis, may_run, may_support,
};
use gongzhi_store::{
    AttendanceRow, DeliberationFilter, DeliberationMeetingRow, HouseholdFilter, MotionRow, Page,
    ResolutionRow, Supporter, TopicRow, now_millis,
};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/deliberation", get(topics_page))
        .route("/deliberation/topics/new", get(new_topic_page))
        .route("/deliberation/topics/{id}", get(topic_page))
        .route("/deliberation/meetings", get(meetings_page))
        .route("/deliberation/meetings/{id}", get(meeting_page))
        .route("/deliberation/resolutions", get(resolutions_page))
        .route("/deliberation/resolutions/{id}", get(resolution_page))
        .route("/deliberation/act", post(act))
}

/// What a page says after a form succeeded (`?done=<what>`).
fn done_text(t: Lang, what: &str) -> Option<String> {
    let (zh, en) = match what {
        "raise" => (
            "议题已提出，邀请邻居一起支持",
            "The topic is raised: ask your neighbours to support it",
        ),
        "support" => ("已支持该议题", "You support this topic"),
        "table" => ("议题已列入议程", "The topic is tabled"),
        "decline" => (
            "议题已不予采纳，理由已公开",
            "The topic is declined with its reason",
        ),
        "agenda" => (
            "议题已列入本次议事会议程",
            "The topic is on the meeting's agenda",
        ),
        "meeting" => ("议事会已安排", "The meeting is scheduled"),
        "attendance" => ("参会情况已记录", "The attendance is recorded"),
        "minutes" => (
            "会议纪要已记录，议事会已召开",
            "The minutes are recorded: the meeting is held",
        ),
        "motion" => ("表决事项已提出", "The motion is put"),
        "vote" => ("表决票已记录", "The vote is recorded"),
        "close" => ("表决已结束，结果已计算", "The vote is closed and counted"),
        "resolve" => (
            "决议已形成，请添加落实事项",
            "The resolution is made: add its items",
        ),
        "item" => ("落实事项已添加", "The item is added"),
        "progress" => ("进度已记录", "The progress is recorded"),
        _ => return None,
    };
    Some(t.s(zh, en).to_string())
}

#[derive(Deserialize, Default)]
struct PageQuery {
    community: Option<String>,
    status: Option<String>,
    kind: Option<String>,
    q: Option<String>,
    done: Option<String>,
}

impl PageQuery {
    fn list(&self) -> ListQuery {
        ListQuery {
            community: self.community.clone(),
            status: self.status.clone(),
            kind: self.kind.clone(),
            q: self.q.clone(),
        }
    }

    /// The filters as a query string, for the workbook link.
    fn query(&self) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("community", &self.community),
            ("status", &self.status),
            ("kind", &self.kind),
            ("q", &self.q),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                parts.push(format!("{k}={}", escape(v)));
            }
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

fn escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The communities the caller may choose in a filter or a form: (code, name).
fn communities(st: &AppState, user: &User) -> Vec<(String, String)> {
    crate::http::place_choices::place_choices(
        st.grids.places().as_deref(),
        &visible_region(&user.principal()),
    )
    .areas
    .into_iter()
    .filter(|(code, _)| code.len() == 12 && !code.ends_with("000"))
    .collect()
}

fn labels<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    zh: fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|v| (code(*v), zh(*v))).collect()
}

/// A topic as a list or page shows it.
struct TopicView {
    t: TopicRow,
    community_name: String,
}

fn topic_views(st: &AppState, rows: Vec<TopicRow>) -> Vec<TopicView> {
    rows.into_iter()
        .map(|t| TopicView {
            community_name: area_name(st, &t.community),
            t,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "deliberation_topics.html")]
struct TopicsPage {
    c: Chrome,
    /// A resident's page: its own topics and those gathering support.
    resident: bool,
    topics: Vec<TopicView>,
    open: Vec<TopicView>,
    communities: Vec<(String, String)>,
    categories: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    community: String,
    status: String,
    kind: String,
    q: String,
    query: String,
    done: Option<String>,
    error: Option<String>,
}

async fn topics_body(
    st: &AppState,
    user: &User,
    t: Lang,
    q: &PageQuery,
    error: Option<String>,
) -> ApiResult<Response> {
    let resident = matches!(user.listing(List::Deliberations), Listing::Reports(_));
    let f = q.list().filter(user, true)?;
    let topics = topic_views(st, st.store.topics(&f, MAX_ROWS).await?);
    // Topics are public: a resident sees those gathering support anywhere (or in the
    // community chosen) to support them.
    let open = if resident {
        let mut of = DeliberationFilter {
            status: Some(TopicStatus::Open.as_str().into()),
            ..Default::default()
        };
        if let Some(c) = q.community.as_deref().filter(|c| !c.is_empty()) {
            of.area = Some(super::community(st, c)?);
        }
        topic_views(st, st.store.topics(&of, 100).await?)
    } else {
        Vec::new()
    };
    Ok(render(&TopicsPage {
        c: Chrome::new(t, user, "/deliberation", t.s("议事协商", "Deliberation")),
        resident,
        topics,
        open,
        communities: if resident {
            st.grids
                .places()
                .map(|p| {
                    let mut v: Vec<(String, String)> = p
                        .areas()
                        .filter(|a| a.code.level() == gongzhi_domain::codes::AreaLevel::Community)
                        .map(|a| (a.code.to_string(), a.name.clone()))
                        .collect();
                    v.sort();
                    v
                })
                .unwrap_or_default()
        } else {
            communities(st, user)
        },
        categories: labels(TopicCategory::ALL, TopicCategory::as_str, TopicCategory::zh),
        statuses: labels(TopicStatus::ALL, TopicStatus::as_str, TopicStatus::zh),
        community: q.community.clone().unwrap_or_default(),
        status: q.status.clone().unwrap_or_default(),
        kind: q.kind.clone().unwrap_or_default(),
        q: q.q.clone().unwrap_or_default(),
        query: q.query(),
        done: q.done.as_deref().and_then(|d| done_text(t, d)),
        error,
    }))
}

async fn topics_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = topics_body(&st, &user, t, &q, None).await;
    page(t, &user, body)
}

#[derive(Template)]
#[template(path = "deliberation_topic_new.html")]
struct NewTopicPage {
    c: Chrome,
    communities: Vec<(String, String)>,
    categories: Vec<(&'static str, &'static str)>,
    community: String,
    error: Option<String>,
}

async fn new_topic_body(
    st: &AppState,
    user: &User,
    t: Lang,
    community: &str,
    error: Option<String>,
) -> ApiResult<Response> {
    let resident = matches!(user.listing(List::Deliberations), Listing::Reports(_));
    let communities = if resident {
        st.grids
            .places()
            .map(|p| {
                let mut v: Vec<(String, String)> = p
                    .areas()
                    .filter(|a| a.code.level() == gongzhi_domain::codes::AreaLevel::Community)
                    .map(|a| (a.code.to_string(), a.name.clone()))
                    .collect();
                v.sort();
                v
            })
            .unwrap_or_default()
    } else {
        communities(st, user)
    };
    Ok(render(&NewTopicPage {
        c: Chrome::new(t, user, "/deliberation", t.s("提出议题", "Raise a topic")),
        communities,
        categories: labels(TopicCategory::ALL, TopicCategory::as_str, TopicCategory::zh),
        community: community.to_string(),
        error,
    }))
}

#[derive(Deserialize, Default)]
struct NewQuery {
    community: Option<String>,
}

async fn new_topic_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<NewQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = new_topic_body(&st, &user, t, q.community.as_deref().unwrap_or(""), None).await;
    page(t, &user, body)
}

#[derive(Template)]
#[template(path = "deliberation_topic.html")]
struct TopicPage {
    c: Chrome,
    v: TopicView,
    threshold: u32,
    /// The caller is a resident who may support it (and has not yet).
    may_support: bool,
    supported: bool,
    /// The caller runs deliberation in its community.
    runs: bool,
    /// Scheduled meetings of its community, for the agenda.
    meetings: Vec<DeliberationMeetingRow>,
    done: Option<String>,
    error: Option<String>,
}

async fn topic_body(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    done: Option<String>,
    error: Option<String>,
) -> ApiResult<Response> {
    let row = ops::topic(st, id).await?;
    let p = user.principal();
    let runs = may_run(&p, &row.community);
    let meetings = if runs {
        let f = DeliberationFilter {
            area: Some(row.community),
            status: Some(MeetingStatus::Scheduled.as_str().into()),
            ..Default::default()
        };
        st.store.meetings(&f, 50).await?
    } else {
        Vec::new()
    };
    let supporter = may_support(&p, &row.community);
    let supported = supporter
        && st
            .store
            .has_supported(id, &Supporter::Account(user.account.id))
            .await?;
    let threshold = st
        .store
        .deliberation_settings(Some(&row.community))
        .await?
        .support_threshold;
    Ok(render(&TopicPage {
        c: Chrome::new(t, user, "/deliberation", t.s("议题", "Topic")),
        may_support: supporter
            && !supported
            && matches!(row.status, TopicStatus::Open | TopicStatus::Tabled),
        supported,
        runs,
        meetings,
        threshold,
        v: TopicView {
            community_name: area_name(st, &row.community),
            t: row,
        },
        done,
        error,
    }))
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

async fn topic_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = topic_body(
        &st,
        &user,
        t,
        id,
        q.done.as_deref().and_then(|d| done_text(t, d)),
        None,
    )
    .await;
    page(t, &user, body)
}

#[derive(Template)]
#[template(path = "deliberation_meetings.html")]
struct MeetingsPage {
    c: Chrome,
    meetings: Vec<(DeliberationMeetingRow, String)>,
    communities: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    parties: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    departments: Vec<(String, String)>,
    /// The caller may schedule meetings (it runs deliberation in some community listed).
    may_schedule: bool,
    community: String,
    status: String,
    kind: String,
    q: String,
    query: String,
    today: String,
    done: Option<String>,
    error: Option<String>,
}

async fn meetings_body(
    st: &AppState,
    user: &User,
    t: Lang,
    q: &PageQuery,
    error: Option<String>,
) -> ApiResult<Response> {
    let f = q.list().filter(user, false)?;
    let meetings = st
        .store
        .meetings(&f, MAX_ROWS)
        .await?
        .into_iter()
        .map(|m| {
            let name = area_name(st, &m.community);
            (m, name)
        })
        .collect();
    let communities: Vec<(String, String)> = communities(st, user)
        .into_iter()
        .filter(|(code, _)| {
            gongzhi_domain::codes::AreaCode::parse(code)
                .is_ok_and(|c| may_run(&user.principal(), &c))
        })
        .collect();
    let mut departments: Vec<(String, String)> = st
        .store
        .lookups()
        .await?
        .departments
        .values()
        .map(|d| (d.code.clone(), d.name.clone()))
        .collect();
    departments.sort();
    Ok(render(&MeetingsPage {
        c: Chrome::new(t, user, "/deliberation/meetings", t.s("议事会", "Meetings")),
        meetings,
        may_schedule: !communities.is_empty(),
        communities,
        kinds: labels(MeetingKind::ALL, MeetingKind::as_str, MeetingKind::zh),
        parties: labels(Party::ALL, Party::as_str, Party::zh),
        statuses: labels(MeetingStatus::ALL, MeetingStatus::as_str, MeetingStatus::zh),
        departments,
        community: q.community.clone().unwrap_or_default(),
        status: q.status.clone().unwrap_or_default(),
        kind: q.kind.clone().unwrap_or_default(),
        q: q.q.clone().unwrap_or_default(),
        query: q.query(),
        today: ops::today().to_string(),
        done: q.done.as_deref().and_then(|d| done_text(t, d)),
        error,
    }))
}

async fn meetings_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = meetings_body(&st, &user, t, &q, None).await;
    page(t, &user, body)
}

#[derive(Template)]
#[template(path = "deliberation_meeting.html")]
struct MeetingPage {
    c: Chrome,
    m: DeliberationMeetingRow,
    community_name: String,
    /// The departments invited, by name.
    department_names: String,
    agenda: Vec<TopicRow>,
    attendance: Vec<AttendanceRow>,
    motions: Vec<MotionRow>,
    runs: bool,
    /// Tabled topics of the community not on an agenda yet.
    tabled: Vec<TopicRow>,
    /// The community's households, for the votes: (id, "building room").
    households: Vec<(i64, String)>,
    parties: Vec<(&'static str, &'static str)>,
    bases: Vec<(&'static str, &'static str)>,
    majorities: Vec<(&'static str, &'static str)>,
    choices: Vec<(&'static str, &'static str)>,
    default_quorum: u32,
    done: Option<String>,
    error: Option<String>,
}

async fn meeting_body(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    done: Option<String>,
    error: Option<String>,
) -> ApiResult<Response> {
    let full = meeting_full(st, user, id).await?;
    let m = full.meeting;
    let runs = may_run(&user.principal(), &m.community);
    let tabled = if runs {
        let f = DeliberationFilter {
            area: Some(m.community),
            status: Some(TopicStatus::Tabled.as_str().into()),
            ..Default::default()
        };
        st.store
            .topics(&f, 100)
            .await?
            .into_iter()
            .filter(|t| t.meeting_id.is_none())
            .collect()
    } else {
        Vec::new()
    };
    let households = if runs
        && full
            .motions
            .iter()
            .any(|v| v.status == MotionStatus::Voting)
    {
        st.store
            .households(&HouseholdFilter {
                area: Some(m.community),
                page: Page {
                    offset: 0,
                    limit: 2_000,
                },
                ..Default::default()
            })
            .await?
            .into_iter()
            .map(|h| (h.id, format!("{} {}", h.building_name, h.room)))
            .collect()
    } else {
        Vec::new()
    };
    let s = st.store.deliberation_settings(Some(&m.community)).await?;
    let lookups = st.store.lookups().await?;
    let department_names = m
        .departments
        .iter()
        .map(|d| {
            lookups
                .departments
                .get(d)
                .map_or(d.as_str(), |r| r.name.as_str())
        })
        .collect::<Vec<_>>()
        .join("、");
    Ok(render(&MeetingPage {
        department_names,
        c: Chrome::new(t, user, "/deliberation/meetings", &m.title),
        community_name: area_name(st, &m.community),
        agenda: full.agenda,
        attendance: full.attendance,
        motions: full.motions,
        runs,
        tabled,
        households,
        parties: m.invited.iter().map(|p| (p.as_str(), p.zh())).collect(),
        bases: labels(VotingBasis::ALL, VotingBasis::as_str, VotingBasis::zh),
        majorities: labels(Majority::ALL, Majority::as_str, Majority::zh),
        choices: labels(VoteChoice::ALL, VoteChoice::as_str, VoteChoice::zh),
        default_quorum: s.quorum_pct,
        m,
        done,
        error,
    }))
}

async fn meeting_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = meeting_body(
        &st,
        &user,
        t,
        id,
        q.done.as_deref().and_then(|d| done_text(t, d)),
        None,
    )
    .await;
    page(t, &user, body)
}

#[derive(Template)]
#[template(path = "deliberation_resolutions.html")]
struct ResolutionsPage {
    c: Chrome,
    resolutions: Vec<(ResolutionRow, String)>,
    communities: Vec<(String, String)>,
    community: String,
    q: String,
    query: String,
}

async fn resolutions_body(
    st: &AppState,
    user: &User,
    t: Lang,
    q: &PageQuery,
) -> ApiResult<Response> {
    let f = q.list().filter(user, false)?;
    let resolutions = st
        .store
        .resolutions(&f, MAX_ROWS, now_millis())
        .await?
        .into_iter()
        .map(|r| {
            let name = area_name(st, &r.community);
            (r, name)
        })
        .collect();
    Ok(render(&ResolutionsPage {
        c: Chrome::new(
            t,
            user,
            "/deliberation/resolutions",
            t.s("决议落实", "Resolutions"),
        ),
        resolutions,
        communities: communities(st, user),
        community: q.community.clone().unwrap_or_default(),
        q: q.q.clone().unwrap_or_default(),
        query: q.query(),
    }))
}

async fn resolutions_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = resolutions_body(&st, &user, t, &q).await;
    page(t, &user, body)
}

#[derive(Template)]
#[template(path = "deliberation_resolution.html")]
struct ResolutionPage {
    c: Chrome,
    r: ResolutionRow,
    community_name: String,
    runs: bool,
    /// 督办: the caller may issue supervision orders on the resolution's tasks.
    supervise: bool,
    categories: Vec<(String, String)>,
    today: String,
    done: Option<String>,
    error: Option<String>,
}

async fn resolution_body(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    done: Option<String>,
    error: Option<String>,
) -> ApiResult<Response> {
    let r = ops::resolution(st, user, id).await?;
    let runs = may_run(&user.principal(), &r.community);
    let categories = if runs {
        st.store
            .lookups()
            .await?
            .categories
            .values()
            .filter(|c| c.accepts_reports())
            .map(|c| (c.code.clone(), c.name.clone()))
            .collect::<std::collections::BTreeMap<_, _>>()
            .into_iter()
            .collect()
    } else {
        Vec::new()
    };
    Ok(render(&ResolutionPage {
        c: Chrome::new(t, user, "/deliberation/resolutions", &r.title),
        community_name: area_name(st, &r.community),
        runs,
        supervise: user
            .may(
                gongzhi_domain::access::Action::IssueSupervision,
                &gongzhi_domain::access::Target::Area(r.community),
            )
            .is_ok(),
        categories,
        today: ops::today().to_string(),
        r,
        done,
        error,
    }))
}

async fn resolution_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = resolution_body(
        &st,
        &user,
        t,
        id,
        q.done.as_deref().and_then(|d| done_text(t, d)),
        None,
    )
    .await;
    page(t, &user, body)
}

/// The pages' forms, one handler: `what` says which.
#[derive(Default)]
struct ActForm {
    csrf: String,
    what: String,
    topic_id: Option<i64>,
    meeting_id: Option<i64>,
    motion_id: Option<i64>,
    resolution_id: Option<i64>,
    item_id: Option<i64>,
    household_id: Option<i64>,
    community: Option<String>,
    category: Option<String>,
    title: Option<String>,
    description: Option<String>,
    reason: Option<String>,
    kind: Option<String>,
    held_on: Option<String>,
    place: Option<String>,
    /// Parties invited, comma-joined by the form's checkboxes (each `invited` value).
    invited: Vec<String>,
    departments: Vec<String>,
    party: Option<String>,
    count: Option<String>,
    note: Option<String>,
    minutes: Option<String>,
    basis: Option<String>,
    quorum_pct: Option<String>,
    majority: Option<String>,
    choice: Option<String>,
    owner: Option<String>,
    due_on: Option<String>,
    progress: Option<String>,
}

fn number(field: &str, v: &Option<String>) -> ApiResult<u32> {
    let s = v.as_deref().map(str::trim).unwrap_or("");
    s.parse().map_err(|_| {
        super::bad(
            field,
            format!("“{s}”不是数字"),
            format!("'{s}' is not a number"),
        )
    })
}

fn need(v: Option<i64>, field: &str) -> ApiResult<i64> {
    v.ok_or_else(|| super::bad(field, "缺少编号", "missing id"))
}

/// Where a form goes back to: (path, page kind, id).
enum Back {
    Topics,
    NewTopic,
    Topic(i64),
    Meetings,
    Meeting(i64),
    Resolution(i64),
}

impl Back {
    fn path(&self) -> String {
        match self {
            Back::Topics => "/deliberation".into(),
            Back::NewTopic => "/deliberation/topics/new".into(),
            Back::Topic(id) => format!("/deliberation/topics/{id}"),
            Back::Meetings => "/deliberation/meetings".into(),
            Back::Meeting(id) => format!("/deliberation/meetings/{id}"),
            Back::Resolution(id) => format!("/deliberation/resolutions/{id}"),
        }
    }
}

async fn act(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    PageUser(user): PageUser,
    headers: HeaderMap,
    axum_extra_form: Form<Vec<(String, String)>>,
) -> Response {
    let t = lang_of(&headers);
    let f = act_form(&axum_extra_form.0);
    let at = now_millis();
    let result: ApiResult<Back> = async {
        user.check_csrf(&f.csrf)?;
        Ok(match f.what.as_str() {
            "raise" => {
                let r = ops::raise(
                    &st,
                    Some(&user),
                    TopicInput {
                        community: f.community.clone().unwrap_or_default(),
                        category: f.category.clone().unwrap_or_default(),
                        title: f.title.clone().unwrap_or_default(),
                        description: f.description.clone().unwrap_or_default(),
                    },
                    at,
                )
                .await?;
                Back::Topic(r.id)
            }
            "support" => {
                let id = need(f.topic_id, "topic_id")?;
                ops::support(&st, Some(&user), None, ip, id, at).await?;
                Back::Topic(id)
            }
            "table" => {
                let id = need(f.topic_id, "topic_id")?;
                ops::table(&st, &user, id).await?;
                Back::Topic(id)
            }
            "decline" => {
                let id = need(f.topic_id, "topic_id")?;
                ops::decline(&st, &user, id, f.reason.as_deref().unwrap_or("")).await?;
                Back::Topic(id)
            }
            "agenda" => {
                let m = need(f.meeting_id, "meeting_id")?;
                ops::add_to_agenda(&st, &user, m, need(f.topic_id, "topic_id")?).await?;
                Back::Meeting(m)
            }
            "meeting" => {
                let id = ops::create_meeting(
                    &st,
                    &user,
                    MeetingInput {
                        community: f.community.clone().unwrap_or_default(),
                        kind: f.kind.clone().unwrap_or_default(),
                        title: f.title.clone().unwrap_or_default(),
                        held_on: f.held_on.clone().unwrap_or_default(),
                        place: f.place.clone().unwrap_or_default(),
                        invited: f.invited.clone(),
                        departments: f.departments.clone(),
                    },
                )
                .await?;
                Back::Meeting(id)
            }
            "attendance" => {
                let m = need(f.meeting_id, "meeting_id")?;
                ops::attendance(
                    &st,
                    &user,
                    m,
                    f.party.as_deref().unwrap_or(""),
                    number("count", &f.count)?,
                    f.note.as_deref().unwrap_or(""),
                )
                .await?;
                Back::Meeting(m)
            }
            "minutes" => {
                let m = need(f.meeting_id, "meeting_id")?;
                ops::minutes(&st, &user, m, f.minutes.as_deref().unwrap_or("")).await?;
                Back::Meeting(m)
            }
            "motion" => {
                let m = need(f.meeting_id, "meeting_id")?;
                let quorum = match f
                    .quorum_pct
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                {
                    Some(_) => Some(number("quorum_pct", &f.quorum_pct)?),
                    None => None,
                };
                ops::put_motion(
                    &st,
                    &user,
                    m,
                    MotionInput {
                        title: f.title.clone().unwrap_or_default(),
                        topic_id: f.topic_id,
                        basis: f.basis.clone(),
                        quorum_pct: quorum,
                        majority: f.majority.clone(),
                    },
                )
                .await?;
                Back::Meeting(m)
            }
            "vote" => {
                let v = need(f.motion_id, "motion_id")?;
                let (row, _) = ops::motion(&st, &user, v).await?;
                ops::vote(
                    &st,
                    &user,
                    v,
                    VoteInput {
                        household_id: f.household_id,
                        resident_id: None,
                        choice: f.choice.clone().unwrap_or_default(),
                    },
                )
                .await?;
                Back::Meeting(row.meeting_id)
            }
            "close" => {
                let v = need(f.motion_id, "motion_id")?;
                let row = ops::close(&st, &user, v).await?;
                Back::Meeting(row.meeting_id)
            }
            "resolve" => {
                let v = need(f.motion_id, "motion_id")?;
                let r = ops::resolve(&st, &user, v, f.title.as_deref().unwrap_or("")).await?;
                Back::Resolution(r)
            }
            "item" => {
                let r = need(f.resolution_id, "resolution_id")?;
                let added = ops::add_item(
                    &st,
                    &user,
                    r,
                    ItemInput {
                        kind: f.kind.clone().unwrap_or_default(),
                        description: f.description.clone().unwrap_or_default(),
                        category: f.category.clone(),
                        lon: None,
                        lat: None,
                        address: None,
                        owner: f.owner.clone(),
                        due_on: f.due_on.clone(),
                    },
                    at,
                )
                .await?;
                if let Some(e) = added.case_error {
                    return Err(e);
                }
                Back::Resolution(r)
            }
            "progress" => {
                let item = need(f.item_id, "item_id")?;
                let r = ops::progress(
                    &st,
                    &user,
                    item,
                    number("progress", &f.progress)?,
                    f.note.as_deref().unwrap_or(""),
                )
                .await?;
                Back::Resolution(r.id)
            }
            other => {
                return Err(super::bad(
                    "what",
                    format!("未知的操作：{other}"),
                    format!("unknown form: {other}"),
                ));
            }
        })
    }
    .await;
    match result {
        Ok(back) => Redirect::to(&format!("{}?done={}", back.path(), f.what)).into_response(),
        Err(e) => {
            let msg = Some(crate::cases::service::message(&e, t.is_en()));
            let back = match f.what.as_str() {
                "raise" => Back::NewTopic,
                "support" | "table" | "decline" => Back::Topic(f.topic_id.unwrap_or_default()),
                "meeting" => Back::Meetings,
                "item" | "progress" if f.resolution_id.is_some() => {
                    Back::Resolution(f.resolution_id.unwrap_or_default())
                }
                _ => match f.meeting_id {
                    Some(m) => Back::Meeting(m),
                    None => Back::Topics,
                },
            };
            let body = match back {
                Back::Topics => topics_body(&st, &user, t, &PageQuery::default(), msg).await,
                Back::NewTopic => {
                    new_topic_body(&st, &user, t, f.community.as_deref().unwrap_or(""), msg).await
                }
                Back::Topic(id) => topic_body(&st, &user, t, id, None, msg).await,
                Back::Meetings => meetings_body(&st, &user, t, &PageQuery::default(), msg).await,
                Back::Meeting(id) => meeting_body(&st, &user, t, id, None, msg).await,
                Back::Resolution(id) => resolution_body(&st, &user, t, id, None, msg).await,
            };
            match body {
                Ok(p) => e.mark(p),
                Err(_) => page(t, &user, Err(e)),
            }
        }
    }
}

/// The form's fields; repeated `invited` and `departments` are kept as lists.
fn act_form(pairs: &[(String, String)]) -> ActForm {
    let mut f = ActForm::default();
    let id = |v: &str| v.trim().parse::<i64>().ok();
    let text = |v: &str| Some(v.to_string());
    for (k, v) in pairs {
        match k.as_str() {
            "csrf" => f.csrf = v.clone(),
            "what" => f.what = v.clone(),
            "topic_id" => f.topic_id = id(v),
            "meeting_id" => f.meeting_id = id(v),
            "motion_id" => f.motion_id = id(v),
            "resolution_id" => f.resolution_id = id(v),
            "item_id" => f.item_id = id(v),
            "household_id" => f.household_id = id(v),
            "community" => f.community = text(v),
            "category" => f.category = text(v),
            "title" => f.title = text(v),
            "description" => f.description = text(v),
            "reason" => f.reason = text(v),
            "kind" => f.kind = text(v),
            "held_on" => f.held_on = text(v),
            "place" => f.place = text(v),
            "invited" => f.invited.push(v.clone()),
            "departments" if !v.trim().is_empty() => f.departments.push(v.clone()),
            "party" => f.party = text(v),
            "count" => f.count = text(v),
            "note" => f.note = text(v),
            "minutes" => f.minutes = text(v),
            "basis" => f.basis = text(v),
            "quorum_pct" => f.quorum_pct = text(v),
            "majority" => f.majority = text(v),
            "choice" => f.choice = text(v),
            "owner" => f.owner = text(v),
            "due_on" => f.due_on = text(v),
            "progress" => f.progress = text(v),
            _ => {}
        }
    }
    f
}
