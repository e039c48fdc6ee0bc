//! A community's public results page (`/c/{code}/results`, and its JSON under
//! `/api/v1/public/c/{code}/results`): no account, readable on a phone, no personal data —
//! topics gathering support and tabled, meetings held, motion results with their numbers, and
//! resolutions with the state of each case or task (done, in progress, overdue). A resident
//! without an account supports an open topic here with the lookup code they were given.

use super::ops;
use crate::auth::lang_of;
use crate::error::{ApiError, ApiResult};
use crate::http::chrome::render;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::throttle::ClientIp;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongzhi_domain::deliberation::{ItemState, MeetingStatus, TopicStatus};
use gongzhi_store::{DeliberationFilter, now_millis};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/c/{code}/results", get(results_page))
        .route("/c/{code}/topics/{id}/support", post(support_form))
}

/// Most rows of each kind the page shows.
const SHOWN: i64 = 50;

#[derive(Serialize, Clone)]
pub struct PublicTopic {
    pub id: i64,
    pub category: String,
    pub title: String,
    pub description: String,
    pub raiser_kind: String,
    pub status: String,
    pub status_label: String,
    pub supports: i64,
}

#[derive(Serialize, Clone)]
pub struct PublicMeeting {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub held_on: String,
    pub place: String,
    pub invited: Vec<String>,
    pub attendees: i64,
}

#[derive(Serialize, Clone)]
pub struct PublicMotion {
    pub title: String,
    pub basis: String,
    pub eligible: u64,
    pub cast: u64,
    pub in_favour: u64,
    pub against: u64,
    pub abstain: u64,
    pub quorum_pct: i64,
    pub quorum_met: bool,
    pub majority: String,
    pub passed: bool,
}

#[derive(Serialize, Clone)]
pub struct PublicItem {
    pub kind: String,
    pub description: String,
    pub ticket: Option<String>,
    pub state: String,
    pub state_label: String,
    pub progress: i64,
    pub due_on: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct PublicResolution {
    pub title: String,
    pub complete: bool,
    pub items: Vec<PublicItem>,
}

#[derive(Serialize)]
pub struct Results {
    pub community: String,
    pub community_name: String,
    pub support_threshold: u32,
    pub open_topics: Vec<PublicTopic>,
    pub tabled_topics: Vec<PublicTopic>,
    pub meetings: Vec<PublicMeeting>,
    pub motions: Vec<PublicMotion>,
    pub resolutions: Vec<PublicResolution>,
    /// Items done, in progress and overdue.
    pub items_done: usize,
    pub items_in_progress: usize,
    pub items_overdue: usize,
}

fn topic_view(t: &gongzhi_store::TopicRow) -> PublicTopic {
    PublicTopic {
        id: t.id,
        category: t.category.zh().into(),
        title: t.title.clone(),
        description: t.description.clone(),
        raiser_kind: t.raiser_kind.zh().into(),
        status: t.status.as_str().into(),
        status_label: t.status.zh().into(),
        supports: t.supports,
    }
}

/// Everything public about `code`'s deliberation.
pub async fn results(st: &AppState, code: &str) -> ApiResult<Results> {
    let c = super::community(st, code)
        .map_err(|_| ApiError::not_found(format!("社区 {code}"), format!("community {code}")))?;
    let f = DeliberationFilter {
        area: Some(c),
        ..Default::default()
    };
    let topics = st.store.topics(&f, SHOWN * 4).await?;
    let of = |s: &[TopicStatus]| -> Vec<PublicTopic> {
        topics
            .iter()
            .filter(|t| s.contains(&t.status))
            .take(SHOWN as usize)
            .map(topic_view)
            .collect()
    };
    let held = DeliberationFilter {
        status: Some(MeetingStatus::Held.as_str().into()),
        ..f.clone()
    };
    let mut meetings = Vec::new();
    for m in st.store.meetings(&held, SHOWN).await? {
        let attendees = st
            .store
            .attendance(m.id)
            .await?
            .iter()
            .map(|a| a.attendees)
            .sum();
        meetings.push(PublicMeeting {
            id: m.id,
            kind: m.kind.zh().into(),
            title: m.title,
            held_on: m.held_on.to_string(),
            place: m.place,
            invited: m.invited.iter().map(|p| p.zh().to_string()).collect(),
            attendees,
        });
    }
    let motions = st
        .store
        .closed_motions_in(&c, SHOWN)
        .await?
        .into_iter()
        .map(|v| PublicMotion {
            title: v.title,
            basis: v.basis.zh().into(),
            eligible: v.tally.eligible,
            cast: v.result.cast,
            in_favour: v.tally.in_favour,
            against: v.tally.against,
            abstain: v.tally.abstain,
            quorum_pct: v.quorum_pct,
            quorum_met: v.result.quorum_met,
            majority: v.majority.zh().into(),
            passed: v.result.passed,
        })
        .collect();
    let resolutions: Vec<PublicResolution> = st
        .store
        .resolutions(&f, SHOWN, now_millis())
        .await?
        .into_iter()
        .map(|r| PublicResolution {
            title: r.title,
            complete: r.complete,
            items: r
                .items
                .into_iter()
                .map(|i| PublicItem {
                    kind: i.kind.zh().into(),
                    description: i.description,
                    ticket: i.ticket,
                    state: i.state.as_str().into(),
                    state_label: i.state.zh().into(),
                    progress: i.progress,
                    due_on: i.due_on.map(|d| d.to_string()),
                })
                .collect(),
        })
        .collect();
    let count = |s: ItemState| {
        resolutions
            .iter()
            .flat_map(|r| &r.items)
            .filter(|i| i.state == s.as_str())
            .count()
    };
    Ok(Results {
        community: c.to_string(),
        community_name: super::area_name(st, &c),
        support_threshold: st
            .store
            .deliberation_settings(Some(&c))
            .await?
            .support_threshold,
        open_topics: of(&[TopicStatus::Open]),
        tabled_topics: of(&[TopicStatus::Tabled, TopicStatus::Discussed]),
        meetings,
        motions,
        items_done: count(ItemState::Done),
        items_in_progress: count(ItemState::InProgress),
        items_overdue: count(ItemState::Overdue),
        resolutions,
    })
}

#[derive(Template)]
#[template(path = "deliberation_results.html")]
struct ResultsPage {
    t: Lang,
    r: Results,
    done: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct ResultsQuery {
    done: Option<String>,
}

async fn results_page(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<ResultsQuery>,
) -> Response {
    let t = lang_of(&headers);
    page(&st, t, &code, q.done.as_deref(), None).await
}

async fn page(
    st: &AppState,
    t: Lang,
    code: &str,
    done: Option<&str>,
    error: Option<ApiError>,
) -> Response {
    match results(st, code).await {
        Ok(r) => {
            let done = done.map(|_| {
                t.s(
                    "已支持：感谢您参与社区议事",
                    "Supported: thank you for taking part",
                )
                .to_string()
            });
            let page = render(&ResultsPage {
                t,
                r,
                done,
                error: error
                    .as_ref()
                    .map(|e| crate::cases::service::message(e, t.is_en())),
            });
            match error {
                Some(e) => e.mark(page),
                None => page,
            }
        }
        Err(e) => {
            let msg = crate::cases::service::message(&e, t.is_en());
            (
                e.status,
                axum::response::Html(format!(
                    "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><link rel=\"stylesheet\" href=\"/assets/app.css\"></head><body><main><h1>{}</h1></main></body></html>",
                    t.tag(),
                    t.s("议事结果", "Results"),
                    askama_escape(&msg)
                )),
            )
                .into_response()
        }
    }
}

#[derive(Deserialize)]
struct SupportForm {
    #[serde(default)]
    lookup_code: String,
}

/// A resident without an account supports an open topic with their lookup code.
async fn support_form(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<SupportForm>,
) -> Response {
    let t = lang_of(&headers);
    match ops::support(&st, None, Some(&f.lookup_code), ip, id, now_millis()).await {
        Ok(_) => {
            Redirect::to(&format!("/c/{code}/results?done=support#topic-{id}")).into_response()
        }
        Err(e) => page(&st, t, &code, None, Some(e)).await,
    }
}

/// Text for HTML.
fn askama_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
