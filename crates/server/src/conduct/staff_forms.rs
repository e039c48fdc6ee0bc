//! Supervision's other pages: a report filed by an account (`/conduct/new`: staff referral,
//! a hotline call taken by a supervisor, a resident's own report), the signals waiting for
//! review (`/conduct/signals`: dismiss with a reason, or open a report), and the statistics
//! (`/conduct/stats`, with the categories and thresholds it is configured by).

use super::ops::{self, CategoryInput, ReportInput, SignalReportInput, StatsQuery, StatsView};
use super::public::{FormChoices, form_choices};
use crate::auth::{PageUser, User, lang_of};
use crate::error::{ApiError, ApiResult};
use crate::http::chrome::{Chrome, render};
use crate::http::pages::page;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use gongzhi_domain::access::{Action, is_staff, visible_region};
use gongzhi_domain::conduct::{
    AccountabilityAction, MisconductCategory, ReportChannel, Signal, SignalThresholds,
};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/conduct/new", get(new_page).post(new_submit))
        .route("/conduct/signals", get(signals_page).post(signals_act))
        .route("/conduct/stats", get(stats_page).post(stats_act))
}

#[derive(Template)]
#[template(path = "conduct_new.html")]
struct NewPage {
    c: Chrome,
    ch: FormChoices,
    channels: Vec<(&'static str, String)>,
    v: ReportInput,
    error: Option<String>,
}

/// The channels the caller files through: supervision takes calls, staff refer, a resident
/// reports its own.
fn channels(user: &User, t: Lang) -> Vec<(&'static str, String)> {
    let staff = is_staff(&user.principal());
    let investigates = user
        .may(
            Action::InvestigateMisconduct,
            &crate::http::chrome::home_target(user),
        )
        .is_ok();
    [
        ReportChannel::Hotline,
        ReportChannel::Referral,
        ReportChannel::Web,
    ]
    .into_iter()
    .filter(|c| c.open_to(investigates, staff).is_ok())
    .filter(|c| !(c.is_public() && staff))
    .map(|c| (c.as_str(), t.s(c.zh(), c.en()).to_string()))
    .collect()
}

async fn new_body(
    st: &AppState,
    user: &User,
    t: Lang,
    v: ReportInput,
    error: Option<String>,
) -> ApiResult<Response> {
    // A resident reports anywhere; staff inside what they see.
    let region = if is_staff(&user.principal()) {
        visible_region(&user.principal())
    } else {
        gongzhi_domain::access::Region::Everything
    };
    Ok(render(&NewPage {
        c: Chrome::new(t, user, "/conduct", t.s("登记举报", "File a report")),
        ch: form_choices(st, &region, t.is_en()).await?,
        channels: channels(user, t),
        v,
        error,
    }))
}

async fn new_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
) -> Response {
    let t = lang_of(&headers);
    let body = new_body(&st, &user, t, ReportInput::default(), None).await;
    page(t, &user, body)
}

#[derive(Deserialize, Default)]
struct NewForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    input: ReportInput,
}

async fn new_submit(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Form(f): Form<NewForm>,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        user.check_csrf(&f.csrf)?;
        ops::file_as(&st, &user, &f.input).await
    }
    .await;
    match result {
        Ok(filed) => {
            Redirect::to(&format!("/conduct/reports/{}?done=filed", filed.id)).into_response()
        }
        Err(e) => {
            let msg = crate::cases::service::message(&e, t.is_en());
            match new_body(&st, &user, t, f.input.clone(), Some(msg)).await {
                Ok(p) => e.mark(p),
                Err(_) => page(t, &user, Err(e)),
            }
        }
    }
}

#[derive(Template)]
#[template(path = "conduct_signals.html")]
struct SignalsPage {
    c: Chrome,
    signals: Vec<(Signal, String)>,
    thresholds: SignalThresholds,
    done: Option<String>,
    error: Option<String>,
}

async fn signals_body(
    st: &AppState,
    user: &User,
    t: Lang,
    done: Option<String>,
    error: Option<String>,
) -> ApiResult<Response> {
    let (signals, thresholds) = ops::signals(st, user).await?;
    let mut named = Vec::new();
    for s in signals {
        let dept = match &s.department {
            Some(d) => st
                .store
                .department(d)
                .await?
                .map(|d| d.name)
                .unwrap_or_else(|| d.clone()),
            None => String::new(),
        };
        named.push((s, dept));
    }
    Ok(render(&SignalsPage {
        c: Chrome::new(
            t,
            user,
            "/conduct/signals",
            t.s("待复核线索", "Signals to review"),
        ),
        signals: named,
        thresholds,
        done,
        error,
    }))
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

async fn signals_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<DoneQuery>,
) -> Response {
    let t = lang_of(&headers);
    let done = q.done.filter(|d| d == "dismissed").map(|_| {
        t.s(
            "线索已排除，不会再次出现（除非出现新的依据）",
            "The signal is dismissed; it stays away unless new evidence comes",
        )
        .to_string()
    });
    let body = signals_body(&st, &user, t, done, None).await;
    page(t, &user, body)
}

#[derive(Deserialize, Default)]
struct SignalForm {
    #[serde(default)]
    csrf: String,
    /// `dismiss` or `report`.
    #[serde(default)]
    what: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    reason: String,
}

async fn signals_act(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Form(f): Form<SignalForm>,
) -> Response {
    let t = lang_of(&headers);
    let result: ApiResult<String> = async {
        user.check_csrf(&f.csrf)?;
        match f.what.as_str() {
            "dismiss" => {
                ops::dismiss_signal(&st, &user, &f.key, &f.reason).await?;
                Ok("/conduct/signals?done=dismissed".to_string())
            }
            "report" => {
                let id = ops::report_signal(
                    &st,
                    &user,
                    &SignalReportInput {
                        key: f.key.clone(),
                        ..Default::default()
                    },
                )
                .await?;
                Ok(format!("/conduct/reports/{id}?done=signal"))
            }
            other => Err(ApiError::bad_request(
                "what",
                format!("未知的操作：{other}"),
                format!("unknown form: {other}"),
            )),
        }
    }
    .await;
    match result {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(e) => {
            let msg = crate::cases::service::message(&e, t.is_en());
            match signals_body(&st, &user, t, None, Some(msg)).await {
                Ok(p) => e.mark(p),
                Err(_) => page(t, &user, Err(e)),
            }
        }
    }
}

#[derive(Template)]
#[template(path = "conduct_stats.html")]
struct StatsPage {
    c: Chrome,
    v: StatsView,
    ladder: Vec<String>,
    categories: Vec<MisconductCategory>,
    thresholds: SignalThresholds,
    may_configure: bool,
    from: String,
    until: String,
    query: String,
    done: Option<String>,
    error: Option<String>,
}

async fn stats_body(
    st: &AppState,
    user: &User,
    t: Lang,
    q: StatsQuery,
    done: Option<String>,
    error: Option<String>,
) -> ApiResult<Response> {
    let v = ops::statistics(st, user, &q).await?;
    let from = q.from.clone().unwrap_or_default();
    let until = q.until.clone().unwrap_or_default();
    let mut parts = Vec::new();
    if !from.trim().is_empty() {
        parts.push(format!("from={}", super::encode(from.trim())));
    }
    if !until.trim().is_empty() {
        parts.push(format!("until={}", super::encode(until.trim())));
    }
    Ok(render(&StatsPage {
        c: Chrome::new(
            t,
            user,
            "/conduct/stats",
            t.s("问责统计", "Accountability statistics"),
        ),
        v,
        ladder: AccountabilityAction::ALL
            .iter()
            .map(|a| t.s(a.zh(), a.en()).to_string())
            .collect(),
        categories: st.store.misconduct_categories(true).await?,
        thresholds: st.store.signal_thresholds().await?,
        may_configure: matches!(
            user.account.role,
            gongzhi_domain::access::Role::Admin | gongzhi_domain::access::Role::Supervisor
        ),
        from,
        until,
        query: if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        },
        done,
        error,
    }))
}

async fn stats_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<StatsQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = stats_body(&st, &user, t, q, None, None).await;
    page(t, &user, body)
}

#[derive(Deserialize, Default)]
struct ConfigForm {
    #[serde(default)]
    csrf: String,
    /// `category` or `thresholds`.
    #[serde(default)]
    what: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name_zh: String,
    #[serde(default)]
    name_en: String,
    /// "1" active; absent disabled.
    active: Option<String>,
    period_days: Option<i64>,
    overdue_min: Option<usize>,
    returns_min: Option<usize>,
    satisfaction_gap: Option<f64>,
    satisfaction_min_rated: Option<i64>,
}

async fn stats_act(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Form(f): Form<ConfigForm>,
) -> Response {
    let t = lang_of(&headers);
    let result: ApiResult<(&'static str, &'static str)> = async {
        user.check_csrf(&f.csrf)?;
        match f.what.as_str() {
            "category" => {
                ops::save_category(
                    &st,
                    &user,
                    &CategoryInput {
                        code: f.code.clone(),
                        name_zh: f.name_zh.clone(),
                        name_en: f.name_en.clone(),
                        active: Some(f.active.as_deref().is_some_and(|a| !a.is_empty())),
                    },
                )
                .await?;
                Ok(("类别已保存", "The category is saved"))
            }
            "thresholds" => {
                let d = SignalThresholds::default();
                ops::save_thresholds(
                    &st,
                    &user,
                    SignalThresholds {
                        period_days: f.period_days.unwrap_or(d.period_days),
                        overdue_min: f.overdue_min.unwrap_or(d.overdue_min),
                        returns_min: f.returns_min.unwrap_or(d.returns_min),
                        satisfaction_gap: f.satisfaction_gap.unwrap_or(d.satisfaction_gap),
                        satisfaction_min_rated: f
                            .satisfaction_min_rated
                            .unwrap_or(d.satisfaction_min_rated),
                    },
                )
                .await?;
                Ok(("线索阈值已保存", "The thresholds are saved"))
            }
            other => Err(ApiError::bad_request(
                "what",
                format!("未知的操作：{other}"),
                format!("unknown form: {other}"),
            )),
        }
    }
    .await;
    let (done, error) = match &result {
        Ok((zh, en)) => (Some(t.s(zh, en).to_string()), None),
        Err(e) => (None, Some(crate::cases::service::message(e, t.is_en()))),
    };
    let body = stats_body(&st, &user, t, StatsQuery::default(), done, error).await;
    match (result, body) {
        (Err(e), Ok(p)) => e.mark(p),
        (_, b) => page(t, &user, b),
    }
}
