//! Case pages: the staff list and inbox, one case with its timeline and the actions the
//! caller may take, and the resident's phone pages (report, track by lookup code, rate).

use crate::auth::{PageUser, lang_of};
use crate::cases::api::{
    CaseQuery, actor_of, inbox_of, list_cases, load_case, public_case_of, public_run,
};
use crate::cases::public_view::{PublicCaseView, PublicEvent};
use crate::cases::service::{self, Report};
use crate::cases::views::{CaseView, TimelineEntry, case_view, timeline};
use crate::error::ApiError;
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
use gongzhi_domain::case::{Actor, Command, CommandKind, Satisfaction};
use gongzhi_store::{CategoryRow, DepartmentRow, EventActor, Notification, now_millis};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases", get(cases))
        .route("/cases/export.xlsx", get(crate::cases::export::page_export))
        .route("/cases/{id}", get(one))
        .route("/cases/{id}/act", post(act))
        .route(
            "/cases/{id}/report-back",
            post(crate::cases::evidence::report_back)
                .layer(crate::http::body_limit(crate::http::PHOTOS_BODY_LIMIT)),
        )
        .route(
            "/cases/{id}/whistle/evidence",
            post(crate::cases::evidence::whistle_step)
                .layer(crate::http::body_limit(crate::http::PHOTOS_BODY_LIMIT)),
        )
        .route("/cases/{id}/reporter-phone", post(reveal_phone))
        .route("/cases/{id}/print", get(crate::cases::print::slip))
        .route("/inbox", get(inbox))
        .route(
            "/report",
            get(report_form)
                .post(report_submit)
                .layer(crate::http::body_limit(crate::http::PHOTOS_BODY_LIMIT)),
        )
        .route("/track", get(track))
        .route("/track/act", post(track_act))
        .route("/report/follow", post(follow_form))
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesPage {
    c: Chrome,
    items: Vec<CaseView>,
    total: i64,
    /// The search as asked, to fill the form again.
    q: CaseQuery,
    choices: crate::cases::search::Choices,
    /// The search as a query string (no page): paging and export links keep it.
    query: String,
    page: i64,
    pages: i64,
    /// A refused field of the search, said above the form.
    error: Option<String>,
}

impl CasesPage {
    fn selected(v: &Option<String>, code: &str) -> bool {
        v.as_deref() == Some(code)
    }

    fn value(v: &Option<String>) -> &str {
        v.as_deref().unwrap_or("")
    }

    /// Communities are indented under their street in the area choice.
    fn is_community(a: &gongzhi_store::AreaRow) -> bool {
        a.level == gongzhi_domain::codes::AreaLevel::Community
    }
}

const CASES_PER_PAGE: i64 = 50;

async fn cases(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<CaseQuery>,
) -> Response {
    cases_page(&st, &user, lang_of(&headers), q, None).await
}

/// The case list with its search; `refused` is an export of it that was refused (too many
/// rows), said above the list, which still shows.
pub(crate) async fn cases_page(
    st: &AppState,
    user: &crate::auth::User,
    t: Lang,
    mut q: CaseQuery,
    refused: Option<ApiError>,
) -> Response {
    q.per_page = Some(CASES_PER_PAGE);
    let page_no = q.page.unwrap_or(1).max(1);
    let body = async {
        let choices = crate::cases::search::choices(st, user).await?;
        let (items, total, mut error, mut status) = match list_cases(st, user, &q).await {
            Ok(list) => (list.items, list.total, None, None),
            // A bad field is said on the form, which stays filled in.
            Err(e) if e.status.as_u16() == 400 => (
                Vec::new(),
                0,
                Some(service::message(&e, t.is_en())),
                Some(e.status),
            ),
            Err(e) => return Err(e),
        };
        if let Some(e) = refused {
            error = Some(service::message(&e, t.is_en()));
            status = Some(e.status);
        }
        let mut resp = render(&CasesPage {
            c: Chrome::new(t, user, "/cases", t.s("案件", "Cases")),
            items,
            total,
            query: crate::cases::search::query_string(&q),
            q,
            choices,
            page: page_no,
            pages: (total + CASES_PER_PAGE - 1) / CASES_PER_PAGE,
            error,
        });
        if let Some(s) = status {
            *resp.status_mut() = s;
        }
        Ok(resp)
    }
    .await;
    page(t, user, body)
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    c: Chrome,
    waiting: Vec<crate::cases::api::WaitingCase>,
    notifications: Vec<(String, Notification)>,
}

async fn inbox(
    State(st): State<AppState>,
    PageUser(mut user): PageUser,
    headers: HeaderMap,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let ib = inbox_of(&st, &user).await?;
        // Opening the inbox reads what it shows (the list keeps showing them as new once).
        if user.unread > 0 {
            st.store
                .mark_notifications_read(&crate::cases::api::recipients(&user), now_millis())
                .await?;
            user.unread = 0;
        }
        let notifications = ib
            .notifications
            .into_iter()
            .map(|n| (crate::time::local(n.at), n))
            .collect();
        Ok(render(&InboxPage {
            c: Chrome::new(t, &user, "/inbox", t.s("待办", "Inbox")),
            waiting: ib.waiting,
            notifications,
        }))
    }
    .await;
    page(t, &user, body)
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    c: Chrome,
    v: CaseView,
    timeline: Vec<TimelineEntry>,
    actions: Vec<ActionButton>,
    /// What the caller's last action did, shown once after the redirect.
    done: Option<String>,
    departments: Vec<DepartmentRow>,
    categories: Vec<CategoryRow>,
    /// Photos of the problem as reported, and photos of the work done (处置后), each with the
    /// step it belongs to.
    before_photos: Vec<(gongzhi_store::PhotoRow, String)>,
    after_photos: Vec<(gongzhi_store::PhotoRow, String)>,
    /// The reporter's number masked, for those who may reveal it.
    phone_masked: Option<String>,
    /// The number just revealed (after a logged reason), shown this once.
    phone_revealed: Option<String>,
    /// The report-back step takes photos of the result.
    max_photos: i64,
    error: Option<String>,
    satisfactions: [Satisfaction; 3],
    /// The handler sent a dispatch back (回退): the dispatch form asks for the right department.
    returned: bool,
    /// 吹哨报到: the case's whistles and what the caller may do about them.
    whistle: crate::cases::whistles::views::WhistlePanel,
    /// 督办: the caller may issue a supervision order on the case (decision 033).
    supervise: bool,
}

/// One action on the case page: its form posts `code`; the button shows `label`.
pub(crate) struct ActionButton {
    code: &'static str,
    label: &'static str,
    primary: bool,
    /// The question a destructive action asks before it posts (`assets/confirm.js`).
    confirm: Option<String>,
}

/// The caller's actions as buttons: the constructive ones first, the first of them primary;
/// destructive ones last, secondary, and confirmed.
fn buttons(t: Lang, kinds: Vec<CommandKind>) -> Vec<ActionButton> {
    let (safe, destructive): (Vec<_>, Vec<_>) =
        kinds.into_iter().partition(|k| !k.is_destructive());
    let first_safe = safe.first().copied();
    safe.into_iter()
        .chain(destructive)
        .map(|k| ActionButton {
            code: k.as_str(),
            label: t.s(k.zh(), k.label_en()),
            primary: Some(k) == first_safe,
            confirm: k.is_destructive().then(|| {
                if t.is_en() {
                    format!("{}: are you sure? This cannot be undone.", k.label_en())
                } else {
                    format!("确定要{}吗？此操作不能撤销。", k.zh())
                }
            }),
        })
        .collect()
}

/// The message shown after `done` succeeded; a rating is thanked.
fn done_message(t: Lang, done: &str) -> Option<String> {
    let kind = CommandKind::parse(done)?;
    Some(match kind {
        CommandKind::Rate
        | CommandKind::RateWhistleDepartment
        | CommandKind::RateWhistleCoordination => t
            .s("评价已提交，感谢您的评价！", "Rating saved. Thank you!")
            .to_string(),
        k if t.is_en() => format!("Done: {}.", k.label_en()),
        k => format!("已{}。", k.zh()),
    })
}

/// A refused action, said on the case page it was taken from with the refusal's status (a case
/// the caller may not see is the plain error page).
pub(crate) async fn refused_on_case_page(
    st: &AppState,
    user: &crate::auth::User,
    t: Lang,
    id: i64,
    e: ApiError,
) -> Response {
    if e.status.as_u16() == 404 {
        return page(t, user, Err(e));
    }
    let msg = service::message(&e, t.is_en());
    let status = e.status;
    let mut resp = page(t, user, case_page(st, user, t, id, Some(msg), None).await);
    *resp.status_mut() = status;
    resp
}

pub(crate) async fn case_page(
    st: &AppState,
    user: &crate::auth::User,
    t: Lang,
    id: i64,
    error: Option<String>,
    done: Option<String>,
) -> Result<Response, ApiError> {
    case_page_with(st, user, t, id, error, done, None).await
}

/// The case page, with the reporter's number when it was just revealed.
pub(crate) async fn case_page_with(
    st: &AppState,
    user: &crate::auth::User,
    t: Lang,
    id: i64,
    error: Option<String>,
    done: Option<String>,
    phone_revealed: Option<String>,
) -> Result<Response, ApiError> {
    let row = load_case(st, user, id).await?;
    let (who, _) = actor_of(user);
    let cfg = st.loop_cfg.current();
    let actions = buttons(
        t,
        gongzhi_domain::case::available_commands(&row.case, &who, &cfg, now_millis()),
    );
    let returned = row.case.counters.returns > 0;
    let v = case_view(st, &row, now_millis()).await;
    let events = st.store.case_events(id).await?;
    let mut timeline = timeline(st, &events).await;
    crate::ledger::timeline::annotate(st, id, &mut timeline).await;
    crate::cases::whistles::views::name_timeline(&row.case, &mut timeline);
    let whistle_cfg = crate::cases::whistles::service::config_for(st, &who).await?;
    let whistle = crate::cases::whistles::views::panel(&row.case, &who, &whistle_cfg);
    let departments = st.store.departments().await?;
    let categories = st
        .store
        .categories()
        .await?
        .into_iter()
        .filter(|c| c.parent.is_some())
        .collect();
    let (after_photos, before_photos): (Vec<_>, Vec<_>) = st
        .store
        .case_photos(id)
        .await?
        .into_iter()
        .map(|p| {
            let step = events.iter().find(|e| e.seq == p.event_seq);
            // The step as the timeline names it, e.g. "城管局到场报到".
            let label = timeline
                .iter()
                .find(|e| e.seq == p.event_seq)
                .map(|e| e.summary.clone())
                .unwrap_or_default();
            let after = step.is_some_and(|e| e.event.shows_handling());
            (p, label, after)
        })
        .partition(|(_, _, after)| *after);
    let strip = |v: Vec<(gongzhi_store::PhotoRow, String, bool)>| {
        v.into_iter().map(|(p, l, _)| (p, l)).collect::<Vec<_>>()
    };
    let phone_masked = match phone_revealed {
        Some(_) => None,
        None => crate::cases::reporter_phone::masked(st, user, &row).await,
    };
    let supervise = st
        .store
        .supervised_item(gongzhi_domain::supervision::SupervisedKind::Case, id)
        .await?
        .is_some_and(|item| crate::supervision::ops::may_issue(user, &item));
    Ok(render(&CasePage {
        supervise,
        before_photos: strip(before_photos),
        after_photos: strip(after_photos),
        phone_masked,
        phone_revealed,
        max_photos: crate::cases::photos::MAX_PHOTOS,
        c: Chrome::new(t, user, "/cases", &v.ticket),
        v,
        timeline,
        actions,
        departments,
        categories,
        error,
        done,
        satisfactions: Satisfaction::ALL,
        returned,
        whistle,
    }))
}

async fn one(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let t = lang_of(&headers);
    let done = q.message(t);
    let r = case_page(&st, &user, t, id, None, done).await;
    page(t, &user, r)
}

/// `?done=<command>`: the redirect after an action names it, so the page can confirm it.
#[derive(Deserialize)]
pub(crate) struct DoneQuery {
    done: Option<String>,
}

impl DoneQuery {
    pub(crate) fn message(&self, t: Lang) -> Option<String> {
        done_message(t, self.done.as_deref()?)
    }
}

#[derive(Deserialize)]
struct RevealForm {
    csrf: String,
    reason: Option<String>,
}

/// "显示号码": the reporter's number, after a reason that is logged, shown on the case page once.
async fn reveal_phone(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<RevealForm>,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        user.check_csrf(&f.csrf)?;
        crate::cases::reporter_phone::reveal(&st, &user, id, f.reason.as_deref()).await
    }
    .await;
    match result {
        Ok((_, phone)) => {
            let shown = phone.map_or_else(
                || {
                    t.s("反映人未留电话", "the reporter left no number")
                        .to_string()
                },
                |p| p.as_str().to_string(),
            );
            page(
                t,
                &user,
                case_page_with(&st, &user, t, id, None, None, Some(shown)).await,
            )
        }
        Err(e) => refused_on_case_page(&st, &user, t, id, e).await,
    }
}

#[derive(Deserialize)]
struct ActForm {
    csrf: String,
    version: i64,
    command: String,
    note: Option<String>,
    department: Option<String>,
    category: Option<String>,
    days: Option<u32>,
    approve: Option<String>,
    passed: Option<String>,
    contacted: Option<String>,
    resolved: Option<String>,
    satisfaction: Option<String>,
}

fn form_command(f: &ActForm, current: &gongzhi_domain::case::Case) -> Result<Command, ApiError> {
    let note = f.note.clone().unwrap_or_default();
    let yes = |v: &Option<String>| v.as_deref() == Some("true");
    Ok(match f.command.as_str() {
        "register" => Command::Register {
            category: f
                .category
                .clone()
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| current.category.clone()),
            deadline_class: current.deadline_class,
            emergency: current.emergency,
        },
        "cancel" => Command::Cancel { reason: note },
        "dispatch" => {
            let department = f.department.clone().filter(|d| !d.is_empty());
            Command::Dispatch {
                is_override: department != current.department,
                department,
            }
        }
        "redirect" => Command::Redirect {
            department: f.department.clone().unwrap_or_default(),
            reason: note,
        },
        "start" => Command::Start,
        "report_back" => Command::ReportBack { note },
        "verify" => Command::Verify {
            passed: yes(&f.passed),
            note,
        },
        "close" => Command::Close,
        "rate" => Command::Rate {
            contacted: yes(&f.contacted),
            resolved: yes(&f.resolved),
            satisfaction: Satisfaction::parse(f.satisfaction.as_deref().unwrap_or("")).ok_or_else(
                || {
                    ApiError::bad_request(
                        "satisfaction",
                        "请选择满意程度",
                        "choose a satisfaction level",
                    )
                },
            )?,
        },
        "request_extension" => Command::RequestExtension {
            by: gongzhi_domain::calendar::Duration::WorkingDays(f.days.unwrap_or(0)),
            reason: note,
        },
        "decide_extension" => Command::DecideExtension {
            approve: yes(&f.approve),
        },
        "defer" => Command::Defer { reason: note },
        "resume" => Command::Resume,
        "return" => Command::Return { reason: note },
        "request_reopen" => Command::RequestReopen { reason: note },
        "decide_reopen" => Command::DecideReopen {
            approve: yes(&f.approve),
        },
        "escalate" => Command::Escalate { reason: note },
        other => {
            return Err(ApiError::bad_request(
                "command",
                format!("未知的操作：{other}"),
                format!("unknown command: {other}"),
            ));
        }
    })
}

async fn act(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<ActForm>,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        user.check_csrf(&f.csrf)?;
        let row = load_case(&st, &user, id).await?;
        let cmd = form_command(&f, &row.case)?;
        let (who, label) = actor_of(&user);
        service::run(&st, id, Some(f.version), &who, &label, cmd, now_millis()).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/cases/{id}?done={}", f.command)).into_response(),
        Err(e) => refused_on_case_page(&st, &user, t, id, e).await,
    }
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    t: Lang,
    /// Reportable categories under their major category's name, in code order.
    groups: Vec<(String, Vec<CategoryRow>)>,
    /// (code, name) of every street, for a report given by an address alone.
    streets: Vec<(String, String)>,
    tiles: Option<std::sync::Arc<crate::tiles::TileLayer>>,
    error: Option<String>,
    filed: Option<(String, String)>,
    notice: Option<String>,
}

/// The report form's choices: categories grouped under their major category (大类), and the
/// streets.
async fn report_page(st: &AppState, t: Lang) -> ReportPage {
    let all = st.store.categories().await.unwrap_or_default();
    let mut groups: Vec<(String, Vec<CategoryRow>)> = all
        .iter()
        .filter(|c| c.parent.is_none() && c.active)
        .map(|major| {
            let minors = all
                .iter()
                .filter(|c| c.accepts_reports() && c.parent.as_deref() == Some(&major.code))
                .cloned()
                .collect();
            (major.name.clone(), minors)
        })
        .collect();
    groups.retain(|(_, minors)| !minors.is_empty());
    let streets = st
        .grids
        .places()
        .map(|p| {
            p.streets()
                .into_iter()
                .map(|a| (a.code.as_str().to_string(), a.name.clone()))
                .collect()
        })
        .unwrap_or_default();
    ReportPage {
        t,
        groups,
        streets,
        tiles: st.tiles.clone(),
        error: None,
        filed: None,
        notice: None,
    }
}

async fn report_form(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let t = lang_of(&headers);
    render(&report_page(&st, t).await)
}

/// The report form as posted (multipart, so photos can come along).
#[derive(Default)]
pub(crate) struct ReportForm {
    pub(crate) category: String,
    pub(crate) lon: Option<String>,
    pub(crate) lat: Option<String>,
    pub(crate) address: Option<String>,
    pub(crate) street: Option<String>,
    pub(crate) description: String,
    pub(crate) phone: Option<String>,
    pub(crate) photos: Vec<Vec<u8>>,
    /// The session's token, on the staff pages that reuse this form (巡查上报).
    pub(crate) csrf: String,
}

pub(crate) async fn read_report(
    mut form: axum::extract::Multipart,
) -> Result<ReportForm, ApiError> {
    let mut f = ReportForm::default();
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError::bad_request(
            "form",
            format!("表单提交失败：{e}"),
            format!("the form could not be read: {e}"),
        )
    };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "photo" {
            if f.photos.len() as i64 >= crate::cases::photos::MAX_PHOTOS {
                return Err(crate::cases::photos::too_many(
                    axum::http::StatusCode::BAD_REQUEST,
                ));
            }
            let bytes = crate::cases::photos::read_field(field, f.photos.len() + 1).await?;
            if !bytes.is_empty() {
                f.photos.push(bytes);
            }
            continue;
        }
        let text = field.text().await.map_err(bad)?;
        match name.as_str() {
            "category" => f.category = text,
            "lon" => f.lon = Some(text),
            "lat" => f.lat = Some(text),
            "address" => f.address = Some(text),
            "street" => f.street = Some(text),
            "description" => f.description = text,
            "phone" => f.phone = Some(text),
            "csrf" => f.csrf = text,
            _ => {}
        }
    }
    Ok(f)
}

/// Photos are checked before the case is filed, so a bad photo files nothing.
pub(crate) fn check_photos(photos: &[Vec<u8>]) -> Result<(), ApiError> {
    if photos.len() as i64 > crate::cases::photos::MAX_PHOTOS {
        return Err(ApiError::bad_request(
            "photo",
            "最多上传9张照片",
            "at most 9 photos",
        ));
    }
    for (i, p) in photos.iter().enumerate() {
        if p.len() > crate::cases::photos::MAX_BYTES || crate::cases::photos::sniff(p).is_none() {
            return Err(ApiError::bad_request(
                "photo",
                format!("第{}张照片不是5MB以内的 JPEG、PNG 或 WebP 图片", i + 1),
                format!(
                    "photo {} is not a JPEG, PNG or WebP image of at most 5 MB",
                    i + 1
                ),
            ));
        }
    }
    Ok(())
}

pub(crate) fn number(field: &str, v: &Option<String>) -> Result<Option<f64>, ApiError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse::<f64>().map(Some).map_err(|_| {
            ApiError::bad_request(
                field,
                format!("{field} 不是数字"),
                format!("{field} is not a number"),
            )
        }),
    }
}

/// The public report form: anyone may report; the answer is a ticket and a lookup code.
async fn report_submit(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    form: axum::extract::Multipart,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        // Before the form is read: a refused address costs no more than this.
        st.throttle.report.take(ip)?;
        let f = read_report(form).await?;
        check_photos(&f.photos)?;
        let reporter_phone = match f.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => Some(
                gongzhi_domain::codes::Phone::parse(p)
                    .map_err(|e| ApiError::invalid("phone", &e))?,
            ),
            None => None,
        };
        let street = match f.street.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(
                gongzhi_domain::codes::AreaCode::parse(s)
                    .map_err(|e| ApiError::invalid("street", &e))?,
            ),
            None => None,
        };
        let report = Report {
            category: f.category.clone(),
            lon: number("lon", &f.lon)?,
            lat: number("lat", &f.lat)?,
            address: f.address.clone().unwrap_or_default(),
            description: f.description.clone(),
            emergency: false,
            channel: Some(gongzhi_domain::case::Channel::ResidentWeb),
            reporter_phone,
            street,
            photos: Vec::new(),
        };
        let who = Actor::Public { is_reporter: true };
        let label = EventActor {
            account_id: None,
            name: "居民".into(),
        };
        crate::cases::photos::file_with_photos(&st, &who, &label, report, &f.photos).await
    }
    .await;
    let form = report_page(&st, t).await;
    match result {
        Ok(filed) => render(&ReportPage {
            filed: Some((filed.case.ticket, filed.lookup_code)),
            ..form
        }),
        Err(e) => e.mark(render(&ReportPage {
            error: Some(service::message(&e, t.is_en())),
            ..form
        })),
    }
}

#[derive(Deserialize)]
struct TrackQuery {
    code: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "track.html")]
struct TrackPage {
    t: Lang,
    code: String,
    found: Option<(PublicCaseView, Vec<PublicEvent>)>,
    error: Option<String>,
    /// The thank-you after a rating or a reopening request (POST → 303 → here).
    done: Option<String>,
}

async fn track(
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
            done: None,
        });
    }
    match public_case_of(&st, ip, &code).await {
        Ok(p) => render(&TrackPage {
            t,
            code,
            found: Some((p.case, p.timeline)),
            error: None,
            done: q.done.as_deref().and_then(|d| done_message(t, d)),
        }),
        Err(e) => e.mark(render(&TrackPage {
            t,
            code,
            found: None,
            error: Some(service::message(&e, t.is_en())),
            done: None,
        })),
    }
}

#[derive(Deserialize)]
struct TrackAct {
    code: String,
    command: String,
    contacted: Option<String>,
    resolved: Option<String>,
    satisfaction: Option<String>,
    reason: Option<String>,
}

async fn track_act(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(f): Form<TrackAct>,
) -> Response {
    let t = lang_of(&headers);
    let yes = |v: &Option<String>| v.as_deref() == Some("true");
    let cmd = match f.command.as_str() {
        "rate" => match Satisfaction::parse(f.satisfaction.as_deref().unwrap_or("")) {
            Some(s) => Ok(Command::Rate {
                contacted: yes(&f.contacted),
                resolved: yes(&f.resolved),
                satisfaction: s,
            }),
            None => Err(ApiError::bad_request(
                "satisfaction",
                "请选择满意程度",
                "choose a satisfaction level",
            )),
        },
        "request_reopen" => Ok(Command::RequestReopen {
            reason: f.reason.clone().unwrap_or_default(),
        }),
        _ => Err(ApiError::bad_request(
            "command",
            "未知的操作",
            "unknown command",
        )),
    };
    let result = match cmd {
        Ok(c) => public_run(&st, ip, &f.code, c).await,
        Err(e) => Err(e),
    };
    match result {
        // Back to the case by GET, so a reload does not post the rating again.
        Ok(_) => Redirect::to(&format!(
            "/track?code={}&done={}",
            query_escape(f.code.trim()),
            f.command
        ))
        .into_response(),
        Err(e) => {
            // A refused code or address shows nothing; a refused command shows the case again.
            let found = match e.status.as_u16() {
                404 | 429 => None,
                _ => public_case_of(&st, ip, &f.code)
                    .await
                    .ok()
                    .map(|p| (p.case, p.timeline)),
            };
            e.mark(render(&TrackPage {
                t,
                code: f.code,
                found,
                error: Some(service::message(&e, t.is_en())),
                done: None,
            }))
        }
    }
}

/// Percent-encodes a query value (the lookup code is the reporter's input).
fn query_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Deserialize)]
struct FollowForm {
    ticket: String,
    phone: String,
}

/// "I have this problem too": a resident follows an existing case instead of filing again,
/// counted once per phone number (kept only as its keyed hash).
async fn follow_form(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(f): Form<FollowForm>,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        st.throttle.report.take(ip)?;
        let phone = gongzhi_domain::codes::Phone::parse(f.phone.trim())
            .map_err(|e| ApiError::invalid("phone", &e))?;
        let row = st.store.case_by_ticket(&f.ticket).await?.ok_or_else(|| {
            ApiError::not_found(format!("诉求 {}", f.ticket), format!("case {}", f.ticket))
        })?;
        let key = st
            .store
            .pii()
            .blind_index(gongzhi_store::pii::PiiField::Phone, phone.as_str());
        let supporter = format!(
            "phone:{}",
            key.iter().map(|b| format!("{b:02x}")).collect::<String>()
        );
        let label = EventActor {
            account_id: None,
            name: "居民".into(),
        };
        let _ = crate::cases::extras_api::follow(
            &st,
            row.id,
            &supporter,
            &Actor::Public { is_reporter: false },
            &label,
        )
        .await?;
        Ok::<_, ApiError>(row.ticket)
    }
    .await;
    let form = report_page(&st, t).await;
    match result {
        Ok(ticket) => {
            let msg = if t.is_en() {
                format!("You now follow {ticket}; thank you.")
            } else {
                format!("已附议诉求 {ticket}，谢谢您的反映。")
            };
            render(&ReportPage {
                notice: Some(msg),
                ..form
            })
        }
        Err(e) => e.mark(render(&ReportPage {
            error: Some(service::message(&e, t.is_en())),
            ..form
        })),
    }
}
