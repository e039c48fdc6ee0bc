//! 巡查上报: a grid worker (or other staff) files what it found on patrol from the phone — a
//! photo from the camera, the place by "use my location" or a tap on the grid map, the
//! category. It goes through the same intake as every report, as channel 网格员巡查, and
//! lands on the new case's page.

use crate::auth::{PageUser, User, lang_of};
use crate::cases::api::actor_of;
use crate::cases::pages::{check_photos, number, read_report};
use crate::cases::service::{self, Report};
use crate::error::ApiError;
use crate::http::chrome::{Chrome, render};
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use gongzhi_domain::case::{Channel, CommandKind};
use gongzhi_store::CategoryRow;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/patrol",
        get(form)
            .post(submit)
            .layer(crate::http::body_limit(crate::http::PHOTOS_BODY_LIMIT)),
    )
}

#[derive(Template)]
#[template(path = "patrol.html")]
struct PatrolPage {
    c: Chrome,
    categories: Vec<CategoryRow>,
    error: Option<String>,
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

async fn patrol_page(st: &AppState, user: &User, t: Lang, error: Option<String>) -> Response {
    render(&PatrolPage {
        c: Chrome::new(t, user, "/patrol", t.s("巡查上报", "Patrol report")),
        categories: categories(st).await,
        error,
    })
}

async fn form(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
) -> Response {
    patrol_page(&st, &user, lang_of(&headers), None).await
}

async fn submit(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        let f = read_report(form).await?;
        user.check_csrf(&f.csrf)?;
        check_photos(&f.photos)?;
        let report = Report {
            category: f.category.clone(),
            lon: number("lon", &f.lon)?,
            lat: number("lat", &f.lat)?,
            address: f.address.clone().unwrap_or_default(),
            description: f.description.clone(),
            emergency: false,
            channel: Some(Channel::GridPatrol),
            reporter_phone: None,
            // A patrol report carries its point; the street is only for address-only reports.
            street: None,
            photos: Vec::new(),
        };
        let (who, label) = actor_of(&user);
        let filed =
            crate::cases::photos::file_with_photos(&st, &who, &label, report, &f.photos).await?;
        Ok::<_, ApiError>(filed.case.id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&format!(
            "/cases/{id}?done={}",
            CommandKind::Report.as_str()
        ))
        .into_response(),
        Err(e) => {
            let msg = service::message(&e, t.is_en());
            e.mark(patrol_page(&st, &user, t, Some(msg)).await)
        }
    }
}
