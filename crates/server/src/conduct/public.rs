//! The public side, readable on a phone without an account: the report form
//! (`/conduct/report`, and its two boxes `?box=livelihood|petition` — the "1234" 民生监督举报箱
//! and 群众诉求直通箱), anonymous unless the reporter names themself, ending on a page with the
//! lookup code; and `/conduct/track`, where the code shows the report's state and the public
//! conclusion — nothing of the investigation, no names. Both throttled per address like a
//! case's report and lookup; the JSON twins under `/api/v1/public/conduct`.

use super::ops::{self, ReportInput};
use crate::auth::lang_of;
use crate::error::{ApiError, ApiResult};
use crate::http::chrome::render;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::throttle::ClientIp;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_domain::access::Region;
use gongzhi_domain::calendar::date_of;
use gongzhi_domain::codes::{AreaCode, AreaLevel};
use gongzhi_domain::conduct::{Conclusion, ReportChannel, ReportState};
use gongzhi_store::MisconductReportRow;
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/conduct/report", get(form_page).post(form_submit))
        .route("/conduct/track", get(track_page))
        .route("/api/v1/public/conduct/reports", post(public_file))
        .route("/api/v1/public/conduct/reports/{code}", get(public_track))
}

/// What the holder of a lookup code sees.
#[derive(Serialize, Clone, Debug)]
pub struct PublicReport {
    pub category_name: String,
    pub area_name: String,
    pub channel: ReportChannel,
    pub channel_label: String,
    pub state: ReportState,
    pub state_label: String,
    pub received_on: String,
    pub conclusion: Option<Conclusion>,
    pub conclusion_label: Option<String>,
    /// The public conclusion text, or the reason for not accepting it.
    pub answer: Option<String>,
    pub answered_on: Option<String>,
}

impl PublicReport {
    fn of(r: &MisconductReportRow) -> PublicReport {
        PublicReport {
            category_name: r.category_name.clone(),
            area_name: r.area_name.clone(),
            channel: r.channel,
            channel_label: r.channel.zh().into(),
            state: r.state,
            state_label: r.state.zh().into(),
            received_on: date_of(r.received_at).to_string(),
            conclusion: r.conclusion,
            conclusion_label: r.conclusion.map(|c| c.zh().to_string()),
            answer: match r.state {
                ReportState::Dismissed => r.dismiss_reason.clone(),
                ReportState::Concluded => r.public_text.clone(),
                _ => None,
            },
            answered_on: r.concluded_at.map(|m| date_of(m).to_string()),
        }
    }
}

/// The report of a lookup code; a code that opens nothing costs the address a try.
async fn by_code(
    st: &AppState,
    ip: std::net::IpAddr,
    code: &str,
) -> ApiResult<MisconductReportRow> {
    st.throttle.lookup.take(ip)?;
    match st.store.misconduct_report_by_lookup(code).await? {
        Some(r) => {
            st.throttle.lookup.give_back(ip);
            Ok(r)
        }
        None => Err(ApiError::not_found(
            "查询码对应的举报",
            "no report for that lookup code",
        )),
    }
}

#[derive(Deserialize, Default)]
struct PublicFileBody {
    #[serde(flatten)]
    input: ReportInput,
    /// `livelihood` or `petition` for the two boxes; the web form otherwise.
    #[serde(rename = "box")]
    report_box: Option<String>,
}

#[derive(Serialize)]
struct PublicFiled {
    lookup_code: String,
    report: PublicReport,
}

async fn public_file(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(b): Json<PublicFileBody>,
) -> ApiResult<(StatusCode, Json<PublicFiled>)> {
    st.throttle.report.take(ip)?;
    let channel = ReportChannel::of_box(b.report_box.as_deref());
    let filed = ops::file_public(&st, &b.input, channel).await?;
    let r = st
        .store
        .misconduct_report(filed.id)
        .await?
        .ok_or_else(|| ApiError::not_found("举报", "report"))?;
    Ok((
        StatusCode::CREATED,
        Json(PublicFiled {
            lookup_code: filed.lookup_code.unwrap_or_default(),
            report: PublicReport::of(&r),
        }),
    ))
}

async fn public_track(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
) -> ApiResult<Json<PublicReport>> {
    Ok(Json(PublicReport::of(&by_code(&st, ip, &code).await?)))
}

/// The form's choices: active categories, streets and communities, departments — by name.
pub struct FormChoices {
    pub categories: Vec<(String, String)>,
    pub areas: Vec<(String, String)>,
    pub departments: Vec<(String, String)>,
}

pub async fn form_choices(st: &AppState, region: &Region, en: bool) -> ApiResult<FormChoices> {
    let areas = crate::http::place_choices::place_choices(st.grids.places().as_deref(), region)
        .areas
        .into_iter()
        .filter(|(code, _)| {
            AreaCode::parse(code)
                .is_ok_and(|a| matches!(a.level(), AreaLevel::Street | AreaLevel::Community))
        })
        .collect();
    Ok(FormChoices {
        categories: st
            .store
            .misconduct_categories(false)
            .await?
            .into_iter()
            .map(|c| {
                let label = c.label(en).to_string();
                (c.code, label)
            })
            .collect(),
        areas,
        departments: st
            .store
            .departments()
            .await?
            .into_iter()
            .map(|d| (d.code, d.name))
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "conduct_report.html")]
struct FormPage {
    t: Lang,
    channel: ReportChannel,
    box_value: String,
    ch: FormChoices,
    v: ReportInput,
    error: Option<String>,
    /// The lookup code of the report just filed.
    filed: Option<String>,
}

impl FormPage {
    fn title(&self) -> &'static str {
        match self.channel {
            ReportChannel::LivelihoodBox => self.t.s("民生监督举报箱", "Livelihood report box"),
            ReportChannel::PetitionBox => self.t.s("群众诉求直通箱", "Petition box"),
            _ => self.t.s("消极怠政问题举报", "Report passive governance"),
        }
    }
}

#[derive(Deserialize, Default)]
struct BoxQuery {
    #[serde(rename = "box")]
    report_box: Option<String>,
}

fn box_value(c: ReportChannel) -> String {
    match c {
        ReportChannel::LivelihoodBox => "livelihood".into(),
        ReportChannel::PetitionBox => "petition".into(),
        _ => String::new(),
    }
}

async fn form_body(
    st: &AppState,
    t: Lang,
    channel: ReportChannel,
    v: ReportInput,
    error: Option<String>,
    filed: Option<String>,
) -> ApiResult<Response> {
    Ok(render(&FormPage {
        t,
        channel,
        box_value: box_value(channel),
        ch: form_choices(st, &Region::Everything, t.is_en()).await?,
        v,
        error,
        filed,
    }))
}

async fn form_page(
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<BoxQuery>,
) -> Response {
    let t = lang_of(&headers);
    let channel = ReportChannel::of_box(q.report_box.as_deref());
    match form_body(&st, t, channel, ReportInput::default(), None, None).await {
        Ok(p) => p,
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize, Default)]
struct FormBody {
    #[serde(flatten)]
    input: ReportInput,
    #[serde(rename = "box", default)]
    report_box: Option<String>,
}

async fn form_submit(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(f): Form<FormBody>,
) -> Response {
    let t = lang_of(&headers);
    let channel = ReportChannel::of_box(f.report_box.as_deref());
    let result = async {
        st.throttle.report.take(ip)?;
        ops::file_public(&st, &f.input, channel).await
    }
    .await;
    let page = match &result {
        Ok(filed) => {
            form_body(
                &st,
                t,
                channel,
                ReportInput::default(),
                None,
                filed.lookup_code.clone(),
            )
            .await
        }
        Err(e) => {
            let msg = crate::cases::service::message(e, t.is_en());
            form_body(&st, t, channel, f.input.clone(), Some(msg), None).await
        }
    };
    match (result, page) {
        (Ok(_), Ok(p)) => p,
        (Err(e), Ok(p)) => e.mark(p),
        (_, Err(e)) => e.into_response(),
    }
}

#[derive(Template)]
#[template(path = "conduct_track.html")]
struct TrackPage {
    t: Lang,
    code: String,
    found: Option<PublicReport>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct TrackQuery {
    code: Option<String>,
}

async fn track_page(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Query(q): Query<TrackQuery>,
) -> Response {
    let t = lang_of(&headers);
    let code = q.code.unwrap_or_default().trim().to_string();
    if code.is_empty() {
        return render(&TrackPage {
            t,
            code,
            found: None,
            error: None,
        });
    }
    match by_code(&st, ip, &code).await {
        Ok(r) => render(&TrackPage {
            t,
            code,
            found: Some(PublicReport::of(&r)),
            error: None,
        }),
        Err(e) => {
            let msg = crate::cases::service::message(&e, t.is_en());
            e.mark(render(&TrackPage {
                t,
                code,
                found: None,
                error: Some(msg),
            }))
        }
    }
}
