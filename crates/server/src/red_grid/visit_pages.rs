//! Recording a visit on the phone (a photo by the camera, the purpose by name, the mediation on
//! a conflict, and "raise a case" in the same form), raising a case from an earlier visit, the
//! visit diary and the mediation records with their follow-ups.

use super::member_pages::household_body;
use super::ops::{self, MediationInput, RaiseInput, VisitInput};
use super::{Names, scope, today};
use crate::auth::{PageUser, User, lang_of};
use crate::error::{ApiError, ApiResult};
use crate::http::chrome::{Chrome, render};
use crate::http::pages::page;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongzhi_domain::case::CommandKind;
use gongzhi_domain::red_grid::{MediationOutcome, VisitDraft, VisitPurpose};
use gongzhi_store::{CategoryRow, LinkedHouseholdRow, MediationRow, VisitRow};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/red-grid/households/{id}/visit",
            get(visit_form)
                .post(visit_submit)
                .layer(crate::http::body_limit(crate::http::PHOTOS_BODY_LIMIT)),
        )
        .route(
            "/red-grid/visits/{id}/case",
            get(case_form).post(case_submit),
        )
        .route("/red-grid/visits/{id}/photo", get(photo))
        .route("/red-grid/visits", get(visits_page))
        .route("/red-grid/mediations", get(mediations_page))
        .route(
            "/red-grid/mediations/{id}/follow-up",
            post(follow_up_submit),
        )
}

async fn categories(st: &AppState) -> Vec<CategoryRow> {
    st.store
        .categories()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|c| c.accepts_reports())
        .collect()
}

type Choice = (&'static str, &'static str);

fn purposes(t: Lang) -> Vec<Choice> {
    VisitPurpose::ALL
        .iter()
        .map(|p| (p.as_str(), t.s(p.zh(), p.en())))
        .collect()
}

fn outcomes(t: Lang) -> Vec<Choice> {
    MediationOutcome::ALL
        .iter()
        .map(|o| (o.as_str(), t.s(o.zh(), o.en())))
        .collect()
}

#[derive(Template)]
#[template(path = "red_visit.html")]
struct VisitPage {
    c: Chrome,
    h: LinkedHouseholdRow,
    purposes: Vec<Choice>,
    outcomes: Vec<Choice>,
    categories: Vec<CategoryRow>,
    today: String,
    error: Option<String>,
}

async fn visit_page(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    error: Option<String>,
) -> ApiResult<Response> {
    let h = ops::household_for(st, user, id).await?;
    Ok(render(&VisitPage {
        c: Chrome::new(
            t,
            user,
            "/red-grid/households",
            t.s("记录走访", "Record a visit"),
        ),
        h,
        purposes: purposes(t),
        outcomes: outcomes(t),
        categories: categories(st).await,
        today: today().to_string(),
        error,
    }))
}

async fn visit_form(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let t = lang_of(&headers);
    let body = visit_page(&st, &user, t, id, None).await;
    page(t, &user, body)
}

/// The visit form as posted.
#[derive(Default)]
struct VisitForm {
    csrf: String,
    input: VisitInput,
    mediation: MediationInput,
    raise: bool,
    category: String,
    description: String,
}

async fn read_visit_form(mut form: Multipart, household: i64) -> ApiResult<VisitForm> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError::bad_request(
            "form",
            format!("表单提交失败：{e}"),
            format!("the form could not be read: {e}"),
        )
    };
    let mut f = VisitForm {
        input: VisitInput {
            household_id: household,
            ..Default::default()
        },
        ..Default::default()
    };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "photo" {
            if f.input.photo.is_some() {
                return Err(ApiError::bad_request(
                    "photo",
                    "每次走访上传一张照片",
                    "one photo per visit",
                ));
            }
            let bytes = crate::cases::photos::read_field(field, 1).await?;
            if !bytes.is_empty() {
                f.input.photo = Some(bytes);
            }
            continue;
        }
        let text = field.text().await.map_err(bad)?;
        match name.as_str() {
            "csrf" => f.csrf = text,
            "purpose" => f.input.purpose = text,
            "visited_on" => f.input.visited_on = Some(text),
            "notes" => f.input.notes = text,
            "parties" => f.mediation.parties = text,
            "issue" => f.mediation.issue = text,
            "outcome" => f.mediation.outcome = text,
            "follow_up_on" => f.mediation.follow_up_on = Some(text),
            "raise" => f.raise = !text.is_empty(),
            "category" => f.category = text,
            "description" => f.description = text,
            _ => {}
        }
    }
    Ok(f)
}

async fn visit_submit(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: Multipart,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        let mut f = read_visit_form(form, id).await?;
        user.check_csrf(&f.csrf)?;
        // The mediation part of the form counts only on a conflict mediation.
        let mediation = VisitPurpose::parse(&f.input.purpose)
            .is_some_and(VisitPurpose::has_mediation)
            .then(|| f.mediation.clone());
        f.input.mediation = mediation;
        if f.raise {
            f.input.raise = Some(RaiseInput {
                category: f.category.clone(),
                description: Some(f.description.clone()),
            });
        }
        ops::record_visit(&st, &user, f.input).await
    }
    .await;
    match result {
        Ok(done) => match (done.case, done.case_error) {
            (Some(filed), _) => Redirect::to(&format!(
                "/cases/{}?done={}",
                filed.case.id,
                CommandKind::Report.as_str()
            ))
            .into_response(),
            (None, Some(e)) => {
                // The visit is kept; say why its case was not filed, on the household's page.
                let msg = format!(
                    "{}{}",
                    t.s(
                        "走访已记录，但问题未能上报：",
                        "The visit is recorded, but its case was not filed: "
                    ),
                    crate::cases::service::message(&e, t.is_en())
                );
                let body = household_body(&st, &user, t, id, Some("visit".into()), Some(msg)).await;
                page(t, &user, body)
            }
            (None, None) => {
                Redirect::to(&format!("/red-grid/households/{id}?done=visit")).into_response()
            }
        },
        Err(e) => {
            let msg = crate::cases::service::message(&e, t.is_en());
            match visit_page(&st, &user, t, id, Some(msg)).await {
                Ok(p) => e.mark(p),
                Err(_) => page(t, &user, Err(e)),
            }
        }
    }
}

#[derive(Template)]
#[template(path = "red_case.html")]
struct CasePage {
    c: Chrome,
    v: VisitRow,
    description: String,
    categories: Vec<CategoryRow>,
    error: Option<String>,
}

async fn case_page(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    error: Option<String>,
) -> ApiResult<Response> {
    let v = ops::visit_for(st, user, id).await?;
    let description = VisitDraft {
        purpose: v.purpose,
        visited_on: v.visited_on,
        notes: v.notes.clone(),
    }
    .case_description();
    Ok(render(&CasePage {
        c: Chrome::new(
            t,
            user,
            "/red-grid/households",
            t.s("上报问题", "Raise a case"),
        ),
        v,
        description,
        categories: categories(st).await,
        error,
    }))
}

async fn case_form(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let t = lang_of(&headers);
    let body = case_page(&st, &user, t, id, None).await;
    page(t, &user, body)
}

#[derive(Deserialize)]
struct CaseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    category: String,
    description: Option<String>,
}

async fn case_submit(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<CaseForm>,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        user.check_csrf(&f.csrf)?;
        ops::raise_case(
            &st,
            &user,
            id,
            RaiseInput {
                category: f.category.clone(),
                description: f.description.clone(),
            },
        )
        .await
    }
    .await;
    match result {
        Ok(filed) => Redirect::to(&format!(
            "/cases/{}?done={}",
            filed.case.id,
            CommandKind::Report.as_str()
        ))
        .into_response(),
        Err(e) => {
            let msg = crate::cases::service::message(&e, t.is_en());
            match case_page(&st, &user, t, id, Some(msg)).await {
                Ok(p) => e.mark(p),
                Err(_) => page(t, &user, Err(e)),
            }
        }
    }
}

async fn photo(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    match ops::visit_photo(&st, &user, id).await {
        Ok((mime, bytes)) => (
            [
                (header::CONTENT_TYPE, mime),
                (header::CACHE_CONTROL, "private, max-age=3600".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => page(lang_of(&headers), &user, Err(e)),
    }
}

#[derive(Deserialize, Default)]
struct ListQuery {
    area: Option<String>,
    grid: Option<String>,
    from: Option<String>,
    to: Option<String>,
    done: Option<String>,
}

impl ListQuery {
    fn filter(&self, user: &User) -> ApiResult<gongzhi_store::RedGridFilter> {
        let mut f = scope(user, self.area.as_deref(), self.grid.as_deref())?;
        f.from = super::opt_date("from", self.from.as_deref())?;
        f.to = super::opt_date("to", self.to.as_deref())?;
        Ok(f)
    }

    /// The same filters for the export link.
    fn query(&self) -> String {
        let pairs: Vec<String> = [
            ("area", &self.area),
            ("grid", &self.grid),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .iter()
        .filter_map(|(k, v)| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| format!("{k}={v}"))
        })
        .collect();
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }
}

/// Most rows a page lists (the workbook holds them all).
const PAGE_ROWS: i64 = 500;

#[derive(Template)]
#[template(path = "red_visits.html")]
struct VisitsPage {
    c: Chrome,
    visits: Vec<(VisitRow, String)>,
    total: i64,
    places: crate::http::place_choices::PlaceChoices,
    area: String,
    grid: String,
    from: String,
    to: String,
    query: String,
}

impl VisitsPage {
    fn state_name(&self, code: &Option<String>) -> String {
        super::exports::state_name(code.as_deref())
    }
}

async fn visits_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let f = q.filter(&user)?;
        let names = Names::of(&st);
        let visits = st
            .store
            .visits(&f, PAGE_ROWS)
            .await?
            .into_iter()
            .map(|v| {
                let g = names.grid(&v.grid);
                (v, g)
            })
            .collect();
        let total = st.store.count_visits(&f).await?;
        Ok(render(&VisitsPage {
            c: Chrome::new(t, &user, "/red-grid/visits", t.s("民情日记", "Visit diary")),
            visits,
            total,
            places: places_for(&st, &user),
            area: q.area.clone().unwrap_or_default(),
            grid: q.grid.clone().unwrap_or_default(),
            from: q.from.clone().unwrap_or_default(),
            to: q.to.clone().unwrap_or_default(),
            query: q.query(),
        }))
    }
    .await;
    page(t, &user, body)
}

/// The area and grid filters a list offers: none to a red grid member (its own households).
fn places_for(st: &AppState, user: &User) -> crate::http::place_choices::PlaceChoices {
    match user.listing(gongzhi_domain::access::List::RedGrid) {
        gongzhi_domain::access::Listing::Linked(_) => Default::default(),
        _ => crate::http::place_choices::place_choices(
            st.grids.places().as_deref(),
            &gongzhi_domain::access::visible_region(&user.principal()),
        ),
    }
}

#[derive(Template)]
#[template(path = "red_mediations.html")]
struct MediationsPage {
    c: Chrome,
    counts: Vec<(&'static str, i64)>,
    resolved: i64,
    mediations: Vec<MediationRow>,
    outcomes: Vec<Choice>,
    places: crate::http::place_choices::PlaceChoices,
    area: String,
    grid: String,
    from: String,
    to: String,
    query: String,
    done: Option<String>,
    error: Option<String>,
}

async fn mediations_body(
    st: &AppState,
    user: &User,
    t: Lang,
    q: &ListQuery,
    error: Option<String>,
) -> ApiResult<Response> {
    let f = q.filter(user)?;
    let counts = st.store.mediation_counts(&f).await?;
    let resolved = counts
        .iter()
        .find(|(o, _)| *o == MediationOutcome::Resolved)
        .map_or(0, |(_, n)| *n);
    Ok(render(&MediationsPage {
        c: Chrome::new(
            t,
            user,
            "/red-grid/mediations",
            t.s("矛盾调解", "Mediations"),
        ),
        counts: counts
            .iter()
            .map(|(o, n)| (t.s(o.zh(), o.en()), *n))
            .collect(),
        resolved,
        mediations: st.store.mediations(&f, PAGE_ROWS).await?,
        outcomes: outcomes(t),
        places: places_for(st, user),
        area: q.area.clone().unwrap_or_default(),
        grid: q.grid.clone().unwrap_or_default(),
        from: q.from.clone().unwrap_or_default(),
        to: q.to.clone().unwrap_or_default(),
        query: q.query(),
        done: (q.done.as_deref() == Some("follow_up")).then(|| {
            t.s("回访结果已记录", "The follow-up is recorded")
                .to_string()
        }),
        error,
    }))
}

async fn mediations_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = mediations_body(&st, &user, t, &q, None).await;
    page(t, &user, body)
}

#[derive(Deserialize)]
struct FollowUpForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    outcome: String,
    follow_up_on: Option<String>,
}

async fn follow_up_submit(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<FollowUpForm>,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        user.check_csrf(&f.csrf)?;
        ops::follow_up(&st, &user, id, &f.outcome, f.follow_up_on.as_deref()).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to("/red-grid/mediations?done=follow_up").into_response(),
        Err(e) => {
            let msg = crate::cases::service::message(&e, t.is_en());
            match mediations_body(&st, &user, t, &ListQuery::default(), Some(msg)).await {
                Ok(p) => e.mark(p),
                Err(_) => page(t, &user, Err(e)),
            }
        }
    }
}
